/* segment_assemble.c -- classified lines -> units (heading, bullet group, contact
 * block, caption) -> awardee blocks -> HyReport. Real extraction delivers the parts of
 * an awardee in any order (the 2019 sample has bullets before their heading, captions
 * on both sides of a contact block, a heading missing), so blocks are assembled from
 * what each unit is, not from where it stands. */
#include "segment_private.h"

#include <math.h>
#include <string.h>

/* Longest text still taken for a photo caption; longer unattached text is prose. */
#define HY_CAPTION_MAX_CHARS 60

typedef enum {
    UNIT_HEADING,
    UNIT_BULLETS,
    UNIT_CONTACT,
    UNIT_CAPTION,
    UNIT_PROSE,
} UnitKind;

typedef struct {
    UnitKind kind;
    GArray *lines;           /* guint indexes into the classified lines */
    char *name;              /* heading: the awardee as written, location suffix included */
    GPtrArray *partners;     /* (nullable until the first) heading: partner texts, name(country) each or a 、-list */
    GPtrArray *texts;        /* bullets: one per evaluation; caption/prose: one */
    gboolean paragraphs;     /* bullets that are prose paragraphs (older layout) */
    gboolean glyphless;      /* bullets recognised as paragraphs, their glyphs lost */
    char *heading_text;      /* heading: the text so far, while its brackets are still open */
    gboolean bullet_open;    /* the last evaluation has not reached its sentence end */
    int bullet_longest;      /* longest bullet line in characters (for continuation) */
    int bullet_lines;        /* lines of the last evaluation so far */
    double bullet_x;         /* x of the last evaluation's first line (0 without positions) */
    HyContact contact;
    const char *last_field;  /* contact field the previous line filled */
    GPtrArray *warnings;     /* (nullable until the first) contact values that were not used, and why */
    gboolean contact_fields; /* a labelled field was seen */
    const char *prize;       /* (nullable) the prize label in force where the unit began */
    int first_page, last_page;
} Unit;

typedef struct {
    GPtrArray *units; /* Unit* (borrowed from the unit list; a unit is in one block) */
    Unit *heading, *contact;
    gboolean bullets;
    int last_page;
} Block;

/* What unlabelled lines are, after an older-layout section marker. */
typedef enum {
    MODE_PLAIN, /* captions, continuations */
    MODE_NAMES, /* after ○受賞団体 / <姉妹提携の相手方>: awardee, then partners */
    MODE_PROSE, /* after <姉妹交流の概要>: paragraphs */
} TextMode;

/* The part of a published release the lines are in (output-v1.md, "Whole published
 * documents"). Only the award section makes awards; a document without markers is one. */
typedef enum {
    SECTION_AWARDS,
    SECTION_COVER,     /* the press release's cover: date, list of awardees, the ministry's 連絡先 */
    SECTION_PROGRAMME, /* the award programme's description */
    SECTION_PAST,      /* a list of past awardees */
} Section;

typedef struct {
    const HyRules *rules;
    GArray *classified;  /* HyClassified per line */
    const char **fields; /* per line: where it went, for the trace */
    const char **joins;  /* per line: why it was joined to its unit's text before it, or NULL */
    GPtrArray *units;    /* Unit* */
    Unit *open;          /* unit that may still take lines */
    TextMode mode;
    pcre2_match_data *match_data;
    double body_size;    /* most common font size, 0 when unknown */
    Section section;
    gboolean listing;        /* inside the cover's list of awardees */
    gboolean award_content;  /* a heading, bullet or contact line of the award section was taken */
    const char *prize;       /* (nullable) the prize label in force, one of @prizes */
    GPtrArray *prizes;       /* char*: the prize labels met, owned here */
    char *title_category;    /* (nullable) the prize the title names */
    gboolean *label;         /* per line: a character of a vertical margin label */
    gboolean *taken;         /* per line: already taken with the line before (a label's value) */
    gboolean *contact_header; /* per line: heads a contact block the rules do not know by its label */
    HyReport *report;
    GArray *trace;       /* HyLineTrace per line, or NULL */
} Assembly;

static void unit_free(Unit *unit)
{
    g_array_unref(unit->lines);
    g_ptr_array_unref(unit->texts);
    if (unit->partners != NULL) g_ptr_array_unref(unit->partners);
    g_free(unit->name);
    g_free(unit->heading_text);
    if (unit->warnings != NULL) g_ptr_array_unref(unit->warnings);
    HyContact *c = &unit->contact;
    g_free(c->department), g_free(c->postal_code), g_free(c->address), g_free(c->tel);
    g_free(c->fax), g_free(c->email), g_free(c->url);
    g_free(unit);
}

static const HyClassified *classified_at(const Assembly *a, guint index)
{
    return &g_array_index(a->classified, HyClassified, index);
}

static Unit *unit_start(Assembly *a, UnitKind kind, guint line_index)
{
    Unit *unit = g_new0(Unit, 1);
    unit->kind = kind;
    unit->lines = g_array_new(FALSE, FALSE, sizeof(guint));
    /* room for one text (most units have one); partners and warnings come when needed:
     * a document has a unit every few lines, kept to its end */
    unit->texts = g_ptr_array_new_full(1, g_free);
    unit->first_page = unit->last_page = classified_at(a, line_index)->line->page;
    unit->prize = a->prize;
    g_ptr_array_add(a->units, unit);
    a->open = unit;
    return unit;
}

/* Adds @text (transfer full) to *@strings, making the array on the first. */
static void strings_add(GPtrArray **strings, char *text)
{
    if (*strings == NULL) *strings = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(*strings, text);
}

static void unit_add_line(Assembly *a, Unit *unit, guint line_index, const char *field)
{
    a->fields[line_index] = field;
    g_array_append_val(unit->lines, line_index);
    unit->last_page = MAX(unit->last_page, classified_at(a, line_index)->line->page);
}

/* Appends @text to the last text of @unit as a wrapped continuation. */
static void unit_join_last(Unit *unit, const char *text)
{
    guint last = unit->texts->len - 1;
    char *joined = hy_normalize_join(g_ptr_array_index(unit->texts, last), text);
    g_free(g_ptr_array_index(unit->texts, last));
    g_ptr_array_index(unit->texts, last) = joined;
}

/* ---- text heuristics ---------------------------------------------------- */

/* 。 . ! ? possibly followed by closing brackets: the end of an evaluation. */
static gboolean ends_sentence(const char *text)
{
    const char *end = text + strlen(text);
    while (end > text) {
        const char *prev = g_utf8_find_prev_char(text, end);
        gunichar c = g_utf8_get_char(prev);
        if (c == 0x300D || c == 0x300F || c == ')' || c == 0x3011 || c == '"') { /* 」 』 ) 】 " */
            end = prev;
            continue;
        }
        return c == 0x3002 /* 。 */ || c == '.' || c == '!' || c == '?';
    }
    return FALSE;
}

/* A caption wrapped onto a second line: by geometry when the extractor gave positions,
 * otherwise when the first line visibly stops mid-phrase (the rules' `unfinished`
 * patterns: a particle, 、 or ・), as 「富山県と遼寧省との / 交流と協力の深化に関する覚書締結」
 * does. */
static const char *caption_continues(const Assembly *a, const HyLine *prev, const HyLine *line)
{
    if (line->page != prev->page) return NULL;
    if (line->blank_before == 1 && line->font_size <= 0 &&
        hy_segment__kind_matches(a->rules, HY_RULE_UNFINISHED, prev->text, a->match_data))
        return "caption: the line before cannot end it, a blank line between (rule kind unfinished)";
    if (line->blank_before > 0) return NULL;
    if (prev->font_size > 0 && line->font_size > 0) {
        double dy = line->y - prev->y;
        double prev_width = g_utf8_strlen(prev->text, -1) * prev->font_size;
        double width = g_utf8_strlen(line->text, -1) * line->font_size;
        gboolean overlaps = line->x < prev->x + prev_width && prev->x < line->x + width;
        return dy > 0 && dy < 1.8 * MAX(prev->font_size, line->font_size) && overlaps
                   ? "caption: set right under the line before"
                   : NULL;
    }
    /* pdftotext -layout: lines set in from the margin at the same column, one below the
     * other, are one paragraph (extract has already read side-by-side columns apart). */
    if (prev->indent >= 4 && line->indent >= 4 && ABS(prev->indent - line->indent) <= 3)
        return "caption: same column as the line before";
    return hy_segment__kind_matches(a->rules, HY_RULE_UNFINISHED, prev->text, a->match_data)
               ? "caption: the line before cannot end it (rule kind unfinished)"
               : NULL;
}

/* Byte offset in @raw of a space that stands between two Japanese runs of at least
 * four characters each (digits may stand inside a run, not at its start), or -1. Extractors that keep content-stream order put two
 * captions set side by side on one line with one space between them
 * (「富山ファン倶楽部里帰りツアー 富山県と遼寧省との」); normalization removes that
 * space, so the raw line is where the seam can still be seen. */
static gssize caption_seam(const char *raw)
{
    const char *start = raw;
    while (*start == ' ' || g_utf8_get_char(start) == 0x3000) start = g_utf8_next_char(start);
    int before = 0, after = 0;
    const char *seam = NULL;
    gunichar prev = 0;
    for (const char *p = start; *p; prev = g_utf8_get_char(p), p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        gboolean space = c == ' ' || c == 0x3000;
        if (c == ' ' && ((prev >= '0' && prev <= '9') || g_ascii_isdigit(p[1])) && (seam == NULL ? before : after) > 0) {
            continue; /* pdftotext sets digits apart inside a run: 姉妹都市提携 50 周年記念式典 */
        } else if (space && seam == NULL && before >= 4) {
            seam = p;
        } else if (space && seam != NULL && after == 0) {
            continue; /* a run of spaces is still one seam */
        } else if (c >= '0' && c <= '9' && (seam == NULL ? before : after) > 0) {
            continue; /* digits inside a run: 姉妹都市提携50周年記念式典 (not counted) */
        } else if (space || !hy_normalize_is_japanese(c)) {
            if (space && p[1] == '\0') break; /* trailing blank */
            return -1;
        } else if (seam == NULL) {
            before++;
        } else {
            after++;
        }
    }
    return seam != NULL && after >= 4 ? (gssize)(seam - raw) : -1;
}

