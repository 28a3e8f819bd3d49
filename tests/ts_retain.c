/*
 * ts_retain: a program that retains megabytes (freed, still mapped and
 * resident) for the --max-retained / --max-retained-pct tests.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * usage: ts_retain [STATUS [trim]]
 *   2000 blocks of 4000 bytes are written and freed; a 64-byte block
 *   allocated last stays live at the top of the brk heap, so free() cannot
 *   give the 8 MB back: they are retained.  The program checks that with
 *   its own view (mincore() over [initial break, sbrk(0)) minus the pages of
 *   its live block), takes a labelled snapshot `retained`, and exits with
 *   STATUS (default 0).  With `trim`, malloc_trim(0) then gives the pages
 *   back before exit (checked with mincore()): only the labelled snapshot
 *   breaches a limit, not the exit.
 */
#include "rs_client.h"

#define N 2000
#define BSZ 4000

static char *ptr[N + 1];
static size_t size[N + 1];

static long long own_retained(uintptr_t heap_start)
{
   struct rs_heap_view v;
   rs_heap_view(&v, ptr, size, N + 1, heap_start, (uintptr_t)sbrk(0), NULL, NULL, 0);
   rs_heap_print("own", &v);
   return v.dead_res;
}

int main(int argc, char **argv)
{
   int i, status = argc > 1 ? atoi(argv[1]) : 0;
   int trim = argc > 2 && strcmp(argv[2], "trim") == 0;
   uintptr_t heap_start;
   long long r;

   rs_init();
   heap_start = (uintptr_t)sbrk(0);
   for (i = 0; i < N; i++) {
      ptr[i] = malloc(BSZ);
      size[i] = BSZ;
      memset(ptr[i], 'x', BSZ);
   }
   ptr[N] = malloc(64);   /* the trim blocker */
   size[N] = 64;
   memset(ptr[N], 'b', 64);
   for (i = 0; i < N; i++) {
      free(ptr[i]);
      ptr[i] = NULL;
   }
   r = own_retained(heap_start);
   rs_own("own view: >= 6 MB retained after free", r >= 6000000);
   RSSMASSIF_SNAPSHOT("retained");
   if (trim) {
      rs_own("malloc_trim(0) released memory", malloc_trim(0) == 1);
      r = own_retained(heap_start);
      rs_own("own view: < 64 KiB retained after malloc_trim(0)", r < 65536);
      rs_expect_final("heap_dead_res_B", "<=", r + RS_TOL_PAGES(4), 0);
   } else {
      rs_expect_final("heap_dead_res_B", ">=", r - RS_TOL_PAGES(4), 0);
   }
   free(ptr[N]);  /* freed after the checks, at the top: retained stays */
   ptr[N] = NULL;
   rs_finish();
   return status;
}
