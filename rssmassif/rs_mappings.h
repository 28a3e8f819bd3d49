/* rs_mappings.h -- the client's mappings, their origin and their stack.

   One map from every client page to the *site* that mapped it, or to
   nothing.  A site is the pair (origin, stack of the mapping call),
   interned: two mmaps from the same call stack share one site, so the map
   stays small however often the client maps and unmaps.

   Invariants:
   - every page the client has mapped (as Valgrind's address-space manager
     sees it) is bound to exactly one site; a MAP_FIXED mapping over an
     existing one rebinds its pages (never counted twice);
   - unmapped pages, and brk pages given back, are bound to nothing;
   - a page's origin never changes while it stays mapped, except by a new
     mapping over it; mremap carries each page's site to its new place;
   - two adjacent ranges never have the same site: mappings made apart
     stay apart (a site comes in three colours for that), except the brk
     heap, which grows by pieces. */
#ifndef RS_MAPPINGS_H
#define RS_MAPPINGS_H
#include "rs_common.h"

typedef struct {
   RsOrigin    origin;
   ExeContext* where;     /* stack of the mapping call (null at start-up) */
   UInt        color;     /* 0..2: tells apart adjacent mappings made from
                             the same site, so each stays its own range */
} RsMapSite;

typedef struct {
   ULong n_mmap, n_munmap, n_mremap, n_brk_grow, n_brk_shrink;
   ULong n_mprotect, n_madvise, madvised_B;
} RsMapCounters;

extern RsMapCounters rs_map_counters;

void rs_mappings_init(void);
/* Registers the core's mapping events. */
void rs_mappings_register(void);
/* The mapping side of the tool's syscall wrappers (mremap, madvise). */
void rs_mappings_pre_syscall(ThreadId tid, UInt sysno, UWord* args, UInt nArgs);
void rs_mappings_post_syscall(ThreadId tid, UInt sysno, UWord* args,
                              UInt nArgs, SysRes res);

/* Iteration over the mapped ranges, in address order: i in
   [0, rs_mappings_n_ranges()); returns False for a gap (no mapping).
   [*start, *end) is page-aligned; adjacent ranges may share a site. */
UInt rs_mappings_n_ranges(void);

Bool rs_mappings_range(UInt i, Addr* start, Addr* end, const RsMapSite** site);

/* Binds the main thread's stack as far as Valgrind's core has grown it
   (the core grows it on a fault below it without telling tools); called
   before totals are read. */
void rs_mappings_sync_main_stack(void);

/* With --rs-debug=yes, logs every mapped range and its origin. */
void rs_mappings_debug_ranges(void);

/* Bytes of heap-origin pages mapped now. */
ULong rs_mappings_heap_mapped_B(void);

/* The range holding a, as [*start, *end): pages bound to one site, or
   (False, *site NULL) the unmapped gap around a. */
Bool rs_mappings_range_at(Addr a, Addr* start, Addr* end, const RsMapSite** site);

/* The piece of [lo, hi) from lo to the end of the range holding lo (or
   hi): returns its end, and sets *site (NULL where nothing is mapped).
   Loops over a block's pages use it to skip what is not mapped. */
Addr rs_mappings_piece(Addr lo, Addr hi, const RsMapSite** site);
/* The range (mapped or not) holding a, as [*start, *end); True if its
   pages are heap pages. */
Bool rs_mappings_heap_piece(Addr a, Addr* start, Addr* end);

/* Is [a, a+size) a block glibc mmapped on its own (a "chunk": the heap
   mapping starts 16 bytes below the block and ends within a page of its
   end)? */
Bool rs_mappings_is_own_chunk(Addr a, SizeT size);

/* The emulated break (rs_brk.c): the client requests RS_REQ_BRK_*
   (False: not one of them).  While the break is emulated, the brk heap
   starts at rs_mappings_brk_base() (else at Valgrind's break), and
   [*lo, *hi) from rs_mappings_brk_unbound() is the reservation above
   the break: mapped PROT_NONE, bound to nothing (empty: no emulation). */
Bool rs_mappings_brk_request(ThreadId tid, UWord* args, UWord* ret);
Bool rs_mappings_brk_emulated(void);
Addr rs_mappings_brk_base(void);
void rs_mappings_brk_unbound(Addr* lo, Addr* hi);

/* The range being rebound while the peak snapshot before a heap shrink
   is taken (empty otherwise): the map and the core may disagree on it. */
void rs_mappings_in_flux(Addr* lo, Addr* hi);

/* The site of the page holding a, or NULL. */
const RsMapSite* rs_mappings_site_at(Addr a);

#endif
