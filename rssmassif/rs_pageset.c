/*--------------------------------------------------------------------*/
/*--- rssmassif: sets of page ranges.                 rs_pageset.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_pageset.h"
#include "pub_tool_mallocfree.h"

typedef struct { Addr lo, hi; } RsPageRange;

static Int cmp_range(const void* a, const void* b)
{
   const RsPageRange* x = a, *y = b;
   return x->lo < y->lo ? -1 : x->lo > y->lo ? 1 : 0;
}

void rs_pageset_init(RsPageSet* s, const HChar* cc)
{
   s->ranges = VG_(newXA)(VG_(malloc), cc, VG_(free), sizeof(RsPageRange));
   VG_(setCmpFnXA)(s->ranges, cmp_range);
   s->cursor = 0;
   s->last_page = 0;
}

void rs_pageset_add(RsPageSet* s, Addr lo, Addr hi)
{
   RsPageRange r;
   if (hi <= lo)
      return;
   r.lo = lo;
   r.hi = hi;
   VG_(addToXA)(s->ranges, &r);
}

/* Sorts the ranges and merges those that overlap or touch. */
void rs_pageset_seal(RsPageSet* s)
{
   Word n, i, out = 0;
   VG_(sortXA)(s->ranges);
   n = VG_(sizeXA)(s->ranges);
   for (i = 0; i < n; i++) {
      RsPageRange* r = VG_(indexXA)(s->ranges, i);
      RsPageRange* last = out > 0 ? VG_(indexXA)(s->ranges, out - 1) : NULL;
      if (last != NULL && r->lo <= last->hi) {
         if (r->hi > last->hi)
            last->hi = r->hi;
      } else {
         *(RsPageRange*)VG_(indexXA)(s->ranges, out++) = *r;
      }
   }
   if (out < n)
      VG_(dropTailXA)(s->ranges, n - out);
}

Bool rs_pageset_has(RsPageSet* s, Addr page)
{
   Word n = s->ranges ? VG_(sizeXA)(s->ranges) : 0;
   const RsPageRange* r;
   if (page < s->last_page)
      s->cursor = 0;                 /* asked out of order: start again */
   s->last_page = page;
   for (; s->cursor < n; s->cursor++) {
      r = VG_(indexXA)(s->ranges, s->cursor);
      if (page < r->hi)
         return r->lo <= page;
   }
   return False;
}

void rs_pageset_done(RsPageSet* s)
{
   if (s->ranges)
      VG_(deleteXA)(s->ranges);
   s->ranges = NULL;
}
