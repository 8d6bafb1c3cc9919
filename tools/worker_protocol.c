/* worker_protocol.c -- the answers of a batch's worker: written by `hyosho worker`, read
 * by `hyosho batch` (the protocol is described in worker_protocol.h). */
#include "worker_protocol.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static gboolean write_all(int fd, const char *data, gsize len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return FALSE;
        data += n;
        len -= (gsize)n;
    }
    return TRUE;
}

gboolean hy_worker_answer_write(int fd, const HyWorkerAnswer *answer, const char *payload)
{
    char header[HY_WORKER_HEADER_MAX + 1];
    const char *more = answer->last ? "last" : "next";
    int n = answer->converted ? snprintf(header, sizeof header, "converted %zu %s %d %s\n", (size_t)answer->length,
                                         more, answer->pages, answer->sha256)
                              : snprintf(header, sizeof header, "failed %zu %s\n", (size_t)answer->length, more);
    return n > 0 && n <= HY_WORKER_HEADER_MAX && write_all(fd, header, (gsize)n) &&
           write_all(fd, payload, answer->length);
}

gboolean hy_worker_answer_parse(const char *line, HyWorkerAnswer *out)
{
    g_auto(GStrv) words = g_strsplit(line, " ", -1);
    guint n = g_strv_length(words);
    guint64 length = 0, pages = 0;
    memset(out, 0, sizeof *out);
    out->converted = n == 5 && strcmp(words[0], "converted") == 0;
    if (!out->converted && !(n == 3 && strcmp(words[0], "failed") == 0)) return FALSE;
    if (!g_ascii_string_to_unsigned(words[1], 10, 0, G_MAXUINT32, &length, NULL)) return FALSE;
    if (strcmp(words[2], "next") != 0 && strcmp(words[2], "last") != 0) return FALSE;
    out->length = (gsize)length;
    out->last = strcmp(words[2], "last") == 0;
    if (!out->converted) return TRUE;
    if (!g_ascii_string_to_unsigned(words[3], 10, 0, G_MAXINT, &pages, NULL) || strlen(words[4]) != 64 ||
        strspn(words[4], "0123456789abcdef") != 64)
        return FALSE;
    out->pages = (int)pages;
    memcpy(out->sha256, words[4], sizeof out->sha256);
    return TRUE;
}
