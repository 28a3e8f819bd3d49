/* rs_capture.h -- allocation stacks of reported blocks, and where the
   preload's code lies (layer 7, adapters; used by rs_clreq and rs_hook). */
#ifndef RS_CAPTURE_H
#define RS_CAPTURE_H
#include "rs_common.h"

/* Is ip in the preload's code?  False while its place is unknown. */
Bool rs_capture_in_preload(Addr ip);
/* Has the preload's code been found? */
Bool rs_capture_preload_known(void);
/* The preload's text [*lo, *hi) (0, 0 while unknown). */
void rs_capture_preload_text(Addr* lo, Addr* hi);
/* The allocation stack, unwound from where thread tid is now, at most
   --depth frames; from_wrapper: the request came from inside the preload,
   whose frames are dropped. */
ExeContext* rs_capture_stack(ThreadId tid, Bool from_wrapper);
/* The allocation stack of a block a wrapper reports, unwound from the
   wrapper's return address ra and stack pointer after that return cfa
   (a full unwind when they do not look like a wrapper's frame). */
ExeContext* rs_capture_caller_stack(ThreadId tid, Addr ra, Addr cfa);

#endif
