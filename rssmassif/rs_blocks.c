/*--------------------------------------------------------------------*/
/*--- rssmassif: the table of live blocks.             rs_blocks.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_blocks.h"
#include "rs_pages.h"
#include "rs_mappings.h"
#include "rs_alloc.h"
#include "rs_frames.h"
#include "rs_mutant.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_aspacemgr.h"
#include "rs_clreq_ids.h"

RsHeapCounters rs_heap;

/* ------------------------------------------------------------------ */
/* Block tables: open addressing, linear probing, records in place.    */
/* ------------------------------------------------------------------ */

/* A table keeps its records in one array: a lookup costs one cache line
   or two, and a walk over all blocks (detailed snapshots, self-checks)
   reads memory in order.  Invariants:
   - a slot is empty iff its addr is 0 (no block starts at address 0);
   - every record lies in the probe run that starts at its home slot
     (deletion shifts records back to keep this, no tombstones);
   - used <= 3/4 of the slots (the table doubles beyond). */
typedef struct {
   RsBlock* slot;
   UWord    mask;             /* slots - 1 (a power of two) */
   UWord    used;
} BlockTable;

/* Two tables: blocks of the wrapped allocator, and custom blocks
   announced by VALGRIND_MALLOCLIKE_BLOCK (a pool object may start where
   the pool's own malloc'd block starts: each table has its own keys). */
static BlockTable blocks, custom;

/* The home slot is a hash of the block's page plus 16 slots per 16 bytes
   of offset in the page: pages are scattered over the table, but the
   blocks of one page sit within 4,096 slots (96 KiB) of each other.  A
   walk in slot order (the detailed snapshot's page table, rs_tree.c)
   then meets each page's blocks close together instead of once per block
   at random.  The stride of 16 keeps blocks of one page apart: with a
   stride of 1, blocks freed and reallocated on one page crowded into one
   run of slots, and probes grew (churn of 10,000 blocks: the free path
   went from 6 % to 11 % of the run). */
static inline UWord home_of(const BlockTable* t, Addr a)
{
   UWord page_h = (UWord)(((a >> RS_PAGE_SHIFT) * 0x9E3779B97F4A7C15ULL) >> 20);
   return (page_h + ((a >> 4) & 0xFF) * 16) & t->mask;
}

static void table_init(BlockTable* t, UWord slots)
{
   t->slot = VG_(calloc)("rs.blocks.table", slots, sizeof(RsBlock));
   t->mask = slots - 1;
   t->used = 0;
}

/* The slot holding a, or the empty slot ending its probe run. */
static inline RsBlock* probe(const BlockTable* t, Addr a)
{
   UWord i = home_of(t, a);
   while (t->slot[i].addr != 0 && t->slot[i].addr != a)
      i = (i + 1) & t->mask;
   return &t->slot[i];
}

static void insert_record(BlockTable* t, const RsBlock* b);

static void grow(BlockTable* t)
{
   RsBlock* old = t->slot;
   UWord    n = t->mask + 1, i;
   table_init(t, 2 * n);
   for (i = 0; i < n; i++)
      if (old[i].addr != 0)
         insert_record(t, &old[i]);
   VG_(free)(old);
}

static void insert_record(BlockTable* t, const RsBlock* b)
{
   RsBlock* s;
   if (4 * (t->used + 1) > 3 * (t->mask + 1))
      grow(t);
   s = probe(t, b->addr);
   if (s->addr == 0)
      t->used++;
   *s = *b;
}

/* Removes the record at slot s, shifting later records of the run back. */
static void delete_slot(BlockTable* t, RsBlock* s)
{
   UWord i = s - t->slot, j = i;
   for (;;) {
      UWord h;
      j = (j + 1) & t->mask;
      if (t->slot[j].addr == 0)
         break;
      h = home_of(t, t->slot[j].addr);
      /* Move j back to i unless its home lies cyclically in (i, j]. */
      if ((i < j) ? (h <= i || h > j) : (h <= i && h > j)) {
         t->slot[i] = t->slot[j];
         i = j;
      }
   }
   t->slot[i].addr = 0;
   t->used--;
}

static void mmap_thr_env(void);

void rs_blocks_init(void)
{
   table_init(&blocks, 1024);
   table_init(&custom, 64);
   VG_(memset)(&rs_heap, 0, sizeof rs_heap);
   rs_glibc_mmap_init(&rs_heap.mmap_thr);
   mmap_thr_env();
}

/* ------------------------------------------------------------------ */
/* Adding and removing blocks (the counters follow).                   */
/* ------------------------------------------------------------------ */

static void attach_to(BlockTable* t, const RsBlock* b)
{
   insert_record(t, b);
   rs_pages_add(b->addr, b->size);
   rs_heap.useful_B += b->size + (RS_MUTANT_IS(13) ? 1 : 0);
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
}

/* glibc's dynamic mmap threshold (rs_glibc_mmap.h).  Only large blocks
   (a size compare on the hot path) of glibc's malloc are looked at. */
static Bool glibc_serves(void)
{
   return rs_alloc_kind() == RS_ALLOC_GLIBC;
}

/* free() of b (not realloc: glibc raises the threshold in free only). */
static void mmap_thr_free(const RsBlock* b)
{
   Addr start, end;
   const RsMapSite* site;
   if (!rs_glibc_mmap_is_large(b->size) || !glibc_serves()
       || !rs_mappings_is_own_chunk(b->addr, b->size)
       || !rs_mappings_range_at(b->addr - 16, &start, &end, &site))
      return;
   if (rs_glibc_mmap_on_free(&rs_heap.mmap_thr, end - start)) {
      rs_heap.mmap_thr_freed_B = b->size;
      rs_heap.mmap_thr_where = b->where;
   }
}

