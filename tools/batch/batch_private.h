/* batch_private.h -- what the files of `hyosho batch` share: the batch, its inputs
 * (items) and its worker processes, and the functions each file offers the others.
 *   cmd_batch.c       the command: options, the run, and the scheduling (which input next)
 *   batch_inputs.c    finding the inputs in files and folders, naming their outputs
 *   batch_manifest.c  an output folder's manifest: what is up to date
 *   batch_pool.c      the worker processes: starting, feeding, reading and burying them
 *   batch_output.c    results emitted in input order (folder, database, stdout), the
 *                     failures list, the progress line
 * One thread runs all of it (GLib's main loop), except the manifest's saves. */
#pragma once

#include "hy_cli.h"

#include <gio/gio.h>

#define MANIFEST_STEM ".hyosho-manifest" /* .json, or .shard-K-of-N.json */
#define MANIFEST_VERSION 1
/* Inputs dispatched ahead of the oldest one not yet emitted, per worker: bounds the
 * results held back while one slow input keeps the others from being emitted. */
#define WINDOW_PER_WORKER 32
/* How often the manifest is saved while a batch runs, so an interrupted run keeps
 * what it converted. */
#define MANIFEST_SAVE_US (2 * G_USEC_PER_SEC)
/* What a worker's stderr keeps of one input (its last bytes): where its end is said. */
#define DIAGNOSTICS_KEPT 65536

typedef enum {
    OUTPUT_JSONL, /* default: JSON Lines on stdout */
    OUTPUT_DIR,   /* -o OUTDIR */
    OUTPUT_DB,    /* --db FILE */
    OUTPUT_CSV,   /* --format csv: one CSV on stdout, its header first */
} OutputMode;

/* Stdout's modes: nothing to be up to date with, no failures list. */
#define OUTPUT_IS_STDOUT(mode) ((mode) == OUTPUT_JSONL || (mode) == OUTPUT_CSV)

typedef enum {
    RESULT_CONVERTED,
    RESULT_SKIPPED,
    RESULT_FAILED,
} Result;

typedef struct _Batch Batch;
typedef struct _Worker Worker;

/* A save of the manifest: the outputs written since the last one are flushed to disk,
 * then the manifest that names them is written; on a thread of its own while the batch
 * goes on, so that the workers need not wait for the disk. */
typedef struct {
    GPtrArray *outputs; /* char*, to flush first */
    char *path;
    char *text;
    GError *error;
    gint done; /* atomic: its thread has finished */
} ManifestSave;

typedef struct {
    Batch *batch;
    char *path;    /* as found: the INPUT itself, or INPUT/REL for a file found in a folder */
    char *rel;     /* REL, or a named file's name: the output's name under OUTDIR, and what --shard hashes */
    guint input;   /* index of the INPUT it was found in (ties when two INPUTs reach one file) */
    char *problem; /* (nullable) why it cannot be converted at all (an unreadable folder) */
    char *out_rel; /* OUTDIR mode: rel with its extension replaced by .json */
    char *out_key; /* out_rel as the manifest names it: in UTF-8 (hy_emit_valid_text) */
    char *sha256;  /* (nullable) of the bytes, read by the parent when it has to decide whether
                    * the output is up to date, or to record a failure */
    gboolean done; /* the result below is final and waits its turn to be emitted */
    Result result;
    char *reason;        /* failed: why, in one line */
    /* converted: what the worker answered */
    HyEmitDocument *doc;     /* --db, csv: the records, read back */
    char *output;            /* otherwise: the bytes to write, as the worker wrote them */
    int pages;
    char *converted_sha256; /* of the bytes the worker converted */
    gboolean timed_out;
    gboolean retried; /* its first worker died on it after converting others */
} Item;

/* A worker process and what the parent knows of it. Lives from its start until it has
 * exited and both its output streams have ended (the callbacks of those hold it). */
struct _Worker {
    Batch *batch;
    GSubprocess *process;
    GByteArray *answer;    /* read from its stdout, not yet a whole answer */
    GString *diagnostics;  /* its stderr since the current input was sent */
    Item *item;            /* (nullable) the input it is converting */
    guint deadline;        /* timeout source of that input */
    guint answered;        /* inputs it has answered */
    gboolean garbled;      /* broke the protocol: what else it says is ignored */
    gboolean last;         /* takes no more inputs: said so in an answer, or its stdin is closed */
    gboolean stdin_closed;
    int streams_open;      /* stdout and stderr, until each ends */
    gboolean exited;
};

