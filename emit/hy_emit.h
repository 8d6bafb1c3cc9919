/* hy_emit.h -- emit stage: a segmented report -> the v1 JSON document
 * (emit/output-v1.md, the contract), JSON Lines, or rows of a SQLite database.
 * Uses segment's types; knows nothing about PDFs or rules. */
#pragma once

#include <stdio.h>

#include <glib.h>
#include "hy_segment.h"

G_BEGIN_DECLS

#define HY_EMIT_ERROR (hy_emit_error_quark())
GQuark hy_emit_error_quark(void);

typedef enum {
    HY_EMIT_ERROR_WRITE,  /* cannot write the output */
    HY_EMIT_ERROR_SQLITE, /* the database refused (message from sqlite3_errmsg) */
    HY_EMIT_ERROR_SCHEMA, /* a database of a newer schema, or not one hyosho made */
    HY_EMIT_ERROR_PARSE,  /* hy_emit_read_json: not JSON, or not a v1 document */
    HY_EMIT_ERROR_EXISTS, /* hy_emit_check_output: the file there is not what the output may replace */
} HyEmitError;

#define HY_SCHEMA_VERSION 1

/* The `source` object of a document; filled by the caller from the extract stage.
 * hyosho_version and converted_at go into the database only: the JSON stays
 * byte-for-byte reproducible. */
typedef struct {
    const char *path;
    const char *sha256;
    const char *format; /* "pdf" or "text" */
    int pages;
    const char *hyosho_version; /* (nullable) version of the program that converted it */
    const char *converted_at;   /* (nullable) ISO 8601 UTC, e.g. "2024-05-01T09:30:00Z" */
} HySource;

/* The whole v1 document as a JSON string, UTF-8 unescaped, keys in the contract's
 * order, ending in "\n". @pretty: indented; otherwise one line.
 * Returns: (transfer full). */
char *hy_emit_json(const HySource *source, const HyReport *report, gboolean pretty);

/* One line per award (its document's source fields and its index added), each
 * ending in "\n". Returns: (transfer full), "" when there are no awards. */
char *hy_emit_jsonl(const HySource *source, const HyReport *report);

/* The same two, with the awards generated on up to @threads threads (0 = one a core)
 * when there are enough of them; the bytes are the same for any value. */
char *hy_emit_json_threads(const HySource *source, const HyReport *report, gboolean pretty, int threads);
char *hy_emit_jsonl_threads(const HySource *source, const HyReport *report, int threads);

/* The same bytes written to @stream as they are generated, a piece at a time (about
 * 64 KiB), never the whole output in memory; @stream is flushed at the end. A caller
 * that must not leave half an output behind writes to a temporary file, or only once
 * nothing else can fail. Returns: FALSE with HY_EMIT_ERROR_WRITE ("write failed: "
 * and the system's reason) when a write or the flush failed; what was written stays. */
gboolean hy_emit_json_to_stream(FILE *stream, const HySource *source, const HyReport *report, gboolean pretty,
                                int threads, GError **error);
gboolean hy_emit_jsonl_to_stream(FILE *stream, const HySource *source, const HyReport *report, int threads,
                                 GError **error);

/* ---- CSV (emit_csv.c) ---------------------------------------------------------
 * One row per award, as JSON Lines has one line: its document's path, sha256, year,
 * edition and date, then the award's index and members, in the columns README.md lists
 * ("Downstream databases"). RFC 4180 quoting; a NULL is an empty cell; lists go into one
 * cell, partners' members and pages joined by ';', evaluations, captions and warnings by
 * a line break. The document's own warnings are not in the rows (JSON Lines has none
 * either): they are about no award. */

typedef enum {
    HY_CSV_HEADER_JSON, /* each column named by its JSON path: awardee.lg_code */
    HY_CSV_HEADER_JA,   /* in Japanese: 全国地方公共団体コード */
} HyCsvHeader;

typedef struct {
    HyCsvHeader header;
    /* For a spreadsheet (Excel on Windows opens it with a double click): a UTF-8 BOM before
     * the header, CRLF after each row, and a string of digits alone (an lg_code) as the
     * formula ="011002", so that it stays text. Otherwise no BOM, LF, values as they are. */
    gboolean excel;
} HyCsvOptions;