/* Two captions an extractor put on one line (see caption_seam), not a sentence: no 、 or 。 */
static gboolean captions_side_by_side(const HyLine *line)
{
    return g_utf8_strlen(line->text, -1) <= HY_CAPTION_MAX_CHARS && caption_seam(line->raw) > 0 &&
           strstr(line->text, "、") == NULL && strstr(line->text, "。") == NULL;
}

static gboolean looks_like_url_tail(const char *text)
{
    for (const char *p = text; *p; p++)
        if (!g_ascii_isalnum(*p) && strchr("-._~:/?#[]@!$&'()*+,;=%", *p) == NULL) return FALSE;
    return *text != '\0';
}

/* A short unlabelled line right after the address, such as 488番地 or ○○ビル5階. */
static gboolean looks_like_address_tail(const HyLine *line)
{
    if (line->blank_before > 1 || g_utf8_strlen(line->text, -1) > 25 || strchr(line->text, ' ')) return FALSE;
    static const char *const endings[] = {"号", "番地", "番", "階", "F", "ビル", "館", "棟", "庁舎"};
    for (guint i = 0; i < G_N_ELEMENTS(endings); i++)
        if (g_str_has_suffix(line->text, endings[i])) return TRUE;
    return g_ascii_isdigit(line->text[strlen(line->text) - 1]);
}

/* ---- lines -> units ------------------------------------------------------ */

/* Stores a contact value; one that is not used is named in the award's warnings. */
static void contact_store(Unit *unit, const char *field, const char *value, const HyLine *line)
{
    const char *shown = strcmp(field, "postal_code") == 0 ? "postal code" : field;
    switch (hy_segment__set_contact(&unit->contact, field, value)) {
    case HY_CONTACT_DUPLICATE:
        strings_add(&unit->warnings, g_strdup_printf("page %d: a second %s \"%s\" ignored", line->page, shown, value));
        break;
    case HY_CONTACT_INVALID:
        strings_add(&unit->warnings, g_strdup_printf("page %d: %s \"%s\" does not parse", line->page, shown, value));
        break;
    case HY_CONTACT_STORED:
    case HY_CONTACT_SAME:
    case HY_CONTACT_EMPTY:
        break;
    }
}

/* "contact.tel,fax": the fields a labelled line filled, for the trace. */
static const char *contact_take_captures(Unit *unit, const HyClassified *c)
{
    static const char *const fields[] = {"department", "postal_code", "address", "tel", "fax", "email", "url"};
    char filled[128] = "contact."; /* room for every field's name */
    for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
        const char *value = hy_segment__capture(c, fields[i]);
        if (value == NULL) continue;
        contact_store(unit, fields[i], value, c->line);
        unit->last_field = fields[i];
        if (strcmp(fields[i], "department") != 0) unit->contact_fields = TRUE;
        if (strlen(filled) > strlen("contact.")) g_strlcat(filled, ",", sizeof filled);
        g_strlcat(filled, fields[i], sizeof filled);
    }
    /* 〒930-8501 alone on its line: the address follows on the next one. */
    if (hy_segment__capture(c, "postal_code") != NULL && unit->contact.address == NULL)
        unit->last_field = "address";
    return g_intern_string(filled); /* few combinations; they outlive the trace */
}

/* Whether an unlabelled line belongs to the open contact block; returns the field it
 * went to, or NULL. */
static const char *contact_take_text(Unit *unit, const HyLine *line)
{
    HyContact *contact = &unit->contact;
    if (!unit->contact_fields && unit->last_field == NULL) {
        hy_segment__set_contact(contact, "department", line->text);
        unit->last_field = "department";
        return "contact.department";
    }
    if (!unit->contact_fields && g_strcmp0(unit->last_field, "department") == 0 && line->blank_before <= 1 &&
        g_utf8_strlen(line->text, -1) <= 20) {
        char *joined = hy_normalize_join(contact->department, line->text);
        g_free(contact->department);
        contact->department = joined;
        return "contact.department";
    }
    const char *last = unit->last_field;
    if (last == NULL) return NULL;
    if ((strcmp(last, "url") == 0 || strcmp(last, "email") == 0) && looks_like_url_tail(line->text)) {
        gboolean url = strcmp(last, "url") == 0;
        char **slot = url ? &contact->url : &contact->email;
        char *joined = g_strconcat(*slot ? *slot : "", line->text, NULL);
        g_free(*slot);
        *slot = joined;
        return url ? "contact.url" : "contact.email";
    }
    if (strcmp(last, "address") == 0 && contact->address == NULL) {
        hy_segment__set_contact(contact, "address", line->text);
        return "contact.address";
    }
    if (strcmp(last, "address") == 0 && looks_like_address_tail(line)) {
        char *joined = hy_normalize_join(contact->address, line->text);
        g_free(contact->address);
        contact->address = joined;
        unit->last_field = "address_tail";
        return "contact.address";
    }
    return NULL;
}

/* Indented further than the next line: with positions, by x; in text, by columns. */
static gboolean indented_before(const HyLine *line, const HyLine *next)
{
    if (next == NULL || next->page != line->page) return FALSE;
    if (line->font_size > 0 && next->font_size > 0) return line->x > next->x + 0.5 * line->font_size;
    return line->indent > next->indent;
}

/* With positions: @line stands above the first line of @unit on its page (a unit's later
 * lines are never above its first). */
static gboolean set_above(const Assembly *a, const Unit *unit, const HyLine *line)
{
    const HyLine *first = classified_at(a, g_array_index(unit->lines, guint, 0))->line;
    if (line->font_size <= 0 || first->font_size <= 0 || line->page != first->page) return FALSE;
    return line->y + 0.5 * line->font_size < first->y;
}

/* A bullet whose glyph the extractor lost: the first line of a paragraph still set in
 * from the lines that continue it (only a leading space or the indentation remains),
 * full-length, and standing where a bullet may start. */
static gboolean lost_glyph_bullet(const Assembly *a, guint index)
{
    const HyLine *line = classified_at(a, index)->line;
    if (index + 1 >= a->classified->len) return FALSE;
    const HyClassified *next = classified_at(a, index + 1);
    if (next->line_class != HY_LINE_TEXT || !indented_before(line, next->line)) return FALSE;
    int chars = (int)g_utf8_strlen(line->text, -1);
    if (chars < 20 || ends_sentence(line->text)) return FALSE;
    /* Captions are set smaller than the body; a bullet's text starts a glyph's width or
     * two in from its continuation, not across the page. */
    if (a->body_size > 0 && line->font_size > 0 && line->font_size < 0.95 * a->body_size) return FALSE;
    if (line->font_size > 0 && next->line->font_size > 0 && line->x - next->line->x > 4 * line->font_size)
        return FALSE;
    const Unit *open = a->open;
    return open == NULL || open->kind != UNIT_BULLETS || !open->bullet_open;
}

static void bullets_add(Assembly *a, guint index, const char *text)
{
    Unit *open = a->open;
    Unit *unit = open != NULL && open->kind == UNIT_BULLETS && !open->paragraphs
                     ? open
                     : unit_start(a, UNIT_BULLETS, index);
    const HyLine *line = classified_at(a, index)->line;
    g_ptr_array_add(unit->texts, g_strdup(text));
    unit_add_line(a, unit, index, "evaluation");
    unit->bullet_lines = 1;
    unit->bullet_x = line->x;
    unit->bullet_open = !ends_sentence(line->text);
    unit->bullet_longest = MAX(unit->bullet_longest, (int)g_utf8_strlen(line->text, -1));
}

/* Older layout, <姉妹交流の概要>: a paragraph ends at a sentence end on a line clearly
 * shorter than the text width, or where the next line is set in. */
static void take_prose_line(Assembly *a, guint index)
{
    const HyLine *line = classified_at(a, index)->line;
    int chars = (int)g_utf8_strlen(line->text, -1);
    Unit *open = a->open;
    if (open == NULL || open->kind != UNIT_BULLETS || !open->paragraphs) {
        open = unit_start(a, UNIT_BULLETS, index);
        open->paragraphs = TRUE;
    }
    if (open->texts->len > 0 && open->bullet_open) {
        a->joins[index] = "paragraph: the line before did not end it";
        unit_join_last(open, line->text);
    }
    else g_ptr_array_add(open->texts, g_strdup(line->text));
    unit_add_line(a, open, index, "evaluation");
    open->bullet_longest = MAX(open->bullet_longest, chars);
    const HyLine *next = index + 1 < a->classified->len ? classified_at(a, index + 1)->line : NULL;
    gboolean short_line = chars * 10 < open->bullet_longest * 9;
    gboolean next_indented = next != NULL && next->page == line->page && indented_before(next, line);
    /* With positions, a gap above the next line is a paragraph break too (office software
     * spaces paragraphs; text extractors' blank lines are not that reliable). */
    gboolean next_apart = next != NULL && next->page == line->page && next->font_size > 0 && next->blank_before > 0;
    open->bullet_open =
        !(ends_sentence(line->text) && (short_line || next_indented || next_apart)) && !next_indented;
}

/* Older layout, after ○受賞団体 and <姉妹提携の相手方>: the first name line is the
 * awardee (当別町(北海道)), the following ones its partners (レクサンド市(スウェーデン王国)). */
static void take_name_line(Assembly *a, guint index)
{
    const HyLine *line = classified_at(a, index)->line;
    Unit *open = a->open;
    if (open == NULL || open->kind != UNIT_HEADING) open = unit_start(a, UNIT_HEADING, index);
    if (open->name == NULL) {
        open->name = g_strdup(line->text);
        unit_add_line(a, open, index, "heading");
    } else {
        strings_add(&open->partners, g_strdup(line->text));
        unit_add_line(a, open, index, "partner");
    }
}

static void bullet_continue(Assembly *a, Unit *open, guint index, int chars);

/* A line starting with ・ that goes on with the open evaluation's sentence (防災 | ・減災
 * broken before the ・): the evaluation has not ended, and the line sits at the
 * continuation indent (with positions, set in from the evaluation's glyph) or follows a
 * full-width line (a line broken by the width, not by the writer). */
