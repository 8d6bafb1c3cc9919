/* test_segment.c -- unit tests of the segment stage: rules loading, line classes on
 * every kind of line of the 2019 sample, contact and heading parsing, country codes,
 * local-government lookup, and the assembly of the sample's three awards. */
#include "hy_test.h"
#include "segment_private.h"

#include <string.h>

/* Lines as the extract stage gives them: normalized, blank lines counted, not kept. */
static GPtrArray *lines_from_text(const char *text)
{
    GPtrArray *lines = g_ptr_array_new_with_free_func((GDestroyNotify)hy_line_free);
    g_auto(GStrv) raw = g_strsplit(text, "\n", -1);
    int blank = 0, page = 1;
    for (int i = 0; raw[i] != NULL; i++) {
        char *r = raw[i];
        if (*r == '\f') page++, r++;
        g_autoptr(HyLine) line = hy_line_new(page, i + 1, r, -1);
        g_autoptr(GError) error = NULL;
        assert_true(hy_normalize_line(line, &error));
        if (*line->text == '\0') {
            blank++;
            continue;
        }
        line->blank_before = blank;
        blank = 0;
        g_ptr_array_add(lines, g_steal_pointer(&line));
    }
    return lines;
}

static int setup_rules(void **state)
{
    g_autoptr(GError) error = NULL;
    *state = hy_rules_load_builtin("default", &error);
    return *state == NULL ? -1 : 0;
}

static int teardown_rules(void **state)
{
    hy_rules_free(*state);
    return 0;
}

/* Classifies one raw line; returns its class and, through @out_rule, the rule name. */
static HyLineClass classify(const HyRules *rules, const char *raw, HyClassified *out)
{
    static HyLine *line; /* kept until the next call: out->line points at it */
    g_clear_pointer(&line, hy_line_free);
    line = hy_line_new(1, 1, raw, -1);
    assert_true(hy_normalize_line(line, NULL));
    pcre2_match_data *md = hy_segment__match_data_new(rules);
    hy_segment__classify(rules, line, md, out);
    pcre2_match_data_free(md);
    return out->line_class;
}

static void test_rules_builtin_profiles_load(void **state)
{
    (void)state;
    for (const char *const *p = hy_rules_builtin_profiles(); *p != NULL; p++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(HyRules) rules = hy_rules_load_builtin(*p, &error);
        hy_assert_no_error(error);
        hy_assert_str(hy_rules_name(rules), *p);
    }
    g_autoptr(GError) error = NULL;
    assert_null(hy_rules_load_builtin("nosuch", &error));
    hy_assert_error(error, HY_SEGMENT_ERROR, HY_SEGMENT_ERROR_RULE);
}

static void test_rules_bad_pattern_names_file_line_rule_offset(void **state)
{
    (void)state;
    const char *data = "# comment\nok\tnoise\t^x$\nbroken\tbullet\t^(unclosed\n";
    g_autoptr(GError) error = NULL;
    assert_null(hy_rules_load_data("my.rules", data, strlen(data), &error));
    hy_assert_error(error, HY_SEGMENT_ERROR, HY_SEGMENT_ERROR_RULE);
    assert_non_null(strstr(error->message, "my.rules:3: rule 'broken', byte 10:"));
}

static void test_rules_unknown_kind_and_bad_shape(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    const char *kind = "x\tnosuchkind\t^a$\n";
    assert_null(hy_rules_load_data("k.rules", kind, strlen(kind), &error));
    assert_non_null(strstr(error->message, "k.rules:1: rule 'x': unknown kind 'nosuchkind'"));
    g_clear_error(&error);
    const char *shape = "only-a-name\n";
    assert_null(hy_rules_load_data("s.rules", shape, strlen(shape), &error));
    assert_non_null(strstr(error->message, "s.rules:1: expected name<TAB>kind<TAB>pattern"));
}

/* A report that writes 【連絡窓口】 for お問い合わせ先 (the Matsumoto page of the custom-rules fixture). */
static const char window_text[] = "松本市(交流先:ソルトレークシティ市(アメリカ合衆国))\n"
                                  "・冬季オリンピック開催都市同士の縁を生かした交流を続けている。\n"
                                  "【連絡窓口】\n"
                                  "松本市文化観光部国際課\n"
                                  "住所:〒390-8620 長野県松本市丸の内3番7号\n"
                                  "電話:0263-34-3000\n";

/* A rules file extends the built-in profile: its one rule is tried first, every other line
 * is read by the built-in rules, and nothing is missing. */
static void test_rules_file_extends_the_builtin_profile(void **state)
{
    (void)state;
    static const char data[] = "# a report that writes 【連絡窓口】\n"
                               "window\tcontact\t^【連絡窓口】$\n";
    g_autoptr(GError) error = NULL;
    g_autoptr(HyRules) rules = hy_rules_load_data_extending("window.rules", data, sizeof data - 1, "default", &error);
    hy_assert_no_error(error);
    hy_assert_str(hy_rules_name(rules), "window.rules");
    assert_int_equal(hy_rules_warnings(rules)->len, 0);
    HyClassified c;
    classify(rules, "【連絡窓口】", &c);
    hy_assert_str(c.rule->name, "window");
    hy_segment__classified_clear(&c);
    classify(rules, "電話:0263-34-3000", &c);
    hy_assert_str(c.rule->name, "tel");
    hy_segment__classified_clear(&c);

    g_autoptr(GPtrArray) lines = lines_from_text(window_text);
    g_autoptr(HyReport) report = hy_segment_lines(rules, lines, NULL, &error);
    hy_assert_no_error(error);
    assert_int_equal(report->awards->len, 1);
    const HyAward *award = g_ptr_array_index(report->awards, 0);
    hy_assert_str(award->contact.department, "松本市文化観光部国際課");
    hy_assert_str(award->contact.postal_code, "390-8620");
    hy_assert_str(award->contact.tel, "0263-34-3000");
    assert_int_equal(award->captions->len, 0);
    assert_int_equal(award->warnings->len, 0); /* the header is known: nothing to warn about */
    assert_int_equal(report->warnings->len, 0);

    g_autoptr(HyRules) on_older = hy_rules_load_data_extending("window.rules", data, sizeof data - 1, "older", &error);
    hy_assert_no_error(error);
    classify(on_older, "<姉妹交流の概要>", &c);
    assert_int_equal(c.line_class, HY_LINE_SUMMARY);
    hy_segment__classified_clear(&c);

    assert_null(hy_rules_load_data_extending("window.rules", data, sizeof data - 1, "nosuch", &error));
    hy_assert_error(error, HY_SEGMENT_ERROR, HY_SEGMENT_ERROR_RULE);
}

/* `%replace` makes a file's rules the only ones; each kind awards need that it then lacks
 * is warned about, on the rules and in every report made with them. */
static void test_rules_file_replacing_names_the_kinds_it_lacks(void **state)
{
    (void)state;
    static const char data[] = "# only the header\n"
                               "\n"
                               "%replace\n"
                               "window\tcontact\t^【連絡窓口】$\n"
                               "tel\tfield\t電話:(?<tel>[0-9-]+)\n";
    g_autoptr(GError) error = NULL;
    g_autoptr(HyRules) rules = hy_rules_load_data_extending("window.rules", data, sizeof data - 1, "default", &error);
    hy_assert_no_error(error);
    assert_int_equal(rules->rules->len, 2);
    static const char *const lacking[] = {
        "no rule of kind 'heading' (no line starts an awardee: awards are named from their contact blocks)",
        "no rule of kind 'bullet' (evaluations are not recognised: their lines become captions)",
        "no rule of kind 'noise' (page numbers become captions)",
        "no rule of kind 'title' (the report's title and running headers become captions)",
        "no rule of kind 'contact_like' (contact values under an unknown header or in a caption go unwarned)",
    };
    GPtrArray *warnings = hy_rules_warnings(rules);
    assert_int_equal(warnings->len, G_N_ELEMENTS(lacking));
    for (guint i = 0; i < G_N_ELEMENTS(lacking); i++) hy_assert_str(g_ptr_array_index(warnings, i), lacking[i]);

    g_autoptr(GPtrArray) lines = lines_from_text(window_text);
    g_autoptr(HyReport) report = hy_segment_lines(rules, lines, NULL, &error);
    hy_assert_no_error(error);
    assert_true(report->warnings->len >= G_N_ELEMENTS(lacking));
    g_autofree char *first = g_strdup_printf("rules window.rules: %s", lacking[0]);
    hy_assert_str(g_ptr_array_index(report->warnings, 0), first);

    /* hy_rules_load() reads a file as written, with or without the directive. */
    g_autoptr(HyRules) as_written = hy_rules_load_data("window.rules", data, sizeof data - 1, &error);
    hy_assert_no_error(error);
    assert_int_equal(as_written->rules->len, 2);
    static const char one_rule[] = "window\tcontact\t^【連絡窓口】$\n";
    g_autoptr(HyRules) plain = hy_rules_load_data("one.rules", one_rule, sizeof one_rule - 1, &error);
    hy_assert_no_error(error);
    assert_int_equal(hy_rules_warnings(plain)->len, 6); /* field is missing too */
    g_autoptr(HyRules) builtin = hy_rules_load_builtin("default", &error);
    assert_int_equal(hy_rules_warnings(builtin)->len, 0);
}

static void test_rules_directive_misplaced_or_unknown(void **state)
{
    (void)state;
    static const char late[] = "window\tcontact\t^【連絡窓口】$\n%replace\n";
    g_autoptr(GError) error = NULL;
    assert_null(hy_rules_load_data_extending("late.rules", late, sizeof late - 1, "default", &error));
    hy_assert_error(error, HY_SEGMENT_ERROR, HY_SEGMENT_ERROR_RULE);
    hy_assert_str(error->message, "late.rules:2: %replace must come before the first rule");
    g_clear_error(&error);
    static const char unknown[] = "%extend default\n";
    assert_null(hy_rules_load_data_extending("unknown.rules", unknown, sizeof unknown - 1, "default", &error));
    hy_assert_error(error, HY_SEGMENT_ERROR, HY_SEGMENT_ERROR_RULE);
    hy_assert_str(error->message, "unknown.rules:1: unknown directive '%extend default' (known: %replace)");
}

