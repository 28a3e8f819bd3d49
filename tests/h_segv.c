/*
 * h_segv: the client dies of SIGSEGV (a write through a wild pointer, after
 * allocating and mapping); the final snapshot is written with the state at
 * death.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Own arithmetic: 64 blocks of 3000 bytes, 16 freed; 10 pages of its own
 * mapping, 3 of them touched (other_B/other_res_B grow by 10 and 3 pages:
 * mincore says so before the crash).  Valgrind exits 128 + 11 = 139.
 */
#include "rs_client.h"

#define N 64

int main(void)
{
   static char *p[N];
   struct rssmassif_totals base;
   long long own_useful = 0, own_blocks = 0;
   volatile char *wild = (volatile char *)16;
   long res;
   char *m;
   int i;

   rs_init();
   rs_get(&base);
   for (i = 0; i < N; i++) {
      p[i] = malloc(3000);
      memset(p[i], 3, 3000);
      own_useful += 3000;
      own_blocks++;
   }
   for (i = 0; i < N; i += 4) {
      free(p[i]);
      own_useful -= 3000;
      own_blocks--;
   }
   m = mmap(NULL, 10 * RS_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (m == MAP_FAILED)
      return 2;
   m[0] = m[4 * RS_PAGE] = m[9 * RS_PAGE] = 1;
   res = rs_resident((uintptr_t)m, 10 * RS_PAGE, NULL, NULL);
   rs_own("mincore: 3 of 10 own pages resident", res == 3);
   if (!rs_under_tool)
      return rs_finish();
   rs_expect_final("useful_B", "=", (long long)base.useful_B + own_useful, 0);
   rs_expect_final("blocks", "=", (long long)base.blocks + own_blocks, 0);
   rs_expect_final("other_B", "=", (long long)base.other_B + 10 * (long long)RS_PAGE, 0);
   rs_expect_final("other_res_B", "=", (long long)base.other_res_B + res * (long long)RS_PAGE, 0);
   printf("ok about to crash\n");
   *wild = 1;
   printf("not ok survived a write to address 16\n");
   return 1;
}
