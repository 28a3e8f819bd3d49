/*--------------------------------------------------------------------*/
/*--- rssmassif: the allocator's release call.        rs_release.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_release.h"
#include "rs_alloc.h"
#include "rs_blocks.h"
#include "rs_pages.h"
#include "rs_pageset.h"
#include "rs_trim.h"
#include "rs_static.h"

/* jemalloc 5.x (amd64, 4 KiB pages, Debian's defaults): sizes up to
   SMALL_MAX_B live in slabs of lcm(page, size class) bytes; larger ones
   in an extent of their size class plus one page (cache-oblivious
   placement puts the block at a random offset in its first page). */
#define JE_SMALL_MAX_B   14336
#define JE_LARGE_PAD_B   RS_PAGE_B

/* tcmalloc (gperftools): its pages are 8 KiB; a span holding a live
   object stays in use. */
#define TC_PAGE_B        8192UL

static RsPageSet   rel_set;      /* glibc: released; jemalloc: kept in use */
static RsAllocKind rel_kind;     /* the allocator the set was built for    */

/* jemalloc's size class of a request: 8, multiples of 16 up to 128, then
   four classes per doubling. */
static SizeT je_size_class(SizeT size)
{
   SizeT lg = 0, delta;
   if (size <= 8)
      return 8;
   if (size <= 128)
      return (size + 15) & ~(SizeT)15;
   while (((SizeT)1 << (lg + 1)) <= size - 1)
      lg++;
   delta = (SizeT)1 << (lg - 2);
   return (size + delta - 1) & ~(delta - 1);
}

/* The extent holding a live jemalloc block: its slab, or its own. */
static void je_keep_block(const RsBlock* b)
{
   SizeT cls = je_size_class(b->size ? b->size : 1);
   Addr page = RS_PAGE_DOWN(b->addr);
   SizeT slab_B = RS_PAGE_B, k;
   if (cls > JE_SMALL_MAX_B) {
      rs_pageset_add(&rel_set, page, page + RS_PAGE_UP(cls) + JE_LARGE_PAD_B);
      return;
   }
   while (slab_B % cls != 0)
      slab_B += RS_PAGE_B;
   /* The slab starts at the one page boundary at most a slab below the
      block from which the block lies a whole number of regions. */
   for (k = 0; k < slab_B / RS_PAGE_B && page >= k * RS_PAGE_B; k++) {
      Addr start = page - k * RS_PAGE_B;
      if ((b->addr - start) % cls == 0) {
         rs_pageset_add(&rel_set, start, start + slab_B);
         return;
      }
   }
}

/* The tcmalloc pages a live block lies on. */
static void tc_build(void)
{
   const RsBlock* b;
   rs_blocks_start_iter();
   while ((b = rs_blocks_next()) != NULL)
      if (rs_block_lookup(b->addr) == b)
         rs_pageset_add(&rel_set, b->addr & ~(TC_PAGE_B - 1),
                        (b->addr + (b->size ? b->size : 1) + TC_PAGE_B - 1)
                        & ~(TC_PAGE_B - 1));
}

static void je_build(void)
{
   const RsBlock* b;
   rs_blocks_start_iter();
   while ((b = rs_blocks_next()) != NULL)
      if (rs_block_lookup(b->addr) == b && !RS_MUTANT_IS(66))
         je_keep_block(b);
}

void rs_release_build(void)
{
   if (rs_static_active())
      rs_alloc_note_static();         /* a static program's own glibc */
   rel_kind = rs_alloc_kind();
   rs_pageset_init(&rel_set, "rs.release.set");
   if (rel_kind == RS_ALLOC_GLIBC)
      rs_trim_build(&rel_set);
   else if (rel_kind == RS_ALLOC_JEMALLOC
            || (RS_MUTANT_IS(68) && rel_kind == RS_ALLOC_MIMALLOC))
      je_build();
   else if (rel_kind == RS_ALLOC_TCMALLOC)
      tc_build();
   rs_pageset_seal(&rel_set);
}

Bool rs_release_page(Addr page)
{
   /* jemalloc, tcmalloc: pages that held a block, outside the kept set */
   Bool kept_model = rel_kind == RS_ALLOC_JEMALLOC || rel_kind == RS_ALLOC_TCMALLOC
                     || (RS_MUTANT_IS(68) && rel_kind == RS_ALLOC_MIMALLOC);
   if (rel_kind == RS_ALLOC_GLIBC)
      return rs_pageset_has(&rel_set, page);
   if (!kept_model)
      return False;               /* mimalloc (MADV_FREE), other: nothing */
   return (rs_pages_last_free_ecu(page) != 0)
          && !rs_pageset_has(&rel_set, page);
}

void rs_release_free(void)
{
   rs_pageset_done(&rel_set);
}