static void test_classify_every_line_kind_of_the_sample(void **state)
{
    const HyRules *rules = *state;
    struct {
        const char *raw;
        HyLineClass expected;
        const char *rule;
    } cases[] = {
        {" \xEF\x82\xB2 35 年間地道に交流活動を継続して", HY_LINE_BULLET, "bullet_symbol_font"},
        {"・交流の成果が見られる。", HY_LINE_BULLET, "bullet_mark"},
        {"● 市民交流が盛んである。", HY_LINE_BULLET, "bullet_mark"},
        {"現在では活動分野が多方面・他分野にわたって広がっている点が", HY_LINE_TEXT, NULL},
        {"富山県（交流先：遼寧省（中華人民共和国）） ", HY_LINE_HEADING, "heading"},
        {" 京都市（交流先：ボストン市（アメリカ合衆国）） ", HY_LINE_HEADING, "heading"},
        {"お問い合わせ先 ", HY_LINE_CONTACT, "contact"},
        {"【お問合せ先】", HY_LINE_CONTACT, "contact"},
        {" 住所：〒930-8501 富山県富山市新総曲輪 1番 7号 ", HY_LINE_FIELD, "address"},
        {" 電話：076-444-3158     FAX：076-444-9612 ", HY_LINE_FIELD, "tel"},
        {"E-mail: akokusai@pref.toyama.lg.jp ", HY_LINE_FIELD, "email"},
        {"URL   ：http://www.pref.toyama.jp/ ", HY_LINE_FIELD, "url"},
        {"富山ファン倶楽部里帰りツアー ", HY_LINE_TEXT, NULL},
        {"- 2 -", HY_LINE_NOISE, "page_number"},
        {"第15回自治体国際交流表彰（総務大臣賞）受賞団体の概要", HY_LINE_TITLE, "title"},
        /* Variants other reports use. */
        {"自治体国際交流表彰（総務大臣賞）", HY_LINE_TITLE, "title_plain"},
        {"―３―", HY_LINE_NOISE, "page_number"},
        {"【評価のポイント】", HY_LINE_NOISE, "section_label"},
        {"①交流が長く続いている。", HY_LINE_BULLET, "bullet_number"},
        {"(2) 市民の参加が多い。", HY_LINE_BULLET, "bullet_number"},
        {"3. 経済交流に発展している。", HY_LINE_BULLET, "bullet_number"},
        {"❹ 青少年交流が盛んである。", HY_LINE_BULLET, "bullet_mark"},
        {"1987年に提携した。", HY_LINE_TEXT, NULL},
        {"高岡市（姉妹都市：フォートウェーン市（アメリカ合衆国））", HY_LINE_HEADING, "heading"},
        {"ＴＥＬ／ＦＡＸ：０７６－４４４－３１５８", HY_LINE_FIELD, "tel_fax"},
        {"Ｅメール：kokusai@city.kyoto.lg.jp", HY_LINE_FIELD, "email"},
        {"担当：国際交流課", HY_LINE_FIELD, "department_label"},
        {"鹿児島県薩摩川内市神田町3番22号", HY_LINE_FIELD, "address_bare"},
        {"鹿児島県薩摩川内市商工観光部交通貿易課", HY_LINE_TEXT, NULL},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        HyClassified c;
        HyLineClass got = classify(rules, cases[i].raw, &c);
        if (got != cases[i].expected)
            fail_msg("line \"%s\": expected %s, got %s", cases[i].raw, hy_line_class_name(cases[i].expected),
                     hy_line_class_name(got));
        hy_assert_str(c.rule ? c.rule->name : NULL, cases[i].rule);
        hy_segment__classified_clear(&c);
    }
}

static void test_contact_tel_and_fax_on_one_line(void **state)
{
    HyClassified c;
    classify(*state, " 電話：076-444-3158     FAX：076-444-9612 ", &c);
    hy_assert_str(hy_segment__capture(&c, "tel"), "076-444-3158");
    hy_assert_str(hy_segment__capture(&c, "fax"), "076-444-9612");
    hy_segment__classified_clear(&c);
}

static void test_contact_tel_fax_shared_number(void **state)
{
    HyClassified c;
    classify(*state, "TEL/FAX:0763-22-1111", &c);
    hy_assert_str(hy_segment__capture(&c, "tel"), "0763-22-1111");
    hy_assert_str(hy_segment__capture(&c, "fax"), "0763-22-1111");
    hy_segment__classified_clear(&c);
}

static void test_contact_on_one_line(void **state)
{
    HyClassified c;
    classify(*state, "富山県総合政策局国際課　〒930-8501 富山県富山市新総曲輪1番7号 TEL 076-444-3158 "
                     "FAX 076-444-9612 E-mail akokusai@pref.toyama.lg.jp", &c);
    hy_assert_str(hy_segment__capture(&c, "department"), "富山県総合政策局国際課");
    hy_assert_str(hy_segment__capture(&c, "postal_code"), "930-8501");
    hy_assert_str(hy_segment__capture(&c, "address"), "富山県富山市新総曲輪1番7号");
    hy_assert_str(hy_segment__capture(&c, "tel"), "076-444-3158");
    hy_assert_str(hy_segment__capture(&c, "fax"), "076-444-9612");
    hy_assert_str(hy_segment__capture(&c, "email"), "akokusai@pref.toyama.lg.jp");
    hy_segment__classified_clear(&c);
    classify(*state, "HOTEL:0123-45-6789", &c); /* a word ending in TEL is no label */
    assert_null(hy_segment__capture(&c, "tel"));
    hy_segment__classified_clear(&c);
}

static void test_heading_without_opening_bracket(void **state)
{
    HyClassified c;
    classify(*state, "富山県　交流先：遼寧省（中華人民共和国）", &c);
    assert_int_equal(c.line_class, HY_LINE_HEADING);
    hy_assert_str(hy_segment__capture(&c, "name"), "富山県");
    hy_assert_str(hy_segment__capture(&c, "partners"), "遼寧省(中華人民共和国)");
    hy_segment__classified_clear(&c);
}

static void test_contact_fields_cleaned(void **state)
{
    HyClassified c;
    HyContact contact = {0};
    classify(*state, " 住所：〒604ー8571 京都市中京区寺町通御池上る上本能寺前町 488 番地 ", &c);
    hy_segment__set_contact(&contact, "postal_code", hy_segment__capture(&c, "postal_code"));
    hy_segment__set_contact(&contact, "address", hy_segment__capture(&c, "address"));
    hy_segment__classified_clear(&c);
    hy_assert_str(contact.postal_code, "604-8571");
    hy_assert_str(contact.address, "京都市中京区寺町通御池上る上本能寺前町488番地");

    classify(*state, "ＴＥＬ：（０７６）４４４－３１５８", &c);
    hy_segment__set_contact(&contact, "tel", hy_segment__capture(&c, "tel"));
    hy_segment__classified_clear(&c);
    hy_assert_str(contact.tel, "076-444-3158");

    classify(*state, "Ｅ－ｍａｉｌ：kokusai(at)city.kyoto.lg.jp", &c);
    hy_segment__set_contact(&contact, "email", hy_segment__capture(&c, "email"));
    hy_segment__classified_clear(&c);
    hy_assert_str(contact.email, "kokusai@city.kyoto.lg.jp");

    classify(*state, "URL  ： https://www.city.kyoto.lg.jp/ ", &c);
    hy_segment__set_contact(&contact, "url", hy_segment__capture(&c, "url"));
    hy_segment__classified_clear(&c);
    hy_assert_str(contact.url, "https://www.city.kyoto.lg.jp/");

    assert_int_equal(hy_segment__set_contact(&contact, "fax", ""), HY_CONTACT_EMPTY);
    assert_null(contact.fax); /* never "" */
    assert_int_equal(hy_segment__set_contact(&contact, "fax", "12-34"), HY_CONTACT_INVALID);
    assert_int_equal(hy_segment__set_contact(&contact, "tel", "076-444-3158"), HY_CONTACT_SAME);
    assert_int_equal(hy_segment__set_contact(&contact, "tel", "076-444-0000"), HY_CONTACT_DUPLICATE);
    hy_assert_str(contact.tel, "076-444-3158");
    HyContact other = {0};
    assert_int_equal(hy_segment__set_contact(&other, "postal_code", "〒93-8501"), HY_CONTACT_INVALID);
    assert_null(other.postal_code);
    assert_int_equal(hy_segment__set_contact(&other, "phone", "076-444-3158"), HY_CONTACT_EMPTY); /* no such field */
    hy_segment__contact_clear(&contact);
    assert_null(contact.tel);
    assert_null(contact.url);
}

/* The contact fields in the contract's order, each reaching its own member of HyContact. */
static void test_contact_field_table(void **state)
{
    (void)state;
    static const char *const names[] = {"department", "postal_code", "address", "tel", "fax", "email", "url"};
    HyContact contact = {.department = "d", .postal_code = "p", .address = "a", .tel = "t", .fax = "f",
                         .email = "e", .url = "u"};
    char *const *members[] = {&contact.department, &contact.postal_code, &contact.address, &contact.tel,
                              &contact.fax, &contact.email, &contact.url};
    assert_int_equal(G_N_ELEMENTS(names), HY_CONTACT_N_FIELDS);
    for (guint i = 0; i < HY_CONTACT_N_FIELDS; i++) {
        const HyContactField *field = &hy_contact_fields[i];
        hy_assert_str(field->name, names[i]);
        assert_ptr_equal(hy_contact_field_named(names[i]), field);
        assert_ptr_equal(hy_contact_slot(&contact, field), members[i]);
        assert_ptr_equal(hy_contact_value(&contact, field), *members[i]);
        assert_non_null(field->label);
    }
    hy_assert_str(hy_contact_field_named("postal_code")->label, "postal code");
    hy_assert_str(hy_contact_field_named("tel")->label, "phone number");
    assert_null(hy_contact_field_named("phone"));
    assert_null(hy_contact_field_named("rest")); /* a named group that is no contact field */
}

