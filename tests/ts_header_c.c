/*
 * ts_header_c: the public header rssmassif.h compiles in C with
 * -Wall -Wextra -Werror -std=c11 -pedantic (see ts_header_c.vgtest), and its
 * two requests work: RSSMASSIF_GET_TOTALS evaluates to 1 under rssmassif and
 * fills the struct (0 natively, struct untouched), RSSMASSIF_SNAPSHOT takes
 * a labelled snapshot (the runner's rs_expect and ms_print read the file).
 * tests/unit/ts_header_native.c builds and runs this same file natively.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rssmassif.h"

int main(void)
{
   struct rssmassif_totals t, before;
   unsigned r;
   char *p;

   setvbuf(stdout, NULL, _IONBF, 0);
   memset(&t, 0xa5, sizeof t);
   before = t;
   r = RSSMASSIF_GET_TOTALS(&t);
   if (r == 0) {
      if (memcmp(&t, &before, sizeof t) == 0)
         printf("ok native run\n");
      else
         printf("not ok native run: RSSMASSIF_GET_TOTALS changed the struct\n");
      RSSMASSIF_SNAPSHOT("native");   /* a no-op natively */
      printf("ok snapshot request is a no-op natively\n");
      return 0;
   }
   if (r != 1) {
      printf("not ok RSSMASSIF_GET_TOTALS returned %u\n", r);
      return 0;
   }
   printf("ok RSSMASSIF_GET_TOTALS returns 1 under rssmassif\n");
   p = malloc(1000);
   memset(p, 'x', 1000);
   r = RSSMASSIF_GET_TOTALS(&t);
   if (r == 1 && t.useful_B >= 1000 && t.blocks >= 1 && t.heap_live_B >= 4096 &&
       t.loader_B > 0 && t.stack_B > 0 && t.heap_live_res_B <= t.heap_live_B)
      printf("ok totals filled (useful_B=%llu blocks=%llu)\n", t.useful_B, t.blocks);
   else
      printf("not ok totals: useful_B=%llu blocks=%llu heap_live_B=%llu\n",
             t.useful_B, t.blocks, t.heap_live_B);
   /* Used as a statement, its value ignored (as users write it): must not
    * warn (-Wunused-value) under -Werror. */
   RSSMASSIF_GET_TOTALS(&t);
   RSSMASSIF_SNAPSHOT("c-header");
   free(p);
   printf("expect-final: useful_B = 0\n");
   return 0;
}
