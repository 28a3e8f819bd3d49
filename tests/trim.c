/*
 * trim: malloc_trim(0) after frees gives the freed pages back to the kernel
 * (glibc madvises whole free pages with MADV_DONTNEED and shrinks the brk
 * top): heap_dead_res_B (retained) drops, and agrees with mincore() before
 * and after.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * 2000 blocks of 1000 bytes are written whole, then freed; a small block
 * allocated last stays live at the top of the brk heap (a trim blocker), so
 * free() alone cannot shrink the heap: the freed pages are dead and
 * resident.  Own view as in brkheap.c: brk extent from sbrk(0), live pages
 * from the program's own live blocks, residency from mincore().
 */
#include "rs_client.h"

#define N 2000
#define BSZ 1000

static char *ptr[N + 1];
static size_t size[N + 1];
static struct rssmassif_totals base;
static long long own_useful, own_blocks;

static uintptr_t heap_start;

static void check(const char *what, struct rs_heap_view *v)
{
   struct rssmassif_totals t;
   struct mallinfo2 mi = mallinfo2();
   rs_heap_view(v, ptr, size, N + 1, heap_start, (uintptr_t)sbrk(0), NULL, NULL, 0);
   rs_heap_print(what, v);
   rs_own("no mmapped chunks", mi.hblkhd == 0);
   rs_own("main arena = [initial break, sbrk(0))", (uintptr_t)sbrk(0) - mi.arena == heap_start);
   if (!rs_under_tool)
      return;
   rs_get(&t);
   rs_heap_compare(what, &t, v, RS_TOL_PAGES(4), &base, own_useful, own_blocks);
}

int main(void)
{
   int i, r;
   struct rs_heap_view v_alloc, v_freed, v_trim;
   struct rssmassif_totals t_freed, t_trim;

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
   ptr[N] = malloc(64);   /* the trim blocker */
   size[N] = 64;
   memset(ptr[N], 'b', 64);
   own_useful += 64;
   own_blocks++;
   check("allocating", &v_alloc);

   for (i = 0; i < N; i++) {
      free(ptr[i]);
      ptr[i] = NULL;
      own_useful -= BSZ;
      own_blocks--;
   }
   check("freeing", &v_freed);
   rs_get(&t_freed);
   rs_own("after free: retained (dead resident) >= 1.5 MB", v_freed.dead_res >= 1500000);

   r = malloc_trim(0);
   rs_own("malloc_trim(0) released memory", r == 1);
   check("malloc_trim(0)", &v_trim);
   rs_get(&t_trim);
   rs_own("malloc_trim: own dead resident dropped by >= 1.5 MB",
          v_freed.dead_res - v_trim.dead_res >= 1500000);
   if (rs_under_tool) {
      /* the drop itself, tool vs mincore */
      rs_near("heap_dead_res_B drop by malloc_trim",
              (long long)t_freed.heap_dead_res_B - (long long)t_trim.heap_dead_res_B,
              v_freed.dead_res - v_trim.dead_res, RS_TOL_PAGES(4));
      rs_near("heap_live_B unchanged by malloc_trim",
              (long long)t_trim.heap_live_B, (long long)t_freed.heap_live_B, RS_TOL_PAGES(1));
   }

   rs_expect_final("useful_B", "=", own_useful, 0);
   rs_expect_final("blocks", "=", own_blocks, 0);
   rs_expect_final("heap_dead_res_B", "~", v_trim.dead_res, RS_TOL_PAGES(4));
   rs_expect_final("heap_dead_res_B", "<=", v_freed.dead_res - 1500000, 0);
   return rs_finish();
}
