/* segment_cues.c -- what a line's text and layout say, asked by the files that take
 * lines into units: a sentence's end, a caption wrapped or two captions on one line, a
 * bullet whose glyph was lost, a heading known by its type size. And two marks made over
 * all lines before any is taken: the characters of vertical margin labels, and the headers
 * of contact blocks no rule knows. Nothing here changes a unit. */
#include "segment_private.h"

#include <math.h>
#include <string.h>

/* ---- text and layout of a line -------------------------------------------- */

/* 。 . ! ? possibly followed by closing brackets: the end of an evaluation. */
gboolean hy_segment__ends_sentence(const char *text)
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
const char *hy_segment__caption_continues(const HyAssembly *a, const HyLine *prev, const HyLine *line)
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
 * four characters each (digits may stand inside a run, not at its start), or -1.
 * Extractors that keep content-stream order put two captions set side by side on one
 * line with one space between them
 * (「富山ファン倶楽部里帰りツアー 富山県と遼寧省との」); normalization removes that
 * space, so the raw line is where the seam can still be seen. */
gssize hy_segment__caption_seam(const char *raw)
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

/* Two captions an extractor put on one line (see hy_segment__caption_seam), not a
 * sentence: no 、 or 。 */
gboolean hy_segment__captions_side_by_side(const HyLine *line)
{
    return g_utf8_strlen(line->text, -1) <= HY_CAPTION_MAX_CHARS && hy_segment__caption_seam(line->raw) > 0 &&
           strstr(line->text, "、") == NULL && strstr(line->text, "。") == NULL;
}

/* Indented further than the next line: with positions, by x; in text, by columns. */
gboolean hy_segment__indented_before(const HyLine *line, const HyLine *next)
{
    if (next == NULL || next->page != line->page) return FALSE;
    if (line->font_size > 0 && next->font_size > 0) return line->x > next->x + 0.5 * line->font_size;
    return line->indent > next->indent;
}

/* With positions: @line stands above the first line of @unit on its page (a unit's later
 * lines are never above its first). */
gboolean hy_segment__set_above(const HyAssembly *a, const HyUnit *unit, const HyLine *line)
{
    const HyLine *first = hy_segment__line_at(a, g_array_index(unit->lines, guint, 0));
    if (line->font_size <= 0 || first->font_size <= 0 || line->page != first->page) return FALSE;
    return line->y + 0.5 * line->font_size < first->y;
}

/* A bullet whose glyph the extractor lost: the first line of a paragraph still set in
 * from the lines that continue it (only a leading space or the indentation remains),
 * full-length, and standing where a bullet may start. */
gboolean hy_segment__lost_glyph_bullet(const HyAssembly *a, guint index)
{
    const HyLine *line = hy_segment__line_at(a, index);
    if (index + 1 >= a->classified->len) return FALSE;
    const HyClassified *next = hy_segment__classified_at(a, index + 1);
    if (next->line_class != HY_LINE_TEXT || !hy_segment__indented_before(line, next->line)) return FALSE;
    int chars = (int)g_utf8_strlen(line->text, -1);
    if (chars < 20 || hy_segment__ends_sentence(line->text)) return FALSE;
    /* Captions are set smaller than the body; a bullet's text starts a glyph's width or
     * two in from its continuation, not across the page. */
    if (a->body_size > 0 && line->font_size > 0 && line->font_size < 0.95 * a->body_size) return FALSE;
    if (line->font_size > 0 && next->line->font_size > 0 && line->x - next->line->x > 4 * line->font_size)
        return FALSE;
    const HyUnit *open = a->open;
    return open == NULL || open->kind != HY_UNIT_BULLETS || !open->bullet_open;
}

/* A line starting with ・ that goes on with the open evaluation's sentence (防災 | ・減災
 * broken before the ・): the evaluation has not ended, and the line sits at the
 * continuation indent (with positions, set in from the evaluation's glyph) or follows a
 * full-width line (a line broken by the width, not by the writer). */
gboolean hy_segment__nakaguro_continues(const HyAssembly *a, guint index)
{
    const HyUnit *open = a->open;
    const HyLine *line = hy_segment__line_at(a, index);
    if (open == NULL || open->kind != HY_UNIT_BULLETS || open->paragraphs || !open->bullet_open) return FALSE;
    if (g_utf8_get_char(line->text) != 0x30FB /* ・ */) return FALSE;
    const HyLine *prev = hy_segment__line_at(a, hy_segment__unit_last_line(open));
    if (prev->page != line->page || line->blank_before > 1) return FALSE;
    if (line->font_size > 0 && open->bullet_x > 0 && line->x > open->bullet_x + 0.5 * line->font_size) return TRUE;
    int prev_chars = (int)g_utf8_strlen(prev->text, -1);
    return open->bullet_longest >= 15 && prev_chars * 100 >= open->bullet_longest * 85;
}

/* Set clearly larger than the body text, short, and no sentence: a heading whose
 * 交流先 part is missing, recognised by its type as a reader would. */
