/*
 * allocfns: every allocator entry point glibc 2.36 exports, with edge cases.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * After each call the client compares the tool's useful_B and blocks with
 * its own bookkeeping: the sum of the sizes it asked for and the number of
 * blocks it holds (deltas from a baseline taken at the start of main).
 * Failed allocations (NULL results) must change nothing; malloc(0) and
 * friends are blocks of 0 bytes; realloc(p, 0) frees p (glibc 2.36).
 *
 * Without arguments the program is Memcheck-comparable (allocfns.vgtest runs
 * it with memcheck-compare).  With the argument `extra` it also exercises
 * the calls Memcheck 3.19 cannot follow: pvalloc (Memcheck aborts on it)
 * and a failing realloc (Memcheck counts it as an alloc and a free of a
 * huge size); that is allocfns_extra.vgtest.
 */
#include "rs_client.h"

#include <stdint.h>

static struct rssmassif_totals base;
static long long own_useful, own_blocks;
static char label[200];

static void check(const char *what)
{
   struct rssmassif_totals t;
   if (!rs_under_tool)
      return;
   rs_get(&t);
   snprintf(label, sizeof label, "useful after %s", what);
   rs_eq(label, (long long)(t.useful_B - base.useful_B), own_useful);
   snprintf(label, sizeof label, "blocks after %s", what);
   rs_eq(label, (long long)(t.blocks - base.blocks), own_blocks);
}

static void own_alloc(const void *p, long long size)
{
   if (p) {
      own_useful += size;
      own_blocks++;
   }
}

static void own_free(const void *p, long long size)
{
   if (p) {
      own_useful -= size;
      own_blocks--;
   }
}

static int aligned(const void *p, size_t a) { return ((uintptr_t)p % a) == 0; }

/* volatile sizes keep the compiler from folding or warning about the
 * deliberately impossible requests. */
static volatile size_t huge = SIZE_MAX / 2;
static volatile size_t all_ones = SIZE_MAX;
static volatile size_t big_count = (size_t)1 << 40;