static void test_heading_partners_and_countries(void **state)
{
    (void)state;
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func((GDestroyNotify)hy_award_free);
    HyAward *a = hy_award_new();
    g_ptr_array_add(keep, a);
    g_autofree char *hint = hy_segment__parse_heading(a, "富山県", "遼寧省(中華人民共和国)");
    assert_null(hint);
    hy_assert_str(a->awardee.name, "富山県");
    assert_int_equal(a->partners->len, 1);
    HyPartner *p = g_ptr_array_index(a->partners, 0);
    hy_assert_str(p->name, "遼寧省");
    hy_assert_str(p->country, "中華人民共和国");
    hy_assert_str(p->country_code, "CN");

    HyAward *b = hy_award_new();
    g_ptr_array_add(keep, b);
    g_autofree char *no_hint = hy_segment__parse_heading(b, "福岡市", "常熟市(中華人民共和国)、昌寧郡(大韓民国)");
    assert_null(no_hint); /* no location suffix, no prefecture */
    assert_int_equal(b->partners->len, 2);
    hy_assert_str(((HyPartner *)g_ptr_array_index(b->partners, 1))->name, "昌寧郡");
    hy_assert_str(((HyPartner *)g_ptr_array_index(b->partners, 1))->country_code, "KR");

    HyAward *c = hy_award_new();
    g_ptr_array_add(keep, c);
    g_autofree char *pref = hy_segment__parse_heading(c, "旭川・ブルーミントン・ノーマル姉妹都市委員会(北海道)",
                                                      "ブルーミントン市・ノーマル市(アメリカ合衆国イリノイ州)");
    hy_assert_str(pref, "北海道");
    hy_assert_str(c->awardee.name, "旭川・ブルーミントン・ノーマル姉妹都市委員会");
    assert_int_equal(c->partners->len, 1);
    p = g_ptr_array_index(c->partners, 0);
    hy_assert_str(p->name, "ブルーミントン市・ノーマル市");
    hy_assert_str(p->country, "アメリカ合衆国イリノイ州");
    hy_assert_str(p->country_code, "US");
    hy_segment__resolve_awardee(c, pref);
    assert_int_equal(c->awardee.kind, HY_KIND_ORGANIZATION);
    hy_assert_str(c->awardee.prefecture, "北海道");
    assert_null(c->awardee.lg_code);
}

static void test_country_codes(void **state)
{
    (void)state;
    hy_assert_str(hy_segment__country_code("中華人民共和国"), "CN");
    hy_assert_str(hy_segment__country_code("大韓民国"), "KR");
    hy_assert_str(hy_segment__country_code("アメリカ合衆国"), "US");
    hy_assert_str(hy_segment__country_code("スウェーデン王国"), "SE");
    hy_assert_str(hy_segment__country_code("インドネシア共和国"), "ID");
    hy_assert_str(hy_segment__country_code("オーストラリア連邦"), "AU");
    hy_assert_str(hy_segment__country_code("ブラジル連邦共和国"), "BR");
    assert_null(hy_segment__country_code("架空国"));
}

static void resolve(HyAward *award, const char *name, const char *hint, const char *address)
{
    g_free(award->awardee.name);
    award->awardee.name = g_strdup(name);
    g_free(award->contact.address);
    award->contact.address = g_strdup(address);
    hy_segment__resolve_awardee(award, hint);
}

static void test_lg_code_lookup(void **state)
{
    (void)state;
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func((GDestroyNotify)hy_award_free);
    HyAward *a = hy_award_new();
    g_ptr_array_add(keep, a);

    resolve(a, "富山県", NULL, NULL);
    assert_int_equal(a->awardee.kind, HY_KIND_PREFECTURE);
    hy_assert_str(a->awardee.lg_code, "160008");
    resolve(a, "京都市", NULL, NULL);
    assert_int_equal(a->awardee.kind, HY_KIND_MUNICIPALITY);
    hy_assert_str(a->awardee.prefecture, "京都府");
    hy_assert_str(a->awardee.lg_code, "261009");
    resolve(a, "大阪市", NULL, "大阪市北区中之島1-3-20");
    hy_assert_str(a->awardee.prefecture, "大阪府");

    /* 府中市 is in 東京都 and in 広島県: the address decides, or nothing does. */
    resolve(a, "府中市", NULL, "東京都府中市宮西町2-24");
    hy_assert_str(a->awardee.prefecture, "東京都");
    hy_assert_str(a->awardee.lg_code, "132063");
    HyAward *b = hy_award_new();
    g_ptr_array_add(keep, b);
    resolve(b, "府中市", "広島県", NULL);
    hy_assert_str(b->awardee.prefecture, "広島県");
    hy_assert_str(b->awardee.lg_code, "342084");
    HyAward *post = hy_award_new();
    g_ptr_array_add(keep, post);
    post->contact.postal_code = g_strdup("726-8601");
    resolve(post, "府中市", NULL, "府中市府川町315");
    hy_assert_str(post->awardee.prefecture, "広島県");
    hy_assert_str(post->awardee.lg_code, "342084");
    HyAward *c = hy_award_new();
    g_ptr_array_add(keep, c);
    resolve(c, "府中市", NULL, "府中市宮西町2-24");
    assert_int_equal(c->awardee.kind, HY_KIND_MUNICIPALITY);
    assert_null(c->awardee.prefecture);
    assert_null(c->awardee.lg_code);
    assert_int_equal(c->warnings->len, 1);
}

static const HyAward *award_at(const HyReport *r, guint i)
{
    return g_ptr_array_index(r->awards, i);
}

static void test_segment_unused_contact_values_are_warned(void **state)
{
    const char *text = "京都市(交流先:ボストン市(アメリカ合衆国))\n"
                       "・交流が長く続いている点が評価できる。\n"
                       "お問い合わせ先\n京都市総合企画局国際化推進室\n"
                       "電話:075-222-3072\n電話:075-222-9999\n";
    g_autoptr(GPtrArray) lines = lines_from_text(text);
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, NULL, NULL);
    const HyAward *award = g_ptr_array_index(report->awards, 0);
    hy_assert_str(award->contact.tel, "075-222-3072");
    assert_int_equal(award->warnings->len, 1);
    hy_assert_str(g_ptr_array_index(award->warnings, 0), "page 1: a second tel \"075-222-9999\" ignored");
}

static void test_segment_two_captions_on_one_raw_line(void **state)
{
    /* pdftotext -raw sets side-by-side captions on one line with one space between. */
    const char *text = "富山県(交流先:遼寧省(中華人民共和国))\n"
                       "・35年間地道に交流活動を継続している点が評価できる。\n"
                       "富山ファン倶楽部里帰りツアー 富山県と遼寧省との\n"
                       "交流と協力の深化に関する覚書締結\n"
                       "記念式典 (2019年)\n"
                       "ゲント市での金沢工芸展 姉妹都市提携50周年記念式典\n"
                       "交流事業 2019年度\n";
    g_autoptr(GPtrArray) lines = lines_from_text(text);
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, NULL, NULL);
    const HyAward *award = g_ptr_array_index(report->awards, 0);
    assert_int_equal(award->captions->len, 6);
    hy_assert_str(g_ptr_array_index(award->captions, 0), "富山ファン倶楽部里帰りツアー");
    hy_assert_str(g_ptr_array_index(award->captions, 1), "富山県と遼寧省との交流と協力の深化に関する覚書締結");
    hy_assert_str(g_ptr_array_index(award->captions, 2), "記念式典(2019年)"); /* one caption: no Japanese run after the space */
    /* digits inside a run do not hide the seam; a run does not start with them */
    hy_assert_str(g_ptr_array_index(award->captions, 3), "ゲント市での金沢工芸展");
    hy_assert_str(g_ptr_array_index(award->captions, 4), "姉妹都市提携50周年記念式典");
    hy_assert_str(g_ptr_array_index(award->captions, 5), "交流事業2019年度");
}

static void test_segment_bullet_glyph_alone_and_lost_glyph(void **state)
{
    /* PyMuPDF and pdfminer put a bullet drawn apart from its text alone on its line;
     * MuPDF writes U+FFFD for a glyph the PDF maps to no character. */
    const char *text = "富山県(交流先:遼寧省(中華人民共和国))\n"
                       "・\n"
                       "35年間地道に交流活動を継続して相互の信頼関係を\n"
                       "築いている点が評価できる。\n"
                       "●\n"
                       "両県省にお互いの「ファン倶楽部」が創設されている。\n"
                       "\xEF\xBF\xBD 行政だけでなく交流も行われている。\n"
                       "(cid:0) 医療機関の交流も行われている。\n"
                       "\n"
                       "富山ファン倶楽部里帰りツアー\n";
    g_autoptr(GPtrArray) lines = lines_from_text(text);
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, NULL, NULL);
    const HyAward *award = award_at(report, 0);
    assert_int_equal(award->evaluations->len, 4);
    hy_assert_str(g_ptr_array_index(award->evaluations, 0),
                  "35年間地道に交流活動を継続して相互の信頼関係を築いている点が評価できる。");
    hy_assert_str(g_ptr_array_index(award->evaluations, 1), "両県省にお互いの「ファン倶楽部」が創設されている。");
    hy_assert_str(g_ptr_array_index(award->evaluations, 2), "行政だけでなく交流も行われている。");
    hy_assert_str(g_ptr_array_index(award->evaluations, 3), "医療機関の交流も行われている。"); /* pdfminer */
    assert_int_equal(award->captions->len, 1);
    hy_assert_str(g_ptr_array_index(award->captions, 0), "富山ファン倶楽部里帰りツアー");
}

static void test_segment_contact_with_glyph_gaps(void **state)
{
    /* pdftotext and MuPDF on narrow glyphs set on a grid: spaces inside the values */
    const char *text = "四万十市(交流先:ルイビル市(アメリカ合衆国))\n"
                       "・交流が長く続いている点が評価できる。\n"
                       "お問い合わせ先\n"
                       "四万十市総務課\n"
                       "住所:〒787-8 501 高知県四万十市中村大橋通4丁目10\n"
                       "電話:0880-34-1 1 1 1 FAX:0880-34-1 1 1 9\n"
                       "E-mail: soumu@city.shimanto. lg.jp\n"
                       "URL:https:/ / www.city.shimanto.lg.jp/\n";
    g_autoptr(GPtrArray) lines = lines_from_text(text);
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, NULL, NULL);
    assert_int_equal(report->awards->len, 1);
    const HyAward *award = award_at(report, 0);
    hy_assert_str(award->contact.postal_code, "787-8501");
    hy_assert_str(award->contact.address, "高知県四万十市中村大橋通4丁目10");
    hy_assert_str(award->contact.tel, "0880-34-1111");
    hy_assert_str(award->contact.fax, "0880-34-1119");
    hy_assert_str(award->contact.email, "soumu@city.shimanto.lg.jp");
    hy_assert_str(award->contact.url, "https://www.city.shimanto.lg.jp/");
    assert_int_equal(award->captions->len, 0);
}

