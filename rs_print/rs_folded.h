/*
 * rs_folded.h -- folded stacks (`frame;frame;frame count`, one line per
 * stack) of one snapshot's tree, for flamegraph.pl, inferno and speedscope.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#ifndef RS_FOLDED_H
#define RS_FOLDED_H

#include <stdio.h>

#include "rs_model.h"
#include "rs_parse.h"

/* The snapshot --folded and the other exports read by default: the exit
 * snapshot, else the last one. */
size_t rs_folded_default_snapshot(const struct rs_file *f);

/* Writes the stacks of category `cat` of snapshot `snap` (detailed) by
 * resident bytes (the snapshot's `#rs.tree_res:` line; mapped bytes when
 * the file has none): the category is the root frame, then the callers
 * outermost first; each line's count is what its node holds beyond its
 * children, so the counts sum to the category's figure.  Returns 0, 1 if
 * the figures are mapped bytes (no `#rs.tree_res:` line), or -1 if the
 * snapshot has no tree. */
int rs_folded_write(FILE *out, const struct rs_file *f, size_t snap, int cat);

#endif /* RS_FOLDED_H */
