/* test_emit.c -- unit tests of the emit stage: the v1 document's key order, types and
 * nulls, UTF-8 written as text (not \u escapes), compact form, and JSON Lines; reading a
 * document back (hy_emit_read_json) gives the same bytes when emitted again, and reads
 * documents older versions wrote (without date, listed_awardees, category); CSV's quoting,
 * lists, headers and --excel form. */
#include "hy_test.h"
#include "hy_emit.h"

#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

/* The award of output-v1.md's example, built by hand. */
static HyReport *example_report(void)
{
    HyReport *report = g_new0(HyReport, 1);
    report->title = g_strdup("第14回自治体国際交流表彰(総務大臣賞)受賞団体の概要");
    report->edition = 14;
    report->year = 2019;
    report->date = g_strdup("2019-05-29");
    report->listed_awardees = g_ptr_array_new();
    g_ptr_array_add(report->listed_awardees, "富山県");
    g_ptr_array_add(report->listed_awardees, "川越市、川越市姉妹都市交流委員会");
    report->awards = g_ptr_array_new();
    report->warnings = g_ptr_array_new_with_free_func(g_free);
    HyAward *award = g_new0(HyAward, 1);
    award->awardee = (HyAwardee){.name = "富山県", .kind = HY_KIND_PREFECTURE, .prefecture = "富山県",
                                 .lg_code = "160008"};
    award->category = "総務大臣賞";
    static HyPartner partner = {.name = "遼寧省", .country = "中華人民共和国", .country_code = "CN"};
    award->partners = g_ptr_array_new();
    g_ptr_array_add(award->partners, &partner);
    award->evaluations = g_ptr_array_new();
    g_ptr_array_add(award->evaluations, "35年間地道に交流活動を継続して「信頼」を築いた。");
    award->contact = (HyContact){.department = "富山県総合政策局国際課", .postal_code = "930-8501",
                                 .tel = "076-444-3158"};
    award->captions = g_ptr_array_new();
    award->pages = g_array_new(FALSE, FALSE, sizeof(int));
    int page = 1;
    g_array_append_val(award->pages, page);
    award->warnings = g_ptr_array_new();
    g_ptr_array_add(report->awards, award);
    return report;
}

static void example_free(HyReport *report)
{
    HyAward *award = g_ptr_array_index(report->awards, 0);
    g_ptr_array_unref(award->partners);
    g_ptr_array_unref(award->evaluations);
    g_ptr_array_unref(award->captions);
    g_array_unref(award->pages);
    g_ptr_array_unref(award->warnings);
    g_free(award);
    g_ptr_array_unref(report->awards);
    g_ptr_array_unref(report->warnings);
    g_ptr_array_unref(report->listed_awardees);
    g_free(report->date);
    g_free(report->title);
    g_free(report);
}

static const HySource source = {.path = "fixtures/pdf/award-2019.pdf", .sha256 = "ab12", .format = "pdf", .pages = 3};

static void test_emit_json_key_order_and_values(void **state)
{
    (void)state;
    HyReport *report = example_report();
    g_autofree char *json = hy_emit_json(&source, report, TRUE);
    example_free(report);

    /* Keys in the contract's order. */
    const char *keys[] = {"\"schema_version\"", "\"source\"", "\"path\"", "\"sha256\"", "\"format\"", "\"pages\"",
                          "\"title\"", "\"edition\"", "\"year\"", "\"date\"", "\"listed_awardees\"",
                          "\"awards\"", "\"awardee\"", "\"name\"", "\"kind\"", "\"prefecture\"",
                          "\"lg_code\"", "\"inferred\"", "\"category\"", "\"partners\"",
                          "\"evaluations\"", "\"contact\"", "\"department\"", "\"postal_code\"", "\"address\"",
                          "\"tel\"", "\"fax\"", "\"email\"", "\"url\"", "\"captions\""};
    const char *at = json;
    for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
        const char *found = strstr(at, keys[i]);
        if (found == NULL) fail_msg("key %s missing or out of order", keys[i]);
        at = found;
    }
    assert_non_null(strstr(json, "\"富山県総合政策局国際課\"")); /* UTF-8 text, not \u escapes */
    assert_null(strstr(json, "\\u"));
    assert_true(g_str_has_suffix(json, "}\n"));

    g_autoptr(JsonParser) parser = json_parser_new();
    assert_true(json_parser_load_from_data(parser, json, -1, NULL));
    JsonObject *root = json_node_get_object(json_parser_get_root(parser));
    assert_int_equal(json_object_get_int_member(root, "schema_version"), 1);
    JsonObject *src = json_object_get_object_member(root, "source");
    assert_int_equal(json_object_get_int_member(src, "edition"), 14);
    assert_int_equal(json_object_get_int_member(src, "year"), 2019);
    hy_assert_str(json_object_get_string_member(src, "date"), "2019-05-29");
    JsonArray *listed = json_object_get_array_member(src, "listed_awardees");
    assert_int_equal(json_array_get_length(listed), 2);
    hy_assert_str(json_array_get_string_element(listed, 1), "川越市、川越市姉妹都市交流委員会");
    JsonObject *award = json_array_get_object_element(json_object_get_array_member(root, "awards"), 0);
    hy_assert_str(json_object_get_string_member(award, "category"), "総務大臣賞");
    JsonObject *contact = json_object_get_object_member(award, "contact");
    assert_true(json_object_get_null_member(contact, "fax")); /* null, never "" */
    hy_assert_str(json_object_get_string_member(contact, "tel"), "076-444-3158");
    JsonObject *awardee = json_object_get_object_member(award, "awardee");
    hy_assert_str(json_object_get_string_member(awardee, "kind"), "prefecture");
    assert_false(json_object_get_boolean_member(awardee, "inferred"));
}

