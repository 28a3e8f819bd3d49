/*
 * h_threads200: 200 threads at once, each churning malloc/realloc/free
 * while the others do the same (some of them in thread arenas), then all
 * joined.  The tool must count every block exactly across threads.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each thread t does 150 rounds: malloc(16 + (t*7 + i*13) % 3000), every
 * third block realloc'd to twice its size, every block but the last 4
 * freed; it keeps those 4 (own arithmetic per thread, summed after the
 * joins).  All threads wait at a barrier with their blocks held, then
 * thread 0 compares the tool's useful_B/blocks with the sum every thread
 * published (all are parked, so nothing changes meanwhile).  glibc itself
 * holds one block per running thread: its DTV (dynamic thread vector),
 * calloc'd by pthread_create; each thread reads its own from glibc's data
 * (amd64: the TCB at %fs:0 keeps the DTV pointer at %fs:8; the calloc'd
 * block starts one 16-byte entry below it and holds dtv[-1].counter + 2
 * entries) and adds it to its own arithmetic.
 * At exit: the kept blocks (800) are freed by main, except 10 kept on
 * purpose: useful_B/blocks of the final snapshot are those 10 blocks.
 */
#include "rs_client.h"

#include <pthread.h>

#define T 200
#define R 150
#define KEEP 4

static pthread_barrier_t all_parked, checked;
static struct rssmassif_totals base;
static char *kept[T][KEEP];
static size_t kept_size[T][KEEP];
static size_t dtv_size[T];

/* The size glibc asked calloc for this thread's DTV (see above). */
static size_t own_dtv_bytes(void)
{
   size_t *dtv;
   __asm__ volatile("mov %%fs:8, %0" : "=r"(dtv));
   /* dtv_t is 16 bytes; dtv[-1].counter is the first word of entry -1 */
   return (dtv[-2] + 2) * 16;
}

static void *worker(void *arg)
{
   int t = (int)(intptr_t)arg, i, k;
   char *mine[R];
   size_t size[R];

   for (i = 0; i < R; i++) {
      size[i] = 16 + (size_t)((t * 7 + i * 13) % 3000);
      mine[i] = malloc(size[i]);
      memset(mine[i], t, size[i]);
      if (i % 3 == 0) {
         size[i] *= 2;
         mine[i] = realloc(mine[i], size[i]);
         memset(mine[i], t, size[i]);
      }
      if (i >= 8 && i < R - KEEP)
         free(mine[i - 8]);
   }
   for (i = R - KEEP - 8; i < R - KEEP; i++)
      free(mine[i]);
   for (k = 0; k < KEEP; k++) {
      kept[t][k] = mine[R - KEEP + k];
      kept_size[t][k] = size[R - KEEP + k];
   }
   dtv_size[t] = own_dtv_bytes();
   pthread_barrier_wait(&all_parked);
   if (t == 0 && rs_under_tool) {
      struct rssmassif_totals now;
      long long useful = 0, blocks = 0;
      int u;
      for (u = 0; u < T; u++) {
         useful += (long long)dtv_size[u];
         blocks++;
      }
      for (u = 0; u < T; u++)
         for (k = 0; k < KEEP; k++) {
            useful += (long long)kept_size[u][k];
            blocks++;
         }
      rs_get(&now);
      rs_eq("useful with 200 threads parked", (long long)(now.useful_B - base.useful_B), useful);
      rs_eq("blocks with 200 threads parked", (long long)(now.blocks - base.blocks), blocks);
      rs_ge("stack_B covers 200 thread stacks", (long long)(now.stack_B - base.stack_B),
            (long long)T * (long long)RS_PAGE);
   }
   pthread_barrier_wait(&checked);
   return NULL;
}

int main(void)
{
   static pthread_t th[T];
   pthread_attr_t attr;
   long long useful = 0, blocks = 0;
   int t, k, created = 0;

   rs_init();
   pthread_barrier_init(&all_parked, NULL, T);
   pthread_barrier_init(&checked, NULL, T);
   pthread_attr_init(&attr);
   pthread_attr_setstacksize(&attr, 256 * 1024);
   rs_get(&base);
   for (t = 0; t < T; t++)
      if (pthread_create(&th[t], &attr, worker, (void *)(intptr_t)t) == 0)
         created++;
   rs_own("200 threads created", created == T);
   if (created != T)
      return 1;
   for (t = 0; t < T; t++)
      pthread_join(th[t], NULL);
   for (t = 0; t < T; t++)
      for (k = 0; k < KEEP; k++) {
         if (t < 10 && k == 0) {
            useful += (long long)kept_size[t][k];
            blocks++;
         } else {
            free(kept[t][k]);
         }
      }
   printf("ok all threads joined\n");
   if (rs_under_tool) {
      /* in use at exit after freeres (the HEAP SUMMARY); the exit
         snapshot itself is taken before it: libc's blocks too */
      rs_expect_final("in_use_at_exit_B", "=", useful, 0);
      rs_expect_final("useful_B", ">=", useful, 0);
      rs_expect_final("in_use_at_exit_blocks", "=", blocks, 0);
   }
   return rs_finish();
}
