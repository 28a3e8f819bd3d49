/*--------------------------------------------------------------------*/
/*--- rssmassif: residency of client pages.              rs_resid.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Layer 3, data model: which client pages the kernel holds resident
   (mincore), read for the totals (rs_snapshot.c), the detailed passes
   (rs_tree.c), the trim and release estimates and static programs.
   Uses only Valgrind's core. */

#include "rs_resid.h"
#include "pub_tool_vkiscnums.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_aspacemgr.h"

/* ------------------------------------------------------------------ */
/* Statistics (--stats).                                               */
/* ------------------------------------------------------------------ */

/* mincore calls made, and how many of them failed (a range holding an
   unmapped page, read again piece by piece). */
static ULong n_mincore, n_mincore_failed;

void rs_resid_print_stats(void)
{
   VG_(umsg)("rssmassif: residency reads (mincore): %llu, failed: %llu\n",
             n_mincore, n_mincore_failed);
}

/* ------------------------------------------------------------------ */
/* Reading residency.                                                  */
/* ------------------------------------------------------------------ */

static Bool mincore_ok(Addr a, UWord n_pages, UChar* vec)
{
   SysRes r = VG_(do_syscall)(__NR_mincore, a, n_pages * RS_PAGE_B,
                              (UWord)vec, 0, 0, 0, 0, 0);
   n_mincore++;
   if (sr_isError(r))
      n_mincore_failed++;
   return !sr_isError(r);
}

static Bool is_client_mapping(const NSegment* seg)
{
   return seg != NULL && (seg->kind == SkAnonC || seg->kind == SkFileC
                          || seg->kind == SkShmC);
}

/* mincore fails on a range holding any unmapped page.  The tool's map
   can be ahead of the kernel's: the core reports an munmap after it is
   done, and the peak snapshot before a heap shrink is taken then.  So on
   failure, the range is read piece by piece as Valgrind's address-space
   manager sees it (already up to date): unmapped pieces are not
   resident.  (Reading page by page cost 16,384 failing calls per 64 MiB
   arena reservation trimmed by a thread's first malloc.)  A free piece
   ends at the next mapped page, not at the end of the range: pages
   mapped above a hole are read too (am_find_nsegment gives no free
   segment, so its extent is found page by page, without syscalls). */
Addr rs_free_space_end(Addr a, Addr end)
{
   while (a < end && VG_(am_find_nsegment)(a) == NULL)
      a += RS_PAGE_B;
   return a;
}

void rs_read_residency(Addr a, UWord n_pages, UChar* vec)
{
   Addr end = a + n_pages * RS_PAGE_B, p = a;
   if (mincore_ok(a, n_pages, vec))
      return;
   while (p < end) {
      const NSegment* seg = VG_(am_find_nsegment)(p);
      Addr  stop = seg == NULL ? rs_free_space_end(p, end)
                   : seg->end + 1 > end ? end : seg->end + 1;
      UWord n = (stop - p) / RS_PAGE_B;
      UChar* piece_vec = &vec[(p - a) / RS_PAGE_B];
      if (!is_client_mapping(seg) || !mincore_ok(p, n, piece_vec))
         VG_(memset)(piece_vec, 0, n);
      p = stop;
   }
}
