/*
 * h_malloc0: zero-byte requests.  Each successful one is a block of 0
 * useful bytes that touches no page; realloc(p, 0) frees p (glibc).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * malloc(0) x 100, calloc(0, 8) x 50, calloc(8, 0) x 50, realloc(NULL, 0)
 * x 20, memalign(64, 0) x 10, aligned_alloc(256, 0) x 10,
 * posix_memalign(&q, 32, 0) x 10, then realloc(p, 0) of 30 of the malloc(0)
 * blocks (glibc 2.36 frees p and returns NULL) and realloc(p, 0) of a
 * 500-byte block, free() of 40 more.  Own arithmetic: blocks live, 0
 * useful bytes.  The zero-byte blocks own no page, so heap_live_B is not
 * larger with them than without: it is compared to the page count of the
 * one 100-byte block kept (its pages) -- at most 2 pages live.
 * Memcheck's heap summary for the same program is the other oracle.
 */
#include "rs_client.h"

#define N 250

int main(void)
{
   static void *z[N];
   struct rssmassif_totals base, t;
   long long blocks = 0;
   int i, n = 0;
   char *p, *hundred;

   rs_init();
   free(malloc(1));
   rs_get(&base);
   for (i = 0; i < 100; i++) z[n++] = malloc(0);
   for (i = 0; i < 50; i++) z[n++] = calloc(0, 8);
   for (i = 0; i < 50; i++) z[n++] = calloc(8, 0);
   for (i = 0; i < 20; i++) z[n++] = realloc(NULL, 0);
   for (i = 0; i < 10; i++) z[n++] = memalign(64, 0);
   for (i = 0; i < 10; i++) z[n++] = aligned_alloc(256, 0);
   for (i = 0; i < 10; i++) {
      void *q = NULL;
      if (posix_memalign(&q, 32, 0) == 0)
         z[n++] = q;
   }
   for (i = 0; i < n; i++)
      if (z[i])
         blocks++;
   rs_own("every zero-byte request returned a pointer", blocks == N);
   if (rs_under_tool) {
      rs_get(&t);
      rs_eq("blocks after 250 zero-byte requests", (long long)(t.blocks - base.blocks), blocks);
      rs_eq("useful after 250 zero-byte requests", (long long)(t.useful_B - base.useful_B), 0);
      rs_le("heap_live_B: zero-byte blocks own no page", (long long)t.heap_live_B,
            (long long)base.heap_live_B);
   }
   for (i = 0; i < 30; i++) {
      void *r = realloc(z[i], 0);
      rs_own("realloc(p, 0) returns NULL (and frees p)", r == NULL);
      z[i] = NULL;
      blocks--;
   }
   p = malloc(500);
   memset(p, 1, 500);
   p = realloc(p, 0);
   rs_own("realloc(500-byte block, 0) returns NULL", p == NULL);
   for (i = 30; i < 70; i++) {
      free(z[i]);
      z[i] = NULL;
      blocks--;
   }
   hundred = malloc(100);
   memset(hundred, 2, 100);
   if (rs_under_tool) {
      rs_get(&t);
      rs_eq("blocks after the reallocs to 0 and frees", (long long)(t.blocks - base.blocks), blocks + 1);
      rs_eq("useful after the reallocs to 0 and frees", (long long)(t.useful_B - base.useful_B), 100);
      rs_le("heap_live_B: the 100-byte block's pages at most",
            (long long)(t.heap_live_B - base.heap_live_B), 2 * (long long)RS_PAGE);
      rs_expect_final("useful_B", "=", 100, 0);
      rs_expect_final("blocks", "=", blocks + 1, 0);
   }
   return rs_finish();
}
