/*
 * h_rs_debug: --rs-debug=yes logs every mapping event.  The program maps
 * 7 anonymous pages, madvises them away and unmaps them, printing each
 * range it used as `# range LO HI`; h_rs_debug.vgtest's post: command
 * finds the matching `rs-debug: mmap`, `madvise` and `munmap` lines (the
 * mmap one with origin=other) in the log.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "rs_client.h"

#define NPAGES 7

int main(void)
{
   size_t len = NPAGES * RS_PAGE;
   char *p;

   rs_init();
   p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   rs_own("mmap of 7 pages", p != MAP_FAILED);
   if (p == MAP_FAILED)
      return 1;
   memset(p, 1, len);
   printf("# range %#lx %#lx %zu\n", (unsigned long)p, (unsigned long)(p + len), len);
   rs_own("madvise(MADV_DONTNEED)", madvise(p, len, MADV_DONTNEED) == 0);
   rs_own("munmap", munmap(p, len) == 0);
   rs_expect_final("other_B", "=", 0, 0);
   return rs_finish();
}
