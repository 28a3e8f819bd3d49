/*--------------------------------------------------------------------*/
/*--- rssmassif: wrappers around the real allocator.   rs_wrappers.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

/* This file becomes vgpreload_rssmassif-amd64-linux.so, loaded into the
   client.  It *wraps* the allocator (no tool replaces glibc's malloc
   here): each wrapper calls the real function, then reports the block to
   the tool by a client request.

   Valgrind redirects by address, so glibc's internal calls through
   aliases (__libc_malloc, ...) and nested calls (realloc -> malloc,
   reallocarray -> realloc) enter the wrappers too.  A per-thread depth
   counter makes only the outermost wrapper report: one block, one report.

   A free is recorded *before* the real free runs: once freed, another
   thread may be scheduled and be given the same address.  Frees are
   recorded in a per-thread batch the tool reads (no stack is needed for
   a free), so most frees cost no client request. */

#include "pub_tool_basics.h"
#include "pub_tool_redir.h"
#include "valgrind.h"
#include "rs_clreq_ids.h"
#include "rs_mutant.h"

/* Depth of wrapped allocator calls on this thread (0 = outside). */
static __thread unsigned rs_depth __attribute__((tls_model("initial-exec")));

/* This thread's batch of frees (see rs_clreq_ids.h). */
static __thread RsFreeBuf rs_frees __attribute__((tls_model("initial-exec")));
static __thread int rs_frees_registered __attribute__((tls_model("initial-exec")));

#define REPORT(req, a1, a2, a3, a4, a5) \
   VALGRIND_DO_CLIENT_REQUEST_STMT((req), (a1), (a2), (a3), (a4), (a5))

#define SZ_MAX ((SizeT)-1)

/* ---- reporting a block ---------------------------------------------- */
/* Every block is reported through this function: p (returned, so that a
   wrapper can end with a tail call), req = RS_REQ_ALLOC or RS_REQ_REALLOC
   (old is then the old block), n = the requested size, and where the
   wrapper returns to: ra, its return address, and cfa, the stack pointer
   after that return.  The tool instruments the function's first
   instruction (rs_hook.c): the report is taken there, inside translated
   code, and the function returns at once.  The body runs only when the
   tool did not find it, and then reports by a client request, a trip
   through Valgrind's scheduler.  The name is rs_hook.h's RS_HOOK_FN;
   `protected` keeps it in the dynamic symbol table while calls to it
   stay direct.

   With ra and cfa the tool starts the allocation stack at the wrapper's
   caller instead of unwinding the preload's own frames.  The unwinder
   also reads %rbp: this file is compiled with -ffixed-rbp, so %rbp still
   holds the caller's value here (rssmassif/Makefile.am). */
void* vgrs_report(void* p, UWord req, void* old, SizeT n, void* ra, void* cfa)
   __attribute__((noinline, noclone, visibility("protected")));
void* vgrs_report(void* p, UWord req, void* old, SizeT n, void* ra, void* cfa)
{
   if (req == RS_REQ_REALLOC)
      REPORT(RS_REQ_REALLOC, old, p, n, ra, cfa);
   else
      REPORT(RS_REQ_ALLOC, p, n, ra, cfa, 0);
   __asm__ __volatile__("" ::: "memory");   /* keep the body a call */
   return p;
}

/* Used in the wrappers themselves: the return address and CFA are the
   wrapper's.  Without -ffixed-rbp (RS_NO_FIXED_RBP) %rbp may be the
   wrapper's own here: 0 makes the tool unwind through the preload. */
#ifdef RS_NO_FIXED_RBP
#define CALLER_RA  ((void*)0)
#define CALLER_CFA ((void*)0)
#else
#define CALLER_RA  __builtin_return_address(0)
#define CALLER_CFA __builtin_dwarf_cfa()
#endif
#define REPORT_BLOCK(p, req, old, n) \
   vgrs_report((p), (req), (old), (n), CALLER_RA, CALLER_CFA)

/* Each allocator function is wrapped in libc.so* and in the soname
   synonym `somalloc` (--soname-synonyms=somalloc=NONE for static
   programs, or the name of another allocator's library). */
#define WRAP_IN(soname, fn)  I_WRAP_SONAME_FNNAME_ZU(soname, fn)

/* ---- calling the real function ------------------------------------ */
/* Valgrind's CALL_FN_* macros reach the real function by a "no-redirect"
   jump, which costs a trip through Valgrind's scheduler on every call.
   When the real function starts with an instruction we recognise, we
   instead run a copy of that instruction here and jump to the one after
   it: the address after the redirected entry is an ordinary address, so
   the call stays in translated code.  Anything else falls back to
   CALL_FN_*.  The stubs take the continuation in %r11 (free at a call). */
