/* poppler_floor.c -- the floor of PDF conversion for tools/bench/run.sh: opens a PDF with
 * poppler-glib from its bytes, as hyosho does, and calls poppler_page_get_text() on every
 * page, in order, on one thread; nothing else. Whatever hyosho spends beyond this is its own.
 * With --layout it also asks for what hyosho's extraction asks for (text layout rectangles
 * and text attributes), which shows poppler's share of the difference.
 *
 *   poppler_floor [--layout] FILE.pdf     prints "PAGES pages, BYTES bytes of text" */
#include <poppler.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    gboolean layout = argc == 3 && strcmp(argv[1], "--layout") == 0;
    if (argc != 2 && !layout) {
        fprintf(stderr, "usage: poppler_floor [--layout] FILE.pdf\n");
        return 2;
    }
    const char *path = argv[argc - 1];
    GError *error = NULL;
    gchar *data = NULL;
    gsize size = 0;
    if (!g_file_get_contents(path, &data, &size, &error)) {
        fprintf(stderr, "poppler_floor: %s\n", error->message);
        return 1;
    }
    GBytes *bytes = g_bytes_new_take(data, size);
    PopplerDocument *pdf = poppler_document_new_from_bytes(bytes, NULL, &error);
    if (pdf == NULL) {
        fprintf(stderr, "poppler_floor: %s: %s\n", path, error->message);
        return 1;
    }
    int n_pages = poppler_document_get_n_pages(pdf);
    gsize text_bytes = 0;
    for (int i = 0; i < n_pages; i++) {
        PopplerPage *page = poppler_document_get_page(pdf, i);
        if (page == NULL) continue;
        char *text = poppler_page_get_text(page);
        text_bytes += text != NULL ? strlen(text) : 0;
        if (layout) {
            PopplerRectangle *rects = NULL;
            guint n_rects = 0;
            if (poppler_page_get_text_layout(page, &rects, &n_rects)) g_free(rects);
            poppler_page_free_text_attributes(poppler_page_get_text_attributes(page));
        }
        g_free(text);
        g_object_unref(page);
    }
    printf("%d pages, %zu bytes of text\n", n_pages, (size_t)text_bytes);
    g_object_unref(pdf);
    g_bytes_unref(bytes);
    return 0;
}
