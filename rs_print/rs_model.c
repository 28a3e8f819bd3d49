/*
 * rs_model.c -- derived views of a parsed file (rs_model.h): which
 * snapshot is the exit, the peak, the latest detailed one; a category's
 * node in a tree; the answer's numbers; the resident bytes of tree nodes.
 * No formatting here: the report sections and exports use these.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include "rs_model.h"

#include <stdlib.h>
#include <string.h>

#if RS_MUTANT == 1201
#include "rs_report.h"  /* the mutant calls a report section from here */
#endif

long rs_final_index(const struct rs_file *f)
{
   if (f->exit_snap >= 0)
      return f->exit_snap;
   return (long)f->nsnaps - 1;
}

long rs_peak_index(const struct rs_file *f)
{
#if RS_MUTANT == 1201
   if (RS_MUTANT_IS(1201) && f->nsnaps == 0)
      rs_report_header(stderr, f, NULL);  /* a cycle model <-> report */
#endif
   if (f->peak >= 0)
      return f->peak;
   long best = 0;
   uint64_t bestv = 0;
   for (size_t i = 0; i < f->nsnaps; i++) {
      uint64_t h = f->snaps[i].mem_heap_B + f->snaps[i].mem_heap_extra_B;
      if (i == 0 || h > bestv) {
         best = (long)i;
         bestv = h;
      }
   }
   return best;
}

long rs_tree_category_node(const struct rs_file *f,
                           const struct rs_snapshot *s, int cat)
{
   if (s->node_count == 0)
      return -1;
   size_t root = s->node_first;
   size_t i = root + 1, end = root + f->nodes[root].size;
   while (i < end) {
      if (rs_node_category(f->nodes[i].text) == cat)
         return (long)i;
      i += f->nodes[i].size;
   }
   return -1;
}

long rs_latest_detailed(const struct rs_file *f, long idx)
{
   for (long i = idx; i >= 0; i--)
      if (f->snaps[i].node_count > 0)
         return i;
   return -1;
}

void rs_answer_numbers(const struct rs_file *f, const struct rs_snapshot *s,
                       struct rs_answer *a)
{
   a->retained_B = s->cat_res_B[RS_CAT_HEAP_DEAD];
   a->released_B = s->cat_B[RS_CAT_HEAP_DEAD] - s->cat_res_B[RS_CAT_HEAP_DEAD];
   a->live_B = s->cat_B[RS_CAT_HEAP_LIVE];
   a->live_res_B = s->cat_res_B[RS_CAT_HEAP_LIVE];
   a->useful_B = s->useful_B;
   a->blocks = s->blocks;
   a->loader_B = s->cat_B[RS_CAT_LOADER];
   a->loader_res_B = s->cat_res_B[RS_CAT_LOADER];
   a->stack_B = s->cat_B[RS_CAT_STACK];
   a->stack_res_B = s->cat_res_B[RS_CAT_STACK];
   a->other_B = s->cat_B[RS_CAT_OTHER];
   a->other_res_B = s->cat_res_B[RS_CAT_OTHER];
   a->total_B = rs_snap_total(s);
   a->total_res_B = rs_snap_total_res(s);
   a->retained_pages = f->page_B ? a->retained_B / f->page_B : 0;
}

int rs_tree_res_of(const struct rs_file *f, const struct rs_snapshot *s,
                   int cat, uint64_t *res, size_t n)
{
   for (size_t r = s->rec_first; r < s->rec_first + s->rec_count; r++) {
      const struct rs_record *rec = &f->records[r];
      const char *c, *p;
      size_t i = 0;
      if (rec->kind == NULL || strcmp(rec->kind, "tree_res") != 0)
         continue;
      c = rs_record_get(f, rec, "cat");
      p = rs_record_get(f, rec, RS_MUTANT_IS(33) ? "cat" : "res_B");
      if (c == NULL || p == NULL || rs_cat_from_name(c) != cat)
         continue;
      while (i < n && *p >= '0' && *p <= '9') {
         char *end;
         res[i++] = strtoull(p, &end, 10);
         p = *end == ',' ? end + 1 : end;
      }
      return i == n && (*p == '\0' || *p == ' ') ? 0 : -1;
   }
   return -1;
}

uint64_t *rs_tree_res_new(const struct rs_file *f, const struct rs_snapshot *s,
                          int cat)
{
   long top = rs_tree_category_node(f, s, cat);
   size_t n;
   uint64_t *res;
   if (top < 0)
      return NULL;
   n = f->nodes[top].size;
   res = malloc(n * sizeof *res);
   if (res != NULL && rs_tree_res_of(f, s, cat, res, n) < 0) {
      free(res);
      res = NULL;
   }
   return res;
}

const struct rs_record *rs_next_record(const struct rs_file *f,
                                       const struct rs_snapshot *s,
                                       const char *kind, size_t *pos)
{
   while (*pos < s->rec_count) {
      const struct rs_record *r = &f->records[s->rec_first + (*pos)++];
      if (r->kind != NULL && strcmp(r->kind, kind) == 0)
         return r;
   }
   return NULL;
}
