/*
 * h_maps: hostile mapping calls on the program's own mappings and on the
 * allocator's (mmapped chunks of live blocks), checked page for page.
 * Used by h_map_*.vgtest, one mode each.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Own view: the program's arithmetic on what each call maps or unmaps,
 * mincore() for residency, the chunk size glibc wrote in front of a block
 * (an mmapped chunk starts 16 bytes before the block, page aligned, and its
 * size field holds the mapping's length).  Checked after each step as
 * deltas from the start (RSSMASSIF_GET_TOTALS when the step is done):
 *   other_B, other_res_B exact; heap_live_B, heap_dead_B exact where the
 *   step touches only one chunk; useful_B and blocks exact.
 * Modes (argv[1]):
 *   fixed    MAP_FIXED over the program's own mapping (replaces: no double
 *            count), and over 16 pages inside a live 1 MiB block's chunk
 *            (those pages become the program's: other; the block stays
 *            live); then free() unmaps the whole chunk.
 *   munmap   partial munmap of an own mapping (head, hole, tail), munmap
 *            of an unmapped range (no-op), munmap of the last 8 pages of a
 *            live block's chunk; free() then unmaps the rest.
 *   mremap   own mapping: grow, shrink, move (MREMAP_FIXED over another
 *            own mapping); a live block's chunk: moved away over an own
 *            reservation (the block's pages are no longer where the block
 *            is: heap_live -> heap_dead), moved back, shrunk in place by 4
 *            pages; free() unmaps it.
 *   protnone a 1 GiB PROT_NONE reservation (mapped, never resident), parts
 *            made read-write and touched, MAP_FIXED inside it, half of it
 *            unmapped.
 *   madvise  MADV_DONTNEED / MADV_FREE on own memory and DONTNEED on the
 *            pages inside a freed 400 KiB region of the brk heap (pages
 *            glibc keeps no header in); residency from mincore.
 *   wild     calls that fail (len 0, huge, unaligned, unmapped, address 0,
 *            over Valgrind's own memory, brk below the start, sbrk beyond
 *            the brk limit): nothing changes, in any category.
 */
#include "rs_client.h"

#include <sys/syscall.h>

#define P ((long long)RS_PAGE)

static struct rssmassif_totals base;
static long long own_other, own_useful, own_blocks;   /* deltas from base */
static char lbl[256];

/* Resident pages of the program's own mappings, by mincore over the
 * ranges it passes (NULL-terminated list of (addr, len) pairs). */
static long res_of(uintptr_t a, size_t len)
{
   long n = rs_resident(a, len, NULL, NULL);
   if (n < 0)
      rs_own("mincore over an own range", 0);
   return n;
}

static void check_other(const char *what, long long res_pages)
{
   struct rssmassif_totals t;
   if (!rs_under_tool)
      return;
   rs_get(&t);
   snprintf(lbl, sizeof lbl, "other_B after %s", what);
   rs_eq(lbl, (long long)(t.other_B - base.other_B), own_other);
   if (res_pages >= 0) {
      snprintf(lbl, sizeof lbl, "other_res_B after %s", what);
      rs_eq(lbl, (long long)(t.other_res_B - base.other_res_B), res_pages * P);
   }
   snprintf(lbl, sizeof lbl, "useful after %s", what);
   rs_eq(lbl, (long long)(t.useful_B - base.useful_B), own_useful);
   snprintf(lbl, sizeof lbl, "blocks after %s", what);
   rs_eq(lbl, (long long)(t.blocks - base.blocks), own_blocks);
}

/* Heap categories against expected deltas (bytes) from base. */
static void check_heap(const char *what, long long live, long long dead)
{
   struct rssmassif_totals t;
   if (!rs_under_tool)
      return;
   rs_get(&t);
   snprintf(lbl, sizeof lbl, "heap_live_B after %s", what);
   rs_eq(lbl, (long long)t.heap_live_B - (long long)base.heap_live_B, live);
   snprintf(lbl, sizeof lbl, "heap_dead_B after %s", what);
   rs_eq(lbl, (long long)t.heap_dead_B - (long long)base.heap_dead_B, dead);
}

static char *map(void *at, long long pages, int prot, int extra)
{
   char *m = mmap(at, (size_t)(pages * P), prot, MAP_PRIVATE | MAP_ANONYMOUS | extra, -1, 0);
   if (m == MAP_FAILED) {
      printf("not ok own: mmap of %lld pages: %s\n", pages, strerror(errno));
      exit(1);
   }
   return m;
}

