/* rs_hook.h -- the fast report path from the preload to the tool.

   The preload's wrappers report every block through one function,
   vgrs_report (rs_wrappers.c).  Its body is a client request, which
   costs a round trip through Valgrind's scheduler.  The tool instead
   instruments that function's first instruction: a dirty call to
   rs_clreq_report(), then an immediate return, all inside translated
   code.  The body only runs if the tool never found the function (no
   symbols in the preload), so nothing is lost either way.  Where the
   preload's code lies is rs_capture.c's. */
#ifndef RS_HOOK_H
#define RS_HOOK_H
#include "rs_common.h"
#include "pub_tool_tooliface.h"

/* The name of the hooked function; rs_wrappers.c defines it. */
#define RS_HOOK_FN "vgrs_report"

/* Does the superblock with these extents need rs_hook_after_imark()? */
Bool rs_hook_wanted(const VexGuestExtents* vge);
/* After the IMark of the instruction at addr: if it is the hook's entry,
   adds the report and the return to sb_out and returns True: the caller
   then stops copying statements (the rest is the function's body). */
Bool rs_hook_after_imark(IRSB* sb_out, Addr addr);
/* How many reports took the fast path (for --stats). */
ULong rs_hook_n_reports(void);

#endif
