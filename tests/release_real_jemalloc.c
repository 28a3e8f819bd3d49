/* release_real linked with -ljemalloc (see release_real.c and release_real_jemalloc*.vgtest).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "release_real.c"