static void test_emit_json_compact_is_one_line_and_nulls_unknown_source(void **state)
{
    (void)state;
    HyReport *report = example_report();
    g_clear_pointer(&report->title, g_free);
    report->edition = report->year = 0;
    g_clear_pointer(&report->date, g_free);
    g_ptr_array_set_size(report->listed_awardees, 0);
    ((HyAward *)g_ptr_array_index(report->awards, 0))->category = NULL;
    g_autofree char *json = hy_emit_json(&source, report, FALSE);
    g_autofree char *pretty = hy_emit_json(&source, report, TRUE);
    example_free(report);
    assert_ptr_equal(strchr(json, '\n'), json + strlen(json) - 1); /* one line */
    assert_non_null(strstr(json, "\"title\":null,\"edition\":null,\"year\":null,\"date\":null,"
                                 "\"listed_awardees\":[]},"));
    assert_non_null(strstr(json, "\"inferred\":false},\"category\":null,\"partners\":"));
    assert_non_null(strstr(pretty, "    \"year\" : null,\n    \"date\" : null,\n    \"listed_awardees\" : []\n  },"));
    assert_non_null(strstr(pretty, "      },\n      \"category\" : null,\n      \"partners\" : ["));
}

/* A file name is bytes: one that is not UTF-8 still gives JSON (json-glib parses it),
 * the bad bytes as U+FFFD, in both layouts and in JSON Lines. */
static void test_emit_path_not_utf8_becomes_valid_json(void **state)
{
    (void)state;
    HyReport *report = example_report();
    HySource odd = source;
    odd.path = "in/x\xff\xfe.txt";
    g_autofree char *pretty = hy_emit_json(&odd, report, TRUE);
    g_autofree char *compact = hy_emit_json(&odd, report, FALSE);
    g_autofree char *jsonl = hy_emit_jsonl(&odd, report);
    example_free(report);
    const char *texts[] = {pretty, compact, jsonl};
    for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
        assert_true(g_utf8_validate(texts[i], -1, NULL));
        g_autoptr(JsonParser) parser = json_parser_new();
        g_autoptr(GError) error = NULL;
        g_auto(GStrv) first_line = g_strsplit(texts[i], "\n", i == 2 ? 2 : 1);
        assert_true(json_parser_load_from_data(parser, i == 2 ? first_line[0] : texts[i], -1, &error));
        hy_assert_no_error(error);
        assert_non_null(strstr(texts[i], "in/x\xef\xbf\xbd\xef\xbf\xbd.txt"));
    }
}

static void test_emit_jsonl_one_award_per_line_with_source_and_index(void **state)
{
    (void)state;
    HyReport *report = example_report();
    g_ptr_array_add(report->awards, g_ptr_array_index(report->awards, 0)); /* the same award twice */
    g_autofree char *jsonl = hy_emit_jsonl(&source, report);
    g_ptr_array_remove_index(report->awards, 1);
    example_free(report);

    g_auto(GStrv) lines = g_strsplit(jsonl, "\n", -1);
    assert_int_equal(g_strv_length(lines), 3); /* two lines and the empty rest after the last "\n" */
    hy_assert_str(lines[2], "");
    for (int i = 0; i < 2; i++) {
        g_autoptr(JsonParser) parser = json_parser_new();
        assert_true(json_parser_load_from_data(parser, lines[i], -1, NULL));
        JsonObject *o = json_node_get_object(json_parser_get_root(parser));
        assert_int_equal(json_object_get_int_member(o, "index"), i);
        JsonObject *src = json_object_get_object_member(o, "source");
        hy_assert_str(json_object_get_string_member(src, "sha256"), "ab12");
        hy_assert_str(json_object_get_string_member(src, "date"), "2019-05-29");
        assert_int_equal(json_array_get_length(json_object_get_array_member(src, "listed_awardees")), 2);
        hy_assert_str(json_object_get_string_member(o, "category"), "総務大臣賞");
        hy_assert_str(json_object_get_string_member(json_object_get_object_member(o, "awardee"), "name"), "富山県");
    }
}

/* Sets the members segmentation may leave empty, as a whole release gives them: a date, the
 * listed awardees (each award's name, then one that needs escaping), a category on every
 * other award. */
static void fill_release_members(HyReport *report)
{
    g_free(report->date);
    report->date = g_strdup("2023-05-29");
    g_ptr_array_set_size(report->listed_awardees, 0); /* a release's golden lists its own */
    for (guint i = 0; i < report->awards->len; i++) {
        HyAward *award = g_ptr_array_index(report->awards, i);
        g_ptr_array_add(report->listed_awardees, g_strdup(award->awardee.name));
        g_free(award->category);
        award->category = i % 2 == 0 ? g_strdup(i == 0 ? "総務大臣賞" : "審査委員会特別賞") : NULL;
    }
    g_ptr_array_add(report->listed_awardees, g_strdup("\"引用\"\t会\\"));
}

/* Every golden under fixtures/ (a v1 document as `hyosho convert` prints it) into @out. */
static void collect_goldens(const char *dir, GPtrArray *out)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    if (d == NULL) return;
    for (const char *name; (name = g_dir_read_name(d)) != NULL;) {
        g_autofree char *path = g_build_filename(dir, name, NULL);
        if (g_file_test(path, G_FILE_TEST_IS_DIR))
            collect_goldens(path, out);
        else if (g_str_has_suffix(name, ".json"))
            g_ptr_array_add(out, g_steal_pointer(&path));
    }
}

/* emit -> read -> emit is the identity, pretty and compact: the reader loses nothing the
 * writer puts out, nulls, empty arrays and inferred awardees included. */
