/* rs_alloc.h -- which allocator serves the client: glibc, jemalloc,
   tcmalloc, mimalloc or another.

   The preload wrappers (rs_wrappers.c) tell the tool, the first time each
   wrapper runs, the address of the real function they reach; the object
   that defines it is the allocator serving the program's calls (whatever
   LD_PRELOAD, link order or interposition decided).  How it got there:
     default     glibc's malloc in libc.so;
     preloaded   an object named in the client's LD_PRELOAD;
     linked      another shared object (-ljemalloc, or a dependency);
     executable  the program itself defines malloc (an allocator linked
                 statically, or the program's own);
     static      a fully static program (rs_static.c).
   Invariant: once a non-glibc allocator is seen it stays the answer (under
   a preloaded allocator, glibc's own malloc may still run for a call that
   reaches it by its internal name). */
#ifndef RS_ALLOC_H
#define RS_ALLOC_H
#include "rs_common.h"

typedef enum {
   RS_ALLOC_UNKNOWN,    /* no wrapped allocator function has run yet */
   RS_ALLOC_GLIBC,
   RS_ALLOC_JEMALLOC,
   RS_ALLOC_TCMALLOC,
   RS_ALLOC_MIMALLOC,
   RS_ALLOC_OTHER,
   RS_N_ALLOCS
} RsAllocKind;

/* The `allocator=` value: "unknown", "glibc", "jemalloc", ... */
const HChar* rs_alloc_name(RsAllocKind k);
/* The allocator an object file name belongs to (by its base name), and
   a fallback by the real function's symbol name (je_, tc_, mi_). */
RsAllocKind rs_alloc_kind_of_object(const HChar* objname);
RsAllocKind rs_alloc_kind_of_fnname(const HChar* fnname);

/* A wrapper reached the real allocator function at fn. */
void rs_alloc_note_real_fn(Addr fn);
/* A fully static program: its allocator is its own glibc. */
void rs_alloc_note_static(void);

RsAllocKind  rs_alloc_kind(void);
/* "default", "preloaded", "linked", "executable", "static" or "unknown". */
const HChar* rs_alloc_via(void);
/* The object defining the real malloc, or NULL. */
const HChar* rs_alloc_object(void);
/* Is a code address inside the allocator's object (the object that
   defines the real malloc)?  False while it is unknown. */
Bool rs_alloc_in_object(Addr ip);

#endif
