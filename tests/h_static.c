/*
 * h_static: a statically linked program.  Valgrind loads no preload into a
 * static executable, so no allocator function can be wrapped (Memcheck,
 * whose malloc replacement is a preload too, reports 0 allocs for such a
 * program).  rssmassif instead hooks the executable's own malloc, free,
 * ... found by symbol (rs_static.c).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The program allocates 300 blocks of 700 bytes in the brk heap and one of
 * 1 MiB (an mmapped chunk), and frees 100 of the small ones.  Own view:
 *   blocks       201 live (200 small + the chunk) more than at the start;
 *   useful       200 * 700 + 2^20 bytes more;
 *   brk extent   sbrk(0) now minus sbrk(0) at start (glibc's main arena
 *                grows the break; the start page is already counted);
 *   chunk        the 1 MiB block's chunk length from glibc's header: the
 *                mmap is made inside malloc, so it is heap, not other.
 * Then it frees everything: back to the starting blocks and bytes.
 */
#include "rs_client.h"

int main(void)
{
   static char *p[300];
   struct rssmassif_totals base, t;
   char *start = sbrk(0), *big;
   long long brk_ext, chunk;
   int i;

   rs_init();
   rs_get(&base);
   for (i = 0; i < 300; i++) {
      p[i] = malloc(700);
      memset(p[i], 1, 700);
   }
   for (i = 0; i < 300; i += 3)
      free(p[i]);
   big = malloc(1 << 20);
   memset(big, 2, 1 << 20);
   rs_own("the 1 MiB block is an mmapped chunk", rs_chunk_mmapped(big));
   chunk = (long long)rs_chunk_size(big);
   brk_ext = (long long)(RS_PAGE_UP((uintptr_t)sbrk(0)) - RS_PAGE_UP((uintptr_t)start));
   rs_own("the brk heap grew", brk_ext > 0);
   if (!rs_under_tool)
      return rs_finish();
   rs_get(&t);
   /* The tool hooks the static program's own malloc/free (rs_static.c):
      200 of the 300 700-byte blocks live, plus the 1 MiB block. */
   rs_eq("blocks seen in a static program", (long long)(t.blocks - base.blocks), 201);
   rs_eq("useful bytes seen", (long long)(t.useful_B - base.useful_B),
         200LL * 700 + (1LL << 20));
   rs_own("heap_live_B > 0", t.heap_live_B > 0);
   /* The brk extent and the mmapped chunk (mapped inside malloc) are heap,
      page for page. */
   rs_near("heap_live_B + heap_dead_B grew by the brk extent and the chunk",
           (long long)(t.heap_live_B + t.heap_dead_B) - (long long)(base.heap_live_B + base.heap_dead_B),
           brk_ext + chunk, 0);
   rs_eq("the 1 MiB chunk is not other", (long long)(t.other_B - base.other_B), 0);
   free(big);
   for (i = 1; i < 300; i++)
      if (i % 3 != 0)
         free(p[i]);
   rs_get(&t);
   rs_eq("all freed: blocks back to the start", (long long)(t.blocks - base.blocks), 0);
   rs_eq("all freed: useful bytes back to the start", (long long)(t.useful_B - base.useful_B), 0);
   printf("ok static program ran to the end\n");
   return rs_finish();
}
