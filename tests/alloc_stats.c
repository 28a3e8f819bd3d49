/*
 * alloc_stats: the tool's heap figures at one moment against the program's
 * own page arithmetic and mincore, and against the allocator's own
 * statistics, under glibc, jemalloc, tcmalloc or mimalloc (argv[1] names
 * the one the .vgtest preloads or links: alloc_stats*.vgtest).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The program writes 64 blocks of 64 KiB and 4,000 of 100 bytes, then
 * frees every other large block and three small blocks in four.  Own view:
 *   - live pages: the pages its 1,032 live blocks lie on (every byte
 *     written, so resident: mincore says so);
 *   - freed pages: the pages of the freed blocks that no live block shares,
 *     and which of them mincore finds resident after the frees.
 * The tool must count at least those (other code, e.g. libstdc++'s
 * 72,704-byte emergency pool loaded with jemalloc and tcmalloc, has blocks
 * too: at most their bytes rounded up to pages, plus one page per block,
 * more).  Allocator statistics, read just before the tool's totals:
 *   - jemalloc (mallctl after "epoch"): live pages lie in active extents,
 *     heap_live_B <= stats.active; stats.resident is documented as the
 *     maximum of resident bytes (metadata, active and dirty pages), so the
 *     heap's resident bytes <= stats.resident; jemalloc maps nothing but
 *     mapped and retained extents, so the heap's mapped bytes =
 *     stats.mapped + stats.retained (measured equal to the byte).
 *   - tcmalloc (MallocExtension_GetNumericProperty): the heap's resident
 *     bytes <= generic.total_physical_bytes (heap and metadata, less the
 *     released pages); live pages lie in the page heap,
 *     heap_live_B <= generic.heap_size; blocks are rounded up to size
 *     classes, useful_B <= generic.current_allocated_bytes.
 *   - mimalloc (mi_process_info): the heap's mapped bytes = current_commit
 *     (mimalloc commits what it maps on Linux; measured equal to the byte);
 *     resident <= committed.
 *   - glibc (mallinfo2): the heap's mapped bytes are within 1 % of
 *     arena + hblkhd.
 */
#include "rs_client.h"
#include <dlfcn.h>
#include <malloc.h>

#define N_LARGE 64
#define LARGE_B (64 * 1024)
#define N_SMALL 4000
#define SMALL_B 100

static char *large[N_LARGE], *small[N_SMALL];

/* Pages of freed blocks (page addresses), deduplicated later. */
static uintptr_t freed_pg[N_LARGE * 17 + N_SMALL * 2];
static size_t n_freed_pg;

/* What the program knows about its own heap. */
struct own {
   long long live_B;        /* pages its live blocks lie on */
   long long live_res_B;    /* of those, resident (mincore) */
   long long freed_B;       /* pages only freed blocks lay on */
   long long freed_res_B;   /* of those, still resident */
   long long useful_B, blocks;
};

static int is_live(int large_block, int i)
{
   return large_block ? i % 2 == 0 : i % 4 == 0;
}

static void allocate(void)
{
   for (int i = 0; i < N_LARGE; i++) {
      large[i] = malloc(LARGE_B);
      memset(large[i], 1, LARGE_B);
   }
   for (int i = 0; i < N_SMALL; i++) {
      small[i] = malloc(SMALL_B);
      memset(small[i], 1, SMALL_B);
   }
}

static void note_freed_pages(const char *p, size_t size)
{
   for (uintptr_t a = RS_PAGE_DOWN(p); a < (uintptr_t)p + size; a += RS_PAGE)
      if (!rs_pages_has(a / RS_PAGE))
         freed_pg[n_freed_pg++] = a;
}

