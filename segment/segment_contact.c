/* segment_contact.c -- contact blocks: the fields a labelled line holds, the unlabelled
 * lines that go on with a block (the department's second line, the rest of an address
 * or a URL), a field put together from a table's label cell and its value, and the block
 * under a header no rule knows (found by segment_cues.c). Values are cleaned and stored by
 * hy_segment__set_contact() (segment_fields.c); a value that is not used is said in the
 * unit's warnings, which go to its award. */
#include "segment_private.h"

#include <math.h>
#include <string.h>

/* ---- labelled lines -------------------------------------------------------- */

/* Stores a contact value; one that is not used is named in the award's warnings, the
 * field called by its name in words ("a second tel", "postal code ... does not parse"). */
static void contact_store(HyUnit *unit, const HyContactField *field, const char *value, const HyLine *line)
{
    g_autofree char *shown = g_strdelimit(g_strdup(field->name), "_", ' ');
    switch (hy_segment__set_contact(&unit->contact, field->name, value)) {
    case HY_CONTACT_DUPLICATE:
        hy_segment__strings_add(&unit->warnings,
                                g_strdup_printf("page %d: a second %s \"%s\" ignored", line->page, shown, value));
        break;
    case HY_CONTACT_INVALID:
        hy_segment__strings_add(&unit->warnings,
                                g_strdup_printf("page %d: %s \"%s\" does not parse", line->page, shown, value));
        break;
    case HY_CONTACT_STORED:
    case HY_CONTACT_SAME:
    case HY_CONTACT_EMPTY:
        break;
    }
}

/* "contact.tel,fax": the fields a labelled line filled, for the trace. */
const char *hy_segment__contact_take_captures(HyUnit *unit, const HyClassified *c)
{
    char filled[128] = "contact."; /* room for every field's name */
    for (guint i = 0; i < HY_CONTACT_N_FIELDS; i++) {
        const HyContactField *field = &hy_contact_fields[i];
        const char *value = hy_segment__capture(c, field->name);
        if (value == NULL) continue;
        contact_store(unit, field, value, c->line);
        unit->last_field = field->name;
        if (strcmp(field->name, "department") != 0) unit->contact_fields = TRUE;
        if (strlen(filled) > strlen("contact.")) g_strlcat(filled, ",", sizeof filled);
        g_strlcat(filled, field->name, sizeof filled);
    }
    /* 〒930-8501 alone on its line: the address follows on the next one. */
    if (hy_segment__capture(c, "postal_code") != NULL && unit->contact.address == NULL)
        unit->last_field = "address";
    return g_intern_string(filled); /* few combinations; they outlive the trace */
}

/* ---- unlabelled lines ------------------------------------------------------ */

/* Characters a URL or an e-mail address may hold: what goes on with one wrapped at the
 * line's end. */
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

/* Whether an unlabelled line belongs to the open contact block; returns the field it
 * went to, or NULL. */
const char *hy_segment__contact_take_text(HyUnit *unit, const HyLine *line)
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

/* ---- a table's label cell and its value ------------------------------------ */

/* Classifies @text (a field line put together from several lines: a label and its value)
 * and, when it is a contact field, stores it in the open contact block (or a new one) with
 * the lines @lines[0..n) as its own. Returns: whether it was a field. */
static gboolean take_assembled_field(HyAssembly *a, const char *text, const guint *lines, guint n)
{
    const HyLine *first = hy_segment__line_at(a, lines[0]);
    HyLine probe = {.page = first->page, .number = first->number, .raw = (char *)text, .text = (char *)text};
    HyClassified c;
    hy_segment__classify(a->rules, &probe, a->match_data, &c);
    gboolean field = c.line_class == HY_LINE_FIELD;
    if (field) {
        HyUnit *open = a->open;
        HyUnit *unit =
            open != NULL && open->kind == HY_UNIT_CONTACT ? open : hy_segment__unit_start(a, HY_UNIT_CONTACT, lines[0]);
        const char *filled = hy_segment__contact_take_captures(unit, &c);
        for (guint k = 0; k < n; k++) hy_segment__unit_add_line(a, unit, lines[k], filled);
        for (guint k = 1; k < n; k++) a->taken[lines[k]] = TRUE;
    }
    hy_segment__classified_clear(&c);
    return field;
}

/* The rest of an address wrapped in its table cell (〒920-8577 石川県金沢市広坂1丁目 / 1番1号):
 * the line right under the value, at its left edge, that reads as an address's end. Read
 * column by column, the line after a value is not the field the block filled last, so
 * the tail has to be taken with its value. */
