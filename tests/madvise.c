/*
 * madvise: madvise(MADV_DONTNEED) on the program's own pages lowers
 * other_res_B by exactly the pages it dropped, other_B unchanged; after
 * MADV_FREE the pages are whatever mincore() says (the kernel frees them
 * lazily, so without memory pressure they stay resident).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Own view: the program's arithmetic for mapped bytes, mincore() over its
 * own mapping for resident bytes; deltas from the start of main.
 */
#include "rs_client.h"

#ifndef MADV_FREE
#define MADV_FREE 8
#endif

#define P RS_PAGE
#define NP 64

static struct rssmassif_totals base;
static char *a;

static long long own_res(void)
{
   long r;
   rs_pages_reset();
   r = rs_resident((uintptr_t)a, NP * P, NULL, NULL);
   if (r < 0)
      rs_own("mincore", 0);
   return (long long)r * (long long)P;
}

static void check(const char *what, struct rssmassif_totals *t)
{
   char lbl[200];
   long long res = own_res();
   printf("# %s: own resident %lld\n", what, res);
   memset(t, 0, sizeof *t);
   if (!rs_under_tool)
      return;
   rs_get(t);
   snprintf(lbl, sizeof lbl, "other_B after %s", what);
   rs_eq(lbl, (long long)(t->other_B - base.other_B), NP * (long long)P);
   snprintf(lbl, sizeof lbl, "other_res_B after %s", what);
   rs_eq(lbl, (long long)(t->other_res_B - base.other_res_B), res);
}

int main(void)
{
   struct rssmassif_totals t0, t1, t2;
   long long r0, r1;
   int i;

   rs_init();
   rs_get(&base);
   a = mmap(NULL, NP * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (a == MAP_FAILED) {
      printf("not ok own: mmap: %s\n", strerror(errno));
      return 1;
   }
   for (i = 0; i < NP; i++)
      a[i * P] = 1;
   r0 = own_res();
   rs_own("64 pages touched are resident", r0 == NP * (long long)P);
   check("touching 64 pages", &t0);

   if (madvise(a + 8 * P, 20 * P, MADV_DONTNEED) != 0)
      rs_own("madvise(MADV_DONTNEED) succeeds", 0);
   r1 = own_res();
   rs_own("MADV_DONTNEED dropped 20 pages (mincore)", r0 - r1 == 20 * (long long)P);
   check("MADV_DONTNEED on 20 pages", &t1);
   if (rs_under_tool)
      rs_eq("other_res_B drop by MADV_DONTNEED", (long long)(t0.other_res_B - t1.other_res_B),
            r0 - r1);

   if (madvise(a + 40 * P, 10 * P, MADV_FREE) != 0)
      printf("# MADV_FREE not supported here: %s\n", strerror(errno));
   check("MADV_FREE on 10 pages", &t2);

   rs_expect_final("other_B", "=", (long long)base.other_B + NP * (long long)P, 0);
   return rs_finish();
}
