/*
 * snap_tree_res: resident bytes per tree node (`#rs.tree_res:` lines).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Two allocation sites, each one large block (>= M_MMAP_THRESHOLD, fixed at
 * 128 KiB): glibc mmaps a chunk of its own for each, so each chunk's pages
 * are wholly the block's in the heap_live tree.  half_touched() writes only
 * the first half of its 4 MiB block (the rest stays untouched, not
 * resident); all_touched() writes all of its 2 MiB.  A labelled snapshot is
 * taken, and the program counts each chunk's resident pages itself with
 * mincore right after it.
 *
 * Expectations (rs_tree_check; its structural checks also hold every
 * category's first `#rs.tree_res:` figure to the totals line's X_res_B and
 * every node's to at most its mapped bytes):
 *   - the node naming half_touched, directly below heap_live: mapped bytes
 *     = its chunk's size, resident bytes = the chunk's resident pages;
 *   - the same for all_touched.
 */
#include "rs_client.h"

#define MiB (1024UL * 1024UL)

__attribute__((noinline)) static char *half_touched(void)
{
   char *p = malloc(4 * MiB);
   if (p)
      memset(p, 0x5a, 2 * MiB);
   return p;
}

__attribute__((noinline)) static char *all_touched(void)
{
   char *p = malloc(2 * MiB);
   if (p)
      memset(p, 0x5a, 2 * MiB);
   return p;
}

/* An mmapped chunk's mapping starts 16 bytes below the block. */
static uintptr_t chunk_start(char *p) { return RS_PAGE_DOWN((uintptr_t)p - 16); }

int main(void)
{
   char *half, *all;
   long res_half, res_all;

   rs_init();
   rs_own("mallopt(M_MMAP_THRESHOLD, 128 KiB)", mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 1);
   half = half_touched();
   all = all_touched();
   if (!half || !all || !rs_chunk_mmapped(half) || !rs_chunk_mmapped(all)) {
      rs_own("two mmapped chunks", 0);
      return 1;
   }
   RSSMASSIF_SNAPSHOT("both");
   res_half = rs_resident(chunk_start(half), rs_chunk_size(half), NULL, NULL);
   res_all = rs_resident(chunk_start(all), rs_chunk_size(all), NULL, NULL);
   rs_own("mincore on the chunks", res_half >= 0 && res_all >= 0);
   rs_own("half the big block is not resident",
          res_half > 0 && (size_t)res_half * RS_PAGE < rs_chunk_size(half));
   printf("# resident: half_touched %ld pages of %zu, all_touched %ld of %zu\n",
          res_half, rs_chunk_size(half) / RS_PAGE, res_all, rs_chunk_size(all) / RS_PAGE);

   printf("expect-field: label=both bytes = %zu ^heap_live\\|  n[0-9]+: [0-9]+ 0x[0-9A-F]+: half_touched \\(\n",
          rs_chunk_size(half));
   printf("expect-field: label=both res = %ld ^heap_live\\|  n[0-9]+: [0-9]+ 0x[0-9A-F]+: half_touched \\(\n",
          res_half * (long)RS_PAGE);
   printf("expect-field: label=both bytes = %zu ^heap_live\\|  n[0-9]+: [0-9]+ 0x[0-9A-F]+: all_touched \\(\n",
          rs_chunk_size(all));
   printf("expect-field: label=both res = %ld ^heap_live\\|  n[0-9]+: [0-9]+ 0x[0-9A-F]+: all_touched \\(\n",
          res_all * (long)RS_PAGE);
   free(half);
   free(all);
   return rs_finish();
}
