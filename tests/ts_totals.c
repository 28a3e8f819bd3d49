/*
 * ts_totals: RSSMASSIF_GET_TOTALS agrees with the program's own view of its
 * heap within 4 pages, at several moments: after allocating, after freeing
 * every other page's worth of blocks, with a large (mmapped) block of which
 * only part is touched, and after freeing it.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Own view (rs_client.h): the heap is the brk extent [initial break,
 * sbrk(0)) plus the mmapped chunk; live pages are the pages the program's
 * own live blocks touch, the rest is dead; residency by mincore().  useful_B
 * and blocks are compared exactly (deltas from the first request).
 */
#include "rs_client.h"

#define N 600
#define BSZ 3000
#define BIG (1024 * 1024)   /* above glibc's mmap threshold: its own mapping */

static char *ptr[N + 1];
static size_t size[N + 1];
static struct rssmassif_totals base;
static long long own_useful, own_blocks;
static uintptr_t heap_start;

static void check(const char *what)
{
   struct rssmassif_totals t;
   struct rs_heap_view v;
   uintptr_t xlo[1];
   size_t xlen[1], nx = 0;
   char *big = ptr[N];

   if (big) {
      rs_own("the big block is mmapped", rs_chunk_mmapped(big));
      xlo[0] = RS_PAGE_DOWN(big - 2 * sizeof(size_t));
      xlen[0] = rs_chunk_size(big);
      nx = 1;
   }
   rs_heap_view(&v, ptr, size, N + 1, heap_start, (uintptr_t)sbrk(0), xlo, xlen, nx);
   rs_heap_print(what, &v);
   if (!rs_under_tool)
      return;
   rs_get(&t);
   rs_heap_compare(what, &t, &v, RS_TOL_PAGES(4), &base, own_useful, own_blocks);
}

int main(void)
{
   int i;

   rs_init();
   heap_start = (uintptr_t)sbrk(0);
   rs_get(&base);

   for (i = 0; i < N; i++) {
      ptr[i] = malloc(BSZ);
      size[i] = BSZ;
      memset(ptr[i], 'x', BSZ);
      own_useful += BSZ;
      own_blocks++;
   }
   check("allocating");

   /* Free runs of 4 blocks out of every 8: whole pages die. */
   for (i = 0; i < N; i++)
      if ((i / 4) % 2 == 1) {
         free(ptr[i]);
         ptr[i] = NULL;
         own_useful -= BSZ;
         own_blocks--;
      }
   check("freeing half");

   ptr[N] = malloc(BIG);
   size[N] = BIG;
   memset(ptr[N], 'y', BIG / 4);   /* a quarter of it resident */
   own_useful += BIG;
   own_blocks++;
   check("a 1 MiB block, a quarter touched");

   free(ptr[N]);
   ptr[N] = NULL;
   own_useful -= BIG;
   own_blocks--;
   check("freeing the 1 MiB block");

   for (i = 0; i < N; i++)
      if (ptr[i]) {
         free(ptr[i]);
         ptr[i] = NULL;
      }
   rs_expect_final("useful_B", "=", 0, 0);
   rs_expect_final("blocks", "=", 0, 0);
   return rs_finish();
}