static void test_emit_read_json_round_trips_every_golden(void **state)
{
    (void)state;
    g_autoptr(GPtrArray) goldens = g_ptr_array_new_with_free_func(g_free);
    collect_goldens(HY_FIXTURES, goldens);
    assert_true(goldens->len >= 20);
    for (guint i = 0; i < goldens->len; i++) {
        const char *path = g_ptr_array_index(goldens, i);
        g_autofree char *golden = NULL;
        gsize len = 0;
        assert_true(g_file_get_contents(path, &golden, &len, NULL));
        g_autoptr(GError) error = NULL;
        g_autoptr(HyEmitDocument) doc = hy_emit_read_json(golden, (gssize)len, &error);
        if (doc == NULL) fail_msg("%s: %s", path, error->message);
        g_autofree char *again = hy_emit_json(&doc->source, doc->report, TRUE);
        if (strcmp(again, golden) != 0) fail_msg("%s: emitted again, it differs from the golden", path);

        g_autofree char *compact = hy_emit_json(&doc->source, doc->report, FALSE);
        g_autoptr(HyEmitDocument) doc2 = hy_emit_read_json(compact, -1, &error);
        hy_assert_no_error(error);
        g_autofree char *compact2 = hy_emit_json(&doc2->source, doc2->report, FALSE);
        hy_assert_str(compact2, compact);
        assert_null(doc2->source.hyosho_version); /* not in the JSON */

        /* the same with date, listed awardees and categories set */
        fill_release_members(doc->report);
        for (int pretty = 0; pretty <= 1; pretty++) {
            g_autofree char *full = hy_emit_json(&doc->source, doc->report, pretty);
            g_autoptr(HyEmitDocument) doc3 = hy_emit_read_json(full, -1, &error);
            hy_assert_no_error(error);
            hy_assert_str(doc3->report->date, "2023-05-29");
            assert_int_equal(doc3->report->listed_awardees->len, doc->report->awards->len + 1);
            g_autofree char *full2 = hy_emit_json(&doc3->source, doc3->report, pretty);
            hy_assert_str(full2, full);
        }
    }
}

/* A document an older hyosho wrote has no source.date, source.listed_awardees nor
 * awards[].category: it reads, as null, empty and null, and emitted again gains them so. */
static void test_emit_read_json_reads_documents_without_the_added_members(void **state)
{
    (void)state;
    HyReport *report = example_report();
    g_autofree char *current = hy_emit_json(&source, report, FALSE);
    g_clear_pointer(&report->date, g_free);
    g_ptr_array_set_size(report->listed_awardees, 0);
    ((HyAward *)g_ptr_array_index(report->awards, 0))->category = NULL;
    g_autofree char *emptied = hy_emit_json(&source, report, FALSE);
    example_free(report);

    g_autoptr(GString) old = g_string_new(current);
    assert_int_equal(g_string_replace(old, ",\"date\":\"2019-05-29\"", "", 0), 1);
    assert_int_equal(g_string_replace(old, ",\"listed_awardees\":[\"富山県\",\"川越市、川越市姉妹都市交流委員会\"]", "", 0),
                     1);
    assert_int_equal(g_string_replace(old, ",\"category\":\"総務大臣賞\"", "", 0), 1);
    g_autoptr(GError) error = NULL;
    g_autoptr(HyEmitDocument) doc = hy_emit_read_json(old->str, -1, &error);
    hy_assert_no_error(error);
    assert_null(doc->report->date);
    assert_non_null(doc->report->listed_awardees);
    assert_int_equal(doc->report->listed_awardees->len, 0);
    assert_null(((HyAward *)g_ptr_array_index(doc->report->awards, 0))->category);
    assert_int_equal(doc->report->year, 2019);
    g_autofree char *again = hy_emit_json(&doc->source, doc->report, FALSE);
    hy_assert_str(again, emptied);
}

/* The golden of the 2019 excerpt, read back: three awards to multiply. */
static HyEmitDocument *read_excerpt_golden(void)
{
    g_autofree char *path = g_build_filename(HY_FIXTURES, "text", "award-2019-excerpt.json", NULL);
    g_autofree char *golden = NULL;
    assert_true(g_file_get_contents(path, &golden, NULL, NULL));
    HyEmitDocument *doc = hy_emit_read_json(golden, -1, NULL);
    assert_non_null(doc);
    return doc;
}

/* @report's awards @copies times over (borrowed: free only the array). */
static GPtrArray *awards_repeated(const HyReport *report, int copies)
{
    GPtrArray *awards = g_ptr_array_new();
    for (int copy = 0; copy < copies; copy++)
        for (guint i = 0; i < report->awards->len; i++)
            g_ptr_array_add(awards, g_ptr_array_index(report->awards, i));
    return awards;
}

/* Awards are generated in shares on threads when there are many: the same bytes for
 * any number of threads, in each form (the 3 awards of a golden, 100 times over). */
static void test_emit_threads_give_the_same_bytes(void **state)
{
    (void)state;
    g_autoptr(HyEmitDocument) doc = read_excerpt_golden();
    fill_release_members(doc->report);
    HyReport many = *doc->report;
    many.awards = awards_repeated(doc->report, 100);

    g_autofree char *pretty = hy_emit_json(&doc->source, &many, TRUE);
    g_autofree char *compact = hy_emit_json(&doc->source, &many, FALSE);
    g_autofree char *lines = hy_emit_jsonl(&doc->source, &many);
    g_autoptr(HyEmitDocument) again = hy_emit_read_json(pretty, -1, NULL);
    assert_non_null(again);
    assert_int_equal(again->report->awards->len, 300);
    const int thread_counts[] = {2, 3, 4, 0};
    for (guint t = 0; t < G_N_ELEMENTS(thread_counts); t++) {
        g_autofree char *p = hy_emit_json_threads(&doc->source, &many, TRUE, thread_counts[t]);
        g_autofree char *c = hy_emit_json_threads(&doc->source, &many, FALSE, thread_counts[t]);
        g_autofree char *l = hy_emit_jsonl_threads(&doc->source, &many, thread_counts[t]);
        hy_assert_str(p, pretty);
        hy_assert_str(c, compact);
        hy_assert_str(l, lines);
    }
    g_ptr_array_unref(many.awards);
}

