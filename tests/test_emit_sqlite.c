/* test_emit_sqlite.c -- unit tests of the SQLite output (emit_sqlite.c): a new database's
 * tables and user_version, rows equal to the report (date, category and listed awardees
 * included), a re-import that replaces instead of duplicating, a document failing half-way
 * rolled back to the byte, foreign keys, a schema 1 database upgraded in place, newer or
 * foreign databases refused, and the failures table and lookup a batch run uses.
 * The database is read back through a separate SQLite connection, as a downstream user
 * would read it. */
#include "hy_test.h"
#include "hy_emit.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

static const char *const tables[] = {"documents", "awards",   "partners", "evaluations",    "contacts",
                                     "captions",  "warnings", "failures", "listed_awardees"};

/* ---- a report built by hand, owned so that hy_report_free() frees it ---------------- */

static void add_partner(HyAward *award, const char *name, const char *country, const char *code)
{
    g_ptr_array_add(award->partners, hy_partner_new(name, country, code));
}

static HyAward *award_new(const char *name, HyAwardeeKind kind, const char *prefecture, const char *lg_code,
                          int page)
{
    HyAward *award = hy_award_new();
    award->awardee = (HyAwardee){.name = g_strdup(name),
                                 .kind = kind,
                                 .prefecture = g_strdup(prefecture),
                                 .lg_code = g_strdup(lg_code)};
    g_array_append_val(award->pages, page);
    g_ptr_array_add(award->evaluations, g_strdup_printf("%sの交流が評価できる。", name));
    g_ptr_array_add(award->evaluations, g_strdup("人材育成が進んでいる点が評価できる。"));
    g_ptr_array_add(award->captions, g_strdup_printf("%sの交流事業", name));
    award->contact.department = g_strdup_printf("%s国際課", name);
    award->contact.postal_code = g_strdup("930-8501");
    award->contact.tel = g_strdup("076-444-3158");
    return award;
}

/* Three awards as in fixtures/text/award-2019-excerpt.txt; the third inferred, without
 * partners, with a warning; one warning about the document. */
static HyReport *report_new(void)
{
    HyReport *report = hy_report_new();
    report->year = 2019; /* no title, no edition: NULL in the database */
    g_ptr_array_add(report->warnings, g_strdup("page 2: no usable text layer"));

    HyAward *award = award_new("富山県", HY_KIND_PREFECTURE, "富山県", "160008", 1);
    add_partner(award, "遼寧省", "中華人民共和国", "CN");
    g_ptr_array_add(report->awards, award);
    award = award_new("京都市", HY_KIND_MUNICIPALITY, "京都府", "261009", 2);
    add_partner(award, "ボストン市", "アメリカ合衆国", "US");
    add_partner(award, "どこか市", NULL, NULL);
    g_ptr_array_add(report->awards, award);
    award = award_new("薩摩川内市", HY_KIND_MUNICIPALITY, "鹿児島県", "462152", 3);
    award->awardee.inferred = TRUE;
    int page = 4;
    g_array_append_val(award->pages, page);
    g_ptr_array_add(award->warnings, g_strdup("no heading: awardee inferred from the contact block"));
    g_ptr_array_add(report->awards, award);
    return report;
}

/* The same report as a whole release gives it: a date, the cover's list (one listed name
 * without a block), a category on two of the three awards. */
static HyReport *release_new(void)
{
    HyReport *report = report_new();
    report->date = g_strdup("2019-05-29");
    const char *listed[] = {"富山県", "京都市", "薩摩川内市", "大阪市"};
    for (guint i = 0; i < G_N_ELEMENTS(listed); i++)
        g_ptr_array_add(report->listed_awardees, g_strdup(listed[i]));
    ((HyAward *)g_ptr_array_index(report->awards, 0))->category = g_strdup("総務大臣賞");
    ((HyAward *)g_ptr_array_index(report->awards, 2))->category = g_strdup("審査委員会特別賞");
    return report;
}

static HySource source_of(const char *sha256)
{
    return (HySource){.path = "fixtures/text/award-2019-excerpt.txt",
                      .sha256 = sha256,
                      .format = "text",
                      .pages = 1,
                      .hyosho_version = "0.1.0",
                      .converted_at = "2024-05-01T09:30:00Z"};
}