static void test_segment_listed_headings_are_not_awards(void **state)
{
    const char *text = "受賞団体\n"
                       "富山県(交流先:遼寧省(中華人民共和国))\n"
                       "京都市(交流先:ボストン市(アメリカ合衆国))\n"
                       "富山県(交流先:遼寧省(中華人民共和国))\n"
                       "・35年間地道に交流活動を継続している点が評価できる。\n"
                       "京都市(交流先:ボストン市(アメリカ合衆国))\n"
                       "・60年にわたって交流を継続している点が評価できる。\n";
    g_autoptr(GPtrArray) lines = lines_from_text(text);
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, NULL, NULL);
    assert_int_equal(report->awards->len, 2);
    hy_assert_str(((HyAward *)g_ptr_array_index(report->awards, 0))->awardee.name, "富山県");
    assert_int_equal(((HyAward *)g_ptr_array_index(report->awards, 0))->evaluations->len, 1);
    assert_int_equal(report->warnings->len, 2);
}

static void test_segment_text_naming_no_awardee_is_no_award(void **state)
{
    const char *text = "事業の紹介\n"
                       "・この表彰は、創意と工夫に富んだ取組を行っている団体を表彰するものである。\n"
                       "表彰式の様子\n";
    g_autoptr(GPtrArray) lines = lines_from_text(text);
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, NULL, NULL);
    assert_int_equal(report->awards->len, 0);
    assert_int_equal(report->warnings->len, 4); /* three unattached texts, then "no awardee blocks found" */
    hy_assert_str(g_ptr_array_index(report->warnings, 3), "no awardee blocks found");
}

static void test_segment_sample_three_awards(void **state)
{
    g_autofree char *text = hy_test_read_fixture("text/award-2019-excerpt.txt", NULL);
    g_autoptr(GPtrArray) lines = lines_from_text(text);
    g_autoptr(GError) error = NULL;
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, NULL, &error);
    hy_assert_no_error(error);
    assert_int_equal(report->awards->len, 3);

    const HyAward *toyama = award_at(report, 0);
    hy_assert_str(toyama->awardee.name, "富山県");
    hy_assert_str(toyama->awardee.lg_code, "160008");
    assert_false(toyama->awardee.inferred);
    assert_int_equal(toyama->evaluations->len, 5);
    hy_assert_str(g_ptr_array_index(toyama->evaluations, 0),
                  "35年間地道に交流活動を継続して相互の信頼関係を築きながら、現在では活動分野が多方面・他分野"
                  "にわたって広がっている点が評価できる。");
    hy_assert_str(toyama->contact.department, "富山県総合政策局国際課");
    hy_assert_str(toyama->contact.postal_code, "930-8501");
    hy_assert_str(toyama->contact.address, "富山県富山市新総曲輪1番7号");
    hy_assert_str(toyama->contact.tel, "076-444-3158");
    hy_assert_str(toyama->contact.fax, "076-444-9612");
    hy_assert_str(toyama->contact.email, "akokusai@pref.toyama.lg.jp");
    hy_assert_str(toyama->contact.url, "http://www.pref.toyama.jp/");
    assert_int_equal(toyama->captions->len, 2);
    hy_assert_str(g_ptr_array_index(toyama->captions, 1), "富山県と遼寧省との交流と協力の深化に関する覚書締結");

    const HyAward *kyoto = award_at(report, 1);
    hy_assert_str(kyoto->awardee.name, "京都市");
    hy_assert_str(kyoto->awardee.prefecture, "京都府");
    hy_assert_str(kyoto->awardee.lg_code, "261009");
    hy_assert_str(((HyPartner *)g_ptr_array_index(kyoto->partners, 0))->country_code, "US");
    assert_int_equal(kyoto->evaluations->len, 5);
    assert_int_equal(kyoto->captions->len, 2);

    const HyAward *satsuma = award_at(report, 2);
    hy_assert_str(satsuma->awardee.name, "薩摩川内市");
    assert_true(satsuma->awardee.inferred);
    hy_assert_str(satsuma->awardee.prefecture, "鹿児島県");
    hy_assert_str(satsuma->awardee.lg_code, "462152");
    assert_int_equal(satsuma->partners->len, 0);
    assert_int_equal(satsuma->evaluations->len, 5);
    hy_assert_str(g_ptr_array_index(satsuma->evaluations, 0),
                  "約9.5万人の小さな都市が、財政的にも制約があるなか、国際的な面で努力されている様子は、大いに評価"
                  "できる。");
    assert_int_equal(satsuma->captions->len, 2);
    assert_int_equal(satsuma->warnings->len, 1);
}

/* The screen asked before each match (PCRE2's first bytes and required byte) only
 * skips lines that cannot match: a case-blind rule whose required byte is a letter
 * still matches it in another case, even outside ASCII (K, KELVIN SIGN). */
static void test_rules_screen_is_exact(void **state)
{
    (void)state;
    static const char data[] = "colon\tfield\t^(?<a>[a-z]+):\n"
                               "kelvin\tfield\t(?i)^x(?<k>k)\n"
                               "tail\tfield\t(?i)tel(?<t>.*)k$\n";
    g_autoptr(GError) error = NULL;
    g_autoptr(HyRules) rules = hy_rules_load_data("screen.rules", data, sizeof data - 1, &error);
    hy_assert_no_error(error);
    const HyRule *colon = g_ptr_array_index(rules->rules, 0);
    assert_non_null(colon->first_bytes);
    assert_int_equal(colon->required_byte, ':');
    const HyRule *kelvin = g_ptr_array_index(rules->rules, 1);
    assert_int_equal(kelvin->required_byte, -1);

    static const struct { const char *text; const char *rule; } cases[] = {
        {"abc:", "colon"}, {"abc", NULL}, {"Abc:", NULL}, {":abc", NULL},
        {"xk", "kelvin"}, {"XK", "kelvin"}, {"x\u212A", "kelvin"}, {"xq", NULL},
        {"電話 TEL 1234 K", "tail"}, {"電話 1234", NULL},
    };
    pcre2_match_data *md = hy_segment__match_data_new(rules);
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        HyLine line = {.page = 1, .number = 1, .raw = (char *)cases[i].text, .text = (char *)cases[i].text};
        HyClassified c;
        hy_segment__classify(rules, &line, md, &c);
        if (cases[i].rule == NULL) assert_null(c.rule);
        else hy_assert_str(c.rule != NULL ? c.rule->name : "(none)", cases[i].rule);
        hy_segment__classified_clear(&c);
    }
    pcre2_match_data_free(md);
}

/* A line's captures live in one block: every rule that matches a field line adds its
 * names (the first rule to capture a name wins), empty values included; rules with more
 * names in all than the classifier keeps on its stack (40 here) capture them all. */
static void test_rules_captures_of_several_rules_in_one_block(void **state)
{
    (void)state;
    GString *data = g_string_new("tel\tfield\tTEL:(?<tel>[0-9-]+)(?<ext>x?)\n"
                                 "fax\tfield\tFAX:(?<fax>[0-9-]+)\n"
                                 "number\tfield\t(?<tel>[0-9]+)\n");
    g_string_append(data, "many\tfield\t^");
    for (int g = 0; g < 40; g++) g_string_append_printf(data, "(?<g%d>.)", g);
    g_string_append(data, "\n");
    g_autoptr(GError) error = NULL;
    g_autoptr(HyRules) rules = hy_rules_load_data("captures.rules", data->str, data->len, &error);
    g_string_free(data, TRUE);
    hy_assert_no_error(error);

    pcre2_match_data *md = hy_segment__match_data_new(rules);
    const char *text = "TEL:076-444 FAX:076-555 and the forty characters to close it.";
    HyLine line = {.page = 1, .number = 1, .raw = (char *)text, .text = (char *)text};
    HyClassified c;
    hy_segment__classify(rules, &line, md, &c);
    assert_int_equal(c.line_class, HY_LINE_FIELD);
    hy_assert_str(c.rule->name, "tel");
    hy_assert_str(hy_segment__capture(&c, "tel"), "076-444"); /* not number's "076" */
    hy_assert_str(hy_segment__capture(&c, "ext"), "");
    hy_assert_str(hy_segment__capture(&c, "fax"), "076-555");
    hy_assert_str(hy_segment__capture(&c, "g0"), "T");
    hy_assert_str(hy_segment__capture(&c, "g39"), "h");
    assert_null(hy_segment__capture(&c, "g40"));
    assert_int_equal(c.n_captures, 3 + 40);
    hy_segment__classified_clear(&c);
    assert_null(c.captures);
    assert_null(hy_segment__capture(&c, "tel"));

    HyLine plain = {.page = 1, .number = 2, .raw = (char *)"short", .text = (char *)"short"};
    hy_segment__classify(rules, &plain, md, &c);
    assert_int_equal(c.line_class, HY_LINE_TEXT); /* no rule: `many` needs 40 characters */
    assert_null(c.captures);
    assert_int_equal(c.n_captures, 0);
    hy_segment__classified_clear(&c);
    pcre2_match_data_free(md);
}

/* Classification is spread over threads for long inputs: 80 copies of the sample
 * (some 5 000 lines, several shares) must come out the same, line by line, for any
 * number of threads, and a line that is not UTF-8 must be named the same way. */
/* ---- whole published releases ------------------------------------------------- */

