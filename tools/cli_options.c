/* cli_options.c -- the options every converting command shares, in one table: each row
 * names an option, where its value goes in HyPipelineOptions, how its text is read and
 * checked (a bad value is a usage error naming the option and what it allows), its help
 * with the default filled in from the defaults themselves, and whether a batch passes
 * it on to its workers. The GOption entries, the help and a worker's arguments are all
 * made from the table. */
#include "hy_cli.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

/* How an option's text becomes its value at @field, checked; FALSE with a usage message. */
typedef gboolean (*ParseFunc)(const char *text, void *field, GError **error);
/* Its value at @field as text for a command line: (transfer full), NULL when unset. */
typedef char *(*FormatFunc)(const void *field);

typedef struct {
    const char *name;
    char short_name;
    size_t offset; /* of the value in HyPipelineOptions */
    ParseFunc parse;
    FormatFunc format;
    const char *help; /* its %s: the default, as @format writes it */
    const char *arg;
    gboolean to_workers;
} PipelineOption;

static gboolean not_allowed(GError **error, const char *text, const char *allowed)
{
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "'%s' is not %s", text, allowed);
    return FALSE;
}

/* ---- reading values ---------------------------------------------------------- */

/* A whole number, with an optional K, M or G (binary multiples) when @sized. */
static gboolean read_count(const char *text, gboolean sized, guint64 *out)
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

static gboolean parse_string(const char *text, void *field, GError **error)
{
    (void)error;
    char **value = field;
    g_free(*value);
    *value = g_strdup(text);
    return TRUE;
}

/* The years the award has been given, and the next (a report read ahead of its year). */
static gboolean parse_year(const char *text, void *field, GError **error)
{
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    int last = g_date_time_get_year(now) + 1;
    guint64 year = 0;
    if (!g_ascii_string_to_unsigned(text, 10, HY_FIRST_AWARD_YEAR, (guint64)last, &year, NULL)) {
        g_autofree char *allowed = g_strdup_printf(
            "a year of the award, %d to %d (the year the document names wins)", HY_FIRST_AWARD_YEAR, last);
        return not_allowed(error, text, allowed);
    }
    *(int *)field = (int)year;
    return TRUE;
}

static gboolean parse_encoding(const char *text, void *field, GError **error)
{
    if (!hy_extract_encoding_known(text))
        return not_allowed(error, text,
                           "an encoding ICU knows (UTF-8, Shift_JIS, CP932, EUC-JP, ISO-2022-JP, UTF-16 ...)");
    return parse_string(text, field, error);
}

static gboolean parse_profile(const char *text, void *field, GError **error)
{
    const char *const *profiles = hy_rules_builtin_profiles();
    if (!g_strv_contains(profiles, text)) {
        g_autofree char *list = g_strjoinv(", ", (char **)profiles);
        g_autofree char *allowed = g_strdup_printf("a built-in profile (%s)", list);
        return not_allowed(error, text, allowed);
    }
    return parse_string(text, field, error);
}

static gboolean parse_jobs(const char *text, void *field, GError **error)
{
    guint64 jobs = 0;
    if (!g_ascii_string_to_unsigned(text, 10, 1, HY_MAX_JOBS, &jobs, NULL))
        return not_allowed(error, text, "a number of jobs from 1 to " G_STRINGIFY(HY_MAX_JOBS));
    *(int *)field = (int)jobs;
    return TRUE;
}

/* A day at most: past that, a document is not being converted but waited for. */
static gboolean parse_seconds(const char *text, void *field, GError **error)
{
    char *end = NULL;
    double seconds = g_ascii_strtod(text, &end);
    if (end == text || *end != '\0' || !(seconds >= 0 && seconds <= 86400))
        return not_allowed(error, text, "a number of seconds from 0 (no limit) to 86400");
    *(double *)field = seconds;
    return TRUE;
}

static gboolean parse_int_limit(const char *text, void *field, GError **error)
{
    guint64 n = 0;
    if (!read_count(text, FALSE, &n) || n > G_MAXINT)
        return not_allowed(error, text, "a whole number up to 2147483647 (0 means no limit)");
    *(int *)field = (int)n;
    return TRUE;
}

