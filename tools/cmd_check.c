/* cmd_check.c -- `hyosho check`: converts every fixture under the given folders and
 * compares it with its golden field by field (key order and formatting do not
 * matter), printing each differing field; --update rewrites the goldens.
 *
 * A fixture is any input file NAME.EXT beside a golden NAME.json (or NAME.error,
 * holding the one-line error a broken input must give). NAME.args, when present,
 * holds extra convert options for it (e.g. --year 2019). source.path is not
 * compared: it depends on where the check runs from.
 *
 * Variants: an input NAME.VARIANT.EXT without a golden of its own (NAME.libreoffice.pdf,
 * NAME.chromium.pdf: the same page made by another producer; NAME.pdfminer.txt: another
 * extractor's text) is held to NAME.json with NAME.args. The same document read from another
 * file has another source.sha256; read as text rather than PDF it also has no page numbers,
 * so those fields are not compared then. A variant never rewrites the shared golden. --matrix
 * prints one row per golden and one column per variant kind. */
#include "hy_cli.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    gboolean update, matrix;
    int fixtures, failed, updated;
    GPtrArray *results; /* Result*, for --matrix */
} CheckRun;

/* One input to check and the golden it is held to. */
typedef struct {
    char *input;
    char *stem;    /* the golden's path without .json/.error/.args */
    char *variant; /* (nullable) "libreoffice" in NAME.libreoffice.pdf; NULL for NAME's own input */
} Fixture;

static void fixture_free(gpointer data)
{
    Fixture *f = data;
    g_free(f->input);
    g_free(f->stem);
    g_free(f->variant);
    g_free(f);
}

/* One cell of the --matrix table. */
typedef struct {
    char *stem;
    char *column;
    gboolean primary; /* NAME's own input, not a variant */
    gboolean ok;
} Result;

static void result_free(gpointer data)
{
    Result *r = data;
    g_free(r->stem);
    g_free(r->column);
    g_free(r);
}

static const char *const non_inputs[] = {".json", ".error", ".args", ".page", ".md", ".png", NULL};

static char *stem_of(const char *path)
{
    const char *dot = hy_emit_path_extension(path);
    return dot != NULL ? g_strndup(path, (gsize)(dot - path)) : g_strdup(path);
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

static gboolean has_golden(const char *stem, gboolean or_error)
{
    g_autofree char *golden = g_strconcat(stem, ".json", NULL);
    g_autofree char *error = g_strconcat(stem, ".error", NULL);
    return g_file_test(golden, G_FILE_TEST_EXISTS) || (or_error && g_file_test(error, G_FILE_TEST_EXISTS));
}

/* Returns: (transfer full) (nullable) the fixture @path is: NAME.EXT beside NAME.json or
 * NAME.error, else NAME.VARIANT.EXT beside NAME.json. */
static Fixture *fixture_new(const char *path)
{
    g_autofree char *stem = stem_of(path);
    Fixture *f = g_new0(Fixture, 1);
    f->input = g_strdup(path);
    if (has_golden(stem, TRUE)) {
        f->stem = g_steal_pointer(&stem);
        return f;
    }
    g_autofree char *base = stem_of(stem);
    if (strcmp(base, stem) != 0 && has_golden(base, FALSE)) {
        f->variant = g_strdup(stem + strlen(base) + 1);
        f->stem = g_steal_pointer(&base);
        return f;
    }
    /* Named on the command line without any golden: checked against NAME.json, which then
     * reports the golden as missing. */
    f->stem = g_steal_pointer(&stem);
    return f;
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
                Fixture *f = fixture_new(child);
                g_autofree char *own = stem_of(child);
                if (f->variant != NULL || has_golden(own, TRUE)) g_ptr_array_add(inputs, f);
                else fixture_free(f);
            }
        }
    } else {
        g_ptr_array_add(inputs, fixture_new(path));
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

/* Fields a shared golden does not hold a variant to. */
typedef struct {
    gboolean sha256; /* another file of the same document */
    gboolean pages;  /* another format: text has no pages */
} Skip;

static gboolean skipped(const char *where, const Skip *skip)
{
    if (strcmp(where, "source.path") == 0) return TRUE;
    if (skip->sha256 && strcmp(where, "source.sha256") == 0) return TRUE;
    if (!skip->pages) return FALSE;
    if (strcmp(where, "source.format") == 0 || strcmp(where, "source.pages") == 0) return TRUE;
    /* awards[N].pages */
    if (!g_str_has_prefix(where, "awards[")) return FALSE;
    const char *c = where + strlen("awards[");
    while (g_ascii_isdigit(*c)) c++;
    return c > where + strlen("awards[") && strcmp(c, "].pages") == 0;
}

static void compare(const char *where, JsonNode *expected, JsonNode *actual, const Skip *skip,
                    GPtrArray *differences)
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
            if (skipped(child, skip)) continue;
            compare(child, json_object_get_member(eo, k->data), json_object_get_member(ao, k->data), skip,
                    differences);
        }
        g_autoptr(GList) extra = json_object_get_members(ao);
        for (GList *k = extra; k != NULL; k = k->next) {
            if (json_object_has_member(eo, k->data)) continue;
            g_autofree char *child = *where ? g_strdup_printf("%s.%s", where, (char *)k->data) : g_strdup(k->data);
            if (skipped(child, skip)) continue;
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
            compare(child, e, a, skip, differences);
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
    g_autoptr(GOptionContext) context = hy_cli_option_context(NULL, NULL, NULL, options, HY_JOBS_THREADS);
    g_option_context_set_help_enabled(context, FALSE);
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

static const char *source_format(JsonNode *root)
{
    if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) return NULL;
    JsonNode *source = json_object_get_member(json_node_get_object(root), "source");
    if (source == NULL || !JSON_NODE_HOLDS_OBJECT(source)) return NULL;
    return json_object_get_string_member_with_default(json_node_get_object(source), "format", NULL);
}

