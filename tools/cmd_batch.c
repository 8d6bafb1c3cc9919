/* cmd_batch.c -- `hyosho batch`: many inputs (files, and folders searched recursively)
 * converted by worker processes, at most -j at a time, into an output folder (one JSON a
 * file), a SQLite database, or JSON Lines on stdout.
 *
 * Inputs are converted by worker processes (`hyosho worker`, this very binary through
 * /proc/self/exe; the protocol is in cmd_worker.c), one input at a time each, input after
 * input: a process start costs about as much as converting a short report, so it is paid
 * per worker, not per file. A crash, a hang or a runaway allocation inside poppler ends
 * that worker and costs its input only; the next input goes to a new worker. An input
 * whose worker died after converting others is tried once more in a fresh one, so that
 * what fails is what fails in a process of its own. The parent reads each worker's JSON
 * back (hy_emit_read_json) and is the only writer of every output: results are emitted in
 * the order of the sorted input paths, whatever order the workers finish in, so the
 * output is the same bytes for any -j. What a file's failure, a re-run's skip and a
 * shard are is documented in README.md, "Batch conversion". */
#include "hy_cli.h"
#include "hy_version.h"

#include <dirent.h>
#include <errno.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define MANIFEST_STEM ".hyosho-manifest" /* .json, or .shard-K-of-N.json */
#define MANIFEST_VERSION 1
/* Inputs dispatched ahead of the oldest one not yet emitted, per worker: bounds the
 * results held back while one slow input keeps the others from being emitted. */
#define WINDOW_PER_WORKER 32
/* How often the manifest is saved while a batch runs, so an interrupted run keeps
 * what it converted. */
#define MANIFEST_SAVE_US (2 * G_USEC_PER_SEC)
/* What a worker's stderr keeps of one input (its last bytes): where its end is said. */
#define DIAGNOSTICS_KEPT 65536

typedef enum {
    OUTPUT_JSONL, /* default: JSON Lines on stdout */
    OUTPUT_DIR,   /* -o OUTDIR */
    OUTPUT_DB,    /* --db FILE */
} OutputMode;

typedef enum {
    RESULT_CONVERTED,
    RESULT_SKIPPED,
    RESULT_FAILED,
} Result;

typedef struct _Batch Batch;
typedef struct _Worker Worker;

/* A save of the manifest: the outputs written since the last one are flushed to disk,
 * then the manifest that names them is written; on a thread of its own while the batch
 * goes on, so that the workers need not wait for the disk. */
typedef struct {
    GPtrArray *outputs; /* char*, to flush first */
    char *path;
    char *text;
    GError *error;
    gint done; /* atomic: its thread has finished */
} ManifestSave;

typedef struct {
    Batch *batch;
    char *path;    /* as found: the INPUT itself, or INPUT/REL for a file found in a folder */
    char *rel;     /* REL, or a named file's name: the output's name under OUTDIR, and what --shard hashes */
    guint input;   /* index of the INPUT it was found in (ties when two INPUTs reach one file) */
    char *problem; /* (nullable) why it cannot be converted at all (an unreadable folder) */
    char *out_rel; /* OUTDIR mode: rel with its extension replaced by .json */
    char *out_key; /* out_rel as the manifest names it: in UTF-8 (see json_text) */
    char *sha256;  /* (nullable) of the bytes, read by the parent when it has to decide whether
                    * the output is up to date, or to record a failure */
    gboolean done; /* the result below is final and waits its turn to be emitted */
    Result result;
    char *reason;        /* failed: why, in one line */
    /* converted: what the worker answered */
    HyEmitDocument *doc;     /* --db: the records, read back */
    char *output;            /* otherwise: the bytes to write, as the worker wrote them */
    int pages;
    char *converted_sha256; /* of the bytes the worker converted */
    gboolean timed_out;
    gboolean retried; /* its first worker died on it after converting others */
} Item;

/* A worker process and what the parent knows of it. Lives from its start until it has
 * exited and both its output streams have ended (the callbacks of those hold it). */
struct _Worker {
    Batch *batch;
    GSubprocess *process;
    GByteArray *answer;    /* read from its stdout, not yet a whole answer */
    GString *diagnostics;  /* its stderr since the current input was sent */
    Item *item;            /* (nullable) the input it is converting */
    guint deadline;        /* timeout source of that input */
    guint answered;        /* inputs it has answered */
    gboolean garbled;      /* broke the protocol: what else it says is ignored */
    gboolean last;         /* takes no more inputs: said so in an answer, or its stdin is closed */
    gboolean stdin_closed;
    int streams_open;      /* stdout and stderr, until each ends */
    gboolean exited;
};

struct _Batch {
    /* options */
    HyPipelineOptions options;
    OutputMode mode;
    char *outdir, *db_path;
    gboolean force, overwrite, quiet, verbose;
    guint shard_k, shard_n; /* 0/0: no sharding */
    guint jobs;
    char *manifest_path, *failures_path;

    /* the inputs, sorted by path */
    GPtrArray *items; /* Item* */
    guint next_dispatch, next_emit, running;
    gboolean stopping; /* interrupted, or stdout failed: dispatch nothing more */
    gboolean finished;

    /* workers */
    GSubprocessLauncher *launcher;
    GPtrArray *worker_argv; /* char*, NULL-terminated */
    GPtrArray *workers;     /* Worker*, started and not yet ended */
    GQueue retry;           /* Item*, to be converted again by a fresh worker */
    GMainLoop *loop;

    /* outputs */
    HySqlite *db;
    GHashTable *db_decisions; /* sha256 -> DECIDED_*, the first decision on each content */
    gint64 db_group_started_at; /* 0: no group of documents open (db_group) */
    gboolean db_failed;         /* a group did not commit: its documents are not stored */
    GHashTable *manifest;     /* out_key -> JsonObject (input, sha256, hyosho_version) */
    gboolean manifest_dirty;
    gint64 manifest_saved_at;
    GPtrArray *unflushed;  /* char*, outputs written since the last save began */
    ManifestSave *save;    /* (nullable) the save in progress, on @saving */
    GThread *saving;
    GString *failures; /* failures.jsonl, one line each */

    /* counts of the summary, as results are emitted */
    guint converted, skipped, failed;
    guint64 pages;
    /* progress, as workers finish (ahead of the emitted results) */
    guint n_done, n_failed;
    guint64 n_pages;
    gint64 started_at;
    gboolean progress;       /* stderr is a terminal and not --quiet */
    gboolean progress_shown; /* a progress line is on screen */
    gint64 progress_drawn_at;
    guint progress_timer;
};

