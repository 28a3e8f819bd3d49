/*--------------------------------------------------------------------*/
/*--- rssmassif: stacks kept for exited threads.       rs_stacks.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Which thread-stack mappings belong to exited threads.  The core tells
   a tool when a thread exits (its stack pointer then lies on the stack
   it ran on), and which threads live now; a stack mapping holding an
   exited thread's stack pointer and no live one is cached.  A stack
   pthread_create is still setting up (no thread has run on it) is not.
   The live threads are read at each walk rather than remembered: after
   the process's end (at fini) the core's thread table is empty, and then
   only the exits seen so far count. */

#include "rs_stacks.h"
#include "rs_mutant.h"
#include "pub_tool_machine.h"
#include "pub_tool_threadstate.h"

/* Stack pointers of exited threads, at most one per stack mapping (a
   later exit on the same stack replaces the earlier one); entries whose
   page is no longer a thread stack are dropped at each walk. */
static Addr* exited_sp;
static UInt  n_exited_sp, cap_exited_sp;

/* Stack pointers of the live threads, read by rs_stacks_begin. */
static Addr* live_sp;
static UInt  n_live_sp;

static Bool is_thread_stack(const RsMapSite* site)
{
   return site != NULL && site->origin == RS_ORIGIN_STACK
          && site->where != VG_(null_ExeContext)();   /* not the main stack */
}

/* The thread-stack range holding a: False if a is on no thread stack. */
static Bool stack_range_at(Addr a, Addr* start, Addr* end)
{
   const RsMapSite* site;
   return rs_mappings_range_at(a, start, end, &site) && is_thread_stack(site);
}

void rs_stacks_thread_exit(ThreadId tid)
{
   Addr sp = VG_(get_SP)(tid), start, end;
   UInt k;
   if (!stack_range_at(sp, &start, &end))
      return;                       /* a stack of the program's own */
   for (k = 0; k < n_exited_sp; k++)
      if (exited_sp[k] >= start && exited_sp[k] < end) {
         exited_sp[k] = sp;
         return;
      }
   if (n_exited_sp == cap_exited_sp) {
      Addr* bigger;
      cap_exited_sp = cap_exited_sp ? 2 * cap_exited_sp : 64;
      bigger = RS_MALLOC("rs.stacks.exited", cap_exited_sp * sizeof(Addr));
      if (n_exited_sp > 0)
         VG_(memcpy)(bigger, exited_sp, n_exited_sp * sizeof(Addr));
      if (exited_sp != NULL)
         RS_FREE(exited_sp);
      exited_sp = bigger;
   }
   exited_sp[n_exited_sp++] = sp;
}

/* Drops exited stack pointers whose stack was unmapped. */
static void prune_exited(void)
{
   UInt k, kept = 0;
   Addr start, end;
   for (k = 0; k < n_exited_sp; k++)
      if (stack_range_at(exited_sp[k], &start, &end))
         exited_sp[kept++] = exited_sp[k];
   n_exited_sp = kept;
}

void rs_stacks_begin(void)
{
   ThreadId tid;
   Addr lo, hi;
   prune_exited();
   if (live_sp == NULL)
      live_sp = RS_MALLOC("rs.stacks.live", VG_N_THREADS * sizeof(Addr));
   n_live_sp = 0;
   VG_(thread_stack_reset_iter)(&tid);
   while (n_live_sp < VG_N_THREADS && VG_(thread_stack_next)(&tid, &lo, &hi))
      live_sp[n_live_sp++] = VG_(get_SP)(tid);
}

static Bool any_in(const Addr* v, UInt n, Addr start, Addr end)
{
   UInt k;
   for (k = 0; k < n; k++)
      if (v[k] >= start && v[k] < end)
         return True;
   return False;
}

Bool rs_stacks_is_cached(Addr start, Addr end, const RsMapSite* site)
{
   return is_thread_stack(site)
          && any_in(exited_sp, n_exited_sp, start, end)
          && (RS_MUTANT_IS(1102) || !any_in(live_sp, n_live_sp, start, end));
}
