/* emit_sqlite.c -- a segmented report -> rows of a SQLite database (tables listed in
 * hy_emit.h). The one file that calls SQLite: its result codes become HY_EMIT_ERROR here,
 * in words a user reads (user_terms), and nowhere else. Statements are prepared once per
 * open. Each document is one BEGIN IMMEDIATE ... COMMIT, or, inside a group of documents
 * (hy_sqlite_begin_group, one transaction committed together), a SAVEPOINT of its own;
 * either is rolled back on any error, so a document that fails half-way leaves the
 * database exactly as it was. */
#include "hy_emit.h"
#include "emit_private.h"

#include <sqlite3.h>

/* The database schema this hyosho writes (PRAGMA user_version). Not HY_SCHEMA_VERSION:
 * the JSON contract and the table layout change independently. */
#define HY_SQLITE_SCHEMA 2

/* migrations[v] brings a database from user_version v to v + 1; a new database starts at
 * 0 and goes through all of them, so it has the same layout (column order included) as
 * one created by an older hyosho and upgraded. A migration never edits an earlier one. */
static const char *const migrations[HY_SQLITE_SCHEMA] = {
    "CREATE TABLE documents (\n"
    "  id             INTEGER PRIMARY KEY,\n"
    "  path           TEXT NOT NULL,\n"
    "  sha256         TEXT NOT NULL UNIQUE,\n"
    "  format         TEXT NOT NULL CHECK (format IN ('pdf', 'text')),\n"
    "  pages          INTEGER NOT NULL,\n"
    "  title          TEXT,\n"
    "  edition        INTEGER,\n"
    "  year           INTEGER,\n"
    "  converted_at   TEXT NOT NULL,\n"
    "  schema_version INTEGER NOT NULL,\n"
    "  hyosho_version TEXT\n"
    ");\n"
    "CREATE INDEX documents_year ON documents (year);\n"
    /* The UNIQUE (parent, position) constraints below are also the indexes of the
     * foreign keys: SQLite uses an index whose first column is the key. */
    "CREATE TABLE awards (\n"
    "  id          INTEGER PRIMARY KEY,\n"
    "  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,\n"
    "  idx         INTEGER NOT NULL,\n"
    "  name        TEXT NOT NULL,\n"
    "  kind        TEXT NOT NULL CHECK (kind IN ('prefecture', 'municipality', 'organization')),\n"
    "  prefecture  TEXT,\n"
    "  lg_code     TEXT,\n"
    "  inferred    INTEGER NOT NULL CHECK (inferred IN (0, 1)),\n"
    "  pages       TEXT NOT NULL,\n"
    "  UNIQUE (document_id, idx)\n"
    ");\n"
    "CREATE INDEX awards_name ON awards (name);\n"
    "CREATE INDEX awards_lg_code ON awards (lg_code);\n"
    "CREATE INDEX awards_prefecture ON awards (prefecture);\n"
    "CREATE TABLE partners (\n"
    "  id           INTEGER PRIMARY KEY,\n"
    "  award_id     INTEGER NOT NULL REFERENCES awards (id) ON DELETE CASCADE,\n"
    "  position     INTEGER NOT NULL,\n"
    "  name         TEXT NOT NULL,\n"
    "  country      TEXT,\n"
    "  country_code TEXT,\n"
    "  UNIQUE (award_id, position)\n"
    ");\n"
    "CREATE INDEX partners_country_code ON partners (country_code);\n"
    "CREATE TABLE evaluations (\n"
    "  id       INTEGER PRIMARY KEY,\n"
    "  award_id INTEGER NOT NULL REFERENCES awards (id) ON DELETE CASCADE,\n"
    "  position INTEGER NOT NULL,\n"
    "  text     TEXT NOT NULL,\n"
    "  UNIQUE (award_id, position)\n"
    ");\n"
    "CREATE TABLE contacts (\n"
    "  award_id    INTEGER PRIMARY KEY REFERENCES awards (id) ON DELETE CASCADE,\n"
    "  department  TEXT,\n"
    "  postal_code TEXT,\n"
    "  address     TEXT,\n"
    "  tel         TEXT,\n"
    "  fax         TEXT,\n"
    "  email       TEXT,\n"
    "  url         TEXT\n"
    ");\n"
    "CREATE TABLE captions (\n"
    "  id       INTEGER PRIMARY KEY,\n"
    "  award_id INTEGER NOT NULL REFERENCES awards (id) ON DELETE CASCADE,\n"
    "  position INTEGER NOT NULL,\n"
    "  text     TEXT NOT NULL,\n"
    "  UNIQUE (award_id, position)\n"
    ");\n"
    "CREATE TABLE warnings (\n"
    "  id          INTEGER PRIMARY KEY,\n"
    "  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,\n"
    "  award_id    INTEGER REFERENCES awards (id) ON DELETE CASCADE,\n"
    "  position    INTEGER NOT NULL,\n"
    "  text        TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX warnings_document_id ON warnings (document_id);\n"
    "CREATE INDEX warnings_award_id ON warnings (award_id);\n"
    "CREATE TABLE failures (\n"
    "  id        INTEGER PRIMARY KEY,\n"
    "  path      TEXT NOT NULL UNIQUE,\n"
    "  sha256    TEXT,\n"
    "  reason    TEXT NOT NULL,\n"
    "  failed_at TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX failures_sha256 ON failures (sha256);\n",
    /* 2: whole published documents (output-v1.md's last section): the date a document was
     * issued, the awardees its cover lists, the prize each award falls under. ADD COLUMN
     * only appends a nullable column, so the rows of schema 1 stay, with NULL there. */
    "ALTER TABLE documents ADD COLUMN date TEXT;\n"
    "ALTER TABLE awards ADD COLUMN category TEXT;\n"
    "CREATE TABLE listed_awardees (\n"
    "  id          INTEGER PRIMARY KEY,\n"
    "  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,\n"
    "  position    INTEGER NOT NULL,\n"
    "  name        TEXT NOT NULL,\n"
    "  UNIQUE (document_id, position)\n"
    ");\n"
    "CREATE INDEX listed_awardees_name ON listed_awardees (name);\n",
};

