/* test_extract.c -- the extract stage: reading, format and encoding detection, text
 * lines and pages, every error code, and PDF extraction on PDFs that cairo draws at
 * run time (pages, font sizes, positions, paragraph gaps, threads). The encrypted
 * case uses the shared robustness corpus and is skipped when it is not there. */
#include "hy_test.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

/* cairo comes with poppler-glib (its link flags carry -lcairo); the header is found
 * by its directory because only hy_extract sees poppler's include path. */
#include <cairo/cairo-pdf.h>

#include "hy_extract.h"

static HyLine *line_at(const HyDocument *doc, guint i)
{
    if (i >= doc->lines->len)
        fail_msg("expected a line %u, the document has %u", i, doc->lines->len);
    return g_ptr_array_index(doc->lines, i);
}

static HyDocument *load_fixture(const char *name, const HyExtractOptions *options, GError **error)
{
    g_autofree char *path = hy_test_fixture_path(name);
    return hy_extract_load(path, options, error);
}

static HyDocument *load_string(const char *text, gssize len, const HyExtractOptions *options, GError **error)
{
    g_autoptr(GBytes) bytes = g_bytes_new(text, len < 0 ? strlen(text) : (gsize)len);
    return hy_extract_load_bytes("mem.txt", bytes, options, error);
}

/* ---- options and text ----------------------------------------------------- */

static void test_extract_options_defaults(void **state)
{
    (void)state;
    HyExtractOptions o;
    memset(&o, 0xAB, sizeof o);
    hy_extract_options_init(&o);
    assert_null(o.encoding);
    assert_null(o.password);
    assert_true(o.max_bytes == 256u * 1024 * 1024);
    assert_int_equal(o.max_pages, 2000);
    assert_int_equal(o.max_line_bytes, 65536);
    assert_int_equal(o.max_lines_per_page, 20000);
    assert_true(o.timeout_seconds == 30.0);
    assert_int_equal(o.threads, 0);
    hy_assert_str(hy_format_name(HY_FORMAT_PDF), "pdf");
    hy_assert_str(hy_format_name(HY_FORMAT_TEXT), "text");
}

static void test_extract_utf8_bom_crlf_form_feeds(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    g_autoptr(HyDocument) doc = load_fixture("extract/utf8-bom-crlf.txt", NULL, &error);
    hy_assert_no_error(error);
    assert_int_equal(doc->format, HY_FORMAT_TEXT);
    hy_assert_str(doc->encoding, "UTF-8");
    assert_int_equal(doc->n_pages, 2); /* the final form feed opens no page */
    assert_int_equal(doc->lines->len, 4);
    assert_int_equal(doc->warnings->len, 0);

    struct {
        int page, number, blank_before;
        const char *text;
    } want[] = {
        {1, 1, 0, "第14回自治体国際交流表彰"}, /* BOM gone, CR gone */
        {1, 4, 2, "富山県(交流先:遼寧省)"},     /* an empty line and a line of spaces */
        {2, 5, 0, "京都市"},                     /* a form feed opens page 2 */
        {2, 7, 1, "薩摩川内市"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
        HyLine *line = line_at(doc, i);
        assert_int_equal(line->page, want[i].page);
        assert_int_equal(line->number, want[i].number);
        assert_int_equal(line->blank_before, want[i].blank_before);
        hy_assert_str(line->text, want[i].text);
        assert_null(strchr(line->raw, '\r'));
        assert_true(line->font_size == 0 && line->x == 0 && line->y == 0);
    }
    hy_assert_str(line_at(doc, 0)->raw, "第14回 自治体国際交流表彰");
}

static void test_extract_sha256_and_path(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    g_autofree char *path = hy_test_fixture_path("extract/utf8-bom-crlf.txt");
    g_autoptr(HyDocument) doc = hy_extract_load(path, NULL, &error);
    hy_assert_no_error(error);
    hy_assert_str(doc->path, path);
    gsize len = 0;
    g_autofree char *contents = hy_test_read_fixture("extract/utf8-bom-crlf.txt", &len);
    g_autofree char *sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)contents, len);
    hy_assert_str(doc->sha256, sha);
    assert_int_equal(strlen(doc->sha256), 64);
}

/* With more than one thread the digest of a large input is computed beside
 * extraction: the same digest, on success and on failure alike (no thread left). */
