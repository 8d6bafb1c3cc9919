/* cmd_check.c -- `hyosho check`: converts every fixture under the given folders and
 * compares it with its golden field by field (key order and formatting do not
 * matter), printing each differing field; --update rewrites the goldens.
 *
 * A fixture is any input file NAME.EXT beside a golden NAME.json (or NAME.error,
 * holding the one-line error a broken input must give). NAME.args, when present,
 * holds extra convert options for it (e.g. --year 2019). source.path is not
 * compared: it depends on where the check runs from. */
#include "hy_cli.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    gboolean update;
    int fixtures, failed, updated;
} CheckRun;

static const char *const non_inputs[] = {".json", ".error", ".args", ".page", ".md", ".png", NULL};

static char *stem_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    if (dot == NULL || (slash != NULL && dot < slash)) return g_strdup(path);
    return g_strndup(path, (gsize)(dot - path));
}

static gboolean is_input(const char *name)
{
    if (name[0] == '.') return FALSE;
    for (int i = 0; non_inputs[i] != NULL; i++)
        if (g_str_has_suffix(name, non_inputs[i])) return FALSE;
    return TRUE;
}

static int compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects fixture inputs under @path (a fixture file or a folder), sorted. */
static void collect(const char *path, GPtrArray *inputs)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
        g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
        if (dir == NULL) return;
        g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
        for (const char *name; (name = g_dir_read_name(dir)) != NULL;) g_ptr_array_add(names, g_strdup(name));
        g_ptr_array_sort(names, compare_names);
        for (guint i = 0; i < names->len; i++) {
            g_autofree char *child = g_build_filename(path, g_ptr_array_index(names, i), NULL);
            if (g_file_test(child, G_FILE_TEST_IS_DIR)) collect(child, inputs);
            else if (is_input(g_ptr_array_index(names, i))) {
                g_autofree char *stem = stem_of(child);
                g_autofree char *golden = g_strconcat(stem, ".json", NULL);
                g_autofree char *error = g_strconcat(stem, ".error", NULL);
                if (g_file_test(golden, G_FILE_TEST_EXISTS) || g_file_test(error, G_FILE_TEST_EXISTS))
                    g_ptr_array_add(inputs, g_steal_pointer(&child));
            }
        }
    } else {
        g_ptr_array_add(inputs, g_strdup(path));
    }
}

static char *node_text(JsonNode *node)
{
    if (node == NULL) return g_strdup("(absent)");
    g_autoptr(JsonGenerator) generator = json_generator_new();
    json_generator_set_root(generator, node);
    return json_generator_to_data(generator, NULL);
}

static void report_difference(GPtrArray *differences, const char *where, JsonNode *expected, JsonNode *actual)
{
    g_autofree char *e = node_text(expected);
    g_autofree char *a = node_text(actual);
    g_ptr_array_add(differences, g_strdup_printf("%s: expected %s, got %s", where, e, a));
}

static void compare(const char *where, JsonNode *expected, JsonNode *actual, GPtrArray *differences)
{
    if (expected == NULL || actual == NULL || JSON_NODE_TYPE(expected) != JSON_NODE_TYPE(actual)) {
        report_difference(differences, where, expected, actual);
        return;
    }
    switch (JSON_NODE_TYPE(expected)) {
    case JSON_NODE_OBJECT: {
        JsonObject *eo = json_node_get_object(expected), *ao = json_node_get_object(actual);
        g_autoptr(GList) keys = json_object_get_members(eo);
        for (GList *k = keys; k != NULL; k = k->next) {
            g_autofree char *child = *where ? g_strdup_printf("%s.%s", where, (char *)k->data) : g_strdup(k->data);
            if (strcmp(child, "source.path") == 0) continue;
            compare(child, json_object_get_member(eo, k->data), json_object_get_member(ao, k->data), differences);
        }
        g_autoptr(GList) extra = json_object_get_members(ao);
        for (GList *k = extra; k != NULL; k = k->next) {
            if (json_object_has_member(eo, k->data)) continue;
            g_autofree char *child = *where ? g_strdup_printf("%s.%s", where, (char *)k->data) : g_strdup(k->data);
            report_difference(differences, child, NULL, json_object_get_member(ao, k->data));
        }
        break;
    }
    case JSON_NODE_ARRAY: {
        JsonArray *ea = json_node_get_array(expected), *aa = json_node_get_array(actual);
        guint n = MAX(json_array_get_length(ea), json_array_get_length(aa));
        for (guint i = 0; i < n; i++) {
            g_autofree char *child = g_strdup_printf("%s[%u]", where, i);
            JsonNode *e = i < json_array_get_length(ea) ? json_array_get_element(ea, i) : NULL;
            JsonNode *a = i < json_array_get_length(aa) ? json_array_get_element(aa, i) : NULL;
            compare(child, e, a, differences);
        }
        break;
    }
    case JSON_NODE_VALUE:
        if (!json_node_equal(expected, actual)) report_difference(differences, where, expected, actual);
        break;
    case JSON_NODE_NULL:
        break;
    }
}

