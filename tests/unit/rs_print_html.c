/*
 * rs_print_html.c -- `rs_print --html` without a browser: the page is one
 * self-contained file (nothing fetched), its style and script are
 * html/report.css and html/report.js, each snapshot's answer is rs_print's
 * text, and a file of 1,000 snapshots with trees of about 10,000 nodes
 * gives a page under 10 MB.  The page in a real browser is checked by
 * rs_print_browser.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include "tests/unit_util.h"
#include "tests/gen_big.h"

#include <time.h>

static char *page_of(const char *file, int *rc)
{
   char *out, *err;
   *rc = run_main(&out, &err, "--html", file, NULL);
   check(*rc == 0 && *err == '\0', "--html %s exits 0 (%d %s)", file, *rc, err);
   free(err);
   return out;
}

/* Nothing in the page loads anything: no src/href, <link>, @import, url(),
 * fetch or XMLHttpRequest, and no http(s) address at all. */
static void self_contained(const char *name, const char *page)
{
   static const char *const bad[] = { " src=", " href=", "<link", "@import",
      "url(", "fetch(", "XMLHttpRequest", "http://", "https://", "<iframe" };
   for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
      check(strstr(page, bad[i]) == NULL, "%s: the page has no '%s'", name,
            bad[i]);
}

/* The page carries html/report.css and html/report.js verbatim. */
static void assets(const char *page)
{
   char path[4400];
   size_t len;
   const char *top = getenv("TOP_SRCDIR");
   const char *names[2] = { "report.css", "report.js" };
   for (int i = 0; i < 2; i++) {
      if (top)
         snprintf(path, sizeof path, "%s/rs_print/html/%s", top, names[i]);
      else
         snprintf(path, sizeof path, "%s/../html/%s", samples_dir(), names[i]);
      char *src = read_all(path, &len);
      check(src != NULL && strstr(page, src) != NULL,
            "the page holds html/%s verbatim (run html/embed.sh after "
            "editing it)", names[i]);
      free(src);
   }
}

/* Every line of `rs_print --snapshot=N FILE`'s answer section (from "Does
 * free()" to the graph's rule) is in the page, JSON-escaped as a string
 * ('\n' between lines; lines with characters JSON or the page escape are
 * skipped). */
static void answers_as_text(const char *file, const char *page, int snap)
{
   char opt[32], *out, *err;
   int lines = 0, found = 0;
   snprintf(opt, sizeof opt, "--snapshot=%d", snap);
   run_main(&out, &err, opt, file, NULL);
   char *a = strstr(out, "Does free() give the memory back?\n");
   char *end = a ? strstr(a, "\n\n-----") : NULL;
   if (end)
      *end = '\0';
   for (char *l = a ? strtok(a, "\n") : NULL; l; l = strtok(NULL, "\n")) {
      if (strpbrk(l, "\"\\<>&") || strncmp(l, "-----", 5) == 0)
         continue;
      lines++;
      char want[600];
      snprintf(want, sizeof want, "\\n%s\\n", l);
      found += strstr(page, want) != NULL;
   }
   check(lines > 5 && found == lines, "%s: the page holds the %d lines of "
         "rs_print --snapshot=%d's answer (found %d)", file, lines, snap, found);
   free(out);
   free(err);
}

/* --snapshot=N: the page opens snapshot N; --category: refused. */
static void options(void)
{
   char *out, *err;
   int rc = run_main(&out, &err, "--html", "--snapshot=1",
                     sample_path("retained.out"));
   check(rc == 0 && strstr(out, ",\"sel\":1,") != NULL,
         "--html --snapshot=1: the page opens snapshot 1");
   free(out);
   free(err);
   rc = run_main(&out, &err, "--html", "--category=stack",
                 sample_path("retained.out"));
   check(rc == 2 && *out == '\0' && strchr(err, '\n') == strrchr(err, '\n'),
         "--html --category: one-line error, exit 2 (%d %s)", rc, err);
   free(out);
   free(err);
}

static void samples(void)
{
   static const char *const names[] = { "retained.out", "basic.out",
      "noexit.out", "deep.out", "blocker.out", "arenas.out", "massif.out" };
   int rc;
   for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
      char *page = page_of(sample_path(names[i]), &rc);
      self_contained(names[i], page);
      if (i == 0) {
         assets(page);
         answers_as_text(sample_path(names[i]), page, 2);
         answers_as_text(sample_path(names[i]), page, 1);
         /* 300 retained pages at exit (see rs_print_folded.c) */
         check(strstr(page, "[heap_dead_res_B=1228800]") != NULL,
               "retained.out: the exit answer states 300 pages retained");
      }
      if (i == 4)
         answers_as_text(sample_path(names[i]), page, 0);
      check(strstr(page, "</html>\n") != NULL, "%s: complete page", names[i]);
      free(page);
   }
}

/* 1,000 snapshots, every 10th detailed, trees of about 10,000 nodes. */
static void scale(void)
{
   struct timespec t0, t1;
   check(gen_big("big.out", 1000, 10) == 0, "generated big.out");
   clock_gettime(CLOCK_MONOTONIC, &t0);
   char *out, *err;
   int rc = run_main(&out, &err, "--html", "big.out", NULL);
   clock_gettime(CLOCK_MONOTONIC, &t1);
   size_t len = out ? strlen(out) : 0;
   double s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
   printf("scale: rs_print --html big.out: %zu bytes in %.2f s\n", len, s);
   check(rc == 0, "big.out: --html exits 0");
   check(len > 0 && len < 10 * 1000 * 1000, "big.out: page %zu bytes < 10 MB",
         len);
   FILE *fp = fopen("big.html", "w");
   if (fp) {
      fputs(out, fp);
      fclose(fp);
   }
   free(out);
   free(err);
}

int main(void)
{
   samples();
   options();
   scale();
   return unit_done();
}
