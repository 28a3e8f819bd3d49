/* rs_ir.h -- small IR helpers shared by the tool's instrumentation
   (rs_static.c, rs_hook.c). */
#ifndef RS_IR_H
#define RS_IR_H
#include "rs_common.h"
#include "pub_tool_tooliface.h"
#include "libvex_guest_offsets.h"

/* A guest register, read into a temporary (flat IR wants atoms). */
static inline IRExpr* rs_ir_get_reg(IRSB* sb, Int offset)
{
   IRTemp t = newIRTemp(sb->tyenv, Ity_I64);
   addStmtToIRSB(sb, IRStmt_WrTmp(t, IRExpr_Get(offset, Ity_I64)));
   return IRExpr_RdTmp(t);
}

/* Adds a dirty call that may unwind the guest stack: the unwinder reads
   the guest IP, SP and BP, so the IP is written first (it is not kept up
   to date between instructions) and the call declares that it reads all
   three, which makes VEX write back any pending SP and BP. */
static inline void rs_ir_add_unwinding_call(IRSB* sb, Addr guest_ip, IRDirty* di)
{
   addStmtToIRSB(sb, IRStmt_Put(OFFSET_amd64_RIP, mkIRExpr_HWord(guest_ip)));
   di->nFxState = 3;
   di->fxState[0].fx = Ifx_Read; di->fxState[0].offset = OFFSET_amd64_RSP;
   di->fxState[0].size = 8;      di->fxState[0].nRepeats = 0;
   di->fxState[0].repeatLen = 0;
   di->fxState[1] = di->fxState[0];
   di->fxState[1].offset = OFFSET_amd64_RBP;
   di->fxState[2] = di->fxState[0];
   di->fxState[2].offset = OFFSET_amd64_RIP;
   addStmtToIRSB(sb, IRStmt_Dirty(di));
}

#endif
