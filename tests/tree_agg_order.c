/*
 * tree_agg_order: a tree whose below-threshold line is larger than a named
 * sibling.  Valgrind's xtree printer (Massif's own) sorts that line among
 * the named children by size, so a named child follows it; rs_tree_check
 * once refused such trees ("a named child after an aggregate line") and
 * failed on every python3 run.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Blocks of 100 KiB (below the 128 KiB mmap threshold, so from the brk
 * heap), all live at exit: site big 60 blocks (6,000 KiB), site mid 10
 * blocks (1,000 KiB), and 16 small sites of 3 blocks (300 KiB each, 4,800
 * KiB together).  Run with --threshold=3: the snapshot's total T is the
 * live heap (about 12 MiB) plus what else the process maps (under 16 MiB),
 * so 3 % of T lies between 300 KiB and 1,000 KiB: big and mid are named,
 * the small sites fold into one line of about 4,800 KiB, larger than mid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_B (100 * 1024)

static void take(int n)
{
   int i;
   for (i = 0; i < n; i++) {
      char *p = malloc(BLOCK_B);
      if (!p)
         exit(1);
      memset(p, 0x5a, BLOCK_B);
   }
}

__attribute__((noinline)) static void site_big(void) { take(60); }
__attribute__((noinline)) static void site_mid(void) { take(10); }

#define SMALL(k) __attribute__((noinline)) static void small##k(void) { take(3); }
SMALL(0) SMALL(1) SMALL(2) SMALL(3) SMALL(4) SMALL(5) SMALL(6) SMALL(7)
SMALL(8) SMALL(9) SMALL(10) SMALL(11) SMALL(12) SMALL(13) SMALL(14) SMALL(15)

int main(void)
{
   site_big();
   site_mid();
   small0(); small1(); small2(); small3(); small4(); small5(); small6(); small7();
   small8(); small9(); small10(); small11(); small12(); small13(); small14(); small15();
   printf("blocks: %d of %d bytes\n", 60 + 10 + 16 * 3, BLOCK_B);
   return 0;
}
