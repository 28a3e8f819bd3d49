/* alloc_detect linked with -ljemalloc (see alloc_detect.c and alloc_detect_jemalloc.vgtest).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "alloc_detect.c"
