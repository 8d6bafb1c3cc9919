/* genfixture_odf.c -- hy_genfixture's LibreOffice producer: writes a page description as a flat
 * ODF text document (.fodt), laid out the way an office user lays out such a report, for soffice
 * to convert to PDF. Page headers and footers (with a page-number field) come from master pages,
 * one per header/page-number combination; the bullets and the contact box are one-cell bordered
 * tables; photos are grey fixed-height table cells with their captions in the row below, two to a
 * row when 'columns 2'. The XML is written as text: no library is needed to write ODF. */

#include <stdio.h>
#include <string.h>

#include "genfixture_private.h"

typedef struct {
    const Doc *doc;
    const HyShrink *shrink;
    GString *styles; /* automatic styles made while the body is written */
    GString *body;
    guint tables; /* for unique table names */
    guint frames;
} Odf;

/* Appends @text escaped, '|' as a line break when @breaks. */
static void odf_text(GString *out, const char *text, gboolean breaks)
{
    g_auto(GStrv) lines = g_strsplit(text, "|", -1);
    if (!breaks) {
        g_autofree char *escaped = g_markup_escape_text(text, -1);
        g_string_append(out, escaped);
        return;
    }
    for (guint i = 0; lines[i] != NULL; i++) {
        g_autofree char *escaped = g_markup_escape_text(lines[i], -1);
        if (i > 0) g_string_append(out, "<text:line-break/>");
        g_string_append(out, escaped);
    }
}

static void odf_para(Odf *o, const char *style, const char *text, gboolean breaks)
{
    g_string_append_printf(o->body, "<text:p text:style-name=\"%s\">", style);
    odf_text(o->body, text, breaks);
    g_string_append(o->body, "</text:p>\n");
}

/* A paragraph style's text properties: the same font for Latin and Japanese, as Japanese Word
 * templates set it. */
static void odf_text_props(GString *out, const char *family, double size, gboolean bold)
{
    g_string_append_printf(out,
                           "<style:text-properties style:font-name=\"%s\" style:font-name-asian=\"%s\" "
                           "style:font-name-complex=\"%s\" fo:font-size=\"%.2fpt\" style:font-size-asian=\"%.2fpt\" "
                           "style:font-size-complex=\"%.2fpt\"",
                           family, family, family, size, size, size);
    if (bold)
        g_string_append(out, " fo:font-weight=\"bold\" style:font-weight-asian=\"bold\" "
                             "style:font-weight-complex=\"bold\"");
    g_string_append(out, "/>");
}

static void odf_para_style(Odf *o, GString *out, const char *name, const char *para_props, const char *family,
                           double size, gboolean bold)
{
    g_string_append_printf(out,
                           "<style:style style:name=\"%s\" style:family=\"paragraph\" "
                           "style:parent-style-name=\"Standard\"><style:paragraph-properties %s/>",
                           name, para_props);
    odf_text_props(out, family, size * o->shrink->font, bold);
    g_string_append(out, "</style:style>\n");
}

