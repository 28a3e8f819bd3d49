/*
 * rs_report.c -- report order, header section and helpers shared by the
 * sections.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include "rs_report.h"

#include "rs_fmt.h"

void rs_opts_default(struct rs_opts *o)
{
   o->threshold = 1.0;
   o->x = 72;
   o->y = 20;
   o->snapshot = -1;
   o->category = -1;
   o->args = "";
}

void rs_report_header(FILE *out, const struct rs_file *f,
                      const struct rs_opts *o)
{
   rs_rule(out);
   fprintf(out, "Command:             %s\n", f->cmd);
   fprintf(out, "%-21s%s\n", f->is_rs ? "rssmassif arguments:"
                                        : "Massif arguments:", f->desc);
   fprintf(out, "rs_print arguments:  %s\n", o->args);
   if (f->is_rs) {
      fprintf(out, "File:                %s (rssmassif.out version %llu",
              f->name, (unsigned long long)f->rs_version);
      if (f->page_B)
         fprintf(out, ", page %llu bytes", (unsigned long long)f->page_B);
      fprintf(out, ")\n");
   } else {
      fprintf(out, "File:                %s (plain Massif file: no page "
              "categories)\n", f->name);
   }
   rs_rule(out);
}

void rs_report(FILE *out, const struct rs_file *f, const struct rs_opts *o)
{
   rs_report_header(out, f, o);
   rs_report_answer(out, f, o);
   rs_report_graph(out, f, o);
   rs_report_table(out, f, o);
   rs_report_trees(out, f, o);
}
