/*
 * h_rlimit_data: RLIMIT_DATA holds for the emulated break as for the
 * kernel's brk: the program's data (its private writable mappings, the
 * heap among them, not the stack) plus the growth must stay under it.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The program sets RLIMIT_DATA to LIMIT_MIB MiB (argv[1], default 64),
 * then, without malloc, grows its break with sbrk(STEP) until sbrk fails
 * with ENOMEM, and gives the growth back.  Own view: the total growth G
 * (sbrk's return values), printed as `measure: grown=G`.  Natively G is
 * the limit less the program's other data (libc's and ld.so's data and bss,
 * TLS: VmData before the loop, which the program also prints), within a
 * step.  Valgrind keeps a program's RLIMIT_DATA to itself and its own
 * brk compares the heap alone with it (G would be the whole limit); the
 * emulated break counts the program's data as the kernel does.  The
 * .vgtest runs the program natively and compares the two G: the run
 * under the tool may have a few pages less (Valgrind's two preloads have
 * data of their own in the program's address space), never more.
 */
#include "rs_client.h"

#include <sys/resource.h>

#define STEP (16 * 1024)

int main(int argc, char **argv)
{
   long limit_mib = argc > 1 && atol(argv[1]) > 0 ? atol(argv[1]) : 64;
   struct rlimit old, lim;
   long long grown = 0;
   int err = 0;

   setvbuf(stdout, NULL, _IONBF, 0);
   rs_init();
   getrlimit(RLIMIT_DATA, &old);
   lim = old;
   lim.rlim_cur = (rlim_t)limit_mib << 20;
   rs_own("setrlimit(RLIMIT_DATA)", setrlimit(RLIMIT_DATA, &lim) == 0);
   for (;;) {
      errno = 0;
      if (sbrk(STEP) == (void *)-1) {
         err = errno;
         break;
      }
      grown += STEP;
   }
   rs_own("sbrk failed with ENOMEM at the limit", err == ENOMEM);
   rs_own("the break grew, but less than the limit",
          grown > 0 && grown < (long long)limit_mib << 20);
   printf("measure: grown=%lld\n", grown);
   rs_own("the break given back", sbrk(-(intptr_t)grown) != (void *)-1);
   rs_own("the old limit restored", setrlimit(RLIMIT_DATA, &old) == 0);
   rs_own("sbrk works again", sbrk(STEP) != (void *)-1 && sbrk(-STEP) != (void *)-1);
   rs_expect_final("heap_live_B", "<=", 1 << 20, 0);
   return rs_finish();
}
