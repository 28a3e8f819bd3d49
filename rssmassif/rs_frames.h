/* rs_frames.h -- which frames of a stack are the allocator's, and where
   a heap mapping's stack is cut so that it starts in the program's code.

   A frame is *allocator internal* when it is
   - in the preload (our wrappers),
   - in the object of the allocator serving the program (rs_alloc.h: by
     object, so a stripped libjemalloc.so works too), or
   - a function whose name is an allocation function: Massif's list
     (malloc, calloc, ..., operator new), --alloc-fn=NAME, and a list of
   well-known wrappers (xmalloc, g_malloc, PyMem_Malloc, ...) unless
   --keep-alloc-fns=yes, and the wrappers recognised so far
   (rs_frames_note_stack, --auto-alloc-fns=yes).
   The predicate is the one place that says so. */
#ifndef RS_FRAMES_H
#define RS_FRAMES_H
#include "rs_common.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_execontext.h"
#include "rs_text.h"

/* Is the function at ip an allocation function (by name)? */
Bool rs_frames_is_alloc_fn(DiEpoch ep, Addr ip);
/* Notes a new block's allocation stack: its first frame that is not an
   allocation function is a wrapper candidate if its name says it
   allocates (alloc, strdup, memdup, "new" as a word); one called from
   --auto-alloc-fn-callers distinct return addresses is recognised, and
   from then on an allocation function.  Each stack is examined once
   (again after a recognition, for wrappers above the new one). */
void rs_frames_note_stack(ExeContext* ec);
/* Appends " skipped_alloc_fns=a,b" (the well-known wrappers, --alloc-fn
   names and recognised wrappers skipped in some stack so far) and
   " auto_alloc_fns=c" (the recognised ones) to t, names %XX-encoded;
   nothing for an empty list. */
void rs_frames_format_skipped(RsText* t);
/* Is the function at ip an --ignore-fn? */
Bool rs_frames_is_ignored_fn(DiEpoch ep, Addr ip);
/* Is the frame at ip allocator internal (see above)? */
Bool rs_frames_is_alloc_internal(DiEpoch ep, Addr ip);
/* The first frame of a heap mapping's stack ips[0..n) that is the
   program's: past the outermost preload frame when there is one (the
   allocator was called from the frame after it) and the allocation
   functions after it; else past the allocator internal frames.  Keeps at
   least one frame: returns at most n - 1. */
UInt rs_frames_alloc_cut(const Addr* ips, UInt n);

#endif
