/*
 * snap_budget: --detailed-budget bounds the live blocks that periodic
 * detailed snapshots walk.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The program keeps BALLAST blocks live, then makes PAIRS malloc/free
 * pairs of one more block.  Under --time-unit=B --detailed-freq=1 every
 * pair may take a snapshot, and every periodic detailed one walks all
 * BALLAST + 1 live blocks: without a budget that is about BALLAST blocks
 * per two heap events.  With the default budget (4 Mi blocks in all, then
 * 2 per heap event) most of them must stay plain.
 *
 * It prints its own heap events (allocs + frees it makes) and its live
 * blocks at the most; snap_budget.vgtest compares the tool's --stats
 * line "blocks walked: W, periodic ones deferred: D" with them:
 *   - D > 0, and the file keeps plain snapshots despite --detailed-freq=1;
 *   - W <= 4194304 + 2 * (events + slack) + exempt walks (final and peak
 *     snapshots, each at most live + slack blocks); slack covers glibc's
 *     own allocations and the mapping events the tool also counts;
 *   - W + live >= 4194304: deferring started only once the free part of
 *     the budget was spent;
 *   - with --detailed-budget=0, D = 0 and every snapshot is detailed.
 */
#include <stdio.h>
#include <stdlib.h>

#define BALLAST 40000
#define PAIRS   150000

int main(void)
{
   static void* ballast[BALLAST];
   unsigned long events = 0;
   int i;
   setvbuf(stdout, NULL, _IONBF, 0);     /* stdio allocates no buffer */
   for (i = 0; i < BALLAST; i++) {
      ballast[i] = malloc(48);
      events++;
   }
   for (i = 0; i < PAIRS; i++) {
      void* p = malloc(64);
      free(p);
      events += 2;
   }
   for (i = 0; i < BALLAST; i++) {
      free(ballast[i]);
      events++;
   }
   printf("events=%lu live=%d\n", events, BALLAST + 1);
   return 0;
}
