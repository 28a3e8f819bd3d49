/*
 * arena_heaps: a thread's arena outgrows its first 64 MiB heap, glibc maps a
 * second heap; freeing everything in the second heap makes glibc unmap it
 * (delete_heap, from inside free), and the arena shrinks back.  Every heap
 * category follows, page for page.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Everything runs in one worker thread (so its blocks are in a non-main
 * arena).  glibc deletes a heap only when the chunk before the previous
 * heap's fencepost is free; with the tcache on, the old top's remainder
 * usually sits in the tcache, so the .vgtest turns it off with
 * GLIBC_TUNABLES=glibc.malloc.tcache_count=0 (without it, the second heap
 * is only shrunk: madvised away, still mapped).  Blocks are 10000 bytes: above the tcache limit, so every free
 * goes back to the arena at once.  Own view:
 *   heap regions = the brk extent + each arena heap, found as
 *                  [block & ~(64 MiB - 1), + 64 MiB) and measured in
 *                  /proc/self/maps (the read-write part and the PROT_NONE
 *                  rest, all of it mapped by design.md);
 *   live pages   = pages touched by the program's own live blocks (libc also
 *                  holds a small block for the thread, the DTV, made before
 *                  the baseline: its page is within the tolerance);
 *   resident     = mincore() over the regions.
 * Compared within 4 pages; after allocating, the heap total is also
 * compared with mallinfo2() arena + hblkhd + the PROT_NONE parts within 1 %
 * (not after frees: when glibc shrinks an arena heap it madvises the pages
 * away and lowers arena, but they stay mapped read-write).
 */
#include "rs_client.h"

#include <pthread.h>

#define N 7000
#define BSZ 10000
#define HEAP_MAX (64UL << 20)

static char *ptr[N];
static size_t size[N];
static struct rssmassif_totals base;
static long long own_useful, own_blocks;
static uintptr_t heap_start;
static int tcache_off;

static uintptr_t hbase[8];
static int nheaps;

static void note_heap(const void *p)
{
   uintptr_t hb = (uintptr_t)p & ~(HEAP_MAX - 1);
   int k;
   for (k = 0; k < nheaps; k++)
      if (hbase[k] == hb)
         return;
   if (nheaps < 8)
      hbase[nheaps++] = hb;
}

/* the mapped parts of each arena heap, from /proc/self/maps */
#define MAXX 64
static uintptr_t xlo[MAXX];
static size_t xlen[MAXX];
static size_t nx;
static long long prot_none;
static int heaps_mapped[8];

static void maps_cb(uintptr_t lo, uintptr_t hi, const char *perms, const char *path, void *arg)
{
   int k;
   (void)path;
   (void)arg;
   for (k = 0; k < nheaps; k++) {
      uintptr_t a = lo > hbase[k] ? lo : hbase[k];
      uintptr_t b = hi < hbase[k] + HEAP_MAX ? hi : hbase[k] + HEAP_MAX;
      if (a >= b || nx == MAXX)
         continue;
      xlo[nx] = a;
      xlen[nx] = b - a;
      nx++;
      heaps_mapped[k] = 1;
      if (strncmp(perms, "---", 3) == 0)
         prot_none += (long long)(b - a);
   }
}

static void check(const char *what, struct rs_heap_view *v, int *nmapped, int with_mallinfo)
{
   struct rssmassif_totals t;
   struct mallinfo2 mi;
   char lbl[200];
   int k;

   nx = 0;
   prot_none = 0;
   memset(heaps_mapped, 0, sizeof heaps_mapped);
   rs_maps_foreach(maps_cb, NULL);
   mi = mallinfo2();
   rs_heap_view(v, ptr, size, N, heap_start, (uintptr_t)sbrk(0), xlo, xlen, nx);
   rs_heap_print(what, v);
   *nmapped = 0;
   for (k = 0; k < nheaps; k++)
      *nmapped += heaps_mapped[k];
   printf("# %s: %d arena heaps seen, %d mapped; PROT_NONE %lld; mallinfo2 arena=%zu hblkhd=%zu\n",
          what, nheaps, *nmapped, prot_none, mi.arena, mi.hblkhd);
   rs_own("no mmapped chunks", mi.hblkhd == 0);
   if (!rs_under_tool)
      return;
   rs_get(&t);
   rs_heap_compare(what, &t, v, RS_TOL_PAGES(4), &base, own_useful, own_blocks);
   if (!with_mallinfo)
      return;
   snprintf(lbl, sizeof lbl, "heap total vs mallinfo2 arena+hblkhd + PROT_NONE after %s", what);
   rs_pct(lbl, (long long)(t.heap_live_B + t.heap_dead_B),
          (long long)(mi.arena + mi.hblkhd) + prot_none, 1.0);
}