typedef enum {
    ST_BEGIN,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_SAVEPOINT,
    ST_RELEASE,
    ST_ROLLBACK_TO,
    ST_DELETE_DOCUMENT,
    ST_DELETE_FAILURES,
    ST_INSERT_DOCUMENT,
    ST_INSERT_AWARD,
    ST_INSERT_PARTNER,
    ST_INSERT_EVALUATION,
    ST_INSERT_CONTACT,
    ST_INSERT_CAPTION,
    ST_INSERT_WARNING,
    ST_INSERT_LISTED_AWARDEE,
    ST_INSERT_FAILURE,
    ST_HAS_DOCUMENT,
    ST_N
} Statement;

static const char *const statement_sql[ST_N] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_SAVEPOINT] = "SAVEPOINT hy_document",
    [ST_RELEASE] = "RELEASE hy_document",
    [ST_ROLLBACK_TO] = "ROLLBACK TO hy_document",
    [ST_DELETE_DOCUMENT] = "DELETE FROM documents WHERE sha256 = ?1",
    [ST_DELETE_FAILURES] = "DELETE FROM failures WHERE sha256 = ?1 OR path = ?2",
    [ST_INSERT_DOCUMENT] =
        "INSERT INTO documents (path, sha256, format, pages, title, edition, year, "
        "converted_at, schema_version, hyosho_version, date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
        "?8, ?9, ?10, ?11)",
    [ST_INSERT_AWARD] =
        "INSERT INTO awards (document_id, idx, name, kind, prefecture, lg_code, inferred, pages, category) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [ST_INSERT_PARTNER] = "INSERT INTO partners (award_id, position, name, country, country_code) "
                          "VALUES (?1, ?2, ?3, ?4, ?5)",
    [ST_INSERT_EVALUATION] = "INSERT INTO evaluations (award_id, position, text) VALUES (?1, ?2, ?3)",
    /* the columns after award_id in the order of hy_contact_fields, which binds them */
    [ST_INSERT_CONTACT] =
        "INSERT INTO contacts (award_id, department, postal_code, address, tel, fax, email, url) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [ST_INSERT_CAPTION] = "INSERT INTO captions (award_id, position, text) VALUES (?1, ?2, ?3)",
    [ST_INSERT_WARNING] =
        "INSERT INTO warnings (document_id, award_id, position, text) VALUES (?1, ?2, ?3, ?4)",
    [ST_INSERT_LISTED_AWARDEE] =
        "INSERT INTO listed_awardees (document_id, position, name) VALUES (?1, ?2, ?3)",
    /* One row per path: a retried input that fails again replaces its earlier reason. */
    [ST_INSERT_FAILURE] =
        "INSERT OR REPLACE INTO failures (path, sha256, reason, failed_at) VALUES (?1, ?2, ?3, ?4)",
    [ST_HAS_DOCUMENT] =
        "SELECT 1 FROM documents WHERE sha256 = ?1 AND (?2 IS NULL OR hyosho_version = ?2) LIMIT 1",
};