static gboolean nakaguro_continues(const Assembly *a, guint index)
{
    const Unit *open = a->open;
    const HyLine *line = classified_at(a, index)->line;
    if (open == NULL || open->kind != UNIT_BULLETS || open->paragraphs || !open->bullet_open) return FALSE;
    if (g_utf8_get_char(line->text) != 0x30FB /* ・ */) return FALSE;
    const HyLine *prev = classified_at(a, g_array_index(open->lines, guint, open->lines->len - 1))->line;
    if (prev->page != line->page || line->blank_before > 1) return FALSE;
    if (line->font_size > 0 && open->bullet_x > 0 && line->x > open->bullet_x + 0.5 * line->font_size) return TRUE;
    int prev_chars = (int)g_utf8_strlen(prev->text, -1);
    return open->bullet_longest >= 15 && prev_chars * 100 >= open->bullet_longest * 85;
}

static void bullet_continue(Assembly *a, Unit *open, guint index, int chars)
{
    const HyLine *line = classified_at(a, index)->line;
    unit_join_last(open, line->text);
    unit_add_line(a, open, index, "evaluation");
    open->bullet_open = !ends_sentence(line->text);
    open->bullet_longest = MAX(open->bullet_longest, chars);
    open->bullet_lines++;
}

/* Set clearly larger than the body text, short, and no sentence: a heading whose
 * 交流先 part is missing, recognised by its type as a reader would. */
static gboolean heading_by_size(const Assembly *a, const HyLine *line)
{
    if (a->body_size <= 0 || line->font_size < 1.25 * a->body_size) return FALSE;
    return g_utf8_strlen(line->text, -1) <= 40 && !ends_sentence(line->text);
}

/* The one-line unit @last, just before heading line @index, begins that heading's name:
 * a legal form on its own line (the rules' `name_prefix`), or a line set at the heading's
 * size right above it that is no heading of its own (it names no partners). */
static gboolean heading_prefix_before(const Assembly *a, const Unit *last, guint index)
{
    if (last->lines->len != 1 || g_array_index(last->lines, guint, 0) + 1 != index) return FALSE;
    const HyLine *line = classified_at(a, index)->line;
    const HyLine *prev = classified_at(a, index - 1)->line;
    if (prev->page != line->page) return FALSE;
    const char *text;
    if (last->kind == UNIT_CAPTION) text = g_ptr_array_index(last->texts, 0);
    else if (last->kind == UNIT_HEADING && last->name != NULL && (last->partners == NULL || last->partners->len == 0))
        text = last->name;
    else return FALSE;
    if (hy_segment__kind_matches(a->rules, HY_RULE_NAME_PREFIX, text, a->match_data)) return TRUE;
    return last->kind == UNIT_HEADING && prev->font_size > 0 && fabs(prev->font_size - line->font_size) < 0.5 &&
           line->y - prev->y < 1.8 * line->font_size;
}

/* The legal form (特定非営利活動法人) of a one-line caption right above @unit's first line: the
 * caption's line joins @unit as a heading line and the caption is gone. Returns: (transfer
 * full) the legal form, or NULL. */
static char *legal_form_before(Assembly *a, Unit *unit)
{
    if (a->units->len < 2) return NULL;
    Unit *before = g_ptr_array_index(a->units, a->units->len - 2);
    guint first = g_array_index(unit->lines, guint, 0);
    if (before == unit || before->kind != UNIT_CAPTION || before->lines->len != 1 ||
        g_array_index(before->lines, guint, 0) + 1 != first ||
        !hy_segment__kind_matches(a->rules, HY_RULE_NAME_PREFIX, g_ptr_array_index(before->texts, 0),
                                  a->match_data))
        return NULL;
    guint line = g_array_index(before->lines, guint, 0);
    a->fields[line] = "heading";
    a->joins[first] = "heading: the line before begins the awardee's name";
    g_array_insert_val(unit->lines, 0, line);
    unit->first_page = MIN(unit->first_page, before->first_page);
    char *prefix = g_steal_pointer(&before->texts->pdata[0]);
    g_ptr_array_remove_index(a->units, a->units->len - 2); /* frees the caption */
    return prefix;
}

/* Opening minus closing brackets: > 0 when a heading continues on the next line. */
static int bracket_depth(const char *text)
{
    int depth = 0;
    for (const char *p = text; *p; p++) depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
    return depth;
}

/* Sets a heading unit from its (possibly joined) text, through the heading rules. */
static void heading_set_text(Assembly *a, Unit *unit, const char *text)
{
    HyLine probe = {.text = (char *)text};
    HyClassified c;
    hy_segment__classify(a->rules, &probe, a->match_data, &c);
    gboolean heading = c.line_class == HY_LINE_HEADING;
    const char *name = heading ? hy_segment__capture(&c, "name") : NULL;
    const char *partners = heading ? hy_segment__capture(&c, "partners") : NULL;
    g_free(unit->name);
    unit->name = g_strdup(name != NULL && *name != '\0' ? name : text);
    if (unit->partners != NULL) g_ptr_array_set_size(unit->partners, 0);
    if (partners != NULL) strings_add(&unit->partners, g_strdup(partners));
    g_free(unit->heading_text);
    unit->heading_text = bracket_depth(text) > 0 ? g_strdup(text) : NULL;
    a->open = unit->heading_text != NULL ? unit : NULL; /* nothing but its own rest continues a heading */
    hy_segment__classified_clear(&c);
}

/* Lines from @index on that read as one paragraph of body text ending in a sentence
 * end: the evaluations of a layout whose bullet glyphs were lost. Captions are short,
 * set smaller and do not end in 。. Returns the paragraph's line count, or 0. */
static guint paragraph_ahead(const Assembly *a, guint index)
{
    const HyLine *first = classified_at(a, index)->line;
    if (a->body_size > 0 && first->font_size < 0.95 * a->body_size) return 0;
    int chars = 0;
    for (guint i = index; i < a->classified->len && i < index + 12; i++) {
        const HyClassified *c = classified_at(a, i);
        if (c->line_class == HY_LINE_NOISE || c->line_class == HY_LINE_TITLE) continue;
        if (c->line_class != HY_LINE_TEXT || fabs(c->line->font_size - first->font_size) > 0.5) return 0;
        chars += (int)g_utf8_strlen(c->line->text, -1);
        if (ends_sentence(c->line->text)) return chars >= 30 ? i - index + 1 : 0;
    }
    return 0;
}

static gboolean take_labelled_value(Assembly *a, guint index, gboolean wrapped_label);
static gboolean take_wrapped_label(Assembly *a, guint index);

static void take_text_line(Assembly *a, guint index)
{
    const HyClassified *c = classified_at(a, index);
    const HyLine *line = c->line;
    Unit *open = a->open;
    int chars = (int)g_utf8_strlen(line->text, -1);

    if (a->mode == MODE_NAMES) {
        take_name_line(a, index);
        return;
    }
    if (a->mode == MODE_PROSE) {
        take_prose_line(a, index);
        return;
    }
    if (heading_by_size(a, line)) {
        Unit *last = a->units->len > 0 ? g_ptr_array_index(a->units, a->units->len - 1) : NULL;
        if (last != NULL && last->kind == UNIT_HEADING && heading_prefix_before(a, last, index)) {
            g_autofree char *joined = g_strconcat(last->name, line->text, NULL);
            a->joins[index] = "heading: a line at the heading's size right under it";
            unit_add_line(a, last, index, "heading");
            heading_set_text(a, last, joined);
            return;
        }
        Unit *unit = unit_start(a, UNIT_HEADING, index);
        unit_add_line(a, unit, index, "heading");
        heading_set_text(a, unit, line->text);
        return;
    }
    if (open != NULL && open->kind == UNIT_CONTACT && set_above(a, open, line)) {
        /* A caption above the contact box that the extractor read after the box's header
         * (poppler does so with a photo beside the box's top): a caption of its own, and the
         * contact block stays open for the department that follows. */
        Unit *last = g_ptr_array_index(a->units, a->units->len - 1);
        const char *why = last->kind == UNIT_CAPTION
                              ? caption_continues(a, classified_at(a, g_array_index(last->lines, guint, last->lines->len - 1))->line, line)
                              : NULL;
        if (why != NULL) {
            a->joins[index] = why;
            unit_join_last(last, line->text);
            unit_add_line(a, last, index, "caption");
        } else {
            Unit *caption = unit_start(a, UNIT_CAPTION, index);
            g_ptr_array_add(caption->texts, g_strdup(line->text));
            unit_add_line(a, caption, index, "caption");
        }
        a->open = open;
        return;
    }
    if (open != NULL && open->kind == UNIT_BULLETS && open->bullet_open) {
        a->joins[index] = "evaluation: the line before did not end its sentence";
        bullet_continue(a, open, index, chars);
        return;
    }
    if (lost_glyph_bullet(a, index)) {
        bullets_add(a, index, line->text);
        return;
    }
    /* A closed evaluation still takes a full-width line: a second sentence that happened
     * to start at a line break, not a caption (captions are short). Not so where the
     * glyphs were lost: there a new paragraph is a new evaluation. */
    if (open != NULL && open->kind == UNIT_BULLETS && !open->glyphless && !open->paragraphs &&
        open->bullet_lines >= 2 && chars * 10 >= open->bullet_longest * 9 && !captions_side_by_side(line)) {
        a->joins[index] = "evaluation: a full-width line goes on with it";
        bullet_continue(a, open, index, chars);
        return;
    }
    if (paragraph_ahead(a, index) > 0) {
        bullets_add(a, index, line->text);
        a->open->glyphless = TRUE;
        return;
    }
    if (open != NULL && open->kind == UNIT_CONTACT && open->contact_fields &&
        (take_labelled_value(a, index, TRUE) || take_wrapped_label(a, index)))
        return;
    if (open != NULL && open->kind == UNIT_CONTACT) {
        const char *field = contact_take_text(open, line);
        if (field != NULL) {
            if (open->lines->len > 0 && strcmp(field, a->fields[g_array_index(open->lines, guint, open->lines->len - 1)]) == 0)
                a->joins[index] = "contact: goes on with the field before";
            unit_add_line(a, open, index, field);
            return;
        }
    }
    if (open != NULL && open->kind == UNIT_CAPTION) {
        const HyLine *prev = classified_at(a, g_array_index(open->lines, guint, open->lines->len - 1))->line;
        const char *why = caption_continues(a, prev, line);
        if (why != NULL) {
            a->joins[index] = why;
            unit_join_last(open, line->text);
            unit_add_line(a, open, index, "caption");
            if (g_utf8_strlen(g_ptr_array_index(open->texts, 0), -1) > HY_CAPTION_MAX_CHARS)
                open->kind = UNIT_PROSE;
            return;
        }
    }
    gssize seam = chars <= HY_CAPTION_MAX_CHARS ? caption_seam(line->raw) : -1;
    if (seam > 0) {
        g_autofree char *left_raw = g_strndup(line->raw, (gsize)seam);
        g_autofree char *left = hy_normalize_text(left_raw, -1, NULL);
        g_autofree char *right = hy_normalize_text(line->raw + seam, -1, NULL);
        if (left != NULL && right != NULL) {
            Unit *first = unit_start(a, UNIT_CAPTION, index);
            g_ptr_array_add(first->texts, g_steal_pointer(&left));
            unit_add_line(a, first, index, "caption");
            Unit *second = unit_start(a, UNIT_CAPTION, index);
            g_ptr_array_add(second->texts, g_steal_pointer(&right));
            unit_add_line(a, second, index, "caption");
            return;
        }
    }
    Unit *unit = unit_start(a, chars > HY_CAPTION_MAX_CHARS ? UNIT_PROSE : UNIT_CAPTION, index);
    g_ptr_array_add(unit->texts, g_strdup(line->text));
    unit_add_line(a, unit, index, "caption");
}

