/*
 * snap_detailed: with --detailed-freq=1 every snapshot has a tree; the
 * trees' stack and other categories name the call that made the mappings.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The program fills all five categories and changes them over time:
 *   - heap: blocks from the brk heap and mmapped chunks, some freed;
 *   - other: map_other() mmaps OTHER_PAGES anonymous pages (512 KiB, well
 *     above 1 % -- the default --threshold -- of what the process maps);
 *   - stack: start_threads() creates NTHREADS threads with STACK_B stacks
 *     (pthread_attr_setstacksize) and joins them; glibc keeps joined
 *     threads' stacks in its stack cache, so they stay mapped until exit,
 *     where glibc's freeres (run by the tool) unmaps them.
 * Each thread measures its own stack mapping in /proc/self/maps: the
 * read-write mapping holding a local variable plus the PROT_NONE guard
 * mapped right below it (all of it mapped by design.md's rules).
 *
 * rs_tree_check --all-detailed checks every snapshot's tree (root = total,
 * the five categories, children <= parents).  Expectations on the labelled
 * snapshot `end`, taken at the end of main (the final one, after freeres,
 * has no thread stacks left):
 *   - a node under `other` naming map_other holds OTHER_PAGES pages;
 *   - a node under `stack` naming start_threads holds the threads' own
 *     measured stack mappings (the stacks were made by pthread_create
 *     called from start_threads);
 *   - other_B >= OTHER_PAGES pages, stack_B >= the threads' stacks.
 */
#include "rs_client.h"

#include <pthread.h>

#define NTHREADS 2
#define STACK_B (512 * 1024)
#define OTHER_PAGES 128

static unsigned long long stack_map_B[NTHREADS];
/* rs_maps_foreach reads into one static buffer: one thread at a time. */
static pthread_mutex_t maps_lock = PTHREAD_MUTEX_INITIALIZER;

struct find {
   uintptr_t addr, lo, hi, guard_lo;
   int found;
};

static void find_fn(uintptr_t lo, uintptr_t hi, const char *perms, const char *path, void *arg)
{
   struct find *f = arg;
   (void)path;
   if (lo <= f->addr && f->addr < hi) {
      f->lo = lo;
      f->hi = hi;
      f->found = 1;
   }
   if (strncmp(perms, "---p", 4) == 0)
      f->guard_lo = hi;          /* remembered: end of the last PROT_NONE line */
}

static void guard_fn(uintptr_t lo, uintptr_t hi, const char *perms, const char *path, void *arg)
{
   struct find *f = arg;
   (void)path;
   if (hi == f->lo && strncmp(perms, "---p", 4) == 0)
      f->guard_lo = lo;
}

static void *worker(void *arg)
{
   long t = (long)arg;
   int local = 0;
   struct find f;
   memset(&f, 0, sizeof f);
   f.addr = (uintptr_t)&local;
   pthread_mutex_lock(&maps_lock);
   rs_maps_foreach(find_fn, &f);
   if (!f.found) {
      pthread_mutex_unlock(&maps_lock);
      rs_own("thread stack in /proc/self/maps", 0);
      return NULL;
   }
   f.guard_lo = f.lo;
   rs_maps_foreach(guard_fn, &f);
   pthread_mutex_unlock(&maps_lock);
   stack_map_B[t] = f.hi - f.guard_lo;
   return NULL;
}

__attribute__((noinline)) static void start_threads(void)
{
   pthread_t th[NTHREADS];
   pthread_attr_t attr;
   long t;
   pthread_attr_init(&attr);
   pthread_attr_setstacksize(&attr, STACK_B);
   for (t = 0; t < NTHREADS; t++)
      if (pthread_create(&th[t], &attr, worker, (void *)t) != 0)
         rs_own("pthread_create", 0);
   for (t = 0; t < NTHREADS; t++)
      pthread_join(th[t], NULL);
   pthread_attr_destroy(&attr);
}

__attribute__((noinline)) static char *map_other(void)
{
   char *m = mmap(NULL, OTHER_PAGES * RS_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (m == MAP_FAILED) {
      rs_own("mmap", 0);
      exit(1);
   }
   memset(m, 0x66, OTHER_PAGES * RS_PAGE);
   return m;
}

int main(void)
{
   char *small[50], *big[3], *m;
   unsigned long long stacks = 0;
   int i;

   rs_init();
   rs_own("mallopt(M_MMAP_THRESHOLD, 128 KiB)", mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 1);
   for (i = 0; i < 50; i++) {
      small[i] = malloc(3000 + 10 * (size_t)i);
      memset(small[i], 1, 3000);
   }
   for (i = 0; i < 3; i++) {
      big[i] = malloc(200000 * (size_t)(i + 1));
      memset(big[i], 2, 200000);
   }
   m = map_other();
   start_threads();
   for (i = 0; i < 50; i += 2)
      free(small[i]);
   free(big[1]);

   for (i = 0; i < NTHREADS; i++) {
      printf("# thread %d stack mapping: %llu bytes\n", i, stack_map_B[i]);
      rs_own("thread stack mapping >= the stack size asked for", stack_map_B[i] >= STACK_B);
      stacks += stack_map_B[i];
   }
   RSSMASSIF_SNAPSHOT("end");
   printf("expect-field: label=end bytes = %lu ^other\\|.* 0x[0-9A-F]+: map_other \\(\n", OTHER_PAGES * RS_PAGE);
   printf("expect-field: label=end bytes = %llu ^stack\\|.* 0x[0-9A-F]+: start_threads \\(\n", stacks);
   printf("expect-snap: label=end other_B >= %lu\n", OTHER_PAGES * RS_PAGE);
   printf("expect-snap: label=end stack_B >= %llu\n", stacks);
   printf("expect-file: snapshots >= 10\n");
   (void)m;
   return rs_finish();
}
