/*
 * rs_massif.c -- strict Massif export (`rs_print --massif FILE`).
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 *
 * massif-visualizer's parser (massifdata/parserprivate.cpp) takes exactly
 * the layout Massif writes: "desc: ", "cmd: ", "time_unit: ", then for each
 * snapshot "#-----------", "snapshot=N", "#-----------", time=, mem_heap_B=,
 * mem_heap_extra_B=, mem_stacks_B=, heap_tree=, and tree lines indented by
 * one space per level, each "n<children>: <bytes> " followed by the text.
 * Any other line, a comment included, makes it reject the whole file.
 */
#include "rs_massif.h"

#include <stdlib.h>

static const char *const kind_name[] = { "empty", "detailed", "peak" };

static int tree(FILE *out, const struct rs_file *f,
                const struct rs_snapshot *s)
{
   /* ends[d] = index one past the subtree of the open node at depth d. */
   size_t *ends = NULL, depth = 0, cap = 0;
   size_t first = s->node_first, last = first + s->node_count;
   for (size_t i = first; i < last; i++) {
      while (depth > 0 && ends[depth - 1] <= i)
         depth--;
      const struct rs_node *n = &f->nodes[i];
      for (size_t d = 0; d < depth; d++)
         fputc(' ', out);
      fprintf(out, "n%u: %llu %s\n", n->nchildren,
              (unsigned long long)n->bytes, n->text);
      if (depth == cap) {
         size_t nc = cap ? 2 * cap : 64;
         size_t *e = realloc(ends, nc * sizeof *e);
         if (e == NULL) {
            free(ends);
            return -1;
         }
         ends = e;
         cap = nc;
      }
      ends[depth++] = i + n->size;
   }
   free(ends);
   return 0;
}

int rs_massif_export(FILE *out, const struct rs_file *f)
{
   fprintf(out, "desc: %s\n", f->desc);
   fprintf(out, "cmd: %s\n", f->cmd);
   fprintf(out, "time_unit: %s\n", f->time_unit);
   for (size_t i = 0; i < f->nsnaps; i++) {
      const struct rs_snapshot *s = &f->snaps[i];
      fprintf(out, "#-----------\nsnapshot=%zu\n#-----------\n", i);
      fprintf(out, "time=%llu\n", (unsigned long long)s->time);
      fprintf(out, "mem_heap_B=%llu\n", (unsigned long long)s->mem_heap_B);
      fprintf(out, "mem_heap_extra_B=%llu\n",
              (unsigned long long)s->mem_heap_extra_B);
      fprintf(out, "mem_stacks_B=%llu\n", (unsigned long long)s->mem_stacks_B);
      fprintf(out, "heap_tree=%s\n", kind_name[s->tree_kind]);
      if (s->node_count && tree(out, f, s) < 0)
         return -1;
   }
   return ferror(out) ? -1 : 0;
}
