/*
 * snap_fns: --alloc-fn and --ignore-fn, seen in the final heap_live tree.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * usage: snap_fns none|alloc-fn|ignore-fn   (the run's option:
 *        nothing, --alloc-fn=myalloc, --ignore-fn=ignored_fn)
 *
 * Blocks, kept live to the end, all large enough (>= 128 KiB, the fixed
 * M_MMAP_THRESHOLD) to be mmapped chunks, so no two share a page and each
 * site's page bytes are exactly the pages its blocks touch:
 *   caller_a -> myalloc -> malloc: NA blocks of SZ bytes
 *   caller_b -> myalloc -> malloc: NB blocks of SZ bytes
 *   ignored_fn -> malloc:          NI blocks of SZ_I bytes
 * Each site holds >= 600 KiB, far above 1 % (the default --threshold) of
 * what the process maps under Valgrind (~12 MiB), so every site is named.
 *
 * Expectations on the final snapshot:
 *   none:      heap_live's children are myalloc (A + B bytes) and
 *              ignored_fn (I); myalloc's children are caller_a (A) and
 *              caller_b (B); no child of heap_live is caller_a.
 *   alloc-fn:  myalloc is an allocation function: heap_live's children are
 *              caller_a (A), caller_b (B) and ignored_fn (I); no node below
 *              heap_live names myalloc.
 *   ignore-fn: ignored_fn's allocations are left out of the heap_live
 *              tree's stacks: no node names it; their pages (I bytes) are one
 *              child "(allocations in --ignore-fn functions)", so heap_live's
 *              children still sum to A + B + I; the blocks still count in
 *              useful_B.
 */
#include "rs_client.h"

#define KiB 1024UL
#define NA 4
#define NB 2
#define NI 2
#define SZ (300 * KiB)
#define SZ_I (600 * KiB)

static unsigned long long pages_of(size_t n)
{
   /* an mmapped chunk's block starts 16 bytes into a page-aligned mapping */
   return (16 + n + RS_PAGE - 1) / RS_PAGE * RS_PAGE;
}

static void keep(char *p, size_t n)
{
   if (!p || !rs_chunk_mmapped(p) || ((uintptr_t)p & (RS_PAGE - 1)) != 16) {
      rs_own("block is an mmapped chunk starting 16 bytes into a page", 0);
      exit(1);
   }
   memset(p, 0x22, n);
}

__attribute__((noinline)) static void *myalloc(size_t n) { return malloc(n); }

__attribute__((noinline)) static void caller_a(void)
{
   int i;
   for (i = 0; i < NA; i++)
      keep(myalloc(SZ), SZ);
}

__attribute__((noinline)) static void caller_b(void)
{
   int i;
   for (i = 0; i < NB; i++)
      keep(myalloc(SZ), SZ);
}

__attribute__((noinline)) static void ignored_fn(void)
{
   int i;
   for (i = 0; i < NI; i++)
      keep(malloc(SZ_I), SZ_I);
}

#define NODE "n[0-9]+: [0-9]+ 0x[0-9A-F]+: "

int main(int argc, char **argv)
{
   const char *mode = argc > 1 ? argv[1] : "none";
   unsigned long long a = NA * pages_of(SZ), b = NB * pages_of(SZ), ig = NI * pages_of(SZ_I);

   rs_init();
   rs_own("mallopt(M_MMAP_THRESHOLD, 128 KiB)", mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 1);
   caller_a();
   caller_b();
   ignored_fn();
   printf("# own page bytes: caller_a %llu, caller_b %llu, ignored_fn %llu\n", a, b, ig);

   if (strcmp(mode, "none") == 0) {
      printf("expect-field: final bytes = %llu ^heap_live\\|  " NODE "myalloc \\(\n", a + b);
      printf("expect-field: final bytes = %llu ^heap_live\\|   " NODE "caller_a \\(\n", a);
      printf("expect-field: final bytes = %llu ^heap_live\\|   " NODE "caller_b \\(\n", b);
      printf("expect-field: final bytes = %llu ^heap_live\\|  " NODE "ignored_fn \\(\n", ig);
      printf("expect-no-line: final ^heap_live\\|  " NODE "caller_a \\(\n");
      printf("expect-snap: final tree.heap_live.children_B = %llu\n", a + b + ig);
   } else if (strcmp(mode, "alloc-fn") == 0) {
      printf("expect-field: final bytes = %llu ^heap_live\\|  " NODE "caller_a \\(\n", a);
      printf("expect-field: final bytes = %llu ^heap_live\\|  " NODE "caller_b \\(\n", b);
      printf("expect-field: final bytes = %llu ^heap_live\\|  " NODE "ignored_fn \\(\n", ig);
      printf("expect-no-line: final ^heap_live\\|.*: myalloc \\(\n");
      printf("expect-snap: final tree.heap_live.children_B = %llu\n", a + b + ig);
   } else {
      printf("expect-no-line: final ^heap_live\\|.*: ignored_fn \\(\n");
      printf("expect-field: final bytes = %llu ^heap_live\\|  " NODE "myalloc \\(\n", a + b);
      printf("expect-field: final bytes = %llu ^heap_live\\|  n0: [0-9]+ \\(allocations in --ignore-fn functions\\)$\n", ig);
      printf("expect-snap: final tree.heap_live.children_B = %llu\n", a + b + ig);
   }
   rs_expect_final("heap_live_B", "=", (long long)(a + b + ig), 0);
   rs_expect_final("useful_B", "=", (long long)((NA + NB) * SZ + NI * SZ_I), 0);
   rs_expect_final("blocks", "=", NA + NB + NI, 0);
   return rs_finish();
}
