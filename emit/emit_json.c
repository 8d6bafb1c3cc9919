/* emit_json.c -- the v1 document and its JSON Lines form, built with json-glib so that
 * escaping and number formatting are never hand-written. Key order follows the
 * contract (output-v1.md) because JsonBuilder keeps insertion order. Also the atomic
 * file write every output file goes through. */
#include "hy_emit.h"

#include <string.h>

#include <json-glib/json-glib.h>

G_DEFINE_QUARK(hy-emit-error-quark, hy_emit_error)

static void add_string_or_null(JsonBuilder *b, const char *key, const char *value)
{
    json_builder_set_member_name(b, key);
    if (value != NULL) json_builder_add_string_value(b, value);
    else json_builder_add_null_value(b);
}

static void add_int_or_null(JsonBuilder *b, const char *key, int value)
{
    json_builder_set_member_name(b, key);
    if (value != 0) json_builder_add_int_value(b, value);
    else json_builder_add_null_value(b);
}

/* @key NULL: the array is the builder's root. */
static void add_strings(JsonBuilder *b, const char *key, const GPtrArray *strings)
{
    if (key != NULL) json_builder_set_member_name(b, key);
    json_builder_begin_array(b);
    for (guint i = 0; strings != NULL && i < strings->len; i++)
        json_builder_add_string_value(b, g_ptr_array_index(strings, i));
    json_builder_end_array(b);
}

/* @key NULL: the object is the builder's root. */
static void add_source(JsonBuilder *b, const char *key, const HySource *source, const HyReport *report)
{
    if (key != NULL) json_builder_set_member_name(b, key);
    json_builder_begin_object(b);
    add_string_or_null(b, "path", source->path);
    add_string_or_null(b, "sha256", source->sha256);
    add_string_or_null(b, "format", source->format);
    json_builder_set_member_name(b, "pages");
    json_builder_add_int_value(b, source->pages);
    add_string_or_null(b, "title", report->title);
    add_int_or_null(b, "edition", report->edition);
    add_int_or_null(b, "year", report->year);
    json_builder_end_object(b);
}

/* The members of one award, into the object @b has open. */
static void add_award_members(JsonBuilder *b, const HyAward *award)
{
    const HyAwardee *who = &award->awardee;
    json_builder_set_member_name(b, "awardee");
    json_builder_begin_object(b);
    add_string_or_null(b, "name", who->name != NULL ? who->name : "");
    add_string_or_null(b, "kind", hy_awardee_kind_name(who->kind));
    add_string_or_null(b, "prefecture", who->prefecture);
    add_string_or_null(b, "lg_code", who->lg_code);
    json_builder_set_member_name(b, "inferred");
    json_builder_add_boolean_value(b, who->inferred);
    json_builder_end_object(b);

    json_builder_set_member_name(b, "partners");
    json_builder_begin_array(b);
    for (guint i = 0; i < award->partners->len; i++) {
        const HyPartner *partner = g_ptr_array_index(award->partners, i);
        json_builder_begin_object(b);
        add_string_or_null(b, "name", partner->name);
        add_string_or_null(b, "country", partner->country);
        add_string_or_null(b, "country_code", partner->country_code);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);

    add_strings(b, "evaluations", award->evaluations);

    const HyContact *c = &award->contact;
    json_builder_set_member_name(b, "contact");
    json_builder_begin_object(b);
    add_string_or_null(b, "department", c->department);
    add_string_or_null(b, "postal_code", c->postal_code);
    add_string_or_null(b, "address", c->address);
    add_string_or_null(b, "tel", c->tel);
    add_string_or_null(b, "fax", c->fax);
    add_string_or_null(b, "email", c->email);
    add_string_or_null(b, "url", c->url);
    json_builder_end_object(b);

    add_strings(b, "captions", award->captions);

    json_builder_set_member_name(b, "pages");
    json_builder_begin_array(b);
    for (guint i = 0; i < award->pages->len; i++) json_builder_add_int_value(b, g_array_index(award->pages, int, i));
    json_builder_end_array(b);

    add_strings(b, "warnings", award->warnings);
}

