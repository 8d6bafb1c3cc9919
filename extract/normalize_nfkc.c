/* normalize_nfkc.c -- NFKC between UTF-8 and the code points the rules work on, by two
 * paths that give the same code points. The whole-string path validates the UTF-8 and
 * normalizes it in one ICU call on UTF-16; it reports invalid input and ICU's errors.
 * The piecewise path decodes and encodes UTF-8 itself and hands ICU only the characters
 * that NFKC may change, with the NFKC of each lone BMP character cached: most lines
 * never reach ICU at all. Which path a line takes is hy_normalize_text()'s business. */
#include "normalize_private.h"

#include <stdatomic.h>
#include <string.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

/* ---- the whole string through UTF-16 -------------------------------------- */

static void set_icu_error(GError **error, const char *what, UErrorCode status)
{
    g_set_error(error, HY_NORMALIZE_ERROR, HY_NORMALIZE_ERROR_ICU, "%s: %s", what,
                u_errorName(status));
}

gunichar *hy_normalize__nfkc_code_points(const char *utf8, gssize len, gsize *out_n, GError **error)
{
    gsize n_bytes = len < 0 ? strlen(utf8) : (gsize)len;
    const char *bad = NULL;
    if (!g_utf8_validate_len(utf8, n_bytes, &bad)) {
        g_set_error(error, HY_NORMALIZE_ERROR, HY_NORMALIZE_ERROR_INPUT,
                    "not valid UTF-8 at byte %zu", (size_t)(bad - utf8));
        return NULL;
    }
    if (n_bytes > G_MAXINT32 / 2) {
        g_set_error(error, HY_NORMALIZE_ERROR, HY_NORMALIZE_ERROR_INPUT, "text too long (%zu bytes)",
                    n_bytes);
        return NULL;
    }

    UErrorCode status = U_ZERO_ERROR;
    int32_t n16 = 0;
    u_strFromUTF8(NULL, 0, &n16, utf8, (int32_t)n_bytes, &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) {
        set_icu_error(error, "u_strFromUTF8", status);
        return NULL;
    }
    g_autofree UChar *u16 = g_new(UChar, n16 + 1);
    status = U_ZERO_ERROR;
    u_strFromUTF8(u16, n16 + 1, NULL, utf8, (int32_t)n_bytes, &status);
    if (U_FAILURE(status)) {
        set_icu_error(error, "u_strFromUTF8", status);
        return NULL;
    }

    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&status);
    if (U_FAILURE(status)) {
        set_icu_error(error, "unorm2_getNFKCInstance", status);
        return NULL;
    }
    int32_t n_norm = unorm2_normalize(nfkc, u16, n16, NULL, 0, &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) {
        set_icu_error(error, "unorm2_normalize", status);
        return NULL;
    }
    g_autofree UChar *norm = g_new(UChar, n_norm + 1);
    status = U_ZERO_ERROR;
    unorm2_normalize(nfkc, u16, n16, norm, n_norm + 1, &status);
    if (U_FAILURE(status)) {
        set_icu_error(error, "unorm2_normalize", status);
        return NULL;
    }

    gunichar *cps = g_new(gunichar, n_norm + 1);
    gsize n = 0;
    for (int32_t i = 0; i < n_norm;) {
        UChar32 c;
        U16_NEXT(norm, i, n_norm, c);
        cps[n++] = (gunichar)c;
    }
    *out_n = n;
    return cps;
}

char *hy_normalize__code_points_to_utf8(const gunichar *cps, gsize n)
{
    GString *out = g_string_sized_new(n * 3 + 1);
    for (gsize i = 0; i < n; i++)
        g_string_append_unichar(out, cps[i]);
    return g_string_free(out, FALSE);
}

/* ---- piece by piece, without the round trip through UTF-16 --------------- */

