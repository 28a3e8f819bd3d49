/*
 * snap_arenas: threads that allocate at the same time get their own glibc
 * arenas; the final snapshot has one `#rs.arena: kind=thread` line per arena
 * the program itself found, each with the live bytes of that arena's blocks.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * NTHREADS threads wait at a barrier (so all are alive before any
 * allocates: glibc gives a thread with no arena a new one while fewer than
 * 8 x cores exist, and would hand an exited thread's arena to a later
 * thread), then each allocates NPER blocks of BSZ bytes, writes and keeps
 * them, and waits at a second barrier before exiting.  The blocks stay live
 * to the end.
 *
 * Own view, from glibc's chunk layout: a block of a non-main arena (chunk
 * flag NON_MAIN_ARENA) lies in a heap aligned to 64 MiB whose heap_info
 * starts with the arena's address (ar_ptr).  The program groups its blocks
 * by that address: NA arenas (NA <= NTHREADS is checked), and for each, the
 * pages its blocks touch.
 *
 * Expectations on the final snapshot:
 *   - exactly NA `#rs.arena: kind=thread` lines (so <= NTHREADS), and the
 *     line with id=<arena address> has live_B = that arena's own live pages
 *     (no other block lives in a thread arena: glibc's per-thread tcache is
 *     carved with _int_malloc, not through malloc, so it is no block);
 *   - at least NA `#rs.segment: kind=arena` lines, each arena address
 *     appearing as arena=<address>;
 *   - useful_B, blocks: the threads' blocks.
 */
#include "rs_client.h"

#include <pthread.h>

#define NTHREADS 4
#define NPER 100
#define BSZ 1000
#define HEAP_MAX (64UL << 20)

static pthread_barrier_t start, done;
static char *blk[NTHREADS][NPER];

static void *worker(void *arg)
{
   long t = (long)arg;
   int i;
   pthread_barrier_wait(&start);
   for (i = 0; i < NPER; i++) {
      blk[t][i] = malloc(BSZ);
      if (blk[t][i])
         memset(blk[t][i], 0x55, BSZ);
   }
   pthread_barrier_wait(&done);
   return NULL;
}

int main(void)
{
   pthread_t th[NTHREADS];
   uintptr_t arena[NTHREADS];
   int na = 0, k, i;
   long t;

   rs_init();
   pthread_barrier_init(&start, NULL, NTHREADS);
   pthread_barrier_init(&done, NULL, NTHREADS);
   for (t = 0; t < NTHREADS; t++)
      if (pthread_create(&th[t], NULL, worker, (void *)t) != 0) {
         rs_own("pthread_create", 0);
         return 1;
      }
   for (t = 0; t < NTHREADS; t++)
      pthread_join(th[t], NULL);

   /* The arenas, by ar_ptr of each block's heap_info. */
   for (t = 0; t < NTHREADS; t++)
      for (i = 0; i < NPER; i++) {
         uintptr_t ar;
         if (!blk[t][i] || !rs_chunk_non_main(blk[t][i]) || rs_chunk_mmapped(blk[t][i])) {
            rs_own("every block is in a thread arena", 0);
            return 1;
         }
         ar = *(const uintptr_t *)((uintptr_t)blk[t][i] & ~(HEAP_MAX - 1));
         for (k = 0; k < na && arena[k] != ar; k++)
            ;
         if (k == na)
            arena[na++] = ar;
      }
   printf("# %d threads allocated in %d thread arenas\n", NTHREADS, na);
   rs_own("1 <= arenas <= threads", na >= 1 && na <= NTHREADS);

   printf("expect-count: final = %d ^#rs\\.arena: kind=thread \n", na);
   printf("expect-count: final <= %d ^#rs\\.arena: kind=thread \n", NTHREADS);
   printf("expect-count: final >= %d ^#rs\\.segment: kind=arena \n", na);
   for (k = 0; k < na; k++) {
      rs_pages_reset();
      for (t = 0; t < NTHREADS; t++)
         for (i = 0; i < NPER; i++)
            if (*(const uintptr_t *)((uintptr_t)blk[t][i] & ~(HEAP_MAX - 1)) == arena[k])
               rs_pages_add_bytes(blk[t][i], BSZ);
      rs_pages_normalise();
      printf("# arena %#lx: %zu live pages\n", (unsigned long)arena[k], rs_pages_total());
      printf("expect-field: final live_B = %llu ^#rs\\.arena: kind=thread id=%#lx \n",
             (unsigned long long)rs_pages_total() * RS_PAGE, (unsigned long)arena[k]);
      printf("expect-line: final ^#rs\\.segment: kind=arena .* arena=%#lx$\n", (unsigned long)arena[k]);
   }
   /* in use at exit after freeres (the HEAP SUMMARY); the exit
      snapshot itself is taken before it: libc's blocks too */
   rs_expect_final("in_use_at_exit_B", "=", NTHREADS * NPER * BSZ, 0);
   rs_expect_final("useful_B", ">=", NTHREADS * NPER * BSZ, 0);
   rs_expect_final("in_use_at_exit_blocks", "=", NTHREADS * NPER, 0);
   return rs_finish();
}