/* @stream's whole output as a string, by json or jsonl to an in-memory stream. */
static char *streamed(const HySource *source, const HyReport *report, gboolean lines, gboolean pretty,
                      int threads)
{
    char *bytes = NULL;
    size_t size = 0;
    FILE *stream = open_memstream(&bytes, &size);
    assert_non_null(stream);
    g_autoptr(GError) error = NULL;
    gboolean ok = lines ? hy_emit_jsonl_to_stream(stream, source, report, threads, &error)
                        : hy_emit_json_to_stream(stream, source, report, pretty, threads, &error);
    hy_assert_no_error(error);
    assert_true(ok);
    assert_int_equal(fclose(stream), 0);
    assert_int_equal(strlen(bytes), size);
    return bytes;
}

/* Written to a stream as generated, a document is the same bytes as the string, for any
 * number of threads: 1 800 awards are several 64 KiB pieces on one thread and several
 * rounds of 512-award shares on more. */
static void test_emit_to_stream_gives_the_same_bytes(void **state)
{
    (void)state;
    g_autoptr(HyEmitDocument) doc = read_excerpt_golden();
    fill_release_members(doc->report);
    HyReport many = *doc->report;
    many.awards = awards_repeated(doc->report, 600);
    HyReport none = *doc->report;
    none.awards = awards_repeated(doc->report, 0);

    const HyReport *reports[] = {doc->report, &many, &none};
    const int thread_counts[] = {1, 2, 3, 0};
    for (guint r = 0; r < G_N_ELEMENTS(reports); r++) {
        g_autofree char *pretty = hy_emit_json(&doc->source, reports[r], TRUE);
        g_autofree char *compact = hy_emit_json(&doc->source, reports[r], FALSE);
        g_autofree char *lines = hy_emit_jsonl(&doc->source, reports[r]);
        if (reports[r] == &many) assert_true(strlen(pretty) > 16 * 64 * 1024);
        for (guint t = 0; t < G_N_ELEMENTS(thread_counts); t++) {
            g_autofree char *p = streamed(&doc->source, reports[r], FALSE, TRUE, thread_counts[t]);
            g_autofree char *c = streamed(&doc->source, reports[r], FALSE, FALSE, thread_counts[t]);
            g_autofree char *l = streamed(&doc->source, reports[r], TRUE, FALSE, thread_counts[t]);
            hy_assert_str(p, pretty);
            hy_assert_str(c, compact);
            hy_assert_str(l, lines);
        }
    }
    g_ptr_array_unref(many.awards);
    g_ptr_array_unref(none.awards);
}

/* A stream that cannot take the bytes: HY_EMIT_ERROR_WRITE with the system's reason. */
static void test_emit_to_stream_reports_a_failed_write(void **state)
{
    (void)state;
    FILE *full = fopen("/dev/full", "w");
    if (full == NULL) {
        skip(); /* no /dev/full on this system */
        return;
    }
    g_autoptr(HyEmitDocument) doc = read_excerpt_golden();
    g_autoptr(GError) error = NULL;
    assert_false(hy_emit_json_to_stream(full, &doc->source, doc->report, TRUE, 1, &error));
    assert_true(g_error_matches(error, HY_EMIT_ERROR, HY_EMIT_ERROR_WRITE));
    assert_non_null(strstr(error->message, "write failed: "));
    g_clear_error(&error);
    assert_false(hy_emit_jsonl_to_stream(full, &doc->source, doc->report, 2, &error));
    assert_true(g_error_matches(error, HY_EMIT_ERROR, HY_EMIT_ERROR_WRITE));
    fclose(full);
}

/* json-glib's generator on the tree json-glib parses from @ours: what json-glib itself
 * writes for the same values. */
static char *regenerated_by_json_glib(const char *ours, gboolean pretty)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) error = NULL;
    assert_true(json_parser_load_from_data(parser, ours, -1, &error));
    g_autoptr(JsonGenerator) generator = json_generator_new();
    json_generator_set_pretty(generator, pretty);
    json_generator_set_indent(generator, 2);
    json_generator_set_root(generator, json_parser_get_root(parser));
    g_autofree char *text = json_generator_to_data(generator, NULL);
    return g_strconcat(text, "\n", NULL);
}

/* The writer is byte for byte json-glib's generator: every golden in both layouts, and
 * every ASCII character and some awkward UTF-8 in a string. U+001F is the one
 * deliberate difference (json-glib writes it raw, which is not JSON). */
