/*
 * alloc_auto: an allocation wrapper no list names is recognised during the
 * run (--auto-alloc-fns=yes, the default) when its name says it allocates
 * and it is called from at least --auto-alloc-fn-callers (4) distinct
 * sites; other functions above malloc are kept as sites.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * usage: alloc_auto auto|off   (the run's option: nothing, or
 *        --auto-alloc-fns=no)
 *
 * Blocks kept live to the end, each SZ >= 128 KiB (the fixed
 * M_MMAP_THRESHOLD), so each is an mmapped chunk and a site's page bytes
 * are exactly the pages its blocks touch:
 *   zcaller_0..9 -> my_zalloc -> calloc   one block each: a wrapper
 *   gcaller_0..9 -> grab_pages -> malloc  one block each: many callers,
 *                                         but the name says nothing
 *   ocaller_0..9 -> one_site -> alloc_once -> malloc
 *                                         one block each: ten stacks, but
 *                                         one call site of alloc_once
 * Expectations on the final snapshot's heap_live tree:
 *   auto: heap_live's children include zcaller_0..9 (one block's pages
 *         each), grab_pages (ten blocks) and alloc_once (ten); no node names
 *         my_zalloc; the header lists my_zalloc in skipped_alloc_fns= and
 *         auto_alloc_fns= (alloc_auto.vgtest's post: commands).
 *   off:  heap_live's child my_zalloc holds the ten blocks.
 * The program's first allocation is zcaller_0's: the main arena's first
 * mapping is made then, through my_zalloc, before it was recognised; its
 * node in heap_dead names zcaller_0 (auto) as heap_live does, or
 * my_zalloc (off).
 */
#include "rs_client.h"

#define KiB 1024UL
#define SZ (256 * KiB)

static unsigned long long pages_of(size_t n)
{
   /* an mmapped chunk's block starts 16 bytes into a page-aligned mapping */
   return (16 + n + RS_PAGE - 1) / RS_PAGE * RS_PAGE;
}

static void check_mmapped(void *p)
{
   if (!p || !rs_chunk_mmapped(p)) {
      rs_own("block is an mmapped chunk", 0);
      exit(1);
   }
   memset(p, 0x5a, SZ);
}

__attribute__((noinline)) void *my_zalloc(size_t n)
{
   void *p = calloc(1, n);
   check_mmapped(p);
   return p;
}

__attribute__((noinline)) void *grab_pages(size_t n)
{
   void *p = malloc(n);
   check_mmapped(p);
   return p;
}

__attribute__((noinline)) void *alloc_once(size_t n)
{
   void *p = malloc(n);
   check_mmapped(p);
   return p;
}

__attribute__((noinline)) void one_site(void)
{
   alloc_once(SZ);
}

#define CALLERS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9)
#define DEFINE(i) \
   __attribute__((noinline)) void zcaller_##i(void) { my_zalloc(SZ); } \
   __attribute__((noinline)) void gcaller_##i(void) { grab_pages(SZ); } \
   __attribute__((noinline)) void ocaller_##i(void) { one_site(); }
CALLERS(DEFINE)
#define CALL(i) zcaller_##i(); gcaller_##i(); ocaller_##i();

#define NODE "n[0-9]+: [0-9]+ 0x[0-9A-F]+: "

int main(int argc, char **argv)
{
   const char *mode = argc > 1 ? argv[1] : "auto";
   unsigned long long one = pages_of(SZ);
   int i;

   rs_init();
   rs_own("mallopt(M_MMAP_THRESHOLD, 128 KiB)", mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 1);
   CALLERS(CALL)
   printf("# own page bytes: one block %llu\n", one);
   printf("expect-field: final bytes = %llu ^heap_live\\|  " NODE "grab_pages \\(\n", 10 * one);
   printf("expect-field: final bytes = %llu ^heap_live\\|  " NODE "alloc_once \\(\n", 10 * one);
   if (strcmp(mode, "off") == 0) {
      printf("expect-field: final bytes = %llu ^heap_live\\|  " NODE "my_zalloc \\(\n", 10 * one);
      printf("expect-line: final ^heap_dead\\|  " NODE "my_zalloc \\(\n");
   } else {
      for (i = 0; i < 10; i++)
         printf("expect-field: final bytes = %llu ^heap_live\\|  " NODE "zcaller_%d \\(\n",
                one, i);
      printf("expect-no-line: final ^heap_live\\|.*: my_zalloc \\(\n");
      printf("expect-no-line: final ^heap_dead\\|.*: my_zalloc \\(\n");
      printf("expect-line: final ^heap_dead\\|  " NODE "zcaller_0 \\(\n");
   }
   rs_expect_final("heap_live_B", "=", (long long)(30 * one), 0);
   rs_expect_final("useful_B", "=", (long long)(30 * SZ), 0);
   return rs_finish();
}
