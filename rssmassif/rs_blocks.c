/*--------------------------------------------------------------------*/
/*--- rssmassif: the table of live blocks.             rs_blocks.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_blocks.h"
#include "rs_pages.h"
#include "rs_mappings.h"
#include "pub_tool_hashtable.h"
#include "pub_tool_poolalloc.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_aspacemgr.h"
#include "rs_clreq_ids.h"

RsHeapCounters rs_heap;

/* Two tables: blocks of the wrapped allocator, and custom blocks
   announced by VALGRIND_MALLOCLIKE_BLOCK (a pool object may start where
   the pool's own malloc'd block starts: each table has its own keys). */
static VgHashTable* blocks;
static VgHashTable* custom;
/* Block records come from a pool: no allocator header per block, and
   alloc/free cost a list operation (the hot path of every malloc). */
static PoolAlloc*   block_pool;

static RsBlock* new_record(void)  { return VG_(allocEltPA)(block_pool); }
static void     free_record(RsBlock* b) { VG_(freeEltPA)(block_pool, b); }

void rs_blocks_init(void)
{
   block_pool = VG_(newPA)(sizeof(RsBlock), 4096, VG_(malloc),
                           "rs.blocks.pool", VG_(free));
   blocks = VG_(HT_construct)("rs.blocks");
   custom = VG_(HT_construct)("rs.blocks.custom");
   VG_(memset)(&rs_heap, 0, sizeof rs_heap);
}

/* Adds a block to a table and its bytes to the pages: no counting. */
static void attach_to(VgHashTable* table, RsBlock* b)
{
   VG_(HT_add_node)(table, b);
   rs_pages_add(b->addr, b->size);
   rs_heap.useful_B += b->size;
   rs_heap.n_blocks++;
}

static void count_alloc(SizeT size)
{
   rs_heap.n_allocs++;
   rs_heap.allocated_B += size;
}

/* Counts the free of b (its pages already remember it, see detach_from). */
static void count_free(const RsBlock* b)
{
   rs_heap.n_frees++;
   rs_heap.freed_B += b->size;
   if (b->size >= RS_GLIBC_MMAP_THRESHOLD_B && b->size > rs_heap.max_freed_chunk_B
       && rs_mappings_is_own_chunk(b->addr, b->size)) {
      rs_heap.max_freed_chunk_B = b->size;
      rs_heap.max_freed_chunk_where = b->where;
   }
}

static RsBlock* detach_from(VgHashTable* table, Addr a)
{
   RsBlock* b = VG_(HT_remove)(table, a);
   if (b == NULL)
      return NULL;
   rs_pages_sub(b->addr, b->size,
                b->where ? VG_(get_ECU_from_ExeContext)(b->where) : 0);
   rs_heap.useful_B -= b->size;
   rs_heap.n_blocks--;
   return b;
}

static Bool free_from(VgHashTable* table, Addr a)
{
   RsBlock* b = detach_from(table, a);
   if (b == NULL) {
      rs_heap.n_unknown_frees++;
      return False;
   }
   count_free(b);
   free_record(b);
   return True;
}

static void alloc_in(VgHashTable* table, Addr a, SizeT size, ExeContext* where)
{
   RsBlock* b = new_record();
   b->addr  = a;
   b->size  = size;
   b->where = where;
   /* A live address reported again: the free that released it may still
      wait in another thread's batch; else the client freed it behind our
      back (a custom allocator without FREELIKE): replace it. */
   if (VG_(HT_lookup)(table, a) != NULL) {
      rs_blocks_take_all_frees();
      if (VG_(HT_lookup)(table, a) != NULL)
         free_from(table, a);
   }
   attach_to(table, b);
   count_alloc(size);
}

void rs_block_alloc(Addr a, SizeT size, ExeContext* where)
{
   alloc_in(blocks, a, size, where);
}

void rs_custom_alloc(Addr a, SizeT size, ExeContext* where)
{
   alloc_in(custom, a, size, where);
}

Bool rs_custom_free(Addr a)
{
   return free_from(custom, a);
}

RsBlock* rs_block_detach(Addr a)
{
   return detach_from(blocks, a);
}

void rs_block_reattach(RsBlock* b)
{
   attach_to(blocks, b);
}

Bool rs_block_free(Addr a)
{
   return free_from(blocks, a);
}

void rs_block_realloc_done(RsBlock* old, Addr a, SizeT size, ExeContext* where)
{
   count_free(old);
   free_record(old);
   rs_block_alloc(a, size, where);
}

