/* genfixture.c -- hy_genfixture: draws a fixture PDF that looks like a page of the yearly
 * 自治体国際交流表彰(総務大臣賞) 受賞団体の概要 from a small line-based page description
 * (the format is documented in tools/README.md; the .page files in fixtures/pdf/ are examples).
 *
 * The fixtures exist to test the extractor and the segmenter, so the generator controls exactly
 * what makes the real reports hard to read: the order in which the parts of a page are drawn into
 * the content stream (which is the order a raw text extraction sees), Wingdings bullets that
 * extract as the private-use character U+F0B2, headings that are missing, awardees that run over
 * a page break, captions side by side. Layout and Japanese line wrapping are Pango's; the PDF is
 * cairo's. Output is deterministic for a given cairo/Pango: fixed metadata dates, no clock. */

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <pango/pangocairo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "genfixture_private.h"

G_DEFINE_QUARK(hy - genfixture - error - quark, hy_genfixture_error)

#define LINE_SPACING 1.45 /* wide Word-like leading: pdftotext then keeps wrapped lines apart */

/* We draw a bullet-looking glyph from an ordinary font and state U+F0B2 (WINGDINGS_TEXT) as its
 * text, which cairo writes into the font's ToUnicode map. */
#define WINGDINGS_LOOK "\xE2\x9C\xA7" /* U+2727 WHITE FOUR POINTED STAR, the glyph that is drawn */
#define WINGDINGS_FAMILY "DejaVu Sans"

/* Fixed, so that regenerating a fixture gives the same PDF. */
#define FIXED_DATE "2020-01-01T00:00:00+09:00"

/* ---- the page description (types in genfixture_private.h) ---------------------------------- */

static void bullet_free(gpointer data)
{
    Bullet *b = data;
    g_free(b->text);
    g_free(b->glyph);
    g_free(b);
}

static void section_free(gpointer data)
{
    Section *s = data;
    g_free(s->text);
    g_free(s->heading);
    g_ptr_array_unref(s->bullets);
    g_ptr_array_unref(s->captions);
    g_free(s->contact_title);
    g_ptr_array_unref(s->contact_lines);
    g_free(s->order);
    if (s->draw != NULL) g_array_unref(s->draw);
    g_free(s);
}

static void page_free(gpointer data)
{
    Page *pg = data;
    g_free(pg->header);
    g_ptr_array_unref(pg->sections);
    g_ptr_array_unref(pg->vertical_labels);
    g_free(pg);
}

static void doc_free(Doc *doc)
{
    g_free(doc->path);
    g_free(doc->body_family);
    g_ptr_array_unref(doc->pages);
    g_free(doc);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Doc, doc_free)

/* ---- parsing ---------------------------------------------------------------------------------- */

typedef struct {
    Doc *doc;
    guint line;
    Page *page;       /* (nullable) the page being filled */
    Section *section; /* (nullable) the awardee being filled */
    Section *block;   /* (nullable) the awardee a loose paragraph interrupted: its parts continue below */
    Section *detached; /* (nullable) (owned) an interrupted awardee that had no part yet, taken off its page */
    guint sections;   /* awardees so far */
    /* Sticky settings: they hold for the current page or bullet and everything after it. */
    char *header;
    gboolean page_number;
    GlyphKind glyph_kind;
    char *glyph;
} Parser;

static gboolean fail(Parser *p, GError **error, const char *format, ...) G_GNUC_PRINTF(3, 4);

static gboolean fail(Parser *p, GError **error, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    g_autofree char *reason = g_strdup_vprintf(format, args);
    va_end(args);
    g_set_error(error, HY_GENFIXTURE_ERROR, HY_GENFIXTURE_ERROR_INPUT, "%s:%u: %s", p->doc->path, p->line,
                reason);
    return FALSE;
}

static Page *parser_new_page(Parser *p)
{
    Page *pg = g_new0(Page, 1);
    pg->line = p->line;
    pg->header = g_strdup(p->header);
    pg->page_number = p->page_number;
    pg->sections = g_ptr_array_new_with_free_func(section_free);
    pg->vertical_labels = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(p->doc->pages, pg);
    p->page = pg;
    p->section = NULL;
    p->block = NULL;
    return pg;
}

