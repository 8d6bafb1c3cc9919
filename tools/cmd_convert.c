/* cmd_convert.c -- `hyosho convert`: one input document to its v1 JSON (stdout or -o FILE),
 * its JSON Lines (one award a line), CSV (one award a row), or its rows in a SQLite
 * database (-o DATABASE).
 * Files are replaced atomically (hy_emit_write_file); SIGINT/SIGTERM/SIGHUP are held
 * while output is written, so an interruption never strands a temporary file or an open
 * transaction: the output step finishes, then the signal takes effect. */
#include "hy_cli.h"
#include "hy_test_hooks.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

/* ---- holding signals during output ---------------------------------------- */

static const int held_signals[] = {SIGINT, SIGTERM, SIGHUP};
static struct sigaction saved_actions[G_N_ELEMENTS(held_signals)];
static volatile sig_atomic_t held_signal;

static void hold_signal(int signal_number)
{
    if (held_signal == 0) held_signal = signal_number;
}

/* A handler, not a blocked mask: PDF extraction may have left pool threads, and a signal
 * sent to the process can land on any thread that does not block it. */
static void signals_hold(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = hold_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (guint i = 0; i < G_N_ELEMENTS(held_signals); i++)
        sigaction(held_signals[i], &action, &saved_actions[i]);
}

/* Restores the previous dispositions and delivers a held signal under them (usually:
 * the process ends, with the output complete). */
static void signals_release(void)
{
    for (guint i = 0; i < G_N_ELEMENTS(held_signals); i++)
        sigaction(held_signals[i], &saved_actions[i], NULL);
    if (held_signal != 0) raise(held_signal);
}

/* ---- output ------------------------------------------------------------------ */

/* Standard output gets the JSON as it is generated (a large report is not held twice in
 * memory): by now nothing but the write itself can fail. */
static gboolean write_stdout(HyEmitFormat format, gboolean compact, const HyCsvOptions *csv, int threads,
                             const HySource *source, const HyReport *report)
{
    g_autoptr(GError) error = NULL;
    gboolean ok = format == HY_EMIT_FORMAT_JSON  ? hy_emit_json_to_stream(stdout, source, report, !compact, threads, &error)
                  : format == HY_EMIT_FORMAT_CSV ? hy_emit_csv_to_stream(stdout, source, report, csv, &error)
                                                 : hy_emit_jsonl_to_stream(stdout, source, report, threads, &error);
    if (!ok) hy_cli_report_error("stdout", error);
    return ok;
}

/* @replace: the file there is not a hyosho database and --overwrite said to replace it;
 * removed only now that the records to take its place exist. */
static gboolean write_sqlite(const char *database, gboolean replace, const HySource *source,
                             const HyReport *report, GError **error)
{
    if (replace && g_unlink(database) != 0 && errno != ENOENT) {
        g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_WRITE, "cannot replace it: %s", g_strerror(errno));
        return FALSE;
    }
    g_autoptr(HySqlite) db = hy_sqlite_open(database, error);
    if (db == NULL) return FALSE;
    hy_hook_watch_database(db);
    return hy_sqlite_write_document(db, source, report, error);
}

static gboolean write_output(HyEmitFormat format, const char *output, gboolean replace, gboolean compact,
                             const HyCsvOptions *csv, int threads, const HySource *source, const HyReport *report)
{
    if (format != HY_EMIT_FORMAT_SQLITE && output == NULL)
        return write_stdout(format, compact, csv, threads, source, report);
    g_autofree char *text = NULL;
    if (format == HY_EMIT_FORMAT_JSON)
        text = hy_emit_json_threads(source, report, !compact, threads);
    else if (format == HY_EMIT_FORMAT_JSONL)
        text = hy_emit_jsonl_threads(source, report, threads);
    else if (format == HY_EMIT_FORMAT_CSV)
        text = hy_emit_csv(source, report, csv);

    g_autoptr(GError) error = NULL;
    signals_hold();
    hy_hook_output_starts();
    gboolean ok = format != HY_EMIT_FORMAT_SQLITE ? hy_emit_write_file(output, text, strlen(text), &error)
                                          : write_sqlite(output, replace, source, report, &error);
    if (!ok) hy_cli_report_error(output, error);
    signals_release();
    return ok;
}

/* The process ends once the output is written, and its memory goes back with it: freeing
 * a large report block by block would cost some 5 % of its conversion (32 MiB of text:
 * 150 000 blocks a MiB). The conversion stays reachable from here, so it is no leak.
 * Where leaks are checked it is freed as usual, so that its ownership stays checked too:
 * in AddressSanitizer builds, and in valgrind_goldens.sh's runs (hy_hook_free_at_exit). */
static void leave_to_exit(HyConversion *conversion)
{
    static HyConversion *volatile left; /* volatile: a store the compiler may not drop */
#ifndef HY_ASAN
    if (!hy_hook_free_at_exit()) {
        left = conversion;
        return;
    }
#endif
    (void)left;
    hy_conversion_free(conversion);
}

/* The format: --format's, or else the one -o's extension names, or else JSON; a --format
 * that contradicts the extension is a mistake worth stopping for (`-o awards.db` with
 * --format json would have replaced a database). NULL, or the usage error. */