__asm__(
   "   .text\n"
   "   .p2align 4\n"
   "   .hidden rs_orig_call\n"
   "rs_orig_call:\n"                 /* (a1, a2, a3, stub, continuation) */
   "   movq %r8, %r11\n"
   "   jmp *%rcx\n"
   "   .hidden rs_stub_none\n"
   "rs_stub_none:\n"     "   jmp *%r11\n"
   "rs_stub_push_r12:\n" "   pushq %r12\n jmp *%r11\n"
   "rs_stub_push_r13:\n" "   pushq %r13\n jmp *%r11\n"
   "rs_stub_push_r14:\n" "   pushq %r14\n jmp *%r11\n"
   "rs_stub_push_r15:\n" "   pushq %r15\n jmp *%r11\n"
   "rs_stub_push_rbp:\n" "   pushq %rbp\n jmp *%r11\n"
   "rs_stub_push_rbx:\n" "   pushq %rbx\n jmp *%r11\n"
   "rs_stub_test_rdi:\n" "   testq %rdi, %rdi\n jmp *%r11\n"
   "   .hidden rs_stub_push_r12, rs_stub_push_r13, rs_stub_push_r14\n"
   "   .hidden rs_stub_push_r15, rs_stub_push_rbp, rs_stub_push_rbx\n"
   "   .hidden rs_stub_test_rdi\n"
);
extern UWord rs_orig_call(UWord a1, UWord a2, UWord a3, void* stub, Addr cont);
extern char rs_stub_none[], rs_stub_push_r12[], rs_stub_push_r13[],
            rs_stub_push_r14[], rs_stub_push_r15[], rs_stub_push_rbp[],
            rs_stub_push_rbx[], rs_stub_test_rdi[];

/* How to reach one real function: decided on its first call, when the
   tool is also told where the real function is (the object defining it
   is the allocator serving the program, rs_alloc.h). */
typedef struct {
   int   decided;
   void* stub;          /* NULL: use CALL_FN_* */
   Addr  cont;          /* the real function's second instruction */
} RsOrigPath;

static void decide_path(RsOrigPath* path, Addr fn)
{
   const unsigned char* c = (const unsigned char*)fn;
   void* stub = NULL;
   Addr  len = 0;
   if (c[0] == 0xf3 && c[1] == 0x0f && c[2] == 0x1e && c[3] == 0xfa) {
      stub = rs_stub_none; len = 4;                         /* endbr64 */
   } else if (c[0] == 0x41 && c[1] >= 0x54 && c[1] <= 0x57) {
      static char* const push_r[4] = { rs_stub_push_r12, rs_stub_push_r13,
                                       rs_stub_push_r14, rs_stub_push_r15 };
      stub = push_r[c[1] - 0x54]; len = 2;                  /* push %r1x */
   } else if (c[0] == 0x55) {
      stub = rs_stub_push_rbp; len = 1;
   } else if (c[0] == 0x53) {
      stub = rs_stub_push_rbx; len = 1;
   } else if (c[0] == 0x48 && c[1] == 0x85 && c[2] == 0xff) {
      stub = rs_stub_test_rdi; len = 3;                     /* test %rdi,%rdi */
   }
   path->stub = stub;
   path->cont = fn + len;
   path->decided = 1;
   REPORT(RS_REQ_REAL_FN, fn, 0, 0, 0, 0);   /* which allocator serves */
}

#define ORIG_PATH(orig)                                                  \
   static RsOrigPath path_;                                              \
   if (!path_.decided)                                                   \
      decide_path(&path_, (Addr)(orig).nraddr)

#define CALL_ORIG_1(lval, orig, a1)                                      \
   do { ORIG_PATH(orig);                                                 \
        if (path_.stub)                                                  \
           lval = (__typeof__(lval))rs_orig_call((UWord)(a1), 0, 0,      \
                                                 path_.stub, path_.cont);\
        else CALL_FN_W_W(lval, orig, a1); } while (0)
#define CALL_ORIG_2(lval, orig, a1, a2)                                  \
   do { ORIG_PATH(orig);                                                 \
        if (path_.stub)                                                  \
           lval = (__typeof__(lval))rs_orig_call((UWord)(a1), (UWord)(a2),\
                                                 0, path_.stub, path_.cont);\
        else CALL_FN_W_WW(lval, orig, a1, a2); } while (0)
#define CALL_ORIG_3(lval, orig, a1, a2, a3)                              \
   do { ORIG_PATH(orig);                                                 \
        if (path_.stub)                                                  \
           lval = (__typeof__(lval))rs_orig_call((UWord)(a1), (UWord)(a2),\
                                                 (UWord)(a3), path_.stub,\
                                                 path_.cont);            \
        else CALL_FN_W_WWW(lval, orig, a1, a2, a3); } while (0)
