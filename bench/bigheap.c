/* bigheap MIB BLOCK_B OPS SNAPS [TOTALS] -- a large resident heap.
   Allocates MIB MiB in blocks of BLOCK_B bytes and writes every page (so
   the heap is resident), frees every fourth block (dead pages to find),
   then does OPS free/malloc pairs on the full heap (run with
   --detailed-freq=1, every snapshot the tool takes in this phase is a
   detailed one of the whole heap), then, under rssmassif, takes SNAPS
   labelled snapshots in a row (to time one detailed snapshot of this
   heap), then TOTALS RSSMASSIF_GET_TOTALS requests (each reads the totals
   of every category, residency included: the work of a snapshot that is
   not detailed).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "bench.h"
#include "rssmassif.h"
#include <string.h>

int main(int argc, char** argv)
{
   unsigned long mib   = bench_arg(argc, argv, 1, 1024);
   unsigned long blk   = bench_arg(argc, argv, 2, 4096);
   unsigned long ops   = bench_arg(argc, argv, 3, 100000);
   unsigned long snaps = bench_arg(argc, argv, 4, 0);
   unsigned long totals = bench_arg(argc, argv, 5, 0);
   struct rssmassif_totals t;
   uint64_t rng = 0x6A09E667F3BCC909ULL;
   unsigned long n, i;
   char** p;
   BenchPhase ph;

   if (blk < 16)
      blk = 16;
   n = (mib << 20) / blk;
   if (n == 0)
      n = 1;
   p = bench_xmalloc(n * sizeof *p);
   bench_phase_start(&ph);
   for (i = 0; i < n; i++) {
      p[i] = bench_xmalloc(blk);
      memset(p[i], (int)i, blk);
   }
   for (i = 0; i < n; i += 4) {
      free(p[i]);
      p[i] = NULL;
   }
   bench_phase_end(&ph, "build", n);
   bench_phase_start(&ph);
   for (i = 0; i < ops; i++) {
      unsigned long k = bench_next(&rng) % n;
      free(p[k]);
      p[k] = bench_xmalloc(bench_small_size(&rng));
   }
   bench_phase_end(&ph, "churn", ops);
   if (snaps > 0) {
      bench_phase_start(&ph);
      for (i = 0; i < snaps; i++)
         RSSMASSIF_SNAPSHOT("bench");
      bench_phase_end(&ph, "snapshot", snaps);
   }
   if (totals > 0) {
      bench_phase_start(&ph);
      for (i = 0; i < totals; i++)
         if (!RSSMASSIF_GET_TOTALS(&t))
            break;
      bench_phase_end(&ph, "totals", totals);
   }
   for (i = 0; i < n; i++)
      free(p[i]);
   free(p);
   printf("bigheap MiB=%lu block=%lu ops=%lu snaps=%lu\n", mib, blk, ops, snaps);
   return 0;
}
