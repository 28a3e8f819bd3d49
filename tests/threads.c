/*
 * threads: four threads allocate in their own glibc arenas (mmapped heaps
 * of 64 MiB, mostly PROT_NONE, grown by mprotect) and one large block each
 * (an mmapped chunk).  The heap total agrees with glibc's own accounting.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Own view, read in main after joining the threads:
 *   mallinfo2() (glibc 2.36 sums every arena): arena = brk heap + the
 *   read-write part of each arena heap, hblkhd = mmapped chunks;
 *   /proc/self/maps: each arena heap [base, base + 64 MiB) (base = a block's
 *   address rounded down to 64 MiB) with its PROT_NONE part;
 *   the program's own live blocks: live pages.
 * design.md counts PROT_NONE reservations as mapped, so
 *   heap_live_B + heap_dead_B  ~ arena + hblkhd + PROT_NONE parts   (1 %)
 * and the tool's accessible part matches mallinfo2 alone within 1 %.
 * heap_live_B is compared with the own live pages (threads also make libc
 * allocate a little: the DTV of each thread, so useful_B and blocks may
 * exceed the own count by a few KiB).
 */
#include "rs_client.h"

#include <pthread.h>

#define NT 4
#define NB 600
#define HEAP_MAX (64UL << 20)

static char *tptr[NT][NB + 1];
static size_t tsize[NT][NB + 1];
static pthread_barrier_t barrier;
static struct rssmassif_totals base;

static void *worker(void *arg)
{
   int id = (int)(intptr_t)arg, i;
   unsigned s = 1000u + (unsigned)id;
   for (i = 0; i < NB; i++) {
      s = s * 1103515245u + 12345u;
      tsize[id][i] = 100 + (s >> 8) % 3000;
      tptr[id][i] = malloc(tsize[id][i]);
      memset(tptr[id][i], id + 1, tsize[id][i]);
   }
   /* a large block: an mmapped chunk (above the 128 KiB threshold) */
   tsize[id][NB] = 300000;
   tptr[id][NB] = malloc(tsize[id][NB]);
   memset(tptr[id][NB], 'L', 1000);
   /* free two blocks in three, but not the last one (no heap trim) */
   for (i = 0; i < NB - 1; i++) {
      if (i % 3) {
         free(tptr[id][i]);
         tptr[id][i] = NULL;
      }
   }
   /* all threads alive at once: each gets an arena of its own */
   pthread_barrier_wait(&barrier);
   return NULL;
}

/* arena heaps found from the blocks, and what /proc/self/maps says */
static uintptr_t hbase[NT * 2];
static int nheaps;
static long long heap_maps_total, heap_prot_none;

static void maps_cb(uintptr_t lo, uintptr_t hi, const char *perms, const char *path, void *arg)
{
   int k;
   (void)path;
   (void)arg;
   for (k = 0; k < nheaps; k++) {
      uintptr_t a = lo > hbase[k] ? lo : hbase[k];
      uintptr_t b = hi < hbase[k] + HEAP_MAX ? hi : hbase[k] + HEAP_MAX;
      if (a < b) {
         heap_maps_total += (long long)(b - a);
         if (strncmp(perms, "---", 3) == 0)
            heap_prot_none += (long long)(b - a);
      }
   }
}

int main(void)
{
   pthread_t th[NT];
   int t, i, k, all_non_main = 1;
   long long own_useful = 0, own_blocks = 0, own_live, mmapped = 0;
   struct mallinfo2 mi;
   struct rssmassif_totals tt;
   uintptr_t heap_start;

   rs_init();
   heap_start = (uintptr_t)sbrk(0);
   rs_get(&base);

   pthread_barrier_init(&barrier, NULL, NT);
   for (t = 0; t < NT; t++)
      pthread_create(&th[t], NULL, worker, (void *)(intptr_t)t);
   for (t = 0; t < NT; t++)
      pthread_join(th[t], NULL);

   /* own view */
   rs_pages_reset();
   for (t = 0; t < NT; t++) {
      for (i = 0; i <= NB; i++) {
         char *p = tptr[t][i];
         if (!p)
            continue;
         own_useful += (long long)tsize[t][i];
         own_blocks++;
         rs_pages_add_bytes(p, tsize[t][i]);
         if (rs_chunk_mmapped(p)) {
            mmapped += (long long)rs_chunk_size(p);
            continue;
         }
         if (!rs_chunk_non_main(p))
            all_non_main = 0;
         uintptr_t hb = (uintptr_t)p & ~(HEAP_MAX - 1);
         for (k = 0; k < nheaps && hbase[k] != hb; k++)
            ;
         if (k == nheaps && nheaps < NT * 2)
            hbase[nheaps++] = hb;
      }
   }
   rs_pages_normalise();
   own_live = (long long)rs_pages_total() * (long long)RS_PAGE;
   rs_maps_foreach(maps_cb, NULL);
   mi = mallinfo2();

   printf("# arena heaps=%d maps total=%lld prot_none=%lld; mallinfo2 arena=%zu hblkhd=%zu;"
          " brk extent=%lld; own live=%lld useful=%lld blocks=%lld\n",
          nheaps, heap_maps_total, heap_prot_none, mi.arena, mi.hblkhd,
          (long long)((uintptr_t)sbrk(0) - heap_start), own_live, own_useful, own_blocks);
   rs_own("thread blocks live in non-main arenas", all_non_main);
   rs_own("one arena heap per thread", nheaps == NT);
   rs_own("large blocks are mmapped chunks: hblkhd = their sizes", (long long)mi.hblkhd == mmapped);
   rs_own("arena heaps are 64 MiB each in /proc/self/maps", heap_maps_total == (long long)(NT * HEAP_MAX));

   if (rs_under_tool) {
      long long own_total = (long long)(mi.arena + mi.hblkhd) + heap_prot_none;
      rs_get(&tt);
      rs_pct("heap total vs mallinfo2 arena+hblkhd + PROT_NONE reservations",
             (long long)(tt.heap_live_B + tt.heap_dead_B), own_total, 1.0);
      rs_pct("heap total - PROT_NONE reservations vs mallinfo2 arena+hblkhd",
             (long long)(tt.heap_live_B + tt.heap_dead_B) - heap_prot_none,
             (long long)(mi.arena + mi.hblkhd), 1.0);
      rs_near("heap_live_B vs own live pages", (long long)tt.heap_live_B, own_live,
              own_live / 100 + RS_TOL_PAGES(4));
      rs_ge("useful_B >= own live bytes", (long long)(tt.useful_B - base.useful_B), own_useful);
      rs_le("useful_B <= own live bytes + 16 KiB (libc's per-thread blocks)",
            (long long)(tt.useful_B - base.useful_B), own_useful + 16384);
      rs_ge("blocks >= own blocks", (long long)(tt.blocks - base.blocks), own_blocks);
      rs_le("blocks <= own blocks + 4 per thread", (long long)(tt.blocks - base.blocks),
            own_blocks + 4 * NT);
      /* thread stacks are stack, not heap: at least NT stacks of 8 MiB */
      rs_ge("stack_B includes the thread stacks", (long long)tt.stack_B,
            (long long)NT * (8LL << 20));
   }
   return rs_finish();
}
