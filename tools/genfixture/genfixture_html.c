/* genfixture_html.c -- hy_genfixture's Chromium producer: writes a page description as one HTML
 * document with CSS, for headless Chromium to print to PDF, the way a report made as a web page
 * is published. Each description page is a <section> that starts a new printed page; its running
 * header and page number are CSS page-margin boxes of a named page (one per header/page-number
 * combination); boxes are bordered divs, photos grey divs in a CSS grid with their captions. */

#include <stdio.h>
#include <string.h>

#include "genfixture_private.h"

typedef struct {
    const char *header;
    gboolean page_number;
} HtmlMaster;

static guint html_master_index(GArray *masters, const Page *pg)
{
    for (guint i = 0; i < masters->len; i++) {
        const HtmlMaster *m = &g_array_index(masters, HtmlMaster, i);
        if (g_strcmp0(m->header, pg->header) == 0 && m->page_number == pg->page_number) return i;
    }
    g_array_append_val(masters, ((HtmlMaster){.header = pg->header, .page_number = pg->page_number}));
    return masters->len - 1;
}

/* Appends @text escaped for HTML, '|' as <br> when @breaks. */
static void html_text(GString *out, const char *text, gboolean breaks)
{
    g_auto(GStrv) lines = g_strsplit(text, "|", breaks ? -1 : 1);
    for (guint i = 0; lines[i] != NULL; i++) {
        g_autofree char *escaped = g_markup_escape_text(lines[i], -1);
        if (i > 0) g_string_append(out, "<br>");
        g_string_append(out, escaped);
    }
}

static void html_element(GString *out, const char *tag, const char *class, const char *text, gboolean breaks)
{
    g_string_append_printf(out, "<%s class=\"%s\">", tag, class);
    html_text(out, text, breaks);
    g_string_append_printf(out, "</%s>\n", tag);
}

/* A CSS string literal. */
static void css_string(GString *out, const char *text)
{
    g_string_append_c(out, '"');
    for (const char *c = text; *c != '\0'; c++) {
        if (*c == '"' || *c == '\\') g_string_append_c(out, '\\');
        if (*c == '\n') continue;
        g_string_append_c(out, *c);
    }
    g_string_append_c(out, '"');
}

/* The page's side margins are narrower than the text's: Chromium paints nothing in a page
 * margin but its margin boxes, and the vertical labels stand left of the text. Each page's
 * section brings the text in to MARGIN_X with its padding. */
