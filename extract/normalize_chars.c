/* normalize_chars.c -- what the normalize stage asks of one code point: the questions
 * put to ICU (NFKC-inert, normalization boundaries, White_Space, control, dash-like,
 * Japanese), answered once per BMP code point into the table that
 * hy_normalize__cp_flags() reads (normalize_private.h), and the ideographs that some CJK
 * radicals stand for. */
#include "normalize_private.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>

static gboolean is_japanese_icu(gunichar c)
{
    UErrorCode status = U_ZERO_ERROR;
    UScriptCode script = uscript_getScript((UChar32)c, &status);
    if (U_SUCCESS(status) && (script == USCRIPT_HAN || script == USCRIPT_HIRAGANA ||
                              script == USCRIPT_KATAKANA || script == USCRIPT_KATAKANA_OR_HIRAGANA))
        return TRUE;

    /* Script alone misses the Common-script marks that belong to Japanese text:
     * 「」、。〒 (CJK Symbols), ・ー (Katakana block, script Common), full-width forms. */
    switch (ublock_getCode((UChar32)c)) {
    case UBLOCK_CJK_SYMBOLS_AND_PUNCTUATION:
    case UBLOCK_HIRAGANA:
    case UBLOCK_KATAKANA:
    case UBLOCK_KATAKANA_PHONETIC_EXTENSIONS:
    case UBLOCK_HALFWIDTH_AND_FULLWIDTH_FORMS:
    case UBLOCK_CJK_UNIFIED_IDEOGRAPHS:
    case UBLOCK_CJK_COMPATIBILITY_IDEOGRAPHS:
    case UBLOCK_ENCLOSED_CJK_LETTERS_AND_MONTHS:
        return TRUE;
    default:
        break;
    }
    return u_hasBinaryProperty((UChar32)c, UCHAR_IDEOGRAPHIC);
}

/* Dash-like: Unicode's Dash property (‐ ‑ ‒ – — ― − - ...) and the prolonged-sound mark
 * ー, which PDF producers put between phone-number groups. The wave dashes 〜 〰 and ⁓
 * carry the Dash property too but mean "to" (a range), not a hyphen, so they stay. */
gboolean hy_normalize__is_dash_like(gunichar c)
{
    if (c == 0x30FC || c == 0xFF70) /* ー, half-width ｰ */
        return TRUE;
    if (c == 0x301C || c == 0x3030 || c == 0x2053)
        return FALSE;
    return u_hasBinaryProperty((UChar32)c, UCHAR_DASH);
}

/* CJK Radicals Supplement characters whose glyph is a whole ideograph. Fonts map some
 * ideographs to these code points too (Chromium's PDFs write 民 as ⺠ U+2EA0), and NFKC
 * leaves them (only ⺟ and ⻳ have a mapping), so 中華人⺠共和国 would be no country.
 * Radical forms that are no character of their own (⺅ ⻌ ⻏) are not here. */
gunichar hy_normalize__radical_equivalent(gunichar c)
{
    switch (c) {
    case 0x2EA0: return 0x6C11; /* ⺠ 民 */
    case 0x2EC1: return 0x864E; /* ⻁ 虎 */
    case 0x2EC4: return 0x897F; /* ⻄ 西 */
    case 0x2EC6: return 0x89D2; /* ⻆ 角 */
    case 0x2ED1: return 0x9577; /* ⻑ 長 */
    case 0x2ED8: return 0x9752; /* ⻘ 青 */
    case 0x2EDD: return 0x98DF; /* ⻝ 食 */
    case 0x2EE1: return 0x9996; /* ⻡ 首 */
    case 0x2EE3: return 0x9AA8; /* ⻣ 骨 */
    case 0x2EE4: return 0x9B3C; /* ⻤ 鬼 */
    case 0x2EE8: return 0x9EA6; /* ⻨ 麦 */
    case 0x2EE9: return 0x9EC4; /* ⻩ 黄 */
    case 0x2EEB: return 0x6589; /* ⻫ 斉 */
    case 0x2EED: return 0x6B6F; /* ⻭ 歯 */
    case 0x2EEF: return 0x7ADC; /* ⻯ 竜 */
    case 0x2EF2: return 0x4E80; /* ⻲ 亀 */
    default: return 0;
    }
}

_Atomic guint8 normalize_bmp_flags[0x10000];

guint8 hy_normalize__cp_flags_compute(gunichar c)
{
    guint8 flags = HY_CP_KNOWN;
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&status);
    if (U_SUCCESS(status)) {
        /* a radical that becomes its ideograph (hy_normalize__radical_equivalent) is no inert character */
        flags |= unorm2_isInert(nfkc, (UChar32)c) && hy_normalize__radical_equivalent(c) == 0 ? HY_CP_INERT : 0;
        flags |= unorm2_hasBoundaryBefore(nfkc, (UChar32)c) ? HY_CP_BOUNDARY_BEFORE : 0;
        flags |= unorm2_hasBoundaryAfter(nfkc, (UChar32)c) ? HY_CP_BOUNDARY_AFTER : 0;
    }
    flags |= u_isUWhiteSpace((UChar32)c) ? HY_CP_SPACE : 0;
    flags |= u_charType((UChar32)c) == U_CONTROL_CHAR ? HY_CP_CONTROL : 0;
    flags |= hy_normalize__is_dash_like(c) ? HY_CP_DASH : 0;
    flags |= is_japanese_icu(c) ? HY_CP_JAPANESE : 0;
    return flags;
}

gboolean hy_normalize_is_japanese(gunichar c)
{
    return hy_normalize__is_japanese(c);
}
