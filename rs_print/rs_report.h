/*
 * rs_report.h -- the sections of rs_print's report.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#ifndef RS_REPORT_H
#define RS_REPORT_H

#include <stdio.h>

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

/* Numbers the answer section states for one snapshot of a #rs: file, so
 * that tests can check them without parsing text. */
struct rs_answer {
   uint64_t retained_B;   /* heap_dead_res_B */
   uint64_t released_B;   /* heap_dead_B - heap_dead_res_B */
   uint64_t live_B, live_res_B, useful_B, blocks;
   uint64_t loader_B, loader_res_B;
   uint64_t stack_B, stack_res_B;
   uint64_t other_B, other_res_B;
   uint64_t total_B, total_res_B;
   uint64_t retained_pages;  /* retained_B / page_B (0 if page_B unknown) */
};
void rs_answer_numbers(const struct rs_file *f, const struct rs_snapshot *s,
                       struct rs_answer *a);

/* The snapshot the answer calls "at exit": the exit=1 snapshot, else the
 * last one.  And "the peak": heap_tree=peak, else the snapshot with the
 * most mapped heap (live + dead), the earliest on ties. */
long rs_final_index(const struct rs_file *f);
long rs_peak_index(const struct rs_file *f);

/* Index of the top-level node of category `cat` in snapshot s's tree, as
 * an index into f->nodes, or -1. */
long rs_tree_category_node(const struct rs_file *f,
                           const struct rs_snapshot *s, int cat);

/* Index of the latest snapshot at or before `idx` that has a tree, or -1. */
long rs_latest_detailed(const struct rs_file *f, long idx);

#endif /* RS_REPORT_H */
