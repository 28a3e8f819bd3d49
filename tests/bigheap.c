/*
 * bigheap: a 200 MiB heap of mixed blocks, far past Valgrind's 8 MB brk
 * reservation: glibc's main arena goes on in mmapped segments and the large
 * blocks are mmapped chunks.  The heap total agrees with glibc's own
 * accounting, mallinfo2() arena + hblkhd, within 1 %.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Also: live pages (pages touched by the program's own live blocks) and
 * their residency (mincore over those pages) within 1 %, useful bytes and
 * blocks exact.  Checked after allocating, after freeing a third of the
 * blocks, and after freeing more.
 */
#include "rs_client.h"

#define MAXB 20000
#define TARGET (200LL << 20)

static char *ptr[MAXB];
static size_t size[MAXB];
static int nb;
static struct rssmassif_totals base;
static long long own_useful, own_blocks;

static unsigned lcg_state = 4242;
static unsigned lcg(void)
{
   lcg_state = lcg_state * 1103515245u + 12345u;
   return (lcg_state >> 8) & 0xffffff;
}

static void check(const char *what)
{
   struct rssmassif_totals t;
   struct mallinfo2 mi = mallinfo2();
   size_t i;
   long long live, live_res = 0;
   long r;
   char lbl[200];

   rs_pages_reset();
   for (i = 0; i < (size_t)nb; i++)
      if (ptr[i])
         rs_pages_add_bytes(ptr[i], size[i]);
   rs_pages_normalise();
   live = (long long)rs_pages_total() * (long long)RS_PAGE;
   for (i = 0; i < rs_nranges; i++) {
      r = rs_resident(rs_rlo[i] * RS_PAGE, (rs_rhi[i] - rs_rlo[i]) * RS_PAGE, NULL, NULL);
      if (r < 0)
         rs_own("mincore over live pages", 0);
      else
         live_res += r * (long long)RS_PAGE;
   }
   printf("# %s: mallinfo2 arena=%zu hblkhd=%zu; own live=%lld live_res=%lld useful=%lld blocks=%lld\n",
          what, mi.arena, mi.hblkhd, live, live_res, own_useful, own_blocks);
   if (!rs_under_tool)
      return;
   rs_get(&t);
   snprintf(lbl, sizeof lbl, "heap total vs mallinfo2 arena+hblkhd after %s", what);
   rs_pct(lbl, (long long)(t.heap_live_B + t.heap_dead_B), (long long)(mi.arena + mi.hblkhd), 1.0);
   snprintf(lbl, sizeof lbl, "heap_live_B vs own live pages after %s", what);
   rs_pct(lbl, (long long)t.heap_live_B, live, 1.0);
   snprintf(lbl, sizeof lbl, "heap_live_res_B vs mincore of own live pages after %s", what);
   rs_pct(lbl, (long long)t.heap_live_res_B, live_res, 1.0);
   snprintf(lbl, sizeof lbl, "useful after %s", what);
   rs_eq(lbl, (long long)(t.useful_B - base.useful_B), own_useful);
   snprintf(lbl, sizeof lbl, "blocks after %s", what);
   rs_eq(lbl, (long long)(t.blocks - base.blocks), own_blocks);
}

int main(void)
{
   long long total = 0;
   int i;
   struct mallinfo2 mi;

   rs_init();
   rs_get(&base);

   while (total < TARGET && nb < MAXB) {
      unsigned k = lcg() % 100;
      size_t n;
      if (k < 70)
         n = 16 + lcg() % 4000;            /* small */
      else if (k < 95)
         n = 4096 + lcg() % 100000;        /* medium */
      else
         n = 200000 + lcg() % 2000000;     /* large */
      ptr[nb] = malloc(n);
      if (!ptr[nb]) {
         printf("not ok own: malloc(%zu) failed\n", n);
         return 1;
      }
      size[nb] = n;
      ptr[nb][0] = 1;                      /* one byte per block */
      total += (long long)n;
      own_useful += (long long)n;
      own_blocks++;
      nb++;
   }
   mi = mallinfo2();
   rs_own("heap bigger than 8 MB brk reservation", mi.arena + mi.hblkhd > (200UL << 20));
   check("allocating 200 MiB");

   for (i = 0; i < nb; i += 3) {
      own_useful -= (long long)size[i];
      own_blocks--;
      free(ptr[i]);
      ptr[i] = NULL;
   }
   check("freeing a third");

   for (i = 1; i < nb / 2; i += 3) {
      own_useful -= (long long)size[i];
      own_blocks--;
      free(ptr[i]);
      ptr[i] = NULL;
   }
   check("freeing more");

   rs_expect_final("useful_B", "=", own_useful, 0);
   rs_expect_final("blocks", "=", own_blocks, 0);
   return rs_finish();
}
