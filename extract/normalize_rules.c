/* normalize_rules.c -- the rules of hy_normalize_text() that work on NFKC code points
 * (hy_normalize.h, rules 0 to 3): control characters and radicals, letter-spaced runs,
 * white space, dashes between digits, glyph gaps inside phone numbers, postal codes,
 * URLs and e-mail addresses, and the spaces next to Japanese characters. Everything
 * here rewrites a code-point array in place and never grows it; what a code point is
 * comes from hy_normalize__cp_flags(). */
#include "normalize_private.h"

static gboolean is_ascii_digit(gunichar c)
{
    return c >= '0' && c <= '9';
}

/* Fewest one-character pieces in a row, each one space from the next, that make a line
 * letter-spaced: extractors write a space between every two glyphs of text set with
 * letter spacing (`0 7 6 - 4 4 4`, `a k o k u s a i @`) and two or more where the text
 * had a space. Three is what a page number's `- 1 -` is; and two of the pieces side by
 * side must be letters or digits (`a + b = c` is a formula written apart). */
#define HY_LETTER_SPACED_MIN 4

static gboolean is_ascii_alnum(gunichar c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Length of the piece of a letter-spaced run at @c[@i], or 0: one character with spaces
 * or the line's ends either side, or two when kerning drew a full stop, comma, colon,
 * slash or hyphen against the glyph before it (`c i t y. k y o t o`). */
static gsize spaced_piece(const gunichar *c, gsize n, gsize i)
{
    if (i >= n || c[i] == ' ' || (i > 0 && c[i - 1] != ' '))
        return 0;
    if (i + 1 == n || c[i + 1] == ' ')
        return 1;
    gunichar p = c[i + 1];
    if ((p == '.' || p == ',' || p == ':' || p == '/' || p == '-') && (i + 2 == n || c[i + 2] == ' '))
        return 2;
    return 0;
}

/* Rule 1a: in a letter-spaced run (HY_LETTER_SPACED_MIN or more pieces one space apart,
 * see spaced_piece()) the single spaces are glyph gaps and go; the wider spaces around
 * the run stay, for rule 1 to make one space of. Works on spaces not yet collapsed. */
static gsize join_letter_spaced(gunichar *c, gsize n)
{
    gsize m = 0;
    for (gsize i = 0; i < n;) {
        gsize len = spaced_piece(c, n, i);
        if (len == 0) {
            c[m++] = c[i++];
            continue;
        }
        gsize end = i + len, count = 1; /* end: just after the run's last piece */
        gboolean word = FALSE;
        for (;;) {
            gsize next = end < n && c[end] == ' ' ? spaced_piece(c, n, end + 1) : 0;
            if (next == 0)
                break;
            word |= g_unichar_isalnum(c[end - 1]) && g_unichar_isalnum(c[end + 1]);
            end += 1 + next;
            count++;
        }
        if (count < HY_LETTER_SPACED_MIN || !word) {
            while (i < end) /* no run starts inside one that was not: stay linear */
                c[m++] = c[i++];
            continue;
        }
        for (gsize k = i; k < end; k++)
            if (c[k] != ' ')
                c[m++] = c[k];
        i = end;
    }
    return m;
}

/* Rule 2a: a Japanese phone number with glyph gaps in it (`0880-82-1 1 1 3`: narrow
 * digits set on a wider grid). Three groups of digits joined by '-', the first starting
 * with 0 and 2-5 digits long, 10 or 11 digits in all; a space between two digits of a
 * group goes. The last group takes digits across spaces only up to four (a subscriber
 * number is four digits), so two numbers written one space apart stay two. Returns the
 * end of what it read from @c[@i] (a '0'), writing the number without its spaces at
 * @c[*@m] onwards. */
static gsize take_spaced_phone(gunichar *c, gsize n, gsize i, gsize *m)
{
    int group[3] = {0, 0, 0}, g = 0, total = 0, spaces = 0;
    gsize k = i;
    while (k < n) {
        if (is_ascii_digit(c[k])) {
            group[g]++;
            total++;
        } else if (c[k] == '-' && group[g] > 0 && g < 2) {
            g++;
        } else if (c[k] == ' ' && k + 1 < n && is_ascii_digit(c[k + 1]) && total < 11 &&
                   (g == 1 || (g == 0 && group[0] < 5) || (g == 2 && group[2] < 4))) {
            spaces++;
        } else {
            break;
        }
        k++;
    }
    /* a space the scan took last belongs to no digit: give it back */
    while (k > i && c[k - 1] == ' ') {
        k--;
        spaces--;
    }
    gboolean phone = g == 2 && group[0] >= 2 && group[2] >= 3 && total >= 10 && total <= 11 &&
                     !(k < n && is_ascii_digit(c[k]));
    for (gsize j = i; j < k; j++)
        if (!(phone && spaces > 0 && c[j] == ' '))
            c[(*m)++] = c[j];
    return k;
}

/* Rule 2b: a postal code after 〒 with glyph gaps in it (`〒939-1 398`): three digits,
 * '-', four digits, spaces between the digits going. Same contract as
 * take_spaced_phone(), from @c[@i] just after the 〒 (and one space after it). */
static gsize take_spaced_postal(gunichar *c, gsize n, gsize i, gsize *m)
{
    int group[2] = {0, 0}, g = 0;
    gsize k = i;
    while (k < n) {
        if (is_ascii_digit(c[k]) && group[g] < (g == 0 ? 3 : 4)) {
            group[g]++;
        } else if (c[k] == '-' && g == 0 && group[0] == 3) {
            g++;
        } else if (c[k] == ' ' && k + 1 < n && is_ascii_digit(c[k + 1]) && group[g] > 0 &&
                   group[g] < (g == 0 ? 3 : 4)) {
        } else {
            break;
        }
        k++;
    }
    gboolean postal = g == 1 && group[1] == 4 && !(k < n && is_ascii_digit(c[k]));
    for (gsize j = i; j < k; j++)
        if (!(postal && c[j] == ' '))
            c[(*m)++] = c[j];
    return k;
}

/* Rules 2a and 2b over the line (spaces already single). */
static gsize join_spaced_numbers(gunichar *c, gsize n)
{
    gsize m = 0;
    for (gsize i = 0; i < n;) {
        gboolean starts_number = i == 0 || !(is_ascii_digit(c[i - 1]) || c[i - 1] == '-');
        if (c[i] == '0' && starts_number) {
            i = take_spaced_phone(c, n, i, &m);
        } else if (c[i] == 0x3012) { /* 〒 */
            c[m++] = c[i++];
            if (i + 1 < n && c[i] == ' ' && is_ascii_digit(c[i + 1]))
                c[m++] = c[i++];
            if (i < n && is_ascii_digit(c[i]))
                i = take_spaced_postal(c, n, i, &m);
        } else {
            c[m++] = c[i++];
        }
    }
    return m;
}

static gboolean ascii_prefix_ci(const gunichar *s, gsize n, const char *prefix)
{
    gsize k = 0;
    for (; prefix[k] != '\0'; k++)
        if (k >= n || g_ascii_tolower((gchar)MIN(s[k], 0x7Fu)) != prefix[k])
            return FALSE;
    return TRUE;
}

/* Whether @token (@n code points) holds an address: "://", "@" or "www.". */
static gboolean token_holds_address(const gunichar *token, gsize n)
{
    for (gsize k = 0; k < n; k++) {
        if (token[k] == '@') return TRUE;
        if (k + 3 <= n && token[k] == ':' && token[k + 1] == '/' && token[k + 2] == '/') return TRUE;
        if (ascii_prefix_ci(token + k, n - k, "www.")) return TRUE;
    }
    return FALSE;
}

/* Longest token (code points) address_gap() looks into: longer than any URL of a
 * report, and it keeps a hostile line of gapped dots linear instead of quadratic. */
#define HY_ADDRESS_MAX_CHARS 512

/* Whether the space between @token (the text since the last kept space) and @next is a
 * glyph gap inside a URL or e-mail address. */
static gboolean address_gap(const gunichar *token, gsize n, gunichar next)
{
    if (n == 0 || n > HY_ADDRESS_MAX_CHARS || next > 0x7F || next <= ' ')
        return FALSE;
    /* the scheme, up to its "//": `https:/ / www` */
    for (gsize k = n; k-- > 0;) {
        if (!ascii_prefix_ci(token + k, n - k, "http"))
            continue;
        gsize len = n - k;
        const gunichar *s = token + k;
        gsize scheme = len >= 5 && (s[4] == 's' || s[4] == 'S') ? 5 : 4;
        if (len == scheme) return next == ':';
        gboolean prefix = TRUE;
        for (gsize j = scheme; j < len && prefix; j++)
            prefix = j - scheme < 3 && s[j] == (gunichar)":/"[MIN(j - scheme, 1)];
        if (prefix && len < scheme + 3) return next == '/';
        if (prefix) return is_ascii_alnum(next);
        break;
    }
    gunichar prev = token[n - 1];
    if (token_holds_address(token, n))
        return prev == '.' || prev == '@' || next == '.' || next == '@' || (next == '/' && prev != '/');
    /* the local part of an e-mail address before a gapped '@' */
    if (next != '@') return FALSE;
    for (gsize k = 0; k < n; k++)
        if (!is_ascii_alnum(token[k]) && token[k] != '.' && token[k] != '_' && token[k] != '-' &&
            token[k] != '+')
            return FALSE;
    return TRUE;
}

/* Rule 2c: glyph gaps inside URLs and e-mail addresses go (spaces already single). */
static gsize join_spaced_addresses(gunichar *c, gsize n)
{
    gsize m = 0, token = 0;
    for (gsize i = 0; i < n; i++) {
        if (c[i] == ' ' && i + 1 < n && address_gap(c + token, m - token, c[i + 1]))
            continue;
        c[m++] = c[i];
        if (c[i] == ' ')
            token = m;
    }
    return m;
}

/* The rules, in order, on NFKC code points (see hy_normalize.h and output-v1.md):
 * 0. control characters (other than white space) are dropped, whole-ideograph radicals
 *    become their ideograph, every white space character becomes ' ';
 * 1a. the glyph gaps of letter-spaced runs go (join_letter_spaced);
 * 1. every run of spaces becomes one ' ';
 * 2. a dash between two ASCII digits (a space either side allowed) becomes '-' and
 *    swallows those spaces, so `076 ー 444` and `076−444` both give `076-444`;
 * 2a-c. glyph gaps inside a phone number, a postal code after 〒, a URL or e-mail
 *    address go (join_spaced_numbers, join_spaced_addresses);
 * 3. a space with a Japanese character on either side goes, as do leading and
 *    trailing spaces. The NFKC forms decide: `住所：` is `住所:` by then. */
gsize hy_normalize__apply_rules(gunichar *c, gsize n)
{
    const gunichar GONE = 0xFFFFFFFFu; /* never a code point */

    gsize m = 0;
    guint8 seen = 0; /* the later passes only run when there is something for them */
    gboolean wide_gap = FALSE;
    gsize spaces = 0;
    for (gsize i = 0; i < n; i++) {
        /* Control characters are never content; a broken font mapping is the usual source. */
        guint8 flags = hy_normalize__cp_flags(c[i]);
        seen |= flags;
        if ((flags & (HY_CP_CONTROL | HY_CP_SPACE)) == HY_CP_CONTROL)
            continue;
        if (flags & HY_CP_SPACE) {
            spaces++;
            wide_gap |= m > 0 && c[m - 1] == ' ';
            c[m++] = ' ';
        } else if (c[i] >= 0x2E80 && c[i] <= 0x2EFF && hy_normalize__radical_equivalent(c[i]) != 0) {
            c[m++] = hy_normalize__radical_equivalent(c[i]);
        } else {
            c[m++] = c[i];
        }
    }
    n = m;
    if (!(seen & HY_CP_SPACE) && !(seen & HY_CP_DASH))
        return n;

    if (seen & HY_CP_SPACE) {
        /* A letter-spaced run has a space between each two of its pieces. */
        if (spaces + 1 >= HY_LETTER_SPACED_MIN)
            n = join_letter_spaced(c, n);
        if (wide_gap) {
            m = 0;
            for (gsize i = 0; i < n; i++)
                if (!(c[i] == ' ' && m > 0 && c[m - 1] == ' '))
                    c[m++] = c[i];
            n = m;
        }
    }

    gboolean dashed = FALSE;
    for (gsize i = 0; i < n && (seen & HY_CP_DASH); i++) {
        if (!(hy_normalize__cp_flags(c[i]) & HY_CP_DASH))
            continue;
        gsize before = i, after = i + 1;
        if (before > 0 && c[before - 1] == ' ')
            before--;
        if (after < n && c[after] == ' ')
            after++;
        if (before == 0 || after >= n || !is_ascii_digit(c[before - 1]) || !is_ascii_digit(c[after]))
            continue;
        c[i] = '-';
        if (before < i)
            c[before] = GONE, dashed = TRUE;
        if (after > i + 1)
            c[i + 1] = GONE, dashed = TRUE;
    }
    if (dashed) {
        m = 0;
        for (gsize i = 0; i < n; i++)
            if (c[i] != GONE)
                c[m++] = c[i];
        n = m;
    }
    if (seen & HY_CP_SPACE) {
        n = join_spaced_numbers(c, n);
        n = join_spaced_addresses(c, n);
    }

    /* After step 1 a space's neighbours are never spaces, so each space can be
     * judged on its own against the neighbours that are still there. */
    m = 0;
    for (gsize i = 0; i < n; i++) {
        if (c[i] == ' ') {
            gunichar prev = m > 0 ? c[m - 1] : 0;
            gunichar next = i + 1 < n ? c[i + 1] : 0;
            if (prev == 0 || next == 0 || next == ' ' || hy_normalize__is_japanese(prev) ||
                hy_normalize__is_japanese(next))
                continue;
        }
        c[m++] = c[i];
    }
    return m;
}

