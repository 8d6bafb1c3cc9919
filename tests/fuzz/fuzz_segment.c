/* fuzz_segment.c -- libFuzzer target for the segment stage: bytes -> lines ->
 * hy_segment_lines() with each built-in rules profile (default and older, loaded once),
 * then the report through the JSON emitter, so that whatever segment assembles is also
 * written. Built by -DHY_BUILD_FUZZERS=ON.
 *
 * Input format, so that seeds can be plain text fixtures or carry a PDF's layout:
 *  - lines end at '\n' (a trailing '\r' is dropped); '\f' starts a new page;
 *  - a line "@X Y SIZE<TAB>TEXT" gives TEXT the position (x, y) and font size SIZE, as
 *    the PDF extractor would, within HyLine's ranges (finite, a size up to 14400);
 *    tests/fuzz/run.sh makes such seeds from the PDF fixtures with `hyosho explain
 *    --layout`. Any other line is text input, without positions;
 *  - bytes that are not UTF-8 are replaced, as segment only ever sees normalized text;
 *  - lines empty after normalization are left out and counted in blank_before. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hy_emit.h"
#include "hy_normalize.h"
#include "hy_segment.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static HyRules *profiles[2];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *const names[] = {"default", "older"};
    for (guint i = 0; i < G_N_ELEMENTS(profiles); i++) {
        g_autoptr(GError) error = NULL;
        profiles[i] = hy_rules_load_builtin(names[i], &error);
        if (profiles[i] == NULL) g_error("built-in rules '%s': %s", names[i], error->message);
    }
    /* The lazily built tables (local governments, countries, regions, eras, the detector's
     * rules) are process-wide: build them now, so LeakSanitizer does not take them for
     * leaks of the first input that needs them. */
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func((GDestroyNotify)hy_line_free);
    const char *const warm[] = {"令和元年度第14回自治体国際交流表彰(総務大臣賞)受賞団体の概要",
                                "京都市(交流先:ケルン市(ドイツ連邦共和国))",
                                "・評価できる。",
                                "お問い合わせ先",
                                "住所:〒600-8571京都府京都市中京区",
                                "府中市",
                                "〒183-8703",
                                "○受賞団体"};
    for (guint i = 0; i < G_N_ELEMENTS(warm); i++) {
        HyLine *line = hy_line_new(1, (int)i + 1, warm[i], -1);
        hy_normalize_line(line, NULL);
        g_ptr_array_add(lines, line);
    }
    (void)hy_rules_detect_profile(lines);
    for (guint i = 0; i < G_N_ELEMENTS(profiles); i++)
        hy_report_free(hy_segment_lines(profiles[i], lines, NULL, NULL));
    (void)hy_normalize_era_to_gregorian("平成", 1);
    (void)hy_normalize_region_code("中国");
    return 0;
}

/* "@X Y SIZE<TAB>": fills the layout fields and returns where the text starts, or NULL. */
static const char *parse_layout(const char *raw, HyLine *line)
{
    if (raw[0] != '@') return NULL;
    const char *tab = strchr(raw, '\t');
    if (tab == NULL) return NULL;
    g_autofree char *head = g_strndup(raw + 1, (gsize)(tab - raw - 1));
    char *p = head, *end = NULL;
    double values[3];
    for (int i = 0; i < 3; i++) {
        values[i] = g_ascii_strtod(p, &end);
        if (end == p) return NULL;
        p = end;
    }
    /* What HyLine promises (and extract_pdf.c ensures): finite, sizes up to 14400. */
    line->x = isfinite(values[0]) ? values[0] : 0;
    line->y = isfinite(values[1]) ? values[1] : 0;
    line->font_size = isfinite(values[2]) && values[2] > 0 && values[2] <= 14400 ? values[2] : 0;
    return tab + 1;
}

static GPtrArray *make_lines(const uint8_t *data, size_t size)
{
    GPtrArray *lines = g_ptr_array_new_with_free_func((GDestroyNotify)hy_line_free);
    g_autofree char *text = g_utf8_make_valid((const char *)data, (gssize)size);
    g_auto(GStrv) physical = g_strsplit(text, "\n", -1);
    int page = 1, blank = 0;
    for (int i = 0; physical[i] != NULL; i++) {
        g_auto(GStrv) pieces = g_strsplit(physical[i], "\f", -1);
        for (int k = 0; pieces[k] != NULL; k++) {
            if (k > 0) {
                page++;
                blank = 0;
            }
            char *raw = pieces[k];
            gsize len = strlen(raw);
            if (len > 0 && raw[len - 1] == '\r') raw[len - 1] = '\0';
            HyLine probe = {0};
            const char *body = parse_layout(raw, &probe);
            g_autoptr(HyLine) line = hy_line_new(page, i + 1, body != NULL ? body : raw, -1);
            /* NUL bytes became U+FFFD, so every line is valid UTF-8 and normalizes */
            if (!hy_normalize_line(line, NULL)) __builtin_trap();
            if (line->text[0] == '\0') {
                blank++;
                continue;
            }
            line->x = probe.x;
            line->y = probe.y;
            line->font_size = probe.font_size;
            line->blank_before = blank;
            blank = 0;
            g_ptr_array_add(lines, g_steal_pointer(&line));
        }
    }
    return lines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autoptr(GPtrArray) lines = make_lines(data, size);
    const char *detected = hy_rules_detect_profile(lines);
    if (detected == NULL) __builtin_trap();

    for (guint i = 0; i < G_N_ELEMENTS(profiles); i++) {
        g_autoptr(GError) error = NULL;
        GArray *trace = NULL;
        g_autoptr(HyReport) report = hy_segment_lines(profiles[i], lines, i == 0 ? &trace : NULL, &error);
        if (report == NULL) __builtin_trap(); /* every line is normalized UTF-8: segment must accept it */
        if (trace != NULL) {
            if (trace->len != lines->len) __builtin_trap();
            for (guint t = 0; t < trace->len; t++) {
                const HyLineTrace *entry = &g_array_index(trace, HyLineTrace, t);
                if (entry->award >= (int)report->awards->len || entry->line != g_ptr_array_index(lines, t))
                    __builtin_trap();
            }
            g_array_unref(trace);
        }
        HySource source = {.path = "fuzz.txt", .sha256 = "0", .format = "text", .pages = 1};
        g_autofree char *json = hy_emit_json(&source, report, i == 0);
        if (json == NULL) __builtin_trap();
    }
    return 0;
}
