/* segment_knowledge.c -- the facts segment looks up: local-government codes and names
 * (data/jp-local-gov-codes.tsv) and country codes (ICU's Japanese region names plus
 * data/country-names-ja.tsv). Tables are built once, on first use, thread-safely. */
#include "segment_private.h"

#include <stdlib.h>
#include <string.h>

GBytes *hy_segment__resource(const char *relative, GError **error);

typedef struct {
    GStringChunk *strings;
    GArray *entries;         /* HyLocalGov */
    GHashTable *by_name;     /* name -> GPtrArray of HyLocalGov* (no wards) */
    GPtrArray *prefectures;  /* HyLocalGov*, the 47 */
    GHashTable *countries;   /* name -> alpha-2 */
    const char *postal[1000]; /* first three digits -> prefecture (interned), or NULL */
    int longest_country;     /* in characters */
} HyKnowledge;

#define HY_MAX_COLUMNS 8

/* Calls @row for every row of an embedded TSV ('#' comments and blank lines skipped,
 * rows with fewer than @columns fields dropped). The table is copied once into
 * k->strings and split there in place, so the fields @row gets live as long as the
 * tables: no copy per field (this runs once per process, before the first document). */
static void each_row(HyKnowledge *k, const char *relative, guint columns,
                     void (*row)(HyKnowledge *k, char **fields, guint n))
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) bytes = hy_segment__resource(relative, &error);
    if (bytes == NULL) g_error("embedded table %s missing: %s", relative, error->message);
    gsize size = 0;
    const char *data = g_bytes_get_data(bytes, &size);
    char *text = g_string_chunk_insert_len(k->strings, data, (gssize)size);
    char *end = text + size;
    for (char *line = text; line < end;) {
        char *newline = memchr(line, '\n', (gsize)(end - line));
        char *line_end = newline != NULL ? newline : end;
        *line_end = '\0';
        if (line_end > line && line_end[-1] == '\r') line_end[-1] = '\0';
        if (line[0] != '#' && line[0] != '\0') {
            char *fields[HY_MAX_COLUMNS];
            guint n = 0;
            for (char *field = line; field != NULL && n < HY_MAX_COLUMNS;) {
                char *tab = strchr(field, '\t');
                if (tab != NULL) *tab = '\0';
                fields[n++] = g_strstrip(field);
                field = tab != NULL ? tab + 1 : NULL;
            }
            if (n >= columns) row(k, fields, n);
        }
        line = line_end + 1;
    }
}

static void add_country(HyKnowledge *k, const char *name, const char *code)
{
    if (g_hash_table_contains(k->countries, name)) return;
    g_hash_table_insert(k->countries, g_string_chunk_insert_const(k->strings, name),
                        g_string_chunk_insert_const(k->strings, code));
    k->longest_country = MAX(k->longest_country, (int)g_utf8_strlen(name, -1));
}

static void local_gov_row(HyKnowledge *k, char **f, guint n)
{
    (void)n;
    if (strcmp(f[0], "code") == 0) return; /* the column header */
    HyLocalGov gov = {
        .code = f[0],
        .type = strcmp(f[1], "prefecture") == 0     ? HY_LG_PREFECTURE
                : strcmp(f[1], "municipality") == 0 ? HY_LG_MUNICIPALITY
                                                    : HY_LG_WARD,
        .prefecture = f[2],
        .name = f[3],
        .parent = f[4][0] ? f[4] : NULL,
    };
    g_array_append_val(k->entries, gov);
}

static void load_local_govs(HyKnowledge *k)
{
    each_row(k, "data/jp-local-gov-codes.tsv", 5, local_gov_row);
    /* Pointers into the array are taken only now that it no longer grows. */
    for (guint i = 0; i < k->entries->len; i++) {
        HyLocalGov *gov = &g_array_index(k->entries, HyLocalGov, i);
        if (gov->type == HY_LG_WARD) continue;
        if (gov->type == HY_LG_PREFECTURE) g_ptr_array_add(k->prefectures, gov);
        GPtrArray *same = g_hash_table_lookup(k->by_name, gov->name);
        if (same == NULL) {
            same = g_ptr_array_new();
            g_hash_table_insert(k->by_name, (gpointer)gov->name, same);
        }
        g_ptr_array_add(same, gov);
    }
}