/* "json" or "ja", the names on the command line. */
gboolean hy_emit_csv_header_parse(const char *name, HyCsvHeader *out);
/* The header row, after the BOM with @options->excel. Returns: (transfer full). */
char *hy_emit_csv_header(const HyCsvOptions *options);
/* A row per award, without the header: what a batch appends for each document.
 * Returns: (transfer full), "" when there are no awards. */
char *hy_emit_csv_rows(const HySource *source, const HyReport *report, const HyCsvOptions *options);
/* The header and the rows. Returns: (transfer full). */
char *hy_emit_csv(const HySource *source, const HyReport *report, const HyCsvOptions *options);
/* The same bytes written to @stream a piece at a time, then flushed. Returns: FALSE with
 * HY_EMIT_ERROR_WRITE when a write or the flush failed; what was written stays. */
gboolean hy_emit_csv_to_stream(FILE *stream, const HySource *source, const HyReport *report,
                               const HyCsvOptions *options, GError **error);

/* ---- reading a v1 document back (emit_read.c) ------------------------------
 * The inverse of hy_emit_json(), for a program that gets documents from another hyosho
 * process (`hyosho batch` reads its workers' output): reading then emitting again gives
 * the same bytes (tests/test_emit.c checks it for every golden). */

/* A document read back: @source's path, sha256 and format point into strings this
 * struct owns; hyosho_version and converted_at are NULL (the JSON does not carry them:
 * set them before storing the document, they are borrowed). */
typedef struct {
    HySource source;
    HyReport *report; /* (transfer full) freed with the document */
} HyEmitDocument;

/* Parses @len bytes of @json (-1: NUL-terminated), a v1 document as hy_emit_json()
 * writes it, pretty or compact; unknown members are ignored, as the contract allows.
 * Returns: (transfer full), or NULL with HY_EMIT_ERROR_PARSE naming the member at
 * fault, e.g. "awards[2].contact.tel: expected a string or null". */
HyEmitDocument *hy_emit_read_json(const char *json, gssize len, GError **error);
void hy_emit_document_free(HyEmitDocument *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HyEmitDocument, hy_emit_document_free)

/* Writes @len bytes of @data to @path atomically: into a temporary file in the same
 * folder, renamed over @path when complete, so a reader (or a crash) only ever sees
 * the previous file or the whole new one. A link is written through (its target is
 * replaced, the link stays); a device or pipe (/dev/null, a FIFO) is written in place. Returns: FALSE with HY_EMIT_ERROR_WRITE,
 * in which case @path is as it was and the temporary file is removed. */
gboolean hy_emit_write_file(const char *path, const char *data, gsize len, GError **error);
/* Same, for one of many outputs written in a row: a new file (nothing at @path yet) is
 * not flushed to disk on its own, so a system crash may leave it missing or empty, never
 * a previous file half replaced; the caller flushes a group of them later
 * (hy_emit_sync_files), before anything records them as written. A file replaced is
 * flushed before the rename, as above. */
gboolean hy_emit_write_new_file(const char *path, const char *data, gsize len, GError **error);
/* Flushes the files @paths (char*) and the folders that hold them to disk (fsync).
 * Thread-safe. Returns: FALSE with HY_EMIT_ERROR_WRITE naming the file. */
gboolean hy_emit_sync_files(GPtrArray *paths, GError **error);

/* ---- what the outputs share (emit_common.c) ---------------------------------- */

/* @s as UTF-8 text for a JSON string or a database cell: copied when it is UTF-8, else its
 * invalid bytes become U+FFFD (a file name may hold any bytes). Returns: (transfer full). */
char *hy_emit_valid_text(const char *s);
/* The time now as the outputs record a conversion's or a failure's: ISO 8601 UTC to the
 * second, "2024-05-01T09:30:00Z". Returns: (transfer full). */