static void cps_reserve(HyCodePoints *b, gsize more)
{
    if (b->len + more <= b->size)
        return;
    gsize size = MAX(b->size * 2, b->len + more);
    gunichar *data = g_new(gunichar, size);
    memcpy(data, b->data, b->len * sizeof *data);
    hy_normalize__cps_clear(b);
    *b = (HyCodePoints){.data = data, .len = b->len, .size = size, .heap = TRUE};
}

gboolean hy_normalize__decode_utf8(const char *utf8, gsize size, HyCodePoints *out, guint8 *all, guint8 *any)
{
    guint8 flags_and = 0xFF, flags_or = 0;
    cps_reserve(out, size);
    const guchar *p = (const guchar *)utf8, *end = p + size;
    gunichar *o = out->data + out->len;
    while (p < end) {
        guchar b = *p;
        gunichar c;
        if (b >= 0x01 && b < 0x80) {
            guint8 flags = hy_normalize__cp_flags(b);
            flags_and &= flags;
            flags_or |= flags;
            *o++ = b;
            p++;
            continue;
        }
        if (b >= 0xC2 && b < 0xE0 && end - p >= 2 && (p[1] & 0xC0) == 0x80) {
            c = ((gunichar)(b & 0x1F) << 6) | (p[1] & 0x3F);
            p += 2;
        } else if (b >= 0xE0 && b < 0xF0 && end - p >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
            c = ((gunichar)(b & 0x0F) << 12) | ((gunichar)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
            if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))
                return FALSE;
            p += 3;
        } else if (b >= 0xF0 && b < 0xF5 && end - p >= 4 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
                   (p[3] & 0xC0) == 0x80) {
            c = ((gunichar)(b & 0x07) << 18) | ((gunichar)(p[1] & 0x3F) << 12) |
                ((gunichar)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
            if (c < 0x10000 || c > 0x10FFFF)
                return FALSE;
            p += 4;
        } else {
            return FALSE;
        }
        guint8 flags = hy_normalize__cp_flags(c);
        flags_and &= flags;
        flags_or |= flags;
        *o++ = c;
    }
    out->len = (gsize)(o - out->data);
    *all = flags_and;
    *any = flags_or;
    return TRUE;
}

/* NFKC of @n code points through ICU, appended to @out. */
static gboolean nfkc_piece_icu(const UNormalizer2 *nfkc, const gunichar *cps, gsize n, HyCodePoints *out)
{
    UChar in_stack[64], out_stack[256];
    g_autofree UChar *in_heap = n * 2 > G_N_ELEMENTS(in_stack) ? g_new(UChar, n * 2) : NULL;
    UChar *in = in_heap != NULL ? in_heap : in_stack;
    int32_t n16 = 0;
    for (gsize i = 0; i < n; i++)
        U16_APPEND_UNSAFE(in, n16, cps[i]);
    UErrorCode status = U_ZERO_ERROR;
    int32_t n_norm = unorm2_normalize(nfkc, in, n16, out_stack, G_N_ELEMENTS(out_stack), &status);
    g_autofree UChar *norm_heap = NULL;
    const UChar *norm = out_stack;
    if (status == U_BUFFER_OVERFLOW_ERROR) {
        norm_heap = g_new(UChar, n_norm);
        status = U_ZERO_ERROR;
        unorm2_normalize(nfkc, in, n16, norm_heap, n_norm, &status);
        norm = norm_heap;
    }
    if (U_FAILURE(status))
        return FALSE;
    cps_reserve(out, (gsize)n_norm);
    for (int32_t i = 0; i < n_norm;) {
        UChar32 c;
        U16_NEXT(norm, i, n_norm, c);
        out->data[out->len++] = (gunichar)c;
    }
    return TRUE;
}

/* NFKC of one BMP character that stands between normalization boundaries: [0] is
 * the count, the code points follow. Kept like the flags, for the same reason. */
static _Atomic(gunichar *) bmp_nfkc[0x10000];

