/*
 * rs_graph.c -- the ASCII graph over time, one character per category,
 * stacked (the first category at the bottom).
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 *
 * Like ms_print: each snapshot falls in column 1 + time * X / end_time (the
 * last one in column X); row y (1..Y) is filled when the snapshot's total
 * is at least y * peak / Y.  A filled cell shows the category in which the
 * middle of the cell, (y - 1/2) * peak / Y, falls.  A column holding
 * several snapshots shows the largest; a column between two snapshots
 * shows the earlier one (memory stays as it was until the next snapshot).
 */
#include "rs_report.h"

#include <stdlib.h>
#include <string.h>

#include "rs_fmt.h"

#define MAX_SERIES 5

struct series {
   int n;
   char ch[MAX_SERIES];
   const char *name[MAX_SERIES];
};

static void setup_series(const struct rs_file *f, const struct rs_opts *o,
                         struct series *sr)
{
   sr->n = 0;
#define ADD(c, nm) (sr->ch[sr->n] = (c), sr->name[sr->n++] = (nm))
   if (!f->is_rs) {
      ADD('#', "useful heap (mem_heap_B)");
      ADD('+', "extra heap (mem_heap_extra_B)");
      ADD(':', "stacks (mem_stacks_B)");
   } else if (o->category == RS_CAT_HEAP_DEAD) {
      ADD('R', "retained (heap_dead resident)");
      ADD('.', "released (heap_dead not resident)");
   } else if (o->category >= 0) {
      ADD('#', "resident");
      ADD('.', "not resident");
   } else {
      ADD('#', "heap live");
      ADD('R', "retained (freed, resident)");
      ADD('.', "released (freed, not resident)");
      ADD('=', "loader");
      ADD(':', "stack + other");
   }
#undef ADD
}

static void values(const struct rs_file *f, const struct rs_opts *o,
                   const struct rs_snapshot *s, uint64_t v[MAX_SERIES])
{
   if (!f->is_rs) {
      v[0] = s->mem_heap_B;
      v[1] = s->mem_heap_extra_B;
      v[2] = s->mem_stacks_B;
   } else if (o->category >= 0) {
      v[0] = s->cat_res_B[o->category];
      v[1] = s->cat_B[o->category] - s->cat_res_B[o->category];
   } else {
      v[0] = s->cat_B[RS_CAT_HEAP_LIVE];
      v[1] = s->cat_res_B[RS_CAT_HEAP_DEAD];
      v[2] = s->cat_B[RS_CAT_HEAP_DEAD] - s->cat_res_B[RS_CAT_HEAP_DEAD];
      v[3] = s->cat_B[RS_CAT_LOADER];
      v[4] = s->cat_B[RS_CAT_STACK] + s->cat_B[RS_CAT_OTHER];
   }
}

static uint64_t sum(const struct series *sr, const uint64_t v[MAX_SERIES])
{
   uint64_t t = 0;
   for (int k = 0; k < sr->n; k++)
      t += v[k];
   return t;
}

/* a * b compared with c * d, exactly. */
#ifdef __SIZEOF_INT128__
__extension__ typedef unsigned __int128 wide;
#else
typedef long double wide;
#endif
static int mul_ge(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
   return (wide)a * (wide)b >= (wide)c * (wide)d;
}
static int mul_lt(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
   return (wide)a * (wide)b < (wide)c * (wide)d;
}

