/* cmd_explain.c -- `hyosho explain`: every line with its page, class, the rule that
 * matched and the award and field it went to; the tool for adapting rules to a new
 * year's layout. */
#include "hy_cli.h"

#include <stdio.h>

int hy_cmd_explain(int argc, char **argv)
{
    g_auto(HyPipelineOptions) options = hy_pipeline_options_default();
    gboolean layout = FALSE;
    g_auto(GStrv) inputs = NULL;
    const GOptionEntry entries[] = {
        {"layout", 0, 0, G_OPTION_ARG_NONE, &layout,
         "Also show each line's position (x, y), font size, indent and blank lines before it", NULL},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) context =
        hy_cli_option_context("INPUT",
                              "Prints one row per non-blank line: PAGE:LINE, class, matching rule, the award "
                              "(index and name) and field it went to, and the normalized text; under a line "
                              "joined to the text before it, why (\"joined: ...\").",
                              entries, &options, HY_JOBS_THREADS);
    g_autoptr(GError) error = NULL;
    if (!g_option_context_parse(context, &argc, &argv, &error)) return hy_cli_usage_error("explain", error->message);
    if (inputs == NULL || g_strv_length(inputs) != 1) return hy_cli_usage_error("explain", "one INPUT file is needed");
    const char *path = inputs[0];
    g_autoptr(HyConversion) conversion = hy_pipeline_convert(path, &options, NULL, HY_CONVERT_TRACE, &error);
    if (conversion == NULL) {
        hy_cli_report_error(path, error);
        return g_error_matches(error, HY_SEGMENT_ERROR, HY_SEGMENT_ERROR_RULE) ? HY_EXIT_RULES : HY_EXIT_FAILED;
    }
    const HyReport *report = conversion->report;
    printf("# %s: %u lines, %u awards; columns: page:line class rule award field | text\n", path,
           conversion->trace->len, report->awards->len);
    for (guint i = 0; i < conversion->trace->len; i++) {
        const HyLineTrace *t = &g_array_index(conversion->trace, HyLineTrace, i);
        g_autofree char *award = NULL;
        if (t->award >= 0) {
            const HyAward *a = g_ptr_array_index(report->awards, t->award);
            award = g_strdup_printf("#%d:%s", t->award + 1, a->awardee.name);
        }
        if (layout)
            printf("x=%-6.1f y=%-6.1f size=%-5.1f indent=%-2d blank=%d  ", t->line->x, t->line->y,
                   t->line->font_size, t->line->indent, t->line->blank_before);
        printf("%3d:%-4d %-8s %-18s %-16s %-10s | %s\n", t->line->page, t->line->number,
               hy_line_class_name(t->line_class), t->rule != NULL ? t->rule : "-", award != NULL ? award : "-",
               t->field, t->line->text);
        if (t->joined != NULL) printf("%9s joined: %s\n", "", t->joined);
    }
    for (guint i = 0; i < report->warnings->len; i++)
        printf("# warning: %s\n", (const char *)g_ptr_array_index(report->warnings, i));
    for (guint a = 0; a < report->awards->len; a++) {
        const HyAward *award = g_ptr_array_index(report->awards, a);
        for (guint i = 0; i < award->warnings->len; i++)
            printf("# warning #%u:%s: %s\n", a + 1, award->awardee.name,
                   (const char *)g_ptr_array_index(award->warnings, i));
    }
    return HY_EXIT_OK;
}
