/* cmd_worker.c -- `hyosho worker`, the process `hyosho batch` converts in: one process
 * for input after input, so that a batch pays a process start (tens of milliseconds of
 * library loading and page faults) per worker, not per file. Not meant to be run by hand,
 * and not listed in --help.
 * The protocol is in worker_protocol.h.
 * Answers go to the stdout the worker started with; its file descriptor 1 then points to
 * stderr, so that a library that prints on stdout cannot garble an answer. */
#include "hy_cli.h"
#include "hy_test_hooks.h"
#include "worker_protocol.h"
#include "review/review_private.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A worker whose resident memory has grown past this many MiB (or a quarter of
 * --max-memory, if less) after an input ends after answering: the memory a large
 * document leaves behind in the allocator would otherwise count against the next
 * one's --max-memory, and stay taken while the batch runs. */
#define RETIRE_MB 256

typedef struct {
    gboolean jsonl;      /* --format jsonl */
    gboolean compact;    /* --compact (json) */
    gboolean provenance; /* --provenance */
    const char *review;  /* (nullable) --review DIR: each document's review page goes there */
} AnswerFormat;

/* The answer for @path: the header fields and the payload (transfer full). */
typedef struct {
    gboolean converted;
    int pages;
    char *sha256;
    char *payload;
} Answer;

/* Converts @path into @out. */
static void convert_one(const char *path, const HyPipelineOptions *options, const HyRules *rules,
                        AnswerFormat format, Answer *out)
{
    hy_hook_conversion_starts(path);
    g_autoptr(GError) error = NULL;
    g_autoptr(HyConversion) conversion = NULL;
    if (strcmp(path, "-") == 0) /* stdin is where the requests come from */
        g_set_error_literal(&error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_READ, "a worker does not read stdin");
    else
        conversion = hy_pipeline_convert(path, options, rules,
                                         format.provenance || format.review != NULL ? HY_CONVERT_PROVENANCE
                                                                                    : HY_CONVERT_RECORDS,
                                         &error);
    if (conversion == NULL) {
        *out = (Answer){.payload = g_strndup(error->message, strcspn(error->message, "\n"))};
        return;
    }
    if (format.review != NULL) {
        /* The page is this worker's to write; the batch writes the index, which links it
         * (hy_review_name_for gives both the same name). A page that cannot be written
         * costs the review its page, not the conversion its answer. */
        g_autofree char *name = hy_review_name_for(path);
        HyReviewDocument doc = {.input = path, .name = name, .conversion = conversion};
        if (!hy_review_write_document(&doc, format.review, options, &error)) {
            fprintf(stderr, "hyosho: %s: review: %s\n", path, error->message);
            g_clear_error(&error);
        }
        if (doc.pages != NULL) g_array_unref(doc.pages);
        if (!format.provenance) hy_report_drop_provenance(conversion->report);
    }
    HySource source;
    hy_pipeline_source(conversion, &source);
    *out = (Answer){
        .converted = TRUE,
        .pages = source.pages,
        .sha256 = g_strdup(source.sha256),
        .payload = format.jsonl ? hy_emit_jsonl_threads(&source, conversion->report, 1)
                                : hy_emit_json_threads(&source, conversion->report, !format.compact, 1),
    };
}

int hy_cmd_worker(int argc, char **argv)
{
    g_auto(HyPipelineOptions) options = hy_pipeline_options_default();
    AnswerFormat format = {0};
    g_autofree char *format_name = NULL;
    g_auto(GStrv) arguments = NULL;
    g_autofree char *review = NULL;
    const GOptionEntry entries[] = {
        {"format", 0, 0, G_OPTION_ARG_STRING, &format_name, "json (default) or jsonl", "FORMAT"},
        {"compact", 0, 0, G_OPTION_ARG_NONE, &format.compact, "JSON on one line", NULL},
        {"provenance", 0, 0, G_OPTION_ARG_NONE, &format.provenance, "Each award's provenance", NULL},
        {"review", 0, 0, G_OPTION_ARG_FILENAME, &review, "Write each document's review page into DIR", "DIR"},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &arguments, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) context =
        hy_cli_option_context(NULL,
                              "The worker process of `hyosho batch`: reads NUL-terminated input paths on stdin "
                              "and answers each on stdout (see cmd_worker.c).",
                              entries, &options, HY_JOBS_THREADS);
    g_autoptr(GError) error = NULL;
    if (!g_option_context_parse(context, &argc, &argv, &error)) return hy_cli_usage_error("worker", error->message);
    format.review = review;
    format.jsonl = g_strcmp0(format_name, "jsonl") == 0;
    const char *usage = NULL;
    if (format_name != NULL && !format.jsonl && strcmp(format_name, "json") != 0)
        usage = "--format must be json or jsonl";
    else if (arguments != NULL)
        usage = "takes its inputs on stdin, not as arguments";
    if (usage != NULL) return hy_cli_usage_error("worker", usage);
    g_autoptr(HyRules) rules = NULL;
    if (!hy_pipeline_load_named_rules(&options, FALSE, &rules)) return HY_EXIT_RULES;
    int answers = dup(STDOUT_FILENO);
    if (answers < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        fprintf(stderr, "hyosho: worker: %s\n", g_strerror(errno));
        return HY_EXIT_FAILED;
    }
    guint64 retire_bytes = (guint64)RETIRE_MB << 20;
    if (options.max_memory_mb > 0) retire_bytes = MIN(retire_bytes, ((guint64)options.max_memory_mb << 20) / 4);
    retire_bytes = hy_hook_retire_bytes(retire_bytes);

    hy_extract_retain_pdf_state(TRUE);
    int status = HY_EXIT_OK;
    char *path = NULL;
    size_t capacity = 0;
    ssize_t n;
    while ((n = getdelim(&path, &capacity, '\0', stdin)) > 0) {
        if (path[n - 1] != '\0') break; /* a request cut short: the batch is gone */
        hy_hook_worker_took(path);
        Answer answer;
        convert_one(path, &options, rules, format, &answer);
        gboolean last = hy_cli_resident_bytes() >= retire_bytes;
        HyWorkerAnswer header = {.converted = answer.converted, .last = last, .length = strlen(answer.payload),
                                 .pages = answer.pages};
        if (answer.converted) g_strlcpy(header.sha256, answer.sha256, sizeof header.sha256);
        gboolean written = hy_worker_answer_write(answers, &header, answer.payload);
        g_free(answer.sha256);
        g_free(answer.payload);
        if (!written) {
            status = HY_EXIT_FAILED; /* nobody reads the answers any more */
            break;
        }
        if (last) break;
    }
    free(path);
    hy_extract_retain_pdf_state(FALSE);
    close(answers);
    return status;
}
