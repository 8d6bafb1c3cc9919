/* emit_json.c -- the v1 document and its JSON Lines form, written straight into the
 * output buffer in json-glib's layout, and the atomic file write every output file goes
 * through. Key order is the contract's (output-v1.md): the order of the calls below. */
#include "hy_emit.h"
#include "emit_private.h"
#include "hy_parallel.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gstdio.h>

G_DEFINE_QUARK(hy-emit-error-quark, hy_emit_error)

/* ---- a streaming writer ---------------------------------------------------------
 * json-glib can only generate a tree, and a tree costs a node, a string copy and, for
 * every object, a hash table per value: two hundred allocations an award, most of the
 * time of writing a large report. json-glib has no streaming writer, so this is one,
 * byte for byte what json_generator_to_data() writes for the same values (pretty: two
 * spaces a level, `"key" : value`, one member or element a line, empty arrays `[]`;
 * compact: no white space), escaping included: tests/test_emit.c compares the two on
 * every byte and on every golden. One deliberate difference: json-glib writes U+001F
 * raw, which no JSON parser accepts; here it is \u001f like the other controls. */

#define HY_JSON_MAX_DEPTH 8

typedef struct {
    GString *out;
    gboolean pretty;
    int depth;                                /* containers open */
    gboolean has_items[HY_JSON_MAX_DEPTH + 1]; /* per depth: a member or element written */
} HyJsonWriter;

static void writer_init(HyJsonWriter *w, GString *out, gboolean pretty, int depth)
{
    g_assert(depth <= HY_JSON_MAX_DEPTH);
    memset(w, 0, sizeof *w);
    w->out = out;
    w->pretty = pretty;
    w->depth = depth;
}

static void append_indent(GString *out, int depth)
{
    static const char spaces[2 * HY_JSON_MAX_DEPTH] = "                ";
    g_string_append_len(out, spaces, 2 * depth);
}

/* What JSON (RFC 8259) requires escaped: the quote, the backslash, the controls; and
 * DEL, which json-glib escapes too. Everything else, UTF-8 included, is copied. */
static gboolean needs_escape(guchar c)
{
    return c < 0x20 || c == '"' || c == '\\' || c == 0x7f;
}

/* @s as a JSON string, quotes included. */
static void append_string(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    const char *run = s;
    for (const char *p = s;; p++) {
        guchar c = (guchar)*p;
        if (c != '\0' && !needs_escape(c)) continue;
        g_string_append_len(out, run, p - run);
        if (c == '\0') break;
        run = p + 1;
        switch (c) {
        case '"': g_string_append(out, "\\\""); break;
        case '\\': g_string_append(out, "\\\\"); break;
        case '\b': g_string_append(out, "\\b"); break;
        case '\f': g_string_append(out, "\\f"); break;
        case '\n': g_string_append(out, "\\n"); break;
        case '\r': g_string_append(out, "\\r"); break;
        case '\t': g_string_append(out, "\\t"); break;
        default: g_string_append_printf(out, "\\u%04x", c); break;
        }
    }
    g_string_append_c(out, '"');
}

/* Before a member or an element: the comma after the previous one, then its line. */
static void begin_item(HyJsonWriter *w)
{
    if (w->has_items[w->depth]) g_string_append_c(w->out, ',');
    w->has_items[w->depth] = TRUE;
    if (w->pretty) {
        g_string_append_c(w->out, '\n');
        append_indent(w->out, w->depth);
    }
}

/* A member's key in the object open (keys are the contract's, plain ASCII). */
static void write_key(HyJsonWriter *w, const char *key)
{
    begin_item(w);
    g_string_append_c(w->out, '"');
    g_string_append(w->out, key);
    g_string_append(w->out, w->pretty ? "\" : " : "\":");
}

/* Opens an object or array (@open '{' or '['): as a member's value after write_key(),
 * as an element after begin_item(), or as the document. */
