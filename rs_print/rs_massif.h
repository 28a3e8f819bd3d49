/*
 * rs_massif.h -- strict Massif export (`rs_print --massif FILE`).
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#ifndef RS_MASSIF_H
#define RS_MASSIF_H

#include <stdio.h>

#include "rs_parse.h"

/* Writes the file as Massif itself writes one: one `desc:` line, `cmd:`,
 * `time_unit:`, then every snapshot framed by `#-----------` lines, with
 * its tree (categories are the top-level nodes of an rssmassif tree).  No
 * other `#` line: massif-visualizer rejects any.  Returns 0, or -1 if
 * writing failed. */
int rs_massif_export(FILE *out, const struct rs_file *f);

#endif /* RS_MASSIF_H */
