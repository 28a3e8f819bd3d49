/* release_real linked with -lmimalloc (see release_real.c and release_real_mimalloc*.vgtest).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "release_real.c"
