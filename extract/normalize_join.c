/* normalize_join.c -- two helpers for text the later stages put together or compare:
 * hy_normalize_join() glues the pieces of a wrapped sentence, caption or URL, and
 * hy_normalize_number_dashes() reduces a phone number or postal code to digits and
 * '-'. The latter uses NFKC's piecewise path and, should ICU fail there, the
 * whole-string one, like hy_normalize_text(). */
#include "normalize_private.h"

#include <string.h>

#include <unicode/uchar.h>

/* TRUE when the last space-separated token of @head looks like a URL or an e-mail
 * address, so that its continuation on the next line must be glued on. */
static gboolean token_is_address(const char *head, gsize len)
{
    gsize start = len;
    while (start > 0 && head[start - 1] != ' ')
        start--;
    g_autofree char *token = g_ascii_strdown(head + start, (gssize)(len - start));
    return strstr(token, "://") != NULL || strstr(token, "www.") != NULL || strchr(token, '@') != NULL;
}

char *hy_normalize_join(const char *head, const char *tail)
{
    g_return_val_if_fail(head != NULL && tail != NULL, NULL);

    gsize head_len = strlen(head);
    while (head_len > 0 && head[head_len - 1] == ' ')
        head_len--;
    while (*tail == ' ')
        tail++;
    if (head_len == 0)
        return g_strdup(tail);
    if (*tail == '\0')
        return g_strndup(head, head_len);

    const char *last_p = g_utf8_find_prev_char(head, head + head_len);
    gunichar last = last_p ? g_utf8_get_char_validated(last_p, head + head_len - last_p) : 0;
    gunichar first = g_utf8_get_char_validated(tail, -1);

    gboolean space = FALSE;
    if (last == 0 || first == 0 || hy_normalize_is_japanese(last) || hy_normalize_is_japanese(first))
        space = FALSE;
    else if (token_is_address(head, head_len))
        space = FALSE; /* a URL or e-mail address wrapped onto the next line */
    else {
        gboolean head_word = u_isalnum((UChar32)last) || (last < 0x80 && strchr(",.;:!?)]}", (int)last));
        gboolean tail_word = u_isalnum((UChar32)first) || (first < 0x80 && strchr("([{", (int)first));
        space = head_word && tail_word;
    }

    /* exactly the bytes needed: a bullet's text is kept to the end of the document */
    gsize tail_len = strlen(tail);
    char *out = g_malloc(head_len + (space ? 1 : 0) + tail_len + 1);
    memcpy(out, head, head_len);
    if (space)
        out[head_len++] = ' ';
    memcpy(out + head_len, tail, tail_len + 1);
    return out;
}

char *hy_normalize_number_dashes(const char *utf8)
{
    g_return_val_if_fail(utf8 != NULL, NULL);

    g_autofree char *valid = g_utf8_make_valid(utf8, -1);
    gunichar in_stack[128], out_stack[256];
    HyCodePoints in, norm;
    hy_normalize__cps_init(&in, in_stack, G_N_ELEMENTS(in_stack));
    hy_normalize__cps_init(&norm, out_stack, G_N_ELEMENTS(out_stack));
    guint8 all = 0, any = 0;
    char *fast = NULL;
    if (hy_normalize__decode_utf8(valid, strlen(valid), &in, &all, &any) &&
        hy_normalize__nfkc_pieces(in.data, in.len, &norm)) {
        /* the same as below, without the UTF-16 round trip */
        gsize m = 0;
        for (gsize i = 0; i < norm.len; i++) {
            guint8 flags = hy_normalize__cp_flags(norm.data[i]);
            if (!(flags & HY_CP_SPACE))
                norm.data[m++] = (flags & HY_CP_DASH) ? '-' : norm.data[i];
        }
        fast = hy_normalize__encode_utf8(norm.data, m);
    }
    hy_normalize__cps_clear(&in);
    hy_normalize__cps_clear(&norm);
    if (fast != NULL)
        return fast;

    gsize n = 0;
    g_autofree gunichar *cps = hy_normalize__nfkc_code_points(valid, -1, &n, NULL);
    if (cps == NULL)
        return g_strdup(valid); /* only on ICU failure: better unchanged than nothing */

    gsize m = 0;
    for (gsize i = 0; i < n; i++) {
        if (hy_normalize__is_space(cps[i]))
            continue;
        cps[m++] = hy_normalize__is_dash_like(cps[i]) ? '-' : cps[i];
    }
    return hy_normalize__code_points_to_utf8(cps, m);
}