struct _HySqlite {
    sqlite3 *db;
    sqlite3_stmt *statements[ST_N];
    int bind_rc; /* first failed bind since the last step, reported by step() */
    gboolean in_group; /* between hy_sqlite_begin_group() and hy_sqlite_commit_group() */
    void (*before_commit)(gpointer data); /* (nullable) hy_sqlite_set_before_commit() */
    gpointer before_commit_data;
};

/* What SQLite's commonest refusals mean to someone who gave a file name, rather than
 * SQLite's own words ("unable to open database file"); NULL: SQLite's text says it. */
static const char *user_terms(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_CANTOPEN: return "cannot open or create the database file (does its folder exist, and can it be written?)";
    case SQLITE_READONLY: return "the database cannot be written (its file or folder is read-only)";
    case SQLITE_NOTADB: return "the file is not a SQLite database";
    case SQLITE_CORRUPT: return "the database file is damaged";
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return "the database is locked by another program (waited 5 s)";
    case SQLITE_FULL: return "the disk is full";
    case SQLITE_PERM:
    case SQLITE_AUTH: return "permission denied";
    default: return NULL;
    }
}

static gboolean set_error(HySqlite *db, int rc, const char *doing, GError **error)
{
    /* sqlite3_errmsg describes the last call on the connection; after a failed bind it
     * would describe an older one, so the code's own text is used then. */
    const char *message = user_terms(rc);
    if (message == NULL)
        message = db->db != NULL && sqlite3_errcode(db->db) == rc ? sqlite3_errmsg(db->db) : sqlite3_errstr(rc);
    g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_SQLITE, "%s: %s", doing, message);
    return FALSE;
}

int emit_sqlite_schema(void)
{
    return HY_SQLITE_SCHEMA;
}

