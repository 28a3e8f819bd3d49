/*
 * rs_main.c -- rs_print's command line.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 *
 *   rs_print [options] FILE        the report
 *   rs_print --massif FILE         a strict Massif file on stdout
 *   rs_print --folded FILE         folded stacks (flame graphs) on stdout
 *   rs_print --callgrind FILE      a callgrind profile on stdout
 *   rs_print --html FILE           a self-contained HTML report on stdout
 *
 * Exit status: 0 success; 1 the file could not be read or is not a valid
 * rssmassif.out / Massif file (one line on stderr: "rs_print: FILE:LINE:
 * expected ..., got ..."), or the output could not be written; 2 bad
 * command line.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_callgrind.h"
#include "rs_compare.h"
#include "rs_folded.h"
#include "rs_html.h"
#include "rs_main.h"
#include "rs_massif.h"
#include "rs_parse.h"
#include "rs_report.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

static const char usage_text[] =
   "usage: rs_print [options] FILE\n"
   "       rs_print --massif FILE > strict-massif.out\n"
   "       rs_print --folded [--snapshot=N] [--category=C] FILE > stacks.folded\n"
   "       rs_print --callgrind [--snapshot=N] FILE > callgrind.out\n"
   "       rs_print --compare [--max-growth=PCT] BASE OTHER...\n"
   "       rs_print --html FILE > report.html\n"
   "  Prints the report of an rssmassif.out file (valgrind --tool=rssmassif)\n"
   "  or of a Massif file (valgrind --tool=massif).  FILE '-' is stdin.\n"
   "  options, with defaults in [ ]:\n"
   "    -h --help             show this message\n"
   "    --version             show version\n"
   "    --threshold=<m.n>     significance threshold for trees, in percent "
   "[1.0]\n"
   "    --x=<4..1000>         graph width, in columns [72]\n"
   "    --y=<4..1000>         graph height, in rows [20]\n"
   "    --snapshot=<N>        only snapshot N (answer, table row, tree)\n"
   "    --category=<name>     only one category in graph, table and trees:\n"
   "                          heap_live, heap_dead, loader, stack, other\n"
   "    --massif              write FILE as a strict Massif file (no '#rs:'\n"
   "                          lines) for massif-visualizer, instead of the "
   "report\n"
   "    --folded              write one snapshot's stacks as folded stacks\n"
   "                          ('frame;frame count', root first) for\n"
   "                          flamegraph.pl, inferno, speedscope: by resident\n"
   "                          bytes, of the exit snapshot and heap_dead (the\n"
   "                          retained bytes) unless --snapshot/--category\n"
   "    --callgrind           write one snapshot (the exit snapshot unless\n"
   "                          --snapshot) as a callgrind file for\n"
   "                          callgrind_annotate and KCachegrind: events\n"
   "                          CAT_B and CAT_res_B per category\n"
   "    --html                write a self-contained HTML page (nothing\n"
   "                          fetched): chart over time, every snapshot's\n"
   "                          answer, trees as icicle graphs by resident bytes\n"
   "    --compare             runs side by side: categories at exit and at the\n"
   "                          peak, retained bytes, release estimate, retained\n"
   "                          sites; BASE first\n"
   "    --max-growth=<PCT>    with --compare: exit 3 if an OTHER retains more\n"
   "                          than PCT % over BASE at exit\n"
   "  Exit status: 0 ok, 1 unreadable or invalid FILE, 2 bad command line,\n"
   "  3 --max-growth exceeded.\n";

static int usage_error(FILE *err, const char *fmt, const char *arg)
{
   fprintf(err, "rs_print: ");
   fprintf(err, fmt, arg);
   fprintf(err, "\nTry 'rs_print --help'.\n");
   return 2;
}

/* Parses an unsigned decimal; 0 on success. */
static int parse_ulong(const char *s, unsigned long *out)
{
   if (*s < '0' || *s > '9')
      return -1;
   errno = 0;
   char *end;
   unsigned long v = strtoul(s, &end, 10);
   if (errno != 0 || *end != '\0')
      return -1;
   *out = v;
   return 0;
}

