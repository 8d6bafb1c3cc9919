/* normalize_icu.c -- the normalize stage (hy_normalize.h): NFKC, the space and dash
 * rules, wrapped-line joining, and the two answers only ICU's data knows (Japanese
 * region names, Japanese-calendar eras). The only file of the project that touches
 * ICU's UTF-16 API: UTF-8 comes in, is converted once, and UTF-8 goes out. */
#include "hy_normalize.h"

#include <string.h>

#include <unicode/ucal.h>
#include <unicode/uchar.h>
#include <unicode/udat.h>
#include <unicode/uloc.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

G_DEFINE_QUARK(hy-normalize-error-quark, hy_normalize_error)

/* ---- lines ---------------------------------------------------------------- */

HyLine *hy_line_new(int page, int number, const char *raw, gssize raw_len)
{
    g_return_val_if_fail(raw != NULL || raw_len == 0, NULL);

    HyLine *line = g_new0(HyLine, 1);
    line->page = page;
    line->number = number;
    line->raw = raw_len < 0 ? g_strdup(raw) : g_strndup(raw ? raw : "", (gsize)raw_len);
    return line;
}

void hy_line_free(HyLine *line)
{
    if (line == NULL)
        return;
    g_free(line->raw);
    g_free(line->text);
    g_free(line);
}

/* ---- UTF-8 <-> code points through ICU ------------------------------------ */

static void set_icu_error(GError **error, const char *what, UErrorCode status)
{
    g_set_error(error, HY_NORMALIZE_ERROR, HY_NORMALIZE_ERROR_ICU, "%s: %s", what,
                u_errorName(status));
}

/* Validates @utf8, converts it to UTF-16 and applies NFKC, then unpacks the result
 * into code points, the unit every rule below works on. */
static gunichar *nfkc_code_points(const char *utf8, gssize len, gsize *out_n, GError **error)
{
    gsize n_bytes = len < 0 ? strlen(utf8) : (gsize)len;
    const char *bad = NULL;
    if (!g_utf8_validate_len(utf8, n_bytes, &bad)) {
        g_set_error(error, HY_NORMALIZE_ERROR, HY_NORMALIZE_ERROR_INPUT,
                    "not valid UTF-8 at byte %zu", (size_t)(bad - utf8));
        return NULL;
    }
    if (n_bytes > G_MAXINT32 / 2) {
        g_set_error(error, HY_NORMALIZE_ERROR, HY_NORMALIZE_ERROR_INPUT, "text too long (%zu bytes)",
                    n_bytes);
        return NULL;
    }

    UErrorCode status = U_ZERO_ERROR;
    int32_t n16 = 0;
    u_strFromUTF8(NULL, 0, &n16, utf8, (int32_t)n_bytes, &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) {
        set_icu_error(error, "u_strFromUTF8", status);
        return NULL;
    }
    g_autofree UChar *u16 = g_new(UChar, n16 + 1);
    status = U_ZERO_ERROR;
    u_strFromUTF8(u16, n16 + 1, NULL, utf8, (int32_t)n_bytes, &status);
    if (U_FAILURE(status)) {
        set_icu_error(error, "u_strFromUTF8", status);
        return NULL;
    }

    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&status);
    if (U_FAILURE(status)) {
        set_icu_error(error, "unorm2_getNFKCInstance", status);
        return NULL;
    }
    int32_t n_norm = unorm2_normalize(nfkc, u16, n16, NULL, 0, &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) {
        set_icu_error(error, "unorm2_normalize", status);
        return NULL;
    }
    g_autofree UChar *norm = g_new(UChar, n_norm + 1);
    status = U_ZERO_ERROR;
    unorm2_normalize(nfkc, u16, n16, norm, n_norm + 1, &status);
    if (U_FAILURE(status)) {
        set_icu_error(error, "unorm2_normalize", status);
        return NULL;
    }

    gunichar *cps = g_new(gunichar, n_norm + 1);
    gsize n = 0;
    for (int32_t i = 0; i < n_norm;) {
        UChar32 c;
        U16_NEXT(norm, i, n_norm, c);
        cps[n++] = (gunichar)c;
    }
    *out_n = n;
    return cps;
}

