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
#include "rs_text.h"
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

/* A break Valgrind capped (issue 11): a static program loads no
   preload, so rs_brk.c cannot emulate its break (nor with
   --emulate-brk=no); past Valgrind's 8 MiB brk segment glibc's main arena
   goes on in mmapped pieces that free() never trims.  The tool sees the
   brk syscall that asked past it (post_syscall), and at the final
   snapshot (rs_static_note_exit) estimates what free() would have given
   back natively, where the main arena is one contiguous brk heap: its
   free bytes above the highest chunk glibc holds form the top, trimmed
   to M_TOP_PAD once it reaches the trim threshold. */
void  rs_static_post_syscall(UInt sysno, UWord* args, SysRes res);
/* Did a brk overflow happen while the break was not emulated? */
Bool  rs_static_brk_capped(void);
/* Why the break was not emulated: "static", "off" (--emulate-brk=no)
   or "unemulated" (no reservation, or no preload). */
const HChar* rs_static_brk_capped_why(void);
void  rs_static_note_exit(void);
/* The estimate made at the final snapshot, if any. */
Bool  rs_static_capped_estimate(ULong* trim_B, ULong* trim_res_B);
/* The final #rs: line's keys (brk_capped= native_trim_B=
   native_trim_res_B=) and the exit summary's lines, when capped. */
void  rs_static_format_capped(RsText* t);
void  rs_static_summary(void);

#endif