#define SHA_A "e43cc06d1bf8e9904134ef2a69f559e6d937c107a2520a46b9b9ffa5f9f547e0"
#define SHA_B "9b9257a35afbd384916a43c872ef201e7b2035cde5fcb9f1e8459e09c1cca2b1"

/* Database schema 1 as emit_sqlite.c created it before schema 2 (hyosho up to issue 16),
 * copied verbatim: the databases in users' hands that an open must upgrade. */
static const char schema_1_ddl[] =
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
    "CREATE INDEX failures_sha256 ON failures (sha256);\n";

/* One document of schema 1, as an older hyosho stored it: an award with its contact and a
 * partner, a warning about the document. */
static const char schema_1_document[] =
    "INSERT INTO documents VALUES (1, 'old/award-2018.txt', '" SHA_A
    "', 'text', 2, '第13回自治体国際交流表彰', "
    "13, 2018, '2023-01-10T08:00:00Z', 1, '0.1.0');\n"
    "INSERT INTO awards VALUES (1, 1, 0, '富山県', 'prefecture', '富山県', '160008', 0, '[1]');\n"
    "INSERT INTO partners VALUES (1, 1, 0, '遼寧省', '中華人民共和国', 'CN');\n"
    "INSERT INTO contacts VALUES (1, '富山県国際課', '930-8501', NULL, '076-444-3158', NULL, NULL, NULL);\n"
    "INSERT INTO warnings VALUES (1, 1, NULL, 0, 'page 2: no usable text layer');\n"
    "PRAGMA user_version = 1;\n";

/* ---- reading the database back ---------------------------------------------------------- */

/* Each row of @sql as "col|col|...", rows joined by "\n"; NULL is shown as "NULL". */
static char *query(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
        fail_msg("open %s", path);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    GString *out = g_string_new(NULL);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->len > 0) g_string_append_c(out, '\n');
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const char *text = (const char *)sqlite3_column_text(st, i);
            g_string_append_printf(out, "%s%s", i > 0 ? "|" : "", text != NULL ? text : "NULL");
        }
    }
    if (rc != SQLITE_DONE) fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return g_string_free(out, FALSE);
}

/* Runs @sql (any number of statements) on @path through a connection of its own. */
static void exec_sql(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
        fail_msg("open %s", path);
    char *message = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &message) != SQLITE_OK) fail_msg("%s: %s", sql, message);
    sqlite3_close(db);
}

/* The layout of a database: every table and index as SQLite keeps its CREATE statement. */
static char *layout(const char *path)
{
    return query(path, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name");
}

/* "documents=1 awards=3 ..." */
static char *row_counts(const char *path)
{
    GString *out = g_string_new(NULL);
    for (guint i = 0; i < G_N_ELEMENTS(tables); i++) {
        g_autofree char *sql = g_strdup_printf("SELECT count(*) FROM %s", tables[i]);
        g_autofree char *n = query(path, sql);
        g_string_append_printf(out, "%s%s=%s", i > 0 ? " " : "", tables[i], n);
    }
    return g_string_free(out, FALSE);
}

static GBytes *file_bytes(const char *path)
{
    g_autofree char *contents = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &contents, &len, NULL)) fail_msg("cannot read %s", path);
    return g_bytes_new_take(g_steal_pointer(&contents), len);
}

/* ---- fixtures: a fresh folder per test, *state is the database's path ----------------- */

static int setup(void **state)
{
    char *dir = g_dir_make_tmp("hyosho-sqlite-XXXXXX", NULL);
    if (dir == NULL) return -1;
    *state = g_build_filename(dir, "awards.db", NULL);
    g_free(dir);
    return 0;
}

static int teardown(void **state)
{
    g_autofree char *path = *state;
    g_autofree char *dir = g_path_get_dirname(path);
    g_autoptr(GDir) listing = g_dir_open(dir, 0, NULL);
    for (const char *name; listing != NULL && (name = g_dir_read_name(listing)) != NULL;) {
        g_autofree char *child = g_build_filename(dir, name, NULL);
        g_remove(child);
    }
    g_rmdir(dir);
    return 0;
}