/* The --matrix column of @f: cairo for NAME.pdf (hy_genfixture's own drawing), the extension
 * for another NAME.EXT, the variant for NAME.VARIANT.pdf, VARIANT.EXT for another variant. */
static char *matrix_column(const Fixture *f)
{
    const char *dot = hy_emit_path_extension(f->input);
    const char *ext = dot != NULL ? dot + 1 : "";
    if (f->variant == NULL) return g_strdup(strcmp(ext, "pdf") == 0 ? "cairo" : ext);
    if (strcmp(ext, "pdf") == 0) return g_strdup(f->variant);
    return g_strdup_printf("%s.%s", f->variant, ext);
}

static void record(CheckRun *run, const Fixture *f, gboolean ok)
{
    if (!ok) run->failed++;
    if (run->results == NULL) return;
    Result *r = g_new0(Result, 1);
    r->stem = g_strdup(f->stem);
    r->column = matrix_column(f);
    r->primary = f->variant == NULL;
    r->ok = ok;
    g_ptr_array_add(run->results, r);
}

static void check_fixture(CheckRun *run, const Fixture *f)
{
    run->fixtures++;
    const char *input = f->input, *stem = f->stem;
    g_autofree char *golden_path = g_strconcat(stem, ".json", NULL);
    g_autofree char *error_path = g_strconcat(stem, ".error", NULL);
    g_autoptr(GPtrArray) differences = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GError) error = NULL;

    g_auto(HyPipelineOptions) options = hy_pipeline_options_default();
    if (!load_fixture_options(stem, &options, &error)) {
        if (!run->matrix) printf("FAIL %s\n  %s.args: %s\n", input, stem, error->message);
        record(run, f, FALSE);
        return;
    }
    g_autoptr(HyConversion) conversion = hy_pipeline_convert(input, &options, NULL, HY_CONVERT_RECORDS, &error);

    g_autofree char *actual = NULL;
    if (conversion != NULL) {
        HySource source;
        hy_pipeline_source(conversion, &source);
        actual = hy_emit_json(&source, conversion->report, TRUE);
    }
    g_autofree char *actual_error = error != NULL ? g_strdup_printf("%s\n", error->message) : NULL;

    /* Only a golden's own input rewrites it: a variant that differs is a difference to fix in
     * the reading, not a new truth. */
    if (run->update && f->variant == NULL) {
        g_autoptr(GError) write_error = NULL;
        const char *target = actual != NULL ? golden_path : error_path;
        const char *stale = actual != NULL ? error_path : golden_path;
        g_autofree char *old = NULL;
        g_file_get_contents(target, &old, NULL, NULL);
        if (g_strcmp0(old, actual != NULL ? actual : actual_error) != 0) {
            if (!g_file_set_contents(target, actual != NULL ? actual : actual_error, -1, &write_error)) {
                printf("FAIL %s\n  cannot write %s: %s\n", input, target, write_error->message);
                record(run, f, FALSE);
                return;
            }
            printf("updated %s\n", target);
            run->updated++;
        }
        (void)g_remove(stale);
        record(run, f, TRUE);
        return;
    }

    if (f->variant == NULL && g_file_test(error_path, G_FILE_TEST_EXISTS)) {
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
        if (!json_parser_load_from_file(expected, golden_path, &parse_error)) {
            g_ptr_array_add(differences, g_strdup_printf("%s: %s", golden_path, parse_error->message));
        } else if (!json_parser_load_from_data(got, actual, -1, &parse_error)) {
            g_ptr_array_add(differences, g_strdup_printf("output is not JSON: %s", parse_error->message));
        } else {
            JsonNode *e = json_parser_get_root(expected), *a = json_parser_get_root(got);
            Skip skip = {.sha256 = f->variant != NULL};
            skip.pages = f->variant != NULL && g_strcmp0(source_format(e), source_format(a)) != 0;
            compare("", e, a, &skip, differences);
        }
    }
    record(run, f, differences->len == 0);
    if (differences->len == 0 || run->matrix) return;
    printf("FAIL %s", input);
    if (f->variant != NULL) printf(" (against %s)", golden_path);
    printf(" (%u field%s)\n", differences->len, differences->len == 1 ? " differs" : "s differ");
    for (guint i = 0; i < differences->len; i++) printf("  %s\n", (char *)g_ptr_array_index(differences, i));
}