static void open_container(HyJsonWriter *w, char open)
{
    g_assert(w->depth < HY_JSON_MAX_DEPTH);
    g_string_append_c(w->out, open);
    w->has_items[++w->depth] = FALSE;
}

static void close_container(HyJsonWriter *w, char close)
{
    gboolean had_items = w->has_items[w->depth--];
    if (w->pretty && had_items) {
        g_string_append_c(w->out, '\n');
        append_indent(w->out, w->depth);
    }
    g_string_append_c(w->out, close);
}

static void add_string_or_null(HyJsonWriter *w, const char *key, const char *value)
{
    write_key(w, key);
    if (value != NULL) append_string(w->out, value);
    else g_string_append(w->out, "null");
}

static void add_int(HyJsonWriter *w, const char *key, gint64 value)
{
    write_key(w, key);
    g_string_append_printf(w->out, "%" G_GINT64_FORMAT, value);
}

static void add_int_or_null(HyJsonWriter *w, const char *key, int value)
{
    if (value != 0) add_int(w, key, value);
    else add_string_or_null(w, key, NULL);
}

static void add_strings(HyJsonWriter *w, const char *key, const GPtrArray *strings)
{
    write_key(w, key);
    open_container(w, '[');
    for (guint i = 0; strings != NULL && i < strings->len; i++) {
        begin_item(w);
        append_string(w->out, g_ptr_array_index(strings, i));
    }
    close_container(w, ']');
}

static void add_source(HyJsonWriter *w, const HySource *source, const HyReport *report)
{
    write_key(w, "source");
    open_container(w, '{');
    /* JSON is Unicode, and a file name can hold any bytes: those that are not UTF-8 become
     * U+FFFD. Every other string is normalized UTF-8 already. */
    g_autofree char *path = source->path == NULL || g_utf8_validate(source->path, -1, NULL)
                                ? NULL
                                : hy_emit_valid_text(source->path);
    add_string_or_null(w, "path", path != NULL ? path : source->path);
    add_string_or_null(w, "sha256", source->sha256);
    add_string_or_null(w, "format", source->format);
    add_int(w, "pages", source->pages);
    add_string_or_null(w, "title", report->title);
    add_int_or_null(w, "edition", report->edition);
    add_int_or_null(w, "year", report->year);
    add_string_or_null(w, "date", report->date);
    add_strings(w, "listed_awardees", report->listed_awardees);
    close_container(w, '}');
}

/* The members of one award, into the object open. */
static void add_number(HyJsonWriter *w, const char *key, double value)
{
    char number[G_ASCII_DTOSTR_BUF_SIZE];
    write_key(w, key);
    g_string_append(w->out, g_ascii_formatd(number, sizeof number, "%.2f", value));
}

/* `provenance` (convert --provenance): each field path -> the lines it was read from,
 * a PDF line with its box, a text line by its number. */
static void add_provenance(HyJsonWriter *w, const GPtrArray *provenance)
{
    write_key(w, "provenance");
    open_container(w, '{');
    for (guint i = 0; i < provenance->len; i++) {
        const HyFieldSource *source = g_ptr_array_index(provenance, i);
        write_key(w, source->path);
        open_container(w, '[');
        for (guint b = 0; b < source->boxes->len; b++) {
            const HyProvenanceBox *box = &g_array_index(source->boxes, HyProvenanceBox, b);
            begin_item(w);
            open_container(w, '{');
            add_int(w, "page", box->page);
            add_int(w, "line", box->line);
            if (box->boxed) {
                add_number(w, "x", box->x);
                add_number(w, "y", box->y);
                add_number(w, "width", box->width);
                add_number(w, "height", box->height);
            }
            close_container(w, '}');
        }
        close_container(w, ']');
    }
    close_container(w, '}');
}

