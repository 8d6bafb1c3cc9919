/* segment_provenance.c -- where each field of an award was read: the lines of its unit,
 * by field path (awardee.name, partners[i], evaluations[i], captions[i], contact.FIELD),
 * with each line's page, number and box. Kept only when segmentation was asked for a
 * trace (explain, convert --provenance, review): it costs an allocation per line. */
#include "segment_private.h"

#include <string.h>

void hy_field_source_free(HyFieldSource *source)
{
    if (source == NULL) return;
    g_free(source->path);
    g_array_unref(source->boxes);
    g_free(source);
}

void hy_report_drop_provenance(HyReport *report)
{
    for (guint a = 0; a < report->awards->len; a++) {
        HyAward *award = g_ptr_array_index(report->awards, a);
        g_clear_pointer(&award->provenance, g_ptr_array_unref);
    }
}

static HyFieldSource *source_for(HyAward *award, const char *path)
{
    if (award->provenance == NULL)
        award->provenance = g_ptr_array_new_with_free_func((GDestroyNotify)hy_field_source_free);
    for (guint i = 0; i < award->provenance->len; i++) {
        HyFieldSource *source = g_ptr_array_index(award->provenance, i);
        if (strcmp(source->path, path) == 0) return source;
    }
    HyFieldSource *source = g_new0(HyFieldSource, 1);
    source->path = g_strdup(path);
    source->boxes = g_array_new(FALSE, FALSE, sizeof(HyProvenanceBox));
    g_ptr_array_add(award->provenance, source);
    return source;
}

static void add_line(const HyAssembly *a, HyAward *award, const char *path, guint index)
{
    const HyLine *line = hy_segment__line_at(a, index);
    HyProvenanceBox box = {.page = line->page, .line = line->number};
    if (line->box_bottom > line->box_top && line->box_right > line->x) {
        box.boxed = TRUE;
        box.x = line->x;
        box.y = line->box_top;
        box.width = line->box_right - line->x;
        box.height = line->box_bottom - line->box_top;
    }
    GArray *boxes = source_for(award, path)->boxes;
    for (guint i = 0; i < boxes->len; i++)
        if (g_array_index(boxes, HyProvenanceBox, i).line == box.line) return;
    g_array_append_val(boxes, box);
}

/* Each evaluation of a bullet group starts at a line that is not joined to the one before;
 * a line whose text is in a later evaluation and not in the current one moves on to it
 * (a bullet whose glyph was lost). */
static void add_evaluations(const HyAssembly *a, const HyUnit *unit, HyAward *award, guint first)
{
    guint text = 0, n_texts = unit->texts->len;
    for (guint i = 0; i < unit->lines->len && n_texts > 0; i++) {
        guint index = g_array_index(unit->lines, guint, i);
        if (i > 0 && a->joins[index] == NULL && text + 1 < n_texts) text++;
        const char *line_text = hy_segment__line_at(a, index)->text;
        if (strstr(g_ptr_array_index(unit->texts, text), line_text) == NULL)
            for (guint later = text + 1; later < n_texts; later++)
                if (strstr(g_ptr_array_index(unit->texts, later), line_text) != NULL) {
                    text = later;
                    break;
                }
        g_autofree char *path = g_strdup_printf("evaluations[%u]", first + text);
        add_line(a, award, path, index);
    }
}

/* A contact line's fields, as the trace names them: "contact.postal_code,address". */
static void add_contact_line(const HyAssembly *a, HyAward *award, guint index)
{
    const char *where = a->fields[index];
    if (where == NULL || !g_str_has_prefix(where, "contact.")) return;
    g_auto(GStrv) fields = g_strsplit(where + strlen("contact."), ",", -1);
    for (guint f = 0; fields[f] != NULL; f++) {
        g_autofree char *path = g_strconcat("contact.", fields[f], NULL);
        add_line(a, award, path, index);
    }
}

void hy_segment__provenance_add_unit(HyAssembly *a, const HyUnit *unit, HyAward *award)
{
    if (a->trace == NULL) return;
    for (guint i = 0; i < unit->lines->len; i++) {
        guint index = g_array_index(unit->lines, guint, i);
        switch (unit->kind) {
        case HY_UNIT_HEADING: add_line(a, award, "awardee.name", index); break;
        case HY_UNIT_CONTACT: add_contact_line(a, award, index); break;
        case HY_UNIT_CAPTION: {
            g_autofree char *path = g_strdup_printf("captions[%u]", award->captions->len);
            add_line(a, award, path, index);
            break;
        }
        case HY_UNIT_BULLETS:
        case HY_UNIT_PROSE: break;
        }
    }
    if (unit->kind == HY_UNIT_BULLETS) add_evaluations(a, unit, award, award->evaluations->len);
}

void hy_segment__provenance_add_partners(HyAssembly *a, const HyUnit *heading, HyAward *award)
{
    if (a->trace == NULL) return;
    for (guint p = 0; p < award->partners->len; p++) {
        g_autofree char *path = g_strdup_printf("partners[%u]", p);
        for (guint i = 0; i < heading->lines->len; i++)
            add_line(a, award, path, g_array_index(heading->lines, guint, i));
    }
}
