/* extract_load.c -- the extract stage's entry points (hy_extract.h): reads the input
 * (a file or stdin) within the size limit, fingerprints it, tells PDF from text by
 * its bytes and hands it to extract_pdf.c or extract_text.c. Also the small shared
 * helpers of extract_private.h. */
#include "extract_private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

G_DEFINE_QUARK(hy-extract-error-quark, hy_extract_error)

void hy_extract_options_init(HyExtractOptions *options)
{
    g_return_if_fail(options != NULL);

    memset(options, 0, sizeof *options);
    options->max_bytes = 256 * 1024 * 1024;
    options->max_pages = 2000;
    options->max_line_bytes = 65536;
    options->max_lines_per_page = 20000;
    options->timeout_seconds = 30.0;
    options->threads = 0;
}

void hy_document_free(HyDocument *doc)
{
    if (doc == NULL)
        return;
    g_free(doc->path);
    g_free(doc->sha256);
    g_free(doc->encoding);
    if (doc->lines != NULL)
        g_ptr_array_unref(doc->lines);
    if (doc->warnings != NULL)
        g_ptr_array_unref(doc->warnings);
    g_free(doc);
}

const char *hy_format_name(HyFormat format)
{
    return format == HY_FORMAT_PDF ? "pdf" : "text";
}

/* ---- helpers shared by the stage ------------------------------------------ */

void hy_extract__warn(GPtrArray *warnings, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    g_ptr_array_add(warnings, g_strdup_vprintf(format, args));
    va_end(args);
}

gsize hy_extract__utf8_cut(const char *s, gsize len, gsize max)
{
    if (len <= max)
        return len;
    gsize cut = max;
    /* back up over continuation bytes (10xxxxxx) to the start of a character */
    while (cut > 0 && ((guchar)s[cut] & 0xC0) == 0x80)
        cut--;
    return cut;
}

HyLine *hy_extract__line_new(int page, int number, const char *raw, gsize len, GError **error)
{
    g_autoptr(HyLine) line = hy_line_new(page, number, raw, (gssize)len);
    g_autoptr(GError) local = NULL;
    if (!hy_normalize_line(line, &local)) {
        g_set_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_ENCODING, "line %d: %s", number,
                    local->message);
        return NULL;
    }
    return g_steal_pointer(&line);
}

/* ---- reading -------------------------------------------------------------- */

static void set_limit_error(GError **error, guint64 size, guint64 max_bytes)
{
    g_set_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_LIMIT,
                "%" G_GUINT64_FORMAT " bytes or more, over the limit of %" G_GUINT64_FORMAT " bytes",
                size, max_bytes);
}

/* Reads all of @fd (a file, a pipe or a terminal) through a GIOChannel, stopping as
 * soon as the input is over @max_bytes (0 = no limit) rather than after reading it. */
/* @size_hint: the size of a regular file (0 when unknown), so that the buffer is
 * allocated once. */
static GBytes *read_fd(int fd, gsize size_hint, guint64 max_bytes, GError **error)
{
    g_autoptr(GIOChannel) channel = g_io_channel_unix_new(fd);
    g_io_channel_set_close_on_unref(channel, FALSE);
    if (g_io_channel_set_encoding(channel, NULL, error) != G_IO_STATUS_NORMAL) /* raw bytes */
        return NULL;
    /* Straight into @chunk: the channel's own buffer would read 1 KiB a system call
     * (GLib's default buffer size) and copy everything once more. */
    g_io_channel_set_buffered(channel, FALSE);

    g_autoptr(GByteArray) buffer = g_byte_array_sized_new((guint)MIN(size_hint + 1, (gsize)G_MAXUINT));
    char chunk[64 * 1024];
    for (;;) {
        gsize n = 0;
        g_autoptr(GError) local = NULL;
        GIOStatus status = g_io_channel_read_chars(channel, chunk, sizeof chunk, &n, &local);
        if (status == G_IO_STATUS_ERROR) {
            g_set_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_READ, "%s", local->message);
            return NULL;
        }
        g_byte_array_append(buffer, (const guint8 *)chunk, (guint)n);
        if (max_bytes > 0 && buffer->len > max_bytes) {
            set_limit_error(error, buffer->len, max_bytes);
            return NULL;
        }
        if (status == G_IO_STATUS_EOF)
            break;
    }
    return g_byte_array_free_to_bytes(g_steal_pointer(&buffer));
}

