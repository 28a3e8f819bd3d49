/* rs_static.h -- the allocator of a statically linked program.

   A static program loads no preload, so rs_wrappers.c cannot wrap its
   malloc.  For such a program (no dynamic loader at start-up) the tool
   instead instruments the allocator functions found by name in the
   executable's symbols: a call to one of them at entry (arguments, and
   the allocation stack, exact at a function's first instruction) and its
   return (the result, caught at the `ret` after which the thread's stack
   pointer is the entry's + 8; `ret`s are only looked at while some
   thread is in such a call).  Only the outermost allocator call of a thread is
   reported, as with the wrappers; a free is reported at entry, before
   the real free runs. */
#ifndef RS_STATIC_H
#define RS_STATIC_H
#include "rs_common.h"
#include "pub_tool_tooliface.h"

/* A start-up mapping of `filename` (NULL if none): a dynamic loader
   among them means the preload wraps the allocator. */
void  rs_static_note_startup(const HChar* filename);
/* The hooks, for a static program: after the IMark of each instruction
   (an allocator's entry gets its call noted), and at the end of each
   superblock (a `ret` may end the watched call). */
void  rs_static_after_imark(IRSB* sb_out, Addr addr);
void  rs_static_at_end(IRSB* sb_out);
Bool  rs_static_active(void);
/* Is fnname one of the allocator functions hooked in static programs?
   (A mapping made under one of them is heap.) */
Bool  rs_static_is_allocator(const HChar* fnname);

#endif
