/*
 * rs_print_callgrind.c -- `rs_print --callgrind` read by Valgrind's own
 * callgrind_annotate, and `rs_print --folded` on a file the real tool wrote.
 *
 * callgrind_annotate lists every function's self cost per event; their
 * sums must equal the snapshot's figures, which this test reads from the
 * file's `#rs:` line with a few lines of its own (not rs_print's parser).
 * On rs_print/samples/retained.out the figures are also the arithmetic the
 * sample was written with (make_table's 480 pages called from main).  On a
 * real run (the client below), the folded counts must sum to the exit
 * snapshot's heap_dead_res_B, and both exports must name the client's
 * functions.  Skipped (exit 77) without callgrind_annotate; the real-run
 * part is skipped without valgrind, a C compiler or the staged tool.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include "tests/unit_util.h"


#define PAGE 4096ULL
#define NEV RS_NFIG   /* events: the ten figures of a snapshot */

static const char client[] =
   "/* written by tests/unit/rs_print_callgrind.c */\n"
   "#include <malloc.h>\n"
   "#include <stdlib.h>\n"
   "#include <string.h>\n"
   "#define MIB (1024 * 1024)\n"
   "static char *fill_cache(void)\n"
   "{\n"
   "   char *p = malloc(MIB);\n"
   "   memset(p, 1, MIB);\n"
   "   return p;\n"
   "}\n"
   "static char *keep_note(void)\n"
   "{\n"
   "   char *p = malloc(64);\n"
   "   memset(p, 2, 64);\n"
   "   return p;\n"
   "}\n"
   "int main(void)\n"
   "{\n"
   "   char *big[3], *small;\n"
   "   mallopt(M_MMAP_THRESHOLD, 32 * MIB);\n"
   "   for (int i = 0; i < 3; i++)\n"
   "      big[i] = fill_cache();\n"
   "   small = keep_note();\n"
   "   for (int i = 0; i < 3; i++)\n"
   "      free(big[i]);\n"
   "   return small[0] == 2 ? 0 : 1;\n"
   "}\n";


/* Runs callgrind_annotate on `cg` and sums each event's column over the
 * function rows; *total gets the PROGRAM TOTALS row.  Returns the number
 * of function rows, -1 if it could not run; `names` gets the rows' names
 * joined by '\n' (malloc'ed). */
static int annotate_sums(const char *cg, const char *opts,
                         unsigned long long sum[NEV],
                         unsigned long long total[NEV], char **names)
{
   char cmd[512], *text;
   size_t len;
   snprintf(cmd, sizeof cmd, "callgrind_annotate --auto=no %s %s > annotate.txt "
            "2> annotate.err", opts, cg);
   if (unit_sh(cmd) != 0 || (text = read_all("annotate.txt", &len)) == NULL)
      return -1;
   int rows = 0, in_fns = 0;
   size_t nlen = 0;
   *names = calloc(1, len + 1);
   memset(sum, 0, NEV * sizeof *sum);
   memset(total, 0, NEV * sizeof *total);
   for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
      unsigned long long v[NEV];
      char *p = line;
      int e = 0;
      if (strstr(line, "file:function") != NULL) {
         in_fns = 1;
         continue;
      }
      while (e < NEV) {
         while (*p == ' ')
            p++;
         if (*p == '.' && (p[1] == ' ' || p[1] == '\0')) {
            v[e++] = 0;
            p++;
         } else if (*p >= '0' && *p <= '9') {
            unsigned long long x = 0;
            for (; (*p >= '0' && *p <= '9') || *p == ','; p++)
               if (*p != ',')
                  x = x * 10 + (unsigned)(*p - '0');
            v[e++] = x;
            while (*p == ' ')
               p++;
            if (*p == '(')
               p = strchr(p, ')') ? strchr(p, ')') + 1 : p + strlen(p);
         } else {
            break;
         }
      }
      if (e < NEV)
         continue;
      while (*p == ' ')
         p++;
      if (strcmp(p, "PROGRAM TOTALS") == 0) {
         memcpy(total, v, sizeof v);
      } else if (in_fns && *p) {
         for (e = 0; e < NEV; e++)
            sum[e] += v[e];
         nlen += (size_t)sprintf(*names + nlen, "%s\n", p);
         rows++;
      }
   }
   free(text);
   return rows;
}

/* rs_print --callgrind ARGS > cg.out, then callgrind_annotate: each
 * event's function rows sum to the figure want[]. */