HyOutputKind emit_sqlite_identify(const char *path, int *schema)
{
    sqlite3 *db = NULL;
    HyOutputKind kind = HY_OUTPUT_SQLITE_OTHER;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st = NULL;
        int version = 0, tables = 0, documents = 0;
        if (sqlite3_prepare_v2(db,
                               "SELECT (SELECT user_version FROM pragma_user_version), count(*), "
                               "count(*) FILTER (WHERE type = 'table' AND name = 'documents') FROM sqlite_master",
                               -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW) {
            version = sqlite3_column_int(st, 0);
            tables = sqlite3_column_int(st, 1);
            documents = sqlite3_column_int(st, 2);
            if (version == 0 && tables == 0) kind = HY_OUTPUT_EMPTY;
            else if (version > 0 && documents == 1) kind = HY_OUTPUT_SQLITE;
            if (schema != NULL) *schema = version;
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return kind;
}

/* ---- binding --------------------------------------------------------------
 * Every bound string belongs to the caller's source and report, or to a local of the
 * function that steps the statement; step() clears the bindings right after, so
 * SQLITE_STATIC never leaves a pointer bound past the text's life. */

static void bind_text(HySqlite *db, sqlite3_stmt *st, int column, const char *text)
{
    int rc =
        text != NULL ? sqlite3_bind_text(st, column, text, -1, SQLITE_STATIC) : sqlite3_bind_null(st, column);
    if (rc != SQLITE_OK && db->bind_rc == SQLITE_OK) db->bind_rc = rc;
}

/* Text from outside the document (a path, a failure's reason naming one): TEXT is UTF-8
 * here, and a file name can hold any bytes; those that are not UTF-8 become U+FFFD, as in
 * the JSON. SQLite keeps its own copy of a repaired text. */
static void bind_outside_text(HySqlite *db, sqlite3_stmt *st, int column, const char *text)
{
    if (text == NULL || g_utf8_validate(text, -1, NULL)) {
        bind_text(db, st, column, text);
        return;
    }
    g_autofree char *valid = hy_emit_valid_text(text);
    int rc = sqlite3_bind_text(st, column, valid, -1, SQLITE_TRANSIENT);
    if (rc != SQLITE_OK && db->bind_rc == SQLITE_OK) db->bind_rc = rc;
}

static void bind_int(HySqlite *db, sqlite3_stmt *st, int column, sqlite3_int64 value)
{
    int rc = sqlite3_bind_int64(st, column, value);
    if (rc != SQLITE_OK && db->bind_rc == SQLITE_OK) db->bind_rc = rc;
}

/* 0 is "unknown" in HyReport (edition, year) and NULL in the database, as in the JSON;
 * a row id of 0 is "none" (a document's own warning has no award). */
static void bind_int_or_null(HySqlite *db, sqlite3_stmt *st, int column, sqlite3_int64 value)
{
    int rc = value != 0 ? sqlite3_bind_int64(st, column, value) : sqlite3_bind_null(st, column);
    if (rc != SQLITE_OK && db->bind_rc == SQLITE_OK) db->bind_rc = rc;
}

/* Steps @which once; *@out_row (nullable) tells whether it produced a row. The statement
 * is then reset and its bindings cleared, whatever happened. */
static gboolean step(HySqlite *db, Statement which, const char *doing, gboolean *out_row, GError **error)
{
    sqlite3_stmt *st = db->statements[which];
    gboolean ok;
    if (db->bind_rc != SQLITE_OK) {
        ok = set_error(db, db->bind_rc, doing, error);
        db->bind_rc = SQLITE_OK;
    } else {
        int rc = sqlite3_step(st);
        ok = rc == SQLITE_DONE || rc == SQLITE_ROW;
        if (!ok) set_error(db, rc, doing, error);
        if (out_row != NULL) *out_row = rc == SQLITE_ROW;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return ok;
}

/* Ends a failed transaction. Some errors (SQLITE_FULL, SQLITE_IOERR, ...) roll back by
 * themselves; a ROLLBACK then would fail, and its error would hide the first one. */
static void rollback(HySqlite *db)
{
    if (sqlite3_get_autocommit(db->db)) return;
    (void)sqlite3_step(db->statements[ST_ROLLBACK]);
    sqlite3_reset(db->statements[ST_ROLLBACK]);
}


/* ---- open, migrate, close -------------------------------------------------- */

static gboolean exec(HySqlite *db, const char *sql, const char *doing, GError **error)
{
    int rc = sqlite3_exec(db->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK || set_error(db, rc, doing, error);
}

/* The first column of the first row of @sql (used at open only, so prepared on the spot). */
static gboolean query_int(HySqlite *db, const char *sql, int *out, GError **error)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
    }
    gboolean ok = rc == SQLITE_OK || set_error(db, rc, sql, error);
    sqlite3_finalize(st);
    return ok;
}

/* Brings the tables to HY_SQLITE_SCHEMA inside one write transaction, so two processes
 * creating (or upgrading) the same database do not both do it, and an upgrade that fails
 * half-way leaves the database at its old version. */
static gboolean migrate(HySqlite *db, GError **error)
{
    if (!exec(db, "BEGIN IMMEDIATE", "begin", error)) return FALSE;
    int version = 0, tables = 0;
    if (!query_int(db, "PRAGMA user_version", &version, error)) goto fail;
    if (version > HY_SQLITE_SCHEMA) {
        g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_SCHEMA,
                    "database schema %d is newer than this hyosho (it writes schema %d)", version,
                    HY_SQLITE_SCHEMA);
        goto fail;
    }
    if (version == 0) {
        if (!query_int(db, "SELECT count(*) FROM sqlite_master", &tables, error)) goto fail;
        if (tables > 0) {
            g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_SCHEMA,
                        "not a hyosho database: it has tables but no schema version (user_version 0)");
            goto fail;
        }
    }
    for (; version < HY_SQLITE_SCHEMA; version++) {
        g_autofree char *doing =
            g_strdup_printf("%s schema %d", version == 0 ? "creating" : "upgrading to", version + 1);
        g_autofree char *set_version = g_strdup_printf("PRAGMA user_version = %d", version + 1);
        if (!exec(db, migrations[version], doing, error) || !exec(db, set_version, doing, error)) goto fail;
    }
    if (!exec(db, "COMMIT", "commit", error)) goto fail;
    return TRUE;
fail:
    if (!sqlite3_get_autocommit(db->db)) (void)sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    return FALSE;
}

