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

/* Limits and choices; hy_extract_options_init() sets the documented defaults. */
typedef struct {
    const char *encoding;   /* (nullable) force this text encoding (ICU converter name) */
    const char *password;   /* (nullable) PDF user or owner password */
    guint64 max_bytes;      /* largest input accepted */
    int max_pages;          /* most pages accepted */
    gsize max_line_bytes;   /* longer lines are cut there, with a warning */
    int max_lines_per_page; /* further lines of a page are dropped, with a warning */
    double timeout_seconds; /* wall time for extraction; 0 = none */
    int threads;            /* PDF pages extracted in parallel; 0 = number of cores */
} HyExtractOptions;

void hy_extract_options_init(HyExtractOptions *options);

typedef struct {
    char *path;          /* as given by the caller; "-" for stdin */
    char *sha256;        /* hex of the input bytes */
    HyFormat format;     /* from the bytes (%PDF-), never from the name */
    char *encoding;      /* (nullable) for text: the encoding detected or forced */
    int n_pages;         /* PDF page count; text: form-feed separated pages */
    GPtrArray *lines;    /* HyLine*, normalized, blank lines omitted (see blank_before) */
    GPtrArray *warnings; /* char*, e.g. "page 2: no usable text layer (scanned image?)" */
} HyDocument;

void hy_document_free(HyDocument *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HyDocument, hy_document_free)

/* Reads @path ("-" for stdin) and extracts its lines. @options may be NULL for the
 * defaults. Returns: (transfer full) the document, or NULL with HY_EXTRACT_ERROR_*;
 * the message does not repeat the path (the caller prefixes it). */
HyDocument *hy_extract_load(const char *path, const HyExtractOptions *options, GError **error);

/* Same, from bytes already in memory; @path is only recorded. */
HyDocument *hy_extract_load_bytes(const char *path, GBytes *bytes, const HyExtractOptions *options,
                                  GError **error);

const char *hy_format_name(HyFormat format); /* "pdf" or "text" */

G_END_DECLS