static void test_emit_writes_what_json_glib_writes(void **state)
{
    (void)state;
    g_autoptr(GPtrArray) goldens = g_ptr_array_new_with_free_func(g_free);
    collect_goldens(HY_FIXTURES, goldens);
    assert_true(goldens->len >= 20);
    for (guint i = 0; i < goldens->len; i++) {
        g_autofree char *golden = NULL;
        assert_true(g_file_get_contents(g_ptr_array_index(goldens, i), &golden, NULL, NULL));
        g_autoptr(HyEmitDocument) doc = hy_emit_read_json(golden, -1, NULL);
        assert_non_null(doc);
        for (int filled = 0; filled <= 1; filled++) {
            if (filled) fill_release_members(doc->report); /* date, listed awardees, categories */
            for (int pretty = 0; pretty <= 1; pretty++) {
                g_autofree char *ours = hy_emit_json(&doc->source, doc->report, pretty);
                g_autofree char *theirs = regenerated_by_json_glib(ours, pretty);
                hy_assert_str(ours, theirs);
            }
        }
    }

    HyReport *report = example_report();
    HyAward *award = g_ptr_array_index(report->awards, 0);
    g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func(g_free);
    for (int c = 1; c < 0x80; c++)
        if (c != 0x1f) g_ptr_array_add(strings, g_strdup_printf("a%cb\"%c\\", c, c));
    const char *utf8[] = {"全角　スペース", "é\u2028\u2029", "\uFFFF\uF0B2", "\U0001F600", "", "\\u0041"};
    for (guint i = 0; i < G_N_ELEMENTS(utf8); i++) g_ptr_array_add(strings, g_strdup(utf8[i]));
    for (guint i = 0; i < strings->len; i++) {
        g_ptr_array_add(award->evaluations, g_ptr_array_index(strings, i));
        g_ptr_array_add(report->listed_awardees, g_ptr_array_index(strings, i));
    }
    award->category = g_ptr_array_index(strings, 32); /* the quote's: a"b""\ */
    for (int pretty = 0; pretty <= 1; pretty++) {
        g_autofree char *ours = hy_emit_json(&source, report, pretty);
        g_autofree char *theirs = regenerated_by_json_glib(ours, pretty);
        hy_assert_str(ours, theirs);
    }
    g_ptr_array_set_size(award->evaluations, 0);
    g_ptr_array_set_size(report->listed_awardees, 0);
    award->category = NULL;
    g_ptr_array_add(award->evaluations, "unit\x1fseparator");
    g_autofree char *ours = hy_emit_json(&source, report, FALSE);
    assert_non_null(strstr(ours, "\"unit\\u001fseparator\""));
    g_autoptr(HyEmitDocument) back = hy_emit_read_json(ours, -1, NULL);
    assert_non_null(back);
    const HyAward *read = g_ptr_array_index(back->report->awards, 0);
    hy_assert_str(g_ptr_array_index(read->evaluations, 0), "unit\x1fseparator");
    example_free(report);
}

static void test_emit_read_json_example_fields(void **state)
{
    (void)state;
    HyReport *report = example_report();
    g_autofree char *json = hy_emit_json(&source, report, FALSE);
    example_free(report);
    g_autoptr(GError) error = NULL;
    g_autoptr(HyEmitDocument) doc = hy_emit_read_json(json, -1, &error);
    hy_assert_no_error(error);
    hy_assert_str(doc->source.path, "fixtures/pdf/award-2019.pdf");
    hy_assert_str(doc->source.sha256, "ab12");
    hy_assert_str(doc->source.format, "pdf");
    assert_int_equal(doc->source.pages, 3);
    assert_int_equal(doc->report->year, 2019);
    hy_assert_str(doc->report->date, "2019-05-29");
    assert_int_equal(doc->report->listed_awardees->len, 2);
    hy_assert_str(g_ptr_array_index(doc->report->listed_awardees, 0), "富山県");
    assert_int_equal(doc->report->awards->len, 1);
    const HyAward *award = g_ptr_array_index(doc->report->awards, 0);
    hy_assert_str(award->category, "総務大臣賞");
    assert_int_equal(award->awardee.kind, HY_KIND_PREFECTURE);
    hy_assert_str(award->contact.tel, "076-444-3158");
    assert_null(award->contact.fax);
    hy_assert_str(((const HyPartner *)g_ptr_array_index(award->partners, 0))->country_code, "CN");
    assert_int_equal(g_array_index(award->pages, int, 0), 1);
}

/* What is not a v1 document is HY_EMIT_ERROR_PARSE, naming the member at fault. */
static void test_emit_read_json_rejects_what_is_not_v1(void **state)
{
    (void)state;
    HyReport *report = example_report();
    g_autofree char *good = hy_emit_json(&source, report, FALSE);
    example_free(report);
    struct {
        const char *from, *to, *message;
    } cases[] = {
        {"\"schema_version\":1", "\"schema_version\":2", "schema_version 2"},
        {"\"tel\":\"076-444-3158\"", "\"tel\":3158", "awards[0].contact.tel: expected a string or null"},
        {"\"kind\":\"prefecture\"", "\"kind\":\"county\"", "awards[0].awardee.kind: expected"},
        {"\"pages\":3,", "", "source.pages: missing"},
        {"\"pages\":[1]", "\"pages\":[\"1\"]", "awards[0].pages[0]: expected an integer"},
        {"\"inferred\":false", "\"inferred\":null", "awards[0].awardee.inferred: expected true or false"},
        {"\"date\":\"2019-05-29\"", "\"date\":\"2019/05/29\"", "source.date: expected a date YYYY-MM-DD or null"},
        {"\"date\":\"2019-05-29\"", "\"date\":20190529", "source.date: expected a string or null"},
        {"\"listed_awardees\":[\"富山県\"", "\"listed_awardees\":[null", "source.listed_awardees[0]: expected a string"},
        {"\"listed_awardees\":[", "\"listed_awardees\":\"富山県\",\"x\":[", "source.listed_awardees: expected an array"},
        {"\"category\":\"総務大臣賞\"", "\"category\":[]", "awards[0].category: expected a string or null"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GString) bad = g_string_new(good);
        assert_true(g_string_replace(bad, cases[i].from, cases[i].to, 1) == 1);
        g_autoptr(GError) error = NULL;
        g_autoptr(HyEmitDocument) doc = hy_emit_read_json(bad->str, (gssize)bad->len, &error);
        assert_null(doc);
        hy_assert_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_PARSE);
        if (strstr(error->message, cases[i].message) == NULL)
            fail_msg("case %u: expected \"%s\" in \"%s\"", i, cases[i].message, error->message);
    }
    g_autoptr(GError) error = NULL;
    assert_null(hy_emit_read_json("{\"schema_version\":1,", -1, &error));
    hy_assert_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_PARSE);
    g_clear_error(&error);
    assert_null(hy_emit_read_json("[]", -1, &error));
    hy_assert_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_PARSE);
}

