/*
 * rs_print_compare.c -- `rs_print --compare BASE OTHER...` and
 * --max-growth.  The expected cells are read from the samples' own #rs:
 * lines by a scanner of this test (not rs_parse.c), and from the arithmetic
 * the samples were written with (stated here and in docs/testing.md).
 *
 * rs_print/samples/cmp_glibc.out, cmp_jemalloc.out, cmp_tcmalloc.out (one
 * page = 4096 bytes):
 *   glibc    exit: heap_dead resident 1500 pages = 6,144,000 (retained),
 *            trim_estimate_B 1400 pages = 5,734,400; peak: retained 10 pages
 *            (40,960), trim_estimate_B=0; dead sites fill (cmp.c:10)
 *            1000 pages, index (cmp.c:20) 500 pages.
 *   jemalloc exit: retained 300 pages = 1,228,800 = release_estimate_B
 *            (trim_estimate_B=999 must lose); peak: retained 20 pages
 *            (81,920); mapped total 11,476,992 against glibc's 10,698,752
 *            (+7.27 %); dead sites fill (cmp.c:10, another address)
 *            200 pages, parse (cmp.c:30) 100 pages.
 *   tcmalloc exit = peak: retained 1000 pages = 4,096,000; only glibc's
 *            trim_estimate_B, so no release estimate ("-"); dead site fill
 *            1000 pages.
 *   jemalloc -> glibc: 6,144,000 / 1,228,800 = 5, +400 %.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include "tests/unit_util.h"

#define PAGE 4096ULL

/* rs_print with argv[1..]; out/err malloc'ed. */
static int run_argv(char **out, char **err, char **args)
{
   char *argv[16] = { (char *)"rs_print" };
   int argc = 1;
   while (args[argc - 1] != NULL && argc < 15) {
      argv[argc] = args[argc - 1];
      argc++;
   }
   size_t ol = 0, el = 0;
   FILE *o = open_memstream(out, &ol), *e = open_memstream(err, &el);
   int rc = rs_print_main(argc, argv, o, e);
   fclose(o);
   fclose(e);
   return rc;
}

/* A sample's value of `key` at exit or at the peak (unit_util.h's own
 * scanner, not rs_parse.c). */
static unsigned long long raw_key(const char *name, int peak, const char *key)
{
   return raw_totals_key(sample_path(name), peak, key);
}

static const char *const samples[3] = {
   "cmp_glibc.out", "cmp_jemalloc.out", "cmp_tcmalloc.out"
};

static char *table3(void)
{
   char *out, *err;
   char a[3][4300];
   for (int i = 0; i < 3; i++)
      snprintf(a[i], sizeof a[i], "%s", sample_path(samples[i]));
   char *args[] = { "--compare", a[0], a[1], a[2], NULL };
   int rc = run_argv(&out, &err, args);
   check(rc == 0 && err[0] == '\0', "--compare of 3 samples: exit 0, no "
         "stderr (rc %d, %s)", rc, err);
   free(err);
   return out;
}

/* Every category cell against the samples' own #rs: lines. */
static void categories(const char *t)
{
   static const char *const key[2][RS_NCAT] = {
      { "heap_live_B", "heap_dead_B", "loader_B", "stack_B", "other_B" },
      { "heap_live_res_B", "heap_dead_res_B", "loader_res_B", "stack_res_B",
        "other_res_B" } };
   static const char *const sub[2] = { "mapped", "resident" };
   static const char *const cat[RS_NCAT] = {
      "heap_live", "heap_dead", "loader", "stack", "other" };
   int bad = 0;
   for (int peak = 0; peak < 2; peak++)
      for (int c = 0; c < RS_NCAT; c++)
         for (int r = 0; r < 2; r++) {
            unsigned long long v[3];
            if (cells(t, peak ? "At the peak" : "At exit", cat[c], sub[r],
                      v, 3) < 0) {
               bad++;
               continue;
            }
            for (int i = 0; i < 3; i++)
               if (v[i] != raw_key(samples[i], peak, key[r][c])) {
                  printf("  %s %s %s run %d: %llu, #rs: line says %llu\n",
                         peak ? "peak" : "exit", cat[c], sub[r], i, v[i],
                         raw_key(samples[i], peak, key[r][c]));
                  bad++;
               }
         }
   check(bad == 0, "20 category rows x 3 runs equal the #rs: lines (%d wrong)",
         bad);
}