/* Returns: (transfer full) a row's name: the golden's file name without .json, or its path when
 * another folder has a golden of that name. */
static char *row_name(GPtrArray *rows, const char *stem)
{
    g_autofree char *name = g_path_get_basename(stem);
    for (guint i = 0; i < rows->len; i++) {
        const char *other = g_ptr_array_index(rows, i);
        g_autofree char *other_name = g_path_get_basename(other);
        if (strcmp(other, stem) != 0 && strcmp(other_name, name) == 0) return g_strdup(stem);
    }
    return g_steal_pointer(&name);
}

/* The --matrix table: one row per golden, one column per kind of input, each cell ok, FAIL or -. */
static void print_matrix(GPtrArray *results)
{
    g_autoptr(GPtrArray) rows = g_ptr_array_new();    /* stems, in check order */
    /* The producers first, in the order they were added, then the goldens' own inputs, then the
     * rest as they come. */
    static const char *const producers[] = {"cairo", "libreoffice", "chromium"};
    g_autoptr(GPtrArray) columns = g_ptr_array_new();
    for (guint p = 0; p < G_N_ELEMENTS(producers); p++) {
        for (guint i = 0; i < results->len; i++) {
            const Result *r = g_ptr_array_index(results, i);
            if (strcmp(r->column, producers[p]) == 0) {
                g_ptr_array_add(columns, r->column);
                break;
            }
        }
    }
    for (guint i = 0; i < results->len; i++) {
        const Result *r = g_ptr_array_index(results, i);
        guint at;
        if (r->primary && !g_ptr_array_find_with_equal_func(columns, r->column, g_str_equal, &at))
            g_ptr_array_add(columns, r->column);
    }
    for (guint i = 0; i < results->len; i++) {
        const Result *r = g_ptr_array_index(results, i);
        guint at;
        if (!g_ptr_array_find_with_equal_func(rows, r->stem, g_str_equal, &at)) g_ptr_array_add(rows, r->stem);
        if (!g_ptr_array_find_with_equal_func(columns, r->column, g_str_equal, &at)) g_ptr_array_add(columns, r->column);
    }
    int name_w = (int)strlen("golden");
    for (guint i = 0; i < rows->len; i++) {
        g_autofree char *name = row_name(rows, g_ptr_array_index(rows, i));
        name_w = MAX(name_w, (int)g_utf8_strlen(name, -1));
    }
    printf("%-*s", name_w, "golden");
    for (guint c = 0; c < columns->len; c++) printf("  %s", (char *)g_ptr_array_index(columns, c));
    printf("\n");
    for (guint i = 0; i < rows->len; i++) {
        const char *stem = g_ptr_array_index(rows, i);
        g_autofree char *name = row_name(rows, stem);
        printf("%s%*s", name, name_w - (int)g_utf8_strlen(name, -1), "");
        for (guint c = 0; c < columns->len; c++) {
            const char *column = g_ptr_array_index(columns, c);
            const char *cell = "-";
            for (guint k = 0; k < results->len; k++) {
                const Result *r = g_ptr_array_index(results, k);
                if (strcmp(r->stem, stem) == 0 && strcmp(r->column, column) == 0) {
                    cell = r->ok ? "ok" : "FAIL";
                    break;
                }
            }
            printf("  %-*s", c + 1 < columns->len ? (int)strlen(column) : 0, cell);
        }
        printf("\n");
    }
}

