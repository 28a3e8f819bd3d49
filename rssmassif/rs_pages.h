/* rs_pages.h -- per-page live-byte counters.

   For every client page, the number of bytes of live blocks lying on it.
   A page is *live* when its count is non-zero.  The counters are kept up
   to date on every allocation and free, at a cost proportional to the
   pages a block spans (never to the heap's size).

   Invariant: for every page P below RS_USER_ADDR_LIMIT,
       rs_pages_live_B(P) = sum over live blocks b of |b ∩ P|
   (overlapping custom blocks may push it above a page's size).  Bytes of
   blocks at or above the limit (no client can map there) are not kept. */
#ifndef RS_PAGES_H
#define RS_PAGES_H
#include "rs_common.h"

#define RS_USER_ADDR_LIMIT ((Addr)1 << 48)
static inline Bool rs_pages_is_user_page(Addr a) { return a < RS_USER_ADDR_LIMIT; }

/* The part of [a, a+size) below RS_USER_ADDR_LIMIT, as [*lo, *hi);
   False if empty.  Every loop over a block's pages goes through this. */
static inline Bool rs_pages_user_extent(Addr a, SizeT size, Addr* lo, Addr* hi)
{
   Addr end = a + size;
   if (size == 0 || a >= RS_USER_ADDR_LIMIT)
      return False;
   if (end < a || end > RS_USER_ADDR_LIMIT)
      end = RS_USER_ADDR_LIMIT;
   *lo = a;
   *hi = end;
   return True;
}

void  rs_pages_init(void);
/* Adds the bytes of [a, a+len) to the counters of the pages they lie on
   (rs_pages_sub removes them). */
void  rs_pages_add(Addr a, SizeT len);
/* ecu: the allocation stack (ExeContext unique) of the block whose bytes
   leave; a page they leave empty remembers it as its last freed block
   (0: remember nothing). */
void  rs_pages_sub(Addr a, SizeT len, UInt ecu);
/* Live bytes on the page holding address a. */
UInt  rs_pages_live_B(Addr a);
/* Of the n pages from the page holding a: how many are live, and how
   many of those are resident (vec[i] & 1, as mincore fills it).  Walks
   the counters leaf by leaf: a snapshot's totals count every mapped heap
   page this way. */
void  rs_pages_count_live(Addr a, UWord n, const UChar* vec,
                          ULong* live_pages, ULong* live_res_pages);
/* The ECU of the block whose free last left the page holding a empty,
   or 0. */
UInt  rs_pages_last_free_ecu(Addr a);
/* Number of pages with a non-zero count, over the whole address space. */
ULong rs_pages_n_live_pages(void);
/* Bytes of tool memory used by the counters. */
ULong rs_pages_overhead_B(void);

#endif
