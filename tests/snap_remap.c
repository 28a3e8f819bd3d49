/*
 * snap_remap: realloc of a large (mmapped) block that grows and moves is one
 * mremap(MREMAP_MAYMOVE) system call: the old pages move to the new place,
 * the mapped heap never holds both.  No snapshot may show more mapped heap
 * than the program ever had, and the peak is the largest.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * p (OLD_B) and then q (Q_B) are mmapped chunks (M_MMAP_THRESHOLD fixed at
 * 128 KiB); under Valgrind q is mapped right above p, so realloc(p, NEW_B)
 * cannot grow p in place and glibc's mremap moves it (checked: p2 != p).
 * The program's own mapped large chunks are at most max(c(p) + c(q),
 * c(p') + c(q)) = c(p') + c(q) (c = chunk size = mapping length); the brk
 * heap adds its extent.  Then both are freed.
 *
 * Expectations:
 *   - every snapshot's heap_B (live + dead mapped) <= own maximum + brk
 *     extent + 4 pages;
 *   - exactly one peak, with heap_B >= c(p') + c(q) (taken before the free
 *     of p' unmaps it; rs_tree_check also checks that no snapshot's mapped
 *     heap is above the peak's by more than --peak-inaccuracy).
 * Found with tests/allocfns (its realloc of an mmapped block): a snapshot
 * taken inside the mremap, when the new pages are bound but the old ones
 * not yet unbound, counts the old chunk twice.
 */
#include "rs_client.h"

#define OLD_B 300000
#define Q_B 400000
#define NEW_B 2000000

int main(void)
{
   uintptr_t heap_start;
   unsigned long long own_max, brk_max, tol = RS_TOL_PAGES(4), before;
   char *p, *q, *p2;

   rs_init();
   heap_start = (uintptr_t)sbrk(0);
   rs_own("mallopt(M_MMAP_THRESHOLD, 128 KiB)", mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 1);
   p = malloc(OLD_B);
   q = malloc(Q_B);
   if (!p || !q || !rs_chunk_mmapped(p) || !rs_chunk_mmapped(q)) {
      rs_own("two mmapped chunks", 0);
      return 1;
   }
   memset(p, 1, OLD_B);
   memset(q, 2, Q_B);
   before = rs_chunk_size(p) + rs_chunk_size(q);
   /* Valgrind maps upwards, so q lands right above p (natively the kernel
    * maps downwards and q lands below): either way realloc must move p,
    * which is what the test needs. */
   printf("# q is mapped %s p\n", q > p ? "above" : "below");
   p2 = realloc(p, NEW_B);
   rs_own("realloc moved the chunk", p2 && p2 != p && rs_chunk_mmapped(p2));
   memset(p2, 3, NEW_B);
   own_max = rs_chunk_size(p2) + rs_chunk_size(q);
   if (before > own_max)
      own_max = before;
   brk_max = (uintptr_t)sbrk(0) - heap_start;
   printf("# own mapped large chunks at most %llu bytes; brk extent %llu\n", own_max, brk_max);
   free(p2);
   free(q);
   if ((uintptr_t)sbrk(0) - heap_start > brk_max)
      brk_max = (uintptr_t)sbrk(0) - heap_start;

   printf("expect-snap: every heap_B <= %llu\n", own_max + brk_max + tol);
   printf("expect-file: peaks = 1\n");
   printf("expect-snap: peak heap_B >= %llu\n", own_max);
   rs_expect_final("useful_B", "=", 0, 0);
   return rs_finish();
}
