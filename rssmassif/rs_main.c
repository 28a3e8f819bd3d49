/*--------------------------------------------------------------------*/
/*--- rssmassif: does free() give memory back?            rs_main.c ---*/
/*--------------------------------------------------------------------*/
/*
   This file is part of rssmassif, a Valgrind tool that runs a program
   with its real allocator and tells, page by page, which mapped memory
   still holds live heap data, which is freed-but-mapped (retained or
   released), and which belongs to the loader, stacks or anything else.

   Copyright (C) 2026 the rssmassif developers.

   This program is free software; you can redistribute it and/or modify
   it under the terms of the GNU General Public License as published by
   the Free Software Foundation; either version 2 of the License, or (at
   your option) any later version.  See the file COPYING.

   SPDX-License-Identifier: GPL-2.0-or-later
*/

/* Registration and life cycle only; each concept lives in its module.
   Layers, lowest first (README's layout table): each is meant to use only
   the layers below it; some call cycles remain among layers 3-7
   (`make -C _build/tests cycles` lists them):
   1. vocabulary
     rs_common.h  categories, origins, totals (types)
     rs_vocab     names of categories and origins
     rs_options   command-line options (rs_options.def)
     rs_text      growable text buffers
     rs_pageset   sets of page ranges
   2. allocator facts
     rs_alloc       which allocator serves the client
     rs_glibc_mmap  glibc's dynamic mmap threshold
     rs_tcmalloc    tcmalloc's size classes
     rs_frames      the allocator's frames in a stack
     rs_sitenames   site lines told apart (first frame that differs)
   3. data model
     rs_pages     per-page live-byte counters
     rs_blocks    live block table, heap counters, batched frees
     rs_mappings  client mappings, origins and mapping events
     rs_stacks    the stacks glibc keeps for exited threads
     rs_resid     residency of client pages (mincore)
   4. derived views
     rs_trim      what malloc_trim(0) would give back
     rs_release   what the allocator's own release call would give back
     rs_tree      detailed snapshots (sites, blockers, arenas, segments)
     rs_tree_res  resident bytes of each tree node
     rs_runtime   language runtimes with allocators of their own
     rs_check     self-checks
   5. policy
     rs_snapshot  totals (mincore), the snapshot store, culling
   6. outputs
     rs_output    the rssmassif.out file and the exit summary
     rs_json      the JSON summary
     rs_limits    retained-memory limits as errors
   7. adapters
     rs_main      core events and life cycle (this file)
     rs_clreq     client requests (wrappers, MALLOCLIKE, rssmassif.h)
     rs_hook      the wrappers' fast report path (no client request)
     rs_capture   allocation stacks, where the preload's code lies
     rs_static    the allocators of static programs (hooks in their code)
     rs_wrappers  the preload that wraps the real allocator (with rs_brk,
                  the emulated program break), run in the client
   rs_mkman writes the man page at build time; it is not part of the tool. */

#include "rs_common.h"
#include "rs_options.h"
#include "rs_pages.h"
#include "rs_blocks.h"
#include "rs_mappings.h"
#include "rs_snapshot.h"
#include "rs_output.h"
#include "rs_clreq.h"
#include "rs_limits.h"
#include "rs_json.h"
#include "rs_static.h"
#include "rs_hook.h"
#include "rs_stacks.h"
#include "rs_release.h"
#include "rs_mutant.h"
#include "pub_tool_tooliface.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_machine.h"
#include "pub_tool_options.h"
#include "pub_tool_vkiscnums.h"
#include "pub_tool_libcproc.h"

/* ------------------------------------------------------------------ */
/* Instrumentation: count guest instructions for --time-unit=i.        */
/* ------------------------------------------------------------------ */

/* Adds the number of instructions of a superblock to rs_guest_instrs at
   its start (as Massif does: side exits make it approximate, which only
   shifts snapshot times slightly), and, for a static program, the hooks
   on its allocator (rs_static.c). */