static char *code_points_to_utf8(const gunichar *cps, gsize n)
{
    GString *out = g_string_sized_new(n * 3 + 1);
    for (gsize i = 0; i < n; i++)
        g_string_append_unichar(out, cps[i]);
    return g_string_free(out, FALSE);
}

/* ---- character classes ---------------------------------------------------- */

gboolean hy_normalize_is_japanese(gunichar c)
{
    UErrorCode status = U_ZERO_ERROR;
    UScriptCode script = uscript_getScript((UChar32)c, &status);
    if (U_SUCCESS(status) && (script == USCRIPT_HAN || script == USCRIPT_HIRAGANA ||
                              script == USCRIPT_KATAKANA || script == USCRIPT_KATAKANA_OR_HIRAGANA))
        return TRUE;

    /* Script alone misses the Common-script marks that belong to Japanese text:
     * 「」、。〒 (CJK Symbols), ・ー (Katakana block, script Common), full-width forms. */
    switch (ublock_getCode((UChar32)c)) {
    case UBLOCK_CJK_SYMBOLS_AND_PUNCTUATION:
    case UBLOCK_HIRAGANA:
    case UBLOCK_KATAKANA:
    case UBLOCK_KATAKANA_PHONETIC_EXTENSIONS:
    case UBLOCK_HALFWIDTH_AND_FULLWIDTH_FORMS:
    case UBLOCK_CJK_UNIFIED_IDEOGRAPHS:
    case UBLOCK_CJK_COMPATIBILITY_IDEOGRAPHS:
    case UBLOCK_ENCLOSED_CJK_LETTERS_AND_MONTHS:
        return TRUE;
    default:
        break;
    }
    return u_hasBinaryProperty((UChar32)c, UCHAR_IDEOGRAPHIC);
}

/* Dash-like: Unicode's Dash property (‐ ‑ ‒ – — ― − - ...) and the prolonged-sound mark
 * ー, which PDF producers put between phone-number groups. The wave dashes 〜 〰 and ⁓
 * carry the Dash property too but mean "to" (a range), not a hyphen, so they stay. */
static gboolean is_dash_like(gunichar c)
{
    if (c == 0x30FC || c == 0xFF70) /* ー, half-width ｰ */
        return TRUE;
    if (c == 0x301C || c == 0x3030 || c == 0x2053)
        return FALSE;
    return u_hasBinaryProperty((UChar32)c, UCHAR_DASH);
}

static gboolean is_space(gunichar c)
{
    return u_isUWhiteSpace((UChar32)c);
}

static gboolean is_ascii_digit(gunichar c)
{
    return c >= '0' && c <= '9';
}

/* ---- the normalization ---------------------------------------------------- */

/* The rules, in order, on NFKC code points (see hy_normalize.h and output-v1.md):
 * 0. control characters (other than white space) are dropped;
 * 1. every run of white space becomes one ' ';
 * 2. a dash between two ASCII digits (a space either side allowed) becomes '-' and
 *    swallows those spaces, so `076 ー 444` and `076−444` both give `076-444`;
 * 3. a space with a Japanese character on either side goes, as do leading and
 *    trailing spaces. The NFKC forms decide: `住所：` is `住所:` by then. */
