/* emit_read.c -- a v1 document (output-v1.md) read back into HySource fields and a
 * HyReport, so that records another hyosho process produced (a `hyosho batch` worker)
 * reach the database through the one writer, hy_sqlite_write_document(). Strict about
 * what the contract requires (every member, its type, null only where allowed; only the
 * members added later may be missing, in documents older hyoshos wrote); members
 * it does not know are ignored, as the contract allows extra fields. */
#include "hy_emit.h"

#include <string.h>

#include <json-glib/json-glib.h>

/* The report's arrays own their elements, as segment's do; hy_report_free() only unrefs
 * the arrays, so these free functions travel with them. */
static gboolean fail(GError **error, const char *where, const char *name, const char *what)
{
    g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_PARSE, "%s%s: %s", where, name, what);
    return FALSE;
}

/* The member @name of @o, or NULL with an error when it is missing. @where prefixes the
 * member's path in messages ("awards[2].contact."). */
static JsonNode *member(JsonObject *o, const char *where, const char *name, GError **error)
{
    JsonNode *node = json_object_get_member(o, name);
    if (node == NULL) fail(error, where, name, "missing");
    return node;
}

static gboolean read_string(JsonObject *o, const char *where, const char *name, gboolean nullable, char **out,
                            GError **error)
{
    JsonNode *node = member(o, where, name, error);
    if (node == NULL) return FALSE;
    if (nullable && JSON_NODE_HOLDS_NULL(node)) {
        *out = NULL;
        return TRUE;
    }
    if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING)
        return fail(error, where, name, nullable ? "expected a string or null" : "expected a string");
    *out = g_strdup(json_node_get_string(node));
    return TRUE;
}

/* The members added to the contract after its first documents (source.date,
 * source.listed_awardees, awards[].category): a document an older hyosho wrote lacks
 * them and still reads, as null or empty; when present they are checked like the rest. */
static gboolean read_added_string(JsonObject *o, const char *where, const char *name, char **out,
                                  GError **error)
{
    *out = NULL;
    return !json_object_has_member(o, name) || read_string(o, where, name, TRUE, out, error);
}

/* An integer member; null reads as 0 when @nullable (edition and year: 0 = unknown). */
static gboolean read_int(JsonObject *o, const char *where, const char *name, gboolean nullable, int *out,
                         GError **error)
{
    JsonNode *node = member(o, where, name, error);
    if (node == NULL) return FALSE;
    if (nullable && JSON_NODE_HOLDS_NULL(node)) {
        *out = 0;
        return TRUE;
    }
    if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_INT64)
        return fail(error, where, name, nullable ? "expected an integer or null" : "expected an integer");
    gint64 value = json_node_get_int(node);
    if (value < G_MININT || value > G_MAXINT) return fail(error, where, name, "integer out of range");
    *out = (int)value;
    return TRUE;
}

static JsonObject *read_object(JsonObject *o, const char *where, const char *name, GError **error)
{
    JsonNode *node = member(o, where, name, error);
    if (node == NULL) return NULL;
    if (!JSON_NODE_HOLDS_OBJECT(node)) {
        fail(error, where, name, "expected an object");
        return NULL;
    }
    return json_node_get_object(node);
}

static JsonArray *read_array(JsonObject *o, const char *where, const char *name, GError **error)
{
    JsonNode *node = member(o, where, name, error);
    if (node == NULL) return NULL;
    if (!JSON_NODE_HOLDS_ARRAY(node)) {
        fail(error, where, name, "expected an array");
        return NULL;
    }
    return json_node_get_array(node);
}

/* An array of strings into @strings (which owns them). */
static gboolean read_strings(JsonObject *o, const char *where, const char *name, GPtrArray *strings,
                             GError **error)
{
    JsonArray *array = read_array(o, where, name, error);
    if (array == NULL) return FALSE;
    for (guint i = 0; i < json_array_get_length(array); i++) {
        JsonNode *node = json_array_get_element(array, i);
        if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING) {
            g_autofree char *at = g_strdup_printf("%s[%u]", name, i);
            return fail(error, where, at, "expected a string");
        }
        g_ptr_array_add(strings, g_strdup(json_node_get_string(node)));
    }
    return TRUE;
}

static gboolean read_added_strings(JsonObject *o, const char *where, const char *name, GPtrArray *strings,
                                   GError **error)
{
    return !json_object_has_member(o, name) || read_strings(o, where, name, strings, error);
}

