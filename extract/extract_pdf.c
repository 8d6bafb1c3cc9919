/* extract_pdf.c -- PDF input through poppler-glib: opens the document (password,
 * error mapping), extracts each page's text in reading order with the position and
 * font size of every line, drops pages whose text layer is empty or garbage, and
 * spreads the pages over threads, each with its own PopplerDocument.
 *
 * poppler-glib routes poppler's syntax errors to g_log(G_LOG_LEVEL_INFO) in the
 * "Poppler" domain, which GLib's default handler does not print unless
 * G_MESSAGES_DEBUG says so: damaged files stay quiet on stderr without our help. */
#include "extract_private.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include <gio/gio.h>

#include "extract_compat.h"
#include "hy_parallel.h"

/* A gap above a line larger than this many line heights is a paragraph or caption
 * break: ordinary line spacing leaves 0.2-0.5 of a height between lines, an empty
 * line between them leaves 1.2 or more. */
#define HY_BLANK_GAP_RATIO 0.8

/* Largest font size believed, in points: a PDF page is at most 14400 units a side (ISO
 * 32000-1, annex C), so larger text cannot be read on it. poppler passes on whatever a
 * damaged or hostile text matrix gives (a 49-digit Tf operand came out as 1.4e49 and
 * overflowed segment's arithmetic: fixtures/hostile/huge-font-size.pdf); such a size,
 * or one that is not finite, is unknown (0), as HyLine says. */
#define HY_MAX_FONT_SIZE 14400.0

/* ---- one page ------------------------------------------------------------- */

typedef struct {
    GPtrArray *lines;    /* HyLine*, number relative to the page (1-based) */
    GPtrArray *warnings; /* char* */
    int n_physical;      /* lines in poppler's text, empty ones included */
    gboolean usable;
    gboolean done;
} HyPageResult;

static void page_result_clear(HyPageResult *result)
{
    g_clear_pointer(&result->lines, g_ptr_array_unref);
    g_clear_pointer(&result->warnings, g_ptr_array_unref);
}

/* What the passes below ask of a character, from GLib, kept per BMP code point: a page
 * asks the same few thousand characters again and again (three calls each otherwise,
 * a tenth of hyosho's own work on a page). The answers never change, so racing
 * threads store the same byte. */
enum {
    HY_CHAR_KNOWN = 1 << 0,
    HY_CHAR_SPACE = 1 << 1, /* g_unichar_isspace() */
    HY_CHAR_BAD = 1 << 2,   /* U+FFFD, a control, unassigned or a surrogate: a broken mapping */
    HY_CHAR_GOOD = 1 << 3,  /* g_unichar_isalnum(): letters (kana, kanji) and digits */
};

static guint8 char_class_compute(gunichar c)
{
    guint8 flags = HY_CHAR_KNOWN;
    if (g_unichar_isspace(c))
        return flags | HY_CHAR_SPACE;
    GUnicodeType type = g_unichar_type(c);
    if (c == 0xFFFD || type == G_UNICODE_CONTROL || type == G_UNICODE_UNASSIGNED || type == G_UNICODE_SURROGATE)
        flags |= HY_CHAR_BAD;
    else if (g_unichar_isalnum(c))
        flags |= HY_CHAR_GOOD;
    return flags;
}

static _Atomic guint8 char_classes[0x10000];

static guint8 char_class(gunichar c)
{
    if (c > 0xFFFF)
        return char_class_compute(c);
    guint8 flags = atomic_load_explicit(&char_classes[c], memory_order_relaxed);
    if (flags == 0) {
        flags = char_class_compute(c);
        atomic_store_explicit(&char_classes[c], flags, memory_order_relaxed);
    }
    return flags;
}

/* One character of poppler's text: poppler_page_get_text_layout() and the attribute
 * ranges count in these units. Poppler writes whatever code point a broken ToUnicode
 * map gives (surrogates too) as UTF-8, so a unit may be invalid; it still counts as
 * one, spanning the bytes its lead byte announces. */
