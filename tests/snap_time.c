/*
 * snap_time: --time-unit=ms and the default --time-unit=i.  The file's
 * time_unit: header names the unit, and snapshot times lie within tight
 * bounds the program derives from its own clock and instruction count
 * (a unit 1000 times too large or too small, or counting superblocks,
 * fails).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * usage: snap_time ms|i
 *   ms: a labelled snapshot `start`, then SLEEP_MS milliseconds of
 *       nanosleep (checked by the program with CLOCK_MONOTONIC), then a
 *       labelled snapshot `slept`.  Expect time_unit ms, slept's time >=
 *       SLEEP_MS (times count from the start of the run, so the label taken
 *       after the sleep is at least that late) and <= the run's age in ms
 *       when the label was taken (CLOCK_BOOTTIME now minus the process's
 *       start time from /proc/self/stat, which is Valgrind's own start),
 *       plus 2 clock ticks of /proc's granularity (looser by Valgrind's own
 *       start-up, which the tool's clock does not count).
 *   i:  a labelled snapshot `start`, then a loop written in assembly
 *       (`sub $1, %rcx; jnz`): exactly 2 * LOOPS + 1 instructions, then
 *       `looped`.  Expect time_unit i and looped's time ~ 2 * LOOPS within
 *       START_I instructions (start-up: ld.so, libc's init, main so far,
 *       about 0.2 M under Valgrind 3.19; 1 % of the loop).  (The loop body
 *       is one superblock per iteration: a tool counting superblocks
 *       instead of instructions would stay near LOOPS.)
 *   In both, labelled snapshots are detailed and taken in time order
 *   (rs_tree_check's structural checks: times never decrease).
 */
#include "rs_client.h"
#include <time.h>

#define SLEEP_MS 300
#define LOOPS 100000000L
#define START_I 2000000L

static long long now_ms(void)
{
   struct timespec ts;
   clock_gettime(CLOCK_MONOTONIC, &ts);
   return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The run's age in ms: now (CLOCK_BOOTTIME) minus the start time of the
 * process (field 22 of /proc/self/stat, clock ticks since boot).  -1 if
 * unreadable. */
static long long age_ms(void)
{
   static char buf[4096];
   struct timespec ts;
   unsigned long long start_ticks;
   long hz = sysconf(_SC_CLK_TCK);
   char *p;
   int fd = open("/proc/self/stat", O_RDONLY), field;
   ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
   if (fd >= 0)
      close(fd);
   if (n <= 0 || hz <= 0)
      return -1;
   buf[n] = 0;
   p = strrchr(buf, ')');          /* the command may hold spaces */
   if (!p)
      return -1;
   for (field = 2; field < 22 && p; field++)
      p = strchr(p + 1, ' ');
   if (!p || sscanf(p + 1, "%llu", &start_ticks) != 1)
      return -1;
   clock_gettime(CLOCK_BOOTTIME, &ts);
   return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000
          - (long long)(start_ticks * 1000 / (unsigned long long)hz);
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
      t1 = age_ms();
      rs_own("the run's age from /proc/self/stat", t1 >= SLEEP_MS);
      printf("expect-file: time_unit = ms\n");
      printf("expect-snap: label=slept time >= %d\n", SLEEP_MS);
      printf("expect-snap: label=slept time <= %lld\n", t1 + 2 * 1000 / sysconf(_SC_CLK_TCK));
      printf("expect-snap: final time >= %d\n", SLEEP_MS);
   } else {
      long n = LOOPS;
      __asm__ volatile("1: sub $1, %0\n\tjnz 1b" : "+r"(n) : : "cc");
      RSSMASSIF_SNAPSHOT("looped");
      printf("expect-file: time_unit = i\n");
      printf("expect-snap: label=looped time >= %ld\n", 2 * LOOPS);
      printf("expect-snap: label=start time <= %ld\n", START_I);
      printf("expect-snap: label=looped time <= %ld\n", 2 * LOOPS + START_I);
      printf("expect-snap: final time >= %ld\n", 2 * LOOPS);
   }
   printf("expect-file: labelled = 2\n");
   free(p);
   rs_expect_final("useful_B", "=", 0, 0);
   return rs_finish();
}