static void html_style(GString *out, const Doc *doc, const HyShrink *shrink, GArray *masters)
{
    double f = shrink->font;
    g_string_append_printf(out,
                           "@page { size: %.3fpt %.3fpt; margin: %.0fpt %.0fpt %.0fpt %.0fpt; }\n"
                           "html { font-family: \"%s\"; font-size: %.2fpt; line-height: 1.45; "
                           "line-break: strict; overflow-wrap: anywhere; }\n"
                           "body { margin: 0; }\n"
                           "section.page { position: relative; padding: 0 %.0fpt; }\n"
                           "section.page + section.page { break-before: page; }\n"
                           "p, h1, h2, figure { margin: 0; }\n"
                           ".title { font: bold %.2fpt/1.2 \"IPAexGothic\"; text-align: center; margin-bottom: %.0fpt; }\n"
                           ".heading { font: bold %.2fpt/1.2 \"IPAexGothic\"; margin-bottom: %.0fpt; break-after: avoid; }\n"
                           ".box { border: 0.75pt solid #000; padding: %.0fpt; margin-bottom: %.0fpt; }\n"
                           ".bullet { margin: 0 0 %.0fpt %.0fpt; text-indent: -%.0fpt; }\n"
                           ".bullet:last-child { margin-bottom: 0; }\n"
                           ".bullet .glyph { display: inline-block; width: %.0fpt; text-indent: 0; }\n"
                           ".photos { display: grid; grid-template-columns: 1fr 1fr; column-gap: %.0fpt; "
                           "row-gap: %.0fpt; margin-bottom: %.0fpt; }\n"
                           ".photos.one { grid-template-columns: %.1fpt; justify-content: center; }\n"
                           ".photo { background: #c7c7c7; border: 0.5pt solid #8c8c8c; box-sizing: border-box; }\n"
                           "figcaption { font-size: %.2fpt; line-height: 1.2; text-align: center; "
                           "margin: %.0fpt -%.0fpt 0; }\n"
                           ".contact-title { font: bold %.2fpt/1.25 \"IPAexGothic\"; margin-bottom: %.0fpt; }\n"
                           ".contact-line { line-height: 1.25; margin: 0 0 %.0fpt %.0fpt; }\n"
                           "table.contact { border-collapse: collapse; width: 100%%; margin-bottom: %.0fpt; }\n"
                           "table.contact td { border: 0.75pt solid #000; padding: %.0fpt %.0fpt; line-height: 1.25; "
                           "vertical-align: top; }\n"
                           "table.contact td.label { white-space: nowrap; width: 1%%; }\n"
                           ".gap { height: %.0fpt; }\n"
                           ".text { margin-bottom: %.0fpt; }\n"
                           ".text-right { text-align: right; margin-bottom: %.0fpt; }\n"
                           ".text-center { font: bold %.2fpt/1.3 \"IPAexGothic\"; text-align: center; "
                           "margin-bottom: %.0fpt; }\n"
                           ".prize { font: bold %.2fpt/1.3 \"IPAexGothic\"; margin-bottom: 8pt; }\n"
                           ".vertical-label { position: absolute; left: %.0fpt; writing-mode: vertical-rl; "
                           "font: %.2fpt/1.2 \"IPAexGothic\"; }\n",
                           PAGE_W, PAGE_H, MARGIN_TOP, VERTICAL_LABEL_X, MARGIN_BOTTOM, VERTICAL_LABEL_X,
                           doc->body_family, BODY_SIZE * f, MARGIN_X - VERTICAL_LABEL_X, TITLE_SIZE * f, TITLE_GAP, HEADING_SIZE * f, HEADING_GAP, BOX_PAD, PART_GAP,
                           BULLET_GAP, BULLET_INDENT, BULLET_INDENT, BULLET_INDENT, PHOTO_GAP, PART_GAP, PART_GAP,
                           (CONTENT_W - PHOTO_GAP) / 2, CAPTION_SIZE * f, CAPTION_GAP, CAPTION_OVERHANG, BODY_SIZE * f,
                           CONTACT_LINE_GAP, CONTACT_LINE_GAP, BOX_PAD, PART_GAP, CONTACT_LINE_GAP, BOX_PAD,
                           SECTION_GAP - PART_GAP, PART_GAP, PART_GAP, COVER_SIZE * f, PART_GAP, PRIZE_SIZE * f,
                           0.0, BODY_SIZE * f);
    for (guint i = 0; i < masters->len; i++) {
        const HtmlMaster *m = &g_array_index(masters, HtmlMaster, i);
        g_string_append_printf(out, "@page m%u {", i);
        if (m->header != NULL) {
            g_string_append_printf(out, " @top-right { content: ");
            css_string(out, m->header);
            g_string_append_printf(out, "; font: %.2fpt \"IPAexGothic\"; padding-right: %.0fpt; }", HEADER_SIZE * f,
                                   MARGIN_X - VERTICAL_LABEL_X);
        }
        if (m->page_number)
            g_string_append_printf(out, " @bottom-center { content: \"- \" counter(page) \" -\"; font: %.2fpt \"%s\"; }",
                                   HEADER_SIZE * f, doc->body_family);
        g_string_append_printf(out, " }\nsection.m%u { page: m%u; }\n", i, i);
    }
}

static void html_bullets(GString *out, const Section *s)
{
    g_string_append(out, "<div class=\"box bullets\">\n");
    for (guint i = 0; i < s->bullets->len; i++) {
        const Bullet *b = g_ptr_array_index(s->bullets, i);
        g_string_append(out, "<p class=\"bullet\">");
        if (b->glyph_kind == GLYPH_WINGDINGS) {
            /* Chromium draws no glyph and writes no text for U+F0B2 in any installed font
             * (Wingdings is absent; OpenSymbol's symbol-area glyph is not used), so a web page
             * would use an ordinary bullet: the one a Word user's bullet list falls back to. */
            g_string_append(out, "<span class=\"glyph\">・</span>");
        } else if (b->glyph_kind == GLYPH_TEXT) {
            g_string_append(out, "<span class=\"glyph\">");
            html_text(out, b->glyph, FALSE);
            g_string_append(out, "</span>");
        } else {
            g_string_append(out, "<span class=\"glyph\"></span>");
        }
        html_text(out, b->text, TRUE);
        g_string_append(out, "</p>\n");
    }
    g_string_append(out, "</div>\n");
}

static void html_photos(GString *out, const Section *s, const HyShrink *shrink)
{
    g_string_append_printf(out, "<div class=\"photos%s\">\n", s->columns == 1 ? " one" : "");
    for (guint i = 0; i < s->captions->len; i++) {
        g_string_append_printf(out, "<figure><div class=\"photo\" style=\"height: %.1fpt\"></div><figcaption>",
                               s->photo_height * shrink->photo);
        html_text(out, g_ptr_array_index(s->captions, i), TRUE);
        g_string_append(out, "</figcaption></figure>\n");
    }
    g_string_append(out, "</div>\n");
}

