/* normalize_text.c -- the normalize stage's main entry points, hy_normalize_text() and
 * hy_normalize_line(), with the HyLine type the latter fills and the stage's error
 * domain. Text takes NFKC's piecewise path (normalize_nfkc.c) whenever it can, the
 * whole-string path otherwise (invalid UTF-8, a leading circled number, text too long),
 * then the rules (normalize_rules.c). The rest of the stage: the per-code-point answers
 * (normalize_chars.c), wrapped-line joining and number dashes (normalize_join.c), the
 * answers of ICU's locale data (normalize_icu_data.c). */
#include "normalize_private.h"

#include <string.h>

#include <unicode/uchar.h>

G_DEFINE_QUARK(hy-normalize-error-quark, hy_normalize_error)

/* ---- lines ---------------------------------------------------------------- */

HyLine *hy_line_new(int page, int number, const char *raw, gssize raw_len)
{
    g_return_val_if_fail(raw != NULL || raw_len == 0, NULL);

    /* The line and its raw text in one allocation: a document has one line per ~50 bytes
     * of input, and each allocation costs more than copying the bytes. */
    gsize len = raw_len < 0 ? strlen(raw) : (gsize)raw_len;
    const char *nul = raw_len > 0 ? memchr(raw, '\0', len) : NULL; /* as g_strndup(): a NUL ends it */
    if (nul != NULL) len = (gsize)(nul - raw);
    HyLine *line = g_malloc0(sizeof *line + len + 1);
    line->page = page;
    line->number = number;
    line->raw = (char *)(line + 1);
    if (len > 0) memcpy(line->raw, raw, len);
    return line;
}

void hy_line_free(HyLine *line)
{
    if (line == NULL)
        return;
    /* @raw is part of the line's own allocation, and @text may be @raw itself */
    if (line->text != line->raw) g_free(line->text);
    g_free(line);
}

/* ---- text ----------------------------------------------------------------- */

/* The number 1-50 of a circled number (①, ❶, ➀), or 0 for any other character. */
static int circled_number_value(UChar32 c)
{
    double value = u_getNumericValue(c);
    if (u_charType(c) != U_OTHER_NUMBER || value < 1 || value > 50 || value != (int)value ||
        u_getIntPropertyValue(c, UCHAR_DECOMPOSITION_TYPE) != U_DT_CIRCLE)
        return 0;
    return (int)value;
}

/* A numbered item's circled number (①, ❶, ➀) melts into its text under NFKC
 * ("①交流" -> "1交流"). At the start of a line it is structure, so it becomes "(1) "
 * first and the rules can still see the number apart. Returns NULL when the line does
 * not start with one (or is not valid UTF-8: NFKC reports that). */
static char *mark_leading_number(const char *utf8, gssize len)
{
    gsize size = len < 0 ? strlen(utf8) : (gsize)len;
    if (!g_utf8_validate_len(utf8, size, NULL))
        return NULL;
    const char *p = utf8, *end = utf8 + size;
    while (p < end && hy_normalize__is_space(g_utf8_get_char(p)))
        p = g_utf8_next_char(p);
    if (p >= end)
        return NULL;
    int value = circled_number_value((UChar32)g_utf8_get_char(p));
    if (value == 0)
        return NULL;
    const char *rest = g_utf8_next_char(p);
    return g_strdup_printf("%.*s(%d) %.*s", (int)(p - utf8), utf8, value, (int)(end - rest), rest);
}

/* hy_normalize_text() without the UTF-16 round trip of the whole line, for valid UTF-8
 * that does not start with a circled number. FALSE: not decided here, the ICU path
 * gives the answer (or the error). Same result, by construction: the same rules on the
 * same code points. @out is @utf8 itself (not a copy) when @share and normalization
 * changes nothing. */