/* Content before the first 'page' statement goes to a page 1 created on demand, so a file may
 * begin with 'page' or not and still starts on page 1. */
static Page *parser_page(Parser *p)
{
    return p->page != NULL ? p->page : parser_new_page(p);
}

static Section *parser_add_section(Parser *p, SectionKind kind)
{
    Section *s = g_new0(Section, 1);
    s->kind = kind;
    s->line = p->line;
    s->bullets = g_ptr_array_new_with_free_func(bullet_free);
    s->captions = g_ptr_array_new_with_free_func(g_free);
    s->columns = 2;
    s->photo_height = DEFAULT_PHOTO_HEIGHT_MM * 72.0 / 25.4;
    s->contact_title = g_strdup("お問い合わせ先");
    s->contact_lines = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(parser_page(p)->sections, s);
    return s;
}

static void parser_new_section(Parser *p)
{
    p->section = parser_add_section(p, SECTION_BLOCK);
    p->block = NULL;
    p->sections++;
}

/* A loose paragraph: on the page, between blocks or inside one, whose later parts continue in a
 * new block section below the paragraph. */
static void parser_add_text(Parser *p, SectionKind kind, const char *text)
{
    Section *s = p->section;
    if (s != NULL && s->heading == NULL && s->bullets->len == 0 && s->captions->len == 0 &&
        s->contact_lines->len == 0) {
        /* 'awardee' then a paragraph: the block begins below the paragraph. It is always the
         * page's last section, and stays the source of the settings it was given. */
        GPtrArray *sections = p->page->sections;
        g_ptr_array_steal_index(sections, sections->len - 1);
        if (p->detached != NULL) section_free(p->detached);
        p->detached = s;
    }
    if (p->section != NULL) p->block = p->section;
    p->section = NULL;
    Section *loose = parser_add_section(p, kind);
    loose->text = g_strdup(text);
}

/* The block that block statements fill: the current one, or the continuation of the block a
 * loose paragraph interrupted, which keeps that block's settings. */
static Section *parser_block(Parser *p)
{
    if (p->section == NULL && p->block != NULL) {
        Section *s = parser_add_section(p, SECTION_BLOCK);
        s->columns = p->block->columns;
        s->photo_height = p->block->photo_height;
        s->contact_style = p->block->contact_style;
        g_free(s->contact_title);
        s->contact_title = g_strdup(p->block->contact_title);
        p->section = s;
        p->block = NULL;
    }
    return p->section;
}

static gboolean parse_on_off(Parser *p, const char *kw, const char *arg, gboolean *out, GError **error)
{
    if (strcmp(arg, "on") == 0) {
        *out = TRUE;
        return TRUE;
    }
    if (strcmp(arg, "off") == 0) {
        *out = FALSE;
        return TRUE;
    }
    return fail(p, error, "'%s' takes on or off, not '%s'", kw, arg);
}

