/* hy_test_hooks.h -- the points where the tests reach into a running hyosho through its
 * environment (crash, hang or pause on chosen inputs; log a worker's inputs). They exist
 * only in `hyosho-hooks`, the binary a build with -DHY_TEST_HOOKS=ON adds for the tests;
 * in `hyosho` itself, the one installed, they are empty and no variable does anything.
 * The variables are described in test_hooks.c. */
#pragma once

#include <glib.h>
#include "hy_emit.h"

#ifdef HY_TEST_HOOKS
#define HY_TEST_HOOKS_NOTE " (test hooks)"
/* A conversion of @path starts, before its watchdogs are armed. */
void hy_hook_conversion_starts(const char *path);
/* The watchdogs of @path's conversion are armed. */
void hy_hook_conversion_watched(const char *path);
/* convert's output is about to be written, signals held. */
void hy_hook_output_starts(void);
/* Each document stored in @db pauses before its COMMIT. */
void hy_hook_watch_database(HySqlite *db);
/* Whether convert frees its conversion before exiting (valgrind's ownership check). */
gboolean hy_hook_free_at_exit(void);
/* A worker took @path. */
void hy_hook_worker_took(const char *path);
/* The resident size past which a worker ends, given the one it would use. */
guint64 hy_hook_retire_bytes(guint64 bytes);
#else
#define HY_TEST_HOOKS_NOTE ""
static inline void hy_hook_conversion_starts(const char *path) { (void)path; }
static inline void hy_hook_conversion_watched(const char *path) { (void)path; }
static inline void hy_hook_output_starts(void) {}
static inline void hy_hook_watch_database(HySqlite *db) { (void)db; }
static inline gboolean hy_hook_free_at_exit(void) { return FALSE; }
static inline void hy_hook_worker_took(const char *path) { (void)path; }
static inline guint64 hy_hook_retire_bytes(guint64 bytes) { return bytes; }
#endif