static void country_row(HyKnowledge *k, char **f, guint n)
{
    (void)n;
    add_country(k, f[0], f[1]);
}

static void load_countries(HyKnowledge *k)
{
    each_row(k, "data/country-names-ja.tsv", 2, country_row);
    GHashTableIter iter;
    gpointer name, code;
    g_hash_table_iter_init(&iter, hy_normalize_region_names());
    while (g_hash_table_iter_next(&iter, &name, &code)) add_country(k, name, code);
}

static void postal_row(HyKnowledge *k, char **f, guint n)
{
    (void)n;
    for (int code = atoi(f[0]); code <= atoi(f[1]) && code < 1000; code++) k->postal[code] = f[2];
}

static void load_postal_blocks(HyKnowledge *k)
{
    each_row(k, "data/postal-prefix-prefecture.tsv", 3, postal_row);
}

static gpointer knowledge_build(gpointer unused)
{
    (void)unused;
    HyKnowledge *k = g_new0(HyKnowledge, 1);
    k->strings = g_string_chunk_new(64 * 1024);
    k->entries = g_array_sized_new(FALSE, FALSE, sizeof(HyLocalGov), 2000);
    k->by_name = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
    k->prefectures = g_ptr_array_new();
    k->countries = g_hash_table_new(g_str_hash, g_str_equal);
    load_local_govs(k);
    load_countries(k);
    load_postal_blocks(k);
    return k;
}

static const HyKnowledge *knowledge(void)
{
    static GOnce once = G_ONCE_INIT;
    return g_once(&once, knowledge_build, NULL);
}

void hy_segment_prepare(void)
{
    (void)knowledge();
}

GPtrArray *hy_segment__local_govs_named(const char *name)
{
    return g_hash_table_lookup(knowledge()->by_name, name);
}

const HyLocalGov *hy_segment__prefecture_named(const char *name)
{
    GPtrArray *same = hy_segment__local_govs_named(name);
    for (guint i = 0; same != NULL && i < same->len; i++) {
        const HyLocalGov *gov = g_ptr_array_index(same, i);
        if (gov->type == HY_LG_PREFECTURE) return gov;
    }
    return NULL;
}

gsize hy_segment__leading_prefecture(const char *text, const HyLocalGov **out)
{
    const HyKnowledge *k = knowledge();
    for (guint i = 0; i < k->prefectures->len; i++) {
        const HyLocalGov *gov = g_ptr_array_index(k->prefectures, i);
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
        GPtrArray *same = hy_segment__local_govs_named(name);
        if (same == NULL) continue;
        const HyLocalGov *pick = NULL;
        guint matching = 0;
        for (guint i = 0; i < same->len; i++) {
            const HyLocalGov *gov = g_ptr_array_index(same, i);
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

const char *hy_segment__country_code(const char *country)
{
    const HyKnowledge *k = knowledge();
    if (country == NULL || *country == '\0') return NULL;
    /* Longest prefix wins: アメリカ合衆国イリノイ州 -> アメリカ合衆国, インドネシア -> not インド. */
    glong chars = g_utf8_strlen(country, -1);
    for (glong n = MIN(chars, k->longest_country); n > 0; n--) {
        g_autofree char *prefix = g_strndup(country, (gsize)(g_utf8_offset_to_pointer(country, n) - country));
        const char *code = g_hash_table_lookup(k->countries, prefix);
        if (code != NULL) return code;
    }
    return NULL;
}

const char *hy_segment__prefecture_of_postal_code(const char *postal_code)
{
    if (postal_code == NULL || strlen(postal_code) < 3) return NULL;
    for (int i = 0; i < 3; i++)
        if (!g_ascii_isdigit(postal_code[i])) return NULL;
    return knowledge()->postal[(postal_code[0] - '0') * 100 + (postal_code[1] - '0') * 10 + (postal_code[2] - '0')];
}
