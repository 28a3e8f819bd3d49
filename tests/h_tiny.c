/*
 * h_tiny: a million zero- and one-byte blocks, all live at once, then
 * freed in a scattered order.  Exact counts all along; fast enough for the
 * suite (a few seconds under the tool).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * 500,000 malloc(0) and 500,000 malloc(1), interleaved.  Own arithmetic:
 * blocks and useful bytes after allocating, after freeing every third one,
 * and at exit (1000 one-byte blocks kept).  Each chunk is 32 bytes in
 * glibc, so the heap is ~32 MB: past Valgrind's 8 MB brk limit, glibc's
 * main arena continues in mmapped segments (heap too).  The own view of
 * the mapped heap is mallinfo2(): arena + hblkhd; the tool's heap mapping
 * (heap_live_B + heap_dead_B) must cover it and stay within 1 % of it plus
 * the 132 KiB top pad glibc adds to each extension.
 */
#include "rs_client.h"

#define N 1000000

static char *b[N];

int main(void)
{
   struct rssmassif_totals base, t;
   struct mallinfo2 mi;
   long long blocks = 0, useful = 0;
   int i;

   rs_init();
   free(malloc(1));
   rs_get(&base);
   for (i = 0; i < N; i++) {
      b[i] = malloc(i & 1);
      blocks++;
      useful += i & 1;
   }
   mi = mallinfo2();
   if (rs_under_tool) {
      long long own_heap = (long long)(mi.arena + mi.hblkhd);
      rs_get(&t);
      rs_eq("blocks with a million tiny blocks", (long long)(t.blocks - base.blocks), blocks);
      rs_eq("useful with a million tiny blocks", (long long)(t.useful_B - base.useful_B), useful);
      rs_ge("mapped heap covers mallinfo2 arena+hblkhd", (long long)(t.heap_live_B + t.heap_dead_B), own_heap);
      rs_pct("mapped heap ~ mallinfo2 arena+hblkhd (1 %)", (long long)(t.heap_live_B + t.heap_dead_B),
             own_heap, 1.0);
   }
   for (i = 0; i < N; i += 3) {
      free(b[i]);
      b[i] = NULL;
      blocks--;
      useful -= i & 1;
   }
   if (rs_under_tool) {
      rs_get(&t);
      rs_eq("blocks after freeing every third", (long long)(t.blocks - base.blocks), blocks);
      rs_eq("useful after freeing every third", (long long)(t.useful_B - base.useful_B), useful);
   }
   for (i = N - 1; i >= 0; i--) {
      if (b[i] && !(i < 3000 && (i & 1) && i % 3 != 0)) {
         free(b[i]);
         b[i] = NULL;
      }
   }
   blocks = useful = 0;
   for (i = 0; i < N; i++)
      if (b[i]) {
         blocks++;
         useful += i & 1;
      }
   if (rs_under_tool) {
      rs_expect_final("blocks", "=", blocks, 0);
      rs_expect_final("useful_B", "=", useful, 0);
   }
   printf("ok %lld tiny blocks kept\n", blocks);
   return rs_finish();
}