/* A live block of 1 MiB in its own mmapped chunk: returns the block,
 * *chunk and *chunk_len from glibc's header. */
static char *big_block(char **chunk, long long *chunk_len)
{
   char *p = malloc(1 << 20);
   if (!p || !rs_chunk_mmapped(p)) {
      printf("not ok own: 1 MiB block is not an mmapped chunk\n");
      exit(1);
   }
   memset(p, 9, 1 << 20);
   own_useful += 1 << 20;
   own_blocks++;
   *chunk = p - 16;
   *chunk_len = (long long)rs_chunk_size(p);
   rs_own("chunk is page aligned", ((uintptr_t)*chunk & (RS_PAGE - 1)) == 0);
   rs_own("chunk length is whole pages", *chunk_len % P == 0);
   return p;
}

static void free_big(char *p)
{
   free(p);
   own_useful -= 1 << 20;
   own_blocks--;
}

static void mode_fixed(void)
{
   char *a = map(NULL, 32, PROT_READ | PROT_WRITE, 0), *chunk, *p;
   long long clen;
   memset(a, 1, 32 * RS_PAGE);
   own_other += 32 * P;
   check_other("mapping 32 own pages, touched", 32);
   map(a + 4 * RS_PAGE, 8, PROT_READ | PROT_WRITE, MAP_FIXED);
   check_other("MAP_FIXED 8 pages over the own mapping (replaced)", res_of((uintptr_t)a, 32 * RS_PAGE));
   rs_own("the 8 replacing pages are not resident", res_of((uintptr_t)a + 4 * RS_PAGE, 8 * RS_PAGE) == 0);

   p = big_block(&chunk, &clen);
   check_heap("a 1 MiB block (its chunk is live)", clen, 0);
   map(chunk + 64 * RS_PAGE, 16, PROT_READ | PROT_WRITE, MAP_FIXED);
   own_other += 16 * P;
   check_other("MAP_FIXED 16 own pages inside a live block's chunk", -1);
   check_heap("MAP_FIXED inside the chunk (16 pages leave the heap)", clen - 16 * P, 0);
   free_big(p);              /* glibc munmaps the chunk's whole range */
   own_other -= 16 * P;
   check_other("free() of that block (munmap of the whole chunk)", -1);
   check_heap("free() of that block", 0, 0);
   munmap(a, 32 * RS_PAGE);
   own_other -= 32 * P;
   check_other("unmapping everything", 0);
}

static void mode_munmap(void)
{
   char *a = map(NULL, 20, PROT_READ | PROT_WRITE, 0), *chunk, *p;
   long long clen;
   memset(a, 1, 20 * RS_PAGE);
   own_other += 20 * P;
   check_other("mapping 20 own pages", 20);
   munmap(a, 2 * RS_PAGE);
   own_other -= 2 * P;
   check_other("munmap of the head (2 pages)", 18);
   munmap(a + 17 * RS_PAGE, 3 * RS_PAGE);
   own_other -= 3 * P;
   check_other("munmap of the tail (3 pages)", 15);
   munmap(a + 8 * RS_PAGE, 4 * RS_PAGE);
   own_other -= 4 * P;
   check_other("munmap of a hole (4 pages)", 11);
   rs_own("munmap of an unmapped range succeeds", munmap(a + 8 * RS_PAGE, 4 * RS_PAGE) == 0);
   check_other("munmap of the hole again (no-op)", 11);

   p = big_block(&chunk, &clen);
   munmap(chunk + clen - 8 * P, 8 * RS_PAGE);
   check_heap("munmap of a live chunk's last 8 pages", clen - 8 * P, 0);
   check_other("(the chunk's tail was the heap's)", 11);
   free_big(p);
   check_heap("free() of that block", 0, 0);
   munmap(a, 20 * RS_PAGE);
   own_other -= 11 * P;
   check_other("unmapping everything", 0);
}

