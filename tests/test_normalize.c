/* test_normalize.c -- the normalize stage: each rule of output-v1.md "Text
 * normalization" on the cases the 2019 sample (fixtures/text/award-2019-excerpt.txt)
 * actually contains, plus joining, regions and Japanese-calendar years. */
#include "hy_test.h"

#include "hy_normalize.h"

/* normalizes @in, which must succeed, and compares with @expected */
static void check_text(const char *in, const char *expected)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *got = hy_normalize_text(in, -1, &error);
    hy_assert_no_error(error);
    hy_assert_str(got, expected);
}

static void test_normalize_nfkc_fullwidth_ascii(void **state)
{
    (void)state;
    check_text("ＡＢＣ１２３", "ABC123");
    check_text("富山県（交流先：遼寧省（中華人民共和国））", "富山県(交流先:遼寧省(中華人民共和国))");
    check_text("ａｋｏｋｕｓａｉ＠ｐｒｅｆ．ｔｏｙａｍａ．ｌｇ．ｊｐ", "akokusai@pref.toyama.lg.jp");
}

static void test_normalize_nfkc_halfwidth_katakana(void **state)
{
    (void)state;
    check_text("ｶﾀｶﾅ", "カタカナ");
    check_text("ﾊﾟﾋﾟﾌﾟ", "パピプ"); /* half-width voiced marks compose */
}

static void test_normalize_nfkc_symbols(void **state)
{
    (void)state;
    /* STYLE.md section 4: rules see ① as 1, ㈱ as (株), ～ as ~ (at a line's start ①
     * is a numbered item's mark and becomes "(1)": see the circled-number test) */
    check_text("番号①", "番号1");
    check_text("㈱富山", "(株)富山");
    check_text("10～12", "10~12");
}

static void test_normalize_ideographic_space(void **state)
{
    (void)state;
    check_text("富山県\u3000総合政策局", "富山県総合政策局");
    check_text("Toyama\u3000Prefecture", "Toyama Prefecture");
}

static void test_normalize_space_digit_japanese(void **state)
{
    (void)state;
    check_text("35 年間地道に交流活動", "35年間地道に交流活動");
    check_text("富山県富山市新総曲輪 1番 7号 ", "富山県富山市新総曲輪1番7号");
    check_text("  約 9.5 万人の小さな都市が", "約9.5万人の小さな都市が");
    check_text("記念事業では 30以上の団体", "記念事業では30以上の団体");
}

static void test_normalize_space_around_symbols(void **state)
{
    (void)state;
    check_text(" 住所：〒930-8501 富山県", "住所:〒930-8501富山県");
    check_text("住所: 〒930", "住所:〒930");
    check_text("「人材育成」 と 「ライフサイエンス」", "「人材育成」と「ライフサイエンス」");
}

static void test_normalize_space_latin_runs(void **state)
{
    (void)state;
    check_text("URL   ：http://www.pref.toyama.jp/ ", "URL :http://www.pref.toyama.jp/");
    check_text(" 電話：076-444-3158     FAX：076-444-9612 ", "電話:076-444-3158 FAX:076-444-9612");
    check_text("E-mail: akokusai@pref.toyama.lg.jp ", "E-mail: akokusai@pref.toyama.lg.jp");
    check_text("a\tb\r\nc", "a b c");
}

static void test_normalize_blank_only(void **state)
{
    (void)state;
    check_text("", "");
    check_text(" ", "");
    check_text(" \u3000\t ", "");
}

static void test_normalize_bullet_kept(void **state)
{
    (void)state;
    check_text(" \uF0B2 35 年間", "\uF0B2 35年間");
    check_text("\uF0B2 両県省にお互いの", "\uF0B2両県省にお互いの");
}

static void test_normalize_private_use_inside_line(void **state)
{
    (void)state;
    /* SymbolMT puts + and = at U+F02B and U+F03D: content, kept as it is */
    check_text("a \uF02B b \uF03D c", "a \uF02B b \uF03D c");
    check_text("交流\uF0B2促進", "交流\uF0B2促進");
}