static const char release_text[] =
    "報道資料\n"
    "令和4年5月30日\n"
    "第16回自治体国際交流表彰(総務大臣賞)\n"
    " このたび、次のとおり受賞団体が決定しましたので、お知らせします。\n"
    "受賞団体\n"
    " ○鶴岡市(山形県)\n"
    " ○松江・ニューオーリンズ友好協会(島根県)\n"
    " ○高知県\n"
    "(添付資料)\n"
    " ・(資料1)第16回自治体国際交流表彰(総務大臣賞)受賞団体の概要(1~3頁)\n"
    "連絡先\n"
    " 総務省自治行政局国際室\n"
    "  電話:03-5253-0000(直通)\n"
    "  E-mail:example(at)soumu.go.jp\n"
    "\f資料1\n"
    "第16回自治体国際交流表彰(総務大臣賞)受賞団体の概要\n"
    "鶴岡市(交流先:ニューブランズウィック市(アメリカ合衆国))\n"
    " 大学間の研究交流を起点に、交流の担い手を広げてきた点が評価できる。\n"
    "高校生の相互派遣\n"
    "お問い合わせ先\n"
    "鶴岡市企画部国際交流課\n"
    " 電話:0235-00-0000\n"
    "\f資料2\n"
    "自治体国際交流表彰(総務大臣賞)の概要\n"
    "1 目的\n"
    " 日本と海外の自治体の交流活動のうち、創意と工夫に富んだ取組を表彰する。\n"
    "連絡先\n"
    "(一財)自治体国際化協会 電話:03-5213-0000\n"
    "4 これまでの受賞団体(抜粋)\n"
    " 第14回 令和元年度 富山県 京都市 薩摩川内市\n";

static void test_segment_release_gives_only_the_award_sections_awards(void **state)
{
    g_autoptr(GPtrArray) lines = lines_from_text(release_text);
    g_autoptr(GArray) trace = NULL;
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, &trace, NULL);
    assert_int_equal(report->awards->len, 1);
    const HyAward *award = g_ptr_array_index(report->awards, 0);
    hy_assert_str(award->awardee.name, "鶴岡市");
    hy_assert_str(award->category, "総務大臣賞");
    hy_assert_str(award->contact.tel, "0235-00-0000");
    hy_assert_str(report->date, "2022-05-30");
    assert_int_equal(report->year, 2022); /* the title has none: the fiscal year of the date */
    assert_int_equal(report->edition, 16);
    assert_int_equal(report->listed_awardees->len, 3);
    hy_assert_str(g_ptr_array_index(report->listed_awardees, 0), "鶴岡市");
    hy_assert_str(g_ptr_array_index(report->listed_awardees, 1), "松江・ニューオーリンズ友好協会");
    hy_assert_str(g_ptr_array_index(report->listed_awardees, 2), "高知県");
    assert_int_equal(report->sections, HY_SECTION_COVER | HY_SECTION_AWARDS | HY_SECTION_PROGRAMME);
    assert_int_equal(report->warnings->len, 2);
    hy_assert_str(g_ptr_array_index(report->warnings, 0),
                  "listed on the cover but no award block: 松江・ニューオーリンズ友好協会");
    hy_assert_str(g_ptr_array_index(report->warnings, 1), "listed on the cover but no award block: 高知県");
    /* Cover and programme lines are shown as theirs, none in an award. */
    for (guint i = 0; i < trace->len; i++) {
        const HyLineTrace *t = &g_array_index(trace, HyLineTrace, i);
        if (t->line->page == 2) continue;
        assert_int_equal(t->award, -1);
        assert_true(g_str_equal(t->field, "cover") || g_str_equal(t->field, "listed_awardee") ||
                    g_str_equal(t->field, "date") || g_str_equal(t->field, "title") ||
                    g_str_equal(t->field, "section") || g_str_equal(t->field, "programme") ||
                    g_str_equal(t->field, "past_awardees"));
    }
}

static void test_segment_cover_alone_is_a_release_without_awards(void **state)
{
    g_autofree char *cover = g_strndup(release_text, strstr(release_text, "\f") - release_text);
    g_autoptr(GPtrArray) lines = lines_from_text(cover);
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, NULL, NULL);
    assert_int_equal(report->awards->len, 0);
    assert_int_equal(report->sections, HY_SECTION_COVER);
    assert_int_equal(report->listed_awardees->len, 3);
    hy_assert_str(report->date, "2022-05-30");
    assert_int_equal(report->warnings->len, 1);
    hy_assert_str(g_ptr_array_index(report->warnings, 0), "no awardee blocks found");
}

static void test_segment_date_lines(void **state)
{
    static const struct {
        const char *line, *date;
    } cases[] = {
        {"令和5年5月29日", "2023-05-29"},
        {"平成21年1月20日", "2009-01-20"},
        {"令和元年5月7日(火)", "2019-05-07"},
        {"2023年5月29日", "2023-05-29"},
        {"令和5年2月30日", NULL}, /* no such day */
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        HyClassified c;
        assert_int_equal(classify(*state, cases[i].line, &c), HY_LINE_DATE);
        g_autoptr(HyReport) report = hy_report_new();
        assert_int_equal(hy_segment__parse_date(report, &c), cases[i].date != NULL);
        if (cases[i].date != NULL) hy_assert_str(report->date, cases[i].date);
        else assert_null(report->date);
        hy_segment__classified_clear(&c);
    }
    assert_int_equal(hy_segment__fiscal_year("2009-01-20"), 2008);
    assert_int_equal(hy_segment__fiscal_year("2023-04-01"), 2023);
    assert_int_equal(hy_segment__fiscal_year(NULL), 0);
    /* A sentence holding a date is no date line. */
    HyClassified c;
    assert_int_not_equal(classify(*state, "令和5年5月29日に表彰式を行った。", &c), HY_LINE_DATE);
    hy_segment__classified_clear(&c);
}

static void test_segment_prizes_vertical_label_and_joint_award(void **state)
{
    (void)state;
    g_autoptr(HyRules) older = hy_rules_load_builtin("older", NULL);
    const char *text = "別紙1\n"
                       "受\n賞\n団\n体\n"
                       "○総務大臣賞\n"
                       "○受賞団体\n"
                       "<姉妹提携の相手方>\n"
                       "当別町(北海道)\n"
                       "レクサンド市(スウェーデン王国)\n"
                       "<姉妹交流の概要>\n"
                       " 住民が主体となった交流が、まちづくりそのものにつながっている。\n"
                       "の\n概\n要\n"
                       "○審査委員会特別賞\n"
                       "○受賞団体\n"
                       "<姉妹提携の相手方>\n"
                       "川越市、川越市姉妹都市交流委員会(埼玉県)\n"
                       "オッフェンバッハ市(ドイツ連邦共和国)\n"
                       "<姉妹交流の概要>\n"
                       " 市民団体と市が一体となって交流を続けている。\n";
    g_autoptr(GPtrArray) lines = lines_from_text(text);
    g_autoptr(GArray) trace = NULL;
    g_autoptr(HyReport) report = hy_segment_lines(older, lines, &trace, NULL);
    assert_int_equal(report->awards->len, 2);
    const HyAward *first = g_ptr_array_index(report->awards, 0);
    const HyAward *second = g_ptr_array_index(report->awards, 1);
    hy_assert_str(first->awardee.name, "当別町");
    hy_assert_str(first->category, "総務大臣賞");
    assert_int_equal(first->captions->len, 0); /* 受/賞/団/体 are a label, not captions */
    hy_assert_str(second->awardee.name, "川越市、川越市姉妹都市交流委員会");
    hy_assert_str(second->category, "審査委員会特別賞");
    hy_assert_str(second->awardee.lg_code, "112011");
    assert_int_equal(second->captions->len, 0);
    for (guint i = 0; i < trace->len; i++) {
        const HyLineTrace *t = &g_array_index(trace, HyLineTrace, i);
        if (g_utf8_strlen(t->line->text, -1) == 1) hy_assert_str(t->field, "label");
    }
}

static void test_segment_block_naming_no_one_is_no_award(void **state)
{
    const char *text = "富山県(交流先:遼寧省(中華人民共和国))\n"
                       "・35年間地道に交流活動を継続している点が評価できる。\n"
                       "お問い合わせ先\n"
                       "富山県総合政策局国際課\n"
                       "電話:076-444-3158\n"
                       "・迷惑メール対策のため、表示を変えております。\n"
                       "電話:03-5213-0000\n";
    g_autoptr(GPtrArray) lines = lines_from_text(text);
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, NULL, NULL);
    assert_int_equal(report->awards->len, 1);
    for (guint i = 0; i < report->awards->len; i++) {
        const HyAward *award = g_ptr_array_index(report->awards, i);
        assert_non_null(award->awardee.name);
        assert_true(*award->awardee.name != '\0');
    }
    assert_true(report->warnings->len >= 1);
}

/* A contact block whose header no rule knows is still a contact block: its fields are
 * filled as under お問い合わせ先, and the award names the header it was taken under. */
static void test_segment_contact_block_under_an_unknown_header(void **state)
{
    const char *text = "富山県(交流先:遼寧省(中華人民共和国))\n"
                       "・評価の文が一つ。\n"
                       "【連絡窓口】\n"
                       "富山県知事政策局国際課\n"
                       "〒930-8501 富山市新総曲輪1-7\n"
                       "電話:076-444-3159 FAX:076-444-3478\n"
                       "E-mail:akokusai@pref.toyama.lg.jp\n"
                       "URL:https://www.pref.toyama.jp/\n";
    g_autoptr(GPtrArray) lines = lines_from_text(text);
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, NULL, NULL);
    assert_int_equal(report->awards->len, 1);
    const HyAward *award = award_at(report, 0);
    hy_assert_str(award->awardee.name, "富山県");
    hy_assert_str(award->contact.department, "富山県知事政策局国際課");
    hy_assert_str(award->contact.postal_code, "930-8501");
    hy_assert_str(award->contact.address, "富山市新総曲輪1-7");
    hy_assert_str(award->contact.tel, "076-444-3159");
    hy_assert_str(award->contact.fax, "076-444-3478");
    hy_assert_str(award->contact.email, "akokusai@pref.toyama.lg.jp");
    hy_assert_str(award->contact.url, "https://www.pref.toyama.jp/");
    assert_int_equal(award->captions->len, 0);
    assert_int_equal(award->warnings->len, 1);
    hy_assert_str(g_ptr_array_index(award->warnings, 0), "line 3: contact-like block under an unknown header 【連絡窓口】");
    assert_int_equal(report->warnings->len, 0);

    /* A label ending in ':' right above the values: no department; a bare phone number is a tel. */
    const char *colon = "鶴岡市(交流先:ニューブランズウィック市(アメリカ合衆国))\n"
                        "・大学間の研究交流を起点に交流の担い手を広げてきた点が評価できる。\n"
                        "記念植樹\n"
                        "窓口:\n"
                        "〒997-8601 山形県鶴岡市馬場町9-25\n"
                        "0235-25-2111\n";
    g_autoptr(GPtrArray) colon_lines = lines_from_text(colon);
    g_autoptr(HyReport) colon_report = hy_segment_lines(*state, colon_lines, NULL, NULL);
    assert_int_equal(colon_report->awards->len, 1);
    award = award_at(colon_report, 0);
    assert_null(award->contact.department);
    hy_assert_str(award->contact.address, "山形県鶴岡市馬場町9-25");
    hy_assert_str(award->contact.tel, "0235-25-2111");
    assert_int_equal(award->captions->len, 1);
    hy_assert_str(g_ptr_array_index(award->captions, 0), "記念植樹");
    assert_int_equal(award->warnings->len, 1);
    hy_assert_str(g_ptr_array_index(award->warnings, 0), "line 4: contact-like block under an unknown header 窓口:");

    /* The label and the department on one line: the rest of the line is the department. */
    const char *one_line = "富山県(交流先:遼寧省(中華人民共和国))\n"
                           "・評価の文が一つ。\n"
                           "【連絡窓口】富山県知事政策局国際課\n"
                           "〒930-8501 富山市新総曲輪1-7\n"
                           "電話:076-444-3159 FAX:076-444-3478\n";
    g_autoptr(GPtrArray) one_line_lines = lines_from_text(one_line);
    g_autoptr(HyReport) one_line_report = hy_segment_lines(*state, one_line_lines, NULL, NULL);
    award = award_at(one_line_report, 0);
    hy_assert_str(award->contact.department, "富山県知事政策局国際課");
    hy_assert_str(award->contact.tel, "076-444-3159");
    assert_int_equal(award->captions->len, 0);
    assert_int_equal(award->warnings->len, 1);
    hy_assert_str(g_ptr_array_index(award->warnings, 0), "line 3: contact-like block under an unknown header 【連絡窓口】");
}

