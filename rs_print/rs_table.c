/*
 * rs_table.c -- the snapshot table: every category's mapped and resident
 * bytes per snapshot (for plain Massif files, ms_print's columns).
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include "rs_report.h"

#include <stdarg.h>
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

/* add_col for each header up to a NULL. */
static void add_cols(struct table *t, ...)
{
   va_list ap;
   const char *head;
   va_start(ap, t);
   while ((head = va_arg(ap, const char *)) != NULL)
      add_col(t, head);
   va_end(ap);
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

/* A value of a row: widens column c for it (out == NULL: the measuring
 * pass) or prints it. */
static void table_put(FILE *out, struct table *t, int c, uint64_t v)
{
   if (out == NULL)
      fit(t, c, v);
   else
      cell(out, t, c, v);
}

/* The useful bytes and the blocks of a snapshot, in columns c and c + 1. */
static void put_blocks(FILE *out, struct table *t, int c,
                       const struct rs_snapshot *s)
{
   table_put(out, t, c, s->useful_B);
   table_put(out, t, c + 1, s->blocks);
}

/* The end of a snapshot's (first) line: its notes and the newline. */
static void row_end(FILE *out, const struct rs_file *f, size_t i)
{
   notes(out, f, i);
   fputc('\n', out);
}

/* Writes snapshot i's row(s) of a table to out, notes and newline
 * included, or (out == NULL) widens the columns for them. */
typedef void table_row_fn(FILE *out, struct table *t, const struct rs_file *f,
                          size_t i, int cat);

/* The table: a measuring pass over every snapshot, the header, then the
 * selected snapshots' rows. */
static void table_rows(FILE *out, const struct rs_file *f,
                       const struct rs_opts *o, struct table *t,
                       table_row_fn *row, int cat)
{
   for (size_t i = 0; i < f->nsnaps; i++)
      row(NULL, t, f, i, cat);
   header(out, t);
   for (size_t i = 0; i < f->nsnaps; i++)
      if (selected(o, i))
         row(out, t, f, i, cat);
}

/* ms_print's columns (the heap columns keep their headers' widths). */
static void massif_row(FILE *out, struct table *t, const struct rs_file *f,
                       size_t i, int cat)
{
   const struct rs_snapshot *s = &f->snaps[i];
   const uint64_t heap[3] = { s->mem_heap_B, s->mem_heap_extra_B,
                              s->mem_stacks_B };
   (void)cat;
   table_put(out, t, 0, i);
   table_put(out, t, 1, s->time);
   table_put(out, t, 2, rs_snap_total(s));
   if (out == NULL)
      return;
   for (int c = 0; c < 3; c++)
      cell(out, t, 3 + c, heap[c]);
   row_end(out, f, i);
}

static void table_massif(FILE *out, const struct rs_file *f,
                         const struct rs_opts *o, const char *tcol)
{
   struct table t = { 0 };
   add_cols(&t, "n", tcol, "total(B)", "useful-heap(B)", "extra-heap(B)",
            "stacks(B)", (const char *)NULL);
   table_rows(out, f, o, &t, massif_row, -1);
}

/* A row of the one-category table (measured with the mapped figure in the
 * resident column: it is never smaller). */
static void category_row(FILE *out, struct table *t, const struct rs_file *f,
                         size_t i, int c)
{
   const struct rs_snapshot *s = &f->snaps[i];
   table_put(out, t, 0, i);
   table_put(out, t, 1, s->time);
   table_put(out, t, 2, s->cat_B[c]);
   table_put(out, t, 3, out == NULL || RS_MUTANT_IS(34) ? s->cat_B[c]
                                                       : s->cat_res_B[c]);
   if (c == RS_CAT_HEAP_LIVE)
      put_blocks(out, t, 4, s);
   if (out != NULL)
      row_end(out, f, i);
}

static void table_category(FILE *out, const struct rs_file *f,
                           const struct rs_opts *o, const char *tcol)
{
   static char mapped[40], res[40];
   int c = o->category;
   snprintf(mapped, sizeof mapped, "%s(B)", rs_cat_name[c]);
   snprintf(res, sizeof res, "%s_res(B)", rs_cat_name[c]);
   struct table t = { 0 };
   add_cols(&t, "n", tcol, mapped, res, (const char *)NULL);
   if (c == RS_CAT_HEAP_LIVE)
      add_cols(&t, "useful(B)", "blocks", (const char *)NULL);
   table_rows(out, f, o, &t, category_row, c);
}

/* Two lines per snapshot: mapped bytes, then resident bytes (measured by
 * the mapped line: resident is never more). */
static void rs_row(FILE *out, struct table *t, const struct rs_file *f,
                   size_t i, int cat)
{
   const struct rs_snapshot *s = &f->snaps[i];
   (void)cat;
   table_put(out, t, 0, i);
   table_put(out, t, 1, s->time);
   if (out != NULL)
      cell_str(out, t, 2, "mapped");
   table_put(out, t, 3, rs_snap_total(s));
   for (int c = 0; c < RS_NCAT; c++)
      table_put(out, t, 4 + c, s->cat_B[c]);
   put_blocks(out, t, 9, s);
   if (out == NULL)
      return;
   row_end(out, f, i);
   cell_str(out, t, 0, "");
   cell_str(out, t, 1, "");
   cell_str(out, t, 2, "resident");
   cell(out, t, 3, rs_snap_total_res(s));
   for (int c = 0; c < RS_NCAT; c++)
      cell(out, t, 4 + c, s->cat_res_B[c]);
   fputc('\n', out);
}

static void table_rs(FILE *out, const struct rs_file *f,
                     const struct rs_opts *o, const char *tcol)
{
   struct table t = { 0 };
   add_cols(&t, "n", tcol, "", "total(B)", (const char *)NULL);
   for (int c = 0; c < RS_NCAT; c++)
      add_col(&t, rs_cat_name[c]);
   add_col(&t, "useful(B)");
   add_col(&t, "blocks");
   t.width[2] = 8;  /* "resident" */
   table_rows(out, f, o, &t, rs_row, -1);
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
