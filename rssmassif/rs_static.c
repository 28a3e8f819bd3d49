/*--------------------------------------------------------------------*/
/*--- rssmassif: allocators of static programs.          rs_static.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_static.h"
#include "rs_blocks.h"
#include "rs_clreq.h"
#include "rs_options.h"
#include "rs_snapshot.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_machine.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_stacktrace.h"
#include "pub_tool_aspacemgr.h"
#include "rs_ir.h"

typedef enum {
   FN_MALLOC, FN_CALLOC, FN_REALLOC, FN_REALLOCARRAY, FN_FREE, FN_MEMALIGN,
   FN_POSIX_MEMALIGN, FN_VALLOC, FN_PVALLOC, FN_NONE
} AllocFn;

static const struct { const HChar* name; AllocFn fn; } alloc_fns[] = {
   { "malloc", FN_MALLOC },           { "__libc_malloc", FN_MALLOC },
   { "calloc", FN_CALLOC },           { "__libc_calloc", FN_CALLOC },
   { "realloc", FN_REALLOC },         { "__libc_realloc", FN_REALLOC },
   { "reallocarray", FN_REALLOCARRAY },
   { "free", FN_FREE },               { "__libc_free", FN_FREE },
   { "cfree", FN_FREE },
   { "memalign", FN_MEMALIGN },       { "__libc_memalign", FN_MEMALIGN },
   { "aligned_alloc", FN_MEMALIGN },
   { "posix_memalign", FN_POSIX_MEMALIGN },
   { "valloc", FN_VALLOC },           { "__libc_valloc", FN_VALLOC },
   { "pvalloc", FN_PVALLOC },         { "__libc_pvalloc", FN_PVALLOC },
   { NULL, FN_NONE }
};

static Bool saw_startup, saw_loader;

/* The outermost allocator call a thread is in (by ThreadId). */
typedef struct {
   Bool        in_call;
   AllocFn     fn;
   UWord       arg[3];
   Addr        return_sp;      /* the stack pointer after its `ret` */
   ExeContext* where;
} PendingCall;

static PendingCall* pending;   /* VG_N_THREADS entries, made on first use */
/* Threads in an allocator call now: read by instrumented code, which
   calls on_return at a `ret` only while it is non-zero. */
static UWord n_in_call;

void rs_static_note_startup(const HChar* filename)
{
   saw_startup = True;
   if (filename != NULL && VG_(strstr)(filename, "/ld-linux") != NULL)
      saw_loader = True;
}

Bool rs_static_active(void)
{
   return saw_startup && !saw_loader;
}

static PendingCall* pending_of(ThreadId tid)
{
   if (pending == NULL)
      pending = VG_(calloc)("rs.static.pending", VG_N_THREADS, sizeof(PendingCall));
   return tid < VG_N_THREADS ? &pending[tid] : NULL;
}

/* The allocation stack at a function's first instruction: frame 0 is the
   allocator itself and is dropped. */
static ExeContext* stack_at_entry(ThreadId tid)
{
   Addr ips[201];
   UInt n = VG_(get_StackTrace)(tid, ips, rs_clo.depth + 1, NULL, NULL, 0);
   return n > 1 ? VG_(make_ExeContext_from_StackTrace)(ips + 1, n - 1)
                : VG_(make_ExeContext_from_StackTrace)(ips, n);
}

static VG_REGPARM(0) void on_entry(UWord fn, UWord a1, UWord a2, UWord a3, UWord sp)
{
   ThreadId tid = VG_(get_running_tid)();
   PendingCall* p = pending_of(tid);
   if (p == NULL || p->in_call)
      return;                              /* a nested call: not reported */
   if (fn == FN_FREE) {
      if (a1 != 0) {
         rs_block_free(a1);                /* before the real free */
         rs_snapshot_maybe();
      }
   } else {
      p->where = stack_at_entry(tid);
   }
   p->in_call = True;
   p->fn = fn;
   p->arg[0] = a1; p->arg[1] = a2; p->arg[2] = a3;
   p->return_sp = sp + sizeof(Addr);
   n_in_call++;
   if (rs_clo.debug)
      VG_(umsg)("rs-debug: static entry fn=%lu a1=%#lx sp=%#lx\n", fn, a1, sp);
}

static SizeT page_round(SizeT n) { return (n + RS_PAGE_B - 1) & ~(RS_PAGE_B - 1); }

