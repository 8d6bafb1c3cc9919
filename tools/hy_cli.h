/* hy_cli.h -- what the hyosho subcommands share: the command table, exit codes,
 * diagnostics on stderr, and the pipeline that wires extract, segment and emit. */
#pragma once

#include <glib.h>
#include "hy_extract.h"
#include "hy_segment.h"
#include "hy_emit.h"

enum {
    HY_EXIT_OK = 0,
    HY_EXIT_FAILED = 1, /* an input or output failed */
    HY_EXIT_USAGE = 2,
    HY_EXIT_RULES = 3, /* the rules file does not load */
};

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary; /* (nullable) NULL: not listed in --help */
} HyCommand;

int hy_cmd_convert(int argc, char **argv);
int hy_cmd_check(int argc, char **argv);
int hy_cmd_explain(int argc, char **argv);
int hy_cmd_batch(int argc, char **argv);
int hy_cmd_review(int argc, char **argv);
/* `hyosho batch`'s worker process (not listed in --help): converts input after input,
 * paths read from stdin, answers framed on stdout (the protocol: cmd_worker.c). */
int hy_cmd_worker(int argc, char **argv);

/* Prints "hyosho: @path: message" (only the error's first line) on stderr. */
void hy_cli_report_error(const char *path, const GError *error);
/* Prints "hyosho CMD: message" and "see 'hyosho CMD --help'"; returns HY_EXIT_USAGE. */
int hy_cli_usage_error(const char *command, const char *message);
/* Checks before any conversion that @format output may go to @path (hy_emit_check_output);
 * FALSE after saying why on stderr, as "hyosho: PATH: reason", with what to do. */
gboolean hy_cli_check_output(const char *path, HyEmitFormat format, gboolean overwrite, HyOutputKind *found);
/* hy_emit_prepare_folder() for a folder the user named; FALSE after saying why on stderr. */
gboolean hy_cli_prepare_folder(const char *folder);
/* This process's resident memory in bytes, 0 when unknown (/proc/self/statm). */
guint64 hy_cli_resident_bytes(void);

/* HY_ASAN: built with AddressSanitizer (gcc or clang), which reserves address space up
 * front and checks for leaks at exit. */
#if defined(__SANITIZE_ADDRESS__)
#define HY_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HY_ASAN 1
#endif
#endif

/* How a conversion stopped by --timeout is said, after "hyosho: PATH: ": "timed out after 30 s". */
#define HY_CLI_TIMED_OUT "timed out after"

/* The first year the award was given (its first edition, 平成18年度): --year's floor. */
#define HY_FIRST_AWARD_YEAR 2006
/* Most -j: threads of one conversion, or worker processes of a batch. */
#define HY_MAX_JOBS 256

/* Resident memory a conversion may use unless --max-memory says otherwise, in MiB. */
#define HY_DEFAULT_MAX_MEMORY_MB 1024

/* Options every converting command shares (cli_options.c holds their table). 0 means
 * no limit for each limit. */
typedef struct {
    int year;          /* --year; 0: the document's own */
    char *rules_file;  /* --rules */
    char *profile;     /* --profile */
    int max_memory_mb; /* --max-memory: the process's resident size during a conversion */
    HyExtractOptions extract; /* --encoding and --password (owned here), the other limits,
                               * --timeout and -j */
} HyPipelineOptions;

/* The defaults: what a command uses for an option not given. */
HyPipelineOptions hy_pipeline_options_default(void);
void hy_pipeline_options_clear(HyPipelineOptions *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(HyPipelineOptions, hy_pipeline_options_clear)

/* What -j counts for a command, as its help says. */
typedef enum {
    HY_JOBS_THREADS,   /* threads of one conversion */
    HY_JOBS_PROCESSES, /* conversions at a time (batch) */
    HY_JOBS_NONE,      /* no -j */
} HyJobsMeaning;

/* A context whose main group holds @entries ((nullable) the command's own, which may
 * include G_OPTION_REMAINING) and, when @options is not NULL, the shared options,
 * parsed into @options: a value they do not allow fails the parse with
 * "--NAME: 'VALUE' is not ..." (a usage error). Returns: (transfer full). */
GOptionContext *hy_cli_option_context(const char *parameter, const char *summary, const GOptionEntry *entries,
                                      HyPipelineOptions *options, HyJobsMeaning jobs);
/* Appends "--NAME=VALUE" to @argv for each shared option a batch passes on to its workers
 * whose value is not the default. */
void hy_pipeline_options_to_argv(const HyPipelineOptions *options, GPtrArray *argv);

/* Loads the rules the options name (file, profile, or the default); NULL with the
 * error, for which the caller exits HY_EXIT_RULES. @lines (nullable) lets the default
 * choice pick the profile whose markers the document carries. */
HyRules *hy_pipeline_rules(const HyPipelineOptions *options, GPtrArray *lines, GError **error);
/* The rules --rules or --profile name, loaded before any input is read, into @out (NULL
 * when neither is given: each document then gets its profile's). FALSE after saying why
 * on stderr, for which the caller exits HY_EXIT_RULES. @say_warnings: what the rules
 * file lacks (a kind without a rule) is also said on stderr, "hyosho: FILE: warning: ...",
 * besides its place in every report's warnings. */
gboolean hy_pipeline_load_named_rules(const HyPipelineOptions *options, gboolean say_warnings, HyRules **out);

/* A converted document. */
typedef struct {
    HyDocument *doc;
    HyReport *report;
    GArray *trace; /* HyLineTrace, when asked for; its rule names point into the rules */
    HyRules *own_rules; /* (nullable) rules chosen for this document, kept for the trace */
    char *converted_at; /* ISO 8601 UTC time the conversion finished, for HySource */
} HyConversion;

void hy_conversion_free(HyConversion *conversion);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HyConversion, hy_conversion_free)

/* What a conversion keeps besides the records. */
typedef enum {
    HY_CONVERT_RECORDS = 0,
    HY_CONVERT_TRACE = 1 << 0,      /* every line's trace (explain); a document without an
                                     * award is no failure then: the trace shows why */
    HY_CONVERT_PROVENANCE = 1 << 1, /* each award's provenance (the lines of each field) */
} HyConvertFlags;

/* Extracts, segments and returns @path's records. @rules may be NULL (chosen per
 * document). Errors: HY_EXTRACT_ERROR_* or HY_SEGMENT_ERROR_* (HY_SEGMENT_ERROR_INPUT
 * "not an award report" when no awardee is found, unless HY_CONVERT_TRACE). Meanwhile two watchdogs
 * guard what the extract stage cannot interrupt (a poppler call that does not return
 * or grows without bound): past options->timeout seconds or options->max_memory_mb of
 * resident memory the process prints "hyosho: PATH: reason" and exits HY_EXIT_FAILED. */
HyConversion *hy_pipeline_convert(const char *path, const HyPipelineOptions *options, const HyRules *rules,
                                  HyConvertFlags flags, GError **error);
/* The two watchdogs of hy_pipeline_convert(), for other work on an untrusted document
 * (the review's rendering of its pages): past options->timeout seconds or
 * options->max_memory_mb of resident memory, "hyosho: @path: reason" and exit. */
void hy_cli_watch(const char *path, const HyPipelineOptions *options);
void hy_cli_unwatch(void);
/* Fills @source from a converted document, with this program's version and the
 * conversion's time; strings are borrowed from @conversion (or static). */
void hy_pipeline_source(const HyConversion *conversion, HySource *source);
