/* rs_clreq.h -- client requests: the preload wrappers' reports,
   Valgrind's MALLOCLIKE/FREELIKE/RESIZEINPLACE, and rssmassif.h. */
#ifndef RS_CLREQ_H
#define RS_CLREQ_H
#include "rs_common.h"

/* Valgrind's client-request callback: True if the request was the tool's
   (or MALLOCLIKE/FREELIKE/RESIZEINPLACE), with its answer in *ret. */
Bool rs_handle_client_request(ThreadId tid, UWord* args, UWord* ret);
/* A block reported by the preload (rs_wrappers.c), by request or through
   the hook (rs_hook.c): req is RS_REQ_ALLOC (block p of size bytes) or
   RS_REQ_REALLOC (old became p, see rs_clreq_realloc); ra and cfa tell
   where the wrapper returns to (0 if unknown).  Takes the thread's
   pending frees first and may take a snapshot after. */
void rs_clreq_report(ThreadId tid, UWord req, Addr p, Addr old, SizeT size,
                     Addr ra, Addr cfa);
/* A realloc(old, size) that returned new (NULL: failed, or freed old when
   size is 0), by thread tid; `where` is the new block's stack.  Also used
   for static programs (rs_static.c). */
void rs_clreq_realloc(ThreadId tid, Addr old, Addr new, SizeT size,
                      ExeContext* where);

#endif
