/*
 * snap_peak: a program that frees after its peak has exactly one
 * heap_tree=peak snapshot, taken before the first free unmapped anything,
 * whose mapped heap holds every large block of the program's own peak.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * NBIG blocks of 1..NBIG MiB (plus a little) are allocated by alloc_big().
 * Each is >= M_MMAP_THRESHOLD (fixed at 128 KiB with mallopt, so glibc's
 * dynamic threshold does not move when the chunks are freed): glibc mmaps one
 * chunk per block and munmaps it on free.  The program's own peak of mapped
 * large blocks is the sum of their chunk sizes (the size field of an mmapped
 * chunk is its mapping's length) while all are live.  Then every block is
 * freed, and one smaller block (KEEP_B) is allocated and kept: the mapped
 * heap never comes back to the peak, so the peak snapshot must be the one
 * taken before the first munmap, not the final one.
 *
 * Expectations (checked by rs_tree_check from the vgtest's post: line):
 *   - exactly one heap_tree=peak snapshot, and it is not the final one;
 *   - its mapped heap (heap_live_B + heap_dead_B) >= the own peak, and at
 *     most the own peak + the brk heap's extent + 4 pages;
 *   - the large blocks are there: the wrapper reports a free to the tool
 *     before glibc's free runs (design.md, section 7), so when the first
 *     free's munmap triggers the peak snapshot, that first block is already
 *     dead but still mapped: heap_dead_B >= its chunk, heap_live_B >= own
 *     peak - its chunk, and the tree's heap_live child naming alloc_big
 *     holds >= own peak - its chunk;
 *   - no snapshot's mapped heap is above the own peak + brk extent + 4 pages.
 */
#include "rs_client.h"

#define NBIG 8
#define MiB (1024UL * 1024UL)
#define KEEP_B (2 * MiB + 300)

static char *big[NBIG];

__attribute__((noinline)) static char *alloc_big(size_t n)
{
   char *p = malloc(n);
   if (p)
      memset(p, 0x5a, n);
   return p;
}

int main(void)
{
   uintptr_t heap_start;
   unsigned long long own_peak = 0, brk_max = 0, tol = RS_TOL_PAGES(4), first = 0;
   char *keep;
   int i;

   rs_init();
   heap_start = (uintptr_t)sbrk(0);
   rs_own("mallopt(M_MMAP_THRESHOLD, 128 KiB)", mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 1);

   for (i = 0; i < NBIG; i++) {
      big[i] = alloc_big((size_t)(i + 1) * MiB + 1000 * (size_t)i);
      if (!big[i] || !rs_chunk_mmapped(big[i])) {
         rs_own("large block is an mmapped chunk", 0);
         return 1;
      }
      own_peak += rs_chunk_size(big[i]);
   }
   if ((uintptr_t)sbrk(0) - heap_start > brk_max)
      brk_max = (uintptr_t)sbrk(0) - heap_start;
   first = rs_chunk_size(big[0]);
   printf("# own peak of large blocks: %llu bytes in %d mmapped chunks\n", own_peak, NBIG);

   for (i = 0; i < NBIG; i++) {
      free(big[i]);
      big[i] = NULL;
   }
   keep = alloc_big(KEEP_B);
   rs_own("kept block is an mmapped chunk", keep && rs_chunk_mmapped(keep));
   if ((uintptr_t)sbrk(0) - heap_start > brk_max)
      brk_max = (uintptr_t)sbrk(0) - heap_start;

   printf("expect-file: peaks = 1\n");
   printf("expect-count: peak = 0 ^#rs: .* exit=1\n");
   printf("expect-snap: peak heap_B >= %llu\n", own_peak);
   printf("expect-snap: peak heap_B <= %llu\n", own_peak + brk_max + tol);
   printf("expect-snap: peak heap_dead_B >= %llu\n", first);
   printf("expect-snap: peak heap_live_B >= %llu\n", own_peak - first);
   printf("expect-field: peak bytes >= %llu ^heap_live\\|  n[0-9]+: [0-9]+ 0x[0-9A-F]+: alloc_big \\(\n",
          own_peak - first);
   printf("expect-snap: every heap_B <= %llu\n", own_peak + brk_max + tol);
   /* at exit: the kept block's chunk is live */
   printf("expect-snap: final heap_live_B >= %llu\n", (unsigned long long)rs_chunk_size(keep));
   rs_expect_final("useful_B", "=", KEEP_B, 0);
   return rs_finish();
}
