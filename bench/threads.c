/* threads T LIVE OPS -- T threads churning small blocks, each in its own
   arena (glibc gives each new thread its own arena while there are fewer
   than 8 x cores): LIVE live blocks per thread, OPS free/malloc pairs per
   thread.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "bench.h"
#include <pthread.h>

static unsigned long live, ops;

static void* worker(void* arg)
{
   uint64_t rng = 0xBB67AE8584CAA73BULL + (uintptr_t)arg * 0x9E3779B97F4A7C15ULL;
   char** slot = bench_xmalloc(live * sizeof *slot);
   unsigned long i;
   for (i = 0; i < live; i++)
      slot[i] = bench_xmalloc(bench_small_size(&rng));
   for (i = 0; i < ops; i++) {
      unsigned long k = bench_next(&rng) % live;
      free(slot[k]);
      slot[k] = bench_xmalloc(bench_small_size(&rng));
   }
   for (i = 0; i < live; i++)
      free(slot[i]);
   free(slot);
   return NULL;
}

int main(int argc, char** argv)
{
   unsigned long t = bench_arg(argc, argv, 1, 8), i;
   pthread_t* tid;
   BenchPhase ph;
   live = bench_arg(argc, argv, 2, 10000);
   ops  = bench_arg(argc, argv, 3, 200000);
   if (live == 0)
      live = 1;
   if (t == 0)
      t = 1;
   tid = bench_xmalloc(t * sizeof *tid);
   bench_phase_start(&ph);
   for (i = 0; i < t; i++)
      if (pthread_create(&tid[i], NULL, worker, (void*)(uintptr_t)i) != 0) {
         fprintf(stderr, "pthread_create failed\n");
         return 1;
      }
   for (i = 0; i < t; i++)
      pthread_join(tid[i], NULL);
   bench_phase_end(&ph, "threads", t * (live + ops));
   free(tid);
   printf("threads t=%lu live=%lu ops=%lu\n", t, live, ops);
   return 0;
}