static gboolean parse_statement(Parser *p, const char *kw, const char *arg, GError **error)
{
    /* Statements without an argument. */
    if (strcmp(kw, "page") == 0 || strcmp(kw, "awardee") == 0 || strcmp(kw, "continued") == 0) {
        if (*arg != '\0') return fail(p, error, "'%s' takes no argument", kw);
        if (strcmp(kw, "page") == 0) {
            parser_new_page(p);
        } else if (strcmp(kw, "continued") == 0 && p->sections == 0) {
            return fail(p, error, "'continued' before any awardee");
        } else {
            parser_new_section(p);
        }
        return TRUE;
    }
    if (*arg == '\0') return fail(p, error, "'%s' needs an argument", kw);

    /* Document and page settings. */
    if (strcmp(kw, "font") == 0) {
        if (strcmp(arg, "gothic") != 0 && strcmp(arg, "mincho") != 0)
            return fail(p, error, "'font' takes gothic or mincho, not '%s'", arg);
        g_free(p->doc->body_family);
        p->doc->body_family = g_strdup(strcmp(arg, "gothic") == 0 ? "IPAexGothic" : "IPAexMincho");
        return TRUE;
    }
    if (strcmp(kw, "header") == 0) {
        g_free(p->header);
        p->header = strcmp(arg, "off") == 0 ? NULL : g_strdup(arg);
        if (p->page != NULL) {
            g_free(p->page->header);
            p->page->header = g_strdup(p->header);
        }
        return TRUE;
    }
    if (strcmp(kw, "page-number") == 0) {
        if (!parse_on_off(p, kw, arg, &p->page_number, error)) return FALSE;
        if (p->page != NULL) p->page->page_number = p->page_number;
        return TRUE;
    }
    if (strcmp(kw, "title") == 0) {
        Page *pg = parser_page(p);
        if (pg->title) return fail(p, error, "a second 'title' on this page");
        for (guint i = 0; i < pg->sections->len; i++)
            if (((Section *)g_ptr_array_index(pg->sections, i))->kind == SECTION_BLOCK)
                return fail(p, error, "'title' must come before the page's first awardee");
        pg->title = TRUE;
        parser_add_text(p, SECTION_TITLE, arg);
        return TRUE;
    }
    if (strcmp(kw, "bullet-glyph") == 0) {
        g_clear_pointer(&p->glyph, g_free);
        if (strcmp(arg, "wingdings") == 0) {
            p->glyph_kind = GLYPH_WINGDINGS;
        } else if (strcmp(arg, "none") == 0) {
            p->glyph_kind = GLYPH_NONE;
        } else {
            p->glyph_kind = GLYPH_TEXT;
            p->glyph = g_strdup(arg);
        }
        return TRUE;
    }

    /* Loose paragraphs, anywhere on a page. */
    static const struct {
        const char *keyword;
        SectionKind kind;
    } loose[] = {{"text", SECTION_TEXT},
                 {"text-right", SECTION_TEXT_RIGHT},
                 {"text-center", SECTION_TEXT_CENTER},
                 {"prize", SECTION_PRIZE}};
    for (guint i = 0; i < G_N_ELEMENTS(loose); i++) {
        if (strcmp(kw, loose[i].keyword) == 0) {
            parser_add_text(p, loose[i].kind, arg);
            return TRUE;
        }
    }
    if (strcmp(kw, "vertical-label") == 0) {
        g_ptr_array_add(parser_page(p)->vertical_labels, g_strdup(arg));
        return TRUE;
    }

    /* Everything else fills the current awardee. */
    Section *s = parser_block(p);
    if (s == NULL)
        return fail(p, error, "'%s' outside an awardee: start one with 'awardee' or 'continued'", kw);
    if (strcmp(kw, "heading") == 0) {
        if (s->heading != NULL) return fail(p, error, "a second 'heading' in one awardee");
        s->heading = g_strdup(arg);
    } else if (strcmp(kw, "bullet") == 0 || strcmp(kw, "bullet-cont") == 0) {
        Bullet *b = g_new0(Bullet, 1);
        b->text = g_strdup(arg);
        /* bullet-cont: the rest of a bullet that a page break cut, so no glyph of its own. */
        b->glyph_kind = strcmp(kw, "bullet-cont") == 0 ? GLYPH_NONE : p->glyph_kind;
        if (b->glyph_kind == GLYPH_TEXT) b->glyph = g_strdup(p->glyph);
        if (b->glyph_kind == GLYPH_WINGDINGS) p->doc->wingdings = TRUE;
        g_ptr_array_add(s->bullets, b);
    } else if (strcmp(kw, "photo") == 0) {
        g_ptr_array_add(s->captions, g_strdup(arg));
    } else if (strcmp(kw, "columns") == 0) {
        if (strcmp(arg, "1") != 0 && strcmp(arg, "2") != 0)
            return fail(p, error, "'columns' takes 1 or 2, not '%s'", arg);
        s->columns = (guint)(arg[0] - '0');
    } else if (strcmp(kw, "photo-height") == 0) {
        char *end = NULL;
        double mm = g_ascii_strtod(arg, &end);
        if (end == arg || *end != '\0' || mm < 10.0 || mm > 150.0)
            return fail(p, error, "'photo-height' takes millimetres from 10 to 150, not '%s'", arg);
        s->photo_height = mm * 72.0 / 25.4;
    } else if (strcmp(kw, "contact-title") == 0) {
        g_free(s->contact_title);
        s->contact_title = g_strdup(arg);
    } else if (strcmp(kw, "contact-style") == 0) {
        if (strcmp(arg, "box") != 0 && strcmp(arg, "table") != 0)
            return fail(p, error, "'contact-style' takes box or table, not '%s'", arg);
        s->contact_style = strcmp(arg, "table") == 0 ? CONTACT_TABLE : CONTACT_BOX;
    } else if (strcmp(kw, "contact-line") == 0) {
        g_ptr_array_add(s->contact_lines, g_strdup(arg));
    } else if (strcmp(kw, "order") == 0) {
        if (s->order != NULL) return fail(p, error, "a second 'order' in one awardee");
        s->order = g_strdup(arg);
        s->order_line = p->line;
    } else {
        return fail(p, error, "unknown statement '%s'", kw);
    }
    return TRUE;
}

