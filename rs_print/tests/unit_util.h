/*
 * unit_util.h -- shared helpers of rs_print's unit tests
 * (tests/unit/rs_print_*.c).  Each test includes this header, which
 * includes every rs_print source, so that a test builds from one file with
 * only -I<top_srcdir>/rs_print (what tests/run passes).
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#ifndef RS_UNIT_UTIL_H
#define RS_UNIT_UTIL_H

#define _POSIX_C_SOURCE 200809L
#define RS_PRINT_NO_MAIN 1

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rs_parse.c"
#include "rs_fmt.c"
#include "rs_model.c"
#include "rs_report.c"
#include "rs_answer.c"
#include "rs_graph.c"
#include "rs_table.c"
#include "rs_trees.c"
#include "rs_massif.c"
#include "rs_folded.c"
#include "rs_callgrind.c"
#include "rs_compare.c"
#include "rs_html.c"
#include "rs_html_assets.c"
#include "rs_main.c"

static int unit_failures;
static int unit_checks;

/* Prints "ok WHAT" or "not ok WHAT: details" and counts failures. */
static inline void check(int cond, const char *fmt, ...)
{
   va_list ap;
   unit_checks++;
   printf(cond ? "ok " : "not ok ");
   va_start(ap, fmt);
   vprintf(fmt, ap);
   va_end(ap);
   printf("\n");
   if (!cond)
      unit_failures++;
}

static inline void check_u64(uint64_t got, uint64_t want, const char *what)
{
   check(got == want, "%s: got %llu, want %llu", what,
         (unsigned long long)got, (unsigned long long)want);
}

static inline int unit_done(void)
{
   printf("%d checks, %d failed\n", unit_checks, unit_failures);
   fflush(stdout);
   return unit_failures ? 1 : 0;
}

/* The folder of the hand-written sample files: $TOP_SRCDIR/rs_print/samples
 * (tests/run exports TOP_SRCDIR), else beside this header. */
static inline const char *samples_dir(void)
{
   static char buf[4096];
   const char *top = getenv("TOP_SRCDIR");
   char probe[4200];
   if (top != NULL) {
      snprintf(buf, sizeof buf, "%s/rs_print/samples", top);
      snprintf(probe, sizeof probe, "%s/basic.out", buf);
      if (access(probe, R_OK) == 0)
         return buf;
   }
   snprintf(buf, sizeof buf, "%s", __FILE__);
   char *slash = strrchr(buf, '/');
   if (slash != NULL)
      *slash = '\0';
   else
      strcpy(buf, ".");
   strncat(buf, "/../samples", sizeof buf - strlen(buf) - 1);
   snprintf(probe, sizeof probe, "%s/basic.out", buf);
   if (access(probe, R_OK) == 0)
      return buf;
   fprintf(stderr, "cannot find rs_print/samples (set TOP_SRCDIR)\n");
   exit(2);
}

static inline const char *sample_path(const char *name)
{
   static char buf[4300];
   snprintf(buf, sizeof buf, "%s/%s", samples_dir(), name);
   return buf;
}

/* Reads a whole file into a malloc'ed NUL-terminated buffer. */
static inline char *read_all(const char *path, size_t *len)
{
   FILE *fp = fopen(path, "rb");
   if (fp == NULL)
      return NULL;
   size_t cap = 4096, n = 0;
   char *b = malloc(cap);
   for (;;) {
      if (n + 1 >= cap)
         b = realloc(b, cap *= 2);
      size_t got = fread(b + n, 1, cap - n - 1, fp);
      if (got == 0)
         break;
      n += got;
   }
   fclose(fp);
   b[n] = '\0';
   *len = n;
   return b;
}

/* The report of `f` with options `o` as a malloc'ed string. */
static inline char *report_text(const struct rs_file *f, const struct rs_opts *o)
{
   char *text = NULL;
   size_t len = 0;
   FILE *m = open_memstream(&text, &len);
   rs_report(m, f, o);
   fclose(m);
   return text;
}

/* Runs rs_print_main with up to 8 arguments; output and error texts are
 * returned malloc'ed (free them). */
static inline int run_main(char **out, char **err, const char *a1, const char *a2,
                    const char *a3)
{
   char *argv[5] = { (char *)"rs_print", NULL, NULL, NULL, NULL };
   int argc = 1;
   if (a1)
      argv[argc++] = (char *)a1;
   if (a2)
      argv[argc++] = (char *)a2;
   if (a3)
      argv[argc++] = (char *)a3;
   size_t ol = 0, el = 0;
   *out = NULL;
   *err = NULL;
   FILE *o = open_memstream(out, &ol);
   FILE *e = open_memstream(err, &el);
   int rc = rs_print_main(argc, argv, o, e);
   fclose(o);
   fclose(e);
   return rc;
}

/* The ten figures of a `#rs:` totals line, in the line's order. */
#define RS_NFIG 10
static inline const char *rs_fig_name(int i)
{
   static const char *const name[RS_NFIG] = {
      "heap_live_B", "heap_live_res_B", "heap_dead_B", "heap_dead_res_B",
      "loader_B", "loader_res_B", "stack_B", "stack_res_B", "other_B",
      "other_res_B"
   };
   return name[i];
}

/* The figures of the `#rs:` totals line of snapshot `snap` (-1: the one
 * with exit=1), read without rs_print's parser. */
