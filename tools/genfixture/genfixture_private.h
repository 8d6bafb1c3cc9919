/* genfixture_private.h -- the parsed page description that hy_genfixture's three producers share:
 * cairo (genfixture.c, the reference drawing), LibreOffice Writer (genfixture_odf.c: a flat ODF
 * document converted by soffice) and Chromium (genfixture_html.c: HTML printed to PDF). The parser
 * is genfixture_parse.c; the format is documented in tools/README.md. */
#pragma once

#include <glib.h>

#define HY_GENFIXTURE_ERROR (hy_genfixture_error_quark())
GQuark hy_genfixture_error_quark(void);

typedef enum {
    HY_GENFIXTURE_ERROR_INPUT,    /* the description cannot be read or does not parse */
    HY_GENFIXTURE_ERROR_LAYOUT,   /* it parses, but does not fit on the page or lacks a font */
    HY_GENFIXTURE_ERROR_OUTPUT,   /* cairo or the file system failed */
    HY_GENFIXTURE_ERROR_PRODUCER, /* soffice or chromium is missing, failed or timed out */
} HyGenfixtureError;

/* Geometry shared by all producers, in PDF points (1/72 in): A4 portrait, margins close to
 * Word's Japanese defaults. */
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
#define PRIZE_SIZE 12.0
#define COVER_SIZE 16.0 /* text-center: a cover's title */

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
#define VERTICAL_LABEL_X 30.0 /* left edge of a vertical label, inside the left margin */

/* A Word bullet from the Wingdings font comes out of a PDF as U+F0B2 (Wingdings code 0xB2 in the
 * symbol-font private-use area). */
#define WINGDINGS_TEXT "\xEF\x82\xB2" /* U+F0B2 */

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
    double x, y, w; /* placed by the cairo producer */
} Part;

/* What a page is made of, top to bottom: awardee blocks and loose paragraphs between them. */
typedef enum {
    SECTION_BLOCK,       /* an awardee block, or the rest of one after a page break or a 'text' */
    SECTION_TEXT,        /* 'text': body paragraph, left */
    SECTION_TEXT_RIGHT,  /* 'text-right': body paragraph, right-aligned */
    SECTION_TEXT_CENTER, /* 'text-center': gothic bold, centred */
    SECTION_PRIZE,       /* 'prize': gothic bold 12 pt, left */
    SECTION_TITLE,       /* 'title': gothic bold 14 pt, centred, before the page's blocks */
} SectionKind;

typedef enum { CONTACT_BOX, CONTACT_TABLE } ContactStyle;

/* One awardee block (or the rest of one) as it sits on one page, or one loose paragraph. */
typedef struct {
    SectionKind kind;
    guint line;
    char *text;          /* the paragraph of a loose section; '|' forces a line break */
    char *heading;       /* (nullable) '|' forces a line break */
    GPtrArray *bullets;  /* Bullet* */
    GPtrArray *captions; /* char*, one per photo; '|' forces a line break */
    guint columns;
    double photo_height; /* points */
    char *contact_title;
    GPtrArray *contact_lines; /* char* */
    ContactStyle contact_style;
    char *order; /* (nullable) the order statement as written */
    guint order_line;
    GArray *draw; /* Part, in drawing order (cairo only) */
} Section;

typedef struct {
    guint line;
    char *header; /* (nullable) */
    gboolean title; /* the page has its title (a SECTION_TITLE) */
    gboolean page_number;
    GPtrArray *sections;        /* Section* */
    GPtrArray *vertical_labels; /* char*, set in the left margin, top to bottom */
} Page;

typedef struct {
    char *path;
    char *body_family;
    gboolean wingdings; /* some bullet needs the Wingdings glyph */
    GPtrArray *pages;   /* Page* */
} Doc;

/* How much a producer shrinks photos and fonts so that its pages hold what the description's
 * pages hold: 1.0 is the description's size. */
typedef struct {
    double photo; /* factor on photo heights */
    double font;  /* factor on font sizes */
} HyShrink;

/* Reads the page description at @path. Returns: (transfer full), or NULL with the file and line
 * of the first wrong statement. */
Doc *hy_genfixture__doc_load(const char *path, GError **error);
void hy_genfixture__doc_free(Doc *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Doc, hy_genfixture__doc_free)

/* The PDF of @doc drawn by cairo and Pango. Returns: (transfer full), or NULL with the error. */
GByteArray *hy_genfixture__render_cairo(const Doc *doc, GError **error);

/* Returns: (transfer full) the parts of a block in reading order: heading, bullets, photos, contact. */
GArray *hy_genfixture__section_parts(const Section *s);

/* Splits a contact line at its first '：' or ':' into label and value; FALSE when it has none. */
gboolean hy_genfixture__contact_split(const char *line, char **label, char **value);

/* Writes the flat ODF document of @doc to @path. */
gboolean hy_genfixture__write_odf(const Doc *doc, const HyShrink *shrink, const char *path, GError **error);

/* Writes the HTML document of @doc to @path. */
gboolean hy_genfixture__write_html(const Doc *doc, const HyShrink *shrink, const char *path, GError **error);
