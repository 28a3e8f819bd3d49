/*
 * release_real: the release estimate (release_estimate_B) of a labelled
 * snapshot taken just before the allocator's own release call is within
 * 5 % (+ 8 pages) of what the call then releases, under glibc, jemalloc,
 * tcmalloc and mimalloc (preloaded or linked; the .vgtest files choose).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The release call is found with dlsym in the program's namespace, as the
 * allocator serving malloc defines it: jemalloc's
 * mallctl("arena.4096.purge") (4096 = MALLCTL_ARENAS_ALL), tcmalloc's
 * MallocExtension_ReleaseFreeMemory(), mimalloc's mi_collect(true), else
 * glibc's malloc_trim(0).
 *
 * The heap: NF / 4 blocks of a size mix (48, 100, 1000, 3000, 20000 and
 * 40000 bytes), written whole, then all freed but every 64th.
 * The program's own measure: mincore() over every read-write mapping that
 * holds one of the blocks it allocated (found in /proc/self/maps), just
 * before and just after the release call: released = the pages resident
 * before and not after.  argv[1] `uniform`: all blocks of 1000 bytes;
 * `large`: 64 blocks of 300,000 bytes (tcmalloc gives each a span of its
 * own), every 4th kept; `small`: 32,768 blocks of 24 to 120 bytes (glibc
 * chunks of 32 to 128 bytes, fastbin sizes, the last 7 freed of each in
 * glibc's tcache), every 256th kept; `thread`: the size mix, but a second thread frees
 * every other block and waits, its cache alive, until after the call;
 * `thread_exit`: the same, but the second thread exits before the call
 * (tcmalloc gives its cache's lists to the central lists).
 * argv[2] `tol=PCT`: the tolerance in percent (5 without it), for the
 * shapes docs/allocators.md names as outside 5 %.
 * Under tcmalloc the program also prints how much
 * tcmalloc.pageheap_unmapped_bytes grew (MallocExtension_GetNumericProperty)
 * and requires the pages mincore() saw released to be at most that.
 */
#include "rs_client.h"
#include <dlfcn.h>
#include <stdbool.h>
#include <pthread.h>

#define NF 8192                 /* blocks of the uniform shape */
#define KEEP_EVERY 64
#define MAX_REGIONS 4096

static const size_t mix[6] = { 48, 100, 1000, 3000, 20000, 40000 };
static const size_t uniform[6] = { 1000, 1000, 1000, 1000, 1000, 1000 };
static const size_t slabs[6] = { 100, 100, 100, 100, 100, 100 };
static int keep_every = KEEP_EVERY;
static char *blk[NF * 4];
static uintptr_t region_lo[MAX_REGIONS], region_hi[MAX_REGIONS];
static int n_regions;
static int nf = NF / 4;
static const size_t small[6] = { 24, 40, 56, 72, 88, 120 };
static const size_t large[6] = { 300000, 300000, 300000, 300000, 300000, 300000 };
static int use_thread;                  /* `thread`: a second thread frees */
static pthread_mutex_t go_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go_cond = PTHREAD_COND_INITIALIZER;
static int freed_by_2, may_exit_2;

static uintptr_t map_lo[MAX_REGIONS], map_hi[MAX_REGIONS];
static int n_maps, map_used[MAX_REGIONS];

/* Every read-write mapping. */
static void note_mapping(uintptr_t lo, uintptr_t hi, const char *perms, const char *path, void *arg)
{
   (void)path;
   (void)arg;
   if (perms[0] == 'r' && perms[1] == 'w' && n_maps < MAX_REGIONS) {
      map_lo[n_maps] = lo;
      map_hi[n_maps++] = hi;
   }
}

/* The read-write mappings holding a block become the regions. */
static void find_regions(void)
{
   int i, m;
   rs_maps_foreach(note_mapping, NULL);
   for (i = 0; i < nf; i++)
      for (m = 0; m < n_maps; m++)
         if (map_lo[m] <= (uintptr_t)blk[i] && (uintptr_t)blk[i] < map_hi[m])
            map_used[m] = 1;
   for (m = 0; m < n_maps; m++)
      if (map_used[m]) {
         region_lo[n_regions] = map_lo[m];
         region_hi[n_regions++] = map_hi[m];
      }
}

#define MAX_PAGES (1 << 22)
static unsigned char was_resident[MAX_PAGES];

/* Resident pages of the regions; with `after`, only those that were
 * resident before too (pages the allocator touches meanwhile, e.g. its
 * metadata, are not a release). */
static long resident_regions(int after)
{
   long n = 0, k = 0;
   int i;
   for (i = 0; i < n_regions; i++) {
      uintptr_t a;
      for (a = region_lo[i]; a < region_hi[i]; a += RS_PAGE, k++) {
         long r = rs_resident(a, RS_PAGE, NULL, NULL);
         if (r < 0)
            r = 0;          /* unmapped since (free or the call shrank the brk) */
         if (k >= MAX_PAGES) {
            rs_own("the allocator's mappings fit the page table", 0);
            return n;
         }
         if (!after)
            was_resident[k] = (unsigned char)r;
         n += after ? r && was_resident[k] : r;
      }
   }
   return n;
}