static void retained_and_estimate(const char *t)
{
   unsigned long long v[3];
   int ok = cells(t, "At exit", "retained", "", v, 3) == 0;
   check(ok && v[0] == raw_key(samples[0], 0, "heap_dead_res_B")
         && v[1] == 300 * PAGE && v[2] == 1000 * PAGE,
         "retained at exit: 1500, 300, 1000 pages");
   ok = cells(t, "At exit", "release", "estimate", v, 3) == 0;
   check(ok && v[0] == 1400 * PAGE && v[1] == 300 * PAGE && v[2] == NONE,
         "release estimate at exit: glibc's trim estimate, jemalloc's "
         "release_estimate_B, none for tcmalloc (got %llu %llu %llu)",
         v[0], v[1], v[2]);
   ok = cells(t, "At the peak", "release", "estimate", v, 3) == 0;
   check(ok && v[0] == 0 && v[1] == 20 * PAGE && v[2] == NONE,
         "release estimate at the peak: 0, 20 pages, -");
   ok = cells(t, "At the peak", "retained", "", v, 3) == 0;
   check(ok && v[0] == 10 * PAGE && v[1] == 20 * PAGE && v[2] == 1000 * PAGE,
         "retained at the peak: 10, 20, 1000 pages");
   ok = cells(t, "At exit", "total", "mapped", v, 3) == 0;
   check(ok && v[1] == raw_key(samples[1], 0, "heap_live_B")
         + raw_key(samples[1], 0, "heap_dead_B")
         + raw_key(samples[1], 0, "loader_B") + raw_key(samples[1], 0, "stack_B")
         + raw_key(samples[1], 0, "other_B"), "total mapped = sum of the "
         "categories");
   /* (300 - 1500) / 1500 = -80 %, (1000 - 1500) / 1500 = -33.3 % */
   check(strstr(t, "vs A           ") != NULL && strstr(t, "-80.0%") != NULL
         && strstr(t, "-33.3%") != NULL, "retained vs A: -80.0%%, -33.3%%");
}

/* Sites: one row per site (address stripped), "-" where a run lacks it. */
static void sites(const char *t)
{
   check(strstr(t, "   4,096,000     819,200   4,096,000  fill (cmp.c:10)\n")
         != NULL, "site fill: 1000, 200, 1000 pages in one row:\n%s", t);
   check(strstr(t, "   2,048,000           -           -  index (cmp.c:20)\n")
         != NULL, "site index only in A (500 pages)");
   check(strstr(t, "           -     409,600           -  parse (cmp.c:30)\n")
         != NULL, "site parse only in B (100 pages)");
   const char *f = strstr(t, "fill (cmp"), *i = strstr(t, "index (cmp"),
              *p = strstr(t, "parse (cmp");
   check(f && i && p && f < i && i < p, "sites by most retained first");
   /* fill: 819,200 - 4,096,000 = -3,276,800 > |index| 2,048,000 */
   check(strstr(t, "B vs A: 1 site only in B, 1 only in A; largest change "
                   "-3,276,800 bytes: fill (cmp.c:10)\n") != NULL,
         "B vs A: sites only in each, largest change");
   check(strstr(t, "A  ") != NULL && strstr(t, "(allocator jemalloc)") != NULL,
         "legend names the allocators");
}

static int growth(const char *opt, const char *base, const char *other,
                  char **err)
{
   char *out, a[4300], b[4300];
   snprintf(a, sizeof a, "%s", sample_path(base));
   snprintf(b, sizeof b, "%s", sample_path(other));
   char *args[] = { "--compare", (char *)opt, a, b, NULL };
   int rc = run_argv(&out, err, args);
   free(out);
   return rc;
}

