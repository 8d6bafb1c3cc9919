/* extract_compat.h -- what poppler-glib 22.12 (Debian 12) lacks and later releases
 * provide: g_autoptr() support for PopplerDocument and PopplerPage (added in 25.06).
 * Include it instead of <poppler.h> in the extract stage. */
#pragma once

#include <poppler.h>

#if !POPPLER_CHECK_VERSION(25, 6, 0)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PopplerPage, g_object_unref)
#endif