static void odf_common_styles(Odf *o, GString *out)
{
    const char *body = o->doc->body_family;
    g_string_append(out, "<office:styles>\n"
                         "<style:default-style style:family=\"paragraph\"><style:paragraph-properties "
                         "style:writing-mode=\"lr-tb\" style:line-break=\"strict\"/>");
    odf_text_props(out, body, BODY_SIZE * o->shrink->font, FALSE);
    g_string_append(out, "</style:default-style>\n"
                         "<style:default-style style:family=\"table-cell\"><style:table-cell-properties "
                         "fo:padding=\"0pt\"/></style:default-style>\n"
                         "<style:style style:name=\"Standard\" style:family=\"paragraph\" style:class=\"text\">"
                         "<style:paragraph-properties fo:margin-top=\"0pt\" fo:margin-bottom=\"0pt\" "
                         "fo:line-height=\"145%\"/></style:style>\n");
    odf_para_style(o, out, "Header", "fo:text-align=\"end\" fo:line-height=\"100%\"", "IPAexGothic", HEADER_SIZE,
                   FALSE);
    odf_para_style(o, out, "Footer", "fo:text-align=\"center\" fo:line-height=\"100%\"", body, HEADER_SIZE, FALSE);
    odf_para_style(o, out, "Title", "fo:text-align=\"center\" fo:line-height=\"120%\" fo:margin-bottom=\"16pt\"",
                   "IPAexGothic", TITLE_SIZE, TRUE);
    odf_para_style(o, out, "Heading",
                   "fo:line-height=\"120%\" fo:margin-bottom=\"8pt\" fo:keep-with-next=\"always\"", "IPAexGothic",
                   HEADING_SIZE, TRUE);
    /* The hanging indent's implicit tab stop takes the text after the glyph to the indent. */
    odf_para_style(o, out, "Bullet",
                   "fo:margin-left=\"17pt\" fo:text-indent=\"-17pt\" fo:margin-bottom=\"4pt\"", body, BODY_SIZE,
                   FALSE);
    odf_para_style(o, out, "BulletCont", "fo:margin-left=\"17pt\" fo:margin-bottom=\"4pt\"", body, BODY_SIZE,
                   FALSE);
    odf_para_style(o, out, "Caption", "fo:text-align=\"center\" fo:line-height=\"120%\" fo:margin-top=\"4pt\"",
                   body, CAPTION_SIZE, FALSE);
    odf_para_style(o, out, "ContactTitle", "fo:line-height=\"125%\" fo:margin-bottom=\"2pt\"", "IPAexGothic",
                   BODY_SIZE, TRUE);
    odf_para_style(o, out, "ContactLine", "fo:line-height=\"125%\" fo:margin-left=\"9pt\" fo:margin-bottom=\"2pt\"",
                   body, BODY_SIZE, FALSE);
    odf_para_style(o, out, "CellText", "fo:line-height=\"125%\"", body, BODY_SIZE, FALSE);
    odf_para_style(o, out, "Text", "fo:margin-bottom=\"12pt\"", body, BODY_SIZE, FALSE);
    odf_para_style(o, out, "TextRight", "fo:text-align=\"end\" fo:margin-bottom=\"12pt\"", body, BODY_SIZE, FALSE);
    odf_para_style(o, out, "TextCenter", "fo:text-align=\"center\" fo:line-height=\"130%\" fo:margin-bottom=\"12pt\"",
                   "IPAexGothic", COVER_SIZE, TRUE);
    odf_para_style(o, out, "Prize", "fo:line-height=\"130%\" fo:margin-bottom=\"8pt\"", "IPAexGothic", PRIZE_SIZE,
                   TRUE);
    odf_para_style(o, out, "VerticalLabel", "fo:text-align=\"center\" fo:line-height=\"120%\"", "IPAexGothic",
                   BODY_SIZE, FALSE);
    /* Tiny empty paragraphs: the one that starts each page (it carries the page style, so the
     * page break, and anchors the vertical labels), the one inside a photo cell, and the gap
     * between two blocks. */
    g_string_append(out, "<style:style style:name=\"Tiny\" style:family=\"paragraph\" "
                         "style:parent-style-name=\"Standard\"><style:paragraph-properties "
                         "fo:line-height=\"2pt\"/><style:text-properties fo:font-size=\"2pt\" "
                         "style:font-size-asian=\"2pt\" style:font-size-complex=\"2pt\"/></style:style>\n");
    g_string_append_printf(out,
                           "<style:style style:name=\"Gap\" style:family=\"paragraph\" "
                           "style:parent-style-name=\"Tiny\"><style:paragraph-properties "
                           "fo:line-height=\"%.0fpt\"/></style:style>\n",
                           SECTION_GAP - PART_GAP);
    g_string_append(out, "<style:style style:name=\"Wingdings\" style:family=\"text\"><style:text-properties "
                         "style:font-name=\"Wingdings\" style:font-name-asian=\"Wingdings\" "
                         "style:font-name-complex=\"Wingdings\"/></style:style>\n");
    g_string_append(out, "</office:styles>\n");
}

/* Page styles: one master page per header text and page-number setting a page uses. */
typedef struct {
    const char *header;
    gboolean page_number;
} Master;

static guint odf_master_index(GArray *masters, const Page *pg)
{
    for (guint i = 0; i < masters->len; i++) {
        const Master *m = &g_array_index(masters, Master, i);
        if (g_strcmp0(m->header, pg->header) == 0 && m->page_number == pg->page_number) return i;
    }
    g_array_append_val(masters, ((Master){.header = pg->header, .page_number = pg->page_number}));
    return masters->len - 1;
}

