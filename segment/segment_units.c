/* segment_units.c -- classified lines -> units, in reading order: each line is taken by
 * the unit it continues (a wrapped heading, an evaluation's next line, a caption's second
 * line) or starts one (heading, bullets, contact block, caption, prose). What a line's text
 * and layout say is asked of segment_cues.c; contact lines are segment_contact.c's, and the
 * lines that mark a release's parts segment_release.c's. Units become awards in
 * segment_awards.c. */
#include "segment_private.h"

#include <string.h>

/* ---- units ---------------------------------------------------------------- */

void hy_segment__unit_free(HyUnit *unit)
{
    g_array_unref(unit->lines);
    g_ptr_array_unref(unit->texts);
    if (unit->partners != NULL) g_ptr_array_unref(unit->partners);
    g_free(unit->name);
    g_free(unit->heading_text);
    if (unit->warnings != NULL) g_ptr_array_unref(unit->warnings);
    hy_segment__contact_clear(&unit->contact);
    g_free(unit);
}

HyUnit *hy_segment__unit_start(HyAssembly *a, HyUnitKind kind, guint line_index)
{
    HyUnit *unit = g_new0(HyUnit, 1);
    unit->kind = kind;
    unit->lines = g_array_new(FALSE, FALSE, sizeof(guint));
    /* room for one text (most units have one); partners and warnings come when needed:
     * a document has a unit every few lines, kept to its end */
    unit->texts = g_ptr_array_new_full(1, g_free);
    unit->first_page = unit->last_page = hy_segment__line_at(a, line_index)->page;
    unit->prize = a->prize;
    g_ptr_array_add(a->units, unit);
    a->open = unit;
    return unit;
}

/* Adds @text (transfer full) to *@strings, making the array on the first. */
void hy_segment__strings_add(GPtrArray **strings, char *text)
{
    if (*strings == NULL) *strings = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(*strings, text);
}

void hy_segment__unit_add_line(HyAssembly *a, HyUnit *unit, guint line_index, const char *field)
{
    a->fields[line_index] = field;
    g_array_append_val(unit->lines, line_index);
    unit->last_page = MAX(unit->last_page, hy_segment__line_at(a, line_index)->page);
}

/* Appends @text to the last text of @unit as a wrapped continuation. */
static void unit_join_last(HyUnit *unit, const char *text)
{
    guint last = unit->texts->len - 1;
    char *joined = hy_normalize_join(g_ptr_array_index(unit->texts, last), text);
    g_free(g_ptr_array_index(unit->texts, last));
    g_ptr_array_index(unit->texts, last) = joined;
}

/* ---- evaluations and the older layout's paragraphs and names --------------- */

static void bullets_add(HyAssembly *a, guint index, const char *text)
{
    HyUnit *open = a->open;
    HyUnit *unit = open != NULL && open->kind == HY_UNIT_BULLETS && !open->paragraphs
                     ? open
                     : hy_segment__unit_start(a, HY_UNIT_BULLETS, index);
    const HyLine *line = hy_segment__line_at(a, index);
    g_ptr_array_add(unit->texts, g_strdup(text));
    hy_segment__unit_add_line(a, unit, index, "evaluation");
    unit->bullet_lines = 1;
    unit->bullet_x = line->x;
    unit->bullet_open = !hy_segment__ends_sentence(line->text);
    unit->bullet_longest = MAX(unit->bullet_longest, (int)g_utf8_strlen(line->text, -1));
}

/* Older layout, <姉妹交流の概要>: a paragraph ends at a sentence end on a line clearly
 * shorter than the text width, or where the next line is set in. */