static const gunichar *nfkc_of_char(const UNormalizer2 *nfkc, gunichar c)
{
    gunichar *known = atomic_load_explicit(&bmp_nfkc[c], memory_order_acquire);
    if (known != NULL)
        return known;
    gunichar stack[32];
    HyCodePoints made;
    hy_normalize__cps_init(&made, stack, G_N_ELEMENTS(stack));
    if (!nfkc_piece_icu(nfkc, &c, 1, &made)) {
        hy_normalize__cps_clear(&made);
        return NULL;
    }
    gunichar *entry = g_new(gunichar, made.len + 1);
    entry[0] = (gunichar)made.len;
    memcpy(entry + 1, made.data, made.len * sizeof *entry);
    hy_normalize__cps_clear(&made);
    gunichar *expected = NULL;
    if (!atomic_compare_exchange_strong_explicit(&bmp_nfkc[c], &expected, entry, memory_order_acq_rel,
                                                 memory_order_acquire)) {
        g_free(entry); /* another thread was first: the same answer */
        return expected;
    }
    return entry;
}

/* ICU guarantees that text split where a character has a boundary before it, or after
 * it, normalizes as the concatenation of the normalized pieces. An inert character is a
 * piece that stays as it is; a lone other character comes from the cache; only runs of
 * characters that interact (half-width kana and their voicing marks, combining marks)
 * go through ICU. */
gboolean hy_normalize__nfkc_pieces(const gunichar *in, gsize n, HyCodePoints *out)
{
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&status);
    if (U_FAILURE(status))
        return FALSE;
    cps_reserve(out, n);
    for (gsize i = 0; i < n;) {
        gunichar c = in[i];
        guint8 flags = hy_normalize__cp_flags(c);
        if (flags & HY_CP_INERT) {
            cps_reserve(out, 1);
            out->data[out->len++] = c;
            i++;
            continue;
        }
        gsize j = i + 1;
        while (j < n && !(hy_normalize__cp_flags(in[j - 1]) & HY_CP_BOUNDARY_AFTER) &&
               !(hy_normalize__cp_flags(in[j]) & HY_CP_BOUNDARY_BEFORE))
            j++;
        if (j == i + 1 && c <= 0xFFFF) {
            const gunichar *mapped = nfkc_of_char(nfkc, c);
            if (mapped == NULL)
                return FALSE;
            cps_reserve(out, mapped[0]);
            memcpy(out->data + out->len, mapped + 1, mapped[0] * sizeof *mapped);
            out->len += mapped[0];
        } else if (!nfkc_piece_icu(nfkc, in + i, j - i, out)) {
            return FALSE;
        }
        i = j;
    }
    return TRUE;
}

char *hy_normalize__encode_utf8(const gunichar *cps, gsize n)
{
    gsize size = 0;
    for (gsize i = 0; i < n; i++)
        size += cps[i] < 0x80 ? 1 : cps[i] < 0x800 ? 2 : cps[i] < 0x10000 ? 3 : 4;
    char *out = g_malloc(size + 1);
    guchar *o = (guchar *)out;
    for (gsize i = 0; i < n; i++) {
        gunichar c = cps[i];
        if (c < 0x80) {
            *o++ = (guchar)c;
        } else if (c < 0x800) {
            *o++ = (guchar)(0xC0 | (c >> 6));
            *o++ = (guchar)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            *o++ = (guchar)(0xE0 | (c >> 12));
            *o++ = (guchar)(0x80 | ((c >> 6) & 0x3F));
            *o++ = (guchar)(0x80 | (c & 0x3F));
        } else {
            *o++ = (guchar)(0xF0 | (c >> 18));
            *o++ = (guchar)(0x80 | ((c >> 12) & 0x3F));
            *o++ = (guchar)(0x80 | ((c >> 6) & 0x3F));
            *o++ = (guchar)(0x80 | (c & 0x3F));
        }
    }
    *o = '\0';
    return out;
}

