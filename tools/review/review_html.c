/* review_html.c -- the HTML of `hyosho review`: a document's page (its pages as images,
 * or its text lines, with a box round every line coloured by the field it went into,
 * beside its awards as a form) and the index of a review. Static files: no server, no
 * network, no framework. Without JavaScript the images, boxes and values are all there,
 * and boxes and values link to each other; the small script adds highlighting both ways.
 * Every text from a document or a file name goes through g_markup_escape_text(). */
#include "review_private.h"
#include "hy_version.h"

#include <string.h>

/* A field path's colour, named for the class f-NAME: the heading, partners, evaluations,
 * captions and each contact field (by its name in hy_contact_fields) its own. */
static const char *field_colour(const char *path)
{
    if (g_str_has_prefix(path, "awardee.")) return "heading";
    if (g_str_has_prefix(path, "partners[")) return "partner";
    if (g_str_has_prefix(path, "evaluations[")) return "evaluation";
    if (g_str_has_prefix(path, "captions[")) return "caption";
    const HyContactField *field =
        g_str_has_prefix(path, "contact.") ? hy_contact_field_named(path + strlen("contact.")) : NULL;
    return field != NULL ? field->name : "other";
}

/* Trace fields of lines that are structure, not content: shown faint, never red. */
static gboolean structural(const char *field)
{
    static const char *const kinds[] = {"title", "noise", "marker", "date", "category", "section", "label",
                                        "cover", "listed_awardee", "programme", "past_awardees", "contact",
                                        "heading", "partner"};
    for (guint i = 0; field != NULL && i < G_N_ELEMENTS(kinds); i++)
        if (strcmp(field, kinds[i]) == 0) return TRUE;
    return FALSE;
}

static void append_escaped(GString *out, const char *text)
{
    g_autofree char *escaped = g_markup_escape_text(text != NULL ? text : "", -1);
    g_string_append(out, escaped);
}

/* "a/evaluations[2]" -> "v-a-evaluations-2": an id of letters, digits and '-'. */
static char *value_id(guint award, const char *path)
{
    GString *id = g_string_new(NULL);
    g_string_append_printf(id, "v-%u-", award);
    for (const char *p = path; *p != '\0'; p++)
        if (g_ascii_isalnum(*p) || *p == '_') g_string_append_c(id, *p);
        else if (*p == '.' || *p == '[') g_string_append_c(id, '-');
    return g_string_free(id, FALSE);
}

static const char style[] =
    "body{font-family:sans-serif;margin:0;color:#222}header{padding:.5em 1em;background:#f4f4f4;"
    "border-bottom:1px solid #ccc}main{display:flex;gap:1em;align-items:flex-start}"
    ".pages{flex:3;padding:1em;min-width:0}.awards{flex:2;padding:1em;position:sticky;top:0;"
    "max-height:100vh;overflow:auto}figure.page{position:relative;margin:0 0 1em;border:1px solid #999;"
    "max-width:900px}figure.page img{display:block;width:100%;height:auto}"
    ".box{position:absolute;display:block;border:1.5px solid;opacity:.8;box-sizing:border-box}"
    ".box.lit,.value.lit{outline:3px solid #000;background:rgba(255,230,0,.35);opacity:1}"
    ".textpage{border:1px solid #999;margin:0 0 1em;padding:.5em;font-size:90%}"
    ".tline{position:static;display:block;border-width:0 0 0 6px;padding-left:.4em;white-space:pre-wrap}"
    ".ln{color:#888;display:inline-block;width:3.5em}dl{margin:0}dt{font-size:80%;color:#555;margin-top:.4em}"
    "dd{margin:0 0 0 1em;border-left:6px solid;padding-left:.4em}dd.empty{color:#999;border-color:#ddd}"
    ".warnings{color:#a00}.f-heading{border-color:#1f77b4}.f-partner{border-color:#17becf}"
    ".f-evaluation{border-color:#2ca02c}.f-caption{border-color:#9467bd}.f-department{border-color:#8c564b}"
    ".f-postal_code{border-color:#e377c2}.f-address{border-color:#bcbd22}.f-tel{border-color:#ff7f0e}"
    ".f-fax{border-color:#d4a017}.f-email{border-color:#0b5394}.f-url{border-color:#6aa84f}"
    ".f-other{border-color:#555}.f-none{border-color:#d62728;border-style:dashed}"
    ".f-structure{border-color:#ccc;opacity:.35}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}td.failed{color:#a00}"
    ".legend span{display:inline-block;border-left:6px solid;padding:0 .4em;margin-right:.4em}";