/* A block of contact values with no header at all: the line right above it is its
 * department when it is named as one (department_like), with a warning; and a prefecture's
 * contact whose address leaves the prefecture out is still that prefecture's (no second,
 * invented award). */
static void test_segment_contact_block_without_a_header(void **state)
{
    const char *text = "富山県(交流先:遼寧省(中華人民共和国))\n"
                       "・評価の文が一つ。\n"
                       "富山ファン倶楽部里帰りツアー\n"
                       "富山県知事政策局国際課\n"
                       "〒930-8501 富山市新総曲輪1-7\n"
                       "電話:076-444-3159 FAX:076-444-3478\n";
    g_autoptr(GPtrArray) lines = lines_from_text(text);
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, NULL, NULL);
    assert_int_equal(report->awards->len, 1);
    const HyAward *award = award_at(report, 0);
    hy_assert_str(award->contact.department, "富山県知事政策局国際課");
    hy_assert_str(award->contact.address, "富山市新総曲輪1-7");
    assert_int_equal(award->captions->len, 1);
    hy_assert_str(g_ptr_array_index(award->captions, 0), "富山ファン倶楽部里帰りツアー");
    assert_int_equal(award->warnings->len, 1);
    hy_assert_str(g_ptr_array_index(award->warnings, 0),
                  "line 4: contact block without a header; its department read from the line above its values: "
                  "富山県知事政策局国際課");

    const char *no_department = "富山県(交流先:遼寧省(中華人民共和国))\n"
                                "・評価の文が一つ。\n"
                                "富山県庁での調印式\n"
                                "〒930-8501 富山市新総曲輪1-7\n"
                                "電話:076-444-3159\n";
    g_autoptr(GPtrArray) plain_lines = lines_from_text(no_department);
    g_autoptr(HyReport) plain = hy_segment_lines(*state, plain_lines, NULL, NULL);
    assert_int_equal(plain->awards->len, 1);
    award = award_at(plain, 0);
    hy_assert_str(award->awardee.name, "富山県");
    assert_null(award->contact.department);
    hy_assert_str(award->contact.tel, "076-444-3159");
    hy_assert_str(g_ptr_array_index(award->captions, 0), "富山県庁での調印式");

    /* A contact that names no local government (an address without its city, a department
     * without its prefecture) contradicts no heading: one award, not a second one named
     * after the department; a ward of the city is the city's. */
    static const char *const silent[] = {
        "薩摩川内市(交流先:常熟市(中華人民共和国))\n・評価の文が一つ。\nお問い合わせ先\n商工観光部交通貿易課\n"
        "〒895-8650 神田町3番22号\n電話:0996-23-5111\n",
        "京都市(交流先:ボストン市(アメリカ合衆国))\n・評価の文が一つ。\nお問い合わせ先\n総合企画局国際化推進室\n"
        "〒604-8571 中京区寺町通御池上る上本能寺前町488番地\n電話:075-222-3072\n",
    };
    for (guint i = 0; i < G_N_ELEMENTS(silent); i++) {
        g_autoptr(GPtrArray) silent_lines = lines_from_text(silent[i]);
        g_autoptr(HyReport) one = hy_segment_lines(*state, silent_lines, NULL, NULL);
        assert_int_equal(one->awards->len, 1);
        assert_int_equal(award_at(one, 0)->warnings->len, 0);
        assert_non_null(award_at(one, 0)->contact.department);
    }

    /* Another prefecture's address is another awardee's contact. */
    const char *elsewhere = "富山県(交流先:遼寧省(中華人民共和国))\n"
                            "・評価の文が一つ。\n"
                            "〒604-8571 京都市中京区寺町通御池上る上本能寺前町488番地\n"
                            "電話:075-222-3072\n";
    g_autoptr(GPtrArray) elsewhere_lines = lines_from_text(elsewhere);
    g_autoptr(HyReport) split = hy_segment_lines(*state, elsewhere_lines, NULL, NULL);
    assert_int_equal(split->awards->len, 2);
}

/* No header is made up: one line of values is no block, a known header is no stranger, a
 * line that is no label heads nothing, and the cover's contact stays the cover's. */
static void test_segment_unknown_header_needs_a_block_and_a_label(void **state)
{
    const char *one_value = "富山県(交流先:遼寧省(中華人民共和国))\n"
                            "・評価の文が一つ。\n"
                            "【記念式典】\n"
                            "〒930-8501 富山県富山市新総曲輪1-7\n";
    g_autoptr(GPtrArray) lines = lines_from_text(one_value);
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, NULL, NULL);
    const HyAward *award = award_at(report, 0);
    assert_int_equal(award->captions->len, 1);
    hy_assert_str(g_ptr_array_index(award->captions, 0), "【記念式典】");
    for (guint i = 0; i < award->warnings->len; i++)
        assert_null(strstr(g_ptr_array_index(award->warnings, i), "unknown header"));

    const char *known = "富山県(交流先:遼寧省(中華人民共和国))\n"
                        "・評価の文が一つ。\n"
                        "【お問合せ先】\n"
                        "富山県知事政策局国際課\n"
                        "【国際交流班】\n"
                        "電話:076-444-3159\n"
                        "E-mail:akokusai@pref.toyama.lg.jp\n";
    g_autoptr(GPtrArray) known_lines = lines_from_text(known);
    g_autoptr(HyReport) known_report = hy_segment_lines(*state, known_lines, NULL, NULL);
    award = award_at(known_report, 0);
    hy_assert_str(award->contact.department, "富山県知事政策局国際課【国際交流班】");
    assert_int_equal(award->warnings->len, 0);

    g_autoptr(GPtrArray) cover = lines_from_text("報道資料\n"
                                                 "令和4年5月30日\n"
                                                 "受賞団体\n"
                                                 " ○鶴岡市(山形県)\n"
                                                 "【担当窓口】\n"
                                                 " 総務省自治行政局国際室\n"
                                                 "  電話:03-5253-0000(直通)\n"
                                                 "  E-mail:example(at)soumu.go.jp\n"
                                                 "資料1\n"
                                                 "鶴岡市(交流先:ニューブランズウィック市(アメリカ合衆国))\n"
                                                 "・大学間の研究交流を起点にしている点が評価できる。\n"
                                                 "お問い合わせ先\n"
                                                 "鶴岡市企画部国際交流課\n");
    g_autoptr(HyReport) release = hy_segment_lines(*state, cover, NULL, NULL);
    assert_int_equal(release->awards->len, 1);
    award = award_at(release, 0);
    hy_assert_str(award->contact.department, "鶴岡市企画部国際交流課");
    assert_null(award->contact.tel);
    assert_null(award->contact.email);
    assert_int_equal(award->warnings->len, 0);
}

/* A caption or an evaluation holding a phone number, an e-mail address or a postal code is
 * warned about, the line named and quoted short; a URL is not. */
static void test_segment_caption_or_evaluation_looking_like_a_contact_field(void **state)
{
    const char *text = "京都市(交流先:ボストン市(アメリカ合衆国))\n"
                       "・交流が長く続いている点が評価できる。詳しくは075-222-3072まで問い合わせられたい。\n"
                       "・記録はhttps://www.city.kyoto.lg.jp/で公開されている。\n"
                       "・記念館は〒604-8571に移転した。\n"
                       "交流事業の様子 kokusai@city.kyoto.lg.jp\n"
                       "お問い合わせ先\n"
                       "京都市総合企画局国際化推進室\n"
                       "電話:075-222-3072\n";
    g_autoptr(GPtrArray) lines = lines_from_text(text);
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, NULL, NULL);
    assert_int_equal(report->awards->len, 1);
    const HyAward *award = award_at(report, 0);
    assert_int_equal(award->evaluations->len, 3);
    assert_int_equal(award->captions->len, 1);
    hy_assert_str(award->contact.tel, "075-222-3072");
    static const char *const want[] = {
        "line 2: evaluation looks like a contact field (phone number): ・交流が長く続いている点が評価できる。詳しくは075-222…",
        "line 4: evaluation looks like a contact field (postal code): ・記念館は〒604-8571に移転した。",
        "line 5: caption looks like a contact field (e-mail): 交流事業の様子kokusai@city.kyoto.lg.j…",
    };
    assert_int_equal(award->warnings->len, G_N_ELEMENTS(want));
    for (guint i = 0; i < G_N_ELEMENTS(want); i++) hy_assert_str(g_ptr_array_index(award->warnings, i), want[i]);
}