typedef struct {
    guint offset; /* in bytes */
    guint8 len;   /* bytes */
    guint8 flags; /* char_class(c), asked once: every pass below needs it */
    gunichar c;   /* U+FFFD when invalid */
} HyUnit;

#define UNIT_SPACE(units, i) ((g_array_index((units), HyUnit, (i)).flags & HY_CHAR_SPACE) != 0)

/* @valid: the whole text is known to be valid UTF-8 (it usually is), so characters are
 * decoded without being checked again. */
static GArray *split_units(const char *text, gsize len, gboolean valid)
{
    GArray *units = g_array_sized_new(FALSE, FALSE, sizeof(HyUnit), (guint)len);
    g_array_set_size(units, (guint)len); /* at most one unit a byte; trimmed below */
    guint n_units = 0;
    for (gsize i = 0; i < len; n_units++) {
        gsize n = 1;
        gunichar c = (guchar)text[i];
        if (c >= 0x80 && valid) {
            n = (gsize)g_utf8_skip[(guchar)text[i]];
            c = g_utf8_get_char(text + i);
        } else if (c >= 0x80) { /* ASCII is its own code point */
            n = (gsize)g_utf8_skip[(guchar)text[i]];
            if (n > len - i)
                n = len - i;
            c = g_utf8_get_char_validated(text + i, (gssize)n);
            if (c == (gunichar)-1 || c == (gunichar)-2) {
                c = 0xFFFD;
                if (((guchar)text[i] & 0xC0) == 0x80 || (guchar)text[i] >= 0xF8)
                    n = 1; /* a stray byte, not a lead byte */
            }
        }
        g_array_index(units, HyUnit, n_units) =
            (HyUnit){.offset = (guint)i, .len = (guint8)n, .flags = char_class(c), .c = c};
        i += n;
    }
    g_array_set_size(units, n_units);
    return units;
}

/* Text-layer sanity: letters and digits (kana and kanji are letters) against what a
 * missing or broken Unicode mapping leaves (U+FFFD, controls, unassigned code points).
 * Punctuation and private-use symbol glyphs are neutral. */
typedef enum { HY_LAYER_OK, HY_LAYER_EMPTY, HY_LAYER_GARBLED } HyLayerState;

static HyLayerState judge_layer(const GArray *units)
{
    gsize good = 0, bad = 0, visible = 0;
    for (guint i = 0; i < units->len; i++) {
        guint8 flags = g_array_index(units, HyUnit, i).flags;
        if (flags & HY_CHAR_SPACE)
            continue;
        visible++;
        bad += (flags & HY_CHAR_BAD) != 0;
        good += (flags & HY_CHAR_GOOD) != 0;
    }
    if (visible == 0)
        return HY_LAYER_EMPTY;
    /* Real text has next to no control characters; a font without a Unicode mapping
     * turns a tenth or more of a page into them (glyph ids as codes). */
    return bad > good || bad * 10 >= visible ? HY_LAYER_GARBLED : HY_LAYER_OK;
}

typedef struct {
    double x, y;        /* top left of the first visible character */
    double top, bottom; /* of the whole line */
    double right;       /* of the whole line */
    gboolean known;
} HyBox;

/* Box of units [from, to) from the layout rectangles, spaces ignored. Poppler's
 * rectangles have their origin at the top left of the page, y growing downwards. */
