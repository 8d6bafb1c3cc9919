/* emit_target.c -- where an output may go: the format a file name asks for, what a file
 * already holds (hyosho's JSON, JSON Lines, CSV, database or failures list, or something of
 * the user's), and the check made before any conversion that the output can be written
 * without destroying anything that is not hyosho's own. */
#include "hy_emit.h"
#include "emit_private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

/* Enough of a first line to hold a document's `source` and the member after it; a
 * longer first line (a compact document of thousands of awards) is only known to be
 * hyosho's by its opening. */
#define FIRST_LINE_MAX (1 << 20)

static const char *const format_names[] = {
    [HY_EMIT_FORMAT_JSON] = "json",
    [HY_EMIT_FORMAT_JSONL] = "jsonl",
    [HY_EMIT_FORMAT_SQLITE] = "sqlite",
    [HY_EMIT_FORMAT_CSV] = "csv",
};

const char *hy_emit_format_name(HyEmitFormat format)
{
    return (guint)format < G_N_ELEMENTS(format_names) ? format_names[format] : "?";
}

gboolean hy_emit_format_parse(const char *name, HyEmitFormat *out)
{
    for (guint i = 0; i < G_N_ELEMENTS(format_names); i++) {
        if (g_strcmp0(name, format_names[i]) == 0) {
            *out = (HyEmitFormat)i;
            return TRUE;
        }
    }
    return FALSE;
}

gboolean hy_emit_format_for_path(const char *path, HyEmitFormat *out)
{
    static const struct {
        const char *extension;
        HyEmitFormat format;
    } extensions[] = {
        {".json", HY_EMIT_FORMAT_JSON},     {".jsonl", HY_EMIT_FORMAT_JSONL},   {".ndjson", HY_EMIT_FORMAT_JSONL},
        {".db", HY_EMIT_FORMAT_SQLITE},     {".sqlite", HY_EMIT_FORMAT_SQLITE}, {".sqlite3", HY_EMIT_FORMAT_SQLITE},
        {".csv", HY_EMIT_FORMAT_CSV},
    };
    const char *dot = hy_emit_path_extension(path);
    if (dot == NULL) return FALSE;
    for (guint i = 0; i < G_N_ELEMENTS(extensions); i++) {
        if (g_ascii_strcasecmp(dot, extensions[i].extension) == 0) {
            *out = extensions[i].format;
            return TRUE;
        }
    }
    return FALSE;
}

const char *hy_emit_output_kind_describe(HyOutputKind kind)
{
    switch (kind) {
    case HY_OUTPUT_ABSENT: return "not there yet";
    case HY_OUTPUT_EMPTY: return "empty";
    case HY_OUTPUT_JSON: return "a JSON document of hyosho";
    case HY_OUTPUT_JSONL: return "JSON Lines of hyosho";
    case HY_OUTPUT_JSON_OR_JSONL: return "JSON of hyosho";
    case HY_OUTPUT_FAILURES: return "a failures list of hyosho batch";
    case HY_OUTPUT_SQLITE: return "a hyosho database";
    case HY_OUTPUT_SQLITE_OTHER: return "a SQLite database hyosho did not make";
    case HY_OUTPUT_CSV: return "CSV of hyosho";
    case HY_OUTPUT_FOLDER: return "a folder";
    case HY_OUTPUT_STREAM: return "a device or pipe";
    case HY_OUTPUT_OTHER: break;
    }
    return "a file hyosho did not write";
}

/* The first line of @fd (without its end), at most FIRST_LINE_MAX bytes; @whole says
 * whether it ended within them. Also the start of the line after it, in @next. */
static char *read_first_lines(int fd, gboolean *whole, char **next)
{
    g_autofree char *buffer = g_malloc(FIRST_LINE_MAX + 256);
    gsize have = 0;
    while (have < FIRST_LINE_MAX + 255) {
        ssize_t n = read(fd, buffer + have, FIRST_LINE_MAX + 255 - have);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        have += (gsize)n;
        if (memchr(buffer, '\n', MIN(have, FIRST_LINE_MAX)) != NULL && have > 256) break;
    }
    buffer[have] = '\0';
    char *end = memchr(buffer, '\n', MIN(have, FIRST_LINE_MAX));
    *whole = end != NULL || have <= FIRST_LINE_MAX;
    *next = NULL;
    if (end != NULL) {
        *next = g_strndup(end + 1, MIN(have - (gsize)(end + 1 - buffer), 64));
        *end = '\0';
    }
    return g_steal_pointer(&buffer);
}

