/* cli_pipeline.c -- the wiring every converting subcommand shares: common options,
 * rules selection, extract -> segment, the per-document watchdog, and diagnostics. */
#include "hy_cli.h"
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

void hy_cli_drop_separator(int *argc, char **argv)
{
    for (int i = 1; i < *argc; i++) {
        if (strcmp(argv[i], "--") != 0) continue;
        memmove(&argv[i], &argv[i + 1], sizeof(char *) * (size_t)(*argc - i)); /* the NULL too */
        (*argc)--;
        return;
    }
}

/* HYOSHO_TEST_CRASH_ON=SUBSTRING: an input whose path contains SUBSTRING dies of SIGSEGV
 * (the default action restored first, so a sanitizer's handler does not turn it into an
 * exit status); HYOSHO_TEST_HANG_ON=SUBSTRING: it sleeps until killed, before the
 * conversion's own watchdog is armed, so only the batch parent's timeout can end it. */
void hy_cli_test_worker_hooks(const char *path)
{
    const char *crash_on = g_getenv("HYOSHO_TEST_CRASH_ON");
    if (crash_on != NULL && *crash_on != '\0' && strstr(path, crash_on) != NULL) {
        signal(SIGSEGV, SIG_DFL);
        raise(SIGSEGV);
    }
    const char *hang_on = g_getenv("HYOSHO_TEST_HANG_ON");
    if (hang_on != NULL && *hang_on != '\0' && strstr(path, hang_on) != NULL)
        for (;;)
            g_usleep(G_USEC_PER_SEC);
}

/* Test-only: HYOSHO_TEST_STALL_ON=SUBSTRING: a conversion of such a path stalls after its
 * watchdogs are armed, so that its own --timeout ends it. */
static void test_stall(const char *path)
{
    const char *stall_on = g_getenv("HYOSHO_TEST_STALL_ON");
    if (stall_on != NULL && *stall_on != '\0' && strstr(path, stall_on) != NULL)
        for (;;)
            pause();
}

void hy_pipeline_options_init(HyPipelineOptions *options)
{
    memset(options, 0, sizeof *options);
    hy_extract_options_init(&options->extract);
    options->timeout = options->extract.timeout_seconds;
    options->max_memory_mb = HY_DEFAULT_MAX_MEMORY_MB;
}

void hy_pipeline_options_clear(HyPipelineOptions *options)
{
    g_clear_pointer(&options->encoding, g_free);
    g_clear_pointer(&options->password, g_free);
    g_clear_pointer(&options->rules_file, g_free);
    g_clear_pointer(&options->profile, g_free);
}

/* The limits parse through one callback, which has to find the options being filled:
 * GLib gives the callbacks of a context's main group no user data. Hence this pointer,
 * set by hy_pipeline_add_options() for the parse that follows (parsing is one thread). */
static HyPipelineOptions *options_parsing;

/* A whole number, with an optional K, M or G (binary multiples) when @sized. */
static gboolean parse_count(const char *text, gboolean sized, guint64 *out)
{
    if (!g_ascii_isdigit(text[0])) return FALSE;
    char *end = NULL;
    errno = 0;
    guint64 n = g_ascii_strtoull(text, &end, 10);
    if (errno != 0) return FALSE;
    int shift = 0;
    if (sized && *end != '\0') {
        const char *units = "KMG", *unit = strchr(units, g_ascii_toupper(*end));
        if (unit == NULL) return FALSE;
        shift = 10 * (int)(unit - units + 1);
        end++;
    }
    if (*end != '\0' || (shift > 0 && n > (G_MAXUINT64 >> shift))) return FALSE;
    *out = n << shift;
    return TRUE;
}