static void odf_page_styles(Odf *o, GArray *masters, GString *layouts, GString *master_pages)
{
    for (guint i = 0; i < masters->len; i++) {
        const Master *m = &g_array_index(masters, Master, i);
        /* The body starts MARGIN_TOP below the page edge with a header as without one. */
        double top = m->header != NULL ? HEADER_TOP - 4 : MARGIN_TOP;
        double bottom = m->page_number ? PAGE_H - PAGE_NUMBER_TOP - HEADER_SIZE - 4 : MARGIN_BOTTOM;
        g_string_append_printf(layouts,
                               "<style:page-layout style:name=\"PL%u\"><style:page-layout-properties "
                               "fo:page-width=\"%.3fpt\" fo:page-height=\"%.3fpt\" style:print-orientation=\"portrait\" "
                               "fo:margin-top=\"%.1fpt\" fo:margin-bottom=\"%.1fpt\" fo:margin-left=\"%.1fpt\" "
                               "fo:margin-right=\"%.1fpt\" style:writing-mode=\"lr-tb\"/>",
                               i, PAGE_W, PAGE_H, top, bottom, MARGIN_X, MARGIN_X);
        g_string_append_printf(layouts,
                               "<style:header-style><style:header-footer-properties fo:min-height=\"0pt\" "
                               "fo:margin-bottom=\"%.1fpt\"/></style:header-style>",
                               MARGIN_TOP - top - HEADER_SIZE * 1.2);
        g_string_append_printf(layouts,
                               "<style:footer-style><style:header-footer-properties fo:min-height=\"0pt\" "
                               "fo:margin-top=\"%.1fpt\"/></style:footer-style></style:page-layout>\n",
                               MARGIN_BOTTOM - bottom - HEADER_SIZE * 1.2);
        g_string_append_printf(master_pages, "<style:master-page style:name=\"MP%u\" style:page-layout-name=\"PL%u\">",
                               i, i);
        if (m->header != NULL) {
            g_string_append(master_pages, "<style:header><text:p text:style-name=\"Header\">");
            odf_text(master_pages, m->header, FALSE);
            g_string_append(master_pages, "</text:p></style:header>");
        }
        if (m->page_number)
            g_string_append(master_pages, "<style:footer><text:p text:style-name=\"Footer\">- <text:page-number "
                                          "text:select-page=\"current\">1</text:page-number> -</text:p></style:footer>");
        g_string_append(master_pages, "</style:master-page>\n");
        /* The paragraph that starts a page with this page style. */
        g_string_append_printf(o->styles,
                               "<style:style style:name=\"PS%u\" style:family=\"paragraph\" "
                               "style:parent-style-name=\"Tiny\" style:master-page-name=\"MP%u\"/>\n",
                               i, i);
    }
}

/* Table of @columns (widths in points), styled and named; the caller writes the rows. */
static void odf_table_open(Odf *o, const char *align, double margin_bottom, const double *columns, guint n)
{
    guint t = ++o->tables;
    double width = 0;
    for (guint i = 0; i < n; i++) width += columns[i];
    g_string_append_printf(o->styles,
                           "<style:style style:name=\"T%u\" style:family=\"table\"><style:table-properties "
                           "style:width=\"%.2fpt\" table:align=\"%s\" fo:margin-top=\"0pt\" "
                           "fo:margin-bottom=\"%.1fpt\"/></style:style>\n",
                           t, width, align, margin_bottom);
    g_string_append_printf(o->body, "<table:table table:name=\"Table%u\" table:style-name=\"T%u\">", t, t);
    for (guint i = 0; i < n; i++) {
        g_string_append_printf(o->styles,
                               "<style:style style:name=\"T%u.C%u\" style:family=\"table-column\">"
                               "<style:table-column-properties style:column-width=\"%.2fpt\"/></style:style>\n",
                               t, i, columns[i]);
        g_string_append_printf(o->body, "<table:table-column table:style-name=\"T%u.C%u\"/>", t, i);
    }
    g_string_append(o->body, "\n");
}

static void odf_cell_open(Odf *o, const char *style, guint span)
{
    g_string_append_printf(o->body, "<table:table-cell table:style-name=\"%s\" office:value-type=\"string\"", style);
    if (span > 1) g_string_append_printf(o->body, " table:number-columns-spanned=\"%u\"", span);
    g_string_append(o->body, ">");
}