static inline int file_figures(const char *text, long snap, unsigned long long v[RS_NFIG])
{
   char want[64];
   const char *p = text;
   if (snap >= 0) {
      snprintf(want, sizeof want, "\nsnapshot=%ld\n", snap);
      p = strstr(text, want);
   }
   for (; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
      const char *nl = strchr(p, '\n');
      if (strncmp(p, "#rs: useful_B=", 14) != 0)
         continue;
      const char *ex = strstr(p, " exit=1");
      if (snap < 0 && (ex == NULL || (nl && ex > nl)))
         continue;
      for (int e = 0; e < RS_NFIG; e++) {
         snprintf(want, sizeof want, " %s=", rs_fig_name(e));
         const char *k = strstr(p, want);
         if (k == NULL || (nl && k > nl)
             || sscanf(k + strlen(want), "%llu", &v[e]) != 1)
            return 0;
      }
      return 1;
   }
   return 0;
}

/* system(cmd)'s exit status, -1 if it did not exit. */
static inline int unit_sh(const char *cmd)
{
   int rc = system(cmd);
   return rc != -1 && WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Writes `src` to NAME.c, compiles it ($CC, -g -O0) and runs it under the
 * staged tool (VALGRIND_LIB) writing `outfile`: 0 when the tool exited 0,
 * 77 (with a line on stdout) when valgrind, the staged tool or a compiler
 * is missing, else the tool's exit status. */
static inline int tool_run_client(const char *src, const char *name,
                                  const char *outfile)
{
   const char *lib = getenv("VALGRIND_LIB"), *cc = getenv("CC");
   char path[4300], cmd[1200];
   snprintf(path, sizeof path, "%s/rssmassif-amd64-linux", lib ? lib : ".");
   if (lib == NULL || access(path, X_OK) != 0
       || unit_sh("valgrind --version >/dev/null 2>&1") != 0) {
      printf("real run skipped: no valgrind or staged tool\n");
      return 77;
   }
   snprintf(path, sizeof path, "%s.c", name);
   FILE *fp = fopen(path, "w");
   if (fp == NULL || fputs(src, fp) < 0 || fclose(fp) != 0)
      return 1;
   snprintf(cmd, sizeof cmd, "%s -g -O0 -o %s %s.c 2>cc.log",
            cc && *cc ? cc : "cc", name, name);
   if (unit_sh(cmd) != 0) {
      printf("real run skipped: cannot compile the client\n");
      return 77;
   }
   snprintf(cmd, sizeof cmd, "valgrind --tool=rssmassif "
            "--rssmassif-out-file=%s ./%s >%s.stdout 2>%s.valgrind.log",
            outfile, name, name, name);
   int rc = unit_sh(cmd);
   check(rc == 0, "valgrind --tool=rssmassif ran %s (exit %d)", name, rc);
   return rc;
}

#define NONE (~0ULL)   /* a "-" cell, or a key that is absent */

/* file_figures' value of `key` (one of the ten figures) at exit, or at the
 * peak (the snapshot whose block says heap_tree=peak); NONE if absent. */
static inline unsigned long long raw_totals_key(const char *path, int peak,
                                                const char *key)
{
   size_t len;
   char *text = read_all(path, &len);
   unsigned long long v[RS_NFIG], r = NONE;
   long snap = -1;
   if (text == NULL)
      return NONE;
   if (peak) {
      const char *pk = strstr(text, "\nheap_tree=peak\n"), *s = NULL, *q;
      for (q = strstr(text, "\nsnapshot="); q && pk && q < pk;
           q = strstr(q + 1, "\nsnapshot="))
         s = q;
      snap = s ? atol(s + 10) : -2;
   }
   if (snap != -2 && file_figures(text, snap, v))
      for (int e = 0; e < RS_NFIG; e++)
         if (strcmp(rs_fig_name(e), key) == 0)
            r = v[e];
   free(text);
   return r;
}

/* The cells of row NAME SUB ("heap_dead", "resident") of an rs_print
 * --compare table, in the section that starts with the line `section`:
 * n numbers, NONE for "-".  0 if found. */
static inline int cells(const char *table, const char *section, const char *name,
                 const char *sub, unsigned long long *v, int n)
{
   const char *p = strstr(table, section);
   char cur[32] = "";
   if (p == NULL)
      return -1;
   p = strchr(p, '\n') + 1;
   while (*p && *p != '\n') {
      const char *nl = strchr(p, '\n');
      char nm[32] = "", sb[32] = "";
      sscanf(p + 2, "%31s", nm);
      if (p[2] != ' ')
         strcpy(cur, nm);
      char col[14] = "";
      if (nl - p > 13)
         memcpy(col, p + 13, nl - p >= 26 ? 13 : (size_t)(nl - p - 13));
      sscanf(col, "%31s", sb);
      if (strcmp(cur, name) == 0 && strcmp(sb, sub) == 0) {
         const char *q = p + 26;
         for (int i = 0; i < n; i++) {
            char tok[40], digits[40];
            int used, d = 0;
            if (sscanf(q, "%39s%n", tok, &used) != 1)
               return -1;
            q += used;
            for (char *t = tok; *t; t++)
               if (*t != ',')
                  digits[d++] = *t;
            digits[d] = '\0';
            v[i] = strcmp(tok, "-") == 0 ? NONE : strtoull(digits, NULL, 10);
         }
         return 0;
      }
      p = nl + 1;
   }
   return -1;
}

/* Sum of the counts of folded-stack text (the last word of each line);
 * *lines (if not NULL) gets the number of lines; -1 if a line is not
 * `frames count`. */
static long long folded_sum(const char *text, int *lines)
{
   long long sum = 0;
   int n = 0;
   for (const char *p = text; p && *p; ) {
      const char *nl = strchr(p, '\n'), *sp;
      if (nl == NULL)
         return -1;
      for (sp = nl; sp > p && sp[-1] != ' '; sp--)
         ;
      if (sp == p || sp == nl)
         return -1;
      sum += strtoll(sp, NULL, 10);
      n++;
      p = nl + 1;
   }
   if (lines != NULL)
      *lines = n;
   return sum;
}

#endif /* RS_UNIT_UTIL_H */