/* What a text file is, by its first line: hyosho's JSON is `{` alone (pretty) or a compact
 * object that has `awards`; a JSON Lines award has `index`; a batch failure `reason`;
 * hyosho's CSV starts with its header row. */
static HyOutputKind identify_text(int fd)
{
    gboolean whole = FALSE;
    g_autofree char *next = NULL;
    g_autofree char *line = read_first_lines(fd, &whole, &next);
    g_strchomp(line);
    if (emit_csv_is_header(line)) return HY_OUTPUT_CSV;
    if (strcmp(line, "{") == 0)
        return next != NULL && g_str_has_prefix(next, "  \"schema_version\" : ") ? HY_OUTPUT_JSON : HY_OUTPUT_OTHER;
    gboolean document = g_str_has_prefix(line, "{\"schema_version\":");
    if (!document && !g_str_has_prefix(line, "{\"path\":")) return HY_OUTPUT_OTHER;
    if (!whole) return document ? HY_OUTPUT_JSON_OR_JSONL : HY_OUTPUT_OTHER;
    g_autoptr(JsonParser) parser = json_parser_new();
    if (!json_parser_load_from_data(parser, line, -1, NULL)) return HY_OUTPUT_OTHER;
    JsonNode *root = json_parser_get_root(parser);
    if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) return HY_OUTPUT_OTHER;
    JsonObject *object = json_node_get_object(root);
    if (!document) return json_object_has_member(object, "reason") ? HY_OUTPUT_FAILURES : HY_OUTPUT_OTHER;
    if (json_object_has_member(object, "awards")) return HY_OUTPUT_JSON;
    if (json_object_has_member(object, "index")) return HY_OUTPUT_JSONL;
    return HY_OUTPUT_OTHER;
}

HyOutputKind hy_emit_identify_output(const char *path, int *schema)
{
    if (schema != NULL) *schema = 0;
    GStatBuf st;
    if (g_stat(path, &st) != 0) return HY_OUTPUT_ABSENT;
    if (S_ISDIR(st.st_mode)) return HY_OUTPUT_FOLDER;
    if (!S_ISREG(st.st_mode)) return HY_OUTPUT_STREAM;
    if (st.st_size == 0) return HY_OUTPUT_EMPTY;
    int fd = g_open(path, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0) return HY_OUTPUT_OTHER;
    static const char sqlite_magic[16] = "SQLite format 3"; /* and its NUL */
    char magic[16];
    ssize_t n = read(fd, magic, sizeof magic);
    HyOutputKind kind;
    if (n == (ssize_t)sizeof magic && memcmp(magic, sqlite_magic, sizeof magic) == 0) {
        kind = emit_sqlite_identify(path, schema);
    } else {
        kind = lseek(fd, 0, SEEK_SET) == 0 ? identify_text(fd) : HY_OUTPUT_OTHER;
    }
    close(fd);
    return kind;
}

gboolean hy_emit_output_takes(HyOutputKind kind, HyEmitFormat format)
{
    switch (kind) {
    case HY_OUTPUT_ABSENT:
    case HY_OUTPUT_EMPTY: return TRUE;
    case HY_OUTPUT_JSON: return format == HY_EMIT_FORMAT_JSON;
    case HY_OUTPUT_JSONL: return format == HY_EMIT_FORMAT_JSONL;
    case HY_OUTPUT_JSON_OR_JSONL: return format == HY_EMIT_FORMAT_JSON || format == HY_EMIT_FORMAT_JSONL;
    case HY_OUTPUT_STREAM: return format != HY_EMIT_FORMAT_SQLITE;
    case HY_OUTPUT_SQLITE: return format == HY_EMIT_FORMAT_SQLITE;
    case HY_OUTPUT_CSV: return format == HY_EMIT_FORMAT_CSV;
    default: return FALSE;
    }
}

