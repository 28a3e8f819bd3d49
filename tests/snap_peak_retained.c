/*
 * snap_peak_retained: the snapshot marked peak_retained=1 is the one with
 * the most retained memory, which moves as retention grows.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * mallopt: mmap threshold 32 MiB, trim threshold 1 GiB (free() never
 * trims).  NB blocks of BSZ bytes are allocated and written (chunks of
 * BSZ + 16 bytes, contiguous).  Freeing blocks [0, SMALL) retains about
 * 1 MiB (snapshot `small`), then freeing [SMALL, NB - KEEP) about 5 MiB
 * (`big`); the last KEEP blocks stay, so the top never meets the freed
 * run.  malloc_trim(0) then gives the freed pages back (`trimmed`).
 * Own view at `big`: the pages lying wholly inside the freed run
 * [chunk of block 0, chunk of block NB - KEEP), all resident (mincore),
 * counted by the program: OWN_BIG.  Expected: the peak_retained snapshot
 * holds the file's greatest heap_dead_res_B, and that is at least OWN_BIG
 * (checked by the test's post command on the output file).
 */
#include "rs_client.h"

#define NB 1400
#define BSZ 4000
#define SMALL 256
#define KEEP 24

static char *blk[NB];

int main(void)
{
   uintptr_t lo, hi;
   long res;
   int i;

   rs_init();
   mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
   mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
   for (i = 0; i < NB; i++) {
      blk[i] = malloc(BSZ);
      memset(blk[i], 1, BSZ);
   }
   for (i = 0; i < SMALL; i++)
      free(blk[i]);
   RSSMASSIF_SNAPSHOT("small");
   for (i = SMALL; i < NB - KEEP; i++)
      free(blk[i]);
   lo = RS_PAGE_UP((uintptr_t)blk[0] - 16);
   hi = RS_PAGE_DOWN((uintptr_t)blk[NB - KEEP] - 16);
   res = rs_resident(lo, hi - lo, NULL, NULL);
   rs_own("the freed run's pages are resident", res == (long)((hi - lo) / RS_PAGE));
   RSSMASSIF_SNAPSHOT("big");
   printf("own big retained: %lu\n", (unsigned long)(hi - lo));
   malloc_trim(0);
   RSSMASSIF_SNAPSHOT("trimmed");
   return rs_finish();
}
