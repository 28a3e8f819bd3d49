/*
 * g_seed: golden-output test of rs_print's report (g_seed.report.exp) for
 * the seed question's pattern with fixed sizes: a few large blocks and many
 * small ones on the brk heap; all large and most small blocks are freed; the
 * few small survivors pin pages; nothing is given back.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Layout (the program checks it itself and prints `not ok` if it does not
 * hold, so a changed glibc fails loudly instead of as a diff):
 *   mallopt: mmap threshold 32 MiB (everything on brk), top pad 0, trim
 *   threshold 1 GiB (free() never trims).  A probe block and a filler make
 *   the next chunk start on a page boundary ("page 0" = the page of the
 *   probe; the filler's size comes from the probe's address).
 *   pages 1..256:   NLARGE=4 large blocks of 262,128 bytes (chunks of
 *                   256 KiB = 64 pages each), written, then all freed;
 *   pages 257..356: NSMALL=3,200 small blocks of 112 bytes (chunks of 128,
 *                   32 per page), written; block i survives iff i % 64 == 0:
 *                   50 survivors, each at the start of every other page.
 *   probe and filler are freed at the end; the heap then ends at page 357
 *   (the top chunk's header, checked with sbrk(0)), every page resident
 *   (checked with mincore()).
 * Numbers checked by the golden report (all others are masked by
 * tests/filter_report):
 *   useful bytes 50 * 112 = 5,600 in 50 blocks;
 *   live heap 50 pages = 204,800 bytes mapped and resident;
 *   freed heap = heap pages 0..357 (358 pages) - 50 = 308 pages
 *     = 1,261,568 bytes mapped, all resident: retained 1,261,568
 *     (1.20 MiB, 308 pages), released 0;
 *   main arena: mapped 358 pages = 1,466,368, live 204,800, freed and
 *     retained 1,261,568;
 *   pinned pages: the 50 live pages hold 112 useful bytes each (< 512):
 *     50 pages (204,800 bytes), 5,600 useful bytes, all at this file's
 *     line of the small malloc (g_seed.c:NN in the report);
 *   trim blocker: the highest live block is survivor i = 3,136 (page 355,
 *     line of the small malloc); the freed run directly below it, down to
 *     survivor 3,072 (page 353), is page 354: 4,096 bytes, resident;
 *   retained pages by the last block freed on them: pages 1..256 (the
 *     large blocks' line) 1,048,576; the 50 freed pages among the small
 *     blocks (small malloc's line) 204,800; page 357 (the top chunk's
 *     header, no block ever freed there) 4,096; page 0 (probe and filler,
 *     the probe freed last: the probe's line) 4,096;
 *   trim estimate (malloc_trim's model, docs/detailed.md 5.5): the 308 freed
 *     pages but page 0 (glibc's tcache struct): 307 pages = 1,257,472 bytes.
 */
#include "rs_client.h"

#define NLARGE 4
#define LARGE_REQ (256 * 1024 - 16)
#define NSMALL 3200
#define SMALL_REQ 112
#define KEEP_EVERY 64

static char *large[NLARGE];
static char *small[NSMALL];

int main(void)
{
   char *probe, *filler;
   uintptr_t page0, chunk;
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
   for (i = 0; i < NLARGE; i++) {
      large[i] = malloc(LARGE_REQ);
      memset(large[i], 1, LARGE_REQ);
   }
   for (i = 0; i < NSMALL; i++) {
      small[i] = malloc(SMALL_REQ);
      memset(small[i], 2, SMALL_REQ);
   }
   for (i = 0; i < NLARGE; i++)
      free(large[i]);
   for (i = 0; i < NSMALL; i++)
      if (i % KEEP_EVERY != 0) {
         free(small[i]);
         small[i] = NULL;
      }
   free(filler);
   free(probe);

   /* the layout the expected report relies on */
   long res;
   uintptr_t end = (uintptr_t)sbrk(0);
   if ((uintptr_t)large[0] - 16 != page0 + RS_PAGE)
      printf("not ok layout: large[0] not at page 1\n");
   else if ((uintptr_t)small[0] - 16 != page0 + 257 * RS_PAGE)
      printf("not ok layout: small[0] not at page 257\n");
   else if (end != page0 + 358 * RS_PAGE)
      printf("not ok layout: heap ends at page %ld, expected 358\n", (long)((end - page0) / RS_PAGE));
   else if ((res = rs_resident(page0, end - page0, NULL, NULL)) != 358)
      printf("not ok layout: %ld of 358 heap pages resident\n", res);
   else
      printf("ok layout: 358 heap pages, all resident\n");
   printf("expect-final: useful_B = %d\n", (NSMALL / KEEP_EVERY) * SMALL_REQ);
   printf("expect-final: heap_dead_res_B = %lu\n", (358 - NSMALL / KEEP_EVERY) * RS_PAGE);
   return 0;
}