/* ---- the parts of a release ------------------------------------------------ */

static void record_title(Assembly *a, const HyClassified *c)
{
    hy_segment__parse_title(a->report, c);
    const char *category = hy_segment__capture(c, "category");
    if (a->title_category == NULL && category != NULL && *category != '\0') a->title_category = g_strdup(category);
}

/* Enters @section. Staying in the award section (a 受賞団体の概要 repeated at the top of a
 * page) interrupts nothing: an evaluation cut by the page break goes on. */
static void enter_section(Assembly *a, Section section)
{
    if (section == a->section && section == SECTION_AWARDS) return;
    a->section = section;
    a->listing = FALSE;
    a->open = NULL;
    a->mode = MODE_PLAIN;
}

/* The names a line of the cover's list gives (one, or several marked ○ on one line);
 * FALSE when the line is no list entry (a sentence, a long line), which ends the list. */
/* The first cell of a list line laid out as a table (鶴岡市　　山形県　　ニューブランズウィック市):
 * cells are apart by a tab, an ideographic space or two spaces. Returns: (transfer full) its
 * normalized text, or NULL when the line is one cell. */
static char *first_cell(const char *raw)
{
    while (*raw == ' ' || *raw == '\t' || g_utf8_get_char(raw) == 0x3000) raw = g_utf8_next_char(raw);
    for (const char *p = raw; *p; p = g_utf8_next_char(p)) {
        gboolean gap = *p == '\t' || g_utf8_get_char(p) == 0x3000 || (p[0] == ' ' && p[1] == ' ');
        if (!gap) continue;
        const char *rest = p;
        while (*rest == ' ' || *rest == '\t' || g_utf8_get_char(rest) == 0x3000) rest = g_utf8_next_char(rest);
        if (*rest == '\0') return NULL; /* trailing blanks */
        g_autofree char *cell = g_strndup(raw, (gsize)(p - raw));
        return hy_normalize_text(cell, -1, NULL);
    }
    return NULL;
}

/* The marks that set list entries apart: ○ ◯ 〇 ● */
static gboolean is_list_mark(gunichar c)
{
    return c == 0x25CB || c == 0x25EF || c == 0x3007 || c == 0x25CF;
}

/* @text past a list number before a name (1 鶴岡市 -> 鶴岡市, once normalized 1鶴岡市). */
static const char *skip_list_number(const char *text)
{
    const char *after = text;
    while (g_ascii_isdigit(*after)) after++;
    return after > text && after - text <= 2 && (guchar)*after >= 0x80 ? after : text;
}

static gboolean take_listed_names(Assembly *a, const HyClassified *c)
{
    const char *bullet_text = c->line_class == HY_LINE_BULLET ? hy_segment__capture(c, "text") : NULL;
    const char *text = skip_list_number(bullet_text != NULL ? bullet_text : c->line->text);
    int marks = 0;
    for (const char *p = c->line->text; *p; p = g_utf8_next_char(p)) marks += is_list_mark(g_utf8_get_char(p));
    g_autofree char *cell = marks >= 2 ? NULL : first_cell(c->line->raw);
    if (cell != NULL) text = skip_list_number(cell);
    if (*text == '\0' || g_utf8_strlen(text, -1) > 60 || ends_sentence(text)) return FALSE;
    const HyLocalGov *gov = NULL;
    gboolean ambiguous = FALSE;
    if (!hy_segment__kind_matches(a->rules, HY_RULE_LISTED, c->line->text, a->match_data) &&
        hy_segment__leading_prefecture(text, &gov) == 0 &&
        hy_segment__leading_municipality(text, NULL, &gov, &ambiguous) == 0)
        return FALSE;
    /* Several names on one line, each marked: ○鶴岡市(山形県) ○高知県. */
    gboolean took = FALSE;
    const char *piece = text;
    for (const char *p = text;; p = g_utf8_next_char(p)) {
        if (*p != '\0' && !is_list_mark(g_utf8_get_char(p))) continue;
        g_autofree char *one = g_strstrip(g_strndup(piece, (gsize)(p - piece)));
        char *name = *one != '\0' ? hy_segment__listed_name(one) : NULL;
        if (name != NULL) {
            g_ptr_array_add(a->report->listed_awardees, name);
            took = TRUE;
        }
        if (*p == '\0') break;
        piece = g_utf8_next_char(p);
    }
    return took;
}

/* Takes a line that marks a part of the release, or any line outside the award
 * section; returns FALSE for a line the award section's assembly is to take. */
static gboolean take_section_line(Assembly *a, guint index)
{
    const HyClassified *c = classified_at(a, index);
    const char **field = &a->fields[index];
    switch (c->line_class) {
    case HY_LINE_DATE:
        /* A date line before any award content opens a cover without 報道資料. */
        if (hy_segment__parse_date(a->report, c) && !a->award_content && a->section == SECTION_AWARDS &&
            a->units->len == 0)
            enter_section(a, SECTION_COVER);
        *field = "date";
        return TRUE;
    case HY_LINE_COVER:
        enter_section(a, SECTION_COVER);
        a->report->sections |= HY_SECTION_COVER;
        *field = "cover";
        return TRUE;
    case HY_LINE_AWARDS:
        enter_section(a, SECTION_AWARDS);
        *field = "section";
        return TRUE;
    case HY_LINE_PROGRAMME:
        enter_section(a, SECTION_PROGRAMME);
        a->report->sections |= HY_SECTION_PROGRAMME;
        *field = "section";
        return TRUE;
    case HY_LINE_PAST:
        if (a->section != SECTION_COVER) {
            enter_section(a, SECTION_PAST);
            a->report->sections |= HY_SECTION_PROGRAMME;
        }
        *field = a->section == SECTION_COVER ? "cover" : "section";
        return TRUE;
    case HY_LINE_LISTING:
        if (a->section == SECTION_AWARDS && !a->award_content) enter_section(a, SECTION_COVER);
        if (a->section == SECTION_COVER) a->listing = TRUE;
        *field = a->section == SECTION_COVER ? "cover" : "noise";
        return TRUE;
    case HY_LINE_PRIZE:
        if (a->section == SECTION_AWARDS) {
            char *prize = g_strdup(hy_segment__capture(c, "category"));
            if (prize == NULL || *prize == '\0') {
                g_free(prize);
                prize = g_strdup(c->line->text);
            }
            g_ptr_array_add(a->prizes, prize);
            a->prize = prize;
            a->open = NULL;
            *field = "category";
            return TRUE;
        }
        break;
    default:
        break;
    }
    switch (a->section) {
    case SECTION_AWARDS:
        return FALSE;
    case SECTION_PROGRAMME:
    case SECTION_PAST:
        *field = c->line_class == HY_LINE_NOISE ? "noise" : a->section == SECTION_PAST ? "past_awardees" : "programme";
        return TRUE;
    case SECTION_COVER:
        break;
    }
    if (c->line_class == HY_LINE_HEADING) {
        enter_section(a, SECTION_AWARDS); /* an awardee heading: the award section has begun */
        return FALSE;
    }
    if (c->line_class == HY_LINE_TITLE) {
        record_title(a, c);
        const char *overview = hy_segment__capture(c, "overview");
        if (overview != NULL && *overview != '\0') enter_section(a, SECTION_AWARDS);
        *field = "title";
        return TRUE;
    }
    if (c->line_class == HY_LINE_NOISE) {
        *field = "noise";
        return TRUE;
    }
    if (c->line_class == HY_LINE_PARTNERS || c->line_class == HY_LINE_SUMMARY ||
        (c->line_class == HY_LINE_AWARDEE && a->report->listed_awardees->len > 0)) {
        /* <姉妹提携の相手方>, or ○受賞団体 after the cover's list: older award blocks begin */
        enter_section(a, SECTION_AWARDS);
        return FALSE;
    }
    if (c->line_class == HY_LINE_AWARDEE) { /* ○受賞団体 on a cover heads its list */
        a->listing = TRUE;
        const char *name = hy_segment__capture(c, "name");
        char *listed = name != NULL && *name != '\0' ? hy_segment__listed_name(name) : NULL;
        if (listed != NULL) g_ptr_array_add(a->report->listed_awardees, listed);
        *field = "cover";
        return TRUE;
    }
    if (a->listing && c->line_class != HY_LINE_PRIZE) {
        if ((c->line_class == HY_LINE_TEXT || c->line_class == HY_LINE_BULLET) && take_listed_names(a, c)) {
            *field = "listed_awardee";
            return TRUE;
        }
        a->listing = FALSE;
    }
    *field = "cover";
    return TRUE;
}

/* Vertical text in a margin (受/賞/団/体/の/概/要) comes out one character a line: such a
 * run is one label, never captions. In text, three or more one-character lines in a row;
 * with positions, three or more one-character lines of a page at one x. */