static void test_extract_sha256_beside_extraction(void **state)
{
    (void)state;
    g_autoptr(GString) text = g_string_new(NULL);
    while (text->len < 300 * 1024) g_string_append(text, "富山県(交流先:遼寧省(中華人民共和国))\n");
    g_autoptr(GBytes) bytes = g_bytes_new(text->str, text->len);
    g_autofree char *expected = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, bytes);
    for (int threads = 0; threads <= 2; threads++) {
        HyExtractOptions options;
        hy_extract_options_init(&options);
        options.threads = threads;
        g_autoptr(GError) error = NULL;
        g_autoptr(HyDocument) doc = hy_extract_load_bytes("big.txt", bytes, &options, &error);
        hy_assert_no_error(error);
        hy_assert_str(doc->sha256, expected);

        options.max_line_bytes = 0;
        options.encoding = "no-such-encoding";
        g_autoptr(GError) failure = NULL;
        g_autoptr(HyDocument) none = hy_extract_load_bytes("big.txt", bytes, &options, &failure);
        assert_null(none);
        assert_non_null(failure);
    }
}

static void test_extract_form_feed_pages(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    /* an empty page in the middle counts; a form feed inside a line splits it */
    g_autoptr(HyDocument) doc = load_string("a\f\fb\nc\fd\n", -1, NULL, &error);
    hy_assert_no_error(error);
    assert_int_equal(doc->n_pages, 4);
    assert_int_equal(doc->lines->len, 4);
    assert_int_equal(line_at(doc, 0)->page, 1);
    assert_int_equal(line_at(doc, 1)->page, 3);
    hy_assert_str(line_at(doc, 1)->text, "b");
    assert_int_equal(line_at(doc, 2)->page, 3);
    assert_int_equal(line_at(doc, 2)->number, 2);
    assert_int_equal(line_at(doc, 3)->page, 4);
    assert_int_equal(line_at(doc, 3)->number, 2);

    g_autoptr(HyDocument) trailing = load_string("a\n\f\n\n", -1, NULL, &error);
    hy_assert_no_error(error);
    assert_int_equal(trailing->n_pages, 1);

    g_autoptr(HyDocument) plain = load_string("one line, no newline", -1, NULL, &error);
    hy_assert_no_error(error);
    assert_int_equal(plain->n_pages, 1);
    assert_int_equal(plain->lines->len, 1);
}

static void test_extract_indent_and_normalization(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    g_autoptr(HyDocument) doc = load_string("\u3000\uF0B2 35 年間\n  電話：076ー444ー3158     FAX：0\n", -1, NULL, &error);
    hy_assert_no_error(error);
    assert_int_equal(doc->lines->len, 3); /* the wide gap parts 電話 from FAX */
    hy_assert_str(line_at(doc, 0)->text, "\uF0B2 35年間");
    assert_int_equal(line_at(doc, 0)->indent, 2);
    hy_assert_str(line_at(doc, 1)->text, "電話:076-444-3158");
    assert_int_equal(line_at(doc, 1)->indent, 2);
    hy_assert_str(line_at(doc, 2)->text, "FAX:0");
    assert_int_equal(line_at(doc, 2)->number, 2);
}

static void test_extract_layout_columns_read_one_after_the_other(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    /* pdftotext -layout: two captions side by side, each wrapped over two lines. */
    const char *text = "   富山県と遼寧省との          ボストン市庁舎での\n"
                       "   交流と協力の覚書締結        再調印式\n"
                       "\n"
                       "URL   :http://www.pref.toyama.jp/\n";
    g_autoptr(HyDocument) doc = load_string(text, -1, NULL, &error);
    hy_assert_no_error(error);
    assert_int_equal(doc->lines->len, 5);
    hy_assert_str(line_at(doc, 0)->text, "富山県と遼寧省との");
    hy_assert_str(line_at(doc, 1)->text, "交流と協力の覚書締結");
    assert_int_equal(line_at(doc, 1)->blank_before, 0);
    hy_assert_str(line_at(doc, 2)->text, "ボストン市庁舎での");
    assert_int_equal(line_at(doc, 2)->blank_before, 1); /* a new column is a new paragraph */
    hy_assert_str(line_at(doc, 3)->text, "再調印式");
    hy_assert_str(line_at(doc, 4)->text, "URL :http://www.pref.toyama.jp/"); /* three spaces are no gutter */
}

static void test_extract_gutter_line_without_layout_stays_in_order(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    /* PyMuPDF: 電話 and FAX written apart by two ideographic spaces, no blank line after
     * the contact box; the lines below run across where FAX starts, so they are no
     * column of their own and FAX stays right after 電話. */
    const char *text = "電話：076-444-3158\u3000\u3000FAX：076-444-9612\n"
                       "E-mail: akokusai@pref.toyama.lg.jp\n"
                       "富山ファン倶楽部里帰りツアー\n";
    g_autoptr(HyDocument) doc = load_string(text, -1, NULL, &error);
    hy_assert_no_error(error);
    assert_int_equal(doc->lines->len, 4);
    hy_assert_str(line_at(doc, 0)->text, "電話:076-444-3158");
    hy_assert_str(line_at(doc, 1)->text, "FAX:076-444-9612");
    hy_assert_str(line_at(doc, 2)->text, "E-mail: akokusai@pref.toyama.lg.jp");
    hy_assert_str(line_at(doc, 3)->text, "富山ファン倶楽部里帰りツアー");
}

