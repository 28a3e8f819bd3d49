/*
 * rs_callgrind.h -- one snapshot's trees as a callgrind-format file, for
 * callgrind_annotate and KCachegrind (`rs_print --callgrind`).
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#ifndef RS_CALLGRIND_H
#define RS_CALLGRIND_H

#include <stdio.h>

#include "rs_parse.h"

/* Writes snapshot `snap` (which must have a tree) of an rssmassif.out file
 * as a callgrind profile with ten events, the #rs: keys heap_live_B,
 * heap_live_res_B, ..., other_B, other_res_B: the function that called the
 * allocator (a tree node below its category) gets its node's bytes as self
 * cost; each deeper node is a call from its function to its parent's, with
 * the node's bytes as inclusive cost; a category's bytes that no node
 * holds are the self cost of a function named after the category.  So each
 * event's total is the snapshot's figure.  Resident events come from
 * `#rs.tree_res:`; a category without that line has its resident bytes on
 * the category's function.  Returns 0, the number of categories without
 * `#rs.tree_res:` (> 0), or -1 if the snapshot has no tree. */
int rs_callgrind_write(FILE *out, const struct rs_file *f, size_t snap);

#endif /* RS_CALLGRIND_H */
