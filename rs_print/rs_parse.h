/*
 * rs_parse.h -- data model of an rssmassif.out (or plain Massif) file and
 * its parser.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 *
 * The library librsparse.a (rs_parse.c), the lowest layer of rs_print:
 * rs_print's model (rs_model.h), its report sections and exports, rs_compare
 * and the test helpers build on it; it uses nothing of theirs.
 *
 * The parser reads the whole file into one buffer and splits it in place:
 * every string in the model points into that buffer, so a parsed file is a
 * handful of allocations however big it is.  Parsing is linear in the size
 * of the file, and never recursive (trees of any depth are fine).
 *
 * Invariants of a struct rs_file the parser returns (it refuses any file
 * that breaks one, with the line and what it expected; rs_parse.c lists
 * the grammar):
 *   - snaps[i].num == i; snapshot times never decrease;
 *   - a tree's nodes are nodes[node_first .. node_first + node_count), in
 *     preorder; nodes[k].size counts the subtree of k, and the children of
 *     a node with children sum to exactly its bytes; the root holds the
 *     snapshot's total (a #rs: file) or mem_heap_B or the total (Massif);
 *   - in a #rs: file (is_rs: the header's `#rs: version=N`): every snapshot
 *     has_rs, with exactly one totals line (records[totals_record], its 12
 *     keys in docs/format.md's order); cat_res_B[c] <= cat_B[c];
 *     mem_heap_B == cat_B[HEAP_LIVE], mem_heap_extra_B == cat_B[HEAP_DEAD],
 *     mem_stacks_B == loader + stack + other; at most one snapshot has
 *     is_exit, and it is the last (exit_snap);
 *   - a snapshot's records are records[rec_first .. rec_first + rec_count)
 *     in file order, and a record's tokens kvs[kv_first .. + kv_count);
 *   - every number fits in 64 bits; every string is NUL-terminated inside
 *     buf and lives as long as the rs_file.
 */
#ifndef RS_PARSE_H
#define RS_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "../rssmassif/rs_mutant.h"

/* The five page categories of design.md, in the order of the #rs: line. */
enum rs_cat {
   RS_CAT_HEAP_LIVE,
   RS_CAT_HEAP_DEAD,
   RS_CAT_LOADER,
   RS_CAT_STACK,
   RS_CAT_OTHER,
   RS_NCAT
};

/* "heap_live", "heap_dead", "loader", "stack", "other". */
extern const char *const rs_cat_name[RS_NCAT];

/* Returns the category called `name` (as in rs_cat_name), or -1. */
int rs_cat_from_name(const char *name);

/* One key=value token of a #rs: line.  A token without '=' has val NULL. */
struct rs_kv {
   const char *key;
   const char *val;
};

/* One `#rs:` line, or one `#rs.KIND:` analysis line (pinned pages, trim
 * blockers, heap segments, arenas, trim estimate; see docs/format.md). */
struct rs_record {
   unsigned long line;   /* 1-based line number in the file */
   const char *kind;     /* NULL for `#rs:`, else KIND ("pinned", ...) */
   size_t kv_first;      /* index into rs_file.kvs */
   size_t kv_count;
};

/* One node of a detailed tree (Massif's `n<children>: <bytes> <text>`).
 * Nodes of a tree are stored in preorder: a node's first child follows it,
 * and its next sibling is at (its index + size). */
struct rs_node {
   uint64_t bytes;
   const char *text;     /* text after the bytes, without the leading space */
   uint32_t nchildren;
   uint32_t size;        /* nodes in this subtree, this one included */
};

enum rs_tree_kind { RS_TREE_EMPTY, RS_TREE_DETAILED, RS_TREE_PEAK };

struct rs_snapshot {
   unsigned long line;   /* line of `snapshot=` */
   uint64_t num;
   uint64_t time;
   uint64_t mem_heap_B;
   uint64_t mem_heap_extra_B;
   uint64_t mem_stacks_B;
   enum rs_tree_kind tree_kind;
   size_t node_first;    /* index into rs_file.nodes */
   size_t node_count;    /* 0 for an empty tree */

   /* From the #rs: totals line (only when has_rs). */
   int has_rs;
   uint64_t useful_B;
   uint64_t blocks;
   uint64_t cat_B[RS_NCAT];      /* mapped bytes per category */
   uint64_t cat_res_B[RS_NCAT];  /* resident bytes per category */
   int is_exit;                  /* exit=1 */
   const char *label;            /* label=..., or NULL */
   size_t totals_record;         /* index into rs_file.records */

   /* Every #rs: line of this snapshot's block (the totals line included). */
   size_t rec_first;
   size_t rec_count;
};

struct rs_file {
   char *name;            /* as given to the parser */
   char *buf;             /* the file's text, split in place */
   size_t buf_len;
   unsigned long nlines;

   char *desc;            /* desc: lines joined by one space (owned) */
   const char *cmd;
   const char *time_unit; /* "i", "ms" or "B" */

   int is_rs;             /* has the `#rs: version=N` header line */
   uint64_t rs_version;
   uint64_t page_B;       /* 0 when the header does not say */
   size_t hdr_rec_first;  /* #rs: lines before the first snapshot */
   size_t hdr_rec_count;

   struct rs_snapshot *snaps;
   size_t nsnaps;
   long peak;             /* index of the heap_tree=peak snapshot, or -1 */
   long exit_snap;        /* index of the exit=1 snapshot, or -1 */

   struct rs_node *nodes;
   size_t nnodes;
   struct rs_record *records;
   size_t nrecords;
   struct rs_kv *kvs;
   size_t nkvs;
};

/* Longest error message the parser produces. */
#define RS_ERR_MAX 512

struct rs_error {
   unsigned long line;    /* 0 when the error is not about a line */
   char msg[RS_ERR_MAX];  /* "FILE:LINE: expected ..., got ..." (one line) */
};

/* Parses `len` bytes at `data` (copied; need not be NUL-terminated).
 * `name` is used in error messages.  Returns NULL and fills *err on error. */
struct rs_file *rs_parse_buffer(const char *name, const char *data,
                                size_t len, struct rs_error *err);

/* Reads and parses a file ("-" is standard input). */
struct rs_file *rs_parse_path(const char *path, struct rs_error *err);

void rs_file_free(struct rs_file *f);

/* Value of `key` in a record, or NULL (a bare token gives "").  In a
 * `#rs.KIND:` line, `at` holds the rest of the line. */
const char *rs_record_get(const struct rs_file *f, const struct rs_record *r,
                          const char *key);

/* Total mapped bytes of a snapshot: the sum of Massif's three numbers (for a
 * #rs: file this equals the sum of the five categories). */
uint64_t rs_snap_total(const struct rs_snapshot *s);

/* Total resident bytes of a #rs: snapshot. */
uint64_t rs_snap_total_res(const struct rs_snapshot *s);

/* Category of a top-level tree node, recognised from its text (one of the
 * category names, possibly in parentheses, first), or -1. */
int rs_node_category(const char *text);

#endif /* RS_PARSE_H */
