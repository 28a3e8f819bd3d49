/*
 * g_peak: golden-output test of rs_print's report (g_peak.report.exp) with a
 * peak that is not the exit snapshot: the heap grows to 1,026 pages, then
 * every free of a big block trims the top, down to 2 pages at exit.  The
 * report's "At the peak" answer is checked, not masked.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Layout (as g_freeall.c, checked by the program, which prints `not ok` if
 * it does not hold): mmap threshold 32 MiB, top pad 0, trim threshold
 * 64 KiB.  A probe block and a filler fill page 0 ("page 0" = the probe's
 * page); pages 1..1024 hold NBIG=4 blocks of 1 MiB - 16 bytes (chunks of
 * 1 MiB), page 1025 the top chunk (sbrk grew the heap by whole pages).
 * Then big[3], big[2], big[1], big[0] are freed: each joins the top, which
 * is then above the trim threshold, and free() gives all of the top back
 * but one page (glibc's systrim keeps top_size - ALIGN_DOWN(top_size -
 * MINSIZE - 1, page) = 1 page of a top of whole pages).  (A small block
 * freed between big[3] and the top would go to the tcache and block the
 * trim: g_blocker.c.)
 *
 * Numbers checked by the golden report:
 * - at exit: the heap is pages 0..1 (sbrk(0) = page 0 + 2 pages, checked):
 *   live heap = page 0 = 4,096 bytes holding the probe and the filler
 *   (16 + FILL bytes in 2 blocks, FILL printed by the program and written
 *   into the expected report: 4,096 - 16 - 16 - 16 - 16 = 4,032 for a
 *   probe chunk at offset 16 of page 0); freed heap = page 1 (the top),
 *   resident (its first bytes hold the top's header);
 * - at the peak: the snapshot taken before the first trim, when the heap
 *   had its greatest size, 1,026 pages = 4,202,496 bytes mapped, all
 *   resident (every page was written).  The free that trims is big[3]'s:
 *   at that moment big[0..2] and page 0 are live (769 pages =
 *   3,149,824 bytes holding 3 x (1 MiB - 16) + 16 + FILL bytes in 5
 *   blocks) and big[3]'s 256 pages and page 1025 (the top) hold no live
 *   byte (257 pages = 1,052,672 bytes, retained).
 * - the trim estimate models malloc_trim(0) (rssmassif/rs_trim.c): at exit
 *   the top is one page, of which systrim gives back ALIGN_DOWN(4,096 -
 *   MINSIZE - 1, page) = 0; at the peak also 0: the peak snapshot is taken
 *   inside free()'s own trim, when glibc has already asked for the top's
 *   256 pages to go (the break has moved), so malloc_trim(0) would add
 *   nothing to it;
 * - retained pages by the allocation site of the last block freed on them:
 *   at the peak big[3]'s 256 pages (line of the big malloc) and page 1025,
 *   where no block was ever freed (the top's page); at exit page 1, last
 *   freed on by big[0] (the same line);
 * - per arena: the main arena's mapped bytes (1,026 pages at the peak, 2 at
 *   exit) split as above.
 */
#include "rs_client.h"

#define NBIG 4
#define BIG_REQ (1024 * 1024 - 16)
#define PEAK_PAGES 1026
#define EXIT_PAGES 2

static char *big[NBIG];

int main(void)
{
   char *probe, *filler;
   uintptr_t page0, chunk, end_peak, end;
   size_t fill;
   long res;
   int i;

   rs_init();
   mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
   mallopt(M_TOP_PAD, 0);
   mallopt(M_TRIM_THRESHOLD, 64 * 1024);
   probe = malloc(16);
   page0 = RS_PAGE_DOWN(probe);
   chunk = (uintptr_t)probe - 16 + 32;               /* the next chunk */
   fill = RS_PAGE_UP(chunk) - chunk - 16;
   filler = malloc(fill);
   memset(filler, 0, fill);
   for (i = 0; i < NBIG; i++) {
      big[i] = malloc(BIG_REQ);
      memset(big[i], 1, BIG_REQ);
   }
   end_peak = (uintptr_t)sbrk(0);
   res = rs_resident(page0, end_peak - page0, NULL, NULL);
   for (i = NBIG - 1; i >= 0; i--)
      free(big[i]);
   end = (uintptr_t)sbrk(0);

   if ((uintptr_t)big[0] - 16 != page0 + RS_PAGE)
      printf("not ok layout: big[0] not at page 1\n");
   else if (end_peak != page0 + PEAK_PAGES * RS_PAGE)
      printf("not ok layout: the heap's top at page %ld, expected %d\n",
             (long)((end_peak - page0) / RS_PAGE), PEAK_PAGES);
   else if (res != PEAK_PAGES)
      printf("not ok layout: %ld of %d heap pages resident at the top\n", res, PEAK_PAGES);
   else if (end != page0 + EXIT_PAGES * RS_PAGE)
      printf("not ok layout: the heap ends at page %ld after the frees, expected %d\n",
             (long)((end - page0) / RS_PAGE), EXIT_PAGES);
   else
      printf("ok layout: %d heap pages at the top, %d after the frees; filler %zu bytes\n",
             PEAK_PAGES, EXIT_PAGES, fill);
   printf("expect-final: useful_B = %zu\n", 16 + fill);
   printf("expect-final: heap_live_B = %lu\n", RS_PAGE);
   printf("expect-final: heap_dead_B = %lu\n", (EXIT_PAGES - 1) * RS_PAGE);
   return 0;          /* probe and filler stay live */
}
