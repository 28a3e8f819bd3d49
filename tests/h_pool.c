/*
 * h_pool: custom allocators announcing their blocks with
 * VALGRIND_MALLOCLIKE_BLOCK / VALGRIND_RESIZEINPLACE_BLOCK /
 * VALGRIND_FREELIKE_BLOCK, the way memory pools do.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pool A: a 256 KiB superblock the program mmaps itself; objects of 48
 *   bytes carved from it with a free list, announced one by one: 3000
 *   announced, 1000 released, 500 re-announced (reused addresses), 100
 *   resized in place to 40 bytes.  The pool's pages stay `other` (a
 *   MALLOCLIKE block does not change a mapping's origin).
 * Pool B: a 64 KiB superblock obtained from malloc (a block itself) and
 *   carved into 256-byte objects announced with MALLOCLIKE: the bytes are
 *   then counted twice, once in the superblock and once per object, as
 *   Memcheck counts them (both are blocks).  argv[1] is the offset of the
 *   first object in the superblock: 16 (a pool header first) or 0 -- then
 *   the first object has the superblock's own address, and Memcheck still
 *   counts both (checked with VALGRIND_COUNT_LEAK_BLOCKS: superblock + 2
 *   objects = 3 blocks).
 * Then pool A is destroyed with munmap while 200 of its objects are still
 *   announced (a leak in the pool's user), and pool B's superblock freed
 *   after its objects are released.
 * Own arithmetic for useful/blocks; Memcheck's heap summary for the same
 * program must be equal (memcheck-compare).
 */
#include "rs_client.h"

#include "valgrind.h"

#define A_BYTES (256 * 1024)
#define A_OBJ 48
#define B_BYTES (64 * 1024)
#define B_OBJ 256
#define B_N (B_BYTES / B_OBJ - 1)

static struct rssmassif_totals base;
static long long useful, blocks;
static char lbl[160];

static void check(const char *what)
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
   int off = argc > 1 ? atoi(argv[1]) : 16;
   static char *objs[A_BYTES / A_OBJ];
   static size_t osize[A_BYTES / A_OBJ];
   struct rssmassif_totals t;
   char *a, *sb;
   int i, n = A_BYTES / A_OBJ;

   rs_init();
   free(malloc(1));
   rs_get(&base);
   a = mmap(NULL, A_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (a == MAP_FAILED)
      return 1;
   for (i = 0; i < 3000 && i < n; i++) {
      objs[i] = a + (size_t)i * A_OBJ;
      osize[i] = A_OBJ;
      VALGRIND_MALLOCLIKE_BLOCK(objs[i], A_OBJ, 0, 0);
      memset(objs[i], 1, A_OBJ);
      useful += A_OBJ;
      blocks++;
   }
   check("3000 pool objects");
   if (rs_under_tool) {
      rs_get(&t);
      rs_eq("the pool's pages are other", (long long)(t.other_B - base.other_B), A_BYTES);
   }
   for (i = 0; i < 3000; i += 3) {
      VALGRIND_FREELIKE_BLOCK(objs[i], 0);
      useful -= (long long)osize[i];
      blocks--;
      osize[i] = 0;
   }
   check("releasing 1000 objects");
   for (i = 0; i < 1500; i += 3) {
      VALGRIND_MALLOCLIKE_BLOCK(objs[i], A_OBJ, 0, 0);
      osize[i] = A_OBJ;
      useful += A_OBJ;
      blocks++;
   }
   check("re-announcing 500 reused addresses");
   for (i = 1; i < 300; i += 3) {
      VALGRIND_RESIZEINPLACE_BLOCK(objs[i], A_OBJ, 40, 0);
      useful -= A_OBJ - 40;
      osize[i] = 40;
   }
   check("100 resized in place to 40 bytes");

   sb = malloc(B_BYTES);
   useful += B_BYTES;
   blocks++;
   for (i = 0; i < B_N; i++) {
      VALGRIND_MALLOCLIKE_BLOCK(sb + off + i * B_OBJ, B_OBJ, 0, 0);
      useful += B_OBJ;
      blocks++;
   }
   check("a malloc'd superblock carved into 255 objects");
   for (i = 0; i < B_N; i++) {
      VALGRIND_FREELIKE_BLOCK(sb + off + i * B_OBJ, 0);
      useful -= B_OBJ;
      blocks--;
   }
   free(sb);
   useful -= B_BYTES;
   blocks--;
   check("releasing them and freeing the superblock");

   /* release all of pool A's objects but 200, then destroy the pool */
   for (i = 200; i < 3000; i++)
      if (osize[i]) {
         VALGRIND_FREELIKE_BLOCK(objs[i], 0);
         useful -= (long long)osize[i];
         blocks--;
         osize[i] = 0;
      }
   munmap(a, A_BYTES);
   check("munmap of the pool with 200 objects still announced");
   if (rs_under_tool) {
      rs_get(&t);
      rs_eq("the pool's pages are gone", (long long)(t.other_B - base.other_B), 0);
      rs_expect_final("useful_B", "=", useful, 0);
      rs_expect_final("blocks", "=", blocks, 0);
   }
   return rs_finish();
}
