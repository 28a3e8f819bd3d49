/*
 * rs_html.h -- `rs_print --html`: one self-contained HTML page (data,
 * script and style inline, nothing fetched) with a stacked area chart of
 * the categories over time, each snapshot's answer and its trees as
 * icicle graphs by resident bytes.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#ifndef RS_HTML_H
#define RS_HTML_H

#include <stdio.h>

#include "rs_parse.h"
#include "rs_report.h"

/* At most this many tree nodes in the whole page (spread over the detailed
 * snapshots), so that a page stays under 10 MB however big the file. */
#define RS_HTML_NODE_BUDGET 120000

/* Nodes kept per tree: RS_HTML_NODE_BUDGET / trees, within these bounds. */
#define RS_HTML_TREE_MIN 100
#define RS_HTML_TREE_MAX 20000

/* Writes the page for f; `o` gives the answers' options (threshold).
 * Returns 0, or -1 when out of memory. */
int rs_html_write(FILE *out, const struct rs_file *f, const struct rs_opts *o);

/* The page's style sheet and script (rs_html_assets.c). */
extern const char rs_html_style[];
extern const char rs_html_script[];

#endif /* RS_HTML_H */
