/*
 * h_stack_overflow: unbounded recursion overflows the main stack; Valgrind
 * reports it and the client dies of SIGSEGV (139).  The final snapshot is
 * written, with the blocks the program held.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Own arithmetic: 33 blocks of 100 bytes before the recursion; the
 * recursion allocates nothing.
 */
#include "rs_client.h"

#define N 33

static int recurse(volatile char *prev, int depth)
{
   volatile char pad[256];
   pad[0] = (char)depth;
   pad[255] = prev ? prev[0] : 0;
   return recurse(pad, depth + 1) + pad[0];
}

int main(void)
{
   static char *p[N];
   struct rssmassif_totals base;
   int i;

   rs_init();
   rs_get(&base);
   for (i = 0; i < N; i++)
      p[i] = calloc(1, 100);
   if (!rs_under_tool)
      return rs_finish();
   rs_expect_final("useful_B", "=", (long long)base.useful_B + N * 100, 0);
   rs_expect_final("blocks", "=", (long long)base.blocks + N, 0);
   printf("ok recursing\n");
   printf("%d\n", recurse(NULL, 0));
   printf("not ok the recursion returned\n");
   return 1;
}
