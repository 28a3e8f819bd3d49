/*
 * h_double_free: glibc aborts the client on a double free; the tool must
 * still write its final snapshot (exit=1) with the state at the abort.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The program allocates 40 blocks of 200 bytes (tcache-sized), frees 10 of
 * them, then frees one of those again.  glibc (2.36) detects the double free
 * in its tcache ("free(): double free detected in tcache 2") and calls
 * abort(): the process dies of SIGABRT, so Valgrind exits with 128 + 6 = 134.
 * glibc's freeres does not run on a fatal signal, and stdout is unbuffered,
 * so the final snapshot holds exactly the program's 30 live blocks on top of
 * what libc held at start (the base read with RSSMASSIF_GET_TOTALS).
 * Expected values: the program's own arithmetic.
 */
#include "rs_client.h"

#define N 40

int main(void)
{
   static char *p[N];
   struct rssmassif_totals base;
   long long own_useful = 0, own_blocks = 0;
   int i;

   rs_init();
   rs_get(&base);
   for (i = 0; i < N; i++) {
      p[i] = malloc(200);
      memset(p[i], i, 200);
      own_useful += 200;
      own_blocks++;
   }
   for (i = 0; i < N; i += 4) {
      free(p[i]);
      own_useful -= 200;
      own_blocks--;
   }
   if (!rs_under_tool)
      return rs_finish();     /* natively: don't abort, just say so */
   rs_expect_final("useful_B", "=", (long long)base.useful_B + own_useful, 0);
   rs_expect_final("blocks", "=", (long long)base.blocks + own_blocks, 0);
   printf("ok reached the double free\n");
   free(p[8]);                /* second free of p[8]: glibc aborts */
   printf("not ok glibc did not abort on a double free\n");
   return 1;
}
