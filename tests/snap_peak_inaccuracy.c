/*
 * snap_peak_inaccuracy: --peak-inaccuracy=PCT with valid values.  The heap
 * reaches a first top, shrinks, then reaches a second top 5 % higher and
 * shrinks again.  A new peak snapshot is taken only when the mapped heap
 * exceeds the previous peak by more than PCT %: with PCT = 10 the peak
 * snapshot stays at the first top, with PCT = 1 it moves to the second.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * usage: snap_peak_inaccuracy PCT (the run's --peak-inaccuracy)
 * The tops are one mmapped chunk each (M_MMAP_THRESHOLD fixed at 128 KiB):
 * FIRST_B, then SECOND_B = FIRST_B * 1.05; the chunk sizes (the size
 * field of an mmapped chunk is its mapping's length) are read from the
 * chunk headers.  The brk heap beside them stays below SMALL_B (stdout is
 * unbuffered; nothing else is allocated).  The free is reported to the tool
 * before glibc's munmap, so the peak snapshot (taken at the munmap) still
 * maps the chunk.  Expectations on the heap_tree=peak snapshot:
 *   PCT 10: first chunk <= heap_B <= first chunk + SMALL_B
 *   PCT 1:  second chunk <= heap_B <= second chunk + SMALL_B
 * and rs_tree_check --peak-inaccuracy=PCT: no snapshot above the peak by
 * more than PCT %.
 */
#include "rs_client.h"

#define FIRST_B (20UL * 1024 * 1024)
#define SECOND_B (FIRST_B + FIRST_B / 20)
#define SMALL_B (256L * 1024)

static long long top(size_t n)
{
   char *p = malloc(n);
   long long chunk;
   if (!p)
      return -1;
   memset(p, 1, 4096);
   chunk = (long long)rs_chunk_size(p);
   rs_own("the top is an mmapped chunk", rs_chunk_mmapped(p));
   free(p);
   return chunk;
}

int main(int argc, char **argv)
{
   double pct = argc > 1 ? atof(argv[1]) : 1.0;
   long long first, second, peak;

   rs_init();
   mallopt(M_MMAP_THRESHOLD, 128 * 1024);
   first = top(FIRST_B);
   second = top(SECOND_B);
   rs_own("the second top is 5 % above the first", second * 100 >= first * 104);
   peak = (double)second > (double)first * (1.0 + pct / 100.0) ? second : first;
   printf("expect-snap: peak heap_B >= %lld\n", peak);
   printf("expect-snap: peak heap_B <= %lld\n", peak + SMALL_B);
   rs_expect_final("useful_B", "=", 0, 0);
   return rs_finish();
}
