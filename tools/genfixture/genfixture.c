/* genfixture.c -- hy_genfixture: draws a fixture PDF that looks like a page of the yearly
 * 自治体国際交流表彰(総務大臣賞) 受賞団体の概要 from a small line-based page description
 * (the format is documented in tools/README.md; the .page files in fixtures/pdf/ are examples).
 *
 * The fixtures exist to test the extractor and the segmenter, so the generator controls exactly
 * what makes the real reports hard to read: the order in which the parts of a page are drawn into
 * the content stream (which is the order a raw text extraction sees), Wingdings bullets that
 * extract as the private-use character U+F0B2, headings that are missing, awardees that run over
 * a page break, captions side by side. Layout and Japanese line wrapping are Pango's; the PDF is
 * cairo's (genfixture_cairo.c); the description is read by genfixture_parse.c. This file holds the
 * office producers' runs (LibreOffice, Chromium) and main(). */

#include <glib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "genfixture_private.h"

G_DEFINE_QUARK(hy - genfixture - error - quark, hy_genfixture_error)

/* ---- the office producers -------------------------------------------------------------------- */

/* Pages of a PDF written by LibreOffice or Chromium: their page objects' "/Type /Page" entries.
 * Neither writes object streams, so the dictionaries are plain text in the file. */
static guint pdf_page_count(const GByteArray *pdf)
{
    guint pages = 0;
    const char *data = (const char *)pdf->data;
    for (gsize i = 0; i + 10 < pdf->len; i++) {
        if (memcmp(data + i, "/Type", 5) != 0) continue;
        gsize j = i + 5;
        while (j < pdf->len && (data[j] == ' ' || data[j] == '\n' || data[j] == '\r')) j++;
        if (j + 6 <= pdf->len && memcmp(data + j, "/Page", 5) == 0 && !g_ascii_isalnum(data[j + 5])) pages++;
    }
    return pages;
}

static void remove_tree(const char *path)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
        g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
        for (const char *name; dir != NULL && (name = g_dir_read_name(dir)) != NULL;) {
            g_autofree char *child = g_build_filename(path, name, NULL);
            remove_tree(child);
        }
    }
    (void)g_remove(path);
}

#define PRODUCER_TIMEOUT "120"

/* Runs @argv under coreutils' timeout (PRODUCER_TIMEOUT seconds, then SIGKILL 10 s later). */
static gboolean run_producer(const char *const *argv, GError **error)
{
    g_autofree char *program = g_find_program_in_path(argv[0]);
    if (program == NULL) {
        g_set_error(error, HY_GENFIXTURE_ERROR, HY_GENFIXTURE_ERROR_PRODUCER, "%s is not installed (%s)", argv[0],
                    strcmp(argv[0], "soffice") == 0 ? "Debian: libreoffice-writer-nogui" : "Debian: chromium");
        return FALSE;
    }
    g_autoptr(GPtrArray) command = g_ptr_array_new();
    g_ptr_array_add(command, "timeout");
    g_ptr_array_add(command, "--kill-after=10");
    g_ptr_array_add(command, PRODUCER_TIMEOUT);
    for (guint i = 0; argv[i] != NULL; i++) g_ptr_array_add(command, (char *)argv[i]);
    g_ptr_array_add(command, NULL);
    g_autofree char *out = NULL, *err = NULL;
    int status = 0;
    if (!g_spawn_sync(NULL, (char **)command->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                      error))
        return FALSE;
    if (g_spawn_check_wait_status(status, NULL)) return TRUE;
    gboolean timed_out = WIFEXITED(status) && (WEXITSTATUS(status) == 124 || WEXITSTATUS(status) == 137);
    g_set_error(error, HY_GENFIXTURE_ERROR, HY_GENFIXTURE_ERROR_PRODUCER, "%s %s: %s", argv[0],
                timed_out ? "timed out after " PRODUCER_TIMEOUT " s" : "failed", err != NULL ? g_strstrip(err) : "");
    return FALSE;
}

