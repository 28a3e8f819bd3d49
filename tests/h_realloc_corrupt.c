/*
 * h_realloc_corrupt: realloc() of a live block whose chunk header the
 * program has smashed.  glibc aborts inside realloc ("realloc(): invalid
 * old size" or "realloc(): invalid pointer"); the block was live when the
 * process died and must still be counted in the final snapshot.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The tool hears of a realloc in two halves (before and after the real
 * realloc); here the second half never comes.  Own arithmetic: 12 blocks of
 * 300 bytes stay live, among them the one whose header was smashed; SIGABRT
 * makes Valgrind exit 134.
 */
#include "rs_client.h"

#define N 12

int main(void)
{
   static char *p[N];
   struct rssmassif_totals base;
   long long own_useful = 0, own_blocks = 0;
   int i;

   rs_init();
   rs_get(&base);
   for (i = 0; i < N; i++) {
      p[i] = malloc(300);
      memset(p[i], 2, 300);
      own_useful += 300;
      own_blocks++;
   }
   if (!rs_under_tool)
      return rs_finish();
   rs_expect_final("useful_B", "=", (long long)base.useful_B + own_useful, 0);
   rs_expect_final("blocks", "=", (long long)base.blocks + own_blocks, 0);
   printf("ok reached the realloc of a smashed block\n");
   /* size field: a huge value with no flag bits, not a multiple of 16 */
   ((size_t *)p[5])[-1] = (size_t)0x7ffffffffff8;
   p[5] = realloc(p[5], 5000);
   printf("not ok glibc did not abort on a smashed chunk header\n");
   return 1;
}