/* ---- small helpers --------------------------------------------------------- */

static void item_free(Item *item)
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

/* @s for a JSON string (the manifest, failures.jsonl): JSON is Unicode, and a file name
 * can hold any bytes; those that are not UTF-8 become U+FFFD, as in the documents'
 * source.path (emit). Returns: (transfer full). */
static char *json_text(const char *s)
{
    return g_utf8_validate(s, -1, NULL) ? g_strdup(s) : g_utf8_make_valid(s, -1);
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
    const char *base = strrchr(rel, G_DIR_SEPARATOR);
    base = base != NULL ? base + 1 : rel;
    const char *dot = strrchr(base, '.');
    gsize stem = dot != NULL && dot > base ? (gsize)(dot - rel) : strlen(rel);
    return g_strdup_printf("%.*s.json", (int)stem, rel);
}

static char *sha256_of_file(const char *path)
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

static const char *signal_name(int signal_number)
{
    static const struct {
        int number;
        const char *name;
    } names[] = {
        {SIGSEGV, "SIGSEGV"}, {SIGABRT, "SIGABRT"}, {SIGBUS, "SIGBUS"},   {SIGFPE, "SIGFPE"},
        {SIGILL, "SIGILL"},   {SIGKILL, "SIGKILL"}, {SIGTERM, "SIGTERM"}, {SIGINT, "SIGINT"},
        {SIGHUP, "SIGHUP"},   {SIGQUIT, "SIGQUIT"}, {SIGPIPE, "SIGPIPE"}, {SIGALRM, "SIGALRM"},
        {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"}, {SIGSYS, "SIGSYS"},   {SIGTRAP, "SIGTRAP"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(names); i++)
        if (names[i].number == signal_number) return names[i].name;
    return NULL;
}

/* ---- progress (a terminal only) ---------------------------------------------- */

static double elapsed_seconds(const Batch *b)
{
    return (double)(g_get_monotonic_time() - b->started_at) / G_USEC_PER_SEC;
}

static void progress_clear(Batch *b)
{
    if (!b->progress_shown) return;
    fputs("\r\033[K", stderr);
    b->progress_shown = FALSE;
}

/* At most this often: a redraw per finished file would flood a slow terminal (or a
 * recording of it) when files take milliseconds. */
#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 10)

static void progress_draw(Batch *b)
{
    if (!b->progress) return;
    gint64 now = g_get_monotonic_time();
    if (b->progress_shown && now - b->progress_drawn_at < PROGRESS_INTERVAL_US) return;
    b->progress_drawn_at = now;
    double elapsed = elapsed_seconds(b);
    guint total = b->items->len;
    g_autofree char *left = NULL;
    if (b->n_done == 0 || b->n_done == total) {
        left = g_strdup(b->n_done == 0 ? "?" : "0:00");
    } else {
        guint64 seconds = (guint64)(elapsed / b->n_done * (total - b->n_done) + 0.5);
        left = seconds >= 3600 ? g_strdup_printf("%u:%02u:%02u", (guint)(seconds / 3600),
                                                 (guint)(seconds / 60 % 60), (guint)(seconds % 60))
                               : g_strdup_printf("%u:%02u", (guint)(seconds / 60), (guint)(seconds % 60));
    }
    fprintf(stderr, "\r\033[Kbatch: %u/%u files, %.1f pages/s, %u failed, %s left", b->n_done, total,
            elapsed > 0 ? (double)b->n_pages / elapsed : 0.0, b->n_failed, left);
    fflush(stderr);
    b->progress_shown = TRUE;
}

static gboolean progress_tick(gpointer data)
{
    progress_draw(data);
    return G_SOURCE_CONTINUE;
}

/* A diagnostic line on stderr, below the progress line, which is drawn again later. */
static void say(Batch *b, const char *format, ...) G_GNUC_PRINTF(2, 3);
static void say(Batch *b, const char *format, ...)
{
    progress_clear(b);
    va_list args;
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
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

static int compare_strings(gconstpointer a, gconstpointer b)
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
    g_ptr_array_sort(names, compare_strings);

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
                say(b, "hyosho: %s: symbolic link loop back to %s (not followed)\n", path, ancestor);
            } else if (earlier != NULL) {
                say(b, "hyosho: %s: same folder as %s (searched once)\n", path, earlier);
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

static void find_inputs(Batch *b, char **inputs, guint n_inputs)
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
                say(b, "hyosho: %s: same folder as %s (searched once)\n", input, earlier);
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
    if (kind == HY_OUTPUT_ABSENT || kind == HY_OUTPUT_EMPTY || kind == HY_OUTPUT_JSON ||
        kind == HY_OUTPUT_JSON_OR_JSONL)
        return NULL;
    return g_strdup_printf("its output %s exists and is %s; not replaced (--overwrite replaces it)", output,
                           hy_emit_output_kind_describe(kind));
}

/* Sorts the inputs by path and drops repeats; names each output and fails the later of
 * two inputs that would write the same one (before sharding: the same input loses in
 * every shard); then keeps this shard's inputs only. */
static void settle_inputs(Batch *b)
{
    g_autoptr(GPtrArray) found = g_steal_pointer(&b->items);
    g_ptr_array_sort(found, compare_items);
    b->items = g_ptr_array_new_with_free_func((GDestroyNotify)item_free);
    g_autoptr(GHashTable) outputs = g_hash_table_new(g_str_hash, g_str_equal); /* out_rel -> path */
    const Item *previous = NULL;
    for (guint i = 0; i < found->len; i++) {
        Item *item = g_ptr_array_index(found, i);
        /* The same path through two INPUTs: the first INPUT's REL counts. */
        if (previous != NULL && strcmp(previous->path, item->path) == 0) continue;
        previous = item;
        if (b->mode == OUTPUT_DIR && item->problem == NULL) {
            item->out_rel = output_name(item->rel);
            item->out_key = json_text(item->out_rel);
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

/* ---- the manifest of an output folder ----------------------------------------- */

static void manifest_load(Batch *b)
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
        say(b, "hyosho: %s: not a hyosho manifest (%s); converting every input again\n", b->manifest_path,
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
static gboolean manifest_up_to_date(Batch *b, const Item *item)
{
    JsonObject *entry = g_hash_table_lookup(b->manifest, item->out_key);
    if (entry == NULL || g_strcmp0(entry_string(entry, "sha256"), item->sha256) != 0 ||
        g_strcmp0(entry_string(entry, "hyosho_version"), HY_VERSION) != 0)
        return FALSE;
    g_autofree char *output = g_build_filename(b->outdir, item->out_rel, NULL);
    return g_file_test(output, G_FILE_TEST_IS_REGULAR);
}

static void manifest_record(Batch *b, const Item *item)
{
    JsonObject *entry = json_object_new();
    g_autofree char *input = json_text(item->path);
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
        say(b, "hyosho: %s: %s\n", save->path, save->error->message);
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
static gboolean manifest_save(Batch *b, gboolean wait)
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
    g_ptr_array_sort(names, compare_strings);

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

/* ---- workers ------------------------------------------------------------------ */

/* Runs in the child between fork and exec: async-signal-safe calls only. */
typedef struct {
    rlim_t address_space; /* 0: no cap */
    pid_t parent;
} ChildLimits;

static ChildLimits child_limits;

static void child_setup(gpointer data)
{
    const ChildLimits *limits = data;
    /* Its own process group: a Ctrl-C at the terminal reaches the parent only, which
     * then ends its workers itself. */
    (void)setpgid(0, 0);
#ifdef __linux__
    /* A worker outlives neither the parent nor its --timeout. */
    (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != limits->parent) _exit(127);
#endif
    struct rlimit none = {0, 0};
    (void)setrlimit(RLIMIT_CORE, &none); /* a hostile file that crashes leaves no core files */
    if (limits->address_space > 0) {
        struct rlimit cap = {limits->address_space, limits->address_space};
        (void)setrlimit(RLIMIT_AS, &cap);
    }
}

/* The arguments every worker gets: `worker` with the pipeline options of this batch.
 * One page thread per worker: -j already uses the cores. */
static void worker_argv_init(Batch *b)
{
    GPtrArray *argv = b->worker_argv = g_ptr_array_new_with_free_func(g_free);
    const char *self = "/proc/self/exe"; /* this binary, even if replaced on disk meanwhile */
    g_autofree char *found = NULL;
    if (!g_file_test(self, G_FILE_TEST_EXISTS)) self = found = g_find_program_in_path("hyosho");
    g_ptr_array_add(argv, g_strdup(self != NULL ? self : "hyosho"));
    static const char *const fixed[] = {"worker", "--jobs", "1"};
    for (guint i = 0; i < G_N_ELEMENTS(fixed); i++)
        g_ptr_array_add(argv, g_strdup(fixed[i]));
    /* What the worker answers is what this batch writes, except for a database, which
     * takes records: read back from compact JSON. */
    g_ptr_array_add(argv, g_strdup(b->mode == OUTPUT_JSONL ? "--format=jsonl" : "--format=json"));
    if (b->mode == OUTPUT_DB) g_ptr_array_add(argv, g_strdup("--compact"));

    const HyPipelineOptions *o = &b->options;
    hy_pipeline_options_to_argv(o, argv);
    g_ptr_array_add(argv, NULL);

    /* The worker watches its own resident memory (--max-memory); the address-space cap
     * is the backstop for what that watch cannot catch in time, so it sits well above.
     * Not in sanitizer builds, which reserve terabytes of address space up front. */
    child_limits.parent = getpid();
#ifndef HY_ASAN
    if (o->max_memory_mb > 0) child_limits.address_space = ((rlim_t)o->max_memory_mb * 2 + 256) << 20;
#endif
    b->launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                            G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_subprocess_launcher_set_child_setup(b->launcher, child_setup, &child_limits, NULL);
}

static void pump(Batch *b);

/* Dispatches nothing more and ends the workers; the inputs they were converting are not done. */
static void stop(Batch *b)
{
    b->stopping = TRUE;
    for (guint i = 0; i < b->workers->len; i++)
        g_subprocess_force_exit(((Worker *)g_ptr_array_index(b->workers, i))->process);
}

static void finish_item(Batch *b, Item *item)
{
    item->done = TRUE;
    b->n_done++;
    if (item->result == RESULT_FAILED) b->n_failed++;
    if (item->result == RESULT_CONVERTED) b->n_pages += (guint64)MAX(item->pages, 0);
}

static void fail_item(Batch *b, Item *item, char *reason /* (transfer full) */)
{
    item->result = RESULT_FAILED;
    g_free(item->reason);
    item->reason = reason;
    finish_item(b, item);
}

/* The worker's own one-line error ("hyosho: PATH: reason", from a watchdog) in @text,
 * its stderr, or else its last line. */
static char *worker_message(const char *text, const char *path)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    g_autofree char *prefix = g_strdup_printf("hyosho: %s: ", path);
    const char *last = NULL;
    for (guint i = 0; lines[i] != NULL; i++) {
        if (g_str_has_prefix(lines[i], prefix)) return g_strdup(lines[i] + strlen(prefix));
        if (*lines[i] != '\0') last = lines[i];
    }
    if (last == NULL) return NULL;
    return g_strdup(g_str_has_prefix(last, "hyosho: ") ? last + strlen("hyosho: ") : last);
}

static gboolean mentions_allocation_failure(const char *text)
{
    return strstr(text, "failed to allocate") != NULL || strstr(text, "bad_alloc") != NULL ||
           strstr(text, "Out of memory") != NULL;
}

/* @item's worker ended before answering: why, from how it ended and what it @said
 * ((transfer full) (nullable): worker_message() of its stderr). */
static void conclude_death(Batch *b, Item *item, Worker *w, char *said)
{
    if (item->timed_out) {
        /* The words and number format of the worker's own watchdog (which usually fires first). */
        char number[G_ASCII_DTOSTR_BUF_SIZE];
        fail_item(b, item,
                  g_strdup_printf(HY_CLI_TIMED_OUT " %s s",
                                  g_ascii_formatd(number, sizeof number, "%g", b->options.extract.timeout_seconds)));
        g_free(said);
        return;
    }
    if (g_subprocess_get_if_signaled(w->process)) {
        g_free(said);
        int sig = g_subprocess_get_term_sig(w->process);
        const char *name = signal_name(sig);
        if (child_limits.address_space > 0 && mentions_allocation_failure(w->diagnostics->str))
            fail_item(b, item,
                      g_strdup_printf("out of memory (killed by %s past the %d MB cap)",
                                      name != NULL ? name : "a signal", b->options.max_memory_mb));
        else if (name != NULL)
            fail_item(b, item, g_strdup_printf("killed by %s (%s)", name, g_strsignal(sig)));
        else
            fail_item(b, item, g_strdup_printf("killed by signal %d (%s)", sig, g_strsignal(sig)));
        return;
    }
    int status = g_subprocess_get_exit_status(w->process);
    char *message = said;
    if (message == NULL)
        message = status != 0 ? g_strdup_printf("the worker exited with status %d", status)
                              : g_strdup("the worker ended without an answer");
    fail_item(b, item, message);
}

/* An answer's header line (cmd_worker.c): `converted LENGTH MORE PAGES SHA256` or
 * `failed LENGTH MORE`. */
typedef struct {
    gboolean converted;
    gboolean last;
    gsize length;
    int pages;
    char sha256[65];
} AnswerHeader;

static gboolean parse_answer_header(const char *line, AnswerHeader *out)
{
    g_auto(GStrv) words = g_strsplit(line, " ", -1);
    guint n = g_strv_length(words);
    guint64 length = 0, pages = 0;
    out->converted = n == 5 && strcmp(words[0], "converted") == 0;
    if (!out->converted && !(n == 3 && strcmp(words[0], "failed") == 0)) return FALSE;
    if (!g_ascii_string_to_unsigned(words[1], 10, 0, G_MAXUINT32, &length, NULL)) return FALSE;
    if (strcmp(words[2], "next") != 0 && strcmp(words[2], "last") != 0) return FALSE;
    out->length = (gsize)length;
    out->last = strcmp(words[2], "last") == 0;
    if (!out->converted) return TRUE;
    if (!g_ascii_string_to_unsigned(words[3], 10, 0, G_MAXINT, &pages, NULL) || strlen(words[4]) != 64 ||
        strspn(words[4], "0123456789abcdef") != 64)
        return FALSE;
    out->pages = (int)pages;
    memcpy(out->sha256, words[4], sizeof out->sha256);
    return TRUE;
}

/* @item's answer: its output, or why it failed. */
static void conclude_answer(Batch *b, Item *item, const AnswerHeader *header, const char *payload)
{
    if (!header->converted) {
        fail_item(b, item, g_strndup(payload, header->length));
        return;
    }
    if (b->mode == OUTPUT_DB) {
        g_autoptr(GError) error = NULL;
        item->doc = hy_emit_read_json(payload, (gssize)header->length, &error);
        if (item->doc == NULL) {
            fail_item(b, item, g_strdup_printf("unreadable worker output: %s", error->message));
            return;
        }
    } else {
        item->output = g_strndup(payload, header->length);
    }
    item->pages = header->pages;
    item->converted_sha256 = g_strdup(header->sha256);
    item->result = RESULT_CONVERTED;
    finish_item(b, item);
}

/* @w's input is no longer its own: answered, or ended with the worker. */
static Item *worker_release(Worker *w)
{
    Item *item = g_steal_pointer(&w->item);
    if (item == NULL) return NULL;
    if (w->deadline != 0) g_source_remove(w->deadline);
    w->deadline = 0;
    w->batch->running--;
    return item;
}

static void worker_free(Worker *w)
{
    g_clear_object(&w->process);
    g_byte_array_unref(w->answer);
    g_string_free(w->diagnostics, TRUE);
    g_free(w);
}

/* Ends @w's input stream: it ends once it has answered what it is converting. */
static void worker_close(Worker *w)
{
    w->last = TRUE;
    if (w->stdin_closed) return;
    w->stdin_closed = TRUE;
    (void)g_output_stream_close(g_subprocess_get_stdin_pipe(w->process), NULL, NULL);
}

/* Called as each of the worker's ends comes (stdout, stderr, exit): after the last one,
 * what it was converting is concluded and the worker goes. */
static void worker_maybe_ended(Worker *w)
{
    if (w->streams_open > 0 || !w->exited) return;
    Batch *b = w->batch;
    Item *item = worker_release(w);
    g_ptr_array_remove_fast(b->workers, w);
    if (item != NULL && !b->stopping) {
        /* Past --timeout is past it in any process: not tried again (the worker's own
         * watchdog usually ends it before the batch does, saying so). */
        char *said = worker_message(w->diagnostics->str, item->path);
        gboolean timed_out = item->timed_out || (said != NULL && g_str_has_prefix(said, HY_CLI_TIMED_OUT " "));
        if (!timed_out && w->answered > 0 && !item->retried) {
            g_free(said);
            item->retried = TRUE;
            g_queue_push_tail(&b->retry, item);
        } else {
            conclude_death(b, item, w, g_steal_pointer(&said));
        }
    }
    worker_free(w);
    pump(b);
}

/* A worker that breaks the protocol is ended, and its input fails with @reason. */
static void worker_garbled(Worker *w, const char *reason)
{
    w->garbled = TRUE;
    Item *item = worker_release(w);
    if (item != NULL && !w->batch->stopping) fail_item(w->batch, item, g_strdup_printf("unreadable worker output: %s", reason));
    w->last = TRUE;
    g_subprocess_force_exit(w->process);
    pump(w->batch);
}

/* Takes the whole answers at the start of @w->answer. */
static void worker_take_answers(Worker *w)
{
    Batch *b = w->batch;
    for (;;) {
        GByteArray *buffer = w->answer;
        if (w->garbled) {
            g_byte_array_set_size(buffer, 0);
            return;
        }
        const guint8 *newline = memchr(buffer->data, '\n', buffer->len);
        if (newline == NULL) {
            if (buffer->len > 128) worker_garbled(w, "no answer header");
            return;
        }
        gsize header_len = (gsize)(newline - buffer->data) + 1;
        char header[129];
        if (header_len > sizeof header) {
            worker_garbled(w, "no answer header");
            return;
        }
        memcpy(header, buffer->data, header_len - 1);
        header[header_len - 1] = '\0';
        AnswerHeader answer;
        if (!parse_answer_header(header, &answer) || w->item == NULL) {
            worker_garbled(w, "not an answer header");
            return;
        }
        if (buffer->len - header_len < answer.length) return; /* the rest is still coming */

        if (answer.last) w->last = TRUE;
        w->answered++;
        Item *item = worker_release(w);
        /* The next input goes to this worker before its answer is read back and written:
         * a core would otherwise idle for the parent's share of the work. @item is not
         * done yet, so pump() can neither emit past it nor end the batch. */
        if (!b->stopping) {
            pump(b);
            conclude_answer(b, item, &answer, (const char *)buffer->data + header_len);
        }
        g_byte_array_remove_range(buffer, 0, (guint)(header_len + answer.length));
        pump(b);
    }
}

static void worker_read_done(GObject *source, GAsyncResult *result, gpointer data);

/* Reads on from the worker's stdout (its answers) or its stderr. */
static void worker_read_more(Worker *w, GInputStream *stream)
{
    g_input_stream_read_bytes_async(stream, 65536, G_PRIORITY_DEFAULT, NULL, worker_read_done, w);
}

static void worker_read_done(GObject *source, GAsyncResult *result, gpointer data)
{
    Worker *w = data;
    GInputStream *stream = G_INPUT_STREAM(source);
    g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish(stream, result, NULL);
    if (bytes == NULL || g_bytes_get_size(bytes) == 0) {
        w->streams_open--;
        worker_maybe_ended(w);
        return;
    }
    gsize len = 0;
    const char *text = g_bytes_get_data(bytes, &len);
    if (stream == g_subprocess_get_stdout_pipe(w->process)) {
        g_byte_array_append(w->answer, (const guint8 *)text, (guint)len);
        worker_take_answers(w);
    } else {
        g_string_append_len(w->diagnostics, text, (gssize)len);
        if (w->diagnostics->len > 2 * DIAGNOSTICS_KEPT)
            g_string_erase(w->diagnostics, 0, (gssize)(w->diagnostics->len - DIAGNOSTICS_KEPT));
    }
    worker_read_more(w, stream);
}

static void worker_exited(GObject *source, GAsyncResult *result, gpointer data)
{
    Worker *w = data;
    (void)g_subprocess_wait_finish(G_SUBPROCESS(source), result, NULL);
    w->exited = TRUE;
    worker_maybe_ended(w);
}

static gboolean worker_deadline(gpointer data)
{
    Worker *w = data;
    w->deadline = 0;
    w->item->timed_out = TRUE;
    g_subprocess_force_exit(w->process); /* SIGKILL; worker_maybe_ended follows */
    return G_SOURCE_REMOVE;
}

static Worker *worker_start(Batch *b, GError **error)
{
    GSubprocess *process =
        g_subprocess_launcher_spawnv(b->launcher, (const char *const *)b->worker_argv->pdata, error);
    if (process == NULL) return NULL;
    Worker *w = g_new0(Worker, 1);
    w->batch = b;
    w->process = process;
    w->answer = g_byte_array_new();
    w->diagnostics = g_string_new(NULL);
    w->streams_open = 2;
    g_ptr_array_add(b->workers, w);
    worker_read_more(w, g_subprocess_get_stdout_pipe(process));
    worker_read_more(w, g_subprocess_get_stderr_pipe(process));
    g_subprocess_wait_async(process, NULL, worker_exited, w);
    return w;
}

/* Sends @item's path to @w. A worker that has died meanwhile has closed its end: the
 * write fails, and the death is concluded when its streams end. SIGPIPE is blocked for
 * the write (and a pending one taken), so that it does not end the batch. */
static void worker_send(Worker *w, Item *item)
{
    Batch *b = w->batch;
    w->item = item;
    b->running++;
    g_string_truncate(w->diagnostics, 0);
    sigset_t pipe_signal, previous;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
    GOutputStream *requests = g_subprocess_get_stdin_pipe(w->process);
    if (!g_output_stream_write_all(requests, item->path, strlen(item->path) + 1, NULL, NULL, NULL)) {
        struct timespec no_wait = {0, 0};
        (void)sigtimedwait(&pipe_signal, NULL, &no_wait);
        w->last = TRUE;
    }
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    if (b->options.extract.timeout_seconds > 0) {
        /* The worker stops itself at --timeout (whole seconds, rounded up); one second
         * later the parent ends what could not stop (a call that never returns). */
        guint seconds = (guint)(b->options.extract.timeout_seconds + 0.999) + 1;
        w->deadline = g_timeout_add_seconds_full(G_PRIORITY_DEFAULT, seconds, worker_deadline, w, NULL);
    }
}

/* Gives @item to an idle worker, or to a new one; an input tried again gets a fresh
 * worker (one that has converted nothing), which may take an idle one's place. */
static void dispatch(Batch *b, Item *item)
{
    Worker *chosen = NULL, *idle = NULL;
    guint taking = 0; /* workers that take inputs */
    for (guint i = 0; i < b->workers->len; i++) {
        Worker *w = g_ptr_array_index(b->workers, i);
        if (w->last) continue;
        taking++;
        if (w->item != NULL) continue;
        if (!item->retried || w->answered == 0) {
            chosen = w;
            break;
        }
        idle = w;
    }
    if (chosen == NULL) {
        if (taking >= b->jobs && idle != NULL) worker_close(idle);
        g_autoptr(GError) error = NULL;
        chosen = worker_start(b, &error);
        if (chosen == NULL) {
            fail_item(b, item, g_strdup_printf("cannot start a worker: %s", error->message));
            return;
        }
    }
    worker_send(chosen, item);
}

/* ---- emitting results in input order ------------------------------------------- */

/* Documents and failures go into the database in groups, one transaction each, committed
 * every MANIFEST_SAVE_US and at the end: a commit is a flush to disk, which the batch's
 * one thread would otherwise wait for at every file. Each document is still all or
 * nothing; a crash loses the group in progress, which a re-run converts again. */
static gboolean db_group(Batch *b, GError **error)
{
    if (b->db_group_started_at != 0) return TRUE;
    if (!hy_sqlite_begin_group(b->db, error)) return FALSE;
    b->db_group_started_at = g_get_monotonic_time();
    return TRUE;
}

static gboolean db_commit(Batch *b)
{
    if (b->db_group_started_at == 0) return TRUE;
    b->db_group_started_at = 0;
    g_autoptr(GError) error = NULL;
    if (hy_sqlite_commit_group(b->db, &error)) return TRUE;
    say(b, "hyosho: %s: %s\n", b->db_path, error->message);
    return FALSE;
}

static gboolean write_output(Batch *b, Item *item, GError **error)
{
    switch (b->mode) {
    case OUTPUT_JSONL: {
        if (fputs(item->output, stdout) == EOF || fflush(stdout) != 0) {
            g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_WRITE, "stdout: write failed");
            stop(b); /* nowhere to write the rest */
            return FALSE;
        }
        return TRUE;
    }
    case OUTPUT_DIR: {
        g_autofree char *output = g_build_filename(b->outdir, item->out_rel, NULL);
        g_autofree char *folder = g_path_get_dirname(output);
        if (g_mkdir_with_parents(folder, 0777) != 0) {
            g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_WRITE, "%s: %s", folder, g_strerror(errno));
            return FALSE;
        }
        /* Flushed to disk with the others before the manifest names it (manifest_save). */
        if (!hy_emit_write_new_file(output, item->output, strlen(item->output), error)) {
            g_prefix_error(error, "%s: ", output);
            return FALSE;
        }
        g_ptr_array_add(b->unflushed, g_steal_pointer(&output));
        manifest_record(b, item);
        return TRUE;
    }
    case OUTPUT_DB: {
        HySource *source = &item->doc->source;
        g_autoptr(GDateTime) time = g_date_time_new_now_utc();
        g_autofree char *now = g_date_time_format(time, "%Y-%m-%dT%H:%M:%SZ");
        source->hyosho_version = HY_VERSION; /* the worker is this binary */
        source->converted_at = now;
        gboolean ok = db_group(b, error) && hy_sqlite_write_document(b->db, source, item->doc->report, error);
        source->hyosho_version = source->converted_at = NULL;
        if (!ok) g_prefix_error(error, "%s: ", b->db_path);
        return ok;
    }
    }
    return FALSE;
}

static void record_failure(Batch *b, Item *item)
{
    say(b, "hyosho: %s: %s\n", item->path, item->reason);
    if (b->mode != OUTPUT_JSONL && item->sha256 == NULL) item->sha256 = sha256_of_file(item->path);
    if (b->mode == OUTPUT_DIR) {
        g_autofree char *line = hy_emit_failure_line(item->path, item->sha256, item->reason);
        g_string_append(b->failures, line);
        /* Its earlier output, if any, is no longer up to date. */
        if (item->out_key != NULL && g_hash_table_remove(b->manifest, item->out_key))
            b->manifest_dirty = TRUE;
    } else if (b->mode == OUTPUT_DB) {
        g_autoptr(GError) error = NULL;
        if (!db_group(b, &error) || !hy_sqlite_record_failure(b->db, item->path, item->sha256, item->reason, &error))
            say(b, "hyosho: %s: %s\n", b->db_path, error->message);
    }
}

static void emit_item(Batch *b, Item *item)
{
    if (item->result == RESULT_CONVERTED) {
        g_autoptr(GError) error = NULL;
        if (write_output(b, item, &error)) {
            b->converted++;
            b->pages += (guint64)MAX(item->pages, 0);
            if (b->verbose)
                say(b, "hyosho: %s: converted (%d page%s)\n", item->path, item->pages, item->pages == 1 ? "" : "s");
        } else {
            item->result = RESULT_FAILED;
            item->reason = g_strdup(error->message);
            b->n_failed++;
        }
        g_clear_pointer(&item->doc, hy_emit_document_free);
        g_clear_pointer(&item->output, g_free);
    }
    if (item->result == RESULT_SKIPPED) {
        b->skipped++;
        if (b->verbose) say(b, "hyosho: %s: skipped (up to date)\n", item->path);
    }
    if (item->result == RESULT_FAILED) {
        b->failed++;
        record_failure(b, item);
    }
}

static void emit_ready(Batch *b)
{
    while (b->next_emit < b->items->len && !b->stopping) {
        Item *item = g_ptr_array_index(b->items, b->next_emit);
        if (!item->done) break;
        emit_item(b, item);
        b->next_emit++;
    }
    if (b->mode == OUTPUT_DIR && b->manifest_dirty &&
        g_get_monotonic_time() - b->manifest_saved_at > MANIFEST_SAVE_US)
        (void)manifest_save(b, FALSE);
    if (b->mode == OUTPUT_DB && b->db_group_started_at != 0 &&
        g_get_monotonic_time() - b->db_group_started_at > MANIFEST_SAVE_US && !db_commit(b))
        b->db_failed = TRUE;
}

/* ---- dispatch ------------------------------------------------------------------- */

/* In a database, one content is one document. Whether it is up to date is decided once,
 * at its first path, against the database as it was before the run: a later copy's
 * lookup would otherwise see the first copy stored or not depending on how far the
 * workers got, and -j would change what is converted. */
#define DECIDED_SKIP GINT_TO_POINTER(1)
#define DECIDED_CONVERT GINT_TO_POINTER(2)

/* Settles @item without a worker when it can (cannot be read, up to date); FALSE when it
 * has to be converted. */
static gboolean settle_without_worker(Batch *b, Item *item)
{
    if (item->problem != NULL) {
        fail_item(b, item, g_strdup(item->problem));
        return TRUE;
    }
    /* Read twice only when the content decides: not with --force, nor for an output the
     * manifest does not know (a first run). A failure's sha256 is read when it is recorded. */
    if (b->mode == OUTPUT_JSONL || b->force) return FALSE;
    if (b->mode == OUTPUT_DIR && !g_hash_table_contains(b->manifest, item->out_key)) return FALSE;
    /* NULL when unreadable: the worker then reports why, in its own words. */
    item->sha256 = sha256_of_file(item->path);
    if (item->sha256 == NULL) return FALSE;
    gboolean up_to_date = FALSE;
    if (b->mode == OUTPUT_DIR) {
        up_to_date = manifest_up_to_date(b, item);
    } else if (g_hash_table_contains(b->db_decisions, item->sha256)) {
        up_to_date = g_hash_table_lookup(b->db_decisions, item->sha256) == DECIDED_SKIP;
    } else {
        g_autoptr(GError) error = NULL;
        if (!hy_sqlite_has_document(b->db, item->sha256, HY_VERSION, &up_to_date, &error)) {
            fail_item(b, item, g_strdup_printf("%s: %s", b->db_path, error->message));
            return TRUE;
        }
        /* The key is the item's, which lives as long as the batch. */
        g_hash_table_insert(b->db_decisions, item->sha256, up_to_date ? DECIDED_SKIP : DECIDED_CONVERT);
    }
    if (!up_to_date) return FALSE;
    item->result = RESULT_SKIPPED;
    finish_item(b, item);
    return TRUE;
}

/* The next input to give a worker: one to try again first, then the next in order
 * (settling those that need no worker), within the window; NULL when there is none. */
static Item *next_to_convert(Batch *b)
{
    Item *item = g_queue_pop_head(&b->retry);
    if (item != NULL) return item;
    guint window = b->jobs * WINDOW_PER_WORKER;
    while (b->next_dispatch < b->items->len && b->next_dispatch < b->next_emit + window) {
        item = g_ptr_array_index(b->items, b->next_dispatch++);
        if (!settle_without_worker(b, item)) return item;
        emit_ready(b);
    }
    return NULL;
}

static void pump(Batch *b)
{
    emit_ready(b);
    while (!b->stopping && b->running < b->jobs) {
        Item *item = next_to_convert(b);
        if (item == NULL) break;
        dispatch(b, item);
        emit_ready(b);
    }
    progress_draw(b);
    if (b->running == 0 && (b->stopping || b->next_emit == b->items->len)) {
        /* Nothing more to convert: the idle workers are told to end, and the batch ends with them. */
        for (guint i = 0; i < b->workers->len; i++)
            worker_close(g_ptr_array_index(b->workers, i));
        if (b->workers->len == 0 && !b->finished) {
            b->finished = TRUE;
            g_main_loop_quit(b->loop);
        }
    }
}

static gboolean interrupted(gpointer data)
{
    Batch *b = data;
    if (!b->stopping) say(b, "hyosho: batch: interrupted; ending the workers\n");
    stop(b);
    if (b->running == 0) pump(b);
    return G_SOURCE_CONTINUE;
}

/* ---- the command ------------------------------------------------------------------- */

static void batch_clear(Batch *b)
{
    hy_pipeline_options_clear(&b->options);
    g_free(b->outdir);
    g_free(b->db_path);
    g_free(b->manifest_path);
    g_free(b->failures_path);
    if (b->items != NULL) g_ptr_array_unref(b->items);
    g_clear_object(&b->launcher);
    if (b->worker_argv != NULL) g_ptr_array_unref(b->worker_argv);
    if (b->workers != NULL) g_ptr_array_unref(b->workers); /* empty: each worker has ended */
    g_queue_clear(&b->retry);
    if (b->loop != NULL) g_main_loop_unref(b->loop);
    hy_sqlite_close(b->db);
    if (b->db_decisions != NULL) g_hash_table_unref(b->db_decisions);
    if (b->manifest != NULL) g_hash_table_unref(b->manifest);
    if (b->unflushed != NULL) g_ptr_array_unref(b->unflushed);
    if (b->failures != NULL) g_string_free(b->failures, TRUE);
}

static gboolean parse_shard(const char *text, guint *k, guint *n)
{
    g_auto(GStrv) parts = g_strsplit(text, "/", -1);
    guint64 kk = 0, nn = 0;
    if (g_strv_length(parts) != 2 || !g_ascii_string_to_unsigned(parts[0], 10, 1, G_MAXUINT, &kk, NULL) ||
        !g_ascii_string_to_unsigned(parts[1], 10, 1, G_MAXUINT, &nn, NULL) || kk > nn)
        return FALSE;
    *k = (guint)kk;
    *n = (guint)nn;
    return TRUE;
}

static int run_batch(Batch *b, int argc, char **argv)
{
    g_autofree char *shard = NULL;
    g_auto(GStrv) inputs = NULL;
    const GOptionEntry entries[] = {
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &b->outdir,
         "Write OUTDIR/REL.json for each input (REL: its path under the INPUT folder), and "
         "OUTDIR/failures.jsonl",
         "OUTDIR"},
        {"db", 0, 0, G_OPTION_ARG_FILENAME, &b->db_path,
         "Add the documents and failures to the SQLite database FILE", "FILE"},
        {"force", 0, 0, G_OPTION_ARG_NONE, &b->force, "Convert inputs whose output is up to date too", NULL},
        {"overwrite", 0, 0, G_OPTION_ARG_NONE, &b->overwrite,
         "Let outputs replace files that are not hyosho's (refused otherwise)", NULL},
        {"shard", 0, 0, G_OPTION_ARG_STRING, &shard,
         "Convert only the K-th of N parts of the inputs (by path)", "K/N"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &b->quiet,
         "No progress and no summary (failures are still said)", NULL},
        {"verbose", 'v', 0, G_OPTION_ARG_NONE, &b->verbose, "Name each input as it is done", NULL},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) context = hy_cli_option_context(
        "INPUT...",
        "Converts many award reports: INPUT files, and the PDF and text files (.pdf, .txt, .text) in "
        "INPUT folders and their subfolders, each in a worker process of its own. Writes JSON Lines "
        "on stdout unless -o or --db is given.",
        entries, &b->options, HY_JOBS_PROCESSES);
    g_autoptr(GError) error = NULL;
    if (!g_option_context_parse(context, &argc, &argv, &error))
        return hy_cli_usage_error("batch", error->message);
    guint n_inputs = inputs != NULL ? g_strv_length(inputs) : 0;

    const char *usage = NULL;
    if (n_inputs == 0)
        usage = "an INPUT file or folder is needed";
    else if (b->outdir != NULL && b->db_path != NULL)
        usage = "-o and --db exclude each other";
    else if (b->quiet && b->verbose)
        usage = "--quiet and --verbose exclude each other";
    else if (shard != NULL && !parse_shard(shard, &b->shard_k, &b->shard_n))
        usage = "--shard needs K/N with 1 <= K <= N, e.g. --shard 2/4";
    g_autofree char *wrong_db = NULL;
    HyEmitFormat named = HY_EMIT_FORMAT_SQLITE;
    if (usage == NULL && b->db_path != NULL && hy_emit_format_for_path(b->db_path, &named) &&
        named != HY_EMIT_FORMAT_SQLITE)
        usage = wrong_db = g_strdup_printf("--db takes a SQLite database, and %s is named as %s; name it .db "
                                           "or .sqlite, or use -o OUTDIR for JSON files",
                                           b->db_path, hy_emit_format_name(named));
    for (guint i = 0; usage == NULL && i < n_inputs; i++)
        if (strcmp(inputs[i], "-") == 0) usage = "batch reads files and folders, not stdin ('-')";
    if (usage != NULL) return hy_cli_usage_error("batch", usage);
    b->mode = b->outdir != NULL ? OUTPUT_DIR : b->db_path != NULL ? OUTPUT_DB : OUTPUT_JSONL;
    b->jobs = b->options.extract.threads > 0 ? (guint)b->options.extract.threads : (guint)g_get_num_processors();

    /* A rules file that does not load stops the run before any input is read, as in convert. */
    HyRules *rules = NULL;
    if (!hy_pipeline_load_named_rules(&b->options, !b->quiet, &rules)) return HY_EXIT_RULES;
    hy_rules_free(rules); /* each worker loads its own */
    if (b->mode == OUTPUT_DB) {
        /* Checked, and with --overwrite a file of the user's replaced, before anything is
         * converted: a batch of hours should not end in "cannot write". */
        HyOutputKind kind = hy_emit_identify_output(b->db_path, NULL);
        if (!hy_cli_check_output(b->db_path, HY_EMIT_FORMAT_SQLITE, b->overwrite)) return HY_EXIT_FAILED;
        if (kind != HY_OUTPUT_SQLITE && kind != HY_OUTPUT_EMPTY && kind != HY_OUTPUT_ABSENT &&
            g_unlink(b->db_path) != 0) {
            fprintf(stderr, "hyosho: %s: cannot replace it: %s\n", b->db_path, g_strerror(errno));
            return HY_EXIT_FAILED;
        }
        b->db = hy_sqlite_open(b->db_path, &error);
        if (b->db == NULL) {
            hy_cli_report_error(b->db_path, error);
            return HY_EXIT_FAILED;
        }
        b->db_decisions = g_hash_table_new(g_str_hash, g_str_equal);
    } else if (b->mode == OUTPUT_DIR) {
        if (g_file_test(b->outdir, G_FILE_TEST_EXISTS) && !g_file_test(b->outdir, G_FILE_TEST_IS_DIR)) {
            fprintf(stderr, "hyosho: %s: -o takes a folder, and this is a file\n", b->outdir);
            return HY_EXIT_FAILED;
        }
        if (g_mkdir_with_parents(b->outdir, 0777) != 0) {
            fprintf(stderr, "hyosho: %s: cannot create the folder: %s\n", b->outdir, g_strerror(errno));
            return HY_EXIT_FAILED;
        }
        if (!hy_emit_check_folder(b->outdir, &error)) {
            fprintf(stderr, "hyosho: %s: %s\n", b->outdir, error->message);
            return HY_EXIT_FAILED;
        }
        /* Shards may share one OUTDIR: each keeps its own manifest and failures file. */
        g_autofree char *suffix =
            b->shard_n > 0 ? g_strdup_printf(".shard-%u-of-%u", b->shard_k, b->shard_n) : g_strdup("");
        g_autofree char *manifest = g_strdup_printf(MANIFEST_STEM "%s.json", suffix);
        g_autofree char *failures = g_strdup_printf("failures%s.jsonl", suffix);
        b->manifest_path = g_build_filename(b->outdir, manifest, NULL);
        b->failures_path = g_build_filename(b->outdir, failures, NULL);
        HyOutputKind kind = hy_emit_identify_output(b->failures_path, NULL);
        if (!b->overwrite && kind != HY_OUTPUT_ABSENT && kind != HY_OUTPUT_EMPTY && kind != HY_OUTPUT_FAILURES) {
            fprintf(stderr,
                    "hyosho: %s: exists and is %s, which the batch's failures list would replace; nothing "
                    "was converted (give another -o, or --overwrite to replace it)\n",
                    b->failures_path, hy_emit_output_kind_describe(kind));
            return HY_EXIT_FAILED;
        }
        b->failures = g_string_new(NULL);
        b->unflushed = g_ptr_array_new_with_free_func(g_free);
        manifest_load(b);
    }

    b->progress = !b->quiet && isatty(STDERR_FILENO);
    b->started_at = g_get_monotonic_time();
    b->items = g_ptr_array_new_with_free_func((GDestroyNotify)item_free);
    find_inputs(b, inputs, n_inputs);
    settle_inputs(b);

    worker_argv_init(b);
    b->workers = g_ptr_array_new();
    b->loop = g_main_loop_new(NULL, FALSE);
    guint signal_sources[3] = {
        g_unix_signal_add(SIGINT, interrupted, b),
        g_unix_signal_add(SIGTERM, interrupted, b),
        g_unix_signal_add(SIGHUP, interrupted, b),
    };
    if (b->progress) b->progress_timer = g_timeout_add(500, progress_tick, b);
    pump(b);
    if (!b->finished) g_main_loop_run(b->loop);
    for (guint i = 0; i < G_N_ELEMENTS(signal_sources); i++)
        g_source_remove(signal_sources[i]);
    if (b->progress_timer != 0) g_source_remove(b->progress_timer);

    gboolean output_ok = !b->db_failed;
    if (b->mode == OUTPUT_DB && !db_commit(b)) output_ok = FALSE;
    if (b->mode == OUTPUT_DIR) {
        output_ok = manifest_save(b, TRUE);
        if (!hy_emit_write_file(b->failures_path, b->failures->str, b->failures->len, &error)) {
            hy_cli_report_error(b->failures_path, error);
            output_ok = FALSE;
        }
    }
    progress_clear(b);
    guint total = b->items->len;
    if (!b->quiet) {
        guint not_done = total - b->converted - b->skipped - b->failed;
        g_autofree char *rest = not_done > 0 ? g_strdup_printf(", %u not done", not_done) : g_strdup("");
        fprintf(stderr,
                "batch: %s%u file%s, %u converted, %u skipped, %u failed%s, %" G_GUINT64_FORMAT
                " page%s in %.1f s\n",
                b->stopping ? "interrupted: " : "", total, total == 1 ? "" : "s", b->converted, b->skipped,
                b->failed, rest, b->pages, b->pages == 1 ? "" : "s", elapsed_seconds(b));
    }
    return b->failed > 0 || b->stopping || !output_ok ? HY_EXIT_FAILED : HY_EXIT_OK;
}

int hy_cmd_batch(int argc, char **argv)
{
    Batch batch = {0};
    batch.options = hy_pipeline_options_default();
    int status = run_batch(&batch, argc, argv);
    batch_clear(&batch);
    return status;
}
