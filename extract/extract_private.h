/* extract_private.h -- helpers shared by the extract stage's files (load, text, pdf);
 * not a contract: nothing outside extract/ includes it. */
#pragma once

#include "hy_extract.h"

/* Appends a printf-formatted warning to @warnings (a GPtrArray of char*). */
void hy_extract__warn(GPtrArray *warnings, const char *format, ...) G_GNUC_PRINTF(2, 3);

/* Length of the longest prefix of @s (@len bytes of UTF-8) that is at most @max bytes
 * and does not split a character; @len itself when @len <= @max. */
gsize hy_extract__utf8_cut(const char *s, gsize len, gsize max);

/* A new line for @raw (@len bytes of valid UTF-8), normalized; NULL with
 * HY_EXTRACT_ERROR_ENCODING if normalization refuses it. */
HyLine *hy_extract__line_new(int page, int number, const char *raw, gsize len, GError **error);

/* Decodes @bytes as text (UTF-8, or a detected or forced Japanese encoding) and fills
 * @doc->encoding, @doc->n_pages, @doc->lines and @doc->warnings.
 * Errors: HY_EXTRACT_ERROR_BINARY, _ENCODING, _EMPTY. */
gboolean hy_extract__text(HyDocument *doc, GBytes *bytes, const HyExtractOptions *options,
                          GError **error);

/* Extracts the lines of the PDF in @bytes into @doc, pages in parallel as
 * @options->threads says; @deadline is a g_get_monotonic_time() value, 0 for none.
 * Errors: HY_EXTRACT_ERROR_ENCRYPTED, _DAMAGED, _LIMIT, _NO_TEXT. */
gboolean hy_extract__pdf(HyDocument *doc, GBytes *bytes, const HyExtractOptions *options,
                         gint64 deadline, GError **error);

/* Text laid out in columns (pdftotext -layout): splits lines at wide gutters and reads
 * columns shared by adjacent lines one after the other (extract_columns.c). */
gboolean hy_extract__split_columns(HyDocument *doc, GError **error);
