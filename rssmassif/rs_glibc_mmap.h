/* rs_glibc_mmap.h -- glibc's dynamic mmap threshold, as a model.

   Copyright (C) 2026 the rssmassif developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   A leaf of allocator facts (knows nothing of the tool).  glibc (2.36,
   malloc.c) serves a request whose chunk size is at least its mmap
   threshold (128 KiB at start) with a mapping of its own, which free()
   unmaps.  When free() releases such an mmapped chunk larger than the
   threshold and at most DEFAULT_MMAP_THRESHOLD_MAX (32 MiB on 64-bit),
   it raises the threshold to that chunk's size (and the trim threshold
   to twice that), unless the program fixed the thresholds (mallopt
   M_MMAP_THRESHOLD, M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_MAX, or their
   tunables).  From then on requests between 128 KiB and the new
   threshold come from the heap: free() cannot unmap them, and they can
   keep the heap from trimming. */
#ifndef RS_GLIBC_MMAP_H
#define RS_GLIBC_MMAP_H
#include "rs_common.h"

/* glibc's default M_MMAP_THRESHOLD and DEFAULT_MMAP_THRESHOLD_MAX. */
#define RS_GLIBC_MMAP_THRESHOLD_B      (128 * 1024)
#define RS_GLIBC_MMAP_THRESHOLD_MAX_B  (32ULL << 20)

typedef struct {
   ULong threshold_B;     /* the threshold now (chunk bytes)             */
   ULong n_raises;        /* frees that raised it                        */
   Bool  fixed;           /* the program fixed it (mallopt, environment) */
   ULong later_heap_B;    /* requests since the first raise that the
                             initial threshold would have mmapped and
                             that came from a heap: bytes, blocks        */
   ULong later_heap_blocks;
} RsMmapThreshold;

void  rs_glibc_mmap_init(RsMmapThreshold* m);
/* The chunk size glibc gives a request of req_B bytes (request2size). */
ULong rs_glibc_chunk_B(ULong req_B);
/* The size of the mapping glibc makes for an mmapped chunk of req_B. */
ULong rs_glibc_mmapped_chunk_B(ULong req_B);
/* Could a request of req_B bytes be one the initial threshold mmaps? */
Bool  rs_glibc_mmap_is_large(ULong req_B);
/* free() released an mmapped chunk of chunk_B bytes: True if that
   raised the threshold (to chunk_B). */
Bool  rs_glibc_mmap_on_free(RsMmapThreshold* m, ULong chunk_B);
/* A large request (rs_glibc_mmap_is_large) got a chunk of its own
   (own_chunk) or a place in a heap. */
void  rs_glibc_mmap_on_alloc(RsMmapThreshold* m, ULong req_B, Bool own_chunk);
/* Does a successful mallopt(param, ...) fix the thresholds? */
Bool  rs_glibc_mmap_param_fixes(Int param);
/* Does the environment variable name=value (value NULL: unset) fix them
   (MALLOC_MMAP_THRESHOLD_ and its kin, or a GLIBC_TUNABLES entry)? */
Bool  rs_glibc_mmap_env_fixes(const HChar* name, const HChar* value);

#endif
