/*
 * mmap_drift: glibc's dynamic mmap threshold is explained (issue 11, part 4).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A 1 MiB block is above glibc's initial mmap threshold (128 KiB): glibc
 * mmaps it.  free() of an mmapped chunk larger than the threshold and at
 * most DEFAULT_MMAP_THRESHOLD_MAX (32 MiB) raises the threshold to that
 * chunk's size (glibc 2.36 malloc.c, __libc_free).  Then NL blocks of
 * 200..900 KiB come from the heap instead of mappings of their own, and a
 * 2 MiB block (above the new threshold) is mmapped again.
 *
 * Own view: the threshold = the freed chunk's size from its glibc header
 * (read before the free); the later blocks' place from their headers
 * (IS_MMAPPED bit) and mallinfo2().hblkhd; their bytes by arithmetic.
 * `measure:` is compared by the .vgtest with the native run.
 *
 * With argument "mallopt" the program first fixes the threshold with
 * mallopt(M_MMAP_THRESHOLD, 128 KiB): glibc then never raises it, the later
 * blocks are mmapped, and the tool must not report a raise.
 */
#include "rs_client.h"

#define KIB 1024UL
#define MIB (1024UL * KIB)
#define NL 6

int main(int argc, char **argv)
{
   int fixed = argc > 1 && strcmp(argv[1], "mallopt") == 0, i;
   char *first, *later[NL], *big, *small[4];
   size_t chunk_B;
   long long later_heap_B = 0, later_heap_n = 0;
   struct mallinfo2 mi;

   rs_init();
   if (fixed)
      rs_own("mallopt(M_MMAP_THRESHOLD, 128 KiB)", mallopt(M_MMAP_THRESHOLD, 128 * KIB) == 1);
   first = malloc(MIB);
   memset(first, 'f', MIB);
   rs_own("the 1 MiB block is mmapped", rs_chunk_mmapped(first));
   chunk_B = rs_chunk_size(first);
   rs_own("its chunk is at most 32 MiB (glibc raises the threshold to it)",
          chunk_B <= 32 * MIB);
   free(first);

   for (i = 0; i < 4; i++) {
      small[i] = malloc(1000);
      memset(small[i], 's', 1000);
   }
   for (i = 0; i < NL; i++) {
      size_t n = 200 * KIB + (size_t)i * 140 * KIB;
      later[i] = malloc(n);
      memset(later[i], 'l', n);
      if (!rs_chunk_mmapped(later[i])) {
         later_heap_B += (long long)n;
         later_heap_n++;
      }
   }
   big = malloc(2 * MIB);
   memset(big, 'b', 2 * MIB);
   rs_own("the 2 MiB block (above any threshold here) is mmapped", rs_chunk_mmapped(big));
   mi = mallinfo2();
   if (fixed) {
      rs_own("fixed threshold: every later block is mmapped", later_heap_n == 0);
   } else {
      rs_own("raised threshold: every later block comes from the heap", later_heap_n == NL);
      rs_own("only the 2 MiB chunk is mmapped (mallinfo2().hblkhd)",
             mi.hblkhd == rs_chunk_size(big));
   }
   printf("measure: threshold=%zu later_heap_B=%lld later_heap_blocks=%lld\n",
          fixed ? (size_t)(128 * KIB) : chunk_B, later_heap_B, later_heap_n);
   if (!fixed) {
      rs_expect_final("mmap_threshold_B", "=", (long long)chunk_B, 0);
      rs_expect_final("mmap_later_heap_B", "=", later_heap_B, 0);
      rs_expect_final("mmap_later_heap_blocks", "=", later_heap_n, 0);
   }
   rs_expect_final("useful_B", ">=", later_heap_B + 2 * (long long)MIB + 4000, 0);
   return rs_finish();
}
