/* rs_trim.h -- the pages glibc's malloc_trim(0) would give back now.

   A model of glibc's (2.36) malloc_trim: for every arena it first
   consolidates the fastbins (merging their chunks with free neighbours),
   then madvises(MADV_DONTNEED), in each free chunk, the whole pages that
   start after the chunk's first 48 bytes (sizeof(struct malloc_chunk):
   header and free-list links) and end before the chunk's end; the main
   arena's top chunk is then shrunk with sbrk down to one MINSIZE + 1
   bytes (systrim); a thread arena's top is not touched.  Chunks in the
   per-thread tcache stay allocated to glibc: they are not trimmed and
   they split the free space around them.

   The free chunks are found by walking glibc's chunk headers in the
   client's memory from each live block to the next one: a chunk whose
   successor's PREV_INUSE bit is clear is free; a chunk glibc holds as
   allocated but the program freed is a fastbin chunk (size <= 128 bytes:
   consolidated, so counted free) or a tcache chunk (larger: kept).
   Reads stay inside the client's readable mappings. */
#ifndef RS_TRIM_H
#define RS_TRIM_H
#include "rs_common.h"
#include "rs_pageset.h"

/* Adds to out the page ranges malloc_trim(0) would release now. */
void rs_trim_build(RsPageSet* out);
/* The same model, asked only about `pages` (n_pages of them, in
   increasing order): puts into out every range rs_trim_build would put
   there that holds one of them, and may put others.  Walks only from the
   blocks whose chunk walk can reach those pages, so a snapshot with few
   free pages costs no walk over every live block. */
void rs_trim_build_near(RsPageSet* out, const Addr* pages, UWord n_pages);

#endif