/* ms_print's --threshold: digits and dots, an optional '%', 0..100. */
static int parse_threshold(const char *s, double *out)
{
   size_t n = strlen(s);
   char buf[64];
   if (n == 0 || n >= sizeof buf)
      return -1;
   memcpy(buf, s, n + 1);
   if (buf[n - 1] == '%')
      buf[--n] = '\0';
   if (n == 0 || strspn(buf, "0123456789.") != n)
      return -1;
   char *end;
   double v = strtod(buf, &end);
   if (*end != '\0' || !(v >= 0 && v <= 100))
      return -1;
   *out = v;
   return 0;
}

/* --folded: exit status. */
static int write_folded(FILE *out, FILE *err, const struct rs_file *f,
                        const struct rs_opts *o)
{
   size_t snap = o->snapshot >= 0 ? (size_t)o->snapshot
                                  : rs_folded_default_snapshot(f);
   int cat = o->category >= 0 ? o->category : RS_CAT_HEAP_DEAD;
   int r;
   if (!f->is_rs) {
      fprintf(err, "rs_print: --folded: %s is a plain Massif file (no "
              "categories)\n", f->name);
      return 2;
   }
   r = rs_folded_write(out, f, snap, cat);
   if (r < 0) {
      fprintf(err, "rs_print: --folded: snapshot %zu of %s has no tree\n",
              snap, f->name);
      return 2;
   }
   if (r == 1)
      fprintf(err, "rs_print: --folded: %s has no #rs.tree_res: lines; the "
              "counts are mapped bytes\n", f->name);
   return 0;
}

/* --callgrind: exit status. */
static int write_callgrind(FILE *out, FILE *err, const struct rs_file *f,
                           const struct rs_opts *o)
{
   size_t snap = o->snapshot >= 0 ? (size_t)o->snapshot
                                  : rs_folded_default_snapshot(f);
   int r;
   if (!f->is_rs || o->category >= 0) {
      fprintf(err, "rs_print: --callgrind: %s\n", f->is_rs
              ? "writes every category; --category does not apply"
              : "plain Massif file (no categories)");
      return 2;
   }
   r = rs_callgrind_write(out, f, snap);
   if (r < 0) {
      fprintf(err, "rs_print: --callgrind: snapshot %zu of %s has no tree\n",
              snap, f->name);
      return 2;
   }
   if (r > 0)
      fprintf(err, "rs_print: --callgrind: %s has no #rs.tree_res: line for "
              "%d categor%s; their resident bytes are on the category's "
              "function\n", f->name, r, r == 1 ? "y" : "ies");
   return 0;
}

