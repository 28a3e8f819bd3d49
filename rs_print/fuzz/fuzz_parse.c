/*
 * fuzz_parse.c -- libFuzzer target for rs_print's parser, report and
 * strict export.
 *
 *   make -C <build>/rs_print fuzz
 *   <build>/rs_print/fuzz/fuzz_parse -max_total_time=300 \
 *       -dict=rs_print/fuzz/rs.dict NEW_CORPUS rs_print/fuzz/corpus
 *
 * Properties checked (abort() on violation, so libFuzzer reports them):
 * a rejected input gets exactly one line "fuzz.out:LINE: expected ...,
 * got ..."; an accepted input prints its report under several option sets
 * and exports a strict Massif file that parses back to as many snapshots.
 * AddressSanitizer and UBSan catch memory errors.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_massif.h"
#include "rs_parse.h"
#include "rs_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *null_out(void)
{
   static FILE *null;
   if (null == NULL)
      null = fopen("/dev/null", "w");
   return null;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
   struct rs_error e;
   struct rs_file *f = rs_parse_buffer("fuzz.out", (const char *)data, size,
                                       &e);
   if (f == NULL) {
      if (strncmp(e.msg, "fuzz.out:", 9) != 0 || strchr(e.msg, '\n')
          || (strstr(e.msg, ": expected ") == NULL
              && strstr(e.msg, "out of memory") == NULL))
         abort();
      return 0;
   }
   FILE *out = null_out();
   struct rs_opts o;
   rs_opts_default(&o);
   rs_report(out, f, &o);
   o.threshold = 0;
   o.x = 4;
   o.y = 4;
   o.snapshot = (long)(f->nsnaps - 1);
   if (f->is_rs)
      o.category = (int)(size % RS_NCAT);
   rs_report(out, f, &o);

   char *x = NULL;
   size_t xl = 0;
   FILE *m = open_memstream(&x, &xl);
   if (m == NULL || rs_massif_export(m, f) < 0)
      abort();
   fclose(m);
   struct rs_file *g = rs_parse_buffer("export", x, xl, &e);
   if (g == NULL || g->nsnaps != f->nsnaps)
      abort();
   rs_file_free(g);
   free(x);
   rs_file_free(f);
   return 0;
}
