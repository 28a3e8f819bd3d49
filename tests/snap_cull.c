/*
 * snap_cull: with --max-snapshots=10 --detailed-freq=1 --time-unit=B a
 * program with many allocation events keeps at most 10 snapshots, every one
 * detailed, in time order, with the final one last; the times are the
 * program's own count of bytes allocated plus bytes freed.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ROUNDS rounds each malloc() a block of a size the program chooses, write
 * it and free() it; every 50th round also allocates and frees a large
 * (mmapped) block, so the mapped heap grows and shrinks and peaks are
 * taken.  Two labelled snapshots (RSSMASSIF_SNAPSHOT) are taken at known
 * points.  Every malloc and free is a snapshot opportunity, so the store of
 * 10 fills and is culled many times (to half, see docs/detailed.md).
 *
 * The program counts own_B = sum of requested sizes of its mallocs + sum of
 * the sizes of its frees (Massif's --time-unit=B: bytes allocated and
 * deallocated).  stdout is unbuffered (rs_init), so printf allocates
 * nothing, and the program holds no block at exit, so glibc's freeres at
 * exit frees nothing that the program did not count.
 *
 * Expectations (rs_tree_check, from the vgtest's post: line, which also
 * passes --max-snapshots=10 --all-detailed):
 *   - time_unit: B; final time = own_B; each label's time = own_B at the
 *     moment it was taken;
 *   - snapshots <= 10; >= 6: the store was culled (800+ opportunities), a
 *     cull leaves 5, and the final one is added after it;
 *   - both labels survive culling (labelled snapshots are never culled);
 *   - every snapshot's time <= own_B (times never decrease and the final is
 *     last: rs_tree_check's structural checks).
 */
#include "rs_client.h"

#define ROUNDS 400

static unsigned long long own_B;

__attribute__((noinline)) static void churn(size_t n)
{
   char *p = malloc(n);
   if (!p) {
      rs_own("malloc", 0);
      return;
   }
   memset(p, 1, n);
   own_B += n;
   free(p);
   own_B += n;
}

int main(int argc, char **argv)
{
   unsigned long long at_r100 = 0, at_r300 = 0;
   int r, labels = !(argc > 1 && strcmp(argv[1], "even") == 0);

   rs_init();
   rs_own("mallopt(M_MMAP_THRESHOLD, 128 KiB)", mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 1);
   for (r = 0; r < ROUNDS; r++) {
      churn(1000 + (size_t)(r % 7) * 3000);
      if (!labels)
         continue;
      if (r % 50 == 25)
         churn(300 * 1024 + (size_t)r);
      if (r == 100) {
         RSSMASSIF_SNAPSHOT("r100");
         at_r100 = own_B;
      }
      if (r == 300) {
         RSSMASSIF_SNAPSHOT("r300");
         at_r300 = own_B;
      }
   }
   printf("# own bytes allocated + freed: %llu\n", own_B);
   printf("expect-file: time_unit = B\n");
   printf("expect-snap: final time = %llu\n", own_B);
   printf("expect-snap: every time <= %llu\n", own_B);
   printf("expect-file: snapshots <= 10\n");
   printf("expect-file: snapshots >= 6\n");
   printf("expect-file: peaks = 1\n");
   if (labels) {
      printf("expect-snap: label=r100 time = %llu\n", at_r100);
      printf("expect-snap: label=r300 time = %llu\n", at_r300);
      printf("expect-file: labelled = 2\n");
   } else {
      printf("expect-file: labelled = 0\n");
   }
   rs_expect_final("useful_B", "=", 0, 0);
   rs_expect_final("blocks", "=", 0, 0);
   return rs_finish();
}