/* The parts of @s in reading order: heading, bullets box, photos, contact box. */
GArray *hy_genfixture__section_parts(const Section *s)
{
    GArray *parts = g_array_new(FALSE, TRUE, sizeof(Part));
    if (s->heading != NULL) g_array_append_val(parts, ((Part){.kind = PART_HEADING}));
    if (s->bullets->len > 0) g_array_append_val(parts, ((Part){.kind = PART_BULLETS}));
    for (guint i = 0; i < s->captions->len; i++)
        g_array_append_val(parts, ((Part){.kind = PART_PHOTO, .index = i}));
    if (s->contact_lines->len > 0) g_array_append_val(parts, ((Part){.kind = PART_CONTACT}));
    return parts;
}

gboolean hy_genfixture__contact_split(const char *line, char **label, char **value)
{
    const char *full = strstr(line, "：");
    const char *ascii = strchr(line, ':');
    const char *colon = full;
    gsize colon_len = strlen("：");
    if (ascii != NULL && (full == NULL || ascii < full)) {
        colon = ascii;
        colon_len = 1;
    }
    if (colon == NULL) return FALSE;
    *label = g_strndup(line, (gsize)(colon - line));
    *value = g_strdup(colon + colon_len);
    g_strchug(*value); /* 'E-mail: a@b' */
    return TRUE;
}

/* Sets s->draw: the parts named by 'order' first, in that order, then the rest in reading order.
 * Naming a part the awardee does not have is an error, as it is most likely a typo. */
static gboolean section_resolve_order(Parser *p, Section *s, GError **error)
{
    if (s->kind != SECTION_BLOCK) return TRUE;
    g_autoptr(GArray) parts = hy_genfixture__section_parts(s);
    if (parts->len == 0) {
        p->line = s->line;
        return fail(p, error, "awardee without heading, bullets, photos or contact lines");
    }
    g_autofree gboolean *taken = g_new0(gboolean, parts->len);
    s->draw = g_array_new(FALSE, TRUE, sizeof(Part));
    g_auto(GStrv) names = g_strsplit(s->order != NULL ? s->order : "", ",", -1);
    p->line = s->order_line;
    for (guint n = 0; names[n] != NULL; n++) {
        const char *name = g_strstrip(names[n]);
        if (*name == '\0') continue;
        gboolean all_photos = strcmp(name, "photos") == 0;
        PartKind kind;
        guint index = 0;
        if (strcmp(name, "heading") == 0) {
            kind = PART_HEADING;
        } else if (strcmp(name, "bullets") == 0) {
            kind = PART_BULLETS;
        } else if (strcmp(name, "contact") == 0) {
            kind = PART_CONTACT;
        } else if (all_photos) {
            kind = PART_PHOTO;
        } else if (g_str_has_prefix(name, "photo") && g_ascii_isdigit(name[5])) {
            guint64 number = g_ascii_strtoull(name + 5, NULL, 10);
            if (number < 1 || number > s->captions->len)
                return fail(p, error, "'order': %s, but this awardee has %u photos", name, s->captions->len);
            kind = PART_PHOTO;
            index = (guint)number - 1;
        } else {
            return fail(p, error, "'order': unknown part '%s' (heading, bullets, photos, photoN, contact)",
                        name);
        }
        gboolean found = FALSE;
        for (guint i = 0; i < parts->len; i++) {
            const Part *part = &g_array_index(parts, Part, i);
            if (part->kind != kind || (kind == PART_PHOTO && !all_photos && part->index != index)) continue;
            found = TRUE;
            if (taken[i]) {
                if (all_photos) continue; /* 'photos' means the photos not named yet */
                return fail(p, error, "'order': %s named twice", name);
            }
            taken[i] = TRUE;
            g_array_append_val(s->draw, *part);
        }
        if (!found) return fail(p, error, "'order': this awardee has no %s", name);
    }
    for (guint i = 0; i < parts->len; i++)
        if (!taken[i]) g_array_append_val(s->draw, g_array_index(parts, Part, i));
    return TRUE;
}

