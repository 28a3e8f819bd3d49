/*--------------------------------------------------------------------*/
/*--- rssmassif: what malloc_trim(0) would give back.    rs_trim.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_trim.h"
#include "rs_blocks.h"
#include "rs_mappings.h"
#include "rs_snapshot.h"
#include "pub_tool_aspacemgr.h"
#include "pub_tool_xarray.h"
#include "pub_tool_mallocfree.h"

/* glibc (amd64) chunk facts: the size field is the word before the
   user pointer, its low bits are PREV_INUSE (1) and IS_MMAPPED (2);
   chunks are multiples of 16 bytes, at least MINSIZE; a fencepost that
   ends a non-contiguous main-arena segment is a 16-byte chunk. */
#define CHUNK_HDR_B      16
#define FREE_CHUNK_B     48      /* sizeof(struct malloc_chunk)        */
#define MINSIZE_B        32
#define FENCEPOST_B      16
#define FASTBIN_MAX_B    128     /* default global_max_fast (chunk size) */
#define PREV_INUSE_BIT   1
#define IS_MMAPPED_BIT   2
#define SIZE_MASK        (~(UWord)7)
/* A thread arena's heap: 64 MiB-aligned, it starts with a heap_info
   (glibc 2.36: 48 bytes); the arena's first heap holds the malloc_state
   (2,200 bytes) right after it, then the first chunk, 16-byte aligned
   user pointers (chunk + 16). */
#define ARENA_HEAP_B     ((Addr)64 << 20)
#define HEAP_INFO_B      48
#define MSTATE_B         2200
/* A walk between two live blocks longer than this is a corrupt chain. */
#define MAX_WALK_CHUNKS  (1UL << 24)

static RsPageSet* trim_set;   /* where rs_trim_build puts the ranges found */
static Addr    read_lo, read_hi;  /* the client mapping last found readable */
#define RES_WINDOW_PAGES 256
static Addr    res_win_lo;        /* first page of the residency window   */
static UChar   res_win[RES_WINDOW_PAGES];  /* its pages' mincore bits    */

/* Is the page at `page` resident?  Read RES_WINDOW_PAGES at a time. */
static Bool page_resident(Addr page)
{
   if (!(res_win_lo != 0 && res_win_lo <= page
         && page < res_win_lo + RES_WINDOW_PAGES * RS_PAGE_B)) {
      res_win_lo = page;
      rs_read_residency(page, RES_WINDOW_PAGES, res_win);
   }
   return res_win[(page - res_win_lo) / RS_PAGE_B] & 1;
}

/* Reads the word at a if the client may read it (a 16-byte aligned
   chunk field never straddles two mappings).  A page that is not
   resident is not touched (reading it would make it resident and change
   what the snapshot measures): an anonymous page that is not resident
   reads as zeros (a swapped-out page is taken for one). */
static Bool peek(Addr a, UWord* v)
{
   if (!(read_lo <= a && a + sizeof(UWord) <= read_hi)) {
      NSegment const* seg = VG_(am_find_nsegment)(a);
      if (seg == NULL || !seg->hasR
          || (seg->kind != SkAnonC && seg->kind != SkFileC && seg->kind != SkShmC))
         return False;
      read_lo = seg->start;
      read_hi = seg->end + 1;
      if (a + sizeof(UWord) > read_hi)
         return False;
   }
   *v = page_resident(RS_PAGE_DOWN(a)) ? *(const UWord*)a : 0;
   return True;
}

/* The end of the brk heap: the break, rounded up to a page. */
static Addr brk_heap_end(void)
{
   Addr lo, hi, start, end, a = rs_mappings_brk_base();
   rs_mappings_brk_unbound(&lo, &hi);
   if (lo != 0)
      return lo;
   while (rs_mappings_heap_piece(a, &start, &end) && end > a)
      a = end;
   return a;
}

static void add_range(Addr lo, Addr hi)
{
   rs_pageset_add(trim_set, lo, hi);
}

/* A free chunk [lo, hi) after consolidation: mtrim releases its whole
   pages from the first page boundary past its first 48 bytes. */
static void free_run(Addr lo, Addr hi)
{
   add_range(RS_PAGE_UP(lo + (RS_MUTANT_IS(63) ? 0 : FREE_CHUNK_B)), RS_PAGE_DOWN(hi));
}