static void add_award_members(HyJsonWriter *w, const HyAward *award)
{
    const HyAwardee *who = &award->awardee;
    write_key(w, "awardee");
    open_container(w, '{');
    add_string_or_null(w, "name", who->name != NULL ? who->name : "");
    add_string_or_null(w, "kind", hy_awardee_kind_name(who->kind));
    add_string_or_null(w, "prefecture", who->prefecture);
    add_string_or_null(w, "lg_code", who->lg_code);
    write_key(w, "inferred");
    g_string_append(w->out, who->inferred ? "true" : "false");
    close_container(w, '}');
    add_string_or_null(w, "category", award->category);

    write_key(w, "partners");
    open_container(w, '[');
    for (guint i = 0; i < award->partners->len; i++) {
        const HyPartner *partner = g_ptr_array_index(award->partners, i);
        begin_item(w);
        open_container(w, '{');
        add_string_or_null(w, "name", partner->name);
        add_string_or_null(w, "country", partner->country);
        add_string_or_null(w, "country_code", partner->country_code);
        close_container(w, '}');
    }
    close_container(w, ']');

    add_strings(w, "evaluations", award->evaluations);

    const HyContact *c = &award->contact;
    write_key(w, "contact");
    open_container(w, '{');
    for (guint i = 0; i < HY_CONTACT_N_FIELDS; i++) /* in the contract's order */
        add_string_or_null(w, hy_contact_fields[i].name, hy_contact_value(c, &hy_contact_fields[i]));
    close_container(w, '}');

    add_strings(w, "captions", award->captions);

    write_key(w, "pages");
    open_container(w, '[');
    for (guint i = 0; i < award->pages->len; i++) {
        begin_item(w);
        g_string_append_printf(w->out, "%d", g_array_index(award->pages, int, i));
    }
    close_container(w, ']');

    add_strings(w, "warnings", award->warnings);
    if (award->provenance != NULL) add_provenance(w, award->provenance);
}

/* One award at @index: an element of the awards array the writer has open (json), or a
 * line of its own (jsonl, @w at depth 0). */
static void write_award(HyJsonWriter *w, const HySource *source, const HyReport *report, guint index,
                        gboolean lines)
{
    const HyAward *award = g_ptr_array_index(report->awards, index);
    if (lines) {
        open_container(w, '{');
        add_int(w, "schema_version", HY_SCHEMA_VERSION);
        add_source(w, source, report);
        add_int(w, "index", index);
        add_award_members(w, award);
        close_container(w, '}');
        g_string_append_c(w->out, '\n');
        return;
    }
    begin_item(w);
    open_container(w, '{');
    add_award_members(w, award);
    close_container(w, '}');
}

/* Where a document goes: into @buffer only (the whole output as one string), or through
 * @buffer to @stream in pieces of about HY_EMIT_STREAM_CHUNK bytes, so that a large
 * report is never held whole in memory a second time. */
typedef struct {
    GString *buffer;
    FILE *stream;      /* (nullable) */
    int write_errno;   /* of the first failed write; then nothing more is written */
} HyJsonOutput;

#define HY_EMIT_STREAM_CHUNK (64 * 1024)

static void output_write(HyJsonOutput *o, const char *data, gsize len)
{
    if (o->write_errno != 0 || len == 0) return;
    if (fwrite(data, 1, len, o->stream) != len) o->write_errno = errno != 0 ? errno : EIO;
}

/* Passes the buffer on to the stream once it holds a chunk, or whatever it holds when
 * @all; without a stream the buffer keeps everything. */
static void output_pass_on(HyJsonOutput *o, gboolean all)
{
    if (o->stream == NULL || (!all && o->buffer->len < HY_EMIT_STREAM_CHUNK)) return;
    output_write(o, o->buffer->str, o->buffer->len);
    g_string_truncate(o->buffer, 0);
}

/* Appends @part (a share's awards) after what @o holds. */
static void output_append(HyJsonOutput *o, const GString *part)
{
    if (o->stream == NULL) {
        g_string_append_len(o->buffer, part->str, (gssize)part->len);
        return;
    }
    output_pass_on(o, TRUE);
    output_write(o, part->str, part->len);
}

/* Awards [from, to) written into @out, with a writer of their own: what one thread does. */
typedef struct {
    guint from, to;
    GString *out;
} AwardShare;