/* source.date: ISO 8601 YYYY-MM-DD or null, as the contract and the database expect. */
static gboolean read_date(JsonObject *o, char **out, GError **error)
{
    if (!read_added_string(o, "source.", "date", out, error)) return FALSE;
    const char *d = *out;
    if (d == NULL) return TRUE;
    gboolean ok = strlen(d) == 10 && d[4] == '-' && d[7] == '-';
    for (int i = 0; ok && i < 10; i++) ok = i == 4 || i == 7 || g_ascii_isdigit(d[i]);
    return ok || fail(error, "source.", "date", "expected a date YYYY-MM-DD or null");
}

static gboolean read_kind(JsonObject *o, const char *where, HyAwardeeKind *out, GError **error)
{
    g_autofree char *name = NULL;
    if (!read_string(o, where, "kind", FALSE, &name, error)) return FALSE;
    static const HyAwardeeKind kinds[] = {HY_KIND_PREFECTURE, HY_KIND_MUNICIPALITY, HY_KIND_ORGANIZATION};
    for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
        if (g_strcmp0(name, hy_awardee_kind_name(kinds[i])) == 0) {
            *out = kinds[i];
            return TRUE;
        }
    }
    return fail(error, where, "kind", "expected \"prefecture\", \"municipality\" or \"organization\"");
}

static gboolean read_awardee(JsonObject *award, const char *where, HyAwardee *who, GError **error)
{
    JsonObject *o = read_object(award, where, "awardee", error);
    if (o == NULL) return FALSE;
    g_autofree char *at = g_strconcat(where, "awardee.", NULL);
    JsonNode *inferred = member(o, at, "inferred", error);
    if (inferred == NULL) return FALSE;
    if (!JSON_NODE_HOLDS_VALUE(inferred) || json_node_get_value_type(inferred) != G_TYPE_BOOLEAN)
        return fail(error, at, "inferred", "expected true or false");
    who->inferred = json_node_get_boolean(inferred);
    return read_string(o, at, "name", FALSE, &who->name, error) && read_kind(o, at, &who->kind, error) &&
           read_string(o, at, "prefecture", TRUE, &who->prefecture, error) &&
           read_string(o, at, "lg_code", TRUE, &who->lg_code, error);
}

static gboolean read_partners(JsonObject *award, const char *where, GPtrArray *partners, GError **error)
{
    JsonArray *array = read_array(award, where, "partners", error);
    if (array == NULL) return FALSE;
    for (guint i = 0; i < json_array_get_length(array); i++) {
        g_autofree char *at = g_strdup_printf("%spartners[%u]", where, i);
        JsonNode *node = json_array_get_element(array, i);
        if (!JSON_NODE_HOLDS_OBJECT(node)) return fail(error, at, "", "expected an object");
        JsonObject *o = json_node_get_object(node);
        HyPartner *partner = hy_partner_new(NULL, NULL, NULL);
        g_ptr_array_add(partners, partner); /* freed with the array, also half-read */
        g_autofree char *inside = g_strconcat(at, ".", NULL);
        if (!read_string(o, inside, "name", FALSE, &partner->name, error) ||
            !read_string(o, inside, "country", TRUE, &partner->country, error) ||
            !read_string(o, inside, "country_code", TRUE, &partner->country_code, error))
            return FALSE;
    }
    return TRUE;
}

static gboolean read_contact(JsonObject *award, const char *where, HyContact *c, GError **error)
{
    JsonObject *o = read_object(award, where, "contact", error);
    if (o == NULL) return FALSE;
    g_autofree char *at = g_strconcat(where, "contact.", NULL);
    for (guint i = 0; i < HY_CONTACT_N_FIELDS; i++) {
        const HyContactField *field = &hy_contact_fields[i];
        if (!read_string(o, at, field->name, TRUE, hy_contact_slot(c, field), error)) return FALSE;
    }
    return TRUE;
}

static gboolean read_pages(JsonObject *award, const char *where, GArray *pages, GError **error)
{
    JsonArray *array = read_array(award, where, "pages", error);
    if (array == NULL) return FALSE;
    for (guint i = 0; i < json_array_get_length(array); i++) {
        JsonNode *node = json_array_get_element(array, i);
        if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_INT64) {
            g_autofree char *at = g_strdup_printf("pages[%u]", i);
            return fail(error, where, at, "expected an integer");
        }
        int page = (int)json_node_get_int(node);
        g_array_append_val(pages, page);
    }
    return TRUE;
}

