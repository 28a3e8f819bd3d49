/*
 * rs_table.c -- the snapshot table: every category's mapped and resident
 * bytes per snapshot (for plain Massif files, ms_print's columns).
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include "rs_report.h"

#include <string.h>

#include "rs_fmt.h"

#define MAXCOL 12

struct table {
   int ncol;
   const char *head[MAXCOL];
   unsigned width[MAXCOL];
};

static void add_col(struct table *t, const char *head)
{
   t->head[t->ncol] = head;
   t->width[t->ncol] = (unsigned)strlen(head);
   t->ncol++;
}

/* Widens column c for the value v. */
static void fit(struct table *t, int c, uint64_t v)
{
   char b[RS_NUMBUF];
   unsigned w = (unsigned)strlen(rs_commify(v, b));
   if (w > t->width[c])
      t->width[c] = w;
}

static void cell_str(FILE *out, const struct table *t, int c, const char *s)
{
   fprintf(out, "%s%*s", c ? "  " : "", (int)t->width[c], s);
}

static void cell(FILE *out, const struct table *t, int c, uint64_t v)
{
   char b[RS_NUMBUF];
   cell_str(out, t, c, rs_commify(v, b));
}

static unsigned line_width(const struct table *t)
{
   unsigned w = 0;
   for (int c = 0; c < t->ncol; c++)
      w += t->width[c] + (c ? 2 : 0);
   return w;
}

static void header(FILE *out, const struct table *t)
{
   unsigned w = line_width(t);
   rs_repeat(out, '-', w < 80 ? 80 : w);
   fputc('\n', out);
   for (int c = 0; c < t->ncol; c++)
      cell_str(out, t, c, t->head[c]);
   fprintf(out, "\n");
   rs_repeat(out, '-', w < 80 ? 80 : w);
   fputc('\n', out);
}

/* Notes after a row: peak, exit, label, detailed. */
static void notes(FILE *out, const struct rs_file *f, size_t i)
{
   const struct rs_snapshot *s = &f->snaps[i];
   if ((long)i == f->peak)
      fprintf(out, "  peak");
   else if (s->node_count)
      fprintf(out, "  detailed");
   if (s->is_exit)
      fprintf(out, "  exit");
   if (s->label)
      fprintf(out, "  label=%s", s->label);
}

static int selected(const struct rs_opts *o, size_t i)
{
   return o->snapshot < 0 || (size_t)o->snapshot == i;
}

static void table_massif(FILE *out, const struct rs_file *f,
                         const struct rs_opts *o, const char *tcol)
{
   struct table t = { 0 };
   add_col(&t, "n");
   add_col(&t, tcol);
   add_col(&t, "total(B)");
   add_col(&t, "useful-heap(B)");
   add_col(&t, "extra-heap(B)");
   add_col(&t, "stacks(B)");
   for (size_t i = 0; i < f->nsnaps; i++) {
      const struct rs_snapshot *s = &f->snaps[i];
      fit(&t, 0, i);
      fit(&t, 1, s->time);
      fit(&t, 2, rs_snap_total(s));
   }
   header(out, &t);
   for (size_t i = 0; i < f->nsnaps; i++) {
      const struct rs_snapshot *s = &f->snaps[i];
      if (!selected(o, i))
         continue;
      cell(out, &t, 0, i);
      cell(out, &t, 1, s->time);
      cell(out, &t, 2, rs_snap_total(s));
      cell(out, &t, 3, s->mem_heap_B);
      cell(out, &t, 4, s->mem_heap_extra_B);
      cell(out, &t, 5, s->mem_stacks_B);
      notes(out, f, i);
      fputc('\n', out);
   }
}

