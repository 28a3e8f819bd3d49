/*
 * own_allocator: a program with its own malloc/free/calloc/realloc in the
 * executable (as a statically linked allocator would be).  Run with
 * --soname-synonyms=somalloc=NONE, the tool wraps the executable's
 * functions: blocks, useful bytes and the allocator's own mmaps (made while
 * a wrapped function is on the stack: heap) are seen.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The allocator: a bump allocator over 256 KiB mmapped regions; each block
 * has a 16-byte header holding its size; free() only forgets.  Own view:
 * useful bytes and blocks from the program's arithmetic, heap mapped = its
 * regions, live pages = pages touched by its live blocks, resident from
 * mincore().  (A fully static executable cannot be run this way: Valgrind
 * cannot preload anything into it, Memcheck included.)
 */
#include "rs_client.h"

#define REGION (256UL << 10)
#define MAXREG 16

static char *reg[MAXREG];
static size_t reg_len[MAXREG];
static int nreg;
static size_t used;   /* in the last region */

void *malloc(size_t n)
{
   size_t need = (n + 16 + 15) & ~(size_t)15;
   char *p;
   if (n > REGION - 16)
      return NULL;
   if (nreg == 0 || used + need > REGION) {
      if (nreg == MAXREG)
         return NULL;
      p = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED)
         return NULL;
      reg[nreg] = p;
      reg_len[nreg] = REGION;
      nreg++;
      used = 0;
   }
   p = reg[nreg - 1] + used;
   used += need;
   *(size_t *)p = n;
   return p + 16;
}

void free(void *p)
{
   (void)p;
}

void *calloc(size_t n, size_t m)
{
   void *p;
   if (m && n > SIZE_MAX / m)
      return NULL;
   p = malloc(n * m);
   if (p)
      memset(p, 0, n * m);
   return p;
}

void *realloc(void *old, size_t n)
{
   void *p;
   size_t o;
   if (!old)
      return malloc(n);
   if (n == 0) {
      free(old);
      return NULL;
   }
   p = malloc(n);
   if (!p)
      return NULL;
   o = *(size_t *)((char *)old - 16);
   memcpy(p, old, o < n ? o : n);
   free(old);
   return p;
}

#define NB 8
static char *blk[NB];
static size_t bsz[NB];
static struct rssmassif_totals base;
static long long own_useful, own_blocks;

static void check(const char *what)
{
   struct rssmassif_totals t;
   struct rs_heap_view v;
   rs_heap_view(&v, blk, bsz, NB, 0, 0, (const uintptr_t *)reg, reg_len, (size_t)nreg);
   rs_heap_print(what, &v);
   if (!rs_under_tool)
      return;
   rs_get(&t);
   rs_heap_compare(what, &t, &v, RS_TOL_PAGES(4), &base, own_useful, own_blocks);
}

int main(void)
{
   int i;
   rs_init();
   rs_get(&base);
   for (i = 0; i < 6; i++) {
      bsz[i] = 10000 + (size_t)i * 20000;   /* 10 KB .. 110 KB: two regions */
      blk[i] = malloc(bsz[i]);
      memset(blk[i], 'o', 100);
      own_useful += (long long)bsz[i];
      own_blocks++;
   }
   check("malloc x6");
   rs_own("the own allocator made 2 regions", nreg == 2);
   blk[6] = calloc(300, 10);
   bsz[6] = 3000;
   own_useful += 3000;
   own_blocks++;
   check("calloc(300,10)");
   blk[1] = realloc(blk[1], 40000);
   own_useful += 40000 - (long long)bsz[1];
   bsz[1] = 40000;
   check("realloc(30000 -> 40000)");
   free(blk[0]);
   own_useful -= (long long)bsz[0];
   own_blocks--;
   blk[0] = NULL;
   free(blk[2]);
   own_useful -= (long long)bsz[2];
   own_blocks--;
   blk[2] = NULL;
   check("free x2");
   rs_expect_final("useful_B", "=", own_useful, 0);
   rs_expect_final("blocks", "=", own_blocks, 0);
   return rs_finish();
}
