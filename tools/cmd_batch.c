/* cmd_batch.c -- `hyosho batch`: many inputs (files, and folders searched recursively)
 * converted by worker processes, at most -j at a time, into an output folder (one JSON a
 * file), a SQLite database, or JSON Lines or one CSV on stdout.
 *
 * Inputs are converted by worker processes (`hyosho worker`, this very binary through
 * /proc/self/exe; the protocol is in worker_protocol.h), one input at a time each, input after
 * input: a process start costs about as much as converting a short report, so it is paid
 * per worker, not per file. A crash, a hang or a runaway allocation inside poppler ends
 * that worker and costs its input only; the next input goes to a new worker. An input
 * whose worker died after converting others is tried once more in a fresh one, so that
 * what fails is what fails in a process of its own. The parent reads each worker's JSON
 * back (hy_emit_read_json) and is the only writer of every output: results are emitted in
 * the order of the sorted input paths, whatever order the workers finish in, so the
 * output is the same bytes for any -j. What a file's failure, a re-run's skip and a
 * shard are is documented in README.md, "Batch conversion". */
#include "batch/batch_private.h"
#include "review/review_private.h"
#include "hy_version.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void hy_batch__finish_item(Batch *b, Item *item)
{
    item->done = TRUE;
    b->n_done++;
    if (item->result == RESULT_FAILED) b->n_failed++;
    if (item->result == RESULT_CONVERTED) b->n_pages += (guint64)MAX(item->pages, 0);
}

void hy_batch__fail_item(Batch *b, Item *item, char *reason /* (transfer full) */)
{
    item->result = RESULT_FAILED;
    g_free(item->reason);
    item->reason = reason;
    hy_batch__finish_item(b, item);
}

/* ---- dispatch ------------------------------------------------------------------- */

/* Settles @item without a worker when it can (cannot be read, up to date); FALSE when it
 * has to be converted. */
static gboolean settle_without_worker(Batch *b, Item *item)
{
    if (item->problem != NULL) {
        hy_batch__fail_item(b, item, g_strdup(item->problem));
        return TRUE;
    }
    /* Read twice only when the content decides: not with --force, nor for an output the
     * manifest does not know (a first run). A failure's sha256 is read when it is recorded. */
    if (OUTPUT_IS_STDOUT(b->mode) || b->force) return FALSE;
    if (b->mode == OUTPUT_DIR && !g_hash_table_contains(b->manifest, item->out_key)) return FALSE;
    /* NULL when unreadable: the worker then reports why, in its own words. */
    item->sha256 = hy_batch__sha256_of_file(item->path);
    if (item->sha256 == NULL) return FALSE;
    gboolean up_to_date = FALSE;
    if (b->mode == OUTPUT_DIR) {
        up_to_date = hy_batch__manifest_up_to_date(b, item);
    } else if (g_hash_table_contains(b->db_decisions, item->sha256)) {
        up_to_date = g_hash_table_lookup(b->db_decisions, item->sha256) == DECIDED_SKIP;
    } else {
        g_autoptr(GError) error = NULL;
        if (!hy_sqlite_has_document(b->db, item->sha256, HY_VERSION, &up_to_date, &error)) {
            hy_batch__fail_item(b, item, g_strdup_printf("%s: %s", b->db_path, error->message));
            return TRUE;
        }
        /* The key is the item's, which lives as long as the batch. */
        g_hash_table_insert(b->db_decisions, item->sha256, up_to_date ? DECIDED_SKIP : DECIDED_CONVERT);
    }
    if (!up_to_date) return FALSE;
    item->result = RESULT_SKIPPED;
    hy_batch__finish_item(b, item);
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
        hy_batch__emit_ready(b);
    }
    return NULL;
}

