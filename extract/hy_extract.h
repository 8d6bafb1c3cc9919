/* hy_extract.h -- extract stage: input bytes (PDF or text in any common Japanese
 * encoding) -> the document's normalized lines, page by page, in reading order.
 * The only stage that sees a PDF; segment receives HyLine values only. */
#pragma once

#include <glib.h>
#include "hy_normalize.h"

G_BEGIN_DECLS

#define HY_EXTRACT_ERROR (hy_extract_error_quark())
GQuark hy_extract_error_quark(void);

typedef enum {
    HY_EXTRACT_ERROR_READ,      /* cannot read the file (missing, a directory, I/O) */
    HY_EXTRACT_ERROR_EMPTY,     /* zero bytes, or no text at all */
    HY_EXTRACT_ERROR_BINARY,    /* neither PDF nor text */
    HY_EXTRACT_ERROR_ENCODING,  /* text that does not decode in the detected or forced encoding */
    HY_EXTRACT_ERROR_ENCRYPTED, /* a PDF that needs a password we do not have */
    HY_EXTRACT_ERROR_DAMAGED,   /* a PDF poppler cannot open */
    HY_EXTRACT_ERROR_LIMIT,     /* over a limit of HyExtractOptions (size, pages, time) */
    HY_EXTRACT_ERROR_NO_TEXT,   /* a PDF with no usable text layer on any page */
} HyExtractError;

typedef enum {
    HY_FORMAT_PDF,
    HY_FORMAT_TEXT,
} HyFormat;

/* Limits and choices; hy_extract_options_init() sets the documented defaults. A limit
 * of 0 means no limit. The strings are borrowed for the duration of the call. */
typedef struct {
    const char *encoding;   /* (nullable) force this text encoding (ICU converter name);
                             * ignored for PDF input */
    const char *password;   /* (nullable) PDF user or owner password */
    guint64 max_bytes;      /* largest input accepted (default 256 MiB) */
    int max_pages;          /* most pages accepted (default 2000) */
    gsize max_line_bytes;   /* longer lines are cut there, at a character boundary,
                             * with a warning (default 65536) */
    int max_lines_per_page; /* further lines of a page are dropped, with a warning (20000) */
    double timeout_seconds; /* wall time for extraction, checked between PDF pages; 0 = none
                             * (default 30); a single page that never returns is the
                             * caller's watchdog's business */
    int threads;            /* PDF pages extracted in parallel, each thread with its own
                             * PopplerDocument; 0 = number of cores (default). The result
                             * is the same for any value. Unless 1, the input's SHA-256
                             * is computed on a thread of its own beside extraction. */
} HyExtractOptions;

/* Sets every field of @options to its default (see above). */
void hy_extract_options_init(HyExtractOptions *options);
/* Whether @name is an encoding text input can be forced to (an ICU converter name or
 * alias: "Shift_JIS", "EUC-JP", "cp932" ...). */
gboolean hy_extract_encoding_known(const char *name);

/* Text input: valid UTF-8 is taken as it is (a BOM removed); otherwise a UTF-16 BOM,
 * or ISO-2022-JP escapes, or strict Shift_JIS (decoded as CP932) and EUC-JP, chosen
 * with ICU's detector. Lines split on \n (a trailing \r dropped); a form feed starts
 * a new page, except one followed only by blank lines at the end. A line's @number
 * counts physical lines; lines empty after normalization are left out and counted
 * in the next line's blank_before (reset at each page).
 * PDF input: poppler's reading order, page by page; lines carry x, y, font_size and
 * blank_before (see HyLine). A page whose text layer is empty or garbage is left out
 * with a warning "page N: no usable text layer (scanned image?)" or "page N: text
 * layer looks garbled (no Unicode mapping?)"; @number counts every line poppler gave,
 * left-out pages included. Text in annotations (form fields, FreeText) is not read. */
typedef struct {
    char *path;          /* as given by the caller; "-" for stdin */
    char *sha256;        /* hex of the input bytes */
    HyFormat format;     /* from the bytes (%PDF- in the first 1024), never from the name */
    char *encoding;      /* (nullable) for text: the encoding detected ("UTF-8",
                          * "Shift_JIS", "EUC-JP", "UTF-16", "ISO-2022-JP") or the
                          * name forced by options->encoding; NULL for PDF */
    int n_pages;         /* PDF page count; text: form-feed separated pages */
    GPtrArray *lines;    /* HyLine*, normalized, blank lines omitted (see blank_before) */
    GPtrArray *warnings; /* char*, e.g. "page 2: no usable text layer (scanned image?)" */
} HyDocument;

void hy_document_free(HyDocument *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HyDocument, hy_document_free)

/* Reads @path ("-" for stdin) and extracts its lines. @options may be NULL for the
 * defaults. Returns: (transfer full) the document, or NULL with HY_EXTRACT_ERROR_*;
 * the message does not repeat the path (the caller prefixes it), e.g. "is a
 * directory", "No such file or directory", "not valid Shift_JIS at byte 1234",
 * "encrypted PDF: a password is needed (--password)", "damaged PDF: ...",
 * "no usable text layer on any page (scanned images, or fonts without a Unicode mapping?)", "timed out after 30 s".
 * Thread-safe: calls on different documents may run at the same time. */
HyDocument *hy_extract_load(const char *path, const HyExtractOptions *options, GError **error);

/* Same, from bytes already in memory; @path is only recorded. */
HyDocument *hy_extract_load_bytes(const char *path, GBytes *bytes, const HyExtractOptions *options,
                                  GError **error);

/* While @retain is TRUE, poppler's process-wide state (its global parameters: encoding
 * tables, CMap and font directories) stays built between documents instead of being
 * built again for each; for a process that converts document after document. Call it
 * before and after conversions, not while one runs (not thread-safe); FALSE releases it. */
void hy_extract_retain_pdf_state(gboolean retain);

const char *hy_format_name(HyFormat format); /* "pdf" or "text" */

G_END_DECLS
