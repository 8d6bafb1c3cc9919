/* batch_pool.c -- a batch's worker processes (`hyosho worker`, worker_protocol.h): each
 * started with the batch's options and its own limits, given one input at a time, its
 * answers read as they come, and its end (an answer, a crash, a kill at the deadline)
 * concluded for the input it had. An input whose worker died after converting others is
 * tried once more in a fresh worker. */
#include "batch_private.h"
#include "worker_protocol.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

static const char *signal_name(int signal_number)
{
    static const struct {
        int number;
        const char *name;
    } names[] = {
        {SIGSEGV, "SIGSEGV"}, {SIGABRT, "SIGABRT"}, {SIGBUS, "SIGBUS"},   {SIGFPE, "SIGFPE"},
        {SIGILL, "SIGILL"},   {SIGKILL, "SIGKILL"}, {SIGTERM, "SIGTERM"}, {SIGINT, "SIGINT"},
        {SIGHUP, "SIGHUP"},   {SIGQUIT, "SIGQUIT"}, {SIGPIPE, "SIGPIPE"}, {SIGALRM, "SIGALRM"},
        {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"}, {SIGSYS, "SIGSYS"},   {SIGTRAP, "SIGTRAP"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(names); i++)
        if (names[i].number == signal_number) return names[i].name;
    return NULL;
}

/* Runs in the child between fork and exec: async-signal-safe calls only. */
typedef struct {
    rlim_t address_space; /* 0: no cap */
    pid_t parent;
} ChildLimits;

static ChildLimits child_limits;

static void child_setup(gpointer data)
{
    const ChildLimits *limits = data;
    /* Its own process group: a Ctrl-C at the terminal reaches the parent only, which
     * then ends its workers itself. */
    (void)setpgid(0, 0);
#ifdef __linux__
    /* A worker outlives neither the parent nor its --timeout. */
    (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != limits->parent) _exit(127);
#endif
    struct rlimit none = {0, 0};
    (void)setrlimit(RLIMIT_CORE, &none); /* a hostile file that crashes leaves no core files */
    if (limits->address_space > 0) {
        struct rlimit cap = {limits->address_space, limits->address_space};
        (void)setrlimit(RLIMIT_AS, &cap);
    }
}

/* The arguments every worker gets: `worker` with the pipeline options of this batch.
 * One page thread per worker: -j already uses the cores. */
void hy_batch__pool_init(Batch *b)
{
    GPtrArray *argv = b->worker_argv = g_ptr_array_new_with_free_func(g_free);
    const char *self = "/proc/self/exe"; /* this binary, even if replaced on disk meanwhile */
    g_autofree char *found = NULL;
    if (!g_file_test(self, G_FILE_TEST_EXISTS)) self = found = g_find_program_in_path("hyosho");
    g_ptr_array_add(argv, g_strdup(self != NULL ? self : "hyosho"));
    static const char *const fixed[] = {"worker", "--jobs", "1"};
    for (guint i = 0; i < G_N_ELEMENTS(fixed); i++)
        g_ptr_array_add(argv, g_strdup(fixed[i]));
    /* What the worker answers is what this batch writes, except for a database and CSV,
     * which take records: read back from compact JSON. */
    gboolean records = b->mode == OUTPUT_DB || b->mode == OUTPUT_CSV;
    g_ptr_array_add(argv, g_strdup(b->mode == OUTPUT_JSONL ? "--format=jsonl" : "--format=json"));
    if (records) g_ptr_array_add(argv, g_strdup("--compact"));
    if (b->review != NULL) g_ptr_array_add(argv, g_strdup_printf("--review=%s", b->review));

    const HyPipelineOptions *o = &b->options;
    hy_pipeline_options_to_argv(o, argv);
    g_ptr_array_add(argv, NULL);

    /* The worker watches its own resident memory (--max-memory); the address-space cap
     * is the backstop for what that watch cannot catch in time, so it sits well above.
     * Not in sanitizer builds, which reserve terabytes of address space up front. */
    child_limits.parent = getpid();
#ifndef HY_ASAN
    if (o->max_memory_mb > 0) child_limits.address_space = ((rlim_t)o->max_memory_mb * 2 + 256) << 20;
#endif
    b->launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                            G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_subprocess_launcher_set_child_setup(b->launcher, child_setup, &child_limits, NULL);
}

/* Dispatches nothing more and ends the workers; the inputs they were converting are not done. */
void hy_batch__stop(Batch *b)
{
    b->stopping = TRUE;
    for (guint i = 0; i < b->workers->len; i++)
        g_subprocess_force_exit(((Worker *)g_ptr_array_index(b->workers, i))->process);
}

/* The worker's own one-line error ("hyosho: PATH: reason", from a watchdog) in @text,
 * its stderr, or else its last line. */
static char *worker_message(const char *text, const char *path)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    g_autofree char *prefix = g_strdup_printf("hyosho: %s: ", path);
    const char *last = NULL;
    for (guint i = 0; lines[i] != NULL; i++) {
        if (g_str_has_prefix(lines[i], prefix)) return g_strdup(lines[i] + strlen(prefix));
        if (*lines[i] != '\0') last = lines[i];
    }
    if (last == NULL) return NULL;
    return g_strdup(g_str_has_prefix(last, "hyosho: ") ? last + strlen("hyosho: ") : last);
}

static gboolean mentions_allocation_failure(const char *text)
{
    return strstr(text, "failed to allocate") != NULL || strstr(text, "bad_alloc") != NULL ||
           strstr(text, "Out of memory") != NULL;
}

/* @item's worker ended before answering: why, from how it ended and what it @said
 * ((transfer full) (nullable): worker_message() of its stderr). */
static void conclude_death(Batch *b, Item *item, Worker *w, char *said)
{
    if (item->timed_out) {
        /* The words and number format of the worker's own watchdog (which usually fires first). */
        char number[G_ASCII_DTOSTR_BUF_SIZE];
        hy_batch__fail_item(b, item,
                  g_strdup_printf(HY_CLI_TIMED_OUT " %s s",
                                  g_ascii_formatd(number, sizeof number, "%g", b->options.extract.timeout_seconds)));
        g_free(said);
        return;
    }
    if (g_subprocess_get_if_signaled(w->process)) {
        g_free(said);
        int sig = g_subprocess_get_term_sig(w->process);
        const char *name = signal_name(sig);
        if (child_limits.address_space > 0 && mentions_allocation_failure(w->diagnostics->str))
            hy_batch__fail_item(b, item,
                      g_strdup_printf("out of memory (killed by %s past the %d MB cap)",
                                      name != NULL ? name : "a signal", b->options.max_memory_mb));
        else if (name != NULL)
            hy_batch__fail_item(b, item, g_strdup_printf("killed by %s (%s)", name, g_strsignal(sig)));
        else
            hy_batch__fail_item(b, item, g_strdup_printf("killed by signal %d (%s)", sig, g_strsignal(sig)));
        return;
    }
    int status = g_subprocess_get_exit_status(w->process);
    char *message = said;
    if (message == NULL)
        message = status != 0 ? g_strdup_printf("the worker exited with status %d", status)
                              : g_strdup("the worker ended without an answer");
    hy_batch__fail_item(b, item, message);
}

/* @item's answer: its output, or why it failed. */
static void conclude_answer(Batch *b, Item *item, const HyWorkerAnswer *header, const char *payload)
{
    if (!header->converted) {
        hy_batch__fail_item(b, item, g_strndup(payload, header->length));
        return;
    }
    if (b->mode == OUTPUT_DB || b->mode == OUTPUT_CSV) {
        g_autoptr(GError) error = NULL;
        item->doc = hy_emit_read_json(payload, (gssize)header->length, &error);
        if (item->doc == NULL) {
            hy_batch__fail_item(b, item, g_strdup_printf("unreadable worker output: %s", error->message));
            return;
        }
    } else {
        item->output = g_strndup(payload, header->length);
    }
    item->pages = header->pages;
    item->converted_sha256 = g_strdup(header->sha256);
    item->result = RESULT_CONVERTED;
    hy_batch__finish_item(b, item);
}

/* @w's input is no longer its own: answered, or ended with the worker. */
static Item *worker_release(Worker *w)
{
    Item *item = g_steal_pointer(&w->item);
    if (item == NULL) return NULL;
    if (w->deadline != 0) g_source_remove(w->deadline);
    w->deadline = 0;
    w->batch->running--;
    return item;
}

static void worker_free(Worker *w)
{
    g_clear_object(&w->process);
    g_byte_array_unref(w->answer);
    g_string_free(w->diagnostics, TRUE);
    g_free(w);
}

/* Ends @w's input stream: it ends once it has answered what it is converting. */
void hy_batch__worker_close(Worker *w)
{
    w->last = TRUE;
    if (w->stdin_closed) return;
    w->stdin_closed = TRUE;
    (void)g_output_stream_close(g_subprocess_get_stdin_pipe(w->process), NULL, NULL);
}

/* Called as each of the worker's ends comes (stdout, stderr, exit): after the last one,
 * what it was converting is concluded and the worker goes. */
static void worker_maybe_ended(Worker *w)
{
    if (w->streams_open > 0 || !w->exited) return;
    Batch *b = w->batch;
    Item *item = worker_release(w);
    g_ptr_array_remove_fast(b->workers, w);
    if (item != NULL && !b->stopping) {
        /* Past --timeout is past it in any process: not tried again (the worker's own
         * watchdog usually ends it before the batch does, saying so). */
        char *said = worker_message(w->diagnostics->str, item->path);
        gboolean timed_out = item->timed_out || (said != NULL && g_str_has_prefix(said, HY_CLI_TIMED_OUT " "));
        if (!timed_out && w->answered > 0 && !item->retried) {
            g_free(said);
            item->retried = TRUE;
            g_queue_push_tail(&b->retry, item);
        } else {
            conclude_death(b, item, w, g_steal_pointer(&said));
        }
    }
    worker_free(w);
    hy_batch__pump(b);
}

/* A worker that breaks the protocol is ended, and its input fails with @reason. */
static void worker_garbled(Worker *w, const char *reason)
{
    w->garbled = TRUE;
    Item *item = worker_release(w);
    if (item != NULL && !w->batch->stopping) hy_batch__fail_item(w->batch, item, g_strdup_printf("unreadable worker output: %s", reason));
    w->last = TRUE;
    g_subprocess_force_exit(w->process);
    hy_batch__pump(w->batch);
}

/* Takes the whole answers at the start of @w->answer. */
static void worker_take_answers(Worker *w)
{
    Batch *b = w->batch;
    for (;;) {
        GByteArray *buffer = w->answer;
        if (w->garbled) {
            g_byte_array_set_size(buffer, 0);
            return;
        }
        const guint8 *newline = memchr(buffer->data, '\n', buffer->len);
        if (newline == NULL) {
            if (buffer->len > HY_WORKER_HEADER_MAX) worker_garbled(w, "no answer header");
            return;
        }
        gsize header_len = (gsize)(newline - buffer->data) + 1;
        char header[HY_WORKER_HEADER_MAX + 1];
        if (header_len > sizeof header) {
            worker_garbled(w, "no answer header");
            return;
        }
        memcpy(header, buffer->data, header_len - 1);
        header[header_len - 1] = '\0';
        HyWorkerAnswer answer;
        if (!hy_worker_answer_parse(header, &answer) || w->item == NULL) {
            worker_garbled(w, "not an answer header");
            return;
        }
        if (buffer->len - header_len < answer.length) return; /* the rest is still coming */

        if (answer.last) w->last = TRUE;
        w->answered++;
        Item *item = worker_release(w);
        /* The next input goes to this worker before its answer is read back and written:
         * a core would otherwise idle for the parent's share of the work. @item is not
         * done yet, so hy_batch__pump() can neither emit past it nor end the batch. */
        if (!b->stopping) {
            hy_batch__pump(b);
            conclude_answer(b, item, &answer, (const char *)buffer->data + header_len);
        }
        g_byte_array_remove_range(buffer, 0, (guint)(header_len + answer.length));
        hy_batch__pump(b);
    }
}

static void worker_read_done(GObject *source, GAsyncResult *result, gpointer data);

/* Reads on from the worker's stdout (its answers) or its stderr. */
static void worker_read_more(Worker *w, GInputStream *stream)
{
    g_input_stream_read_bytes_async(stream, 65536, G_PRIORITY_DEFAULT, NULL, worker_read_done, w);
}

static void worker_read_done(GObject *source, GAsyncResult *result, gpointer data)
{
    Worker *w = data;
    GInputStream *stream = G_INPUT_STREAM(source);
    g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish(stream, result, NULL);
    if (bytes == NULL || g_bytes_get_size(bytes) == 0) {
        w->streams_open--;
        worker_maybe_ended(w);
        return;
    }
    gsize len = 0;
    const char *text = g_bytes_get_data(bytes, &len);
    if (stream == g_subprocess_get_stdout_pipe(w->process)) {
        g_byte_array_append(w->answer, (const guint8 *)text, (guint)len);
        worker_take_answers(w);
    } else {
        g_string_append_len(w->diagnostics, text, (gssize)len);
        if (w->diagnostics->len > 2 * DIAGNOSTICS_KEPT)
            g_string_erase(w->diagnostics, 0, (gssize)(w->diagnostics->len - DIAGNOSTICS_KEPT));
    }
    worker_read_more(w, stream);
}

static void worker_exited(GObject *source, GAsyncResult *result, gpointer data)
{
    Worker *w = data;
    (void)g_subprocess_wait_finish(G_SUBPROCESS(source), result, NULL);
    w->exited = TRUE;
    worker_maybe_ended(w);
}

static gboolean worker_deadline(gpointer data)
{
    Worker *w = data;
    w->deadline = 0;
    w->item->timed_out = TRUE;
    g_subprocess_force_exit(w->process); /* SIGKILL; worker_maybe_ended follows */
    return G_SOURCE_REMOVE;
}

static Worker *worker_start(Batch *b, GError **error)
{
    GSubprocess *process =
        g_subprocess_launcher_spawnv(b->launcher, (const char *const *)b->worker_argv->pdata, error);
    if (process == NULL) return NULL;
    Worker *w = g_new0(Worker, 1);
    w->batch = b;
    w->process = process;
    w->answer = g_byte_array_new();
    w->diagnostics = g_string_new(NULL);
    w->streams_open = 2;
    g_ptr_array_add(b->workers, w);
    worker_read_more(w, g_subprocess_get_stdout_pipe(process));
    worker_read_more(w, g_subprocess_get_stderr_pipe(process));
    g_subprocess_wait_async(process, NULL, worker_exited, w);
    return w;
}

/* Sends @item's path to @w. A worker that has died meanwhile has closed its end: the
 * write fails, and the death is concluded when its streams end. SIGPIPE is blocked for
 * the write (and a pending one taken), so that it does not end the batch. */
static void worker_send(Worker *w, Item *item)
{
    Batch *b = w->batch;
    w->item = item;
    b->running++;
    g_string_truncate(w->diagnostics, 0);
    sigset_t pipe_signal, previous;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
    GOutputStream *requests = g_subprocess_get_stdin_pipe(w->process);
    if (!g_output_stream_write_all(requests, item->path, strlen(item->path) + 1, NULL, NULL, NULL)) {
        struct timespec no_wait = {0, 0};
        (void)sigtimedwait(&pipe_signal, NULL, &no_wait);
        w->last = TRUE;
    }
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    if (b->options.extract.timeout_seconds > 0) {
        /* The worker stops itself at --timeout (whole seconds, rounded up); one second
         * later the parent ends what could not stop (a call that never returns). */
        guint seconds = (guint)(b->options.extract.timeout_seconds + 0.999) + 1;
        w->deadline = g_timeout_add_seconds_full(G_PRIORITY_DEFAULT, seconds, worker_deadline, w, NULL);
    }
}

/* Gives @item to an idle worker, or to a new one; an input tried again gets a fresh
 * worker (one that has converted nothing), which may take an idle one's place. */
void hy_batch__dispatch(Batch *b, Item *item)
{
    Worker *chosen = NULL, *idle = NULL;
    guint taking = 0; /* workers that take inputs */
    for (guint i = 0; i < b->workers->len; i++) {
        Worker *w = g_ptr_array_index(b->workers, i);
        if (w->last) continue;
        taking++;
        if (w->item != NULL) continue;
        if (!item->retried || w->answered == 0) {
            chosen = w;
            break;
        }
        idle = w;
    }
    if (chosen == NULL) {
        if (taking >= b->jobs && idle != NULL) hy_batch__worker_close(idle);
        g_autoptr(GError) error = NULL;
        chosen = worker_start(b, &error);
        if (chosen == NULL) {
            hy_batch__fail_item(b, item, g_strdup_printf("cannot start a worker: %s", error->message));
            return;
        }
    }
    worker_send(chosen, item);
}