static HySqlite *open_or_fail(const char *path)
{
    g_autoptr(GError) error = NULL;
    HySqlite *db = hy_sqlite_open(path, &error);
    hy_assert_no_error(error);
    assert_non_null(db);
    return db;
}

static void write_or_fail(HySqlite *db, const char *sha256, const HyReport *report)
{
    g_autoptr(GError) error = NULL;
    HySource source = source_of(sha256);
    gboolean ok = hy_sqlite_write_document(db, &source, report, &error);
    hy_assert_no_error(error);
    assert_true(ok);
}

/* ---- tests ---------------------------------------------------------------------------- */

static void test_sqlite_new_database_has_schema_2(void **state)
{
    const char *path = *state;
    hy_sqlite_close(open_or_fail(path));
    g_autofree char *version = query(path, "PRAGMA user_version");
    hy_assert_str(version, "2");
    g_autofree char *names =
        query(path, "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master "
                    "WHERE type = 'table' ORDER BY name)");
    hy_assert_str(names, "awards captions contacts documents evaluations failures listed_awardees partners "
                         "warnings");
    g_autofree char *indexes =
        query(path, "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master "
                    "WHERE type = 'index' AND sql IS NOT NULL ORDER BY name)");
    hy_assert_str(indexes,
                  "awards_lg_code awards_name awards_prefecture documents_year failures_sha256 "
                  "listed_awardees_name partners_country_code warnings_award_id warnings_document_id");
    /* listed_awardees.document_id is indexed by its UNIQUE (document_id, position). */
    g_autofree char *listed_index =
        query(path, "SELECT group_concat(name, ',') FROM pragma_index_info("
                    "(SELECT name FROM pragma_index_list('listed_awardees') WHERE origin = 'u'))");
    hy_assert_str(listed_index, "document_id,position");
    g_autofree char *columns =
        query(path, "SELECT (SELECT group_concat(name, ',') FROM pragma_table_info('documents')), "
                    "(SELECT group_concat(name, ',') FROM pragma_table_info('awards')), "
                    "(SELECT group_concat(name, ',') FROM pragma_table_info('listed_awardees'))");
    hy_assert_str(columns,
                  "id,path,sha256,format,pages,title,edition,year,converted_at,schema_version,"
                  "hyosho_version,date|id,document_id,idx,name,kind,prefecture,lg_code,inferred,pages,"
                  "category|id,document_id,position,name");
    /* Schema 2 found on the next open: nothing is created twice. */
    g_autofree char *before = layout(path);
    hy_sqlite_close(open_or_fail(path));
    g_autofree char *after = layout(path);
    hy_assert_str(after, before);
}

static void test_sqlite_rows_equal_the_report(void **state)
{
    const char *path = *state;
    g_autoptr(HyReport) report = report_new();
    g_autoptr(HySqlite) db = open_or_fail(path);
    write_or_fail(db, SHA_A, report);

    g_autofree char *document = query(path, "SELECT path, sha256, format, pages, title, edition, year, "
                                            "converted_at, schema_version, hyosho_version FROM documents");
    hy_assert_str(document, "fixtures/text/award-2019-excerpt.txt|" SHA_A
                            "|text|1|NULL|NULL|2019|2024-05-01T09:30:00Z|1|0.1.0");
    g_autofree char *awards = query(path, "SELECT idx, name, kind, prefecture, lg_code, inferred, pages "
                                          "FROM awards ORDER BY idx");
    hy_assert_str(awards, "0|富山県|prefecture|富山県|160008|0|[1]\n"
                          "1|京都市|municipality|京都府|261009|0|[2]\n"
                          "2|薩摩川内市|municipality|鹿児島県|462152|1|[3,4]");
    g_autofree char *partners = query(path, "SELECT a.name, p.position, p.name, p.country, p.country_code "
                                            "FROM partners p JOIN awards a ON a.id = p.award_id "
                                            "ORDER BY a.idx, p.position");
    hy_assert_str(partners, "富山県|0|遼寧省|中華人民共和国|CN\n"
                            "京都市|0|ボストン市|アメリカ合衆国|US\n"
                            "京都市|1|どこか市|NULL|NULL");
    g_autofree char *contact = query(path, "SELECT c.* FROM contacts c JOIN awards a ON a.id = c.award_id "
                                           "WHERE a.name = '京都市'");
    hy_assert_str(contact, "2|京都市国際課|930-8501|NULL|076-444-3158|NULL|NULL|NULL");
    g_autofree char *evaluations = query(path, "SELECT position, text FROM evaluations WHERE award_id = 1");
    hy_assert_str(evaluations, "0|富山県の交流が評価できる。\n1|人材育成が進んでいる点が評価できる。");
    g_autofree char *warnings =
        query(path, "SELECT ifnull(a.name, '(document)'), w.position, w.text "
                    "FROM warnings w LEFT JOIN awards a ON a.id = w.award_id ORDER BY w.id");
    hy_assert_str(warnings, "(document)|0|page 2: no usable text layer\n"
                            "薩摩川内市|0|no heading: awardee inferred from the contact block");
    g_autofree char *counts = row_counts(path);
    hy_assert_str(counts, "documents=1 awards=3 partners=3 evaluations=6 contacts=3 captions=3 warnings=2 "
                          "failures=0 listed_awardees=0");
}