static void test_extract_cp932_detected(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    g_autoptr(HyDocument) doc = load_fixture("extract/cp932.txt", NULL, &error);
    hy_assert_no_error(error);
    hy_assert_str(doc->encoding, "Shift_JIS");
    assert_int_equal(doc->lines->len, 6);
    hy_assert_str(line_at(doc, 0)->text, "富山県(交流先:遼寧省(中華人民共和国))");
    /* CP932 extensions decode (① NEC row 13, 髙 IBM) and normalization then applies */
    assert_true(g_str_has_prefix(line_at(doc, 1)->raw, "① 35年間"));
    assert_true(g_str_has_prefix(line_at(doc, 1)->text, "(1) 35年間")); /* a leading ① is an item mark */
    assert_true(g_str_has_suffix(line_at(doc, 3)->text, "髙橋"));
    hy_assert_str(line_at(doc, 5)->raw, "受付時間\u30009時～17時\u3000ｶﾀｶﾅ");
    hy_assert_str(line_at(doc, 5)->text, "受付時間9時~17時カタカナ");
}

static void test_extract_eucjp_detected(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    g_autoptr(HyDocument) doc = load_fixture("extract/eucjp.txt", NULL, &error);
    hy_assert_no_error(error);
    hy_assert_str(doc->encoding, "EUC-JP");
    assert_int_equal(doc->lines->len, 6);
    hy_assert_str(line_at(doc, 0)->text, "富山県(交流先:遼寧省(中華人民共和国))");
    hy_assert_str(line_at(doc, 4)->text, "住所:〒930-8501富山県富山市新総曲輪1番7号");
}

static void test_extract_short_eucjp_not_mojibake(void **state)
{
    (void)state;
    /* 交流 in EUC-JP is also valid Shift_JIS (half-width katakana); the detector has
     * no evidence either way for two characters */
    g_autoptr(GError) error = NULL;
    g_autoptr(HyDocument) euc = load_string("\xb8\xf2\xce\xae\n", -1, NULL, &error);
    hy_assert_no_error(error);
    hy_assert_str(euc->encoding, "EUC-JP");
    hy_assert_str(line_at(euc, 0)->text, "交流");

    g_autoptr(HyDocument) sjis = load_string("\x8c\xf0\x97\xac\n", -1, NULL, &error);
    hy_assert_no_error(error);
    hy_assert_str(sjis->encoding, "Shift_JIS");
    hy_assert_str(line_at(sjis, 0)->text, "交流");
}

static void test_extract_utf16_bom(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    g_autoptr(HyDocument) doc = load_fixture("extract/utf16.txt", NULL, &error);
    hy_assert_no_error(error);
    hy_assert_str(doc->encoding, "UTF-16");
    assert_int_equal(doc->lines->len, 2);
    hy_assert_str(line_at(doc, 0)->text, "富山県");
    hy_assert_str(line_at(doc, 1)->text, "京都市");
}

static void test_extract_forced_encoding(void **state)
{
    (void)state;
    HyExtractOptions options;
    hy_extract_options_init(&options);

    g_autoptr(GError) error = NULL;
    options.encoding = "cp932";
    g_autoptr(HyDocument) doc = load_fixture("extract/cp932.txt", &options, &error);
    hy_assert_no_error(error);
    hy_assert_str(doc->encoding, "cp932");
    hy_assert_str(line_at(doc, 0)->text, "富山県(交流先:遼寧省(中華人民共和国))");

    options.encoding = "EUC-JP"; /* the wrong one: an error, not mojibake */
    g_autoptr(HyDocument) wrong = load_fixture("extract/cp932.txt", &options, &error);
    assert_null(wrong);
    hy_assert_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_ENCODING);
    assert_non_null(strstr(error->message, "not valid EUC-JP at byte"));
    g_clear_error(&error);

    options.encoding = "no-such-encoding";
    g_autoptr(HyDocument) unknown = load_fixture("extract/cp932.txt", &options, &error);
    assert_null(unknown);
    hy_assert_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_ENCODING);
    hy_assert_str(error->message, "unknown encoding 'no-such-encoding'");
}

static void test_extract_undecodable_bytes(void **state)
{
    (void)state;
    gsize len = 0;
    g_autofree char *bytes = hy_test_read_fixture("extract/cp932-invalid.txt", &len);
    /* the fixture is cp932.txt with 0x85 0x40 (unassigned in CP932, invalid in
     * EUC-JP) after its first line */
    gsize bad = (gsize)(strchr(bytes, '\n') - bytes) + 1;
    assert_true((guchar)bytes[bad] == 0x85);

    g_autoptr(GError) error = NULL;
    g_autoptr(HyDocument) doc = load_fixture("extract/cp932-invalid.txt", NULL, &error);
    assert_null(doc);
    hy_assert_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_ENCODING);
    g_autofree char *want = g_strdup_printf("not valid Shift_JIS at byte %zu", bad);
    hy_assert_str(error->message, want);
}