static char *check_callgrind(const char *file, const char *snap_opt,
                             const unsigned long long want[NEV],
                             const char *what)
{
   char *out, *err, *names = NULL;
   unsigned long long sum[NEV], total[NEV];
   int rc = run_main(&out, &err, "--callgrind", file, snap_opt);
   check(rc == 0, "%s: --callgrind exits 0 (got %d, %s)", what, rc, err);
   FILE *fp = fopen("cg.out", "w");
   if (fp) {
      fputs(out, fp);
      fclose(fp);
   }
   int rows = annotate_sums("cg.out", "--threshold=100", sum, total, &names);
   check(rows > 0, "%s: callgrind_annotate reads it (%d function rows)",
         what, rows);
   for (int e = 0; e < NEV && rows > 0; e++) {
      check(sum[e] == want[e], "%s: %s: the functions' self costs sum to "
            "the snapshot's %llu (got %llu)", what, rs_fig_name(e), want[e],
            sum[e]);
      check(total[e] == want[e], "%s: %s: PROGRAM TOTALS %llu", what,
            rs_fig_name(e), total[e]);
   }
   free(out);
   free(err);
   return names;
}

/* retained.out (see rs_print_folded.c): at the peak (snapshot 1) main
 * calls make_table, whose 480 pages are all resident; at exit make_table's
 * 480 freed pages hold 248 resident. */
static void sample(void)
{
   size_t len;
   char *text = read_all(sample_path("retained.out"), &len);
   unsigned long long want[NEV];
   check(text && file_figures(text, -1, want), "retained.out: exit figures");
   free(check_callgrind(sample_path("retained.out"), NULL, want, "exit"));
   check(file_figures(text, 1, want), "retained.out: snapshot 1 figures");
   char *names = check_callgrind(sample_path("retained.out"), "--snapshot=1",
                                 want, "peak");
   check(names && strstr(names, "basic.c:make_table\n"), "peak: names "
         "basic.c:make_table");
   free(names);
   /* main's inclusive cost: make_table's 480 pages, through the call */
   unsigned long long sum[NEV], total[NEV];
   names = NULL;
   int rows = annotate_sums("cg.out", "--inclusive=yes --threshold=100",
                            sum, total, &names);
   check(rows > 0, "callgrind_annotate --inclusive=yes reads it");
   char *m = names ? strstr(names, "basic.c:main\n") : NULL;
   check(m != NULL, "--inclusive=yes lists basic.c:main");
   free(names);
   char *out, *err;
   int rc = run_main(&out, &err, "--callgrind", sample_path("massif.out"),
                     NULL);
   check(rc == 2 && strchr(err, '\n') == strrchr(err, '\n'),
         "--callgrind on a plain Massif file: one-line error, exit 2 (%d)", rc);
   free(out);
   free(err);
   free(text);
}

static void real_run(void)
{
   int rc = tool_run_client(client, "cg_client", "client.out");
   if (rc == 77)
      return;
   size_t len;
   char *text = read_all("client.out", &len);
   unsigned long long want[NEV];
   check(text && file_figures(text, -1, want), "client.out: exit figures");
   /* 3 MiB freed below a live block: most of it retained */
   check(want[3] >= 3ULL * 1024 * 1024 - 4 * PAGE,
         "client: heap_dead_res_B %llu >= 3 MiB - 4 pages", want[3]);
   char *names = check_callgrind("client.out", NULL, want, "real run");
   check(names && strstr(names, "cg_client.c:fill_cache\n"),
         "real run: callgrind names cg_client.c:fill_cache:\n%s", names);
   free(names);
   char *out, *err;
   rc = run_main(&out, &err, "--folded", "client.out", NULL);
   check(rc == 0 && *err == '\0', "real run: --folded exits 0 (%d %s)", rc,
         err);
   check(folded_sum(out, NULL) == (long long)want[3], "real run: folded counts "
         "sum to heap_dead_res_B %llu (got %lld)", want[3], folded_sum(out, NULL));
   check(strstr(out, "main (cg_client.c:") && strstr(out, ";fill_cache ("),
         "real run: folded stacks name main and fill_cache:\n%s", out);
   free(out);
   free(err);
   free(text);
}

int main(void)
{
   if (unit_sh("command -v callgrind_annotate >/dev/null 2>&1") != 0) {
      printf("skipped: callgrind_annotate is not installed\n");
      return 77;
   }
   sample();
   real_run();
   return unit_done();
}
