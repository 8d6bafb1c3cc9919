/* test_hooks.c -- the test hooks of hy_test_hooks.h, compiled into hyosho-hooks only.
 * The variables, each read when its point is reached:
 *   HYOSHO_TEST_CRASH_ON=SUBSTRING  a conversion of a path containing it dies of SIGSEGV
 *                                   (the default action restored first, so a sanitizer's
 *                                   handler does not turn it into an exit status)
 *   HYOSHO_TEST_HANG_ON=SUBSTRING   it sleeps until killed, before its own watchdog is
 *                                   armed: only a batch's timeout can end it
 *   HYOSHO_TEST_STALL_ON=SUBSTRING  it stalls once its watchdogs are armed: its own
 *                                   --timeout ends it
 *   HYOSHO_TEST_WRITE_DELAY=SECONDS convert pauses before writing its output (signals held)
 *   HYOSHO_TEST_SQLITE_DELAY=SECONDS a document pauses inside its transaction, before COMMIT
 *   HYOSHO_TEST_FREE_AT_EXIT        convert frees its conversion before exiting
 *   HYOSHO_TEST_WORKER_LOG=FILE     a worker appends "PID PATH" for every input it takes
 *   HYOSHO_TEST_RETIRE_MB=N         a worker ends past N MiB resident (0: after every input)
 * The pauses announce themselves on stderr ("hyosho: test: pausing ..."), which the
 * tests wait for before they interrupt or kill the process. */
#include "hy_test_hooks.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static gboolean path_chosen(const char *variable, const char *path)
{
    const char *substring = g_getenv(variable);
    return substring != NULL && *substring != '\0' && strstr(path, substring) != NULL;
}

/* One nanosleep, not g_usleep: a signal ends the pause (EINTR) as it would end a slow write. */
static void pause_for(const char *variable, const char *what)
{
    const char *delay = g_getenv(variable);
    if (delay == NULL) return;
    fprintf(stderr, "hyosho: test: pausing %s\n", what);
    double seconds = g_ascii_strtod(delay, NULL);
    struct timespec pause = {.tv_sec = (time_t)seconds, .tv_nsec = (long)((seconds - (time_t)seconds) * 1e9)};
    (void)nanosleep(&pause, NULL);
}

void hy_hook_conversion_starts(const char *path)
{
    if (path_chosen("HYOSHO_TEST_CRASH_ON", path)) {
        signal(SIGSEGV, SIG_DFL);
        raise(SIGSEGV);
    }
    if (path_chosen("HYOSHO_TEST_HANG_ON", path))
        for (;;)
            g_usleep(G_USEC_PER_SEC);
}

void hy_hook_conversion_watched(const char *path)
{
    if (path_chosen("HYOSHO_TEST_STALL_ON", path))
        for (;;)
            pause();
}

void hy_hook_output_starts(void)
{
    pause_for("HYOSHO_TEST_WRITE_DELAY", "before the output is written");
}

static void before_commit(gpointer data)
{
    (void)data;
    pause_for("HYOSHO_TEST_SQLITE_DELAY", "before COMMIT");
}

void hy_hook_watch_database(HySqlite *db)
{
    if (g_getenv("HYOSHO_TEST_SQLITE_DELAY") != NULL) hy_sqlite_set_before_commit(db, before_commit, NULL);
}

gboolean hy_hook_free_at_exit(void)
{
    return g_getenv("HYOSHO_TEST_FREE_AT_EXIT") != NULL;
}

void hy_hook_worker_took(const char *path)
{
    const char *log = g_getenv("HYOSHO_TEST_WORKER_LOG");
    if (log == NULL || *log == '\0') return;
    FILE *file = fopen(log, "a");
    if (file == NULL) return;
    fprintf(file, "%ld %s\n", (long)getpid(), path);
    fclose(file);
}

guint64 hy_hook_retire_bytes(guint64 bytes)
{
    const char *retire = g_getenv("HYOSHO_TEST_RETIRE_MB");
    return retire != NULL && *retire != '\0' ? g_ascii_strtoull(retire, NULL, 10) << 20 : bytes;
}
