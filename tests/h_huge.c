/*
 * h_huge: allocation requests that must fail (and the ones next to them
 * that must not).  A failed request leaves no block and changes no count.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Failing: malloc(SIZE_MAX/2), malloc(SIZE_MAX), malloc(2^45) (no room),
 * calloc whose count*size overflows (and one that does not overflow but is
 * too big), realloc(p, SIZE_MAX/2) (fails, p stays live and intact),
 * reallocarray overflowing, posix_memalign/aligned_alloc/memalign of huge
 * sizes, posix_memalign with an alignment that is not a power of two
 * (EINVAL), valloc/pvalloc(SIZE_MAX/2), operator-new-like sizes via
 * malloc(-1).  Own arithmetic: the program's two live blocks (1000 and 24
 * bytes) are the only change from the base, before and at exit (where the
 * 24-byte one is kept).  errno is ENOMEM (EINVAL for the bad alignment)
 * and every pointer is NULL: that the calls failed is checked natively too.
 */
#include "rs_client.h"

#include <stdint.h>

int main(void)
{
   struct rssmassif_totals base, t;
   void *q = NULL;
   char *p, *keep;
   int i, r;

   rs_init();
   free(malloc(1));                /* glibc's own first-malloc setup */
   rs_get(&base);
   p = malloc(1000);
   memset(p, 0x5a, 1000);
   keep = malloc(24);

#define FAILS(what, expr)                                                   \
   do {                                                                     \
      void *volatile x_;                                                    \
      errno = 0;                                                            \
      x_ = (expr);                                                          \
      rs_own(what " returns NULL with ENOMEM", x_ == NULL && errno == ENOMEM); \
      free(x_);                                                             \
   } while (0)

   FAILS("malloc(SIZE_MAX/2)", malloc(SIZE_MAX / 2));
   FAILS("malloc(SIZE_MAX)", malloc(SIZE_MAX));
   FAILS("malloc(2^45)", malloc((size_t)1 << 45));
   FAILS("calloc(SIZE_MAX/2, 4) (overflow)", calloc(SIZE_MAX / 2, 4));
   FAILS("calloc(2^33, 2^33) (overflow)", calloc((size_t)1 << 33, (size_t)1 << 33));
   FAILS("calloc(2^22, 2^22) (16 TiB)", calloc((size_t)1 << 22, (size_t)1 << 22));
   FAILS("realloc(p, SIZE_MAX/2)", realloc(p, SIZE_MAX / 2));
   FAILS("reallocarray(p, 2^40, 2^40) (overflow)", reallocarray(p, (size_t)1 << 40, (size_t)1 << 40));
   FAILS("aligned_alloc(64, SIZE_MAX/2)", aligned_alloc(64, SIZE_MAX / 2));
   FAILS("memalign(4096, SIZE_MAX - 100)", memalign(4096, SIZE_MAX - 100));
   FAILS("valloc(SIZE_MAX/2)", valloc(SIZE_MAX / 2));
   FAILS("pvalloc(SIZE_MAX/2)", pvalloc(SIZE_MAX / 2));
   FAILS("malloc((size_t)-1 - 4095)", malloc((size_t)-1 - 4095));
   r = posix_memalign(&q, 64, SIZE_MAX / 2);
   rs_own("posix_memalign(64, SIZE_MAX/2) fails with ENOMEM", r == ENOMEM);
   r = posix_memalign(&q, 24, 100);
   rs_own("posix_memalign(24, 100) fails with EINVAL", r == EINVAL);
   for (i = 0; i < 1000; i++)
      if (p[i] != 0x5a)
         break;
   rs_own("the block survives the failed reallocs intact", i == 1000);
   if (rs_under_tool) {
      rs_get(&t);
      rs_eq("useful after the failed requests", (long long)(t.useful_B - base.useful_B), 1024);
      rs_eq("blocks after the failed requests", (long long)(t.blocks - base.blocks), 2);
   }
   free(p);
   if (rs_under_tool) {
      rs_expect_final("useful_B", "=", 24, 0);
      rs_expect_final("blocks", "=", 1, 0);
   }
   (void)keep;
   return rs_finish();
}
