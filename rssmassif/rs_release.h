/* rs_release.h -- what the allocator's own release call would give back
   now (release_estimate_B):
     glibc     malloc_trim(0): the model of rs_trim.c;
     jemalloc  mallctl("arena.<all>.purge"): every resident page that once
               held a block and lies in no extent jemalloc still has in
               use (the slab of a live small block, the extent of a live
               large one, by jemalloc's size classes);
     tcmalloc  MallocExtension::ReleaseFreeMemory(): every resident page
               that once held a block and lies in no span tcmalloc still
               has out: the span of a live object or of one its thread
               and transfer caches hold (followed through the program's
               mallocs and frees, rs_tcmalloc.h);
     mimalloc  mi_collect(true): 0 -- it purges with MADV_FREE, and such
               pages stay resident until the kernel is short of memory;
     other     no model: 0.
   Only heap pages with no live block byte (heap_dead) are asked about. */
#ifndef RS_RELEASE_H
#define RS_RELEASE_H
#include "rs_common.h"

/* Follows the program's mallocs and frees (rs_blocks_set_observer) and
   its threads' exits: tcmalloc's caches are modelled from them. */
void rs_release_note_block(ThreadId tid, Addr a, SizeT size, Bool alloc);
void rs_release_note_thread_exit(ThreadId tid);
/* The bytes of `pages` (n_pages dead, resident heap pages, in increasing
   address order) the release call of the allocator serving the program
   would give back.  --rs-check=yes: glibc's model asked about these
   pages only must agree with its walk from every live block. */
ULong rs_release_estimate_B(const Addr* pages, UWord n_pages);

#endif