/* Outputs written one after another (batch -o): a new file and a replaced one hold
 * exactly the bytes, no temporary file stays beside them, a folder that is not there is
 * an error; then they are flushed as a group, where a file that is not there is an error
 * naming it. */
static void test_emit_write_new_file_and_sync(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    g_autofree char *folder = g_dir_make_tmp("hy-emit-XXXXXX", &error);
    hy_assert_no_error(error);
    g_autofree char *path = g_build_filename(folder, "x.json", NULL);
    for (int round = 0; round < 2; round++) { /* new, then replaced */
        const char *data = round == 0 ? "{\"first\": 1}\n" : "{}\n";
        assert_true(hy_emit_write_new_file(path, data, strlen(data), &error));
        hy_assert_no_error(error);
        g_autofree char *got = NULL;
        assert_true(g_file_get_contents(path, &got, NULL, NULL));
        hy_assert_str(got, data);
    }
    g_autoptr(GDir) dir = g_dir_open(folder, 0, NULL);
    int n_files = 0;
    while (g_dir_read_name(dir) != NULL) n_files++;
    assert_int_equal(n_files, 1);
    g_autoptr(GPtrArray) written = g_ptr_array_new();
    g_ptr_array_add(written, path);
    assert_true(hy_emit_sync_files(written, &error));
    hy_assert_no_error(error);

    g_autofree char *missing = g_build_filename(folder, "no", "x.json", NULL);
    assert_false(hy_emit_write_new_file(missing, "{}", 2, &error));
    assert_true(g_error_matches(error, HY_EMIT_ERROR, HY_EMIT_ERROR_WRITE));
    hy_assert_str(error->message, "cannot write it: its folder does not exist");
    g_clear_error(&error);
    g_ptr_array_add(written, missing);
    assert_false(hy_emit_sync_files(written, &error));
    assert_true(g_error_matches(error, HY_EMIT_ERROR, HY_EMIT_ERROR_WRITE));
    assert_non_null(strstr(error->message, missing));

    g_remove(path);
    g_rmdir(folder);
}

static void test_emit_format_for_path_reads_the_extension(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        gboolean named;
        HyEmitFormat format;
    } cases[] = {
        {"a.json", TRUE, HY_EMIT_FORMAT_JSON},     {"out/A.JSONL", TRUE, HY_EMIT_FORMAT_JSONL},
        {"x.ndjson", TRUE, HY_EMIT_FORMAT_JSONL},  {"awards.db", TRUE, HY_EMIT_FORMAT_SQLITE},
        {"a.Sqlite", TRUE, HY_EMIT_FORMAT_SQLITE}, {"a.sqlite3", TRUE, HY_EMIT_FORMAT_SQLITE},
        {"report.txt", FALSE, 0},                  {"out.db/report", FALSE, 0},
        {"noextension", FALSE, 0},                 {"awards.CSV", TRUE, HY_EMIT_FORMAT_CSV},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        HyEmitFormat format = HY_EMIT_FORMAT_JSON;
        assert_int_equal(hy_emit_format_for_path(cases[i].path, &format), cases[i].named);
        if (cases[i].named) assert_int_equal(format, cases[i].format);
    }
}

/* ---- CSV ------------------------------------------------------------------------ */

#define CSV_HEADER                                                                                            \
    "source.path,source.sha256,source.year,source.edition,source.date,index,category,awardee.name,"           \
    "awardee.kind,awardee.prefecture,awardee.lg_code,awardee.inferred,partners.name,partners.country,"        \
    "partners.country_code,evaluations,captions,contact.department,contact.postal_code,contact.address,"      \
    "contact.tel,contact.fax,contact.email,contact.url,pages,warnings"

/* RFC 4180: a value with a comma, a quote, CR or LF is quoted and its quotes doubled; NULL
 * and an empty list are empty cells; partners' members line up, a missing country an
 * empty item; sentences one a line. --excel: BOM, CRLF after each row (not inside a
 * value), a string of digits alone as ="…". */