/* The live set (rs_pages_*), then the frees. */
static void free_some(struct own *o)
{
   rs_pages_reset();
   for (int i = 0; i < N_LARGE; i++)
      if (is_live(1, i))
         rs_pages_add_bytes(large[i], LARGE_B);
   for (int i = 0; i < N_SMALL; i++)
      if (is_live(0, i))
         rs_pages_add_bytes(small[i], SMALL_B);
   rs_pages_normalise();
   o->live_B = (long long)rs_pages_total() * RS_PAGE;
   o->useful_B = (long long)N_LARGE / 2 * LARGE_B + (long long)N_SMALL / 4 * SMALL_B;
   o->blocks = N_LARGE / 2 + N_SMALL / 4;
   for (int i = 0; i < N_LARGE; i++)
      if (!is_live(1, i))
         note_freed_pages(large[i], LARGE_B);
   for (int i = 0; i < N_SMALL; i++)
      if (!is_live(0, i))
         note_freed_pages(small[i], SMALL_B);
   for (int i = 0; i < N_LARGE; i++)
      if (!is_live(1, i))
         free(large[i]);
   for (int i = 0; i < N_SMALL; i++)
      if (!is_live(0, i))
         free(small[i]);
}

static int cmp_addr(const void *a, const void *b)
{
   uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
   return x < y ? -1 : x > y;
}

/* mincore over the live set and over the freed-only pages. */
static void residency(struct own *o)
{
   long res = 0;
   unsigned char v;
   o->live_res_B = 0;
   for (size_t r = 0; r < rs_nranges; r++)
      o->live_res_B += rs_resident(rs_rlo[r] * RS_PAGE,
                                   (rs_rhi[r] - rs_rlo[r]) * RS_PAGE, NULL, NULL)
                       * (long long)RS_PAGE;
   qsort(freed_pg, n_freed_pg, sizeof freed_pg[0], cmp_addr);
   o->freed_B = o->freed_res_B = 0;
   for (size_t i = 0; i < n_freed_pg; i++) {
      if (i > 0 && freed_pg[i] == freed_pg[i - 1])
         continue;
      o->freed_B += RS_PAGE;
      if (mincore((void *)freed_pg[i], RS_PAGE, &v) == 0 && (v & 1))
         res++;
   }
   o->freed_res_B = res * (long long)RS_PAGE;
}

/* ---- each allocator's statistics ---------------------------------------- */

typedef int (*mallctl_fn)(const char *, void *, size_t *, void *, size_t);
typedef int (*tc_prop_fn)(const char *, size_t *);
typedef void (*mi_info_fn)(size_t *, size_t *, size_t *, size_t *, size_t *,
                           size_t *, size_t *, size_t *);

/* The allocator's numbers, read at one moment. */
struct stats {
   long long a, b, c, d;
};

static long long je_get(mallctl_fn f, const char *name)
{
   size_t v = 0, sz = sizeof v;
   return f(name, &v, &sz, NULL, 0) == 0 ? (long long)v : -1;
}

static long long tc_get(tc_prop_fn f, const char *name)
{
   size_t v = 0;
   return f(name, &v) ? (long long)v : -1;
}

/* Reads the statistics of allocator `kind`; 0 if its API was not found. */
static int read_stats(const char *kind, void *fn, struct stats *s)
{
   if (fn == NULL)
      return 0;
   if (strcmp(kind, "jemalloc") == 0) {
      uint64_t epoch = 1;
      mallctl_fn f = (mallctl_fn)fn;
      f("epoch", NULL, NULL, &epoch, sizeof epoch);
      s->a = je_get(f, "stats.active");
      s->b = je_get(f, "stats.resident");
      s->c = je_get(f, "stats.mapped");
      s->d = je_get(f, "stats.retained");
   } else if (strcmp(kind, "tcmalloc") == 0) {
      tc_prop_fn f = (tc_prop_fn)fn;
      s->a = tc_get(f, "generic.heap_size");
      s->b = tc_get(f, "generic.total_physical_bytes");
      s->c = tc_get(f, "generic.current_allocated_bytes");
   } else if (strcmp(kind, "mimalloc") == 0) {
      size_t e, u, sy, rss, prss, commit, pcommit, pf;
      ((mi_info_fn)fn)(&e, &u, &sy, &rss, &prss, &commit, &pcommit, &pf);
      s->a = (long long)commit;
   } else {
      struct mallinfo2 mi = mallinfo2();
      s->a = (long long)(mi.arena + mi.hblkhd);
   }
   return 1;
}

