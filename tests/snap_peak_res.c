/*
 * snap_peak_res: the peak snapshot taken when a heap mapping in the middle
 * of other mappings is unmapped still reads the residency of the mappings
 * above it.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Three large blocks (>= M_MMAP_THRESHOLD, fixed at 128 KiB) are three
 * mmapped chunks, placed next to each other (checked: the program stops if
 * they are not adjacent; natively each new one lands below the last, under
 * Valgrind above it).
 * All their pages are written.  Then the middle one is freed: glibc
 * munmaps it, and the tool takes the peak snapshot from the munmap event,
 * which the core reports after the kernel has unmapped the chunk, while the
 * tool's map still holds it.  The tool reads the three chunks' residency as
 * one run; mincore fails on the hole and the run is read again piece by
 * piece: the hole is free space that ends where the next chunk starts.
 *
 * Expectation (rs_tree_check): the peak snapshot's heap_live_res_B holds at
 * least the resident pages of the two chunks still live, as the program
 * counts them itself with mincore right after the free.  (A reader that
 * takes the hole to run to the end of the range reads the upper chunk as not
 * resident: heap_live_res_B falls short by that chunk.)
 */
#include "rs_client.h"

#define MiB (1024UL * 1024UL)
#define BIG_B (2 * MiB)

__attribute__((noinline)) static char *alloc_big(size_t n)
{
   char *p = malloc(n);
   if (p)
      memset(p, 0x5a, n);
   return p;
}

/* The chunk of an mmapped block: its mapping, from the chunk header. */
static uintptr_t chunk_start(char *p) { return RS_PAGE_DOWN((uintptr_t)p - 16); }

int main(void)
{
   char *b[3], *t;
   size_t len[3];
   long res_top, res_low;
   int i, j;

   rs_init();
   rs_own("mallopt(M_MMAP_THRESHOLD, 128 KiB)", mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 1);
   for (i = 0; i < 3; i++) {
      b[i] = alloc_big(BIG_B);
      if (!b[i] || !rs_chunk_mmapped(b[i])) {
         rs_own("three mmapped chunks", 0);
         return 1;
      }
   }
   for (i = 0; i < 3; i++)          /* by address: natively the kernel maps */
      for (j = i + 1; j < 3; j++)   /* downwards, Valgrind upwards          */
         if (b[j] < b[i]) {
            t = b[i]; b[i] = b[j]; b[j] = t;
         }
   for (i = 0; i < 3; i++)
      len[i] = rs_chunk_size(b[i]);
   if (chunk_start(b[0]) + len[0] != chunk_start(b[1])
       || chunk_start(b[1]) + len[1] != chunk_start(b[2])) {
      rs_own("the chunks are adjacent", 0);
      return 1;
   }
   rs_own("the chunks are adjacent", 1);

   free(b[1]);                    /* munmap in the middle: the peak snapshot */
   res_low = rs_resident(chunk_start(b[0]), len[0], NULL, NULL);
   res_top = rs_resident(chunk_start(b[2]), len[2], NULL, NULL);
   rs_own("mincore on the live chunks", res_top >= 0 && res_low >= 0);
   printf("# resident pages: low %ld of %zu, top %ld of %zu\n", res_low,
          len[0] / RS_PAGE, res_top, len[2] / RS_PAGE);

   printf("expect-file: peaks = 1\n");
   printf("expect-count: peak = 0 ^#rs: .* exit=1\n");
   printf("expect-snap: peak heap_live_B >= %llu\n",
          (unsigned long long)(len[0] + len[2]));
   printf("expect-snap: peak heap_live_res_B >= %llu\n",
          (unsigned long long)(res_top + res_low) * RS_PAGE);
   free(b[0]);
   free(b[2]);
   return rs_finish();
}