static void test_emit_csv_quotes_lists_and_excel(void **state)
{
    (void)state;
    HyReport *report = example_report();
    HyAward *award = g_ptr_array_index(report->awards, 0);
    award->awardee.lg_code = "011002";
    static HyPartner boston = {.name = "ボストン市"};
    g_ptr_array_add(award->partners, &boston);
    g_ptr_array_add(award->evaluations, "He said \"yes, we can\".\r\nNext line");
    g_ptr_array_add(award->captions, "a\nb");
    g_ptr_array_add(award->captions, "c");
    int page = 2;
    g_array_append_val(award->pages, page);
    g_ptr_array_add(award->warnings, "w1");
    g_ptr_array_add(award->warnings, "w2");
    award->contact.fax = "0762223333";

    static const char row[] =
        "fixtures/pdf/award-2019.pdf,ab12,2019,14,2019-05-29,0,総務大臣賞,富山県,prefecture,富山県,%s,false,"
        "遼寧省;ボストン市,中華人民共和国;,CN;,\"35年間地道に交流活動を継続して「信頼」を築いた。\n"
        "He said \"\"yes, we can\"\".\r\nNext line\",\"a\nb\nc\",富山県総合政策局国際課,930-8501,,076-444-3158,"
        "%s,,,1;2,\"w1\nw2\"%s";
    g_autofree char *plain_row = g_strdup_printf(row, "011002", "0762223333", "\n");
    g_autofree char *excel_row = g_strdup_printf(row, "\"=\"\"011002\"\"\"", "\"=\"\"0762223333\"\"\"", "\r\n");

    g_autofree char *plain = hy_emit_csv(&source, report, &(HyCsvOptions){0});
    g_autofree char *expected = g_strconcat(CSV_HEADER "\n", plain_row, NULL);
    hy_assert_str(plain, expected);
    g_autofree char *rows = hy_emit_csv_rows(&source, report, &(HyCsvOptions){0});
    hy_assert_str(rows, plain_row);

    g_autofree char *excel = hy_emit_csv(&source, report, &(HyCsvOptions){.excel = TRUE});
    g_autofree char *expected_excel = g_strconcat("\xEF\xBB\xBF" CSV_HEADER "\r\n", excel_row, NULL);
    hy_assert_str(excel, expected_excel);

    /* Text that starts as a formula does is shown as text in a spreadsheet, never run: a
     * formula ="..." (quotes doubled), or an apostrophe when too long or on several lines. */
    award->contact.url = "=HYPERLINK(\"http://x\")";
    award->contact.tel = "+81-76-444-3158";
    GPtrArray *captions = award->captions;
    award->captions = g_ptr_array_new();
    g_ptr_array_add(award->captions, "@cmd");
    g_ptr_array_add(award->captions, "x");
    g_autofree char *guarded = hy_emit_csv_rows(&source, report, &(HyCsvOptions){.excel = TRUE});
    assert_non_null(strstr(guarded, ",\"=\"\"+81-76-444-3158\"\"\","));
    assert_non_null(strstr(guarded, ",\"=\"\"=HYPERLINK(\"\"\"\"http://x\"\"\"\")\"\"\","));
    assert_non_null(strstr(guarded, ",\"'@cmd\nx\","));
    g_autofree char *unguarded = hy_emit_csv_rows(&source, report, &(HyCsvOptions){0});
    assert_non_null(strstr(unguarded, ",+81-76-444-3158,"));
    award->contact.url = NULL;
    award->contact.tel = "076-444-3158";
    g_ptr_array_unref(award->captions);
    award->captions = captions;

    /* Unknown year, edition and date are empty, as the JSON's nulls; no awards, no rows. */
    report->year = report->edition = 0;
    g_clear_pointer(&report->date, g_free);
    award->category = NULL;
    g_autofree char *unknown = hy_emit_csv_rows(&source, report, &(HyCsvOptions){0});
    assert_true(g_str_has_prefix(unknown, "fixtures/pdf/award-2019.pdf,ab12,,,,0,,富山県,"));
    HyReport none = *report;
    none.awards = g_ptr_array_new();
    g_autofree char *no_rows = hy_emit_csv_rows(&source, &none, &(HyCsvOptions){0});
    hy_assert_str(no_rows, "");
    g_ptr_array_unref(none.awards);
    example_free(report);
}

/* The Japanese header names every column, the contact fields included (a field added to
 * hy_contact_fields needs its name in emit_csv.c); and a CSV streamed is the same bytes. */
static void test_emit_csv_header_ja_and_stream(void **state)
{
    (void)state;
    g_autofree char *json = hy_emit_csv_header(&(HyCsvOptions){0});
    g_autofree char *ja = hy_emit_csv_header(&(HyCsvOptions){.header = HY_CSV_HEADER_JA});
    hy_assert_str(json, CSV_HEADER "\n");
    g_auto(GStrv) json_names = g_strsplit(g_strchomp(json), ",", -1);
    g_auto(GStrv) ja_names = g_strsplit(g_strchomp(ja), ",", -1);
    assert_int_equal(g_strv_length(ja_names), g_strv_length(json_names));
    for (guint i = 0; ja_names[i] != NULL; i++) {
        assert_null(strchr(ja_names[i], '.')); /* no JSON path left */
        for (guint j = 0; j < i; j++) assert_string_not_equal(ja_names[i], ja_names[j]);
    }
    hy_assert_str(ja_names[10], "全国地方公共団体コード");
    HyCsvHeader style = HY_CSV_HEADER_JSON;
    assert_true(hy_emit_csv_header_parse("ja", &style));
    assert_int_equal(style, HY_CSV_HEADER_JA);
    assert_false(hy_emit_csv_header_parse("en", &style));

    g_autoptr(HyEmitDocument) doc = read_excerpt_golden();
    HyReport many = *doc->report;
    many.awards = awards_repeated(doc->report, 300);
    const HyCsvOptions options = {.excel = TRUE};
    g_autofree char *whole = hy_emit_csv(&doc->source, &many, &options);
    assert_true(strlen(whole) > 2 * 64 * 1024);
    char *bytes = NULL;
    size_t size = 0;
    FILE *stream = open_memstream(&bytes, &size);
    assert_non_null(stream);
    g_autoptr(GError) error = NULL;
    assert_true(hy_emit_csv_to_stream(stream, &doc->source, &many, &options, &error));
    hy_assert_no_error(error);
    assert_int_equal(fclose(stream), 0);
    hy_assert_str(bytes, whole);
    free(bytes);
    g_ptr_array_unref(many.awards);
}

