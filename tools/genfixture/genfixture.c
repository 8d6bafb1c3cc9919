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
#include <locale.h>
#include <pango/pangocairo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HY_GENFIXTURE_ERROR (hy_genfixture_error_quark())
G_DEFINE_QUARK(hy - genfixture - error - quark, hy_genfixture_error)

typedef enum {
    HY_GENFIXTURE_ERROR_INPUT,  /* the description cannot be read or does not parse */
    HY_GENFIXTURE_ERROR_LAYOUT, /* it parses, but does not fit on the page or lacks a font */
    HY_GENFIXTURE_ERROR_OUTPUT, /* cairo or the file system failed */
} HyGenfixtureError;

/* Geometry in PDF points (1/72 in); A4 portrait, margins close to Word's Japanese defaults. */
#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN_X 68.0
#define MARGIN_TOP 62.0
#define MARGIN_BOTTOM 62.0
#define CONTENT_W (PAGE_W - 2 * MARGIN_X)
#define HEADER_TOP 30.0
#define PAGE_NUMBER_TOP (PAGE_H - 40.0)

#define BODY_SIZE 11.0
#define HEADING_SIZE 14.0
#define TITLE_SIZE 14.0
#define HEADER_SIZE 9.0
#define CAPTION_SIZE 9.0
#define LINE_SPACING 1.45 /* wide Word-like leading: pdftotext then keeps wrapped lines apart */

#define BOX_PAD 9.0
#define BULLET_INDENT 17.0 /* hanging indent: continuation lines start under the text, not the bullet */
#define BULLET_GAP 4.0
#define PART_GAP 12.0
#define HEADING_GAP 8.0
#define TITLE_GAP 16.0
#define SECTION_GAP 22.0
#define PHOTO_GAP 20.0 /* between two photos of a row */
#define CAPTION_GAP 4.0
#define CAPTION_OVERHANG 6.0
#define CONTACT_LINE_GAP 2.0
#define DEFAULT_PHOTO_HEIGHT_MM 55.0

/* A Word bullet from the Wingdings font comes out of a PDF as U+F0B2 (Wingdings code 0xB2 in the
 * symbol-font private-use area). We draw a bullet-looking glyph from an ordinary font and state
 * U+F0B2 as its text, which cairo writes into the font's ToUnicode map. */
#define WINGDINGS_TEXT "\xEF\x82\xB2" /* U+F0B2 */
#define WINGDINGS_LOOK "\xE2\x9C\xA7" /* U+2727 WHITE FOUR POINTED STAR, the glyph that is drawn */
#define WINGDINGS_FAMILY "DejaVu Sans"

/* Fixed, so that regenerating a fixture gives the same PDF. */
#define FIXED_DATE "2020-01-01T00:00:00+09:00"

/* ---- the page description ------------------------------------------------------------------- */

typedef enum { GLYPH_TEXT, GLYPH_WINGDINGS, GLYPH_NONE } GlyphKind;

typedef struct {
    char *text;
    GlyphKind glyph_kind;
    char *glyph; /* the bullet drawn as text, for GLYPH_TEXT only */
} Bullet;

typedef enum { PART_HEADING, PART_BULLETS, PART_PHOTO, PART_CONTACT } PartKind;

typedef struct {
    PartKind kind;
    guint index;    /* which photo, for PART_PHOTO */
    double x, y, w; /* placed by section_place() */
} Part;

/* One awardee block, or the rest of one after a page break, as it sits on one page. */
typedef struct {
    guint line;
    char *heading;       /* (nullable) '|' forces a line break */
    GPtrArray *bullets;  /* Bullet* */
    GPtrArray *captions; /* char*, one per photo; '|' forces a line break */
    guint columns;
    double photo_height;
    char *contact_title;
    GPtrArray *contact_lines; /* char* */
    char *order;              /* (nullable) the order statement as written */
    guint order_line;
    GArray *draw; /* Part, in drawing order; set by section_resolve_order() */
} Section;

typedef struct {
    guint line;
    char *header; /* (nullable) */
    char *title;  /* (nullable) */
    gboolean page_number;
    GPtrArray *sections; /* Section* */
} Page;

typedef struct {
    char *path;
    char *body_family;
    gboolean wingdings; /* some bullet needs the Wingdings stand-in font */
    GPtrArray *pages;   /* Page* */
} Doc;

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
    g_free(pg->title);
    g_ptr_array_unref(pg->sections);
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
    g_ptr_array_add(p->doc->pages, pg);
    p->page = pg;
    p->section = NULL;
    return pg;
}