static void test_extract_binary(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    g_autoptr(HyDocument) gz = load_fixture("extract/binary.bin", NULL, &error);
    assert_null(gz);
    hy_assert_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_BINARY);
    hy_assert_str(error->message, "not a PDF or text file");
    g_clear_error(&error);

    g_autoptr(HyDocument) controls = load_fixture("extract/controls.bin", NULL, &error);
    assert_null(controls);
    hy_assert_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_BINARY);
    g_clear_error(&error);

    g_autoptr(HyDocument) nul = load_string("text\0with a NUL\n", 16, NULL, &error);
    assert_null(nul);
    hy_assert_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_BINARY);
}

static void test_extract_empty(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    g_autoptr(HyDocument) empty = load_fixture("extract/empty.txt", NULL, &error);
    assert_null(empty);
    hy_assert_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_EMPTY);
    g_clear_error(&error);

    g_autoptr(HyDocument) blank = load_fixture("extract/blank.txt", NULL, &error);
    assert_null(blank);
    hy_assert_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_EMPTY);
    hy_assert_str(error->message, "no text");
    g_clear_error(&error);

    g_autoptr(HyDocument) bom = load_string("\xef\xbb\xbf\n", -1, NULL, &error);
    assert_null(bom);
    hy_assert_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_EMPTY);
}

static void test_extract_read_errors(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = hy_test_fixture_path("extract");
    g_autoptr(HyDocument) doc = hy_extract_load(dir, NULL, &error);
    assert_null(doc);
    hy_assert_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_READ);
    hy_assert_str(error->message, "is a directory");
    g_clear_error(&error);

    g_autofree char *missing = hy_test_fixture_path("extract/no-such-file.txt");
    g_autoptr(HyDocument) none = hy_extract_load(missing, NULL, &error);
    assert_null(none);
    hy_assert_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_READ);
    hy_assert_str(error->message, g_strerror(ENOENT));
    assert_null(strstr(error->message, "no-such-file")); /* the caller adds the path */
}

static void test_extract_stdin(void **state)
{
    (void)state;
    g_autofree char *path = hy_test_fixture_path("extract/eucjp.txt");
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    int saved = dup(STDIN_FILENO);
    assert_true(dup2(fd, STDIN_FILENO) == STDIN_FILENO);
    close(fd);

    g_autoptr(GError) error = NULL;
    g_autoptr(HyDocument) doc = hy_extract_load("-", NULL, &error);
    dup2(saved, STDIN_FILENO);
    close(saved);
    hy_assert_no_error(error);
    hy_assert_str(doc->path, "-");
    hy_assert_str(doc->encoding, "EUC-JP");
    assert_int_equal(doc->lines->len, 6);
}

static void test_extract_limits_text(void **state)
{
    (void)state;
    HyExtractOptions options;
    hy_extract_options_init(&options);
    g_autoptr(GError) error = NULL;

    options.max_bytes = 100;
    g_autoptr(HyDocument) big = load_fixture("extract/cp932.txt", &options, &error);
    assert_null(big);
    hy_assert_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_LIMIT);
    g_clear_error(&error);

    hy_extract_options_init(&options);
    options.max_line_bytes = 10; /* 富山県交流 is 15 bytes: cut after 3 characters */
    g_autoptr(HyDocument) cut = load_string("富山県交流\nok\n", -1, &options, &error);
    hy_assert_no_error(error);
    hy_assert_str(line_at(cut, 0)->raw, "富山県");
    hy_assert_str(line_at(cut, 1)->text, "ok");
    assert_int_equal(cut->warnings->len, 1);
    hy_assert_str(g_ptr_array_index(cut->warnings, 0), "line 1: longer than 10 bytes, cut");

    hy_extract_options_init(&options);
    options.max_lines_per_page = 2;
    g_autoptr(HyDocument) many = load_string("a\nb\nc\nd\n\fe\n", -1, &options, &error);
    hy_assert_no_error(error);
    assert_int_equal(many->lines->len, 3);
    hy_assert_str(line_at(many, 2)->text, "e");
    assert_int_equal(many->warnings->len, 1);
    hy_assert_str(g_ptr_array_index(many->warnings, 0), "page 1: more than 2 lines, the rest dropped");
}

/* ---- PDF ------------------------------------------------------------------ */

static cairo_status_t append_bytes(void *closure, const unsigned char *data, unsigned int length)
{
    g_byte_array_append(closure, data, length);
    return CAIRO_STATUS_SUCCESS;
}

