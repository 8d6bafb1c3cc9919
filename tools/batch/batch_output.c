/* batch_output.c -- a batch's results, emitted in the order of the inputs whatever order
 * the workers finish in: each document to OUTDIR, the database (in groups of
 * transactions) or stdout (JSON Lines, or CSV rows under the header cmd_batch.c wrote);
 * each failure said on stderr and recorded; and the progress line on a terminal. */
#include "batch_private.h"
#include "hy_version.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ---- progress (a terminal only) ---------------------------------------------- */

double hy_batch__elapsed_seconds(const Batch *b)
{
    return (double)(g_get_monotonic_time() - b->started_at) / G_USEC_PER_SEC;
}

void hy_batch__progress_clear(Batch *b)
{
    if (!b->progress_shown) return;
    fputs("\r\033[K", stderr);
    b->progress_shown = FALSE;
}

/* At most this often: a redraw per finished file would flood a slow terminal (or a
 * recording of it) when files take milliseconds. */
#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 10)

void hy_batch__progress_draw(Batch *b)
{
    if (!b->progress) return;
    gint64 now = g_get_monotonic_time();
    if (b->progress_shown && now - b->progress_drawn_at < PROGRESS_INTERVAL_US) return;
    b->progress_drawn_at = now;
    double elapsed = hy_batch__elapsed_seconds(b);
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

gboolean hy_batch__progress_tick(gpointer data)
{
    hy_batch__progress_draw(data);
    return G_SOURCE_CONTINUE;
}

/* A diagnostic line on stderr, below the progress line, which is drawn again later. */
void hy_batch__say(Batch *b, const char *format, ...)
{
    hy_batch__progress_clear(b);
    va_list args;
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
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

gboolean hy_batch__db_commit(Batch *b)
{
    if (b->db_group_started_at == 0) return TRUE;
    b->db_group_started_at = 0;
    g_autoptr(GError) error = NULL;
    if (hy_sqlite_commit_group(b->db, &error)) return TRUE;
    hy_batch__say(b, "hyosho: %s: %s\n", b->db_path, error->message);
    return FALSE;
}

gboolean hy_batch__write_stdout(Batch *b, const char *text, GError **error)
{
    if (fputs(text, stdout) == EOF || fflush(stdout) != 0) {
        g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_WRITE, "stdout: write failed");
        hy_batch__stop(b); /* nowhere to write the rest */
        return FALSE;
    }
    return TRUE;
}

static gboolean write_output(Batch *b, Item *item, GError **error)
{
    switch (b->mode) {
    case OUTPUT_CSV: {
        g_autofree char *rows = hy_emit_csv_rows(&item->doc->source, item->doc->report, &b->csv);
        return hy_batch__write_stdout(b, rows, error);
    }
    case OUTPUT_JSONL: return hy_batch__write_stdout(b, item->output, error);
    case OUTPUT_DIR: {
        g_autofree char *output = g_build_filename(b->outdir, item->out_rel, NULL);
        g_autofree char *folder = g_path_get_dirname(output);
        if (g_mkdir_with_parents(folder, 0777) != 0) {
            g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_WRITE, "%s: %s", folder, g_strerror(errno));
            return FALSE;
        }
        /* Flushed to disk with the others before the manifest names it (hy_batch__manifest_save). */
        if (!hy_emit_write_new_file(output, item->output, strlen(item->output), error)) {
            g_prefix_error(error, "%s: ", output);
            return FALSE;
        }
        g_ptr_array_add(b->unflushed, g_steal_pointer(&output));
        hy_batch__manifest_record(b, item);
        return TRUE;
    }
    case OUTPUT_DB: {
        HySource *source = &item->doc->source;
        g_autofree char *now = hy_emit_timestamp_now();
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
    hy_batch__say(b, "hyosho: %s: %s\n", item->path, item->reason);
    if (!OUTPUT_IS_STDOUT(b->mode) && item->sha256 == NULL) item->sha256 = hy_batch__sha256_of_file(item->path);
    if (b->mode == OUTPUT_DIR) {
        g_autofree char *line = hy_emit_failure_line(item->path, item->sha256, item->reason);
        g_string_append(b->failures, line);
        /* Its earlier output, if any, is no longer up to date. */
        if (item->out_key != NULL && g_hash_table_remove(b->manifest, item->out_key))
            b->manifest_dirty = TRUE;
    } else if (b->mode == OUTPUT_DB) {
        g_autoptr(GError) error = NULL;
        if (!db_group(b, &error) || !hy_sqlite_record_failure(b->db, item->path, item->sha256, item->reason, &error))
            hy_batch__say(b, "hyosho: %s: %s\n", b->db_path, error->message);
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
                hy_batch__say(b, "hyosho: %s: converted (%d page%s)\n", item->path, item->pages, item->pages == 1 ? "" : "s");
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
        if (b->verbose) hy_batch__say(b, "hyosho: %s: skipped (up to date)\n", item->path);
    }
    if (item->result == RESULT_FAILED) {
        b->failed++;
        record_failure(b, item);
    }
}

void hy_batch__emit_ready(Batch *b)
{
    while (b->next_emit < b->items->len && !b->stopping) {
        Item *item = g_ptr_array_index(b->items, b->next_emit);
        if (!item->done) break;
        emit_item(b, item);
        b->next_emit++;
    }
    if (b->mode == OUTPUT_DIR && b->manifest_dirty &&
        g_get_monotonic_time() - b->manifest_saved_at > MANIFEST_SAVE_US)
        (void)hy_batch__manifest_save(b, FALSE);
    if (b->mode == OUTPUT_DB && b->db_group_started_at != 0 &&
        g_get_monotonic_time() - b->db_group_started_at > MANIFEST_SAVE_US && !hy_batch__db_commit(b))
        b->db_failed = TRUE;
}
