/* cmd_review.c -- `hyosho review INPUT... -o DIR`: converts each input with its provenance
 * and writes a review a person can check in a browser: DIR/index.html (a row per
 * document), and per document DIR/doc-N.html (its pages with a box round each line,
 * coloured by field, beside its awards), DIR/doc-N/page-K.png and DIR/doc-N.json (the
 * document with provenance). The pages are written by tools/review/. */
#include "hy_cli.h"
#include "review/review_private.h"

#include <string.h>

int hy_cmd_review(int argc, char **argv)
{
    g_auto(HyPipelineOptions) options = hy_pipeline_options_default();
    g_autofree char *folder = NULL;
    gboolean overwrite = FALSE;
    g_auto(GStrv) inputs = NULL;
    const GOptionEntry entries[] = {
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &folder, "Write the review into DIR (made if missing)", "DIR"},
        {"overwrite", 0, 0, G_OPTION_ARG_NONE, &overwrite,
         "Write into DIR even when its index.html is not a hyosho review", NULL},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) context = hy_cli_option_context(
        "INPUT... -o DIR",
        "Converts each INPUT and writes a review to check in a browser: DIR/index.html, and per document its "
        "pages with a box round each line, coloured by the field it went into, beside its awards. Static "
        "files: open DIR/index.html from disk.",
        entries, &options, HY_JOBS_THREADS);
    g_autoptr(GError) error = NULL;
    if (!g_option_context_parse(context, &argc, &argv, &error)) return hy_cli_usage_error("review", error->message);
    if (inputs == NULL) return hy_cli_usage_error("review", "an INPUT file is needed");
    if (folder == NULL) return hy_cli_usage_error("review", "-o DIR is needed: the folder the review goes into");
    for (guint i = 0; inputs[i] != NULL; i++)
        if (strcmp(inputs[i], "-") == 0) return hy_cli_usage_error("review", "review reads files, not stdin ('-')");

    g_autoptr(HyRules) rules = NULL;
    if (!hy_pipeline_load_named_rules(&options, TRUE, &rules)) return HY_EXIT_RULES;
    if (!hy_review_prepare_folder(folder, overwrite, &error)) {
        hy_cli_report_error(folder, error);
        return HY_EXIT_FAILED;
    }

    guint n = g_strv_length(inputs);
    g_autofree HyReviewDocument *docs = g_new0(HyReviewDocument, n);
    g_autofree HyConversion **conversions = g_new0(HyConversion *, n);
    g_autofree char **names = g_new0(char *, n + 1);
    int status = HY_EXIT_OK;
    for (guint i = 0; i < n; i++) {
        names[i] = g_strdup_printf("doc-%u", i + 1);
        docs[i] = (HyReviewDocument){.input = inputs[i], .name = names[i]};
        conversions[i] = hy_pipeline_convert(inputs[i], &options, rules, HY_CONVERT_PROVENANCE, &error);
        if (conversions[i] == NULL) {
            hy_cli_report_error(inputs[i], error);
            docs[i].failure = g_strndup(error->message, strcspn(error->message, "\n"));
            g_clear_error(&error);
            status = HY_EXIT_FAILED;
            continue;
        }
        docs[i].conversion = conversions[i];
        if (!hy_review_write_document(&docs[i], folder, &options, &error)) {
            hy_cli_report_error(inputs[i], error);
            g_clear_error(&error);
            status = HY_EXIT_FAILED;
        }
    }
    if (!hy_review_write_index(folder, docs, n, &error)) {
        hy_cli_report_error(folder, error);
        status = HY_EXIT_FAILED;
    }
    for (guint i = 0; i < n; i++) {
        hy_conversion_free(conversions[i]);
        if (docs[i].pages != NULL) g_array_unref(docs[i].pages);
        g_free((char *)docs[i].failure);
        g_free(names[i]);
    }
    return status;
}
