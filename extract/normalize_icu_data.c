/* normalize_icu_data.c -- the answers the normalize stage reads from ICU's locale data
 * rather than computes: Japanese display names of regions (hy_normalize_region_code,
 * hy_normalize_region_names) and the eras of the Japanese calendar
 * (hy_normalize_era_to_gregorian). Each table is built once, on first use, through
 * g_once(); the names are normalized with hy_normalize_text() like the text they are
 * looked up in. */
#include "hy_normalize.h"

#include <string.h>

#include <unicode/ucal.h>
#include <unicode/udat.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>

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
