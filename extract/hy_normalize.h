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
    int blank_before;    /* text: empty lines before this line on its page; PDF: 1 when the
                          * gap above it, to the previous line of its page, exceeds 0.8
                          * line heights (a paragraph or caption break), else 0 */
    int indent;          /* leading white space in @raw, in columns (a tab counts 1, U+3000 counts 2) */
    double font_size;    /* points, at most 14400 (the largest PDF page); 0 when unknown
                          * (text input, or a size no page could show) */
    double x, y;         /* top-left corner on the page in points (of the line's first
                          * visible character, y from the top of the page), finite; 0 when
                          * unknown */
    double box_top, box_right, box_bottom; /* with @x, the box round all the line's visible
                          * characters, in the same points; all 0 when unknown */
    char *raw;           /* the line as extracted, kept for diagnostics; stored with the
                          * line itself and freed with it (never replace the pointer) */
    char *text;          /* normalized, never NULL once normalized; "" for a blank line; may be
                          * @raw itself (a line that normalizing leaves as it is): set and
                          * freed only by hy_normalize_line() and hy_line_free() */
} HyLine;

/* Returns: (transfer full) a line holding a copy of @raw (@raw_len bytes, or up to
 * its NUL when -1), @text still NULL until hy_normalize_line(). */
HyLine *hy_line_new(int page, int number, const char *raw, gssize raw_len);
void hy_line_free(HyLine *line); /* NULL is allowed */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HyLine, hy_line_free)

/* Normalizes one line: a circled number at the line's start (①) first becomes "(1) " so
 * that NFKC cannot melt it into the text (a numbered item's mark is structure); then
 * NFKC, the space rules decided by ICU script and block properties, dash unification
 * between digits, leading/trailing space removed.
 * A leading bullet glyph is kept (it is segment's business to recognise it).
 * In order, on the NFKC text:
 *  0. control characters (general category Cc) are dropped, except the white-space
 *     ones (tab, LF, VT, FF, CR, U+0085), which are white space for rule 1:
 *     `a\x07b` -> `ab`, `a \x01 b` -> `a b`; a NUL byte within @len bytes is invalid
 *     UTF-8 (the error below). Format characters (Cf: U+200B, soft hyphen...) are no
 *     controls and stay. CJK Radicals Supplement code points whose glyph is a whole
 *     ideograph, as fonts map 民 to ⺠ U+2EA0, become that ideograph;
 *  1a. letter-spaced text (MuPDF, PyMuPDF, pdfminer on text set with letter spacing:
 *     four or more one-character pieces one space apart, two of them letters or digits
 *     side by side) loses those single spaces: `0 7 6 - 4 4 4 - 3 1 5 8` -> `076-444-3158`;
 *     two or more spaces there were a real space;
 *  1. every run of white space (ICU White_Space: tab, U+3000, newline...) is one space;
 *  2. a dash-like character (see hy_normalize_number_dashes) with an ASCII digit on
 *     both sides, one space either side allowed, becomes '-' and the spaces go:
 *     `076ー444`, `076 − 444` -> `076-444`;
 *  2a. glyph gaps inside a phone number go: three groups joined by '-', starting with 0,
 *     10-11 digits, the last group taking at most four digits across spaces
 *     (`0880-82-1 1 1 3` -> `0880-82-1113`; `…-1113 0880-…` stays two numbers);
 *  2b. and inside a postal code after 〒 (`〒939-1 398` -> `〒939-1398`);
 *  2c. and inside URLs and e-mail addresses: in the scheme up to its "//"
 *     (`https:/ / www`), next to '.' or '@' in a token holding "://", "@" or "www.",
 *     and before '@' after an address's local part; never after a URL's final '/';
 *  3. a space next to a Japanese character (hy_normalize_is_japanese) goes, as do
 *     leading and trailing spaces; other spaces stay: `URL :http`, `\uF0B2 35年間`.
 * Private-use characters (symbol-font bullets) pass through unchanged.
 * Returns: (transfer full) normalized UTF-8, or NULL with HY_NORMALIZE_ERROR_INPUT
 * (not valid UTF-8; @len -1 means up to the NUL) or HY_NORMALIZE_ERROR_ICU. */
char *hy_normalize_text(const char *utf8, gssize len, GError **error);

/* Fills @line->text from @line->raw and @line->indent from its leading blanks
 * (tab 1 column, East Asian wide blanks such as U+3000 2, other blanks 1).
 * Returns: FALSE with the error of hy_normalize_text(), @line unchanged. */
gboolean hy_normalize_line(HyLine *line, GError **error);

/* Joins two normalized pieces of one wrapped sentence or caption: no space between
 * Japanese characters, one space between Latin words, none inside a URL or e-mail
 * address broken over two lines. Precisely, after dropping spaces at the seam:
 *  - an empty side gives the other side;
 *  - no space when @head's last or @tail's first character is Japanese;
 *  - no space when @head's last token contains "://", "www." or "@" (a URL or an
 *    e-mail address wrapped onto the next line);
 *  - one space when @head ends with a letter, digit or one of , . ; : ! ? ) ] }
 *    and @tail starts with a letter, digit or one of ( [ {;
 *  - no space otherwise (e.g. after a hyphen or slash: `co-` + `operation`).
 * Returns: (transfer full) the joined text. */
char *hy_normalize_join(const char *head, const char *tail);

/* TRUE when @c is a Japanese character in the sense of the space rules (Han,
 * Hiragana, Katakana, CJK symbols and punctuation, full-width forms). Decided by
 * ICU: script Han/Hiragana/Katakana, or the blocks CJK Symbols and Punctuation,
 * Hiragana, Katakana (ー・), Katakana Phonetic Extensions, Halfwidth and Fullwidth
 * Forms, CJK (Compatibility) Ideographs, Enclosed CJK, or the Ideographic property. */
gboolean hy_normalize_is_japanese(gunichar c);

/* Every dash-like character (ー − ‐ – — ― － and '-') becomes '-', white space is dropped;
 * for phone numbers and postal codes. Dash-like means ICU's Dash property plus ー and
 * ｰ, minus the wave dashes 〜 〰 ⁓ (a range, not a hyphen). NFKC applies first, so
 * full-width digits become ASCII; invalid UTF-8 is replaced by U+FFFD. Every other
 * character stays, control characters included (unlike hy_normalize_text()).
 * Returns: (transfer full). */
char *hy_normalize_number_dashes(const char *utf8);

/* ISO 3166-1 alpha-2 code for a Japanese country name as ICU's "ja" locale displays
 * it (中国, 韓国, アメリカ合衆国, ...). @japanese_name may be raw or normalized text.
 * Returns: (transfer none) code, or NULL when ICU knows no region of that name. The
 * table is built once, thread-safely. */
const char *hy_normalize_region_code(const char *japanese_name);

/* Lists every (Japanese display name, alpha-2 code) pair the region table holds,
 * for longest-prefix matching. A name is there as ICU spells it and, where that
 * differs, in its normalized form (hy_normalize_text), both with the same code.
 * Returns: (transfer none) GHashTable name -> code; do not modify it. */
GHashTable *hy_normalize_region_names(void);

/* Gregorian year of year @era_year of the Japanese era named @era (令和, 平成,
 * 昭和, ...), through ICU's Japanese calendar. @era is NFKC-normalized first (㍻
 * matches 平成). Thread-safe; the era names are read from ICU once.
 * Returns: the year, or 0 when ICU knows no such era or @era_year < 1. */
int hy_normalize_era_to_gregorian(const char *era, int era_year);

G_END_DECLS
