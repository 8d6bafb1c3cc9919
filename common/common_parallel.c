/* common_parallel.c -- hy_parallel_run() and the thread count it is given: the GLib
 * threads of the stages are started, and joined, here. */
#include "hy_parallel.h"

guint hy_parallel_threads(int threads, guint n_items, guint items_per_thread, guint max_threads)
{
    guint wanted = threads > 0 ? (guint)threads : g_get_num_processors();
    guint most = MAX(MIN(wanted, max_threads), 1);
    return CLAMP(n_items / MAX(items_per_thread, 1), 1, most);
}

typedef struct {
    HyParallelFunc run;
    gpointer data;
    guint share;
} HyParallelShare;

static gpointer run_share(gpointer share_data)
{
    HyParallelShare *share = share_data;
    share->run(share->share, share->data);
    return NULL;
}

void hy_parallel_run(const char *name, guint n_shares, HyParallelFunc run, HyParallelFunc done, gpointer data)
{
    g_return_if_fail(run != NULL);
    HyParallelShare *shares = n_shares > 1 ? g_new(HyParallelShare, n_shares) : NULL;
    GThread **threads = n_shares > 1 ? g_new0(GThread *, n_shares) : NULL;
    for (guint s = 1; s < n_shares; s++) {
        shares[s] = (HyParallelShare){.run = run, .data = data, .share = s};
        threads[s] = g_thread_try_new(name, run_share, &shares[s], NULL);
    }
    for (guint s = 0; s < n_shares; s++) {
        if (threads != NULL && threads[s] != NULL) g_thread_join(threads[s]);
        else run(s, data); /* share 0, or a share whose thread did not start */
        if (done != NULL) done(s, data);
    }
    g_free(threads);
    g_free(shares);
}
