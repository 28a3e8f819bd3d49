/*
 * res_loader_stack: the loader and stack categories, mapped and resident,
 * against the program's own /proc/self/maps and mincore(), while two
 * threads are alive and after they are joined.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Own view:
 * - loader: every maps line of a file that is the executable or a shared
 *   object (path containing ".so"), plus each anonymous line that starts
 *   where such a line ends (the objects' .bss and ld.so's own pages);
 * - stack: the maps lines holding the main thread's stack (it touches 1 MiB
 *   of it first, so the stack is large and resident) and each thread's
 *   stack (512 KiB mappings, 64 pages touched).
 * Resident = mincore over those lines.  Under the tool the lines of
 * Valgrind's own files are left out (they are not .so files of the client
 * but the tool's executable, or preloads that the tool counts as loader
 * too: vgpreload_*.so are kept).  The tool's figures must agree within 8
 * pages: a few pages the loader maps for itself (a page before the first
 * preload, Valgrind's trampoline page) are in the tool's loader but not
 * found by the own rule.
 */
#include "rs_client.h"
#include <pthread.h>

#define N_THREADS 2
#define THREAD_STACK_B (512 * 1024)
#define THREAD_TOUCH_PAGES 64
#define MAIN_TOUCH_B (1024 * 1024)
#define TOL RS_TOL_PAGES(8)

static char exe_path[4096];
static uintptr_t probe[N_THREADS + 1];   /* an address on each stack */
static pthread_barrier_t ready, done;

struct own { long long loader_B, loader_res_B, stack_B, stack_res_B; uintptr_t last_loader_hi; };

static int is_object(const char *path)
{
   return path[0] == '/' && (strcmp(path, exe_path) == 0 || strstr(path, ".so") != NULL);
}

static void add(long long *mapped, long long *res, uintptr_t lo, uintptr_t hi)
{
   long r = rs_resident(lo, hi - lo, NULL, NULL);
   *mapped += (long long)(hi - lo);
   *res += r < 0 ? 0 : r * (long long)RS_PAGE;
}

static void each(uintptr_t lo, uintptr_t hi, const char *perms, const char *path, void *arg)
{
   struct own *o = arg;
   int i, on_stack = 0;
   (void)perms;
   for (i = 0; i <= N_THREADS; i++)
      on_stack |= probe[i] != 0 && lo <= probe[i] && probe[i] < hi;
   if (on_stack) {
      add(&o->stack_B, &o->stack_res_B, lo, hi);
   } else if (is_object(path) || (path[0] == '\0' && lo == o->last_loader_hi)) {
      add(&o->loader_B, &o->loader_res_B, lo, hi);
      o->last_loader_hi = hi;
      return;
   }
   o->last_loader_hi = 0;
}

static void measure(struct own *o)
{
   memset(o, 0, sizeof *o);
   rs_maps_foreach(each, o);
}

static void touch_stack_pages(size_t pages)
{
   volatile char buf[THREAD_TOUCH_PAGES * RS_PAGE];
   size_t i;
   for (i = 0; i < pages * RS_PAGE; i += RS_PAGE)
      buf[i] = 1;
}

static void *thread_main(void *arg)
{
   volatile char here = 0;
   probe[(intptr_t)arg] = (uintptr_t)&here;
   touch_stack_pages(THREAD_TOUCH_PAGES);
   pthread_barrier_wait(&ready);
   pthread_barrier_wait(&done);
   return NULL;
}

static void compare(const char *when, const struct own *o, const struct rssmassif_totals *t)
{
   char what[128];
   snprintf(what, sizeof what, "%s: loader_B", when);
   rs_near(what, (long long)t->loader_B, o->loader_B, TOL);
   snprintf(what, sizeof what, "%s: loader_res_B", when);
   rs_near(what, (long long)t->loader_res_B, o->loader_res_B, TOL);
   snprintf(what, sizeof what, "%s: stack_B", when);
   rs_near(what, (long long)t->stack_B, o->stack_B, TOL);
   snprintf(what, sizeof what, "%s: stack_res_B", when);
   rs_near(what, (long long)t->stack_res_B, o->stack_res_B, TOL);
}

/* Touches MAIN_TOUCH_B of the main stack, below this frame. */
static __attribute__((noinline)) void grow_main_stack(void)
{
   volatile char big[MAIN_TOUCH_B];
   size_t i;
   for (i = 0; i < sizeof big; i += RS_PAGE)
      big[i] = 1;
}

int main(void)
{
   pthread_t th[N_THREADS];
   pthread_attr_t attr;
   struct rssmassif_totals t;
   struct own o;
   long long stack_alive_B;
   volatile char here = 0;
   intptr_t i;
   ssize_t n;

   rs_init();
   n = readlink("/proc/self/exe", exe_path, sizeof exe_path - 1);
   exe_path[n > 0 ? n : 0] = '\0';
   probe[N_THREADS] = (uintptr_t)&here;
   grow_main_stack();

   measure(&o);
   printf("# own: alone loader %lld/%lld stack %lld/%lld\n", o.loader_B, o.loader_res_B,
          o.stack_B, o.stack_res_B);
   rs_own("the main stack holds >= 1 MiB resident", o.stack_res_B >= MAIN_TOUCH_B);
   rs_own("the loader has resident pages", o.loader_res_B > 0);
   if (rs_get(&t))
      compare("main thread alone", &o, &t);

   pthread_barrier_init(&ready, NULL, N_THREADS + 1);
   pthread_barrier_init(&done, NULL, N_THREADS + 1);
   pthread_attr_init(&attr);
   pthread_attr_setstacksize(&attr, THREAD_STACK_B);
   for (i = 0; i < N_THREADS; i++)
      pthread_create(&th[i], &attr, thread_main, (void *)i);
   pthread_barrier_wait(&ready);
   measure(&o);
   printf("# own: threads loader %lld/%lld stack %lld/%lld\n", o.loader_B, o.loader_res_B,
          o.stack_B, o.stack_res_B);
   rs_own("the threads add >= 2 x 64 resident stack pages",
          o.stack_res_B >= MAIN_TOUCH_B + N_THREADS * THREAD_TOUCH_PAGES * (long long)RS_PAGE);
   if (rs_get(&t))
      compare("two threads alive", &o, &t);
   pthread_barrier_wait(&done);
   for (i = 0; i < N_THREADS; i++)
      pthread_join(th[i], NULL);

   /* At exit (the program's own exit state, before Valgrind's freeres):
      the loader as now; the stack at least the main thread's and the two
      joined threads', which glibc keeps mapped (its stack cache).  Their
      lines stay stack lines here: by the adjacency rule a cached stack
      placed right after a library would otherwise count as loader. */
   stack_alive_B = o.stack_B;
   measure(&o);
   rs_own("the joined threads' stacks stay mapped (glibc's stack cache)",
          o.stack_B >= stack_alive_B);
   rs_expect_final("loader_res_B", "~", o.loader_res_B, TOL);
   rs_expect_final("stack_res_B", ">=", o.stack_res_B - TOL, 0);
   rs_expect_final("stack_cached_n", "=", N_THREADS, 0);
   return rs_finish();
}