/* A document of a whole release: its date, each award's category, the listed awardees in
 * order; NULL where the report has none. */
static void test_sqlite_stores_date_category_and_listed_awardees(void **state)
{
    const char *path = *state;
    g_autoptr(HyReport) release = release_new();
    g_autoptr(HyReport) plain = report_new();
    g_autoptr(HySqlite) db = open_or_fail(path);
    write_or_fail(db, SHA_A, release);
    write_or_fail(db, SHA_B, plain);

    g_autofree char *dates = query(path, "SELECT sha256, ifnull(date, 'NULL') FROM documents ORDER BY id");
    hy_assert_str(dates, SHA_A "|2019-05-29\n" SHA_B "|NULL");
    g_autofree char *categories = query(path, "SELECT d.sha256, a.idx, a.name, a.category FROM awards a "
                                              "JOIN documents d ON d.id = a.document_id ORDER BY a.id");
    hy_assert_str(categories, SHA_A "|0|富山県|総務大臣賞\n" SHA_A "|1|京都市|NULL\n" SHA_A
                                    "|2|薩摩川内市|審査委員会特別賞\n" SHA_B "|0|富山県|NULL\n" SHA_B
                                    "|1|京都市|NULL\n" SHA_B "|2|薩摩川内市|NULL");
    g_autofree char *listed = query(path, "SELECT d.sha256, l.position, l.name FROM listed_awardees l "
                                          "JOIN documents d ON d.id = l.document_id ORDER BY l.id");
    hy_assert_str(listed, SHA_A "|0|富山県\n" SHA_A "|1|京都市\n" SHA_A "|2|薩摩川内市\n" SHA_A "|3|大阪市");
    /* what the listed names are for: the names listed but without an award block */
    g_autofree char *missing = query(path, "SELECT l.name FROM listed_awardees l WHERE NOT EXISTS "
                                           "(SELECT 1 FROM awards a WHERE a.document_id = l.document_id "
                                           "AND a.name = l.name)");
    hy_assert_str(missing, "大阪市");
}

/* Re-storing a document replaces its listed awardees too (ON DELETE CASCADE from
 * documents): the new list only, no row of the old one left. */
static void test_sqlite_reimport_replaces_the_listed_awardees(void **state)
{
    const char *path = *state;
    g_autoptr(HyReport) release = release_new();
    g_autoptr(HySqlite) db = open_or_fail(path);
    write_or_fail(db, SHA_A, release);
    write_or_fail(db, SHA_B, release);
    g_autofree char *first = row_counts(path);
    hy_assert_str(first, "documents=2 awards=6 partners=6 evaluations=12 contacts=6 captions=6 warnings=4 "
                         "failures=0 listed_awardees=8");

    g_ptr_array_remove_range(release->listed_awardees, 0, 2);
    g_ptr_array_add(release->listed_awardees, g_strdup("川越市、川越市姉妹都市交流委員会"));
    g_free(release->date);
    release->date = g_strdup("2019-06-01");
    write_or_fail(db, SHA_A, release);
    g_autofree char *listed = query(
        path, "SELECT d.sha256, l.position, l.name, d.date FROM listed_awardees l "
              "JOIN documents d ON d.id = l.document_id WHERE d.sha256 = '" SHA_A "' ORDER BY l.position");
    hy_assert_str(listed, SHA_A "|0|薩摩川内市|2019-06-01\n" SHA_A "|1|大阪市|2019-06-01\n" SHA_A
                                "|2|川越市、川越市姉妹都市交流委員会|2019-06-01");
    g_autofree char *counts = row_counts(path);
    hy_assert_str(counts, "documents=2 awards=6 partners=6 evaluations=12 contacts=6 captions=6 warnings=4 "
                          "failures=0 listed_awardees=7");
    g_autofree char *orphans = query(path, "SELECT (SELECT count(*) FROM listed_awardees WHERE document_id "
                                           "NOT IN (SELECT id FROM documents)) || '|' || "
                                           "(SELECT count(*) FROM pragma_foreign_key_check)");
    hy_assert_str(orphans, "0|0");
}