/* One round of shares: share 0 follows what @o holds and is written there, each other
 * share into a buffer of its own, passed on after those before it. */
typedef struct {
    HyJsonOutput *o;
    const HySource *source;
    const HyReport *report;
    gboolean pretty, lines;
    AwardShare *shares;
} AwardRound;

static void write_award_share(guint share, gpointer data)
{
    const AwardRound *round = data;
    const AwardShare *own = &round->shares[share];
    /* json: inside the document object and its awards array, after the awards of the
     * shares before; jsonl: each award a document of its own. */
    HyJsonWriter w;
    writer_init(&w, own->out, round->pretty, round->lines ? 0 : 2);
    if (!round->lines) w.has_items[2] = own->from > 0;
    for (guint i = own->from; i < own->to; i++) write_award(&w, round->source, round->report, i, round->lines);
}

static void pass_award_share_on(guint share, gpointer data)
{
    const AwardRound *round = data;
    if (share > 0) output_append(round->o, round->shares[share].out);
    else output_pass_on(round->o, FALSE);
}

/* Fewer awards than this a thread are written on one. */
#define HY_EMIT_AWARDS_PER_THREAD 64
/* Most awards in one share: a long report is written in rounds of shares, one a thread,
 * each round's buffers passed on and used again, so memory follows the round. */
#define HY_EMIT_AWARDS_PER_SHARE 512
#define HY_EMIT_MAX_THREADS 64

/* Every award, in order, after what @o holds. Awards are independent, so shares of them
 * are generated on threads into buffers of their own and passed on in order: the bytes
 * are the same for any number of threads. */
static void write_awards(HyJsonOutput *o, const HySource *source, const HyReport *report, gboolean pretty,
                         gboolean lines, int threads)
{
    guint n = report->awards->len;
    guint n_threads = hy_parallel_threads(threads, n, HY_EMIT_AWARDS_PER_THREAD, HY_EMIT_MAX_THREADS);
    if (n_threads == 1) {
        HyJsonWriter w;
        writer_init(&w, o->buffer, pretty, lines ? 0 : 2);
        for (guint i = 0; i < n; i++) {
            write_award(&w, source, report, i, lines);
            output_pass_on(o, FALSE);
        }
        return;
    }
    guint per_share = MIN((n + n_threads - 1) / n_threads, HY_EMIT_AWARDS_PER_SHARE);
    AwardShare shares[HY_EMIT_MAX_THREADS];
    GString *buffers[HY_EMIT_MAX_THREADS] = {NULL};
    for (guint t = 1; t < n_threads; t++) buffers[t] = g_string_new(NULL);
    AwardRound round = {.o = o, .source = source, .report = report, .pretty = pretty, .lines = lines,
                        .shares = shares};
    for (guint from = 0; from < n && o->write_errno == 0;) {
        guint in_round = 0;
        for (; in_round < n_threads && from < n; in_round++, from += per_share) {
            /* the first share of a round follows what @o holds: it is written there */
            GString *out = in_round == 0 ? o->buffer : buffers[in_round];
            if (in_round > 0) g_string_truncate(out, 0);
            shares[in_round] = (AwardShare){.from = from, .to = MIN(from + per_share, n), .out = out};
        }
        hy_parallel_run("hy-emit", in_round, write_award_share, pass_award_share_on, &round);
    }
    for (guint t = 1; t < n_threads; t++) g_string_free(buffers[t], TRUE);
}

static void write_document(HyJsonOutput *o, const HySource *source, const HyReport *report, gboolean pretty,
                           int threads)
{
    HyJsonWriter w;
    writer_init(&w, o->buffer, pretty, 0);
    open_container(&w, '{');
    add_int(&w, "schema_version", HY_SCHEMA_VERSION);
    add_source(&w, source, report);
    write_key(&w, "awards");
    open_container(&w, '[');
    write_awards(o, source, report, pretty, FALSE, threads); /* with writers of their own */
    w.has_items[w.depth] = report->awards->len > 0;
    close_container(&w, ']');
    add_strings(&w, "warnings", report->warnings);
    close_container(&w, '}');
    g_string_append_c(o->buffer, '\n');
}