/* The top chunk [lo, hi) after consolidation: systrim shrinks the main
   arena's break by the whole pages above MINSIZE + 1 bytes of it; other
   tops (thread arenas, a main arena no longer contiguous) stay. */
static void top_run(Addr lo, Addr hi)
{
   Addr brk_base = rs_mappings_brk_base();
   SizeT extra;
   if (RS_MUTANT_IS(64)
       || (!(brk_base <= lo && hi <= brk_heap_end()) && !RS_MUTANT_IS(62))
       || hi - lo <= MINSIZE_B + 1)
      return;
   extra = RS_PAGE_DOWN(hi - lo - MINSIZE_B - 1);
   add_range(RS_PAGE_UP(hi - extra), RS_PAGE_UP(hi));
}

static Bool is_live_chunk(Addr c)
{
   return rs_block_lookup(c + CHUNK_HDR_B) != NULL;
}

/* Walks glibc's chunks from chunk n up to the next live block's chunk
   (at stop when known, else found by lookup), the top or a fencepost,
   noting the free runs malloc_trim would see. */
static void walk_from(Addr n, Addr stop)
{
   Addr run = 0;                       /* start of the open free run */
   ULong steps;
   for (steps = 0; steps < MAX_WALK_CHUNKS; steps++) {
      UWord sz, next_sz;
      Addr nn;
      if (stop != 0 ? n >= stop : is_live_chunk(n))
         break;
      if (!peek(n + sizeof(UWord), &sz))
         break;
      sz &= SIZE_MASK;
      if (sz < FENCEPOST_B || (sz & 15) != 0 || sz == FENCEPOST_B)
         break;
      nn = n + sz;
      if (!peek(nn + sizeof(UWord), &next_sz) || (next_sz & SIZE_MASK) == 0) {
         top_run(run ? run : n, nn);   /* n is the arena's top chunk */
         return;
      }
      if (!(next_sz & PREV_INUSE_BIT) || (sz <= FASTBIN_MAX_B && !RS_MUTANT_IS(61))) {
         if (run == 0)
            run = n;                   /* free, or a fastbin chunk */
      } else {
         if (run != 0)
            free_run(run, n);          /* a tcache chunk splits the run */
         run = 0;
      }
      n = nn;
   }
   if (run != 0)
      free_run(run, n);
}

/* Where the walks that start at no live block start: the brk heap's
   first chunk (glibc's tcache, then the program's) and each thread arena
   heap's first chunk (the walks from live blocks start above them).  *n
   of them, in increasing order, in memory the caller frees. */
static Addr* fixed_starts(UWord* n)
{
   UInt i, n_ranges = rs_mappings_n_ranges();
   Addr base = rs_mappings_brk_base();
   Addr* st = VG_(malloc)("rs.trim.starts", (n_ranges + 1) * sizeof(Addr));
   *n = 0;
   if (base != 0 && (base & 15) == 0)
      st[(*n)++] = base;
   for (i = 0; i < n_ranges && !RS_MUTANT_IS(65); i++) {
      Addr start, end, first;
      const RsMapSite* site;
      UWord ar_ptr;
      if (!rs_mappings_range(i, &start, &end, &site) || site->origin != RS_ORIGIN_HEAP
          || (start & (ARENA_HEAP_B - 1)) != 0 || !peek(start, &ar_ptr))
         continue;
      first = start + HEAP_INFO_B + (ar_ptr == start + HEAP_INFO_B ? MSTATE_B : 0);
      first = ((first + CHUNK_HDR_B + 15) & ~(Addr)15) - CHUNK_HDR_B;
      st[(*n)++] = first;
   }
   for (i = 1; i < *n; i++) {          /* insertion sort: a few starts */
      Addr a = st[i];
      UWord k = i;
      for (; k > 0 && st[k - 1] > a; k--)
         st[k] = st[k - 1];
      st[k] = a;
   }
   return st;
}

/* Sorts a[0..n) with LSD radix passes of 16 bits (user addresses lie
   below 2^48); tmp holds n more.  Far faster than a comparison sort
   with a callback on a million blocks. */