Bool rs_custom_resize(Addr a, SizeT new_size)
{
   RsBlock* b = VG_(HT_lookup)(custom, a);
   if (b == NULL)
      return False;
   rs_pages_sub(b->addr, b->size, 0);
   rs_heap.useful_B -= b->size;
   b->size = new_size;
   rs_pages_add(b->addr, b->size);
   rs_heap.useful_B += b->size;
   return True;
}

RsBlock* rs_block_lookup(Addr a)
{
   return VG_(HT_lookup)(blocks, a);
}

/* Iteration: the allocator's blocks, then the custom ones. */
static Bool iter_in_custom;

void rs_blocks_start_iter(void)
{
   iter_in_custom = False;
   VG_(HT_ResetIter)(blocks);
   VG_(HT_ResetIter)(custom);
}

RsBlock* rs_blocks_next(void)
{
   RsBlock* b = iter_in_custom ? NULL : VG_(HT_Next)(blocks);
   if (b != NULL)
      return b;
   iter_in_custom = True;
   return VG_(HT_Next)(custom);
}

/* ------------------------------------------------------------------ */
/* Batched frees.                                                      */
/* ------------------------------------------------------------------ */

/* The registered batches, one per thread that ever freed.  A batch of a
   thread that has exited is still read (glibc's freeres frees at exit,
   after the last thread is gone) if its memory is still the client's. */
typedef struct {
   ThreadId   tid;
   RsFreeBuf* buf;
   Bool       exited;
} Batch;

#define MAX_BATCHES 4096
static Batch batches[MAX_BATCHES];
static UInt  n_batches;
static Batch* batch_of_tid[1024];    /* fast path for the running thread */

static Bool batch_readable(const Batch* b)
{
   return b->buf != NULL
          && (!b->exited
              || VG_(am_is_valid_for_client)((Addr)b->buf, sizeof(RsFreeBuf),
                                         VKI_PROT_READ | VKI_PROT_WRITE));
}

static void take_batch(Batch* b)
{
   UWord i, n;
   if (b == NULL || !batch_readable(b) || b->buf->n == 0)
      return;
   n = b->buf->n < RS_FREE_BATCH ? b->buf->n : RS_FREE_BATCH;
   for (i = 0; i < n; i++)
      rs_block_free(b->buf->addr[i]);
   b->buf->n = 0;
}

static Batch* batch_by_tid(ThreadId tid)
{
   UInt i;
   if (tid < 1024)
      return batch_of_tid[tid];
   for (i = 0; i < n_batches; i++)
      if (batches[i].tid == tid && !batches[i].exited)
         return &batches[i];
   return NULL;
}

void rs_blocks_register_free_batch(ThreadId tid, Addr client_buf)
{
   Batch* b = batch_by_tid(tid);
   UInt i;
   if (!VG_(am_is_valid_for_client)(client_buf, sizeof(RsFreeBuf),
                                    VKI_PROT_READ | VKI_PROT_WRITE))
      return;
   if (b == NULL) {
      /* Reuse the slot of an exited thread whose batch was emptied. */
      for (i = 0; i < n_batches; i++)
         if (batches[i].exited && (!batch_readable(&batches[i])
                                   || batches[i].buf->n == 0))
            break;
      if (i == n_batches) {
         if (n_batches == MAX_BATCHES) {
            take_batch(&batches[0]);        /* full: recycle the oldest */
            i = 0;
         } else {
            n_batches++;
         }
      }
      b = &batches[i];
   }
   b->tid = tid;
   b->buf = (RsFreeBuf*)client_buf;
   b->exited = False;
   if (tid < 1024)
      batch_of_tid[tid] = b;
}

void rs_blocks_take_frees(ThreadId tid)
{
   take_batch(batch_by_tid(tid));
}

void rs_blocks_take_all_frees(void)
{
   UInt i;
   for (i = 0; i < n_batches; i++)
      take_batch(&batches[i]);
}

/* The main thread's batch is kept after it exits: glibc's freeres frees
   through it at process exit, and its TLS stays mapped until then.  Any
   other thread's batch is forgotten: its memory goes back to glibc's
   stack cache and may hold anything later. */
void rs_blocks_thread_exit(ThreadId tid)
{
   Batch* b = batch_by_tid(tid);
   if (b == NULL)
      return;
   take_batch(b);
   b->exited = True;
   if (tid != 1) {
      b->buf = NULL;
      b->tid = VG_INVALID_THREADID;
   }
   if (tid < 1024)
      batch_of_tid[tid] = NULL;
}
