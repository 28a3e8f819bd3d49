/* rs_clreq.h -- client requests: the preload wrappers' reports,
   Valgrind's MALLOCLIKE/FREELIKE/RESIZEINPLACE, and rssmassif.h. */
#ifndef RS_CLREQ_H
#define RS_CLREQ_H
#include "rs_common.h"

Bool rs_handle_client_request(ThreadId tid, UWord* args, UWord* ret);
/* A realloc(old, size) that returned new (NULL: failed, or freed old when
   size is 0), by thread tid; `where` is the new block's stack.  Also used
   for static programs (rs_static.c). */
void rs_clreq_realloc(ThreadId tid, Addr old, Addr new, SizeT size,
                      ExeContext* where);

#endif