static gboolean one_character(const HyLine *line)
{
    const char *text = line->text;
    return text[0] != '\0' && *g_utf8_next_char(text) == '\0' && !g_ascii_isdigit(text[0]);
}

static int compare_x(gconstpointer a, gconstpointer b)
{
    double xa = (*(const HyLine *const *)a)->x, xb = (*(const HyLine *const *)b)->x;
    return xa < xb ? -1 : xa > xb;
}

static void mark_vertical_labels(Assembly *a)
{
    guint n = a->classified->len;
    for (guint i = 0; i < n;) {
        guint j = i;
        while (j < n && one_character(classified_at(a, j)->line) &&
               classified_at(a, j)->line->page == classified_at(a, i)->line->page)
            j++;
        if (j - i >= 3)
            for (guint k = i; k < j; k++) a->label[k] = TRUE;
        i = j > i ? j : i + 1;
    }
    /* With positions: a page's one-character lines sorted by x, runs of one column. */
    g_autoptr(GPtrArray) column = g_ptr_array_new();
    g_autoptr(GHashTable) index_of = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (guint start = 0; start < n;) {
        int page = classified_at(a, start)->line->page;
        guint end = start;
        g_ptr_array_set_size(column, 0);
        for (; end < n && classified_at(a, end)->line->page == page; end++) {
            const HyLine *line = classified_at(a, end)->line;
            if (line->font_size <= 0 || !one_character(line)) continue;
            g_ptr_array_add(column, (gpointer)line);
            g_hash_table_insert(index_of, (gpointer)line, GUINT_TO_POINTER(end));
        }
        g_ptr_array_sort(column, compare_x);
        for (guint i = 0; i < column->len;) {
            guint j = i + 1;
            while (j < column->len && ((const HyLine *)column->pdata[j])->x - ((const HyLine *)column->pdata[j - 1])->x < 2.0)
                j++;
            for (guint k = i; j - i >= 3 && k < j; k++)
                a->label[GPOINTER_TO_UINT(g_hash_table_lookup(index_of, column->pdata[k]))] = TRUE;
            i = j;
        }
        start = end > start ? end : start + 1;
    }
}

/* A field's label alone on its line (a contact table's left cell) and the line after it,
 * on the same row or right under it, are one field line: `label:value` through the rules.
 * FALSE when the next line is no value of it. */
/* Classifies @text (a field line put together from several lines: a label and its value)
 * and, when it is a contact field, stores it in the open contact block (or a new one) with
 * the lines @lines[0..n) as its own. Returns: whether it was a field. */
static gboolean take_assembled_field(Assembly *a, const char *text, const guint *lines, guint n)
{
    const HyLine *first = classified_at(a, lines[0])->line;
    HyLine probe = {.page = first->page, .number = first->number, .raw = (char *)text, .text = (char *)text};
    HyClassified c;
    hy_segment__classify(a->rules, &probe, a->match_data, &c);
    gboolean field = c.line_class == HY_LINE_FIELD;
    if (field) {
        Unit *open = a->open;
        Unit *unit = open != NULL && open->kind == UNIT_CONTACT ? open : unit_start(a, UNIT_CONTACT, lines[0]);
        const char *filled = contact_take_captures(unit, &c);
        for (guint k = 0; k < n; k++) unit_add_line(a, unit, lines[k], filled);
        for (guint k = 1; k < n; k++) a->taken[lines[k]] = TRUE;
    }
    hy_segment__classified_clear(&c);
    return field;
}

static gboolean take_labelled_value(Assembly *a, guint index, gboolean wrapped_label)
{
    const HyLine *line = classified_at(a, index)->line;
    guint found = G_MAXUINT;
    if (wrapped_label && g_utf8_strlen(line->text, -1) > 8) return FALSE;
    /* With positions the value is the line on the label's row (a table read column by
     * column gives every label first, then every value), or the one right under it. */
    guint last = wrapped_label ? index + 1 : index + 24;
    for (guint j = index + 1; j < a->classified->len && j <= last && found == G_MAXUINT; j++) {
        const HyClassified *next = classified_at(a, j);
        const HyLine *value = next->line;
        if (value->page != line->page) break;
        /* The rest of a wrapped label is no field of its own (ジhttps://…; 電話:… would be). */
        if (wrapped_label && next->line_class != HY_LINE_TEXT) break;
        if (a->taken[j] || (next->line_class != HY_LINE_TEXT && next->line_class != HY_LINE_FIELD)) {
            if (line->font_size > 0) continue;
            break;
        }
        if (line->font_size > 0 && value->font_size > 0) {
            double size = line->font_size;
            gboolean same_row = fabs(value->y - line->y) < 0.5 * size && value->x > line->x;
            gboolean under = j == index + 1 && value->y > line->y && value->y - line->y < 1.8 * size;
            if (same_row || under) found = j;
        } else if (j == index + 1 && value->blank_before <= 1) {
            found = j;
        } else {
            break;
        }
    }
    if (found == G_MAXUINT) return FALSE;
    const HyLine *value = classified_at(a, found)->line;
    g_autofree char *label = g_strdup(line->text);
    gsize len = strlen(label);
    if (len > 0 && label[len - 1] == ':') label[len - 1] = '\0';
    /* A label wrapped in a narrow cell (ホームペー / ジhttps://…) goes on without a colon. */
    g_autofree char *text = g_strconcat(label, wrapped_label ? "" : ":", value->text, NULL);
    if (!take_assembled_field(a, text, (guint[]){index, found}, 2)) return FALSE;
    a->joins[found] = wrapped_label ? "contact: the rest of a label wrapped in its cell, and its value"
                                    : "contact: the value of the label on its row";
    return TRUE;
}

/* A label wrapped in its cell onto two lines, its value on the line after (ホームペー / ジ /
 * https://…, as text extractors give a narrow table cell): the three lines are one field. */
static gboolean take_wrapped_label(Assembly *a, guint index)
{
    if (index + 2 >= a->classified->len) return FALSE;
    const HyLine *line = classified_at(a, index)->line;
    const HyClassified *rest = classified_at(a, index + 1);
    const HyClassified *value = classified_at(a, index + 2);
    if (g_utf8_strlen(line->text, -1) > 8 || rest->line_class != HY_LINE_TEXT || rest->line->page != line->page ||
        rest->line->blank_before > 0 || value->line->page != line->page || value->line->blank_before > 1 ||
        (value->line_class != HY_LINE_TEXT && value->line_class != HY_LINE_FIELD) ||
        g_utf8_strlen(rest->line->text, -1) > 4)
        return FALSE;
    g_autofree char *label = g_strconcat(line->text, rest->line->text, NULL);
    HyLine probe = {.page = line->page, .number = line->number, .raw = label, .text = label};
    HyClassified c;
    hy_segment__classify(a->rules, &probe, a->match_data, &c);
    gboolean is_label = c.line_class == HY_LINE_FIELD_LABEL;
    hy_segment__classified_clear(&c);
    if (!is_label) return FALSE;
    g_autofree char *text = g_strconcat(label, ":", value->line->text, NULL);
    if (!take_assembled_field(a, text, (guint[]){index, index + 1, index + 2}, 3)) return FALSE;
    a->joins[index + 1] = "contact: the rest of a label wrapped in its cell";
    a->joins[index + 2] = "contact: the value of the wrapped label before it";
    return TRUE;
}

/* ---- contact blocks under a header no rule knows ----------------------------- */

/* Whether line @index holds contact values: a field line or a field's label, or a line where
 * a `contact_like` rule finds a phone number, an e-mail address, a postal code or a URL. */
static gboolean contact_like_line(const Assembly *a, guint index)
{
    const HyClassified *c = classified_at(a, index);
    if (c->line_class == HY_LINE_FIELD || c->line_class == HY_LINE_FIELD_LABEL) return TRUE;
    return c->line_class == HY_LINE_TEXT &&
           hy_segment__kind_matches(a->rules, HY_RULE_CONTACT_LIKE, c->line->text, a->match_data);
}

/* What a header looks like, not a caption or a sentence: short, bracketed all round
 * (【連絡窓口】, <窓口>) or ending in ':' (連絡窓口:). Not in round brackets: a department's
 * second line is often that ((旭川市国際交流課内), copy-paste-no-blank-lines.txt). */
static gboolean looks_like_label(const char *text)
{
    static const gunichar opens[] = {'[', '<', 0x3010, 0x3008, 0x300A, 0x226A, 0x300C, 0x300E, 0x3014, 0x3016};
    static const gunichar closes[] = {']', '>', 0x3011, 0x3009, 0x300B, 0x226B, 0x300D, 0x300F, 0x3015, 0x3017};
    glong chars = g_utf8_strlen(text, -1);
    if (chars < 2 || chars > 20 || ends_sentence(text) || strstr(text, "、") != NULL) return FALSE;
    gunichar first = g_utf8_get_char(text);
    gunichar last = g_utf8_get_char(g_utf8_find_prev_char(text, text + strlen(text)));
    if (last == ':') return TRUE;
    for (guint i = 0; i < G_N_ELEMENTS(opens); i++)
        if (first == opens[i] && last == closes[i]) return TRUE;
    return FALSE;
}

/* Lines between a header and the contact values that a known header's block would take
 * as its department (contact_take_text): at most two, short, no sentence. */
#define HY_DEPARTMENT_LINES 2

/* A report that heads its contact block with a label no rule knows (【連絡窓口】 for
 * お問い合わせ先) would otherwise give the header and the department as captions and the
 * fields as a block of their own, without a word. Two or more lines of contact values,
 * each at most one line after the one before, make a contact block; the line right above
 * them, or above the department lines before them, heads it when it looks like a label.
 * Only lines no rule knows qualify: a known header (contact), a heading or an evaluation
 * above the values stops the search. Marks the header in a->contact_header; take_line()
 * starts the block there, with a warning. */
