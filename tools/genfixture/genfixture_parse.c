/* genfixture_parse.c -- hy_genfixture's page descriptions read into a Doc (genfixture_private.h):
 * the statements of the .page format (documented in tools/README.md), checked line by line, with
 * an error naming the file and line of the first that is wrong. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "genfixture_private.h"

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

void hy_genfixture__doc_free(Doc *doc)
{
    g_free(doc->path);
    g_free(doc->body_family);
    g_ptr_array_unref(doc->pages);
    g_free(doc);
}

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
Doc *hy_genfixture__doc_load(const char *path, GError **error)
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