static void table_category(FILE *out, const struct rs_file *f,
                           const struct rs_opts *o, const char *tcol)
{
   static char mapped[40], res[40];
   int c = o->category;
   snprintf(mapped, sizeof mapped, "%s(B)", rs_cat_name[c]);
   snprintf(res, sizeof res, "%s_res(B)", rs_cat_name[c]);
   struct table t = { 0 };
   add_col(&t, "n");
   add_col(&t, tcol);
   add_col(&t, mapped);
   add_col(&t, res);
   if (c == RS_CAT_HEAP_LIVE) {
      add_col(&t, "useful(B)");
      add_col(&t, "blocks");
   }
   for (size_t i = 0; i < f->nsnaps; i++) {
      const struct rs_snapshot *s = &f->snaps[i];
      fit(&t, 0, i);
      fit(&t, 1, s->time);
      fit(&t, 2, s->cat_B[c]);
      fit(&t, 3, s->cat_B[c]);
      if (c == RS_CAT_HEAP_LIVE) {
         fit(&t, 4, s->useful_B);
         fit(&t, 5, s->blocks);
      }
   }
   header(out, &t);
   for (size_t i = 0; i < f->nsnaps; i++) {
      const struct rs_snapshot *s = &f->snaps[i];
      if (!selected(o, i))
         continue;
      cell(out, &t, 0, i);
      cell(out, &t, 1, s->time);
      cell(out, &t, 2, s->cat_B[c]);
      cell(out, &t, 3, RS_MUTANT_IS(34) ? s->cat_B[c] : s->cat_res_B[c]);
      if (c == RS_CAT_HEAP_LIVE) {
         cell(out, &t, 4, s->useful_B);
         cell(out, &t, 5, s->blocks);
      }
      notes(out, f, i);
      fputc('\n', out);
   }
}

/* Two lines per snapshot: mapped bytes, then resident bytes. */
static void table_rs(FILE *out, const struct rs_file *f,
                     const struct rs_opts *o, const char *tcol)
{
   struct table t = { 0 };
   add_col(&t, "n");
   add_col(&t, tcol);
   add_col(&t, "");
   add_col(&t, "total(B)");
   for (int c = 0; c < RS_NCAT; c++)
      add_col(&t, rs_cat_name[c]);
   add_col(&t, "useful(B)");
   add_col(&t, "blocks");
   t.width[2] = 8;  /* "resident" */
   for (size_t i = 0; i < f->nsnaps; i++) {
      const struct rs_snapshot *s = &f->snaps[i];
      fit(&t, 0, i);
      fit(&t, 1, s->time);
      fit(&t, 3, rs_snap_total(s));
      for (int c = 0; c < RS_NCAT; c++)
         fit(&t, 4 + c, s->cat_B[c]);
      fit(&t, 9, s->useful_B);
      fit(&t, 10, s->blocks);
   }
   header(out, &t);
   for (size_t i = 0; i < f->nsnaps; i++) {
      const struct rs_snapshot *s = &f->snaps[i];
      if (!selected(o, i))
         continue;
      cell(out, &t, 0, i);
      cell(out, &t, 1, s->time);
      cell_str(out, &t, 2, "mapped");
      cell(out, &t, 3, rs_snap_total(s));
      for (int c = 0; c < RS_NCAT; c++)
         cell(out, &t, 4 + c, s->cat_B[c]);
      cell(out, &t, 9, s->useful_B);
      cell(out, &t, 10, s->blocks);
      notes(out, f, i);
      fputc('\n', out);
      cell_str(out, &t, 0, "");
      cell_str(out, &t, 1, "");
      cell_str(out, &t, 2, "resident");
      cell(out, &t, 3, rs_snap_total_res(s));
      for (int c = 0; c < RS_NCAT; c++)
         cell(out, &t, 4 + c, s->cat_res_B[c]);
      fputc('\n', out);
   }
}

void rs_report_table(FILE *out, const struct rs_file *f,
                     const struct rs_opts *o)
{
   char tcol[32];
   snprintf(tcol, sizeof tcol, "time(%s)", f->time_unit);
   fprintf(out, "\n");
   if (!f->is_rs)
      table_massif(out, f, o, tcol);
   else if (o->category >= 0)
      table_category(out, f, o, tcol);
   else
      table_rs(out, f, o, tcol);
}
