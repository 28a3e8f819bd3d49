/*
 * snap_blocker: a small live block above many freed blocks in the brk heap
 * is reported as the trim blocker, with the dead bytes it keeps below it;
 * and the trim estimate of a labelled snapshot taken just before
 * malloc_trim(0) agrees with what malloc_trim(0) really releases.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Layout (brk heap, allocated in this order, so glibc carves them upwards
 * from its top chunk; the program checks the order):
 *   A: NA blocks of BSZ (16 KiB, above tcache and fastbin sizes, below the
 *      mmap threshold), written whole;
 *   L: one small live block (a separator);
 *   B: NB blocks of BSZ, written whole;
 *   S: one small live block, the blocker, allocated on line blocker_line.
 * Then A and B are freed: glibc merges each run into one free chunk and
 * cannot shrink the heap, because S lies above B.  F = S - B[0] is the span
 * the program freed directly below S (B's chunks, headers included).
 *
 * Expectations:
 *   - labelled snapshot `before_trim` (RSSMASSIF_SNAPSHOT, detailed): a
 *     `#rs.blocker:` line whose at= names snap_blocker.c:blocker_line, with
 *     kept_dead_B >= F - 2 pages and kept_dead_res_B >= F - 2 pages (the
 *     dead run just below S's page: all of B's pages but the two partial
 *     ones at its ends; they were written, so resident);
 *   - the final snapshot (after malloc_trim): the same blocker line, still
 *     kept_dead_B >= F - 2 pages (malloc_trim releases memory, it does not
 *     unmap the middle of the heap);
 *   - trim estimate vs reality: the program counts with mincore() its heap
 *     pages resident just before and just after malloc_trim(0) over the brk
 *     extent [heap start, sbrk(0) before the trim); pages above sbrk(0) after
 *     the trim count as released (they are no longer the client's; under
 *     Valgrind a shrinking brk leaves them mapped).  released = before -
 *     after.  before_trim's trim_estimate_B must lie in [released, released
 *     + 4 pages].  The tool models glibc's malloc_trim (rs_trim.c, docs/
 *     detailed.md 5.5): it was exact here when measured; tests/trim_real_*
 *     hold the model to 2 % + 8 pages on larger heaps.
 */
#include "rs_client.h"

#define NA 64
#define NB 128
#define BSZ (16 * 1024)
#define SMALL 100

static char *a[NA], *b[NB];

static long resident_pages(uintptr_t lo, uintptr_t hi)
{
   long n = hi > lo ? rs_resident(lo, hi - lo, NULL, NULL) : 0;
   if (n < 0)
      rs_own("mincore over the brk extent", 0);
   return n;
}

int main(void)
{
   uintptr_t heap_start, lo, hi, brk_after;
   char *l, *s;
   int i, blocker_line, r;
   long before, after;
   long long f, released, page = (long long)RS_PAGE;

   rs_init();
   heap_start = (uintptr_t)sbrk(0);
   for (i = 0; i < NA; i++) {
      a[i] = malloc(BSZ);
      memset(a[i], 0x44, BSZ);
   }
   l = malloc(SMALL);
   memset(l, 0x45, SMALL);
   for (i = 0; i < NB; i++) {
      b[i] = malloc(BSZ);
      memset(b[i], 0x46, BSZ);
   }
   s = malloc(SMALL); blocker_line = __LINE__;
   memset(s, 0x47, SMALL);

   rs_own("A, L, B, S lie upwards in this order in the brk heap",
          !rs_chunk_mmapped(a[0]) && !rs_chunk_mmapped(b[0]) && a[NA - 1] < l && l < b[0]
          && b[NB - 1] < s && (uintptr_t)s - ((uintptr_t)b[NB - 1] + BSZ) <= 32);
   for (i = 0; i < NA; i++)
      free(a[i]);
   for (i = 0; i < NB; i++)
      free(b[i]);
   f = (long long)((uintptr_t)s - (uintptr_t)b[0]);
   printf("# freed directly below the blocker: %lld bytes (line %d)\n", f, blocker_line);

   lo = RS_PAGE_DOWN(heap_start < (uintptr_t)a[0] ? heap_start : (uintptr_t)a[0]);
   hi = RS_PAGE_UP((uintptr_t)sbrk(0));
   RSSMASSIF_SNAPSHOT("before_trim");
   before = resident_pages(lo, hi);
   r = malloc_trim(0);
   brk_after = RS_PAGE_UP((uintptr_t)sbrk(0));
   after = resident_pages(lo, brk_after < hi ? brk_after : hi);
   released = (long long)(before - after) * page;
   printf("# malloc_trim(0) = %d; brk extent %lu pages, resident %ld before, %ld after: "
          "released %lld bytes\n", r, (unsigned long)((hi - lo) / RS_PAGE), before, after, released);
   rs_own("malloc_trim released memory", r == 1 && released > 0);

#define BLOCKER_RE "^#rs\\.blocker: .*at=0x[0-9A-F]+: main \\(snap_blocker\\.c:%d\\)$"
   printf("expect-field: label=before_trim kept_dead_B >= %lld " BLOCKER_RE "\n",
          f - 2 * page, blocker_line);
   printf("expect-field: label=before_trim kept_dead_res_B >= %lld " BLOCKER_RE "\n",
          f - 2 * page, blocker_line);
   printf("expect-field: final kept_dead_B >= %lld " BLOCKER_RE "\n", f - 2 * page, blocker_line);
   printf("expect-snap: label=before_trim trim.estimate_B >= %lld\n", released);
   printf("expect-snap: label=before_trim trim.estimate_B <= %lld\n", released + 4 * page);
   rs_expect_final("useful_B", "=", 2 * SMALL, 0);
   rs_expect_final("blocks", "=", 2, 0);
   return rs_finish();
}