/* jemalloc (1,228,800) as base, glibc (6,144,000) as other: +400 %. */
static void max_growth(void)
{
   char *err;
   int rc = growth("--max-growth=399.9", "cmp_jemalloc.out", "cmp_glibc.out",
                   &err);
   check(rc == 3, "--max-growth=399.9: +400 %% exits 3 (got %d)", rc);
   check(strstr(err, "cmp_glibc.out retains 6,144,000 bytes at exit, +400.0%")
         != NULL && strchr(err, '\n') == err + strlen(err) - 1,
         "--max-growth: one line naming OTHER and its growth: %s", err);
   free(err);
   rc = growth("--max-growth=400%", "cmp_jemalloc.out", "cmp_glibc.out", &err);
   check(rc == 0 && err[0] == '\0', "--max-growth=400%%: exactly +400 %% is "
         "not more (got %d)", rc);
   free(err);
   rc = growth("--max-growth=0", "cmp_glibc.out", "cmp_jemalloc.out", &err);
   check(rc == 0, "--max-growth=0: less retained passes (got %d)", rc);
   free(err);
   rc = growth("--max-growth=0", "cmp_glibc.out", "cmp_glibc.out", &err);
   check(rc == 0, "--max-growth=0: the same file passes (got %d)", rc);
   free(err);
   check(rs_compare_grew(0, 1, 1000) && !rs_compare_grew(0, 0, 0),
         "a zero base: any retained byte is growth");
}

static void bad_args(void)
{
   static const struct {
      const char *a1, *a2, *a3;
      int rc;
      const char *msg;
   } cases[] = {
      { "--max-growth=abc", "cmp_glibc.out", "cmp_jemalloc.out", 2,
        "rs_print: --compare: expected --max-growth=<percent>, got '--max-growth=abc'\n" },
      { "--max-growth=-5", "cmp_glibc.out", "cmp_jemalloc.out", 2,
        "expected --max-growth=<percent>" },
      { "--max-growth=", "cmp_glibc.out", "cmp_jemalloc.out", 2,
        "expected --max-growth=<percent>" },
      { "cmp_glibc.out", NULL, NULL, 2, "expected BASE and at least one OTHER" },
      { "--folded", "cmp_glibc.out", "cmp_jemalloc.out", 2,
        "unsupported option '--folded'" },
      { "massif.out", "cmp_glibc.out", NULL, 2, "is a plain Massif file" },
      { "cmp_glibc.out", "no-such-file.out", NULL, 1, "no-such-file.out" },
   };
   for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
      char p[3][4300];
      char *args[5] = { "--compare", NULL, NULL, NULL, NULL };
      const char *in[3] = { cases[k].a1, cases[k].a2, cases[k].a3 };
      for (int i = 0; i < 3 && in[i]; i++) {
         snprintf(p[i], sizeof p[i], "%s", in[i][0] == '-' ? in[i]
                                                          : sample_path(in[i]));
         args[i + 1] = p[i];
      }
      char *out, *err;
      int rc = run_argv(&out, &err, args);
      check(rc == cases[k].rc && strstr(err, cases[k].msg) != NULL
            && out[0] == '\0', "--compare %s %s: exit %d, '%s' (got %d: %s)",
            in[0], in[1] ? in[1] : "", cases[k].rc, cases[k].msg, rc, err);
      free(out);
      free(err);
   }
}

/* rs_compare's verdict line: least retained at exit B (300 pages), at the
 * peak A (10 pages); B's peak mapped 11,476,992 vs A's 10,698,752 = +7.3 %. */
static void verdict(void)
{
   struct rs_compare_run runs[3];
   struct rs_error e;
   const char *names[3] = { "glibc", "jemalloc", "tcmalloc" };
   char *text = NULL;
   size_t len = 0;
   for (int i = 0; i < 3; i++) {
      runs[i].f = rs_parse_path(sample_path(samples[i]), &e);
      runs[i].name = names[i];
      rs_compare_fill(&runs[i]);
   }
   FILE *m = open_memstream(&text, &len);
   rs_compare_verdict(m, runs, 3);
   fclose(m);
   check(strcmp(text, "Least retained: at exit B (jemalloc, 1,228,800 bytes), "
                "at the peak A (glibc, 40,960 bytes); B's peak mapped total "
                "is 11,476,992 bytes (+7.3% vs A's 10,698,752).\n") == 0,
         "verdict line: %s", text);
   free(text);
   for (int i = 0; i < 3; i++)
      rs_file_free((struct rs_file *)runs[i].f);
}

int main(void)
{
   char *t = table3();
   categories(t);
   retained_and_estimate(t);
   sites(t);
   free(t);
   max_growth();
   bad_args();
   verdict();
   return unit_done();
}
