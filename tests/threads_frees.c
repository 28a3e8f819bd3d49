/*
 * threads_frees: frees made by one thread count in totals read by another.
 * The wrappers batch a thread's frees in the program's memory; a snapshot
 * or RSSMASSIF_GET_TOTALS asked for by another thread must apply every
 * thread's batch first (rs_blocks_take_all_frees).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A worker allocates NB blocks of BSZ bytes and waits; the main thread
 * reads the totals; the worker frees all NB blocks and waits again (it
 * makes no allocator call and no client request in between); the main
 * thread reads the totals again.  Expected, from the program's own
 * arithmetic: useful_B falls by exactly NB * BSZ and blocks by NB.
 */
#include "rs_client.h"
#include <pthread.h>

#define NB 300
#define BSZ 5000

static char *blk[NB];
static pthread_barrier_t step;

static void *worker(void *arg)
{
   int i;
   (void)arg;
   for (i = 0; i < NB; i++) {
      blk[i] = malloc(BSZ);
      memset(blk[i], 1, BSZ);
   }
   pthread_barrier_wait(&step);        /* 1: allocated */
   pthread_barrier_wait(&step);        /* 2: main has read the totals */
   for (i = 0; i < NB; i++)
      free(blk[i]);
   pthread_barrier_wait(&step);        /* 3: freed */
   pthread_barrier_wait(&step);        /* 4: main has read them again */
   return NULL;
}

int main(void)
{
   pthread_t th;
   struct rssmassif_totals before, after;
   rs_init();
   pthread_barrier_init(&step, NULL, 2);
   pthread_create(&th, NULL, worker, NULL);
   pthread_barrier_wait(&step);
   rs_get(&before);
   pthread_barrier_wait(&step);
   pthread_barrier_wait(&step);
   rs_get(&after);
   pthread_barrier_wait(&step);
   pthread_join(th, NULL);
   if (rs_under_tool) {
      rs_eq("useful_B falls by the worker's frees",
            (long long)before.useful_B - (long long)after.useful_B, (long long)NB * BSZ);
      rs_eq("blocks falls by the worker's frees",
            (long long)before.blocks - (long long)after.blocks, NB);
   }
   return rs_finish();
}
