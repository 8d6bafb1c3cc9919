/* test_emit.c -- unit tests of the emit stage: the v1 document's key order, types and
 * nulls, UTF-8 written as text (not \u escapes), compact form, and JSON Lines. */
#include "hy_test.h"
#include "hy_emit.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* The award of output-v1.md's example, built by hand. */
static HyReport *example_report(void)
{
    HyReport *report = g_new0(HyReport, 1);
    report->title = g_strdup("第14回自治体国際交流表彰(総務大臣賞)受賞団体の概要");
    report->edition = 14;
    report->year = 2019;
    report->awards = g_ptr_array_new();
    report->warnings = g_ptr_array_new_with_free_func(g_free);
    HyAward *award = g_new0(HyAward, 1);
    award->awardee = (HyAwardee){.name = "富山県", .kind = HY_KIND_PREFECTURE, .prefecture = "富山県",
                                 .lg_code = "160008"};
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
                          "\"title\"", "\"edition\"", "\"year\"", "\"awards\"", "\"awardee\"", "\"name\"",
                          "\"kind\"", "\"prefecture\"", "\"lg_code\"", "\"inferred\"", "\"partners\"",
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
    JsonObject *award = json_array_get_object_element(json_object_get_array_member(root, "awards"), 0);
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
    g_autofree char *json = hy_emit_json(&source, report, FALSE);
    example_free(report);
    assert_ptr_equal(strchr(json, '\n'), json + strlen(json) - 1); /* one line */
    assert_non_null(strstr(json, "\"title\":null,\"edition\":null,\"year\":null"));
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
        hy_assert_str(json_object_get_string_member(json_object_get_object_member(o, "source"), "sha256"), "ab12");
        hy_assert_str(json_object_get_string_member(json_object_get_object_member(o, "awardee"), "name"), "富山県");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_emit_json_key_order_and_values),
        cmocka_unit_test(test_emit_json_compact_is_one_line_and_nulls_unknown_source),
        cmocka_unit_test(test_emit_jsonl_one_award_per_line_with_source_and_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
