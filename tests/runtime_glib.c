/*
 * runtime_glib: GLib's slice allocator (g_slice_alloc, GLib 2.74 as in
 * Debian 12) and the glib_slice hint.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * usage: runtime_glib slab|malloc   (the run's environment: G_SLICE set to
 *        the empty string, which keeps GLib's slabs under Valgrind, or
 *        unset: GLib built with Valgrind support then mallocs each slice,
 *        as G_SLICE=always-malloc)
 *
 * N slices of SZ bytes stay live to the end.
 *   slab:   they sit in slabs (heap blocks of a page or more): the final
 *           snapshot has a glib_slice hint holding at least N * SZ bytes
 *           (runtime_glib_slab.vgtest's post: command) and fewer than N
 *           blocks in all.
 *   malloc: each slice is a g_malloc block: at least N blocks of live
 *           heap holding N * SZ bytes, no hint.
 */
#include "rs_client.h"
#include <glib.h>

#define N  20000
#define SZ 48

int main(int argc, char **argv)
{
   const char *mode = argc > 1 ? argv[1] : "malloc";
   static void *keep[N];
   int i;

   rs_init();
   for (i = 0; i < N; i++) {
      keep[i] = g_slice_alloc(SZ);
      memset(keep[i], 0x11, SZ);
   }
   printf("slices_B=%d\n", N * SZ);
   rs_expect_final("useful_B", ">=", (long long)N * SZ, 0);
   if (strcmp(mode, "slab") == 0)
      rs_expect_final("blocks", "<=", N - 1, 0);
   else
      rs_expect_final("blocks", ">=", N, 0);
   fflush(stdout);
   return rs_finish();
}