/* Renders @doc with soffice or chromium in the private folder @tmp; returns the PDF. */
static GByteArray *render_external(const Doc *doc, const char *producer, const HyShrink *shrink, const char *tmp,
                                   GError **error)
{
    g_autofree char *pdf_path = NULL;
    if (strcmp(producer, "libreoffice") == 0) {
        g_autofree char *fodt = g_build_filename(tmp, "fixture.fodt", NULL);
        if (!hy_genfixture__write_odf(doc, shrink, fodt, error)) return NULL;
        /* A private profile: parallel runs and a user's own LibreOffice do not collide. */
        g_autofree char *profile_dir = g_build_filename(tmp, "lo-profile", NULL);
        g_autofree char *profile_uri = g_filename_to_uri(profile_dir, NULL, error);
        if (profile_uri == NULL) return NULL;
        g_autofree char *profile = g_strconcat("-env:UserInstallation=", profile_uri, NULL);
        const char *argv[] = {"soffice", profile, "--headless", "--norestore", "--convert-to", "pdf",
                              "--outdir", tmp, fodt, NULL};
        if (!run_producer(argv, error)) return NULL;
        pdf_path = g_build_filename(tmp, "fixture.pdf", NULL);
    } else {
        g_autofree char *html = g_build_filename(tmp, "fixture.html", NULL);
        if (!hy_genfixture__write_html(doc, shrink, html, error)) return NULL;
        g_autofree char *uri = g_filename_to_uri(html, NULL, error);
        if (uri == NULL) return NULL;
        pdf_path = g_build_filename(tmp, "fixture.pdf", NULL);
        g_autofree char *print = g_strconcat("--print-to-pdf=", pdf_path, NULL);
        g_autofree char *profile_dir = g_build_filename(tmp, "chromium-profile", NULL);
        g_autofree char *profile = g_strconcat("--user-data-dir=", profile_dir, NULL);
        const char *argv[] = {"chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                              "--no-first-run", profile, print, uri, NULL};
        if (!run_producer(argv, error)) return NULL;
    }
    g_autofree char *data = NULL;
    gsize length = 0;
    if (!g_file_get_contents(pdf_path, &data, &length, NULL)) {
        g_set_error(error, HY_GENFIXTURE_ERROR, HY_GENFIXTURE_ERROR_PRODUCER, "%s wrote no PDF", producer);
        return NULL;
    }
    g_remove(pdf_path);
    return g_byte_array_new_take((guint8 *)g_steal_pointer(&data), length);
}

/* The description's pages must stay the PDF's pages: when a producer's fonts or spacing make
 * content run onto an extra page, render again with smaller photos, then smaller fonts. */
static GByteArray *doc_render_external(const Doc *doc, const char *producer, GError **error)
{
    g_autofree char *tmp = g_dir_make_tmp("hy_genfixture-XXXXXX", error);
    if (tmp == NULL) return NULL;
    HyShrink shrink = {.photo = 1.0, .font = 1.0};
    GByteArray *pdf = NULL;
    for (guint attempt = 0;; attempt++) {
        pdf = render_external(doc, producer, &shrink, tmp, error);
        if (pdf == NULL) break;
        guint pages = pdf_page_count(pdf);
        if (pages == doc->pages->len) {
            if (attempt > 0)
                fprintf(stderr, "hy_genfixture: %s: %s: photos at %.0f%%, fonts at %.0f%% to keep %u pages\n",
                        doc->path, producer, shrink.photo * 100, shrink.font * 100, pages);
            break;
        }
        if (pages < doc->pages->len || attempt == 9) {
            g_set_error(error, HY_GENFIXTURE_ERROR, HY_GENFIXTURE_ERROR_LAYOUT,
                        "%s: %s gives %u pages where the description has %u (photos at %.0f%%, fonts at %.0f%%)",
                        doc->path, producer, pages, doc->pages->len, shrink.photo * 100, shrink.font * 100);
            g_clear_pointer(&pdf, g_byte_array_unref);
            break;
        }
        g_clear_pointer(&pdf, g_byte_array_unref);
        if (attempt < 6) shrink.photo *= 0.9; /* down to 53 % */
        else shrink.font *= 0.95;              /* then down to 86 % */
    }
    remove_tree(tmp);
    return pdf;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    g_autofree char *producer = NULL;
    const GOptionEntry entries[] = {
        {"producer", 'p', 0, G_OPTION_ARG_STRING, &producer,
         "Who makes the PDF: cairo (default, drawn directly), libreoffice (an ODF document converted by soffice) "
         "or chromium (HTML printed by headless Chromium)",
         "NAME"},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) context = g_option_context_new("DESCRIPTION.page OUTPUT.pdf");
    g_option_context_set_summary(context,
                                 "Draw a fixture PDF in the layout of the 自治体国際交流表彰 award reports\n"
                                 "from a page description (format: tools/README.md).");
    g_option_context_add_main_entries(context, entries, NULL);
    g_autoptr(GError) error = NULL;
    if (!g_option_context_parse(context, &argc, &argv, &error) || argc != 3) {
        fprintf(stderr, "hy_genfixture: %s\nsee 'hy_genfixture --help'\n",
                error != NULL ? error->message : "expected DESCRIPTION.page OUTPUT.pdf");
        return 2;
    }
    if (producer == NULL) producer = g_strdup("cairo");
    if (strcmp(producer, "cairo") != 0 && strcmp(producer, "libreoffice") != 0 && strcmp(producer, "chromium") != 0) {
        fprintf(stderr, "hy_genfixture: --producer takes cairo, libreoffice or chromium, not '%s'\n", producer);
        return 2;
    }
    g_autoptr(Doc) doc = hy_genfixture__doc_load(argv[1], &error);
    g_autoptr(GByteArray) pdf = NULL;
    if (doc != NULL)
        pdf = strcmp(producer, "cairo") == 0 ? hy_genfixture__render_cairo(doc, &error) : doc_render_external(doc, producer, &error);
    /* g_file_set_contents writes a temporary file and renames it: no half-written fixture. */
    if (pdf == NULL || !g_file_set_contents(argv[2], (const char *)pdf->data, (gssize)pdf->len, &error)) {
        fprintf(stderr, "hy_genfixture: %s\n", error->message);
        /* A missing or failing producer is the environment, not the description. */
        return g_error_matches(error, HY_GENFIXTURE_ERROR, HY_GENFIXTURE_ERROR_PRODUCER) ? 3 : 1;
    }
    return 0;
}