char *hy_emit_timestamp_now(void);
/* Where @path's extension starts: the last '.' of its last component, unless that is its
 * first character ("a/x.pdf" -> ".pdf", "a/.rc" -> NULL); NULL when there is none. */
const char *hy_emit_path_extension(const char *path);

/* ---- where an output may go (emit_target.c) --------------------------------- */

typedef enum {
    HY_EMIT_FORMAT_JSON,
    HY_EMIT_FORMAT_JSONL,
    HY_EMIT_FORMAT_SQLITE,
    HY_EMIT_FORMAT_CSV,
} HyEmitFormat;

/* "json", "jsonl", "sqlite", "csv": the names on the command line. */
const char *hy_emit_format_name(HyEmitFormat format);
gboolean hy_emit_format_parse(const char *name, HyEmitFormat *out);
/* The format @path's extension asks for, in any case: .json; .jsonl, .ndjson; .db,
 * .sqlite, .sqlite3; .csv. FALSE for any other extension, or none. */
gboolean hy_emit_format_for_path(const char *path, HyEmitFormat *out);

/* What a file holds, as far as output is concerned. */
typedef enum {
    HY_OUTPUT_ABSENT,
    HY_OUTPUT_EMPTY,          /* no bytes, or a SQLite database without tables */
    HY_OUTPUT_JSON,           /* a v1 document, pretty or compact */
    HY_OUTPUT_JSONL,          /* awards, one a line */
    HY_OUTPUT_JSON_OR_JSONL,  /* hyosho's, with a first line too long to tell which */
    HY_OUTPUT_FAILURES,       /* a failures list (hy_emit_failure_line) */
    HY_OUTPUT_SQLITE,         /* a database hyosho made (user_version set, documents table) */
    HY_OUTPUT_SQLITE_OTHER,
    HY_OUTPUT_CSV,            /* hyosho's CSV: its header row first (after a BOM or not) */
    HY_OUTPUT_FOLDER,
    HY_OUTPUT_STREAM,         /* a device, pipe or socket: written in place, never replaced */
    HY_OUTPUT_OTHER,
} HyOutputKind;

/* Reads as little of @path as tells what it is; never writes. @schema (nullable) gets a
 * hyosho database's schema version. */
HyOutputKind hy_emit_identify_output(const char *path, int *schema);
/* "a SQLite database hyosho did not make", for messages. */
const char *hy_emit_output_kind_describe(HyOutputKind kind);
/* Checks, before anything is converted, that @format output can go to @path: what is
 * there (a link: its target) is absent, empty, or hyosho's own output of that format
 * (which the output replaces, or adds to for a database), or @overwrite is set; and
 * its folder exists and takes new files (tried, not asked). @found (nullable) gets what
 * is there, read once for both the check and the caller. Returns: FALSE with
 * HY_EMIT_ERROR_EXISTS ("is a SQLite database hyosho did not make; JSON output would
 * replace it"), HY_EMIT_ERROR_SCHEMA (a database of a newer hyosho) or
 * HY_EMIT_ERROR_WRITE ("folder out/ does not exist", "cannot write in folder out/: it
 * is read-only", "the database file is read-only"). */
gboolean hy_emit_check_output(const char *path, HyEmitFormat format, gboolean overwrite, HyOutputKind *found,
                              GError **error);
/* Whether output of @format may replace what @kind is (or, for a database, add to it). */
gboolean hy_emit_output_takes(HyOutputKind kind, HyEmitFormat format);
/* The folder half of hy_emit_check_output(), for a folder that receives many outputs. */
gboolean hy_emit_check_folder(const char *folder, GError **error);
/* A folder that receives many outputs, made ready before anything is converted: not a
 * file, made if missing, then hy_emit_check_folder(). */
gboolean hy_emit_prepare_folder(const char *folder, GError **error);

/* One line of a batch's failures list, ending in "\n": {"path", "sha256" (nullable),
 * "reason"}; text that is not UTF-8 is repaired. Returns: (transfer full). */
char *hy_emit_failure_line(const char *path, const char *sha256, const char *reason);