static void odf_bullets(Odf *o, const Section *s)
{
    odf_table_open(o, "margins", PART_GAP, (double[]){CONTENT_W}, 1);
    g_string_append(o->body, "<table:table-row>");
    odf_cell_open(o, "Box", 1);
    for (guint i = 0; i < s->bullets->len; i++) {
        const Bullet *b = g_ptr_array_index(s->bullets, i);
        g_autoptr(GString) marked = g_string_new(NULL);
        odf_text(marked, b->text, TRUE);
        const char *text = marked->str;
        if (b->glyph_kind == GLYPH_NONE) {
            g_string_append_printf(o->body, "<text:p text:style-name=\"BulletCont\">%s</text:p>\n", text);
        } else if (b->glyph_kind == GLYPH_WINGDINGS) {
            g_string_append_printf(o->body,
                                   "<text:p text:style-name=\"Bullet\"><text:span text:style-name=\"Wingdings\">"
                                   "%s</text:span><text:tab/>%s</text:p>\n",
                                   WINGDINGS_TEXT, text);
        } else {
            g_autofree char *glyph = g_markup_escape_text(b->glyph, -1);
            g_string_append_printf(o->body, "<text:p text:style-name=\"Bullet\">%s<text:tab/>%s</text:p>\n", glyph,
                                   text);
        }
    }
    g_string_append(o->body, "</table:table-cell></table:table-row></table:table>\n");
}

static void odf_photos(Odf *o, const Section *s)
{
    double photo_w = (CONTENT_W - PHOTO_GAP) / 2;
    guint per_row = s->columns;
    /* Two photos a row: photo, gap, photo. One: a centred one-column table. */
    if (per_row == 2)
        odf_table_open(o, "margins", PART_GAP, (double[]){photo_w, PHOTO_GAP, photo_w}, 3);
    else
        odf_table_open(o, "center", PART_GAP, (double[]){photo_w}, 1);
    guint t = o->tables;
    g_string_append_printf(o->styles,
                           "<style:style style:name=\"T%u.R\" style:family=\"table-row\"><style:table-row-properties "
                           "style:row-height=\"%.1fpt\"/></style:style>\n",
                           t, s->photo_height * o->shrink->photo);
    for (guint first = 0; first < s->captions->len; first += per_row) {
        g_string_append_printf(o->body, "<table:table-row table:style-name=\"T%u.R\">", t);
        for (guint c = 0; c < per_row; c++) {
            if (c > 0) {
                odf_cell_open(o, "Plain", 1);
                g_string_append(o->body, "<text:p text:style-name=\"Tiny\"/></table:table-cell>");
            }
            odf_cell_open(o, first + c < s->captions->len ? "Photo" : "Plain", 1);
            g_string_append(o->body, "<text:p text:style-name=\"Tiny\"/></table:table-cell>");
        }
        g_string_append(o->body, "</table:table-row>\n<table:table-row>");
        for (guint c = 0; c < per_row; c++) {
            if (c > 0) {
                odf_cell_open(o, "Plain", 1);
                g_string_append(o->body, "<text:p text:style-name=\"Tiny\"/></table:table-cell>");
            }
            odf_cell_open(o, "Plain", 1);
            if (first + c < s->captions->len)
                odf_para(o, "Caption", g_ptr_array_index(s->captions, first + c), TRUE);
            else
                g_string_append(o->body, "<text:p text:style-name=\"Tiny\"/>");
            g_string_append(o->body, "</table:table-cell>");
        }
        g_string_append(o->body, "</table:table-row>\n");
    }
    g_string_append(o->body, "</table:table>\n");
}