void hy_batch__pump(Batch *b)
{
    hy_batch__emit_ready(b);
    while (!b->stopping && b->running < b->jobs) {
        Item *item = next_to_convert(b);
        if (item == NULL) break;
        hy_batch__dispatch(b, item);
        hy_batch__emit_ready(b);
    }
    hy_batch__progress_draw(b);
    if (b->running == 0 && (b->stopping || b->next_emit == b->items->len)) {
        /* Nothing more to convert: the idle workers are told to end, and the batch ends with them. */
        for (guint i = 0; i < b->workers->len; i++)
            hy_batch__worker_close(g_ptr_array_index(b->workers, i));
        if (b->workers->len == 0 && !b->finished) {
            b->finished = TRUE;
            g_main_loop_quit(b->loop);
        }
    }
}

static gboolean interrupted(gpointer data)
{
    Batch *b = data;
    if (!b->stopping) hy_batch__say(b, "hyosho: batch: interrupted; ending the workers\n");
    hy_batch__stop(b);
    if (b->running == 0) hy_batch__pump(b);
    return G_SOURCE_CONTINUE;
}

/* ---- the command ------------------------------------------------------------------- */

static void batch_clear(Batch *b)
{
    hy_pipeline_options_clear(&b->options);
    g_free(b->outdir);
    g_free(b->db_path);
    g_free(b->review);
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

/* The review's index, a row per input in input order: the workers wrote the pages, named
 * by hy_review_name_for(); a failure's row says why. */
static gboolean write_review_index(Batch *b)
{
    guint n = b->items->len;
    g_autofree HyReviewDocument *docs = g_new0(HyReviewDocument, n);
    g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) summaries = g_ptr_array_new_with_free_func((GDestroyNotify)hy_emit_document_free);
    for (guint i = 0; i < n; i++) {
        const Item *item = g_ptr_array_index(b->items, i);
        char *name = hy_review_name_for(item->path);
        g_ptr_array_add(owned, name);
        docs[i] = (HyReviewDocument){.input = item->path, .name = name};
        if (item->result == RESULT_FAILED || !item->done) {
            docs[i].failure = item->reason != NULL ? item->reason : "not converted (the batch was interrupted)";
            continue;
        }
        g_autofree char *json_path = g_strconcat(b->review, G_DIR_SEPARATOR_S, name, ".json", NULL);
        g_autofree char *json = NULL;
        gsize len = 0;
        HyEmitDocument *summary = g_file_get_contents(json_path, &json, &len, NULL)
                                      ? hy_emit_read_json(json, (gssize)len, NULL)
                                      : NULL;
        if (summary != NULL) g_ptr_array_add(summaries, summary);
        docs[i].summary = summary;
        if (summary == NULL)
            docs[i].failure = item->result == RESULT_SKIPPED ? "up to date, not converted again: no review page "
                                                               "(--force converts it)"
                                                             : "its review page could not be written";
    }
    g_autoptr(GError) error = NULL;
    if (hy_review_write_index(b->review, docs, n, &error)) return TRUE;
    hy_cli_report_error(b->review, error);
    return FALSE;
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

/* --format names what goes to stdout, so it goes with neither -o (JSON files) nor --db;
 * -o FILE.csv, a folder by that name, is surely meant as one CSV file. NULL, or the usage
 * error. */
static char *stdout_format_usage(Batch *b, const char *format_name, const char *csv_header)
{
    HyEmitFormat named = HY_EMIT_FORMAT_JSON;
    if (b->outdir != NULL && !g_file_test(b->outdir, G_FILE_TEST_IS_DIR) &&
        hy_emit_format_for_path(b->outdir, &named) && named == HY_EMIT_FORMAT_CSV)
        return g_strdup_printf("-o takes a folder for JSON files; for one CSV of every input, write "
                               "--format csv > %s",
                               b->outdir);
    if (format_name != NULL && strcmp(format_name, "jsonl") != 0 && strcmp(format_name, "csv") != 0)
        return g_strdup_printf("--format: '%s' is not a format of batch's stdout (jsonl or csv); -o OUTDIR "
                               "writes JSON files, --db FILE a database",
                               format_name);
    if (format_name != NULL && (b->outdir != NULL || b->db_path != NULL))
        return g_strdup_printf("--format %s is for stdout, and %s writes %s", format_name,
                               b->outdir != NULL ? "-o" : "--db",
                               b->outdir != NULL ? "JSON files" : "a database");
    if (csv_header != NULL && !hy_emit_csv_header_parse(csv_header, &b->csv.header))
        return g_strdup_printf("--csv-header: '%s' is not a header style (json or ja)", csv_header);
    if ((csv_header != NULL || b->csv.excel) && g_strcmp0(format_name, "csv") != 0)
        return g_strdup_printf("%s goes with --format csv", b->csv.excel ? "--excel" : "--csv-header");
    return NULL;
}

static int run_batch(Batch *b, int argc, char **argv)
{
    g_autofree char *shard = NULL;
    g_autofree char *format_name = NULL, *csv_header = NULL;
    g_auto(GStrv) inputs = NULL;
    const GOptionEntry entries[] = {
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &b->outdir,
         "Write OUTDIR/REL.json for each input (REL: its path under the INPUT folder), and "
         "OUTDIR/failures.jsonl",
         "OUTDIR"},
        {"db", 0, 0, G_OPTION_ARG_FILENAME, &b->db_path,
         "Add the documents and failures to the SQLite database FILE", "FILE"},
        {"format", 0, 0, G_OPTION_ARG_STRING, &format_name,
         "What goes to stdout without -o and --db: jsonl (one award a line, the default) or csv (one CSV, "
         "its header once, one award a row)",
         "FORMAT"},
        {"csv-header", 0, 0, G_OPTION_ARG_STRING, &csv_header,
         "(csv) name the columns by their JSON path (json, the default) or in Japanese (ja)", "STYLE"},
        {"excel", 0, 0, G_OPTION_ARG_NONE, &b->csv.excel,
         "(csv) for a spreadsheet: UTF-8 with a BOM, CRLF, digit-only text kept as text", NULL},
        {"force", 0, 0, G_OPTION_ARG_NONE, &b->force, "Convert inputs whose output is up to date too", NULL},
        {"overwrite", 0, 0, G_OPTION_ARG_NONE, &b->overwrite,
         "Let outputs replace files that are not hyosho's (refused otherwise)", NULL},
        {"shard", 0, 0, G_OPTION_ARG_STRING, &shard,
         "Convert only the K-th of N parts of the inputs (by path)", "K/N"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &b->quiet,
         "No progress and no summary (failures are still said)", NULL},
        {"verbose", 'v', 0, G_OPTION_ARG_NONE, &b->verbose, "Name each input as it is done", NULL},
        {"review", 0, 0, G_OPTION_ARG_FILENAME, &b->review,
         "Also write a review to check in a browser into DIR (as hyosho review does)", "DIR"},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) context = hy_cli_option_context(
        "INPUT...",
        "Converts many award reports: INPUT files, and the PDF and text files (.pdf, .txt, .text) in "
        "INPUT folders and their subfolders, each in a worker process of its own. Writes JSON Lines "
        "(or with --format csv, CSV) on stdout unless -o or --db is given.",
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
    g_autofree char *wrong_format = NULL;
    if (usage == NULL)
        usage = wrong_format = stdout_format_usage(b, format_name, csv_header);
    if (usage != NULL) return hy_cli_usage_error("batch", usage);
    b->mode = b->outdir != NULL               ? OUTPUT_DIR
              : b->db_path != NULL            ? OUTPUT_DB
              : g_strcmp0(format_name, "csv") == 0 ? OUTPUT_CSV
                                              : OUTPUT_JSONL;
    b->jobs = b->options.extract.threads > 0 ? (guint)b->options.extract.threads : (guint)g_get_num_processors();

    /* A rules file that does not load stops the run before any input is read, as in convert. */
    HyRules *rules = NULL;
    if (!hy_pipeline_load_named_rules(&b->options, !b->quiet, &rules)) return HY_EXIT_RULES;
    hy_rules_free(rules); /* each worker loads its own */
    if (b->mode == OUTPUT_DB) {
        /* Checked, and with --overwrite a file of the user's replaced, before anything is
         * converted: a batch of hours should not end in "cannot write". */
        HyOutputKind kind = HY_OUTPUT_ABSENT;
        if (!hy_cli_check_output(b->db_path, HY_EMIT_FORMAT_SQLITE, b->overwrite, &kind)) return HY_EXIT_FAILED;
        if (!hy_emit_output_takes(kind, HY_EMIT_FORMAT_SQLITE) && g_unlink(b->db_path) != 0) {
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
        if (!hy_cli_prepare_folder(b->outdir)) return HY_EXIT_FAILED;
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
        hy_batch__manifest_load(b);
    }
    if (b->review != NULL && !hy_review_prepare_folder(b->review, b->overwrite, &error)) {
        hy_cli_report_error(b->review, error);
        return HY_EXIT_FAILED;
    }

    /* The header once, before any row, also when no input converts: the same bytes for any -j. */
    if (b->mode == OUTPUT_CSV) {
        g_autofree char *header = hy_emit_csv_header(&b->csv);
        if (!hy_batch__write_stdout(b, header, &error)) {
            hy_cli_report_error(NULL, error);
            return HY_EXIT_FAILED;
        }
    }
    b->progress = !b->quiet && isatty(STDERR_FILENO);
    b->started_at = g_get_monotonic_time();
    b->items = g_ptr_array_new_with_free_func((GDestroyNotify)hy_batch__item_free);
    hy_batch__find_inputs(b, inputs, n_inputs);
    hy_batch__settle_inputs(b);

    hy_batch__pool_init(b);
    b->workers = g_ptr_array_new();
    b->loop = g_main_loop_new(NULL, FALSE);
    guint signal_sources[3] = {
        g_unix_signal_add(SIGINT, interrupted, b),
        g_unix_signal_add(SIGTERM, interrupted, b),
        g_unix_signal_add(SIGHUP, interrupted, b),
    };
    if (b->progress) b->progress_timer = g_timeout_add(500, hy_batch__progress_tick, b);
    hy_batch__pump(b);
    if (!b->finished) g_main_loop_run(b->loop);
    for (guint i = 0; i < G_N_ELEMENTS(signal_sources); i++)
        g_source_remove(signal_sources[i]);
    if (b->progress_timer != 0) g_source_remove(b->progress_timer);

    gboolean output_ok = !b->db_failed;
    if (b->mode == OUTPUT_DB && !hy_batch__db_commit(b)) output_ok = FALSE;
    if (b->mode == OUTPUT_DIR) {
        output_ok = hy_batch__manifest_save(b, TRUE);
        if (!hy_emit_write_file(b->failures_path, b->failures->str, b->failures->len, &error)) {
            hy_cli_report_error(b->failures_path, error);
            output_ok = FALSE;
        }
    }
    if (b->review != NULL && !write_review_index(b)) output_ok = FALSE;
    hy_batch__progress_clear(b);
    guint total = b->items->len;
    if (!b->quiet) {
        guint not_done = total - b->converted - b->skipped - b->failed;
        g_autofree char *rest = not_done > 0 ? g_strdup_printf(", %u not done", not_done) : g_strdup("");
        fprintf(stderr,
                "batch: %s%u file%s, %u converted, %u skipped, %u failed%s, %" G_GUINT64_FORMAT
                " page%s in %.1f s\n",
                b->stopping ? "interrupted: " : "", total, total == 1 ? "" : "s", b->converted, b->skipped,
                b->failed, rest, b->pages, b->pages == 1 ? "" : "s", hy_batch__elapsed_seconds(b));
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