static void mark_unknown_contact_headers(Assembly *a)
{
    guint n = a->classified->len;
    for (guint first = 0; first < n; first++) {
        if (!contact_like_line(a, first)) continue;
        int page = classified_at(a, first)->line->page;
        guint members = 1, last = first;
        for (guint j = first + 1; j < n && j <= last + 2 && classified_at(a, j)->line->page == page; j++)
            if (contact_like_line(a, j)) members++, last = j;
        guint header = G_MAXUINT;
        for (guint back = 1; members >= 2 && back <= HY_DEPARTMENT_LINES + 1 && back <= first; back++) {
            guint h = first - back;
            const HyClassified *c = classified_at(a, h);
            if (c->line_class == HY_LINE_CONTACT) {
                header = G_MAXUINT; /* a known header above: the block is no stranger */
                break;
            }
            if (c->line_class != HY_LINE_TEXT || c->line->page != page || a->label[h] ||
                classified_at(a, h + 1)->line->blank_before > 1)
                break;
            if (header == G_MAXUINT && looks_like_label(c->line->text)) header = h;
            else if (header == G_MAXUINT && (g_utf8_strlen(c->line->text, -1) > 40 || ends_sentence(c->line->text)))
                break;
        }
        if (header != G_MAXUINT) a->contact_header[header] = TRUE;
        first = last;
    }
}

/* A header marked by mark_unknown_contact_headers(): the contact block starts here, as at
 * お問い合わせ先, and the award is told which header was taken for one. */
static void take_unknown_contact_header(Assembly *a, guint index)
{
    const HyLine *line = classified_at(a, index)->line;
    Unit *unit = unit_start(a, UNIT_CONTACT, index);
    unit_add_line(a, unit, index, "contact");
    strings_add(&unit->warnings, g_strdup_printf("line %d: contact-like block under an unknown header %s",
                                                 line->number, line->text));
    a->award_content = TRUE;
    a->mode = MODE_PLAIN;
}

static void take_line(Assembly *a, guint index)
{
    if (a->label[index]) {
        a->fields[index] = "label";
        return;
    }
    if (a->taken[index]) return;
    if (take_section_line(a, index)) return;
    {
        HyLineClass cls = classified_at(a, index)->line_class;
        if (cls == HY_LINE_HEADING || cls == HY_LINE_BULLET || cls == HY_LINE_CONTACT || cls == HY_LINE_FIELD ||
            cls == HY_LINE_AWARDEE)
            a->award_content = TRUE;
    }

    const HyClassified *c = classified_at(a, index);
    Unit *open = a->open;
    if (open != NULL && open->kind == UNIT_HEADING && open->heading_text != NULL &&
        (c->line_class == HY_LINE_TEXT || c->line_class == HY_LINE_HEADING) && c->line->page == open->last_page &&
        open->lines->len < 3) {
        /* 昌寧郡(大韓民 | 国)): a heading wrapped inside its brackets goes on here. */
        g_autofree char *joined = hy_normalize_join(open->heading_text, c->line->text);
        a->joins[index] = "heading: its brackets were still open";
        unit_add_line(a, open, index, "heading");
        heading_set_text(a, open, joined);
        return;
    }
    if (a->contact_header[index]) {
        take_unknown_contact_header(a, index);
        return;
    }
    if (c->line_class != HY_LINE_TEXT && c->line_class != HY_LINE_NOISE && c->line_class != HY_LINE_TITLE)
        a->mode = MODE_PLAIN; /* any structure ends an older-layout section */
    switch (c->line_class) {
    case HY_LINE_TITLE:
        record_title(a, c);
        a->fields[index] = "title";
        return;
    case HY_LINE_NOISE:
        a->fields[index] = "noise";
        return; /* a running header or page number interrupts nothing */
    case HY_LINE_HEADING: {
        const char *name = hy_segment__capture(c, "name");
        Unit *last = a->units->len > 0 ? g_ptr_array_index(a->units, a->units->len - 1) : NULL;
        if ((name == NULL || *name == '\0') && last != NULL && last->kind == UNIT_HEADING && last->name != NULL &&
            (last->partners == NULL || last->partners->len == 0) && last->last_page == c->line->page &&
            g_array_index(last->lines, guint, last->lines->len - 1) + 1 == index) {
            /* A heading wrapped before its (交流先:…): the line before, a heading by its size
             * or by a marker, is the name. */
            g_autofree char *joined = g_strconcat(last->name, c->line->text, NULL);
            a->joins[index] = "heading: (交流先:…) goes on from the heading line before";
            unit_add_line(a, last, index, "heading");
            heading_set_text(a, last, joined);
            return;
        }
        if ((name == NULL || *name == '\0') && open != NULL && open->kind == UNIT_CAPTION &&
            open->lines->len == 1 && g_array_index(open->lines, guint, 0) + 1 == index) {
            /* (交流先:…) on its own line: the line before, taken for a caption, is the name,
             * and a legal form alone on the line before that begins it. */
            open->kind = UNIT_HEADING;
            a->fields[g_array_index(open->lines, guint, 0)] = "heading";
            unit_add_line(a, open, index, "heading");
            g_autofree char *prefix = legal_form_before(a, open);
            g_autofree char *joined =
                g_strconcat(prefix != NULL ? prefix : "", g_ptr_array_index(open->texts, 0), c->line->text, NULL);
            a->joins[index] = "heading: (交流先:…) names the line before as the awardee";
            heading_set_text(a, open, joined);
            return;
        }
        if (name != NULL && *name != '\0' && last != NULL && heading_prefix_before(a, last, index)) {
            const char *prefix = last->kind == UNIT_HEADING ? last->name : g_ptr_array_index(last->texts, 0);
            g_autofree char *joined = g_strconcat(prefix, c->line->text, NULL);
            a->fields[g_array_index(last->lines, guint, 0)] = "heading";
            last->kind = UNIT_HEADING;
            a->joins[index] = "heading: the line before begins the awardee's name";
            unit_add_line(a, last, index, "heading");
            heading_set_text(a, last, joined);
            return;
        }
        Unit *unit = unit_start(a, UNIT_HEADING, index);
        unit_add_line(a, unit, index, "heading");
        heading_set_text(a, unit, c->line->text);
        return;
    }
    case HY_LINE_BULLET: {
        if (nakaguro_continues(a, index)) {
            a->joins[index] = "evaluation: a ・ that goes on with the unfinished sentence";
            bullet_continue(a, open, index, (int)g_utf8_strlen(c->line->text, -1));
            return;
        }
        const char *text = hy_segment__capture(c, "text");
        bullets_add(a, index, text != NULL ? text : c->line->text);
        return;
    }
    case HY_LINE_CONTACT: {
        Unit *unit = unit_start(a, UNIT_CONTACT, index);
        unit_add_line(a, unit, index, "contact");
        const char *rest = hy_segment__capture(c, "rest");
        if (rest != NULL && *rest != '\0') {
            hy_segment__set_contact(&unit->contact, "department", rest);
            unit->last_field = "department";
            a->fields[index] = "contact.department";
        }
        return;
    }
    case HY_LINE_FIELD: {
        Unit *unit = open != NULL && open->kind == UNIT_CONTACT ? open : unit_start(a, UNIT_CONTACT, index);
        unit_add_line(a, unit, index, contact_take_captures(unit, c));
        return;
    }
    case HY_LINE_AWARDEE: {
        Unit *unit = unit_start(a, UNIT_HEADING, index);
        const char *name = hy_segment__capture(c, "name");
        if (name != NULL && *name != '\0') unit->name = g_strdup(name);
        unit_add_line(a, unit, index, unit->name != NULL ? "heading" : "marker");
        a->mode = MODE_NAMES;
        return;
    }
    case HY_LINE_PARTNERS:
        if (open == NULL || open->kind != UNIT_HEADING) open = unit_start(a, UNIT_HEADING, index);
        unit_add_line(a, open, index, "marker");
        a->mode = MODE_NAMES;
        return;
    case HY_LINE_SUMMARY:
        a->open = NULL;
        a->fields[index] = "marker";
        a->mode = MODE_PROSE;
        return;
    case HY_LINE_FIELD_LABEL:
        a->award_content = TRUE;
        if (!take_labelled_value(a, index, FALSE)) take_text_line(a, index);
        return;
    case HY_LINE_DATE:    /* taken by take_section_line() */
    case HY_LINE_PRIZE:
    case HY_LINE_COVER:
    case HY_LINE_LISTING:
    case HY_LINE_AWARDS:
    case HY_LINE_PROGRAMME:
    case HY_LINE_PAST:
        a->fields[index] = "noise";
        return;
    case HY_LINE_TEXT:
    case HY_LINE_N_CLASSES:
        take_text_line(a, index);
        return;
    }
}

/* ---- units -> blocks ----------------------------------------------------- */

static Block *block_new(GPtrArray *blocks)
{
    Block *block = g_new0(Block, 1);
    block->units = g_ptr_array_new();
    g_ptr_array_add(blocks, block);
    return block;
}

static void block_free(Block *block)
{
    g_ptr_array_unref(block->units);
    g_free(block);
}

/* Does the heading name the local government the contact block belongs to? Only a
 * local-government heading can contradict a contact; organizations never do. */
static gboolean heading_fits_contact(const Unit *heading, const Unit *contact)
{
    if (heading->name == NULL) return TRUE;
    g_autofree char *awardee = g_strdup(heading->name);
    char *bracket = strchr(awardee, '(');
    if (bracket != NULL) *bracket = '\0';
    gboolean ambiguous = FALSE;
    const HyLocalGov *gov = NULL;
    gboolean local_gov = hy_segment__prefecture_named(awardee) != NULL ||
                         hy_segment__leading_municipality(awardee, NULL, &gov, &ambiguous) == strlen(awardee);
    if (!local_gov) return TRUE;
    const HyContact *c = &contact->contact;
    return (c->department && strstr(c->department, awardee)) || (c->address && strstr(c->address, awardee)) ||
           (c->department == NULL && c->address == NULL);
}

/* Whether @unit must open a new block rather than join @block. */
static gboolean starts_new_block(const Block *block, const Unit *unit)
{
    if (block->units->len == 0) return FALSE;
    gboolean complete = block->contact != NULL && (block->heading != NULL || block->bullets);
    /* With page breaks known, a finished awardee does not reach onto the next page. */
    if (complete && unit->first_page > block->last_page) return TRUE;
    switch (unit->kind) {
    case UNIT_HEADING:
        if (block->heading != NULL) return TRUE;
        return block->contact != NULL && !heading_fits_contact(unit, block->contact);
    case UNIT_BULLETS:
        return block->bullets && block->contact != NULL;
    case UNIT_CONTACT:
        if (block->contact != NULL) return TRUE;
        return block->heading != NULL && !heading_fits_contact(block->heading, unit);
    case UNIT_CAPTION:
    case UNIT_PROSE:
        break;
    }
    return FALSE;
}