static void show_text(cairo_t *cr, double size, double x, double baseline, const char *text)
{
    cairo_set_font_size(cr, size);
    cairo_move_to(cr, x, baseline);
    cairo_show_text(cr, text);
}

/* A report-like A4 page per call of @draw_page, then the PDF's bytes. */
typedef void (*HyDrawPage)(cairo_t *cr, int page, gpointer data);

static GBytes *make_pdf(int n_pages, HyDrawPage draw_page, gpointer data)
{
    GByteArray *pdf = g_byte_array_new();
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(append_bytes, pdf, 595, 842);
    cairo_t *cr = cairo_create(surface);
    cairo_select_font_face(cr, "IPAexGothic", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    for (int page = 1; page <= n_pages; page++) {
        draw_page(cr, page, data);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    assert_int_equal(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(surface);
    return g_byte_array_free_to_bytes(pdf);
}

/* Page 1: a 24 pt heading, three 10.5 pt body lines 15 pt apart, then a caption
 * after an empty line's gap. Page 2: one line. ASCII only, so any font will do. */
static void draw_report(cairo_t *cr, int page, gpointer data)
{
    (void)data;
    if (page == 1) {
        show_text(cr, 24, 72, 100, "Award Summary 2019");
        show_text(cr, 10.5, 72, 140, "Toyama Prefecture and Liaoning Province");
        show_text(cr, 10.5, 72, 155, "have exchanged for 35 years");
        show_text(cr, 10.5, 72, 170, "tel 076-444-3158");
        show_text(cr, 10.5, 90, 205, "Photo: the fan club tour");
    } else {
        show_text(cr, 10.5, 72, 100, "page two text");
    }
}

static void test_extract_pdf_lines_pages_font_sizes(void **state)
{
    (void)state;
    g_autoptr(GBytes) pdf = make_pdf(2, draw_report, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(HyDocument) doc = hy_extract_load_bytes("report.pdf", pdf, NULL, &error);
    hy_assert_no_error(error);
    assert_int_equal(doc->format, HY_FORMAT_PDF);
    assert_null(doc->encoding);
    assert_int_equal(doc->n_pages, 2);
    assert_int_equal(doc->warnings->len, 0);
    assert_int_equal(doc->lines->len, 6);

    struct {
        int page, number, blank_before;
        double font_size, x;
        const char *text;
    } want[] = {
        {1, 1, 0, 24, 72, "Award Summary 2019"},
        {1, 2, 1, 10.5, 72, "Toyama Prefecture and Liaoning Province"}, /* below a big gap */
        {1, 3, 0, 10.5, 72, "have exchanged for 35 years"},
        {1, 4, 0, 10.5, 72, "tel 076-444-3158"},
        {1, 5, 1, 10.5, 90, "Photo: the fan club tour"}, /* an empty line's gap */
        {2, 6, 0, 10.5, 72, "page two text"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
        HyLine *line = line_at(doc, i);
        hy_assert_str(line->text, want[i].text);
        assert_int_equal(line->page, want[i].page);
        assert_int_equal(line->number, want[i].number);
        if (line->blank_before != want[i].blank_before)
            fail_msg("line %u: blank_before %d, expected %d", i, line->blank_before, want[i].blank_before);
        if (fabs(line->font_size - want[i].font_size) > 0.01)
            fail_msg("line %u: font size %g, expected %g", i, line->font_size, want[i].font_size);
        if (fabs(line->x - want[i].x) > 1.0)
            fail_msg("line %u: x %g, expected %g", i, line->x, want[i].x);
    }
    /* y is the top of the line, measured from the top of the page */
    HyLine *heading = line_at(doc, 0), *body = line_at(doc, 1);
    assert_true(heading->y > 70 && heading->y < 100);
    assert_true(body->y > 125 && body->y < 140);
    assert_true(line_at(doc, 2)->y - body->y > 14 && line_at(doc, 2)->y - body->y < 16);
}

static gboolean have_japanese_font(void)
{
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
    cairo_t *cr = cairo_create(surface);
    cairo_select_font_face(cr, "IPAexGothic", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_glyph_t *glyphs = NULL;
    int n_glyphs = 0;
    cairo_status_t status = cairo_scaled_font_text_to_glyphs(cairo_get_scaled_font(cr), 0, 0, "富", -1, &glyphs,
                                                             &n_glyphs, NULL, NULL, NULL);
    gboolean found = status == CAIRO_STATUS_SUCCESS && n_glyphs == 1 && glyphs[0].index != 0;
    cairo_glyph_free(glyphs);
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    return found;
}

static void draw_japanese(cairo_t *cr, int page, gpointer data)
{
    (void)page;
    (void)data;
    show_text(cr, 16, 72, 100, "富山県（交流先：遼寧省（中華人民共和国））");
    show_text(cr, 10.5, 72, 130, "\uF0B2 35 年間地道に交流活動を継続して");
    show_text(cr, 10.5, 72, 145, "電話：076ー444ー3158");
}

static void test_extract_pdf_japanese(void **state)
{
    (void)state;
    if (!have_japanese_font()) {
        print_message("no Japanese font (IPAexGothic) for cairo: skipped\n");
        skip();
    }
    g_autoptr(GBytes) pdf = make_pdf(1, draw_japanese, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(HyDocument) doc = hy_extract_load_bytes("ja.pdf", pdf, NULL, &error);
    hy_assert_no_error(error);
    assert_int_equal(doc->lines->len, 3);
    hy_assert_str(line_at(doc, 0)->text, "富山県(交流先:遼寧省(中華人民共和国))");
    assert_true(line_at(doc, 0)->font_size == 16);
    assert_true(g_str_has_suffix(line_at(doc, 1)->text, "35年間地道に交流活動を継続して"));
    hy_assert_str(line_at(doc, 2)->text, "電話:076-444-3158");
}

/* Twelve pages with different text, some lines far apart, one page without text. */
static void draw_many(cairo_t *cr, int page, gpointer data)
{
    (void)data;
    if (page == 7)
        return; /* an empty page: a warning, not an error */
    double baseline = 100;
    for (int i = 0; i < 5; i++) {
        g_autofree char *text = g_strdup_printf("page %d line %d", page, i + 1);
        baseline += i == 0 ? 0 : i == 1 ? 18 : i == 3 ? 28 : 14; /* line 4 after an empty line's gap */
        show_text(cr, i == 0 ? 18 : 10, 72 + i, baseline, text);
    }
}

static char *describe(const HyDocument *doc)
{
    GString *out = g_string_new(NULL);
    g_string_append_printf(out, "pages %d\n", doc->n_pages);
    for (guint i = 0; i < doc->lines->len; i++) {
        const HyLine *l = g_ptr_array_index(doc->lines, i);
        g_string_append_printf(out, "%d %d %d %d %.3f %.3f %.3f %s|%s\n", l->page, l->number, l->blank_before,
                               l->indent, l->font_size, l->x, l->y, l->raw, l->text);
    }
    for (guint i = 0; i < doc->warnings->len; i++)
        g_string_append_printf(out, "W %s\n", (const char *)g_ptr_array_index(doc->warnings, i));
    return g_string_free(out, FALSE);
}

static void test_extract_pdf_threads_identical(void **state)
{
    (void)state;
    g_autoptr(GBytes) pdf = make_pdf(12, draw_many, NULL);
    HyExtractOptions options;
    hy_extract_options_init(&options);
    g_autofree char *first = NULL;
    for (int threads = 1; threads <= 5; threads++) {
        options.threads = threads;
        g_autoptr(GError) error = NULL;
        g_autoptr(HyDocument) doc = hy_extract_load_bytes("many.pdf", pdf, &options, &error);
        hy_assert_no_error(error);
        assert_int_equal(doc->n_pages, 12);
        assert_int_equal(doc->lines->len, 11 * 5);
        assert_int_equal(doc->warnings->len, 1);
        hy_assert_str(g_ptr_array_index(doc->warnings, 0), "page 7: no usable text layer (scanned image?)");
        g_autofree char *got = describe(doc);
        if (first == NULL)
            first = g_steal_pointer(&got);
        else
            hy_assert_str(got, first);
    }
    /* threads 0 means one per core: the same again */
    options.threads = 0;
    g_autoptr(GError) error = NULL;
    g_autoptr(HyDocument) doc = hy_extract_load_bytes("many.pdf", pdf, &options, &error);
    hy_assert_no_error(error);
    g_autofree char *got = describe(doc);
    hy_assert_str(got, first);
    hy_assert_str(line_at(doc, 5)->text, "page 2 line 1");
    assert_int_equal(line_at(doc, 5)->page, 2);
    assert_true(line_at(doc, 5)->font_size == 18);
    hy_assert_str(line_at(doc, 3)->text, "page 1 line 4");
    assert_int_equal(line_at(doc, 2)->blank_before, 0);
    assert_int_equal(line_at(doc, 3)->blank_before, 1);
    assert_int_equal(line_at(doc, 4)->blank_before, 0);
}

/* Held poppler state (hy_extract_retain_pdf_state) changes no result: the same lines with
 * it as without, on one thread and on three; holding twice or releasing twice is harmless. */
static void test_extract_retained_pdf_state_same_result(void **state)
{
    (void)state;
    g_autoptr(GBytes) pdf = make_pdf(4, draw_many, NULL);
    HyExtractOptions options;
    hy_extract_options_init(&options);
    for (int threads = 1; threads <= 3; threads += 2) {
        options.threads = threads;
        g_autoptr(GError) error = NULL;
        g_autoptr(HyDocument) plain = hy_extract_load_bytes("many.pdf", pdf, &options, &error);
        hy_assert_no_error(error);
        g_autofree char *want = describe(plain);
        hy_extract_retain_pdf_state(TRUE);
        hy_extract_retain_pdf_state(TRUE);
        for (int round = 0; round < 2; round++) {
            g_autoptr(HyDocument) doc = hy_extract_load_bytes("many.pdf", pdf, &options, &error);
            hy_assert_no_error(error);
            g_autofree char *got = describe(doc);
            hy_assert_str(got, want);
        }
        hy_extract_retain_pdf_state(FALSE);
        hy_extract_retain_pdf_state(FALSE);
        g_autoptr(HyDocument) after = hy_extract_load_bytes("many.pdf", pdf, &options, &error);
        hy_assert_no_error(error);
        g_autofree char *got = describe(after);
        hy_assert_str(got, want);
    }
}

static void draw_nothing(cairo_t *cr, int page, gpointer data)
{
    (void)page;
    (void)data;
    cairo_rectangle(cr, 100, 100, 200, 200); /* a "scan": graphics, no text */
    cairo_fill(cr);
}

static void test_extract_pdf_no_text(void **state)
{
    (void)state;
    g_autoptr(GBytes) pdf = make_pdf(2, draw_nothing, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(HyDocument) doc = hy_extract_load_bytes("scan.pdf", pdf, NULL, &error);
    assert_null(doc);
    hy_assert_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_NO_TEXT);
    hy_assert_str(error->message, "no usable text layer on any page (scanned images, or fonts without a Unicode mapping?)");
}

static void test_extract_pdf_limits(void **state)
{
    (void)state;
    g_autoptr(GBytes) pdf = make_pdf(12, draw_many, NULL);
    HyExtractOptions options;
    hy_extract_options_init(&options);
    g_autoptr(GError) error = NULL;

    options.max_pages = 11;
    g_autoptr(HyDocument) pages = hy_extract_load_bytes("many.pdf", pdf, &options, &error);
    assert_null(pages);
    hy_assert_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_LIMIT);
    g_clear_error(&error);

    hy_extract_options_init(&options);
    options.timeout_seconds = 1e-6; /* over before the first page */
    options.threads = 2;
    g_autoptr(HyDocument) slow = hy_extract_load_bytes("many.pdf", pdf, &options, &error);
    assert_null(slow);
    hy_assert_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_LIMIT);
    assert_true(g_str_has_prefix(error->message, "timed out after "));
}

static void test_extract_pdf_header_offset(void **state)
{
    (void)state;
    g_autoptr(GBytes) pdf = make_pdf(2, draw_report, NULL);
    g_autoptr(GByteArray) junk = g_byte_array_new();
    g_byte_array_append(junk, (const guint8 *)"X-Mailer: junk before the header\r\n\r\n", 36);
    g_byte_array_append(junk, g_bytes_get_data(pdf, NULL), (guint)g_bytes_get_size(pdf));
    g_autoptr(GBytes) prefixed = g_byte_array_free_to_bytes(g_steal_pointer(&junk));
    g_autoptr(GError) error = NULL;
    g_autoptr(HyDocument) doc = hy_extract_load_bytes("mail.txt", prefixed, NULL, &error); /* name ignored */
    hy_assert_no_error(error);
    assert_int_equal(doc->format, HY_FORMAT_PDF);
    assert_int_equal(doc->lines->len, 6);
}

static void test_extract_pdf_truncated(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    g_autoptr(HyDocument) doc = load_fixture("extract/truncated.pdf", NULL, &error);
    assert_null(doc);
    hy_assert_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_DAMAGED);
    assert_true(g_str_has_prefix(error->message, "damaged PDF: "));

    /* the same from a PDF made here, cut in half */
    g_autoptr(GBytes) pdf = make_pdf(2, draw_report, NULL);
    g_autoptr(GBytes) half = g_bytes_new_from_bytes(pdf, 0, g_bytes_get_size(pdf) / 2);
    g_clear_error(&error);
    g_autoptr(HyDocument) cut = hy_extract_load_bytes("half.pdf", half, NULL, &error);
    assert_null(cut);
    hy_assert_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_DAMAGED);
}

static void test_extract_pdf_encrypted(void **state)
{
    (void)state;
    g_autofree char *path = g_build_filename(HY_SHARED, "corpus", "pdf", "issue6010_1.pdf", NULL);
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        print_message("%s absent: skipped\n", path);
        g_clear_pointer(&path, g_free); /* skip() leaves by longjmp: no cleanup runs */
        skip();
    }
    g_autoptr(GError) error = NULL;
    g_autoptr(HyDocument) doc = hy_extract_load(path, NULL, &error);
    assert_null(doc);
    hy_assert_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_ENCRYPTED);
    hy_assert_str(error->message, "encrypted PDF: a password is needed (--password)");
    g_clear_error(&error);

    HyExtractOptions options;
    hy_extract_options_init(&options);
    options.password = "wrong";
    g_autoptr(HyDocument) wrong = hy_extract_load(path, &options, &error);
    assert_null(wrong);
    hy_assert_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_ENCRYPTED);
    g_clear_error(&error);

    options.password = "abc"; /* the password pdf.js's test manifest gives */
    g_autoptr(HyDocument) opened = hy_extract_load(path, &options, &error);
    if (opened == NULL && g_error_matches(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_NO_TEXT))
        return; /* opened: the password worked, the page simply holds no text */
    hy_assert_no_error(error);
    assert_int_equal(opened->format, HY_FORMAT_PDF);
}

