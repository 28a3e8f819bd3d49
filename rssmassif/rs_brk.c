/*--------------------------------------------------------------------*/
/*--- rssmassif: the emulated program break (preload).     rs_brk.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Part of vgpreload_rssmassif-amd64-linux.so.  Valgrind emulates brk in
   a reservation of at most 8 MiB placed right after the executable;
   past it glibc's main arena turns non-contiguous and free() never trims
   it again, unlike the native run.  So libc's sbrk and brk (and
   __sbrk, the same address: Valgrind redirects by address, so malloc's
   internal calls come here too) are replaced by a break emulated over a
   large PROT_NONE reservation:

   - the reservation is made at the first call, where the address-space
     manager puts it (next to the executable there is no room: ld.so
     and the preloads sit 8 MiB above Valgrind's break);
   - growing the break makes the pages read-write (mprotect), shrinking
     maps fresh PROT_NONE pages over the released ones (MAP_FIXED): they
     are really given back, as the kernel's brk unmaps them;
   - RLIMIT_DATA holds as in the kernel's brk (the program's data,
     see past_data_limit), and so does RLIMIT_AS (see past_as_limit); growth
     past the reservation fails with ENOMEM, as a brk running into
     another mapping does.

   The tool is told before the reservation is made (so it binds none of
   it), after each growth and before each shrink (RS_REQ_BRK_*): the
   pages below the break are the brk heap, those above it belong to no
   category (natively they do not exist).  When the tool does not want
   it (--emulate-brk=no, or not running under rssmassif) or no
   reservation can be had, the real functions run. */

#include "pub_tool_basics.h"
#include "pub_tool_redir.h"
#include "valgrind.h"
#include "rs_clreq_ids.h"
#include "rs_mutant.h"

#define BRK_PAGE_B        4096UL
#define BRK_PAGE_UP(a)    (((a) + BRK_PAGE_B - 1) & ~(BRK_PAGE_B - 1))
#define BRK_MAX_B         (16UL << 30)   /* largest reservation tried   */
#define BRK_MIN_B         (1UL << 20)    /* below this: the real brk    */

#define SYS_READ      0
#define SYS_OPEN      2
#define SYS_CLOSE     3
#define SYS_MMAP      9
#define SYS_MPROTECT 10
#define SYS_GETRLIMIT 97
#define RLIM_DATA  2
#define RLIM_AS    9
#define PROT_NONE_  0
#define PROT_RW     3
#define MAP_PRIVATE_   0x02
#define MAP_FIXED_     0x10
#define MAP_ANON_      0x20
#define MAP_NORESERVE_ 0x4000
#define ENOMEM_ 12

/* glibc's errno, when there is one (weak: the preload links no libc). */
extern int* __errno_location(void) __attribute__((weak));

/* State of the emulation, one per process (sbrk is not thread-safe in
   glibc either: malloc calls it under the main arena's lock).
   Invariant when brk_mode == BRK_EMULATED:
   res_lo <= brk_cur <= res_hi; [res_lo, PAGE_UP(brk_cur)) is read-write,
   [PAGE_UP(brk_cur), res_hi) PROT_NONE. */
enum { BRK_UNDECIDED, BRK_EMULATED, BRK_REAL };
static int  brk_mode = BRK_UNDECIDED;
static Addr res_lo, res_hi;        /* the reservation                 */
static Addr brk_cur;               /* the emulated break              */

static long raw_syscall6(long n, long a1, long a2, long a3, long a4,
                         long a5, long a6)
{
   long ret;
   register long r10 __asm__("r10") = a4;
   register long r8  __asm__("r8")  = a5;
   register long r9  __asm__("r9")  = a6;
   __asm__ __volatile__("syscall"
                        : "=a"(ret)
                        : "0"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10),
                          "r"(r8), "r"(r9)
                        : "rcx", "r11", "memory");
   return ret;
}

static int failed(long r) { return r < 0 && r > -4096; }

static void set_enomem(void)
{
   if (__errno_location)
      *__errno_location() = ENOMEM_;
}

