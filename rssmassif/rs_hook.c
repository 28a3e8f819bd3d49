/*--------------------------------------------------------------------*/
/*--- rssmassif: the fast report path.                    rs_hook.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_hook.h"
#include "rs_clreq.h"
#include "rs_options.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_machine.h"
#include "pub_tool_threadstate.h"
#include "rs_ir.h"

extern UInt VG_(debuginfo_generation)(void);

/* The preload's text, [preload_lo, preload_hi): 0, 0 until found.  The
   DebugInfo list is searched again only when it changed. */
static Addr preload_lo, preload_hi;
static UInt searched_gen = ~0U;
static Addr hook_addr;                  /* 0 until found */
static ULong n_fast_reports;

static void find_preload(void)
{
   const DebugInfo* di;
   if (preload_hi != 0 || searched_gen == VG_(debuginfo_generation)())
      return;
   searched_gen = VG_(debuginfo_generation)();
   for (di = VG_(next_DebugInfo)(NULL); di != NULL; di = VG_(next_DebugInfo)(di)) {
      const HChar* name = VG_(DebugInfo_get_filename)(di);
      SizeT size = VG_(DebugInfo_get_text_size)(di);
      if (name != NULL && size > 0
          && VG_(strstr)(name, "vgpreload_rssmassif") != NULL) {
         preload_lo = VG_(DebugInfo_get_text_avma)(di);
         preload_hi = preload_lo + size;
         return;
      }
   }
}

Bool rs_hook_in_preload(Addr ip)
{
   find_preload();
   return preload_lo <= ip && ip < preload_hi;
}

Bool rs_hook_preload_known(void)
{
   find_preload();
   return preload_hi != 0;
}

ULong rs_hook_n_reports(void) { return n_fast_reports; }

Bool rs_hook_wanted(const VexGuestExtents* vge)
{
   UInt i;
   if (!rs_clo.report_hook)
      return False;
   find_preload();
   for (i = 0; i < vge->n_used; i++)
      if (vge->base[i] < preload_hi && preload_lo < vge->base[i] + vge->len[i])
         return True;
   return False;
}

/* The report, made from translated code: as the client request would. */
static VG_REGPARM(0) void on_report(UWord p, UWord req, UWord old, UWord n,
                                    UWord ra, UWord cfa)
{
   n_fast_reports++;
   rs_clreq_report(VG_(get_running_tid)(), req, p, old, n, ra, cfa);
}

static Bool is_hook_entry(Addr addr)
{
   const HChar* name;
   if (hook_addr != 0)
      return addr == hook_addr;
   if (!rs_hook_in_preload(addr)
       || !VG_(get_fnname_if_entry)(VG_(current_DiEpoch)(), addr, &name)
       || !VG_STREQ(name, RS_HOOK_FN))
      return False;
   hook_addr = addr;
   return True;
}

/* vgrs_report(p, req, old, n, ra, cfa) returns p.  At its first
   instruction the return address is at RSP, so the return is: RAX = RDI,
   pop the return address, jump there. */
Bool rs_hook_after_imark(IRSB* sb, Addr addr)
{
   IRDirty* di;
   IRTemp   sp, ra, sp8;
   if (!is_hook_entry(addr))
      return False;
   di = unsafeIRDirty_0_N(0, "rs_hook_on_report", VG_(fnptr_to_fnentry)(on_report),
                          mkIRExprVec_6(rs_ir_get_reg(sb, OFFSET_amd64_RDI),
                                        rs_ir_get_reg(sb, OFFSET_amd64_RSI),
                                        rs_ir_get_reg(sb, OFFSET_amd64_RDX),
                                        rs_ir_get_reg(sb, OFFSET_amd64_RCX),
                                        rs_ir_get_reg(sb, OFFSET_amd64_R8),
                                        rs_ir_get_reg(sb, OFFSET_amd64_R9)));
   rs_ir_add_unwinding_call(sb, addr, di);

   addStmtToIRSB(sb, IRStmt_Put(OFFSET_amd64_RAX, rs_ir_get_reg(sb, OFFSET_amd64_RDI)));
   sp  = rs_ir_get_reg(sb, OFFSET_amd64_RSP)->Iex.RdTmp.tmp;
   ra  = newIRTemp(sb->tyenv, Ity_I64);
   sp8 = newIRTemp(sb->tyenv, Ity_I64);
   addStmtToIRSB(sb, IRStmt_WrTmp(ra, IRExpr_Load(Iend_LE, Ity_I64, IRExpr_RdTmp(sp))));
   addStmtToIRSB(sb, IRStmt_WrTmp(sp8, IRExpr_Binop(Iop_Add64, IRExpr_RdTmp(sp),
                                                    IRExpr_Const(IRConst_U64(8)))));
   addStmtToIRSB(sb, IRStmt_Put(OFFSET_amd64_RSP, IRExpr_RdTmp(sp8)));
   sb->next = IRExpr_RdTmp(ra);
   sb->jumpkind = Ijk_Ret;
   return True;
}
