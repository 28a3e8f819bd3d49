/*
 * clientreq: a custom allocator announces its blocks with
 * VALGRIND_MALLOCLIKE_BLOCK / VALGRIND_RESIZEINPLACE_BLOCK /
 * VALGRIND_FREELIKE_BLOCK; they count as blocks (useful_B, blocks) exactly
 * like malloc'd ones, and the same as Memcheck counts them.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The pool is 16 pages the program mmaps itself, so by design.md its pages
 * keep their origin: other (announcing blocks does not make them heap); the
 * client checks other_B grows by the pool and the heap categories do not
 * change.  Also RSSMASSIF_SNAPSHOT takes a labelled snapshot.
 */
#include "rs_client.h"

#include "valgrind.h"

static struct rssmassif_totals base;
static long long own_useful, own_blocks;
static char lbl[200];

static void check(const char *what)
{
   struct rssmassif_totals t;
   if (!rs_under_tool)
      return;
   rs_get(&t);
   snprintf(lbl, sizeof lbl, "useful after %s", what);
   rs_eq(lbl, (long long)(t.useful_B - base.useful_B), own_useful);
   snprintf(lbl, sizeof lbl, "blocks after %s", what);
   rs_eq(lbl, (long long)(t.blocks - base.blocks), own_blocks);
   snprintf(lbl, sizeof lbl, "other_B after %s (the pool stays other)", what);
   rs_eq(lbl, (long long)(t.other_B - base.other_B), 16 * (long long)RS_PAGE);
   snprintf(lbl, sizeof lbl, "heap total unchanged after %s", what);
   rs_eq(lbl, (long long)(t.heap_live_B + t.heap_dead_B),
         (long long)(base.heap_live_B + base.heap_dead_B));
}

int main(void)
{
   char *pool, *a, *b, *c;

   rs_init();
   rs_get(&base);
   pool = mmap(NULL, 16 * RS_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (pool == MAP_FAILED)
      return 1;
   check("mmap of the pool");

   a = pool;
   b = pool + 8192;
   c = pool + 3 * 8192;
   VALGRIND_MALLOCLIKE_BLOCK(a, 1000, 0, 0);
   own_useful += 1000;
   own_blocks++;
   check("MALLOCLIKE 1000");
   VALGRIND_MALLOCLIKE_BLOCK(b, 6000, 0, 1);
   own_useful += 6000;
   own_blocks++;
   VALGRIND_MALLOCLIKE_BLOCK(c, 0, 0, 0);
   own_useful += 0;
   own_blocks++;
   check("MALLOCLIKE 6000 and 0");
   memset(a, 1, 1000);
   memset(b, 2, 6000);

   VALGRIND_RESIZEINPLACE_BLOCK(a, 1000, 3000, 0);
   own_useful += 2000;
   check("RESIZEINPLACE 1000 -> 3000");
   VALGRIND_RESIZEINPLACE_BLOCK(b, 6000, 100, 0);
   own_useful -= 5900;
   check("RESIZEINPLACE 6000 -> 100");

   VALGRIND_FREELIKE_BLOCK(b, 0);
   own_useful -= 100;
   own_blocks--;
   check("FREELIKE");

   RSSMASSIF_SNAPSHOT("after-freelike");

   /* a, 3000 bytes, and c, 0 bytes, stay live to the end */
   rs_expect_final("useful_B", "=", own_useful, 0);
   rs_expect_final("blocks", "=", own_blocks, 0);
   return rs_finish();
}