/* A database an older hyosho made (schema 1, one document stored) is upgraded on open: its
 * rows stay, NULL in the new columns; it then takes documents with all the new fields, and
 * has the layout of a database created at schema 2. */
static void test_sqlite_schema_1_database_is_upgraded(void **state)
{
    const char *path = *state;
    exec_sql(path, schema_1_ddl);
    exec_sql(path, schema_1_document);
    g_autofree char *stored_before = query(path, "SELECT * FROM documents");

    g_autoptr(HySqlite) db = open_or_fail(path);
    g_autofree char *version = query(path, "PRAGMA user_version");
    hy_assert_str(version, "2");
    g_autofree char *kept = query(path, "SELECT * FROM documents");
    g_autofree char *expected = g_strconcat(stored_before, "|NULL", NULL); /* date */
    hy_assert_str(kept, expected);
    g_autofree char *award = query(path, "SELECT * FROM awards");
    hy_assert_str(award, "1|1|0|富山県|prefecture|富山県|160008|0|[1]|NULL");
    g_autofree char *counts = row_counts(path);
    hy_assert_str(counts, "documents=1 awards=1 partners=1 evaluations=0 contacts=1 captions=0 warnings=1 "
                          "failures=0 listed_awardees=0");
    /* a batch run still finds the stored document, by the version that converted it */
    g_autoptr(GError) error = NULL;
    gboolean found = FALSE;
    assert_true(hy_sqlite_has_document(db, SHA_A, "0.1.0", &found, &error));
    hy_assert_no_error(error);
    assert_true(found);

    g_autoptr(HyReport) release = release_new();
    write_or_fail(db, SHA_B, release);
    g_autofree char *dates = query(path, "SELECT path, ifnull(date, 'NULL') FROM documents ORDER BY id");
    hy_assert_str(dates, "old/award-2018.txt|NULL\nfixtures/text/award-2019-excerpt.txt|2019-05-29");
    g_autofree char *categories = query(
        path,
        "SELECT group_concat(ifnull(category, '-'), ' ') FROM (SELECT category FROM awards ORDER BY id)");
    hy_assert_str(categories, "- 総務大臣賞 - 審査委員会特別賞");
    g_autofree char *listed =
        query(path, "SELECT group_concat(name, ' ') FROM (SELECT name FROM listed_awardees "
                    "ORDER BY document_id, position)");
    hy_assert_str(listed, "富山県 京都市 薩摩川内市 大阪市");
    g_autofree char *checks = query(path, "SELECT (SELECT count(*) FROM pragma_foreign_key_check) || '|' || "
                                          "(SELECT integrity_check FROM pragma_integrity_check)");
    hy_assert_str(checks, "0|ok");

    /* the same layout as a new database's, column order included */
    g_autofree char *fresh_path = g_strconcat(path, ".fresh", NULL);
    hy_sqlite_close(open_or_fail(fresh_path));
    g_autofree char *fresh = layout(fresh_path);
    g_autofree char *upgraded = layout(path);
    hy_assert_str(upgraded, fresh);
}

/* An upgrade that cannot complete (here: a table of the new schema is already there) is
 * taken back whole: the database stays at schema 1, byte for byte. */
