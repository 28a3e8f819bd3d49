/*
 * brk_native: the differential test of issue 11.  One client, run natively
 * and under the tool: the tool's figures are held against what the program
 * measures about itself, in the same run and in its native run.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * usage: brk_native [MIB [ORDER [trim]]]
 *
 * The program fills MIB MiB (default 48, at most 256) with 1000-byte blocks,
 * then frees them in ORDER:
 *   up       keep the lowest KEEP by address, free the rest in increasing
 *            address order (default; the example);
 *   down     the same blocks, freed in decreasing address order;
 *   random   the same blocks, freed in a fixed pseudo-random order;
 *   every64  keep every 64th block by address: a fragmented heap;
 *   blocker  keep the lowest KEEP and the highest block: a trim blocker;
 *   threads  4 threads at once each fill MIB/4 MiB in an arena of their own
 *            and free as `up`; main joins them.
 * With `trim` the program then calls malloc_trim(0).
 * Natively glibc's free() trims the top of the contiguous brk heap (and
 * shrinks thread arena heaps); under Valgrind's own brk (8 MiB at most) the
 * main arena turns non-contiguous and nothing is trimmed; rssmassif's
 * emulated break must give the native shape.
 *
 * Own view, after the frees: mallinfo2() and sbrk(0); the brk heap's extent
 * [start, PAGE_UP(sbrk(0))) with start = sbrk(0) - main arena (one
 * contiguous piece: premise checked; for `threads` the main arena is what
 * the main thread's blocks say); each thread arena heap [base, base + 64 MiB)
 * (base: a kept block's address rounded down to 64 MiB; glibc reserves the
 * 64 MiB, PROT_NONE beyond the part in use: mapped, as the tool counts it);
 * resident pages by mincore(); live pages from the kept blocks; retained =
 * resident pages without a live byte.  The line `measure: ...` is compared
 * by the .vgtest with the same program's native run; the tool's totals with
 * the own view of the same run.
 */
#include "rs_client.h"

#include <pthread.h>

#define BLOCK_B 1000
#define KEEP 100
#define MAX_BLOCKS (256 * 1048576 / BLOCK_B + 1)
#define NT 4
#define ARENA_HEAP_B (64UL << 20)

static char *blk[MAX_BLOCKS];
static size_t blk_size[MAX_BLOCKS];

static int by_address(const void *a, const void *b)
{
   uintptr_t x = (uintptr_t)*(char *const *)a, y = (uintptr_t)*(char *const *)b;
   return x < y ? -1 : x > y;
}

/* Frees the n blocks of b in ORDER, keeping what ORDER keeps (sorted by
 * address first). */
static void free_in_order(char **b, size_t n, const char *order)
{
   size_t i;
   qsort(b, n, sizeof b[0], by_address);
   if (strcmp(order, "every64") == 0) {
      for (i = 0; i < n; i++)
         if (i % 64 != 0) {
            free(b[i]);
            b[i] = NULL;
         }
      return;
   }
   if (strcmp(order, "down") == 0) {
      for (i = n; i-- > KEEP;) {
         free(b[i]);
         b[i] = NULL;
      }
      return;
   }
   if (strcmp(order, "random") == 0) {
      unsigned s = 12345;
      size_t left = n - KEEP;
      /* Fisher-Yates over the indices KEEP..n-1, freeing as it goes */
      static size_t idx[MAX_BLOCKS];
      for (i = 0; i < left; i++)
         idx[i] = KEEP + i;
      while (left > 0) {
         size_t k;
         s = s * 1103515245u + 12345u;
         k = (size_t)(s >> 8) % left;
         free(b[idx[k]]);
         b[idx[k]] = NULL;
         idx[k] = idx[--left];
      }
      return;
   }
   for (i = KEEP; i < n; i++) {
      if (strcmp(order, "blocker") == 0 && i == n - 1)
         break;                     /* the highest block stays */
      free(b[i]);
      b[i] = NULL;
   }
}

static void fill(char **b, size_t n)
{
   size_t i;
   for (i = 0; i < n; i++) {
      b[i] = malloc(BLOCK_B);
      memset(b[i], 'b', BLOCK_B);
   }
}

/* ---- threads ------------------------------------------------------------ */

static pthread_barrier_t barrier;
static size_t per_thread;

static void *worker(void *arg)
{
   char **b = blk + (size_t)(intptr_t)arg * per_thread;
   /* The first malloc attaches the thread to an arena: done while all
      threads are alive, each gets a new one (a thread attaching after
      another exited would reuse that one's arena). */
   free(malloc(1));
   pthread_barrier_wait(&barrier);
   fill(b, per_thread);
   free_in_order(b, per_thread, "up");
   return NULL;
}

