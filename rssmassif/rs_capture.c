/*--------------------------------------------------------------------*/
/*--- rssmassif: allocation stacks.                    rs_capture.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Layer 7, adapters: capturing the allocation stack of a block the
   client reports, by client request (rs_clreq.c) or through the fast
   report path (rs_hook.c), and knowing where the preload's code lies so
   that such stacks start at the allocator's caller however the wrappers
   were compiled (inlined, tail-called or not).  Uses only Valgrind's
   core and the options. */

#include "rs_capture.h"
#include "rs_options.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_stacktrace.h"
#include "pub_tool_machine.h"
#include "pub_tool_execontext.h"

extern UInt VG_(debuginfo_generation)(void);

/* ------------------------------------------------------------------ */
/* Where the preload's code lies.                                      */
/* ------------------------------------------------------------------ */

/* The preload's text, [preload_lo, preload_hi): 0, 0 until found.  The
   DebugInfo list is searched again only when it changed. */
static Addr preload_lo, preload_hi;
/* The debuginfo generation last searched (~0U: never). */
static UInt searched_gen = ~0U;

static void find_preload(void)
{
   const DebugInfo* di;
   if (preload_hi != 0 || searched_gen == VG_(debuginfo_generation)())
      return;
   searched_gen = VG_(debuginfo_generation)();
   for (di = VG_(next_DebugInfo)(NULL); di != NULL; di = VG_(next_DebugInfo)(di)) {
      const HChar* name = VG_(DebugInfo_get_filename)(di);
      SizeT size = VG_(DebugInfo_get_text_size)(di);
      if (name != NULL && size > 0
          && VG_(strstr)(name, "vgpreload_rssmassif") != NULL) {
         preload_lo = VG_(DebugInfo_get_text_avma)(di);
         preload_hi = preload_lo + size;
         return;
      }
   }
}

Bool rs_capture_in_preload(Addr ip)
{
   find_preload();
   return preload_lo <= ip && ip < preload_hi;
}

Bool rs_capture_preload_known(void)
{
   find_preload();
   return preload_hi != 0;
}

void rs_capture_preload_text(Addr* lo, Addr* hi)
{
   find_preload();
   *lo = preload_lo;
   *hi = preload_hi;
}

/* ------------------------------------------------------------------ */
/* Allocation stacks.                                                  */
/* ------------------------------------------------------------------ */

/* Frames a report from the preload starts with: the wrapper, and the
   report function unless the wrapper tail-called it.  Room for them is
   asked for on top of --depth. */
#define MAX_PRELOAD_FRAMES 3

/* The allocation stack, unwound from where the thread is now.  Reports
   from our own wrappers come from inside the preload: its frames are
   dropped, so the stack starts at the allocator's caller (one frame, the
   wrapper's, if the preload's code was not found). */
ExeContext* rs_capture_stack(ThreadId tid, Bool from_wrapper)
{
   Addr ips[200 + MAX_PRELOAD_FRAMES];
   UInt extra = from_wrapper ? MAX_PRELOAD_FRAMES : 0, skip = 0;
   UInt n = VG_(get_StackTrace)(tid, ips, rs_clo.depth + extra, NULL, NULL, 0);
   if (from_wrapper && rs_capture_preload_known()) {
      while (skip < n && skip < extra && rs_capture_in_preload(ips[skip]))
         skip++;
   } else if (from_wrapper) {
      skip = 1;
   }
   if (n <= skip)
      return VG_(make_ExeContext_from_StackTrace)(ips, n);
   if (n - skip > (UInt)rs_clo.depth)
      n = skip + rs_clo.depth;
   return VG_(make_ExeContext_from_StackTrace)(ips + skip, n - skip);
}

/* The allocation stack of a block a wrapper reports.  The wrapper gave
   its return address ra and the stack pointer after that return, cfa:
   unwinding starts there, as if the thread had just returned from the
   wrapper to ra - 1 (the call), with %rbp as now (the preload leaves it
   alone, see rs_wrappers.c).  That skips unwinding the preload's frames
   and gives the frames a full unwind gives after them; --rs-check=yes
   compares the two. */
ExeContext* rs_capture_caller_stack(ThreadId tid, Addr ra, Addr cfa)
{
   Addr ips[200];
   Addr ip = VG_(get_IP)(tid), sp = VG_(get_SP)(tid);
   UInt n;
   ExeContext* ec;
   if (ra == 0 || cfa <= sp || cfa - sp > 64 * 1024)
      return rs_capture_stack(tid, True);         /* not a wrapper's frame */
   n = VG_(get_StackTrace_with_deltas)(tid, ips, rs_clo.depth, NULL, NULL,
                                       (Word)(ra - 1 - ip), (Word)(cfa - sp));
   ec = VG_(make_ExeContext_from_StackTrace)(ips, n);
   if (rs_clo.check && rs_capture_preload_known()) {
      ExeContext* full = rs_capture_stack(tid, True);
      if (ec != full) {
         VG_(umsg)("rs-check: the stack from the wrapper's caller differs"
                   " from the full unwind:\n");
         VG_(pp_ExeContext)(ec);
         VG_(pp_ExeContext)(full);
         tl_assert2(0, "rs-check: wrapper caller's stack");
      }
   }
   return ec;
}
