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
#include <unistd.h>

#include "rs_parse.c"
#include "rs_fmt.c"
#include "rs_report.c"
#include "rs_answer.c"
#include "rs_graph.c"
#include "rs_table.c"
#include "rs_trees.c"
#include "rs_massif.c"
#include "rs_folded.c"
#include "rs_callgrind.c"
#include "rs_compare.c"
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

#endif /* RS_UNIT_UTIL_H */
