/*
 * seed: the situation of the seed question.  Many small callocs and a few
 * large ones; most are freed; RSS stays high because the few survivors pin
 * pages all over the brk heap, and the freed pages stay mapped and resident.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Own view (no number comes from the tool):
 *   brk extent      = sbrk(0) - the break at the start of main (checked
 *                     against mallinfo2().arena);
 *   mmapped chunks  = the large callocs, each [p - 16, p - 16 + chunk size)
 *                     with the chunk size from glibc's chunk header
 *                     (checked: the sizes add up to mallinfo2().hblkhd);
 *   live pages      = pages touched by the surviving blocks [p, p + size);
 *   dead pages      = mapped heap pages - live pages;
 *   resident        = mincore() over the brk extent and the chunks.
 * Expected: heap categories within 4 pages of the own view, useful bytes and
 * blocks exact, and after the frees heap_dead_res_B (retained) is most of
 * the brk heap.
 */
#include "rs_client.h"

#define NSMALL 30000
#define NLARGE 4
#define KEEP_EVERY 100

static char *small[NSMALL];
static size_t small_sz[NSMALL];
static char *large[NLARGE];
static size_t large_sz[NLARGE];
static uintptr_t heap_start;
static struct rssmassif_totals base;
static long long own_useful, own_blocks;
static char label[200];

static size_t chunk_size(const void *p) { return ((const size_t *)p)[-1] & ~(size_t)7; }
static int chunk_mmapped(const void *p) { return (((const size_t *)p)[-1] & 2) != 0; }

struct own_view {
   long long mapped, live, dead, live_res, dead_res, mmapped;
};

static void own_view(struct own_view *v)
{
   int i;
   uintptr_t lo = RS_PAGE_DOWN(heap_start), hi = RS_PAGE_UP((uintptr_t)sbrk(0));
   long in = 0, out = 0, res_in = 0, res_out = 0;

   rs_pages_reset();
   for (i = 0; i < NSMALL; i++)
      if (small[i])
         rs_pages_add_bytes(small[i], small_sz[i]);
   for (i = 0; i < NLARGE; i++)
      if (large[i])
         rs_pages_add_bytes(large[i], large_sz[i]);
   rs_pages_normalise();

   memset(v, 0, sizeof *v);
   v->mapped = (long long)(hi - lo);
   if (rs_resident(lo, hi - lo, &in, &out) < 0)
      rs_own("mincore over the brk extent", 0);
   res_in += in;
   res_out += out;
   for (i = 0; i < NLARGE; i++) {
      if (!large[i])
         continue;
      uintptr_t c = (uintptr_t)large[i] - 16;
      v->mapped += (long long)chunk_size(large[i]);
      v->mmapped += (long long)chunk_size(large[i]);
      if (rs_resident(c, chunk_size(large[i]), &in, &out) < 0)
         rs_own("mincore over a chunk", 0);
      res_in += in;
      res_out += out;
   }
   v->live = (long long)rs_pages_total() * (long long)RS_PAGE;
   v->dead = v->mapped - v->live;
   v->live_res = res_in * (long long)RS_PAGE;
   v->dead_res = res_out * (long long)RS_PAGE;
}

static void check(const char *what, struct own_view *v)
{
   struct rssmassif_totals t;
   struct mallinfo2 mi = mallinfo2();

   own_view(v);
   rs_own("main arena = [initial break, sbrk(0))", (uintptr_t)sbrk(0) - mi.arena == heap_start);
   rs_own("large chunk sizes add up to mallinfo2().hblkhd", (long long)mi.hblkhd == v->mmapped);
   printf("# %s: own mapped=%lld live=%lld dead=%lld live_res=%lld dead_res=%lld mmapped=%lld\n",
          what, v->mapped, v->live, v->dead, v->live_res, v->dead_res, v->mmapped);
   if (!rs_under_tool)
      return;
   rs_get(&t);
#define CMP(key, own)                                                         \
   snprintf(label, sizeof label, "%s after %s", #key, what);                   \
   rs_near(label, (long long)t.key, own, RS_TOL_PAGES(4))
   CMP(heap_live_B, v->live);
   CMP(heap_dead_B, v->dead);
   CMP(heap_live_res_B, v->live_res);
   CMP(heap_dead_res_B, v->dead_res);
   snprintf(label, sizeof label, "heap total after %s", what);
   rs_near(label, (long long)(t.heap_live_B + t.heap_dead_B), v->mapped, RS_TOL_PAGES(4));
   snprintf(label, sizeof label, "useful after %s", what);
   rs_eq(label, (long long)(t.useful_B - base.useful_B), own_useful);
   snprintf(label, sizeof label, "blocks after %s", what);
   rs_eq(label, (long long)(t.blocks - base.blocks), own_blocks);
}

int main(void)
{
   int i;
   struct own_view v;

   rs_init();
   heap_start = (uintptr_t)sbrk(0);
   rs_get(&base);

   for (i = 0; i < NSMALL; i++) {
      small_sz[i] = 16 + (size_t)(i * 37) % 240;     /* 16..255 bytes */
      small[i] = calloc(1, small_sz[i]);
      if (!small[i])
         return 1;
      own_useful += (long long)small_sz[i];
      own_blocks++;
      if (i % 5000 == 0 && i / 5000 < NLARGE) {
         int k = i / 5000;
         large_sz[k] = (size_t)(k + 1) << 20;          /* 1..4 MiB */
         large[k] = calloc(1, large_sz[k]);
         if (!large[k])
            return 1;
         memset(large[k], 'L', large_sz[k] / 2);        /* half resident */
         own_useful += (long long)large_sz[k];
         own_blocks++;
         rs_own("large calloc is an mmapped chunk", chunk_mmapped(large[k]));
      }
   }
   check("allocating", &v);

   /* free the large ones and 99 small blocks in 100; the last small block
    * (top of the heap) survives, so the heap cannot shrink */
   for (i = 0; i < NLARGE; i++) {
      own_useful -= (long long)large_sz[i];
      own_blocks--;
      free(large[i]);
      large[i] = NULL;
   }
   for (i = 0; i < NSMALL; i++) {
      if (i % KEEP_EVERY == KEEP_EVERY - 1)
         continue;
      own_useful -= (long long)small_sz[i];
      own_blocks--;
      free(small[i]);
      small[i] = NULL;
   }
   check("freeing", &v);
   rs_own("retained (dead and resident) is more than half of the heap", v.dead_res * 2 > v.mapped);

   rs_expect_final("useful_B", "=", own_useful, 0);
   rs_expect_final("blocks", "=", own_blocks, 0);
   rs_expect_final("heap_dead_res_B", "~", v.dead_res, RS_TOL_PAGES(4));
   rs_expect_final("heap_dead_res_B", ">=", v.mapped / 2, 0);
   rs_expect_final("heap_live_B", "~", v.live, RS_TOL_PAGES(4));
   return rs_finish();
}
