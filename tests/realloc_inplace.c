/*
 * realloc_inplace: realloc that keeps the address (shrink in place, grow
 * into the free neighbour, grow the top chunk by moving the break) changes
 * which pages are live without any malloc/free the program can see; the
 * page categories must follow.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Own view as in brkheap.c: the brk extent from sbrk(0), live pages from
 * the program's own blocks, residency from mincore(); within 4 pages.
 * Whether glibc really kept the address is checked on the program's side
 * (the expectations hold either way, but the test is meant to exercise the
 * in-place paths).
 */
#include "rs_client.h"

#define NB 3

static char *ptr[NB];
static size_t size[NB];
static uintptr_t heap_start;
static struct rssmassif_totals base;
static long long own_useful, own_blocks;

static void check(const char *what, struct rs_heap_view *v)
{
   struct rssmassif_totals t;
   struct mallinfo2 mi = mallinfo2();
   rs_heap_view(v, ptr, size, NB, heap_start, (uintptr_t)sbrk(0), NULL, NULL, 0);
   rs_heap_print(what, v);
   rs_own("no mmapped chunks", mi.hblkhd == 0);
   if (!rs_under_tool)
      return;
   rs_get(&t);
   rs_heap_compare(what, &t, v, RS_TOL_PAGES(4), &base, own_useful, own_blocks);
}

static char *resize(int i, size_t n)
{
   char *q = realloc(ptr[i], n);
   if (!q) {
      printf("not ok own: realloc failed\n");
      exit(1);
   }
   own_useful += (long long)n - (long long)size[i];
   ptr[i] = q;
   size[i] = n;
   return q;
}

int main(void)
{
   struct rs_heap_view v0, v1, v2, v3;
   char *old, *q;
   uintptr_t brk_before;

   rs_init();
   /* no top padding: the top chunk is never bigger than a page past the
    * last block, so growing the top block needs a new break */
   mallopt(M_TOP_PAD, 0);
   heap_start = (uintptr_t)sbrk(0);
   rs_get(&base);

   ptr[0] = malloc(100000);   /* below the mmap threshold: brk heap */
   size[0] = 100000;
   memset(ptr[0], 'a', 100000);
   ptr[1] = malloc(100);      /* keeps ptr[0] away from the top */
   size[1] = 100;
   memset(ptr[1], 'b', 100);
   own_useful = 100100;
   own_blocks = 2;
   check("100 KB block and a small one", &v0);

   old = ptr[0];
   q = resize(0, 10000);
   rs_own("shrink kept the address", q == old);
   check("realloc shrink 100000 -> 10000 in place", &v1);
   rs_own("the 22 tail pages are dead and resident",
          v1.dead_res - v0.dead_res >= 21 * (long long)RS_PAGE);

   q = resize(0, 60000);
   rs_own("grow into the freed tail kept the address", q == old);
   check("realloc grow 10000 -> 60000 in place", &v2);

   /* the top: a block next to the top chunk grows past the top chunk;
    * glibc's realloc then allocates anew (moving the break, inside the
    * wrapped realloc) and frees the old chunk */
   ptr[2] = malloc(50000);
   size[2] = 50000;
   memset(ptr[2], 'c', 50000);
   own_useful += 50000;
   own_blocks++;
   old = ptr[2];
   brk_before = (uintptr_t)sbrk(0);
   q = resize(2, 120000);   /* below the 128 KiB mmap threshold */
   memset(q + 50000, 'd', 70000);
   rs_own("the break moved inside realloc", (uintptr_t)sbrk(0) > brk_before);
   printf("# top block %s\n", q == old ? "kept its address" : "moved");
   check("realloc grow at the top (brk moves)", &v3);

   rs_expect_final("useful_B", "=", own_useful, 0);
   rs_expect_final("blocks", "=", own_blocks, 0);
   rs_expect_final("heap_live_B", "~", v3.live, RS_TOL_PAGES(4));
   return rs_finish();
}
