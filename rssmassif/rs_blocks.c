/*--------------------------------------------------------------------*/
/*--- rssmassif: the table of live blocks.             rs_blocks.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_blocks.h"
#include "rs_pages.h"
#include "pub_tool_hashtable.h"

RsHeapCounters rs_heap;

static VgHashTable* blocks;

void rs_blocks_init(void)
{
   blocks = VG_(HT_construct)("rs.blocks");
   VG_(memset)(&rs_heap, 0, sizeof rs_heap);
}

/* Adds a block to the table and its bytes to the pages: no counting. */
static void attach(RsBlock* b)
{
   VG_(HT_add_node)(blocks, b);
   rs_pages_add(b->addr, b->size);
   rs_heap.useful_B += b->size;
   rs_heap.n_blocks++;
}

static void count_alloc(SizeT size)
{
   rs_heap.n_allocs++;
   rs_heap.allocated_B += size;
}

static void count_free(SizeT size)
{
   rs_heap.n_frees++;
   rs_heap.freed_B += size;
}

void rs_block_alloc(Addr a, SizeT size, ExeContext* where)
{
   RsBlock* b = RS_MALLOC("rs.blocks.block", sizeof *b);
   b->addr  = a;
   b->size  = size;
   b->where = where;
   /* A second report of a live address means the client freed it behind
      our back (e.g. a custom allocator without FREELIKE): replace it. */
   if (VG_(HT_lookup)(blocks, a) != NULL)
      rs_block_free(a);
   attach(b);
   count_alloc(size);
}

RsBlock* rs_block_detach(Addr a)
{
   RsBlock* b = VG_(HT_remove)(blocks, a);
   if (b == NULL)
      return NULL;
   rs_pages_sub(b->addr, b->size);
   rs_heap.useful_B -= b->size;
   rs_heap.n_blocks--;
   return b;
}

void rs_block_reattach(RsBlock* b)
{
   attach(b);
}

Bool rs_block_free(Addr a)
{
   RsBlock* b = rs_block_detach(a);
   if (b == NULL) {
      rs_heap.n_unknown_frees++;
      return False;
   }
   count_free(b->size);
   RS_FREE(b);
   return True;
}

void rs_block_realloc_done(RsBlock* old, Addr a, SizeT size, ExeContext* where)
{
   count_free(old->size);
   RS_FREE(old);
   rs_block_alloc(a, size, where);
}

Bool rs_block_resize(Addr a, SizeT new_size)
{
   RsBlock* b = VG_(HT_lookup)(blocks, a);
   if (b == NULL)
      return False;
   rs_pages_sub(b->addr, b->size);
   rs_heap.useful_B -= b->size;
   b->size = new_size;
   rs_pages_add(b->addr, b->size);
   rs_heap.useful_B += b->size;
   return True;
}

RsBlock* rs_block_lookup(Addr a)
{
   return VG_(HT_lookup)(blocks, a);
}

void rs_blocks_start_iter(void)
{
   VG_(HT_ResetIter)(blocks);
}

RsBlock* rs_blocks_next(void)
{
   return VG_(HT_Next)(blocks);
}
