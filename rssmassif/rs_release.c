/*--------------------------------------------------------------------*/
/*--- rssmassif: the allocator's release call.        rs_release.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_release.h"
#include "rs_alloc.h"
#include "rs_blocks.h"
#include "rs_pages.h"
#include "rs_pageset.h"
#include "rs_trim.h"
#include "rs_static.h"
#include "rs_tcmalloc.h"
#include "rs_options.h"

/* jemalloc 5.x (amd64, 4 KiB pages, Debian's defaults): sizes up to
   SMALL_MAX_B live in slabs of lcm(page, size class) bytes; larger ones
   in an extent of their size class plus one page (cache-oblivious
   placement puts the block at a random offset in its first page). */
#define JE_SMALL_MAX_B   14336
#define JE_LARGE_PAD_B   RS_PAGE_B

static RsPageSet   rel_set;      /* glibc: released; jemalloc, tcmalloc: kept in use */
static RsAllocKind rel_kind;     /* the allocator the set was built for    */

/* jemalloc's size class of a request: 8, multiples of 16 up to 128, then
   four classes per doubling. */
static SizeT je_size_class(SizeT size)
{
   SizeT lg = 0, delta;
   if (size <= 8)
      return 8;
   if (size <= 128)
      return (size + 15) & ~(SizeT)15;
   while (((SizeT)1 << (lg + 1)) <= size - 1)
      lg++;
   delta = (SizeT)1 << (lg - 2);
   return (size + delta - 1) & ~(delta - 1);
}

/* The extent holding a live jemalloc block: its slab, or its own. */
static void je_keep_block(const RsBlock* b)
{
   SizeT cls = je_size_class(b->size ? b->size : 1);
   Addr page = RS_PAGE_DOWN(b->addr);
   SizeT slab_B = RS_PAGE_B, k;
   if (cls > JE_SMALL_MAX_B) {
      rs_pageset_add(&rel_set, page, page + RS_PAGE_UP(cls) + JE_LARGE_PAD_B);
      return;
   }
   while (slab_B % cls != 0)
      slab_B += RS_PAGE_B;
   /* The slab starts at the one page boundary at most a slab below the
      block from which the block lies a whole number of regions. */
   for (k = 0; k < slab_B / RS_PAGE_B && page >= k * RS_PAGE_B; k++) {
      Addr start = page - k * RS_PAGE_B;
      if ((b->addr - start) % cls == 0) {
         rs_pageset_add(&rel_set, start, start + slab_B);
         return;
      }
   }
}

/* tcmalloc: which freed objects its caches still hold, followed through
   the program's mallocs and frees (rs_tcmalloc.h says what is modelled).
   A thread's list per class is an array whose end is the list's head;
   0 stands for an object the cache took from a span (never seen freed). */
typedef struct {
   Addr* a;                 /* the objects, head last          */
   UInt  len, cap;
   UInt  lowater;           /* lowest length since a scavenge  */
   UInt  max_len;           /* dynamic maximum length          */
   UInt  overages;          /* times the list went past it     */
} TcList;

typedef struct {
   Long   size_B;           /* bytes in the lists              */
   Long   max_size_B;       /* the cache's budget              */
   TcList list[RS_TC_MAX_CLASSES];
} TcThread;

typedef struct {
   Addr* a;                 /* slot s: a[s * batch ...]        */
   UInt  used, size;        /* slots used; slots allowed now   */
} TcXfer;

#define TC_MAX_THREADS 1024
static RsTcClasses tc_cls;               /* tcmalloc's size classes      */
static Bool        tc_ready;             /* tc_cls computed              */
static TcThread*   tc_thr[TC_MAX_THREADS];  /* by Valgrind thread id     */
static TcXfer      tc_xfer[RS_TC_MAX_CLASSES];  /* transfer cache        */
static Long        tc_unclaimed_B = RS_TC_OVERALL_CACHE_B;  /* budget left */
static UInt        tc_race;              /* the class evicted next       */

static void tc_init(void)
{
   UInt cl;
   if (tc_ready)
      return;
   rs_tc_classes_init(&tc_cls);
   tc_xfer[0].size = RS_TC_XFER_SLOTS_START;   /* class 0: unused, evictable */
   for (cl = 1; cl < tc_cls.n_classes; cl++)
      tc_xfer[cl].size = tc_cls.xfer_slots[cl] < RS_TC_XFER_SLOTS_START
                         ? tc_cls.xfer_slots[cl] : RS_TC_XFER_SLOTS_START;
   tc_ready = True;
}

