/*
 * rs_client.h -- helpers shared by the self-checking test clients in tests/.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A client measures its own view of its memory (its own blocks, sbrk(0),
 * mincore(), mallinfo2(), /proc/self/maps), reads the tool's view at the same
 * moment with RSSMASSIF_GET_TOTALS and prints `ok WHAT` or
 * `not ok WHAT: tool=N own=N tol=N` (the contract of tests/README / notes).
 * Natively (not under rssmassif) comparisons are skipped and the client
 * prints `ok native run`.
 *
 * Everything here avoids the heap: the bookkeeping lives in static arrays so
 * that measuring does not change what is measured.
 */
#ifndef RS_CLIENT_H
#define RS_CLIENT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rssmassif.h"

#define RS_UNUSED __attribute__((unused))
#define RS_PAGE 4096UL
#define RS_PAGE_DOWN(a) ((uintptr_t)(a) & ~(uintptr_t)(RS_PAGE - 1))
#define RS_PAGE_UP(a) (((uintptr_t)(a) + RS_PAGE - 1) & ~(uintptr_t)(RS_PAGE - 1))
#define RS_TOL_PAGES(n) ((long long)(n) * (long long)RS_PAGE)

RS_UNUSED static int rs_under_tool;   /* 1 when RSSMASSIF_GET_TOTALS answers */
RS_UNUSED static int rs_failures;     /* number of `not ok` lines printed     */

/* Unbuffered stdout: stdio then never allocates a buffer, so the heap
 * holds only the program's own blocks. */
RS_UNUSED static void rs_init(void)
{
   struct rssmassif_totals t;
   setvbuf(stdout, NULL, _IONBF, 0);
   memset(&t, 0, sizeof t);
   rs_under_tool = RSSMASSIF_GET_TOTALS(&t) == 1;
}

RS_UNUSED static int rs_get(struct rssmassif_totals *t)
{
   memset(t, 0, sizeof *t);
   return RSSMASSIF_GET_TOTALS(t) == 1;
}

RS_UNUSED static void rs_fail(const char *what, long long tool, long long own, long long tol)
{
   printf("not ok %s: tool=%lld own=%lld tol=%lld\n", what, tool, own, tol);
   rs_failures++;
}

/* |tool - own| <= tol */
RS_UNUSED static void rs_near(const char *what, long long tool, long long own, long long tol)
{
   long long d = tool - own;
   if (d < 0)
      d = -d;
   if (d <= tol)
      printf("ok %s (tool=%lld own=%lld tol=%lld)\n", what, tool, own, tol);
   else
      rs_fail(what, tool, own, tol);
}

RS_UNUSED static void rs_eq(const char *what, long long tool, long long own)
{
   rs_near(what, tool, own, 0);
}

/* tool >= own */
RS_UNUSED static void rs_ge(const char *what, long long tool, long long own)
{
   if (tool >= own)
      printf("ok %s (tool=%lld >= own=%lld)\n", what, tool, own);
   else
      rs_fail(what, tool, own, 0);
}

/* tool <= own */
RS_UNUSED static void rs_le(const char *what, long long tool, long long own)
{
   if (tool <= own)
      printf("ok %s (tool=%lld <= own=%lld)\n", what, tool, own);
   else
      rs_fail(what, tool, own, 0);
}

/* |tool - own| <= pct % of own */
RS_UNUSED static void rs_pct(const char *what, long long tool, long long own, double pct)
{
   long long tol = (long long)((double)(own < 0 ? -own : own) * pct / 100.0);
   rs_near(what, tool, own, tol);
}

/* A check on the program's own view (independent of the tool): it must hold
 * natively too, otherwise the test's premise is wrong. */
RS_UNUSED static void rs_own(const char *what, int cond)
{
   if (cond) {
      printf("ok own: %s\n", what);
   } else {
      printf("not ok own: %s\n", what);
      rs_failures++;
   }
}

RS_UNUSED static void rs_expect_final(const char *key, const char *op, long long value, long long tol)
{
   if (tol > 0)
      printf("expect-final: %s %s %lld tol=%lld\n", key, op, value, tol);
   else
      printf("expect-final: %s %s %lld\n", key, op, value);
}

RS_UNUSED static int rs_finish(void)
{
   if (!rs_under_tool)
      printf("ok native run\n");
   return rs_failures ? 1 : 0;
}

