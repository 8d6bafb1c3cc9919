/* cli_pipeline.c -- the wiring every converting subcommand shares: common options,
 * rules selection, extract -> segment, the per-document watchdog, and diagnostics. */
#include "hy_cli.h"
#include "hy_test_hooks.h"
#include "hy_version.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
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

gboolean hy_cli_prepare_folder(const char *folder)
{
    g_autoptr(GError) error = NULL;
    if (hy_emit_prepare_folder(folder, &error)) return TRUE;
    hy_cli_report_error(folder, error);
    return FALSE;
}

gboolean hy_cli_check_output(const char *path, HyEmitFormat format, gboolean overwrite, HyOutputKind *found)
{
    g_autoptr(GError) error = NULL;
    if (hy_emit_check_output(path, format, overwrite, found, &error)) return TRUE;
    const char *advice = "";
    if (g_error_matches(error, HY_EMIT_ERROR, HY_EMIT_ERROR_EXISTS))
        advice = "; nothing was written (give another name, or --overwrite to replace it)";
    else if (g_error_matches(error, HY_EMIT_ERROR, HY_EMIT_ERROR_SCHEMA))
        advice = "; use a newer hyosho, or another database";
    fprintf(stderr, "hyosho: %s: %s%s\n", path, error->message, advice);
    return FALSE;
}

HyRules *hy_pipeline_rules(const HyPipelineOptions *options, GPtrArray *lines, GError **error)
{
    if (options->rules_file != NULL)
        return hy_rules_load_extending(options->rules_file, options->profile ? options->profile : "default", error);
    if (options->profile != NULL) return hy_rules_load_builtin(options->profile, error);
    return hy_rules_load_builtin(lines != NULL ? hy_rules_detect_profile(lines) : "default", error);
}

