/*--------------------------------------------------------------------*/
/*--- rssmassif: which mapped pages still hold live heap data.     ---*/
/*---                                                  rs_common.h ---*/
/*--------------------------------------------------------------------*/
/*
   This file is part of rssmassif, a Valgrind tool.
   Copyright (C) 2026 the rssmassif developers.
   SPDX-License-Identifier: GPL-2.0-or-later
*/

/* Vocabulary shared by every module of the tool (see docs/rssmassif.md
   and the project's design notes for the definitions):

   - a *mapping* is a client address range with an origin (RsOrigin);
   - a *block* is a live allocation [addr, addr+size);
   - a *live page* is a heap page with at least one live block byte,
     a *dead page* one without;
   - each mapped page falls in exactly one RsCategory. */

#ifndef RS_COMMON_H
#define RS_COMMON_H

#include "pub_tool_basics.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_execontext.h"
#include "pub_tool_vki.h"
#include "rs_mutant.h"

#define RS_PAGE_B        ((SizeT)VKI_PAGE_SIZE)
#define RS_PAGE_SHIFT    12
#define RS_PAGE_DOWN(a)  ((Addr)(a) & ~(Addr)(RS_PAGE_B - 1))
#define RS_PAGE_UP(a)    RS_PAGE_DOWN((Addr)(a) + RS_PAGE_B - 1)

/* Who made a mapping.  Decided once, when the mapping appears. */
typedef enum {
   RS_ORIGIN_HEAP,     /* brk, or mmap/mremap inside a wrapped allocator */
   RS_ORIGIN_LOADER,   /* exe, ld.so at start-up; mmaps by the loader    */
   RS_ORIGIN_STACK,    /* thread stacks; main stack at start-up          */
   RS_ORIGIN_OTHER,    /* everything else                               */
   RS_N_ORIGINS
} RsOrigin;

/* Where a mapped page is counted.  Heap pages split by liveness. */
typedef enum {
   RS_CAT_HEAP_LIVE,
   RS_CAT_HEAP_DEAD,
   RS_CAT_LOADER,
   RS_CAT_STACK,
   RS_CAT_OTHER,
   RS_N_CATS
} RsCategory;

/* One observation of the client: what a snapshot records and what
   RSSMASSIF_GET_TOTALS returns.  Invariant: sum of mapped_B over the
   categories is the client's mapped address space, each page once;
   resident_B[c] <= mapped_B[c]. */
typedef struct {
   ULong useful_B;                 /* sum of live block sizes      */
   ULong blocks;                   /* number of live blocks        */
   ULong mapped_B[RS_N_CATS];
   ULong resident_B[RS_N_CATS];
   /* Part of the stack category: thread stacks no live thread runs on
      (glibc keeps exited threads' stacks mapped: in its stack cache once
      joined, until the join before).  Their number, mapped and resident
      bytes. */
   ULong stack_cached_n;
   ULong stack_cached_B;
   ULong stack_cached_res_B;
} RsTotals;

/* Names used in the `#rs:` line, the summary and the docs (rs_vocab.c). */
const HChar* rs_category_key(RsCategory c);    /* "heap_live", ...   */
const HChar* rs_category_title(RsCategory c);  /* "heap live", ...   */
const HChar* rs_origin_name(RsOrigin o);       /* "heap", ...        */

/* The frames of an ExeContext: in the core's private header, but linked
   into every tool (the xtree code uses it the same way). */
extern Addr* VG_(get_ExeContext_StackTrace)(const ExeContext* e);

/* Valgrind's raw syscall entry: declared in the core's private headers
   but linked into every tool (used for mincore and ftruncate). */
extern SysRes VG_(do_syscall)(UWord sysno, UWord a1, UWord a2, UWord a3,
                              UWord a4, UWord a5, UWord a6, UWord a7,
                              UWord a8);

/* Tool-internal allocation with a cost-centre name. */
#define RS_MALLOC(cc, n)   VG_(malloc)((cc), (n))
#define RS_FREE(p)         VG_(free)(p)

#endif