static GPtrArray *group_blocks(GPtrArray *units)
{
    GPtrArray *blocks = g_ptr_array_new_with_free_func((GDestroyNotify)block_free);
    Block *block = NULL;
    for (guint i = 0; i < units->len; i++) {
        Unit *unit = g_ptr_array_index(units, i);
        if (block == NULL || starts_new_block(block, unit)) block = block_new(blocks);
        g_ptr_array_add(block->units, unit);
        block->last_page = MAX(block->last_page, unit->last_page);
        if (unit->kind == UNIT_HEADING) block->heading = unit;
        if (unit->kind == UNIT_CONTACT) block->contact = unit;
        if (unit->kind == UNIT_BULLETS) block->bullets = TRUE;
    }
    return blocks;
}

/* ---- blocks -> awards ---------------------------------------------------- */

static void trace_unit(Assembly *a, const Unit *unit, int award)
{
    if (a->trace == NULL) return;
    for (guint i = 0; i < unit->lines->len; i++) {
        guint line = g_array_index(unit->lines, guint, i);
        HyLineTrace *t = &g_array_index(a->trace, HyLineTrace, line);
        t->award = award;
        t->field = unit->kind == UNIT_PROSE ? "warning" : a->fields[line];
    }
}

static void add_page(GArray *pages, int page)
{
    for (guint i = 0; i < pages->len; i++) {
        int have = g_array_index(pages, int, i);
        if (have == page) return;
        if (have > page) {
            g_array_insert_val(pages, i, page);
            return;
        }
    }
    g_array_append_val(pages, page);
}

/* Longest quote of a line in a warning, in characters: enough to find the line. */
#define HY_WARNING_QUOTE_CHARS 30

/* The field a `contact_like` rule names by its named group (the first, if several). */
static const char *contact_like_field(const HyRule *rule)
{
    int best = -1;
    const char *field = NULL;
    for (guint g = 0; g < rule->n_groups; g++)
        if (best < 0 || rule->group_numbers[g] < best) best = rule->group_numbers[g], field = rule->group_names[g];
    return field;
}

/* A caption or evaluation line that holds a phone number, an e-mail address or a postal code
 * is a contact field the rules did not take for one (or text that quotes one): either way a
 * reviewer should look. A URL is left alone: evaluations may name a site. */
static void warn_contact_like_text(Assembly *a, const Unit *unit, HyAward *award)
{
    static const struct {
        const char *field, *shown;
    } shown_as[] = {{"tel", "phone number"}, {"email", "e-mail"}, {"postal_code", "postal code"}};
    for (guint i = 0; i < unit->lines->len; i++) {
        guint index = g_array_index(unit->lines, guint, i);
        const char *field = a->fields[index];
        if (field == NULL || (strcmp(field, "caption") != 0 && strcmp(field, "evaluation") != 0)) continue;
        const HyLine *line = classified_at(a, index)->line;
        const HyRule *rule = hy_segment__kind_match(a->rules, HY_RULE_CONTACT_LIKE, line->text, a->match_data);
        const char *value = rule != NULL ? contact_like_field(rule) : NULL;
        const char *shown = NULL;
        for (guint k = 0; value != NULL && k < G_N_ELEMENTS(shown_as); k++)
            if (strcmp(value, shown_as[k].field) == 0) shown = shown_as[k].shown;
        if (shown == NULL) continue;
        glong chars = g_utf8_strlen(line->text, -1);
        g_autofree char *quote = g_utf8_substring(line->text, 0, MIN(chars, HY_WARNING_QUOTE_CHARS));
        g_ptr_array_add(award->warnings, g_strdup_printf("line %d: %s looks like a contact field (%s): %s%s",
                                                         line->number, field, shown, quote,
                                                         chars > HY_WARNING_QUOTE_CHARS ? "…" : ""));
    }
}

static HyAward *award_from_block(Assembly *a, const Block *block, int index)
{
    HyAward *award = hy_award_new();
    /* The award takes its block's values instead of copies: a unit is in one block, and
     * the units are freed once the awards are made. The contact's values are cleaned. */
    if (block->contact != NULL) {
        award->contact = block->contact->contact;
        memset(&block->contact->contact, 0, sizeof block->contact->contact);
    }
    for (guint i = 0; i < block->units->len; i++) {
        Unit *unit = g_ptr_array_index(block->units, i);
        for (guint l = 0; l < unit->lines->len; l++)
            add_page(award->pages, classified_at(a, g_array_index(unit->lines, guint, l))->line->page);
        trace_unit(a, unit, index);
        for (guint w = 0; unit->warnings != NULL && w < unit->warnings->len; w++)
            g_ptr_array_add(award->warnings, g_steal_pointer(&unit->warnings->pdata[w]));
        switch (unit->kind) {
        case UNIT_HEADING:
        case UNIT_CONTACT:
            break;
        case UNIT_BULLETS:
            for (guint t = 0; t < unit->texts->len; t++)
                g_ptr_array_add(award->evaluations, g_steal_pointer(&unit->texts->pdata[t]));
            warn_contact_like_text(a, unit, award);
            break;
        case UNIT_CAPTION:
            g_ptr_array_add(award->captions, g_steal_pointer(&unit->texts->pdata[0]));
            warn_contact_like_text(a, unit, award);
            break;
        case UNIT_PROSE:
            g_ptr_array_add(award->warnings,
                            g_strdup_printf("unattached text on page %d: %s", unit->first_page,
                                            (const char *)g_ptr_array_index(unit->texts, 0)));
            break;
        }
    }
    if (block->heading != NULL && block->heading->name != NULL) {
        const Unit *heading = block->heading;
        g_autofree char *partners = NULL;
        if (heading->partners != NULL && heading->partners->len > 0) {
            g_ptr_array_add(heading->partners, NULL);
            partners = g_strjoinv("、", (char **)heading->partners->pdata);
            g_ptr_array_remove_index(heading->partners, heading->partners->len - 1);
        }
        g_autofree char *hint = hy_segment__parse_heading(award, heading->name, partners);
        hy_segment__resolve_awardee(award, hint);
    } else {
        hy_segment__infer_awardee(award);
    }
    /* The prize: the label in force where the block's heading (else its first part) began,
     * else the one the title names. */
    const Unit *first = block->heading != NULL ? block->heading : g_ptr_array_index(block->units, 0);
    const char *prize = first->prize != NULL ? first->prize : a->title_category;
    award->category = g_strdup(prize);
    if (block->contact == NULL) g_ptr_array_add(award->warnings, g_strdup("no contact block found"));
    if (award->evaluations->len == 0) g_ptr_array_add(award->warnings, g_strdup("no evaluations found"));
    return award;
}

/* The size most body lines are set in; 0 for text input. */
static double body_font_size(GPtrArray *lines)
{
    g_autoptr(GHashTable) counts = g_hash_table_new(g_direct_hash, g_direct_equal);
    int best = 0, best_count = 0;
    for (guint i = 0; i < lines->len; i++) {
        const HyLine *line = g_ptr_array_index(lines, i);
        if (line->font_size <= 0) continue;
        int key = (int)(line->font_size * 10 + 0.5);
        int count = GPOINTER_TO_INT(g_hash_table_lookup(counts, GINT_TO_POINTER(key))) + 1;
        g_hash_table_insert(counts, GINT_TO_POINTER(key), GINT_TO_POINTER(count));
        if (count > best_count) best = key, best_count = count;
    }
    return best / 10.0;
}

/* Text with neither a heading nor a contact block names no awardee: it is no award
 * (a cover page, an introduction, a document that is no award report), so its text goes
 * to the document's warnings instead. */
static void drop_anonymous_blocks(Assembly *a, GPtrArray *blocks)
{
    for (guint b = 0; b < blocks->len;) {
        const Block *block = g_ptr_array_index(blocks, b);
        if (block->heading != NULL || block->contact != NULL) {
            b++;
            continue;
        }
        for (guint u = 0; u < block->units->len; u++) {
            const Unit *unit = g_ptr_array_index(block->units, u);
            for (guint t = 0; t < unit->texts->len; t++)
                g_ptr_array_add(a->report->warnings,
                                g_strdup_printf("unattached text on page %d: %s", unit->first_page,
                                                (const char *)g_ptr_array_index(unit->texts, t)));
            for (guint i = 0; i < unit->lines->len; i++)
                a->fields[g_array_index(unit->lines, guint, i)] = "warning";
        }
        g_ptr_array_remove_index(blocks, b);
    }
}

/* A report may list its awardees before their pages (受賞団体: one heading after
 * another). Such a heading, alone in its block while a later block carries the same
 * awardee with content, is a list entry, not an award: it is dropped, and said so. */
static void drop_listed_headings(Assembly *a, GPtrArray *blocks)
{
    for (guint b = 0; b < blocks->len;) {
        const Block *block = g_ptr_array_index(blocks, b);
        const Unit *heading = block->heading;
        gboolean alone = block->units->len == 1 && heading != NULL && heading->name != NULL;
        gboolean recurs = FALSE;
        for (guint o = b + 1; alone && o < blocks->len && !recurs; o++) {
            const Block *other = g_ptr_array_index(blocks, o);
            recurs = other->units->len > 1 && other->heading != NULL && other->heading->name != NULL &&
                     strcmp(other->heading->name, heading->name) == 0;
        }
        if (!recurs) {
            b++;
            continue;
        }
        g_ptr_array_add(a->report->warnings,
                        g_strdup_printf("page %d: heading %s listed again later with its content; the listing "
                                        "is not an award",
                                        heading->first_page, heading->name));
        for (guint i = 0; i < heading->lines->len; i++)
            a->fields[g_array_index(heading->lines, guint, i)] = "warning";
        g_ptr_array_remove_index(blocks, b);
    }
}