gboolean hy_segment__heading_by_size(const HyAssembly *a, const HyLine *line)
{
    if (a->body_size <= 0 || line->font_size < 1.25 * a->body_size) return FALSE;
    return g_utf8_strlen(line->text, -1) <= 40 && !hy_segment__ends_sentence(line->text);
}

/* The one-line unit @last, just before heading line @index, begins that heading's name:
 * a legal form on its own line (the rules' `name_prefix`), or a line set at the heading's
 * size right above it that is no heading of its own (it names no partners). */
gboolean hy_segment__heading_prefix_before(const HyAssembly *a, const HyUnit *last, guint index)
{
    if (last->lines->len != 1 || g_array_index(last->lines, guint, 0) + 1 != index) return FALSE;
    const HyLine *line = hy_segment__line_at(a, index);
    const HyLine *prev = hy_segment__line_at(a, index - 1);
    if (prev->page != line->page) return FALSE;
    const char *text;
    if (last->kind == HY_UNIT_CAPTION) text = g_ptr_array_index(last->texts, 0);
    else if (last->kind == HY_UNIT_HEADING && last->name != NULL && (last->partners == NULL || last->partners->len == 0))
        text = last->name;
    else return FALSE;
    if (hy_segment__kind_matches(a->rules, HY_RULE_NAME_PREFIX, text, a->match_data)) return TRUE;
    return last->kind == HY_UNIT_HEADING && prev->font_size > 0 && fabs(prev->font_size - line->font_size) < 0.5 &&
           line->y - prev->y < 1.8 * line->font_size;
}

/* Lines from @index on that read as one paragraph of body text ending in a sentence
 * end: the evaluations of a layout whose bullet glyphs were lost. Captions are short,
 * set smaller and do not end in 。. Returns the paragraph's line count, or 0. */
guint hy_segment__paragraph_ahead(const HyAssembly *a, guint index)
{
    const HyLine *first = hy_segment__line_at(a, index);
    if (a->body_size > 0 && first->font_size < 0.95 * a->body_size) return 0;
    int chars = 0;
    for (guint i = index; i < a->classified->len && i < index + 12; i++) {
        const HyClassified *c = hy_segment__classified_at(a, i);
        if (c->line_class == HY_LINE_NOISE || c->line_class == HY_LINE_TITLE) continue;
        if (c->line_class != HY_LINE_TEXT || fabs(c->line->font_size - first->font_size) > 0.5) return 0;
        chars += (int)g_utf8_strlen(c->line->text, -1);
        if (hy_segment__ends_sentence(c->line->text)) return chars >= 30 ? i - index + 1 : 0;
    }
    return 0;
}

/* ---- marks over all lines, made before any line is taken ------------------- */

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

