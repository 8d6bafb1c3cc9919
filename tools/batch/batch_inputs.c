/* batch_inputs.c -- a batch's inputs: the files named, and the PDF and text files found
 * in the folders named (links followed, loops and repeats said once); their order, their
 * outputs' names under OUTDIR (two inputs never write one output, and a file of the
 * user's is never replaced without --overwrite), and the share a --shard takes. */
#include "batch_private.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

void hy_batch__item_free(Item *item)
{
    if (item == NULL) return;
    g_free(item->path);
    g_free(item->rel);
    g_free(item->problem);
    g_free(item->out_rel);
    g_free(item->out_key);
    g_free(item->sha256);
    g_free(item->reason);
    g_free(item->output);
    g_free(item->converted_sha256);
    hy_emit_document_free(item->doc);
    g_free(item);
}

static gboolean wanted_name(const char *name)
{
    g_autofree char *lower = g_ascii_strdown(name, -1);
    return g_str_has_suffix(lower, ".pdf") || g_str_has_suffix(lower, ".txt") ||
           g_str_has_suffix(lower, ".text");
}

/* @rel with the extension of its last component replaced by ".json" (x.pdf -> x.json). */
static char *output_name(const char *rel)
{
    const char *dot = hy_emit_path_extension(rel);
    gsize stem = dot != NULL ? (gsize)(dot - rel) : strlen(rel);
    return g_strdup_printf("%.*s.json", (int)stem, rel);
}

char *hy_batch__sha256_of_file(const char *path)
{
    FILE *file = g_fopen(path, "rb");
    if (file == NULL) return NULL;
    g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);
    guchar buffer[65536];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, file)) > 0)
        g_checksum_update(checksum, buffer, n);
    gboolean ok = !ferror(file);
    fclose(file);
    return ok ? g_strdup(g_checksum_get_string(checksum)) : NULL;
}

/* Which shard (0-based) @rel belongs to: SHA-256 of the bytes of @rel, its first 8 bytes
 * as a big-endian number, mod @n. The same on every machine and for every -j. */
static guint shard_of(const char *rel, guint n)
{
    g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(checksum, (const guchar *)rel, (gssize)strlen(rel));
    guint8 digest[32];
    gsize len = sizeof digest;
    g_checksum_get_digest(checksum, digest, &len);
    guint64 value = 0;
    for (int i = 0; i < 8; i++)
        value = value << 8 | digest[i];
    return (guint)(value % n);
}

/* ---- finding the inputs ------------------------------------------------------ */

static void add_item(Batch *b, const char *path, const char *rel, guint input, const char *problem)
{
    Item *item = g_new0(Item, 1);
    item->batch = b;
    item->path = g_strdup(path);
    item->rel = g_strdup(rel);
    item->input = input;
    item->problem = g_strdup(problem);
    g_ptr_array_add(b->items, item);
}

static char *folder_key(const GStatBuf *st)
{
    return g_strdup_printf("%ju:%ju", (uintmax_t)st->st_dev, (uintmax_t)st->st_ino);
}

int hy_batch__compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Adds the PDF and text files under @folder (its path relative to the INPUT: @rel, "" at
 * the top). Symbolic links are followed; a folder reached a second time (@seen: key ->
 * path) is not searched again, and one that is its own ancestor (@ancestors) is a loop.
 * Both are said on stderr; a folder that cannot be read is an input that failed. */
static void walk_folder(Batch *b, const char *folder, const char *rel, guint input, GHashTable *seen,
                        GHashTable *ancestors)
{
    DIR *dir = opendir(folder);
    if (dir == NULL) {
        g_autofree char *problem = g_strdup_printf("cannot read the folder: %s", g_strerror(errno));
        add_item(b, folder, rel, input, problem);
        return;
    }
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    for (struct dirent *entry; (entry = readdir(dir)) != NULL;)
        if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
            g_ptr_array_add(names, g_strdup(entry->d_name));
    closedir(dir);
    g_ptr_array_sort(names, hy_batch__compare_strings);

    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *path = g_build_filename(folder, name, NULL);
        g_autofree char *child_rel = *rel != '\0' ? g_build_filename(rel, name, NULL) : g_strdup(name);
        GStatBuf st;
        if (g_stat(path, &st) != 0) {
            /* A dangling link, or a file gone since the folder was read. */
            if (wanted_name(name)) add_item(b, path, child_rel, input, g_strerror(errno));
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            g_autofree char *key = folder_key(&st);
            const char *ancestor = g_hash_table_lookup(ancestors, key);
            const char *earlier = g_hash_table_lookup(seen, key);
            if (ancestor != NULL) {
                hy_batch__say(b, "hyosho: %s: symbolic link loop back to %s (not followed)\n", path, ancestor);
            } else if (earlier != NULL) {
                hy_batch__say(b, "hyosho: %s: same folder as %s (searched once)\n", path, earlier);
            } else {
                g_hash_table_insert(seen, g_strdup(key), g_strdup(path));
                g_hash_table_insert(ancestors, g_strdup(key), g_strdup(path));
                walk_folder(b, path, child_rel, input, seen, ancestors);
                g_hash_table_remove(ancestors, key);
            }
        } else if (S_ISREG(st.st_mode) && wanted_name(name)) {
            add_item(b, path, child_rel, input, NULL);
        }
    }
}