static void radix_sort(Addr* a, Addr* tmp, UWord n)
{
   static UWord count[1 << 16];
   UInt shift;
   UWord i;
   for (shift = 0; shift < 48; shift += 16) {
      Addr* t;
      VG_(memset)(count, 0, sizeof count);
      for (i = 0; i < n; i++)
         count[(a[i] >> shift) & 0xFFFF]++;
      for (i = 1; i < (1 << 16); i++)
         count[i] += count[i - 1];
      for (i = n; i-- > 0; )
         tmp[--count[(a[i] >> shift) & 0xFFFF]] = a[i];
      t = a; a = tmp; tmp = t;
   }
   /* three passes: the sorted keys are in the caller's tmp */
}

/* The allocator's live blocks' addresses, in address order (*n of
   them, in memory the caller frees): the walks then read the heap
   upwards, one residency window after the other (in the block table's
   order nearly every walk read a window of its own). */
static Addr* sorted_blocks(UWord* n)
{
   UWord cap = 1024, i = 0;
   Addr* a = VG_(malloc)("rs.trim.blocks", cap * sizeof(Addr));
   Addr* tmp;
   const RsBlock* b;
   rs_blocks_start_iter();
   while ((b = rs_blocks_next()) != NULL) {
      if (rs_block_lookup(b->addr) != b)
         continue;
      if (i == cap) {
         cap *= 2;
         a = VG_(realloc)("rs.trim.blocks", a, cap * sizeof(Addr));
      }
      a[i++] = b->addr;
   }
   tmp = VG_(malloc)("rs.trim.blocks", (i ? i : 1) * sizeof(Addr));
   radix_sort(a, tmp, i);
   VG_(free)(a);
   *n = i;
   return tmp;
}

static void begin(RsPageSet* out)
{
   trim_set = out;
   read_lo = read_hi = 0;
   res_win_lo = 0;
}

/* The chunk after the live block at b, or 0 when glibc's header says the
   block is no chunk of an arena (mmapped, or no chunk at all). */
static Addr chunk_after(Addr b)
{
   UWord sz;
   Addr c = b - CHUNK_HDR_B;
   if (!peek(c + sizeof(UWord), &sz) || (sz & IS_MMAPPED_BIT)
       || (sz & SIZE_MASK) < MINSIZE_B)
      return 0;
   return c + (sz & SIZE_MASK);
}

void rs_trim_build(RsPageSet* out)
{
   Addr* blocks;
   UWord i, n;
   begin(out);
   blocks = fixed_starts(&n);
   for (i = 0; i < n; i++)
      walk_from(blocks[i], 0);
   VG_(free)(blocks);
   blocks = sorted_blocks(&n);
   for (i = 0; i < n; i++) {
      Addr next = chunk_after(blocks[i]);
      if (next != 0)
         walk_from(next, i + 1 < n ? blocks[i + 1] - CHUNK_HDR_B : 0);
   }
   VG_(free)(blocks);
   trim_set = NULL;
}

/* Runs of consecutive pages [lo, hi), in increasing order. */
typedef struct { Addr lo, hi; } PageRun;

/* NULL if the pages are not in increasing order. */
static PageRun* page_runs(const Addr* pages, UWord n_pages, UWord* n_runs)
{
   PageRun* r = VG_(malloc)("rs.trim.runs", (n_pages ? n_pages : 1) * sizeof *r);
   UWord i, k = 0;
   for (i = 0; i < n_pages; i++) {
      if (k > 0 && pages[i] < r[k - 1].hi) {
         VG_(free)(r);
         return NULL;
      }
      if (k > 0 && r[k - 1].hi == pages[i])
         r[k - 1].hi += RS_PAGE_B;
      else {
         r[k].lo = pages[i];
         r[k].hi = pages[i] + RS_PAGE_B;
         k++;
      }
   }
   *n_runs = k;
   return r;
}

/* The first of the n sorted addresses v above a (n if none). */
/* (stride: Addr words from one address to the next, 2 in a PageRun) */
static UWord first_above(const Addr* v, UWord n, UWord stride, Addr a)
{
   UWord lo = 0, hi = n;
   while (lo < hi) {
      UWord mid = lo + (hi - lo) / 2;
      if (v[mid * stride] > a)
         hi = mid;
      else
         lo = mid + 1;
   }
   return lo;
}

#define NO_STOP (~(Addr)0)

/* What one pass over the live blocks finds for the near model: for run
   j, best[j] the highest block below it and above[j] the lowest block's
   chunk at or above its start; for fixed start k, stop[k] the lowest
   block's chunk at or above it; the blocks inside runs. */