static char *choose_format(const char *format_name, const char *output, HyEmitFormat *format)
{
    HyEmitFormat by_name = HY_EMIT_FORMAT_JSON;
    gboolean named = output != NULL && hy_emit_format_for_path(output, &by_name);
    *format = named ? by_name : HY_EMIT_FORMAT_JSON;
    if (format_name == NULL) return NULL;
    if (!hy_emit_format_parse(format_name, format))
        return g_strdup_printf("--format: '%s' is not a format (json, jsonl, csv or sqlite)", format_name);
    if (named && *format != by_name)
        return g_strdup_printf("--format %s contradicts -o %s, whose extension means %s; leave --format out, "
                               "or name the output for what it holds",
                               format_name, output, hy_emit_format_name(by_name));
    return NULL;
}

int hy_cmd_convert(int argc, char **argv)
{
    gboolean compact = FALSE, overwrite = FALSE, provenance = FALSE;
    g_autofree char *format_name = NULL;
    g_autofree char *csv_header = NULL;
    HyCsvOptions csv = {0};
    g_autofree char *output = NULL;
    g_auto(GStrv) inputs = NULL;
    g_auto(HyPipelineOptions) options = hy_pipeline_options_default();
    const GOptionEntry entries[] = {
        {"format", 0, 0, G_OPTION_ARG_STRING, &format_name,
         "json, jsonl (one award a line), csv (one award a row) or sqlite (needs -o); default: -o's extension "
         "(.json, .jsonl, .csv, .db, .sqlite), else json",
         "FORMAT"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
         "Write to FILE (replaced atomically) or add to the SQLite database FILE; '-' is stdout", "FILE"},
        {"overwrite", 0, 0, G_OPTION_ARG_NONE, &overwrite,
         "Let -o replace a file that is not hyosho's output of the format (refused otherwise)", NULL},
        {"compact", 0, 0, G_OPTION_ARG_NONE, &compact, "Print the JSON on one line", NULL},
        {"provenance", 0, 0, G_OPTION_ARG_NONE, &provenance,
         "Add to each award where each field was read: its lines' pages and boxes (PDF) or numbers (text)", NULL},
        {"csv-header", 0, 0, G_OPTION_ARG_STRING, &csv_header,
         "(csv) name the columns by their JSON path (json, the default) or in Japanese (ja)", "STYLE"},
        {"excel", 0, 0, G_OPTION_ARG_NONE, &csv.excel,
         "(csv) for a spreadsheet: UTF-8 with a BOM, CRLF, digit-only text kept as text", NULL},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) context =
        hy_cli_option_context("INPUT",
                              "Converts an award report (PDF or text; '-' reads stdin) to the v1 JSON "
                              "document on stdout, to JSON Lines, to CSV, or into a SQLite database.",
                              entries, &options, HY_JOBS_THREADS);
    g_autoptr(GError) error = NULL;
    if (!g_option_context_parse(context, &argc, &argv, &error)) return hy_cli_usage_error("convert", error->message);
    guint n_inputs = inputs != NULL ? g_strv_length(inputs) : 0;
    if (output != NULL && strcmp(output, "-") == 0) g_clear_pointer(&output, g_free);
    HyEmitFormat format = HY_EMIT_FORMAT_JSON;
    g_autofree char *usage = choose_format(format_name, output, &format);
    if (usage == NULL && n_inputs != 1)
        usage = g_strdup(n_inputs == 0 ? "an INPUT file is needed" : "one INPUT file at a time");
    if (usage == NULL && format == HY_EMIT_FORMAT_SQLITE && output == NULL)
        usage = g_strdup("--format sqlite needs -o DATABASE");
    if (usage == NULL && provenance && format != HY_EMIT_FORMAT_JSON && format != HY_EMIT_FORMAT_JSONL)
        usage = g_strdup("--provenance goes into JSON or JSON Lines, not a database or CSV");
    if (usage == NULL && csv_header != NULL && !hy_emit_csv_header_parse(csv_header, &csv.header))
        usage = g_strdup_printf("--csv-header: '%s' is not a header style (json or ja)", csv_header);
    if (usage == NULL && format != HY_EMIT_FORMAT_CSV && (csv_header != NULL || csv.excel))
        usage = g_strdup_printf("%s goes with --format csv (or -o FILE.csv)", csv.excel ? "--excel" : "--csv-header");
    if (usage != NULL) return hy_cli_usage_error("convert", usage);
    const char *path = inputs[0];

    g_autoptr(HyRules) rules = NULL;
    if (!hy_pipeline_load_named_rules(&options, TRUE, &rules)) return HY_EXIT_RULES;
    /* The output is checked before the input is read: a conversion of minutes should not
     * end in "cannot write". */
    gboolean replace = FALSE;
    if (output != NULL) {
        HyOutputKind kind = HY_OUTPUT_ABSENT;
        if (!hy_cli_check_output(output, format, overwrite, &kind)) return HY_EXIT_FAILED;
        replace = format == HY_EMIT_FORMAT_SQLITE && !hy_emit_output_takes(kind, format);
    }
    hy_hook_conversion_starts(path);
    g_autoptr(HyConversion) conversion = hy_pipeline_convert(path, &options, rules,
                                                             provenance ? HY_CONVERT_PROVENANCE : HY_CONVERT_RECORDS, &error);
    if (conversion == NULL) {
        hy_cli_report_error(path, error);
        return g_error_matches(error, HY_SEGMENT_ERROR, HY_SEGMENT_ERROR_RULE) ? HY_EXIT_RULES
                                                                               : HY_EXIT_FAILED;
    }
    HySource source;
    hy_pipeline_source(conversion, &source);
    gboolean written =
        write_output(format, output, replace, compact, &csv, options.extract.threads, &source, conversion->report);
    leave_to_exit(g_steal_pointer(&conversion));
    return written ? HY_EXIT_OK : HY_EXIT_FAILED;
}
