/* review_files.c -- where a review's files go: a document's page, images and JSON in the
 * review folder, the index, and the names they have (shared by `hyosho review` and by a
 * batch's workers, which write their documents' pages while the batch writes the index). */
#include "review_private.h"

#include <string.h>

gboolean hy_review_foreign_folder(const char *folder)
{
    g_autofree char *index = g_build_filename(folder, "index.html", NULL);
    g_autofree char *text = NULL;
    if (!g_file_get_contents(index, &text, NULL, NULL)) return FALSE;
    return strstr(text, "<meta name=\"generator\" content=\"hyosho ") == NULL;
}

gboolean hy_review_prepare_folder(const char *folder, gboolean overwrite, GError **error)
{
    if (!hy_emit_prepare_folder(folder, error)) return FALSE;
    if (!overwrite && hy_review_foreign_folder(folder)) {
        g_set_error_literal(error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                            "its index.html is not a hyosho review; nothing was written (give another folder, "
                            "or --overwrite)");
        return FALSE;
    }
    return TRUE;
}

char *hy_review_name_for(const char *input)
{
    g_autofree char *digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256, input, -1);
    return g_strdup_printf("doc-%.12s", digest);
}

static gboolean write_text(const char *folder, const char *name, const char *text, GError **error)
{
    g_autofree char *path = g_build_filename(folder, name, NULL);
    if (hy_emit_write_file(path, text, strlen(text), error)) return TRUE;
    g_prefix_error(error, "%s: ", path);
    return FALSE;
}

gboolean hy_review_write_document(HyReviewDocument *doc, const char *folder, const HyPipelineOptions *options,
                                  GError **error)
{
    const HyConversion *conversion = doc->conversion;
    HySource source;
    hy_pipeline_source(conversion, &source);
    g_autofree char *json = hy_emit_json_threads(&source, conversion->report, TRUE, options->extract.threads);
    g_autofree char *json_name = g_strconcat(doc->name, ".json", NULL);
    if (!write_text(folder, json_name, json, error)) return FALSE;
    if (conversion->doc->format == HY_FORMAT_PDF) {
        g_autofree char *images = g_build_filename(folder, doc->name, NULL);
        if (g_mkdir_with_parents(images, 0777) != 0) {
            g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", images, g_strerror(errno));
            return FALSE;
        }
        /* Rendering is another path through poppler than extraction: as watched. */
        hy_cli_watch(conversion->doc->path, options);
        doc->pages = hy_review_render_pages(conversion->doc->path, options->extract.password, images, HY_REVIEW_DPI,
                                            options->extract.threads, error);
        hy_cli_unwatch();
        if (doc->pages == NULL) return FALSE;
    }
    g_autofree char *html = hy_review_document_html(doc);
    g_autofree char *html_name = g_strconcat(doc->name, ".html", NULL);
    return write_text(folder, html_name, html, error);
}

gboolean hy_review_write_index(const char *folder, const HyReviewDocument *docs, guint n_docs, GError **error)
{
    g_autofree char *index = hy_review_index_html(docs, n_docs);
    return write_text(folder, "index.html", index, error);
}
