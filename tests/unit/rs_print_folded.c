/*
 * rs_print_folded.c -- `rs_print --folded`: folded stacks by resident
 * bytes whose counts sum exactly to the snapshot's figures.  Expected values
 * come from the arithmetic rs_print/samples/retained.out was written with
 * (stated here), never from rs_print's output.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include "tests/unit_util.h"

#define PAGE 4096ULL

/* retained.out is basic.out (see rs_print_samples.c) with #rs.tree_res:
 * lines: at the peak (snapshot 1) every heap page is resident (make_table
 * 480 pages under main, make_index 160 pages); at exit (snapshot 2) the
 * 641 dead pages are 480 of make_table's mapping of which 248 are resident
 * and 161 of make_index's of which 52 are: retained 300 pages. */
static void defaults(void)
{
   char *out, *err;
   int lines;
   int rc = run_main(&out, &err, "--folded", sample_path("retained.out"), NULL);
   check(rc == 0, "--folded exits 0 (got %d, stderr %s)", rc, err);
   check(folded_sum(out, &lines) == (long long)(300 * PAGE),
         "--folded counts sum to heap_dead_res_B of the exit snapshot (300 pages)");
   check(lines == 2, "--folded: 2 stacks (got %d)", lines);
   check(strstr(out, "heap_dead;make_table (basic.c:20) 1015808\n") != NULL,
         "--folded: make_table holds 248 resident pages:\n%s", out);
   check(strstr(out, "heap_dead;make_index (basic.c:28) 212992\n") != NULL,
         "--folded: make_index holds 52 resident pages");
   check(err[0] == '\0', "--folded: nothing on stderr (got %s)", err);
   free(out);
   free(err);
}

static void peak_live(void)
{
   struct rs_error e;
   struct rs_file *f = rs_parse_path(sample_path("retained.out"), &e);
   char *out = NULL;
   size_t len = 0;
   int lines;
   check(f != NULL, "retained.out parses");
   if (f == NULL)
      return;
   FILE *o = open_memstream(&out, &len);
   int r = rs_folded_write(o, f, 1, RS_CAT_HEAP_LIVE);
   fclose(o);
   check(r == 0, "peak heap_live: by resident bytes (got %d)", r);
   check(folded_sum(out, &lines) == (long long)(640 * PAGE),
         "peak heap_live: counts sum to heap_live_res_B (640 pages)");
   check(strstr(out, "heap_live;main (basic.c:40);make_table (basic.c:20) 1966080\n") != NULL,
         "peak heap_live: root first, the allocation site last:\n%s", out);
   free(out);
   rs_file_free(f);
   /* basic.out has no #rs.tree_res: mapped bytes, said on stderr */
   char *err;
   int rc = run_main(&out, &err, "--folded", sample_path("basic.out"), NULL);
   check(rc == 0 && strstr(err, "mapped bytes") != NULL,
         "--folded without #rs.tree_res: mapped bytes, with a note (rc %d, %s)", rc, err);
   check(folded_sum(out, &lines) == (long long)(641 * PAGE),
         "--folded without #rs.tree_res: counts sum to heap_dead_B (641 pages)");
   free(out);
   free(err);
   rc = run_main(&out, &err, "--folded", sample_path("massif.out"), NULL);
   check(rc == 2, "--folded on a plain Massif file: exit 2 (got %d)", rc);
   free(out);
   free(err);
}

int main(void)
{
   defaults();
   peak_live();
   return unit_done();
}
