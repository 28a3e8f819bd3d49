/*--------------------------------------------------------------------*/
/*--- rssmassif: client requests.                       rs_clreq.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_clreq.h"
#include "rs_mappings.h"
#include "rs_clreq_ids.h"
#include "rs_blocks.h"
#include "rs_options.h"
#include "rs_snapshot.h"
#include "pub_tool_clreq.h"
#include "pub_tool_stacktrace.h"
#include "pub_tool_machine.h"
#include "pub_tool_execontext.h"
#include "pub_tool_aspacemgr.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_gdbserver.h"
#include "rs_output.h"
#include "rs_limits.h"
#include "rs_capture.h"
#include "rs_alloc.h"

void rs_clreq_report(ThreadId tid, UWord req, Addr p, Addr old, SizeT size,
                     Addr ra, Addr cfa)
{
   /* This thread's frees happened before this block came. */
   rs_blocks_take_frees(tid);
   if (req == RS_REQ_REALLOC)
      rs_clreq_realloc(tid, old, p, size, rs_capture_caller_stack(tid, ra, cfa));
   else
      rs_block_alloc(p, size, rs_capture_caller_stack(tid, ra, cfa));
   rs_snapshot_maybe();
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

/* The version-2 fields: cached thread stacks and glibc's dynamic mmap
   threshold (0 unless a free raised it and the program did not fix it:
   the #rs: line's keys, which are absent then). */
static void fill_v2(struct rssmassif_totals* out, const RsTotals* t)
{
   const RsMmapThreshold* m = &rs_heap.mmap_thr;
   Bool raised = m->n_raises > 0 && !m->fixed;
   out->stack_cached_n         = t->stack_cached_n;
   out->stack_cached_B         = RS_MUTANT_IS(1131) ? t->stack_cached_res_B : t->stack_cached_B;
   out->stack_cached_res_B     = t->stack_cached_res_B;
   out->mmap_threshold_B       = raised ? m->threshold_B : 0;
   out->mmap_later_heap_B      = raised ? m->later_heap_B : 0;
   out->mmap_later_heap_blocks = raised ? m->later_heap_blocks : 0;
}

/* RSSMASSIF_GET_TOTALS: fills the client's struct if it is writable.
   The size the client passes is its header's version (fields are only
   appended): version 1's twelve fields, or the whole struct. */
static UWord get_totals(UWord client_ptr, UWord size)
{
   struct rssmassif_totals out;
   RsTotals t;
   RsCategory c;
   ULong* field;
   if ((size != sizeof out && (size != RSSMASSIF_TOTALS_V1_SIZE || RS_MUTANT_IS(1132)))
       || !VG_(am_is_valid_for_client)(client_ptr, size, VKI_PROT_WRITE))
      return 0;
   if (RS_MUTANT_IS(19))
      return 0;
   rs_totals_now(&t);
   out.useful_B = t.useful_B;
   out.blocks   = t.blocks;
   field = &out.heap_live_B;
   for (c = 0; c < RS_N_CATS; c++) {
      *field++ = t.mapped_B[c];
      *field++ = RS_MUTANT_IS(20) && c == RS_CAT_HEAP_DEAD ? t.mapped_B[c] : t.resident_B[c];
   }
   fill_v2(&out, &t);
   VG_(memcpy)((void*)client_ptr, &out, size);
   return 1;
}

/* The client's data as the kernel counts it for RLIMIT_DATA (its
   data_vm): the client's writable mappings but the main stack's (the
   kernel does not count the stack; shared writable file mappings, rare,
   are counted here).  Valgrind's own mappings are not the client's. */
extern Addr VG_(clstk_end);
static UWord client_data_B(void)
{
   UInt  kinds = SkAnonC | SkFileC;
   Int   i, cap = 1024, n;
   Addr* starts = VG_(malloc)("rs.clreq.data", cap * sizeof(Addr));
   ULong sum = 0;
   while ((n = VG_(am_get_segment_starts)(kinds, starts, cap)) < 0) {
      cap = 2 * -n;
      starts = VG_(realloc)("rs.clreq.data", starts, cap * sizeof(Addr));
   }
   for (i = 0; i < n; i++) {
      NSegment const* seg = VG_(am_find_nsegment)(starts[i]);
      if (seg != NULL && seg->hasW
          && !(seg->start <= VG_(clstk_end) && VG_(clstk_end) <= seg->end))
         sum += seg->end + 1 - seg->start;
   }
   VG_(free)(starts);
   return (UWord)sum;
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
   VG_(gdb_printf)(" stack_cached_n=%llu stack_cached_B=%llu stack_cached_res_B=%llu\n",
                   t.stack_cached_n, t.stack_cached_B, t.stack_cached_res_B);
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
   case RS_REQ_REAL_FN:
      rs_alloc_note_real_fn(args[1]);
      *ret = 0;
      return True;
   case RS_REQ_BRK_DATA:
      *ret = RS_MUTANT_IS(1138) ? 0 : client_data_B();
      return True;
   case RS_REQ_MALLOPT:
      rs_blocks_note_mallopt((Int)args[1], (Int)args[2] == 1);
      *ret = 0;
      return True;
   case RS_REQ_ALLOC:
      rs_clreq_report(tid, RS_REQ_ALLOC, args[1], 0, args[2], args[3], args[4]);
      *ret = 0;
      return True;
   case RS_REQ_REALLOC:
      rs_clreq_report(tid, RS_REQ_REALLOC, args[2], args[1], args[3],
                      args[4], args[5]);
      *ret = 0;
      return True;
   case VG_USERREQ__MALLOCLIKE_BLOCK:
      rs_custom_alloc(args[1], args[2], rs_capture_stack(tid, False));
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
      return rs_mappings_brk_request(tid, args, ret);
   }
   *ret = 0;
   rs_snapshot_maybe();
   return True;
}