/* The messages name the problem only: the caller prefixes "hyosho: PATH: ". */
static GBytes *read_input(const char *path, guint64 max_bytes, GError **error)
{
    if (strcmp(path, "-") == 0)
        return read_fd(STDIN_FILENO, 0, max_bytes, error);

    int fd = g_open(path, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0) {
        int saved = errno;
        g_set_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_READ, "%s", g_strerror(saved));
        return NULL;
    }

    GBytes *bytes = NULL;
    GStatBuf st;
    if (fstat(fd, &st) != 0) {
        int saved = errno;
        g_set_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_READ, "%s", g_strerror(saved));
    } else if (S_ISDIR(st.st_mode)) {
        g_set_error_literal(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_READ, "is a directory");
    } else if (S_ISREG(st.st_mode) && max_bytes > 0 && (guint64)st.st_size > max_bytes) {
        set_limit_error(error, (guint64)st.st_size, max_bytes); /* without reading it */
    } else {
        bytes = read_fd(fd, S_ISREG(st.st_mode) ? (gsize)st.st_size : 0, max_bytes, error);
    }
    g_close(fd, NULL);
    return bytes;
}

HyDocument *hy_extract_load(const char *path, const HyExtractOptions *options, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);

    HyExtractOptions defaults;
    if (options == NULL) {
        hy_extract_options_init(&defaults);
        options = &defaults;
    }
    g_autoptr(GBytes) bytes = read_input(path, options->max_bytes, error);
    if (bytes == NULL)
        return NULL;
    return hy_extract_load_bytes(path, bytes, options, error);
}

/* ---- dispatch ------------------------------------------------------------- */

/* Readers accept the header anywhere in the first 1024 bytes (the PDF Reference 1.7,
 * appendix H, says so of Acrobat; poppler does the same), so junk before it is fine. */
static gboolean looks_like_pdf(const guint8 *data, gsize size)
{
    return memmem(data, MIN(size, (gsize)1024), "%PDF-", 5) != NULL;
}

/* Below this size the digest takes less time than starting a thread for it. */
#define HY_PARALLEL_DIGEST_BYTES (64 * 1024)

static gpointer compute_sha256(gpointer bytes)
{
    return g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, bytes);
}

HyDocument *hy_extract_load_bytes(const char *path, GBytes *bytes, const HyExtractOptions *options,
                                  GError **error)
{
    g_return_val_if_fail(bytes != NULL, NULL);

    HyExtractOptions defaults;
    if (options == NULL) {
        hy_extract_options_init(&defaults);
        options = &defaults;
    }
    gint64 deadline = options->timeout_seconds > 0
                          ? g_get_monotonic_time() + (gint64)(options->timeout_seconds * G_USEC_PER_SEC)
                          : 0;

    gsize size = 0;
    const guint8 *data = g_bytes_get_data(bytes, &size);
    if (size == 0) {
        g_set_error_literal(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_EMPTY, "empty file");
        return NULL;
    }
    if (options->max_bytes > 0 && size > options->max_bytes) {
        set_limit_error(error, size, options->max_bytes);
        return NULL;
    }

    g_autoptr(HyDocument) doc = g_new0(HyDocument, 1);
    doc->path = g_strdup(path != NULL ? path : "-");
    doc->lines = g_ptr_array_new_with_free_func((GDestroyNotify)hy_line_free);
    doc->warnings = g_ptr_array_new_with_free_func(g_free);

    /* The digest (GChecksum: some 280 MB/s) needs nothing from extraction, so with
     * more than one thread allowed it runs beside it. */
    GThread *digest = NULL;
    if (options->threads != 1 && size >= HY_PARALLEL_DIGEST_BYTES && g_get_num_processors() > 1)
        digest = g_thread_try_new("hy-sha256", compute_sha256, bytes, NULL);
    if (digest == NULL)
        doc->sha256 = compute_sha256(bytes);

    gboolean ok;
    if (looks_like_pdf(data, size)) {
        doc->format = HY_FORMAT_PDF;
        ok = hy_extract__pdf(doc, bytes, options, deadline, error);
    } else {
        doc->format = HY_FORMAT_TEXT;
        ok = hy_extract__text(doc, bytes, options, error);
    }
    if (digest != NULL)
        doc->sha256 = g_thread_join(digest);
    return ok ? g_steal_pointer(&doc) : NULL;
}