static const char *stats_symbol(const char *kind)
{
   if (strcmp(kind, "jemalloc") == 0)
      return "mallctl";
   if (strcmp(kind, "tcmalloc") == 0)
      return "MallocExtension_GetNumericProperty";
   if (strcmp(kind, "mimalloc") == 0)
      return "mi_process_info";
   return "mallinfo2";
}

/* ---- the checks ---------------------------------------------------------- */

static void check_own(const struct rssmassif_totals *t, const struct own *o)
{
   long long other_B = (long long)t->useful_B - o->useful_B;
   long long other_blocks = (long long)t->blocks - o->blocks;
   rs_ge("useful_B >= the program's live bytes", t->useful_B, o->useful_B);
   rs_ge("blocks >= the program's live blocks", t->blocks, o->blocks);
   rs_ge("heap_live_B >= pages of the program's live blocks", t->heap_live_B,
         o->live_B);
   rs_le("heap_live_B <= those + other blocks' bytes in pages + a page each",
         t->heap_live_B, o->live_B + (long long)RS_PAGE_UP(other_B > 0 ? other_B : 0)
         + (other_blocks > 0 ? other_blocks : 0) * (long long)RS_PAGE);
   rs_ge("heap_live_res_B >= resident pages of the live blocks (mincore)",
         t->heap_live_res_B, o->live_res_B);
   rs_ge("heap_dead_res_B >= resident freed-only pages (mincore)",
         t->heap_dead_res_B, o->freed_res_B);
}

static void check_stats(const char *kind, const struct rssmassif_totals *t,
                        const struct stats *s)
{
   long long mapped = (long long)(t->heap_live_B + t->heap_dead_B);
   long long res = (long long)(t->heap_live_res_B + t->heap_dead_res_B);
   if (strcmp(kind, "jemalloc") == 0) {
      rs_le("heap_live_B <= jemalloc stats.active", t->heap_live_B, s->a);
      rs_le("heap resident <= jemalloc stats.resident", res, s->b);
      rs_eq("heap mapped = jemalloc stats.mapped + stats.retained", mapped,
            s->c + s->d);
   } else if (strcmp(kind, "tcmalloc") == 0) {
      rs_le("heap_live_B <= tcmalloc generic.heap_size", t->heap_live_B, s->a);
      rs_le("heap resident <= tcmalloc generic.total_physical_bytes", res, s->b);
      rs_le("useful_B <= tcmalloc generic.current_allocated_bytes",
            t->useful_B, s->c);
   } else if (strcmp(kind, "mimalloc") == 0) {
      rs_eq("heap mapped = mimalloc current_commit", mapped, s->a);
      rs_le("heap resident <= mimalloc current_commit", res, s->a);
   } else {
      rs_pct("heap mapped ~ mallinfo2 arena + hblkhd (1 %)", mapped, s->a, 1.0);
   }
}

int main(int argc, char **argv)
{
   const char *kind = argc > 1 ? argv[1] : "glibc";
   void *fn = strcmp(kind, "glibc") == 0 ? (void *)mallinfo2
                                         : dlsym(RTLD_DEFAULT, stats_symbol(kind));
   struct rssmassif_totals t;
   struct stats s = { -1, -1, -1, -1 };
   struct own o;
   rs_init();
   rs_own("the allocator's statistics function is there", fn != NULL);
   allocate();
   free_some(&o);
   residency(&o);
   rs_own("every live page is resident (written)", o.live_res_B == o.live_B);
   read_stats(kind, fn, &s);
   if (rs_get(&t)) {
      check_own(&t, &o);
      check_stats(kind, &t, &s);
   }
   return rs_finish();
}
