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
#include "rs_mappings.h"
#include "rs_text.h"
#include "pub_tool_vkiscnums.h"

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

/* ------------------------------------------------------------------ */
/* A break Valgrind capped (issue 11).                                */
/* ------------------------------------------------------------------ */

/* Valgrind's own break (its brk segment), from the core. */
extern Addr VG_(brk_base), VG_(brk_limit);

/* glibc (2.36, amd64) facts for the native model: M_TOP_PAD and
   M_TRIM_THRESHOLD at start (a first malloc(10) grows a native break by
   135,168 = PAGE_UP(32 + 128 KiB + MINSIZE)), MINSIZE, the largest
   fastbin chunk, the size word's PREV_INUSE bit and a fencepost's size. */
#define CAP_TOP_PAD_B        (128 * 1024)
#define CAP_TRIM_THRESHOLD_B (128 * 1024)
#define CAP_MINSIZE_B        32
#define CAP_FASTBIN_MAX_B    128
#define CAP_PREV_INUSE       1
#define CAP_FENCEPOST_B      16

/* A brk syscall asked for more than Valgrind's brk segment gave (glibc's
   main arena then went on non-contiguous, in mmapped pieces), and the
   estimate made at the final snapshot. */
static struct {
   Bool  overflowed;
   Bool  have_estimate;
   ULong trim_B;          /* what native trimming would have given back */
   ULong trim_res_B;      /* ... of it resident under Valgrind          */
} capped;

void rs_static_post_syscall(UInt sysno, UWord* args, SysRes res)
{
   if (sysno == __NR_brk && !sr_isError(res) && args[0] > sr_Res(res) && !RS_MUTANT_IS(1135))
      capped.overflowed = True;
}

Bool rs_static_brk_capped(void)
{
   return capped.overflowed && !rs_mappings_brk_emulated();
}

const HChar* rs_static_brk_capped_why(void)
{
   return rs_static_active() ? "static" : !rs_clo.emulate_brk ? "off" : "unemulated";
}

/* The page cap_peek read last, and whether it is readable and resident
   (the walks read several words per page, in address order). */
static Addr cap_page;
static Bool cap_page_ok;

/* The word at a (8-aligned), if its page is resident (0 otherwise:
   reading a page that is not resident would make it so). */
static UWord cap_peek(Addr a)
{
   UChar v = 0;
   if (RS_PAGE_DOWN(a) != cap_page || cap_page == 0) {
      cap_page = RS_PAGE_DOWN(a);
      cap_page_ok = VG_(am_is_valid_for_client)(cap_page, RS_PAGE_B, VKI_PROT_READ);
      if (cap_page_ok)
         rs_read_residency(cap_page, 1, &v);
      cap_page_ok = cap_page_ok && (v & 1);
   }
   return cap_page_ok ? *(const UWord*)a : 0;
}

/* Is the heap mapping [start, end) glibc's main arena: Valgrind's brk
   segment, or a piece glibc mmapped when the break could not grow (it
   starts with the top chunk's header: PREV_INUSE alone; an mmapped
   chunk has IS_MMAPPED, a thread arena's heap starts with heap_info,
   whose second word is a 64 MiB-aligned pointer or 0)? */
static Bool in_brk_segment(Addr a)
{
   return VG_(brk_base) <= a && a < VG_(brk_limit);
}

static Bool is_main_arena(Addr start)
{
   UWord w;
   if (in_brk_segment(start))
      return True;
   w = cap_peek(start + sizeof(UWord));
   return (w & 7) == CAP_PREV_INUSE && (w & ~(UWord)7) >= CAP_MINSIZE_B;
}

/* The main arena's mappings, in address order (Valgrind's address-space
   manager places the pieces first fit upwards, above the brk segment:
   the order glibc got them in).  The brk segment is one (its pages may
   be several ranges); each piece is its own range (a mapping of its own,
   starting with a chunk header), as glibc fences each piece off rather
   than merging it with the one before. */
static UInt main_arena_ranges(Addr** plo, Addr** phi)
{
   UInt i, n = 0, cap = 64, nr = rs_mappings_n_ranges();
   Addr* lo = VG_(malloc)("rs.static.ranges", cap * sizeof(Addr));
   Addr* hi = VG_(malloc)("rs.static.ranges", cap * sizeof(Addr));
   for (i = 0; i < nr; i++) {
      Addr start, end;
      const RsMapSite* site;
      if (!rs_mappings_range(i, &start, &end, &site) || site == NULL
          || site->origin != RS_ORIGIN_HEAP)
         continue;
      if (in_brk_segment(start) && n > 0 && hi[n - 1] == start && in_brk_segment(lo[n - 1]))
         hi[n - 1] = end;
      else if (is_main_arena(start)) {
         if (n == cap) {
            cap *= 2;
            lo = VG_(realloc)("rs.static.ranges", lo, cap * sizeof(Addr));
            hi = VG_(realloc)("rs.static.ranges", hi, cap * sizeof(Addr));
         }
         lo[n] = start;
         hi[n++] = end;
      }
   }
   *plo = lo;
   *phi = hi;
   return n;
}

/* Where the walk of [lo, hi) starts: a piece's first chunk is at its
   start; the brk segment may begin with other data (a static program's
   TLS), so its walk starts at its lowest live block's chunk (0: none). */
static Addr walk_start(Addr lo, Addr hi)
{
   const RsBlock* b;
   Addr first = 0;
   if (!in_brk_segment(lo))
      return lo;
   rs_blocks_start_iter();
   while ((b = rs_blocks_next()) != NULL)
      if (lo + 2 * sizeof(UWord) <= b->addr && b->addr < hi && (first == 0 || b->addr < first))
         first = b->addr;
   return first != 0 ? first - 2 * sizeof(UWord) : 0;
}

