/*
 * trim_real: the trim estimate ("malloc_trim(0) would give back about X",
 * trim_estimate_B) of a labelled snapshot taken just before a real
 * malloc_trim(0) call is within 2 % + 8 pages of what the call releases.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * argv[1] picks the heap:
 *   frag    the main arena: NF / 4 blocks of a size mix (100 bytes: a fastbin
 *           size; 1000: a tcache size; 3000; 20000), written whole, then
 *           every block but each 64th freed; the thread stays the same, so
 *           glibc's tcache keeps 7 freed chunks of each small size
 *           (argv[2] `uniform`: all NF blocks of 1000 bytes instead);
 *   blocker the main arena: a small block, NB blocks of 32 KiB, a small
 *           blocker, NT blocks of 32 KiB; all 32 KiB blocks freed: a large
 *           free middle below the blocker and a free top above it, kept
 *           resident by a trim threshold of 256 MiB;
 *   headers the main arena: free runs that start just below a page boundary
 *           (build_headers);
 *   thread  NTHREADS threads build the `frag` heap, a quarter each, each in
 *           an arena of its own, above NPREFIX blocks of PREFIX_B bytes
 *           they free last (free space below the first live block), and wait (alive, their tcaches full) while
 *           the main thread measures: each arena's top chunk stays (a
 *           thread arena's top is not trimmed by malloc_trim).
 * The program's own measure: mincore() over the brk extent [start,
 * sbrk(0)) and over each mapping holding a block of the thread's arena,
 * just before and just after malloc_trim(0) (pages above the break after
 * the trim count as released: the break gave them back).  released =
 * resident before - resident after.  The snapshot `before_trim` is taken
 * just before the first measure; its #rs.trim: estimate_B must lie within
 * released +- (2 % of released + 8 pages).
 */
#include "rs_client.h"
#include <pthread.h>
#include <semaphore.h>

#define NF 16384          /* uniform; the size mix uses NF / 4 */
#define KEEP_EVERY 64
#define NB 256
#define NT 64
#define BIG (32 * 1024)
#define SMALL 100
#define NTHREADS 4

static const size_t mix[4] = { 100, 1000, 3000, 20000 };
static const size_t uniform[4] = { 1000, 1000, 1000, 1000 };
static const size_t *sizes = mix;
static int nf = NF / 4;
static char *blk[NF];
static sem_t built, measured;
static uintptr_t region_lo[64], region_hi[64];
static int n_regions;

/* Allocates and writes blocks lo..hi-1 of the size mix, frees all but
 * every KEEP_EVERY-th. */
static void build_frag_part(int lo, int hi)
{
   int i;
   for (i = lo; i < hi; i++) {
      blk[i] = malloc(sizes[i % 4]);
      memset(blk[i], 0x5a, sizes[i % 4]);
   }
   for (i = lo; i < hi; i++)
      if (i % KEEP_EVERY != 0)
         free(blk[i]);
}

static void build_frag(void)
{
   build_frag_part(0, nf);
}

static void build_blocker(void)
{
   char *low, *s;
   int i;
   /* free() then trims the top only past 256 MiB: the freed top stays
      resident for malloc_trim's systrim to give back. */
   rs_own("mallopt(M_TRIM_THRESHOLD)", mallopt(M_TRIM_THRESHOLD, 256 << 20) == 1);
   low = malloc(SMALL);
   memset(low, 1, SMALL);
   for (i = 0; i < NB; i++)
      memset(blk[i] = malloc(BIG), 2, BIG);
   s = malloc(SMALL);
   memset(s, 3, SMALL);
   for (i = 0; i < NT; i++)
      memset(blk[NB + i] = malloc(BIG), 4, BIG);
   rs_own("the blocker lies above the middle and below the top blocks",
          blk[NB - 1] < s && s < blk[NB]);
   for (i = 0; i < NB + NT; i++)
      free(blk[i]);
}

/* NH blocks whose chunks are 4096 bytes and start 16 bytes below a page
 * boundary (a filler block first moves them there), every 4th kept: each
 * free run starts 16 bytes below a page, whose next page holds the run's
 * free-chunk links, so malloc_trim keeps it. */
#define NH 4096
#define H_REQ 4088               /* chunk size 4096 */
static void build_headers(void)
{
   char *probe = malloc(16);     /* a 32-byte chunk */
   uintptr_t next_chunk = (uintptr_t)probe - 16 + 32;
   size_t f = (RS_PAGE - 16 - next_chunk % RS_PAGE) % RS_PAGE;
   int i;
   if (f < 32)
      f += RS_PAGE;
   memset(probe, 6, 16);
   memset(malloc(f - 8), 7, f - 8);
   for (i = 0; i < NH; i++)
      memset(blk[i] = malloc(H_REQ), 8, H_REQ);
   rs_own("the blocks' chunks are 4096 bytes and start 16 bytes below a page",
          (uintptr_t)blk[0] % RS_PAGE == 0 && blk[1] - blk[0] == RS_PAGE
          && (uintptr_t)blk[NH - 1] % RS_PAGE == 0);
   for (i = 0; i < NH; i++)
      if (i % 4 != 0)
         free(blk[i]);
}