/* Returns: (transfer full) the parsed description, or NULL with HY_GENFIXTURE_ERROR_INPUT. */
static Doc *doc_load(const char *path, GError **error)
{
    g_autofree char *contents = NULL;
    gsize length = 0;
    if (!g_file_get_contents(path, &contents, &length, error)) return NULL;
    g_autoptr(Doc) doc = g_new0(Doc, 1);
    doc->path = g_strdup(path);
    doc->body_family = g_strdup("IPAexMincho");
    doc->pages = g_ptr_array_new_with_free_func(page_free);
    Parser p = {.doc = doc, .glyph_kind = GLYPH_TEXT, .glyph = g_strdup("・")};
    gboolean ok = TRUE;

    const char *bad = NULL;
    /* With a length, g_utf8_validate also rejects NUL bytes, which would end a line early. */
    if (!g_utf8_validate(contents, (gssize)length, &bad)) {
        /* Report the line of the first bad byte. */
        p.line = 1;
        for (const char *c = contents; c < (bad != NULL ? bad : contents + length) && *c != '\0'; c++)
            if (*c == '\n') p.line++;
        ok = fail(&p, error, "not valid UTF-8 text");
    }
    g_auto(GStrv) lines = ok ? g_strsplit(contents, "\n", -1) : NULL;
    for (guint i = 0; ok && lines[i] != NULL; i++) {
        p.line = i + 1;
        /* g_strstrip removes ASCII white space only, so a full-width space in the text stays. */
        char *line = g_strstrip(lines[i]);
        if (*line == '\0' || *line == '#') continue;
        char *arg = line + strcspn(line, " \t");
        if (*arg != '\0') {
            *arg++ = '\0';
            arg += strspn(arg, " \t");
        }
        ok = parse_statement(&p, line, arg, error);
    }
    for (guint i = 0; ok && i < doc->pages->len; i++) {
        Page *pg = g_ptr_array_index(doc->pages, i);
        for (guint j = 0; ok && j < pg->sections->len; j++)
            ok = section_resolve_order(&p, g_ptr_array_index(pg->sections, j), error);
    }
    if (ok && doc->pages->len == 0) {
        p.line = 1;
        ok = fail(&p, error, "no page content");
    }
    g_free(p.header);
    g_free(p.glyph);
    if (p.detached != NULL) section_free(p.detached);
    return ok ? g_steal_pointer(&doc) : NULL;
}

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
static GByteArray *doc_render(const Doc *doc, GError **error)
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

/* ---- the office producers -------------------------------------------------------------------- */

/* Pages of a PDF written by LibreOffice or Chromium: their page objects' "/Type /Page" entries.
 * Neither writes object streams, so the dictionaries are plain text in the file. */
static guint pdf_page_count(const GByteArray *pdf)
{
    guint pages = 0;
    const char *data = (const char *)pdf->data;
    for (gsize i = 0; i + 10 < pdf->len; i++) {
        if (memcmp(data + i, "/Type", 5) != 0) continue;
        gsize j = i + 5;
        while (j < pdf->len && (data[j] == ' ' || data[j] == '\n' || data[j] == '\r')) j++;
        if (j + 6 <= pdf->len && memcmp(data + j, "/Page", 5) == 0 && !g_ascii_isalnum(data[j + 5])) pages++;
    }
    return pages;
}

static void remove_tree(const char *path)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
        g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
        for (const char *name; dir != NULL && (name = g_dir_read_name(dir)) != NULL;) {
            g_autofree char *child = g_build_filename(path, name, NULL);
            remove_tree(child);
        }
    }
    (void)g_remove(path);
}