/* Lines with positions and sizes, as a PDF gives them: each "SIZE|X|text". */
static GPtrArray *lines_with_layout(const char *const *specs)
{
    GPtrArray *lines = g_ptr_array_new_with_free_func((GDestroyNotify)hy_line_free);
    for (int i = 0; specs[i] != NULL; i++) {
        g_auto(GStrv) parts = g_strsplit(specs[i], "|", 3);
        g_autoptr(HyLine) line = hy_line_new(1, i + 1, parts[2], -1);
        assert_true(hy_normalize_line(line, NULL));
        line->font_size = g_ascii_strtod(parts[0], NULL);
        line->x = g_ascii_strtod(parts[1], NULL);
        line->y = 60.0 + 18.0 * i;
        g_ptr_array_add(lines, g_steal_pointer(&line));
    }
    return lines;
}

/* What only looks like part of an award: a title wrapped before its 表彰 is the title, and
 * a line at a heading's size with no partner, evaluations or contact names no award. */
static void test_segment_what_only_looks_like_a_heading(void **state)
{
    g_autoptr(GPtrArray) wrapped = lines_from_text("平成30年度 第13回自治体国際交流\n"
                                                   "表彰(総務大臣賞)\n"
                                                   "熊本県(交流先:広西チワン族自治区(中華人民共和国))\n"
                                                   "・35年以上にわたり友好提携を維持している点が評価できる。\n"
                                                   "お問い合わせ先\n"
                                                   "熊本県知事公室国際課\n"
                                                   "住所:〒862-8570 熊本県熊本市中央区水前寺6丁目18番1号\n");
    g_autoptr(HyReport) report = hy_segment_lines(*state, wrapped, NULL, NULL);
    hy_assert_str(report->title, "平成30年度第13回自治体国際交流");
    assert_int_equal(report->edition, 13);
    assert_int_equal(report->year, 2018);
    assert_int_equal(report->awards->len, 1);
    hy_assert_str(award_at(report, 0)->awardee.name, "熊本県");
    hy_assert_str(award_at(report, 0)->category, "総務大臣賞");

    static const char *const specs[] = {
        "14|68|友好交流の歩み",
        "9|120|友好提携35周年記念式典",
        "14|68|熊本県(交流先:広西チワン族自治区(中華人民共和国))",
        "11|80|・35年以上にわたり友好提携を維持している点が評価できる。",
        "11|68|お問い合わせ先",
        "11|68|熊本県知事公室国際課",
        "11|68|住所:〒862-8570 熊本県熊本市中央区水前寺6丁目18番1号",
        NULL,
    };
    g_autoptr(GPtrArray) lines = lines_with_layout(specs);
    g_autoptr(HyReport) sized = hy_segment_lines(*state, lines, NULL, NULL);
    assert_int_equal(sized->awards->len, 1);
    hy_assert_str(award_at(sized, 0)->awardee.name, "熊本県");
    hy_assert_str(g_ptr_array_index(sized->warnings, 0),
                  "page 1: 友好交流の歩み looks like a heading but has no partner, evaluations or contact block: no award");
}

/* A heading of its partners alone names no awardee: the name comes from the contact
 * block, said so, never "(交流先:…)". */
static void test_segment_heading_of_partners_alone(void **state)
{
    g_autoptr(GPtrArray) lines = lines_from_text("(交流先:サリナス市(アメリカ合衆国カリフォルニア州))\n"
                                                 "・30年以上にわたり交流を継続している点が評価できる。\n"
                                                 "お問い合わせ先\n"
                                                 "いちき串木野市政策課\n"
                                                 "住所:〒896-8601 鹿児島県いちき串木野市昭和通133番地1\n");
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, NULL, NULL);
    assert_int_equal(report->awards->len, 1);
    const HyAward *award = award_at(report, 0);
    hy_assert_str(award->awardee.name, "いちき串木野市");
    assert_true(award->awardee.inferred);
    hy_assert_str(g_ptr_array_index(award->warnings, 0),
                  "no heading found: awardee いちき串木野市 inferred from the contact block");
}

/* A contact table read column by column, its address wrapped in its cell: the tail goes
 * with the address, not to the captions. */
static void test_segment_address_wrapped_in_its_cell(void **state)
{
    static const struct {
        double x, y;
        const char *text;
    } cells[] = {
        {68, 60, "熊本県(交流先:広西チワン族自治区(中華人民共和国))"},
        {80, 80, "・35年以上にわたり友好提携を維持している点が評価できる。"},
        {68, 100, "お問い合わせ先"},
        {68, 118, "担当"}, {68, 136, "住所"}, {68, 154, "電話"},
        {150, 118, "熊本県知事公室国際課"}, {150, 136, "〒862-8570 熊本県熊本市中央区水前寺6丁目"},
        {150, 147, "18番1号"}, {150, 154, "096-333-2155"},
    };
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func((GDestroyNotify)hy_line_free);
    for (guint i = 0; i < G_N_ELEMENTS(cells); i++) {
        g_autoptr(HyLine) line = hy_line_new(1, (int)i + 1, cells[i].text, -1);
        assert_true(hy_normalize_line(line, NULL));
        line->font_size = i == 0 ? 14 : 11;
        line->x = cells[i].x;
        line->y = cells[i].y;
        g_ptr_array_add(lines, g_steal_pointer(&line));
    }
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, NULL, NULL);
    assert_int_equal(report->awards->len, 1);
    const HyAward *award = award_at(report, 0);
    hy_assert_str(award->contact.address, "熊本県熊本市中央区水前寺6丁目18番1号");
    hy_assert_str(award->contact.tel, "096-333-2155");
    assert_int_equal(award->captions->len, 0);
}

static void test_segment_heading_wrapped_before_its_partners(void **state)
{
    static const char *const specs[] = {
        "14|68|特定非営利活動法人にいがた国際交流ネットワーク",
        "14|68|(交流先:ハバロフスク市(ロシア連邦))",
        "11|80|・市民が主体となって30年にわたり交流を続けている点が評価できる。",
        "11|68|お問い合わせ先",
        "11|68|特定非営利活動法人にいがた国際交流ネットワーク事務局",
        "11|68|住所:〒951-8068 新潟県新潟市中央区上大川前通7番町1243番地",
        NULL,
    };
    g_autoptr(GPtrArray) lines = lines_with_layout(specs);
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, NULL, NULL);
    assert_int_equal(report->awards->len, 1);
    const HyAward *award = g_ptr_array_index(report->awards, 0);
    hy_assert_str(award->awardee.name, "特定非営利活動法人にいがた国際交流ネットワーク");
    assert_int_equal(award->partners->len, 1);
    hy_assert_str(((const HyPartner *)g_ptr_array_index(award->partners, 0))->name, "ハバロフスク市");
    assert_int_equal(award->captions->len, 0);
}

static void test_segment_bullet_wrapped_before_a_nakaguro(void **state)
{
    /* Text without positions: the line before ・減災 is full and has not ended its sentence. */
    const char *text = "高知県(交流先:安徽省(中華人民共和国))\n"
                       "・南海トラフ地震への備えを共有し、両地域の行政職員が防災\n"
                       "・減災の研修を相互に重ねてきた点は他の自治体の模範となる。\n"
                       "・青少年の相互派遣を続けている。\n"
                       "お問い合わせ先\n"
                       "高知県文化生活スポーツ部国際交流課\n";
    g_autoptr(GPtrArray) lines = lines_from_text(text);
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, NULL, NULL);
    assert_int_equal(report->awards->len, 1);
    const HyAward *award = g_ptr_array_index(report->awards, 0);
    assert_int_equal(award->evaluations->len, 2);
    hy_assert_str(g_ptr_array_index(award->evaluations, 0),
                  "南海トラフ地震への備えを共有し、両地域の行政職員が防災・減災の研修を相互に重ねてきた点は他の自治体の模範となる。");
    /* With positions: the ・ line set in at the continuation indent. */
    static const char *const specs[] = {
        "14|68|高知県(交流先:安徽省(中華人民共和国))",
        "11|80|・両地域の行政職員が防災",
        "11|97|・減災の研修を重ねてきた。",
        "11|80|・青少年の相互派遣を続けている。",
        "11|68|お問い合わせ先",
        "11|68|高知県文化生活スポーツ部国際交流課",
        NULL,
    };
    g_autoptr(GPtrArray) placed = lines_with_layout(specs);
    g_autoptr(HyReport) placed_report = hy_segment_lines(*state, placed, NULL, NULL);
    award = g_ptr_array_index(placed_report->awards, 0);
    assert_int_equal(award->evaluations->len, 2);
    hy_assert_str(g_ptr_array_index(award->evaluations, 0), "両地域の行政職員が防災・減災の研修を重ねてきた。");
}

static void test_segment_captions_on_one_line_after_an_evaluation(void **state)
{
    /* MuPDF keeps drawing order: two captions side by side come out as one line, as long
     * as a line of the evaluation before them, which has ended. */
    const char *text = "富山県(交流先:遼寧省(中華人民共和国))\n"
                       "・両県省にお互いの「ファン倶楽部」が創設されていることは\n"
                       "両県省の友好交流の成果であると評価できる。\n"
                       "富山ファン倶楽部里帰りツアー 遼寧省との覚書締結式の様子\n"
                       "お問い合わせ先\n"
                       "富山県総合政策局国際課\n";
    g_autoptr(GPtrArray) lines = lines_from_text(text);
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, NULL, NULL);
    const HyAward *award = g_ptr_array_index(report->awards, 0);
    assert_int_equal(award->evaluations->len, 1);
    assert_int_equal(award->captions->len, 2);
    hy_assert_str(g_ptr_array_index(award->captions, 0), "富山ファン倶楽部里帰りツアー");
    hy_assert_str(g_ptr_array_index(award->captions, 1), "遼寧省との覚書締結式の様子");
}

static void test_segment_cover_lists_as_tables_and_numbered(void **state)
{
    const char *text = "報道資料\n"
                       "受賞団体\n"
                       "1 鶴岡市\n"
                       "2 高知県\n"
                       "鶴岡市　　山形県　　ニューブランズウィック市(アメリカ合衆国)\n"
                       "○松江・ニューオーリンズ友好協会(島根県)　○函館市\n"
                       "3 表彰式\n"
                       "松本市\n";
    g_autoptr(GPtrArray) lines = lines_from_text(text);
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, NULL, NULL);
    static const char *const want[] = {"鶴岡市", "高知県", "鶴岡市", "松江・ニューオーリンズ友好協会", "函館市"};
    assert_int_equal(report->listed_awardees->len, G_N_ELEMENTS(want)); /* 表彰式 ends the list */
    for (guint i = 0; i < G_N_ELEMENTS(want); i++) hy_assert_str(g_ptr_array_index(report->listed_awardees, i), want[i]);
}