static void test_normalize_dash_between_digits(void **state)
{
    (void)state;
    check_text("076ー444ー3158", "076-444-3158");
    check_text("076−444−3158", "076-444-3158");
    check_text("076‐444–3158", "076-444-3158");
    check_text("076—444―3158", "076-444-3158");
    check_text("０７６－４４４－３１５８", "076-444-3158");
    check_text("076ｰ444", "076-444");
    check_text("076 − 444", "076-444");
    check_text("〒930 ー 8501", "〒930-8501");
}

static void test_normalize_dash_elsewhere_kept(void **state)
{
    (void)state;
    check_text("ライフサイエンス", "ライフサイエンス"); /* ー between kana stays */
    check_text("テーマ", "テーマ");
    check_text("−5", "−5");
    check_text("10〜12", "10〜12"); /* a wave dash is a range, not a hyphen */
}

static void test_normalize_invalid_utf8(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    g_autofree char *got = hy_normalize_text("ab\xff\xfe", -1, &error);
    assert_null(got);
    hy_assert_error(error, HY_NORMALIZE_ERROR, HY_NORMALIZE_ERROR_INPUT);

    g_autoptr(GError) error2 = NULL;
    g_autofree char *got2 = hy_normalize_text("\xe5\xaf", 2, &error2); /* truncated 富 */
    assert_null(got2);
    hy_assert_error(error2, HY_NORMALIZE_ERROR, HY_NORMALIZE_ERROR_INPUT);
}

static void test_normalize_control_characters(void **state)
{
    (void)state;
    /* hy_normalize.h, rule 0: Cc goes (C0, DEL, C1), the Cc that are White_Space are
     * spaces, Cf stays; also on the path a leading circled number takes */
    check_text("a\x07" "b\x7f" "c\xc2\x80" "d\xc2\x9f", "abcd");
    check_text("a \x01 b", "a b");
    check_text("a\x0b" "b\xc2\x85" "c", "a b c");
    check_text("\x01\x02", "");
    check_text("a\u200Bb\u00ADc", "a\u200Bb\u00ADc");
    check_text("\u2460\x07" "交流", "(1)交流");
    check_text("\u2460 a\x01" "b", "(1) ab");

    g_autoptr(GError) error = NULL;
    g_autofree char *got = hy_normalize_text("a\0b", 3, &error);
    assert_null(got);
    hy_assert_error(error, HY_NORMALIZE_ERROR, HY_NORMALIZE_ERROR_INPUT);
}

static void test_normalize_explicit_length(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    g_autofree char *got = hy_normalize_text("35 年間XYZ", 9, &error);
    hy_assert_no_error(error);
    hy_assert_str(got, "35年間");
}

static void test_normalize_line_indent(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    g_autoptr(HyLine) line = hy_line_new(2, 7, "\t\u3000 \uF0B2 35 年間 ", -1);
    assert_true(hy_normalize_line(line, &error));
    hy_assert_no_error(error);
    hy_assert_str(line->text, "\uF0B2 35年間");
    assert_int_equal(line->indent, 4); /* tab 1 + U+3000 2 + space 1 */
    assert_int_equal(line->page, 2);
    assert_int_equal(line->number, 7);
    hy_assert_str(line->raw, "\t\u3000 \uF0B2 35 年間 ");

    g_autoptr(HyLine) blank = hy_line_new(1, 1, "   xyz", 3);
    assert_true(hy_normalize_line(blank, &error));
    hy_assert_str(blank->text, "");
    assert_int_equal(blank->indent, 3);

    g_autoptr(HyLine) bad = hy_line_new(1, 1, "\xc3", -1);
    assert_false(hy_normalize_line(bad, &error));
    hy_assert_error(error, HY_NORMALIZE_ERROR, HY_NORMALIZE_ERROR_INPUT);
    assert_null(bad->text);
}

static void check_join(const char *head, const char *tail, const char *expected)
{
    g_autofree char *got = hy_normalize_join(head, tail);
    hy_assert_str(got, expected);
}