static void take_prose_line(HyAssembly *a, guint index)
{
    const HyLine *line = hy_segment__line_at(a, index);
    int chars = (int)g_utf8_strlen(line->text, -1);
    HyUnit *open = a->open;
    if (open == NULL || open->kind != HY_UNIT_BULLETS || !open->paragraphs) {
        open = hy_segment__unit_start(a, HY_UNIT_BULLETS, index);
        open->paragraphs = TRUE;
    }
    if (open->texts->len > 0 && open->bullet_open) {
        a->joins[index] = "paragraph: the line before did not end it";
        unit_join_last(open, line->text);
    }
    else g_ptr_array_add(open->texts, g_strdup(line->text));
    hy_segment__unit_add_line(a, open, index, "evaluation");
    open->bullet_longest = MAX(open->bullet_longest, chars);
    const HyLine *next = index + 1 < a->classified->len ? hy_segment__line_at(a, index + 1) : NULL;
    gboolean short_line = chars * 10 < open->bullet_longest * 9;
    gboolean next_indented = next != NULL && next->page == line->page && hy_segment__indented_before(next, line);
    /* With positions, a gap above the next line is a paragraph break too (office software
     * spaces paragraphs; text extractors' blank lines are not that reliable). */
    gboolean next_apart = next != NULL && next->page == line->page && next->font_size > 0 && next->blank_before > 0;
    open->bullet_open =
        !(hy_segment__ends_sentence(line->text) && (short_line || next_indented || next_apart)) && !next_indented;
}

/* Older layout, after ○受賞団体 and <姉妹提携の相手方>: the first name line is the
 * awardee (当別町(北海道)), the following ones its partners (レクサンド市(スウェーデン王国)). */
static void take_name_line(HyAssembly *a, guint index)
{
    const HyLine *line = hy_segment__line_at(a, index);
    HyUnit *open = a->open;
    if (open == NULL || open->kind != HY_UNIT_HEADING) open = hy_segment__unit_start(a, HY_UNIT_HEADING, index);
    if (open->name == NULL) {
        open->name = g_strdup(line->text);
        hy_segment__unit_add_line(a, open, index, "heading");
    } else {
        hy_segment__strings_add(&open->partners, g_strdup(line->text));
        hy_segment__unit_add_line(a, open, index, "partner");
    }
}

static void bullet_continue(HyAssembly *a, HyUnit *open, guint index, int chars)
{
    const HyLine *line = hy_segment__line_at(a, index);
    unit_join_last(open, line->text);
    hy_segment__unit_add_line(a, open, index, "evaluation");
    open->bullet_open = !hy_segment__ends_sentence(line->text);
    open->bullet_longest = MAX(open->bullet_longest, chars);
    open->bullet_lines++;
}

/* ---- headings --------------------------------------------------------------- */

/* The legal form (特定非営利活動法人) of a one-line caption right above @unit's first line: the
 * caption's line joins @unit as a heading line and the caption is gone. Returns: (transfer
 * full) the legal form, or NULL. */