static gsize apply_rules(gunichar *c, gsize n)
{
    const gunichar GONE = 0xFFFFFFFFu; /* never a code point */

    gsize m = 0;
    for (gsize i = 0; i < n; i++) {
        /* Control characters are never content; a broken font mapping is the usual source. */
        if (u_charType((UChar32)c[i]) == U_CONTROL_CHAR && !is_space(c[i]))
            continue;
        if (is_space(c[i])) {
            if (m > 0 && c[m - 1] == ' ')
                continue;
            c[m++] = ' ';
        } else {
            c[m++] = c[i];
        }
    }
    n = m;

    for (gsize i = 0; i < n; i++) {
        if (!is_dash_like(c[i]))
            continue;
        gsize before = i, after = i + 1;
        if (before > 0 && c[before - 1] == ' ')
            before--;
        if (after < n && c[after] == ' ')
            after++;
        if (before == 0 || after >= n || !is_ascii_digit(c[before - 1]) || !is_ascii_digit(c[after]))
            continue;
        c[i] = '-';
        if (before < i)
            c[before] = GONE;
        if (after > i + 1)
            c[i + 1] = GONE;
    }

    /* After step 1 a space's neighbours are never spaces, so each space can be
     * judged on its own against the neighbours that are still there. */
    m = 0;
    for (gsize i = 0; i < n; i++) {
        if (c[i] == GONE)
            continue;
        if (c[i] == ' ') {
            gunichar prev = m > 0 ? c[m - 1] : 0;
            gsize j = i + 1;
            while (j < n && c[j] == GONE)
                j++;
            gunichar next = j < n ? c[j] : 0;
            if (prev == 0 || next == 0 || next == ' ' || hy_normalize_is_japanese(prev) ||
                hy_normalize_is_japanese(next))
                continue;
        }
        c[m++] = c[i];
    }
    return m;
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
    while (p < end && is_space(g_utf8_get_char(p)))
        p = g_utf8_next_char(p);
    if (p >= end)
        return NULL;
    UChar32 c = (UChar32)g_utf8_get_char(p);
    double value = u_getNumericValue(c);
    if (u_charType(c) != U_OTHER_NUMBER || value < 1 || value > 50 || value != (int)value ||
        u_getIntPropertyValue(c, UCHAR_DECOMPOSITION_TYPE) != U_DT_CIRCLE)
        return NULL;
    const char *rest = g_utf8_next_char(p);
    return g_strdup_printf("%.*s(%d) %.*s", (int)(p - utf8), utf8, (int)value, (int)(end - rest), rest);
}

char *hy_normalize_text(const char *utf8, gssize len, GError **error)
{
    g_return_val_if_fail(utf8 != NULL || len == 0, NULL);

    g_autofree char *marked = utf8 != NULL ? mark_leading_number(utf8, len) : NULL;
    if (marked != NULL) {
        utf8 = marked;
        len = -1;
    }
    gsize n = 0;
    g_autofree gunichar *cps = nfkc_code_points(utf8 ? utf8 : "", len, &n, error);
    if (cps == NULL)
        return NULL;
    n = apply_rules(cps, n);
    return code_points_to_utf8(cps, n);
}

gboolean hy_normalize_line(HyLine *line, GError **error)
{
    g_return_val_if_fail(line != NULL && line->raw != NULL, FALSE);

    char *text = hy_normalize_text(line->raw, -1, error);
    if (text == NULL)
        return FALSE;

    /* Indent in display columns: East Asian wide/full-width blanks (U+3000) are two
     * columns, every other blank (tab included) one. */
    int indent = 0;
    for (const char *p = line->raw; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (!is_space(c))
            break;
        int width = u_getIntPropertyValue((UChar32)c, UCHAR_EAST_ASIAN_WIDTH);
        indent += (c != '\t' && (width == U_EA_FULLWIDTH || width == U_EA_WIDE)) ? 2 : 1;
    }

    g_free(line->text);
    line->text = text;
    line->indent = indent;
    return TRUE;
}

/* ---- joining wrapped lines ------------------------------------------------ */

/* TRUE when the last space-separated token of @head looks like a URL or an e-mail
 * address, so that its continuation on the next line must be glued on. */
static gboolean token_is_address(const char *head, gsize len)
{
    gsize start = len;
    while (start > 0 && head[start - 1] != ' ')
        start--;
    g_autofree char *token = g_ascii_strdown(head + start, (gssize)(len - start));
    return strstr(token, "://") != NULL || strstr(token, "www.") != NULL || strchr(token, '@') != NULL;
}

