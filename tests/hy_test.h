/* hy_test.h -- helpers shared by the cmocka test programs: fixture paths and
 * assertions that print a GError's message instead of a bare pointer. */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib.h>

/* (transfer full) absolute path of @relative under fixtures/. */
char *hy_test_fixture_path(const char *relative);
/* (transfer full) contents of fixtures/@relative; fails the test when unreadable. */
char *hy_test_read_fixture(const char *relative, gsize *out_len);

#define hy_assert_no_error(err)                                                       \
    do {                                                                              \
        if ((err) != NULL)                                                            \
            fail_msg("unexpected error: %s", (err)->message);                         \
    } while (0)

#define hy_assert_error(err, want_domain, want_code)                                   \
    do {                                                                              \
        if ((err) == NULL)                                                            \
            fail_msg("expected an error, got none");                                  \
        if (!g_error_matches((err), (want_domain), (want_code)))                      \
            fail_msg("expected error %s:%d, got %s:%d: %s",                           \
                     g_quark_to_string(want_domain), (int)(want_code),                \
                     g_quark_to_string((err)->domain), (err)->code, (err)->message);  \
    } while (0)

#define hy_assert_str(actual, expected)                                               \
    do {                                                                              \
        const char *hy_a_ = (actual), *hy_e_ = (expected);                            \
        if (g_strcmp0(hy_a_, hy_e_) != 0)                                             \
            fail_msg("expected \"%s\", got \"%s\"", hy_e_ ? hy_e_ : "(null)",         \
                     hy_a_ ? hy_a_ : "(null)");                                       \
    } while (0)