/* Highlighting both ways, and with #selftest a check of the page that a test reads back
 * from the DOM (data-selftest on <body>). */
static const char script[] =
    "(function(){var m={};function ent(k){return m[k]||(m[k]={values:[],boxes:[]});}"
    "document.querySelectorAll('[data-key]').forEach(function(el){el.getAttribute('data-key').split(' ')"
    ".forEach(function(k){ent(k)[el.classList.contains('value')?'values':'boxes'].push(el);});});"
    "function light(keys,on,to){keys.split(' ').forEach(function(k){var e=m[k];if(!e)return;"
    "e.values.concat(e.boxes).forEach(function(x){x.classList.toggle('lit',on);});"
    "var t=to==='box'?e.boxes[0]:to==='value'?e.values[0]:null;if(on&&t)t.scrollIntoView({block:'nearest'});});}"
    "document.querySelectorAll('[data-key]').forEach(function(el){var to=el.classList.contains('value')?'box':'value';"
    "el.addEventListener('mouseenter',function(){light(el.getAttribute('data-key'),true,to);});"
    "el.addEventListener('mouseleave',function(){light(el.getAttribute('data-key'),false);});});"
    "if(location.hash!=='#selftest')return;var values=0,unboxed=[],boxes=0,outside=0,unlit=0;"
    "document.querySelectorAll('.value[data-key]:not([data-inferred])').forEach(function(v){values++;var e=m[v.getAttribute('data-key')];"
    "if(!e||!e.boxes.length){unboxed.push(v.getAttribute('data-key'));return;}"
    "v.dispatchEvent(new MouseEvent('mouseenter'));if(!e.boxes.every(function(b){return b.classList.contains('lit');}))unlit++;"
    "v.dispatchEvent(new MouseEvent('mouseleave'));});"
    "document.querySelectorAll('figure.page').forEach(function(f){var img=f.querySelector('img');"
    "if(!img)return;var r=img.getBoundingClientRect();f.querySelectorAll('.box').forEach(function(b){boxes++;"
    "var q=b.getBoundingClientRect();if(q.left<r.left-1||q.top<r.top-1||q.right>r.right+1||q.bottom>r.bottom+1)outside++;});});"
    "document.body.setAttribute('data-selftest','values='+values+' boxes='+boxes+' outside='+outside+"
    "' unlit='+unlit+' unboxed='+unboxed.join(','));})();";

static void page_head(GString *out, const char *title)
{
    g_string_append(out, "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n"
                         "<meta name=\"generator\" content=\"hyosho " HY_VERSION "\">\n<title>");
    append_escaped(out, title);
    g_string_append_printf(out, "</title>\n<style>%s</style>\n</head>\n", style);
}

static void free_list(gpointer list)
{
    g_string_free(list, TRUE);
}

/* line number -> the keys ("award/path") of the fields it went into, space-separated. */
static GHashTable *keys_by_line(const HyReport *report)
{
    GHashTable *keys = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, free_list);
    for (guint a = 0; a < report->awards->len; a++) {
        const HyAward *award = g_ptr_array_index(report->awards, a);
        for (guint s = 0; award->provenance != NULL && s < award->provenance->len; s++) {
            const HyFieldSource *source = g_ptr_array_index(award->provenance, s);
            for (guint b = 0; b < source->boxes->len; b++) {
                int line = g_array_index(source->boxes, HyProvenanceBox, b).line;
                GString *list = g_hash_table_lookup(keys, GINT_TO_POINTER(line));
                if (list == NULL) g_hash_table_insert(keys, GINT_TO_POINTER(line), list = g_string_new(NULL));
                g_string_append_printf(list, "%s%u/%s", list->len > 0 ? " " : "", a, source->path);
            }
        }
    }
    return keys;
}

/* The class and the link of one line's box: the first field it went into, else red when
 * it went into no field, faint when it is structure. */
