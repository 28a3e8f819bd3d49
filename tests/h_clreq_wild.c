/*
 * h_clreq_wild: VALGRIND_MALLOCLIKE_BLOCK / RESIZEINPLACE / FREELIKE with
 * wild arguments, as a buggy custom allocator sends them.  The tool must
 * count them like any block (Memcheck does, and survives each) and must
 * not crash.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Modes (argv[1]):
 *   kernel   a 16-byte block at 0xffff800000001000 (above the user address
 *            space) and one at (void *)-4096, then freed;
 *   overlap  20 blocks of 4000 bytes starting 1 byte apart on the same
 *            page (a pool's double announcements; more than 65535 live
 *            bytes counted on one page), freed one by one while checking;
 *   big      a block of 64 GiB announced over a 4-page buffer (the pages it
 *            claims are mostly unmapped), resized in place to 16 bytes,
 *            freed;
 *   misc     MALLOCLIKE at NULL (ignored, as Memcheck ignores it: no block),
 *            of size 0 (a block), FREELIKE of NULL and of addresses never
 *            announced, a double FREELIKE, RESIZEINPLACE of an unknown
 *            block (all without effect).
 * A tool that tried to track every page such a block claims would need
 * gigabytes: so that a failure here is a clean "out of memory" message in
 * the log rather than the host's OOM killer at work, the program first
 * limits its address space (RLIMIT_AS, which binds Valgrind and the tool
 * too) to its VmSize plus 1 GiB.
 * Own arithmetic: useful_B and blocks while the blocks are announced and at
 * exit; Memcheck's heap summary for the same program (memcheck-compare),
 * except in misc, where Memcheck counts every FREELIKE, even of unknown
 * addresses, in its "frees".
 */
#include "rs_client.h"

#include "valgrind.h"

#include <sys/resource.h>

static void limit_address_space(void)
{
   static char buf[8192];
   struct rlimit r;
   int fd = open("/proc/self/status", O_RDONLY);
   ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
   char *p;
   if (fd >= 0)
      close(fd);
   if (n <= 0)
      return;
   buf[n] = 0;
   p = strstr(buf, "VmSize:");
   if (!p || getrlimit(RLIMIT_AS, &r) != 0)
      return;
   r.rlim_cur = (rlim_t)strtol(p + 7, NULL, 10) * 1024 + (1UL << 30);
   rs_own("RLIMIT_AS set to VmSize + 1 GiB", setrlimit(RLIMIT_AS, &r) == 0);
}

static struct rssmassif_totals base;
static char lbl[160];

static void check(const char *what, long long useful, long long blocks)
{
   struct rssmassif_totals t;
   if (!rs_under_tool)
      return;
   rs_get(&t);
   snprintf(lbl, sizeof lbl, "useful after %s", what);
   rs_eq(lbl, (long long)(t.useful_B - base.useful_B), useful);
   snprintf(lbl, sizeof lbl, "blocks after %s", what);
   rs_eq(lbl, (long long)(t.blocks - base.blocks), blocks);
}

int main(int argc, char **argv)
{
   const char *mode = argc > 1 ? argv[1] : "misc";
   static char buf[8 * 4096] __attribute__((aligned(4096)));
   char *k1 = (char *)0xffff800000001000UL, *k2 = (char *)-4096L;
   int i;

   rs_init();
   limit_address_space();
   free(malloc(1));
   rs_get(&base);
   if (strcmp(mode, "kernel") == 0) {
      VALGRIND_MALLOCLIKE_BLOCK(k1, 16, 0, 0);
      check("a block at 0xffff800000001000", 16, 1);
      VALGRIND_MALLOCLIKE_BLOCK(k2, 16, 0, 0);
      check("a block at (void *)-4096", 32, 2);
      VALGRIND_FREELIKE_BLOCK(k1, 0);
      VALGRIND_FREELIKE_BLOCK(k2, 0);
      check("freeing both", 0, 0);
   } else if (strcmp(mode, "overlap") == 0) {
      for (i = 0; i < 20; i++)
         VALGRIND_MALLOCLIKE_BLOCK(buf + 4096 + i, 4000, 0, 0);
      check("20 overlapping 4000-byte blocks", 20 * 4000, 20);
      RSSMASSIF_SNAPSHOT("overlap");
      for (i = 0; i < 20; i++) {
         VALGRIND_FREELIKE_BLOCK(buf + 4096 + i, 0);
         if (i == 16) {
            check("17 of them freed", 3 * 4000, 3);
            RSSMASSIF_SNAPSHOT("three_left");
         }
      }
      check("all freed", 0, 0);
   } else if (strcmp(mode, "big") == 0) {
      VALGRIND_MALLOCLIKE_BLOCK(buf + 4096, 1ULL << 36, 0, 0);
      check("a 64 GiB block", 1LL << 36, 1);
      RSSMASSIF_SNAPSHOT("big");
      VALGRIND_RESIZEINPLACE_BLOCK(buf + 4096, 1ULL << 36, 16, 0);
      check("resized in place to 16 bytes", 16, 1);
      VALGRIND_FREELIKE_BLOCK(buf + 4096, 0);
      check("freed", 0, 0);
   } else if (strcmp(mode, "misc") == 0) {
      VALGRIND_MALLOCLIKE_BLOCK(NULL, 16, 0, 0);
      check("a block at NULL (ignored)", 0, 0);
      VALGRIND_FREELIKE_BLOCK(NULL, 0);
      check("freeing it", 0, 0);
      VALGRIND_MALLOCLIKE_BLOCK(buf + 100, 0, 0, 0);
      check("a block of size 0", 0, 1);
      VALGRIND_FREELIKE_BLOCK(buf + 100, 0);
      VALGRIND_FREELIKE_BLOCK(buf + 100, 0);          /* double */
      VALGRIND_FREELIKE_BLOCK(buf + 200, 0);          /* never announced */
      VALGRIND_FREELIKE_BLOCK((char *)0x12345, 0);    /* unmapped */
      VALGRIND_RESIZEINPLACE_BLOCK(buf + 300, 10, 20, 0);   /* unknown */
      check("bad frees and an unknown resize", 0, 0);
   } else {
      printf("not ok unknown mode %s\n", mode);
      return 1;
   }
   if (rs_under_tool) {
      rs_expect_final("useful_B", "=", 0, 0);
      rs_expect_final("blocks", "=", 0, 0);
   }
   return rs_finish();
}
