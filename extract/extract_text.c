/* extract_text.c -- text input: tells text from binary junk, decodes UTF-8 or a
 * Japanese legacy encoding (detected by ICU or forced) strictly -- an undecodable byte
 * is an error, never mojibake -- and cuts the text into pages (form feeds) and lines.
 * ICU converters are used UTF-8 to UTF-8 through ucnv_toAlgorithmic(), so no UTF-16
 * buffer appears here (that stays in the normalize_*.c files). */
#include "extract_private.h"

#include <string.h>

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>

/* ---- binary or text ------------------------------------------------------- */

/* Share of control characters above which input is taken for binary: text files hold
 * a stray ESC or BEL at most, while any compressed or executable data has ~12%. */
#define HY_CONTROL_SHARE_PERCENT 5

static gboolean is_control(gunichar c)
{
    if (c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x1B) /* ESC: ISO-2022-JP */
        return FALSE;
    return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

/* On the raw bytes of an 8-bit or multi-byte (not UTF-16) encoding: NUL, or too many
 * C0 controls. Shift_JIS and EUC-JP never use bytes below 0x40 inside a character. */
static gboolean bytes_look_binary(const guint8 *data, gsize size)
{
    if (memchr(data, '\0', size) != NULL)
        return TRUE;
    gsize controls = 0;
    for (gsize i = 0; i < size; i++)
        if (data[i] < 0x80 && is_control(data[i]))
            controls++;
    return controls * 100 > size * HY_CONTROL_SHARE_PERCENT;
}

/* The same test on decoded text, which catches UTF-16 input full of U+0000. */
static gboolean text_looks_binary(const char *text, gsize len)
{
    gsize chars = 0, controls = 0;
    for (const char *p = text, *end = text + len; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c == 0)
            return TRUE;
        chars++;
        if (is_control(c))
            controls++;
    }
    return controls * 100 > chars * HY_CONTROL_SHARE_PERCENT;
}

static void set_binary_error(GError **error)
{
    g_set_error_literal(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_BINARY, "not a PDF or text file");
}

/* ---- decoding ------------------------------------------------------------- */

/* Finds where a conversion stopped: ICU calls this with the offending bytes before
 * stopping, and args->source then points just past them in our input buffer. */
typedef struct {
    const char *start;
    gssize offset; /* -1 until an error */
} HyDecodeSpot;

static void remember_spot(const void *context, UConverterToUnicodeArgs *args, const char *code_units,
                          int32_t length, UConverterCallbackReason reason, UErrorCode *status)
{
    (void)code_units;
    HyDecodeSpot *spot = (HyDecodeSpot *)context;
    if (reason <= UCNV_IRREGULAR && spot->offset < 0)
        spot->offset = MAX((gssize)0, (gssize)(args->source - spot->start) - length);
    /* *status is left failing: this is UCNV_TO_U_CALLBACK_STOP plus a note */
    (void)status;
}

/* Converts @size bytes with @converter to UTF-8, stopping at the first illegal,
 * unassigned or truncated sequence. @label names the encoding in messages. */
static char *decode_strict(UConverter *converter, const char *label, const char *data, gsize size,
                           gsize *out_len, GError **error)
{
    if (size > G_MAXINT32) {
        g_set_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_LIMIT, "text over 2 GiB");
        return NULL;
    }
    HyDecodeSpot spot = {data, -1};
    UErrorCode status = U_ZERO_ERROR;
    ucnv_reset(converter);
    ucnv_setToUCallBack(converter, remember_spot, &spot, NULL, NULL, &status);

    /* first pass measures (and finds any bad byte), second pass converts */
    int32_t need = ucnv_toAlgorithmic(UCNV_UTF8, converter, NULL, 0, data, (int32_t)size, &status);
    char *out = NULL;
    if (status == U_BUFFER_OVERFLOW_ERROR || (U_SUCCESS(status) && need == 0)) {
        status = U_ZERO_ERROR;
        out = g_malloc((gsize)need + 1);
        ucnv_reset(converter);
        ucnv_toAlgorithmic(UCNV_UTF8, converter, out, need + 1, data, (int32_t)size, &status);
        out[need] = '\0';
    }
    if (U_FAILURE(status)) {
        g_free(out);
        if (spot.offset >= 0)
            g_set_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_ENCODING, "not valid %s at byte %zd",
                        label, spot.offset);
        else
            g_set_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_ENCODING, "cannot decode as %s: %s",
                        label, u_errorName(status));
        return NULL;
    }
    *out_len = (gsize)need;
    return out;
}

