/* emit_common.c -- what every output writes the same way, and the tools with it: a file
 * name as UTF-8 text, the time of a conversion, a file name's extension. */
#include "hy_emit.h"

#include <string.h>

char *hy_emit_valid_text(const char *s)
{
    return g_utf8_validate(s, -1, NULL) ? g_strdup(s) : g_utf8_make_valid(s, -1);
}

char *hy_emit_timestamp_now(void)
{
    g_autoptr(GDateTime) now = g_date_time_new_now_utc();
    return g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
}

const char *hy_emit_path_extension(const char *path)
{
    const char *base = strrchr(path, G_DIR_SEPARATOR);
    base = base != NULL ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot != NULL && dot > base ? dot : NULL;
}
