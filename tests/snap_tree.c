/*
 * snap_tree: the heap_live tree of the final snapshot, checked against the
 * program's own blocks: which allocation sites are named (--threshold), how
 * deep their stacks go (--depth), and how many page bytes each site owns.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * usage: snap_tree THRESHOLD_PCT DEPTH   (the run's --threshold and --depth)
 *
 * Blocks, all kept live to the end:
 *   - NBIG blocks of 1 MiB by leaf_alloc(), called main -> chain1 -> chain2
 *     -> chain3 -> leaf_alloc -> malloc: mmapped chunks (M_MMAP_THRESHOLD is
 *     fixed at 128 KiB), a 5-frame allocation stack below heap_live;
 *   - NSMALL_SITES functions small0..small4, each NSMALL blocks of SMALL_B
 *     bytes from the brk heap, called from main: a 2-frame stack.
 * The program computes, as the tool documents it, each live page's owner: the
 * block with the most bytes on it (ties: lowest address); a site's bytes are
 * its owned pages times 4096.  At exit (after glibc's freeres) its blocks
 * are the only live ones.
 *
 * Threshold: the tool names a node when it holds >= THRESHOLD % of the
 * snapshot's total mapped bytes T.  The program knows its own live heap H
 * (T >= H) and assumes T <= H + 16 MiB (everything else the process maps
 * under Valgrind -- executable, ld.so, libc, preloads, stack, the brk heap's
 * free top -- is about 8 MiB).  So a site is surely named when its bytes >=
 * THRESHOLD % of (H + 16 MiB), surely folded into Massif's "in N places,
 * below massif's threshold" line when its bytes < THRESHOLD % of H; for
 * sizes in between nothing is expected.
 *
 * Depth: with --depth=D the big site's node has min(D, 5) levels below the
 * heap_live node (leaf_alloc, chain3, chain2, chain1, main; frames below
 * main are not shown), and no tree node is deeper than D below its
 * category (rs_tree_check --depth=D, from the vgtest).
 */
#include "rs_client.h"

#define MiB (1024UL * 1024UL)
#define NBIG 24
#define NSMALL_SITES 5
#define NSMALL 64
#define SMALL_B 8192

struct blk {
   char *p;
   size_t size;
   int site;            /* 0: big (leaf_alloc), 1 + k: small<k> */
};

static struct blk blks[NBIG + NSMALL_SITES * NSMALL];
static int nblk;

static void note(char *p, size_t size, int site)
{
   if (!p) {
      rs_own("malloc", 0);
      exit(1);
   }
   memset(p, 0x11, size);
   blks[nblk].p = p;
   blks[nblk].size = size;
   blks[nblk].site = site;
   nblk++;
}

__attribute__((noinline)) static char *leaf_alloc(size_t n) { return malloc(n); }
__attribute__((noinline)) static void chain3(void) { note(leaf_alloc(MiB), MiB, 0); }
__attribute__((noinline)) static void chain2(void) { chain3(); }
__attribute__((noinline)) static void chain1(void) { chain2(); }

#define SMALL_FN(k)                                                           \
   __attribute__((noinline)) static void small##k(void)                       \
   {                                                                          \
      int i;                                                                  \
      for (i = 0; i < NSMALL; i++)                                            \
         note(malloc(SMALL_B), SMALL_B, 1 + k);                               \
   }
SMALL_FN(0)
SMALL_FN(1)
SMALL_FN(2)
SMALL_FN(3)
SMALL_FN(4)

/* ---- page owners (open addressing, no malloc) ---- */
#define TABLE (1 << 15)
static struct { uintptr_t page; size_t bytes; uintptr_t addr; int site; int used; } owner[TABLE];

static void own_page(uintptr_t page, size_t bytes, uintptr_t addr, int site)
{
   size_t h = (size_t)((page / RS_PAGE) * 2654435761u) & (TABLE - 1);
   while (owner[h].used && owner[h].page != page)
      h = (h + 1) & (TABLE - 1);
   if (!owner[h].used) {
      owner[h].used = 1;
      owner[h].page = page;
      owner[h].bytes = 0;
   }
   if (bytes > owner[h].bytes || (bytes == owner[h].bytes && addr < owner[h].addr)) {
      owner[h].bytes = bytes;
      owner[h].addr = addr;
      owner[h].site = site;
   }
}