/* Every file of the robustness corpus gives lines or an error, never a crash. */
static void test_extract_pdf_corpus(void **state)
{
    (void)state;
    g_autofree char *dir_path = g_build_filename(HY_SHARED, "corpus", "pdf", NULL);
    g_autoptr(GDir) dir = g_dir_open(dir_path, 0, NULL);
    if (dir == NULL) {
        print_message("%s absent: skipped\n", dir_path);
        g_clear_pointer(&dir_path, g_free); /* skip() leaves by longjmp: no cleanup runs */
        skip();
    }
    HyExtractOptions options;
    hy_extract_options_init(&options);
    options.threads = 2;
    int ok = 0, failed = 0;
    for (const char *name; (name = g_dir_read_name(dir)) != NULL;) {
        if (!g_str_has_suffix(name, ".pdf") || strcmp(name, "bomb_giant.pdf") == 0)
            continue; /* the bomb is the CLI watchdog's business */
        g_autofree char *path = g_build_filename(dir_path, name, NULL);
        g_autoptr(GError) error = NULL;
        g_autoptr(HyDocument) doc = hy_extract_load(path, &options, &error);
        if (doc != NULL) {
            assert_null(error);
            assert_true(doc->lines->len > 0);
            ok++;
        } else {
            if (error == NULL || error->domain != HY_EXTRACT_ERROR)
                fail_msg("%s: no document and no extract error", name);
            failed++;
        }
    }
    print_message("corpus: %d with lines, %d with an error\n", ok, failed);
    assert_true(ok > 0 && failed > 0);
}

