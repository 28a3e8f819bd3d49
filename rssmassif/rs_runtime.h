/* rs_runtime.h -- language runtimes and libraries with allocators of
   their own, recognised by the stacks of the memory they take, so that
   the report can say what rssmassif cannot see there (docs/rssmassif.md,
   "Programs with their own allocators"):
   - pymalloc: CPython's arenas, mmapped by the interpreter itself
     (`other`); PYTHONMALLOC=malloc routes objects through malloc;
   - glib_slice: GLib's slice allocator's slabs (heap blocks holding many
     slices; G_SLICE=always-malloc makes each slice a block);
   - perl: Perl's SV and body arenas (heap blocks Perl never frees: its
     own free lists);
   - go: the Go runtime's heap (`other`, not supported);
   - java: memory the JVM (libjvm.so) maps (`other`, not supported).
   A stack is classified once; rs_runtime_of then answers by stack. */
#ifndef RS_RUNTIME_H
#define RS_RUNTIME_H
#include "rs_common.h"
#include "pub_tool_execontext.h"

typedef enum {
   RS_RT_NONE = 0, RS_RT_PYMALLOC, RS_RT_GLIB_SLICE, RS_RT_PERL, RS_RT_GO,
   RS_RT_JAVA, RS_RT_N
} RsRuntime;

/* Classifies the stack of a mapping of origin `other`, len bytes long. */
void rs_runtime_note_mmap(ExeContext* where, SizeT len);
/* Classifies a block's allocation stack (seen for the first time). */
void rs_runtime_note_block(ExeContext* where);
/* The runtime that took memory with this stack, or RS_RT_NONE. */
RsRuntime rs_runtime_of(ExeContext* where);
/* Has any block stack been classified (else rs_runtime_of answers
   RS_RT_NONE for every block: callers may skip asking)? */
Bool rs_runtime_any_block(void);
/* "pymalloc", "glib_slice", "perl", "go", "java" (the #rs.hint: key). */
const HChar* rs_runtime_name(RsRuntime rt);

#endif
