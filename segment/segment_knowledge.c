/* segment_knowledge.c -- the facts segment looks up: local-government codes and names
 * (data/jp-local-gov-codes.tsv), country codes (data/country-names-ja.tsv plus ICU's
 * Japanese region names) and post-code blocks, from tables compiled in (read-only, so
 * any thread may ask). */
#include "segment_private.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name;
    const char *code; /* ISO 3166-1 alpha-2 */
} HyCountryName;

/* knowledge_govs (file order), knowledge_by_name (indices of prefectures and
 * municipalities sorted by name, then file order), knowledge_prefectures (indices, file
 * order), knowledge_countries (sorted by name; the hand-written table first, then ICU's
 * names it lacks), KNOWLEDGE_LONGEST_COUNTRY, knowledge_postal: written at build time
 * by hy_knowledge_gen (knowledge_gen.c) from the TSV files of data/ and from ICU. */
#include "knowledge_tables.inc"

/* The entries of knowledge_by_name named @name: [*first, *first + count). */
static guint govs_named(const char *name, guint *first)
{
    guint lo = 0, hi = G_N_ELEMENTS(knowledge_by_name);
    while (lo < hi) { /* the first entry not before @name */
        guint mid = lo + (hi - lo) / 2;
        if (strcmp(knowledge_govs[knowledge_by_name[mid]].name, name) < 0) lo = mid + 1;
        else hi = mid;
    }
    guint end = lo;
    while (end < G_N_ELEMENTS(knowledge_by_name) && strcmp(knowledge_govs[knowledge_by_name[end]].name, name) == 0)
        end++;
    *first = lo;
    return end - lo;
}

static const HyLocalGov *gov_by_name_at(guint position)
{
    return &knowledge_govs[knowledge_by_name[position]];
}

const HyLocalGov *hy_segment__prefecture_named(const char *name)
{
    guint first = 0, n = govs_named(name, &first);
    for (guint i = 0; i < n; i++) {
        const HyLocalGov *gov = gov_by_name_at(first + i);
        if (gov->type == HY_LG_PREFECTURE) return gov;
    }
    return NULL;
}

gsize hy_segment__leading_prefecture(const char *text, const HyLocalGov **out)
{
    for (guint i = 0; i < G_N_ELEMENTS(knowledge_prefectures); i++) {
        const HyLocalGov *gov = &knowledge_govs[knowledge_prefectures[i]];
        if (g_str_has_prefix(text, gov->name)) {
            if (out) *out = gov;
            return strlen(gov->name);
        }
    }
    if (out) *out = NULL;
    return 0;
}

/* Municipality names end in 市, 町, 村 or 区 (Tokyo's special wards) and are at
 * most a handful of characters, so only those prefixes are looked up. */
static gsize longest_municipality_at(const char *text, const char *prefecture, const HyLocalGov **out,
                                     gboolean *ambiguous)
{
    const char *p = text;
    gsize found = 0;
    for (int chars = 0; chars < 12 && *p; chars++) {
        gunichar c = g_utf8_get_char(p);
        p = g_utf8_next_char(p);
        if (c != 0x5E02 /* 市 */ && c != 0x753A /* 町 */ && c != 0x6751 /* 村 */ && c != 0x533A /* 区 */)
            continue;
        g_autofree char *name = g_strndup(text, (gsize)(p - text));
        guint first = 0, n = govs_named(name, &first);
        if (n == 0) continue;
        const HyLocalGov *pick = NULL;
        guint matching = 0;
        for (guint i = 0; i < n; i++) {
            const HyLocalGov *gov = gov_by_name_at(first + i);
            if (gov->type != HY_LG_MUNICIPALITY) continue;
            if (prefecture != NULL && strcmp(gov->prefecture, prefecture) != 0) continue;
            pick = gov;
            matching++;
        }
        if (matching == 0) continue;
        found = (gsize)(p - text);
        *out = matching == 1 ? pick : NULL;
        *ambiguous = matching > 1;
    }
    return found;
}

gsize hy_segment__leading_municipality(const char *text, const char *prefecture, const HyLocalGov **out,
                                       gboolean *ambiguous)
{
    const HyLocalGov *gov = NULL;
    gboolean many = FALSE;
    gsize len = longest_municipality_at(text, prefecture, &gov, &many);
    if (len == 0) {
        /* Towns and villages are addressed through their district: 虻田郡倶知安町. */
        const char *gun = strstr(text, "郡");
        if (gun != NULL && g_utf8_strlen(text, gun - text) <= 5) {
            gsize skip = (gsize)(gun - text) + strlen("郡");
            len = longest_municipality_at(text + skip, prefecture, &gov, &many);
            if (len > 0) len += skip;
        }
    }
    if (out) *out = gov;
    if (ambiguous) *ambiguous = many;
    return len;
}

static int compare_country(const void *a, const void *b)
{
    return strcmp(((const HyCountryName *)a)->name, ((const HyCountryName *)b)->name);
}

const char *hy_segment__country_code(const char *country)
{
    if (country == NULL || *country == '\0') return NULL;
    /* Longest prefix wins: アメリカ合衆国イリノイ州 -> アメリカ合衆国, インドネシア -> not インド. */
    glong chars = g_utf8_strlen(country, -1);
    for (glong n = MIN(chars, KNOWLEDGE_LONGEST_COUNTRY); n > 0; n--) {
        g_autofree char *prefix = g_strndup(country, (gsize)(g_utf8_offset_to_pointer(country, n) - country));
        HyCountryName key = {.name = prefix};
        const HyCountryName *found = bsearch(&key, knowledge_countries, G_N_ELEMENTS(knowledge_countries),
                                             sizeof key, compare_country);
        if (found != NULL) return found->code;
    }
    return NULL;
}

const char *hy_segment__prefecture_of_postal_code(const char *postal_code)
{
    if (postal_code == NULL || strlen(postal_code) < 3) return NULL;
    for (int i = 0; i < 3; i++)
        if (!g_ascii_isdigit(postal_code[i])) return NULL;
    return knowledge_postal[(postal_code[0] - '0') * 100 + (postal_code[1] - '0') * 10 + (postal_code[2] - '0')];
}