static void line_attributes(GString *out, const HyLineTrace *t, const char *keys, const char *kind)
{
    if (keys != NULL) {
        g_autofree char *first = g_strndup(keys, strcspn(keys, " "));
        const char *path = strchr(first, '/') + 1;
        g_autofree char *id = value_id((guint)g_ascii_strtoull(first, NULL, 10), path);
        g_string_append_printf(out, " class=\"%s f-%s\" data-key=\"", kind, field_colour(path));
        append_escaped(out, keys);
        g_string_append_printf(out, "\" href=\"#%s\" title=\"", id);
        append_escaped(out, keys);
        g_string_append(out, "\"");
    } else {
        gboolean faint = structural(t->field);
        g_string_append_printf(out, " class=\"%s %s\" title=\"", kind, faint ? "f-structure" : "f-none");
        append_escaped(out, faint ? t->field : "in no field");
        g_string_append(out, "\"");
    }
}

static void write_pdf_pages(GString *out, const HyReviewDocument *doc, GHashTable *keys)
{
    const HyConversion *c = doc->conversion;
    guint next = 0;
    for (guint p = 0; p < doc->pages->len; p++) {
        const HyReviewPage *page = &g_array_index(doc->pages, HyReviewPage, p);
        g_string_append_printf(out, "<figure class=\"page\" id=\"page-%u\">", p + 1);
        if (page->image) {
            g_string_append_printf(out, "<img src=\"%s/page-%u.png\" alt=\"page %u\" width=\"%d\" height=\"%d\">",
                                   doc->name, p + 1, p + 1, (int)(page->width * HY_REVIEW_DPI / 72 + 0.5),
                                   (int)(page->height * HY_REVIEW_DPI / 72 + 0.5));
        } else {
            g_string_append_printf(out, "<figcaption>page %u: no image</figcaption>", p + 1);
        }
        for (; next < c->trace->len; next++) {
            const HyLineTrace *t = &g_array_index(c->trace, HyLineTrace, next);
            if (t->line->page > (int)p + 1) break;
            const HyLine *line = t->line;
            if (!page->image || t->line->page != (int)p + 1 || line->box_bottom <= line->box_top ||
                page->width <= 0 || page->height <= 0)
                continue;
            const GString *line_keys = g_hash_table_lookup(keys, GINT_TO_POINTER(line->number));
            g_string_append(out, "<a");
            line_attributes(out, t, line_keys != NULL ? line_keys->str : NULL, "box");
            char l[G_ASCII_DTOSTR_BUF_SIZE], tp[G_ASCII_DTOSTR_BUF_SIZE], w[G_ASCII_DTOSTR_BUF_SIZE],
                h[G_ASCII_DTOSTR_BUF_SIZE];
            g_string_append_printf(
                out, " style=\"left:%s%%;top:%s%%;width:%s%%;height:%s%%\"></a>",
                g_ascii_formatd(l, sizeof l, "%.3f", 100 * line->x / page->width),
                g_ascii_formatd(tp, sizeof tp, "%.3f", 100 * line->box_top / page->height),
                g_ascii_formatd(w, sizeof w, "%.3f", 100 * (line->box_right - line->x) / page->width),
                g_ascii_formatd(h, sizeof h, "%.3f", 100 * (line->box_bottom - line->box_top) / page->height));
        }
        g_string_append(out, "</figure>\n");
    }
}

static void write_text_pages(GString *out, const HyReviewDocument *doc, GHashTable *keys)
{
    const HyConversion *c = doc->conversion;
    int page = 0;
    for (guint i = 0; i < c->trace->len; i++) {
        const HyLineTrace *t = &g_array_index(c->trace, HyLineTrace, i);
        if (t->line->page != page) {
            if (page != 0) g_string_append(out, "</div>\n");
            page = t->line->page;
            g_string_append_printf(out, "<div class=\"textpage\" id=\"page-%d\">", page);
        }
        GString *line_keys = g_hash_table_lookup(keys, GINT_TO_POINTER(t->line->number));
        g_string_append(out, "<a");
        line_attributes(out, t, line_keys != NULL ? line_keys->str : NULL, "box tline");
        g_string_append_printf(out, " id=\"line-%d\"><span class=\"ln\">%d</span>", t->line->number, t->line->number);
        append_escaped(out, t->line->text);
        g_string_append(out, "</a>");
    }
    if (page != 0) g_string_append(out, "</div>\n");
}

