/* batch_manifest.c -- OUTDIR/.hyosho-manifest.json: for each output, the input, sha256
 * and hyosho version it was made from, so a re-run skips what is up to date. Saved
 * atomically, on a thread of its own, after the outputs it names are flushed to disk. */
#include "batch_private.h"
#include "hy_version.h"

#include <string.h>

#include <json-glib/json-glib.h>

void hy_batch__manifest_load(Batch *b)
{
    b->manifest = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)json_object_unref);
    g_autofree char *text = NULL;
    gsize len = 0;
    if (!g_file_get_contents(b->manifest_path, &text, &len, NULL)) return; /* none yet */
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) error = NULL;
    JsonNode *root = NULL;
    JsonObject *outputs = NULL;
    if (json_parser_load_from_data(parser, text, (gssize)len, &error)) root = json_parser_get_root(parser);
    if (root != NULL && JSON_NODE_HOLDS_OBJECT(root)) {
        JsonNode *node = json_object_get_member(json_node_get_object(root), "outputs");
        if (node != NULL && JSON_NODE_HOLDS_OBJECT(node)) outputs = json_node_get_object(node);
    }
    if (outputs == NULL) {
        hy_batch__say(b, "hyosho: %s: not a hyosho manifest (%s); converting every input again\n", b->manifest_path,
            error != NULL ? error->message : "no \"outputs\" object");
        return;
    }
    JsonObjectIter iter;
    const char *name;
    JsonNode *entry;
    json_object_iter_init(&iter, outputs);
    while (json_object_iter_next(&iter, &name, &entry))
        if (JSON_NODE_HOLDS_OBJECT(entry))
            g_hash_table_insert(b->manifest, g_strdup(name), json_object_ref(json_node_get_object(entry)));
}

static const char *entry_string(JsonObject *entry, const char *name)
{
    JsonNode *node = json_object_get_member(entry, name);
    return node != NULL && JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING
               ? json_node_get_string(node)
               : NULL;
}

/* Up to date: the manifest says the output was made from these bytes by this version,
 * and the output is still there. */
gboolean hy_batch__manifest_up_to_date(Batch *b, const Item *item)
{
    JsonObject *entry = g_hash_table_lookup(b->manifest, item->out_key);
    if (entry == NULL || g_strcmp0(entry_string(entry, "sha256"), item->sha256) != 0 ||
        g_strcmp0(entry_string(entry, "hyosho_version"), HY_VERSION) != 0)
        return FALSE;
    g_autofree char *output = g_build_filename(b->outdir, item->out_rel, NULL);
    return g_file_test(output, G_FILE_TEST_IS_REGULAR);
}

void hy_batch__manifest_record(Batch *b, const Item *item)
{
    JsonObject *entry = json_object_new();
    g_autofree char *input = hy_emit_valid_text(item->path);
    json_object_set_string_member(entry, "input", input);
    json_object_set_string_member(entry, "sha256", item->converted_sha256);
    json_object_set_string_member(entry, "hyosho_version", HY_VERSION);
    g_hash_table_insert(b->manifest, g_strdup(item->out_key), entry);
    b->manifest_dirty = TRUE;
}

static void manifest_save_free(ManifestSave *save)
{
    g_ptr_array_unref(save->outputs);
    g_free(save->path);
    g_free(save->text);
    g_clear_error(&save->error);
    g_free(save);
}

/* The outputs first, so that the manifest never names one a crash could lose (a re-run
 * converts what it does not name). */
static void manifest_save_run(ManifestSave *save)
{
    if (hy_emit_sync_files(save->outputs, &save->error))
        (void)hy_emit_write_file(save->path, save->text, strlen(save->text), &save->error);
}

static gpointer manifest_save_thread(gpointer data)
{
    ManifestSave *save = data;
    manifest_save_run(save);
    g_atomic_int_set(&save->done, 1);
    return NULL;
}

/* Concludes @save: on failure it is said, and what it was to flush is flushed by the next. */
static gboolean manifest_save_conclude(Batch *b, ManifestSave *save)
{
    gboolean ok = save->error == NULL;
    if (!ok) {
        hy_batch__say(b, "hyosho: %s: %s\n", save->path, save->error->message);
        g_ptr_array_extend_and_steal(b->unflushed, g_steal_pointer(&save->outputs));
        save->outputs = g_ptr_array_new();
        b->manifest_dirty = TRUE;
    }
    manifest_save_free(save);
    return ok;
}

/* Written atomically, its outputs sorted by name: the same bytes for any -j. With
 * @wait, the save in progress is waited for and this one is made here; otherwise it
 * starts on a thread, unless one is still in progress (the next call then saves). */
gboolean hy_batch__manifest_save(Batch *b, gboolean wait)
{
    gboolean ok = TRUE;
    if (b->saving != NULL && (wait || g_atomic_int_get(&b->save->done))) {
        g_thread_join(g_steal_pointer(&b->saving));
        ok = manifest_save_conclude(b, g_steal_pointer(&b->save));
    }
    if (b->saving != NULL || !b->manifest_dirty) return ok;
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    GHashTableIter iter;
    gpointer key;
    g_hash_table_iter_init(&iter, b->manifest);
    while (g_hash_table_iter_next(&iter, &key, NULL))
        g_ptr_array_add(names, key);
    g_ptr_array_sort(names, hy_batch__compare_strings);

    g_autoptr(JsonBuilder) builder = json_builder_new();
    json_builder_begin_object(builder);
    json_builder_set_member_name(builder, "manifest_version");
    json_builder_add_int_value(builder, MANIFEST_VERSION);
    json_builder_set_member_name(builder, "outputs");
    json_builder_begin_object(builder);
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        JsonObject *entry = g_hash_table_lookup(b->manifest, name);
        json_builder_set_member_name(builder, name);
        json_builder_begin_object(builder);
        static const char *const fields[] = {"input", "sha256", "hyosho_version"};
        for (guint f = 0; f < G_N_ELEMENTS(fields); f++) {
            const char *value = entry_string(entry, fields[f]);
            json_builder_set_member_name(builder, fields[f]);
            if (value != NULL)
                json_builder_add_string_value(builder, value);
            else
                json_builder_add_null_value(builder);
        }
        json_builder_end_object(builder);
    }
    json_builder_end_object(builder);
    json_builder_end_object(builder);
    g_autoptr(JsonNode) root = json_builder_get_root(builder);
    g_autoptr(JsonGenerator) generator = json_generator_new();
    json_generator_set_pretty(generator, TRUE);
    json_generator_set_indent(generator, 2);
    json_generator_set_root(generator, root);
    g_autofree char *json = json_generator_to_data(generator, NULL);

    ManifestSave *save = g_new0(ManifestSave, 1);
    save->outputs = g_steal_pointer(&b->unflushed);
    b->unflushed = g_ptr_array_new_with_free_func(g_free);
    save->path = g_strdup(b->manifest_path);
    save->text = g_strconcat(json, "\n", NULL);
    b->manifest_dirty = FALSE;
    b->manifest_saved_at = g_get_monotonic_time();
    if (!wait) b->saving = g_thread_try_new("hy-manifest", manifest_save_thread, save, NULL);
    if (b->saving != NULL) {
        b->save = save;
        return ok;
    }
    manifest_save_run(save);
    return manifest_save_conclude(b, save) && ok;
}
