/*
 * rs_model.h -- derived views of a parsed rssmassif.out or Massif file
 * (struct rs_file, rs_parse.h): the layer between the parser and the
 * report sections and exports.  Nothing here formats text or calls a
 * section: rs_answer, rs_trees, rs_html, rs_folded, rs_callgrind and
 * rs_compare use it, it uses only rs_parse.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#ifndef RS_MODEL_H
#define RS_MODEL_H

#include <stdint.h>

#include "rs_parse.h"

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

/* The next `#rs.KIND:` record of snapshot s of kind `kind` at or after
 * position *pos (0 = the snapshot's first record), or NULL; *pos moves
 * past it.  Loop: for (size_t p = 0; (r = rs_next_record(f, s, k, &p));). */
const struct rs_record *rs_next_record(const struct rs_file *f,
                                       const struct rs_snapshot *s,
                                       const char *kind, size_t *pos);

/* Resident bytes of the nodes of category `cat` of snapshot s, in tree
 * order (the category's node first), into res[0..n): 0, or -1 if the
 * snapshot has no `#rs.tree_res:` line for it or its count is not n. */
int rs_tree_res_of(const struct rs_file *f, const struct rs_snapshot *s,
                   int cat, uint64_t *res, size_t n);

/* The same into a new array of the category's tree size, for the caller
 * to free; NULL if the snapshot has no tree for the category, no such
 * line for it (the caller falls back to mapped bytes) or no memory. */
uint64_t *rs_tree_res_new(const struct rs_file *f, const struct rs_snapshot *s,
                          int cat);

#endif /* RS_MODEL_H */
