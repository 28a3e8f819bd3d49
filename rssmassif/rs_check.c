/*--------------------------------------------------------------------*/
/*--- rssmassif: self-checks.                           rs_check.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_check.h"
#include "rs_blocks.h"
#include "rs_pages.h"
#include "rs_mappings.h"
#include "pub_tool_aspacemgr.h"

static ULong n_runs;

typedef struct { Addr page; ULong bytes; } PageBytes;

typedef struct {
   PageBytes* slot;
   UWord      mask;
   UWord      used;
} PageSums;

static PageBytes* sum_slot(PageSums* ps, Addr page)
{
   UWord i = ((page >> RS_PAGE_SHIFT) * 0x9E3779B97F4A7C15ULL >> 24) & ps->mask;
   tl_assert(ps->used < ps->mask);          /* sized for the mapped pages */
   while (ps->slot[i].page != 0 && ps->slot[i].page != page)
      i = (i + 1) & ps->mask;
   if (ps->slot[i].page == 0) {
      ps->slot[i].page = page;
      ps->used++;
   }
   return &ps->slot[i];
}

static void fail(const HChar* what, ULong kept, ULong derived, Addr where)
{
   VG_(umsg)("rssmassif: self-check failed: %s: kept %llu, derived %llu (at %#lx)\n",
             what, kept, derived, where);
   tl_assert2(0, "rssmassif self-check failed: %s", what);
}

/* Re-derives each mapped page's live bytes from the block table.  Pages
   of blocks outside every mapping (custom blocks over nothing) are not
   observable and not compared; then neither is the live-page count. */
static void check_blocks_and_pages(void)
{
   ULong    useful = 0, n = 0, live_pages = 0;
   ULong    mapped_pages = 0;
   UWord    cap = 64, i;
   Bool     all_mapped = True;
   PageSums ps;
   const RsBlock* b;
   UInt     r, n_ranges = rs_mappings_n_ranges();
   for (r = 0; r < n_ranges; r++) {
      Addr start, end;
      const RsMapSite* site;
      if (rs_mappings_range(r, &start, &end, &site))
         mapped_pages += (end - start) / RS_PAGE_B;
   }
   while (cap < 4 * (rs_pages_n_live_pages() < mapped_pages
                     ? rs_pages_n_live_pages() : mapped_pages) + 64)
      cap *= 2;
   ps.slot = VG_(calloc)("rs.check.pages", cap, sizeof(PageBytes));
   ps.mask = cap - 1;
   ps.used = 0;
   rs_blocks_start_iter();
   while ((b = rs_blocks_next()) != NULL) {
      Addr a, end;
      useful += b->size;
      n++;
      if (!rs_pages_user_extent(b->addr, b->size, &a, &end))
         continue;
      while (a < end) {
         const RsMapSite* site;
         Addr piece_end = rs_mappings_piece(a, end, &site);
         if (site == NULL)
            all_mapped = False;
         while (site != NULL && a < piece_end) {
            Addr next = RS_PAGE_DOWN(a) + RS_PAGE_B;
            Addr stop = next < piece_end ? next : piece_end;
            sum_slot(&ps, RS_PAGE_DOWN(a))->bytes += stop - a;
            a = stop;
         }
         a = piece_end;
      }
   }
   if (useful != rs_heap.useful_B) fail("useful bytes", rs_heap.useful_B, useful, 0);
   if (n != rs_heap.n_blocks)      fail("live blocks", rs_heap.n_blocks, n, 0);
   for (i = 0; i <= ps.mask; i++) {
      PageBytes* p = &ps.slot[i];
      if (p->page == 0 || p->bytes == 0 || !rs_pages_is_user_page(p->page))
         continue;
      live_pages++;
      if (rs_pages_live_B(p->page) != p->bytes)
         fail("live bytes on a page", rs_pages_live_B(p->page), p->bytes, p->page);
   }
   if (all_mapped && live_pages != rs_pages_n_live_pages())
      fail("live pages", rs_pages_n_live_pages(), live_pages, 0);
   VG_(free)(ps.slot);
}

/* Live heap bytes, page by page (the totals count them leaf by leaf). */
static ULong live_heap_B_in(Addr start, Addr end)
{
   ULong live_B = 0;
   Addr  a;
   for (a = start; a < end; a += RS_PAGE_B)
      if (rs_pages_live_B(a) > 0)
         live_B += RS_PAGE_B;
   return live_B;
}