/* Every kind of file hy_emit_identify_output() tells apart, made as hyosho makes them. */
static void test_emit_identify_output_tells_hyoshos_files_from_others(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    g_autofree char *folder = g_dir_make_tmp("hy-target-XXXXXX", &error);
    hy_assert_no_error(error);
    HyReport *report = example_report();
    g_autofree char *pretty = hy_emit_json(&source, report, TRUE);
    g_autofree char *compact = hy_emit_json(&source, report, FALSE);
    g_autofree char *lines = hy_emit_jsonl(&source, report);
    g_autofree char *failure = hy_emit_failure_line("a/\xff.pdf", NULL, "damaged PDF");
    g_autofree char *csv = hy_emit_csv(&source, report, &(HyCsvOptions){0});
    g_autofree char *csv_excel_ja =
        hy_emit_csv(&source, report, &(HyCsvOptions){.header = HY_CSV_HEADER_JA, .excel = TRUE});
    hy_assert_str(failure, "{\"path\":\"a/\xef\xbf\xbd.pdf\",\"sha256\":null,\"reason\":\"damaged PDF\"}\n");
    struct {
        const char *name;
        const char *data;
        HyOutputKind kind;
    } files[] = {
        {"pretty.json", pretty, HY_OUTPUT_JSON},   {"compact.json", compact, HY_OUTPUT_JSON},
        {"awards.jsonl", lines, HY_OUTPUT_JSONL},  {"failures.jsonl", failure, HY_OUTPUT_FAILURES},
        {"empty", "", HY_OUTPUT_EMPTY},            {"mine.json", "{\"schema_version\": 1}\n", HY_OUTPUT_OTHER},
        {"notes.db", "notes\n", HY_OUTPUT_OTHER},     {"awards.csv", csv, HY_OUTPUT_CSV},
        {"excel.csv", csv_excel_ja, HY_OUTPUT_CSV}, {"notes.csv", "name,tel\nme,1\n", HY_OUTPUT_OTHER},
    };
    for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
        g_autofree char *path = g_build_filename(folder, files[i].name, NULL);
        assert_true(g_file_set_contents(path, files[i].data, -1, NULL));
        assert_int_equal(hy_emit_identify_output(path, NULL), files[i].kind);
    }
    g_autofree char *database = g_build_filename(folder, "awards.db", NULL);
    HySqlite *db = hy_sqlite_open(database, &error);
    hy_assert_no_error(error);
    hy_sqlite_close(db);
    int schema = 0;
    assert_int_equal(hy_emit_identify_output(database, &schema), HY_OUTPUT_SQLITE);
    assert_true(schema >= 2);
    assert_true(hy_emit_check_output(database, HY_EMIT_FORMAT_SQLITE, FALSE, NULL, &error));
    hy_assert_no_error(error);
    assert_false(hy_emit_check_output(database, HY_EMIT_FORMAT_JSON, FALSE, NULL, &error));
    assert_true(g_error_matches(error, HY_EMIT_ERROR, HY_EMIT_ERROR_EXISTS));
    hy_assert_str(error->message, "exists and is a hyosho database, which JSON would replace");
    g_clear_error(&error);
    assert_true(hy_emit_check_output(database, HY_EMIT_FORMAT_JSON, TRUE, NULL, &error));
    g_autofree char *csv_path = g_build_filename(folder, "awards.csv", NULL);
    assert_true(hy_emit_check_output(csv_path, HY_EMIT_FORMAT_CSV, FALSE, NULL, &error));
    assert_false(hy_emit_check_output(csv_path, HY_EMIT_FORMAT_JSONL, FALSE, NULL, &error));
    hy_assert_str(error->message, "exists and is CSV of hyosho, which JSON Lines would replace");
    g_clear_error(&error);
    assert_int_equal(hy_emit_identify_output(folder, NULL), HY_OUTPUT_FOLDER);
    g_autofree char *absent = g_build_filename(folder, "none", "x.json", NULL);
    assert_int_equal(hy_emit_identify_output(absent, NULL), HY_OUTPUT_ABSENT);
    assert_false(hy_emit_check_output(absent, HY_EMIT_FORMAT_JSON, FALSE, NULL, &error));
    assert_true(g_error_matches(error, HY_EMIT_ERROR, HY_EMIT_ERROR_WRITE));
    assert_non_null(strstr(error->message, "does not exist"));
    g_clear_error(&error);
    assert_int_equal(hy_emit_identify_output("/dev/null", NULL), HY_OUTPUT_STREAM);
    assert_true(hy_emit_check_output("/dev/null", HY_EMIT_FORMAT_JSON, FALSE, NULL, &error));
    assert_false(hy_emit_check_output("/dev/null", HY_EMIT_FORMAT_SQLITE, TRUE, NULL, &error));
    g_clear_error(&error);

    example_free(report);
    g_autoptr(GDir) dir = g_dir_open(folder, 0, NULL);
    for (const char *name; (name = g_dir_read_name(dir)) != NULL;) {
        g_autofree char *path = g_build_filename(folder, name, NULL);
        g_remove(path);
    }
    g_rmdir(folder);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_emit_json_key_order_and_values),
        cmocka_unit_test(test_emit_json_compact_is_one_line_and_nulls_unknown_source),
        cmocka_unit_test(test_emit_path_not_utf8_becomes_valid_json),
        cmocka_unit_test(test_emit_jsonl_one_award_per_line_with_source_and_index),
        cmocka_unit_test(test_emit_read_json_round_trips_every_golden),
        cmocka_unit_test(test_emit_read_json_example_fields),
        cmocka_unit_test(test_emit_read_json_reads_documents_without_the_added_members),
        cmocka_unit_test(test_emit_threads_give_the_same_bytes),
        cmocka_unit_test(test_emit_to_stream_gives_the_same_bytes),
        cmocka_unit_test(test_emit_to_stream_reports_a_failed_write),
        cmocka_unit_test(test_emit_writes_what_json_glib_writes),
        cmocka_unit_test(test_emit_read_json_rejects_what_is_not_v1),
        cmocka_unit_test(test_emit_write_new_file_and_sync),
        cmocka_unit_test(test_emit_format_for_path_reads_the_extension),
        cmocka_unit_test(test_emit_identify_output_tells_hyoshos_files_from_others),
        cmocka_unit_test(test_emit_csv_quotes_lists_and_excel),
        cmocka_unit_test(test_emit_csv_header_ja_and_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