void hy_batch__find_inputs(Batch *b, char **inputs, guint n_inputs)
{
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    for (guint i = 0; i < n_inputs; i++) {
        const char *input = inputs[i];
        g_autofree char *name = g_path_get_basename(input);
        GStatBuf st;
        if (g_stat(input, &st) != 0) {
            add_item(b, input, name, i, g_strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            g_autofree char *key = folder_key(&st);
            const char *earlier = g_hash_table_lookup(seen, key);
            if (earlier != NULL) {
                hy_batch__say(b, "hyosho: %s: same folder as %s (searched once)\n", input, earlier);
                continue;
            }
            g_hash_table_insert(seen, g_strdup(key), g_strdup(input));
            g_autoptr(GHashTable) ancestors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
            g_hash_table_insert(ancestors, g_strdup(key), g_strdup(input));
            walk_folder(b, input, "", i, seen, ancestors);
        } else {
            add_item(b, input, name, i, NULL); /* named explicitly: taken whatever its name */
        }
    }
}

static int compare_items(gconstpointer a, gconstpointer b)
{
    const Item *x = *(const Item *const *)a, *y = *(const Item *const *)b;
    int by_path = strcmp(x->path, y->path);
    return by_path != 0 ? by_path : (x->input > y->input) - (x->input < y->input);
}

/* Why @item's output may not be written, when a file there is not hyosho's JSON (a
 * user's own file that happens to share the name); NULL when it may. */
static char *output_refusal(Batch *b, const Item *item)
{
    g_autofree char *output = g_build_filename(b->outdir, item->out_rel, NULL);
    HyOutputKind kind = hy_emit_identify_output(output, NULL);
    /* Not a device or pipe either: an output folder holds files. */
    if (kind != HY_OUTPUT_STREAM && hy_emit_output_takes(kind, HY_EMIT_FORMAT_JSON)) return NULL;
    return g_strdup_printf("its output %s exists and is %s; not replaced (--overwrite replaces it)", output,
                           hy_emit_output_kind_describe(kind));
}

/* Sorts the inputs by path and drops repeats; names each output and fails the later of
 * two inputs that would write the same one (before sharding: the same input loses in
 * every shard); then keeps this shard's inputs only. */
void hy_batch__settle_inputs(Batch *b)
{
    g_autoptr(GPtrArray) found = g_steal_pointer(&b->items);
    g_ptr_array_sort(found, compare_items);
    b->items = g_ptr_array_new_with_free_func((GDestroyNotify)hy_batch__item_free);
    g_autoptr(GHashTable) outputs = g_hash_table_new(g_str_hash, g_str_equal); /* out_rel -> path */
    const Item *previous = NULL;
    for (guint i = 0; i < found->len; i++) {
        Item *item = g_ptr_array_index(found, i);
        /* The same path through two INPUTs: the first INPUT's REL counts. */
        if (previous != NULL && strcmp(previous->path, item->path) == 0) continue;
        previous = item;
        if (b->mode == OUTPUT_DIR && item->problem == NULL) {
            item->out_rel = output_name(item->rel);
            item->out_key = hy_emit_valid_text(item->out_rel);
            const char *other = g_hash_table_lookup(outputs, item->out_rel);
            if (other != NULL)
                item->problem =
                    g_strdup_printf("its output %s would also be that of %s", item->out_rel, other);
            else
                g_hash_table_insert(outputs, item->out_rel, item->path);
            if (item->problem == NULL && !b->overwrite) item->problem = output_refusal(b, item);
        }
        /* Moved to b->items; what stays in @found (repeats, other shards) is freed with it,
         * after @outputs (declared later, so freed first), which points into it. */
        if (b->shard_n == 0 || shard_of(item->rel, b->shard_n) == b->shard_k - 1)
            g_ptr_array_add(b->items, g_steal_pointer(&found->pdata[i]));
    }
}
