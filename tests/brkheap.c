/*
 * brkheap: a single-threaded heap that stays inside the brk reservation;
 * every heap category agrees with the program's own view within 4 pages.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The program's own view:
 *   heap mapped  = the brk extent [initial break, sbrk(0)), in pages (all
 *                  blocks are below glibc's mmap threshold, so the brk heap
 *                  is the whole heap; checked with mallinfo2().hblkhd == 0);
 *   heap_live    = pages on which a byte of one of its own live blocks lies
 *                  (stdout is unbuffered, so libc holds no block of its own;
 *                  checked by comparing block counts exactly);
 *   heap_dead    = heap mapped - heap_live;
 *   *_res        = mincore() over those pages.
 * It checks after allocating, after freeing most blocks, and after
 * allocating again into the freed space; then it prints expect-final lines
 * for the exit snapshot.  Loader, stack and other get looser bounds from
 * dl_iterate_phdr() and /proc/self/maps (see check_rest).
 */
#include "rs_client.h"

#include <link.h>

#define NBLK 1200
#define NEXTRA 300
#define NALIGN 6

static char *blk[NBLK + NEXTRA + NALIGN];
static size_t sz[NBLK + NEXTRA + NALIGN];
static uintptr_t heap_start;
static struct rssmassif_totals base;
static long long own_useful, own_blocks;
static char label[200];

static unsigned lcg_state = 12345;
static unsigned lcg(void)
{
   lcg_state = lcg_state * 1103515245u + 12345u;
   return (lcg_state >> 8) & 0xffffff;
}

static void take(int i, size_t n)
{
   blk[i] = malloc(n);
   if (!blk[i]) {
      printf("not ok own: malloc(%zu) failed\n", n);
      exit(1);
   }
   sz[i] = n;
   blk[i][0] = 1;          /* touch the first and the last byte only */
   blk[i][n - 1] = 2;
   own_useful += (long long)n;
   own_blocks++;
}

static void drop(int i)
{
   if (!blk[i])
      return;
   own_useful -= (long long)sz[i];
   own_blocks--;
   free(blk[i]);
   blk[i] = NULL;
}

/* Own view of the heap right now. */
struct own_view {
   long long mapped, live, dead, live_res, dead_res;
};

static void own_view(struct own_view *v)
{
   int i;
   uintptr_t lo = RS_PAGE_DOWN(heap_start), hi = RS_PAGE_UP((uintptr_t)sbrk(0));
   long in = 0, out = 0;
   size_t live_pages;

   rs_pages_reset();
   for (i = 0; i < NBLK + NEXTRA + NALIGN; i++)
      if (blk[i])
         rs_pages_add_bytes(blk[i], sz[i]);
   rs_pages_normalise();
   live_pages = rs_pages_total();
   rs_own("all live pages inside the brk extent",
          rs_pages_count_in(lo / RS_PAGE, hi / RS_PAGE) == live_pages);
   if (rs_resident(lo, hi - lo, &in, &out) < 0) {
      printf("not ok own: mincore: %s\n", strerror(errno));
      rs_failures++;
   }
   v->mapped = (long long)(hi - lo);
   v->live = (long long)live_pages * (long long)RS_PAGE;
   v->dead = v->mapped - v->live;
   v->live_res = (long long)in * (long long)RS_PAGE;
   v->dead_res = (long long)out * (long long)RS_PAGE;
}

/* ---- loader / stack / other: looser bounds ----------------------------- */

static long long own_loader_spans;

static int phdr_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
   uintptr_t lo = UINTPTR_MAX, hi = 0;
   int k;
   (void)size;
   (void)arg;
   for (k = 0; k < info->dlpi_phnum; k++) {
      const ElfW(Phdr) *ph = &info->dlpi_phdr[k];
      if (ph->p_type != PT_LOAD)
         continue;
      if (info->dlpi_addr + ph->p_vaddr < lo)
         lo = info->dlpi_addr + ph->p_vaddr;
      if (info->dlpi_addr + ph->p_vaddr + ph->p_memsz > hi)
         hi = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
   }
   if (hi > lo)
      own_loader_spans += (long long)(RS_PAGE_UP(hi) - RS_PAGE_DOWN(lo));
   return 0;
}

static uintptr_t stack_addr;
static long long stack_map_len;

static void maps_cb(uintptr_t lo, uintptr_t hi, const char *perms, const char *path, void *arg)
{
   (void)perms;
   (void)path;
   (void)arg;
   if (stack_addr >= lo && stack_addr < hi)
      stack_map_len = (long long)(hi - lo);
}