static void test_normalize_join(void **state)
{
    (void)state;
    check_join("現在では活動分野が多方面・他分野にわたって広がっている点が", "評価できる。",
               "現在では活動分野が多方面・他分野にわたって広がっている点が評価できる。");
    check_join("富山県と遼寧省との", "交流と協力の深化に関する覚書締結",
               "富山県と遼寧省との交流と協力の深化に関する覚書締結");
    check_join("Sister city", "exchange", "Sister city exchange");
    check_join("Kyoto,", "Boston", "Kyoto, Boston");
    check_join("founded in", "1959", "founded in 1959");
    check_join("交流", "Boston", "交流Boston");
    check_join("Boston", "市", "Boston市");
    check_join("co-", "operation", "co-operation");
    check_join("", "abc", "abc");
    check_join("abc", "", "abc");
}

static void test_normalize_join_wrapped_url(void **state)
{
    (void)state;
    check_join("URL :https://www.city.satsumasendai.lg.jp/www/", "index.html",
               "URL :https://www.city.satsumasendai.lg.jp/www/index.html");
    check_join("E-mail: global@city.", "satsumasendai.lg.jp", "E-mail: global@city.satsumasendai.lg.jp");
    check_join("URL :http://www.pref.", "toyama.jp/", "URL :http://www.pref.toyama.jp/");
}

static void test_normalize_is_japanese(void **state)
{
    (void)state;
    const char *japanese = "漢字ひらがなカタカナ「」、。・ー々〒㈱ｶＡ";
    for (const char *p = japanese; *p; p = g_utf8_next_char(p))
        if (!hy_normalize_is_japanese(g_utf8_get_char(p)))
            fail_msg("U+%04X should be Japanese", g_utf8_get_char(p));
    const char *other = "Aa1 :-@()\uF0B2é●";
    for (const char *p = other; *p; p = g_utf8_next_char(p))
        if (hy_normalize_is_japanese(g_utf8_get_char(p)))
            fail_msg("U+%04X should not be Japanese", g_utf8_get_char(p));
    assert_true(hy_normalize_is_japanese(0x20000)); /* CJK extension B */
}

static void test_normalize_number_dashes(void **state)
{
    (void)state;
    g_autofree char *a = hy_normalize_number_dashes("076ー444ー3158");
    hy_assert_str(a, "076-444-3158");
    g_autofree char *b = hy_normalize_number_dashes(" 930 − 8501 ");
    hy_assert_str(b, "930-8501");
    g_autofree char *c = hy_normalize_number_dashes("０７６－４４４‐３１５８");
    hy_assert_str(c, "076-444-3158");
    g_autofree char *d = hy_normalize_number_dashes("0996—23―5111");
    hy_assert_str(d, "0996-23-5111");
}

static void test_normalize_region_codes(void **state)
{
    (void)state;
    hy_assert_str(hy_normalize_region_code("中国"), "CN");
    hy_assert_str(hy_normalize_region_code("アメリカ合衆国"), "US");
    hy_assert_str(hy_normalize_region_code("韓国"), "KR");
    hy_assert_str(hy_normalize_region_code("ロシア"), "RU");
    assert_null(hy_normalize_region_code("富山県"));
    assert_null(hy_normalize_region_code(""));

    GHashTable *names = hy_normalize_region_names();
    assert_non_null(names);
    assert_true(g_hash_table_size(names) > 200);
    hy_assert_str(g_hash_table_lookup(names, "中国"), "CN");
    assert_ptr_equal(names, hy_normalize_region_names()); /* built once */
}