static void write_value(GString *out, guint a, const char *path, const char *value, const HyAward *award)
{
    /* An awardee inferred from the contact block was read from no line of its own. */
    gboolean inferred = award->awardee.inferred && strcmp(path, "awardee.name") == 0;
    g_string_append(out, "<dt>");
    append_escaped(out, path);
    g_string_append(out, "</dt>");
    if (value == NULL) {
        g_string_append(out, "<dd class=\"empty\">null</dd>");
        return;
    }
    g_autofree char *id = value_id(a, path);
    int page = 0;
    for (guint s = 0; award->provenance != NULL && s < award->provenance->len; s++) {
        const HyFieldSource *source = g_ptr_array_index(award->provenance, s);
        if (strcmp(source->path, path) == 0 && source->boxes->len > 0)
            page = g_array_index(source->boxes, HyProvenanceBox, 0).page;
    }
    g_string_append_printf(out, "<dd class=\"value f-%s\" id=\"%s\"%s data-key=\"%u/", field_colour(path), id,
                           inferred ? " data-inferred=\"true\"" : "", a);
    append_escaped(out, path);
    g_string_append(out, "\">");
    if (page > 0) g_string_append_printf(out, "<a href=\"#page-%d\">", page);
    append_escaped(out, value);
    if (page > 0) g_string_append(out, "</a>");
    g_string_append(out, "</dd>");
}

static void write_warnings(GString *out, const GPtrArray *warnings)
{
    if (warnings->len == 0) return;
    g_string_append(out, "<ul class=\"warnings\">");
    for (guint i = 0; i < warnings->len; i++) {
        g_string_append(out, "<li>");
        append_escaped(out, g_ptr_array_index(warnings, i));
        g_string_append(out, "</li>");
    }
    g_string_append(out, "</ul>");
}

static void write_award(GString *out, guint a, const HyAward *award)
{
    g_string_append_printf(out, "<article class=\"award\" id=\"award-%u\"><h2>#%u ", a, a + 1);
    append_escaped(out, award->awardee.name);
    g_string_append(out, "</h2>");
    write_warnings(out, award->warnings);
    g_string_append(out, "<dl>");
    write_value(out, a, "awardee.name", award->awardee.name, award);
    g_string_append(out, "<dt>awardee.kind, prefecture, lg_code</dt><dd>");
    append_escaped(out, award->awardee.kind == HY_KIND_PREFECTURE     ? "prefecture"
                        : award->awardee.kind == HY_KIND_MUNICIPALITY ? "municipality"
                                                                      : "organization");
    g_string_append(out, ", ");
    append_escaped(out, award->awardee.prefecture != NULL ? award->awardee.prefecture : "null");
    g_string_append(out, ", ");
    append_escaped(out, award->awardee.lg_code != NULL ? award->awardee.lg_code : "null");
    g_string_append(out, award->awardee.inferred ? " (inferred)</dd>" : "</dd>");
    g_string_append(out, "<dt>category</dt><dd>");
    append_escaped(out, award->category != NULL ? award->category : "null");
    g_string_append(out, "</dd>");
    for (guint i = 0; i < award->partners->len; i++) {
        const HyPartner *partner = g_ptr_array_index(award->partners, i);
        g_autofree char *path = g_strdup_printf("partners[%u]", i);
        g_autofree char *text = g_strdup_printf("%s (%s, %s)", partner->name,
                                                partner->country != NULL ? partner->country : "null",
                                                partner->country_code != NULL ? partner->country_code : "null");
        write_value(out, a, path, text, award);
    }
    for (guint i = 0; i < award->evaluations->len; i++) {
        g_autofree char *path = g_strdup_printf("evaluations[%u]", i);
        write_value(out, a, path, g_ptr_array_index(award->evaluations, i), award);
    }
    for (guint i = 0; i < award->captions->len; i++) {
        g_autofree char *path = g_strdup_printf("captions[%u]", i);
        write_value(out, a, path, g_ptr_array_index(award->captions, i), award);
    }
    for (guint f = 0; f < HY_CONTACT_N_FIELDS; f++) {
        g_autofree char *path = g_strconcat("contact.", hy_contact_fields[f].name, NULL);
        write_value(out, a, path, hy_contact_value(&award->contact, &hy_contact_fields[f]), award);
    }
    g_string_append(out, "</dl></article>\n");
}