static void odf_contact(Odf *o, const Section *s)
{
    if (s->contact_style == CONTACT_BOX) {
        odf_table_open(o, "margins", PART_GAP, (double[]){CONTENT_W}, 1);
        g_string_append(o->body, "<table:table-row>");
        odf_cell_open(o, "Box", 1);
        odf_para(o, "ContactTitle", s->contact_title, FALSE);
        for (guint i = 0; i < s->contact_lines->len; i++)
            odf_para(o, "ContactLine", g_ptr_array_index(s->contact_lines, i), FALSE);
        g_string_append(o->body, "</table:table-cell></table:table-row></table:table>\n");
        return;
    }
    /* A label | value table under the title; the label column fits the longest label. */
    odf_para(o, "ContactTitle", s->contact_title, FALSE);
    double label_w = 0;
    for (guint i = 0; i < s->contact_lines->len; i++) {
        g_autofree char *label = NULL, *value = NULL;
        if (hy_genfixture__contact_split(g_ptr_array_index(s->contact_lines, i), &label, &value))
            label_w = MAX(label_w, g_utf8_strlen(label, -1) * BODY_SIZE * o->shrink->font + 2 * BOX_PAD);
    }
    label_w = CLAMP(label_w, 4 * BODY_SIZE, CONTENT_W * 0.4);
    odf_table_open(o, "margins", PART_GAP, (double[]){label_w, CONTENT_W - label_w}, 2);
    for (guint i = 0; i < s->contact_lines->len; i++) {
        const char *line = g_ptr_array_index(s->contact_lines, i);
        g_autofree char *label = NULL, *value = NULL;
        g_string_append(o->body, "<table:table-row>");
        if (hy_genfixture__contact_split(line, &label, &value)) {
            odf_cell_open(o, "Cell", 1);
            odf_para(o, "CellText", label, FALSE);
            g_string_append(o->body, "</table:table-cell>");
            odf_cell_open(o, "Cell", 1);
            odf_para(o, "CellText", value, FALSE);
            g_string_append(o->body, "</table:table-cell>");
        } else {
            odf_cell_open(o, "Cell", 2);
            odf_para(o, "CellText", line, FALSE);
            g_string_append(o->body, "</table:table-cell><table:covered-table-cell/>");
        }
        g_string_append(o->body, "</table:table-row>\n");
    }
    g_string_append(o->body, "</table:table>\n");
}

static void odf_block(Odf *o, const Section *s)
{
    g_autoptr(GArray) parts = hy_genfixture__section_parts(s);
    for (guint i = 0; i < parts->len; i++) {
        const Part *part = &g_array_index(parts, Part, i);
        switch (part->kind) {
        case PART_HEADING:
            odf_para(o, "Heading", s->heading, TRUE);
            break;
        case PART_BULLETS:
            odf_bullets(o, s);
            break;
        case PART_PHOTO:
            if (part->index == 0) odf_photos(o, s); /* all photos of the block are one table */
            break;
        case PART_CONTACT:
            odf_contact(o, s);
            break;
        }
    }
}

/* The vertical labels: a narrow frame in the left margin, one character per line. */
static void odf_vertical_labels(Odf *o, const Page *pg)
{
    double y = MARGIN_TOP;
    for (guint i = 0; i < pg->vertical_labels->len; i++) {
        const char *label = g_ptr_array_index(pg->vertical_labels, i);
        guint n = (guint)g_utf8_strlen(label, -1);
        double height = n * BODY_SIZE * 1.25 + 4;
        guint frame = ++o->frames;
        g_string_append_printf(o->body,
                               "<draw:frame draw:style-name=\"Label\" draw:name=\"Label%u\" "
                               "text:anchor-type=\"paragraph\" svg:x=\"%.1fpt\" svg:y=\"%.1fpt\" "
                               "svg:width=\"%.1fpt\" svg:height=\"%.1fpt\" draw:z-index=\"%u\"><draw:text-box>"
                               "<text:p text:style-name=\"VerticalLabel\">",
                               frame, VERTICAL_LABEL_X - 4, y, BODY_SIZE + 8, height, frame);
        for (const char *c = label; *c != '\0'; c = g_utf8_next_char(c)) {
            g_autofree char *glyph = g_strndup(c, (gsize)(g_utf8_next_char(c) - c));
            g_autofree char *escaped = g_markup_escape_text(glyph, -1);
            if (c != label) g_string_append(o->body, "<text:line-break/>");
            g_string_append(o->body, escaped);
        }
        g_string_append(o->body, "</text:p></draw:text-box></draw:frame>");
        y += height + BODY_SIZE;
    }
}

static const char *loose_style(SectionKind kind)
{
    switch (kind) {
    case SECTION_TEXT_RIGHT:
        return "TextRight";
    case SECTION_TEXT_CENTER:
        return "TextCenter";
    case SECTION_PRIZE:
        return "Prize";
    case SECTION_TITLE:
        return "Title";
    default:
        return "Text";
    }
}

