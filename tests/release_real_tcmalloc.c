/* release_real linked with -ltcmalloc_minimal (see release_real.c and release_real_tcmalloc*.vgtest).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "release_real.c"