static uintptr_t heap_base[NT];
static size_t n_heaps;

static void note_arena_heap(const void *p)
{
   uintptr_t base = (uintptr_t)p & ~(ARENA_HEAP_B - 1);
   size_t k;
   for (k = 0; k < n_heaps; k++)
      if (heap_base[k] == base)
         return;
   if (n_heaps < NT)
      heap_base[n_heaps++] = base;
}

int main(int argc, char **argv)
{
   long mib = argc > 1 ? atol(argv[1]) : 48;
   const char *order = argc > 2 ? argv[2] : "up";
   int trim = argc > 3 && strcmp(argv[3], "trim") == 0;
   int threads = strcmp(order, "threads") == 0, kept_top = 0;
   size_t n = (size_t)mib * 1048576 / BLOCK_B, i, nx = 0;
   struct mallinfo2 mi;
   uintptr_t brk0, brk, start, xlo[NT];
   size_t xlen[NT];
   struct rs_heap_view v;
   struct rssmassif_totals t;

   rs_init();
   brk0 = (uintptr_t)sbrk(0);
   rs_own("at most 256 MiB", n <= MAX_BLOCKS);
   if (threads) {
      pthread_t th[NT];
      per_thread = n / NT;
      n = per_thread * NT;
      pthread_barrier_init(&barrier, NULL, NT);
      for (i = 0; i < NT; i++)
         pthread_create(&th[i], NULL, worker, (void *)(intptr_t)i);
      for (i = 0; i < NT; i++)
         pthread_join(th[i], NULL);
   } else {
      fill(blk, n);
      free_in_order(blk, n, order);
   }
   if (trim)
      rs_own("malloc_trim(0) released something", malloc_trim(0) == 1);

   for (i = 0; i < n; i++)
      blk_size[i] = blk[i] ? BLOCK_B : 0;
   mi = mallinfo2();
   brk = (uintptr_t)sbrk(0);
   start = brk0;                   /* the main arena: [initial break, sbrk(0)) */
   if (threads) {
      for (i = 0; i < n; i++)
         if (blk[i] && rs_chunk_non_main(blk[i]))
            note_arena_heap(blk[i]);
      rs_own("each thread allocated in an arena heap of its own", n_heaps == NT);
      for (nx = 0; nx < n_heaps; nx++) {
         xlo[nx] = heap_base[nx];
         xlen[nx] = ARENA_HEAP_B;
      }
   } else {
      int inside = 1;
      for (i = 0; i < n; i++)
         if (blk[i] && ((uintptr_t)blk[i] < start || (uintptr_t)blk[i] >= brk))
            inside = 0;
      rs_own("the kept blocks lie in [initial break, sbrk(0)) (one contiguous arena)",
             inside);
   }
   rs_own("no mmapped chunks", mi.hblkhd == 0);
   rs_heap_view(&v, blk, blk_size, n, start, brk, xlo, xlen, nx);
   kept_top = strcmp(order, "every64") == 0 || strcmp(order, "blocker") == 0;
   /* freed upwards, the top chunk grows and free() trims it; freed
      downwards or at random, the last blocks freed stay in glibc's tcache
      (allocated, for glibc), and one near the top keeps the heap whole */
   if (strcmp(order, "up") == 0)
      rs_own("the heap was trimmed (arena below 1 MiB, as natively)", mi.arena < 1048576);
   if (kept_top && !trim)
      rs_own("a kept top block: the heap was not trimmed (arena >= 90 % of the fill)",
             mi.arena >= (size_t)mib * 1048576 / 10 * 9);
   printf("measure: arena=%zu heap_mapped=%lld live=%lld retained=%lld\n", mi.arena,
          v.mapped, v.live, v.dead_res);
   if (rs_under_tool) {
      rs_get(&t);
      printf("tool: heap_mapped=%llu retained=%llu\n",
             (unsigned long long)(t.heap_live_B + t.heap_dead_B),
             (unsigned long long)t.heap_dead_res_B);
      /* with threads, glibc's own blocks (the threads' DTVs, calloc'd
         by pthread_create) live in the main arena: a page or two of it
         is live for the tool and dead for the own view */
      long long tol = threads ? RS_TOL_PAGES(2) : 0;
      rs_eq("heap mapped = the own heap extents", (long long)(t.heap_live_B + t.heap_dead_B),
            v.mapped);
      rs_near("retained = resident heap pages without a live byte",
              (long long)t.heap_dead_res_B, v.dead_res, tol);
      rs_near("live heap pages = pages of the kept blocks", (long long)t.heap_live_B, v.live,
              tol);
   }
   for (i = 0; i < n; i++)
      free(blk[i]);
   return rs_finish();
}