static void test_segment_repeated_overview_label_keeps_an_evaluation_going(void **state)
{
    const char *text = "受賞団体の概要\n"
                       "富山県(交流先:遼寧省(中華人民共和国))\n"
                       "・35年間地道に交流活動を継続して相互の信頼関係を築きながら、現在では\n"
                       "\f受賞団体の概要\n"
                       "活動分野が多方面にわたって広がっている点が評価できる。\n"
                       "お問い合わせ先\n"
                       "富山県総合政策局国際課\n";
    g_autoptr(GPtrArray) lines = lines_from_text(text);
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, NULL, NULL);
    const HyAward *award = g_ptr_array_index(report->awards, 0);
    assert_int_equal(award->evaluations->len, 1);
    hy_assert_str(g_ptr_array_index(award->evaluations, 0),
                  "35年間地道に交流活動を継続して相互の信頼関係を築きながら、現在では活動分野が多方面にわたって広がっている点が評価できる。");
    assert_int_equal(report->sections, HY_SECTION_AWARDS); /* no cover, no programme */
}

static void test_segment_older_cover_then_blocks_without_a_section_label(void **state)
{
    (void)state;
    g_autoptr(HyRules) older = hy_rules_load_builtin("older", NULL);
    const char *text = "平成21年1月20日\n"
                       "受賞団体\n"
                       "当別町(北海道)\n"
                       "○受賞団体\n"
                       "<姉妹提携の相手方>\n"
                       "当別町(北海道)\n"
                       "レクサンド市(スウェーデン王国)\n"
                       "<姉妹交流の概要>\n"
                       " 住民が主体となった交流が、まちづくりそのものにつながっている。\n";
    g_autoptr(GPtrArray) lines = lines_from_text(text);
    g_autoptr(HyReport) report = hy_segment_lines(older, lines, NULL, NULL);
    assert_int_equal(report->awards->len, 1);
    hy_assert_str(((const HyAward *)g_ptr_array_index(report->awards, 0))->awardee.name, "当別町");
    assert_int_equal(report->listed_awardees->len, 1);
    hy_assert_str(report->date, "2009-01-20");
    assert_int_equal(report->year, 2008);
}

static void test_segment_text_cues_of_other_extractors(void **state)
{
    /* pdftotext: a heading cut right after 交流先:; MuPDF: a centred caption's two lines a blank
     * line apart, the first ending on a particle; a whole caption ending in hiragana stays whole. */
    const char *text = "旭川・ブルーミントン・ノーマル姉妹都市委員会(北海道)(交流先:\n"
                       "ブルーミントン市・ノーマル市(アメリカ合衆国イリノイ州))\n"
                       "・市民で構成される委員会が40年以上にわたり交流を続けている。\n"
                       "\n"
                       "中学生派遣団の\n"
                       "\n"
                       "ノーマル市内の中学校での授業体験\n"
                       "\n"
                       "記念式典のようす\n"
                       "\n"
                       "市民交流会\n"
                       "お問い合わせ先\n"
                       "旭川・ブルーミントン・ノーマル姉妹都市委員会事務局\n";
    g_autoptr(GPtrArray) lines = lines_from_text(text);
    g_autoptr(HyReport) report = hy_segment_lines(*state, lines, NULL, NULL);
    assert_int_equal(report->awards->len, 1);
    const HyAward *award = g_ptr_array_index(report->awards, 0);
    hy_assert_str(award->awardee.name, "旭川・ブルーミントン・ノーマル姉妹都市委員会");
    assert_int_equal(award->partners->len, 1);
    assert_int_equal(award->captions->len, 3);
    hy_assert_str(g_ptr_array_index(award->captions, 0), "中学生派遣団のノーマル市内の中学校での授業体験");
    hy_assert_str(g_ptr_array_index(award->captions, 1), "記念式典のようす");
    hy_assert_str(g_ptr_array_index(award->captions, 2), "市民交流会");
}

static void test_segment_parallel_classification_is_identical(void **state)
{
    g_autofree char *sample = hy_test_read_fixture("text/award-2019-excerpt.txt", NULL);
    g_autoptr(GString) text = g_string_new(NULL);
    for (int i = 0; i < 80; i++) g_string_append_printf(text, "%s%s", i > 0 ? "\f" : "", sample);
    g_autoptr(GPtrArray) lines = lines_from_text(text->str);
    assert_true(lines->len > 4000);

    GArray *expected_trace = NULL;
    g_autoptr(HyReport) expected = hy_segment_lines(*state, lines, &expected_trace, NULL);
    assert_non_null(expected);
    assert_int_equal(expected->awards->len, 240);
    const int thread_counts[] = {2, 3, 4, 0};
    for (guint t = 0; t < G_N_ELEMENTS(thread_counts); t++) {
        GArray *trace = NULL;
        g_autoptr(GError) error = NULL;
        g_autoptr(HyReport) report = hy_segment_lines_parallel(*state, lines, thread_counts[t], &trace, &error);
        hy_assert_no_error(error);
        assert_int_equal(report->awards->len, expected->awards->len);
        assert_int_equal(trace->len, expected_trace->len);
        for (guint i = 0; i < trace->len; i++) {
            const HyLineTrace *a = &g_array_index(expected_trace, HyLineTrace, i);
            const HyLineTrace *b = &g_array_index(trace, HyLineTrace, i);
            assert_ptr_equal(a->line, b->line);
            assert_int_equal(a->line_class, b->line_class);
            assert_int_equal(a->award, b->award);
            hy_assert_str(a->rule, b->rule);
            hy_assert_str(a->field, b->field);
        }
        for (guint i = 0; i < report->awards->len; i++) {
            hy_assert_str(award_at(report, i)->awardee.name, award_at(expected, i)->awardee.name);
            assert_int_equal(award_at(report, i)->evaluations->len, award_at(expected, i)->evaluations->len);
        }
        g_array_unref(trace);
    }
    g_array_unref(expected_trace);

    HyLine *late = g_ptr_array_index(lines, lines->len - 10);
    if (late->text != late->raw) g_free(late->text); /* it may be the raw text itself (HyLine) */
    late->text = g_strdup("\xff\xfe not UTF-8");
    for (guint t = 0; t < G_N_ELEMENTS(thread_counts); t++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(HyReport) report = hy_segment_lines_parallel(*state, lines, thread_counts[t], NULL, &error);
        assert_null(report);
        g_autofree char *message = g_strdup_printf("line %d is not normalized UTF-8", late->number);
        assert_true(g_error_matches(error, HY_SEGMENT_ERROR, HY_SEGMENT_ERROR_INPUT));
        hy_assert_str(error->message, message);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_builtin_profiles_load),
        cmocka_unit_test(test_rules_bad_pattern_names_file_line_rule_offset),
        cmocka_unit_test(test_rules_unknown_kind_and_bad_shape),
        cmocka_unit_test(test_rules_file_extends_the_builtin_profile),
        cmocka_unit_test(test_rules_file_replacing_names_the_kinds_it_lacks),
        cmocka_unit_test(test_rules_directive_misplaced_or_unknown),
        cmocka_unit_test(test_classify_every_line_kind_of_the_sample),
        cmocka_unit_test(test_contact_tel_and_fax_on_one_line),
        cmocka_unit_test(test_contact_tel_fax_shared_number),
        cmocka_unit_test(test_contact_on_one_line),
        cmocka_unit_test(test_heading_without_opening_bracket),
        cmocka_unit_test(test_contact_fields_cleaned),
        cmocka_unit_test(test_contact_field_table),
        cmocka_unit_test(test_heading_partners_and_countries),
        cmocka_unit_test(test_country_codes),
        cmocka_unit_test(test_lg_code_lookup),
        cmocka_unit_test(test_segment_unused_contact_values_are_warned),
        cmocka_unit_test(test_segment_two_captions_on_one_raw_line),
        cmocka_unit_test(test_segment_bullet_glyph_alone_and_lost_glyph),
        cmocka_unit_test(test_segment_contact_with_glyph_gaps),
        cmocka_unit_test(test_segment_listed_headings_are_not_awards),
        cmocka_unit_test(test_segment_text_naming_no_awardee_is_no_award),
        cmocka_unit_test(test_segment_sample_three_awards),
        cmocka_unit_test(test_segment_parallel_classification_is_identical),
        cmocka_unit_test(test_segment_release_gives_only_the_award_sections_awards),
        cmocka_unit_test(test_segment_cover_alone_is_a_release_without_awards),
        cmocka_unit_test(test_segment_date_lines),
        cmocka_unit_test(test_segment_prizes_vertical_label_and_joint_award),
        cmocka_unit_test(test_segment_block_naming_no_one_is_no_award),
        cmocka_unit_test(test_segment_contact_block_under_an_unknown_header),
        cmocka_unit_test(test_segment_contact_block_without_a_header),
        cmocka_unit_test(test_segment_what_only_looks_like_a_heading),
        cmocka_unit_test(test_segment_heading_of_partners_alone),
        cmocka_unit_test(test_segment_address_wrapped_in_its_cell),
        cmocka_unit_test(test_segment_unknown_header_needs_a_block_and_a_label),
        cmocka_unit_test(test_segment_caption_or_evaluation_looking_like_a_contact_field),
        cmocka_unit_test(test_segment_heading_wrapped_before_its_partners),
        cmocka_unit_test(test_segment_bullet_wrapped_before_a_nakaguro),
        cmocka_unit_test(test_segment_captions_on_one_line_after_an_evaluation),
        cmocka_unit_test(test_segment_cover_lists_as_tables_and_numbered),
        cmocka_unit_test(test_segment_repeated_overview_label_keeps_an_evaluation_going),
        cmocka_unit_test(test_segment_older_cover_then_blocks_without_a_section_label),
        cmocka_unit_test(test_segment_text_cues_of_other_extractors),
        cmocka_unit_test(test_rules_screen_is_exact),
        cmocka_unit_test(test_rules_captures_of_several_rules_in_one_block),
    };
    return cmocka_run_group_tests(tests, setup_rules, teardown_rules);
}
