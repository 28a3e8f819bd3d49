/*
 * brk_shrink: free() at the top of the brk heap makes glibc shrink the break
 * (the top chunk exceeds M_TRIM_THRESHOLD, 128 KiB); then the heap grows
 * again.  The heap categories follow the break both ways.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Under Valgrind a shrinking brk does not unmap: the pages past the new break
 * are zeroed and stay resident, but no longer belong to the client, so they
 * must leave the heap categories; growing again reuses them.  Own view as in
 * brkheap.c: the brk extent [initial break, sbrk(0)), live pages from the
 * program's own blocks, residency from mincore().
 */
#include "rs_client.h"

#define N 3000

static char *ptr[N];
static size_t size[N];
static uintptr_t heap_start;
static struct rssmassif_totals base;
static long long own_useful, own_blocks;

static void check(const char *what, struct rs_heap_view *v)
{
   struct rssmassif_totals t;
   struct mallinfo2 mi = mallinfo2();
   rs_heap_view(v, ptr, size, N, heap_start, (uintptr_t)sbrk(0), NULL, NULL, 0);
   rs_heap_print(what, v);
   rs_own("no mmapped chunks", mi.hblkhd == 0);
   rs_own("main arena = [initial break, sbrk(0))", (uintptr_t)sbrk(0) - mi.arena == heap_start);
   if (!rs_under_tool)
      return;
   rs_get(&t);
   rs_heap_compare(what, &t, v, RS_TOL_PAGES(4), &base, own_useful, own_blocks);
}

static void take(int i, size_t n)
{
   ptr[i] = malloc(n);
   size[i] = n;
   memset(ptr[i], 's', n);
   own_useful += (long long)n;
   own_blocks++;
}

static void drop(int i)
{
   own_useful -= (long long)size[i];
   own_blocks--;
   free(ptr[i]);
   ptr[i] = NULL;
}

int main(void)
{
   int i;
   struct rs_heap_view v1, v2, v3, v4;
   uintptr_t brk1, brk2, brk3;

   rs_init();
   heap_start = (uintptr_t)sbrk(0);
   rs_get(&base);

   for (i = 0; i < N; i++)
      take(i, 1000);
   check("allocating 3 MB", &v1);
   brk1 = (uintptr_t)sbrk(0);

   /* free the upper two thirds, bottom up (the first 7 frees fill the
    * tcache and stay allocated for the arena; freeing top down would leave
    * the chunk next to the top in the tcache and nothing could merge): the
    * top chunk grows past the trim threshold and glibc lowers the break */
   for (i = N / 3; i < N; i++)
      drop(i);
   check("freeing the top two thirds", &v2);
   brk2 = (uintptr_t)sbrk(0);
   rs_own("the break went down by more than 1.5 MB", brk1 - brk2 > 1500000);

   /* grow again, less far, into pages Valgrind zeroed */
   for (i = N / 3; i < N / 2; i++)
      take(i, 1000);
   check("growing again", &v3);
   brk3 = (uintptr_t)sbrk(0);
   rs_own("the break went up again", brk3 > brk2);

   /* free everything: the heap shrinks to glibc's minimum */
   for (i = 0; i < N / 2; i++)
      drop(i);
   check("freeing everything", &v4);
   rs_own("nothing live", v4.live == 0);

   rs_expect_final("useful_B", "=", 0, 0);
   rs_expect_final("blocks", "=", 0, 0);
   rs_expect_final("heap_live_B", "=", 0, 0);
   rs_expect_final("heap_dead_B", "~", v4.dead, RS_TOL_PAGES(4));
   return rs_finish();
}
