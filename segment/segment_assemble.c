/* segment_assemble.c -- hy_segment_lines(): classified lines -> units (heading, bullet
 * group, contact block, caption) -> awardee blocks -> HyReport. Owns the run: the lines
 * classified on threads, the marks made over all lines before any is taken, then each line
 * taken in order (segment_units.c, segment_contact.c, segment_release.c, asking
 * segment_cues.c) and the units made awards (segment_awards.c). */
#include "segment_private.h"

#include "hy_parallel.h"

/* Lines of one classification, cut into @n_shares shares: share s classifies lines
 * [n * s / n_shares, n * (s + 1) / n_shares) into its own slots of @classified
 * (preallocated), with match data of its own. A share stops at the first line that is
 * not valid UTF-8 and records its index in @invalid[s] (G_MAXUINT for none). */
typedef struct {
    const HyRules *rules;
    GPtrArray *lines;
    HyClassified *classified;
    guint n_shares;
    guint *invalid;
} ClassifyJob;

static void classify_share(guint share, gpointer data)
{
    ClassifyJob *job = data;
    guint n = job->lines->len;
    guint from = (guint)((guint64)n * share / job->n_shares), to = (guint)((guint64)n * (share + 1) / job->n_shares);
    pcre2_match_data *match_data = hy_segment__match_data_new(job->rules);
    job->invalid[share] = G_MAXUINT;
    for (guint i = from; i < to; i++) {
        const HyLine *line = g_ptr_array_index(job->lines, i);
        if (line->text == NULL || !g_utf8_validate(line->text, -1, NULL)) {
            job->invalid[share] = i;
            break;
        }
        hy_segment__classify(job->rules, line, match_data, &job->classified[i]);
    }
    pcre2_match_data_free(match_data);
}

/* Fewer lines than this a thread are classified on one: starting a thread and its
 * match data costs about what classifying a few hundred lines does. */
#define HY_CLASSIFY_LINES_PER_THREAD 1000
#define HY_CLASSIFY_MAX_THREADS 64

/* Classifies every line into a->classified; FALSE with an error naming the first line
 * that is not valid UTF-8. Lines are independent, so shares of them go to threads;
 * each writes its own slots, and the result is the same for any number of threads. */
static gboolean classify_lines(HyAssembly *a, GPtrArray *lines, int threads, GError **error)
{
    guint n = lines->len;
    g_array_set_size(a->classified, n);
    guint n_shares = hy_parallel_threads(threads, n, HY_CLASSIFY_LINES_PER_THREAD, HY_CLASSIFY_MAX_THREADS);
    guint invalid[HY_CLASSIFY_MAX_THREADS];
    ClassifyJob job = {.rules = a->rules, .lines = lines, .classified = (HyClassified *)(void *)a->classified->data,
                       .n_shares = n_shares, .invalid = invalid};
    hy_parallel_run("hy-classify", n_shares, classify_share, NULL, &job);
    for (guint s = 0; s < n_shares; s++) {
        if (invalid[s] == G_MAXUINT) continue;
        const HyLine *line = g_ptr_array_index(lines, invalid[s]);
        g_set_error(error, HY_SEGMENT_ERROR, HY_SEGMENT_ERROR_INPUT, "line %d is not normalized UTF-8",
                    line->number);
        return FALSE;
    }
    return TRUE;
}

HyReport *hy_segment_lines(const HyRules *rules, GPtrArray *lines, GArray **trace, GError **error)
{
    return hy_segment_lines_parallel(rules, lines, 1, trace, error);
}

HyReport *hy_segment_lines_parallel(const HyRules *rules, GPtrArray *lines, int threads, GArray **trace,
                                    GError **error)
{
    g_return_val_if_fail(rules != NULL && lines != NULL, NULL);
    g_autoptr(HyReport) report = hy_report_new();
    /* Rules that lack a kind read every report the worse: each record made with them says so. */
    g_autofree char *rules_file = g_path_get_basename(hy_rules_name(rules));
    for (guint i = 0; i < rules->warnings->len; i++)
        g_ptr_array_add(report->warnings, g_strdup_printf("rules %s: %s", rules_file,
                                                          (const char *)g_ptr_array_index(rules->warnings, i)));

    HyAssembly a = {.rules = rules, .report = report};
    a.classified = g_array_sized_new(FALSE, TRUE, sizeof(HyClassified), lines->len);
    g_array_set_clear_func(a.classified, (GDestroyNotify)hy_segment__classified_clear);
    if (!classify_lines(&a, lines, threads, error)) {
        g_array_unref(a.classified);
        return NULL;
    }
    a.units = g_ptr_array_new_with_free_func((GDestroyNotify)hy_segment__unit_free);
    a.fields = g_new0(const char *, lines->len + 1);
    a.joins = g_new0(const char *, lines->len + 1);
    a.label = g_new0(gboolean, lines->len + 1);
    a.contact_header = g_new0(guint8, lines->len + 1);
    a.contact_like = g_new0(guint8, lines->len + 1);
    a.taken = g_new0(gboolean, lines->len + 1);
    a.prizes = g_ptr_array_new_with_free_func(g_free);
    hy_segment__mark_vertical_labels(&a);
    a.body_size = hy_segment__body_font_size(lines);
    if (trace != NULL) {
        a.trace = g_array_sized_new(FALSE, TRUE, sizeof(HyLineTrace), lines->len);
        for (guint i = 0; i < a.classified->len; i++) {
            const HyClassified *c = hy_segment__classified_at(&a, i);
            HyLineTrace t = {.line = c->line, .line_class = c->line_class, .rule = c->rule ? c->rule->name : NULL,
                             .award = -1};
            g_array_append_val(a.trace, t);
        }
    }

    pcre2_match_data *match_data = hy_segment__match_data_new(rules);
    a.match_data = match_data;
    hy_segment__mark_unknown_contact_headers(&a);
    for (guint i = 0; i < a.classified->len; i++) {
        hy_segment__take_line(&a, i);
        /* A line's captures are read while it is taken and, ahead of it, while the line
         * before is; never later. Released now, their memory serves the units and awards. */
        hy_segment__classified_clear(&g_array_index(a.classified, HyClassified, i));
    }
    for (guint i = 0; a.trace != NULL && i < a.trace->len; i++) {
        g_array_index(a.trace, HyLineTrace, i).field = a.fields[i];
        g_array_index(a.trace, HyLineTrace, i).joined = a.joins[i];
    }

    hy_segment__awards_from_units(&a);
    pcre2_match_data_free(match_data);
    if (report->awards->len == 0) g_ptr_array_add(report->warnings, g_strdup("no awardee blocks found"));
    else report->sections |= HY_SECTION_AWARDS;
    /* A date alone makes no cover (minutes are dated too); a list of awardees does. */
    if (report->listed_awardees->len > 0) report->sections |= HY_SECTION_COVER;
    if (report->year == 0) report->year = hy_segment__fiscal_year(report->date);
    hy_segment__cross_check_listing(report);

    g_ptr_array_unref(a.prizes);
    g_free(a.title_category);
    g_free(a.label);
    g_free(a.contact_header);
    g_free(a.contact_like);
    g_free(a.taken);
    g_ptr_array_unref(a.units);
    g_array_unref(a.classified);
    g_free(a.fields);
    g_free(a.joins);
    if (trace != NULL) *trace = a.trace;
    return g_steal_pointer(&report);
}
