/* genfixture_cairo.c -- hy_genfixture's reference producer: draws a Doc with Pango and cairo,
 * in the order the description gives its parts (which is the order a raw text extraction sees),
 * with Wingdings bullets that extract as U+F0B2 and wrapped Japanese lines as Pango breaks them.
 * Deterministic for a given cairo/Pango: fixed metadata dates, no clock. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "genfixture_private.h"

#define LINE_SPACING 1.45 /* wide Word-like leading: pdftotext then keeps wrapped lines apart */

/* We draw a bullet-looking glyph from an ordinary font and state U+F0B2 (WINGDINGS_TEXT) as its
 * text, which cairo writes into the font's ToUnicode map. */
#define WINGDINGS_LOOK "\xE2\x9C\xA7" /* U+2727 WHITE FOUR POINTED STAR, the glyph that is drawn */
#define WINGDINGS_FAMILY "DejaVu Sans"

/* Fixed, so that regenerating a fixture gives the same PDF. */
#define FIXED_DATE "2020-01-01T00:00:00+09:00"

/* ---- drawing ---------------------------------------------------------------------------------- */

typedef struct {
    cairo_t *cr;
    PangoContext *pango;
    const Doc *doc;
    cairo_scaled_font_t *wingdings_font;
    unsigned long wingdings_glyph;
} Render;

/* Returns: (transfer full) a layout of @text, wrapped to @width (0: no wrapping). With @breaks,
 * '|' in @text forces a line break, for captions and headings written as two lines. */