/* ---- pages touched by blocks ------------------------------------------ */

/* A set of page ranges [lo, hi) in page numbers, kept in a static array. */
#define RS_MAX_RANGES 262144
RS_UNUSED static uintptr_t rs_rlo[RS_MAX_RANGES], rs_rhi[RS_MAX_RANGES];
RS_UNUSED static size_t rs_nranges;

RS_UNUSED static void rs_pages_reset(void) { rs_nranges = 0; }

/* Adds the pages on which bytes [p, p + size) lie. size 0 touches nothing. */
RS_UNUSED static void rs_pages_add_bytes(const void *p, size_t size)
{
   if (size == 0 || p == NULL)
      return;
   if (rs_nranges == RS_MAX_RANGES) {
      printf("not ok own: rs_client.h range table full\n");
      rs_failures++;
      return;
   }
   rs_rlo[rs_nranges] = (uintptr_t)p / RS_PAGE;
   rs_rhi[rs_nranges] = ((uintptr_t)p + size - 1) / RS_PAGE + 1;
   rs_nranges++;
}

/* Sorts the ranges by start and merges overlapping/adjacent ones (in place,
 * a heap sort: no malloc, no recursion). */
RS_UNUSED static void rs_sift(size_t i, size_t n)
{
   for (;;) {
      size_t c = 2 * i + 1, m = i;
      if (c < n && rs_rlo[c] > rs_rlo[m]) m = c;
      if (c + 1 < n && rs_rlo[c + 1] > rs_rlo[m]) m = c + 1;
      if (m == i) return;
      uintptr_t a = rs_rlo[i], b = rs_rhi[i];
      rs_rlo[i] = rs_rlo[m]; rs_rhi[i] = rs_rhi[m];
      rs_rlo[m] = a; rs_rhi[m] = b;
      i = m;
   }
}

RS_UNUSED static void rs_pages_normalise(void)
{
   size_t n = rs_nranges, i, k;
   if (n < 2)
      return;
   for (i = n / 2; i-- > 0;)
      rs_sift(i, n);
   for (i = n - 1; i > 0; i--) {
      uintptr_t a = rs_rlo[0], b = rs_rhi[0];
      rs_rlo[0] = rs_rlo[i]; rs_rhi[0] = rs_rhi[i];
      rs_rlo[i] = a; rs_rhi[i] = b;
      rs_sift(0, i);
   }
   for (i = 1, k = 0; i < n; i++) {
      if (rs_rlo[i] <= rs_rhi[k]) {
         if (rs_rhi[i] > rs_rhi[k])
            rs_rhi[k] = rs_rhi[i];
      } else {
         k++;
         rs_rlo[k] = rs_rlo[i];
         rs_rhi[k] = rs_rhi[i];
      }
   }
   rs_nranges = k + 1;
}

/* Number of pages of the (normalised) set inside pages [lo, hi). */
RS_UNUSED static size_t rs_pages_count_in(uintptr_t lo, uintptr_t hi)
{
   size_t i, n = 0;
   for (i = 0; i < rs_nranges; i++) {
      uintptr_t a = rs_rlo[i] > lo ? rs_rlo[i] : lo;
      uintptr_t b = rs_rhi[i] < hi ? rs_rhi[i] : hi;
      if (a < b)
         n += b - a;
   }
   return n;
}

RS_UNUSED static size_t rs_pages_total(void) { return rs_pages_count_in(0, UINTPTR_MAX); }

/* Is page number pg in the (normalised) set?  Binary search. */
RS_UNUSED static int rs_pages_has(uintptr_t pg)
{
   size_t lo = 0, hi = rs_nranges;
   while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (rs_rhi[mid] <= pg)
         lo = mid + 1;
      else if (rs_rlo[mid] > pg)
         hi = mid;
      else
         return 1;
   }
   return 0;
}

/* ---- residency --------------------------------------------------------- */

#define RS_MINCORE_CHUNK 65536
RS_UNUSED static unsigned char rs_vec[RS_MINCORE_CHUNK];

/* Resident pages of [start, start+len) (page aligned), optionally split into
 * pages in the set (*in_set) and pages outside it (*out_set). Returns the
 * resident page count, or -1 if mincore fails. */