int main(int argc, char **argv)
{
   double pct = argc > 1 ? atof(argv[1]) : 1.0;
   long depth = argc > 2 ? atol(argv[2]) : 30;
   unsigned long long site_B[1 + NSMALL_SITES] = { 0 }, live_B = 0, hi, lo, folded_B = 0;
   static const char *const names[1 + NSMALL_SITES] = { "leaf_alloc", "small0", "small1",
                                                        "small2", "small3", "small4" };
   int i, n_folded = 0, n_unknown = 0;
   size_t h;

   rs_init();
   rs_own("mallopt(M_MMAP_THRESHOLD, 128 KiB)", mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 1);
   for (i = 0; i < NBIG; i++)
      chain1();
   small0();
   small1();
   small2();
   small3();
   small4();

   for (i = 0; i < nblk; i++) {
      uintptr_t a = (uintptr_t)blks[i].p, end = a + blks[i].size;
      while (a < end) {
         uintptr_t next = RS_PAGE_DOWN(a) + RS_PAGE, stop = next < end ? next : end;
         own_page(RS_PAGE_DOWN(a), stop - a, (uintptr_t)blks[i].p, blks[i].site);
         a = stop;
      }
   }
   for (h = 0; h < TABLE; h++)
      if (owner[h].used) {
         site_B[owner[h].site] += RS_PAGE;
         live_B += RS_PAGE;
      }

   /* Bounds of the snapshot's total T: live_B <= T <= live_B + 16 MiB. */
   lo = (unsigned long long)(pct / 100.0 * (double)live_B);
   hi = (unsigned long long)(pct / 100.0 * (double)(live_B + 16 * MiB)) + 1;
   printf("# own live pages %llu B; threshold %.2f%%: named if >= %llu, folded if < %llu\n",
          live_B, pct, hi, lo);
   for (i = 0; i <= NSMALL_SITES; i++) {
      printf("# site %s owns %llu B\n", names[i], site_B[i]);
      if (site_B[i] >= hi) {
         printf("expect-field: final bytes = %llu ^heap_live\\|  n[0-9]+: [0-9]+ 0x[0-9A-F]+: %s \\(\n",
                site_B[i], names[i]);
      } else if (site_B[i] < lo) {
         printf("expect-no-line: final ^heap_live\\|.*: %s \\(\n", names[i]);
         n_folded++;
         folded_B += site_B[i];
      } else {
         n_unknown++;
      }
   }
   if (n_folded > 0 && n_unknown == 0)
      printf("expect-field: final bytes = %llu ^heap_live\\|  n0: [0-9]+ in %d place%s below massif's threshold\n",
             folded_B, n_folded, n_folded == 1 ? "," : "s, all");
   if (n_folded == 0 && n_unknown == 0)
      printf("expect-no-line: final ^heap_live\\|.* below massif's threshold\n");

   /* Depth: the big site's stack below heap_live is leaf_alloc, chain3,
    * chain2, chain1, main; its deepest node (one space of indent per level)
    * still holds all of the site's bytes. */
   {
      static const char *const frames[5] = { "leaf_alloc", "chain3", "chain2", "chain1", "main" };
      int k = depth < 5 ? (int)depth : 5;
      printf("expect-snap: final tree.heap_live.depth = %d\n", k);
      printf("expect-field: final bytes = %llu ^heap_live\\|%*sn0: [0-9]+ 0x[0-9A-F]+: %s \\(\n",
             site_B[0], 1 + k, "", frames[k - 1]);
   }
   printf("expect-snap: final tree.heap_live.children_B = %llu\n", live_B);
   rs_expect_final("heap_live_B", "=", (long long)live_B, 0);
   rs_expect_final("useful_B", "=", (long long)(NBIG * MiB + NSMALL_SITES * NSMALL * SMALL_B), 0);
   rs_expect_final("blocks", "=", nblk, 0);
   return rs_finish();
}