#define PRODUCER_TIMEOUT "120"

/* Runs @argv under coreutils' timeout (PRODUCER_TIMEOUT seconds, then SIGKILL 10 s later). */
static gboolean run_producer(const char *const *argv, GError **error)
{
    g_autofree char *program = g_find_program_in_path(argv[0]);
    if (program == NULL) {
        g_set_error(error, HY_GENFIXTURE_ERROR, HY_GENFIXTURE_ERROR_PRODUCER, "%s is not installed (%s)", argv[0],
                    strcmp(argv[0], "soffice") == 0 ? "Debian: libreoffice-writer-nogui" : "Debian: chromium");
        return FALSE;
    }
    g_autoptr(GPtrArray) command = g_ptr_array_new();
    g_ptr_array_add(command, "timeout");
    g_ptr_array_add(command, "--kill-after=10");
    g_ptr_array_add(command, PRODUCER_TIMEOUT);
    for (guint i = 0; argv[i] != NULL; i++) g_ptr_array_add(command, (char *)argv[i]);
    g_ptr_array_add(command, NULL);
    g_autofree char *out = NULL, *err = NULL;
    int status = 0;
    if (!g_spawn_sync(NULL, (char **)command->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                      error))
        return FALSE;
    if (g_spawn_check_wait_status(status, NULL)) return TRUE;
    gboolean timed_out = WIFEXITED(status) && (WEXITSTATUS(status) == 124 || WEXITSTATUS(status) == 137);
    g_set_error(error, HY_GENFIXTURE_ERROR, HY_GENFIXTURE_ERROR_PRODUCER, "%s %s: %s", argv[0],
                timed_out ? "timed out after " PRODUCER_TIMEOUT " s" : "failed", err != NULL ? g_strstrip(err) : "");
    return FALSE;
}