gboolean hy_extract_encoding_known(const char *name)
{
    UErrorCode status = U_ZERO_ERROR;
    UConverter *converter = name != NULL && *name != '\0' ? ucnv_open(name, &status) : NULL;
    gboolean known = converter != NULL && U_SUCCESS(status);
    ucnv_close(converter);
    return known;
}

static char *decode_with(const char *converter_name, const char *label, const char *data, gsize size,
                         gsize *out_len, GError **error)
{
    UErrorCode status = U_ZERO_ERROR;
    UConverter *converter = ucnv_open(converter_name, &status);
    if (U_FAILURE(status) || converter == NULL) {
        g_set_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_ENCODING, "unknown encoding '%s'",
                    converter_name);
        return NULL;
    }
    char *text = decode_strict(converter, label, data, size, out_len, error);
    ucnv_close(converter);
    return text;
}

/* The Japanese encodings detection may choose, by the name ICU's detector gives them.
 * Shift_JIS is decoded as Microsoft's CP932 (ICU's windows-31j), a superset that also
 * holds the NEC and IBM extensions Japanese Windows files use (①, ㈱, ～, 髙). */
typedef struct {
    const char *detected_as;
    const char *converter;
    const char *label;
} HyCandidate;

enum { HY_SHIFT_JIS, HY_EUC_JP, HY_ISO_2022_JP, HY_N_CANDIDATES };

static const HyCandidate candidates[HY_N_CANDIDATES] = {
    [HY_SHIFT_JIS] = {"Shift_JIS", "windows-31j", "Shift_JIS"},
    [HY_EUC_JP] = {"EUC-JP", "EUC-JP", "EUC-JP"},
    [HY_ISO_2022_JP] = {"ISO-2022-JP", "ISO-2022-JP", "ISO-2022-JP"},
};

/* ICU's detector confidence (0-100) for each candidate; 0 when it did not name it.
 * 10 is what it gives any encoding the bytes are merely valid in: no evidence. */
#define HY_NO_EVIDENCE 10

static void detect(const char *data, gsize size, int confidence[HY_N_CANDIDATES])
{
    memset(confidence, 0, sizeof(int) * HY_N_CANDIDATES);
    UErrorCode status = U_ZERO_ERROR;
    UCharsetDetector *detector = ucsdet_open(&status);
    /* the first 64 KiB say enough and keep detection time flat */
    ucsdet_setText(detector, data, (int32_t)MIN(size, (gsize)65536), &status);
    int32_t n_matches = 0;
    const UCharsetMatch **matches = ucsdet_detectAll(detector, &n_matches, &status);
    for (int32_t i = 0; U_SUCCESS(status) && i < n_matches; i++) {
        const char *name = ucsdet_getName(matches[i], &status);
        int value = ucsdet_getConfidence(matches[i], &status);
        for (int k = 0; U_SUCCESS(status) && k < HY_N_CANDIDATES; k++)
            if (strcmp(name, candidates[k].detected_as) == 0)
                confidence[k] = MAX(confidence[k], value);
    }
    ucsdet_close(detector);
}

/* Half-width katakana (U+FF61-FF9F) are rare in real text but are what EUC-JP bytes
 * look like when read as Shift_JIS: the tie-breaker when the detector has no idea,
 * which for a line or two of Japanese it usually has not. */
static gsize count_halfwidth_kana(const char *text)
{
    gsize n = 0;
    for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        n += c >= 0xFF61 && c <= 0xFF9F;
    }
    return n;
}

static gboolean has_utf16_bom(const guint8 *data, gsize size)
{
    return size >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF));
}

/* Not UTF-8: decodes as Shift_JIS and as EUC-JP, strictly. One success wins; of
 * two, the one the detector has evidence for, else the one with fewer half-width
 * katakana, else Shift_JIS (the commoner on Windows, where such files come from). */
