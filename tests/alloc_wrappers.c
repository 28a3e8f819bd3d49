/*
 * alloc_wrappers: a well-known allocation wrapper (xmalloc, libiberty's
 * name) is skipped by default; --keep-alloc-fns=yes shows it.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * usage: alloc_wrappers default|keep   (the run's option: nothing, or
 *        --keep-alloc-fns=yes)
 *
 * Blocks kept live to the end, each >= 128 KiB (the fixed
 * M_MMAP_THRESHOLD) so that each is an mmapped chunk and a site's page
 * bytes are exactly the pages its blocks touch:
 *   caller_a -> xmalloc -> malloc: NA blocks of SZ bytes
 *   caller_b -> xmalloc -> malloc: NB blocks of SZ bytes
 * Expectations on the final snapshot's heap_live tree:
 *   default: heap_live's children are caller_a (A bytes) and caller_b (B);
 *            no node names xmalloc (the header's skipped_alloc_fns= lists
 *            it: alloc_wrappers.vgtest's post: command).
 *   keep:    heap_live's child is xmalloc (A + B), its children caller_a
 *            (A) and caller_b (B).
 */
#include "rs_client.h"

#define KiB 1024UL
#define NA 3
#define NB 2
#define SZ (256 * KiB)

static unsigned long long pages_of(size_t n)
{
   /* an mmapped chunk's block starts 16 bytes into a page-aligned mapping */
   return (16 + n + RS_PAGE - 1) / RS_PAGE * RS_PAGE;
}

__attribute__((noinline)) void *xmalloc(size_t n)
{
   void *p = malloc(n);
   if (!p || !rs_chunk_mmapped(p)) {
      rs_own("block is an mmapped chunk", 0);
      exit(1);
   }
   memset(p, 0x33, n);
   return p;
}

__attribute__((noinline)) static void caller_a(void)
{
   int i;
   for (i = 0; i < NA; i++)
      xmalloc(SZ);
}

__attribute__((noinline)) static void caller_b(void)
{
   int i;
   for (i = 0; i < NB; i++)
      xmalloc(SZ);
}

#define NODE "n[0-9]+: [0-9]+ 0x[0-9A-F]+: "

int main(int argc, char **argv)
{
   const char *mode = argc > 1 ? argv[1] : "default";
   unsigned long long a = NA * pages_of(SZ), b = NB * pages_of(SZ);

   rs_init();
   rs_own("mallopt(M_MMAP_THRESHOLD, 128 KiB)", mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 1);
   caller_a();
   caller_b();
   printf("# own page bytes: caller_a %llu, caller_b %llu\n", a, b);
   if (strcmp(mode, "keep") == 0) {
      printf("expect-field: final bytes = %llu ^heap_live\\|  " NODE "xmalloc \\(\n", a + b);
      printf("expect-field: final bytes = %llu ^heap_live\\|   " NODE "caller_a \\(\n", a);
      printf("expect-field: final bytes = %llu ^heap_live\\|   " NODE "caller_b \\(\n", b);
   } else {
      printf("expect-field: final bytes = %llu ^heap_live\\|  " NODE "caller_a \\(\n", a);
      printf("expect-field: final bytes = %llu ^heap_live\\|  " NODE "caller_b \\(\n", b);
      printf("expect-no-line: final ^heap_live\\|.*: xmalloc \\(\n");
   }
   rs_expect_final("heap_live_B", "=", (long long)(a + b), 0);
   rs_expect_final("useful_B", "=", (long long)((NA + NB) * SZ), 0);
   return rs_finish();
}