/* ---- generation, one award at a time -----------------------------------------
 * A whole document as one json-glib tree costs a node, a string copy and, per object, a
 * hash table for every value, all alive at once and freed at the end (a few hundred MB
 * for a large report, and most of the time of a run in malloc and free). So each award
 * is a small tree of its own, generated and freed before the next, into the one output
 * buffer; json-glib still writes every value, escaping included.
 *
 * Only the frame is written here, the way json-glib lays out a document (pretty: two
 * spaces a level, "key" : value, one member or element a line; compact: no white space).
 * A tree generated on its own is laid out as if at level 0; nested at level L, each of its
 * lines but the first is indented by 2 L more, and that is all that changes (strings hold
 * no raw newline: json-glib escapes it; an empty object would differ, and none is
 * written: awardee, contact and partner objects always have members). */

typedef struct {
    GString *out;
    gboolean pretty;
    JsonBuilder *builder;
    JsonGenerator *generator;
    GString *scratch;
} HyJsonWriter;

static void writer_init(HyJsonWriter *w, GString *out, gboolean pretty)
{
    *w = (HyJsonWriter){.out = out, .pretty = pretty, .builder = json_builder_new(),
                        .generator = json_generator_new(), .scratch = g_string_new(NULL)};
    json_generator_set_pretty(w->generator, pretty);
    json_generator_set_indent(w->generator, 2);
}

static void writer_clear(HyJsonWriter *w)
{
    g_object_unref(w->builder);
    g_object_unref(w->generator);
    g_string_free(w->scratch, TRUE);
}

static void append_indent(GString *out, int level)
{
    for (int i = 0; i < 2 * level; i++) g_string_append_c(out, ' ');
}

/* Generates the value the builder holds as if at nesting @level, then resets the builder. */
static void writer_flush(HyJsonWriter *w, int level)
{
    JsonNode *root = json_builder_get_root(w->builder);
    json_generator_set_root(w->generator, root);
    json_node_unref(root);
    if (!w->pretty || level == 0) {
        json_generator_to_gstring(w->generator, w->out);
    } else {
        g_string_truncate(w->scratch, 0);
        json_generator_to_gstring(w->generator, w->scratch);
        const char *p = w->scratch->str, *end = p + w->scratch->len;
        for (const char *nl; (nl = memchr(p, '\n', (gsize)(end - p))) != NULL; p = nl + 1) {
            g_string_append_len(w->out, p, nl + 1 - p);
            append_indent(w->out, level);
        }
        g_string_append_len(w->out, p, end - p);
    }
    json_generator_set_root(w->generator, NULL);
    json_builder_reset(w->builder);
}

/* A member of the object being written at @level: its key, and the separator before it. */
static void writer_key(HyJsonWriter *w, int level, const char *key, gboolean first)
{
    if (!first) g_string_append_c(w->out, ',');
    if (w->pretty) {
        g_string_append_c(w->out, '\n');
        append_indent(w->out, level + 1);
    }
    g_string_append_printf(w->out, w->pretty ? "\"%s\" : " : "\"%s\":", key); /* keys are plain ASCII */
}

/* One award at @index, as an element of the awards array (json) or as a line (jsonl). */
static void write_award(HyJsonWriter *w, const HySource *source, const HyReport *report, guint index,
                        gboolean lines)
{
    const HyAward *award = g_ptr_array_index(report->awards, index);
    if (lines) {
        json_builder_begin_object(w->builder);
        json_builder_set_member_name(w->builder, "schema_version");
        json_builder_add_int_value(w->builder, HY_SCHEMA_VERSION);
        add_source(w->builder, "source", source, report);
        json_builder_set_member_name(w->builder, "index");
        json_builder_add_int_value(w->builder, index);
        add_award_members(w->builder, award);
        json_builder_end_object(w->builder);
        writer_flush(w, 0);
        g_string_append_c(w->out, '\n');
        return;
    }
    if (index > 0) g_string_append_c(w->out, ',');
    if (w->pretty) {
        g_string_append_c(w->out, '\n');
        append_indent(w->out, 2);
    }
    json_builder_begin_object(w->builder);
    add_award_members(w->builder, award);
    json_builder_end_object(w->builder);
    writer_flush(w, 2);
}

/* Awards [from, to) written into @out, with a writer of their own: what one thread does. */
typedef struct {
    const HySource *source;
    const HyReport *report;
    gboolean pretty, lines;
    guint from, to;
    GString *out;
} AwardShare;