static void mode_mremap(void)
{
   char *a = map(NULL, 10, PROT_READ | PROT_WRITE, 0), *b, *chunk, *p, *res, *m;
   long long clen;
   memset(a, 1, 10 * RS_PAGE);
   own_other += 10 * P;
   a = mremap(a, 10 * RS_PAGE, 30 * RS_PAGE, MREMAP_MAYMOVE);
   rs_own("mremap grow", a != MAP_FAILED);
   own_other += 20 * P;
   check_other("mremap grow 10 -> 30 pages", res_of((uintptr_t)a, 30 * RS_PAGE));
   a = mremap(a, 30 * RS_PAGE, 6 * RS_PAGE, 0);
   rs_own("mremap shrink", a != MAP_FAILED);
   own_other -= 24 * P;
   check_other("mremap shrink 30 -> 6 pages", res_of((uintptr_t)a, 6 * RS_PAGE));
   b = map(NULL, 12, PROT_READ, 0);
   own_other += 12 * P;
   m = mremap(a, 6 * RS_PAGE, 6 * RS_PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, b + 3 * RS_PAGE);
   rs_own("mremap move over another own mapping", m == b + 3 * RS_PAGE);
   own_other -= 6 * P;    /* 6 pages of b replaced, a's 6 pages gone */
   check_other("mremap move (MREMAP_FIXED) over own pages",
               res_of((uintptr_t)b, 12 * RS_PAGE));

   p = big_block(&chunk, &clen);
   res = map(NULL, clen / P, PROT_NONE, 0);
   own_other += clen;
   check_other("a PROT_NONE reservation as big as the chunk", -1);
   m = mremap(chunk, (size_t)clen, (size_t)clen, MREMAP_MAYMOVE | MREMAP_FIXED, res);
   rs_own("chunk moved over the reservation", m == res);
   own_other -= clen;
   check_other("a live block's chunk moved away", -1);
   check_heap("a live block's chunk moved away (no block on its pages)", 0, clen);
   m = mremap(res, (size_t)clen, (size_t)clen, MREMAP_MAYMOVE | MREMAP_FIXED, chunk);
   rs_own("chunk moved back", m == chunk);
   check_heap("the chunk moved back", clen, 0);
   m = mremap(chunk, (size_t)clen, (size_t)(clen - 4 * P), 0);
   rs_own("chunk shrunk in place", m == chunk);
   check_heap("the chunk shrunk by 4 pages (the block's tail)", clen - 4 * P, 0);
   check_other("(the moves left own mappings alone)", -1);
   free_big(p);
   check_heap("free() of that block", 0, 0);
   munmap(b, 12 * RS_PAGE);
   own_other -= 12 * P;
   check_other("unmapping everything", 0);
}

static void mode_protnone(void)
{
   long long gib = 1LL << 30;
   char *r = map(NULL, gib / P, PROT_NONE, MAP_NORESERVE);
   own_other += gib;
   check_other("a 1 GiB PROT_NONE reservation", 0);
   rs_own("mprotect 10 pages read-write",
          mprotect(r + 100 * RS_PAGE, 10 * RS_PAGE, PROT_READ | PROT_WRITE) == 0);
   memset(r + 100 * RS_PAGE, 1, 5 * RS_PAGE);
   check_other("10 pages made read-write, 5 touched", 5);
   map(r + 1000 * RS_PAGE, 7, PROT_READ | PROT_WRITE, MAP_FIXED);
   memset(r + 1000 * RS_PAGE, 2, 7 * RS_PAGE);
   check_other("MAP_FIXED 7 pages inside the reservation, touched", 12);
   munmap(r + gib / 2, (size_t)(gib / 2));
   own_other -= gib / 2;
   check_other("the upper half unmapped", 12);
   rs_own("mprotect back to PROT_NONE", mprotect(r, (size_t)(gib / 2), PROT_NONE) == 0);
   check_other("all PROT_NONE again (pages stay resident)", res_of((uintptr_t)r, (size_t)(gib / 2)));
   munmap(r, (size_t)(gib / 2));
   own_other -= gib / 2;
   check_other("unmapping everything", 0);
}

