/*--------------------------------------------------------------------*/
/*--- rssmassif: client requests.                       rs_clreq.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_clreq.h"
#include "rs_clreq_ids.h"
#include "rs_blocks.h"
#include "rs_options.h"
#include "rs_snapshot.h"
#include "pub_tool_clreq.h"
#include "pub_tool_stacktrace.h"
#include "pub_tool_aspacemgr.h"
#include "pub_tool_threadstate.h"

/* The allocation stack of a block reported now.  Reports from our own
   wrappers come from inside the wrapper function: its frame is dropped,
   so the stack starts at the allocator's caller. */
static ExeContext* alloc_stack(ThreadId tid, Bool from_wrapper)
{
   Addr ips[201];
   UInt skip = from_wrapper ? 1 : 0;
   UInt n = VG_(get_StackTrace)(tid, ips, rs_clo.depth + skip, NULL, NULL, 0);
   if (n <= skip)
      return VG_(make_ExeContext_from_StackTrace)(ips, n);
   return VG_(make_ExeContext_from_StackTrace)(ips + skip, n - skip);
}

/* realloc is reported in two halves.  Between them the real realloc runs
   and may free the old address, which another thread may then get from
   malloc: so the old block leaves the table first, and is kept aside
   here until the second half says what happened. */
static RsBlock** realloc_pending;     /* indexed by ThreadId */

static void on_realloc_begin(ThreadId tid, Addr old)
{
   if (realloc_pending == NULL)         /* VG_N_THREADS is set by options */
      realloc_pending = VG_(calloc)("rs.clreq.realloc", VG_N_THREADS,
                                    sizeof(RsBlock*));
   if (realloc_pending[tid] != NULL)        /* a lost second half */
      rs_block_reattach(realloc_pending[tid]);
   realloc_pending[tid] = rs_block_detach(old);
}

static void on_realloc_end(ThreadId tid, Addr old, Addr new, SizeT size)
{
   RsBlock* b = realloc_pending ? realloc_pending[tid] : NULL;
   if (b != NULL)
      realloc_pending[tid] = NULL;
   if (b == NULL || b->addr != old) {       /* old block was unknown */
      if (b != NULL)
         rs_block_reattach(b);
      if (new != 0)
         rs_block_alloc(new, size, alloc_stack(tid, True));
      return;
   }
   if (new == 0 && size != 0) {             /* failed: old block lives on */
      rs_block_reattach(b);
      return;
   }
   if (new == 0) {                          /* realloc(p, 0) freed p */
      rs_block_reattach(b);
      rs_block_free(old);
      return;
   }
   rs_block_realloc_done(b, new, size, alloc_stack(tid, True));
}

/* RSSMASSIF_GET_TOTALS: fills the client's struct if it is writable. */
static UWord get_totals(UWord client_ptr, UWord size)
{
   struct rssmassif_totals out;
   RsTotals t;
   RsCategory c;
   ULong* field;
   if (size != sizeof out
       || !VG_(am_is_valid_for_client)(client_ptr, size, VKI_PROT_WRITE))
      return 0;
   rs_totals_now(&t);
   out.useful_B = t.useful_B;
   out.blocks   = t.blocks;
   field = &out.heap_live_B;
   for (c = 0; c < RS_N_CATS; c++) {
      *field++ = t.mapped_B[c];
      *field++ = t.resident_B[c];
   }
   VG_(memcpy)((void*)client_ptr, &out, sizeof out);
   return 1;
}

static const HChar* client_string(UWord p)
{
   /* Checked one page at a time: the label may end anywhere. */
   const HChar* s = (const HChar*)p;
   UWord i;
   if (p == 0)
      return "null";
   for (i = 0; i < 64; i++) {
      if (!VG_(am_is_valid_for_client)(p + i, 1, VKI_PROT_READ))
         return "unreadable";
      if (s[i] == '\0')
         return s;
   }
   return s;                         /* sanitised_copy keeps 64 chars */
}

Bool rs_handle_client_request(ThreadId tid, UWord* args, UWord* ret)
{
   switch (args[0]) {
   case RS_REQ_ALLOC:
      rs_block_alloc(args[1], args[2], alloc_stack(tid, True));
      break;
   case RS_REQ_FREE:
      rs_block_free(args[1]);
      break;
   case RS_REQ_REALLOC_BEGIN:
      on_realloc_begin(tid, args[1]);
      break;
   case RS_REQ_REALLOC_END:
      on_realloc_end(tid, args[1], args[2], args[3]);
      break;
   case VG_USERREQ__MALLOCLIKE_BLOCK:
      rs_block_alloc(args[1], args[2], alloc_stack(tid, False));
      break;
   case VG_USERREQ__FREELIKE_BLOCK:
      rs_block_free(args[1]);
      break;
   case VG_USERREQ__RESIZEINPLACE_BLOCK:
      rs_block_resize(args[1], args[3]);
      break;
   case VG_USERREQ__RSSMASSIF_GET_TOTALS:
      *ret = get_totals(args[1], args[2]);
      return True;
   case VG_USERREQ__RSSMASSIF_SNAPSHOT:
      rs_snapshot_labelled(client_string(args[1]));
      *ret = 0;
      return True;
   default:
      return False;
   }
   *ret = 0;
   rs_snapshot_maybe();
   return True;
}
