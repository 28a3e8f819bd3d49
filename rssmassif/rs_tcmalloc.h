/* rs_tcmalloc.h -- facts of tcmalloc (gperftools 2.10, Debian 12's
   libtcmalloc-minimal4), as a model.

   Copyright (C) 2026 the rssmassif developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   A leaf of allocator facts (knows nothing of the tool).  tcmalloc cuts
   its memory into 8 KiB pages.  A request of at most 256 KiB is served
   from a size class: a span of a few pages cut into objects of the
   class's size.  A freed object goes to the freeing thread's cache (a
   LIFO list per class); a list longer than its dynamic maximum, or a
   cache larger than its byte budget, gives objects to the class's
   central free list in batches: a whole batch goes to the transfer cache
   (a few slots per class), anything else back to its span.  A span none
   of whose objects is out (allocated, or in a cache) goes back to the
   page heap, and only the page heap's free spans are what
   MallocExtension::ReleaseFreeMemory() gives back to the system.
   Larger requests get a span of their own, which free() gives straight
   back to the page heap.

   The size classes are computed at start-up by tcmalloc's own rule
   (common.cc SizeMap::Init): sizes step by 8, 16 up to 128 bytes, then by
   an eighth of the power of two below; a class gets the fewest pages
   that waste at most an eighth and hold at least a quarter of a batch;
   neighbours with the same pages and object count merge. */
#ifndef RS_TCMALLOC_H
#define RS_TCMALLOC_H
#include "rs_common.h"

#define RS_TC_PAGE_B              8192UL      /* kPageSize (kPageShift 13) */
#define RS_TC_MAX_SMALL_B         (256UL * 1024)  /* kMaxSize              */
#define RS_TC_MAX_CLASSES         128         /* kClassSizesMax            */
#define RS_TC_BATCH_MAX           32          /* TCMALLOC_TRANSFER_NUM_OBJ */
#define RS_TC_XFER_SLOTS_MAX      64          /* kMaxNumTransferEntries    */
#define RS_TC_XFER_SLOTS_START    16          /* initial cache_size_       */
#define RS_TC_XFER_CLASS_MAX_B    (1024 * 1024)   /* per class, at most    */
#define RS_TC_STEAL_B             (64 * 1024)     /* kStealAmount          */
#define RS_TC_MIN_THREAD_CACHE_B  (2 * RS_TC_MAX_SMALL_B)
#define RS_TC_OVERALL_CACHE_B     (32UL << 20)    /* 8 * kMaxThreadCacheSize */
#define RS_TC_MAX_OVERAGES        3
#define RS_TC_MAX_LIST_LEN        8192        /* kMaxDynamicFreeListLength */

typedef struct {
   UInt  n_classes;                      /* class 0 is unused        */
   UInt  size_B[RS_TC_MAX_CLASSES];      /* object size              */
   UInt  pages[RS_TC_MAX_CLASSES];       /* 8 KiB pages of a span    */
   UInt  batch[RS_TC_MAX_CLASSES];       /* num_objects_to_move      */
   UInt  xfer_slots[RS_TC_MAX_CLASSES];  /* transfer cache, at most  */
} RsTcClasses;

/* Computes tcmalloc's size classes. */
void rs_tc_classes_init(RsTcClasses* c);
/* The class serving a request of `size` bytes; 0 when it gets a span of
   its own (more than 256 KiB). */
UInt rs_tc_class_of(const RsTcClasses* c, SizeT size);
/* The first byte of the span holding the object at `a` of class `cl`. */
Addr rs_tc_span_start(const RsTcClasses* c, UInt cl, Addr a);

#endif