static void take_address_tail_in_cell(HyAssembly *a, guint value_index)
{
    guint next = value_index + 1;
    HyUnit *unit = a->open;
    if (next >= a->classified->len || unit == NULL || unit->kind != HY_UNIT_CONTACT || unit->contact.address == NULL ||
        a->taken[next] || strstr(a->fields[value_index], "address") == NULL)
        return;
    const HyLine *value = hy_segment__line_at(a, value_index);
    const HyClassified *c = hy_segment__classified_at(a, next);
    const HyLine *tail = c->line;
    double size = value->font_size;
    if (c->line_class != HY_LINE_TEXT || tail->page != value->page || size <= 0 || fabs(tail->x - value->x) > 0.5 * size ||
        tail->y <= value->y || tail->y - value->y > 1.8 * size || !looks_like_address_tail(tail))
        return;
    char *joined = hy_normalize_join(unit->contact.address, tail->text);
    g_free(unit->contact.address);
    unit->contact.address = joined;
    a->taken[next] = TRUE;
    a->joins[next] = "contact: the rest of an address wrapped in its cell";
    hy_segment__unit_add_line(a, unit, next, "contact.address");
}

/* A field's label alone on its line (a contact table's left cell) and the line after it,
 * on the same row or right under it, are one field line: `label:value` through the rules.
 * FALSE when the next line is no value of it. */
gboolean hy_segment__take_labelled_value(HyAssembly *a, guint index, gboolean wrapped_label)
{
    const HyLine *line = hy_segment__line_at(a, index);
    guint found = G_MAXUINT;
    if (wrapped_label && g_utf8_strlen(line->text, -1) > 8) return FALSE;
    /* With positions the value is the line on the label's row (a table read column by
     * column gives every label first, then every value), or the one right under it. */
    guint last = wrapped_label ? index + 1 : index + 24;
    for (guint j = index + 1; j < a->classified->len && j <= last && found == G_MAXUINT; j++) {
        const HyClassified *next = hy_segment__classified_at(a, j);
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
    const HyLine *value = hy_segment__line_at(a, found);
    g_autofree char *label = g_strdup(line->text);
    gsize len = strlen(label);
    if (len > 0 && label[len - 1] == ':') label[len - 1] = '\0';
    /* A label wrapped in a narrow cell (ホームペー / ジhttps://…) goes on without a colon. */
    g_autofree char *text = g_strconcat(label, wrapped_label ? "" : ":", value->text, NULL);
    if (!take_assembled_field(a, text, (guint[]){index, found}, 2)) return FALSE;
    a->joins[found] = wrapped_label ? "contact: the rest of a label wrapped in its cell, and its value"
                                    : "contact: the value of the label on its row";
    take_address_tail_in_cell(a, found);
    return TRUE;
}

/* A label wrapped in its cell onto two lines, its value on the line after (ホームペー / ジ /
 * https://…, as text extractors give a narrow table cell): the three lines are one field. */
gboolean hy_segment__take_wrapped_label(HyAssembly *a, guint index)
{
    if (index + 2 >= a->classified->len) return FALSE;
    const HyLine *line = hy_segment__line_at(a, index);
    const HyClassified *rest = hy_segment__classified_at(a, index + 1);
    const HyClassified *value = hy_segment__classified_at(a, index + 2);
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

/* ---- a header no rule knows ------------------------------------------------ */

/* A header marked by hy_segment__mark_unknown_contact_headers(): the contact block starts
 * here, as at お問い合わせ先, and the award is told which header was taken for one. */
void hy_segment__take_unknown_contact_header(HyAssembly *a, guint index)
{
    const HyLine *line = hy_segment__line_at(a, index);
    HyUnit *unit = hy_segment__unit_start(a, HY_UNIT_CONTACT, index);
    hy_segment__unit_add_line(a, unit, index, "contact");
    if (a->contact_header[index] == HY_UNKNOWN_HEADER_DEPARTMENT) {
        hy_segment__set_contact(&unit->contact, "department", line->text);
        unit->last_field = "department";
        a->fields[index] = "contact.department";
        hy_segment__strings_add(&unit->warnings,
                                g_strdup_printf("line %d: contact block without a header; its department read from "
                                                "the line above its values: %s",
                                                line->number, line->text));
        a->award_content = TRUE;
        a->mode = HY_MODE_PLAIN;
        return;
    }
    /* 【連絡窓口】富山県国際課: the label, then the department (hy_segment__leading_label). */
    gsize label = hy_segment__leading_label(line->text);
    const char *rest = label > 0 ? line->text + label : "";
    while (*rest == ' ' || *rest == ':') rest++;
    if (*rest != '\0') {
        hy_segment__set_contact(&unit->contact, "department", rest);
        unit->last_field = "department";
        a->fields[index] = "contact.department";
    }
    g_autofree char *shown = *rest != '\0' ? g_strndup(line->text, label) : g_strdup(line->text);
    hy_segment__strings_add(&unit->warnings, g_strdup_printf("line %d: contact-like block under an unknown header %s",
                                                             line->number, shown));
    a->award_content = TRUE;
    a->mode = HY_MODE_PLAIN;
}