/* ---- SQLite (emit_sqlite.c) ------------------------------------------------
 * One database collects any number of documents. Tables (database schema 2, kept in
 * PRAGMA user_version; positions are 0-based, like the JSON arrays' indexes):
 *   documents   id, path, sha256 UNIQUE, format, pages, title, edition, year,
 *               converted_at, schema_version, hyosho_version, date (schema 2)
 *   listed_awardees id, document_id, position, name (schema 2: source.listed_awardees)
 *   awards      id, document_id, idx, name, kind, prefecture, lg_code, inferred,
 *               pages (JSON array text, e.g. "[1,2]"), category (schema 2)
 *   partners    id, award_id, position, name, country, country_code
 *   evaluations id, award_id, position, text
 *   contacts    award_id (one row per award), department, postal_code, address, tel,
 *               fax, email, url
 *   captions    id, award_id, position, text
 *   warnings    id, document_id, award_id (NULL: about the document), position, text
 *   failures    id, path UNIQUE, sha256, reason, failed_at (inputs that did not convert)
 * Child rows reference their parent with ON DELETE CASCADE (foreign keys are on for
 * every connection hyosho opens). Every NULL of the JSON is NULL here. A HySqlite is
 * one connection: use it from one thread at a time. */

typedef struct _HySqlite HySqlite;

/* Opens or creates the database at @path, creating the tables when it is new (user_version
 * 0 and no tables), upgrading a database of schema 1 in place (one transaction; its rows
 * stay, NULL in the new columns), and preparing every statement once. Returns: (transfer
 * full), or NULL with HY_EMIT_ERROR_SQLITE (cannot open, not a database, locked) or
 * HY_EMIT_ERROR_SCHEMA (user_version newer than this hyosho, or tables hyosho did not make). */
HySqlite *hy_sqlite_open(const char *path, GError **error);
/* Calls @before_commit inside each document's own transaction, its rows written, just
 * before the COMMIT (not for documents of a group): where a test interrupts a write. */
void hy_sqlite_set_before_commit(HySqlite *db, void (*before_commit)(gpointer data), gpointer data);
/* Finalizes the statements and closes the connection; NULL is ignored. */
void hy_sqlite_close(HySqlite *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HySqlite, hy_sqlite_close)

/* Stores one document in one transaction (a savepoint in an open group, see below). A document already in the database (same
 * sha256) is replaced, rows and all, so importing twice never duplicates; a failure
 * recorded for the same sha256 or path is cleared. @source->converted_at NULL means now.
 * Returns: FALSE with HY_EMIT_ERROR_SQLITE, the database left exactly as it was. */
gboolean hy_sqlite_write_document(HySqlite *db, const HySource *source, const HyReport *report,
                                  GError **error);

/* Many documents in one transaction, from here to hy_sqlite_commit_group(): each still
 * stored whole or not at all (a savepoint of its own), the group flushed to disk once
 * instead of once a document. Nothing of the group is stored before the commit (closing
 * without it rolls the group back). A group already open is kept. Returns: FALSE with
 * HY_EMIT_ERROR_SQLITE (locked by another writer past the busy timeout, say). */
gboolean hy_sqlite_begin_group(HySqlite *db, GError **error);
/* Commits the open group (nothing to do without one). Returns: FALSE with
 * HY_EMIT_ERROR_SQLITE, the whole group rolled back. */
gboolean hy_sqlite_commit_group(HySqlite *db, GError **error);

/* Records that @path (@sha256 nullable: the input was not even read) did not convert,
 * replacing an earlier failure of the same path. Returns: FALSE with HY_EMIT_ERROR_SQLITE. */
gboolean hy_sqlite_record_failure(HySqlite *db, const char *path, const char *sha256, const char *reason,
                                  GError **error);

/* Sets @out to whether a document with @sha256 is stored, converted by @hyosho_version
 * ((nullable): by any version), so a batch run can skip it. Returns: FALSE with
 * HY_EMIT_ERROR_SQLITE. */
gboolean hy_sqlite_has_document(HySqlite *db, const char *sha256, const char *hyosho_version, gboolean *out,
                                GError **error);

G_END_DECLS
