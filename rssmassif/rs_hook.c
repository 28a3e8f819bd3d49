/*--------------------------------------------------------------------*/
/*--- rssmassif: the fast report path.                    rs_hook.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_hook.h"
#include "rs_clreq.h"
#include "rs_capture.h"
#include "rs_options.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_machine.h"
#include "pub_tool_threadstate.h"
#include "rs_ir.h"

static Addr hook_addr;                  /* 0 until found */
static ULong n_fast_reports;            /* reports made by the hook   */

ULong rs_hook_n_reports(void) { return n_fast_reports; }

Bool rs_hook_wanted(const VexGuestExtents* vge)
{
   UInt i;
   Addr lo, hi;
   if (!rs_clo.report_hook)
      return False;
   rs_capture_preload_text(&lo, &hi);
   for (i = 0; i < vge->n_used; i++)
      if (vge->base[i] < hi && lo < vge->base[i] + vge->len[i])
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
   if (!rs_capture_in_preload(addr)
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