/* Blocks a thread allocates first and frees after its part of the heap:
 * a free run between its arena's first chunks and its first live block. */
#define NPREFIX 64
#define PREFIX_B 4000

static void *thread_main(void *arg)
{
   int k = (int)(intptr_t)arg, i;
   char *prefix[NPREFIX];
   for (i = 0; i < NPREFIX; i++)
      memset(prefix[i] = malloc(PREFIX_B), 9, PREFIX_B);
   build_frag_part(k * nf / NTHREADS, (k + 1) * nf / NTHREADS);
   for (i = 0; i < NPREFIX; i++)
      free(prefix[i]);
   sem_post(&built);
   sem_wait(&measured);
   return NULL;
}

/* The mapping holding p becomes a region (once). */
static void note_mapping(uintptr_t lo, uintptr_t hi, const char *perms, const char *path, void *arg)
{
   uintptr_t p = *(uintptr_t *)arg;
   int i;
   (void)path;
   if (!(lo <= p && p < hi) || perms[0] != 'r' || perms[1] != 'w')
      return;
   for (i = 0; i < n_regions; i++)
      if (region_lo[i] == lo)
         return;
   if (n_regions < 64) {
      region_lo[n_regions] = lo;
      region_hi[n_regions++] = hi;
   }
}

static long resident_in(uintptr_t lo, uintptr_t hi)
{
   long n = hi > lo ? rs_resident(lo, hi - lo, NULL, NULL) : 0;
   if (n < 0)
      rs_own("mincore over the arena's pages", 0);
   return n;
}

int main(int argc, char **argv)
{
   const char *mode = argc > 1 ? argv[1] : "frag";
   if (argc > 2 && strcmp(argv[2], "uniform") == 0)
      sizes = uniform, nf = NF;
   uintptr_t heap_start, brk_hi, brk_after;
   pthread_t th[NTHREADS];
   long before = 0, after = 0;
   long long released, tol;
   int i, r;

   rs_init();
   heap_start = RS_PAGE_DOWN((uintptr_t)sbrk(0));
   if (strcmp(mode, "thread") == 0) {
      sem_init(&built, 0, 0);
      sem_init(&measured, 0, 0);
      /* One thread at a time: a thread in madvise (free trimming its
         arena) while another takes a snapshot would change residency
         under the snapshot (Valgrind runs syscalls unlocked). */
      for (i = 0; i < NTHREADS; i++) {
         pthread_create(&th[i], NULL, thread_main, (void *)(intptr_t)i);
         sem_wait(&built);
      }
      for (i = 0; i < nf; i += KEEP_EVERY) {
         uintptr_t p = (uintptr_t)blk[i];
         if (!rs_chunk_mmapped(blk[i]))
            rs_maps_foreach(note_mapping, &p);
      }
      rs_own("the thread's blocks are in a thread arena", rs_chunk_non_main(blk[0]));
   } else if (strcmp(mode, "headers") == 0) {
      build_headers();
   } else if (strcmp(mode, "blocker") == 0) {
      build_blocker();
   } else {
      build_frag();
   }
   brk_hi = RS_PAGE_UP((uintptr_t)sbrk(0));

   RSSMASSIF_SNAPSHOT("before_trim");
   before = resident_in(heap_start, brk_hi);
   for (i = 0; i < n_regions; i++)
      before += resident_in(region_lo[i], region_hi[i]);
   r = malloc_trim(0);
   brk_after = RS_PAGE_UP((uintptr_t)sbrk(0));
   after = resident_in(heap_start, brk_after < brk_hi ? brk_after : brk_hi);
   for (i = 0; i < n_regions; i++)
      after += resident_in(region_lo[i], region_hi[i]);
   released = (long long)(before - after) * (long long)RS_PAGE;
   tol = released / 50 + RS_TOL_PAGES(8);
   printf("# %s: malloc_trim(0) = %d; resident %ld pages before, %ld after: released %lld bytes"
          " (%d thread-arena mappings)\n", mode, r, before, after, released, n_regions);
   rs_own("malloc_trim released memory", r == 1 && released > RS_TOL_PAGES(64));
   printf("expect-snap: label=before_trim trim.estimate_B >= %lld\n", released - tol);
   printf("expect-snap: label=before_trim trim.estimate_B <= %lld\n", released + tol);
   if (strcmp(mode, "thread") == 0) {
      for (i = 0; i < NTHREADS; i++)
         sem_post(&measured);
      for (i = 0; i < NTHREADS; i++)
         pthread_join(th[i], NULL);
   }
   return rs_finish();
}