static void report_return(ThreadId tid, PendingCall* p, UWord ret)
{
   Addr block;
   switch (p->fn) {
   case FN_MALLOC: case FN_VALLOC:
      if (ret) rs_block_alloc(ret, p->arg[0], p->where);
      break;
   case FN_PVALLOC:
      if (ret) rs_block_alloc(ret, page_round(p->arg[0]), p->where);
      break;
   case FN_CALLOC:
      if (ret) rs_block_alloc(ret, p->arg[0] * p->arg[1], p->where);
      break;
   case FN_MEMALIGN:
      if (ret) rs_block_alloc(ret, p->arg[1], p->where);
      break;
   case FN_POSIX_MEMALIGN:
      if ((UInt)ret == 0
          && VG_(am_is_valid_for_client)(p->arg[0], sizeof(Addr), VKI_PROT_READ)
          && (block = *(Addr*)p->arg[0]) != 0)
         rs_block_alloc(block, p->arg[2], p->where);
      break;
   case FN_REALLOC:
      if (p->arg[0] == 0) { if (ret) rs_block_alloc(ret, p->arg[1], p->where); }
      else rs_clreq_realloc(tid, p->arg[0], ret, p->arg[1], p->where);
      break;
   case FN_REALLOCARRAY: {
      SizeT n = (p->arg[2] != 0 && p->arg[1] > ~(SizeT)0 / p->arg[2])
                ? ~(SizeT)0 : p->arg[1] * p->arg[2];
      if (p->arg[0] == 0) { if (ret) rs_block_alloc(ret, n, p->where); }
      else rs_clreq_realloc(tid, p->arg[0], ret, n, p->where);
      break;
   }
   default:
      break;
   }
}

static VG_REGPARM(0) void on_return(UWord sp, UWord ret)
{
   ThreadId tid = VG_(get_running_tid)();
   PendingCall* p = pending_of(tid);
   if (p == NULL || !p->in_call || sp != p->return_sp)
      return;                              /* another function's `ret` */
   p->in_call = False;
   n_in_call--;
   if (rs_clo.debug)
      VG_(umsg)("rs-debug: static return fn=%d ret=%#lx\n", (Int)p->fn, ret);
   report_return(tid, p, ret);
   rs_snapshot_maybe();
}

Bool rs_static_is_allocator(const HChar* fnname)
{
   UInt i;
   for (i = 0; alloc_fns[i].name != NULL; i++)
      if (VG_STREQ(fnname, alloc_fns[i].name))
         return True;
   return False;
}

static AllocFn alloc_fn_at_entry(Addr a)
{
   const HChar* name;
   UInt i;
   if (!VG_(get_fnname_if_entry)(VG_(current_DiEpoch)(), a, &name))
      return FN_NONE;
   for (i = 0; alloc_fns[i].name != NULL; i++)
      if (VG_STREQ(name, alloc_fns[i].name))
         return alloc_fns[i].fn;
   return FN_NONE;
}

/* After the IMark of an allocator's first instruction (VEX may have
   chased the call into the caller's superblock, so any instruction can be
   one): note the call.  The unwinder needs the guest IP, SP and BP there,
   so the IP is written and the call declares that it reads all three. */
void rs_static_after_imark(IRSB* sb, Addr addr)
{
   IRDirty* di;
   AllocFn  fn;
   if (!rs_static_active() || (fn = alloc_fn_at_entry(addr)) == FN_NONE)
      return;
   di = unsafeIRDirty_0_N(0, "rs_static_on_entry",
           VG_(fnptr_to_fnentry)(on_entry),
           mkIRExprVec_5(mkIRExpr_HWord(fn),
                         rs_ir_get_reg(sb, OFFSET_amd64_RDI),
                         rs_ir_get_reg(sb, OFFSET_amd64_RSI),
                         rs_ir_get_reg(sb, OFFSET_amd64_RDX),
                         rs_ir_get_reg(sb, OFFSET_amd64_RSP)));
   rs_ir_add_unwinding_call(sb, addr, di);
}

/* At the end of a superblock that ends in `ret`, while some thread is in
   an allocator call: on_return(RSP, RAX) checks whether it is this
   thread's watched call that returns. */
void rs_static_at_end(IRSB* sb)
{
   IRDirty* di;
   IRTemp   w, g;
   IRExpr  *sp, *ax;
   if (!rs_static_active() || sb->jumpkind != Ijk_Ret)
      return;
   w = newIRTemp(sb->tyenv, Ity_I64);
   g = newIRTemp(sb->tyenv, Ity_I1);
   addStmtToIRSB(sb, IRStmt_WrTmp(w, IRExpr_Load(Iend_LE, Ity_I64,
                                     mkIRExpr_HWord((HWord)&n_in_call))));
   sp = rs_ir_get_reg(sb, OFFSET_amd64_RSP);
   ax = rs_ir_get_reg(sb, OFFSET_amd64_RAX);
   addStmtToIRSB(sb, IRStmt_WrTmp(g, IRExpr_Binop(Iop_CmpNE64, IRExpr_RdTmp(w),
                                                  IRExpr_Const(IRConst_U64(0)))));
   di = unsafeIRDirty_0_N(0, "rs_static_on_return",
           VG_(fnptr_to_fnentry)(on_return), mkIRExprVec_2(sp, ax));
   di->guard = IRExpr_RdTmp(g);
   addStmtToIRSB(sb, IRStmt_Dirty(di));
}
