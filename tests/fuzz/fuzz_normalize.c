/* fuzz_normalize.c -- libFuzzer target for the normalize stage: arbitrary bytes through
 * hy_normalize_text() (invalid UTF-8 must come back as HY_NORMALIZE_ERROR_INPUT, never
 * a crash), and valid text through the helpers that take what it produces: the dash
 * cleaner, the line joiner and a line's indent. Built by -DHY_BUILD_FUZZERS=ON. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hy_normalize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *text = hy_normalize_text((const char *)data, (gssize)size, &error);
    if (text == NULL) {
        /* Every failure is reported, and invalid UTF-8 is the only one bytes can cause. */
        if (error == NULL || !g_error_matches(error, HY_NORMALIZE_ERROR, HY_NORMALIZE_ERROR_INPUT))
            __builtin_trap();
        /* The number cleaner takes any bytes up to a NUL (it makes them valid first). */
        g_autofree char *terminated = g_strndup((const char *)data, size);
        g_autofree char *dashes = hy_normalize_number_dashes(terminated);
        if (dashes == NULL || !g_utf8_validate(dashes, -1, NULL)) __builtin_trap();
        return 0;
    }
    if (!g_utf8_validate(text, -1, NULL)) __builtin_trap();

    /* Normalizing is idempotent on what it produced only up to NFKC's own rules, so no
     * equality is asserted; the result must still be accepted again. */
    g_autofree char *again = hy_normalize_text(text, -1, NULL);
    if (again == NULL) __builtin_trap();
    g_autofree char *dashes = hy_normalize_number_dashes(text);
    if (dashes == NULL || !g_utf8_validate(dashes, -1, NULL)) __builtin_trap();

    /* The joiner sees two normalized pieces: split the text at a character boundary. */
    gsize len = strlen(text);
    const char *middle = g_utf8_find_prev_char(text, text + len / 2 + 1);
    gsize cut = middle != NULL ? (gsize)(middle - text) : 0;
    g_autofree char *head = g_strndup(text, cut);
    g_autofree char *joined = hy_normalize_join(head, text + cut);
    if (joined == NULL || !g_utf8_validate(joined, -1, NULL)) __builtin_trap();

    /* A line keeps the raw bytes and measures their indent. */
    g_autoptr(HyLine) line = hy_line_new(1, 1, (const char *)data, (gssize)size);
    if (!hy_normalize_line(line, NULL)) __builtin_trap();
    return 0;
}
