/*
 * rs_report.h -- the sections of rs_print's report.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#ifndef RS_REPORT_H
#define RS_REPORT_H

#include <stdio.h>

#include "rs_model.h"
#include "rs_parse.h"

struct rs_opts {
   double threshold;      /* percent, 0..100 (ms_print's --threshold) */
   unsigned x, y;         /* graph size (ms_print's --x, --y) */
   long snapshot;         /* --snapshot=N, or -1 for all */
   int category;          /* --category=NAME, or -1 for all */
   const char *args;      /* rs_print's arguments, for the header */
};

/* Sets the defaults: threshold 1.0, x 72, y 20, everything shown. */
void rs_opts_default(struct rs_opts *o);

/* The whole report, in order: header, answer, graph, table, trees. */
void rs_report(FILE *out, const struct rs_file *f, const struct rs_opts *o);

/* Sections (each starts with its own rule line). */
void rs_report_header(FILE *out, const struct rs_file *f,
                      const struct rs_opts *o);
void rs_report_answer(FILE *out, const struct rs_file *f,
                      const struct rs_opts *o);
void rs_report_graph(FILE *out, const struct rs_file *f,
                     const struct rs_opts *o);
void rs_report_table(FILE *out, const struct rs_file *f,
                     const struct rs_opts *o);
void rs_report_trees(FILE *out, const struct rs_file *f,
                     const struct rs_opts *o);

#endif /* RS_REPORT_H */