char *hy_emit_json(const HySource *source, const HyReport *report, gboolean pretty)
{
    return hy_emit_json_threads(source, report, pretty, 1);
}

char *hy_emit_json_threads(const HySource *source, const HyReport *report, gboolean pretty, int threads)
{
    g_return_val_if_fail(source != NULL && report != NULL, NULL);
    HyJsonOutput o = {.buffer = g_string_new(NULL)};
    write_document(&o, source, report, pretty, threads);
    return g_string_free(o.buffer, FALSE);
}

char *hy_emit_jsonl(const HySource *source, const HyReport *report)
{
    return hy_emit_jsonl_threads(source, report, 1);
}

char *hy_emit_jsonl_threads(const HySource *source, const HyReport *report, int threads)
{
    g_return_val_if_fail(source != NULL && report != NULL, NULL);
    HyJsonOutput o = {.buffer = g_string_new(NULL)};
    write_awards(&o, source, report, FALSE, TRUE, threads);
    return g_string_free(o.buffer, FALSE);
}

char *hy_emit_failure_line(const char *path, const char *sha256, const char *reason)
{
    g_autofree char *valid_path = hy_emit_valid_text(path);
    g_autofree char *valid_reason = hy_emit_valid_text(reason);
    GString *out = g_string_new(NULL);
    HyJsonWriter w;
    writer_init(&w, out, FALSE, 0);
    open_container(&w, '{');
    add_string_or_null(&w, "path", valid_path);
    add_string_or_null(&w, "sha256", sha256);
    add_string_or_null(&w, "reason", valid_reason);
    close_container(&w, '}');
    g_string_append_c(out, '\n');
    return g_string_free(out, FALSE);
}

/* The last piece passed on and the stream flushed; a failed write becomes @error. */
static gboolean finish_stream(HyJsonOutput *o, GError **error)
{
    output_pass_on(o, TRUE);
    g_string_free(o->buffer, TRUE);
    if (o->write_errno == 0 && fflush(o->stream) != 0) o->write_errno = errno != 0 ? errno : EIO;
    if (o->write_errno == 0) return TRUE;
    g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_WRITE, "write failed: %s", g_strerror(o->write_errno));
    return FALSE;
}

gboolean hy_emit_json_to_stream(FILE *stream, const HySource *source, const HyReport *report, gboolean pretty,
                                int threads, GError **error)
{
    g_return_val_if_fail(stream != NULL && source != NULL && report != NULL, FALSE);
    HyJsonOutput o = {.buffer = g_string_sized_new(2 * HY_EMIT_STREAM_CHUNK), .stream = stream};
    write_document(&o, source, report, pretty, threads);
    return finish_stream(&o, error);
}

gboolean hy_emit_jsonl_to_stream(FILE *stream, const HySource *source, const HyReport *report, int threads,
                                 GError **error)
{
    g_return_val_if_fail(stream != NULL && source != NULL && report != NULL, FALSE);
    HyJsonOutput o = {.buffer = g_string_sized_new(2 * HY_EMIT_STREAM_CHUNK), .stream = stream};
    write_awards(&o, source, report, FALSE, TRUE, threads);
    return finish_stream(&o, error);
}

char *emit_resolve_link(const char *path)
{
    GStatBuf st;
    if (g_lstat(path, &st) != 0 || !S_ISLNK(st.st_mode)) return g_strdup(path);
    g_autofree char *target = g_strdup(path);
    /* A bounded walk: a loop of links is left to the write to report (ELOOP). */
    for (int hops = 0; hops < 40 && g_lstat(target, &st) == 0 && S_ISLNK(st.st_mode); hops++) {
        g_autofree char *link = g_file_read_link(target, NULL);
        if (link == NULL) break;
        g_autofree char *folder = g_path_get_dirname(target);
        g_free(target);
        target = g_path_is_absolute(link) ? g_strdup(link) : g_build_filename(folder, link, NULL);
    }
    return g_steal_pointer(&target);
}