static PangoLayout *layout_new(Render *r, const char *family, double size, gboolean bold, const char *text,
                               double width, gboolean breaks)
{
    PangoLayout *layout = pango_layout_new(r->pango);
    PangoFontDescription *font = pango_font_description_new();
    pango_font_description_set_family(font, family);
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    if (bold) pango_font_description_set_weight(font, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(layout, font);
    pango_font_description_free(font);
    if (width > 0) {
        pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
        /* Japanese has no spaces: break between any two characters where kinsoku allows. */
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_line_spacing(layout, (float)LINE_SPACING);
    g_autofree char *copy = g_strdup(text);
    if (breaks) g_strdelimit(copy, "|", '\n');
    pango_layout_set_text(layout, copy, -1);
    return layout;
}

static double layout_height(PangoLayout *layout)
{
    PangoRectangle logical;
    pango_layout_get_extents(layout, NULL, &logical);
    return (double)logical.height / PANGO_SCALE;
}

static void layout_show(Render *r, PangoLayout *layout, double x, double y)
{
    cairo_move_to(r->cr, x, y);
    pango_cairo_show_layout(r->cr, layout);
}

static void box_stroke(Render *r, double x, double y, double w, double h)
{
    cairo_save(r->cr);
    cairo_set_line_width(r->cr, 0.75);
    cairo_rectangle(r->cr, x, y, w, h);
    cairo_stroke(r->cr);
    cairo_restore(r->cr);
}

/* Each *_draw function returns the height of its part at (@x, @y), width @w, and draws it only
 * when @draw is set: one pass places the parts in reading order, a second draws them in the
 * order the description asks for. */

static double bullet_draw(Render *r, const Bullet *b, double x, double y, double w, gboolean draw)
{
    g_autoptr(PangoLayout) text =
        layout_new(r, r->doc->body_family, BODY_SIZE, FALSE, b->text, w - BULLET_INDENT, TRUE);
    double height = layout_height(text);
    if (!draw) return height;
    /* The glyph goes first, as Word draws it: a raw extraction then sees it before its text. */
    double baseline = y + (double)pango_layout_get_baseline(text) / PANGO_SCALE;
    if (b->glyph_kind == GLYPH_TEXT) {
        g_autoptr(PangoLayout) glyph =
            layout_new(r, r->doc->body_family, BODY_SIZE, FALSE, b->glyph, 0, FALSE);
        layout_show(r, glyph, x, baseline - (double)pango_layout_get_baseline(glyph) / PANGO_SCALE);
    } else if (b->glyph_kind == GLYPH_WINGDINGS) {
        /* One glyph, one cluster, text U+F0B2: cairo records that text in the ToUnicode map. */
        cairo_glyph_t glyph = {.index = r->wingdings_glyph, .x = x, .y = baseline};
        cairo_text_cluster_t cluster = {.num_bytes = (int)strlen(WINGDINGS_TEXT), .num_glyphs = 1};
        cairo_save(r->cr);
        cairo_set_scaled_font(r->cr, r->wingdings_font);
        cairo_show_text_glyphs(r->cr, WINGDINGS_TEXT, -1, &glyph, 1, &cluster, 1, 0);
        cairo_restore(r->cr);
    }
    layout_show(r, text, x + BULLET_INDENT, y);
    return height;
}

static double bullets_draw(Render *r, const Section *s, double x, double y, double w, gboolean draw)
{
    double h = BOX_PAD;
    for (guint i = 0; i < s->bullets->len; i++) {
        if (i > 0) h += BULLET_GAP;
        h += bullet_draw(r, g_ptr_array_index(s->bullets, i), x + BOX_PAD, y + h, w - 2 * BOX_PAD, draw);
    }
    h += BOX_PAD;
    if (draw) box_stroke(r, x, y, w, h);
    return h;
}

static double heading_draw(Render *r, const Section *s, double x, double y, double w, gboolean draw)
{
    g_autoptr(PangoLayout) layout = layout_new(r, "IPAexGothic", HEADING_SIZE, TRUE, s->heading, w, TRUE);
    pango_layout_set_line_spacing(layout, 1.2f);
    if (draw) layout_show(r, layout, x, y);
    return layout_height(layout);
}

static double photo_draw(Render *r, const Section *s, guint index, double x, double y, double w,
                         gboolean draw)
{
    /* A caption may stick out a little on both sides of its photo, as Word text boxes do. */
    g_autoptr(PangoLayout) caption =
        layout_new(r, r->doc->body_family, CAPTION_SIZE, FALSE, g_ptr_array_index(s->captions, index),
                   w + 2 * CAPTION_OVERHANG, TRUE);
    pango_layout_set_alignment(caption, PANGO_ALIGN_CENTER);
    pango_layout_set_line_spacing(caption, 1.2f);
    if (draw) {
        cairo_save(r->cr);
        cairo_rectangle(r->cr, x, y, w, s->photo_height);
        cairo_set_source_rgb(r->cr, 0.78, 0.78, 0.78);
        cairo_fill_preserve(r->cr);
        cairo_set_source_rgb(r->cr, 0.55, 0.55, 0.55);
        cairo_set_line_width(r->cr, 0.5);
        cairo_stroke(r->cr);
        cairo_restore(r->cr);
        layout_show(r, caption, x - CAPTION_OVERHANG, y + s->photo_height + CAPTION_GAP);
    }
    return s->photo_height + CAPTION_GAP + layout_height(caption);
}

/* contact-style table: the title above a bordered two-column table, label | value, each line
 * split at its first colon; a line without one spans both columns. */
static double contact_table_draw(Render *r, const Section *s, double x, double y, double w, gboolean draw)
{
    g_autoptr(PangoLayout) title = layout_new(r, "IPAexGothic", BODY_SIZE, TRUE, s->contact_title, w, FALSE);
    if (draw) layout_show(r, title, x, y);
    double h = layout_height(title) + CONTACT_LINE_GAP;
    double label_w = 0;
    for (guint i = 0; i < s->contact_lines->len; i++) {
        g_autofree char *label = NULL, *value = NULL;
        if (!hy_genfixture__contact_split(g_ptr_array_index(s->contact_lines, i), &label, &value)) continue;
        g_autoptr(PangoLayout) layout = layout_new(r, r->doc->body_family, BODY_SIZE, FALSE, label, 0, FALSE);
        PangoRectangle logical;
        pango_layout_get_extents(layout, NULL, &logical);
        label_w = MAX(label_w, (double)logical.width / PANGO_SCALE + 2 * BOX_PAD);
    }
    label_w = MIN(label_w, w * 0.4);
    for (guint i = 0; i < s->contact_lines->len; i++) {
        const char *line = g_ptr_array_index(s->contact_lines, i);
        g_autofree char *label = NULL, *value = NULL;
        gboolean split = label_w > 0 && hy_genfixture__contact_split(line, &label, &value);
        double row_top = y + h, row_h;
        if (split) {
            g_autoptr(PangoLayout) l =
                layout_new(r, r->doc->body_family, BODY_SIZE, FALSE, label, label_w - 2 * BOX_PAD, FALSE);
            g_autoptr(PangoLayout) v =
                layout_new(r, r->doc->body_family, BODY_SIZE, FALSE, value, w - label_w - 2 * BOX_PAD, FALSE);
            pango_layout_set_line_spacing(l, 1.25f);
            pango_layout_set_line_spacing(v, 1.25f);
            row_h = MAX(layout_height(l), layout_height(v)) + 2 * CONTACT_LINE_GAP;
            if (draw) {
                layout_show(r, l, x + BOX_PAD, row_top + CONTACT_LINE_GAP);
                layout_show(r, v, x + label_w + BOX_PAD, row_top + CONTACT_LINE_GAP);
                box_stroke(r, x, row_top, label_w, row_h);
                box_stroke(r, x + label_w, row_top, w - label_w, row_h);
            }
        } else {
            g_autoptr(PangoLayout) v =
                layout_new(r, r->doc->body_family, BODY_SIZE, FALSE, line, w - 2 * BOX_PAD, FALSE);
            pango_layout_set_line_spacing(v, 1.25f);
            row_h = layout_height(v) + 2 * CONTACT_LINE_GAP;
            if (draw) {
                layout_show(r, v, x + BOX_PAD, row_top + CONTACT_LINE_GAP);
                box_stroke(r, x, row_top, w, row_h);
            }
        }
        h += row_h;
    }
    return h;
}

static double contact_draw(Render *r, const Section *s, double x, double y, double w, gboolean draw)
{
    if (s->contact_style == CONTACT_TABLE) return contact_table_draw(r, s, x, y, w, draw);
    double h = BOX_PAD;
    g_autoptr(PangoLayout) title =
        layout_new(r, "IPAexGothic", BODY_SIZE, TRUE, s->contact_title, w - 2 * BOX_PAD, FALSE);
    if (draw) layout_show(r, title, x + BOX_PAD, y + h);
    h += layout_height(title) + CONTACT_LINE_GAP;
    for (guint i = 0; i < s->contact_lines->len; i++) {
        g_autoptr(PangoLayout) line =
            layout_new(r, r->doc->body_family, BODY_SIZE, FALSE, g_ptr_array_index(s->contact_lines, i),
                       w - 3 * BOX_PAD, FALSE);
        pango_layout_set_line_spacing(line, 1.25f);
        if (draw) layout_show(r, line, x + 2 * BOX_PAD, y + h);
        h += layout_height(line) + CONTACT_LINE_GAP;
    }
    h += BOX_PAD - CONTACT_LINE_GAP;
    if (draw) box_stroke(r, x, y, w, h);
    return h;
}

static double part_draw(Render *r, const Section *s, const Part *part, double y, gboolean draw)
{
    switch (part->kind) {
    case PART_HEADING:
        return heading_draw(r, s, part->x, y, part->w, draw);
    case PART_BULLETS:
        return bullets_draw(r, s, part->x, y, part->w, draw);
    case PART_PHOTO:
        return photo_draw(r, s, part->index, part->x, y, part->w, draw);
    case PART_CONTACT:
        return contact_draw(r, s, part->x, y, part->w, draw);
    }
    g_return_val_if_reached(0);
}

/* Places the parts of @s from @top down in reading order (x, y, w of each entry of s->draw) and
 * returns the bottom of the block. Photos go s->columns to a row, each caption under its photo. */
static double section_place(Render *r, Section *s, double top)
{
    double y = top;
    g_autoptr(GArray) parts = hy_genfixture__section_parts(s);
    double photo_w = (CONTENT_W - PHOTO_GAP) / 2;
    double row_bottom = y;
    for (guint i = 0; i < parts->len; i++) {
        Part *part = &g_array_index(parts, Part, i);
        part->x = MARGIN_X;
        part->w = CONTENT_W;
        if (part->kind == PART_PHOTO) {
            guint column = s->columns == 2 ? part->index % 2 : 0;
            if (column == 0) y = row_bottom; /* a new row */
            part->w = photo_w;
            part->x = s->columns == 2 ? MARGIN_X + column * (photo_w + PHOTO_GAP)
                                      : MARGIN_X + (CONTENT_W - photo_w) / 2;
            part->y = y;
            row_bottom = MAX(row_bottom, y + part_draw(r, s, part, y, FALSE) + PART_GAP);
            continue;
        }
        y = MAX(y, row_bottom);
        part->y = y;
        double gap = part->kind == PART_HEADING ? HEADING_GAP : PART_GAP;
        y += part_draw(r, s, part, y, FALSE) + gap;
        row_bottom = y;
    }
    y = MAX(y, row_bottom);
    /* Copy the places to the drawing order. */
    for (guint i = 0; i < s->draw->len; i++) {
        Part *d = &g_array_index(s->draw, Part, i);
        for (guint j = 0; j < parts->len; j++) {
            const Part *placed = &g_array_index(parts, Part, j);
            if (placed->kind == d->kind && placed->index == d->index) *d = *placed;
        }
    }
    return y - PART_GAP;
}

/* Returns: (transfer full) the layout of a text, text-right, text-center or prize paragraph. */
static PangoLayout *loose_layout_new(Render *r, const Section *s)
{
    if (s->kind == SECTION_TITLE) {
        PangoLayout *title = layout_new(r, "IPAexGothic", TITLE_SIZE, TRUE, s->text, CONTENT_W, TRUE);
        pango_layout_set_alignment(title, PANGO_ALIGN_CENTER);
        pango_layout_set_line_spacing(title, 1.2f);
        return title;
    }
    gboolean gothic = s->kind == SECTION_TEXT_CENTER || s->kind == SECTION_PRIZE;
    double size = s->kind == SECTION_TEXT_CENTER ? COVER_SIZE : s->kind == SECTION_PRIZE ? PRIZE_SIZE : BODY_SIZE;
    PangoLayout *layout =
        layout_new(r, gothic ? "IPAexGothic" : r->doc->body_family, size, gothic, s->text, CONTENT_W, TRUE);
    if (s->kind == SECTION_TEXT_RIGHT) pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT);
    if (s->kind == SECTION_TEXT_CENTER) pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
    return layout;
}

/* Each label glyph by glyph, one under the other, down the left margin: an extraction then gives
 * one character per line, as it does for the vertical 報道資料 labels of real documents. */
static void vertical_labels_draw(Render *r, const Page *pg)
{
    double y = MARGIN_TOP;
    for (guint i = 0; i < pg->vertical_labels->len; i++) {
        const char *label = g_ptr_array_index(pg->vertical_labels, i);
        for (const char *c = label; *c != '\0'; c = g_utf8_next_char(c)) {
            g_autofree char *glyph = g_strndup(c, (gsize)(g_utf8_next_char(c) - c));
            g_autoptr(PangoLayout) layout = layout_new(r, "IPAexGothic", BODY_SIZE, FALSE, glyph, 0, FALSE);
            layout_show(r, layout, VERTICAL_LABEL_X, y);
            y += BODY_SIZE * 1.2;
        }
        y += BODY_SIZE;
    }
}

static gboolean page_render(Render *r, const Page *pg, guint number, GError **error)
{
    double label_h = 0;
    for (guint i = 0; i < pg->vertical_labels->len; i++)
        label_h += g_utf8_strlen(g_ptr_array_index(pg->vertical_labels, i), -1) * BODY_SIZE * 1.2 + BODY_SIZE;
    if (MARGIN_TOP + label_h - BODY_SIZE > PAGE_H - MARGIN_BOTTOM) {
        g_set_error(error, HY_GENFIXTURE_ERROR, HY_GENFIXTURE_ERROR_LAYOUT,
                    "%s:%u: page %u: its vertical labels run past the bottom margin", r->doc->path, pg->line,
                    number);
        return FALSE;
    }
    if (pg->header != NULL) {
        g_autoptr(PangoLayout) header =
            layout_new(r, "IPAexGothic", HEADER_SIZE, FALSE, pg->header, CONTENT_W, FALSE);
        pango_layout_set_alignment(header, PANGO_ALIGN_RIGHT);
        layout_show(r, header, MARGIN_X, HEADER_TOP);
    }
    vertical_labels_draw(r, pg);
    double y = MARGIN_TOP;
    for (guint i = 0; i < pg->sections->len; i++) {
        Section *s = g_ptr_array_index(pg->sections, i);
        if (s->kind != SECTION_BLOCK) {
            g_autoptr(PangoLayout) text = loose_layout_new(r, s);
            double h = layout_height(text);
            if (y + h > PAGE_H - MARGIN_BOTTOM) {
                g_set_error(error, HY_GENFIXTURE_ERROR, HY_GENFIXTURE_ERROR_LAYOUT,
                            "%s:%u: page %u overflows by %.0f pt: move parts to a new page", r->doc->path,
                            s->line, number, y + h - (PAGE_H - MARGIN_BOTTOM));
                return FALSE;
            }
            layout_show(r, text, MARGIN_X, y);
            y += h + (s->kind == SECTION_TITLE ? TITLE_GAP : PART_GAP);
            continue;
        }
        double bottom = section_place(r, s, y);
        if (bottom > PAGE_H - MARGIN_BOTTOM) {
            g_set_error(error, HY_GENFIXTURE_ERROR, HY_GENFIXTURE_ERROR_LAYOUT,
                        "%s:%u: page %u overflows by %.0f pt: move parts to a new page or lower photo-height",
                        r->doc->path, s->line, number, bottom - (PAGE_H - MARGIN_BOTTOM));
            return FALSE;
        }
        for (guint j = 0; j < s->draw->len; j++) {
            const Part *part = &g_array_index(s->draw, Part, j);
            part_draw(r, s, part, part->y, TRUE);
        }
        y = bottom + SECTION_GAP;
    }
    if (pg->page_number) {
        g_autofree char *text = g_strdup_printf("- %u -", number);
        g_autoptr(PangoLayout) layout =
            layout_new(r, r->doc->body_family, HEADER_SIZE, FALSE, text, CONTENT_W, FALSE);
        pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
        layout_show(r, layout, MARGIN_X, PAGE_NUMBER_TOP);
    }
    cairo_show_page(r->cr);
    return TRUE;
}

/* Finds the glyph that stands in for the Wingdings bullet, failing when no installed font has it
 * (fontconfig would silently fall back to a font that draws an empty box). */
static gboolean render_load_wingdings(Render *r, PangoFont **out, GError **error)
{
    PangoFontDescription *desc = pango_font_description_from_string(WINGDINGS_FAMILY);
    pango_font_description_set_absolute_size(desc, BODY_SIZE * PANGO_SCALE);
    PangoFont *font = pango_context_load_font(r->pango, desc);
    pango_font_description_free(desc);
    cairo_scaled_font_t *scaled =
        font != NULL ? pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font)) : NULL;
    cairo_glyph_t *glyphs = NULL;
    int count = 0;
    if (scaled == NULL ||
        cairo_scaled_font_text_to_glyphs(scaled, 0, 0, WINGDINGS_LOOK, -1, &glyphs, &count, NULL, NULL,
                                         NULL) != CAIRO_STATUS_SUCCESS ||
        count != 1 || glyphs[0].index == 0) {
        cairo_glyph_free(glyphs);
        g_clear_object(&font);
        g_set_error(error, HY_GENFIXTURE_ERROR, HY_GENFIXTURE_ERROR_LAYOUT,
                    "%s: no glyph for the Wingdings bullet: install the font %s", r->doc->path,
                    WINGDINGS_FAMILY);
        return FALSE;
    }
    r->wingdings_font = scaled;
    r->wingdings_glyph = glyphs[0].index;
    cairo_glyph_free(glyphs);
    *out = font; /* owns r->wingdings_font */
    return TRUE;
}

