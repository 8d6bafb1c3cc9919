/* hy_normalize.h -- normalize stage: raw extracted text -> the clean text every later
 * stage sees (output-v1.md, "Text normalization"), plus the other answers only ICU
 * knows (Japanese region names, Japanese-calendar years). ICU's UTF-16 lives only
 * behind this header; everything that crosses it is UTF-8. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HY_NORMALIZE_ERROR (hy_normalize_error_quark())
GQuark hy_normalize_error_quark(void);

typedef enum {
    HY_NORMALIZE_ERROR_INPUT, /* not valid UTF-8 */
    HY_NORMALIZE_ERROR_ICU,   /* ICU refused (message names the UErrorCode) */
} HyNormalizeError;

/* One line of a document, as segment sees it. Produced by the extract stage,
 * which fills @raw and the layout fields, then @text through hy_normalize_line(). */
typedef struct {
    int page;            /* 1-based */
    int number;          /* 1-based line number in the document, for diagnostics */
    int blank_before;    /* empty lines (text) or empty line heights (PDF) before this line */
    int indent;          /* leading white space in @raw, in columns (a tab counts 1, U+3000 counts 2) */
    double font_size;    /* points; 0 when unknown (text input) */
    double x, y;         /* top-left corner on the page in points; 0 when unknown */
    char *raw;           /* the line as extracted (transfer full), kept for diagnostics */
    char *text;          /* normalized, never NULL once normalized; "" for a blank line */
} HyLine;

HyLine *hy_line_new(int page, int number, const char *raw, gssize raw_len);
void hy_line_free(HyLine *line);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HyLine, hy_line_free)

/* Normalizes one line: NFKC, the space rules decided by ICU script and block
 * properties, dash unification between digits, leading/trailing space removed.
 * A leading bullet glyph is kept (it is segment's business to recognise it).
 * Returns: (transfer full) normalized UTF-8, or NULL with HY_NORMALIZE_ERROR_INPUT. */
char *hy_normalize_text(const char *utf8, gssize len, GError **error);

/* Fills @line->text from @line->raw and @line->indent from its leading blanks. */
gboolean hy_normalize_line(HyLine *line, GError **error);

/* Joins two normalized pieces of one wrapped sentence or caption: no space between
 * Japanese characters, one space between Latin words, none inside a URL or e-mail
 * address broken over two lines. Returns: (transfer full) the joined text. */
char *hy_normalize_join(const char *head, const char *tail);

/* TRUE when @c is a Japanese character in the sense of the space rules (Han,
 * Hiragana, Katakana, CJK symbols and punctuation, full-width forms). */
gboolean hy_normalize_is_japanese(gunichar c);

/* Every dash-like character (ー − ‐ – — ― － and '-') becomes '-', white space is dropped;
 * for phone numbers and postal codes. Returns: (transfer full). */
char *hy_normalize_number_dashes(const char *utf8);

/* ISO 3166-1 alpha-2 code for a Japanese country name as ICU's "ja" locale displays
 * it (中国, 韓国, アメリカ合衆国, ...). Returns: (transfer none) code, or NULL when
 * ICU knows no region of that name. The table is built once, thread-safely. */
const char *hy_normalize_region_code(const char *japanese_name);

/* Lists every (Japanese display name, alpha-2 code) pair the region table holds,
 * for longest-prefix matching. Returns: (transfer none) GHashTable name -> code. */
GHashTable *hy_normalize_region_names(void);

/* Gregorian year of year @era_year of the Japanese era named @era (令和, 平成,
 * 昭和, ...), through ICU's Japanese calendar. Returns: the year, or 0 when ICU
 * knows no such era. */
int hy_normalize_era_to_gregorian(const char *era, int era_year);

G_END_DECLS
