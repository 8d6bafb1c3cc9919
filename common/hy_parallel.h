/* hy_parallel.h -- how the stages spread one job over threads: the job is cut into shares,
 * share 0 runs on the calling thread and each other share on a GLib thread of its own.
 * Used by extract (PDF pages), segment (line classification) and emit (JSON awards); each
 * decides its own thread count through hy_parallel_threads(). Not a stage: no error
 * domain, no types of the pipeline. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a share does: @share is in [0, n_shares), @data is hy_parallel_run()'s. */
typedef void (*HyParallelFunc)(guint share, gpointer data);

/* The threads for a job of @n_items: @threads of them (0 or less: one a core), at most
 * @max_threads, and no more than one for every @items_per_thread items. At least 1. */
guint hy_parallel_threads(int threads, guint n_items, guint items_per_thread, guint max_threads);

/* Runs @run(s, @data) for every share s in [0, @n_shares): share 0 on the calling thread,
 * each other share on a thread named @name. A thread that cannot start (g_thread_try_new()
 * fails: out of threads or memory) is no error: its share runs on the calling thread, in
 * its turn, so the work is done on fewer threads. When @done is not NULL, @done(s, @data)
 * is called on the calling thread for each share in order, as soon as that share and those
 * before it have finished (a share may pass its output on while later ones still run).
 * Returns once every share has run; @data is borrowed. */
void hy_parallel_run(const char *name, guint n_shares, HyParallelFunc run, HyParallelFunc done, gpointer data);

G_END_DECLS
