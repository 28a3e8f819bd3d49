/* rs_tree.h -- detailed snapshots: who owns each category, and why
   freed memory stays.

   A detailed snapshot adds to the totals:
   - a Massif tree whose root is the snapshot's mapped total and whose five
     children are the categories, each split by call stack:
       heap_live  by the allocation stack of the block holding each live
                  page (the block with most bytes on the page);
       heap_dead  by the stack that mapped the page;
       loader     by object (file name);
       stack      by the stack that created the thread stack;
       other      by the stack of the mmap;
   - analysis lines (`#rs.<kind>: key=value ... [at=<frame>]`): pinned
     pages and the sites pinning them, trim blockers per heap segment,
     heap segments by kind (brk, arena heap, main-arena mmap, mmapped
     chunk) and the estimate of what the allocator's release call
     (glibc: malloc_trim(0)) would give back now.
   The text is built when the snapshot is taken and written with it.
   Cost: one pass over the live blocks and one over the mapped pages. */
#ifndef RS_TREE_H
#define RS_TREE_H
#include "rs_common.h"

typedef struct {
   HChar* analysis;   /* `#rs.*:` lines, each ending in '\n' (or NULL) */
   HChar* tree;       /* Massif tree lines, root first                 */
   ULong  trim_estimate_B;     /* glibc's name of release_estimate_B      */
   ULong  release_estimate_B;  /* what the allocator's release call would
                                  give back now (rs_release.h)           */
} RsDetail;

void rs_tree_build(RsDetail* d, const RsTotals* t);
void rs_tree_free(RsDetail* d);
/* The stack of the heap mapping holding most retained (dead, resident)
   bytes now, and those bytes. */
ExeContext* rs_tree_top_retained_site(ULong* retained_B);

/* "0x4005E4: main (seed.c:42)": the first frame of ec below the
   allocation functions (a static buffer, valid until the next call). */
const HChar* rs_tree_site_frame(ExeContext* ec);

#endif