static void mode_madvise(void)
{
   char *a = map(NULL, 64, PROT_READ | PROT_WRITE, 0), *x, *guard;
   long before, after;
   struct rssmassif_totals t0, t1;
   uintptr_t lo, hi;
   memset(a, 1, 64 * RS_PAGE);
   own_other += 64 * P;
   check_other("64 own pages, touched", 64);
   rs_own("MADV_DONTNEED 16 pages", madvise(a + 8 * RS_PAGE, 16 * RS_PAGE, MADV_DONTNEED) == 0);
   check_other("MADV_DONTNEED of 16 own pages", res_of((uintptr_t)a, 64 * RS_PAGE));
   rs_own("MADV_FREE 8 pages", madvise(a + 40 * RS_PAGE, 8 * RS_PAGE, MADV_FREE) == 0);
   check_other("MADV_FREE of 8 own pages", res_of((uintptr_t)a, 64 * RS_PAGE));
   memset(a + 8 * RS_PAGE, 3, 4 * RS_PAGE);
   check_other("4 of the dropped pages touched again", res_of((uintptr_t)a, 64 * RS_PAGE));
   munmap(a + 60 * RS_PAGE, 4 * RS_PAGE);
   own_other -= 4 * P;
   rs_own("MADV_DONTNEED over an unmapped part fails with ENOMEM",
          madvise(a + 56 * RS_PAGE, 8 * RS_PAGE, MADV_DONTNEED) != 0 && errno == ENOMEM);
   check_other("a failing madvise", res_of((uintptr_t)a, 60 * RS_PAGE));

   /* the brk heap: a freed 400 KiB region whose inner pages hold nothing
      of glibc's (its header is at the start, the next chunk's prev_size at
      the end); M_MMAP_THRESHOLD raised so that it is not mmapped */
   mallopt(M_MMAP_THRESHOLD, 1 << 20);
   mallopt(M_TRIM_THRESHOLD, 64 << 20);
   x = malloc(400 * 1024);
   guard = malloc(64);
   memset(x, 4, 400 * 1024);
   free(x);
   lo = RS_PAGE_UP((uintptr_t)x + RS_PAGE);
   hi = RS_PAGE_DOWN((uintptr_t)x + 400 * 1024 - RS_PAGE);
   own_useful += 64;
   own_blocks++;
   if (rs_under_tool)
      rs_get(&t0);
   before = res_of(lo, hi - lo);
   rs_own("MADV_DONTNEED inside the freed heap region", madvise((void *)lo, hi - lo, MADV_DONTNEED) == 0);
   after = res_of(lo, hi - lo);
   if (rs_under_tool) {
      rs_get(&t1);
      rs_eq("heap_dead_res_B drop = pages released (mincore)",
            (long long)t0.heap_dead_res_B - (long long)t1.heap_dead_res_B, (before - after) * P);
      rs_eq("heap_dead_B unchanged by madvise", (long long)t1.heap_dead_B, (long long)t0.heap_dead_B);
   }
   rs_own("the heap still works", (x = malloc(300 * 1024)) != NULL);
   memset(x, 5, 300 * 1024);
   free(x);
   free(guard);
   own_useful -= 64;
   own_blocks--;
   munmap(a, 60 * RS_PAGE);
   own_other -= 60 * P;
   check_other("unmapping everything", 0);
}

/* The size of the maps line holding the main thread's stack (the one
   holding a local of this function): it grows when the program touches
   stack below it, natively and under Valgrind. */
static uintptr_t stack_probe, stack_line_B;

static void find_stack_line(uintptr_t lo, uintptr_t hi, const char *perms, const char *path, void *arg)
{
   (void)perms; (void)path; (void)arg;
   if (lo <= stack_probe && stack_probe < hi)
      stack_line_B = hi - lo;
}

static long long own_stack_B(void)
{
   volatile char here = 0;
   stack_probe = (uintptr_t)&here;
   stack_line_B = 0;
   rs_maps_foreach(find_stack_line, NULL);
   return (long long)stack_line_B;
}