gboolean hy_genfixture__write_odf(const Doc *doc, const HyShrink *shrink, const char *path, GError **error)
{
    Odf o = {.doc = doc, .shrink = shrink, .styles = g_string_new(NULL), .body = g_string_new(NULL)};
    g_autoptr(GArray) masters = g_array_new(FALSE, TRUE, sizeof(Master));
    g_autofree guint *master_of = g_new0(guint, doc->pages->len);
    for (guint i = 0; i < doc->pages->len; i++) master_of[i] = odf_master_index(masters, g_ptr_array_index(doc->pages, i));

    for (guint i = 0; i < doc->pages->len; i++) {
        const Page *pg = g_ptr_array_index(doc->pages, i);
        g_string_append_printf(o.body, "<text:p text:style-name=\"PS%u\">", master_of[i]);
        odf_vertical_labels(&o, pg);
        g_string_append(o.body, "</text:p>\n");
        gboolean after_block = FALSE;
        for (guint j = 0; j < pg->sections->len; j++) {
            const Section *s = g_ptr_array_index(pg->sections, j);
            if (s->kind != SECTION_BLOCK) {
                odf_para(&o, loose_style(s->kind), s->text, TRUE);
                after_block = FALSE;
                continue;
            }
            if (after_block) g_string_append(o.body, "<text:p text:style-name=\"Gap\"/>\n");
            odf_block(&o, s);
            after_block = TRUE;
        }
    }

    g_autoptr(GString) out = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    g_string_append(out,
                    "<office:document xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
                    "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "
                    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
                    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
                    "xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" "
                    "xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" "
                    "xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\" "
                    "xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" "
                    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
                    "office:version=\"1.3\" office:mimetype=\"application/vnd.oasis.opendocument.text\">\n"
                    "<office:meta><meta:generator>hy_genfixture</meta:generator></office:meta>\n"
                    "<office:font-face-decls>"
                    "<style:font-face style:name=\"IPAexMincho\" svg:font-family=\"IPAexMincho\" "
                    "style:font-family-generic=\"roman\" style:font-pitch=\"variable\"/>"
                    "<style:font-face style:name=\"IPAexGothic\" svg:font-family=\"IPAexGothic\" "
                    "style:font-family-generic=\"swiss\" style:font-pitch=\"variable\"/>"
                    "<style:font-face style:name=\"Wingdings\" svg:font-family=\"Wingdings\" "
                    "style:font-pitch=\"variable\" style:font-charset=\"x-symbol\"/>"
                    "</office:font-face-decls>\n");
    odf_common_styles(&o, out);
    g_autoptr(GString) layouts = g_string_new(NULL);
    g_autoptr(GString) master_pages = g_string_new(NULL);
    odf_page_styles(&o, masters, layouts, master_pages);
    g_string_append(out, "<office:automatic-styles>\n");
    g_string_append_printf(out,
                           "<style:style style:name=\"Box\" style:family=\"table-cell\"><style:table-cell-properties "
                           "fo:padding=\"%.1fpt\" fo:border=\"0.75pt solid #000000\"/></style:style>\n"
                           "<style:style style:name=\"Cell\" style:family=\"table-cell\"><style:table-cell-properties "
                           "fo:padding-top=\"%.1fpt\" fo:padding-bottom=\"%.1fpt\" fo:padding-left=\"%.1fpt\" "
                           "fo:padding-right=\"%.1fpt\" fo:border=\"0.75pt solid #000000\"/></style:style>\n"
                           "<style:style style:name=\"Photo\" style:family=\"table-cell\"><style:table-cell-properties "
                           "fo:background-color=\"#c7c7c7\" fo:border=\"0.5pt solid #8c8c8c\"/></style:style>\n"
                           "<style:style style:name=\"Plain\" style:family=\"table-cell\"><style:table-cell-properties "
                           "fo:border=\"none\"/></style:style>\n"
                           "<style:style style:name=\"Label\" style:family=\"graphic\"><style:graphic-properties "
                           "style:wrap=\"none\" style:vertical-pos=\"from-top\" style:vertical-rel=\"page\" "
                           "style:horizontal-pos=\"from-left\" style:horizontal-rel=\"page\" fo:border=\"none\" "
                           "fo:padding=\"0pt\" draw:fill=\"none\" draw:stroke=\"none\" style:shadow=\"none\"/></style:style>\n",
                           BOX_PAD, CONTACT_LINE_GAP, CONTACT_LINE_GAP, BOX_PAD, BOX_PAD);
    g_string_append(out, layouts->str);
    g_string_append(out, o.styles->str);
    g_string_append(out, "</office:automatic-styles>\n<office:master-styles>\n");
    g_string_append(out, master_pages->str);
    g_string_append(out, "</office:master-styles>\n<office:body><office:text>\n");
    g_string_append(out, o.body->str);
    g_string_append(out, "</office:text></office:body></office:document>\n");
    g_string_free(o.styles, TRUE);
    g_string_free(o.body, TRUE);
    return g_file_set_contents(path, out->str, (gssize)out->len, error);
}