char *hy_review_document_html(const HyReviewDocument *doc)
{
    GString *out = g_string_new(NULL);
    g_autofree char *title = g_strdup_printf("hyosho review: %s", doc->input);
    page_head(out, title);
    const HyReport *report = doc->conversion->report;
    g_string_append(out, "<body>\n<header><h1>");
    append_escaped(out, doc->input);
    g_string_append_printf(out, "</h1><p>%u award%s, year %d. <a href=\"index.html\">All documents</a> · "
                                "<a href=\"%s.json\">JSON</a></p><p class=\"legend\">",
                           report->awards->len, report->awards->len == 1 ? "" : "s", report->year, doc->name);
    static const char *const parts[] = {"heading", "partner", "evaluation", "caption"};
    for (guint i = 0; i < G_N_ELEMENTS(parts); i++)
        g_string_append_printf(out, "<span class=\"f-%s\">%s</span>", parts[i], parts[i]);
    for (guint f = 0; f < HY_CONTACT_N_FIELDS; f++)
        g_string_append_printf(out, "<span class=\"f-%s\">%s</span>", hy_contact_fields[f].name,
                               hy_contact_fields[f].label);
    g_string_append(out, "<span class=\"f-none\">in no field</span><span class=\"f-structure\">structure</span>");
    g_string_append(out, "</p>");
    write_warnings(out, report->warnings);
    g_string_append(out, "</header>\n<main>\n<section class=\"pages\">\n");
    g_autoptr(GHashTable) keys = keys_by_line(report);
    if (doc->pages != NULL) write_pdf_pages(out, doc, keys);
    else write_text_pages(out, doc, keys);
    g_string_append(out, "</section>\n<section class=\"awards\">\n");
    for (guint a = 0; a < report->awards->len; a++)
        write_award(out, a, g_ptr_array_index(report->awards, a));
    g_string_append_printf(out, "</section>\n</main>\n<script>%s</script>\n</body>\n</html>\n", script);
    return g_string_free(out, FALSE);
}

char *hy_review_index_html(const HyReviewDocument *docs, guint n_docs)
{
    GString *out = g_string_new(NULL);
    page_head(out, "hyosho review");
    g_string_append_printf(out, "<body>\n<header><h1>hyosho review</h1><p>%u document%s</p></header>\n<main>"
                                "<section class=\"pages\">\n<table>\n<thead><tr><th>file</th><th>year</th>"
                                "<th>awards</th><th>warnings</th><th>review</th></tr></thead>\n<tbody>\n",
                           n_docs, n_docs == 1 ? "" : "s");
    for (guint i = 0; i < n_docs; i++) {
        const HyReviewDocument *doc = &docs[i];
        const HyReport *report = doc->conversion != NULL ? doc->conversion->report
                                 : doc->summary != NULL   ? doc->summary->report
                                                          : NULL;
        g_string_append(out, "<tr><td>");
        append_escaped(out, doc->input);
        g_string_append(out, "</td>");
        if (report == NULL) {
            g_string_append(out, "<td colspan=\"4\" class=\"failed\">failed: ");
            append_escaped(out, doc->failure != NULL ? doc->failure : "no output");
            g_string_append(out, "</td></tr>\n");
            continue;
        }
        guint warnings = report->warnings->len;
        for (guint a = 0; a < report->awards->len; a++)
            warnings += ((const HyAward *)g_ptr_array_index(report->awards, a))->warnings->len;
        g_string_append(out, "<td>");
        if (report->year > 0) g_string_append_printf(out, "%d", report->year);
        g_string_append_printf(out, "</td><td>%u</td><td>%u</td><td><a href=\"%s.html\">review</a></td></tr>\n",
                               report->awards->len, warnings, doc->name);
    }
    g_string_append(out, "</tbody>\n</table>\n</section>\n</main>\n</body>\n</html>\n");
    return g_string_free(out, FALSE);
}
