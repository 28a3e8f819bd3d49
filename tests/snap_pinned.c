/*
 * snap_pinned: pages kept live by one small block each are reported as
 * pinned, with the function that allocated the pinning blocks.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * pin_alloc() allocates NBLK blocks of BLK (200) bytes from the brk heap,
 * about NBLK * 208 / 4096 pages' worth, each written whole.  The program
 * then walks the pages its blocks cover and, on every third page, keeps the
 * first block lying entirely inside that page; every other block is freed.
 * It counts the kept blocks: K pages each hold exactly one live block of
 * 200 bytes (< 512, the default --pinned-threshold) and nothing else live,
 * so each is a pinned page.  The kept blocks stay live to the end.
 *
 * Expectations on the final snapshot:
 *   - `#rs.pinned: pages=` between K and K + 4, useful_B >= K * 200;
 *   - a `#rs.pinned_site:` line whose at= names pin_alloc, with pages >= K;
 *   - heap_live_B = K pages exactly (no other block is live at exit);
 *     useful_B = K * 200, blocks = K.
 *
 * usage: snap_pinned [T]: T is the run's --pinned-threshold (default 512).
 * A page is pinned when its useful bytes are below T, so with T <= 200
 * none of the K pages is (and no other page is live): pinned.pages = 0,
 * threshold_B = T (snap_pinned_threshold.vgtest runs T = 200 and 201).
 */
#include "rs_client.h"

#define BLK 200
#define NBLK 2000

static char *blk[NBLK];
static char keep[NBLK];

__attribute__((noinline)) static char *pin_alloc(void)
{
   char *p = malloc(BLK);
   if (p)
      memset(p, 0x33, BLK);
   return p;
}

int main(int argc, char **argv)
{
   uintptr_t lo = UINTPTR_MAX, hi = 0, pg;
   long k = 0, thr = argc > 1 ? atol(argv[1]) : 512;
   int i;

   rs_init();
   for (i = 0; i < NBLK; i++) {
      blk[i] = pin_alloc();
      if (!blk[i] || rs_chunk_mmapped(blk[i])) {
         rs_own("small block from the brk heap", 0);
         return 1;
      }
      if ((uintptr_t)blk[i] < lo)
         lo = (uintptr_t)blk[i];
      if ((uintptr_t)blk[i] + BLK > hi)
         hi = (uintptr_t)blk[i] + BLK;
   }
   /* On every third page of [lo, hi): keep the first block entirely inside it. */
   for (pg = RS_PAGE_DOWN(lo); pg < hi; pg += 3 * RS_PAGE) {
      for (i = 0; i < NBLK; i++) {
         uintptr_t a = (uintptr_t)blk[i];
         if (RS_PAGE_DOWN(a) == pg && RS_PAGE_DOWN(a + BLK - 1) == pg) {
            keep[i] = 1;
            k++;
            break;
         }
      }
   }
   for (i = 0; i < NBLK; i++)
      if (!keep[i]) {
         free(blk[i]);
         blk[i] = NULL;
      }
   printf("# %d blocks over %lu pages; kept one block on each of %ld pages\n", NBLK,
          (unsigned long)((RS_PAGE_UP(hi) - RS_PAGE_DOWN(lo)) / RS_PAGE), k);
   rs_own("some pages pinned", k >= 10);

   printf("expect-field: final threshold_B = %ld ^#rs\\.pinned:\n", thr);
   if (BLK < thr) {
      printf("expect-snap: final pinned.pages >= %ld\n", k);
      printf("expect-snap: final pinned.pages <= %ld\n", k + 4);
      printf("expect-snap: final pinned.useful_B >= %ld\n", k * BLK);
      printf("expect-field: final pages >= %ld ^#rs\\.pinned_site: .*at=.*: pin_alloc \\(\n", k);
   } else {
      printf("expect-snap: final pinned.pages = 0\n");
   }
   rs_expect_final("heap_live_B", "=", k * (long long)RS_PAGE, 0);
   rs_expect_final("useful_B", "=", k * BLK, 0);
   rs_expect_final("blocks", "=", k, 0);
   return rs_finish();
}