static void test_sqlite_failed_upgrade_leaves_schema_1(void **state)
{
    const char *path = *state;
    exec_sql(path, schema_1_ddl);
    exec_sql(path, schema_1_document);
    exec_sql(path, "CREATE TABLE listed_awardees (x)");
    g_autoptr(GBytes) before = file_bytes(path);

    g_autoptr(GError) error = NULL;
    g_autoptr(HySqlite) db = hy_sqlite_open(path, &error);
    assert_null(db);
    hy_assert_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_SQLITE);
    assert_non_null(strstr(error->message, "upgrading to schema 2"));
    g_autoptr(GBytes) after = file_bytes(path);
    assert_true(g_bytes_equal(before, after));
    g_autofree char *columns = query(path, "SELECT group_concat(name, ',') FROM pragma_table_info('awards')");
    hy_assert_str(columns, "id,document_id,idx,name,kind,prefecture,lg_code,inferred,pages");
}

static void test_sqlite_reimport_replaces_the_document(void **state)
{
    const char *path = *state;
    g_autoptr(HyReport) report = report_new();
    {
        g_autoptr(HySqlite) db = open_or_fail(path);
        write_or_fail(db, SHA_A, report);
    }
    g_autofree char *first = row_counts(path);
    {
        g_autoptr(HySqlite) db = open_or_fail(path); /* a second run of hyosho */
        write_or_fail(db, SHA_A, report);
        write_or_fail(db, SHA_A, report); /* and twice in one run */
    }
    g_autofree char *second = row_counts(path);
    hy_assert_str(second, first);
    g_autofree char *documents = query(path, "SELECT count(*) FROM documents");
    hy_assert_str(documents, "1");
    g_autofree char *orphans = query(path, "PRAGMA foreign_key_check");
    hy_assert_str(orphans, "");
}

/* A constraint fails at the last award's second partner, after the document, its other
 * awards and (for a stored sha256) the DELETE of the old rows already ran. */
static void check_failing_write_rolls_back(const char *path, const char *failing_sha256)
{
    g_autoptr(HyReport) good = report_new();
    {
        g_autoptr(HySqlite) db = open_or_fail(path);
        write_or_fail(db, SHA_A, good);
    }
    g_autoptr(GBytes) before = file_bytes(path);
    g_autofree char *counts_before = row_counts(path);

    g_autoptr(HyReport) bad = report_new();
    HyAward *last = g_ptr_array_index(bad->awards, bad->awards->len - 1);
    add_partner(last, "交流先", NULL, NULL);
    add_partner(last, "名前のない交流先", NULL, NULL);
    g_clear_pointer(&((HyPartner *)g_ptr_array_index(last->partners, 1))->name, g_free); /* NOT NULL */

    g_autoptr(HySqlite) db = open_or_fail(path);
    g_autoptr(GError) error = NULL;
    HySource source = source_of(failing_sha256);
    assert_false(hy_sqlite_write_document(db, &source, bad, &error));
    hy_assert_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_SQLITE);
    assert_non_null(strstr(error->message, "storing award 2"));
    assert_non_null(strstr(error->message, "NOT NULL constraint failed: partners.name"));

    g_autoptr(GBytes) after = file_bytes(path);
    assert_true(g_bytes_equal(before, after));
    g_autofree char *counts_after = row_counts(path);
    hy_assert_str(counts_after, counts_before);

    /* The connection is usable again: no transaction left open, statements reset. */
    g_autoptr(HyReport) next = report_new();
    write_or_fail(db, SHA_B, next);
    g_autofree char *documents = query(path, "SELECT count(*) FROM documents");
    hy_assert_str(documents, "2");
}

static void test_sqlite_failing_new_document_leaves_database_as_it_was(void **state)
{
    check_failing_write_rolls_back(*state, SHA_B);
}

static void test_sqlite_failing_replacement_keeps_the_stored_document(void **state)
{
    check_failing_write_rolls_back(*state, SHA_A);
}