static void *worker(void *arg)
{
   int i, k, first_in_second = -1, nm1, nm2, nm3;
   struct rs_heap_view v1, v2, v3;
   (void)arg;

   /* baseline here: pthread_create's own allocations (the thread's DTV)
    * are already made */
   rs_get(&base);
   for (i = 0; i < N; i++) {
      ptr[i] = malloc(BSZ);
      if (!ptr[i]) {
         printf("not ok own: malloc failed at %d\n", i);
         exit(1);
      }
      size[i] = BSZ;
      for (k = 0; k < BSZ; k += 4096)
         ptr[i][k] = 1;            /* every page of the block is resident */
      ptr[i][BSZ - 1] = 1;
      own_useful += BSZ;
      own_blocks++;
      note_heap(ptr[i]);
      if (first_in_second < 0 && nheaps == 2)
         first_in_second = i;
   }
   rs_own("blocks in a non-main arena", rs_chunk_non_main(ptr[0]));
   rs_own("the arena needed a second heap", nheaps == 2 && first_in_second > 0);
   check("allocating 70 MB in a thread arena", &v1, &nm1, 1);
   rs_own("two arena heaps mapped", nm1 == 2);

   /* free the last 30 blocks of the first heap (glibc deletes a heap only
    * when the previous one has room at its end for the top), then
    * everything in the second heap, bottom up: its top chunk then covers
    * the whole heap and glibc unmaps it */
   for (i = first_in_second - 30; i < N; i++) {
      own_useful -= BSZ;
      own_blocks--;
      free(ptr[i]);
      ptr[i] = NULL;
   }
   check("freeing the second heap", &v2, &nm2, 0);
   if (tcache_off)
      rs_own("second heap unmapped by glibc (delete_heap)", nm2 == 1);
   else
      printf("# tcache on (GLIBC_TUNABLES unset): glibc keeps the second heap, shrunk\n");

   /* free every other block of the first heap: retained pages */
   for (i = 0; i < first_in_second - 30; i += 2) {
      own_useful -= BSZ;
      own_blocks--;
      free(ptr[i]);
      ptr[i] = NULL;
   }
   check("freeing half of the first heap", &v3, &nm3, 0);
   rs_own("freed pages retained (dead resident >= 15 MB)", v3.dead_res >= 15000000);
   return NULL;
}

int main(void)
{
   pthread_t th;
   struct rs_heap_view v;
   int nm;
   const char *tun = getenv("GLIBC_TUNABLES");

   tcache_off = tun && strstr(tun, "glibc.malloc.tcache_count=0");
   rs_init();
   heap_start = (uintptr_t)sbrk(0);
   pthread_create(&th, NULL, worker, NULL);
   pthread_join(th, NULL);

   /* the thread's exit freed its tcache into the arena: measure again */
   check("the thread's exit", &v, &nm, 0);
   /* in use at exit after freeres (the HEAP SUMMARY); the exit
      snapshot itself is taken before it: libc's blocks too */
   rs_expect_final("in_use_at_exit_B", "=", own_useful, 0);
   rs_expect_final("useful_B", ">=", own_useful, 0);
   rs_expect_final("in_use_at_exit_blocks", "=", own_blocks, 0);
   rs_expect_final("heap_live_B", "~", v.live, RS_TOL_PAGES(4));
   rs_expect_final("heap_dead_res_B", "~", v.dead_res, RS_TOL_PAGES(4));
   return rs_finish();
}