HySqlite *hy_sqlite_open(const char *path, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    g_autoptr(HySqlite) db = g_new0(HySqlite, 1);
    /* Even a failed open hands back a connection, which carries the message. */
    int rc = sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        set_error(db, rc, "cannot open", error);
        return NULL;
    }
    /* A batch run and a reader may share the file: wait for a lock rather than fail. */
    sqlite3_busy_timeout(db->db, 5000);
    /* Off by default in SQLite and per connection: without it ON DELETE CASCADE does
     * nothing and replacing a document would leave its awards behind. */
    if (!exec(db, "PRAGMA foreign_keys = ON", "enabling foreign keys", error)) return NULL;
    if (!migrate(db, error)) return NULL;
    for (int i = 0; i < ST_N; i++) {
        rc = sqlite3_prepare_v3(db->db, statement_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &db->statements[i],
                                NULL);
        if (rc != SQLITE_OK) {
            set_error(db, rc, statement_sql[i], error);
            return NULL;
        }
    }
    return g_steal_pointer(&db);
}

void hy_sqlite_set_before_commit(HySqlite *db, void (*before_commit)(gpointer data), gpointer data)
{
    db->before_commit = before_commit;
    db->before_commit_data = data;
}

void hy_sqlite_close(HySqlite *db)
{
    if (db == NULL) return;
    for (int i = 0; i < ST_N; i++)
        sqlite3_finalize(db->statements[i]);
    /* Every statement is finalized, so close cannot be refused as busy. */
    sqlite3_close(db->db);
    g_free(db);
}

/* ---- documents ------------------------------------------------------------- */

/* One row (parent, position, text) a string: an award's evaluations or captions, a
 * document's listed awardees. */
static gboolean insert_strings(HySqlite *db, Statement which, sqlite3_int64 parent_id,
                               const GPtrArray *strings, const char *doing, GError **error)
{
    sqlite3_stmt *st = db->statements[which];
    for (guint i = 0; strings != NULL && i < strings->len; i++) {
        bind_int(db, st, 1, parent_id);
        bind_int(db, st, 2, i);
        bind_text(db, st, 3, g_ptr_array_index(strings, i));
        if (!step(db, which, doing, NULL, error)) return FALSE;
    }
    return TRUE;
}

static gboolean insert_warnings(HySqlite *db, sqlite3_int64 document_id, sqlite3_int64 award_id,
                                const GPtrArray *warnings, const char *doing, GError **error)
{
    sqlite3_stmt *st = db->statements[ST_INSERT_WARNING];
    for (guint i = 0; warnings != NULL && i < warnings->len; i++) {
        bind_int(db, st, 1, document_id);
        bind_int_or_null(db, st, 2, award_id);
        bind_int(db, st, 3, i);
        bind_text(db, st, 4, g_ptr_array_index(warnings, i));
        if (!step(db, ST_INSERT_WARNING, doing, NULL, error)) return FALSE;
    }
    return TRUE;
}

