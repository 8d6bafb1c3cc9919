/* emit_csv.c -- awards as CSV (RFC 4180): a header row, then one row per award with its
 * document's source fields, lists joined within a cell. The columns are one table,
 * named by their JSON path or in Japanese; the contact columns follow hy_contact_fields.
 * README.md, "Downstream databases", documents the columns and their separators. */
#include "hy_emit.h"
#include "emit_private.h"

#include <errno.h>
#include <string.h>

/* Items of a list of names or numbers: `;` is rare in the report's names (NFKC turns the
 * full-width ； into it), and a spreadsheet's split-text function takes it. */
#define LIST_SEPARATOR ";"
/* Items of a list of sentences (evaluations, captions, warnings): one a line in the cell,
 * which is how a spreadsheet shows them, and no sentence holds a line break. */
#define TEXT_SEPARATOR "\n"

static const char utf8_bom[] = "\xEF\xBB\xBF";

gboolean hy_emit_csv_header_parse(const char *name, HyCsvHeader *out)
{
    gboolean json = g_strcmp0(name, "json") == 0, ja = g_strcmp0(name, "ja") == 0;
    if (json || ja) *out = ja ? HY_CSV_HEADER_JA : HY_CSV_HEADER_JSON;
    return json || ja;
}

/* ---- the columns --------------------------------------------------------------- */

/* What a column holds, in the order of the row. */
typedef enum {
    COL_PATH,
    COL_SHA256,
    COL_YEAR,
    COL_EDITION,
    COL_DATE,
    COL_INDEX,
    COL_CATEGORY,
    COL_NAME,
    COL_KIND,
    COL_PREFECTURE,
    COL_LG_CODE,
    COL_INFERRED,
    COL_PARTNER_NAMES,
    COL_PARTNER_COUNTRIES,
    COL_PARTNER_CODES,
    COL_EVALUATIONS,
    COL_CAPTIONS,
    COL_CONTACT, /* HY_CONTACT_N_FIELDS columns, in hy_contact_fields' order */
    COL_PAGES,
    COL_WARNINGS,
} Column;

/* The Japanese names follow the 自治体標準オープンデータセット where it has the column
 * (全国地方公共団体コード, 名称, 都道府県名, 住所, 電話番号, FAX番号, URL ...). */
static const struct {
    Column column;
    const char *json; /* NULL: the contact fields, named below */
    const char *ja;
} columns[] = {
    {COL_PATH, "source.path", "ファイル"},
    {COL_SHA256, "source.sha256", "SHA-256"},
    {COL_YEAR, "source.year", "表彰年度"},
    {COL_EDITION, "source.edition", "回"},
    {COL_DATE, "source.date", "公表日"},
    {COL_INDEX, "index", "文書内番号"},
    {COL_CATEGORY, "category", "賞"},
    {COL_NAME, "awardee.name", "名称"},
    {COL_KIND, "awardee.kind", "団体種別"},
    {COL_PREFECTURE, "awardee.prefecture", "都道府県名"},
    {COL_LG_CODE, "awardee.lg_code", "全国地方公共団体コード"},
    {COL_INFERRED, "awardee.inferred", "名称推定"},
    {COL_PARTNER_NAMES, "partners.name", "交流先"},
    {COL_PARTNER_COUNTRIES, "partners.country", "交流先国・地域"},
    {COL_PARTNER_CODES, "partners.country_code", "交流先国コード"},
    {COL_EVALUATIONS, "evaluations", "評価"},
    {COL_CAPTIONS, "captions", "写真説明"},
    {COL_CONTACT, NULL, NULL},
    {COL_PAGES, "pages", "ページ"},
    {COL_WARNINGS, "warnings", "警告"},
};

/* The contact columns in Japanese, by hy_contact_fields' name. A field added to that table
 * without a name here is headed by its JSON path (tests/test_emit.c catches it). */
static const struct {
    const char *field;
    const char *ja;
} contact_names_ja[] = {
    {"department", "担当部署"}, {"postal_code", "郵便番号"}, {"address", "住所"}, {"tel", "電話番号"},
    {"fax", "FAX番号"},        {"email", "メールアドレス"}, {"url", "URL"},
};

