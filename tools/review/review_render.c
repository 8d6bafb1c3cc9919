/* review_render.c -- the page images of `hyosho review`: every page of a PDF rendered by
 * poppler through cairo at the review's resolution and written as PNG, pages spread over
 * the cores (each thread with a PopplerDocument of its own: poppler's documents are not
 * thread-safe). PNG is written with libpng at zlib level 1 and no row filter: a page of
 * text compresses about as well as at the default level, at a fraction of the time, and
 * compression is most of the cost of a page (tools/bench measures it against pdftoppm). */
#include "review_private.h"

#include <cairo.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <png.h>
#include <poppler.h>
#include <string.h>

#include "hy_parallel.h"

/* g_autoptr() for poppler's objects came with poppler 25.06; Debian 12 has 22.12. */
#if !POPPLER_CHECK_VERSION(25, 6, 0)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PopplerPage, g_object_unref)
#endif

typedef struct {
    GBytes *bytes;
    const char *password;
    const char *folder;
    double dpi;
    guint n_pages, n_shares;
    HyReviewPage *pages; /* n_pages, filled by the shares */
    GError **errors;     /* per share, the first page that failed */
} RenderJob;

static gboolean write_png(const char *path, cairo_surface_t *surface, GError **error)
{
    FILE *file = g_fopen(path, "wb");
    if (file == NULL) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", path, g_strerror(errno));
        return FALSE;
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png != NULL ? png_create_info_struct(png) : NULL;
    int width = cairo_image_surface_get_width(surface), height = cairo_image_surface_get_height(surface);
    int stride = cairo_image_surface_get_stride(surface);
    const guint8 *data = cairo_image_surface_get_data(surface);
    guint8 *row = g_malloc((gsize)width * 3);
    gboolean ok = FALSE;
    if (info != NULL && setjmp(png_jmpbuf(png)) == 0) {
        png_init_io(png, file);
        png_set_compression_level(png, 1);
        png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
        png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                     PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
        png_write_info(png, info);
        for (int y = 0; y < height; y++) {
            const guint32 *pixels = (const guint32 *)(data + (gsize)y * (gsize)stride);
            for (int x = 0; x < width; x++) { /* CAIRO_FORMAT_RGB24: 0x00RRGGBB in a native word */
                row[3 * x] = (guint8)(pixels[x] >> 16);
                row[3 * x + 1] = (guint8)(pixels[x] >> 8);
                row[3 * x + 2] = (guint8)pixels[x];
            }
            png_write_row(png, row);
        }
        png_write_end(png, NULL);
        ok = TRUE;
    }
    png_destroy_write_struct(&png, &info);
    g_free(row);
    if (fclose(file) != 0) ok = FALSE;
    if (!ok) g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: cannot write the PNG", path);
    return ok;
}

static gboolean render_page(PopplerDocument *doc, guint index, RenderJob *job, GError **error)
{
    g_autoptr(PopplerPage) page = poppler_document_get_page(doc, (int)index);
    HyReviewPage *out = &job->pages[index];
    if (page == NULL) return TRUE; /* no image: the review shows the page without one */
    poppler_page_get_size(page, &out->width, &out->height);
    double scale = job->dpi / 72.0;
    double w = out->width * scale, h = out->height * scale;
    if (!(w >= 1 && h >= 1 && w <= 20000 && h <= 20000)) return TRUE; /* a page no screen shows */
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(w + 0.5), (int)(h + 0.5));
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    poppler_page_render(page, cr);
    cairo_destroy(cr);
    cairo_surface_flush(surface);
    g_autofree char *name = g_strdup_printf("page-%u.png", index + 1);
    g_autofree char *path = g_build_filename(job->folder, name, NULL);
    gboolean ok = cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS && write_png(path, surface, error);
    cairo_surface_destroy(surface);
    out->image = ok;
    return ok;
}

static void render_share(guint share, gpointer data)
{
    RenderJob *job = data;
    g_autoptr(PopplerDocument) doc = poppler_document_new_from_bytes(job->bytes, job->password, &job->errors[share]);
    if (doc == NULL) return;
    /* Interleaved: neighbouring pages cost alike, so each share gets its part of every kind. */
    for (guint index = share; index < job->n_pages; index += job->n_shares)
        if (!render_page(doc, index, job, &job->errors[share])) return;
}

GArray *hy_review_render_pages(const char *pdf_path, const char *password, const char *folder, double dpi,
                               int threads, GError **error)
{
    g_autoptr(GMappedFile) mapped = g_mapped_file_new(pdf_path, FALSE, error);
    if (mapped == NULL) return NULL;
    g_autoptr(GBytes) bytes = g_mapped_file_get_bytes(mapped);
    g_autoptr(PopplerDocument) first = poppler_document_new_from_bytes(bytes, password, error);
    if (first == NULL) return NULL;
    RenderJob job = {.bytes = bytes, .password = password, .folder = folder, .dpi = dpi};
    job.n_pages = (guint)MAX(poppler_document_get_n_pages(first), 0);
    GArray *pages = g_array_sized_new(FALSE, TRUE, sizeof(HyReviewPage), job.n_pages);
    g_array_set_size(pages, job.n_pages);
    job.pages = (HyReviewPage *)(void *)pages->data;
    job.n_shares = hy_parallel_threads(threads, job.n_pages, 1, 64);
    job.errors = g_new0(GError *, job.n_shares);
    hy_parallel_run("hy-render", job.n_shares, render_share, NULL, &job);
    for (guint s = 0; s < job.n_shares; s++) {
        if (job.errors[s] != NULL && error != NULL && *error == NULL) g_propagate_error(error, job.errors[s]);
        else g_clear_error(&job.errors[s]);
    }
    g_free(job.errors);
    if (error != NULL && *error != NULL) {
        g_array_unref(pages);
        return NULL;
    }
    return pages;
}
