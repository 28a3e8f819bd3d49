/*
 * own_sbrk: the program moves the break itself (no malloc at all).  By
 * design.md, brk growth is heap whoever asks for it; with no block on them,
 * the pages are heap_dead; residency from mincore(); shrinking the break
 * takes the pages out (under Valgrind they stay resident, zeroed, but no
 * longer belong to the client).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Own view: the extent [initial break, sbrk(0)) rounded out to pages,
 * mincore() over it; deltas from the start of main, within 1 page
 * (Valgrind's first brk page exists before any brk call).
 */
#include "rs_client.h"

static struct rssmassif_totals base;
static uintptr_t start;

static void check(const char *what)
{
   struct rssmassif_totals t;
   uintptr_t lo = RS_PAGE_DOWN(start), hi = RS_PAGE_UP((uintptr_t)sbrk(0));
   long long mapped = (long long)(hi - lo), res = 0;
   char lbl[200];
   long r;

   rs_pages_reset();
   if (hi > lo) {
      r = rs_resident(lo, hi - lo, NULL, NULL);
      if (r < 0)
         rs_own("mincore", 0);
      else
         res = r * (long long)RS_PAGE;
   }
   printf("# %s: own brk extent %lld, resident %lld\n", what, mapped, res);
   if (!rs_under_tool)
      return;
   rs_get(&t);
   snprintf(lbl, sizeof lbl, "heap_dead_B after %s", what);
   rs_near(lbl, (long long)(t.heap_dead_B - base.heap_dead_B), mapped, RS_TOL_PAGES(1));
   snprintf(lbl, sizeof lbl, "heap_dead_res_B after %s", what);
   rs_near(lbl, (long long)(t.heap_dead_res_B - base.heap_dead_res_B), res, RS_TOL_PAGES(1));
   snprintf(lbl, sizeof lbl, "heap_live_B after %s", what);
   rs_eq(lbl, (long long)t.heap_live_B, (long long)base.heap_live_B);
   snprintf(lbl, sizeof lbl, "other_B after %s", what);
   rs_eq(lbl, (long long)t.other_B, (long long)base.other_B);
}

int main(void)
{
   char *p;
   size_t i;

   rs_init();
   start = (uintptr_t)sbrk(0);
   rs_get(&base);

   p = sbrk(64 * RS_PAGE);
   rs_own("sbrk(+64 pages)", p != (void *)-1);
   check("sbrk(+64 pages)");
   for (i = 0; i < 40; i++)
      p[i * RS_PAGE] = 1;
   check("touching 40 of them");
   rs_own("sbrk(-32 pages)", sbrk(-32 * (intptr_t)RS_PAGE) != (void *)-1);
   check("sbrk(-32 pages)");
   rs_own("sbrk(+16 pages)", sbrk(16 * RS_PAGE) != (void *)-1);
   check("sbrk(+16 pages) again");
   return rs_finish();
}
