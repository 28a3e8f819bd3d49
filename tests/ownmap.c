/*
 * ownmap: the program's own mmap/munmap/mremap/mprotect/madvise land in the
 * `other` category, page for page.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The client keeps its own table of the pages it has mapped (updated with
 * the arithmetic of each call) and after every step compares:
 *   other_B delta     == pages in its table (exact),
 *   other_res_B delta == resident pages of its table by mincore() (exact).
 * Steps: anonymous map, touch, partial munmap (hole and tail), mremap grow,
 * shrink and move (MREMAP_FIXED over another own mapping), MAP_FIXED over an
 * own mapping (replace: no double count), MAP_FIXED straddling a hole,
 * mprotect, madvise(MADV_DONTNEED), a large PROT_NONE reservation, a shared
 * file mapping (longer than the file), and unmapping everything.
 */
#include "rs_client.h"

#include <stdlib.h>

#define P RS_PAGE

/* ---- the client's own table of mapped pages (page-number intervals) ---- */
#define MAXR 128
static uintptr_t lo_[MAXR], hi_[MAXR];
static int nr;

static void own_unmap(uintptr_t a, size_t len)
{
   uintptr_t b = a + len;
   int i, k = 0;
   static uintptr_t nlo[MAXR * 2], nhi[MAXR * 2];
   for (i = 0; i < nr; i++) {
      if (hi_[i] <= a || lo_[i] >= b) {
         nlo[k] = lo_[i]; nhi[k] = hi_[i]; k++;
         continue;
      }
      if (lo_[i] < a) { nlo[k] = lo_[i]; nhi[k] = a; k++; }
      if (hi_[i] > b) { nlo[k] = b; nhi[k] = hi_[i]; k++; }
   }
   if (k > MAXR) {
      printf("not ok own: mapping table full\n");
      rs_failures++;
      k = MAXR;
   }
   for (i = 0; i < k; i++) { lo_[i] = nlo[i]; hi_[i] = nhi[i]; }
   nr = k;
}

static void own_map(uintptr_t a, size_t len)
{
   own_unmap(a, len);   /* a fixed mapping replaces what was there */
   if (nr < MAXR) {
      lo_[nr] = a;
      hi_[nr] = a + len;
      nr++;
   }
}

static long long own_mapped(void)
{
   long long n = 0;
   int i;
   for (i = 0; i < nr; i++)
      n += (long long)(hi_[i] - lo_[i]);
   return n;
}

static long long own_resident(void)
{
   long long n = 0;
   int i;
   rs_pages_reset();   /* empty set: rs_resident counts everything */
   for (i = 0; i < nr; i++) {
      long r = rs_resident(lo_[i], hi_[i] - lo_[i], NULL, NULL);
      if (r < 0) {
         printf("not ok own: mincore failed: %s\n", strerror(errno));
         rs_failures++;
         return -1;
      }
      n += r;
   }
   return n * (long long)P;
}

static struct rssmassif_totals base;
static char label[200];

static void check(const char *what)
{
   struct rssmassif_totals t;
   long long res = own_resident();
   if (!rs_under_tool) {
      printf("# %s: own mapped %lld resident %lld\n", what, own_mapped(), res);
      return;
   }
   rs_get(&t);
   snprintf(label, sizeof label, "other_B after %s", what);
   rs_eq(label, (long long)(t.other_B - base.other_B), own_mapped());
   snprintf(label, sizeof label, "other_res_B after %s", what);
   rs_eq(label, (long long)(t.other_res_B - base.other_res_B), res);
}

static void touch(char *p, size_t npages)
{
   size_t i;
   for (i = 0; i < npages; i++)
      p[i * P] = (char)(i + 1);
}

static char *map_anon(void *hint, size_t len, int prot, int extra)
{
   char *p = mmap(hint, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | extra, -1, 0);
   if (p == MAP_FAILED) {
      printf("not ok own: mmap(%zu) failed: %s\n", len, strerror(errno));
      exit(1);
   }
   return p;
}