static void test_normalize_era_to_gregorian(void **state)
{
    (void)state;
    assert_int_equal(hy_normalize_era_to_gregorian("令和", 1), 2019);
    assert_int_equal(hy_normalize_era_to_gregorian("令和", 5), 2023);
    assert_int_equal(hy_normalize_era_to_gregorian("平成", 30), 2018);
    assert_int_equal(hy_normalize_era_to_gregorian("平成", 31), 2019);
    assert_int_equal(hy_normalize_era_to_gregorian("平成", 20), 2008);
    assert_int_equal(hy_normalize_era_to_gregorian("平成", 1), 1989);
    assert_int_equal(hy_normalize_era_to_gregorian("昭和", 64), 1989);
    assert_int_equal(hy_normalize_era_to_gregorian("明治", 1), 1868);
    assert_int_equal(hy_normalize_era_to_gregorian("㍻", 30), 2018);
    assert_int_equal(hy_normalize_era_to_gregorian("西暦", 1), 0);
    assert_int_equal(hy_normalize_era_to_gregorian("", 1), 0);
    assert_int_equal(hy_normalize_era_to_gregorian("令和", 0), 0);
}

static gpointer era_thread(gpointer unused)
{
    (void)unused;
    int ok = 0;
    for (int i = 0; i < 50; i++)
        ok += hy_normalize_era_to_gregorian("令和", 1) == 2019 && g_strcmp0(hy_normalize_region_code("中国"), "CN") == 0;
    return GINT_TO_POINTER(ok);
}

static void test_normalize_tables_thread_safe(void **state)
{
    (void)state;
    GThread *threads[4];
    for (int i = 0; i < 4; i++)
        threads[i] = g_thread_new("era", era_thread, NULL);
    for (int i = 0; i < 4; i++)
        assert_int_equal(GPOINTER_TO_INT(g_thread_join(threads[i])), 50);
}

