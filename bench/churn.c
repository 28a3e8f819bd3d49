/* churn LIVE OPS -- malloc/free churn of small blocks.
   Keeps LIVE small blocks alive, then OPS times frees a random one and
   allocates a new one in its place; frees everything at the end.
   Running it with LIVE = 10 000 and LIVE = 1 000 000 (same OPS), and with
   OPS = 0, shows whether the per-operation cost depends on heap size.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "bench.h"
#include <string.h>

int main(int argc, char** argv)
{
   unsigned long live = bench_arg(argc, argv, 1, 10000);
   unsigned long ops  = bench_arg(argc, argv, 2, 1000000);
   uint64_t rng = 0x9E3779B97F4A7C15ULL;
   unsigned long i, sum = 0;
   char** slot;
   BenchPhase ph;

   if (live == 0)
      live = 1;
   slot = bench_xmalloc(live * sizeof *slot);
   bench_phase_start(&ph);
   for (i = 0; i < live; i++) {
      size_t n = bench_small_size(&rng);
      slot[i] = bench_xmalloc(n);
      slot[i][0] = (char)i;
   }
   bench_phase_end(&ph, "setup", live);
   bench_phase_start(&ph);
   for (i = 0; i < ops; i++) {
      unsigned long k = bench_next(&rng) % live;
      size_t n = bench_small_size(&rng);
      sum += (unsigned char)slot[k][0];
      free(slot[k]);
      slot[k] = bench_xmalloc(n);
      slot[k][0] = (char)i;
   }
   bench_phase_end(&ph, "churn", ops);
   for (i = 0; i < live; i++)
      free(slot[i]);
   free(slot);
   printf("churn live=%lu ops=%lu check=%lu\n", live, ops, sum);
   return 0;
}