static HyAward *read_award(JsonNode *node, guint index, GError **error)
{
    g_autofree char *where = g_strdup_printf("awards[%u].", index);
    if (!JSON_NODE_HOLDS_OBJECT(node)) {
        g_autofree char *at = g_strdup_printf("awards[%u]", index);
        fail(error, "", at, "expected an object");
        return NULL;
    }
    JsonObject *o = json_node_get_object(node);
    HyAward *award = hy_award_new();
    if (!read_awardee(o, where, &award->awardee, error) ||
        !read_added_string(o, where, "category", &award->category, error) ||
        !read_partners(o, where, award->partners, error) ||
        !read_strings(o, where, "evaluations", award->evaluations, error) ||
        !read_contact(o, where, &award->contact, error) ||
        !read_strings(o, where, "captions", award->captions, error) ||
        !read_pages(o, where, award->pages, error) ||
        !read_strings(o, where, "warnings", award->warnings, error)) {
        hy_award_free(award);
        return NULL;
    }
    return award;
}

void hy_emit_document_free(HyEmitDocument *doc)
{
    if (doc == NULL) return;
    /* The const of HySource is for its borrowers; these three strings are ours. */
    g_free((char *)doc->source.path);
    g_free((char *)doc->source.sha256);
    g_free((char *)doc->source.format);
    hy_report_free(doc->report);
    g_free(doc);
}

static gboolean read_source(JsonObject *root, HyEmitDocument *doc, GError **error)
{
    JsonObject *o = read_object(root, "", "source", error);
    if (o == NULL) return FALSE;
    char *path = NULL, *sha256 = NULL, *format = NULL;
    gboolean ok = read_string(o, "source.", "path", FALSE, &path, error);
    doc->source.path = path;
    ok = ok && read_string(o, "source.", "sha256", FALSE, &sha256, error);
    doc->source.sha256 = sha256;
    ok = ok && read_string(o, "source.", "format", FALSE, &format, error);
    doc->source.format = format;
    if (ok && g_strcmp0(format, "pdf") != 0 && g_strcmp0(format, "text") != 0)
        ok = fail(error, "source.", "format", "expected \"pdf\" or \"text\"");
    HyReport *report = doc->report;
    return ok && read_int(o, "source.", "pages", FALSE, &doc->source.pages, error) &&
           read_string(o, "source.", "title", TRUE, &report->title, error) &&
           read_int(o, "source.", "edition", TRUE, &report->edition, error) &&
           read_int(o, "source.", "year", TRUE, &report->year, error) && read_date(o, &report->date, error) &&
           read_added_strings(o, "source.", "listed_awardees", report->listed_awardees, error);
}

HyEmitDocument *hy_emit_read_json(const char *json, gssize len, GError **error)
{
    g_return_val_if_fail(json != NULL, NULL);
    g_autoptr(JsonParser) parser = json_parser_new_immutable();
    g_autoptr(GError) parse_error = NULL;
    if (!json_parser_load_from_data(parser, json, len, &parse_error)) {
        g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_PARSE, "not JSON: %s", parse_error->message);
        return NULL;
    }
    JsonNode *root_node = json_parser_get_root(parser);
    if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT(root_node)) {
        g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_PARSE,
                    "not a hyosho document: expected a JSON object");
        return NULL;
    }
    JsonObject *root = json_node_get_object(root_node);
    int version = 0;
    if (!read_int(root, "", "schema_version", FALSE, &version, error)) return NULL;
    if (version != HY_SCHEMA_VERSION) {
        g_set_error(error, HY_EMIT_ERROR, HY_EMIT_ERROR_PARSE, "schema_version %d, this hyosho reads %d",
                    version, HY_SCHEMA_VERSION);
        return NULL;
    }

    g_autoptr(HyEmitDocument) doc = g_new0(HyEmitDocument, 1);
    doc->report = hy_report_new();
    if (!read_source(root, doc, error)) return NULL;
    JsonArray *awards = read_array(root, "", "awards", error);
    if (awards == NULL) return NULL;
    for (guint i = 0; i < json_array_get_length(awards); i++) {
        HyAward *award = read_award(json_array_get_element(awards, i), i, error);
        if (award == NULL) return NULL;
        g_ptr_array_add(doc->report->awards, award);
    }
    if (!read_strings(root, "", "warnings", doc->report->warnings, error)) return NULL;
    return g_steal_pointer(&doc);
}
