/*
 * h_invalid_free: free() of pointers malloc never returned.  glibc aborts on
 * the first one it can recognise as invalid; the final snapshot is written.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * argv[1] selects the bad pointer:
 *   mid     a pointer 24 bytes into a live 1000-byte block (misaligned for a
 *           chunk: glibc says "free(): invalid pointer");
 *   static  the address of a static array (glibc: "free(): invalid pointer"
 *           or "munmap_chunk(): invalid pointer", depending on the bytes
 *           before it: both abort).
 * Either way the process dies of SIGABRT (Valgrind exits 134) and no block
 * was freed by the bad call, so the final snapshot holds the program's live
 * blocks: 25 blocks of 1000 bytes, 5 of them freed before (own arithmetic).
 */
#include "rs_client.h"

#define N 25

static char static_area[256] __attribute__((aligned(16)));

int main(int argc, char **argv)
{
   static char *p[N];
   struct rssmassif_totals base;
   long long own_useful = 0, own_blocks = 0;
   const char *mode = argc > 1 ? argv[1] : "mid";
   int i;

   rs_init();
   rs_get(&base);
   for (i = 0; i < N; i++) {
      p[i] = malloc(1000);
      memset(p[i], 1, 1000);
      own_useful += 1000;
      own_blocks++;
   }
   for (i = 0; i < N; i += 5) {
      free(p[i]);
      p[i] = NULL;
      own_useful -= 1000;
      own_blocks--;
   }
   if (!rs_under_tool)
      return rs_finish();
   rs_expect_final("useful_B", "=", (long long)base.useful_B + own_useful, 0);
   rs_expect_final("blocks", "=", (long long)base.blocks + own_blocks, 0);
   printf("ok reached the invalid free (%s)\n", mode);
   /* memset first so that the "chunk header" glibc reads is ours */
   memset(static_area, 0xff, sizeof static_area);
   if (strcmp(mode, "static") == 0)
      free(static_area + 128);
   else
      free(p[1] + 24);
   printf("not ok glibc did not abort on an invalid free\n");
   return 1;
}