static char *decode_legacy(HyDocument *doc, const char *bytes, gsize size, gsize *out_len, GError **error)
{
    int confidence[HY_N_CANDIDATES];
    detect(bytes, size, confidence);

    const int tried[] = {HY_SHIFT_JIS, HY_EUC_JP};
    char *text[2] = {NULL, NULL};
    gsize len[2] = {0, 0};
    GError *errors[2] = {NULL, NULL};
    for (int i = 0; i < 2; i++) {
        const HyCandidate *c = &candidates[tried[i]];
        text[i] = decode_with(c->converter, c->label, bytes, size, &len[i], &errors[i]);
    }

    int pick = -1;
    if (text[0] != NULL && text[1] != NULL) {
        int sjis = confidence[HY_SHIFT_JIS], euc = confidence[HY_EUC_JP];
        if (MAX(sjis, euc) > HY_NO_EVIDENCE && sjis != euc)
            pick = sjis > euc ? 0 : 1;
        else
            pick = count_halfwidth_kana(text[1]) < count_halfwidth_kana(text[0]) ? 1 : 0;
    } else if (text[0] != NULL) {
        pick = 0;
    } else if (text[1] != NULL) {
        pick = 1;
    }

    char *result = NULL;
    if (pick >= 0) {
        doc->encoding = g_strdup(candidates[tried[pick]].label);
        *out_len = len[pick];
        result = g_steal_pointer(&text[pick]);
    } else {
        /* both failed: report the one the detector believed more */
        int report = confidence[HY_EUC_JP] > confidence[HY_SHIFT_JIS] ? 1 : 0;
        g_propagate_error(error, g_steal_pointer(&errors[report]));
    }
    for (int i = 0; i < 2; i++) {
        g_free(text[i]);
        g_clear_error(&errors[i]);
    }
    return result;
}

/* Decodes the input to UTF-8 (a UTF-8 BOM is removed later) and records the encoding
 * in @doc. Input that is UTF-8 already is not copied: then *@borrowed is set and the
 * result points into @data. */
static char *decode(HyDocument *doc, const guint8 *data, gsize size, const HyExtractOptions *options,
                    gsize *out_len, gboolean *borrowed, GError **error)
{
    *borrowed = FALSE;
    const char *bytes = (const char *)data;

    if (options->encoding != NULL) {
        UErrorCode status = U_ZERO_ERROR;
        UConverter *converter = ucnv_open(options->encoding, &status);
        if (U_FAILURE(status) || converter == NULL) {
            g_set_error(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_ENCODING, "unknown encoding '%s'",
                        options->encoding);
            return NULL;
        }
        gboolean wide = ucnv_getMinCharSize(converter) > 1; /* UTF-16/32: NUL bytes are normal */
        char *text = NULL;
        if (!wide && bytes_look_binary(data, size))
            set_binary_error(error);
        else
            text = decode_strict(converter, options->encoding, bytes, size, out_len, error);
        ucnv_close(converter);
        if (text != NULL)
            doc->encoding = g_strdup(options->encoding);
        return text;
    }

    if (has_utf16_bom(data, size)) {
        char *text = decode_with("UTF-16", "UTF-16", bytes, size, out_len, error); /* eats the BOM */
        if (text != NULL)
            doc->encoding = g_strdup("UTF-16");
        return text;
    }

    if (bytes_look_binary(data, size)) {
        set_binary_error(error);
        return NULL;
    }

    if (g_utf8_validate_len(bytes, size, NULL)) {
        /* ISO-2022-JP is 7-bit, hence valid UTF-8 too: believe the detector if it saw it */
        if (memchr(data, 0x1B, size) != NULL) {
            int confidence[HY_N_CANDIDATES];
            detect(bytes, size, confidence);
            const HyCandidate *iso = &candidates[HY_ISO_2022_JP];
            char *text = confidence[HY_ISO_2022_JP] > HY_NO_EVIDENCE
                             ? decode_with(iso->converter, iso->label, bytes, size, out_len, NULL)
                             : NULL;
            if (text != NULL) {
                doc->encoding = g_strdup(iso->label);
                return text;
            }
        }
        doc->encoding = g_strdup("UTF-8");
        *out_len = size;
        *borrowed = TRUE;
        return (char *)bytes;
    }

    return decode_legacy(doc, bytes, size, out_len, error);
}

/* ---- pages and lines ------------------------------------------------------ */

/* A form feed followed by nothing but blanks ends the last page instead of opening
 * a new one (pdftotext ends its output that way). */