int hy_cmd_check(int argc, char **argv)
{
    CheckRun run = {0};
    g_auto(GStrv) paths = NULL;
    const GOptionEntry entries[] = {
        {"update", 0, 0, G_OPTION_ARG_NONE, &run.update,
         "Rewrite the goldens from the current output (a variant never rewrites a shared golden)", NULL},
        {"matrix", 0, 0, G_OPTION_ARG_NONE, &run.matrix,
         "Print a table instead of the differences: one row per golden, one column per input kind "
         "(cairo: NAME.pdf; libreoffice, chromium: NAME.VARIANT.pdf; txt, VARIANT.txt), each ok, FAIL or -",
         NULL},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) context = hy_cli_option_context(
        "PATH...",
        "Converts every fixture under PATH (an input NAME.EXT beside its golden NAME.json, "
                                 "or NAME.error for an input that must fail) and compares field by field.\n"
                                 "NAME.args holds extra convert options for one fixture. Exit 1 when any differs.\n"
                                 "A variant NAME.VARIANT.EXT without a golden of its own (NAME.libreoffice.pdf, "
                                 "NAME.pdfminer.txt) is held to NAME.json and NAME.args; source.sha256 is not "
                                 "compared then, nor source.format, source.pages and awards[].pages when its "
        "format differs from the golden's.",
        entries, NULL, HY_JOBS_NONE);
    g_autoptr(GError) error = NULL;
    if (!g_option_context_parse(context, &argc, &argv, &error)) return hy_cli_usage_error("check", error->message);
    if (paths == NULL) return hy_cli_usage_error("check", "a fixture PATH is needed");

    g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func(fixture_free);
    g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func(result_free);
    if (run.matrix) run.results = results;
    for (guint i = 0; paths[i] != NULL; i++) {
        if (!g_file_test(paths[i], G_FILE_TEST_EXISTS)) {
            fprintf(stderr, "hyosho: %s: No such file or directory\n", paths[i]);
            return HY_EXIT_FAILED;
        }
        collect(paths[i], inputs);
    }
    hy_extract_retain_pdf_state(TRUE); /* fixture after fixture */
    for (guint i = 0; i < inputs->len; i++) check_fixture(&run, g_ptr_array_index(inputs, i));
    hy_extract_retain_pdf_state(FALSE);
    fflush(stdout);

    if (run.matrix) print_matrix(results);
    if (run.update && run.failed > 0)
        printf("check: %d fixtures, %d golden%s updated, %d differ%s\n", run.fixtures, run.updated,
               run.updated == 1 ? "" : "s", run.failed, run.failed == 1 ? "s" : "");
    else if (run.update)
        printf("check: %d fixtures, %d golden%s updated\n", run.fixtures, run.updated, run.updated == 1 ? "" : "s");
    else if (run.failed == 0)
        printf("check: %d fixtures, all match their goldens\n", run.fixtures);
    else
        printf("check: %d of %d fixtures differ from their goldens\n", run.failed, run.fixtures);
    return run.failed == 0 && run.fixtures > 0 ? HY_EXIT_OK : HY_EXIT_FAILED;
}