static void test_sqlite_foreign_keys_hold_and_cascade(void **state)
{
    const char *path = *state;
    g_autoptr(HyReport) report = report_new();
    {
        g_autoptr(HySqlite) db = open_or_fail(path);
        write_or_fail(db, SHA_A, report);
        write_or_fail(db, SHA_B, report);
        write_or_fail(db, SHA_A, report);
    }
    g_autofree char *orphans = query(path, "PRAGMA foreign_key_check");
    hy_assert_str(orphans, "");
    /* Every child row belongs to a stored award or document. */
    g_autofree char *dangling =
        query(path, "SELECT (SELECT count(*) FROM awards WHERE document_id NOT IN "
                    "(SELECT id FROM documents)) + (SELECT count(*) FROM contacts WHERE "
                    "award_id NOT IN (SELECT id FROM awards))");
    hy_assert_str(dangling, "0");
    g_autofree char *counts = row_counts(path);
    hy_assert_str(counts, "documents=2 awards=6 partners=6 evaluations=12 contacts=6 captions=6 warnings=4 "
                          "failures=0 listed_awardees=0");
}

static void test_sqlite_newer_schema_is_refused(void **state)
{
    const char *path = *state;
    hy_sqlite_close(open_or_fail(path));
    g_autofree char *ignored = query(path, "PRAGMA user_version = 3");
    g_autoptr(GBytes) before = file_bytes(path);

    g_autoptr(GError) error = NULL;
    g_autoptr(HySqlite) db = hy_sqlite_open(path, &error);
    assert_null(db);
    hy_assert_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_SCHEMA);
    assert_non_null(
        strstr(error->message, "database schema 3 is newer than this hyosho (it writes schema 2)"));
    g_autoptr(GBytes) after = file_bytes(path);
    assert_true(g_bytes_equal(before, after));
}

static void test_sqlite_foreign_database_is_refused(void **state)
{
    const char *path = *state;
    g_autofree char *ignored = query(path, "CREATE TABLE documents (x)");
    g_autoptr(GError) error = NULL;
    g_autoptr(HySqlite) db = hy_sqlite_open(path, &error);
    assert_null(db);
    hy_assert_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_SCHEMA);
}

static void test_sqlite_text_file_is_not_a_database(void **state)
{
    const char *path = *state;
    assert_true(g_file_set_contents(path, "not a database\n", -1, NULL));
    g_autoptr(GError) error = NULL;
    g_autoptr(HySqlite) db = hy_sqlite_open(path, &error);
    assert_null(db);
    hy_assert_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_SQLITE);
    g_autofree char *contents = NULL;
    assert_true(g_file_get_contents(path, &contents, NULL, NULL));
    hy_assert_str(contents, "not a database\n");
}

static void test_sqlite_has_document(void **state)
{
    g_autoptr(HySqlite) db = open_or_fail(*state);
    g_autoptr(GError) error = NULL;
    gboolean found = TRUE;
    assert_true(hy_sqlite_has_document(db, SHA_A, NULL, &found, &error));
    assert_false(found);

    g_autoptr(HyReport) report = report_new();
    write_or_fail(db, SHA_A, report);
    assert_true(hy_sqlite_has_document(db, SHA_A, "0.1.0", &found, &error));
    assert_true(found);
    assert_true(hy_sqlite_has_document(db, SHA_A, NULL, &found, &error));
    assert_true(found);
    assert_true(
        hy_sqlite_has_document(db, SHA_A, "0.2.0", &found, &error)); /* converted by another version */
    assert_false(found);
    assert_true(hy_sqlite_has_document(db, SHA_B, NULL, &found, &error));
    assert_false(found);
    hy_assert_no_error(error);
}

static void test_sqlite_failures_are_recorded_and_cleared(void **state)
{
    const char *path = *state;
    g_autoptr(HySqlite) db = open_or_fail(path);
    g_autoptr(GError) error = NULL;
    assert_true(hy_sqlite_record_failure(db, "missing.pdf", NULL, "No such file or directory", &error));
    assert_true(hy_sqlite_record_failure(db, "missing.pdf", NULL, "still missing", &error)); /* replaces */
    assert_true(
        hy_sqlite_record_failure(db, "fixtures/text/award-2019-excerpt.txt", SHA_A, "timed out", &error));
    hy_assert_no_error(error);
    g_autofree char *failures = query(path, "SELECT path, ifnull(sha256, 'NULL'), reason, length(failed_at) "
                                            "FROM failures ORDER BY path");
    hy_assert_str(failures, "fixtures/text/award-2019-excerpt.txt|" SHA_A "|timed out|20\n"
                            "missing.pdf|NULL|still missing|20");

    /* Converting the document later clears its failure. */
    g_autoptr(HyReport) report = report_new();
    write_or_fail(db, SHA_A, report);
    g_autofree char *left = query(path, "SELECT path FROM failures");
    hy_assert_str(left, "missing.pdf");
}