static gboolean normalize_fast(const char *utf8, gsize size, gboolean share, char **out)
{
    if (size > G_MAXINT32 / 2)
        return FALSE;
    gunichar in_stack[256], out_stack[512];
    HyCodePoints in, norm;
    hy_normalize__cps_init(&in, in_stack, G_N_ELEMENTS(in_stack));
    hy_normalize__cps_init(&norm, out_stack, G_N_ELEMENTS(out_stack));
    guint8 all = 0, any = 0;
    gboolean ok = hy_normalize__decode_utf8(utf8, size, &in, &all, &any);
    if (ok && (all & HY_CP_INERT) && !(any & (HY_CP_SPACE | HY_CP_CONTROL | HY_CP_DASH))) {
        /* NFKC keeps every character and no rule applies: most lines of Japanese prose */
        *out = share ? (char *)utf8 : g_strndup(utf8, size);
    } else if (ok && (all & HY_CP_INERT)) {
        *out = hy_normalize__encode_utf8(in.data, hy_normalize__apply_rules(in.data, in.len));
    } else if (ok) {
        gsize first = 0;
        while (first < in.len && (hy_normalize__cp_flags(in.data[first]) & HY_CP_SPACE))
            first++;
        /* A circled number is never inert (it has a compatibility decomposition). */
        if (first < in.len && !(hy_normalize__cp_flags(in.data[first]) & HY_CP_INERT))
            ok = circled_number_value((UChar32)in.data[first]) == 0;
        ok = ok && hy_normalize__nfkc_pieces(in.data, in.len, &norm);
        if (ok)
            *out = hy_normalize__encode_utf8(norm.data, hy_normalize__apply_rules(norm.data, norm.len));
    }
    hy_normalize__cps_clear(&in);
    hy_normalize__cps_clear(&norm);
    return ok;
}

/* What normalize_fast() leaves: invalid UTF-8 (the error), a leading circled number,
 * text too long for the piecewise path. */
static char *normalize_slow(const char *utf8, gssize len, GError **error)
{
    g_autofree char *marked = utf8 != NULL ? mark_leading_number(utf8, len) : NULL;
    if (marked != NULL) {
        utf8 = marked;
        len = -1;
    }
    gsize n = 0;
    g_autofree gunichar *cps = hy_normalize__nfkc_code_points(utf8 ? utf8 : "", len, &n, error);
    if (cps == NULL)
        return NULL;
    n = hy_normalize__apply_rules(cps, n);
    return hy_normalize__code_points_to_utf8(cps, n);
}

char *hy_normalize_text(const char *utf8, gssize len, GError **error)
{
    g_return_val_if_fail(utf8 != NULL || len == 0, NULL);

    char *fast = NULL;
    if (utf8 != NULL && normalize_fast(utf8, len < 0 ? strlen(utf8) : (gsize)len, FALSE, &fast))
        return fast;
    return normalize_slow(utf8, len, error);
}

gboolean hy_normalize_line(HyLine *line, GError **error)
{
    g_return_val_if_fail(line != NULL && line->raw != NULL, FALSE);

    /* Most lines of Japanese prose are their own normal form: then @text is @raw, one
     * allocation less for every such line of a document. */
    char *text = NULL;
    if (!normalize_fast(line->raw, strlen(line->raw), TRUE, &text))
        text = normalize_slow(line->raw, -1, error);
    if (text == NULL)
        return FALSE;

    /* Indent in display columns: East Asian wide/full-width blanks (U+3000) are two
     * columns, every other blank (tab included) one. */
    int indent = 0;
    for (const char *p = line->raw; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (!hy_normalize__is_space(c))
            break;
        int width = u_getIntPropertyValue((UChar32)c, UCHAR_EAST_ASIAN_WIDTH);
        indent += (c != '\t' && (width == U_EA_FULLWIDTH || width == U_EA_WIDE)) ? 2 : 1;
    }

    if (line->text != line->raw) g_free(line->text);
    line->text = text;
    line->indent = indent;
    return TRUE;
}