static void drop_nameless_award(Assembly *a, const Block *block, HyAward *award)
{
    for (guint u = 0; u < block->units->len; u++) {
        const Unit *unit = g_ptr_array_index(block->units, u);
        for (guint i = 0; i < unit->lines->len; i++) {
            guint line = g_array_index(unit->lines, guint, i);
            const HyLine *l = classified_at(a, line)->line;
            g_ptr_array_add(a->report->warnings,
                            g_strdup_printf("text of no awardee on page %d: %s", l->page, l->text));
            if (a->trace != NULL) {
                HyLineTrace *t = &g_array_index(a->trace, HyLineTrace, line);
                t->award = -1;
                t->field = "warning";
            }
        }
    }
    hy_award_free(award);
}

/* Whether @listed (a name on the cover's list) and @name (an award's) are one awardee:
 * the same, or one holding the other (a list may shorten a long name or add its legal form). */
static gboolean same_awardee(const char *listed, const char *name)
{
    return strcmp(listed, name) == 0 || strstr(listed, name) != NULL || strstr(name, listed) != NULL;
}

/* Whether @name is one of @names (char*): exactly, or, when few enough pairs are left to
 * compare (a hostile list must not cost names x awards comparisons), as same_awardee(). */
static gboolean named_among(const char *name, GHashTable *exact, GPtrArray *names, gboolean loose)
{
    if (g_hash_table_contains(exact, name)) return TRUE;
    for (guint i = 0; loose && i < names->len; i++)
        if (same_awardee(g_ptr_array_index(names, i), name)) return TRUE;
    return FALSE;
}

/* A document with both a list of awardees and award blocks: each listed name without a
 * block, and each block not on the list, is named in the document's warnings. */
static void cross_check_listing(HyReport *report)
{
    GPtrArray *listed = report->listed_awardees;
    if (listed->len == 0 || report->awards->len == 0) return;
    g_autoptr(GPtrArray) awarded = g_ptr_array_new();
    g_autoptr(GHashTable) listed_set = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GHashTable) awarded_set = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint k = 0; k < report->awards->len; k++) {
        char *name = ((HyAward *)g_ptr_array_index(report->awards, k))->awardee.name;
        g_ptr_array_add(awarded, name);
        g_hash_table_add(awarded_set, name);
    }
    for (guint i = 0; i < listed->len; i++) g_hash_table_add(listed_set, g_ptr_array_index(listed, i));
    gboolean loose = (guint64)listed->len * awarded->len <= 100000;
    for (guint i = 0; i < listed->len; i++) {
        const char *name = g_ptr_array_index(listed, i);
        if (!named_among(name, awarded_set, awarded, loose))
            g_ptr_array_add(report->warnings, g_strdup_printf("listed on the cover but no award block: %s", name));
    }
    for (guint k = 0; k < awarded->len; k++) {
        const char *name = g_ptr_array_index(awarded, k);
        if (!named_among(name, listed_set, listed, loose))
            g_ptr_array_add(report->warnings, g_strdup_printf("award block not listed on the cover: %s", name));
    }
}

/* Lines [from, to) of @lines classified into @classified (preallocated), on the
 * calling thread with match data of its own. Stops at the first line that is not
 * valid UTF-8 and records its index in @invalid (G_MAXUINT for none). */
typedef struct {
    const HyRules *rules;
    GPtrArray *lines;
    HyClassified *classified;
    guint from, to;
    guint invalid;
} ClassifyShare;

static gpointer classify_share(gpointer data)
{
    ClassifyShare *share = data;
    pcre2_match_data *match_data = hy_segment__match_data_new(share->rules);
    share->invalid = G_MAXUINT;
    for (guint i = share->from; i < share->to; i++) {
        const HyLine *line = g_ptr_array_index(share->lines, i);
        if (line->text == NULL || !g_utf8_validate(line->text, -1, NULL)) {
            share->invalid = i;
            break;
        }
        hy_segment__classify(share->rules, line, match_data, &share->classified[i]);
    }
    pcre2_match_data_free(match_data);
    return NULL;
}

/* Fewer lines than this a thread are classified on one: starting a thread and its
 * match data costs about what classifying a few hundred lines does. */
#define HY_CLASSIFY_LINES_PER_THREAD 1000

/* Classifies every line into a->classified; FALSE with an error naming the first line
 * that is not valid UTF-8. Lines are independent, so shares of them go to threads;
 * each writes its own slots, and the result is the same for any number of threads. */
static gboolean classify_lines(Assembly *a, GPtrArray *lines, int threads, GError **error)
{
    guint n = lines->len;
    g_array_set_size(a->classified, n);
    HyClassified *slots = (HyClassified *)(void *)a->classified->data;
    guint wanted = threads > 0 ? (guint)threads : g_get_num_processors();
    guint n_shares = CLAMP(n / HY_CLASSIFY_LINES_PER_THREAD, 1, MIN(wanted, 64));
    ClassifyShare shares[64];
    GThread *workers[64] = {NULL};
    for (guint s = 0; s < n_shares; s++) {
        shares[s] = (ClassifyShare){.rules = a->rules, .lines = lines, .classified = slots,
                                    .from = (guint)((guint64)n * s / n_shares),
                                    .to = (guint)((guint64)n * (s + 1) / n_shares)};
        if (s > 0) workers[s] = g_thread_try_new("hy-classify", classify_share, &shares[s], NULL);
    }
    for (guint s = 0; s < n_shares; s++) { /* this thread takes the first share, and any a thread could not */
        if (workers[s] != NULL) g_thread_join(workers[s]);
        else classify_share(&shares[s]);
    }
    for (guint s = 0; s < n_shares; s++) {
        if (shares[s].invalid == G_MAXUINT) continue;
        const HyLine *line = g_ptr_array_index(lines, shares[s].invalid);
        g_set_error(error, HY_SEGMENT_ERROR, HY_SEGMENT_ERROR_INPUT, "line %d is not normalized UTF-8",
                    line->number);
        return FALSE;
    }
    return TRUE;
}

HyReport *hy_segment_lines(const HyRules *rules, GPtrArray *lines, GArray **trace, GError **error)
{
    return hy_segment_lines_parallel(rules, lines, 1, trace, error);
}

HyReport *hy_segment_lines_parallel(const HyRules *rules, GPtrArray *lines, int threads, GArray **trace,
                                    GError **error)
{
    g_return_val_if_fail(rules != NULL && lines != NULL, NULL);
    g_autoptr(HyReport) report = hy_report_new();
    /* Rules that lack a kind read every report the worse: each record made with them says so. */
    g_autofree char *rules_file = g_path_get_basename(hy_rules_name(rules));
    for (guint i = 0; i < rules->warnings->len; i++)
        g_ptr_array_add(report->warnings, g_strdup_printf("rules %s: %s", rules_file,
                                                          (const char *)g_ptr_array_index(rules->warnings, i)));

    Assembly a = {.rules = rules, .report = report};
    a.classified = g_array_sized_new(FALSE, TRUE, sizeof(HyClassified), lines->len);
    g_array_set_clear_func(a.classified, (GDestroyNotify)hy_segment__classified_clear);
    if (!classify_lines(&a, lines, threads, error)) {
        g_array_unref(a.classified);
        return NULL;
    }
    a.units = g_ptr_array_new_with_free_func((GDestroyNotify)unit_free);
    a.fields = g_new0(const char *, lines->len + 1);
    a.joins = g_new0(const char *, lines->len + 1);
    a.label = g_new0(gboolean, lines->len + 1);
    a.contact_header = g_new0(gboolean, lines->len + 1);
    a.taken = g_new0(gboolean, lines->len + 1);
    a.prizes = g_ptr_array_new_with_free_func(g_free);
    mark_vertical_labels(&a);
    a.body_size = body_font_size(lines);
    if (trace != NULL) {
        a.trace = g_array_sized_new(FALSE, TRUE, sizeof(HyLineTrace), lines->len);
        for (guint i = 0; i < a.classified->len; i++) {
            const HyClassified *c = classified_at(&a, i);
            HyLineTrace t = {.line = c->line, .line_class = c->line_class, .rule = c->rule ? c->rule->name : NULL,
                             .award = -1};
            g_array_append_val(a.trace, t);
        }
    }

    pcre2_match_data *match_data = hy_segment__match_data_new(rules);
    a.match_data = match_data;
    mark_unknown_contact_headers(&a);
    for (guint i = 0; i < a.classified->len; i++) {
        take_line(&a, i);
        /* A line's captures are read while it is taken and, ahead of it, while the line
         * before is; never later. Released now, their memory serves the units and awards. */
        hy_segment__classified_clear(&g_array_index(a.classified, HyClassified, i));
    }
    for (guint i = 0; a.trace != NULL && i < a.trace->len; i++) {
        g_array_index(a.trace, HyLineTrace, i).field = a.fields[i];
        g_array_index(a.trace, HyLineTrace, i).joined = a.joins[i];
    }

    g_autoptr(GPtrArray) blocks = group_blocks(a.units);
    drop_listed_headings(&a, blocks);
    drop_anonymous_blocks(&a, blocks);
    for (guint b = 0; b < blocks->len; b++) {
        const Block *block = g_ptr_array_index(blocks, b);
        HyAward *award = award_from_block(&a, block, (int)report->awards->len);
        if (award->awardee.name != NULL && *award->awardee.name != '\0') {
            g_ptr_array_add(report->awards, award);
            continue;
        }
        /* An award has a name: a block that gives none (no heading, a contact naming no one)
         * is no award, and its text is said in the warnings. */
        drop_nameless_award(&a, block, award);
    }
    pcre2_match_data_free(match_data);
    if (report->awards->len == 0) g_ptr_array_add(report->warnings, g_strdup("no awardee blocks found"));
    else report->sections |= HY_SECTION_AWARDS;
    /* A date alone makes no cover (minutes are dated too); a list of awardees does. */
    if (report->listed_awardees->len > 0) report->sections |= HY_SECTION_COVER;
    if (report->year == 0) report->year = hy_segment__fiscal_year(report->date);
    cross_check_listing(report);

    g_ptr_array_unref(a.prizes);
    g_free(a.title_category);
    g_free(a.label);
    g_free(a.contact_header);
    g_free(a.taken);
    g_ptr_array_unref(a.units);
    g_array_unref(a.classified);
    g_free(a.fields);
    g_free(a.joins);
    if (trace != NULL) *trace = a.trace;
    return g_steal_pointer(&report);
}