static gboolean parse_gsize_limit(const char *text, void *field, GError **error)
{
    guint64 n = 0;
    if (!read_count(text, FALSE, &n) || n > G_MAXINT)
        return not_allowed(error, text, "a whole number up to 2147483647 (0 means no limit)");
    *(gsize *)field = (gsize)n;
    return TRUE;
}

static gboolean parse_size(const char *text, void *field, GError **error)
{
    guint64 n = 0;
    if (!read_count(text, TRUE, &n)) return not_allowed(error, text, "a size in bytes, K, M or G (0 means no limit)");
    *(guint64 *)field = n;
    return TRUE;
}

/* ---- writing values ---------------------------------------------------------- */

static char *format_string(const void *field)
{
    return g_strdup(*(char *const *)field);
}

static char *format_int(const void *field)
{
    return g_strdup_printf("%d", *(const int *)field);
}

static char *format_year(const void *field)
{
    int year = *(const int *)field;
    return year > 0 ? g_strdup_printf("%d", year) : NULL;
}

static char *format_gsize(const void *field)
{
    return g_strdup_printf("%" G_GSIZE_FORMAT, *(const gsize *)field);
}

static char *format_seconds(const void *field)
{
    char number[G_ASCII_DTOSTR_BUF_SIZE];
    return g_strdup(g_ascii_formatd(number, sizeof number, "%g", *(const double *)field));
}

/* In the largest of K, M, G that divides it: 256M. */
static char *format_size(const void *field)
{
    guint64 n = *(const guint64 *)field;
    static const char units[] = "GMK";
    for (int i = 0; i < 3 && n > 0; i++) {
        int shift = 10 * (3 - i);
        if (n % ((guint64)1 << shift) == 0) return g_strdup_printf("%" G_GUINT64_FORMAT "%c", n >> shift, units[i]);
    }
    return g_strdup_printf("%" G_GUINT64_FORMAT, n);
}

/* ---- the table --------------------------------------------------------------- */

#define AT(member) offsetof(HyPipelineOptions, member)

static const PipelineOption pipeline_options[] = {
    {"year", 0, AT(year), parse_year, format_year, "Award year when the document does not say", "YEAR", TRUE},
    {"encoding", 0, AT(extract.encoding), parse_encoding, format_string, "Text encoding (default: detected)",
     "NAME", TRUE},
    /* On a worker's command line, as it is on the batch's own (where it is no less visible). */
    {"password", 0, AT(extract.password), parse_string, format_string, "Password of an encrypted PDF",
     "PASSWORD", TRUE},
    {"rules", 0, AT(rules_file), parse_string, format_string,
     "Load segmentation rules from FILE (tried before the built-in ones)", "FILE", TRUE},
    {"profile", 0, AT(profile), parse_profile, format_string,
     "Built-in rules: default or older (default: detected)", "NAME", TRUE},
    {"timeout", 0, AT(extract.timeout_seconds), parse_seconds, format_seconds,
     "Give up on a document after SECONDS (default %s; 0: no limit)", "SECONDS", TRUE},
    {"max-memory", 0, AT(max_memory_mb), parse_int_limit, format_int,
     "Give up when hyosho's memory passes MB MiB (default %s; 0: no limit)", "MB", TRUE},
    {"max-bytes", 0, AT(extract.max_bytes), parse_size, format_size,
     "Refuse inputs over SIZE bytes, or SIZE K, M, G (default %s; 0: no limit)", "SIZE", TRUE},
    {"max-pages", 0, AT(extract.max_pages), parse_int_limit, format_int,
     "Refuse PDFs of more than N pages (default %s; 0: no limit)", "N", TRUE},
    {"max-line-bytes", 0, AT(extract.max_line_bytes), parse_gsize_limit, format_gsize,
     "Cut longer lines at N bytes, with a warning (default %s; 0: no limit)", "N", TRUE},
    {"max-lines-per-page", 0, AT(extract.max_lines_per_page), parse_int_limit, format_int,
     "Drop lines after the Nth of a page, with a warning (default %s; 0: no limit)", "N", TRUE},
    /* Not passed on: a batch's -j is its number of workers, each of which runs on one thread. */
    {"jobs", 'j', AT(extract.threads), parse_jobs, format_int, NULL, "N", FALSE},
};

