/* segment_awards.c -- units -> blocks -> awards. Real extraction delivers the parts of an
 * awardee in any order (the 2019 sample has bullets before their heading, captions on both
 * sides of a contact block, a heading missing), so a block is put together from what each
 * unit is, not from where it stands; a block that names no awardee becomes warnings of the
 * report instead of an award. */
#include "segment_private.h"

#include <string.h>

typedef struct {
    GPtrArray *units; /* HyUnit* (borrowed from the unit list; a unit is in one block) */
    HyUnit *heading, *contact;
    gboolean bullets;
    int last_page;
} Block;

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

/* What a contact's department or address says of the awardee @own: 1 it names @own (or,
 * for a prefecture, one of its municipalities), -1 it names another local government, 0
 * it names none that counts. Another is: a prefecture other than @own's, a municipality of
 * @own's prefecture other than @own, or a city (市) of one name nationwide elsewhere
 * (京都市…). Not a ward or a town without its prefecture: 中央区 and 本町 are the names
 * of too many places to contradict anything. */
static int contact_names(const char *text, const HyLocalGov *own)
{
    if (text == NULL) return 0;
    const HyLocalGov *pref = NULL, *municipality = NULL;
    gsize at = hy_segment__leading_prefecture(text, &pref);
    if (pref != NULL && strcmp(pref->prefecture, own->prefecture) != 0) return -1;
    gboolean ambiguous = FALSE;
    if (hy_segment__leading_municipality(text + at, own->prefecture, &municipality, &ambiguous) > 0) {
        if (own->type == HY_LG_PREFECTURE) return 1;
        return municipality != NULL && strcmp(municipality->code, own->code) != 0 ? -1 : 1;
    }
    if (pref != NULL) return own->type == HY_LG_PREFECTURE ? 1 : 0;
    gsize len = hy_segment__leading_municipality(text, NULL, &municipality, &ambiguous);
    return len > 0 && municipality != NULL && g_str_has_suffix(municipality->name, "市") ? -1 : 0;
}

/* Does the contact block belong to the heading's awardee, as far as it says? It does not
 * when it names another local government (the out-of-order blocks of a real extraction:
 * a heading, then the contact of the awardee before it). A contact that names none (an
 * address without its city, 神田町3番22号; a department without its prefecture) does not
 * contradict. Organizations never do. */
static gboolean heading_fits_contact(const HyUnit *heading, const HyUnit *contact)
{
    if (heading->name == NULL) return TRUE;
    g_autofree char *awardee = g_strdup(heading->name);
    char *bracket = strchr(awardee, '(');
    if (bracket != NULL) *bracket = '\0';
    gboolean ambiguous = FALSE;
    const HyLocalGov *own = hy_segment__prefecture_named(awardee);
    if (own == NULL && hy_segment__leading_municipality(awardee, NULL, &own, &ambiguous) != strlen(awardee))
        own = NULL;
    if (own == NULL) return TRUE;
    const HyContact *c = &contact->contact;
    if ((c->department && strstr(c->department, awardee)) || (c->address && strstr(c->address, awardee))) return TRUE;
    int says = contact_names(c->department, own);
    if (says == 0) says = contact_names(c->address, own);
    return says >= 0;
}

/* Whether @unit must open a new block rather than join @block. */
static gboolean starts_new_block(const Block *block, const HyUnit *unit)
{
    if (block->units->len == 0) return FALSE;
    gboolean complete = block->contact != NULL && (block->heading != NULL || block->bullets);
    /* With page breaks known, a finished awardee does not reach onto the next page. */
    if (complete && unit->first_page > block->last_page) return TRUE;
    switch (unit->kind) {
    case HY_UNIT_HEADING:
        if (block->heading != NULL) return TRUE;
        return block->contact != NULL && !heading_fits_contact(unit, block->contact);
    case HY_UNIT_BULLETS:
        return block->bullets && block->contact != NULL;
    case HY_UNIT_CONTACT:
        if (block->contact != NULL) return TRUE;
        return block->heading != NULL && !heading_fits_contact(block->heading, unit);
    case HY_UNIT_CAPTION:
    case HY_UNIT_PROSE:
        break;
    }
    return FALSE;
}

