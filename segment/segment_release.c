/* segment_release.c -- the parts of a whole published release (output-v1.md, "Whole
 * published documents"): the section a line is in (cover, the cover's list of awardees,
 * award section, the programme's description, past awardees), the lines that mark them,
 * the date, title and prize labels, and the check of the cover's list against the awards
 * made. Only the award section's lines go on to segment_units.c. */
#include "segment_private.h"

#include <string.h>

/* ---- sections --------------------------------------------------------------- */

void hy_segment__record_title(HyAssembly *a, const HyClassified *c)
{
    hy_segment__parse_title(a->report, c);
    const char *category = hy_segment__capture(c, "category");
    if (a->title_category == NULL && category != NULL && *category != '\0') a->title_category = g_strdup(category);
}

/* Enters @section. Staying in the award section (a 受賞団体の概要 repeated at the top of a
 * page) interrupts nothing: an evaluation cut by the page break goes on. */
static void enter_section(HyAssembly *a, HyReleaseSection section)
{
    if (section == a->section && section == HY_RELEASE_AWARDS) return;
    a->section = section;
    a->listing = FALSE;
    a->open = NULL;
    a->mode = HY_MODE_PLAIN;
}

/* ---- the cover's list of awardees ------------------------------------------ */

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

/* The names a line of the cover's list gives (one, or several marked ○ on one line);
 * FALSE when the line is no list entry (a sentence, a long line), which ends the list. */
static gboolean take_listed_names(HyAssembly *a, const HyClassified *c)
{
    const char *bullet_text = c->line_class == HY_LINE_BULLET ? hy_segment__capture(c, "text") : NULL;
    const char *text = skip_list_number(bullet_text != NULL ? bullet_text : c->line->text);
    int marks = 0;
    for (const char *p = c->line->text; *p; p = g_utf8_next_char(p)) marks += is_list_mark(g_utf8_get_char(p));
    g_autofree char *cell = marks >= 2 ? NULL : first_cell(c->line->raw);
    if (cell != NULL) text = skip_list_number(cell);
    if (*text == '\0' || g_utf8_strlen(text, -1) > 60 || hy_segment__ends_sentence(text)) return FALSE;
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

/* ---- lines ----------------------------------------------------------------------- */

/* Takes a line that marks a part of the release, or any line outside the award
 * section; returns FALSE for a line the award section's assembly is to take. */
gboolean hy_segment__take_section_line(HyAssembly *a, guint index)
{
    const HyClassified *c = hy_segment__classified_at(a, index);
    const char **field = &a->fields[index];
    switch (c->line_class) {
    case HY_LINE_DATE:
        /* A date line before any award content opens a cover without 報道資料. */
        if (hy_segment__parse_date(a->report, c) && !a->award_content && a->section == HY_RELEASE_AWARDS &&
            a->units->len == 0)
            enter_section(a, HY_RELEASE_COVER);
        *field = "date";
        return TRUE;
    case HY_LINE_COVER:
        enter_section(a, HY_RELEASE_COVER);
        a->report->sections |= HY_SECTION_COVER;
        *field = "cover";
        return TRUE;
    case HY_LINE_AWARDS:
        enter_section(a, HY_RELEASE_AWARDS);
        *field = "section";
        return TRUE;
    case HY_LINE_PROGRAMME:
        enter_section(a, HY_RELEASE_PROGRAMME);
        a->report->sections |= HY_SECTION_PROGRAMME;
        *field = "section";
        return TRUE;
    case HY_LINE_PAST:
        if (a->section != HY_RELEASE_COVER) {
            enter_section(a, HY_RELEASE_PAST);
            a->report->sections |= HY_SECTION_PROGRAMME;
        }
        *field = a->section == HY_RELEASE_COVER ? "cover" : "section";
        return TRUE;
    case HY_LINE_LISTING:
        if (a->section == HY_RELEASE_AWARDS && !a->award_content) enter_section(a, HY_RELEASE_COVER);
        if (a->section == HY_RELEASE_COVER) a->listing = TRUE;
        *field = a->section == HY_RELEASE_COVER ? "cover" : "noise";
        return TRUE;
    case HY_LINE_PRIZE:
        if (a->section == HY_RELEASE_AWARDS) {
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
    case HY_RELEASE_AWARDS:
        return FALSE;
    case HY_RELEASE_PROGRAMME:
    case HY_RELEASE_PAST:
        *field = c->line_class == HY_LINE_NOISE ? "noise" : a->section == HY_RELEASE_PAST ? "past_awardees" : "programme";
        return TRUE;
    case HY_RELEASE_COVER:
        break;
    }
    if (c->line_class == HY_LINE_HEADING) {
        enter_section(a, HY_RELEASE_AWARDS); /* an awardee heading: the award section has begun */
        return FALSE;
    }
    if (c->line_class == HY_LINE_TITLE) {
        hy_segment__record_title(a, c);
        const char *overview = hy_segment__capture(c, "overview");
        if (overview != NULL && *overview != '\0') enter_section(a, HY_RELEASE_AWARDS);
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
        enter_section(a, HY_RELEASE_AWARDS);
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

/* ---- the list against the awards ------------------------------------------ */

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
void hy_segment__cross_check_listing(HyReport *report)
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
