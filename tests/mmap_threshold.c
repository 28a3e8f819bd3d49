/*
 * mmap_threshold: glibc's dynamic mmap threshold.  A 1 MiB request is above
 * the initial threshold (128 KiB), so glibc mmaps it; freeing that chunk
 * raises the threshold to its size, so the next 1 MiB request comes from the
 * brk heap.  The tool must follow the block from an mmapped heap mapping
 * into the brk heap.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Own view: mallinfo2().hblkhd (mmapped chunk bytes) and .arena (brk heap),
 * sbrk(0), glibc's chunk header (IS_MMAPPED bit, chunk size), the program's
 * own live blocks for live pages, mincore() for residency.
 */
#include "rs_client.h"

#define MIB (1UL << 20)
#define NB 5

static char *ptr[NB];
static size_t size[NB];
static uintptr_t heap_start;
static struct rssmassif_totals base;
static long long own_useful, own_blocks;

static void take(int i, size_t n)
{
   ptr[i] = malloc(n);
   if (!ptr[i]) {
      printf("not ok own: malloc(%zu) failed\n", n);
      exit(1);
   }
   size[i] = n;
   memset(ptr[i], 'm', n);
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

static void check(const char *what, struct rs_heap_view *v, struct rssmassif_totals *t)
{
   char lbl[200];
   uintptr_t xlo[NB];
   size_t xlen[NB], nx = 0, mm = 0;
   int i;
   struct mallinfo2 mi = mallinfo2();

   for (i = 0; i < NB; i++) {
      if (ptr[i] && rs_chunk_mmapped(ptr[i])) {
         xlo[nx] = (uintptr_t)ptr[i] - 16;
         xlen[nx] = rs_chunk_size(ptr[i]);
         mm += xlen[nx];
         nx++;
      }
   }
   rs_own("mmapped chunk sizes add up to mallinfo2().hblkhd", mm == mi.hblkhd);
   rs_own("main arena = [initial break, sbrk(0))", (uintptr_t)sbrk(0) - mi.arena == heap_start);
   rs_heap_view(v, ptr, size, NB, heap_start, (uintptr_t)sbrk(0), xlo, xlen, nx);
   rs_heap_print(what, v);
   printf("# %s: mallinfo2 arena=%zu hblkhd=%zu\n", what, mi.arena, mi.hblkhd);
   memset(t, 0, sizeof *t);
   if (!rs_under_tool)
      return;
   rs_get(t);
   rs_heap_compare(what, t, v, RS_TOL_PAGES(4), &base, own_useful, own_blocks);
   snprintf(lbl, sizeof lbl, "heap total vs mallinfo2 arena+hblkhd after %s", what);
   rs_near(lbl, (long long)(t->heap_live_B + t->heap_dead_B), (long long)(mi.arena + mi.hblkhd),
           RS_TOL_PAGES(4));
}

static int in_brk_heap(const void *p)
{
   return (uintptr_t)p >= heap_start && (uintptr_t)p < (uintptr_t)sbrk(0);
}

int main(void)
{
   struct rs_heap_view v0, v1, v2, v3, v4;
   struct rssmassif_totals t0, t1, t2, t3, t4;
   struct mallinfo2 mi;

   rs_init();
   heap_start = (uintptr_t)sbrk(0);
   rs_get(&base);

   take(0, 100);   /* a small block: the brk heap exists */
   check("small block", &v0, &t0);

   take(1, MIB);
   mi = mallinfo2();
   rs_own("first 1 MiB block is mmapped", rs_chunk_mmapped(ptr[1]) && !in_brk_heap(ptr[1]));
   rs_own("hblkhd >= 1 MiB", mi.hblkhd >= MIB);
   check("first malloc(1 MiB)", &v1, &t1);
   if (rs_under_tool)
      rs_near("heap_live_B grows by the mmapped chunk",
              (long long)(t1.heap_live_B - t0.heap_live_B), (long long)(v1.live - v0.live),
              RS_TOL_PAGES(1));

   drop(1);
   mi = mallinfo2();
   rs_own("after free: hblkhd == 0 (chunk unmapped)", mi.hblkhd == 0);
   check("free(mmapped 1 MiB)", &v2, &t2);
   if (rs_under_tool)
      rs_near("heap total back to the brk heap",
              (long long)(t2.heap_live_B + t2.heap_dead_B),
              (long long)(RS_PAGE_UP((uintptr_t)sbrk(0)) - RS_PAGE_DOWN(heap_start)), RS_TOL_PAGES(4));

   take(2, MIB);
   mi = mallinfo2();
   rs_own("second 1 MiB block comes from the brk heap",
          !rs_chunk_mmapped(ptr[2]) && in_brk_heap(ptr[2]));
   rs_own("hblkhd still 0", mi.hblkhd == 0);
   rs_own("arena grew by >= 1 MiB", mi.arena >= MIB);
   check("second malloc(1 MiB)", &v3, &t3);
   if (rs_under_tool) {
      rs_ge("heap_live_B grows by >= 1 MiB in the brk heap",
            (long long)(t3.heap_live_B - t2.heap_live_B), (long long)MIB);
      rs_near("heap total = brk extent (no mmapped chunk)",
              (long long)(t3.heap_live_B + t3.heap_dead_B),
              (long long)(RS_PAGE_UP((uintptr_t)sbrk(0)) - RS_PAGE_DOWN(heap_start)), RS_TOL_PAGES(4));
   }

   /* above the raised threshold: mmapped again; then a small block on top
    * of the 1 MiB one, and free the 1 MiB block: its pages stay retained */
   take(3, 4 * MIB);
   rs_own("4 MiB block is mmapped", rs_chunk_mmapped(ptr[3]));
   take(4, 200);
   drop(2);
   check("4 MiB mmapped, 1 MiB brk block freed", &v4, &t4);
   rs_own("freed 1 MiB brk block is retained (dead resident >= 1 MiB - 1 page)",
          v4.dead_res >= (long long)(MIB - RS_PAGE));

   /* realloc of an mmapped chunk: glibc mremaps it (grow, maybe moving;
    * then shrink) */
   {
      struct rs_heap_view v5, v6;
      struct rssmassif_totals t5, t6;
      char *q = realloc(ptr[3], 8 * MIB);
      if (!q)
         return 1;
      ptr[3] = q;
      own_useful += 4 * MIB;
      size[3] = 8 * MIB;
      memset(q + 4 * MIB, 'g', 4 * MIB);
      rs_own("8 MiB block still an mmapped chunk", rs_chunk_mmapped(q));
      check("realloc(4 MiB -> 8 MiB), mremap", &v5, &t5);
      q = realloc(ptr[3], 2 * MIB);
      if (!q)
         return 1;
      ptr[3] = q;
      own_useful -= 6 * MIB;
      size[3] = 2 * MIB;
      rs_own("2 MiB block still an mmapped chunk", rs_chunk_mmapped(q));
      check("realloc(8 MiB -> 2 MiB), mremap", &v6, &t6);
      rs_own("mremap shrink unmapped 6 MiB", v5.mapped - v6.mapped == (long long)(6 * MIB));
      v4 = v6;
   }

   rs_expect_final("useful_B", "=", own_useful, 0);
   rs_expect_final("blocks", "=", own_blocks, 0);
   rs_expect_final("heap_dead_res_B", "~", v4.dead_res, RS_TOL_PAGES(4));
   rs_expect_final("heap_live_B", "~", v4.live, RS_TOL_PAGES(4));
   (void)v0;
   return rs_finish();
}
