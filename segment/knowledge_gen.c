/* knowledge_gen.c -- build-time generator of the knowledge tables segment looks names up
 * in: reads the vendored TSVs of segment/data and ICU's Japanese region names, and writes
 * them as sorted C arrays (included by segment_knowledge.c). Building these tables when a
 * process starts cost some 7 M instructions, a tenth of a short conversion; compiled in,
 * they cost nothing.
 *
 * Usage: hy_knowledge_gen DATA_DIR OUTPUT.inc */
#include "hy_normalize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HY_MAX_COLUMNS 8

typedef struct {
    char *code, *prefecture, *name, *parent; /* parent "" for none */
    const char *kind; /* the HyLgType constant's name, as written out */
    guint index;
} Gov;

typedef struct {
    GPtrArray *govs;      /* Gov*, in file order */
    GHashTable *countries; /* name -> alpha-2, the first row of a name wins */
    GPtrArray *country_order; /* names, in the order they were added */
    const char *postal[1000];
    GStringChunk *strings;
} Tables;

/* Every row of a TSV ('#' comments and blank lines skipped, fields stripped, rows with
 * fewer than @columns fields dropped): the rules the tables were always read by. */
static void each_row(Tables *t, const char *path, guint columns, void (*row)(Tables *t, char **fields, guint n))
{
    g_autofree char *data = NULL;
    gsize size = 0;
    g_autoptr(GError) error = NULL;
    if (!g_file_get_contents(path, &data, &size, &error)) {
        fprintf(stderr, "hy_knowledge_gen: %s\n", error->message);
        exit(1);
    }
    char *end = data + size;
    for (char *line = data; line < end;) {
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
                fields[n++] = g_string_chunk_insert(t->strings, g_strstrip(field));
                field = tab != NULL ? tab + 1 : NULL;
            }
            if (n >= columns) row(t, fields, n);
        }
        line = line_end + 1;
    }
}

static const char *gov_kind(const char *type)
{
    return strcmp(type, "prefecture") == 0     ? "HY_LG_PREFECTURE"
           : strcmp(type, "municipality") == 0 ? "HY_LG_MUNICIPALITY"
                                               : "HY_LG_WARD";
}

static void gov_row(Tables *t, char **f, guint n)
{
    (void)n;
    if (strcmp(f[0], "code") == 0) return; /* the column header */
    Gov *gov = g_new0(Gov, 1);
    *gov = (Gov){.code = f[0], .kind = gov_kind(f[1]), .prefecture = f[2], .name = f[3], .parent = f[4],
                 .index = t->govs->len};
    g_ptr_array_add(t->govs, gov);
}

static void add_country(Tables *t, const char *name, const char *code)
{
    if (g_hash_table_contains(t->countries, name)) return;
    char *key = g_string_chunk_insert(t->strings, name);
    g_hash_table_insert(t->countries, key, g_string_chunk_insert(t->strings, code));
    g_ptr_array_add(t->country_order, key);
}

static void country_row(Tables *t, char **f, guint n)
{
    (void)n;
    add_country(t, f[0], f[1]);
}

static void postal_row(Tables *t, char **f, guint n)
{
    (void)n;
    for (int code = atoi(f[0]); code <= atoi(f[1]) && code < 1000; code++)
        if (code >= 0) t->postal[code] = f[2];
}

/* @s as a C string literal (UTF-8 kept as it is). */
static void put_string(FILE *out, const char *s)
{
    if (s == NULL) {
        fputs("NULL", out);
        return;
    }
    fputc('"', out);
    for (const char *p = s; *p; p++) {
        if (*p == '"' || *p == '\\') fputc('\\', out);
        if ((unsigned char)*p < 0x20) fprintf(out, "\\%03o", (unsigned char)*p);
        else fputc(*p, out);
    }
    fputc('"', out);
}