static char *legal_form_before(HyAssembly *a, HyUnit *unit)
{
    if (a->units->len < 2) return NULL;
    HyUnit *before = g_ptr_array_index(a->units, a->units->len - 2);
    guint first = g_array_index(unit->lines, guint, 0);
    if (before == unit || before->kind != HY_UNIT_CAPTION || before->lines->len != 1 ||
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
static void heading_set_text(HyAssembly *a, HyUnit *unit, const char *text)
{
    HyLine probe = {.text = (char *)text};
    HyClassified c;
    hy_segment__classify(a->rules, &probe, a->match_data, &c);
    gboolean heading = c.line_class == HY_LINE_HEADING;
    const char *name = heading ? hy_segment__capture(&c, "name") : NULL;
    const char *partners = heading ? hy_segment__capture(&c, "partners") : NULL;
    g_free(unit->name);
    /* A heading of its partners alone, (交流先:…) with no name before it, names no awardee:
     * the award's name then comes from its contact block, said so, never the partners. */
    gboolean partners_only = heading && (name == NULL || *name == '\0') && partners != NULL;
    unit->name = partners_only ? NULL : g_strdup(name != NULL && *name != '\0' ? name : text);
    if (unit->partners != NULL) g_ptr_array_set_size(unit->partners, 0);
    if (partners != NULL) hy_segment__strings_add(&unit->partners, g_strdup(partners));
    g_free(unit->heading_text);
    unit->heading_text = bracket_depth(text) > 0 ? g_strdup(text) : NULL;
    a->open = unit->heading_text != NULL ? unit : NULL; /* nothing but its own rest continues a heading */
    hy_segment__classified_clear(&c);
}

/* Line @index as a heading's: onto @unit, whose whole text is now @text, with @why it was
 * joined; or, @unit NULL, a heading of its own. */
static void heading_take_line(HyAssembly *a, HyUnit *unit, guint index, const char *text, const char *why)
{
    if (unit == NULL) {
        unit = hy_segment__unit_start(a, HY_UNIT_HEADING, index);
        text = hy_segment__line_at(a, index)->text;
    } else {
        a->joins[index] = why;
    }
    hy_segment__unit_add_line(a, unit, index, "heading");
    heading_set_text(a, unit, text);
}

/* ---- lines -------------------------------------------------------------------- */

/* A line no rule gave a class (or a field's label without its value): a continuation of the
 * open unit, or a unit of its own. */
static void take_text_line(HyAssembly *a, guint index)
{
    const HyClassified *c = hy_segment__classified_at(a, index);
    const HyLine *line = c->line;
    HyUnit *open = a->open;
    int chars = (int)g_utf8_strlen(line->text, -1);

    if (a->mode == HY_MODE_NAMES) {
        take_name_line(a, index);
        return;
    }
    if (a->mode == HY_MODE_PROSE) {
        take_prose_line(a, index);
        return;
    }
    if (hy_segment__heading_by_size(a, line)) {
        HyUnit *last = a->units->len > 0 ? g_ptr_array_index(a->units, a->units->len - 1) : NULL;
        if (last != NULL && last->kind == HY_UNIT_HEADING && hy_segment__heading_prefix_before(a, last, index)) {
            g_autofree char *joined = g_strconcat(last->name, line->text, NULL);
            heading_take_line(a, last, index, joined, "heading: a line at the heading's size right under it");
            return;
        }
        heading_take_line(a, NULL, index, NULL, NULL);
        return;
    }
    if (open != NULL && open->kind == HY_UNIT_CONTACT && hy_segment__set_above(a, open, line)) {
        /* A caption above the contact box that the extractor read after the box's header
         * (poppler does so with a photo beside the box's top): a caption of its own, and the
         * contact block stays open for the department that follows. */
        HyUnit *last = g_ptr_array_index(a->units, a->units->len - 1);
        const char *why =
            last->kind == HY_UNIT_CAPTION
                ? hy_segment__caption_continues(a, hy_segment__line_at(a, hy_segment__unit_last_line(last)), line)
                : NULL;
        if (why != NULL) {
            a->joins[index] = why;
            unit_join_last(last, line->text);
            hy_segment__unit_add_line(a, last, index, "caption");
        } else {
            HyUnit *caption = hy_segment__unit_start(a, HY_UNIT_CAPTION, index);
            g_ptr_array_add(caption->texts, g_strdup(line->text));
            hy_segment__unit_add_line(a, caption, index, "caption");
        }
        a->open = open;
        return;
    }
    if (open != NULL && open->kind == HY_UNIT_BULLETS && open->bullet_open) {
        a->joins[index] = "evaluation: the line before did not end its sentence";
        bullet_continue(a, open, index, chars);
        return;
    }
    if (hy_segment__lost_glyph_bullet(a, index)) {
        bullets_add(a, index, line->text);
        return;
    }
    /* A closed evaluation still takes a full-width line: a second sentence that happened
     * to start at a line break, not a caption (captions are short). Not so where the
     * glyphs were lost: there a new paragraph is a new evaluation. */
    if (open != NULL && open->kind == HY_UNIT_BULLETS && !open->glyphless && !open->paragraphs &&
        open->bullet_lines >= 2 && chars * 10 >= open->bullet_longest * 9 &&
        !hy_segment__captions_side_by_side(line)) {
        a->joins[index] = "evaluation: a full-width line goes on with it";
        bullet_continue(a, open, index, chars);
        return;
    }
    if (hy_segment__paragraph_ahead(a, index) > 0) {
        bullets_add(a, index, line->text);
        a->open->glyphless = TRUE;
        return;
    }
    if (open != NULL && open->kind == HY_UNIT_CONTACT && open->contact_fields &&
        (hy_segment__take_labelled_value(a, index, TRUE) || hy_segment__take_wrapped_label(a, index)))
        return;
    if (open != NULL && open->kind == HY_UNIT_CONTACT) {
        const char *field = hy_segment__contact_take_text(open, line);
        if (field != NULL) {
            if (open->lines->len > 0 && strcmp(field, a->fields[hy_segment__unit_last_line(open)]) == 0)
                a->joins[index] = "contact: goes on with the field before";
            hy_segment__unit_add_line(a, open, index, field);
            return;
        }
    }
    if (open != NULL && open->kind == HY_UNIT_CAPTION) {
        const HyLine *prev = hy_segment__line_at(a, hy_segment__unit_last_line(open));
        const char *why = hy_segment__caption_continues(a, prev, line);
        if (why != NULL) {
            a->joins[index] = why;
            unit_join_last(open, line->text);
            hy_segment__unit_add_line(a, open, index, "caption");
            if (g_utf8_strlen(g_ptr_array_index(open->texts, 0), -1) > HY_CAPTION_MAX_CHARS)
                open->kind = HY_UNIT_PROSE;
            return;
        }
    }
    gssize seam = chars <= HY_CAPTION_MAX_CHARS ? hy_segment__caption_seam(line->raw) : -1;
    if (seam > 0) {
        g_autofree char *left_raw = g_strndup(line->raw, (gsize)seam);
        g_autofree char *left = hy_normalize_text(left_raw, -1, NULL);
        g_autofree char *right = hy_normalize_text(line->raw + seam, -1, NULL);
        if (left != NULL && right != NULL) {
            HyUnit *first = hy_segment__unit_start(a, HY_UNIT_CAPTION, index);
            g_ptr_array_add(first->texts, g_steal_pointer(&left));
            hy_segment__unit_add_line(a, first, index, "caption");
            HyUnit *second = hy_segment__unit_start(a, HY_UNIT_CAPTION, index);
            g_ptr_array_add(second->texts, g_steal_pointer(&right));
            hy_segment__unit_add_line(a, second, index, "caption");
            return;
        }
    }
    HyUnit *unit = hy_segment__unit_start(a, chars > HY_CAPTION_MAX_CHARS ? HY_UNIT_PROSE : HY_UNIT_CAPTION, index);
    g_ptr_array_add(unit->texts, g_strdup(line->text));
    hy_segment__unit_add_line(a, unit, index, "caption");
}

void hy_segment__take_line(HyAssembly *a, guint index)
{
    if (a->label[index]) {
        a->fields[index] = "label";
        return;
    }
    if (a->taken[index]) return;
    if (hy_segment__take_section_line(a, index)) return;
    {
        HyLineClass cls = hy_segment__classified_at(a, index)->line_class;
        if (cls == HY_LINE_HEADING || cls == HY_LINE_BULLET || cls == HY_LINE_CONTACT || cls == HY_LINE_FIELD ||
            cls == HY_LINE_AWARDEE)
            a->award_content = TRUE;
    }

    const HyClassified *c = hy_segment__classified_at(a, index);
    HyUnit *open = a->open;
    if (open != NULL && open->kind == HY_UNIT_HEADING && open->heading_text != NULL &&
        (c->line_class == HY_LINE_TEXT || c->line_class == HY_LINE_HEADING) && c->line->page == open->last_page &&
        open->lines->len < 5) {
        /* 昌寧郡(大韓民 | 国)): a heading wrapped inside its brackets goes on here. */
        g_autofree char *joined = hy_normalize_join(open->heading_text, c->line->text);
        heading_take_line(a, open, index, joined, "heading: its brackets were still open");
        return;
    }
    if (a->contact_header[index]) {
        hy_segment__take_unknown_contact_header(a, index);
        return;
    }
    if (c->line_class != HY_LINE_TEXT && c->line_class != HY_LINE_NOISE && c->line_class != HY_LINE_TITLE)
        a->mode = HY_MODE_PLAIN; /* any structure ends an older-layout section */
    switch (c->line_class) {
    case HY_LINE_TITLE:
        hy_segment__record_title(a, c);
        a->fields[index] = "title";
        return;
    case HY_LINE_NOISE:
        a->fields[index] = "noise";
        return; /* a running header or page number interrupts nothing */
    case HY_LINE_HEADING: {
        const char *name = hy_segment__capture(c, "name");
        HyUnit *last = a->units->len > 0 ? g_ptr_array_index(a->units, a->units->len - 1) : NULL;
        if ((name == NULL || *name == '\0') && last != NULL && last->kind == HY_UNIT_HEADING && last->name != NULL &&
            (last->partners == NULL || last->partners->len == 0) && last->last_page == c->line->page &&
            hy_segment__unit_last_line(last) + 1 == index) {
            /* A heading wrapped before its (交流先:…): the line before, a heading by its size
             * or by a marker, is the name. */
            g_autofree char *joined = g_strconcat(last->name, c->line->text, NULL);
            heading_take_line(a, last, index, joined, "heading: (交流先:…) goes on from the heading line before");
            return;
        }
        if ((name == NULL || *name == '\0') && open != NULL && open->kind == HY_UNIT_CAPTION &&
            open->lines->len == 1 && g_array_index(open->lines, guint, 0) + 1 == index) {
            /* (交流先:…) on its own line: the line before, taken for a caption, is the name,
             * and a legal form alone on the line before that begins it. */
            open->kind = HY_UNIT_HEADING;
            a->fields[g_array_index(open->lines, guint, 0)] = "heading";
            hy_segment__unit_add_line(a, open, index, "heading");
            g_autofree char *prefix = legal_form_before(a, open);
            g_autofree char *joined =
                g_strconcat(prefix != NULL ? prefix : "", g_ptr_array_index(open->texts, 0), c->line->text, NULL);
            a->joins[index] = "heading: (交流先:…) names the line before as the awardee";
            heading_set_text(a, open, joined);
            return;
        }
        if (name != NULL && *name != '\0' && last != NULL && hy_segment__heading_prefix_before(a, last, index)) {
            const char *prefix = last->kind == HY_UNIT_HEADING ? last->name : g_ptr_array_index(last->texts, 0);
            g_autofree char *joined = g_strconcat(prefix, c->line->text, NULL);
            a->fields[g_array_index(last->lines, guint, 0)] = "heading";
            last->kind = HY_UNIT_HEADING;
            heading_take_line(a, last, index, joined, "heading: the line before begins the awardee's name");
            return;
        }
        heading_take_line(a, NULL, index, NULL, NULL);
        return;
    }
    case HY_LINE_BULLET: {
        if (hy_segment__nakaguro_continues(a, index)) {
            a->joins[index] = "evaluation: a ・ that goes on with the unfinished sentence";
            bullet_continue(a, open, index, (int)g_utf8_strlen(c->line->text, -1));
            return;
        }
        const char *text = hy_segment__capture(c, "text");
        bullets_add(a, index, text != NULL ? text : c->line->text);
        return;
    }
    case HY_LINE_CONTACT: {
        HyUnit *unit = hy_segment__unit_start(a, HY_UNIT_CONTACT, index);
        hy_segment__unit_add_line(a, unit, index, "contact");
        const char *rest = hy_segment__capture(c, "rest");
        if (rest != NULL && *rest != '\0') {
            hy_segment__set_contact(&unit->contact, "department", rest);
            unit->last_field = "department";
            a->fields[index] = "contact.department";
        }
        return;
    }
    case HY_LINE_FIELD: {
        HyUnit *unit =
            open != NULL && open->kind == HY_UNIT_CONTACT ? open : hy_segment__unit_start(a, HY_UNIT_CONTACT, index);
        hy_segment__unit_add_line(a, unit, index, hy_segment__contact_take_captures(unit, c));
        return;
    }
    case HY_LINE_AWARDEE: {
        HyUnit *unit = hy_segment__unit_start(a, HY_UNIT_HEADING, index);
        const char *name = hy_segment__capture(c, "name");
        if (name != NULL && *name != '\0') unit->name = g_strdup(name);
        hy_segment__unit_add_line(a, unit, index, unit->name != NULL ? "heading" : "marker");
        a->mode = HY_MODE_NAMES;
        return;
    }
    case HY_LINE_PARTNERS:
        if (open == NULL || open->kind != HY_UNIT_HEADING) open = hy_segment__unit_start(a, HY_UNIT_HEADING, index);
        hy_segment__unit_add_line(a, open, index, "marker");
        a->mode = HY_MODE_NAMES;
        return;
    case HY_LINE_SUMMARY:
        a->open = NULL;
        a->fields[index] = "marker";
        a->mode = HY_MODE_PROSE;
        return;
    case HY_LINE_FIELD_LABEL:
        a->award_content = TRUE;
        if (!hy_segment__take_labelled_value(a, index, FALSE)) take_text_line(a, index);
        return;
    case HY_LINE_DATE:    /* taken by hy_segment__take_section_line() */
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
