/* emit_json.c -- the v1 document and its JSON Lines form, built with json-glib so that
 * escaping and number formatting are never hand-written. Key order follows the
 * contract (output-v1.md) because JsonBuilder keeps insertion order. Also the atomic
 * file write every output file goes through. */
#include "hy_emit.h"

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

static void add_strings(JsonBuilder *b, const char *key, const GPtrArray *strings)
{
    json_builder_set_member_name(b, key);
    json_builder_begin_array(b);
    for (guint i = 0; strings != NULL && i < strings->len; i++)
        json_builder_add_string_value(b, g_ptr_array_index(strings, i));
    json_builder_end_array(b);
}

static void add_source(JsonBuilder *b, const HySource *source, const HyReport *report)
{
    json_builder_set_member_name(b, "source");
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

static char *to_string(JsonBuilder *b, gboolean pretty)
{
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    g_autoptr(JsonGenerator) generator = json_generator_new();
    json_generator_set_pretty(generator, pretty);
    json_generator_set_indent(generator, 2);
    json_generator_set_root(generator, root);
    g_autofree char *json = json_generator_to_data(generator, NULL);
    return g_strconcat(json, "\n", NULL);
}

char *hy_emit_json(const HySource *source, const HyReport *report, gboolean pretty)
{
    g_return_val_if_fail(source != NULL && report != NULL, NULL);
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "schema_version");
    json_builder_add_int_value(b, HY_SCHEMA_VERSION);
    add_source(b, source, report);
    json_builder_set_member_name(b, "awards");
    json_builder_begin_array(b);
    for (guint i = 0; i < report->awards->len; i++) {
        json_builder_begin_object(b);
        add_award_members(b, g_ptr_array_index(report->awards, i));
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    add_strings(b, "warnings", report->warnings);
    json_builder_end_object(b);
    return to_string(b, pretty);
}

char *hy_emit_jsonl(const HySource *source, const HyReport *report)
{
    g_return_val_if_fail(source != NULL && report != NULL, NULL);
    GString *out = g_string_new(NULL);
    for (guint i = 0; i < report->awards->len; i++) {
        g_autoptr(JsonBuilder) b = json_builder_new();
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "schema_version");
        json_builder_add_int_value(b, HY_SCHEMA_VERSION);
        add_source(b, source, report);
        json_builder_set_member_name(b, "index");
        json_builder_add_int_value(b, i);
        add_award_members(b, g_ptr_array_index(report->awards, i));
        json_builder_end_object(b);
        g_autofree char *line = to_string(b, FALSE);
        g_string_append(out, line);
    }
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