static gboolean insert_award(HySqlite *db, sqlite3_int64 document_id, guint index, const HyAward *award,
                             GError **error)
{
    g_autofree char *doing = g_strdup_printf("storing award %u", index);
    const HyAwardee *who = &award->awardee;

    /* pages as a JSON array: queried with json_each(), never joined on. */
    g_autoptr(GString) pages = g_string_new("[");
    for (guint i = 0; award->pages != NULL && i < award->pages->len; i++)
        g_string_append_printf(pages, "%s%d", i > 0 ? "," : "", g_array_index(award->pages, int, i));
    g_string_append_c(pages, ']');

    sqlite3_stmt *st = db->statements[ST_INSERT_AWARD];
    bind_int(db, st, 1, document_id);
    bind_int(db, st, 2, index);
    bind_text(db, st, 3, who->name != NULL ? who->name : ""); /* as the JSON has it */
    bind_text(db, st, 4, hy_awardee_kind_name(who->kind));
    bind_text(db, st, 5, who->prefecture);
    bind_text(db, st, 6, who->lg_code);
    bind_int(db, st, 7, who->inferred ? 1 : 0);
    bind_text(db, st, 8, pages->str);
    bind_text(db, st, 9, award->category);
    if (!step(db, ST_INSERT_AWARD, doing, NULL, error)) return FALSE;
    sqlite3_int64 award_id = sqlite3_last_insert_rowid(db->db);

    st = db->statements[ST_INSERT_PARTNER];
    for (guint i = 0; award->partners != NULL && i < award->partners->len; i++) {
        const HyPartner *partner = g_ptr_array_index(award->partners, i);
        bind_int(db, st, 1, award_id);
        bind_int(db, st, 2, i);
        bind_text(db, st, 3, partner->name);
        bind_text(db, st, 4, partner->country);
        bind_text(db, st, 5, partner->country_code);
        if (!step(db, ST_INSERT_PARTNER, doing, NULL, error)) return FALSE;
    }

    if (!insert_strings(db, ST_INSERT_EVALUATION, award_id, award->evaluations, doing, error)) return FALSE;

    const HyContact *c = &award->contact;
    st = db->statements[ST_INSERT_CONTACT];
    bind_int(db, st, 1, award_id);
    for (guint i = 0; i < HY_CONTACT_N_FIELDS; i++) /* ?2.. in the statement's column order */
        bind_text(db, st, 2 + (int)i, hy_contact_value(c, &hy_contact_fields[i]));
    if (!step(db, ST_INSERT_CONTACT, doing, NULL, error)) return FALSE;

    if (!insert_strings(db, ST_INSERT_CAPTION, award_id, award->captions, doing, error)) return FALSE;
    return insert_warnings(db, document_id, award_id, award->warnings, doing, error);
}

static gboolean write_rows(HySqlite *db, const HySource *source, const HyReport *report, GError **error)
{
    sqlite3_stmt *st = db->statements[ST_DELETE_DOCUMENT];
    bind_text(db, st, 1, source->sha256);
    if (!step(db, ST_DELETE_DOCUMENT, "replacing the stored document", NULL, error)) return FALSE;

    st = db->statements[ST_DELETE_FAILURES];
    bind_text(db, st, 1, source->sha256);
    bind_outside_text(db, st, 2, source->path);
    if (!step(db, ST_DELETE_FAILURES, "clearing its failures", NULL, error)) return FALSE;

    g_autofree char *now = source->converted_at == NULL ? hy_emit_timestamp_now() : NULL;
    st = db->statements[ST_INSERT_DOCUMENT];
    bind_outside_text(db, st, 1, source->path);
    bind_text(db, st, 2, source->sha256);
    bind_text(db, st, 3, source->format);
    bind_int(db, st, 4, source->pages);
    bind_text(db, st, 5, report->title);
    bind_int_or_null(db, st, 6, report->edition);
    bind_int_or_null(db, st, 7, report->year);
    bind_text(db, st, 8, source->converted_at != NULL ? source->converted_at : now);
    bind_int(db, st, 9, HY_SCHEMA_VERSION);
    bind_text(db, st, 10, source->hyosho_version);
    bind_text(db, st, 11, report->date);
    if (!step(db, ST_INSERT_DOCUMENT, "storing the document", NULL, error)) return FALSE;
    sqlite3_int64 document_id = sqlite3_last_insert_rowid(db->db);

    /* the same shape as an award's strings, keyed by the document */
    if (!insert_strings(db, ST_INSERT_LISTED_AWARDEE, document_id, report->listed_awardees,
                        "storing the listed awardees", error))
        return FALSE;

    if (!insert_warnings(db, document_id, 0, report->warnings, "storing the document's warnings", error))
        return FALSE;
    for (guint i = 0; i < report->awards->len; i++)
        if (!insert_award(db, document_id, i, g_ptr_array_index(report->awards, i), error)) return FALSE;
    return TRUE;
}

