/*
 * exit_stacks: the exit snapshot is the program's own exit state, taken at
 * its exit_group before Valgrind's freeres (issue 11, part 2).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Four threads run at once (a barrier keeps each on its own stack), each
 * touching TOUCH_B bytes of its stack; main joins them all.  A fifth thread,
 * started after the joins, is still alive (blocked) at exit: its stack (one
 * of the cached ones, reused) is not an exited thread's.  glibc keeps the
 * four stacks mapped in its stack cache until the process ends (when a thread
 * exits it gives back most of its stack with MADV_DONTNEED, keeping the top
 * pages resident); Valgrind's freeres unmaps them, so a snapshot taken after
 * freeres would miss them.
 *
 * Own view, just before returning from main: for each thread, the mapping of
 * /proc/self/maps holding an address of its stack, plus the PROT_NONE guard
 * mapping right below it; mapped bytes and mincore() resident bytes of those
 * mappings.  Nothing touches them between this and exit_group, so the exit
 * snapshot's stack_cached_n/_B/_res_B must equal them (expect-final).  The
 * line `measure: ...` is compared by the .vgtest with the native run's
 * (mapped bytes exactly; resident within 4 pages per thread).
 */
#include "rs_client.h"

#include <pthread.h>

#define NT 4
#define TOUCH_B (64 * 1024)

static pthread_barrier_t barrier;
static uintptr_t stack_addr[NT + 1];     /* an address on each thread's stack */

static void *worker(void *arg)
{
   volatile char buf[TOUCH_B];
   int id = (int)(intptr_t)arg;
   memset((char *)buf, id + 1, sizeof buf);
   stack_addr[id] = (uintptr_t)buf;
   pthread_barrier_wait(&barrier);
   return NULL;
}

/* The mappings found for the threads: [lo, hi) with the guard below. */
static uintptr_t map_lo[NT + 1], map_hi[NT + 1];


static int block_fd[2];

static void *sleeper(void *arg)
{
   char c;
   (void)arg;
   stack_addr[NT] = (uintptr_t)&c;
   pthread_barrier_wait(&barrier);
   (void)!read(block_fd[0], &c, 1);   /* never returns: exit ends it */
   return NULL;
}

int main(void)
{
   pthread_t th[NT + 1];
   long long mapped = 0, res = 0, mapped_all;
   long r;
   int k, distinct = 1;
   struct rssmassif_totals t;

   rs_init();
   pthread_barrier_init(&barrier, NULL, NT);
   for (k = 0; k < NT; k++)
      pthread_create(&th[k], NULL, worker, (void *)(intptr_t)k);
   for (k = 0; k < NT; k++)
      pthread_join(th[k], NULL);
   /* the sleeper reuses one cached stack and is alive at exit */
   pthread_barrier_destroy(&barrier);
   pthread_barrier_init(&barrier, NULL, 2);
   rs_own("pipe", pipe(block_fd) == 0);
   pthread_create(&th[NT], NULL, sleeper, NULL);
   pthread_barrier_wait(&barrier);

   rs_stack_mappings(stack_addr, NT + 1, map_lo, map_hi);
   rs_own("the sleeper's stack is one of the joined threads' (glibc's cache)",
          map_lo[NT] == map_lo[0] || map_lo[NT] == map_lo[1] || map_lo[NT] == map_lo[2]
          || map_lo[NT] == map_lo[3]);
   for (k = 0; k < NT; k++) {
      int j;
      rs_own("each thread's stack is in /proc/self/maps after the join", map_hi[k] > 0);
      if (map_lo[k] == map_lo[NT])
         continue;                  /* the sleeper's: not an exited thread's */
      for (j = 0; j < k; j++)
         if (map_lo[j] == map_lo[k])
            distinct = 0;
      mapped += (long long)(map_hi[k] - map_lo[k]);
      r = rs_resident(map_lo[k], map_hi[k] - map_lo[k], NULL, NULL);
      rs_own("mincore over a thread's stack", r >= 0);
      res += r * (long long)RS_PAGE;
   }
   rs_own("four distinct stack mappings", distinct);
   mapped_all = mapped + (long long)(map_hi[NT] - map_lo[NT]);
   /* glibc madvises an exited thread's stack away but for its top pages */
   rs_own("the cached stacks keep some resident pages", res > 0);
   printf("measure: stacks=%d mapped=%lld resident=%lld\n", NT - 1, mapped, res);

   rs_expect_final("stack_cached_n", "=", NT - 1, 0);
   rs_expect_final("stack_cached_B", "=", mapped, 0);
   rs_expect_final("stack_cached_res_B", "=", res, 0);
   rs_expect_final("stack_B", ">=", mapped_all + (long long)RS_PAGE, 0);
   if (rs_under_tool) {
      rs_get(&t);
      rs_ge("stack_B counts every thread stack", (long long)t.stack_B,
            mapped_all + (long long)RS_PAGE);
      rs_ge("stack_res_B counts their resident pages", (long long)t.stack_res_B, res);
   }
   return rs_finish();
}