#define CALL_ORIG_V1(orig, a1)                                           \
   do { ORIG_PATH(orig);                                                 \
        if (path_.stub)                                                  \
           (void)rs_orig_call((UWord)(a1), 0, 0, path_.stub, path_.cont);\
        else CALL_FN_v_W(orig, a1); } while (0)

/* ---- malloc-like: (size) -> block ---------------------------------- */
#define MALLOC_LIKE(soname, fn)                                          \
   void* WRAP_IN(soname, fn)(SizeT n);                                   \
   void* WRAP_IN(soname, fn)(SizeT n)                                    \
   {                                                                     \
      OrigFn orig;                                                       \
      void*  p;                                                          \
      VALGRIND_GET_ORIG_FN(orig);                                        \
      rs_depth++;                                                        \
      CALL_ORIG_1(p, orig, n);                                           \
      rs_depth--;                                                        \
      if (rs_depth == 0 && p != NULL)                                    \
         return REPORT_BLOCK(p, RS_REQ_ALLOC, NULL, n);                  \
      return p;                                                          \
   }

/* ---- calloc -------------------------------------------------------- */
#define CALLOC_LIKE(soname, fn)                                          \
   void* WRAP_IN(soname, fn)(SizeT nmemb, SizeT size);                   \
   void* WRAP_IN(soname, fn)(SizeT nmemb, SizeT size)                    \
   {                                                                     \
      OrigFn orig;                                                       \
      void*  p;                                                          \
      VALGRIND_GET_ORIG_FN(orig);                                        \
      rs_depth++;                                                        \
      CALL_ORIG_2(p, orig, nmemb, size);                                \
      rs_depth--;                                                        \
      if (rs_depth == 0 && p != NULL && !RS_MUTANT_IS(15))               \
         return REPORT_BLOCK(p, RS_REQ_ALLOC, NULL, nmemb * size);       \
      return p;                                                          \
   }

/* ---- memalign-like: (alignment, size) -> block ---------------------- */
#define MEMALIGN_LIKE(soname, fn)                                        \
   void* WRAP_IN(soname, fn)(SizeT align, SizeT n);                      \
   void* WRAP_IN(soname, fn)(SizeT align, SizeT n)                       \
   {                                                                     \
      OrigFn orig;                                                       \
      void*  p;                                                          \
      VALGRIND_GET_ORIG_FN(orig);                                        \
      rs_depth++;                                                        \
      CALL_ORIG_2(p, orig, align, n);                                   \
      rs_depth--;                                                        \
      if (rs_depth == 0 && p != NULL)                                    \
         return REPORT_BLOCK(p, RS_REQ_ALLOC, NULL, n);                  \
      return p;                                                          \
   }

/* ---- pvalloc: the size is rounded up to whole pages ---------------- */
#define PVALLOC_LIKE(soname, fn)                                         \
   void* WRAP_IN(soname, fn)(SizeT n);                                   \
   void* WRAP_IN(soname, fn)(SizeT n)                                    \
   {                                                                     \
      OrigFn orig;                                                       \
      void*  p;                                                          \
      SizeT  page = 4096;                                                \
      VALGRIND_GET_ORIG_FN(orig);                                        \
      rs_depth++;                                                        \
      CALL_ORIG_1(p, orig, n);                                           \
      rs_depth--;                                                        \
      if (rs_depth == 0 && p != NULL)                                    \
         return REPORT_BLOCK(p, RS_REQ_ALLOC, NULL,                       \
                             (n + page - 1) & ~(page - 1));              \
      return p;                                                          \
   }

/* ---- posix_memalign: (&p, alignment, size) -> 0 or an errno -------- */
#define POSIX_MEMALIGN_LIKE(soname, fn)                                  \
   int WRAP_IN(soname, fn)(void** pp, SizeT align, SizeT n);             \
   int WRAP_IN(soname, fn)(void** pp, SizeT align, SizeT n)              \
   {                                                                     \
      OrigFn orig;                                                       \
      Word   err;                                                        \
      VALGRIND_GET_ORIG_FN(orig);                                        \
      rs_depth++;                                                        \
      CALL_ORIG_3(err, orig, pp, align, n);                            \
      rs_depth--;                                                        \
      if (rs_depth == 0 && err == 0 && *pp != NULL && !RS_MUTANT_IS(16)) \
         REPORT_BLOCK(*pp, RS_REQ_ALLOC, NULL, n);                       \
      return (int)err;                                                   \
   }

