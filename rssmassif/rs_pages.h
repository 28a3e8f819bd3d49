/* rs_pages.h -- per-page live-byte counters.

   For every client page, the number of bytes of live blocks lying on it.
   A page is *live* when its count is non-zero.  The counters are kept up
   to date on every allocation and free, at a cost proportional to the
   pages a block spans (never to the heap's size).

   Invariant: for every page P,
       rs_pages_live_B(P) = sum over live blocks b of |b ∩ P|
   (saturating at 0xFFFF, which only overlapping custom blocks can reach). */
#ifndef RS_PAGES_H
#define RS_PAGES_H
#include "rs_common.h"

void  rs_pages_init(void);
/* Adds (sign +1) or removes (sign -1) the bytes of [a, a+len). */
void  rs_pages_add(Addr a, SizeT len);
void  rs_pages_sub(Addr a, SizeT len);
/* Live bytes on the page holding address a (0..RS_PAGE_B). */
UInt  rs_pages_live_B(Addr a);
/* Records that the block with allocation stack `ecu` (an ExeContext's
   unique number) was freed from [a, a+len): each page keeps the last. */
void  rs_pages_note_free(Addr a, SizeT len, UInt ecu);
/* The ECU of the last block freed from the page holding a, or 0. */
UInt  rs_pages_last_free_ecu(Addr a);
/* Number of pages with a non-zero count, over the whole address space. */
ULong rs_pages_n_live_pages(void);
/* Bytes of tool memory used by the counters. */
ULong rs_pages_overhead_B(void);

#endif
