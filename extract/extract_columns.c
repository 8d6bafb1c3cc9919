/* extract_columns.c -- text laid out in columns, as `pdftotext -layout` writes it: a
 * wide run of spaces is a gutter between two pieces of text that do not belong to one
 * line (two photo captions side by side, 電話 and FAX set apart). Normalization would
 * glue them together (no space survives between Japanese characters), so the pieces
 * become lines of their own here, and where several lines share their columns, each
 * column is read to its end before the next, as a reader reads it. */
#include "extract_private.h"

#include <string.h>

/* Spaces that make a gutter: four ASCII spaces, or two ideographic ones (U+3000). */
#define HY_GUTTER_COLUMNS 4
/* How far apart two pieces may start and still be one column. */
#define HY_COLUMN_SLACK 3

typedef struct {
    int column;       /* display column where the piece starts */
    int end;          /* display column just after its last character */
    const char *text; /* into the line's raw text */
    gsize len;
} Piece;

static int width_of(gunichar c)
{
    return g_unichar_iswide(c) ? 2 : 1;
}

/* Splits @raw at gutters into @pieces; returns their count (1 for an ordinary line). */
static guint split_at_gutters(const char *raw, GArray *pieces)
{
    g_array_set_size(pieces, 0);
    int column = 0, run = 0;
    const char *piece = NULL, *run_start = NULL;
    int piece_column = 0, last_end = 0;
    for (const char *p = raw; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        gboolean space = c == ' ' || c == '\t' || c == 0x3000;
        if (space) {
            if (run == 0) run_start = p;
            run += c == 0x3000 ? 2 : 1;
        } else {
            if (piece != NULL && run >= HY_GUTTER_COLUMNS) {
                Piece done = {piece_column, last_end, piece, (gsize)(run_start - piece)};
                g_array_append_val(pieces, done);
                piece = NULL;
            }
            if (piece == NULL) piece = p, piece_column = column;
            run = 0;
        }
        column += space ? (c == 0x3000 ? 2 : 1) : width_of(c);
        if (!space) last_end = column;
    }
    if (piece != NULL) {
        Piece done = {piece_column, last_end, piece, run > 0 ? (gsize)(run_start - piece) : strlen(piece)};
        g_array_append_val(pieces, done);
    }
    return pieces->len;
}

/* Whether split_at_gutters() could find two pieces in @raw (valid UTF-8): a run of
 * blanks HY_GUTTER_COLUMNS wide with something on both sides. Bytes suffice (U+3000 is
 * E3 80 80; no other character has a byte below 0x80 or starts with E3 80 80), and most
 * lines have no such run: they need no decoding and no widths. */
static gboolean may_have_gutter(const char *raw)
{
    int run = 0;
    gboolean seen = FALSE;
    for (const guchar *p = (const guchar *)raw; *p != '\0';) {
        if (*p == ' ' || *p == '\t') {
            run += 1;
            p++;
        } else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
            run += 2;
            p += 3;
        } else {
            if (seen && run >= HY_GUTTER_COLUMNS) return TRUE;
            seen = TRUE;
            run = 0;
            p++;
        }
    }
    return FALSE;
}

static HyLine *piece_line(const HyLine *from, const Piece *piece, GError **error)
{
    HyLine *line = hy_extract__line_new(from->page, from->number, piece->text, piece->len, error);
    if (line != NULL) line->indent = piece->column;
    return line;
}

/* Index of the column (by start) that @column falls in, or -1. */
static int column_index(const GArray *starts, int column)
{
    for (guint i = 0; i < starts->len; i++)
        if (ABS(g_array_index(starts, int, i) - column) <= HY_COLUMN_SLACK) return (int)i;
    return -1;
}

/* Whether @piece stands in one of the columns @starts: it starts in one and ends before
 * the next one starts. Text that is not laid out (PyMuPDF's, with `電話：…　　FAX：…`
 * written apart and no blank line after the contact box) has lines running across the
 * second column's start: they end the run instead of being read as column one. */
static gboolean piece_fits(const GArray *starts, const Piece *piece)
{
    int col = column_index(starts, piece->column);
    if (col < 0) return FALSE;
    for (guint i = 0; i < starts->len; i++) {
        int start = g_array_index(starts, int, i);
        if (start > piece->column + HY_COLUMN_SLACK && piece->end > start) return FALSE;
    }
    return TRUE;
}

gboolean hy_extract__split_columns(HyDocument *doc, GError **error)
{
    GPtrArray *in = doc->lines;
    g_autoptr(GPtrArray) out = g_ptr_array_new_full(in->len, (GDestroyNotify)hy_line_free);
    g_autoptr(GArray) pieces = g_array_new(FALSE, FALSE, sizeof(Piece));
    g_autoptr(GArray) starts = g_array_new(FALSE, FALSE, sizeof(int));

    for (guint i = 0; i < in->len;) {
        const HyLine *line = g_ptr_array_index(in, i);
        if (!may_have_gutter(line->raw) || split_at_gutters(line->raw, pieces) < 2) {
            g_ptr_array_add(out, g_steal_pointer(&g_ptr_array_index(in, i)));
            i++;
            continue;
        }
        /* A run of adjacent lines whose pieces stand in the same columns. */
        g_array_set_size(starts, 0);
        for (guint p = 0; p < pieces->len; p++) g_array_append_val(starts, g_array_index(pieces, Piece, p).column);
        guint end = i + 1;
        while (end < in->len) {
            const HyLine *next = g_ptr_array_index(in, end);
            if (next->page != line->page || next->blank_before > 0) break;
            g_autoptr(GArray) next_pieces = g_array_new(FALSE, FALSE, sizeof(Piece));
            split_at_gutters(next->raw, next_pieces);
            gboolean aligned = TRUE;
            for (guint p = 0; p < next_pieces->len && aligned; p++)
                aligned = piece_fits(starts, &g_array_index(next_pieces, Piece, p));
            if (!aligned) break;
            end++;
        }
        /* Column by column, top to bottom; a new column starts a new paragraph. */
        for (guint col = 0; col < starts->len; col++) {
            gboolean first = TRUE;
            for (guint l = i; l < end; l++) {
                const HyLine *from = g_ptr_array_index(in, l);
                split_at_gutters(from->raw, pieces);
                for (guint p = 0; p < pieces->len; p++) {
                    const Piece *piece = &g_array_index(pieces, Piece, p);
                    if (column_index(starts, piece->column) != (int)col) continue;
                    HyLine *made = piece_line(from, piece, error);
                    if (made == NULL) return FALSE;
                    if (*made->text == '\0') {
                        hy_line_free(made);
                        continue;
                    }
                    made->blank_before = first ? (col == 0 ? from->blank_before : 1) : 0;
                    first = FALSE;
                    g_ptr_array_add(out, made);
                }
            }
        }
        i = end;
    }
    /* Lines moved to @out left NULL behind; the split ones are freed with the old array. */
    g_ptr_array_unref(doc->lines);
    doc->lines = g_steal_pointer(&out);
    return TRUE;
}
