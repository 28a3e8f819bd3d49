/*
 * signal_exit: the final snapshot (exit=1) is written also when the client
 * dies from a signal, and it reflects the state at death.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The program allocates 50 blocks of 1000 bytes, frees 20, maps 6 pages of
 * its own, prints what it holds as expect-final lines, then kills itself
 * with SIGTERM (no core file).  glibc's freeres does not run on a fatal
 * signal, but stdout is unbuffered, so libc holds no block: the final
 * useful_B and blocks are exactly the program's.  Valgrind's exit status is
 * 128 + SIGTERM = 143.
 */
#include "rs_client.h"

#include <signal.h>

#define N 50

int main(void)
{
   static char *p[N];
   long long own_useful = 0, own_blocks = 0;
   struct rssmassif_totals base, t;
   char *m;
   int i;

   rs_init();
   rs_get(&base);
   for (i = 0; i < N; i++) {
      p[i] = malloc(1000);
      memset(p[i], 'x', 1000);
      own_useful += 1000;
      own_blocks++;
   }
   for (i = 0; i < N; i += 5) {
      free(p[i]);
      free(p[i + 1]);
      own_useful -= 2000;
      own_blocks -= 2;
   }
   m = mmap(NULL, 6 * RS_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (m == MAP_FAILED)
      return 1;
   m[0] = 1;
   if (rs_under_tool) {
      rs_get(&t);
      rs_eq("useful before the signal", (long long)(t.useful_B - base.useful_B), own_useful);
      rs_eq("blocks before the signal", (long long)(t.blocks - base.blocks), own_blocks);
      rs_expect_final("other_B", "=", (long long)base.other_B + 6 * (long long)RS_PAGE, 0);
      rs_expect_final("other_res_B", "=", (long long)base.other_res_B + (long long)RS_PAGE, 0);
      rs_expect_final("useful_B", "=", (long long)base.useful_B + own_useful, 0);
      rs_expect_final("blocks", "=", (long long)base.blocks + own_blocks, 0);
      raise(SIGTERM);
      printf("not ok still alive after SIGTERM\n");
      return 1;
   }
   /* natively: exit normally so that `ok native run` means something */
   return rs_finish();
}