int main(int argc, char **argv)
{
   int extra = argc > 1 && strcmp(argv[1], "extra") == 0;
   void *p, *q, *z, *c, *c0, *r, *ra, *m, *m24, *aa, *pm, *v, *s1, *s2, *big, *bc, *mv;
   char *cc;
   int rc, i, zero_ok;

   rs_init();
   rs_get(&base);

   p = malloc(100);
   own_alloc(p, 100);
   rs_own("malloc(100) != NULL", p != NULL);
   check("malloc(100)");

   free(NULL);
   check("free(NULL)");

   z = malloc(0);
   own_alloc(z, 0);
   rs_own("malloc(0) != NULL (glibc)", z != NULL);
   check("malloc(0)");

   c = calloc(10, 30);
   own_alloc(c, 300);
   cc = c;
   zero_ok = cc != NULL;
   for (i = 0; cc && i < 300; i++)
      if (cc[i])
         zero_ok = 0;
   rs_own("calloc(10,30) zeroed", zero_ok);
   check("calloc(10,30)");

   c0 = calloc(0, 8);
   own_alloc(c0, 0);
   rs_own("calloc(0,8) != NULL (glibc)", c0 != NULL);
   check("calloc(0,8)");

   r = realloc(NULL, 50);
   own_alloc(r, 50);
   check("realloc(NULL,50)");

   q = realloc(r, 500);
   rs_own("realloc grow", q != NULL);
   own_useful += 450;
   r = q;
   check("realloc(r,500)");

   q = realloc(r, 20);
   rs_own("realloc shrink", q != NULL);
   own_useful -= 480;
   r = q;
   check("realloc(r,20)");

   own_free(r, 20);
   q = realloc(r, 0);
   rs_own("realloc(r,0) returns NULL (glibc 2.36 frees)", q == NULL);
   check("realloc(r,0)");

   r = realloc(NULL, 0);
   own_alloc(r, 0);
   rs_own("realloc(NULL,0) != NULL", r != NULL);
   check("realloc(NULL,0)");

   ra = reallocarray(NULL, 7, 9);
   own_alloc(ra, 63);
   check("reallocarray(NULL,7,9)");

   q = reallocarray(ra, 70, 9);
   rs_own("reallocarray grow", q != NULL);
   own_useful += 630 - 63;
   ra = q;
   check("reallocarray(ra,70,9)");

   m = memalign(64, 200);
   own_alloc(m, 200);
   rs_own("memalign(64) aligned", aligned(m, 64));
   check("memalign(64,200)");

   m24 = memalign(24, 100);   /* glibc rounds the alignment up to 32 */
   own_alloc(m24, 100);
   rs_own("memalign(24) aligned to 32", aligned(m24, 32));
   check("memalign(24,100)");

   aa = aligned_alloc(4096, 8192);
   own_alloc(aa, 8192);
   rs_own("aligned_alloc(4096) aligned", aligned(aa, 4096));
   check("aligned_alloc(4096,8192)");

   pm = NULL;
   rc = posix_memalign(&pm, 32, 1000);
   rs_own("posix_memalign(32) == 0", rc == 0 && aligned(pm, 32));
   own_alloc(rc == 0 ? pm : NULL, 1000);
   check("posix_memalign(32,1000)");

   q = NULL;
   rc = posix_memalign(&q, 24, 10);   /* not a power of two: EINVAL */
   rs_own("posix_memalign(24) == EINVAL", rc == EINVAL);
   check("posix_memalign(24,10)");

   v = valloc(5000);
   own_alloc(v, 5000);
   rs_own("valloc page aligned", aligned(v, 4096));
   check("valloc(5000)");

   s1 = strdup("rssmassif");
   own_alloc(s1, 10);
   check("strdup");
   s2 = strndup("abcdef", 3);
   own_alloc(s2, 4);
   check("strndup");

   /* Failed allocations change nothing. */
   q = malloc(huge);
   rs_own("malloc(SIZE_MAX/2) == NULL", q == NULL);
   check("malloc(SIZE_MAX/2)");
   q = malloc(all_ones);
   rs_own("malloc(SIZE_MAX) == NULL", q == NULL);
   check("malloc(SIZE_MAX)");
   q = calloc(huge, 4);
   rs_own("calloc(SIZE_MAX/2,4) == NULL", q == NULL);
   check("calloc overflow");
   q = calloc(big_count, big_count);
   rs_own("calloc(2^40,2^40) == NULL", q == NULL);
   check("calloc(2^40,2^40)");
   q = reallocarray(ra, huge, 4);
   rs_own("reallocarray overflow == NULL", q == NULL);
   check("reallocarray(ra,SIZE_MAX/2,4)");
   q = reallocarray(NULL, all_ones, 2);
   rs_own("reallocarray(NULL,SIZE_MAX,2) == NULL", q == NULL);
   check("reallocarray(NULL,SIZE_MAX,2)");
   q = memalign(64, huge);
   rs_own("memalign(64,SIZE_MAX/2) == NULL", q == NULL);
   check("memalign huge");
   q = aligned_alloc(64, huge);
   rs_own("aligned_alloc(64,SIZE_MAX/2) == NULL", q == NULL);
   check("aligned_alloc huge");
   q = NULL;
   rc = posix_memalign(&q, 64, huge);
   rs_own("posix_memalign huge == ENOMEM", rc == ENOMEM);
   check("posix_memalign huge");
   q = valloc(huge);
   rs_own("valloc huge == NULL", q == NULL);
   check("valloc huge");

   /* Large blocks: glibc mmaps them (threshold 128 KiB at start). */
   big = malloc(300000);
   own_alloc(big, 300000);
   check("malloc(300000)");
   bc = calloc(1, 400000);
   own_alloc(bc, 400000);
   check("calloc(1,400000)");
   /* realloc of an mmapped chunk: glibc mremaps it */
   q = realloc(big, 2000000);
   rs_own("realloc mmapped grow", q != NULL);
   own_useful += 2000000 - 300000;
   big = q;
   check("realloc(big,2000000)");
   q = realloc(big, 1000000);
   rs_own("realloc mmapped shrink", q != NULL);
   own_useful -= 1000000;
   big = q;
   check("realloc(big,1000000)");
   /* a small block that moves into an mmapped one */
   mv = malloc(1000);
   own_alloc(mv, 1000);
   q = realloc(mv, 500000);
   rs_own("realloc small to large", q != NULL);
   own_useful += 499000;
   mv = q;
   check("realloc(mv,500000)");

   if (extra) {
      /* pvalloc rounds the size up to whole pages: the program may use all
       * of them, so the block is the rounded size (glibc's malloc.h). */
      void *pv1 = pvalloc(100), *pv2 = pvalloc(2 * 4096 + 1);
      own_alloc(pv1, 4096);
      own_alloc(pv2, 3 * 4096);
      rs_own("pvalloc page aligned", aligned(pv1, 4096) && aligned(pv2, 4096));
      check("pvalloc(100), pvalloc(8193)");
      own_free(pv1, 4096);
      free(pv1);
      check("free(pvalloc(100))");
      /* leave pv2 live: expected in the final totals */

      q = realloc(c, huge);
      rs_own("realloc(c,SIZE_MAX/2) == NULL, c kept", q == NULL);
      check("failed realloc(c,SIZE_MAX/2)");
      q = realloc(mv, all_ones - 4096);
      rs_own("realloc(mv,SIZE_MAX-4096) == NULL, mv kept", q == NULL);
      check("failed realloc of an mmapped block");
   }

   /* Free some, keep some: the kept ones are "in use at exit". */
   own_free(p, 100);
   free(p);
   own_free(c0, 0);
   free(c0);
   own_free(r, 0);
   free(r);
   own_free(m, 200);
   free(m);
   own_free(aa, 8192);
   free(aa);
   own_free(s1, 10);
   free(s1);
   own_free(bc, 400000);
   free(bc);
   own_free(mv, 500000);
   free(mv);
   check("frees");

   /* kept: z (0), c (300), ra (630), m24 (100), pm (1000), v (5000),
    * s2 (4), big (1000000) [+ pv2 (12288) with extra] */
   rs_expect_final("useful_B", "=", own_useful, 0);
   rs_expect_final("blocks", "=", own_blocks, 0);
   return rs_finish();
}
