/*
 * rs_fmt.h -- number formatting shared by the report sections.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#ifndef RS_FMT_H
#define RS_FMT_H

#include <stdint.h>
#include <stdio.h>

/* Big enough for any formatted 64-bit value. */
#define RS_NUMBUF 40

/* 1234567 -> "1,234,567" (thousands separators, like ms_print). */
const char *rs_commify(uint64_t v, char buf[RS_NUMBUF]);

/* 6000000 -> "5.72 MiB". */
const char *rs_mib(uint64_t v, char buf[RS_NUMBUF]);

/* 100 * part / whole with 2 decimals ("0.00" when whole is 0). */
double rs_pct(uint64_t part, uint64_t whole);

/* Prints `n` copies of `ch`. */
void rs_repeat(FILE *out, char ch, unsigned n);

/* Prints the 80-dash rule ms_print uses between sections. */
void rs_rule(FILE *out);

/* ms_print's axis labels: a 5-character number and its unit for the
 * largest value on an axis.  `kind` is 'B' (bytes), 'i' (instructions) or
 * 'm' (milliseconds). */
void rs_axis_label(uint64_t v, char kind, char num[16], char unit[8]);

#endif /* RS_FMT_H */
