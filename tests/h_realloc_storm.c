/*
 * h_realloc_storm: realloc chains that cross every boundary glibc has --
 * tcache sizes, the brk heap, the mmap threshold (mmapped chunks grown and
 * shrunk by mremap inside realloc), back down to small -- on 64 blocks at
 * once, plus realloc(NULL, n), realloc(p, 0), reallocarray and shrinking
 * in place.  Exact useful_B/blocks after every pass; Memcheck's heap
 * summary for the same program.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Sizes follow a fixed sequence per block (no randomness): 1, 24, 600,
 * 5000, 70000, 200000 (mmapped), 3 MiB (mmapped, mremap), 150000, 900,
 * 8 (down again).  The content is checked after each move (the first
 * bytes written before must survive).
 */
#include "rs_client.h"

#define NBL 64

static const size_t seq[] = { 1, 24, 600, 5000, 70000, 200000, 3 << 20, 150000, 900, 8 };
#define NSEQ (sizeof seq / sizeof seq[0])

int main(void)
{
   static char *b[NBL];
   static size_t sz[NBL];
   struct rssmassif_totals base, t;
   long long useful;
   size_t k;
   int i, bad = 0;
   char lbl[96];

   rs_init();
   free(malloc(1));
   rs_get(&base);
   for (k = 0; k < NSEQ; k++) {
      for (i = 0; i < NBL; i++) {
         size_t n = seq[(k + (size_t)i) % NSEQ] + (size_t)i;
         char *q = (i == 0 && k == 0) ? realloc(NULL, n)
                 : (i % 7 == 0) ? reallocarray(b[i], n, 1) : realloc(b[i], n);
         if (!q) {
            printf("not ok own: realloc to %zu failed\n", n);
            return 1;
         }
         if (b[i] && q[0] != (char)(i + 1))
            bad++;
         b[i] = q;
         sz[i] = n;
         b[i][0] = (char)(i + 1);
         b[i][n - 1] = 1;
      }
      useful = 0;
      for (i = 0; i < NBL; i++)
         useful += (long long)sz[i];
      if (rs_under_tool) {
         rs_get(&t);
         snprintf(lbl, sizeof lbl, "useful after pass %zu", k);
         rs_eq(lbl, (long long)(t.useful_B - base.useful_B), useful);
         snprintf(lbl, sizeof lbl, "blocks after pass %zu", k);
         rs_eq(lbl, (long long)(t.blocks - base.blocks), NBL);
      }
   }
   rs_own("contents survived every move", bad == 0);
   for (i = 0; i < NBL; i += 2) {
      rs_own("realloc(p, 0) returns NULL", realloc(b[i], 0) == NULL);
      b[i] = NULL;
   }
   useful = 0;
   for (i = 1; i < NBL; i += 2)
      useful += (long long)sz[i];
   if (rs_under_tool) {
      rs_expect_final("useful_B", "=", useful, 0);
      rs_expect_final("blocks", "=", NBL / 2, 0);
   }
   return rs_finish();
}