int rs_print_main(int argc, char **argv, FILE *out, FILE *err)
{
   struct rs_opts o;
   int massif = 0, folded = 0, callgrind = 0, html = 0;
   const char *file = NULL;
   int no_more_opts = 0;
   rs_opts_default(&o);
   for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
      if (strcmp(argv[i], "--compare") == 0)
         return rs_compare_main(argc, argv, out, err);

   size_t alen = 1;
   for (int i = 1; i < argc; i++)
      alen += strlen(argv[i]) + 1;
   char *args = malloc(alen);
   if (args == NULL) {
      fprintf(err, "rs_print: out of memory\n");
      return 1;
   }
   args[0] = '\0';
   for (int i = 1; i < argc; i++) {
      if (i > 1)
         strcat(args, " ");
      strcat(args, argv[i]);
   }
   o.args = args;

   int rc = 0;
   for (int i = 1; i < argc && rc == 0; i++) {
      const char *a = argv[i];
      unsigned long v;
      if (no_more_opts || a[0] != '-' || strcmp(a, "-") == 0) {
         if (file != NULL)
            rc = usage_error(err, "one FILE only, got '%s' too", a);
         file = a;
      } else if (strcmp(a, "--") == 0) {
         no_more_opts = 1;
      } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
         fputs(usage_text, out);
         free(args);
         return 0;
      } else if (strcmp(a, "--version") == 0) {
         fprintf(out, "rs_print-%s\n", PACKAGE_VERSION);
         free(args);
         return 0;
      } else if (strncmp(a, "--threshold=", 12) == 0) {
         if (parse_threshold(a + 12, &o.threshold) < 0)
            rc = usage_error(err, "expected --threshold=<0..100>, got '%s'",
                             a);
      } else if (strncmp(a, "--x=", 4) == 0) {
         if (parse_ulong(a + 4, &v) < 0 || v < 4 || v > 1000)
            rc = usage_error(err, "expected --x=<4..1000>, got '%s'", a);
         else
            o.x = (unsigned)v;
      } else if (strncmp(a, "--y=", 4) == 0) {
         if (parse_ulong(a + 4, &v) < 0 || v < 4 || v > 1000)
            rc = usage_error(err, "expected --y=<4..1000>, got '%s'", a);
         else
            o.y = (unsigned)v;
      } else if (strncmp(a, "--snapshot=", 11) == 0) {
         if (parse_ulong(a + 11, &v) < 0 || v > 0x7fffffffUL)
            rc = usage_error(err, "expected --snapshot=<N>, got '%s'", a);
         else
            o.snapshot = (long)v;
      } else if (strncmp(a, "--category=", 11) == 0) {
         o.category = rs_cat_from_name(a + 11);
         if (o.category < 0)
            rc = usage_error(err, "expected --category=heap_live, heap_dead, "
                             "loader, stack or other, got '%s'", a);
      } else if (strcmp(a, "--massif") == 0) {
         massif = 1;
      } else if (strcmp(a, "--folded") == 0) {
         folded = 1;
      } else if (strcmp(a, "--callgrind") == 0) {
         callgrind = 1;
      } else if (strcmp(a, "--html") == 0) {
         html = 1;
      } else {
         rc = usage_error(err, "unknown option '%s'", a);
      }
   }
   if (rc == 0 && file == NULL)
      rc = usage_error(err, "%s", "expected a FILE to read");
   if (rc != 0) {
      free(args);
      return rc;
   }

   struct rs_error e;
   struct rs_file *f = rs_parse_path(file, &e);
   if (f == NULL) {
      fprintf(err, "rs_print: %s\n", e.msg);
      free(args);
      return 1;
   }
   if (o.snapshot >= 0 && (size_t)o.snapshot >= f->nsnaps) {
      fprintf(err, "rs_print: --snapshot=%ld: %s has snapshots 0 to %zu\n",
              o.snapshot, f->name, f->nsnaps - 1);
      rc = 2;
   } else if (html && o.category >= 0) {
      fprintf(err, "rs_print: --html: the page shows every category; "
              "--category does not apply\n");
      rc = 2;
   } else if (html) {
      if (rs_html_write(out, f, &o) < 0) {
         fprintf(err, "rs_print: --html: out of memory\n");
         rc = 1;
      }
   } else if (callgrind) {
      rc = write_callgrind(out, err, f, &o);
   } else if (o.category >= 0 && !f->is_rs) {
      fprintf(err, "rs_print: --category: %s is a plain Massif file (no "
              "categories)\n", f->name);
      rc = 2;
   } else if (folded) {
      rc = write_folded(out, err, f, &o);
   } else if (massif) {
      if (rs_massif_export(out, f) < 0)
         rc = 1;
   } else {
      rs_report(out, f, &o);
   }
   if (rc != 2 && (fflush(out) != 0 || ferror(out))) {
      fprintf(err, "rs_print: cannot write the output: %s\n",
              strerror(errno));
      rc = 1;
   }
   rs_file_free(f);
   free(args);
   return rc;
}

#ifndef RS_PRINT_NO_MAIN
int main(int argc, char **argv)
{
   return rs_print_main(argc, argv, stdout, stderr);
}
#endif