/* Calls the serving allocator's release function; its name. */
static const char *release_now(void)
{
   int (*mallctl)(const char *, void *, size_t *, void *, size_t) =
      (int (*)(const char *, void *, size_t *, void *, size_t))dlsym(RTLD_DEFAULT, "mallctl");
   void (*tc_release)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "MallocExtension_ReleaseFreeMemory");
   void (*mi_collect)(bool) = (void (*)(bool))dlsym(RTLD_DEFAULT, "mi_collect");
   if (mallctl) {
      rs_own("mallctl(arena.4096.purge)", mallctl("arena.4096.purge", NULL, NULL, NULL, 0) == 0);
      return "jemalloc arena.4096.purge";
   }
   if (tc_release) {
      tc_release();
      return "tcmalloc MallocExtension_ReleaseFreeMemory";
   }
   if (mi_collect) {
      mi_collect(true);
      return "mimalloc mi_collect(true)";
   }
   malloc_trim(0);
   return "glibc malloc_trim(0)";
}

/* tcmalloc's counter of unmapped page-heap bytes; -1 without tcmalloc. */
static long long tc_unmapped(void)
{
   int (*get)(const char *, size_t *) =
      (int (*)(const char *, size_t *))dlsym(RTLD_DEFAULT, "MallocExtension_GetNumericProperty");
   size_t v = 0;
   if (get == NULL || !get("tcmalloc.pageheap_unmapped_bytes", &v))
      return -1;
   return (long long)v;
}

/* Should block i be freed, and by the second thread? */
static int freed(int i)
{
   return i % keep_every != 0;
}

/* The second thread: frees the odd blocks, then waits until allowed to
 * exit (its cache stays alive over the release call). */
static void *second(void *arg)
{
   int i;
   (void)arg;
   for (i = 1; i < nf; i += 2)
      if (freed(i))
         free(blk[i]);
   pthread_mutex_lock(&go_lock);
   freed_by_2 = 1;
   pthread_cond_broadcast(&go_cond);
   while (!may_exit_2)
      pthread_cond_wait(&go_cond, &go_lock);
   pthread_mutex_unlock(&go_lock);
   return NULL;
}

static void let_second_exit(pthread_t *th)
{
   pthread_mutex_lock(&go_lock);
   may_exit_2 = 1;
   pthread_cond_broadcast(&go_cond);
   pthread_mutex_unlock(&go_lock);
   rs_own("pthread_join", pthread_join(*th, NULL) == 0);
}

static void free_blocks(pthread_t *th)
{
   int i;
   if (!use_thread) {
      for (i = 0; i < nf; i++)
         if (freed(i))
            free(blk[i]);
      return;
   }
   rs_own("pthread_create", pthread_create(th, NULL, second, NULL) == 0);
   pthread_mutex_lock(&go_lock);
   while (!freed_by_2)
      pthread_cond_wait(&go_cond, &go_lock);
   pthread_mutex_unlock(&go_lock);
   for (i = 0; i < nf; i += 2)
      if (freed(i))
         free(blk[i]);
   if (use_thread == 2)
      let_second_exit(th);
}

int main(int argc, char **argv)
{
   const size_t *sizes = mix;
   long before, after;
   long long released, tol, unmapped0, unmapped1;
   pthread_t th;
   long long tol_pct = 5;
   const char *call;
   int i;

   rs_init();
   if (argc > 1 && strcmp(argv[1], "uniform") == 0)
      sizes = uniform, nf = NF;
   if (argc > 1 && strcmp(argv[1], "slabs") == 0)
      sizes = slabs, nf = NF, keep_every = 256;
   if (argc > 1 && strcmp(argv[1], "small") == 0)
      sizes = small, nf = NF * 4, keep_every = 256;
   if (argc > 1 && strcmp(argv[1], "large") == 0)
      sizes = large, nf = 64, keep_every = 4;
   if (argc > 1 && strcmp(argv[1], "thread") == 0)
      use_thread = 1;
   if (argc > 1 && strcmp(argv[1], "thread_exit") == 0)
      use_thread = 2;
   if (argc > 2 && strncmp(argv[2], "tol=", 4) == 0)
      tol_pct = atoll(argv[2] + 4);
   for (i = 0; i < nf; i++) {
      blk[i] = malloc(sizes[i % 6]);
      memset(blk[i], 0x5a, sizes[i % 6]);
   }
   find_regions();
   free_blocks(&th);

   RSSMASSIF_SNAPSHOT("before_release");
   before = resident_regions(0);
   unmapped0 = tc_unmapped();
   call = release_now();
   unmapped1 = tc_unmapped();
   after = resident_regions(1);
   released = (long long)(before - after) * (long long)RS_PAGE;
   if (unmapped0 >= 0) {
      printf("# tcmalloc.pageheap_unmapped_bytes grew by %lld\n", unmapped1 - unmapped0);
      rs_own("released pages were unmapped by tcmalloc", released <= unmapped1 - unmapped0);
   }
   if (use_thread == 1)
      let_second_exit(&th);
   tol = released * tol_pct / 100 + RS_TOL_PAGES(8);
   printf("# %s: resident %ld pages before, %ld after over %d mappings: released %lld bytes\n",
          call, before, after, n_regions, released);
   printf("expect-snap: label=before_release release_estimate_B >= %lld\n",
          released > tol ? released - tol : 0);
   printf("expect-snap: label=before_release release_estimate_B <= %lld\n", released + tol);
   return rs_finish();
}
