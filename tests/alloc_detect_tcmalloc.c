/* alloc_detect linked with -ltcmalloc_minimal (see alloc_detect.c and alloc_detect_tcmalloc.vgtest).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "alloc_detect.c"