static int compare_by_name(gconstpointer a, gconstpointer b)
{
    const Gov *x = *(const Gov *const *)a, *y = *(const Gov *const *)b;
    int c = strcmp(x->name, y->name);
    return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

static int compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: hy_knowledge_gen DATA_DIR OUTPUT\n");
        return 2;
    }
    Tables t = {.govs = g_ptr_array_new_with_free_func(g_free),
                .countries = g_hash_table_new(g_str_hash, g_str_equal),
                .country_order = g_ptr_array_new(),
                .strings = g_string_chunk_new(64 * 1024)};
    g_autofree char *govs_path = g_build_filename(argv[1], "jp-local-gov-codes.tsv", NULL);
    g_autofree char *countries_path = g_build_filename(argv[1], "country-names-ja.tsv", NULL);
    g_autofree char *postal_path = g_build_filename(argv[1], "postal-prefix-prefecture.tsv", NULL);
    each_row(&t, govs_path, 5, gov_row);
    each_row(&t, countries_path, 2, country_row);
    /* Then ICU's names, where the hand-written table has none; in a fixed order (sorted)
     * so that the output does not depend on a hash table's. */
    GHashTable *icu = hy_normalize_region_names();
    g_autoptr(GPtrArray) icu_names = g_ptr_array_new();
    GHashTableIter iter;
    gpointer key;
    g_hash_table_iter_init(&iter, icu);
    while (g_hash_table_iter_next(&iter, &key, NULL)) g_ptr_array_add(icu_names, key);
    g_ptr_array_sort(icu_names, compare_strings);
    for (guint i = 0; i < icu_names->len; i++) {
        const char *name = g_ptr_array_index(icu_names, i);
        add_country(&t, name, g_hash_table_lookup(icu, name));
    }
    each_row(&t, postal_path, 3, postal_row);

    g_autofree char *temporary = g_strconcat(argv[2], ".tmp", NULL);
    FILE *out = fopen(temporary, "w");
    if (out == NULL) {
        perror(temporary);
        return 1;
    }
    fputs("/* knowledge tables -- generated by hy_knowledge_gen (segment/knowledge_gen.c) from\n"
          " * the TSV files of segment/data and ICU's Japanese region names; do not edit. */\n\n",
          out);

    fputs("static const HyLocalGov knowledge_govs[] = {\n", out);
    for (guint i = 0; i < t.govs->len; i++) {
        const Gov *g = g_ptr_array_index(t.govs, i);
        fputs("    {", out);
        put_string(out, g->code);
        fprintf(out, ", %s, ", g->kind);
        put_string(out, g->prefecture);
        fputs(", ", out);
        put_string(out, g->name);
        fputs(", ", out);
        put_string(out, g->parent[0] ? g->parent : NULL);
        fputs("},\n", out);
    }
    fputs("};\n\n", out);

    /* Prefectures and municipalities (no wards) by name, then file order. */
    g_autoptr(GPtrArray) by_name = g_ptr_array_new();
    for (guint i = 0; i < t.govs->len; i++) {
        Gov *g = g_ptr_array_index(t.govs, i);
        if (strcmp(g->kind, "HY_LG_WARD") != 0) g_ptr_array_add(by_name, g);
    }
    g_ptr_array_sort(by_name, compare_by_name);
    fputs("static const guint16 knowledge_by_name[] = {", out);
    for (guint i = 0; i < by_name->len; i++)
        fprintf(out, "%s%u", i == 0 ? "\n    " : i % 16 ? ", " : ",\n    ",
                ((const Gov *)g_ptr_array_index(by_name, i))->index);
    fputs("\n};\n\n", out);

    fputs("static const guint16 knowledge_prefectures[] = {", out);
    guint n_prefectures = 0;
    for (guint i = 0; i < t.govs->len; i++) {
        const Gov *g = g_ptr_array_index(t.govs, i);
        if (strcmp(g->kind, "HY_LG_PREFECTURE") != 0) continue;
        fprintf(out, "%s%u", n_prefectures == 0 ? "\n    " : n_prefectures % 16 ? ", " : ",\n    ", g->index);
        n_prefectures++;
    }
    fputs("\n};\n\n", out);

    g_ptr_array_sort(t.country_order, compare_strings);
    glong longest = 0;
    fputs("static const HyCountryName knowledge_countries[] = {\n", out);
    for (guint i = 0; i < t.country_order->len; i++) {
        const char *name = g_ptr_array_index(t.country_order, i);
        longest = MAX(longest, g_utf8_strlen(name, -1));
        fputs("    {", out);
        put_string(out, name);
        fputs(", ", out);
        put_string(out, g_hash_table_lookup(t.countries, name));
        fputs("},\n", out);
    }
    fputs("};\n\n", out);
    fprintf(out, "#define KNOWLEDGE_LONGEST_COUNTRY %ld /* characters */\n\n", longest);

    fputs("static const char *const knowledge_postal[1000] = {\n", out);
    for (int code = 0; code < 1000; code++) {
        if (t.postal[code] == NULL) continue;
        fprintf(out, "    [%d] = ", code);
        put_string(out, t.postal[code]);
        fputs(",\n", out);
    }
    fputs("};\n", out);

    gboolean ok = fclose(out) == 0 && rename(temporary, argv[2]) == 0;
    if (!ok) perror(argv[2]);
    g_ptr_array_unref(t.govs);
    g_hash_table_unref(t.countries);
    g_ptr_array_unref(t.country_order);
    g_string_chunk_free(t.strings);
    return ok ? 0 : 1;
}