static void test_normalize_leading_circled_number_stays_apart(void **state)
{
    (void)state;
    const char *cases[][2] = {
        {"①交流が続いている。", "(1)交流が続いている。"}, /* NFKC alone would give 1交流 */
        {"  ⑳ 市民の参加", "(20)市民の参加"},
        {"交流①", "交流1"}, /* inside a line: plain NFKC */
        {"⑴ paren", "(1) paren"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *got = hy_normalize_text(cases[i][0], -1, NULL);
        hy_assert_str(got, cases[i][1]);
    }
}

static void test_normalize_letter_spaced_runs(void **state)
{
    (void)state;
    /* MuPDF, PyMuPDF and pdfminer on letter-spaced text: one space between glyphs,
     * two or more where the text had one */
    check_text("電 話 ： 0 7 6 - 4 4 4 - 3 1 5 8   F A X ： 0 7 6 - 4 4 4 - 9 6 1 2",
               "電話:076-444-3158 FAX:076-444-9612");
    check_text("E - m a i l :  a k o k u s a i @ p r e f . t o y a m a . l g . j p",
               "E-mail: akokusai@pref.toyama.lg.jp");
    check_text("\uF0B2  3 5 年 間 地 道 に", "\uF0B2 35年間地道に");
    check_text("記 念 事 業 で は 3 0 以 上", "記念事業では30以上");
    /* kerning drew the full stop against the letter before it */
    check_text("E - m a i l :  k o k u s a i @ c i t y. k y o t o . l g . j p", "E-mail: kokusai@city.kyoto.lg.jp");
    /* too short, or no two letters side by side: written apart on purpose */
    check_text("- 1 -", "- 1 -");
    check_text("F A X", "F A X");
    check_text("a + b = c", "a + b = c");
    check_text("35 年間", "35年間");
}

static void test_normalize_spaced_phone_numbers(void **state)
{
    (void)state;
    /* narrow digits on a wider grid: pdftotext and MuPDF put spaces around them */
    check_text("電話:0880-82-1 1 1 3", "電話:0880-82-1113");
    check_text("電話 0 1 1-2 1 1-1 1 1 1 FAX 011-211-1112", "電話011-211-1111 FAX 011-211-1112");
    check_text("TEL:090-1 234-5678", "TEL:090-1234-5678");
    /* two numbers written apart stay two: the last group has its four digits */
    check_text("電話:0880-82-1113 FAX:0880-82-1114", "電話:0880-82-1113 FAX:0880-82-1114");
    check_text("0880-82-1113 0880-82-1114", "0880-82-1113 0880-82-1114");
    check_text("076-444-3158 1階", "076-444-3158 1階");
    /* not a phone number: too few digits, or no leading 0 */
    check_text("03-12-3 4", "03-12-3 4");
    check_text("2019-20-1 1 1 3", "2019-20-1 1 1 3");
    check_text("TEL 03 1234 5678", "TEL 03 1234 5678");
}

static void test_normalize_spaced_postal_codes(void **state)
{
    (void)state;
    check_text("住所:〒939-1 398 富山県南砺市", "住所:〒939-1398富山県南砺市");
    check_text("〒 93 9-13 98", "〒939-1398");
    check_text("〒930-8501 富山県", "〒930-8501富山県");
    /* only after 〒, and only a whole code */
    check_text("939-1 398", "939-1 398");
    check_text("〒939-1 39877", "〒939-1 39877");
}

static void test_normalize_spaced_urls_and_email(void **state)
{
    (void)state;
    check_text("URL:https:/ / www.city.kyoto.lg.jp/", "URL:https://www.city.kyoto.lg.jp/");
    check_text("URL：http ://www. pref.toyama.jp /index.html", "URL:http://www.pref.toyama.jp/index.html");
    check_text("E-mail: akokusai@pref. toyama.lg.jp", "E-mail: akokusai@pref.toyama.lg.jp");
    check_text("E-mail: akokusai @ pref.toyama.lg.jp", "E-mail: akokusai@pref.toyama.lg.jp");
    /* what follows an address on the same line stays apart */
    check_text("URL:http://www.pref.toyama.jp/ E-mail: a@b.jp", "URL:http://www.pref.toyama.jp/ E-mail: a@b.jp");
    check_text("http://a.jp/ 詳しくは", "http://a.jp/詳しくは");
    check_text("see http or https for details", "see http or https for details");
}

static void test_normalize_radical_code_points(void **state)
{
    (void)state;
    /* Chromium's PDFs: 民 and 長 written with CJK Radicals Supplement code points */
    check_text("中華人\u2EA0共和国", "中華人民共和国");
    check_text("\u2ED1崎県", "長崎県");
    check_text("\u2E85", "\u2E85"); /* a radical form of no character of its own stays */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize_leading_circled_number_stays_apart),
        cmocka_unit_test(test_normalize_nfkc_fullwidth_ascii),
        cmocka_unit_test(test_normalize_nfkc_halfwidth_katakana),
        cmocka_unit_test(test_normalize_nfkc_symbols),
        cmocka_unit_test(test_normalize_ideographic_space),
        cmocka_unit_test(test_normalize_space_digit_japanese),
        cmocka_unit_test(test_normalize_space_around_symbols),
        cmocka_unit_test(test_normalize_space_latin_runs),
        cmocka_unit_test(test_normalize_blank_only),
        cmocka_unit_test(test_normalize_bullet_kept),
        cmocka_unit_test(test_normalize_private_use_inside_line),
        cmocka_unit_test(test_normalize_dash_between_digits),
        cmocka_unit_test(test_normalize_dash_elsewhere_kept),
        cmocka_unit_test(test_normalize_invalid_utf8),
        cmocka_unit_test(test_normalize_control_characters),
        cmocka_unit_test(test_normalize_explicit_length),
        cmocka_unit_test(test_normalize_line_indent),
        cmocka_unit_test(test_normalize_join),
        cmocka_unit_test(test_normalize_join_wrapped_url),
        cmocka_unit_test(test_normalize_is_japanese),
        cmocka_unit_test(test_normalize_number_dashes),
        cmocka_unit_test(test_normalize_region_codes),
        cmocka_unit_test(test_normalize_era_to_gregorian),
        cmocka_unit_test(test_normalize_tables_thread_safe),
        cmocka_unit_test(test_normalize_letter_spaced_runs),
        cmocka_unit_test(test_normalize_spaced_phone_numbers),
        cmocka_unit_test(test_normalize_spaced_postal_codes),
        cmocka_unit_test(test_normalize_spaced_urls_and_email),
        cmocka_unit_test(test_normalize_radical_code_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
