/* hy_test.c -- fixture access for the cmocka programs (HY_FIXTURES is set by CMake). */
#include "hy_test.h"

char *hy_test_fixture_path(const char *relative)
{
    return g_build_filename(HY_FIXTURES, relative, NULL);
}

char *hy_test_read_fixture(const char *relative, gsize *out_len)
{
    g_autofree char *path = hy_test_fixture_path(relative);
    g_autoptr(GError) error = NULL;
    char *contents = NULL;
    if (!g_file_get_contents(path, &contents, out_len, &error))
        fail_msg("cannot read fixture %s: %s", path, error->message);
    return contents;
}