struct _Batch {
    /* options */
    HyPipelineOptions options;
    OutputMode mode;
    char *outdir, *db_path;
    char *review; /* (nullable) --review DIR */
    HyCsvOptions csv;
    gboolean force, overwrite, quiet, verbose;
    guint shard_k, shard_n; /* 0/0: no sharding */
    guint jobs;
    char *manifest_path, *failures_path;

    /* the inputs, sorted by path */
    GPtrArray *items; /* Item* */
    guint next_dispatch, next_emit, running;
    gboolean stopping; /* interrupted, or stdout failed: dispatch nothing more */
    gboolean finished;

    /* workers */
    GSubprocessLauncher *launcher;
    GPtrArray *worker_argv; /* char*, NULL-terminated */
    GPtrArray *workers;     /* Worker*, started and not yet ended */
    GQueue retry;           /* Item*, to be converted again by a fresh worker */
    GMainLoop *loop;

    /* outputs */
    HySqlite *db;
    GHashTable *db_decisions; /* sha256 -> DECIDED_*, the first decision on each content */
    gint64 db_group_started_at; /* 0: no group of documents open (db_group) */
    gboolean db_failed;         /* a group did not commit: its documents are not stored */
    GHashTable *manifest;     /* out_key -> JsonObject (input, sha256, hyosho_version) */
    gboolean manifest_dirty;
    gint64 manifest_saved_at;
    GPtrArray *unflushed;  /* char*, outputs written since the last save began */
    ManifestSave *save;    /* (nullable) the save in progress, on @saving */
    GThread *saving;
    GString *failures; /* failures.jsonl, one line each */

    /* counts of the summary, as results are emitted */
    guint converted, skipped, failed;
    guint64 pages;
    /* progress, as workers finish (ahead of the emitted results) */
    guint n_done, n_failed;
    guint64 n_pages;
    gint64 started_at;
    gboolean progress;       /* stderr is a terminal and not --quiet */
    gboolean progress_shown; /* a progress line is on screen */
    gint64 progress_drawn_at;
    guint progress_timer;
};

/* In a database, one content is one document. Whether it is up to date is decided once,
 * at its first path, against the database as it was before the run: a later copy's
 * lookup would otherwise see the first copy stored or not depending on how far the
 * workers got, and -j would change what is converted. */
#define DECIDED_SKIP GINT_TO_POINTER(1)
#define DECIDED_CONVERT GINT_TO_POINTER(2)

/* batch_inputs.c */
void hy_batch__item_free(Item *item);
/* SHA-256 of the file's bytes, NULL when it cannot be read. Returns: (transfer full). */
char *hy_batch__sha256_of_file(const char *path);
int hy_batch__compare_strings(gconstpointer a, gconstpointer b);
/* Adds an item for each input file, and for the PDF and text files under each folder. */
void hy_batch__find_inputs(Batch *b, char **inputs, guint n_inputs);
/* Sorts the items, drops repeats, names the outputs, keeps this shard's. */
void hy_batch__settle_inputs(Batch *b);

/* batch_manifest.c */
void hy_batch__manifest_load(Batch *b);
gboolean hy_batch__manifest_up_to_date(Batch *b, const Item *item);
void hy_batch__manifest_record(Batch *b, const Item *item);
gboolean hy_batch__manifest_save(Batch *b, gboolean wait);

/* batch_pool.c */
/* The workers' command line and launcher, from the batch's options. */
void hy_batch__pool_init(Batch *b);
void hy_batch__dispatch(Batch *b, Item *item);
void hy_batch__worker_close(Worker *w);
/* Dispatches nothing more and ends the workers; the inputs they were converting are not done. */
void hy_batch__stop(Batch *b);

/* batch_output.c */
double hy_batch__elapsed_seconds(const Batch *b);
void hy_batch__progress_clear(Batch *b);
void hy_batch__progress_draw(Batch *b);
gboolean hy_batch__progress_tick(gpointer data);
/* A diagnostic line on stderr, below the progress line, which is drawn again later. */
void hy_batch__say(Batch *b, const char *format, ...) G_GNUC_PRINTF(2, 3);
/* Emits the results that are done, in input order, up to the first that is not. */
void hy_batch__emit_ready(Batch *b);
/* Writes @text on stdout; FALSE (and the batch stops: nowhere to write the rest) when it cannot. */
gboolean hy_batch__write_stdout(Batch *b, const char *text, GError **error);
gboolean hy_batch__db_commit(Batch *b);

/* cmd_batch.c */
void hy_batch__finish_item(Batch *b, Item *item);
void hy_batch__fail_item(Batch *b, Item *item, char *reason /* (transfer full) */);
/* Emits what is ready, gives idle workers inputs, and ends the run when all is done. */
void hy_batch__pump(Batch *b);