/* Content before the first 'page' statement goes to a page 1 created on demand, so a file may
 * begin with 'page' or not and still starts on page 1. */
static Page *parser_page(Parser *p)
{
    return p->page != NULL ? p->page : parser_new_page(p);
}

static void parser_new_section(Parser *p)
{
    Section *s = g_new0(Section, 1);
    s->line = p->line;
    s->bullets = g_ptr_array_new_with_free_func(bullet_free);
    s->captions = g_ptr_array_new_with_free_func(g_free);
    s->columns = 2;
    s->photo_height = DEFAULT_PHOTO_HEIGHT_MM * 72.0 / 25.4;
    s->contact_title = g_strdup("お問い合わせ先");
    s->contact_lines = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(parser_page(p)->sections, s);
    p->section = s;
    p->sections++;
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
        if (pg->title != NULL) return fail(p, error, "a second 'title' on this page");
        if (pg->sections->len > 0) return fail(p, error, "'title' must come before the page's first awardee");
        pg->title = g_strdup(arg);
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

    /* Everything else fills the current awardee. */
    Section *s = p->section;
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
static GArray *section_parts(const Section *s)
{
    GArray *parts = g_array_new(FALSE, TRUE, sizeof(Part));
    if (s->heading != NULL) g_array_append_val(parts, ((Part){.kind = PART_HEADING}));
    if (s->bullets->len > 0) g_array_append_val(parts, ((Part){.kind = PART_BULLETS}));
    for (guint i = 0; i < s->captions->len; i++)
        g_array_append_val(parts, ((Part){.kind = PART_PHOTO, .index = i}));
    if (s->contact_lines->len > 0) g_array_append_val(parts, ((Part){.kind = PART_CONTACT}));
    return parts;
}

/* Sets s->draw: the parts named by 'order' first, in that order, then the rest in reading order.
 * Naming a part the awardee does not have is an error, as it is most likely a typo. */
static gboolean section_resolve_order(Parser *p, Section *s, GError **error)
{
    g_autoptr(GArray) parts = section_parts(s);
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
        layout_new(r, r->doc->body_family, BODY_SIZE, FALSE, b->text, w - BULLET_INDENT, FALSE);
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

static double contact_draw(Render *r, const Section *s, double x, double y, double w, gboolean draw)
{
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
    g_autoptr(GArray) parts = section_parts(s);
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

static gboolean page_render(Render *r, const Page *pg, guint number, GError **error)
{
    if (pg->header != NULL) {
        g_autoptr(PangoLayout) header =
            layout_new(r, "IPAexGothic", HEADER_SIZE, FALSE, pg->header, CONTENT_W, FALSE);
        pango_layout_set_alignment(header, PANGO_ALIGN_RIGHT);
        layout_show(r, header, MARGIN_X, HEADER_TOP);
    }
    double y = MARGIN_TOP;
    if (pg->title != NULL) {
        g_autoptr(PangoLayout) title =
            layout_new(r, "IPAexGothic", TITLE_SIZE, TRUE, pg->title, CONTENT_W, TRUE);
        pango_layout_set_alignment(title, PANGO_ALIGN_CENTER);
        pango_layout_set_line_spacing(title, 1.2f);
        layout_show(r, title, MARGIN_X, y);
        y += layout_height(title) + TITLE_GAP;
    }
    for (guint i = 0; i < pg->sections->len; i++) {
        Section *s = g_ptr_array_index(pg->sections, i);
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

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    g_autoptr(GOptionContext) context = g_option_context_new("DESCRIPTION.page OUTPUT.pdf");
    g_option_context_set_summary(context,
                                 "Draw a fixture PDF in the layout of the 自治体国際交流表彰 award reports\n"
                                 "from a page description (format: tools/README.md).");
    g_autoptr(GError) error = NULL;
    if (!g_option_context_parse(context, &argc, &argv, &error) || argc != 3) {
        fprintf(stderr, "hy_genfixture: %s\nsee 'hy_genfixture --help'\n",
                error != NULL ? error->message : "expected DESCRIPTION.page OUTPUT.pdf");
        return 2;
    }
    g_autoptr(Doc) doc = doc_load(argv[1], &error);
    g_autoptr(GByteArray) pdf = doc != NULL ? doc_render(doc, &error) : NULL;
    /* g_file_set_contents writes a temporary file and renames it: no half-written fixture. */
    if (pdf == NULL || !g_file_set_contents(argv[2], (const char *)pdf->data, (gssize)pdf->len, &error)) {
        fprintf(stderr, "hy_genfixture: %s\n", error->message);
        return 1;
    }
    return 0;
}