/* A path that is not UTF-8 (file names are bytes) is stored as UTF-8 text, the bad bytes
 * as U+FFFD, as the JSON writes it: in documents and in failures. */
static void test_sqlite_path_not_utf8_stored_as_utf8(void **state)
{
    const char *path = *state;
    g_autoptr(HySqlite) db = open_or_fail(path);
    g_autoptr(GError) error = NULL;
    g_autoptr(HyReport) report = report_new();
    HySource odd = source_of(SHA_A);
    odd.path = "in/x\xff.txt";
    assert_true(hy_sqlite_write_document(db, &odd, report, &error));
    assert_true(hy_sqlite_record_failure(db, "in/y\xfe.pdf", NULL, "damaged PDF", &error));
    hy_assert_no_error(error);
    g_autofree char *paths = query(path, "SELECT path FROM documents UNION ALL SELECT path FROM failures");
    hy_assert_str(paths, "in/x\xef\xbf\xbd.txt\nin/y\xef\xbf\xbd.pdf");
}

/* A group: nothing stored before its commit (another connection sees nothing); a document
 * that fails inside it takes back its own rows only; the commit stores the rest; a group
 * left open when the connection closes is rolled back. */
static void test_sqlite_group_commits_together_each_document_whole(void **state)
{
    const char *path = *state;
    g_autoptr(GError) error = NULL;
    g_autoptr(HyReport) good = report_new();
    g_autoptr(HyReport) bad = report_new();
    HyAward *last = g_ptr_array_index(bad->awards, bad->awards->len - 1);
    add_partner(last, "名前のない交流先", NULL, NULL);
    g_clear_pointer(&((HyPartner *)g_ptr_array_index(last->partners, 0))->name, g_free); /* NOT NULL */
    {
        g_autoptr(HySqlite) db = open_or_fail(path);
        assert_true(hy_sqlite_begin_group(db, &error));
        assert_true(hy_sqlite_begin_group(db, &error)); /* kept */
        write_or_fail(db, SHA_A, good);
        HySource source = source_of(SHA_B);
        assert_false(hy_sqlite_write_document(db, &source, bad, &error));
        hy_assert_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_SQLITE);
        g_clear_error(&error);
        assert_true(hy_sqlite_record_failure(db, "b.pdf", SHA_B, "damaged PDF", &error));
        g_autofree char *seen_before = query(path, "SELECT count(*) FROM documents");
        hy_assert_str(seen_before, "0");
        assert_true(hy_sqlite_commit_group(db, &error));
        assert_true(hy_sqlite_commit_group(db, &error)); /* none open: nothing to do */
        hy_assert_no_error(error);
    }
    g_autofree char *stored = query(path, "SELECT sha256 FROM documents UNION ALL SELECT path FROM failures");
    hy_assert_str(stored, SHA_A "\nb.pdf");
    g_autofree char *orphans = query(path, "PRAGMA foreign_key_check");
    hy_assert_str(orphans, "");
    g_autofree char *counts = row_counts(path);
    {
        g_autoptr(HySqlite) db = open_or_fail(path);
        assert_true(hy_sqlite_begin_group(db, &error));
        write_or_fail(db, SHA_B, good);
    } /* closed without a commit */
    g_autofree char *counts_after = row_counts(path);
    hy_assert_str(counts_after, counts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sqlite_new_database_has_schema_2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_rows_equal_the_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_stores_date_category_and_listed_awardees, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_reimport_replaces_the_listed_awardees, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_schema_1_database_is_upgraded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_failed_upgrade_leaves_schema_1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_reimport_replaces_the_document, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_failing_new_document_leaves_database_as_it_was, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_failing_replacement_keeps_the_stored_document, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_foreign_keys_hold_and_cascade, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_newer_schema_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_foreign_database_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_text_file_is_not_a_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_has_document, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_failures_are_recorded_and_cleared, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_path_not_utf8_stored_as_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_group_commits_together_each_document_whole, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