/* IncreaseCacheLimit: a slice of the unclaimed budget (no stealing). */
static void tc_grow_budget(TcThread* t)
{
   if (tc_unclaimed_B > 0) {
      tc_unclaimed_B -= RS_TC_STEAL_B;
      t->max_size_B += RS_TC_STEAL_B;
   }
}

static TcThread* tc_thread(ThreadId tid)
{
   TcThread* t;
   UInt cl;
   if (tid >= TC_MAX_THREADS)
      return NULL;
   if (tc_thr[tid] != NULL)
      return tc_thr[tid];
   t = VG_(calloc)("rs.release.tc", 1, sizeof *t);
   tc_grow_budget(t);
   if (t->max_size_B == 0) {
      t->max_size_B = RS_TC_MIN_THREAD_CACHE_B;
      tc_unclaimed_B -= RS_TC_MIN_THREAD_CACHE_B;
   }
   for (cl = 0; cl < RS_TC_MAX_CLASSES; cl++)
      t->list[cl].max_len = 1;
   tc_thr[tid] = t;
   return t;
}

static void tc_push(TcList* l, Addr a)
{
   if (l->len == l->cap) {
      l->cap = l->cap ? 2 * l->cap : 64;
      l->a = VG_(realloc)("rs.release.tc.list", l->a, l->cap * sizeof(Addr));
   }
   l->a[l->len++] = a;
}

static void tc_popped(TcList* l, UInt n)
{
   l->len -= n;
   if (l->len < l->lowater)
      l->lowater = l->len;
}

/* ShrinkCache of class t for class `locked`'s sake. */
static Bool tc_shrink(UInt t, Bool force)
{
   TcXfer* x = &tc_xfer[t];
   if (x->size == 0 || (x->used == x->size && !force))
      return False;
   if (x->used == x->size)
      x->used--;                    /* that batch goes back to its spans */
   x->size--;
   return True;
}

static Bool tc_evict(UInt locked, Bool force)
{
   UInt t = tc_race++;
   if (t >= tc_cls.n_classes) {
      t %= tc_cls.n_classes;
      tc_race = t;
   }
   return t != locked && tc_shrink(t, force);
}

static Bool tc_make_space(UInt cl)
{
   TcXfer* x = &tc_xfer[cl];
   if (x->used < x->size)
      return True;
   if (x->size == tc_cls.xfer_slots[cl])
      return False;
   if ((tc_evict(cl, False) || tc_evict(cl, True))
       && x->size < tc_cls.xfer_slots[cl]) {
      x->size++;
      return True;
   }
   return False;
}

/* InsertRange: n objects (the list's head) to the central list. */
static void tc_insert(TcList* l, UInt cl, UInt n)
{
   TcXfer* x = &tc_xfer[cl];
   UInt batch = tc_cls.batch[cl];
   if (n == batch && tc_make_space(cl) && !RS_MUTANT_IS(1410)) {
      if (x->a == NULL)
         x->a = VG_(malloc)("rs.release.tc.xfer",
                            tc_cls.xfer_slots[cl] * batch * sizeof(Addr));
      VG_(memcpy)(&x->a[x->used * batch], &l->a[l->len - n], n * sizeof(Addr));
      x->used++;
   }                                 /* else: back to the spans */
   tc_popped(l, n);
}

static void tc_release(TcThread* t, UInt cl, UInt n)
{
   TcList* l = &t->list[cl];
   UInt batch = tc_cls.batch[cl];
   if (n > l->len)
      n = l->len;
   t->size_B -= (Long)n * tc_cls.size_B[cl];
   while (n > batch) {
      tc_insert(l, cl, batch);
      n -= batch;
   }
   tc_insert(l, cl, n);
}

static void tc_scavenge(TcThread* t)
{
   UInt cl;
   for (cl = 1; cl < tc_cls.n_classes; cl++) {
      TcList* l = &t->list[cl];
      UInt batch = tc_cls.batch[cl];
      if (l->lowater > 0) {
         tc_release(t, cl, l->lowater > 1 ? l->lowater / 2 : 1);
         if (l->max_len > batch)
            l->max_len = l->max_len - batch > batch ? l->max_len - batch : batch;
      }
      l->lowater = l->len;
   }
   tc_grow_budget(t);
}

