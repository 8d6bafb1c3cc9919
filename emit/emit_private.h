/* emit_private.h -- what the emit stage's files share and its users do not see. */
#pragma once

#include "hy_emit.h"

/* What the SQLite file at @path is, opened read-only: HY_OUTPUT_SQLITE (hyosho's, with
 * its schema version in @schema), HY_OUTPUT_EMPTY (no tables yet) or
 * HY_OUTPUT_SQLITE_OTHER. */
HyOutputKind emit_sqlite_identify(const char *path, int *schema);
/* The database schema this hyosho writes. */
int emit_sqlite_schema(void);
/* The file a write to @path lands in: a symbolic link's final target (which may not
 * exist yet), otherwise @path. Returns: (transfer full). */
char *emit_resolve_link(const char *path);
/* Whether @line (a first line without its line end) is hyosho's CSV header row, of either
 * style, after a BOM or not. */
gboolean emit_csv_is_header(const char *line);
/* The Japanese name of the contact field @field ("tel"), or NULL when it has none. */
const char *emit_csv_contact_name_ja(const char *field);