char *hy_normalize_join(const char *head, const char *tail)
{
    g_return_val_if_fail(head != NULL && tail != NULL, NULL);

    gsize head_len = strlen(head);
    while (head_len > 0 && head[head_len - 1] == ' ')
        head_len--;
    while (*tail == ' ')
        tail++;
    if (head_len == 0)
        return g_strdup(tail);
    if (*tail == '\0')
        return g_strndup(head, head_len);

    const char *last_p = g_utf8_find_prev_char(head, head + head_len);
    gunichar last = last_p ? g_utf8_get_char_validated(last_p, head + head_len - last_p) : 0;
    gunichar first = g_utf8_get_char_validated(tail, -1);

    gboolean space = FALSE;
    if (last == 0 || first == 0 || hy_normalize_is_japanese(last) || hy_normalize_is_japanese(first))
        space = FALSE;
    else if (token_is_address(head, head_len))
        space = FALSE; /* a URL or e-mail address wrapped onto the next line */
    else {
        gboolean head_word = u_isalnum((UChar32)last) || (last < 0x80 && strchr(",.;:!?)]}", (int)last));
        gboolean tail_word = u_isalnum((UChar32)first) || (first < 0x80 && strchr("([{", (int)first));
        space = head_word && tail_word;
    }

    GString *out = g_string_sized_new(head_len + strlen(tail) + 2);
    g_string_append_len(out, head, (gssize)head_len);
    if (space)
        g_string_append_c(out, ' ');
    g_string_append(out, tail);
    return g_string_free(out, FALSE);
}

char *hy_normalize_number_dashes(const char *utf8)
{
    g_return_val_if_fail(utf8 != NULL, NULL);

    g_autofree char *valid = g_utf8_make_valid(utf8, -1);
    gsize n = 0;
    g_autofree gunichar *cps = nfkc_code_points(valid, -1, &n, NULL);
    if (cps == NULL)
        return g_strdup(valid); /* only on ICU failure: better unchanged than nothing */

    gsize m = 0;
    for (gsize i = 0; i < n; i++) {
        if (is_space(cps[i]))
            continue;
        cps[m++] = is_dash_like(cps[i]) ? '-' : cps[i];
    }
    return code_points_to_utf8(cps, m);
}

/* ---- regions ------------------------------------------------------------- */

static char *utf16_to_utf8(const UChar *s, int32_t len)
{
    UErrorCode status = U_ZERO_ERROR;
    int32_t n8 = 0;
    u_strToUTF8(NULL, 0, &n8, s, len, &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
        return NULL;
    char *out = g_malloc(n8 + 1);
    status = U_ZERO_ERROR;
    u_strToUTF8(out, n8 + 1, NULL, s, len, &status);
    if (U_FAILURE(status)) {
        g_free(out);
        return NULL;
    }
    return out;
}

static gpointer build_region_table(gpointer unused)
{
    (void)unused;
    GHashTable *table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (const char *const *code = uloc_getISOCountries(); *code != NULL; code++) {
        char locale_id[16];
        g_snprintf(locale_id, sizeof locale_id, "_%s", *code);
        UChar name16[256];
        UErrorCode status = U_ZERO_ERROR;
        int32_t len = uloc_getDisplayCountry(locale_id, "ja", name16, G_N_ELEMENTS(name16), &status);
        /* ICU answers with the code itself when it has no Japanese name */
        if (U_FAILURE(status) || status == U_USING_DEFAULT_WARNING || len <= 0)
            continue;
        g_autofree char *name = utf16_to_utf8(name16, len);
        if (name == NULL || strcmp(name, *code) == 0)
            continue;
        /* uloc_getISOCountries() returns static strings, so the values need no copy.
         * The key is stored as ICU spells it and, when different, normalized, since
         * callers look up normalized text. The first code wins a shared name. */
        if (!g_hash_table_contains(table, name))
            g_hash_table_insert(table, g_strdup(name), (gpointer)*code);
        g_autofree char *normalized = hy_normalize_text(name, -1, NULL);
        if (normalized != NULL && !g_hash_table_contains(table, normalized))
            g_hash_table_insert(table, g_steal_pointer(&normalized), (gpointer)*code);
    }
    return table;
}

GHashTable *hy_normalize_region_names(void)
{
    static GOnce once = G_ONCE_INIT;
    return g_once(&once, build_region_table, NULL);
}

const char *hy_normalize_region_code(const char *japanese_name)
{
    g_return_val_if_fail(japanese_name != NULL, NULL);

    GHashTable *table = hy_normalize_region_names();
    const char *code = g_hash_table_lookup(table, japanese_name);
    if (code != NULL)
        return code;
    g_autofree char *normalized = hy_normalize_text(japanese_name, -1, NULL);
    return normalized ? g_hash_table_lookup(table, normalized) : NULL;
}

/* ---- Japanese calendar ----------------------------------------------------- */

#define HY_JAPANESE_LOCALE "ja_JP@calendar=japanese"

/* The era names of ICU's Japanese calendar, indexed by the calendar's ERA value:
 * both the abbreviated and the wide symbol, which agree in ICU 72 but need not. */
typedef struct {
    GPtrArray *abbreviated;
    GPtrArray *wide;
} HyEraNames;

static GPtrArray *era_symbols(UDateFormat *fmt, UDateFormatSymbolType type)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    int32_t count = udat_countSymbols(fmt, type);
    for (int32_t i = 0; i < count; i++) {
        UChar name16[64];
        UErrorCode status = U_ZERO_ERROR;
        int32_t len = udat_getSymbols(fmt, type, i, name16, G_N_ELEMENTS(name16), &status);
        char *name = U_SUCCESS(status) && len > 0 ? utf16_to_utf8(name16, len) : NULL;
        g_ptr_array_add(names, name ? name : g_strdup(""));
    }
    return names;
}