static void add_instr_count(IRSB* sb_out, Int n_instrs)
{
   IRTemp t1 = newIRTemp(sb_out->tyenv, Ity_I64);
   IRTemp t2 = newIRTemp(sb_out->tyenv, Ity_I64);
   addStmtToIRSB(sb_out, IRStmt_WrTmp(t1,
      IRExpr_Load(Iend_LE, Ity_I64, mkIRExpr_HWord((HWord)&rs_guest_instrs))));
   addStmtToIRSB(sb_out, IRStmt_WrTmp(t2,
      IRExpr_Binop(Iop_Add64, IRExpr_RdTmp(t1), IRExpr_Const(IRConst_U64(n_instrs)))));
   addStmtToIRSB(sb_out, IRStmt_Store(Iend_LE,
      mkIRExpr_HWord((HWord)&rs_guest_instrs), IRExpr_RdTmp(t2)));
}

static IRSB* rs_instrument(VgCallbackClosure* closure, IRSB* sb_in,
                           const VexGuestLayout* layout,
                           const VexGuestExtents* vge,
                           const VexArchInfo* archinfo_host,
                           IRType gWordTy, IRType hWordTy)
{
   Bool  count = rs_clo.time_unit == RS_TIME_I;
   Bool  hooks = rs_static_active();
   Bool  report_hook = rs_hook_wanted(vge);
   IRSB* sb_out;
   Int   i, n_instrs = 0;

   if (!count && !hooks && !report_hook)
      return sb_in;
   for (i = 0; i < sb_in->stmts_used; i++)
      if (sb_in->stmts[i]->tag == Ist_IMark)
         n_instrs++;
   sb_out = deepCopyIRSBExceptStmts(sb_in);
   /* Keep the preamble (statements before the first IMark) first. */
   for (i = 0; i < sb_in->stmts_used && sb_in->stmts[i]->tag != Ist_IMark; i++)
      addStmtToIRSB(sb_out, sb_in->stmts[i]);
   if (count)
      add_instr_count(sb_out, n_instrs);
   for (; i < sb_in->stmts_used; i++) {
      IRStmt* st = sb_in->stmts[i];
      addStmtToIRSB(sb_out, st);
      if (st->tag != Ist_IMark)
         continue;
      if (report_hook && rs_hook_after_imark(sb_out, (Addr)st->Ist.IMark.addr))
         return sb_out;              /* the rest is vgrs_report's body */
      if (hooks)
         rs_static_after_imark(sb_out, (Addr)st->Ist.IMark.addr);
   }
   if (hooks)
      rs_static_at_end(sb_out);
   return sb_out;
}

/* ------------------------------------------------------------------ */
/* Life cycle.                                                         */
/* ------------------------------------------------------------------ */

/* Live threads (the core's thread table; the caller counts too). */
static UInt n_live_threads(void)
{
   ThreadId t;
   Addr lo, hi;
   UInt n = 0;
   VG_(thread_stack_reset_iter)(&t);
   while (VG_(thread_stack_next)(&t, &lo, &hi))
      n++;
   return n;
}

/* The final snapshot, once, and the --max-retained check on it (at the
   same moment: the error's call site is read from the map now). */
static void take_final(ThreadId tid, Bool at_exit_syscall)
{
   if (rs_snapshot_last() != NULL)
      return;
   rs_snapshot_final(at_exit_syscall);
   rs_static_note_exit();
   rs_limits_check(tid, rs_snapshot_last());
}

/* Is this syscall the end of the process: exit_group, or exit by its
   last thread?  Natively the kernel tears the process down there; under
   Valgrind the core then runs glibc's freeres, which frees libc's own
   blocks and unmaps the stacks glibc keeps for exited threads. */
static Bool ends_process(UInt sysno)
{
   return sysno == __NR_exit_group
          || (sysno == __NR_exit && n_live_threads() == 1);
}

/* Before the client execs another program, its snapshots so far are
   written out: without --trace-children=yes nothing of this process
   runs again, and fini is never called.  At the process's end the final
   snapshot is taken: the program's own exit state, before freeres. */