static GPtrArray *group_blocks(GPtrArray *units)
{
    GPtrArray *blocks = g_ptr_array_new_with_free_func((GDestroyNotify)block_free);
    Block *block = NULL;
    for (guint i = 0; i < units->len; i++) {
        HyUnit *unit = g_ptr_array_index(units, i);
        if (block == NULL || starts_new_block(block, unit)) block = block_new(blocks);
        g_ptr_array_add(block->units, unit);
        block->last_page = MAX(block->last_page, unit->last_page);
        if (unit->kind == HY_UNIT_HEADING) block->heading = unit;
        if (unit->kind == HY_UNIT_CONTACT) block->contact = unit;
        if (unit->kind == HY_UNIT_BULLETS) block->bullets = TRUE;
    }
    return blocks;
}

/* ---- blocks -> awards ---------------------------------------------------- */

static void trace_unit(HyAssembly *a, const HyUnit *unit, int award)
{
    if (a->trace == NULL) return;
    for (guint i = 0; i < unit->lines->len; i++) {
        guint line = g_array_index(unit->lines, guint, i);
        HyLineTrace *t = &g_array_index(a->trace, HyLineTrace, line);
        t->award = award;
        t->field = unit->kind == HY_UNIT_PROSE ? "warning" : a->fields[line];
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
static void warn_contact_like_text(HyAssembly *a, const HyUnit *unit, HyAward *award)
{
    static const char *const suspect[] = {"tel", "email", "postal_code"}; /* not url, see above */
    for (guint i = 0; i < unit->lines->len; i++) {
        guint index = g_array_index(unit->lines, guint, i);
        const char *where = a->fields[index];
        if (where == NULL || (strcmp(where, "caption") != 0 && strcmp(where, "evaluation") != 0)) continue;
        if (!hy_segment__contact_like_text(a, index)) continue; /* most lines: the answer is kept */
        const HyLine *line = hy_segment__line_at(a, index);
        const HyRule *rule = hy_segment__kind_match(a->rules, HY_RULE_CONTACT_LIKE, line->text, a->match_data);
        const char *value = rule != NULL ? contact_like_field(rule) : NULL;
        const HyContactField *field = NULL;
        for (guint k = 0; value != NULL && k < G_N_ELEMENTS(suspect); k++)
            if (strcmp(value, suspect[k]) == 0) field = hy_contact_field_named(value);
        if (field == NULL) continue;
        glong chars = g_utf8_strlen(line->text, -1);
        g_autofree char *quote = g_utf8_substring(line->text, 0, MIN(chars, HY_WARNING_QUOTE_CHARS));
        g_ptr_array_add(award->warnings, g_strdup_printf("line %d: %s looks like a contact field (%s): %s%s",
                                                         line->number, where, field->label, quote,
                                                         chars > HY_WARNING_QUOTE_CHARS ? "…" : ""));
    }
}

static HyAward *award_from_block(HyAssembly *a, const Block *block, int index)
{
    HyAward *award = hy_award_new();
    /* The award takes its block's values instead of copies: a unit is in one block, and
     * the units are freed once the awards are made. The contact's values are cleaned. */
    if (block->contact != NULL) {
        award->contact = block->contact->contact;
        memset(&block->contact->contact, 0, sizeof block->contact->contact);
    }
    for (guint i = 0; i < block->units->len; i++) {
        HyUnit *unit = g_ptr_array_index(block->units, i);
        for (guint l = 0; l < unit->lines->len; l++)
            add_page(award->pages, hy_segment__line_at(a, g_array_index(unit->lines, guint, l))->page);
        trace_unit(a, unit, index);
        hy_segment__provenance_add_unit(a, unit, award);
        for (guint w = 0; unit->warnings != NULL && w < unit->warnings->len; w++)
            g_ptr_array_add(award->warnings, g_steal_pointer(&unit->warnings->pdata[w]));
        switch (unit->kind) {
        case HY_UNIT_HEADING:
        case HY_UNIT_CONTACT:
            break;
        case HY_UNIT_BULLETS:
            for (guint t = 0; t < unit->texts->len; t++)
                g_ptr_array_add(award->evaluations, g_steal_pointer(&unit->texts->pdata[t]));
            warn_contact_like_text(a, unit, award);
            break;
        case HY_UNIT_CAPTION:
            g_ptr_array_add(award->captions, g_steal_pointer(&unit->texts->pdata[0]));
            warn_contact_like_text(a, unit, award);
            break;
        case HY_UNIT_PROSE:
            g_ptr_array_add(award->warnings,
                            g_strdup_printf("unattached text on page %d: %s", unit->first_page,
                                            (const char *)g_ptr_array_index(unit->texts, 0)));
            break;
        }
    }
    if (block->heading != NULL && block->heading->name != NULL) {
        const HyUnit *heading = block->heading;
        g_autofree char *partners = NULL;
        if (heading->partners != NULL && heading->partners->len > 0) {
            g_ptr_array_add(heading->partners, NULL);
            partners = g_strjoinv("、", (char **)heading->partners->pdata);
            g_ptr_array_remove_index(heading->partners, heading->partners->len - 1);
        }
        g_autofree char *hint = hy_segment__parse_heading(award, heading->name, partners);
        hy_segment__resolve_awardee(award, hint);
        hy_segment__provenance_add_partners(a, heading, award);
    } else {
        hy_segment__infer_awardee(award);
    }
    /* The prize: the label in force where the block's heading (else its first part) began,
     * else the one the title names. */
    const HyUnit *first = block->heading != NULL ? block->heading : g_ptr_array_index(block->units, 0);
    const char *prize = first->prize != NULL ? first->prize : a->title_category;
    award->category = g_strdup(prize);
    if (block->contact == NULL) g_ptr_array_add(award->warnings, g_strdup("no contact block found"));
    if (award->evaluations->len == 0) g_ptr_array_add(award->warnings, g_strdup("no evaluations found"));
    return award;
}

/* Text with neither a heading nor a contact block names no awardee: it is no award
 * (a cover page, an introduction, a document that is no award report), so its text goes
 * to the document's warnings instead. */
static void drop_anonymous_blocks(HyAssembly *a, GPtrArray *blocks)
{
    for (guint b = 0; b < blocks->len;) {
        const Block *block = g_ptr_array_index(blocks, b);
        if (block->heading != NULL || block->contact != NULL) {
            b++;
            continue;
        }
        for (guint u = 0; u < block->units->len; u++) {
            const HyUnit *unit = g_ptr_array_index(block->units, u);
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

/* A heading with no partner (no 交流先), no evaluations and no contact block names no
 * award: it is what a heading only looks like (a title wrapped where its rule does not
 * see it, set at a heading's size). An award stands on more than a line's size; the
 * text goes to the document's warnings instead. */
static void drop_contentless_headings(HyAssembly *a, GPtrArray *blocks)
{
    for (guint b = 0; b < blocks->len;) {
        const Block *block = g_ptr_array_index(blocks, b);
        const HyUnit *heading = block->heading;
        if (heading == NULL || block->contact != NULL || block->bullets ||
            (heading->partners != NULL && heading->partners->len > 0)) {
            b++;
            continue;
        }
        g_ptr_array_add(a->report->warnings,
                        g_strdup_printf("page %d: %s looks like a heading but has no partner, evaluations or contact "
                                        "block: no award",
                                        heading->first_page, heading->name != NULL ? heading->name : "a line"));
        for (guint u = 0; u < block->units->len; u++) {
            const HyUnit *unit = g_ptr_array_index(block->units, u);
            for (guint t = 0; unit != heading && t < unit->texts->len; t++)
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
static void drop_listed_headings(HyAssembly *a, GPtrArray *blocks)
{
    for (guint b = 0; b < blocks->len;) {
        const Block *block = g_ptr_array_index(blocks, b);
        const HyUnit *heading = block->heading;
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

static void drop_nameless_award(HyAssembly *a, const Block *block, HyAward *award)
{
    for (guint u = 0; u < block->units->len; u++) {
        const HyUnit *unit = g_ptr_array_index(block->units, u);
        for (guint i = 0; i < unit->lines->len; i++) {
            guint line = g_array_index(unit->lines, guint, i);
            const HyLine *l = hy_segment__line_at(a, line);
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

void hy_segment__awards_from_units(HyAssembly *a)
{
    g_autoptr(GPtrArray) blocks = group_blocks(a->units);
    drop_listed_headings(a, blocks);
    drop_anonymous_blocks(a, blocks);
    drop_contentless_headings(a, blocks);
    for (guint b = 0; b < blocks->len; b++) {
        const Block *block = g_ptr_array_index(blocks, b);
        HyAward *award = award_from_block(a, block, (int)a->report->awards->len);
        if (award->awardee.name != NULL && *award->awardee.name != '\0') {
            g_ptr_array_add(a->report->awards, award);
            continue;
        }
        /* An award has a name: a block that gives none (no heading, a contact naming no one)
         * is no award, and its text is said in the warnings. */
        drop_nameless_award(a, block, award);
    }
}
