/* worker_protocol.h -- how `hyosho batch` and its worker processes (`hyosho worker`) talk,
 * both halves in one place (worker_protocol.c):
 *  - a request is an input path followed by a NUL byte, on the worker's stdin; the end of
 *    its stdin ends the worker (exit status 0);
 *  - its answer, on the stdout it started with, is a header line, `converted LENGTH MORE
 *    PAGES SHA256` or `failed LENGTH MORE`, then LENGTH bytes: the document as `hyosho
 *    convert` with the same --format and --compact would print it, or the one-line reason
 *    it failed (what convert says after "hyosho: PATH: "). MORE is `next`, or `last` when
 *    the worker ends after this answer; PAGES and SHA256 are the source's (output-v1.md);
 *  - whatever ends the process (a crash, the --timeout or --max-memory watchdog) ends it
 *    without an answer, the watchdog's one-line error on its stderr, as in convert. */
#pragma once

#include <glib.h>

/* Longest header line, its newline included: a longer first line is no answer. */
#define HY_WORKER_HEADER_MAX 128

typedef struct {
    gboolean converted;
    gboolean last;  /* MORE is `last` */
    gsize length;   /* of the payload that follows */
    int pages;      /* converted only */
    char sha256[65];
} HyWorkerAnswer;

/* Writes @answer's header and @payload (@answer->length bytes) to @fd, whole (a write
 * interrupted by a signal goes on). FALSE when the reader is gone. */
gboolean hy_worker_answer_write(int fd, const HyWorkerAnswer *answer, const char *payload);
/* Reads a header @line (without its newline) into @out. FALSE: not a header. */
gboolean hy_worker_answer_parse(const char *line, HyWorkerAnswer *out);
