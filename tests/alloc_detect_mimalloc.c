/* alloc_detect linked with -lmimalloc (see alloc_detect.c and alloc_detect_mimalloc.vgtest).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "alloc_detect.c"