const char *emit_csv_contact_name_ja(const char *field)
{
    for (guint i = 0; i < G_N_ELEMENTS(contact_names_ja); i++)
        if (strcmp(contact_names_ja[i].field, field) == 0) return contact_names_ja[i].ja;
    return NULL;
}

/* ---- cells and rows ------------------------------------------------------------ */

typedef struct {
    GString *out;
    const HyCsvOptions *options;
    gboolean first; /* no cell written yet in this row */
} Row;

static void row_begin(Row *r, GString *out, const HyCsvOptions *options)
{
    *r = (Row){.out = out, .options = options, .first = TRUE};
}

static void row_end(Row *r)
{
    g_string_append(r->out, r->options->excel ? "\r\n" : "\n");
}

/* RFC 4180: a value holding the separator, a quote or a line break is quoted, its quotes
 * doubled; any other value goes as it is. NULL is an empty cell. */
static void cell_raw(Row *r, const char *value)
{
    if (!r->first) g_string_append_c(r->out, ',');
    r->first = FALSE;
    if (value == NULL) return;
    if (value[strcspn(value, ",\"\r\n")] == '\0') {
        g_string_append(r->out, value);
        return;
    }
    g_string_append_c(r->out, '"');
    for (const char *p = value; *p != '\0'; p++) {
        if (*p == '"') g_string_append_c(r->out, '"');
        g_string_append_c(r->out, *p);
    }
    g_string_append_c(r->out, '"');
}

/* Longest string a spreadsheet formula may hold (Excel's limit for a literal). */
#define EXCEL_FORMULA_TEXT_MAX 255

/* A cell. For a spreadsheet (--excel), text that starts as a formula does (= + - @) would be
 * taken for one: a document's text must never run in a reader's spreadsheet. It goes as
 * the formula ="...", which shows the text as written, or, too long for a formula, after
 * an apostrophe. */
static void cell(Row *r, const char *value)
{
    if (value == NULL || !r->options->excel || strchr("=+-@\t\r", value[0]) == NULL || value[0] == '\0') {
        cell_raw(r, value);
        return;
    }
    if (strlen(value) > EXCEL_FORMULA_TEXT_MAX || strchr(value, '\n') != NULL) {
        g_autofree char *quoted = g_strconcat("'", value, NULL);
        cell_raw(r, quoted);
        return;
    }
    GString *formula = g_string_new("=\"");
    for (const char *p = value; *p != '\0'; p++) {
        if (*p == '"') g_string_append_c(formula, '"');
        g_string_append_c(formula, *p);
    }
    g_string_append_c(formula, '"');
    cell_raw(r, formula->str);
    g_string_free(formula, TRUE);
}

static gboolean all_digits(const char *s)
{
    if (*s == '\0') return FALSE;
    for (; *s != '\0'; s++)
        if (!g_ascii_isdigit(*s)) return FALSE;
    return TRUE;
}

/* A value that is a string in the JSON. For a spreadsheet (--excel), one of digits alone
 * (an lg_code, 011002; a phone number written without dashes) would become a number and
 * lose its leading zeros: it goes as the formula ="011002", which Excel and Calc show as
 * the text 011002. */
static void text_cell(Row *r, const char *value)
{
    if (value == NULL || !r->options->excel || !all_digits(value)) {
        cell(r, value);
        return;
    }
    g_autofree char *formula = g_strdup_printf("=\"%s\"", value);
    cell_raw(r, formula);
}

/* 0 is what HyReport says for "unknown": an empty cell, as the JSON's null. */
static void int_cell(Row *r, gint64 value, gboolean zero_is_null)
{
    if (value == 0 && zero_is_null) {
        cell(r, NULL);
        return;
    }
    char number[32];
    g_snprintf(number, sizeof number, "%" G_GINT64_FORMAT, value);
    cell_raw(r, number);
}