static void mmap_thr_alloc(Addr a, SizeT size)
{
   if (rs_glibc_mmap_is_large(size) && glibc_serves())
      rs_glibc_mmap_on_alloc(&rs_heap.mmap_thr, size,
                             rs_mappings_is_own_chunk(a, size));
}

void rs_blocks_note_mallopt(Int param, Int ok)
{
   if (ok && rs_glibc_mmap_param_fixes(param) && !RS_MUTANT_IS(1104))
      rs_heap.mmap_thr.fixed = True;
}

/* The environment glibc read at start-up (Valgrind's is the client's). */
static void mmap_thr_env(void)
{
   static const HChar* names[] = { "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_",
      "MALLOC_MMAP_THRESHOLD_", "MALLOC_MMAP_MAX_", "GLIBC_TUNABLES" };
   UInt i;
   for (i = 0; i < sizeof names / sizeof names[0]; i++)
      if (rs_glibc_mmap_env_fixes(names[i], VG_(getenv)(names[i])))
         rs_heap.mmap_thr.fixed = True;
}

/* Takes the block at a out of t into *out; False if there is none. */
static Bool detach_from(BlockTable* t, Addr a, RsBlock* out)
{
   RsBlock* s;
   if (a == 0)
      return False;
   s = probe(t, a);
   if (s->addr == 0)
      return False;
   *out = *s;
   delete_slot(t, s);
   rs_pages_sub(out->addr, out->size,
                out->where ? VG_(get_ECU_from_ExeContext)(out->where) : 0);
   rs_heap.useful_B -= out->size;
   if (!RS_MUTANT_IS(29))
      rs_heap.n_blocks--;
   return True;
}

/* Follows the allocator's blocks as they are made and freed (the release
   model, rs_release.c); NULL: nobody. */
static RsBlockObserver block_observer;
/* The thread whose batched frees are being taken; 0: the running one. */
static ThreadId batch_tid;

void rs_blocks_set_observer(RsBlockObserver fn)
{
   block_observer = fn;
}

static void observe(Addr a, SizeT size, Bool alloc)
{
   if (block_observer != NULL)
      block_observer(batch_tid ? batch_tid : VG_(get_running_tid)(), a, size, alloc);
}

static Bool free_from(BlockTable* t, Addr a)
{
   RsBlock b;
   if (!detach_from(t, a, &b)) {
      rs_heap.n_unknown_frees++;
      return False;
   }
   if (t == &blocks) {
      mmap_thr_free(&b);
      observe(b.addr, b.size, False);
   }
   count_free(&b);
   return True;
}

static void alloc_in(BlockTable* t, Addr a, SizeT size, ExeContext* where)
{
   RsBlock b;
   if (a == 0)
      return;                          /* never a block: the empty-slot mark */
   b.addr  = a;
   b.size  = size;
   b.where = where;
   /* A live address reported again: the free that released it may still
      wait in another thread's batch; else the client freed it behind our
      back (a custom allocator without FREELIKE): replace it. */
   if (probe(t, a)->addr != 0) {
      rs_blocks_take_all_frees();
      if (probe(t, a)->addr != 0)
         free_from(t, a);
   }
   attach_to(t, &b);
   count_alloc(size);
   rs_frames_note_stack(where);        /* wrapper recognition */
}

void rs_block_alloc(Addr a, SizeT size, ExeContext* where)
{
   alloc_in(&blocks, a, size, where);
   mmap_thr_alloc(a, size);
   if (a != 0)
      observe(a, size, True);
}

void rs_custom_alloc(Addr a, SizeT size, ExeContext* where)
{
   alloc_in(&custom, a, size, where);
}

Bool rs_custom_free(Addr a)
{
   return free_from(&custom, a);
}

Bool rs_block_free(Addr a)
{
   return free_from(&blocks, a);
}

void rs_block_realloc(Addr old, Addr a, SizeT size, ExeContext* where)
{
   RsBlock b;
   if (!RS_MUTANT_IS(14) && detach_from(&blocks, old, &b)) {
      observe(b.addr, b.size, False);
      count_free(&b);
   }
   rs_block_alloc(a, size, where);
}

Bool rs_custom_resize(Addr a, SizeT new_size)
{
   RsBlock* b = a ? probe(&custom, a) : NULL;
   if (b == NULL || b->addr == 0)
      return False;
   rs_pages_sub(b->addr, b->size, 0);
   rs_heap.useful_B -= b->size;
   b->size = new_size;
   rs_pages_add(b->addr, b->size);
   rs_heap.useful_B += b->size;
   return True;
}

const RsBlock* rs_block_lookup(Addr a)
{
   RsBlock* s = a ? probe(&blocks, a) : NULL;
   return s && s->addr != 0 ? s : NULL;
}

/* Iteration: the allocator's blocks, then the custom ones, in slot order. */
static UWord iter_i;
static Bool  iter_in_custom;

void rs_blocks_start_iter(void)
{
   iter_i = 0;
   iter_in_custom = False;
}

const RsBlock* rs_blocks_next(void)
{
   for (;;) {
      BlockTable* t = iter_in_custom ? &custom : &blocks;
      while (iter_i <= t->mask) {
         const RsBlock* b = &t->slot[iter_i++];
         if (b->addr != 0)
            return b;
      }
      if (iter_in_custom)
         return NULL;
      iter_in_custom = True;
      iter_i = 0;
   }
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
   batch_tid = b->tid;
   for (i = 0; i < n; i++)
      rs_block_free(b->buf->addr[i]);
   batch_tid = 0;
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
