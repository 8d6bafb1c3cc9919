/* cmd_convert.c -- `hyosho convert`: one input document to its v1 JSON on stdout. */
#include "hy_cli.h"

#include <stdio.h>

int hy_cmd_convert(int argc, char **argv)
{
    gboolean compact = FALSE;
    HyPipelineOptions options;
    hy_pipeline_options_init(&options);
    const GOptionEntry entries[] = {
        {"compact", 0, 0, G_OPTION_ARG_NONE, &compact, "Print the JSON on one line", NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) context = g_option_context_new("INPUT");
    g_option_context_set_summary(context, "Converts an award report (PDF or text; '-' reads stdin) to the v1 JSON "
                                          "document on stdout.");
    g_option_context_add_main_entries(context, entries, NULL);
    hy_pipeline_add_options(context, &options);
    g_autoptr(GError) error = NULL;
    if (!g_option_context_parse(context, &argc, &argv, &error)) {
        hy_pipeline_options_clear(&options);
        return hy_cli_usage_error("convert", error->message);
    }
    if (argc != 2) {
        hy_pipeline_options_clear(&options);
        return hy_cli_usage_error("convert", argc < 2 ? "an INPUT file is needed" : "one INPUT file at a time");
    }
    const char *path = argv[1];

    g_autoptr(HyRules) rules = NULL;
    if (options.rules_file != NULL || options.profile != NULL) {
        rules = hy_pipeline_rules(&options, NULL, &error);
        if (rules == NULL) {
            hy_cli_report_error(NULL, error);
            hy_pipeline_options_clear(&options);
            return HY_EXIT_RULES;
        }
    }
    g_autoptr(HyConversion) conversion = hy_pipeline_convert(path, &options, rules, FALSE, &error);
    hy_pipeline_options_clear(&options);
    if (conversion == NULL) {
        hy_cli_report_error(path, error);
        return g_error_matches(error, HY_SEGMENT_ERROR, HY_SEGMENT_ERROR_RULE) ? HY_EXIT_RULES : HY_EXIT_FAILED;
    }
    HySource source;
    hy_pipeline_source(conversion, &source);
    g_autofree char *json = hy_emit_json(&source, conversion->report, !compact);
    if (fputs(json, stdout) == EOF || fflush(stdout) != 0) {
        fprintf(stderr, "hyosho: stdout: write failed\n");
        return HY_EXIT_FAILED;
    }
    return HY_EXIT_OK;
}