RS_UNUSED static long rs_resident(uintptr_t start, size_t len, long *in_set, long *out_set)
{
   long n = 0, ins = 0, outs = 0;
   uintptr_t a = RS_PAGE_DOWN(start), end = RS_PAGE_UP(start + len);
   while (a < end) {
      size_t np = (end - a) / RS_PAGE, i;
      if (np > RS_MINCORE_CHUNK)
         np = RS_MINCORE_CHUNK;
      if (mincore((void *)a, np * RS_PAGE, rs_vec) != 0)
         return -1;
      for (i = 0; i < np; i++) {
         if (rs_vec[i] & 1) {
            n++;
            if (rs_pages_has(a / RS_PAGE + i))
               ins++;
            else
               outs++;
         }
      }
      a += np * RS_PAGE;
   }
   if (in_set) *in_set = ins;
   if (out_set) *out_set = outs;
   return n;
}

/* ---- /proc/self/maps --------------------------------------------------- */

/* Calls fn(lo, hi, perms, path, arg) for each line of /proc/self/maps.
 * Reads with read(2) into a static buffer (no stdio, no malloc). */
RS_UNUSED static char rs_maps_buf[1 << 20];

RS_UNUSED static int rs_maps_foreach(void (*fn)(uintptr_t, uintptr_t, const char *, const char *, void *),
                           void *arg)
{
   int fd = open("/proc/self/maps", O_RDONLY);
   size_t len = 0;
   ssize_t r;
   char *line, *nl;
   if (fd < 0)
      return -1;
   while ((r = read(fd, rs_maps_buf + len, sizeof rs_maps_buf - 1 - len)) > 0)
      len += (size_t)r;
   close(fd);
   rs_maps_buf[len] = 0;
   for (line = rs_maps_buf; line < rs_maps_buf + len; line = nl + 1) {
      unsigned long lo, hi;
      char perms[8] = "", *path;
      int field = 0;
      nl = (char *)memchr(line, '\n', (size_t)(rs_maps_buf + len - line));
      if (!nl)
         nl = rs_maps_buf + len;
      *nl = 0;
      if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3)
         break;
      /* path: the 6th whitespace-separated field, may be absent */
      path = line;
      while (*path && field < 5) {
         while (*path && *path != ' ') path++;
         while (*path == ' ') path++;
         field++;
      }
      fn(lo, hi, perms, path, arg);
   }
   return 0;
}

/* For rs_stack_mappings: the addresses looked for and what was found. */
struct rs_stack_find {
   const uintptr_t *addr;
   int n;
   uintptr_t *lo, *hi;
   uintptr_t prev_lo, prev_hi;
   char prev_perms[8];
};

RS_UNUSED static void rs_stack_find_cb(uintptr_t lo, uintptr_t hi, const char *perms,
                                       const char *path, void *arg)
{
   struct rs_stack_find *sf = (struct rs_stack_find *)arg;
   int k;
   (void)path;
   for (k = 0; k < sf->n; k++)
      if (sf->addr[k] >= lo && sf->addr[k] < hi) {
         sf->lo[k] = lo;
         sf->hi[k] = hi;
         if (sf->prev_hi == lo && strncmp(sf->prev_perms, "---", 3) == 0)
            sf->lo[k] = sf->prev_lo;     /* the guard page(s) below the stack */
      }
   sf->prev_lo = lo;
   sf->prev_hi = hi;
   snprintf(sf->prev_perms, sizeof sf->prev_perms, "%s", perms);
}

/* The mapping of /proc/self/maps holding each of the n addresses addr[k]
 * (an address on a thread's stack): lo[k]..hi[k], with the inaccessible
 * guard mapping just below it counted in, as glibc maps a thread stack.
 * Entries of addresses in no mapping are left as they are. */
RS_UNUSED static int rs_stack_mappings(const uintptr_t *addr, int n, uintptr_t *lo, uintptr_t *hi)
{
   struct rs_stack_find sf;
   memset(&sf, 0, sizeof sf);
   sf.addr = addr;
   sf.n = n;
   sf.lo = lo;
   sf.hi = hi;
   return rs_maps_foreach(rs_stack_find_cb, &sf);
}

/* ---- the program's own view of its heap -------------------------------- */

struct rs_heap_view {
   long long mapped, live, dead, live_res, dead_res;
};