/* ---- free ---------------------------------------------------------- */
static void note_free(void* p)
{
   if (!rs_frees_registered) {
      rs_frees_registered = 1;
      REPORT(RS_REQ_FREES, &rs_frees, 0, 0, 0, 0);
   }
   rs_frees.addr[rs_frees.n] = (unsigned long)p;
   rs_frees.n++;
   if (rs_frees.n == RS_FREE_BATCH) {
      REPORT(RS_REQ_FREES, &rs_frees, 0, 0, 0, 0);
      if (rs_frees.n >= RS_FREE_BATCH)   /* no tool emptied it: never overflow */
         rs_frees.n = 0;
   }
}

#define FREE_LIKE(soname, fn)                                            \
   void WRAP_IN(soname, fn)(void* p);                                    \
   void WRAP_IN(soname, fn)(void* p)                                     \
   {                                                                     \
      OrigFn orig;                                                       \
      VALGRIND_GET_ORIG_FN(orig);                                        \
      if (rs_depth == 0 && p != NULL)                                    \
         note_free(p);                                                   \
      rs_depth++;                                                        \
      CALL_ORIG_V1(orig, p);                                              \
      rs_depth--;                                                        \
   }

/* ---- realloc: reported once, after the real one (see rs_clreq.c) --- */
#define REPORT_REALLOC_END(outer, old, p, n)                             \
   do { if ((outer) && (old) != NULL)                                    \
           return REPORT_BLOCK((p), RS_REQ_REALLOC, (old), (n));         \
        if ((outer) && (p) != NULL)                                      \
           return REPORT_BLOCK((p), RS_REQ_ALLOC, NULL, (n));            \
        return (p); } while (0)

#define REALLOC_LIKE(soname, fn)                                         \
   void* WRAP_IN(soname, fn)(void* old, SizeT n);                        \
   void* WRAP_IN(soname, fn)(void* old, SizeT n)                         \
   {                                                                     \
      OrigFn orig;                                                       \
      void*  p;                                                          \
      int    outer = rs_depth == 0;                                      \
      VALGRIND_GET_ORIG_FN(orig);                                        \
      rs_depth++;                                                        \
      CALL_ORIG_2(p, orig, old, n);                                     \
      rs_depth--;                                                        \
      REPORT_REALLOC_END(outer, old, p, n);                              \
   }

/* reallocarray(p, nmemb, size): an overflowing product fails without
   touching p, which the tool learns from a non-zero size and NULL. */
#define REALLOCARRAY_LIKE(soname, fn)                                    \
   void* WRAP_IN(soname, fn)(void* old, SizeT nmemb, SizeT size);        \
   void* WRAP_IN(soname, fn)(void* old, SizeT nmemb, SizeT size)         \
   {                                                                     \
      OrigFn orig;                                                       \
      void*  p;                                                          \
      int    outer = rs_depth == 0;                                      \
      SizeT  n = (size != 0 && nmemb > SZ_MAX / size) ? SZ_MAX           \
                                                      : nmemb * size;   \
      VALGRIND_GET_ORIG_FN(orig);                                        \
      rs_depth++;                                                        \
      CALL_ORIG_3(p, orig, old, nmemb, size);                          \
      rs_depth--;                                                        \
      REPORT_REALLOC_END(outer, old, p, n);                              \
   }

#define ALL_WRAPPERS(soname)                                             \
   MALLOC_LIKE(soname, malloc)                                           \
   MALLOC_LIKE(soname, valloc)                                           \
   PVALLOC_LIKE(soname, pvalloc)                                         \
   CALLOC_LIKE(soname, calloc)                                           \
   MEMALIGN_LIKE(soname, memalign)                                       \
   MEMALIGN_LIKE(soname, aligned_alloc)                                  \
   POSIX_MEMALIGN_LIKE(soname, posix_memalign)                           \
   FREE_LIKE(soname, free)                                               \
   FREE_LIKE(soname, cfree)                                              \
   REALLOC_LIKE(soname, realloc)                                         \
   REALLOCARRAY_LIKE(soname, reallocarray)

ALL_WRAPPERS(VG_Z_LIBC_SONAME)
ALL_WRAPPERS(SO_SYN_MALLOC)

/* ---- mallopt: tells the tool, which stops following glibc's dynamic
   mmap threshold once the program fixes it (rs_glibc_mmap.h). */
int WRAP_IN(VG_Z_LIBC_SONAME, mallopt)(int param, int value);
int WRAP_IN(VG_Z_LIBC_SONAME, mallopt)(int param, int value)
{
   OrigFn orig;
   int    r;
   VALGRIND_GET_ORIG_FN(orig);
   CALL_FN_W_WW(r, orig, param, value);
   REPORT(RS_REQ_MALLOPT, param, r, 0, 0, 0);
   return r;
}