/* The soft limit of resource res (~0UL: none, or unreadable). */
static unsigned long soft_limit(int res)
{
   unsigned long lim[2];
   if (failed(raw_syscall6(SYS_GETRLIMIT, res, (long)lim, 0, 0, 0, 0)))
      return ~0UL;
   return lim[0];
}

/* The process's address space in bytes (VmSize in /proc/self/status:
   under Valgrind the whole process's, which is what RLIMIT_AS limits),
   or 0 if unreadable. */
static unsigned long vm_size_B(void)
{
   static const char path[] = "/proc/self/status";
   char buf[4096];
   long fd = raw_syscall6(SYS_OPEN, (long)path, 0, 0, 0, 0, 0), n, i;
   unsigned long kb = 0;
   if (failed(fd))
      return 0;
   n = raw_syscall6(SYS_READ, fd, (long)buf, sizeof buf - 1, 0, 0, 0);
   raw_syscall6(SYS_CLOSE, fd, 0, 0, 0, 0, 0);
   for (i = 0; i + 7 < n; i++) {
      if (buf[i] == 'V' && buf[i + 1] == 'm' && buf[i + 2] == 'S'
          && buf[i + 3] == 'i' && buf[i + 4] == 'z' && buf[i + 5] == 'e'
          && buf[i + 6] == ':') {
         for (i += 7; i < n && (buf[i] == ' ' || buf[i] == '\t'); i++)
            ;
         for (; i < n && buf[i] >= '0' && buf[i] <= '9'; i++)
            kb = kb * 10 + (unsigned long)(buf[i] - '0');
         break;
      }
   }
   return kb * 1024;
}

/* Would growing the heap by grow_B pass RLIMIT_AS?  Natively brk growth
   adds to the address space; here it does not (the reservation is
   counted already), so growth is charged as if it did: the room the
   program and Valgrind had under the limit stays theirs.  (A limit the
   program derived from its VmSize includes the reservation, which then
   cancels out.) */
static int past_as_limit(unsigned long grow_B)
{
   unsigned long as = soft_limit(RLIM_AS), vm;
   if (as == ~0UL)
      return 0;
   vm = vm_size_B();
   return vm != 0 && vm + grow_B > as;
}

static long map_none(Addr a, unsigned long len, int fixed)
{
   return raw_syscall6(SYS_MMAP, (long)a, (long)len, PROT_NONE_,
                       MAP_PRIVATE_ | MAP_ANON_ | MAP_NORESERVE_
                       | (fixed ? MAP_FIXED_ : 0), -1, 0);
}

/* Makes the reservation: BRK_MAX_B, at most RLIMIT_DATA (the heap can
   never be larger) and a quarter of RLIMIT_AS (the reservation counts
   in the address space; the rest stays for the program's mmaps), halved
   until the address space has room. */
static void brk_start(void)
{
   unsigned long size = BRK_MAX_B, data = soft_limit(RLIM_DATA),
                 as = soft_limit(RLIM_AS);
   long r = -ENOMEM_;
   brk_mode = BRK_REAL;
   if (VALGRIND_DO_CLIENT_REQUEST_EXPR(0, RS_REQ_BRK_WANTED, 0, 0, 0, 0, 0) != 1)
      return;
   if (data < size)
      size = BRK_PAGE_UP(data) > BRK_MIN_B ? BRK_PAGE_UP(data) : BRK_MIN_B;
   if (as / 4 < size)
      size = BRK_PAGE_UP(as / 4);
   for (; size >= BRK_MIN_B; size /= 2) {
      VALGRIND_DO_CLIENT_REQUEST_STMT(RS_REQ_BRK_RESERVING, size, 0, 0, 0, 0);
      r = map_none(0, size, 0);
      if (!failed(r))
         break;
   }
   VALGRIND_DO_CLIENT_REQUEST_STMT(RS_REQ_BRK_RESERVED,
                                   failed(r) ? 0 : r, size, 0, 0, 0);
   if (failed(r))
      return;
   res_lo = brk_cur = (Addr)r;
   res_hi = res_lo + size;
   brk_mode = BRK_EMULATED;
}

