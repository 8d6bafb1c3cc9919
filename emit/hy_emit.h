/* hy_emit.h -- emit stage: a segmented report -> the v1 JSON document
 * (../shared/design/output-v1.md), JSON Lines, or rows of a SQLite database.
 * Uses segment's types; knows nothing about PDFs or rules. */
#pragma once

#include <glib.h>
#include "hy_segment.h"

G_BEGIN_DECLS

#define HY_EMIT_ERROR (hy_emit_error_quark())
GQuark hy_emit_error_quark(void);

typedef enum {
    HY_EMIT_ERROR_WRITE,  /* cannot write the output */
    HY_EMIT_ERROR_SQLITE, /* the database refused (message from sqlite3_errmsg) */
} HyEmitError;

#define HY_SCHEMA_VERSION 1

/* The `source` object of a document; filled by the caller from the extract stage. */
typedef struct {
    const char *path;
    const char *sha256;
    const char *format; /* "pdf" or "text" */
    int pages;
} HySource;

/* The whole v1 document as a JSON string, UTF-8 unescaped, keys in the contract's
 * order, ending in "\n". @pretty: indented; otherwise one line.
 * Returns: (transfer full). */
char *hy_emit_json(const HySource *source, const HyReport *report, gboolean pretty);

/* One line per award (its document's source fields and its index added), each
 * ending in "\n". Returns: (transfer full), "" when there are no awards. */
char *hy_emit_jsonl(const HySource *source, const HyReport *report);

G_END_DECLS
