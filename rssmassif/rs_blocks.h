/* rs_blocks.h -- the table of live heap blocks and the heap counters.

   A block is a live allocation [addr, addr + size) with the stack that
   allocated it.  Every change to the table goes through this module, which
   keeps the page counters (rs_pages) and the counters below in step:

   Invariants, at every moment between two requests:
     useful_B  = sum of sizes of the blocks in the table
     n_blocks  = number of blocks in the table
     for each page P: rs_pages_live_B(P) = bytes of table blocks on P
   The totals (allocs, frees, bytes allocated) count like Memcheck's
   "total heap usage": a realloc counts as one alloc and one free; failed
   allocations and free(NULL) are not counted. */
#ifndef RS_BLOCKS_H
#define RS_BLOCKS_H
#include "rs_common.h"
#include "rs_glibc_mmap.h"

typedef struct {
   Addr        addr;         /* first byte; 0 marks an empty table slot */
   SizeT       size;         /* requested size in bytes                 */
   ExeContext* where;        /* allocation stack                        */
} RsBlock;

typedef struct {
   ULong useful_B;           /* sum of live block sizes               */
   ULong n_blocks;           /* live blocks                           */
   ULong n_allocs;           /* successful allocations, ever          */
   ULong n_frees;            /* frees of known blocks, ever           */
   ULong allocated_B;        /* bytes requested by n_allocs           */
   ULong freed_B;            /* bytes of the blocks freed             */
   ULong n_unknown_frees;    /* frees of addresses not in the table   */
   /* glibc's dynamic mmap threshold (rs_glibc_mmap.h), followed through
      the frees of mmapped chunks and large allocations while glibc is
      the allocator; the last raise: the freed block's size and its
      allocation stack. */
   RsMmapThreshold mmap_thr;
   ULong       mmap_thr_freed_B;
   ExeContext* mmap_thr_where;
} RsHeapCounters;

extern RsHeapCounters rs_heap;

void     rs_blocks_init(void);
/* The client called mallopt(param, ...), which returned ok. */
void     rs_blocks_note_mallopt(Int param, Int ok);
/* Records a new block; `where` may be NULL (no stack wanted). */
void     rs_block_alloc(Addr a, SizeT size, ExeContext* where);
/* Forgets a block of the allocator; False if none starts at a. */
Bool     rs_block_free(Addr a);
/* A realloc that moved or resized `old` to [a, a+size): counts a free of
   old (if known) and an alloc of the new block. */
void     rs_block_realloc(Addr old, Addr a, SizeT size, ExeContext* where);
/* The allocator's block at a, or NULL; valid until the table changes. */
const RsBlock* rs_block_lookup(Addr a);
/* Custom blocks (VALGRIND_MALLOCLIKE/FREELIKE/RESIZEINPLACE_BLOCK): a
   table of their own, counted like the others. */
void     rs_custom_alloc(Addr a, SizeT size, ExeContext* where);
Bool     rs_custom_free(Addr a);
Bool     rs_custom_resize(Addr a, SizeT new_size);

/* Someone told of every block of the allocator made (alloc True) or
   freed, with the thread that did it: the release model (rs_release.c). */
typedef void (*RsBlockObserver)(ThreadId tid, Addr a, SizeT size, Bool alloc);
void     rs_blocks_set_observer(RsBlockObserver fn);

/* Batched frees (RsFreeBuf, rs_clreq_ids.h): a thread's batch lives in
   the client's memory; the tool takes the frees recorded in it. */
void     rs_blocks_register_free_batch(ThreadId tid, Addr client_buf);
void     rs_blocks_take_frees(ThreadId tid);
/* Takes every thread's pending frees: before any observation. */
void     rs_blocks_take_all_frees(void);
/* A thread exits: its batch is taken and forgotten. */
void     rs_blocks_thread_exit(ThreadId tid);

/* Iteration over live blocks (self-checks, detailed snapshots); the
   records are valid until the tables change. */
void     rs_blocks_start_iter(void);
const RsBlock* rs_blocks_next(void);

#endif
