/* normalize_private.h -- what the normalize stage's files share: the answers per code
 * point (normalize_chars.c), the code-point buffer and NFKC's two paths
 * (normalize_nfkc.c), the rules on code points (normalize_rules.c). Not a contract:
 * nothing outside the normalize_*.c files includes it. */
#pragma once

#include "hy_normalize.h"

#include <stdatomic.h>

/* ---- the answers per code point, cached (normalize_chars.c) ---------------- */

/* Every line asks ICU the same questions about the same few thousand characters, and
 * asking costs more than the rest of normalization together. So the answers for the BMP
 * are kept in a table, filled as characters turn up. Entries are bytes read and written
 * with relaxed atomics: threads that race over one compute the same value. */
enum {
    HY_CP_KNOWN = 1 << 0,           /* set in every answer, so that 0 in the table means not asked */
    HY_CP_INERT = 1 << 1,           /* unorm2_isInert: NFKC keeps it and never combines it */
    HY_CP_BOUNDARY_BEFORE = 1 << 2, /* unorm2_hasBoundaryBefore: text before it normalizes on its own */
    HY_CP_BOUNDARY_AFTER = 1 << 3,  /* unorm2_hasBoundaryAfter: text after it normalizes on its own */
    HY_CP_SPACE = 1 << 4,           /* ICU White_Space */
    HY_CP_CONTROL = 1 << 5,         /* general category Cc */
    HY_CP_DASH = 1 << 6,            /* hy_normalize__is_dash_like() */
    HY_CP_JAPANESE = 1 << 7,        /* hy_normalize_is_japanese() */
};

/* The table behind hy_normalize__cp_flags(), indexed by BMP code point; 0: not asked yet. */
extern _Atomic guint8 normalize_bmp_flags[0x10000];

/* The flags of @c, from ICU, uncached. */
guint8 hy_normalize__cp_flags_compute(gunichar c);

/* Inline: every character of every line goes through it, and a hit is one load. */
static inline guint8 hy_normalize__cp_flags(gunichar c)
{
    if (c > 0xFFFF)
        return hy_normalize__cp_flags_compute(c);
    guint8 flags = atomic_load_explicit(&normalize_bmp_flags[c], memory_order_relaxed);
    if (flags == 0) {
        flags = hy_normalize__cp_flags_compute(c);
        atomic_store_explicit(&normalize_bmp_flags[c], flags, memory_order_relaxed);
    }
    return flags;
}

static inline gboolean hy_normalize__is_space(gunichar c)
{
    return (hy_normalize__cp_flags(c) & HY_CP_SPACE) != 0;
}

/* hy_normalize_is_japanese(), inline for the space rules */
static inline gboolean hy_normalize__is_japanese(gunichar c)
{
    return (hy_normalize__cp_flags(c) & HY_CP_JAPANESE) != 0;
}

/* Dash-like as hy_normalize_number_dashes() says; uncached (HY_CP_DASH is the cached answer). */
gboolean hy_normalize__is_dash_like(gunichar c);

/* The ideograph a CJK Radicals Supplement code point stands for, or 0. */
gunichar hy_normalize__radical_equivalent(gunichar c);

/* ---- NFKC, UTF-8 <-> code points (normalize_nfkc.c) ---------------------- */

/* A growable array of code points that starts on the caller's stack. */
typedef struct {
    gunichar *data;
    gsize len, size;
    gboolean heap;
} HyCodePoints;

static inline void hy_normalize__cps_init(HyCodePoints *b, gunichar *stack, gsize size)
{
    *b = (HyCodePoints){.data = stack, .size = size};
}

static inline void hy_normalize__cps_clear(HyCodePoints *b)
{
    if (b->heap)
        g_free(b->data);
}

/* The whole-string path: validates @utf8 (@len bytes, -1: up to its NUL), converts it
 * to UTF-16 and applies NFKC, then unpacks the result into code points, the unit every
 * rule works on. Returns: (transfer full) @out_n code points, or NULL with
 * HY_NORMALIZE_ERROR_INPUT or HY_NORMALIZE_ERROR_ICU. */
gunichar *hy_normalize__nfkc_code_points(const char *utf8, gssize len, gsize *out_n, GError **error);

/* Returns: (transfer full) the UTF-8 of @n code points. */
char *hy_normalize__code_points_to_utf8(const gunichar *cps, gsize n);

/* The piecewise path, step 1: decodes @size bytes of UTF-8 into @out, and ANDs and ORs
 * the flags of every character into @all and @any. FALSE on anything
 * g_utf8_validate_len() would refuse (a NUL, an overlong form, a surrogate, a truncated
 * sequence...) or might: the caller then takes the whole-string path, which reports
 * the error. */
gboolean hy_normalize__decode_utf8(const char *utf8, gsize size, HyCodePoints *out, guint8 *all, guint8 *any);

/* Step 2: NFKC of @in (@n code points) appended to @out, the same code points as
 * hy_normalize__nfkc_code_points() gives. FALSE when ICU fails: the caller then takes the
 * whole-string path. */
gboolean hy_normalize__nfkc_pieces(const gunichar *in, gsize n, HyCodePoints *out);

/* Step 3: @cps are Unicode scalar values (NFKC output): the same bytes
 * g_unichar_to_utf8() writes. Returns: (transfer full). */
char *hy_normalize__encode_utf8(const gunichar *cps, gsize n);

/* ---- the rules on code points (normalize_rules.c) ------------------------- */

/* Applies rules 0 to 3 of hy_normalize_text() to the @n NFKC code points at @c, in
 * place. Returns: how many code points are left. */
gsize hy_normalize__apply_rules(gunichar *c, gsize n);