/* Renders @doc with soffice or chromium in the private folder @tmp; returns the PDF. */
static GByteArray *render_external(const Doc *doc, const char *producer, const HyShrink *shrink, const char *tmp,
                                   GError **error)
{
    g_autofree char *pdf_path = NULL;
    if (strcmp(producer, "libreoffice") == 0) {
        g_autofree char *fodt = g_build_filename(tmp, "fixture.fodt", NULL);
        if (!hy_genfixture__write_odf(doc, shrink, fodt, error)) return NULL;
        /* A private profile: parallel runs and a user's own LibreOffice do not collide. */
        g_autofree char *profile_dir = g_build_filename(tmp, "lo-profile", NULL);
        g_autofree char *profile_uri = g_filename_to_uri(profile_dir, NULL, error);
        if (profile_uri == NULL) return NULL;
        g_autofree char *profile = g_strconcat("-env:UserInstallation=", profile_uri, NULL);
        const char *argv[] = {"soffice", profile, "--headless", "--norestore", "--convert-to", "pdf",
                              "--outdir", tmp, fodt, NULL};
        if (!run_producer(argv, error)) return NULL;
        pdf_path = g_build_filename(tmp, "fixture.pdf", NULL);
    } else {
        g_autofree char *html = g_build_filename(tmp, "fixture.html", NULL);
        if (!hy_genfixture__write_html(doc, shrink, html, error)) return NULL;
        g_autofree char *uri = g_filename_to_uri(html, NULL, error);
        if (uri == NULL) return NULL;
        pdf_path = g_build_filename(tmp, "fixture.pdf", NULL);
        g_autofree char *print = g_strconcat("--print-to-pdf=", pdf_path, NULL);
        g_autofree char *profile_dir = g_build_filename(tmp, "chromium-profile", NULL);
        g_autofree char *profile = g_strconcat("--user-data-dir=", profile_dir, NULL);
        const char *argv[] = {"chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                              "--no-first-run", profile, print, uri, NULL};
        if (!run_producer(argv, error)) return NULL;
    }
    g_autofree char *data = NULL;
    gsize length = 0;
    if (!g_file_get_contents(pdf_path, &data, &length, NULL)) {
        g_set_error(error, HY_GENFIXTURE_ERROR, HY_GENFIXTURE_ERROR_PRODUCER, "%s wrote no PDF", producer);
        return NULL;
    }
    g_remove(pdf_path);
    return g_byte_array_new_take((guint8 *)g_steal_pointer(&data), length);
}

/* The description's pages must stay the PDF's pages: when a producer's fonts or spacing make
 * content run onto an extra page, render again with smaller photos, then smaller fonts. */
static GByteArray *doc_render_external(const Doc *doc, const char *producer, GError **error)
{
    g_autofree char *tmp = g_dir_make_tmp("hy_genfixture-XXXXXX", error);
    if (tmp == NULL) return NULL;
    HyShrink shrink = {.photo = 1.0, .font = 1.0};
    GByteArray *pdf = NULL;
    for (guint attempt = 0;; attempt++) {
        pdf = render_external(doc, producer, &shrink, tmp, error);
        if (pdf == NULL) break;
        guint pages = pdf_page_count(pdf);
        if (pages == doc->pages->len) {
            if (attempt > 0)
                fprintf(stderr, "hy_genfixture: %s: %s: photos at %.0f%%, fonts at %.0f%% to keep %u pages\n",
                        doc->path, producer, shrink.photo * 100, shrink.font * 100, pages);
            break;
        }
        if (pages < doc->pages->len || attempt == 9) {
            g_set_error(error, HY_GENFIXTURE_ERROR, HY_GENFIXTURE_ERROR_LAYOUT,
                        "%s: %s gives %u pages where the description has %u (photos at %.0f%%, fonts at %.0f%%)",
                        doc->path, producer, pages, doc->pages->len, shrink.photo * 100, shrink.font * 100);
            g_clear_pointer(&pdf, g_byte_array_unref);
            break;
        }
        g_clear_pointer(&pdf, g_byte_array_unref);
        if (attempt < 6) shrink.photo *= 0.9; /* down to 53 % */
        else shrink.font *= 0.95;              /* then down to 86 % */
    }
    remove_tree(tmp);
    return pdf;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    g_autofree char *producer = NULL;
    const GOptionEntry entries[] = {
        {"producer", 'p', 0, G_OPTION_ARG_STRING, &producer,
         "Who makes the PDF: cairo (default, drawn directly), libreoffice (an ODF document converted by soffice) "
         "or chromium (HTML printed by headless Chromium)",
         "NAME"},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) context = g_option_context_new("DESCRIPTION.page OUTPUT.pdf");
    g_option_context_set_summary(context,
                                 "Draw a fixture PDF in the layout of the 自治体国際交流表彰 award reports\n"
                                 "from a page description (format: tools/README.md).");
    g_option_context_add_main_entries(context, entries, NULL);
    g_autoptr(GError) error = NULL;
    if (!g_option_context_parse(context, &argc, &argv, &error) || argc != 3) {
        fprintf(stderr, "hy_genfixture: %s\nsee 'hy_genfixture --help'\n",
                error != NULL ? error->message : "expected DESCRIPTION.page OUTPUT.pdf");
        return 2;
    }
    if (producer == NULL) producer = g_strdup("cairo");
    if (strcmp(producer, "cairo") != 0 && strcmp(producer, "libreoffice") != 0 && strcmp(producer, "chromium") != 0) {
        fprintf(stderr, "hy_genfixture: --producer takes cairo, libreoffice or chromium, not '%s'\n", producer);
        return 2;
    }
    g_autoptr(Doc) doc = doc_load(argv[1], &error);
    g_autoptr(GByteArray) pdf = NULL;
    if (doc != NULL)
        pdf = strcmp(producer, "cairo") == 0 ? doc_render(doc, &error) : doc_render_external(doc, producer, &error);
    /* g_file_set_contents writes a temporary file and renames it: no half-written fixture. */
    if (pdf == NULL || !g_file_set_contents(argv[2], (const char *)pdf->data, (gssize)pdf->len, &error)) {
        fprintf(stderr, "hy_genfixture: %s\n", error->message);
        /* A missing or failing producer is the environment, not the description. */
        return g_error_matches(error, HY_GENFIXTURE_ERROR, HY_GENFIXTURE_ERROR_PRODUCER) ? 3 : 1;
    }
    return 0;
}
