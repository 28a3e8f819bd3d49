/*
 * h_clreq_bad: rssmassif's own client requests with bad arguments.  Each
 * must be harmless: the client keeps running, the tool does not crash.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * RSSMASSIF_GET_TOTALS with: NULL; an unmapped address; a read-only page;
 * a struct that straddles the end of a mapping into an unmapped page; a
 * PROT_NONE page -- all return 0 (the header's promise: 1 only when it
 * filled the struct) and write nothing (the read-only/straddling bytes are
 * checked).  The raw request with a wrong struct size returns 0.
 * RSSMASSIF_SNAPSHOT with: NULL; an unmapped address; a label that runs
 * into a PROT_NONE page without a NUL; a 300-character label; a label of
 * spaces, slashes, newlines and '=' -- each takes a labelled snapshot whose
 * label is made of 1 to 64 characters in [A-Za-z0-9._-] (docs/format.md;
 * rs_print refuses an empty `label=`), so that the file stays parseable
 * (every file check of the runner applies); also the empty label "".
 * Expected: the return values (the header's contract) and, in the file,
 * 7 labelled snapshots with clean labels (6 bad ones and a good one); a
 * good request still works after all that.
 */
#include "rs_client.h"

#include "valgrind.h"

int main(void)
{
   struct rssmassif_totals t;
   char *m, *ro;
   long r;
   static char longlabel[301];

   rs_init();
   if (!rs_under_tool)
      return rs_finish();
   m = mmap(NULL, 3 * RS_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (m == MAP_FAILED)
      return 1;
   munmap(m + 2 * RS_PAGE, RS_PAGE);              /* m+2P: unmapped */
   ro = m + RS_PAGE;
   memset(ro, 0xab, RS_PAGE);
   mprotect(ro, RS_PAGE, PROT_READ);              /* m+P: read-only */

   rs_eq("GET_TOTALS(NULL) returns 0", RSSMASSIF_GET_TOTALS((struct rssmassif_totals *)NULL), 0);
   rs_eq("GET_TOTALS(unmapped) returns 0",
         RSSMASSIF_GET_TOTALS((struct rssmassif_totals *)(m + 2 * RS_PAGE)), 0);
   rs_eq("GET_TOTALS(kernel address) returns 0",
         RSSMASSIF_GET_TOTALS((struct rssmassif_totals *)0xffff800000001000UL), 0);
   rs_eq("GET_TOTALS(read-only page) returns 0", RSSMASSIF_GET_TOTALS((struct rssmassif_totals *)ro), 0);
   rs_own("the read-only page is untouched", ro[0] == (char)0xab && ro[100] == (char)0xab);
   mprotect(ro, RS_PAGE, PROT_READ | PROT_WRITE);
   rs_eq("GET_TOTALS(straddling into an unmapped page) returns 0",
         RSSMASSIF_GET_TOTALS((struct rssmassif_totals *)(m + 2 * RS_PAGE - 40)), 0);
   rs_own("the straddling struct's mapped bytes are untouched",
          (unsigned char)m[2 * RS_PAGE - 40] == 0xab && (unsigned char)m[2 * RS_PAGE - 1] == 0xab);
   mprotect(m, RS_PAGE, PROT_NONE);
   rs_eq("GET_TOTALS(PROT_NONE page) returns 0", RSSMASSIF_GET_TOTALS((struct rssmassif_totals *)m), 0);
   mprotect(m, RS_PAGE, PROT_READ | PROT_WRITE);
   r = (long)VALGRIND_DO_CLIENT_REQUEST_EXPR(0, VG_USERREQ__RSSMASSIF_GET_TOTALS, &t,
                                            sizeof t - 8, 0, 0, 0);
   rs_eq("the raw request with a wrong size returns 0", r, 0);

   RSSMASSIF_SNAPSHOT(NULL);
   RSSMASSIF_SNAPSHOT(m + 2 * RS_PAGE);
   memset(ro, 'x', RS_PAGE);                       /* no NUL in the page... */
   mprotect(m + 2 * RS_PAGE - RS_PAGE, RS_PAGE, PROT_READ | PROT_WRITE);
   mmap(m + 2 * RS_PAGE, RS_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
   RSSMASSIF_SNAPSHOT(m + 2 * RS_PAGE - 10);       /* ...then PROT_NONE */
   memset(longlabel, 'L', 300);
   RSSMASSIF_SNAPSHOT(longlabel);
   RSSMASSIF_SNAPSHOT("a b/c\nd=e#f\tg");
   RSSMASSIF_SNAPSHOT("");
   printf("ok six bad labels survived\n");

   memset(&t, 0, sizeof t);
   rs_eq("a good GET_TOTALS still returns 1", RSSMASSIF_GET_TOTALS(&t), 1);
   rs_ge("and fills the struct", (long long)t.loader_B, 4096);
   RSSMASSIF_SNAPSHOT("good");
   return rs_finish();
}