gboolean hy_sqlite_begin_group(HySqlite *db, GError **error)
{
    g_return_val_if_fail(db != NULL, FALSE);
    if (db->in_group) return TRUE;
    if (!step(db, ST_BEGIN, "begin", NULL, error)) return FALSE;
    db->in_group = TRUE;
    return TRUE;
}

gboolean hy_sqlite_commit_group(HySqlite *db, GError **error)
{
    g_return_val_if_fail(db != NULL, FALSE);
    if (!db->in_group) return TRUE;
    db->in_group = FALSE;
    if (step(db, ST_COMMIT, "commit", NULL, error)) return TRUE;
    rollback(db);
    return FALSE;
}

/* One document inside a group: a savepoint of its own, so that a failure takes back its
 * rows only. */
static gboolean write_in_group(HySqlite *db, const HySource *source, const HyReport *report, GError **error)
{
    if (!step(db, ST_SAVEPOINT, "begin", NULL, error)) return FALSE;
    if (write_rows(db, source, report, error)) return step(db, ST_RELEASE, "release", NULL, error);
    (void)step(db, ST_ROLLBACK_TO, "rolling back", NULL, NULL);
    (void)step(db, ST_RELEASE, "rolling back", NULL, NULL);
    return FALSE;
}

gboolean hy_sqlite_write_document(HySqlite *db, const HySource *source, const HyReport *report,
                                  GError **error)
{
    g_return_val_if_fail(db != NULL && source != NULL && report != NULL, FALSE);
    g_return_val_if_fail(source->sha256 != NULL && source->path != NULL, FALSE);
    if (db->in_group) return write_in_group(db, source, report, error);
    if (!step(db, ST_BEGIN, "begin", NULL, error)) return FALSE;
    gboolean ok = write_rows(db, source, report, error);
    if (ok && db->before_commit != NULL) db->before_commit(db->before_commit_data);
    if (!ok || !step(db, ST_COMMIT, "commit", NULL, error)) {
        rollback(db);
        return FALSE;
    }
    return TRUE;
}

gboolean hy_sqlite_record_failure(HySqlite *db, const char *path, const char *sha256, const char *reason,
                                  GError **error)
{
    g_return_val_if_fail(db != NULL && path != NULL && reason != NULL, FALSE);
    g_autofree char *now = hy_emit_timestamp_now();
    sqlite3_stmt *st = db->statements[ST_INSERT_FAILURE];
    bind_outside_text(db, st, 1, path);
    bind_text(db, st, 2, sha256);
    bind_outside_text(db, st, 3, reason);
    bind_text(db, st, 4, now);
    /* One statement: atomic on its own, no explicit transaction needed. */
    return step(db, ST_INSERT_FAILURE, "recording the failure", NULL, error);
}

gboolean hy_sqlite_has_document(HySqlite *db, const char *sha256, const char *hyosho_version, gboolean *out,
                                GError **error)
{
    g_return_val_if_fail(db != NULL && sha256 != NULL && out != NULL, FALSE);
    sqlite3_stmt *st = db->statements[ST_HAS_DOCUMENT];
    bind_text(db, st, 1, sha256);
    bind_text(db, st, 2, hyosho_version);
    return step(db, ST_HAS_DOCUMENT, "looking up the document", out, error);
}
