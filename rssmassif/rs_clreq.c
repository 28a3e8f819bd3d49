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
#include "pub_tool_gdbserver.h"
#include "rs_output.h"
#include "rs_limits.h"

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

/* A realloc is reported once, after the real realloc returned.  If the
   block moved, another thread may have been given the old address in
   between and reported it: rs_block_alloc() then counted the old block
   freed, and here the old block is unknown. */
void rs_clreq_realloc(ThreadId tid, Addr old, Addr new, SizeT size,
                      ExeContext* where)
{
   if (rs_block_lookup(old) == NULL) {
      if (new != 0)
         rs_block_alloc(new, size, where);
      return;
   }
   if (new == 0 && size != 0)               /* failed: the old block lives on */
      return;
   if (new == 0) {                          /* realloc(p, 0) freed p */
      rs_block_free(old);
      return;
   }
   rs_block_realloc(old, new, size, where);
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

/* ------------------------------------------------------------------ */
/* gdbserver monitor commands (vgdb, VALGRIND_MONITOR_COMMAND).        */
/* ------------------------------------------------------------------ */

static void print_monitor_help(void)
{
   VG_(gdb_printf)(
"\n"
"rssmassif monitor commands:\n"
"  snapshot [<filename>]\n"
"  detailed_snapshot [<filename>]\n"
"       takes a snapshot (or a detailed snapshot) now and writes it\n"
"       to <filename> (default rssmassif.vgdb.out)\n"
"  totals\n"
"       prints the current totals by category (the #rs: keys)\n"
"\n");
}

static void print_totals(void)
{
   RsTotals t;
   RsCategory c;
   rs_totals_now(&t);
   VG_(gdb_printf)("useful_B=%llu blocks=%llu", t.useful_B, t.blocks);
   for (c = 0; c < RS_N_CATS; c++)
      VG_(gdb_printf)(" %s_B=%llu %s_res_B=%llu", rs_category_key(c),
                      t.mapped_B[c], rs_category_key(c), t.resident_B[c]);
   VG_(gdb_printf)("\n");
}

static void monitor_snapshot(HChar** save, Bool detailed)
{
   HChar* name = VG_(strtok_r)(NULL, " ", save);
   RsSnapshot s;
   if (name == NULL)
      name = (HChar*)"rssmassif.vgdb.out";
   rs_snapshot_fill_transient(&s, detailed);
   if (rs_output_write_one(name, &s))
      VG_(gdb_printf)("%s written to %s\n",
                      detailed ? "detailed snapshot" : "snapshot", name);
   else
      VG_(gdb_printf)("error: can't create %s\n", name);
   rs_snapshot_free_transient(&s);
}

static Bool handle_monitor_command(HChar* req)
{
   HChar  copy[256];
   HChar* save;
   HChar* word;
   VG_(strncpy)(copy, req, sizeof copy - 1);
   copy[sizeof copy - 1] = '\0';
   word = VG_(strtok_r)(copy, " ", &save);
   switch (VG_(keyword_id)("help snapshot detailed_snapshot totals", word,
                           kwd_report_duplicated_matches)) {
   case -2: return True;                   /* ambiguous: already reported */
   case -1: return False;                  /* not ours */
   case 0:  print_monitor_help(); return True;
   case 1:  monitor_snapshot(&save, False); return True;
   case 2:  monitor_snapshot(&save, True); return True;
   case 3:  print_totals(); return True;
   default: return False;
   }
}

Bool rs_handle_client_request(ThreadId tid, UWord* args, UWord* ret)
{
   /* This thread's frees happened before whatever it asks now. */
   rs_blocks_take_frees(tid);
   switch (args[0]) {
   case RS_REQ_FREES:
      rs_blocks_register_free_batch(tid, args[1]);
      rs_blocks_take_frees(tid);
      *ret = 0;
      return True;
   case RS_REQ_ALLOC:
      rs_block_alloc(args[1], args[2], alloc_stack(tid, True));
      break;
   case RS_REQ_REALLOC:
      rs_clreq_realloc(tid, args[1], args[2], args[3], alloc_stack(tid, True));
      break;
   case VG_USERREQ__MALLOCLIKE_BLOCK:
      rs_custom_alloc(args[1], args[2], alloc_stack(tid, False));
      break;
   case VG_USERREQ__FREELIKE_BLOCK:
      rs_custom_free(args[1]);
      break;
   case VG_USERREQ__RESIZEINPLACE_BLOCK:
      rs_custom_resize(args[1], args[3]);
      break;
   case VG_USERREQ__RSSMASSIF_GET_TOTALS:
      *ret = get_totals(args[1], args[2]);
      return True;
   case VG_USERREQ__RSSMASSIF_SNAPSHOT:
      rs_limits_check(tid, rs_snapshot_labelled(client_string(args[1])));
      *ret = 0;
      return True;
   case VG_USERREQ__GDB_MONITOR_COMMAND:
      if (args[1] == 0 || !handle_monitor_command((HChar*)args[1]))
         return False;
      *ret = 1;
      return True;
   default:
      return False;
   }
   *ret = 0;
   rs_snapshot_maybe();
   return True;
}
