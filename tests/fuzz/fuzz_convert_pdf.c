/* fuzz_convert_pdf.c -- libFuzzer target for the whole conversion of a document held in
 * memory: hy_extract_load_bytes() (PDF through poppler-glib; input without %PDF- goes
 * the text way, which is fuzzed along) -> the rules profile the document selects ->
 * hy_segment_lines() -> hy_emit_json(). One thread and small limits, so that one input
 * cannot run for long or grow without bound: the CLI's wall-time and memory watchdogs
 * end the process, which a fuzzer must not do. Built by -DHY_BUILD_FUZZERS=ON.
 *
 * poppler itself is not instrumented (Debian's library): ASan still sees its heap
 * misuse through the allocator and every crash, but coverage guides only our code. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hy_emit.h"
#include "hy_extract.h"
#include "hy_segment.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static GHashTable *rules_by_profile; /* profile name -> HyRules*, loaded once */

static HyExtractOptions fuzz_options(void)
{
    HyExtractOptions options;
    hy_extract_options_init(&options);
    options.max_bytes = 1024 * 1024;
    options.max_pages = 16;
    options.max_line_bytes = 4096;
    options.max_lines_per_page = 2000;
    options.timeout_seconds = 10; /* checked between pages; libFuzzer's -timeout is the backstop */
    options.threads = 1;
    return options;
}

static void convert(const uint8_t *data, size_t size)
{
    g_autoptr(GBytes) bytes = g_bytes_new_static(data, size);
    HyExtractOptions options = fuzz_options();
    g_autoptr(GError) error = NULL;
    g_autoptr(HyDocument) doc = hy_extract_load_bytes("fuzz.pdf", bytes, &options, &error);
    if (doc == NULL) {
        /* A rejected input says why, in the extract stage's terms, on one line. */
        if (error == NULL || error->domain != HY_EXTRACT_ERROR || error->message[0] == '\0') __builtin_trap();
        return;
    }
    if (doc->lines->len == 0 && doc->format == HY_FORMAT_PDF)
        __builtin_trap(); /* "no usable text layer" is an error, not an empty document */

    const HyRules *rules = g_hash_table_lookup(rules_by_profile, hy_rules_detect_profile(doc->lines));
    g_autoptr(HyReport) report = hy_segment_lines(rules, doc->lines, NULL, &error);
    if (report == NULL) __builtin_trap(); /* extract hands segment normalized UTF-8 only */

    HySource source = {
        .path = doc->path,
        .sha256 = doc->sha256,
        .format = hy_format_name(doc->format),
        .pages = doc->n_pages,
    };
    g_autofree char *json = hy_emit_json(&source, report, TRUE);
    if (json == NULL || !g_utf8_validate(json, -1, NULL)) __builtin_trap();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    rules_by_profile = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)hy_rules_free);
    for (const char *const *name = hy_rules_builtin_profiles(); *name != NULL; name++) {
        g_autoptr(GError) error = NULL;
        HyRules *rules = hy_rules_load_builtin(*name, &error);
        if (rules == NULL) g_error("built-in rules '%s': %s", *name, error->message);
        g_hash_table_insert(rules_by_profile, (gpointer)*name, rules);
    }
    /* poppler's GlobalParams, the GLib types and our lazily built tables are
     * process-wide: create them with one small document now, so that LeakSanitizer does
     * not count them against the first input that needs them. */
    static const char warm_text[] = "令和元年度第14回自治体国際交流表彰(総務大臣賞)受賞団体の概要\n"
                                    "京都市(交流先:ケルン市(ドイツ連邦共和国))\n・評価できる。\n"
                                    "お問い合わせ先\n住所:〒600-8571京都府京都市中京区\n○受賞団体\n";
    convert((const uint8_t *)warm_text, sizeof warm_text - 1);
    static const char warm_pdf[] =
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 4 0 R"
        "/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
        "4 0 obj<</Length 36>>stream\nBT /F1 12 Tf 10 100 Td (Hello) Tj ET\nendstream endobj\n"
        "5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
    convert((const uint8_t *)warm_pdf, sizeof warm_pdf - 1);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    convert(data, size);
    return 0;
}
