/*
 * snap_time: --time-unit=ms and the default --time-unit=i.  The file's
 * time_unit: header names the unit, and snapshot times grow at least as much
 * as the program knows its own time grew.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * usage: snap_time ms|i
 *   ms: a labelled snapshot `start`, then SLEEP_MS milliseconds of
 *       nanosleep (checked by the program with CLOCK_MONOTONIC), then a
 *       labelled snapshot `slept`.  Expect time_unit ms, slept's time >=
 *       SLEEP_MS (times count from the start of the run, so the label taken
 *       after the sleep is at least that late) and final time >= SLEEP_MS.
 *   i:  a labelled snapshot `start`, then a loop of LOOPS iterations that
 *       each execute at least 2 instructions (at -O0 a volatile load, add,
 *       store, the counter's add, compare and branch), then `looped`.
 *       Expect time_unit i, looped's time >= 2 * LOOPS, final >= that.
 *       (The loop body is one superblock per iteration: a tool counting
 *       superblocks instead of instructions would stay near LOOPS.)
 *   In both, labelled snapshots are detailed and taken in time order
 *   (rs_tree_check's structural checks: times never decrease).
 */
#include "rs_client.h"
#include <time.h>

#define SLEEP_MS 300
#define LOOPS 5000000L

static volatile unsigned long sink;

static long long now_ms(void)
{
   struct timespec ts;
   clock_gettime(CLOCK_MONOTONIC, &ts);
   return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
   const char *unit = argc > 1 ? argv[1] : "i";
   char *p;

   rs_init();
   p = malloc(5000);
   memset(p, 1, 5000);
   RSSMASSIF_SNAPSHOT("start");
   if (strcmp(unit, "ms") == 0) {
      long long t0 = now_ms(), t1;
      struct timespec ts = { 0, 100 * 1000000L };
      int k;
      for (k = 0; k < SLEEP_MS / 100; k++)
         while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
            ;
      t1 = now_ms();
      rs_own("slept at least SLEEP_MS (CLOCK_MONOTONIC)", t1 - t0 >= SLEEP_MS);
      RSSMASSIF_SNAPSHOT("slept");
      printf("expect-file: time_unit = ms\n");
      printf("expect-snap: label=slept time >= %d\n", SLEEP_MS);
      printf("expect-snap: final time >= %d\n", SLEEP_MS);
   } else {
      long i;
      for (i = 0; i < LOOPS; i++)
         sink++;
      RSSMASSIF_SNAPSHOT("looped");
      printf("expect-file: time_unit = i\n");
      printf("expect-snap: label=looped time >= %ld\n", 2 * LOOPS);
      printf("expect-snap: final time >= %ld\n", 2 * LOOPS);
   }
   printf("expect-file: labelled = 2\n");
   free(p);
   rs_expect_final("useful_B", "=", 0, 0);
   return rs_finish();
}