int main(void)
{
   char *a, *b, *d, *e, *f, *res;
   char path[] = "/tmp/rssmassif-ownmap-XXXXXX";
   static char filebuf[5 * 4096];
   int fd;

   rs_init();
   rs_get(&base);
   check("start");

   a = map_anon(NULL, 16 * P, PROT_READ | PROT_WRITE, 0);
   own_map((uintptr_t)a, 16 * P);
   check("mmap 16 pages");

   touch(a, 10);
   check("touch 10 pages");

   munmap(a + 6 * P, 4 * P);
   own_unmap((uintptr_t)a + 6 * P, 4 * P);
   check("munmap 4 pages in the middle");

   munmap(a + 14 * P, 2 * P);
   own_unmap((uintptr_t)a + 14 * P, 2 * P);
   check("munmap the 2 last pages");

   b = map_anon(NULL, 4 * P, PROT_READ | PROT_WRITE, 0);
   own_map((uintptr_t)b, 4 * P);
   touch(b, 2);
   check("mmap 4 pages, touch 2");

   {
      char *nb = mremap(b, 4 * P, 12 * P, MREMAP_MAYMOVE);
      if (nb == MAP_FAILED) {
         printf("not ok own: mremap grow: %s\n", strerror(errno));
         return 1;
      }
      own_unmap((uintptr_t)b, 4 * P);
      own_map((uintptr_t)nb, 12 * P);
      b = nb;
   }
   check("mremap grow 4 -> 12 pages");

   if (mremap(b, 12 * P, 3 * P, 0) != b) {
      printf("not ok own: mremap shrink: %s\n", strerror(errno));
      return 1;
   }
   own_unmap((uintptr_t)b + 3 * P, 9 * P);
   check("mremap shrink 12 -> 3 pages");

   d = map_anon(NULL, 5 * P, PROT_READ, 0);
   own_map((uintptr_t)d, 5 * P);
   check("mmap 5 read-only pages");

   /* move b (3 pages, 2 resident) onto the first 3 pages of d */
   if (mremap(b, 3 * P, 3 * P, MREMAP_MAYMOVE | MREMAP_FIXED, d) != d) {
      printf("not ok own: mremap move: %s\n", strerror(errno));
      return 1;
   }
   own_unmap((uintptr_t)b, 3 * P);
   own_map((uintptr_t)d, 3 * P);
   check("mremap move over an own mapping");
   rs_own("moved pages kept their contents", d[0] == 1 && d[P] == 2);

   /* MAP_FIXED over 2 resident pages of a: replaced, not added */
   map_anon(a + 2 * P, 2 * P, PROT_READ | PROT_WRITE, MAP_FIXED);
   own_map((uintptr_t)a + 2 * P, 2 * P);
   check("MAP_FIXED over 2 own pages");

   /* MAP_FIXED over a's hole and one page each side: 4 new pages */
   map_anon(a + 5 * P, 6 * P, PROT_READ | PROT_WRITE, MAP_FIXED);
   own_map((uintptr_t)a + 5 * P, 6 * P);
   touch(a + 5 * P, 6);
   check("MAP_FIXED straddling a hole, touched");

   /* straddling the end of a mapping */
   e = map_anon(NULL, 8 * P, PROT_READ | PROT_WRITE, 0);
   munmap(e + 4 * P, 4 * P);
   own_map((uintptr_t)e, 4 * P);
   map_anon(e + 2 * P, 6 * P, PROT_READ | PROT_WRITE, MAP_FIXED);
   own_map((uintptr_t)e + 2 * P, 6 * P);
   check("MAP_FIXED straddling the end of a mapping");

   mprotect(a, 2 * P, PROT_NONE);
   check("mprotect PROT_NONE");
   mprotect(a, 2 * P, PROT_READ | PROT_WRITE);

   madvise(a + 5 * P, 6 * P, MADV_DONTNEED);
   check("madvise(MADV_DONTNEED) 6 pages");

   /* a big PROT_NONE reservation: mapped, never resident */
   res = map_anon(NULL, 256UL << 20, PROT_NONE, MAP_NORESERVE);
   own_map((uintptr_t)res, 256UL << 20);
   check("256 MiB PROT_NONE reservation");
   mprotect(res + (64UL << 20), 32 * P, PROT_READ | PROT_WRITE);
   touch(res + (64UL << 20), 32);
   check("32 pages of the reservation made writable and touched");

   /* a shared file mapping, 3 pages longer than the file */
   fd = mkstemp(path);
   if (fd < 0) {
      printf("not ok own: mkstemp: %s\n", strerror(errno));
      return 1;
   }
   unlink(path);
   memset(filebuf, 'r', sizeof filebuf);
   if (write(fd, filebuf, sizeof filebuf) != (ssize_t)sizeof filebuf) {
      printf("not ok own: write: %s\n", strerror(errno));
      return 1;
   }
   f = mmap(NULL, 8 * P, PROT_READ, MAP_SHARED, fd, 0);
   if (f == MAP_FAILED) {
      printf("not ok own: mmap file: %s\n", strerror(errno));
      return 1;
   }
   own_map((uintptr_t)f, 8 * P);
   check("file mapping of 8 pages (5 in the file)");
   rs_own("file contents", f[0] == 'r' && f[4 * P + 4095] == 'r');
   check("file mapping read");

   munmap(f, 8 * P);
   own_unmap((uintptr_t)f, 8 * P);
   close(fd);
   munmap(res, 256UL << 20);
   own_unmap((uintptr_t)res, 256UL << 20);
   munmap(a, 16 * P);
   own_unmap((uintptr_t)a, 16 * P);
   munmap(d, 5 * P);
   own_unmap((uintptr_t)d, 5 * P);
   munmap(e, 8 * P);
   own_unmap((uintptr_t)e, 8 * P);
   rs_own("own table empty", nr == 0);
   check("munmap everything");

   /* At exit: a mapping of 7 pages, 3 touched, still there. */
   a = map_anon(NULL, 7 * P, PROT_READ | PROT_WRITE, 0);
   own_map((uintptr_t)a, 7 * P);
   touch(a, 3);
   check("final mapping");
   rs_expect_final("other_B", "=", (long long)base.other_B + own_mapped(), 0);
   return rs_finish();
}
