/*
 * rs_folded.c -- folded stacks of one snapshot's tree (--folded).
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include <stdlib.h>
#include <string.h>

#include "rs_folded.h"

size_t rs_folded_default_snapshot(const struct rs_file *f)
{
   return (size_t)rs_final_index(f);
}

/* A frame's name: the node's text without Valgrind's `0xADDR: ` and with
 * no ';' (the folded format's separator). */
static void put_frame(FILE *out, const char *text)
{
   const char *p = text;
   if (p[0] == '0' && p[1] == 'x') {
      const char *colon = strstr(p, ": ");
      if (colon != NULL)
         p = colon + 2;
   }
   for (; *p; p++)
      fputc(*p == ';' ? ':' : *p, out);
}

/* The category node of snapshot s's tree, as an index into f->nodes. */
static size_t category_node(const struct rs_file *f,
                            const struct rs_snapshot *s, int cat)
{
   size_t k = s->node_first + 1;
   for (int c = 0; c < cat; c++)
      k += f->nodes[k].size;
   return k;
}

int rs_folded_write(FILE *out, const struct rs_file *f, size_t snap, int cat)
{
   const struct rs_snapshot *s = &f->snaps[snap];
   if (s->node_count == 0 || f->nodes[s->node_first].nchildren <= (unsigned)cat)
      return -1;
   size_t top = category_node(f, s, cat), n = f->nodes[top].size;
   uint64_t *val = malloc(n * sizeof *val);
   size_t *path = malloc(n * sizeof *path), depth = 0;
   if (val == NULL || path == NULL) {
      free(val);
      free(path);
      return -1;
   }
   int mapped = rs_tree_res_of(f, s, cat, val, n) < 0;
   if (mapped)
      for (size_t i = 0; i < n; i++)
         val[i] = f->nodes[top + i].bytes;
   /* Preorder: path[0..depth) holds the open ancestors of node i. */
   for (size_t i = 0; i < n; i++) {
      while (depth > 0 && path[depth - 1] + f->nodes[top + path[depth - 1]].size <= i)
         depth--;
      path[depth++] = i;
      uint64_t self = val[i], kids = 0;
      for (size_t k = i + 1; k < i + f->nodes[top + i].size; k += f->nodes[top + k].size)
         kids += val[k];
      self = RS_MUTANT_IS(1304) ? self : self > kids ? self - kids : 0;
      if (self == 0)
         continue;
      fputs(rs_cat_name[cat], out);
      for (size_t d = depth; d > 1; d--) {
         fputc(';', out);
         put_frame(out, f->nodes[top + path[d - 1]].text);
      }
      fprintf(out, " %llu\n", (unsigned long long)self);
   }
   free(val);
   free(path);
   return mapped;
}
