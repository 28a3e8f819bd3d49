/* scatter N -- N small live blocks, then freed in a scattered order.
   Allocates N blocks of 16..128 bytes (all live at once: the tool's
   per-block memory shows in the peak RSS), shuffles the pointers and frees
   them in that order, so the block table and the page counters are hit
   all over the heap.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "bench.h"

int main(int argc, char** argv)
{
   unsigned long n = bench_arg(argc, argv, 1, 2000000);
   uint64_t rng = 0xD1B54A32D192ED03ULL;
   unsigned long i;
   char** p;
   BenchPhase ph;

   if (n == 0)
      n = 1;
   p = bench_xmalloc(n * sizeof *p);
   bench_phase_start(&ph);
   for (i = 0; i < n; i++) {
      p[i] = bench_xmalloc(bench_small_size(&rng));
      p[i][0] = 1;
   }
   bench_phase_end(&ph, "alloc", n);
   for (i = n - 1; i > 0; i--) {            /* Fisher-Yates */
      unsigned long j = bench_next(&rng) % (i + 1);
      char* t = p[i];
      p[i] = p[j];
      p[j] = t;
   }
   bench_phase_start(&ph);
   for (i = 0; i < n; i++)
      free(p[i]);
   bench_phase_end(&ph, "free", n);
   free(p);
   printf("scatter n=%lu\n", n);
   return 0;
}