static void check_rest(const struct rssmassif_totals *t)
{
   int local = 0;
   own_loader_spans = 0;
   dl_iterate_phdr(phdr_cb, NULL);
   stack_addr = (uintptr_t)&local;
   rs_maps_foreach(maps_cb, NULL);
   /* every loaded object's PT_LOAD span is loader; on top of that only bss
    * tails, ld.so's start-up pages and Valgrind's trampoline page */
   rs_ge("loader_B >= PT_LOAD spans of dl_iterate_phdr", (long long)t->loader_B, own_loader_spans);
   rs_le("loader_B <= PT_LOAD spans + 32 pages", (long long)t->loader_B,
         own_loader_spans + RS_TOL_PAGES(32));
   rs_le("loader_res_B <= loader_B", (long long)t->loader_res_B, (long long)t->loader_B);
   /* the main stack: at least a page, at most its mapping in /proc/self/maps */
   rs_ge("stack_B >= 1 page", (long long)t->stack_B, (long long)RS_PAGE);
   rs_le("stack_B <= main stack mapping in /proc/self/maps", (long long)t->stack_B, stack_map_len);
   /* the program maps nothing itself */
   rs_le("other_B <= 4 pages", (long long)t->other_B, RS_TOL_PAGES(4));
}

static void check(const char *what)
{
   struct rssmassif_totals t;
   struct own_view v;
   struct mallinfo2 mi = mallinfo2();

   rs_own("no mmapped chunks (hblkhd == 0)", mi.hblkhd == 0);
   rs_own("main arena = [initial break, sbrk(0))",
          (uintptr_t)sbrk(0) - mi.arena == heap_start);
   own_view(&v);
   printf("# %s: own mapped=%lld live=%lld dead=%lld live_res=%lld dead_res=%lld useful=%lld blocks=%lld\n",
          what, v.mapped, v.live, v.dead, v.live_res, v.dead_res, own_useful, own_blocks);
   if (!rs_under_tool)
      return;
   rs_get(&t);
#define CMP(key, own)                                                         \
   snprintf(label, sizeof label, "%s after %s", #key, what);                   \
   rs_near(label, (long long)t.key, own, RS_TOL_PAGES(4))
   CMP(heap_live_B, v.live);
   CMP(heap_dead_B, v.dead);
   CMP(heap_live_res_B, v.live_res);
   CMP(heap_dead_res_B, v.dead_res);
   snprintf(label, sizeof label, "heap_live_B+heap_dead_B after %s", what);
   rs_near(label, (long long)(t.heap_live_B + t.heap_dead_B), v.mapped, RS_TOL_PAGES(4));
   snprintf(label, sizeof label, "useful after %s", what);
   rs_eq(label, (long long)(t.useful_B - base.useful_B), own_useful);
   snprintf(label, sizeof label, "blocks after %s", what);
   rs_eq(label, (long long)(t.blocks - base.blocks), own_blocks);
   check_rest(&t);
}

int main(void)
{
   int i;
   struct own_view v;

   rs_init();
   heap_start = (uintptr_t)sbrk(0);
   rs_get(&base);

   /* ~3.6 MB: small blocks of 16..4015 bytes, every 40th of 20..100 KB */
   for (i = 0; i < NBLK; i++) {
      size_t n = 16 + lcg() % 4000;
      if (i % 40 == 39)
         n = 20000 + lcg() % 80000;
      take(i, n);
   }
   check("allocating");

   /* free two blocks in three in the first half, everything in [600,1100),
    * keep the last 100 (the top of the heap stays live: no trim) */
   for (i = 0; i < 600; i++)
      if (i % 3)
         drop(i);
   for (i = 600; i < 1100; i++)
      drop(i);
   check("freeing");

   /* refill part of the freed space with small blocks */
   for (i = NBLK; i < NBLK + NEXTRA; i++)
      take(i, 100 + (size_t)(i % 7) * 50);
   check("reallocating");

   /* aligned blocks: glibc carves them out of bigger chunks and frees the
    * leading and trailing parts internally */
   for (i = NBLK + NEXTRA; i < NBLK + NEXTRA + NALIGN; i++) {
      size_t n = 3000 + (size_t)(i % 3) * 1000;
      void *p = NULL;
      if (i % 2 == 0)
         p = memalign(65536, n);
      else if (posix_memalign(&p, 8192, n) != 0)
         p = NULL;
      if (!p) {
         printf("not ok own: aligned allocation failed\n");
         return 1;
      }
      blk[i] = p;
      sz[i] = n;
      blk[i][0] = 1;
      blk[i][n - 1] = 2;
      own_useful += (long long)n;
      own_blocks++;
   }
   check("aligned allocations");

   own_view(&v);
   rs_expect_final("useful_B", "=", own_useful, 0);
   rs_expect_final("blocks", "=", own_blocks, 0);
   rs_expect_final("heap_live_B", "~", v.live, RS_TOL_PAGES(4));
   rs_expect_final("heap_dead_B", "~", v.dead, RS_TOL_PAGES(4));
   rs_expect_final("heap_dead_res_B", "~", v.dead_res, RS_TOL_PAGES(4));
   return rs_finish();
}