static HyBox line_box(const GArray *units, guint from, guint to, const PopplerRectangle *rects)
{
    HyBox box = {0};
    for (guint i = from; i < to; i++) {
        if (UNIT_SPACE(units, i))
            continue;
        const PopplerRectangle *r = &rects[i];
        if (!isfinite(r->x1) || !isfinite(r->x2) || !isfinite(r->y1) || !isfinite(r->y2))
            continue; /* a degenerate text matrix: no position rather than inf or NaN */
        double top = MIN(r->y1, r->y2), bottom = MAX(r->y1, r->y2);
        if (!box.known) {
            box.x = MIN(r->x1, r->x2);
            box.y = top;
            box.top = top;
            box.bottom = bottom;
            box.right = MAX(r->x1, r->x2);
            box.known = TRUE;
        } else {
            box.top = MIN(box.top, top);
            box.bottom = MAX(box.bottom, bottom);
            box.right = MAX(box.right, MAX(r->x1, r->x2));
        }
    }
    return box;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The font size most of the line's visible characters have; the larger on a tie,
 * so that a heading with a smaller suffix still reads as a heading. */
static double line_font_size_sorted(const GArray *units, guint from, guint to, const double *sizes)
{
    g_autofree double *values = g_new(double, to - from + 1);
    gsize n = 0;
    for (guint i = from; i < to; i++)
        if (sizes[i] > 0 && !UNIT_SPACE(units, i))
            values[n++] = sizes[i];
    if (n == 0)
        return 0;
    qsort(values, n, sizeof *values, compare_double);
    double best = values[0];
    gsize best_run = 0;
    for (gsize i = 0; i < n;) {
        gsize j = i;
        while (j < n && values[j] == values[i])
            j++;
        if (j - i >= best_run) {
            best_run = j - i;
            best = values[i];
        }
        i = j;
    }
    return best;
}

/* The same without sorting or allocating, for the usual line set in a few sizes: the
 * size with the most characters, the larger of two with as many. */
static double line_font_size(const GArray *units, guint from, guint to, const double *sizes)
{
    double values[8];
    gsize counts[8], n = 0;
    for (guint i = from; i < to; i++) {
        if (!(sizes[i] > 0) || UNIT_SPACE(units, i))
            continue;
        gsize k = 0;
        while (k < n && values[k] != sizes[i])
            k++;
        if (k == G_N_ELEMENTS(values))
            return line_font_size_sorted(units, from, to, sizes);
        if (k == n) {
            values[n] = sizes[i];
            counts[n++] = 0;
        }
        counts[k]++;
    }
    double best = 0;
    gsize best_count = 0;
    for (gsize k = 0; k < n; k++) {
        if (counts[k] > best_count || (counts[k] == best_count && values[k] > best)) {
            best = values[k];
            best_count = counts[k];
        }
    }
    return best;
}

/* Font size of every unit from the attribute ranges (end_index is inclusive). They
 * count in the same units as the layout; when they overrun the text they are
 * ignored rather than trusted. */
static double *unit_font_sizes(PopplerPage *page, guint n_units)
{
    double *sizes = g_new0(double, n_units + 1);
    GList *attributes = poppler_page_get_text_attributes(page);
    gboolean fits = TRUE;
    for (GList *l = attributes; l != NULL; l = l->next) {
        const PopplerTextAttributes *a = l->data;
        if (a->start_index < 0 || a->end_index < a->start_index || (guint)a->end_index >= n_units) {
            fits = FALSE;
            break;
        }
        gboolean plausible = isfinite(a->font_size) && a->font_size <= HY_MAX_FONT_SIZE;
        for (int i = a->start_index; i <= a->end_index; i++)
            sizes[i] = plausible ? a->font_size : 0;
    }
    poppler_page_free_text_attributes(attributes);
    if (!fits)
        memset(sizes, 0, sizeof(double) * (n_units + 1));
    return sizes;
}

static void extract_page(PopplerDocument *pdf, int index, const HyExtractOptions *options,
                         HyPageResult *result)
{
    int page_number = index + 1;
    result->lines = g_ptr_array_new_with_free_func((GDestroyNotify)hy_line_free);
    result->warnings = g_ptr_array_new_with_free_func(g_free);
    result->done = TRUE;

    g_autoptr(PopplerPage) page = poppler_document_get_page(pdf, index);
    if (page == NULL) {
        hy_extract__warn(result->warnings, "page %d: cannot be read, skipped", page_number);
        return;
    }
    g_autofree char *text = poppler_page_get_text(page);
    if (text == NULL)
        text = g_strdup("");
    gsize text_len = strlen(text);
    gboolean valid = g_utf8_validate_len(text, text_len, NULL);
    g_autoptr(GArray) units = split_units(text, text_len, valid);

    switch (judge_layer(units)) {
    case HY_LAYER_EMPTY:
        hy_extract__warn(result->warnings, "page %d: no usable text layer (scanned image?)", page_number);
        return;
    case HY_LAYER_GARBLED:
        hy_extract__warn(result->warnings, "page %d: text layer looks garbled (no Unicode mapping?)",
                         page_number);
        return;
    case HY_LAYER_OK:
        break;
    }
    result->usable = TRUE;

    /* Poppler 22.12 gives one rectangle per unit of get_text(), '\n' included (both
     * walk the same word list). Every page of the robustness corpus agrees but one
     * (issue19971.pdf, page 6: 1986 boxes for 1496 characters); such a page keeps its
     * lines' text and loses their positions rather than get wrong ones. */
    g_autofree PopplerRectangle *rects = NULL;
    guint n_rects = 0;
    if (!poppler_page_get_text_layout(page, &rects, &n_rects))
        n_rects = 0;
    gboolean positioned = rects != NULL && n_rects == units->len;
    if (!positioned && n_rects > 0)
        hy_extract__warn(result->warnings,
                         "page %d: text layout does not match the text (%u boxes for %u characters), "
                         "positions unknown",
                         page_number, n_rects, units->len);
    g_autofree double *sizes = unit_font_sizes(page, units->len);

    HyBox previous = {0};
    int empty_run = 0; /* empty lines in poppler's text, for pages without positions */
    gboolean page_full = FALSE;
    guint from = 0;
    for (guint i = 0; i <= units->len; i++) {
        if (i < units->len && g_array_index(units, HyUnit, i).c != '\n')
            continue;
        guint line_from = from, line_to = i; /* the line is units [line_from, line_to) */
        from = i + 1;
        if (i == units->len && line_from == line_to && result->n_physical > 0)
            break; /* nothing after the last '\n' */
        int number = ++result->n_physical;

        gsize start = line_from < units->len ? g_array_index(units, HyUnit, line_from).offset : text_len;
        gsize end = line_to < units->len ? g_array_index(units, HyUnit, line_to).offset : text_len;
        /* Units end where characters end, so a line of a valid page is valid. */
        g_autofree char *repaired = valid ? NULL : g_utf8_make_valid(text + start, (gssize)(end - start));
        const char *raw = valid ? text + start : repaired;
        gsize raw_len = valid ? end - start : strlen(repaired);
        if (options->max_line_bytes > 0 && raw_len > options->max_line_bytes) {
            raw_len = hy_extract__utf8_cut(raw, raw_len, options->max_line_bytes);
            hy_extract__warn(result->warnings, "page %d: line %d longer than %zu bytes, cut", page_number,
                             number, options->max_line_bytes);
        }

        g_autoptr(HyLine) line = hy_extract__line_new(page_number, number, raw, raw_len, NULL);
        if (line == NULL || line->text[0] == '\0') {
            empty_run++;
            continue;
        }
        if (options->max_lines_per_page > 0 && (int)result->lines->len >= options->max_lines_per_page) {
            if (!page_full)
                hy_extract__warn(result->warnings, "page %d: more than %d lines, the rest dropped",
                                 page_number, options->max_lines_per_page);
            page_full = TRUE;
            continue;
        }

        line->font_size = line_font_size(units, line_from, line_to, sizes);
        HyBox box = positioned ? line_box(units, line_from, line_to, rects) : (HyBox){0};
        if (box.known) {
            line->x = box.x;
            line->y = box.y;
            line->box_top = box.top;
            line->box_right = box.right;
            line->box_bottom = box.bottom;
            if (previous.known) {
                double height = MIN(box.bottom - box.top, previous.bottom - previous.top);
                if (height <= 0)
                    height = line->font_size;
                double gap = box.top - previous.bottom;
                line->blank_before = height > 0 && gap > HY_BLANK_GAP_RATIO * height ? 1 : 0;
            }
            previous = box;
        } else if (!positioned) {
            line->blank_before = empty_run;
        }
        empty_run = 0;
        g_ptr_array_add(result->lines, g_steal_pointer(&line));
    }
}

/* ---- poppler's state between documents ---------------------------------------- */

/* poppler-glib builds poppler's global parameters (name-to-Unicode tables, the CMap,
 * encoding and font directories) when a document opens while none is open, and drops
 * them when the last one closes. A process converting document after document would
 * build them again for each: a fifth of the time of a 3-page report. Held open, this
 * empty one-page PDF (offsets in its xref checked by pdfinfo) keeps them. */
static const char retainer_pdf[] = "%PDF-1.4\n"
                                   "1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n"
                                   "2 0 obj\n<</Type/Pages/Kids[3 0 R]/Count 1>>\nendobj\n"
                                   "3 0 obj\n<</Type/Page/Parent 2 0 R/MediaBox[0 0 1 1]>>\nendobj\n"
                                   "xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n"
                                   "0000000054 00000 n \n0000000105 00000 n \n"
                                   "trailer\n<</Size 4/Root 1 0 R>>\nstartxref\n166\n%%EOF\n";
static PopplerDocument *retainer;

void hy_extract_retain_pdf_state(gboolean retain)
{
    if (!retain) {
        g_clear_object(&retainer);
        return;
    }
    if (retainer != NULL) return;
    g_autoptr(GBytes) bytes = g_bytes_new_static(retainer_pdf, sizeof retainer_pdf - 1);
    retainer = poppler_document_new_from_bytes(bytes, NULL, NULL); /* NULL: nothing kept, nothing lost */
}

/* ---- the document --------------------------------------------------------- */

/* With a wrong password, poppler 22.12's _new_from_bytes() and _new_from_data()
 * crash: their retry with the UTF-8 form of the password builds a PDFDoc on a stream
 * copy that is not usable (seen on issue6010_1.pdf of the corpus). _new_from_file()
 * and _new_from_stream() retry correctly, so a password goes through a memory stream
 * over the same bytes; without one, _new_from_bytes() reads the bytes directly. */
static PopplerDocument *new_document(GBytes *bytes, const char *password, GError **error)
{
    if (password == NULL)
        return poppler_document_new_from_bytes(bytes, NULL, error);
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(bytes);
    return poppler_document_new_from_stream(stream, (goffset)g_bytes_get_size(bytes), password, NULL, error);
}

static PopplerDocument *open_pdf(GBytes *bytes, const char *password, GError **error)
{
    g_autoptr(GError) local = NULL;
    PopplerDocument *pdf = new_document(bytes, password, &local);
    if (pdf != NULL)
        return pdf;
    if (g_error_matches(local, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        g_set_error_literal(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_ENCRYPTED,
                            password != NULL ? "encrypted PDF: the password is wrong"
                                             : "encrypted PDF: a password is needed (--password)");
    else
        g_set_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_DAMAGED, "damaged PDF: %s",
                    local != NULL ? local->message : "unknown error");
    return NULL;
}

/* Shared by the threads of one extraction. Pages are handed out one at a time from
 * @next_page, so a slow page does not hold up a whole share; each result has its own
 * slot, so the merge is in page order whatever the interleaving. */
typedef struct {
    GBytes *bytes;
    PopplerDocument *pdf; /* the calling thread's document */
    const HyExtractOptions *options;
    int n_pages;
    gint64 deadline;
    HyPageResult *results;
    gint next_page; /* atomic */
    gint timed_out; /* atomic */
} HyPdfJob;

static void run_pages(HyPdfJob *job, PopplerDocument *pdf)
{
    for (;;) {
        if (g_atomic_int_get(&job->timed_out))
            return;
        int index = g_atomic_int_add(&job->next_page, 1);
        if (index >= job->n_pages)
            return;
        if (job->deadline > 0 && g_get_monotonic_time() > job->deadline) {
            g_atomic_int_set(&job->timed_out, 1);
            return;
        }
        extract_page(pdf, index, job->options, &job->results[index]);
    }
}

/* Share 0 is the calling thread's, on the document it opened. Any other opens its own on
 * the shared bytes: a PopplerDocument and its pages must not be used from two threads at
 * once. One that cannot (out of memory, say) takes no pages, and one that starts when
 * every page is handed out opens nothing: the other shares do the pages. */
static void run_share(guint share, gpointer data)
{
    HyPdfJob *job = data;
    if (share == 0) {
        run_pages(job, job->pdf);
        return;
    }
    if (g_atomic_int_get(&job->next_page) >= job->n_pages)
        return;
    g_autoptr(PopplerDocument) pdf = open_pdf(job->bytes, job->options->password, NULL);
    if (pdf != NULL)
        run_pages(job, pdf);
}

/* Most threads one extraction uses, whatever -j asks. */
#define HY_EXTRACT_MAX_THREADS 64

gboolean hy_extract__pdf(HyDocument *doc, GBytes *bytes, const HyExtractOptions *options, gint64 deadline,
                         GError **error)
{
    g_autoptr(PopplerDocument) pdf = open_pdf(bytes, options->password, error);
    if (pdf == NULL)
        return FALSE;
    int n_pages = poppler_document_get_n_pages(pdf);
    if (n_pages <= 0) {
        g_set_error_literal(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_DAMAGED, "PDF has no pages");
        return FALSE;
    }
    if (options->max_pages > 0 && n_pages > options->max_pages) {
        g_set_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_LIMIT, "%d pages, over the limit of %d",
                    n_pages, options->max_pages);
        return FALSE;
    }
    doc->n_pages = n_pages;

    HyPdfJob job = {
        .bytes = bytes,
        .pdf = pdf,
        .options = options,
        .n_pages = n_pages,
        .deadline = deadline,
        .results = g_new0(HyPageResult, n_pages),
    };
    /* no more threads than pages: each takes a page at a time */
    guint n_threads = hy_parallel_threads(options->threads, (guint)n_pages, 1, HY_EXTRACT_MAX_THREADS);
    hy_parallel_run("hy-extract", n_threads, run_share, NULL, &job);

    gboolean ok = TRUE;
    if (job.timed_out) {
        g_set_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_LIMIT, "timed out after %g s",
                    options->timeout_seconds);
        ok = FALSE;
    }

    int usable = 0, number_offset = 0;
    for (int i = 0; ok && i < n_pages; i++) {
        HyPageResult *result = &job.results[i];
        if (!result->done)
            continue; /* cannot happen without a timeout; be safe anyway */
        for (guint k = 0; k < result->warnings->len; k++)
            g_ptr_array_add(doc->warnings, g_strdup(g_ptr_array_index(result->warnings, k)));
        if (result->usable) {
            usable++;
            for (guint k = 0; k < result->lines->len; k++) {
                HyLine *line = g_ptr_array_index(result->lines, k);
                line->number += number_offset;
                g_ptr_array_add(doc->lines, line);
            }
            g_ptr_array_set_free_func(result->lines, NULL); /* the lines moved to doc */
        }
        number_offset += result->n_physical;
    }
    for (int i = 0; i < n_pages; i++)
        page_result_clear(&job.results[i]);
    g_free(job.results);

    if (ok && usable == 0) {
        g_set_error_literal(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_NO_TEXT,
                            "no usable text layer on any page (scanned images, or fonts without a Unicode mapping?)");
        ok = FALSE;
    }
    return ok;
}