/* ListTooLong. */
static void tc_too_long(TcThread* t, UInt cl)
{
   TcList* l = &t->list[cl];
   UInt batch = tc_cls.batch[cl];
   t->size_B += tc_cls.size_B[cl];
   tc_release(t, cl, batch);
   if (l->max_len < batch) {
      l->max_len++;
   } else if (l->max_len > batch && ++l->overages > RS_TC_MAX_OVERAGES) {
      l->max_len -= batch;
      l->overages = 0;
   }
   if (t->size_B > t->max_size_B)
      tc_scavenge(t);
}

static void tc_dealloc(TcThread* t, UInt cl, Addr a)
{
   TcList* l = &t->list[cl];
   tc_push(l, a);
   if (RS_MUTANT_IS(1416))
      return;                         /* the cache never gives back */
   if (l->len > l->max_len) {
      tc_too_long(t, cl);
      return;
   }
   t->size_B += tc_cls.size_B[cl];
   if (t->size_B > t->max_size_B)
      tc_scavenge(t);
}

/* FetchFromCentralCache: a transfer slot or objects of the spans. */
static void tc_fetch(TcThread* t, UInt cl)
{
   TcList* l = &t->list[cl];
   TcXfer* x = &tc_xfer[cl];
   UInt batch = tc_cls.batch[cl], k;
   UInt n = l->max_len < batch ? l->max_len : batch;
   if (n == batch && x->used > 0) {
      x->used--;
      for (k = batch; k > 1; k--)    /* the slot's first one is returned */
         tc_push(l, x->a[x->used * batch + k - 1]);
   } else {
      for (k = 1; k < n; k++)
         tc_push(l, 0);
   }
   t->size_B += (Long)(l->len) * tc_cls.size_B[cl];
   if (l->max_len < batch) {
      l->max_len++;
   } else {
      UInt m = l->max_len + batch;
      if (m > RS_TC_MAX_LIST_LEN)
         m = RS_TC_MAX_LIST_LEN;
      l->max_len = m - m % batch;
   }
}

static void tc_alloc(TcThread* t, UInt cl)
{
   TcList* l = &t->list[cl];
   if (l->len == 0) {
      tc_fetch(t, cl);
      return;
   }
   tc_popped(l, 1);
   t->size_B -= tc_cls.size_B[cl];
}

void rs_release_note_block(ThreadId tid, Addr a, SizeT size, Bool alloc)
{
   TcThread* t;
   UInt cl;
   if (rs_alloc_kind() != RS_ALLOC_TCMALLOC)
      return;
   tc_init();
   cl = rs_tc_class_of(&tc_cls, size ? size : 1);
   if (cl == 0 && RS_MUTANT_IS(1413))
      cl = tc_cls.n_classes - 1;      /* a large block cached as a small one */
   if (cl == 0 || (t = tc_thread(tid)) == NULL)
      return;
   if (alloc)
      tc_alloc(t, cl);
   else
      tc_dealloc(t, cl, a);
}

/* A thread's cache is destroyed: every list goes to the central lists. */
void rs_release_note_thread_exit(ThreadId tid)
{
   TcThread* t = tid < TC_MAX_THREADS ? tc_thr[tid] : NULL;
   UInt cl;
   if (t == NULL)
      return;
   for (cl = 1; cl < tc_cls.n_classes; cl++) {
      tc_release(t, cl, t->list[cl].len);
      if (t->list[cl].a)
         VG_(free)(t->list[cl].a);
   }
   tc_unclaimed_B += t->max_size_B;
   VG_(free)(t);
   tc_thr[tid] = NULL;
}

/* The span (or, for a large block, the pages) of an object tcmalloc
   still has out: a live block or a cached object. */
static void tc_keep(Addr a, SizeT size)
{
   UInt cl = rs_tc_class_of(&tc_cls, size);
   Addr start;
   if (cl == 0) {
      rs_pageset_add(&rel_set, a & ~(RS_TC_PAGE_B - 1),
                     (a + size + RS_TC_PAGE_B - 1) & ~(RS_TC_PAGE_B - 1));
      return;
   }
   start = rs_tc_span_start(&tc_cls, cl, a);
   rs_pageset_add(&rel_set, start, start + (RS_MUTANT_IS(1412) ? 1 : tc_cls.pages[cl])
                                           * RS_TC_PAGE_B);
}