static void html_contact(GString *out, const Section *s)
{
    if (s->contact_style == CONTACT_BOX) {
        g_string_append(out, "<div class=\"box contact\">\n");
        html_element(out, "p", "contact-title", s->contact_title, FALSE);
        for (guint i = 0; i < s->contact_lines->len; i++)
            html_element(out, "p", "contact-line", g_ptr_array_index(s->contact_lines, i), FALSE);
        g_string_append(out, "</div>\n");
        return;
    }
    html_element(out, "p", "contact-title", s->contact_title, FALSE);
    g_string_append(out, "<table class=\"contact\">\n");
    for (guint i = 0; i < s->contact_lines->len; i++) {
        const char *line = g_ptr_array_index(s->contact_lines, i);
        g_autofree char *label = NULL, *value = NULL;
        g_string_append(out, "<tr>");
        if (hy_genfixture__contact_split(line, &label, &value)) {
            g_string_append(out, "<td class=\"label\">");
            html_text(out, label, FALSE);
            g_string_append(out, "</td><td>");
            html_text(out, value, FALSE);
        } else {
            g_string_append(out, "<td colspan=\"2\">");
            html_text(out, line, FALSE);
        }
        g_string_append(out, "</td></tr>\n");
    }
    g_string_append(out, "</table>\n");
}

static void html_block(GString *out, const Section *s, const HyShrink *shrink)
{
    g_autoptr(GArray) parts = hy_genfixture__section_parts(s);
    for (guint i = 0; i < parts->len; i++) {
        const Part *part = &g_array_index(parts, Part, i);
        switch (part->kind) {
        case PART_HEADING:
            html_element(out, "h2", "heading", s->heading, TRUE);
            break;
        case PART_BULLETS:
            html_bullets(out, s);
            break;
        case PART_PHOTO:
            if (part->index == 0) html_photos(out, s, shrink);
            break;
        case PART_CONTACT:
            html_contact(out, s);
            break;
        }
    }
}

static const char *loose_class(SectionKind kind)
{
    switch (kind) {
    case SECTION_TEXT_RIGHT:
        return "text-right";
    case SECTION_TEXT_CENTER:
        return "text-center";
    case SECTION_PRIZE:
        return "prize";
    case SECTION_TITLE:
        return "title";
    default:
        return "text";
    }
}

gboolean hy_genfixture__write_html(const Doc *doc, const HyShrink *shrink, const char *path, GError **error)
{
    g_autoptr(GArray) masters = g_array_new(FALSE, TRUE, sizeof(HtmlMaster));
    g_autofree guint *master_of = g_new0(guint, doc->pages->len);
    for (guint i = 0; i < doc->pages->len; i++) master_of[i] = html_master_index(masters, g_ptr_array_index(doc->pages, i));

    g_autoptr(GString) out = g_string_new("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n");
    /* The title becomes the PDF's Title: the description's name, never a path of the machine. */
    g_autofree char *name = g_path_get_basename(doc->path);
    if (g_str_has_suffix(name, ".page")) name[strlen(name) - strlen(".page")] = '\0';
    g_string_append(out, "<title>");
    html_text(out, name, FALSE);
    g_string_append(out, "</title>\n<style>\n");
    html_style(out, doc, shrink, masters);
    g_string_append(out, "</style>\n</head>\n<body>\n");
    for (guint i = 0; i < doc->pages->len; i++) {
        const Page *pg = g_ptr_array_index(doc->pages, i);
        g_string_append_printf(out, "<section class=\"page m%u\">\n", master_of[i]);
        double top = 0;
        for (guint j = 0; j < pg->vertical_labels->len; j++) {
            const char *label = g_ptr_array_index(pg->vertical_labels, j);
            g_string_append_printf(out, "<div class=\"vertical-label\" style=\"top: %.1fpt\">", top);
            html_text(out, label, FALSE);
            g_string_append(out, "</div>\n");
            top += g_utf8_strlen(label, -1) * BODY_SIZE * shrink->font * 1.05 + BODY_SIZE;
        }
        gboolean after_block = FALSE;
        for (guint j = 0; j < pg->sections->len; j++) {
            const Section *s = g_ptr_array_index(pg->sections, j);
            if (s->kind != SECTION_BLOCK) {
                html_element(out, s->kind == SECTION_TITLE ? "h1" : "p", loose_class(s->kind), s->text, TRUE);
                after_block = FALSE;
                continue;
            }
            if (after_block) g_string_append(out, "<div class=\"gap\"></div>\n");
            html_block(out, s, shrink);
            after_block = TRUE;
        }
        g_string_append(out, "</section>\n");
    }
    g_string_append(out, "</body>\n</html>\n");
    return g_file_set_contents(path, out->str, (gssize)out->len, error);
}