static gpointer write_award_share(gpointer data)
{
    AwardShare *share = data;
    HyJsonWriter w;
    writer_init(&w, share->out, share->pretty);
    for (guint i = share->from; i < share->to; i++) write_award(&w, share->source, share->report, i, share->lines);
    writer_clear(&w);
    return NULL;
}

/* Fewer awards than this a thread are written on one. */
#define HY_EMIT_AWARDS_PER_THREAD 64

/* Every award, in order, appended to @out. Awards are independent, so shares of them are
 * generated on threads into buffers of their own and appended in order: the bytes are
 * the same for any number of threads. */
static void write_awards(GString *out, const HySource *source, const HyReport *report, gboolean pretty,
                         gboolean lines, int threads)
{
    guint n = report->awards->len;
    guint wanted = threads > 0 ? (guint)threads : g_get_num_processors();
    guint n_shares = CLAMP(n / HY_EMIT_AWARDS_PER_THREAD, 1, MIN(wanted, 64));
    AwardShare shares[64];
    GThread *workers[64] = {NULL};
    for (guint s = 0; s < n_shares; s++) {
        shares[s] = (AwardShare){.source = source, .report = report, .pretty = pretty, .lines = lines,
                                 .from = (guint)((guint64)n * s / n_shares),
                                 .to = (guint)((guint64)n * (s + 1) / n_shares),
                                 .out = s == 0 ? out : g_string_new(NULL)};
        if (s > 0) workers[s] = g_thread_try_new("hy-emit", write_award_share, &shares[s], NULL);
    }
    for (guint s = 0; s < n_shares; s++) {
        if (workers[s] != NULL) g_thread_join(workers[s]);
        else write_award_share(&shares[s]);
        if (s == 0) continue;
        g_string_append_len(out, shares[s].out->str, (gssize)shares[s].out->len);
        g_string_free(shares[s].out, TRUE);
    }
}

char *hy_emit_json(const HySource *source, const HyReport *report, gboolean pretty)
{
    return hy_emit_json_threads(source, report, pretty, 1);
}

char *hy_emit_json_threads(const HySource *source, const HyReport *report, gboolean pretty, int threads)
{
    g_return_val_if_fail(source != NULL && report != NULL, NULL);
    GString *out = g_string_new(NULL);
    HyJsonWriter w;
    writer_init(&w, out, pretty);

    g_string_append_c(out, '{');
    writer_key(&w, 0, "schema_version", TRUE);
    g_string_append_printf(out, "%d", HY_SCHEMA_VERSION);
    writer_key(&w, 0, "source", FALSE);
    add_source(w.builder, NULL, source, report);
    writer_flush(&w, 1);

    writer_key(&w, 0, "awards", FALSE);
    g_string_append_c(out, '[');
    write_awards(out, source, report, pretty, FALSE, threads);
    if (pretty && report->awards->len > 0) {
        g_string_append_c(out, '\n');
        append_indent(out, 1);
    }
    g_string_append_c(out, ']');

    writer_key(&w, 0, "warnings", FALSE);
    add_strings(w.builder, NULL, report->warnings);
    writer_flush(&w, 1);
    g_string_append(out, pretty ? "\n}\n" : "}\n");
    writer_clear(&w);
    return g_string_free(out, FALSE);
}

char *hy_emit_jsonl(const HySource *source, const HyReport *report)
{
    return hy_emit_jsonl_threads(source, report, 1);
}

char *hy_emit_jsonl_threads(const HySource *source, const HyReport *report, int threads)
{
    g_return_val_if_fail(source != NULL && report != NULL, NULL);
    GString *out = g_string_new(NULL);
    write_awards(out, source, report, FALSE, TRUE, threads);
    return g_string_free(out, FALSE);
}

gboolean hy_emit_write_file(const char *path, const char *data, gsize len, GError **error)
{
    g_return_val_if_fail(path != NULL && data != NULL, FALSE);
    /* CONSISTENT: GLib writes PATH.XXXXXX beside @path and renames it into place, removing
     * it again when the write or the rename fails; 0666 & umask like any created file. */
    g_autoptr(GError) file_error = NULL;
    if (!g_file_set_contents_full(path, data, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT, 0666, &file_error)) {
        g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_WRITE, "%s", file_error->message);
        return FALSE;
    }
    return TRUE;
}