/* Under -DHY_SANITIZE=ON: fontconfig's global configuration, loaded when cairo first
 * picks a font for the test PDFs, is only freed by FcFini(), which cairo never calls.
 * LeakSanitizer asks for this hook by name; other builds ignore it. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extract_options_defaults),
        cmocka_unit_test(test_extract_utf8_bom_crlf_form_feeds),
        cmocka_unit_test(test_extract_sha256_and_path),
        cmocka_unit_test(test_extract_sha256_beside_extraction),
        cmocka_unit_test(test_extract_form_feed_pages),
        cmocka_unit_test(test_extract_indent_and_normalization),
        cmocka_unit_test(test_extract_layout_columns_read_one_after_the_other),
        cmocka_unit_test(test_extract_gutter_line_without_layout_stays_in_order),
        cmocka_unit_test(test_extract_cp932_detected),
        cmocka_unit_test(test_extract_eucjp_detected),
        cmocka_unit_test(test_extract_short_eucjp_not_mojibake),
        cmocka_unit_test(test_extract_utf16_bom),
        cmocka_unit_test(test_extract_forced_encoding),
        cmocka_unit_test(test_extract_undecodable_bytes),
        cmocka_unit_test(test_extract_binary),
        cmocka_unit_test(test_extract_empty),
        cmocka_unit_test(test_extract_read_errors),
        cmocka_unit_test(test_extract_stdin),
        cmocka_unit_test(test_extract_limits_text),
        cmocka_unit_test(test_extract_pdf_lines_pages_font_sizes),
        cmocka_unit_test(test_extract_pdf_japanese),
        cmocka_unit_test(test_extract_pdf_threads_identical),
        cmocka_unit_test(test_extract_retained_pdf_state_same_result),
        cmocka_unit_test(test_extract_pdf_no_text),
        cmocka_unit_test(test_extract_pdf_limits),
        cmocka_unit_test(test_extract_pdf_header_offset),
        cmocka_unit_test(test_extract_pdf_truncated),
        cmocka_unit_test(test_extract_pdf_encrypted),
        cmocka_unit_test(test_extract_pdf_corpus),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    cairo_debug_reset_static_data(); /* cairo's font caches, for LeakSanitizer */
    return failed;
}