/* A device or pipe (/dev/null, /dev/stdout, a FIFO) takes the bytes as they are: replacing
 * it with a regular file, as the atomic write would, destroys it. */
static gboolean write_in_place(const char *path, const char *data, gsize len, GError **error)
{
    int fd = g_open(path, O_WRONLY | O_CLOEXEC, 0);
    gboolean ok = fd >= 0;
    for (gsize done = 0; ok && done < len;) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) ok = FALSE;
        else done += (gsize)n;
    }
    int saved = errno;
    if (fd >= 0 && close(fd) != 0 && ok) {
        saved = errno;
        ok = FALSE;
    }
    if (!ok) g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_WRITE, "write failed: %s", g_strerror(saved));
    return ok;
}

static gboolean write_file(const char *path, const char *data, gsize len, GFileSetContentsFlags flags,
                           GError **error)
{
    g_return_val_if_fail(path != NULL && data != NULL, FALSE);
    g_autofree char *target = emit_resolve_link(path);
    GStatBuf st;
    if (g_stat(target, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
        return write_in_place(target, data, len, error);
    /* CONSISTENT: GLib writes PATH.XXXXXX beside @path and renames it into place, removing
     * it again when the write or the rename fails; 0666 & umask like any created file.
     * ONLY_EXISTING: the fsync() before the rename only when a file is replaced. */
    g_autoptr(GError) file_error = NULL;
    if (!g_file_set_contents_full(target, data, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT | flags, 0666,
                                  &file_error)) {
        /* GLib's message names its temporary file, which the user never asked for. */
        const char *reason = NULL;
        switch (file_error->code) {
        case G_FILE_ERROR_NOENT: reason = "its folder does not exist"; break;
        case G_FILE_ERROR_ACCES:
        case G_FILE_ERROR_PERM:
        case G_FILE_ERROR_ROFS: reason = "its folder is read-only"; break;
        case G_FILE_ERROR_NOSPC: reason = "the disk is full"; break;
        case G_FILE_ERROR_ISDIR: reason = "it is a folder"; break;
        default: break;
        }
        g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_WRITE, "cannot write it: %s",
                    reason != NULL ? reason : file_error->message);
        return FALSE;
    }
    return TRUE;
}

gboolean hy_emit_write_file(const char *path, const char *data, gsize len, GError **error)
{
    return write_file(path, data, len, G_FILE_SET_CONTENTS_NONE, error);
}

gboolean hy_emit_write_new_file(const char *path, const char *data, gsize len, GError **error)
{
    return write_file(path, data, len, G_FILE_SET_CONTENTS_ONLY_EXISTING, error);
}

static gboolean sync_path(const char *path, int flags, GError **error)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | flags);
    if (fd < 0 || fsync(fd) != 0) {
        int saved = errno;
        if (fd >= 0) close(fd);
        g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_WRITE, "%s: %s", path, g_strerror(saved));
        return FALSE;
    }
    close(fd);
    return TRUE;
}

gboolean hy_emit_sync_files(GPtrArray *paths, GError **error)
{
    g_return_val_if_fail(paths != NULL, FALSE);
    g_autoptr(GHashTable) folders = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < paths->len; i++) {
        const char *path = g_ptr_array_index(paths, i);
        if (!sync_path(path, 0, error)) return FALSE;
        g_hash_table_add(folders, g_path_get_dirname(path));
    }
    /* The folders too: a file's name is in its folder, which a crash could lose. */
    GHashTableIter iter;
    gpointer folder;
    g_hash_table_iter_init(&iter, folders);
    while (g_hash_table_iter_next(&iter, &folder, NULL))
        if (!sync_path(folder, O_DIRECTORY, error)) return FALSE;
    return TRUE;
}