/* The folder of @path as a user reads it in a message: "out/", or "./". */
static char *folder_shown(const char *folder)
{
    return g_str_has_suffix(folder, G_DIR_SEPARATOR_S) ? g_strdup(folder)
                                                         : g_strconcat(folder, G_DIR_SEPARATOR_S, NULL);
}

gboolean hy_emit_prepare_folder(const char *folder, GError **error)
{
    if (g_file_test(folder, G_FILE_TEST_EXISTS) && !g_file_test(folder, G_FILE_TEST_IS_DIR)) {
        g_set_error_literal(error, HY_EMIT_ERROR, HY_EMIT_ERROR_EXISTS, "is a file, and the output goes into a folder");
        return FALSE;
    }
    if (g_mkdir_with_parents(folder, 0777) != 0) {
        int saved = errno;
        g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_WRITE, "cannot create the folder: %s", g_strerror(saved));
        return FALSE;
    }
    return hy_emit_check_folder(folder, error);
}

gboolean hy_emit_check_folder(const char *folder, GError **error)
{
    g_autofree char *shown = folder_shown(folder);
    GStatBuf st;
    if (g_stat(folder, &st) != 0) {
        int saved = errno;
        g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_WRITE, "folder %s %s", shown,
                    saved == ENOENT ? "does not exist" : g_strerror(saved));
        return FALSE;
    }
    if (!S_ISDIR(st.st_mode)) {
        g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_WRITE, "%s is not a folder", folder);
        return FALSE;
    }
    /* Tried rather than asked (access()): a read-only file system, or a folder root may
     * write in after all, answer only to a real attempt. */
    g_autofree char *probe = g_build_filename(folder, ".hyosho-probe-XXXXXX", NULL);
    int fd = g_mkstemp_full(probe, O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) {
        int saved = errno;
        const char *why = saved == EACCES || saved == EPERM || saved == EROFS ? "it is read-only" : g_strerror(saved);
        g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_WRITE, "cannot write in folder %s: %s", shown, why);
        return FALSE;
    }
    close(fd);
    (void)g_unlink(probe);
    return TRUE;
}

gboolean hy_emit_check_output(const char *path, HyEmitFormat format, gboolean overwrite, HyOutputKind *found,
                              GError **error)
{
    int schema = 0;
    HyOutputKind kind = hy_emit_identify_output(path, &schema);
    if (found != NULL) *found = kind;
    if (kind == HY_OUTPUT_FOLDER) {
        g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_EXISTS, "is a folder, not a file");
        return FALSE;
    }
    if (kind == HY_OUTPUT_SQLITE && schema > emit_sqlite_schema()) {
        g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_SCHEMA,
                    "database schema %d is newer than this hyosho (it writes schema %d)", schema,
                    emit_sqlite_schema());
        return FALSE;
    }
    if (kind == HY_OUTPUT_STREAM && format == HY_EMIT_FORMAT_SQLITE) {
        g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_EXISTS, "is a device or pipe, not a database file");
        return FALSE;
    }
    if (!overwrite && !hy_emit_output_takes(kind, format)) {
        const char *output = format == HY_EMIT_FORMAT_SQLITE ? "a database"
                             : format == HY_EMIT_FORMAT_JSON ? "JSON"
                             : format == HY_EMIT_FORMAT_CSV  ? "CSV"
                                                             : "JSON Lines";
        g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_EXISTS, "exists and is %s, which %s would replace",
                    hy_emit_output_kind_describe(kind), output);
        return FALSE;
    }
    /* A device or pipe is written in place: nothing is created beside it. */
    if (kind == HY_OUTPUT_STREAM) return TRUE;
    if (kind != HY_OUTPUT_ABSENT && format == HY_EMIT_FORMAT_SQLITE && hy_emit_output_takes(kind, format) &&
        g_access(path, W_OK) != 0) {
        g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_WRITE, "the database file is read-only");
        return FALSE;
    }
    /* A link is written through (emit_resolve_link): the folder that matters is its target's. */
    g_autofree char *target = emit_resolve_link(path);
    g_autofree char *folder = g_path_get_dirname(target);
    return hy_emit_check_folder(folder, error);
}