/* The cached objects of class cl that are not live now. */
static void tc_keep_cached(const Addr* v, UInt n, UInt cl)
{
   UInt i;
   for (i = 0; i < n; i++)
      if (v[i] != 0 && rs_block_lookup(v[i]) == NULL)
         tc_keep(v[i], tc_cls.size_B[cl]);
}

static void tc_build(void)
{
   const RsBlock* b;
   UInt cl, tid;
   tc_init();
   rs_blocks_start_iter();
   while ((b = rs_blocks_next()) != NULL)
      if (rs_block_lookup(b->addr) == b)
         tc_keep(b->addr, b->size ? b->size : 1);
   for (cl = 1; cl < tc_cls.n_classes; cl++) {
      tc_keep_cached(tc_xfer[cl].a, tc_xfer[cl].used * tc_cls.batch[cl], cl);
      for (tid = 0; tid < TC_MAX_THREADS; tid++)
         if (tc_thr[tid] != NULL && !RS_MUTANT_IS(1411))
            tc_keep_cached(tc_thr[tid]->list[cl].a, tc_thr[tid]->list[cl].len, cl);
   }
}

static void je_build(void)
{
   const RsBlock* b;
   rs_blocks_start_iter();
   while ((b = rs_blocks_next()) != NULL)
      if (rs_block_lookup(b->addr) == b && !RS_MUTANT_IS(66))
         je_keep_block(b);
}

static void build(const Addr* pages, UWord n_pages)
{
   if (rs_static_active())
      rs_alloc_note_static();         /* a static program's own glibc */
   rel_kind = rs_alloc_kind();
   rs_pageset_init(&rel_set, "rs.release.set");
   if (rel_kind == RS_ALLOC_GLIBC)
      rs_trim_build_near(&rel_set, pages, n_pages);
   else if (rel_kind == RS_ALLOC_JEMALLOC
            || (RS_MUTANT_IS(68) && rel_kind == RS_ALLOC_MIMALLOC))
      je_build();
   else if (rel_kind == RS_ALLOC_TCMALLOC)
      tc_build();
   rs_pageset_seal(&rel_set);
}

static Bool release_page(Addr page)
{
   /* jemalloc, tcmalloc: pages that held a block, outside the kept set */
   Bool kept_model = rel_kind == RS_ALLOC_JEMALLOC || rel_kind == RS_ALLOC_TCMALLOC
                     || (RS_MUTANT_IS(68) && rel_kind == RS_ALLOC_MIMALLOC);
   if (rel_kind == RS_ALLOC_GLIBC)
      return rs_pageset_has(&rel_set, page);
   if (!kept_model)
      return False;               /* mimalloc (MADV_FREE), other: nothing */
   return (rs_pages_last_free_ecu(page) != 0)
          && !rs_pageset_has(&rel_set, page);
}

/* --rs-check=yes: glibc's model asked about the pages only gives what the
   walk from every live block gives. */
static void check_near(const Addr* pages, UWord n_pages, ULong near_B)
{
   RsPageSet full;
   ULong full_B = 0;
   UWord i;
   rs_pageset_init(&full, "rs.release.check");
   rs_trim_build(&full);
   rs_pageset_seal(&full);
   for (i = 0; i < n_pages; i++)
      if (rs_pageset_has(&full, pages[i]))
         full_B += RS_PAGE_B;
   rs_pageset_done(&full);
   if (full_B != near_B) {
      VG_(umsg)("rssmassif: self-check failed: trim model near %llu, full %llu\n",
                near_B, full_B);
      tl_assert2(0, "rssmassif self-check failed: trim model");
   }
}

ULong rs_release_estimate_B(const Addr* pages, UWord n_pages)
{
   ULong est_B = 0;
   UWord i;
   build(pages, n_pages);
   for (i = 0; i < n_pages; i++)
      if (release_page(pages[i]))
         est_B += RS_PAGE_B;
   rs_pageset_done(&rel_set);
   if (rs_clo.check && rel_kind == RS_ALLOC_GLIBC)
      check_near(pages, n_pages, est_B);
   return est_B;
}