static gboolean parse_limit(const char *name, const char *value, gpointer data, GError **error)
{
    (void)data;
    HyPipelineOptions *o = options_parsing;
    gboolean sized = strcmp(name, "--max-bytes") == 0;
    guint64 n = 0;
    if (!parse_count(value, sized, &n) || (!sized && n > G_MAXINT)) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s: '%s' is not %s (0 means no limit)",
                    name, value, sized ? "a size in bytes, K, M or G" : "a whole number up to 2147483647");
        return FALSE;
    }
    if (sized) o->extract.max_bytes = n;
    else if (strcmp(name, "--max-pages") == 0) o->extract.max_pages = (int)n;
    else if (strcmp(name, "--max-line-bytes") == 0) o->extract.max_line_bytes = (gsize)n;
    else if (strcmp(name, "--max-lines-per-page") == 0) o->extract.max_lines_per_page = (int)n;
    else o->max_memory_mb = (int)n;
    return TRUE;
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
        {"timeout", 0, 0, G_OPTION_ARG_DOUBLE, &o->timeout,
         "Give up on a document after SECONDS (default 30; 0: no limit)", "SECONDS"},
        {"max-memory", 0, 0, G_OPTION_ARG_CALLBACK, parse_limit,
         "Give up when hyosho's memory passes MB MiB (default 1024; 0: no limit)", "MB"},
        {"max-bytes", 0, 0, G_OPTION_ARG_CALLBACK, parse_limit,
         "Refuse inputs over SIZE bytes, or SIZE K, M, G (default 256M; 0: no limit)", "SIZE"},
        {"max-pages", 0, 0, G_OPTION_ARG_CALLBACK, parse_limit,
         "Refuse PDFs of more than N pages (default 2000; 0: no limit)", "N"},
        {"max-line-bytes", 0, 0, G_OPTION_ARG_CALLBACK, parse_limit,
         "Cut longer lines at N bytes, with a warning (default 65536; 0: no limit)", "N"},
        {"max-lines-per-page", 0, 0, G_OPTION_ARG_CALLBACK, parse_limit,
         "Drop lines after the Nth of a page, with a warning (default 20000; 0: no limit)", "N"},
        {"jobs", 'j', 0, G_OPTION_ARG_INT, &o->threads, "Use N threads: PDF pages, digest, rules, JSON (default: all cores)", "N"},
        G_OPTION_ENTRY_NULL,
    };
    options_parsing = o;
    g_option_context_add_main_entries(context, entries, NULL);
}

HyRules *hy_pipeline_rules(const HyPipelineOptions *options, GPtrArray *lines, GError **error)
{
    if (options->rules_file != NULL)
        return hy_rules_load_extending(options->rules_file, options->profile ? options->profile : "default", error);
    if (options->profile != NULL) return hy_rules_load_builtin(options->profile, error);
    return hy_rules_load_builtin(lines != NULL ? hy_rules_detect_profile(lines) : "default", error);
}

gboolean hy_pipeline_load_named_rules(const HyPipelineOptions *options, HyRules **out)
{
    *out = NULL;
    if (options->rules_file == NULL && options->profile == NULL) return TRUE;
    g_autoptr(GError) error = NULL;
    *out = hy_pipeline_rules(options, NULL, &error);
    if (*out == NULL) hy_cli_report_error(NULL, error);
    return *out != NULL;
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

static void watchdog_arm(const char *path, const HyPipelineOptions *options)
{
    if (options->timeout > 0) {
        int n = snprintf(watchdog_message, sizeof watchdog_message, "hyosho: %s: " HY_CLI_TIMED_OUT " %g s\n",
                         path, options->timeout);
        watchdog_length = n < 0 ? 0 : MIN((size_t)n, sizeof watchdog_message - 1);
        signal(SIGALRM, watchdog_fired);
        /* Whole seconds, rounded up: the extract stage itself checks the exact limit between pages. */
        alarm((unsigned)(options->timeout + 0.999));
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

static void watchdog_disarm(void)
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
                                  gboolean want_trace, GError **error)
{
    HyExtractOptions extract = options->extract;
    extract.encoding = options->encoding;
    extract.password = options->password;
    extract.timeout_seconds = options->timeout;
    extract.threads = options->threads;

    watchdog_arm(path, options);
    test_stall(path);
    /* The rules segmentation will need are compiled beside extraction when more than one
     * thread is allowed (-j 1 means one core: then they come in their turn). A rules file
     * is the conversion's own and is loaded in its turn. */
    GThread *preparing = NULL;
    if (options->threads != 1 && options->rules_file == NULL && g_get_num_processors() > 1)
        preparing = g_thread_try_new("hy-prepare", prepare_segmentation, (gpointer)options, NULL);
    g_autoptr(HyConversion) conversion = g_new0(HyConversion, 1);
    conversion->doc = hy_extract_load(path, &extract, error);
    if (preparing != NULL) g_thread_join(preparing);
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
    conversion->report = hy_segment_lines_parallel(rules, conversion->doc->lines, options->threads,
                                                   want_trace ? &conversion->trace : NULL, error);
    watchdog_disarm();
    if (conversion->report == NULL) return NULL;
    /* No awardee at all, and no part of a published release (a cover, the programme's
     * description): the input is no award report. A trace is still worth showing (explain
     * is how a user finds out why), so only conversions fail. */
    if (conversion->report->awards->len == 0 && conversion->report->sections == 0 && !want_trace) {
        g_set_error_literal(error, HY_SEGMENT_ERROR, HY_SEGMENT_ERROR_INPUT,
                            "not an award report: no awardee heading or contact block found");
        return NULL;
    }

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