static const char *const jobs_help[] = {
    [HY_JOBS_THREADS] = "Use N threads: PDF pages, digest, rules, JSON (default: all cores)",
    [HY_JOBS_PROCESSES] = "Convert N files at a time (default: all cores)",
};

HyPipelineOptions hy_pipeline_options_default(void)
{
    HyPipelineOptions options = {.max_memory_mb = HY_DEFAULT_MAX_MEMORY_MB};
    hy_extract_options_init(&options.extract);
    return options;
}

void hy_pipeline_options_clear(HyPipelineOptions *options)
{
    g_clear_pointer((char **)&options->extract.encoding, g_free);
    g_clear_pointer((char **)&options->extract.password, g_free);
    g_clear_pointer(&options->rules_file, g_free);
    g_clear_pointer(&options->profile, g_free);
}

/* One callback for every row: GOption hands the main group's user data, the options. */
static gboolean parse_option(const char *name, const char *text, gpointer data, GError **error)
{
    const char *bare = name + (name[1] == '-' ? 2 : 1);
    for (guint i = 0; i < G_N_ELEMENTS(pipeline_options); i++) {
        const PipelineOption *row = &pipeline_options[i];
        if (strcmp(bare, row->name) != 0 && !(bare[1] == '\0' && bare[0] == row->short_name)) continue;
        if (row->parse(text, (char *)data + row->offset, error)) return TRUE;
        g_prefix_error(error, "%s: ", name);
        return FALSE;
    }
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION, "unknown option %s", name);
    return FALSE;
}

/* The help of each row, its default filled in; made once, kept for the process. */
static const char *row_help(guint i, HyJobsMeaning jobs)
{
    static char *helps[G_N_ELEMENTS(pipeline_options)];
    const PipelineOption *row = &pipeline_options[i];
    if (row->help == NULL) return jobs_help[jobs];
    if (helps[i] == NULL) {
        HyPipelineOptions defaults = hy_pipeline_options_default();
        g_autofree char *value = row->format((const char *)&defaults + row->offset);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral" /* the table's own strings, one %s each */
        helps[i] = g_strdup_printf(row->help, value != NULL ? value : "");
#pragma GCC diagnostic pop
    }
    return helps[i];
}

GOptionContext *hy_cli_option_context(const char *parameter, const char *summary, const GOptionEntry *entries,
                                      HyPipelineOptions *options, HyJobsMeaning jobs)
{
    GOptionContext *context = g_option_context_new(parameter);
    if (summary != NULL) g_option_context_set_summary(context, summary);
    GOptionGroup *group = g_option_group_new(NULL, NULL, NULL, options, NULL);
    if (entries != NULL) g_option_group_add_entries(group, entries);
    if (options != NULL) {
        GOptionEntry shared[G_N_ELEMENTS(pipeline_options) + 1];
        guint n = 0;
        for (guint i = 0; i < G_N_ELEMENTS(pipeline_options); i++) {
            const PipelineOption *row = &pipeline_options[i];
            if (row->help == NULL && jobs == HY_JOBS_NONE) continue;
            shared[n++] = (GOptionEntry){row->name, row->short_name, 0, G_OPTION_ARG_CALLBACK,
                                         (gpointer)parse_option, row_help(i, jobs), row->arg};
        }
        shared[n] = (GOptionEntry)G_OPTION_ENTRY_NULL;
        g_option_group_add_entries(group, shared); /* copied by GOption */
    }
    g_option_context_set_main_group(context, group);
    return context;
}

void hy_pipeline_options_to_argv(const HyPipelineOptions *options, GPtrArray *argv)
{
    HyPipelineOptions defaults = hy_pipeline_options_default();
    for (guint i = 0; i < G_N_ELEMENTS(pipeline_options); i++) {
        const PipelineOption *row = &pipeline_options[i];
        if (!row->to_workers) continue;
        g_autofree char *value = row->format((const char *)options + row->offset);
        g_autofree char *fallback = row->format((const char *)&defaults + row->offset);
        if (value != NULL && g_strcmp0(value, fallback) != 0)
            g_ptr_array_add(argv, g_strdup_printf("--%s=%s", row->name, value));
    }
}
