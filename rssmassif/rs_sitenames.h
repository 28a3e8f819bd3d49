/* rs_sitenames.h -- the texts naming allocation sites in lists of site
   lines (the at= of #rs.dead_site, #rs.pinned_site, #rs.live_site and
   #rs.blocker), told apart.

   Copyright (C) 2026 the rssmassif developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   A site is named by the *site frame*: the first frame of its allocation
   stack below the allocation functions and wrappers (rs_frames.h),
   "0x4005E4: main (seed.c:42)".  Stacks that differ only below a shared
   helper would then read alike.  In one list, no two lines read alike:
   - lines whose *shown stacks* (the site frame and every frame below it)
     are equal differ only in allocation functions: they are merged, their
     sums added (rs_sitenames_cmp orders them so that they are neighbours);
   - a line sharing its site frame with others also shows the first frame
     that tells it apart from all of them:
       "0x4011A6: helper (c.c:12) ← 0x4011F0: caller_a (c.c:30)",
     with " ← … ← " when frames between the two are left out; where that
     still reads like another line, the frames between are shown too. */
#ifndef RS_SITENAMES_H
#define RS_SITENAMES_H
#include "rs_common.h"

/* One allocation stack and where its shown frames start. */
typedef struct {
   const Addr* ips;   /* the stack (NULL: no stack known) */
   UInt        n;     /* frames in ips                    */
   UInt        top;   /* index of the site frame          */
} RsSiteStack;

/* s = ec's stack (ec NULL: no stack). */
void rs_sitenames_stack(RsSiteStack* s, ExeContext* ec);
/* Orders stacks by their shown frames; 0 iff the shown frames are equal
   (their lines are merged). */
Int rs_sitenames_cmp(const RsSiteStack* a, const RsSiteStack* b);
/* The at= texts of the n lines with stacks s[0..n), no two alike when no
   two shown stacks are equal; `none` for a line without a stack.  An
   array of n strings: free with rs_sitenames_free. */
HChar** rs_sitenames_make(const RsSiteStack* s, UInt n, const HChar* none);
void rs_sitenames_free(HChar** names, UInt n);
/* The site frame of ec alone (a static buffer, valid until the next
   call). */
const HChar* rs_sitenames_frame(ExeContext* ec);

#endif