/* The end of the highest chunk glibc holds in [lo, hi) (a live block,
   or one in a tcache: a free chunk or a fastbin chunk does not keep the
   top from trimming), walking the chunk headers from n; lo if none. */
static Addr highest_held_end(Addr n, Addr lo, Addr hi)
{
   Addr held = lo;
   if (n == 0)
      return lo;
   while (n + 2 * sizeof(UWord) <= hi) {
      UWord sz = cap_peek(n + sizeof(UWord)) & ~(UWord)7, next;
      if (sz <= CAP_FENCEPOST_B || (sz & 15) != 0 || n + sz + 2 * sizeof(UWord) > hi)
         break;                           /* the top, a fencepost, or unread */
      next = cap_peek(n + sz + sizeof(UWord));
      /* A chunk before a fencepost is what was left of the top when the
         break could not grow (glibc freed it, often into a tcache):
         natively the top just grew, so it is not held. */
      if ((next & CAP_PREV_INUSE)
          && ((next & ~(UWord)7) != CAP_FENCEPOST_B || RS_MUTANT_IS(1133))
          && sz > CAP_FASTBIN_MAX_B
          && (!RS_MUTANT_IS(1134) || rs_block_lookup(n + 2 * sizeof(UWord)) != NULL))
         held = n + sz;
      n += sz;
   }
   return held;
}

/* Resident bytes of the top `len` bytes of the ranges (the pages native
   trimming gives back: the top of the heap). */
static ULong top_resident_B(const Addr* lo, const Addr* hi, UInt n, ULong len)
{
   ULong res = 0;
   UChar vec[256];
   while (n-- > 0 && len > 0) {
      Addr a = len >= hi[n] - lo[n] ? lo[n] : hi[n] - len;
      len -= hi[n] - a;
      for (; a < hi[n]; a += sizeof vec * RS_PAGE_B) {
         UWord k, np = (hi[n] - a) / RS_PAGE_B;
         if (np > sizeof vec) np = sizeof vec;
         rs_read_residency(a, np, vec);
         for (k = 0; k < np; k++)
            res += (vec[k] & 1) ? RS_PAGE_B : 0;
      }
   }
   return res;
}

/* Natively the main arena is one brk heap: every free byte above the
   highest chunk glibc holds is its top, which free() trims (systrim)
   once it reaches the trim threshold (twice a raised mmap threshold),
   down to M_TOP_PAD + MINSIZE + 1 bytes, in whole pages. */
void rs_static_note_exit(void)
{
   Addr* lo;
   Addr* hi;
   Addr held = 0;
   UInt i, n;
   ULong top_B = 0, thr_B = CAP_TRIM_THRESHOLD_B;
   if (!rs_static_brk_capped())
      return;
   cap_page = 0;
   n = main_arena_ranges(&lo, &hi);
   for (i = 0; i < n; i++) {
      Addr h = highest_held_end(walk_start(lo[i], hi[i]), lo[i], hi[i]);
      if (rs_clo.debug)
         VG_(umsg)("rs-debug: main arena range %#lx-%#lx held to %#lx\n", lo[i], hi[i], h);
      if (h > lo[i])
         held = h;
   }
   for (i = 0; i < n; i++)
      top_B += hi[i] <= held ? 0 : hi[i] - (held > lo[i] ? held : lo[i]);
   if (rs_heap.mmap_thr.n_raises > 0 && !rs_heap.mmap_thr.fixed)
      thr_B = 2 * rs_heap.mmap_thr.threshold_B;
   capped.trim_B = 0;
   if (top_B >= thr_B && top_B - CAP_MINSIZE_B - 1 > CAP_TOP_PAD_B)
      capped.trim_B = RS_PAGE_DOWN(top_B - CAP_MINSIZE_B - 1 - CAP_TOP_PAD_B);
   capped.trim_res_B = top_resident_B(lo, hi, n, capped.trim_B);
   capped.have_estimate = True;
   VG_(free)(lo);
   VG_(free)(hi);
}

void rs_static_format_capped(RsText* t)
{
   if (!rs_static_brk_capped() || !capped.have_estimate)
      return;
   rs_text_printf(t, " brk_capped=%s native_trim_B=%llu native_trim_res_B=%llu",
                  rs_static_brk_capped_why(), capped.trim_B,
                  capped.trim_res_B);
}

Bool rs_static_capped_estimate(ULong* trim_B, ULong* trim_res_B)
{
   if (!rs_static_brk_capped() || !capped.have_estimate)
      return False;
   *trim_B = capped.trim_B;
   *trim_res_B = capped.trim_res_B;
   return True;
}

/* The exit summary's lines: why the break could not be made native, and
   the estimate. */
void rs_static_summary(void)
{
   const HChar* why = rs_static_brk_capped_why();
   if (!rs_static_brk_capped() || !capped.have_estimate)
      return;
   VG_(umsg)("  brk capped: %s:\n"
             "  Valgrind's 8 MiB brk stayed, and past it glibc's main arena went\n"
             "  on in mmapped pieces, which free() never trims.  Natively free()\n"
             "  would have given back about %'llu bytes (%'llu resident here)\n"
             "  of the heap at exit [native_trim_B=%llu].\n",
             VG_STREQ(why, "static")
                ? "a static program loads no preload, so rssmassif\n  cannot emulate its break"
                : VG_STREQ(why, "off") ? "--emulate-brk=no kept Valgrind's break"
                : "the emulated break was not in use",
             capped.trim_B, capped.trim_res_B, capped.trim_B);
}
