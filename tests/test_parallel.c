/* test_parallel.c -- hy_parallel (common/): the thread count each stage asks for, every
 * share run once with its own index, the shares' ends seen in order on the calling thread,
 * and the work still done, on the calling thread, when no thread can start. */
#include "hy_test.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hy_parallel.h"

static void test_parallel_threads(void **state)
{
    (void)state;
    guint cores = g_get_num_processors();
    assert_int_equal(hy_parallel_threads(1, 100000, 1, 64), 1);
    assert_int_equal(hy_parallel_threads(4, 100000, 1, 64), 4);
    assert_int_equal(hy_parallel_threads(0, 100000, 1, 64), MIN(cores, 64));  /* 0: one a core */
    assert_int_equal(hy_parallel_threads(-3, 100000, 1, 64), MIN(cores, 64)); /* so is any < 0 */
    assert_int_equal(hy_parallel_threads(100, 100000, 1, 64), 64);             /* the cap */
    assert_int_equal(hy_parallel_threads(8, 3, 1, 64), 3);                     /* a page a thread */
    assert_int_equal(hy_parallel_threads(8, 2500, 1000, 64), 2);               /* 1000 lines a thread */
    assert_int_equal(hy_parallel_threads(8, 999, 1000, 64), 1);
    assert_int_equal(hy_parallel_threads(8, 0, 64, 64), 1);                    /* never 0 */
}

typedef struct {
    GThread *caller;
    gint runs[8];            /* atomic: how often each share ran */
    GThread *ran_on[8];      /* the thread each share ran on */
    guint done[8];           /* the order @done saw the shares in */
    guint n_done;
    gboolean done_elsewhere; /* @done was called off the calling thread */
    gboolean done_early;     /* @done saw a share that had not run */
} Record;

static void record_run(guint share, gpointer data)
{
    Record *record = data;
    record->ran_on[share] = g_thread_self();
    g_atomic_int_inc(&record->runs[share]);
}

static void record_done(guint share, gpointer data)
{
    Record *record = data;
    if (g_thread_self() != record->caller) record->done_elsewhere = TRUE;
    if (g_atomic_int_get(&record->runs[share]) != 1) record->done_early = TRUE;
    record->done[record->n_done++] = share;
}

static void test_parallel_run_every_share(void **state)
{
    (void)state;
    for (guint n = 0; n <= 8; n++) {
        Record record = {.caller = g_thread_self()};
        hy_parallel_run("hy-test", n, record_run, record_done, &record);
        assert_int_equal(record.n_done, n);
        for (guint s = 0; s < n; s++) {
            assert_int_equal(record.runs[s], 1);
            assert_int_equal(record.done[s], s);
        }
        for (guint s = n; s < 8; s++) assert_int_equal(record.runs[s], 0);
        if (n > 0) assert_ptr_equal(record.ran_on[0], record.caller); /* share 0 is the caller's */
        assert_false(record.done_elsewhere);
        assert_false(record.done_early);
    }
    Record record = {.caller = g_thread_self()};
    hy_parallel_run("hy-test", 4, record_run, NULL, &record); /* @done may be NULL */
    for (guint s = 0; s < 4; s++) assert_int_equal(record.runs[s], 1);
}

/* A process that cannot map a thread's stack starts no thread: every share still runs,
 * in order, on the calling thread. Checked in a child whose address space is capped just
 * above what it uses; not under AddressSanitizer, which maps far more than it uses. */
static void test_parallel_run_without_threads(void **state)
{
    (void)state;
#if defined(__SANITIZE_ADDRESS__)
    skip();
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    skip();
#endif
#endif
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        g_autofree char *status = NULL;
        long vm_kib = 0;
        if (g_file_get_contents("/proc/self/status", &status, NULL, NULL)) {
            const char *size = strstr(status, "VmSize:");
            if (size != NULL) vm_kib = strtol(size + strlen("VmSize:"), NULL, 10);
        }
        if (vm_kib <= 0) _exit(77);
        /* room for the records below, never for a thread's stack (8 MiB by default) */
        struct rlimit cap = {.rlim_cur = (rlim_t)(vm_kib + 1024) * 1024, .rlim_max = (rlim_t)(vm_kib + 1024) * 1024};
        if (setrlimit(RLIMIT_AS, &cap) != 0) _exit(77);
        Record record = {.caller = g_thread_self()};
        hy_parallel_run("hy-test", 4, record_run, record_done, &record);
        for (guint s = 0; s < 4; s++)
            if (record.runs[s] != 1 || record.ran_on[s] != record.caller || record.done[s] != s) _exit(1);
        _exit(record.n_done == 4 && !record.done_early ? 0 : 2);
    }
    int wstatus = 0;
    assert_int_equal(waitpid(child, &wstatus, 0), child);
    assert_true(WIFEXITED(wstatus));
    if (WEXITSTATUS(wstatus) == 77) skip();
    assert_int_equal(WEXITSTATUS(wstatus), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* first: the C library keeps the stacks of threads that ended for new ones, and a
         * kept stack needs no new memory */
        cmocka_unit_test(test_parallel_run_without_threads),
        cmocka_unit_test(test_parallel_threads),
        cmocka_unit_test(test_parallel_run_every_share),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
