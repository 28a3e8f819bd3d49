/* rs_clreq.h -- client requests: the preload wrappers' reports,
   Valgrind's MALLOCLIKE/FREELIKE/RESIZEINPLACE, and rssmassif.h. */
#ifndef RS_CLREQ_H
#define RS_CLREQ_H
#include "rs_common.h"

Bool rs_handle_client_request(ThreadId tid, UWord* args, UWord* ret);

#endif
