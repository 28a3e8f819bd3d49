/* Client request codes used between the preload wrappers (rs_wrappers.c)
 * and the tool (rs_clreq.c).  Private: not part of rssmassif.h's contract. */
#ifndef RS_CLREQ_IDS_H
#define RS_CLREQ_IDS_H
#include "rssmassif.h"

typedef enum {
   /* arg1 = block address, arg2 = requested size in bytes. */
   RS_REQ_ALLOC = RSSMASSIF_USERREQ_PRIVATE_BASE,
   /* arg1 = block address (never NULL). Sent *before* the real free. */
   RS_REQ_FREE,
   /* arg1 = old block. Sent before the real realloc: the tool takes the
      block out of its table so a racing thread may reuse the address. */
   RS_REQ_REALLOC_BEGIN,
   /* arg1 = old block, arg2 = new block (NULL on failure), arg3 = size. */
   RS_REQ_REALLOC_END
} RsPrivateRequest;

#endif