/* Would growing the heap by grow_B pass RLIMIT_DATA?  The kernel's brk
   fails when the process's data (its private writable mappings, the
   heap among them, not the stack) plus the growth passes the limit.
   Valgrind keeps the program's RLIMIT_DATA to itself (the kernel never
   sees it) and its own mappings are no data of the program's: the tool
   counts the program's (RS_REQ_BRK_DATA). */
static int past_data_limit(unsigned long grow_B)
{
   unsigned long data = soft_limit(RLIM_DATA), have;
   if (data == ~0UL)
      return 0;
   have = VALGRIND_DO_CLIENT_REQUEST_EXPR(0, RS_REQ_BRK_DATA, 0, 0, 0, 0, 0);
   return have + grow_B > data;
}

/* Moves the emulated break to nb (res_lo <= nb): 0, or -1 with ENOMEM. */
static int brk_move(Addr nb)
{
   Addr old_top = BRK_PAGE_UP(brk_cur), new_top = BRK_PAGE_UP(nb);
   if (nb > res_hi) {
      set_enomem();
      return -1;
   }
   if (new_top > old_top) {
      if (past_data_limit(new_top - old_top) || past_as_limit(new_top - old_top)
          || failed(raw_syscall6(SYS_MPROTECT, (long)old_top,
                              (long)(new_top - old_top), PROT_RW, 0, 0, 0))) {
         set_enomem();
         return -1;
      }
      VALGRIND_DO_CLIENT_REQUEST_STMT(RS_REQ_BRK_MOVED, nb, 0, 0, 0, 0);
   } else if (new_top < old_top) {
      /* The tool takes the pages out while they still hold their data
         (its peak snapshot reads them), then they are given back. */
      if (!RS_MUTANT_IS(12))
         if (!RS_MUTANT_IS(12))
         if (!RS_MUTANT_IS(12))
         VALGRIND_DO_CLIENT_REQUEST_STMT(RS_REQ_BRK_MOVED, nb, 0, 0, 0, 0);
      map_none(new_top, old_top - new_top, 1);
   } else {
      VALGRIND_DO_CLIENT_REQUEST_STMT(RS_REQ_BRK_MOVED, nb, 0, 0, 0, 0);
   }
   brk_cur = nb;
   return 0;
}

/* sbrk(inc): the old break, or (void*)-1 with ENOMEM; below the start
   nothing changes and the call succeeds, as with glibc's sbrk over the
   kernel's brk. */
void* I_WRAP_SONAME_FNNAME_ZU(VG_Z_LIBC_SONAME, sbrk)(Word inc);
void* I_WRAP_SONAME_FNNAME_ZU(VG_Z_LIBC_SONAME, sbrk)(Word inc)
{
   OrigFn orig;
   Addr   old;
   VALGRIND_GET_ORIG_FN(orig);
   if (brk_mode == BRK_UNDECIDED)
      brk_start();
   if (brk_mode == BRK_REAL) {
      void* r;
      CALL_FN_W_W(r, orig, inc);
      return r;
   }
   old = brk_cur;
   if (inc == 0)
      return (void*)old;
   if (inc > 0 ? old + (Addr)inc < old : old < (Addr)-inc) {
      set_enomem();
      return (void*)-1;
   }
   if (old + inc >= res_lo && brk_move(old + inc) < 0)
      return (void*)-1;
   return (void*)old;
}

/* brk(addr): 0, or -1 with ENOMEM. */
int I_WRAP_SONAME_FNNAME_ZU(VG_Z_LIBC_SONAME, brk)(void* addr);
int I_WRAP_SONAME_FNNAME_ZU(VG_Z_LIBC_SONAME, brk)(void* addr)
{
   OrigFn orig;
   VALGRIND_GET_ORIG_FN(orig);
   if (brk_mode == BRK_UNDECIDED)
      brk_start();
   if (brk_mode == BRK_REAL) {
      Word r;
      CALL_FN_W_W(r, orig, addr);
      return (int)r;
   }
   if ((Addr)addr < res_lo)
      return 0;
   return brk_move((Addr)addr);
}