void rs_report_graph(FILE *out, const struct rs_file *f,
                     const struct rs_opts *o)
{
   struct series sr;
   setup_series(f, o, &sr);
   unsigned X = o->x, Y = o->y;
   size_t n = f->nsnaps;
   uint64_t end_time = f->snaps[n - 1].time, peak = 0;
   uint64_t v[MAX_SERIES];
   for (size_t i = 0; i < n; i++) {
      values(f, o, &f->snaps[i], v);
      uint64_t t = sum(&sr, v);
      if (t > peak)
         peak = t;
   }
   uint64_t peak_label = peak;
   if (peak == 0)
      peak = 1;
   if (end_time == 0)
      end_time = 1;

   /* Which snapshot each column shows: the largest in it, and the last in
    * it (carried into the empty columns that follow). */
   long *big = malloc((X + 1) * sizeof *big);
   long *last = malloc((X + 1) * sizeof *last);
   uint64_t *bigv = malloc((X + 1) * sizeof *bigv);
   char *grid = malloc((size_t)(X + 1) * (Y + 1));
   if (big == NULL || last == NULL || bigv == NULL || grid == NULL) {
      fprintf(out, "(graph: out of memory)\n");
      free(big);
      free(last);
      free(bigv);
      free(grid);
      return;
   }
   for (unsigned x = 0; x <= X; x++)
      big[x] = last[x] = -1;
   for (size_t i = 0; i < n; i++) {
      uint64_t t = f->snaps[i].time;
      unsigned x;
      if (t >= end_time)
         x = X;
      else
         x = (unsigned)((wide)t * X / end_time) + 1;
      if (x > X)
         x = X;
      values(f, o, &f->snaps[i], v);
      uint64_t tot = sum(&sr, v);
      if (big[x] < 0 || tot >= bigv[x]) {
         big[x] = (long)i;
         bigv[x] = tot;
      }
      last[x] = (long)i;
   }
   memset(grid, ' ', (size_t)(X + 1) * (Y + 1));
   long carry = -1;
   for (unsigned x = 1; x <= X; x++) {
      long show = big[x] >= 0 ? big[x] : carry;
      if (last[x] >= 0)
         carry = last[x];
      if (show < 0)
         continue;
      values(f, o, &f->snaps[show], v);
      uint64_t tot = sum(&sr, v);
      for (unsigned y = 1; y <= Y; y++) {
         /* filled when tot >= y * peak / Y */
         if (!mul_ge(tot, Y, y, peak))
            break;
         /* middle of the cell: (2y - 1) * peak / (2Y) */
         uint64_t cum = 0;
         int k;
         for (k = 0; k < sr.n - 1; k++) {
            cum += v[k];
            if (mul_lt(2 * (uint64_t)y - 1, peak, cum, 2 * (uint64_t)Y))
               break;
         }
         grid[(size_t)y * (X + 1) + x] = sr.ch[k];
      }
   }

   char ynum[16], yunit[8], xnum[16], xunit[8];
   rs_axis_label(peak_label, 'B', ynum, yunit);
   char tk = f->time_unit[0] == 'm' ? 'm' : f->time_unit[0] == 'B' ? 'B'
                                                                   : 'i';
   rs_axis_label(f->snaps[n - 1].time, tk, xnum, xunit);

   fprintf(out, "\n");
   rs_rule(out);
   fprintf(out, "Graph%s%s\n", o->category >= 0 ? " of " : "",
           o->category >= 0 ? rs_cat_name[o->category] : "");
   rs_rule(out);
   fprintf(out, "    %2s\n", yunit);
   for (unsigned y = Y; y >= 1; y--) {
      fputs(y == Y ? ynum : "     ", out);
      fputc(y == Y ? '^' : '|', out);
      fwrite(grid + (size_t)y * (X + 1) + 1, 1, X, out);
      fputc('\n', out);
   }
   fputs("   0 +", out);
   rs_repeat(out, '-', X - 1);
   fprintf(out, ">%s\n", xunit);
   fprintf(out, "     0");
   rs_repeat(out, ' ', X > 6 ? X - 5 : 1);
   fprintf(out, "%5s\n\n", xnum);
   fprintf(out, "Legend:");
   for (int k = 0; k < sr.n; k++)
      fprintf(out, "  %c %s", sr.ch[k], sr.name[k]);
   fprintf(out, "\n\nNumber of snapshots: %zu\n", n);
   fprintf(out, " Detailed snapshots: [");
   int first = 1;
   for (size_t i = 0; i < n; i++) {
      if (f->snaps[i].node_count == 0)
         continue;
      fprintf(out, "%s%zu%s", first ? "" : ", ", i,
              (long)i == f->peak ? " (peak)" : "");
      first = 0;
   }
   fprintf(out, "]\n");
   if (f->is_rs) {
      if (f->exit_snap >= 0)
         fprintf(out, "     Exit snapshot: %ld\n", f->exit_snap);
      else
         fprintf(out, "     Exit snapshot: none (the run did not finish?)\n");
   }
   free(big);
   free(last);
   free(bigv);
   free(grid);
}
