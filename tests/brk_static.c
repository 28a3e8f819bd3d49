/*
 * brk_static: a static program's heap past Valgrind's 8 MiB brk (issue 11).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A static program loads no preload, so rssmassif cannot emulate its break
 * (rs_brk.c): past Valgrind's 8 MiB brk segment sbrk fails, glibc's main
 * arena goes on in mmapped pieces and free() never trims it.  The tool says
 * so and estimates what native trimming would have given back.
 *
 * Workload (the example): MIB MiB (argv[1], default 48) of
 * 1000-byte blocks, all written; the first KEEP allocated (the lowest of
 * the heap, natively and in glibc's growth order under Valgrind) are kept,
 * the others freed in allocation order (upwards).  With argument "down"
 * they are freed downwards: the first 7 freed (the highest) then stay in
 * glibc's tcache and keep the top from trimming, natively too.
 *
 * Own view: the main arena's size from mallinfo2().arena and the break
 * from sbrk(0), after filling and after freeing.  Natively the heap shrinks
 * by shrink = arena(filled) - arena(freed): printed as `measure:`, which
 * the .vgtest compares with the tool's native_trim_B / native_trim_res_B
 * of the run under the tool.  Under the tool the program checks that its
 * arena did not shrink (glibc's systrim never runs on a non-contiguous
 * arena) -- the case the estimate is for -- and gives the arithmetic
 * expectation: every freed chunk above the kept ones (1008 bytes each) is
 * top, which natively shrinks to M_TOP_PAD (128 KiB) + MINSIZE + 1 bytes in
 * whole pages: native_trim_res_B ~ freed chunks - 128 KiB, within 2 % + 8
 * pages (fenceposts, the pieces' 1 MiB rounding, tcache'd chunks).
 */
#include "rs_client.h"

#include <malloc.h>

#define KEEP 100
#define BLOCK_B 1000
#define CHUNK_B 1008            /* glibc's chunk for 1000 bytes */
#define MAXN (256 * 1100)

static char *p[MAXN];

int main(int argc, char **argv)
{
   long mib = argc > 1 && atol(argv[1]) > 0 ? atol(argv[1]) : 48;
   int down = argc > 2 && strcmp(argv[2], "down") == 0;
   long n = mib * 1024 * 1024 / BLOCK_B, i;
   size_t filled, freed;
   char *brk_filled, *brk_freed;
   long long expect;

   setvbuf(stdout, NULL, _IONBF, 0);
   rs_init();
   for (i = 0; i < n; i++) {
      p[i] = malloc(BLOCK_B);
      memset(p[i], 'x', BLOCK_B);
   }
   filled = mallinfo2().arena;
   brk_filled = sbrk(0);
   for (i = KEEP; i < n; i++)
      free(p[down ? n - 1 - (i - KEEP) : i]);
   freed = mallinfo2().arena;
   brk_freed = sbrk(0);
   printf("measure: filled=%zu freed=%zu shrink=%zu brk_shrink=%lld\n", filled, freed,
          filled - freed, (long long)(brk_filled - brk_freed));
   rs_own("the arena held the blocks", filled >= (size_t)n * CHUNK_B);
   if (!rs_under_tool) {
      rs_own(down ? "natively: freed downwards, the tcache'd top chunks keep the heap"
                  : "natively: the heap shrank to about 240 KiB",
             down ? filled - freed < 1 << 20 : freed < 512 * 1024);
      return rs_finish();
   }
   rs_own("under Valgrind the main arena did not shrink (capped break)", freed == filled);
   /* Natively everything above the kept blocks (and, freeing downwards,
      above the 7 chunks glibc's tcache holds) is top, trimmed to
      128 KiB + MINSIZE + 1 bytes in whole pages. */
   expect = down ? 0 : (long long)(n - KEEP) * CHUNK_B - 128 * 1024;
   rs_expect_final("native_trim_res_B", "~", expect, expect / 50 + RS_TOL_PAGES(8));
   rs_expect_final("native_trim_B", ">=", expect, 0);
   return rs_finish();
}