static void rs_pre_syscall(ThreadId tid, UInt sysno, UWord* args, UInt nArgs)
{
   if (!RS_MUTANT_IS(1101) && ends_process(sysno))
      take_final(tid, True);
   if (sysno == __NR_execve || sysno == __NR_execveat) {
      rs_snapshot_labelled("execve");
      rs_output_checkpoint();
      rs_json_write();
   }
   rs_mappings_pre_syscall(tid, sysno, args, nArgs);
}

static void rs_post_syscall(ThreadId tid, UInt sysno, UWord* args,
                            UInt nArgs, SysRes res)
{
   rs_mappings_post_syscall(tid, sysno, args, nArgs, res);
   rs_static_post_syscall(sysno, args, res);
}

/* Does nothing, yet stays registered: measured on 2026-11-26 with
   Valgrind 3.19, churn-10k ran at 1.48-1.67 s user with it and 1.81-1.88 s
   without (paired runs, same build otherwise).  Why the core's scheduler
   is faster with a start_client_code tracker was not found; re-measure
   before removing it. */
static void rs_thread_runs(ThreadId tid, ULong blocks_done) { }

static void rs_thread_exit(ThreadId tid)
{
   rs_blocks_thread_exit(tid);
   rs_release_note_thread_exit(tid);
   rs_stacks_thread_exit(tid);
}

static void rs_after_fork_child(ThreadId tid)
{
   rs_output_after_fork_child();
}

static void rs_post_clo_init(void)
{
   rs_options_post_check();
   rs_json_check_writable();
   rs_snapshot_init();
   rs_output_start();
   VG_(atfork)(NULL, NULL, rs_after_fork_child);
}

/* Runs after the client has exited (also when a signal killed it) and
   after glibc's freeres.  The final snapshot was taken at the program's
   exit_group, before freeres (rs_pre_syscall); it is taken now only when
   the program never got there (a fatal signal: no freeres runs then).
   The HEAP SUMMARY counts after freeres, as Memcheck's does. */
static void rs_fini(Int exitcode)
{
   take_final(VG_INVALID_THREADID, False);
   rs_snapshot_note_in_use_at_exit();
   rs_mappings_debug_ranges();
   rs_output_write_file();
   rs_output_summary();
   rs_json_write();
   if (VG_(clo_stats)) {
      rs_snapshot_print_stats();
      VG_(umsg)("rssmassif: page counters: %'llu bytes of tool memory\n",
                rs_pages_overhead_B());
      VG_(umsg)("rssmassif: blocks reported through the hook: %'llu\n",
                rs_hook_n_reports());
   }
}

static void rs_pre_clo_init(void)
{
   VG_(details_name)            ("rssmassif");
   VG_(details_version)         ("0.1.0");
   VG_(details_description)     ("which mapped pages still hold live heap data");
   VG_(details_copyright_author)("Copyright (C) 2026, the rssmassif developers.");
   VG_(details_bug_reports_to)  ("the rssmassif issue tracker");
   VG_(details_avg_translation_sizeB)(330);

   VG_(basic_tool_funcs)(rs_post_clo_init, rs_instrument, rs_fini);
   VG_(needs_command_line_options)(rs_process_cmd_line_option,
                                   rs_print_usage, rs_print_debug_usage);
   VG_(needs_client_requests)(rs_handle_client_request);
   rs_limits_register();
   /* Let glibc and libstdc++ free their own internal blocks at exit, so
      that "in use at exit" is the program's own (as with Memcheck). */
   VG_(needs_libc_freeres)();
   VG_(needs_cxx_freeres)();

   rs_options_init();
   rs_pages_init();
   rs_blocks_init();
   rs_blocks_set_observer(rs_release_note_block);
   rs_mappings_init();
   rs_mappings_register();
   VG_(needs_syscall_wrapper)(rs_pre_syscall, rs_post_syscall);
   VG_(track_pre_thread_ll_exit)(rs_thread_exit);
   VG_(track_start_client_code)(rs_thread_runs);
}

VG_DETERMINE_INTERFACE_VERSION(rs_pre_clo_init)