static gpointer build_era_names(gpointer unused)
{
    (void)unused;
    HyEraNames *eras = g_new0(HyEraNames, 1);
    UErrorCode status = U_ZERO_ERROR;
    UDateFormat *fmt = udat_open(UDAT_NONE, UDAT_SHORT, HY_JAPANESE_LOCALE, NULL, 0, NULL, 0, &status);
    if (U_FAILURE(status) || fmt == NULL) {
        eras->abbreviated = g_ptr_array_new();
        eras->wide = g_ptr_array_new();
        return eras;
    }
    eras->abbreviated = era_symbols(fmt, UDAT_ERAS);
    eras->wide = era_symbols(fmt, UDAT_ERA_NAMES);
    udat_close(fmt);
    return eras;
}

static int era_index(const HyEraNames *eras, const char *name)
{
    /* from the newest era down: a name reused over 1,400 years means the later one */
    for (guint i = eras->abbreviated->len; i-- > 0;)
        if (strcmp(g_ptr_array_index(eras->abbreviated, i), name) == 0)
            return (int)i;
    for (guint i = eras->wide->len; i-- > 0;)
        if (strcmp(g_ptr_array_index(eras->wide, i), name) == 0)
            return (int)i;
    return -1;
}

int hy_normalize_era_to_gregorian(const char *era, int era_year)
{
    g_return_val_if_fail(era != NULL, 0);
    if (era_year < 1)
        return 0;

    static GOnce once = G_ONCE_INIT;
    const HyEraNames *eras = g_once(&once, build_era_names, NULL);

    /* NFKC lets the one-character era ligatures (㍻ ㋿) match their names too */
    g_autofree char *name = hy_normalize_text(era, -1, NULL);
    if (name == NULL)
        return 0;
    int index = era_index(eras, name);
    if (index < 0)
        return 0;

    UErrorCode status = U_ZERO_ERROR;
    UCalendar *cal = ucal_open(NULL, 0, HY_JAPANESE_LOCALE, UCAL_TRADITIONAL, &status);
    if (U_FAILURE(status))
        return 0;
    ucal_clear(cal);
    ucal_set(cal, UCAL_ERA, index);
    ucal_set(cal, UCAL_YEAR, era_year);
    /* EXTENDED_YEAR is the Gregorian year for this calendar; January 1st of year 1
     * may lie in the previous era (令和 began in May) but the year is still right. */
    int32_t year = ucal_get(cal, UCAL_EXTENDED_YEAR, &status);
    ucal_close(cal);
    return U_SUCCESS(status) ? (int)year : 0;
}