/* Options from NAME.args, applied on top of the defaults. */
static gboolean load_fixture_options(const char *stem, HyPipelineOptions *options, GError **error)
{
    g_autofree char *args_path = g_strconcat(stem, ".args", NULL);
    g_autofree char *args = NULL;
    if (!g_file_get_contents(args_path, &args, NULL, NULL)) return TRUE;
    g_auto(GStrv) argv = NULL;
    int argc = 0;
    g_autofree char *line = g_strconcat("check ", g_strstrip(args), NULL);
    if (!g_shell_parse_argv(line, &argc, &argv, error)) return FALSE;
    g_autoptr(GOptionContext) context = g_option_context_new(NULL);
    g_option_context_set_help_enabled(context, FALSE);
    hy_pipeline_add_options(context, options);
    if (!g_option_context_parse_strv(context, &argv, error)) return FALSE;
    if (options->rules_file != NULL && !g_path_is_absolute(options->rules_file)) {
        /* A rules file named in NAME.args lives beside the fixture. */
        g_autofree char *folder = g_path_get_dirname(stem);
        char *beside = g_build_filename(folder, options->rules_file, NULL);
        g_free(options->rules_file);
        options->rules_file = beside;
    }
    return TRUE;
}

static void check_fixture(CheckRun *run, const char *input, const HyPipelineOptions *base)
{
    run->fixtures++;
    g_autofree char *stem = stem_of(input);
    g_autofree char *golden_path = g_strconcat(stem, ".json", NULL);
    g_autofree char *error_path = g_strconcat(stem, ".error", NULL);
    g_autoptr(GPtrArray) differences = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GError) error = NULL;

    HyPipelineOptions options = *base;
    options.encoding = options.password = options.rules_file = options.profile = NULL;
    if (!load_fixture_options(stem, &options, &error)) {
        printf("FAIL %s\n  %s.args: %s\n", input, stem, error->message);
        run->failed++;
        hy_pipeline_options_clear(&options);
        return;
    }
    g_autoptr(HyConversion) conversion = hy_pipeline_convert(input, &options, NULL, FALSE, &error);
    hy_pipeline_options_clear(&options);

    g_autofree char *actual = NULL;
    if (conversion != NULL) {
        HySource source;
        hy_pipeline_source(conversion, &source);
        actual = hy_emit_json(&source, conversion->report, TRUE);
    }
    g_autofree char *actual_error = error != NULL ? g_strdup_printf("%s\n", error->message) : NULL;

    if (run->update) {
        g_autoptr(GError) write_error = NULL;
        const char *target = actual != NULL ? golden_path : error_path;
        const char *stale = actual != NULL ? error_path : golden_path;
        g_autofree char *old = NULL;
        g_file_get_contents(target, &old, NULL, NULL);
        if (g_strcmp0(old, actual != NULL ? actual : actual_error) != 0) {
            if (!g_file_set_contents(target, actual != NULL ? actual : actual_error, -1, &write_error)) {
                printf("FAIL %s\n  cannot write %s: %s\n", input, target, write_error->message);
                run->failed++;
                return;
            }
            printf("updated %s\n", target);
            run->updated++;
        }
        (void)g_remove(stale);
        return;
    }

    if (g_file_test(error_path, G_FILE_TEST_EXISTS)) {
        g_autofree char *expected_error = NULL;
        g_file_get_contents(error_path, &expected_error, NULL, NULL);
        if (g_strcmp0(g_strstrip(expected_error), actual_error ? g_strstrip(actual_error) : NULL) != 0)
            g_ptr_array_add(differences, g_strdup_printf("error: expected \"%s\", got %s%s%s", expected_error,
                                                         actual_error ? "\"" : "", actual_error ? actual_error : "a conversion",
                                                         actual_error ? "\"" : ""));
    } else if (actual == NULL) {
        g_ptr_array_add(differences, g_strdup_printf("conversion failed: %s", error->message));
    } else {
        g_autoptr(JsonParser) expected = json_parser_new();
        g_autoptr(JsonParser) got = json_parser_new();
        g_autoptr(GError) parse_error = NULL;
        if (!json_parser_load_from_file(expected, golden_path, &parse_error))
            g_ptr_array_add(differences, g_strdup_printf("%s: %s", golden_path, parse_error->message));
        else if (!json_parser_load_from_data(got, actual, -1, &parse_error))
            g_ptr_array_add(differences, g_strdup_printf("output is not JSON: %s", parse_error->message));
        else
            compare("", json_parser_get_root(expected), json_parser_get_root(got), differences);
    }
    if (differences->len == 0) return;
    run->failed++;
    printf("FAIL %s (%u field%s)\n", input, differences->len, differences->len == 1 ? " differs" : "s differ");
    for (guint i = 0; i < differences->len; i++) printf("  %s\n", (char *)g_ptr_array_index(differences, i));
}