static int count_pages(const char *text, gsize len)
{
    int pages = 1;
    const char *last_ff = NULL;
    for (const char *p = text; (p = memchr(p, '\f', len - (gsize)(p - text))) != NULL; p++) {
        pages++;
        last_ff = p;
    }
    if (last_ff != NULL) {
        const char *p = last_ff + 1;
        while (p < text + len && (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t'))
            p++;
        if (p == text + len)
            pages--;
    }
    return pages;
}

typedef struct {
    HyDocument *doc;
    const HyExtractOptions *options;
    int page;
    int blank;          /* blank lines since the last line of this page */
    int lines_on_page;
    gboolean page_full; /* warned about max_lines_per_page on this page */
} HySplitter;

/* One piece of a physical line: a whole line, or the part of it before or after a
 * form feed. Only a whole line can count as a blank line. */
static gboolean add_piece(HySplitter *s, int number, const char *raw, gsize len, gboolean whole,
                          GError **error)
{
    if (len > 0 && raw[len - 1] == '\r')
        len--;
    gsize max = s->options->max_line_bytes;
    if (max > 0 && len > max) {
        len = hy_extract__utf8_cut(raw, len, max);
        hy_extract__warn(s->doc->warnings, "line %d: longer than %zu bytes, cut", number, max);
    }
    g_autoptr(HyLine) line = hy_extract__line_new(s->page, number, raw, len, error);
    if (line == NULL)
        return FALSE;
    if (line->text[0] == '\0') {
        if (whole)
            s->blank++;
        return TRUE;
    }
    if (s->options->max_lines_per_page > 0 && s->lines_on_page >= s->options->max_lines_per_page) {
        if (!s->page_full)
            hy_extract__warn(s->doc->warnings, "page %d: more than %d lines, the rest dropped", s->page,
                             s->options->max_lines_per_page);
        s->page_full = TRUE;
        return TRUE;
    }
    line->blank_before = s->blank;
    s->blank = 0;
    s->lines_on_page++;
    g_ptr_array_add(s->doc->lines, g_steal_pointer(&line));
    return TRUE;
}

static gboolean split_lines(HyDocument *doc, const char *text, gsize len, const HyExtractOptions *options,
                            GError **error)
{
    HySplitter s = {.doc = doc, .options = options, .page = 1};
    const char *end = text + len;
    int number = 0;
    for (const char *p = text; p < end;) {
        const char *nl = memchr(p, '\n', (gsize)(end - p));
        const char *line_end = nl != NULL ? nl : end;
        number++;
        const char *piece = p;
        gboolean whole = TRUE;
        for (;;) {
            const char *ff = memchr(piece, '\f', (gsize)(line_end - piece));
            if (ff != NULL)
                whole = FALSE;
            const char *piece_end = ff != NULL ? ff : line_end;
            if (!add_piece(&s, number, piece, (gsize)(piece_end - piece), whole, error))
                return FALSE;
            if (ff == NULL)
                break;
            s.page++;
            s.blank = 0;
            s.lines_on_page = 0;
            s.page_full = FALSE;
            piece = ff + 1;
        }
        p = nl != NULL ? nl + 1 : end;
    }
    doc->n_pages = count_pages(text, len);
    return TRUE;
}

/* The document's lines from its decoded text. */
static gboolean extract_lines(HyDocument *doc, const char *text, gsize len, const HyExtractOptions *options,
                              GError **error)
{
    if (text_looks_binary(text, len)) {
        set_binary_error(error);
        return FALSE;
    }
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { /* UTF-8 BOM */
        text += 3;
        len -= 3;
    }
    if (!split_lines(doc, text, len, options, error) || !hy_extract__split_columns(doc, error))
        return FALSE;
    if (doc->lines->len == 0) {
        g_set_error_literal(error, HY_EXTRACT_ERROR, HY_EXTRACT_ERROR_EMPTY, "no text");
        return FALSE;
    }
    return TRUE;
}

gboolean hy_extract__text(HyDocument *doc, GBytes *bytes, const HyExtractOptions *options, GError **error)
{
    gsize size = 0;
    const guint8 *data = g_bytes_get_data(bytes, &size);

    gsize len = 0;
    gboolean borrowed = FALSE;
    char *text = decode(doc, data, size, options, &len, &borrowed, error);
    if (text == NULL)
        return FALSE;
    gboolean ok = extract_lines(doc, text, len, options, error);
    if (!borrowed) g_free(text);
    return ok;
}
