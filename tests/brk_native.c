/*
 * brk_native: a main arena past Valgrind's 8 MiB brk trims as it does
 * natively (issue 11, part 1).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The program fills M MiB (argv[1], default 48) with 1000-byte blocks, keeps
 * the lowest 100 by address and frees the rest in increasing address order.
 * Natively glibc's free() trims the top of the contiguous brk heap back to a
 * few hundred KiB.  Under Valgrind's own brk (8 MiB at most) the arena turns
 * non-contiguous and nothing is trimmed; rssmassif's emulated break must
 * give the native shape.
 *
 * Own view, after the frees: mallinfo2().arena and sbrk(0); the heap's
 * extent [start, PAGE_UP(sbrk(0))) with start = sbrk(0) - arena (the arena
 * is one contiguous piece: premise checked); resident pages by mincore();
 * live pages from the 100 kept blocks; retained = resident pages without a
 * live byte.  The line `measure: ...` is compared by the .vgtest with the
 * same program's native run.
 */
#include "rs_client.h"

#define BLOCK_B 1000
#define KEEP 100
#define MAX_BLOCKS (256 * 1048576 / BLOCK_B + 1)

static char *blk[MAX_BLOCKS];

static int by_address(const void *a, const void *b)
{
   uintptr_t x = (uintptr_t)*(char *const *)a, y = (uintptr_t)*(char *const *)b;
   return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
   long mib = argc > 1 ? atol(argv[1]) : 48;
   size_t n = (size_t)mib * 1048576 / BLOCK_B, i;
   struct mallinfo2 mi;
   uintptr_t brk, start;
   long long mapped, res, live_res, retained;
   long in_set = 0, out_set = 0, r;
   struct rssmassif_totals t;

   rs_init();
   rs_own("at most 256 MiB", n <= MAX_BLOCKS);
   for (i = 0; i < n; i++) {
      blk[i] = malloc(BLOCK_B);
      memset(blk[i], 'b', BLOCK_B);
   }
   qsort(blk, n, sizeof blk[0], by_address);
   for (i = KEEP; i < n; i++)
      free(blk[i]);

   mi = mallinfo2();
   brk = (uintptr_t)sbrk(0);
   start = brk - mi.arena;
   rs_own("no mmapped chunks", mi.hblkhd == 0);
   rs_own("the kept blocks lie in [sbrk(0) - arena, sbrk(0)) (one contiguous arena)",
          (uintptr_t)blk[0] >= start && (uintptr_t)blk[KEEP - 1] < brk);
   rs_pages_reset();
   for (i = 0; i < KEEP; i++)
      rs_pages_add_bytes(blk[i], BLOCK_B);
   rs_pages_normalise();
   mapped = (long long)(RS_PAGE_UP(brk) - RS_PAGE_DOWN(start));
   r = rs_resident(RS_PAGE_DOWN(start), (size_t)mapped, &in_set, &out_set);
   rs_own("mincore over the heap", r >= 0);
   res = r * (long long)RS_PAGE;
   live_res = in_set * (long long)RS_PAGE;
   retained = res - live_res;
   rs_own("the heap was trimmed (arena below 1 MiB, as natively)", mi.arena < 1048576);
   printf("measure: arena=%zu heap_mapped=%lld retained=%lld\n", mi.arena, mapped,
          retained);
   if (rs_under_tool) {
      rs_get(&t);
      printf("tool: heap_mapped=%llu retained=%llu\n",
             (unsigned long long)(t.heap_live_B + t.heap_dead_B),
             (unsigned long long)t.heap_dead_res_B);
      rs_eq("heap mapped = [start, sbrk(0)) rounded to pages",
            (long long)(t.heap_live_B + t.heap_dead_B), mapped);
      rs_eq("retained = resident heap pages without a live byte",
            (long long)t.heap_dead_res_B, retained);
      rs_eq("live heap pages = pages of the kept blocks", (long long)t.heap_live_B,
            (long long)rs_pages_total() * (long long)RS_PAGE);
   }
   for (i = 0; i < KEEP; i++)
      free(blk[i]);
   return rs_finish();
}