/* Own view of a heap made of the brk extent [brk_lo, brk_hi) plus nx extra
 * regions (mmapped chunks, arena heaps) [xlo[i], xlo[i] + xlen[i]), holding
 * the n blocks ptrs[i] of sizes[i] bytes (NULL entries are skipped):
 * live pages = pages touched by the blocks, dead = the rest of the regions,
 * resident by mincore(). */
RS_UNUSED static void rs_heap_view(struct rs_heap_view *v, char *const *ptrs,
                                   const size_t *sizes, size_t n,
                                   uintptr_t brk_lo, uintptr_t brk_hi,
                                   const uintptr_t *xlo, const size_t *xlen, size_t nx)
{
   size_t i;
   long in = 0, out = 0, rin = 0, rout = 0;
   rs_pages_reset();
   for (i = 0; i < n; i++)
      if (ptrs[i])
         rs_pages_add_bytes(ptrs[i], sizes[i]);
   rs_pages_normalise();
   memset(v, 0, sizeof *v);
   brk_lo = RS_PAGE_DOWN(brk_lo);
   brk_hi = RS_PAGE_UP(brk_hi);
   if (brk_hi > brk_lo) {
      v->mapped += (long long)(brk_hi - brk_lo);
      if (rs_resident(brk_lo, brk_hi - brk_lo, &in, &out) < 0)
         rs_own("mincore over the brk extent", 0);
      rin += in;
      rout += out;
   }
   for (i = 0; i < nx; i++) {
      v->mapped += (long long)(RS_PAGE_UP(xlo[i] + xlen[i]) - RS_PAGE_DOWN(xlo[i]));
      if (rs_resident(xlo[i], xlen[i], &in, &out) < 0)
         rs_own("mincore over a heap region", 0);
      rin += in;
      rout += out;
   }
   v->live = (long long)rs_pages_total() * (long long)RS_PAGE;
   v->dead = v->mapped - v->live;
   v->live_res = rin * (long long)RS_PAGE;
   v->dead_res = rout * (long long)RS_PAGE;
}

RS_UNUSED static void rs_heap_print(const char *what, const struct rs_heap_view *v)
{
   printf("# %s: own heap mapped=%lld live=%lld dead=%lld live_res=%lld dead_res=%lld\n",
          what, v->mapped, v->live, v->dead, v->live_res, v->dead_res);
}

/* Compares the tool's heap categories with the own view (within tol bytes)
 * and useful bytes / blocks (deltas from *base) exactly. */
RS_UNUSED static void rs_heap_compare(const char *what, const struct rssmassif_totals *t,
                                      const struct rs_heap_view *v, long long tol,
                                      const struct rssmassif_totals *base,
                                      long long own_useful, long long own_blocks)
{
   static char lbl[256];
#define RS_CMP_(key, own)                                                     \
   snprintf(lbl, sizeof lbl, "%s after %s", #key, what);                       \
   rs_near(lbl, (long long)t->key, own, tol)
   RS_CMP_(heap_live_B, v->live);
   RS_CMP_(heap_dead_B, v->dead);
   RS_CMP_(heap_live_res_B, v->live_res);
   RS_CMP_(heap_dead_res_B, v->dead_res);
#undef RS_CMP_
   snprintf(lbl, sizeof lbl, "heap_live_B+heap_dead_B after %s", what);
   rs_near(lbl, (long long)(t->heap_live_B + t->heap_dead_B), v->mapped, tol);
   snprintf(lbl, sizeof lbl, "useful after %s", what);
   rs_eq(lbl, (long long)(t->useful_B - base->useful_B), own_useful);
   snprintf(lbl, sizeof lbl, "blocks after %s", what);
   rs_eq(lbl, (long long)(t->blocks - base->blocks), own_blocks);
}

/* glibc chunk header of a block: size (low bits masked) and IS_MMAPPED. */
RS_UNUSED static size_t rs_chunk_size(const void *p) { return ((const size_t *)p)[-1] & ~(size_t)7; }
RS_UNUSED static int rs_chunk_mmapped(const void *p) { return (((const size_t *)p)[-1] & 2) != 0; }
RS_UNUSED static int rs_chunk_non_main(const void *p) { return (((const size_t *)p)[-1] & 4) != 0; }

#endif /* RS_CLIENT_H */