/* The strings of @strings joined by @separator in one cell; no strings, an empty cell. */
static void strings_cell(Row *r, const GPtrArray *strings, const char *separator)
{
    if (strings == NULL || strings->len == 0) {
        cell(r, NULL);
        return;
    }
    g_autoptr(GString) joined = g_string_new(NULL);
    for (guint i = 0; i < strings->len; i++) {
        if (i > 0) g_string_append(joined, separator);
        g_string_append(joined, g_ptr_array_index(strings, i));
    }
    cell(r, joined->str);
}

/* One member of every partner, joined: the n-th item is the n-th partner's (a partner
 * without a country has an empty item), so the three partner cells line up. */
static void partners_cell(Row *r, const GPtrArray *partners, Column column)
{
    if (partners->len == 0) {
        cell(r, NULL);
        return;
    }
    g_autoptr(GString) joined = g_string_new(NULL);
    for (guint i = 0; i < partners->len; i++) {
        const HyPartner *partner = g_ptr_array_index(partners, i);
        const char *value = column == COL_PARTNER_NAMES       ? partner->name
                            : column == COL_PARTNER_COUNTRIES ? partner->country
                                                              : partner->country_code;
        if (i > 0) g_string_append(joined, LIST_SEPARATOR);
        if (value != NULL) g_string_append(joined, value);
    }
    cell(r, joined->str);
}

static void pages_cell(Row *r, const GArray *pages)
{
    g_autoptr(GString) joined = g_string_new(NULL);
    for (guint i = 0; i < pages->len; i++)
        g_string_append_printf(joined, "%s%d", i > 0 ? LIST_SEPARATOR : "", g_array_index(pages, int, i));
    cell(r, joined->len > 0 ? joined->str : NULL);
}

static void append_row(GString *out, const HySource *source, const HyReport *report, guint index,
                       const HyCsvOptions *options)
{
    const HyAward *award = g_ptr_array_index(report->awards, index);
    const HyAwardee *who = &award->awardee;
    Row r;
    row_begin(&r, out, options);
    for (guint c = 0; c < G_N_ELEMENTS(columns); c++) {
        switch (columns[c].column) {
        case COL_PATH: {
            /* As in the JSON: a file name's bytes that are not UTF-8 become U+FFFD. */
            g_autofree char *path = source->path != NULL ? hy_emit_valid_text(source->path) : NULL;
            cell(&r, path);
            break;
        }
        case COL_SHA256: cell(&r, source->sha256); break;
        case COL_YEAR: int_cell(&r, report->year, TRUE); break;
        case COL_EDITION: int_cell(&r, report->edition, TRUE); break;
        case COL_DATE: cell(&r, report->date); break;
        case COL_INDEX: int_cell(&r, index, FALSE); break;
        case COL_CATEGORY: text_cell(&r, award->category); break;
        case COL_NAME: text_cell(&r, who->name != NULL ? who->name : ""); break;
        case COL_KIND: cell(&r, hy_awardee_kind_name(who->kind)); break;
        case COL_PREFECTURE: text_cell(&r, who->prefecture); break;
        case COL_LG_CODE: text_cell(&r, who->lg_code); break;
        case COL_INFERRED: cell(&r, who->inferred ? "true" : "false"); break;
        case COL_PARTNER_NAMES:
        case COL_PARTNER_COUNTRIES:
        case COL_PARTNER_CODES: partners_cell(&r, award->partners, columns[c].column); break;
        case COL_EVALUATIONS: strings_cell(&r, award->evaluations, TEXT_SEPARATOR); break;
        case COL_CAPTIONS: strings_cell(&r, award->captions, TEXT_SEPARATOR); break;
        case COL_CONTACT:
            for (guint i = 0; i < HY_CONTACT_N_FIELDS; i++)
                text_cell(&r, hy_contact_value(&award->contact, &hy_contact_fields[i]));
            break;
        case COL_PAGES: pages_cell(&r, award->pages); break;
        case COL_WARNINGS: strings_cell(&r, award->warnings, TEXT_SEPARATOR); break;
        }
    }
    row_end(&r);
}

/* ---- the outputs ----------------------------------------------------------------- */