static cairo_status_t write_bytes(void *closure, const unsigned char *data, unsigned int length)
{
    g_byte_array_append(closure, data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* Returns: (transfer full) the PDF, or NULL with HY_GENFIXTURE_ERROR_LAYOUT or _OUTPUT. */
GByteArray *hy_genfixture__render_cairo(const Doc *doc, GError **error)
{
    g_autoptr(GByteArray) pdf = g_byte_array_new();
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(write_bytes, pdf, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "hy_genfixture");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, FIXED_DATE);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, FIXED_DATE);
    Render r = {.cr = cairo_create(surface), .doc = doc};
    r.pango = pango_cairo_create_context(r.cr);
    pango_cairo_context_set_resolution(r.pango, 72.0);
    pango_context_set_language(r.pango, pango_language_from_string("ja"));
    /* No hinting: glyph advances, and so line breaks, must not depend on the machine's settings. */
    cairo_font_options_t *options = cairo_font_options_create();
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(r.pango, options);
    cairo_font_options_destroy(options);

    g_autoptr(PangoFont) wingdings = NULL;
    gboolean ok = !doc->wingdings || render_load_wingdings(&r, &wingdings, error);
    for (guint i = 0; ok && i < doc->pages->len; i++)
        ok = page_render(&r, g_ptr_array_index(doc->pages, i), i + 1, error);
    g_object_unref(r.pango);
    cairo_destroy(r.cr);
    cairo_surface_finish(surface);
    cairo_status_t status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (!ok) return NULL;
    if (status != CAIRO_STATUS_SUCCESS) {
        g_set_error(error, HY_GENFIXTURE_ERROR, HY_GENFIXTURE_ERROR_OUTPUT, "%s: cairo: %s", doc->path,
                    cairo_status_to_string(status));
        return NULL;
    }
    return g_steal_pointer(&pdf);
}