gboolean hy_pipeline_load_named_rules(const HyPipelineOptions *options, gboolean say_warnings, HyRules **out)
{
    *out = NULL;
    if (options->rules_file == NULL && options->profile == NULL) return TRUE;
    g_autoptr(GError) error = NULL;
    *out = hy_pipeline_rules(options, NULL, &error);
    if (*out == NULL) {
        hy_cli_report_error(NULL, error);
        return FALSE;
    }
    GPtrArray *warnings = hy_rules_warnings(*out);
    for (guint i = 0; i < warnings->len && say_warnings; i++)
        fprintf(stderr, "hyosho: %s: warning: %s\n", options->rules_file, (const char *)g_ptr_array_index(warnings, i));
    return TRUE;
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

/* The watchdogs: a page on which poppler never returns, or on which it allocates
 * without bound (bomb_giant.pdf of the robustness corpus passes 2 GB within seconds),
 * cannot be interrupted from inside, so the whole process ends, with the one-line error
 * a failure gets and nothing on stdout (output is written after the watch ends). */
static char watchdog_message[1024];
static size_t watchdog_length;

static void watchdog_fired(int signal_number)
{
    (void)signal_number;
    ssize_t ignored = write(STDERR_FILENO, watchdog_message, watchdog_length);
    (void)ignored;
    _exit(HY_EXIT_FAILED);
}

/* Memory: a profiling timer (ITIMER_PROF, SIGPROF) reads the resident size every
 * HY_MEMORY_POLL_MS of CPU time; memory only grows while the process runs. Not a
 * thread: one more thread makes every malloc of a single-threaded run take glibc's
 * locked path, some 1.5 % of a `-j 1` conversion, where poppler allocates a lot. Not
 * RLIMIT_AS: with it poppler prints "Out of memory" and goes on (or aborts on a failed
 * new), glib aborts, and sanitizer builds reserve terabytes of address space up front. */
#define HY_MEMORY_POLL_MS 20

static struct {
    guint64 limit; /* bytes */
    guint64 page_size;
    char message[1024];
    size_t length;
    gboolean armed;
} memory_watch;

/* Resident pages of this process from /proc/self/statm (its second field), 0 when
 * unknown. Async-signal-safe (open, read, close and arithmetic): it runs in the handler,
 * and allocates nothing, since the heap may be what is running out. */
static guint64 resident_pages(void)
{
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    char buffer[128];
    ssize_t n = read(fd, buffer, sizeof buffer - 1);
    close(fd);
    if (n <= 0) return 0;
    ssize_t i = 0;
    while (i < n && buffer[i] != ' ') i++; /* total program size */
    guint64 pages = 0;
    for (i++; i < n && buffer[i] >= '0' && buffer[i] <= '9'; i++) pages = pages * 10 + (guint64)(buffer[i] - '0');
    return pages;
}

guint64 hy_cli_resident_bytes(void)
{
    return resident_pages() * (guint64)sysconf(_SC_PAGESIZE);
}

static void memory_watch_tick(int signal_number)
{
    (void)signal_number;
    int saved = errno;
    if (resident_pages() * memory_watch.page_size > memory_watch.limit) {
        ssize_t ignored = write(STDERR_FILENO, memory_watch.message, memory_watch.length);
        (void)ignored;
        _exit(HY_EXIT_FAILED);
    }
    errno = saved;
}

static void memory_watch_timer(long interval_us)
{
    struct itimerval timer = {.it_interval = {.tv_usec = interval_us}, .it_value = {.tv_usec = interval_us}};
    setitimer(ITIMER_PROF, &timer, NULL);
}

void hy_cli_watch(const char *path, const HyPipelineOptions *options)
{
    double timeout = options->extract.timeout_seconds;
    if (timeout > 0) {
        int n = snprintf(watchdog_message, sizeof watchdog_message, "hyosho: %s: " HY_CLI_TIMED_OUT " %g s\n",
                         path, timeout);
        watchdog_length = n < 0 ? 0 : MIN((size_t)n, sizeof watchdog_message - 1);
        signal(SIGALRM, watchdog_fired);
        /* Whole seconds, rounded up: the extract stage itself checks the exact limit between pages. */
        alarm((unsigned)(timeout + 0.999));
    }
    if (options->max_memory_mb > 0) {
        int n = snprintf(memory_watch.message, sizeof memory_watch.message,
                         "hyosho: %s: needs more than %d MB of memory (--max-memory)\n", path,
                         options->max_memory_mb);
        memory_watch.length = n < 0 ? 0 : MIN((size_t)n, sizeof memory_watch.message - 1);
        memory_watch.limit = (guint64)options->max_memory_mb * 1024 * 1024;
        memory_watch.page_size = (guint64)sysconf(_SC_PAGESIZE);
        /* SA_RESTART: a system call the tick interrupts goes on as if nothing happened. */
        struct sigaction action = {.sa_handler = memory_watch_tick, .sa_flags = SA_RESTART};
        sigemptyset(&action.sa_mask);
        sigaction(SIGPROF, &action, NULL);
        memory_watch.armed = TRUE;
        memory_watch_tick(0); /* now, and then at every tick and once more at the end */
        memory_watch_timer(HY_MEMORY_POLL_MS * 1000L);
    }
}

void hy_cli_unwatch(void)
{
    alarm(0);
    if (!memory_watch.armed) return;
    memory_watch_timer(0);
    memory_watch_tick(0);
    /* Ignored rather than default: a tick already pending would end the process. */
    signal(SIGPROF, SIG_IGN);
    memory_watch.armed = FALSE;
}

/* The built-in rules the conversion will most likely use, compiled (and JIT-compiled)
 * once per process and kept: the default profile, unless another is asked for. */
static gpointer prepare_segmentation(gpointer data)
{
    const HyPipelineOptions *options = data;
    hy_rules_free(hy_rules_load_builtin(options->profile != NULL ? options->profile : "default", NULL));
    return NULL;
}

HyConversion *hy_pipeline_convert(const char *path, const HyPipelineOptions *options, const HyRules *rules,
                                  HyConvertFlags flags, GError **error)
{
    hy_cli_watch(path, options);
    hy_hook_conversion_watched(path);
    /* The rules segmentation will need are compiled beside extraction when more than one
     * thread is allowed (-j 1 means one core: then they come in their turn). A rules file
     * is the conversion's own and is loaded in its turn. */
    GThread *preparing = NULL;
    if (options->extract.threads != 1 && options->rules_file == NULL && g_get_num_processors() > 1)
        preparing = g_thread_try_new("hy-prepare", prepare_segmentation, (gpointer)options, NULL);
    g_autoptr(HyConversion) conversion = g_new0(HyConversion, 1);
    conversion->doc = hy_extract_load(path, &options->extract, error);
    if (preparing != NULL) g_thread_join(preparing);
    if (conversion->doc == NULL) {
        hy_cli_unwatch();
        return NULL;
    }
    if (rules == NULL) {
        conversion->own_rules = hy_pipeline_rules(options, conversion->doc->lines, error);
        if (conversion->own_rules == NULL) {
            hy_cli_unwatch();
            return NULL;
        }
        rules = conversion->own_rules;
    }
    conversion->report = hy_segment_lines_parallel(rules, conversion->doc->lines, options->extract.threads,
                                                   flags != HY_CONVERT_RECORDS ? &conversion->trace : NULL, error);
    hy_cli_unwatch();
    if (conversion->report == NULL) return NULL;
    /* No awardee at all, and no part of a published release (a cover, the programme's
     * description): the input is no award report. A trace is still worth showing (explain
     * is how a user finds out why), so only conversions fail. */
    if (conversion->report->awards->len == 0 && conversion->report->sections == 0 &&
        !(flags & HY_CONVERT_TRACE)) {
        g_set_error_literal(error, HY_SEGMENT_ERROR, HY_SEGMENT_ERROR_INPUT,
                            "not an award report: no awardee heading or contact block found");
        return NULL;
    }

    HyReport *report = conversion->report;
    if (report->year == 0 && options->year > 0) report->year = options->year;
    /* Page-level findings of the extract stage (unusable text layers) come first. */
    for (guint i = conversion->doc->warnings->len; i-- > 0;)
        g_ptr_array_insert(report->warnings, 0, g_strdup(g_ptr_array_index(conversion->doc->warnings, i)));
    conversion->converted_at = hy_emit_timestamp_now();
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