static void append_header(GString *out, const HyCsvOptions *options)
{
    gboolean ja = options->header == HY_CSV_HEADER_JA;
    /* The BOM is what tells Excel the file is UTF-8 (it assumes the ANSI code page, Shift_JIS
     * on a Japanese Windows); other readers take it for part of the first name. */
    if (options->excel) g_string_append(out, utf8_bom);
    Row r;
    row_begin(&r, out, options);
    for (guint c = 0; c < G_N_ELEMENTS(columns); c++) {
        if (columns[c].column != COL_CONTACT) {
            cell(&r, ja ? columns[c].ja : columns[c].json);
            continue;
        }
        for (guint i = 0; i < HY_CONTACT_N_FIELDS; i++) {
            const char *name = ja ? emit_csv_contact_name_ja(hy_contact_fields[i].name) : NULL;
            g_autofree char *path = g_strconcat("contact.", hy_contact_fields[i].name, NULL);
            cell(&r, name != NULL ? name : path);
        }
    }
    row_end(&r);
}

char *hy_emit_csv_header(const HyCsvOptions *options)
{
    g_return_val_if_fail(options != NULL, NULL);
    GString *out = g_string_new(NULL);
    append_header(out, options);
    return g_string_free(out, FALSE);
}

char *hy_emit_csv_rows(const HySource *source, const HyReport *report, const HyCsvOptions *options)
{
    g_return_val_if_fail(source != NULL && report != NULL && options != NULL, NULL);
    GString *out = g_string_new(NULL);
    for (guint i = 0; i < report->awards->len; i++) append_row(out, source, report, i, options);
    return g_string_free(out, FALSE);
}

char *hy_emit_csv(const HySource *source, const HyReport *report, const HyCsvOptions *options)
{
    g_return_val_if_fail(source != NULL && report != NULL && options != NULL, NULL);
    GString *out = g_string_new(NULL);
    append_header(out, options);
    for (guint i = 0; i < report->awards->len; i++) append_row(out, source, report, i, options);
    return g_string_free(out, FALSE);
}

/* A row is a few kilobytes: rows are passed on to the stream in pieces of about this size. */
#define CSV_STREAM_CHUNK (64 * 1024)

static gboolean stream_write(FILE *stream, GString *buffer, int *write_errno)
{
    if (*write_errno == 0 && buffer->len > 0 && fwrite(buffer->str, 1, buffer->len, stream) != buffer->len)
        *write_errno = errno != 0 ? errno : EIO;
    g_string_truncate(buffer, 0);
    return *write_errno == 0;
}

gboolean hy_emit_csv_to_stream(FILE *stream, const HySource *source, const HyReport *report,
                               const HyCsvOptions *options, GError **error)
{
    g_return_val_if_fail(stream != NULL && source != NULL && report != NULL && options != NULL, FALSE);
    g_autoptr(GString) buffer = g_string_sized_new(2 * CSV_STREAM_CHUNK);
    int write_errno = 0;
    append_header(buffer, options);
    for (guint i = 0; i < report->awards->len && write_errno == 0; i++) {
        append_row(buffer, source, report, i, options);
        if (buffer->len >= CSV_STREAM_CHUNK) stream_write(stream, buffer, &write_errno);
    }
    stream_write(stream, buffer, &write_errno);
    if (write_errno == 0 && fflush(stream) != 0) write_errno = errno != 0 ? errno : EIO;
    if (write_errno == 0) return TRUE;
    g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_WRITE, "write failed: %s", g_strerror(write_errno));
    return FALSE;
}

gboolean emit_csv_is_header(const char *line)
{
    if (g_str_has_prefix(line, utf8_bom)) line += strlen(utf8_bom);
    for (HyCsvHeader style = HY_CSV_HEADER_JSON; style <= HY_CSV_HEADER_JA; style++) {
        /* The header row is the same with and without --excel, but for the BOM and line end. */
        HyCsvOptions options = {.header = style};
        g_autofree char *header = hy_emit_csv_header(&options);
        g_strchomp(header);
        if (strcmp(line, header) == 0) return TRUE;
    }
    return FALSE;
}
