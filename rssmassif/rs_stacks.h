/* rs_stacks.h -- the stacks glibc keeps for exited threads.

   Copyright (C) 2026 the rssmassif developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   When a thread ends, glibc keeps its stack mapped: until the join, then
   in its stack cache (up to 40 MiB), for the next pthread_create to
   reuse.  Natively those stacks stay mapped until the process ends;
   Valgrind's freeres unmaps them.  A *cached stack* is a thread-stack
   mapping (origin stack, made by pthread_create) on which a thread was
   running when it exited and no live thread runs now.  They count in the
   stack category and, apart, as RsTotals.stack_cached_*. */
#ifndef RS_STACKS_H
#define RS_STACKS_H
#include "rs_common.h"
#include "rs_mappings.h"

/* Thread tid is exiting (its stack pointer is still on its stack). */
void rs_stacks_thread_exit(ThreadId tid);
/* Reads the live threads' stack pointers: call before a walk of the
   mapped ranges asking rs_stacks_is_cached. */
void rs_stacks_begin(void);
/* Is the mapped range [start, end) of site a cached stack? */
Bool rs_stacks_is_cached(Addr start, Addr end, const RsMapSite* site);

#endif
