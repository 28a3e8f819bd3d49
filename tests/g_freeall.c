/*
 * g_freeall: golden-output test of rs_print's report (g_freeall.report.exp)
 * for a program that frees everything it allocated: with the trim threshold
 * raised, free() gives nothing back, and nothing blocks malloc_trim(0).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Layout (checked by the program, which prints `not ok` if it does not hold):
 *   mallopt: mmap threshold 32 MiB, top pad 0, trim threshold 1 GiB.  A
 *   probe block and a filler make the next chunk start on a page boundary
 *   ("page 0" = the probe's page);
 *   pages 1..1024: NBIG=4 blocks of 1 MiB - 16 bytes (chunks of 1 MiB),
 *                  written;
 *   page 1025:     a 64-byte block (chunk of 80 bytes at its start), then
 *                  the top chunk; the heap ends with page 1025 (1,026
 *                  pages, checked with sbrk(0)), every page resident
 *                  (mincore()).
 *   Then the big blocks, the 64-byte block, the filler and the probe are
 *   freed: nothing is live.
 * Numbers checked by the golden report (the others are masked by
 * tests/filter_report):
 *   useful bytes 0 in 0 blocks; live heap 0;
 *   freed heap = the 1,026 heap pages = 4,202,496 bytes, all resident:
 *     retained 4,202,496 (4.01 MiB, 1,026 pages), released 0;
 *   trim estimate: all but page 0 (glibc's tcache struct): 4,198,400; no trim blocker, no pinned page;
 *   retained pages by the last block freed on them: pages 1..1024 at the big
 *     malloc's line (4,194,304), page 0 at the probe's line (4,096; freed
 *     last), page 1025 at the 64-byte block's line (4,096);
 *   main arena: mapped 4,202,496, live 0, freed and retained 4,202,496.
 */
#include "rs_client.h"

#define NBIG 4
#define BIG_REQ (1024 * 1024 - 16)
#define HEAP_PAGES 1026

static char *big[NBIG];

int main(void)
{
   char *probe, *filler, *blocker;
   uintptr_t page0, chunk, end;
   long res;
   int i;

   rs_init();
   mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
   mallopt(M_TOP_PAD, 0);
   mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
   probe = malloc(16);
   page0 = RS_PAGE_DOWN(probe);
   chunk = (uintptr_t)probe - 16 + 32;               /* the next chunk */
   filler = malloc(RS_PAGE_UP(chunk) - chunk - 16);
   memset(filler, 0, RS_PAGE_UP(chunk) - chunk - 16);
   for (i = 0; i < NBIG; i++) {
      big[i] = malloc(BIG_REQ);
      memset(big[i], 1, BIG_REQ);
   }
   blocker = malloc(64);
   memset(blocker, 2, 64);
   for (i = 0; i < NBIG; i++)
      free(big[i]);
   free(blocker);
   free(filler);
   free(probe);

   end = (uintptr_t)sbrk(0);
   if ((uintptr_t)big[0] - 16 != page0 + RS_PAGE)
      printf("not ok layout: big[0] not at page 1\n");
   else if ((uintptr_t)blocker - 16 != page0 + 1025 * RS_PAGE)
      printf("not ok layout: the blocker not at page 1025\n");
   else if (end != page0 + HEAP_PAGES * RS_PAGE)
      printf("not ok layout: heap ends at page %ld, expected %d\n", (long)((end - page0) / RS_PAGE), HEAP_PAGES);
   else if ((res = rs_resident(page0, end - page0, NULL, NULL)) != HEAP_PAGES)
      printf("not ok layout: %ld of %d heap pages resident\n", res, HEAP_PAGES);
   else
      printf("ok layout: %d heap pages, all resident\n", HEAP_PAGES);
   printf("expect-final: useful_B = 0\n");
   printf("expect-final: heap_dead_res_B = %lu\n", HEAP_PAGES * RS_PAGE);
   return 0;
}