static void mode_wild(void)
{
   long long stack0_B, stack1_B;
   struct rssmassif_totals t0, t1;
   void *cur = sbrk(0), *r, *low, *raw;
   char *a = map(NULL, 4, PROT_READ | PROT_WRITE, 0);
   a[0] = 1;
   own_other += 4 * P;
   stack0_B = own_stack_B();
   if (rs_under_tool)
      rs_get(&t0);
   errno = 0;
   rs_own("mmap of length 0 fails (EINVAL)",
          mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
   rs_own("mmap of 2^50 bytes fails",
          mmap(NULL, 1ULL << 50, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED);
   /* below vm.mmap_min_addr: fails, except for root (CAP_SYS_RAWIO) */
   low = mmap((void *)0x1000, RS_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
   if (low != MAP_FAILED) {
      own_other += P;
      rs_own("MAP_FIXED at address 0x1000 maps there (as root)", low == (void *)0x1000);
   } else {
      printf("ok own: MAP_FIXED at address 0x1000 fails\n");
   }
   rs_own("MAP_FIXED over Valgrind's own memory (0x58000000) fails",
          mmap((void *)0x58000000, RS_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED);
   rs_own("mmap of a bad fd fails",
          mmap(NULL, RS_PAGE, PROT_READ, MAP_PRIVATE, 12345, 0) == MAP_FAILED);
   rs_own("munmap of an unaligned address fails", munmap(a + 1, RS_PAGE) != 0);
   rs_own("munmap of length 0 fails", munmap(a, 0) != 0);
   rs_own("munmap of Valgrind's own memory fails", munmap((void *)0x58000000, RS_PAGE) != 0);
   rs_own("mremap of an unmapped range fails",
          mremap((void *)0x10000, RS_PAGE, 2 * RS_PAGE, MREMAP_MAYMOVE) == MAP_FAILED);
   rs_own("mremap to length 0 fails", mremap(a, 4 * RS_PAGE, 0, MREMAP_MAYMOVE) == MAP_FAILED);
   rs_own("mremap with bad flags fails", mremap(a, 4 * RS_PAGE, 8 * RS_PAGE, 0x80) == MAP_FAILED);
   rs_own("mprotect of an unmapped range fails", mprotect((void *)0x10000, RS_PAGE, PROT_READ) != 0);
   rs_own("madvise of an unaligned address fails", madvise(a + 1, RS_PAGE, MADV_DONTNEED) != 0);
   rs_own("madvise with a bad advice fails", madvise(a, RS_PAGE, 12345) != 0);
   /* The kernel's own break (under rssmassif libc's sbrk is emulated, see
      rs_brk.c, and the raw syscall reaches Valgrind's break). */
   raw = (void *)syscall(SYS_brk, 0);
   r = (void *)syscall(SYS_brk, (char *)raw - (64 << 20));
   rs_own("brk below the start does not move the break", r == raw);
   /* Natively glibc's sbrk(-1 GiB) from a break above 1 GiB "succeeds"
      without moving it (the kernel refuses, glibc sees no lower break);
      from a lower break it fails: either way nothing moves. */
   r = sbrk(-(1L << 30));
   rs_own("sbrk(-1 GiB) fails or leaves the break", r == (void *)-1 || r == cur);
   rs_own("sbrk(+128 TiB) fails (past the address space)", sbrk(1L << 47) == (void *)-1);
   rs_own("the break did not move", sbrk(0) == cur);
   if (rs_under_tool)
      rs_get(&t1);
   stack1_B = own_stack_B();
   if (rs_under_tool) {
      rs_eq("heap_live_B unchanged", (long long)t1.heap_live_B, (long long)t0.heap_live_B);
      rs_eq("heap_dead_B unchanged", (long long)t1.heap_dead_B, (long long)t0.heap_dead_B);
      rs_eq("loader_B unchanged", (long long)t1.loader_B, (long long)t0.loader_B);
      /* The calls above may touch stack below the line: it grows as the
         program's own maps line does (within a page: maps is read after
         the request). */
      rs_near("stack_B grows as the program's stack line",
              (long long)t1.stack_B - (long long)t0.stack_B, stack1_B - stack0_B, RS_TOL_PAGES(1));
   }
   check_other("the failing calls", 1);
   munmap(a, 4 * RS_PAGE);
   own_other -= 4 * P;
   if (low != MAP_FAILED) {
      munmap(low, RS_PAGE);
      own_other -= P;
   }
   check_other("unmapping everything", 0);
}

int main(int argc, char **argv)
{
   const char *mode = argc > 1 ? argv[1] : "fixed";
   rs_init();
   /* glibc's first malloc makes the brk heap (with a block of its own, the
      tcache, that is not a malloc'd block): done before the base is read */
   free(malloc(1));
   rs_get(&base);
   if (strcmp(mode, "fixed") == 0) mode_fixed();
   else if (strcmp(mode, "munmap") == 0) mode_munmap();
   else if (strcmp(mode, "mremap") == 0) mode_mremap();
   else if (strcmp(mode, "protnone") == 0) mode_protnone();
   else if (strcmp(mode, "madvise") == 0) mode_madvise();
   else if (strcmp(mode, "wild") == 0) mode_wild();
   else {
      printf("not ok unknown mode %s\n", mode);
      return 1;
   }
   if (rs_under_tool) {
      rs_expect_final("other_B", "=", (long long)base.other_B, 0);
      rs_expect_final("useful_B", "=", 0, 0);
      rs_expect_final("blocks", "=", 0, 0);
   }
   return rs_finish();
}
