/*--------------------------------------------------------------------*/
/*--- rssmassif: tcmalloc's size classes.             rs_tcmalloc.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_tcmalloc.h"

#define TC_ALIGN_B      8      /* kAlignment                          */
#define TC_MIN_ALIGN_B  16     /* kMinAlign (not TCMALLOC_ALIGN_8BYTES) */

static UInt lg_floor(SizeT n)
{
   UInt lg = 0;
   while (n >> (lg + 1))
      lg++;
   return lg;
}

/* The step to the next candidate size. */
static SizeT tc_alignment(SizeT size)
{
   SizeT align = TC_ALIGN_B;
   if (size >= 128)
      align = ((SizeT)1 << lg_floor(size)) / 8;
   else if (size >= TC_MIN_ALIGN_B)
      align = TC_MIN_ALIGN_B;
   return align > RS_TC_PAGE_B ? RS_TC_PAGE_B : align;
}

/* Objects moved at once between a thread cache and the central list. */
static UInt tc_batch(SizeT size)
{
   UInt n = (UInt)((64 * 1024) / size);
   if (n < 2)
      n = 2;
   return n > RS_TC_BATCH_MAX ? RS_TC_BATCH_MAX : n;
}

/* Pages of a span: waste at most 1/8, at least a quarter batch. */
static UInt tc_span_pages(SizeT size)
{
   SizeT span_B = 0;
   UInt want = tc_batch(size) / 4;
   do {
      span_B += RS_TC_PAGE_B;
      while (span_B % size > (span_B >> 3))
         span_B += RS_TC_PAGE_B;
   } while (span_B / size < want);
   return (UInt)(span_B / RS_TC_PAGE_B);
}

static void tc_set_class(RsTcClasses* c, UInt cl, SizeT size, UInt pages)
{
   UInt slots = RS_TC_XFER_CLASS_MAX_B / ((UInt)size * tc_batch(size));
   c->size_B[cl] = (UInt)size;
   c->pages[cl] = pages;
   c->batch[cl] = tc_batch(size);
   if (slots < 1)
      slots = 1;
   c->xfer_slots[cl] = slots < RS_TC_XFER_SLOTS_MAX ? slots : RS_TC_XFER_SLOTS_MAX;
}

void rs_tc_classes_init(RsTcClasses* c)
{
   UInt cl = 1;
   SizeT size, align = TC_ALIGN_B;
   VG_(memset)(c, 0, sizeof *c);
   for (size = TC_ALIGN_B; size <= RS_TC_MAX_SMALL_B && cl < RS_TC_MAX_CLASSES;
        size += align) {
      UInt pages;
      align = tc_alignment(size);
      pages = tc_span_pages(size);
      if (cl > 1 && pages == c->pages[cl - 1]
          && pages * RS_TC_PAGE_B / size
             == pages * RS_TC_PAGE_B / c->size_B[cl - 1]) {
         tc_set_class(c, cl - 1, size, pages);    /* merge into previous */
         continue;
      }
      tc_set_class(c, cl++, size, pages);
   }
   c->n_classes = cl;
}

UInt rs_tc_class_of(const RsTcClasses* c, SizeT size)
{
   UInt lo = 1, hi = c->n_classes;
   if (size > RS_TC_MAX_SMALL_B || c->n_classes < 2)
      return 0;
   while (lo < hi) {                 /* the smallest class holding size */
      UInt mid = (lo + hi) / 2;
      if (c->size_B[mid] >= size)
         hi = mid;
      else
         lo = mid + 1;
   }
   return lo < c->n_classes ? lo : 0;
}

Addr rs_tc_span_start(const RsTcClasses* c, UInt cl, Addr a)
{
   Addr page = a & ~(RS_TC_PAGE_B - 1);
   SizeT obj_B = c->size_B[cl], span_B = c->pages[cl] * RS_TC_PAGE_B;
   UInt k;
   for (k = 0; k < c->pages[cl] && page >= k * RS_TC_PAGE_B; k++) {
      Addr start = page - k * RS_TC_PAGE_B;
      if ((a - start) % obj_B == 0 && a - start + obj_B <= span_B)
         return start;
   }
   return page;
}
