/* Client request codes used between the preload wrappers (rs_wrappers.c)
 * and the tool (rs_clreq.c).  Private: not part of rssmassif.h's contract. */
#ifndef RS_CLREQ_IDS_H
#define RS_CLREQ_IDS_H
#include "rssmassif.h"

typedef enum {
   /* Both are sent by vgrs_report (rs_wrappers.c) only when the tool did
      not hook it (rs_hook.c).  ra and cfa: the wrapper's return address
      and the stack pointer after that return (0: unknown).
      arg1 = block address, arg2 = requested size in bytes, arg3 = ra,
      arg4 = cfa. */
   RS_REQ_ALLOC = RSSMASSIF_USERREQ_PRIVATE_BASE,
   /* arg1 = old block, arg2 = new block (NULL: failed, or freed when
      arg3 = 0), arg3 = requested size, arg4 = ra, arg5 = cfa.  Sent
      after the real realloc. */
   RS_REQ_REALLOC,
   /* arg1 = the calling thread's RsFreeBuf: registers it, and asks the
      tool to take the frees recorded in it (sent when it is full). */
   RS_REQ_FREES,
   /* arg1 = the address of the real allocator function a wrapper reaches
      (sent once per wrapper, the first time it runs): tells the tool
      which allocator serves the program (rs_alloc.h). */
   RS_REQ_REAL_FN,
   /* The emulated break (rs_brk.c).  BRK_WANTED: returns 1 if the
      preload is to emulate the break.  BRK_RESERVING: arg1 = the size of
      the reservation mmap about to be tried (the tool binds none of it).
      BRK_RESERVED: arg1 = its start (0: none could be had), arg2 = its
      size.  BRK_MOVED: arg1 = the new break, sent after a growth and
      before a shrink releases the pages. */
   RS_REQ_BRK_WANTED,
   RS_REQ_BRK_RESERVING,
   RS_REQ_BRK_RESERVED,
   RS_REQ_BRK_MOVED,
   /* arg1 = mallopt's param, arg2 = what it returned (1: done): sent
      after glibc's mallopt (the tool's model of the mmap threshold stops
      at one that fixes it, rs_glibc_mmap.h). */
   RS_REQ_MALLOPT,
   /* The emulated break (rs_brk.c): returns the client's data in bytes as
      the kernel counts it against RLIMIT_DATA (private writable
      mappings, the main stack excepted; Valgrind's own not counted). */
   RS_REQ_BRK_DATA
} RsPrivateRequest;

/* Frees are batched per thread: the free wrapper records the address
   here *before* the real free runs, and the tool takes the recorded
   frees before it handles any request of that thread, before every
   snapshot, when another thread reports an address still live in its
   table (the free that released it may be waiting here), and when the
   thread exits.  Only the wrapper appends; only the tool empties. */
#define RS_FREE_BATCH 64
typedef struct {
   unsigned long n;                     /* entries in use            */
   unsigned long addr[RS_FREE_BATCH];   /* freed blocks, oldest first */
} RsFreeBuf;

#endif
