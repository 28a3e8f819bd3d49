/*
 * rs_trees.c -- the detailed trees, printed the way ms_print prints them
 * (same arrows, same --threshold rule, same "in N+ places" lines), but
 * without recursion so that trees of any depth print.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include "rs_report.h"

#include <stdlib.h>
#include <string.h>

#include "rs_fmt.h"

struct prefix {
   char *s;
   size_t len, cap;
};

static int prefix_set(struct prefix *p, size_t len, const char *add)
{
   size_t al = strlen(add);
   if (len + al + 1 > p->cap) {
      size_t nc = p->cap ? p->cap * 2 : 256;
      while (nc < len + al + 1)
         nc *= 2;
      char *n = realloc(p->s, nc);
      if (n == NULL)
         return -1;
      p->s = n;
      p->cap = nc;
   }
   memcpy(p->s + len, add, al + 1);
   p->len = len + al;
   return 0;
}

struct tframe {
   size_t node;      /* index in f->nodes */
   size_t next;      /* next child to visit */
   uint32_t left;    /* children not yet visited */
   uint32_t insig_n; /* children below the threshold */
   uint64_t insig_B;
   size_t plen;      /* length of the prefix of this node's children */
};

static void node_line(FILE *out, const struct prefix *p, const char *arrow,
                      uint64_t bytes, uint64_t base, const char *text)
{
   char b[RS_NUMBUF];
   fprintf(out, "%s%s%05.2f%% (%sB)%s%s\n", p->s, arrow, rs_pct(bytes, base),
           rs_commify(bytes, b), *text ? " " : "", text);
}

static int significant(uint64_t bytes, uint64_t base, double threshold)
{
   return threshold == 0
          || (base != 0 && (double)bytes * 100.0 / (double)base >= threshold);
}

/* Prints the subtree at nodes[top], percentages relative to `base`. */
static int print_tree(FILE *out, const struct rs_file *f, size_t top,
                      uint64_t base, double threshold)
{
   struct prefix p = { 0 };
   struct tframe *st = NULL;
   size_t depth = 0, cap = 0;
   int r = -1;

   if (prefix_set(&p, 0, "") < 0)
      goto out;
   node_line(out, &p, "", f->nodes[top].bytes, base, f->nodes[top].text);
   cap = 64;
   st = malloc(cap * sizeof *st);
   if (st == NULL)
      goto out;
   st[0] = (struct tframe){ top, top + 1, f->nodes[top].nchildren, 0, 0, 0 };
   depth = 1;
   while (depth > 0) {
      struct tframe *fr = &st[depth - 1];
      if (fr->left > 0) {
         size_t c = fr->next;
         const struct rs_node *cn = &f->nodes[c];
         fr->next += cn->size;
         fr->left--;
         if (!significant(cn->bytes, base, threshold)) {
            fr->insig_n++;
            fr->insig_B += cn->bytes;
            continue;
         }
         if (prefix_set(&p, fr->plen, "") < 0)
            goto out;
         node_line(out, &p, "->", cn->bytes, base, cn->text);
         if (depth == cap) {
            struct tframe *n = realloc(st, 2 * cap * sizeof *st);
            if (n == NULL)
               goto out;
            st = n;
            cap *= 2;
            fr = &st[depth - 1];
         }
         size_t plen = fr->plen;
         if (prefix_set(&p, plen, fr->left == 0 ? "  " : "| ") < 0)
            goto out;
         st[depth++] = (struct tframe){ c, c + 1, cn->nchildren, 0, 0,
                                        p.len };
         continue;
      }
      /* All children seen: ms_print's closing lines. */
      if (prefix_set(&p, fr->plen, "") < 0)
         goto out;
      if (fr->insig_n > 0) {
         char b[RS_NUMBUF];
         fprintf(out, "%s->%05.2f%% (%sB) in %u+ places, all below "
                 "rs_print's threshold (%05.2f%%)\n", p.s,
                 rs_pct(fr->insig_B, base), rs_commify(fr->insig_B, b),
                 fr->insig_n, threshold);
         fprintf(out, "%s\n", p.s);
      } else if (f->nodes[fr->node].nchildren == 0) {
         fprintf(out, "%s\n", p.s);
      }
      depth--;
   }
   r = 0;
out:
   if (r < 0)
      fprintf(out, "(tree: out of memory)\n");
   free(p.s);
   free(st);
   return r;
}

static void tree_title(FILE *out, const struct rs_file *f, size_t i)
{
   const struct rs_snapshot *s = &f->snaps[i];
   char t[RS_NUMBUF], b[RS_NUMBUF];
   fprintf(out, "\n");
   rs_rule(out);
   fprintf(out, "Snapshot %zu: %s, time %s %s, total %s B", i,
           (long)i == f->peak ? "peak" : "detailed",
           rs_commify(s->time, t), f->time_unit,
           rs_commify(rs_snap_total(s), b));
   if (s->is_exit)
      fprintf(out, ", exit");
   if (s->label)
      fprintf(out, ", label %s", s->label);
   fprintf(out, "\n");
   rs_rule(out);
}

void rs_report_trees(FILE *out, const struct rs_file *f,
                     const struct rs_opts *o)
{
   int any = 0;
   for (size_t i = 0; i < f->nsnaps; i++) {
      const struct rs_snapshot *s = &f->snaps[i];
      if (o->snapshot >= 0 && (size_t)o->snapshot != i)
         continue;
      if (s->node_count == 0) {
         if (o->snapshot >= 0)
            fprintf(out, "\nSnapshot %zu has no tree (heap_tree=empty).\n",
                    i);
         continue;
      }
      any = 1;
      tree_title(out, f, i);
      if (o->category >= 0) {
         long c = rs_tree_category_node(f, s, o->category);
         if (c < 0) {
            fprintf(out, "(no %s node in this tree)\n",
                    rs_cat_name[o->category]);
            continue;
         }
         print_tree(out, f, (size_t)c, f->nodes[c].bytes, o->threshold);
      } else {
         print_tree(out, f, s->node_first, rs_snap_total(s), o->threshold);
      }
   }
   if (!any && o->snapshot < 0)
      fprintf(out, "\n(No detailed snapshots: no trees.)\n");
}
