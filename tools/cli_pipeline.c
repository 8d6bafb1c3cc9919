/* cli_pipeline.c -- the wiring every converting subcommand shares: common options,
 * rules selection, extract -> segment, the per-document watchdog, and diagnostics. */
#include "hy_cli.h"
#include "hy_version.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void hy_cli_report_error(const char *path, const GError *error)
{
    const char *message = error != NULL ? error->message : "failed";
    int len = (int)strcspn(message, "\n");
    if (path != NULL) fprintf(stderr, "hyosho: %s: %.*s\n", path, len, message);
    else fprintf(stderr, "hyosho: %.*s\n", len, message);
}

int hy_cli_usage_error(const char *command, const char *message)
{
    fprintf(stderr, "hyosho %s: %s\nsee 'hyosho %s --help'\n", command, message, command);
    return HY_EXIT_USAGE;
}

void hy_pipeline_options_init(HyPipelineOptions *options)
{
    memset(options, 0, sizeof *options);
    hy_extract_options_init(&options->extract);
    options->timeout = options->extract.timeout_seconds;
}

void hy_pipeline_options_clear(HyPipelineOptions *options)
{
    g_clear_pointer(&options->encoding, g_free);
    g_clear_pointer(&options->password, g_free);
    g_clear_pointer(&options->rules_file, g_free);
    g_clear_pointer(&options->profile, g_free);
}

void hy_pipeline_add_options(GOptionContext *context, HyPipelineOptions *o)
{
    const GOptionEntry entries[] = {
        {"year", 0, 0, G_OPTION_ARG_INT, &o->year, "Award year when the document does not say", "YEAR"},
        {"encoding", 0, 0, G_OPTION_ARG_STRING, &o->encoding, "Text encoding (default: detected)", "NAME"},
        {"password", 0, 0, G_OPTION_ARG_STRING, &o->password, "Password of an encrypted PDF", "PASSWORD"},
        {"rules", 0, 0, G_OPTION_ARG_FILENAME, &o->rules_file, "Load segmentation rules from FILE", "FILE"},
        {"profile", 0, 0, G_OPTION_ARG_STRING, &o->profile, "Built-in rules: default or older (default: detected)",
         "NAME"},
        {"timeout", 0, 0, G_OPTION_ARG_DOUBLE, &o->timeout, "Give up on a document after SECONDS (default 30)",
         "SECONDS"},
        {"jobs", 'j', 0, G_OPTION_ARG_INT, &o->threads, "Extract PDF pages on N threads (default: all cores)", "N"},
        G_OPTION_ENTRY_NULL,
    };
    g_option_context_add_main_entries(context, entries, NULL);
}

HyRules *hy_pipeline_rules(const HyPipelineOptions *options, GPtrArray *lines, GError **error)
{
    if (options->rules_file != NULL) return hy_rules_load(options->rules_file, error);
    if (options->profile != NULL) return hy_rules_load_builtin(options->profile, error);
    return hy_rules_load_builtin(lines != NULL ? hy_rules_detect_profile(lines) : "default", error);
}

void hy_conversion_free(HyConversion *conversion)
{
    if (conversion == NULL) return;
    hy_document_free(conversion->doc);
    hy_report_free(conversion->report);
    if (conversion->trace != NULL) g_array_unref(conversion->trace);
    hy_rules_free(conversion->own_rules);
    g_free(conversion->converted_at);
    g_free(conversion);
}

/* The watchdog: a page on which poppler never returns cannot be interrupted from
 * inside, so the whole process ends, with the one-line error a failure gets. */
static char watchdog_message[1024];
static size_t watchdog_length;

static void watchdog_fired(int signal_number)
{
    (void)signal_number;
    ssize_t ignored = write(STDERR_FILENO, watchdog_message, watchdog_length);
    (void)ignored;
    _exit(HY_EXIT_FAILED);
}

static void watchdog_arm(const char *path, double seconds)
{
    if (seconds <= 0) return;
    int n = snprintf(watchdog_message, sizeof watchdog_message, "hyosho: %s: timed out after %g s\n", path, seconds);
    watchdog_length = n < 0 ? 0 : MIN((size_t)n, sizeof watchdog_message - 1);
    signal(SIGALRM, watchdog_fired);
    /* Whole seconds, rounded up: the extract stage itself checks the exact limit between pages. */
    alarm((unsigned)(seconds + 0.999));
}

static void watchdog_disarm(void)
{
    alarm(0);
}

HyConversion *hy_pipeline_convert(const char *path, const HyPipelineOptions *options, const HyRules *rules,
                                  gboolean want_trace, GError **error)
{
    HyExtractOptions extract = options->extract;
    extract.encoding = options->encoding;
    extract.password = options->password;
    extract.timeout_seconds = options->timeout;
    extract.threads = options->threads;

    watchdog_arm(path, options->timeout);
    g_autoptr(HyConversion) conversion = g_new0(HyConversion, 1);
    conversion->doc = hy_extract_load(path, &extract, error);
    if (conversion->doc == NULL) {
        watchdog_disarm();
        return NULL;
    }
    if (rules == NULL) {
        conversion->own_rules = hy_pipeline_rules(options, conversion->doc->lines, error);
        if (conversion->own_rules == NULL) {
            watchdog_disarm();
            return NULL;
        }
        rules = conversion->own_rules;
    }
    conversion->report =
        hy_segment_lines(rules, conversion->doc->lines, want_trace ? &conversion->trace : NULL, error);
    watchdog_disarm();
    if (conversion->report == NULL) return NULL;

    HyReport *report = conversion->report;
    if (report->year == 0 && options->year > 0) report->year = options->year;
    /* Page-level findings of the extract stage (unusable text layers) come first. */
    for (guint i = conversion->doc->warnings->len; i-- > 0;)
        g_ptr_array_insert(report->warnings, 0, g_strdup(g_ptr_array_index(conversion->doc->warnings, i)));
    g_autoptr(GDateTime) now = g_date_time_new_now_utc();
    conversion->converted_at = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
    return g_steal_pointer(&conversion);
}

void hy_pipeline_source(const HyConversion *conversion, HySource *source)
{
    const HyDocument *doc = conversion->doc;
    *source = (HySource){
        .path = doc->path,
        .sha256 = doc->sha256,
        .format = hy_format_name(doc->format),
        .pages = doc->n_pages,
        .hyosho_version = HY_VERSION,
        .converted_at = conversion->converted_at,
    };
}
