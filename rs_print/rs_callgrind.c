/*
 * rs_callgrind.c -- one snapshot's trees as a callgrind-format file
 * (--callgrind).  See rs_callgrind.h and docs/rs_print.md.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include <stdlib.h>
#include <string.h>

#include "rs_callgrind.h"
#include "rs_model.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

/* A tree node's text split into function, file and line, as pointers and
 * lengths into the text (Massif's `0xADDR: fn (file:line)`,
 * `0xADDR: fn (in /lib/obj.so)`, or a bare text such as a loader object). */
struct cg_frame {
   const char *fn, *fl;
   size_t fn_len, fl_len;
   unsigned long line;
};

static void cg_parse_frame(const char *text, struct cg_frame *fr)
{
   const char *p = text, *open, *end;
   if (p[0] == '0' && p[1] == 'x' && strstr(p, ": ") != NULL)
      p = strstr(p, ": ") + 2;
   fr->fn = p;
   fr->fn_len = strlen(p);
   fr->fl = "???";
   fr->fl_len = 3;
   fr->line = 0;
   if (strncmp(p, "in ", 3) == 0 && strstr(p, "threshold") != NULL) {
      fr->fn = "(below threshold)";
      fr->fn_len = strlen(fr->fn);
      return;
   }
   end = p + fr->fn_len;
   open = strstr(p, " (");
   if (open == NULL || end[-1] != ')')
      return;
   while (strstr(open + 2, " (") != NULL && strstr(open + 2, " (") < end)
      open = strstr(open + 2, " (");
   fr->fn_len = (size_t)(open - p);
   const char *in = open + 2, *colon = NULL;
   size_t in_len = (size_t)(end - 1 - in);
   if (strncmp(in, "in ", 3) == 0) {
      fr->fl = in + 3;
      fr->fl_len = in_len - 3;
      return;
   }
   for (const char *q = in; q < end - 1; q++)
      if (*q == ':')
         colon = q;
   fr->fl = in;
   fr->fl_len = in_len;
   if (colon != NULL && colon[1] >= '0' && colon[1] <= '9') {
      fr->fl_len = (size_t)(colon - in);
      fr->line = strtoul(colon + 1, NULL, 10);
   }
}

/* `fl=FILE` and `fn=NAME` (or `cfl=`, `cfn=` when `c` is "c"). */
static void cg_put_fn(FILE *out, const struct cg_frame *fr, const char *c)
{
   fprintf(out, "%sfl=%.*s\n%sfn=%.*s\n", c, (int)fr->fl_len, fr->fl, c,
           (int)fr->fn_len, fr->fn);
}

/* A cost line: position `line`, then event 2*cat (mapped) and 2*cat+1
 * (resident); the events before them are 0, those after left out. */
static void cg_put_cost(FILE *out, unsigned long line, int cat,
                        uint64_t mapped_B, uint64_t res_B)
{
   fprintf(out, "%lu", line);
   for (int e = 0; e < 2 * cat; e++)
      fputs(" 0", out);
   fprintf(out, " %llu %llu\n", (unsigned long long)mapped_B,
           (unsigned long long)res_B);
}

static void cg_header(FILE *out, const struct rs_file *f, size_t snap)
{
   const struct rs_snapshot *s = &f->snaps[snap];
   fprintf(out, "# callgrind format\nversion: 1\ncreator: rs_print-%s\n",
           PACKAGE_VERSION);
   fprintf(out, "cmd: %s\n", f->cmd);
   fprintf(out, "desc: Snapshot: %zu of %s, time %llu (%s)%s\n", snap,
           f->name, (unsigned long long)s->time, f->time_unit,
           s->is_exit ? ", exit" : "");
   fprintf(out, "positions: line\n");
   for (int c = 0; c < RS_NCAT; c++)
      fprintf(out, "event: %s_B : %s, mapped bytes\n"
              "event: %s_res_B : %s, resident bytes\n", rs_cat_name[c],
              rs_cat_name[c], rs_cat_name[c], rs_cat_name[c]);
   fprintf(out, "events:");
   for (int c = 0; c < RS_NCAT; c++)
      fprintf(out, " %s_B %s_res_B", rs_cat_name[c], rs_cat_name[c]);
   fprintf(out, "\n\n");
}

/* Category `cat` of snapshot s, whose tree node is f->nodes[top]; res[] the
 * nodes' resident bytes, or NULL (then the category's function gets them). */
static void cg_category(FILE *out, const struct rs_file *f,
                        const struct rs_snapshot *s, int cat, size_t top,
                        const uint64_t *res)
{
   size_t n = f->nodes[top].size;
   uint64_t kids_B = 0, kids_res_B = 0;
   size_t *parent = malloc(n * sizeof *parent), depth = 0;
   size_t *path = malloc(n * sizeof *path);
   if (parent == NULL || path == NULL) {
      free(parent);
      free(path);
      return;
   }
   for (size_t i = 1; i < n; i++) {
      while (depth > 0 && path[depth - 1] + f->nodes[top + path[depth - 1]].size <= i)
         depth--;
      parent[i] = depth > 0 ? path[depth - 1] : 0;
      path[depth++] = i;
      const struct rs_node *nd = &f->nodes[top + i];
      uint64_t r = res ? res[i] : 0;
      struct cg_frame fr, callee;
      cg_parse_frame(nd->text, &fr);
      cg_put_fn(out, &fr, "");
      if (parent[i] == 0) {
         /* called the allocator (or mapped the pages): self cost */
         cg_put_cost(out, fr.line, cat, nd->bytes, r);
         kids_B += nd->bytes;
         kids_res_B += RS_MUTANT_IS(1301) ? 0 : r;
      } else {
         cg_parse_frame(f->nodes[top + parent[i]].text, &callee);
         cg_put_fn(out, &callee, "c");
         fprintf(out, "calls=1 %lu\n", callee.line);
         cg_put_cost(out, fr.line, cat, nd->bytes, r);
      }
   }
   uint64_t cat_B = s->cat_B[cat], cat_res_B = s->cat_res_B[cat];
   uint64_t self_B = cat_B > kids_B ? cat_B - kids_B : 0;
   uint64_t self_res_B = cat_res_B > kids_res_B ? cat_res_B - kids_res_B : 0;
   if (self_B > 0 || self_res_B > 0) {
      fprintf(out, "fl=???\nfn=(%s)\n", rs_cat_name[cat]);
      cg_put_cost(out, 0, cat, self_B, self_res_B);
   }
   free(parent);
   free(path);
}

int rs_callgrind_write(FILE *out, const struct rs_file *f, size_t snap)
{
   const struct rs_snapshot *s = &f->snaps[snap];
   int no_res = 0;
   if (s->node_count == 0)
      return -1;
   cg_header(out, f, snap);
   for (int c = 0; c < RS_NCAT; c++) {
      long top = rs_tree_category_node(f, s, c);
      if (top < 0) {
         /* no node for the category: all of it on its function */
         fprintf(out, "fl=???\nfn=(%s)\n", rs_cat_name[c]);
         cg_put_cost(out, 0, c, s->cat_B[c], s->cat_res_B[c]);
         continue;
      }
      uint64_t *res = rs_tree_res_new(f, s, c);
      no_res += res == NULL;
      cg_category(out, f, s, c, (size_t)top, res);
      free(res);
   }
   fprintf(out, "\ntotals:");
   for (int c = 0; c < RS_NCAT; c++)
      fprintf(out, " %llu %llu", (unsigned long long)s->cat_B[c],
              (unsigned long long)s->cat_res_B[c]);
   fprintf(out, "\n");
   return no_res;
}
