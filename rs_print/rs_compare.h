/*
 * rs_compare.h -- runs side by side (`rs_print --compare BASE OTHER...`,
 * and the table of the `rs_compare` program).
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#ifndef RS_COMPARE_H
#define RS_COMPARE_H

#include <stdint.h>
#include <stdio.h>

#include "rs_parse.h"

/* Exit status when an OTHER run outgrows --max-growth. */
#define RS_COMPARE_GROWTH_STATUS 3

/* The figures the table shows for one snapshot of one run. */
struct rs_compare_point {
   long snap;                    /* snapshot index */
   uint64_t cat_B[RS_NCAT];      /* mapped bytes per category */
   uint64_t cat_res_B[RS_NCAT];  /* resident bytes per category */
   uint64_t total_B, total_res_B;
   uint64_t retained_B;          /* heap_dead_res_B */
   int has_estimate;             /* release estimate known? */
   uint64_t estimate_B;          /* release_estimate_B, else glibc's
                                    trim_estimate_B (glibc runs only) */
};

/* One run: its file and the two points of the table. */
struct rs_compare_run {
   const struct rs_file *f;
   const char *name;             /* label in the legend (NULL: file name) */
   struct rs_compare_point at_exit, at_peak;
};

/* Fills run->at_exit and run->at_peak from run->f (an rssmassif.out file). */
void rs_compare_fill(struct rs_compare_run *run);

/* The allocator of a file's header (allocator=), "glibc" if not stated. */
const char *rs_compare_allocator(const struct rs_file *f);

/* The whole table: legend, at exit, at the peak, top retained sites.
 * runs[0] is the base. */
void rs_compare_write(FILE *out, const struct rs_compare_run *runs, size_t n);

/* The run retaining least at exit and at the peak, and what it costs in
 * peak mapped bytes against the base (one line; rs_compare's verdict). */
void rs_compare_verdict(FILE *out, const struct rs_compare_run *runs,
                        size_t n);

/* Does `other` retain at exit more than `pct` % over `base`? */
int rs_compare_grew(uint64_t base_B, uint64_t other_B, double pct);

/* --max-growth=PCT: a decimal number >= 0, a trailing '%' allowed; 0 on
 * success. */
int rs_compare_parse_pct(const char *s, double *out);

/* `rs_print --compare [--max-growth=PCT] BASE OTHER...` (argv as given to
 * rs_print): the table on `out`, errors on `err`; returns the exit status
 * (0, 1 bad file, 2 bad command line, 3 growth over PCT). */
int rs_compare_main(int argc, char **argv, FILE *out, FILE *err);

#endif /* RS_COMPARE_H */