int hy_cmd_check(int argc, char **argv)
{
    CheckRun run = {0};
    HyPipelineOptions options;
    hy_pipeline_options_init(&options);
    const GOptionEntry entries[] = {
        {"update", 0, 0, G_OPTION_ARG_NONE, &run.update, "Rewrite the goldens from the current output", NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) context = g_option_context_new("PATH...");
    g_option_context_set_summary(context,
                                 "Converts every fixture under PATH (an input NAME.EXT beside its golden NAME.json, "
                                 "or NAME.error for an input that must fail) and compares field by field.\n"
                                 "NAME.args holds extra convert options for one fixture. Exit 1 when any differs.");
    g_option_context_add_main_entries(context, entries, NULL);
    g_autoptr(GError) error = NULL;
    if (!g_option_context_parse(context, &argc, &argv, &error)) return hy_cli_usage_error("check", error->message);
    hy_cli_drop_separator(&argc, argv);
    if (argc < 2) return hy_cli_usage_error("check", "a fixture PATH is needed");

    g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func(g_free);
    for (int i = 1; i < argc; i++) {
        if (!g_file_test(argv[i], G_FILE_TEST_EXISTS)) {
            fprintf(stderr, "hyosho: %s: No such file or directory\n", argv[i]);
            return HY_EXIT_FAILED;
        }
        collect(argv[i], inputs);
    }
    hy_extract_retain_pdf_state(TRUE); /* fixture after fixture */
    for (guint i = 0; i < inputs->len; i++) check_fixture(&run, g_ptr_array_index(inputs, i), &options);
    hy_extract_retain_pdf_state(FALSE);
    fflush(stdout);

    if (run.update)
        printf("check: %d fixtures, %d golden%s updated\n", run.fixtures, run.updated, run.updated == 1 ? "" : "s");
    else if (run.failed == 0)
        printf("check: %d fixtures, all match their goldens\n", run.fixtures);
    else
        printf("check: %d of %d fixtures differ from their goldens\n", run.failed, run.fixtures);
    return run.failed == 0 && run.fixtures > 0 ? HY_EXIT_OK : HY_EXIT_FAILED;
}