typedef struct {
   const PageRun* r;
   UWord  n_runs, n_fixed, n_inside;
   Addr  *best, *above, *fixed, *stop, *inside;
} Near;

static void near_block(Near* nr, Addr b)
{
   Addr c = b - CHUNK_HDR_B;
   UWord j = first_above(&nr->r[0].lo, nr->n_runs, 2, b);
   UWord k = first_above(nr->fixed, nr->n_fixed, 1, c);
   if (j < nr->n_runs && b > nr->best[j])
      nr->best[j] = b;
   if (j > 0 && c < nr->above[j - 1])
      nr->above[j - 1] = c;
   if (j > 0 && b < nr->r[j - 1].hi && nr->n_inside < nr->n_runs)
      nr->inside[nr->n_inside++] = b;
   else if (j > 0 && b < nr->r[j - 1].hi)
      nr->n_inside = nr->n_runs + 1;   /* too many: walk them all */
   if (k > 0 && c < nr->stop[k - 1])
      nr->stop[k - 1] = c;
}

/* One pass over the blocks; False if more blocks lie inside the runs
   than there are runs. */
static Bool near_pass(Near* nr)
{
   const RsBlock* b;
   UWord j;
   rs_blocks_start_iter();
   while ((b = rs_blocks_next()) != NULL)
      if (rs_block_lookup(b->addr) == b)
         near_block(nr, b->addr);
   if (nr->n_inside > nr->n_runs)
      return False;
   for (j = 1; j < nr->n_runs; j++)            /* below a run: below the next */
      if (nr->best[j - 1] > nr->best[j])
         nr->best[j] = nr->best[j - 1];
   for (j = nr->n_runs; j-- > 1; )             /* above a run: above the last */
      if (nr->above[j] < nr->above[j - 1])
         nr->above[j - 1] = nr->above[j];
   for (j = nr->n_fixed; j-- > 1; )
      if (nr->stop[j] < nr->stop[j - 1])
         nr->stop[j - 1] = nr->stop[j];
   return True;
}

/* The walks that can reach a page of the runs: from the fixed starts, from
   the highest block below each run (up to the next block), from each
   block inside a run (a zero-size block counts no live byte on its page).
   A walk from any other block ends at a live block below the runs. */
static void near_walks(const Near* nr)
{
   UWord j;
   for (j = 0; j < nr->n_fixed && !RS_MUTANT_IS(1110); j++)
      walk_from(nr->fixed[j], nr->stop[j]);
   for (j = 0; j < nr->n_runs; j++) {
      Addr next;
      if (nr->best[j] == 0 || (j > 0 && nr->best[j] == nr->best[j - 1])
          || RS_MUTANT_IS(1111))
         continue;
      next = chunk_after(nr->best[j]);
      if (next != 0)
         walk_from(next, nr->above[j]);
   }
   for (j = 0; j < nr->n_inside; j++) {
      Addr next = chunk_after(nr->inside[j]);
      if (next != 0)
         walk_from(next, 0);
   }
}

void rs_trim_build_near(RsPageSet* out, const Addr* pages, UWord n_pages)
{
   Near nr;
   UWord j;
   Bool ok;
   if (n_pages == 0)
      return;
   VG_(memset)(&nr, 0, sizeof nr);
   nr.r = page_runs(pages, n_pages, &nr.n_runs);
   if (nr.r == NULL) {
      rs_trim_build(out);
      return;
   }
   begin(out);
   nr.fixed = fixed_starts(&nr.n_fixed);
   nr.best = VG_(malloc)("rs.trim.near", (3 * nr.n_runs + nr.n_fixed) * sizeof(Addr));
   nr.above = nr.best + nr.n_runs;
   nr.inside = nr.above + nr.n_runs;
   nr.stop = nr.inside + nr.n_runs;
   for (j = 0; j < nr.n_runs; j++) {
      nr.best[j] = 0;
      nr.above[j] = NO_STOP;
   }
   for (j = 0; j < nr.n_fixed; j++)
      nr.stop[j] = NO_STOP;
   ok = near_pass(&nr);
   if (ok)
      near_walks(&nr);
   VG_(free)(nr.best);
   VG_(free)(nr.fixed);
   VG_(free)((void*)nr.r);
   trim_set = NULL;
   if (!ok)
      rs_trim_build(out);
}