void hy_segment__mark_vertical_labels(HyAssembly *a)
{
    guint n = a->classified->len;
    for (guint i = 0; i < n;) {
        guint j = i;
        while (j < n && one_character(hy_segment__line_at(a, j)) &&
               hy_segment__line_at(a, j)->page == hy_segment__line_at(a, i)->page)
            j++;
        if (j - i >= 3)
            for (guint k = i; k < j; k++) a->label[k] = TRUE;
        i = j > i ? j : i + 1;
    }
    /* With positions: a page's one-character lines sorted by x, runs of one column. */
    g_autoptr(GPtrArray) column = g_ptr_array_new();
    g_autoptr(GHashTable) index_of = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (guint start = 0; start < n;) {
        int page = hy_segment__line_at(a, start)->page;
        guint end = start;
        g_ptr_array_set_size(column, 0);
        for (; end < n && hy_segment__line_at(a, end)->page == page; end++) {
            const HyLine *line = hy_segment__line_at(a, end);
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

/* Whether line @index holds contact values: a field line or a field's label, or a line where
 * a `contact_like` rule finds a phone number, an e-mail address, a postal code or a URL. */
gboolean hy_segment__contact_like_text(HyAssembly *a, guint index)
{
    if (a->contact_like[index] == 0)
        a->contact_like[index] = 1 + hy_segment__kind_matches(a->rules, HY_RULE_CONTACT_LIKE,
                                                              hy_segment__line_at(a, index)->text, a->match_data);
    return a->contact_like[index] == 2;
}

static gboolean contact_like_line(HyAssembly *a, guint index)
{
    const HyClassified *c = hy_segment__classified_at(a, index);
    if (c->line_class == HY_LINE_FIELD || c->line_class == HY_LINE_FIELD_LABEL) return TRUE;
    return c->line_class == HY_LINE_TEXT && hy_segment__contact_like_text(a, index);
}

/* Brackets a label may stand in (【連絡窓口】, <窓口>, 〈担当〉, 《問合せ》, ≪窓口≫, 〔窓口〕, 〖窓口〗, [窓口]).
 * Not round brackets: a department's second line is often that ((旭川市国際交流課内),
 * copy-paste-no-blank-lines.txt); nor 「」, which quotes. */
static const gunichar label_opens[] = {'[', '<', 0x3010, 0x3008, 0x300A, 0x226A, 0x3014, 0x3016};
static const gunichar label_closes[] = {']', '>', 0x3011, 0x3009, 0x300B, 0x226B, 0x3015, 0x3017};

gsize hy_segment__leading_label(const char *text)
{
    gunichar first = g_utf8_get_char(text);
    for (guint i = 0; i < G_N_ELEMENTS(label_opens); i++) {
        if (first != label_opens[i]) continue;
        const char *p = g_utf8_next_char(text);
        for (int chars = 0; *p != '\0' && chars <= 12; p = g_utf8_next_char(p), chars++)
            if (g_utf8_get_char(p) == label_closes[i])
                return chars >= 1 ? (gsize)(g_utf8_next_char(p) - text) : 0;
        return 0;
    }
    return 0;
}

/* What a header looks like, not a caption or a sentence: short, bracketed all round
 * (【連絡窓口】, <窓口>) or ending in ':' (連絡窓口:). Not in round brackets: a department's
 * second line is often that ((旭川市国際交流課内), copy-paste-no-blank-lines.txt). */
static gboolean looks_like_label(const char *text)
{
    glong chars = g_utf8_strlen(text, -1);
    if (chars < 2 || chars > 20 || hy_segment__ends_sentence(text) || strstr(text, "、") != NULL) return FALSE;
    gunichar last = g_utf8_get_char(g_utf8_find_prev_char(text, text + strlen(text)));
    if (last == ':') return TRUE;
    return hy_segment__leading_label(text) == strlen(text);
}

/* A label with the department after it on one line (【連絡窓口】富山県国際課): the label
 * heads the block and the rest is its department, as after お問い合わせ先. */
static gboolean label_then_department(const char *text)
{
    gsize label = hy_segment__leading_label(text);
    if (label == 0 || text[label] == '\0') return FALSE;
    const char *rest = text + label;
    return g_utf8_strlen(rest, -1) <= 40 && !hy_segment__ends_sentence(rest) && strstr(rest, "、") == NULL;
}

/* Line @index, right above a block of contact values with no header, is its department:
 * a line no rule knows, on the same page, set right above, and named as a department is
 * (the `department_like` rules: 国際課, 交流センター). */
static gboolean headerless_department(HyAssembly *a, guint index, int page)
{
    const HyClassified *c = hy_segment__classified_at(a, index);
    return c->line_class == HY_LINE_TEXT && c->line->page == page && !a->label[index] &&
           hy_segment__line_at(a, index + 1)->blank_before <= 1 &&
           hy_segment__kind_matches(a->rules, HY_RULE_DEPARTMENT_LIKE, c->line->text, a->match_data);
}

/* Lines between a header and the contact values that a known header's block would take
 * as its department (hy_segment__contact_take_text): at most two, short, no sentence. */
#define HY_DEPARTMENT_LINES 2

/* A report that heads its contact block with a label no rule knows (【連絡窓口】 for
 * お問い合わせ先) would otherwise give the header and the department as captions and the
 * fields as a block of their own, without a word. Two or more lines of contact values,
 * each at most one line after the one before, make a contact block; the line right above
 * them, or above the department lines before them, heads it when it looks like a label.
 * Only lines no rule knows qualify: a known header (contact), a heading or an evaluation
 * above the values stops the search. Marks the header in a->contact_header;
 * hy_segment__take_unknown_contact_header() starts the block there, with a warning. */
void hy_segment__mark_unknown_contact_headers(HyAssembly *a)
{
    guint n = a->classified->len;
    for (guint first = 0; first < n; first++) {
        if (!contact_like_line(a, first)) continue;
        int page = hy_segment__line_at(a, first)->page;
        guint members = 1, last = first;
        for (guint j = first + 1; j < n && j <= last + 2 && hy_segment__line_at(a, j)->page == page; j++)
            if (contact_like_line(a, j)) members++, last = j;
        guint header = G_MAXUINT;
        gboolean known = FALSE;
        for (guint back = 1; members >= 2 && back <= HY_DEPARTMENT_LINES + 1 && back <= first; back++) {
            guint h = first - back;
            const HyClassified *c = hy_segment__classified_at(a, h);
            if (c->line_class == HY_LINE_CONTACT) {
                header = G_MAXUINT; /* a known header above: the block is no stranger */
                known = TRUE;
                break;
            }
            if (c->line_class != HY_LINE_TEXT || c->line->page != page || a->label[h] ||
                hy_segment__line_at(a, h + 1)->blank_before > 1)
                break;
            if (header == G_MAXUINT && (looks_like_label(c->line->text) || label_then_department(c->line->text)))
                header = h;
            else if (header == G_MAXUINT &&
                     (g_utf8_strlen(c->line->text, -1) > 40 || hy_segment__ends_sentence(c->line->text)))
                break;
        }
        if (header != G_MAXUINT) a->contact_header[header] = HY_UNKNOWN_HEADER_LABEL;
        else if (!known && members >= 2 && first >= 1 && headerless_department(a, first - 1, page))
            a->contact_header[first - 1] = HY_UNKNOWN_HEADER_DEPARTMENT;
        first = last;
    }
}

/* The size most body lines are set in; 0 for text input. */
double hy_segment__body_font_size(GPtrArray *lines)
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