static void check_mappings(const RsTotals* t)
{
   ULong heap_B = 0, mapped_B = 0, sum_B = 0, live_B = 0;
   UInt  i, n = rs_mappings_n_ranges();
   RsCategory c;
   for (i = 0; i < n; i++) {
      Addr start, end;
      const RsMapSite* site;
      if (!rs_mappings_range(i, &start, &end, &site))
         continue;
      mapped_B += end - start;
      if (site->origin == RS_ORIGIN_HEAP) {
         heap_B += end - start;
         live_B += live_heap_B_in(start, end);
      }
   }
   if (live_B != t->mapped_B[RS_CAT_HEAP_LIVE])
      fail("live heap pages", t->mapped_B[RS_CAT_HEAP_LIVE], live_B, 0);
   if (heap_B != rs_mappings_heap_mapped_B())
      fail("mapped heap bytes", rs_mappings_heap_mapped_B(), heap_B, 0);
   for (c = 0; c < RS_N_CATS; c++) {
      sum_B += t->mapped_B[c];
      if (t->resident_B[c] > t->mapped_B[c])
         fail("resident above mapped", t->resident_B[c], t->mapped_B[c], c);
   }
   if (sum_B != mapped_B)
      fail("categories' sum", sum_B, mapped_B, 0);
   if (t->mapped_B[RS_CAT_HEAP_LIVE] + t->mapped_B[RS_CAT_HEAP_DEAD] != heap_B)
      fail("heap categories", t->mapped_B[RS_CAT_HEAP_LIVE]
           + t->mapped_B[RS_CAT_HEAP_DEAD], heap_B, 0);
}

static Addr max_addr(Addr a, Addr b) { return a > b ? a : b; }
static Addr min_addr(Addr a, Addr b) { return a < b ? a : b; }

/* Ranges left out of the comparison with the address-space manager;
   they never overlap. */
typedef struct { Addr lo, hi; } Excluded;
#define N_EXCLUDED 3

/* Bytes of [start, end) outside every excluded range. */
static ULong outside(Addr start, Addr end, const Excluded* ex)
{
   ULong b = end - start;
   UInt  k;
   for (k = 0; k < N_EXCLUDED; k++) {
      Addr lo = max_addr(start, ex[k].lo), hi = min_addr(end, ex[k].hi);
      if (lo < hi)
         b -= hi - lo;
   }
   return b;
}

extern Addr VG_(brk_base), VG_(brk_limit);   /* Valgrind's own break */

/* Buffer for the address-space manager's segment starts (kept between
   checks; grown when too small). */
static Addr  seg_start0;
static Addr* seg_starts = &seg_start0;
static Int   n_seg_starts = 1;

/* The client's mapped bytes in Valgrind's address-space manager (its
   anonymous, file and shared-memory segments) against the tool's map,
   both outside three ranges:
   - the emulated break's reservation above the break (rs_brk.c): mapped
     PROT_NONE under the tool, absent natively, in no category;
   - the range being rebound while the peak snapshot before a heap
     shrink is taken (the core may have unmapped it already);
   - Valgrind's own brk segment above its break: the core shrinks brk
     lazily (the pages stay mapped, zeroed, no longer the client's). */
static void check_aspacemgr(void)
{
   UInt  kinds = SkAnonC | SkFileC | SkShmC;
   Int   n, i;
   Addr* starts;
   Excluded ex[N_EXCLUDED];
   ULong am_B = 0, map_B = 0;
   UInt  r, n_ranges = rs_mappings_n_ranges();
   NSegment const* brk = VG_(am_find_nsegment)(VG_(brk_base));
   rs_mappings_brk_unbound(&ex[0].lo, &ex[0].hi);
   rs_mappings_in_flux(&ex[1].lo, &ex[1].hi);
   ex[2].lo = ex[2].hi = 0;
   if (brk != NULL && brk->kind == SkAnonC
       && RS_PAGE_UP(VG_(brk_limit)) < brk->end + 1) {
      ex[2].lo = RS_PAGE_UP(VG_(brk_limit));
      ex[2].hi = brk->end + 1;
   }
   while ((n = VG_(am_get_segment_starts)(kinds, seg_starts, n_seg_starts)) < 0) {
      if (seg_starts != &seg_start0)
         VG_(free)(seg_starts);
      n_seg_starts = 2 * -n;
      seg_starts = VG_(malloc)("rs.check.starts", n_seg_starts * sizeof(Addr));
   }
   starts = seg_starts;
   for (i = 0; i < n; i++) {
      NSegment const* seg = VG_(am_find_nsegment)(starts[i]);
      am_B += outside(seg->start, seg->end + 1, ex);
   }
   for (r = 0; r < n_ranges; r++) {
      Addr start, end;
      const RsMapSite* site;
      if (rs_mappings_range(r, &start, &end, &site))
         map_B += outside(start, end, ex);
   }
   if (am_B != map_B)
      fail("mapped bytes against Valgrind's address-space manager", map_B, am_B, 0);
}

void rs_check_all(const RsTotals* t)
{
   n_runs++;
   check_blocks_and_pages();
   check_mappings(t);
   check_aspacemgr();
}

ULong rs_check_n_runs(void) { return n_runs; }
