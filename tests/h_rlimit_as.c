/*
 * h_rlimit_as: the program limits its own address space (RLIMIT_AS) so that
 * its mallocs fail; the tool keeps counting exactly, and the run ends
 * normally once the program lifts the limit again.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * RLIMIT_AS applies to the whole process -- under Valgrind that includes
 * Valgrind and the tool -- so the soft limit is set to the current VmSize
 * (/proc/self/status) plus M MiB (argv[1], default 64).  The program then
 * allocates 1 MiB blocks (mmapped chunks) until malloc returns NULL with
 * ENOMEM (own view: the count n of blocks it got, n <= M, and n >= 1 when
 * M >= 8; with M = 1 the tool itself runs with next to no room), and checks that calloc and a
 * small malloc fail or succeed as glibc decides (no assumption), counting
 * what it got.  With the limit still on it compares useful_B/blocks with
 * its count; then it frees everything, restores the old limit and exits.
 */
#include "rs_client.h"

#include <sys/resource.h>

#define MAXB 200

static long vm_size_kb(void)
{
   static char buf[8192];
   int fd = open("/proc/self/status", O_RDONLY);
   ssize_t n;
   char *p;
   if (fd < 0)
      return -1;
   n = read(fd, buf, sizeof buf - 1);
   close(fd);
   if (n <= 0)
      return -1;
   buf[n] = 0;
   p = strstr(buf, "VmSize:");
   return p ? strtol(p + 7, NULL, 10) : -1;
}

int main(int argc, char **argv)
{
   long margin = argc > 1 ? atol(argv[1]) : 64;
   static char *b[MAXB];
   struct rssmassif_totals base, t;
   struct rlimit old, lim;
   long long useful = 0, blocks = 0;
   long kb;
   int n = 0, i, err = 0;
   char *small;

   rs_init();
   free(malloc(1));
   rs_get(&base);
   kb = vm_size_kb();
   rs_own("VmSize read", kb > 0);
   getrlimit(RLIMIT_AS, &old);
   lim = old;
   lim.rlim_cur = (rlim_t)kb * 1024 + ((rlim_t)margin << 20);
   rs_own("setrlimit(RLIMIT_AS, VmSize + margin)", setrlimit(RLIMIT_AS, &lim) == 0);
   for (n = 0; n < MAXB; n++) {
      errno = 0;
      b[n] = malloc(1 << 20);
      if (!b[n]) {
         err = errno;
         break;
      }
      b[n][0] = 1;
      useful += 1 << 20;
      blocks++;
   }
   printf("ok own: %d blocks of 1 MiB before malloc failed\n", n);
   rs_own("malloc failed with ENOMEM under the limit", n < MAXB && err == ENOMEM);
   rs_own("at most margin blocks fitted (at least one if margin >= 8)",
          n <= margin && (margin < 8 || n >= 1));
   small = malloc(100);            /* may fit in the brk heap or not */
   if (small) {
      useful += 100;
      blocks++;
   }
   rs_own("calloc(1, 8 MiB) fails too", calloc(1, 8 << 20) == NULL);
   if (rs_under_tool) {
      rs_get(&t);
      rs_eq("useful with the mallocs failing", (long long)(t.useful_B - base.useful_B), useful);
      rs_eq("blocks with the mallocs failing", (long long)(t.blocks - base.blocks), blocks);
   }
   for (i = 0; i < n; i++)
      free(b[i]);
   free(small);
   rs_own("the old limit restored", setrlimit(RLIMIT_AS, &old) == 0);
   b[0] = malloc(8 << 20);
   rs_own("an 8 MiB malloc works again", b[0] != NULL);
   free(b[0]);
   if (rs_under_tool) {
      rs_expect_final("useful_B", "=", 0, 0);
      rs_expect_final("blocks", "=", 0, 0);
   }
   return rs_finish();
}
