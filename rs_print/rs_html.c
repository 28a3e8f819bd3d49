/*
 * rs_html.c -- `rs_print --html`: the page's data as JSON in <script
 * type="application/json"> elements (the run: `rs-data`; each detailed
 * snapshot's trees: `rs-tree-N`; the trees' frame names: `rs-names`),
 * between the inline style sheet and script of rs_html_assets.c.  See
 * docs/rs_print.md.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "rs_html.h"
#include "rs_model.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

/* Writes n bytes of s as a JSON string; '<', '>' and '&' as \u escapes, so
 * that nothing in it can end the <script> element. */
static void json_strn(FILE *out, const char *s, size_t n)
{
   fputc('"', out);
   for (size_t i = 0; i < n; i++) {
      unsigned char c = (unsigned char)s[i];
      if (c == '"' || c == '\\')
         fprintf(out, "\\%c", c);
      else if (c == '\n')
         fputs("\\n", out);
      else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x7f)
         fprintf(out, "\\u%04x", c);
      else
         fputc(c, out);
   }
   fputc('"', out);
}

static void json_str(FILE *out, const char *s)
{
   json_strn(out, s, strlen(s));
}

/* Writes s HTML-escaped (for the page's title). */
static void html_text(FILE *out, const char *s)
{
   for (; *s; s++) {
      if (*s == '<')
         fputs("&lt;", out);
      else if (*s == '>')
         fputs("&gt;", out);
      else if (*s == '&')
         fputs("&amp;", out);
      else
         fputc(*s, out);
   }
}

/* ------------------------------------------------------------ frame names */

/* The frame names of all trees, each once: an open-addressing hash set of
 * strings (pointers into the file's buffer) and their order of appearance. */
struct names {
   const char **key;    /* hash slots, NULL when free */
   uint32_t *id;        /* the name's index in `order` */
   size_t cap;          /* slots, a power of two */
   const char **order;  /* names by index */
   size_t n;
};

static uint64_t name_hash(const char *s)
{
   uint64_t h = 1469598103934665603ULL;
   for (; *s; s++)
      h = (h ^ (unsigned char)*s) * 1099511628211ULL;
   return h;
}

/* A node's name: its text without Valgrind's `0xADDR: `. */
static const char *frame_name(const char *text)
{
   if (text[0] == '0' && text[1] == 'x' && strstr(text, ": ") != NULL)
      return strstr(text, ": ") + 2;
   return text;
}

static int names_grow(struct names *t)
{
   size_t cap = t->cap ? t->cap * 2 : 1024;
   const char **key = calloc(cap, sizeof *key);
   uint32_t *id = malloc(cap * sizeof *id);
   const char **order = realloc(t->order, cap / 2 * sizeof *order);
   if (key == NULL || id == NULL || order == NULL) {
      free(key);
      free(id);
      if (order != NULL)
         t->order = order;
      return -1;
   }
   t->order = order;
   for (size_t i = 0; i < t->cap; i++) {
      if (t->key[i] == NULL)
         continue;
      size_t k = name_hash(t->key[i]) & (cap - 1);
      while (key[k] != NULL)
         k = (k + 1) & (cap - 1);
      key[k] = t->key[i];
      id[k] = t->id[i];
   }
   free(t->key);
   free(t->id);
   t->key = key;
   t->id = id;
   t->cap = cap;
   return 0;
}

/* The index of name s, added if new; -1 when out of memory. */
static long names_id(struct names *t, const char *s)
{
   if (2 * (t->n + 1) > t->cap && names_grow(t) < 0)
      return -1;
   size_t k = name_hash(s) & (t->cap - 1);
   while (t->key[k] != NULL) {
      if (strcmp(t->key[k], s) == 0)
         return t->id[k];
      k = (k + 1) & (t->cap - 1);
   }
   t->key[k] = s;
   t->id[k] = (uint32_t)t->n;
   t->order[t->n] = s;
   return (long)t->n++;
}

static void names_free(struct names *t)
{
   free(t->key);
   free(t->id);
   free(t->order);
}

/* ------------------------------------------------------------------ trees */

static int cmp_desc(const void *a, const void *b)
{
   uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
   return x < y ? 1 : x > y ? -1 : 0;
}

/* The smallest mapped bytes a node of snapshot s's tree needs to be shown,
 * so that about `keep` nodes are (0: all). */
static uint64_t tree_cutoff(const struct rs_file *f,
                            const struct rs_snapshot *s, size_t keep)
{
   size_t n = s->node_count;
   if (n <= keep + 1)
      return 0;
   uint64_t *v = malloc(n * sizeof *v), cut;
   if (v == NULL)
      return UINT64_MAX;
   for (size_t i = 0; i < n; i++)
      v[i] = f->nodes[s->node_first + i].bytes;
   qsort(v, n, sizeof *v, cmp_desc);
   cut = v[keep];
   free(v);
   return cut > 0 ? cut : 1;
}

/* One tree (the node f->nodes[top] and the shown part of its subtree) as
 * `[name,kids,mapped,resident, ...]` in preorder, kids counting shown
 * children.  res: resident bytes per node, or NULL (resident = -1). */
static int tree_json(FILE *out, const struct rs_file *f, size_t top,
                     const uint64_t *res, uint64_t cutoff, size_t limit,
                     struct names *nm)
{
   size_t n = f->nodes[top].size, depth = 0, shown = 1;
   size_t *path = malloc(n * sizeof *path);
   uint32_t *kids = calloc(n, sizeof *kids);
   unsigned char *keep = calloc(n, 1);
   if (path == NULL || kids == NULL || keep == NULL) {
      free(path);
      free(kids);
      free(keep);
      return -1;
   }
   keep[0] = 1;
   path[depth++] = 0;
   for (size_t i = 1; i < n; i++) {
      while (path[depth - 1] + f->nodes[top + path[depth - 1]].size <= i)
         depth--;
      size_t parent = path[depth - 1];
      path[depth++] = i;
      uint64_t b = f->nodes[top + i].bytes;
      if (keep[parent] && b > 0 && b >= cutoff && shown < limit) {
         keep[i] = 1;
         kids[parent]++;
         shown++;
      }
   }
   fputc('[', out);
   for (size_t i = 0; i < n; i++) {
      if (!keep[i])
         continue;
      long id = names_id(nm, frame_name(f->nodes[top + i].text));
      fprintf(out, "%s%ld,%u,%llu,%lld", i ? "," : "", id, kids[i],
              (unsigned long long)f->nodes[top + i].bytes,
              res ? (long long)res[i] : -1LL);
   }
   fputc(']', out);
   free(path);
   free(kids);
   free(keep);
   return 0;
}

/* The trees of snapshot s: `[[cat,[nodes]],...]` (cat -1: a Massif tree,
 * the whole tree). */
static int snap_trees_json(FILE *out, const struct rs_file *f,
                           const struct rs_snapshot *s, size_t keep,
                           struct names *nm)
{
   uint64_t cutoff = tree_cutoff(f, s, keep);
   size_t limit = keep + keep / 4 + RS_NCAT;
   int first = 1, rc = 0;
   fputc('[', out);
   if (!f->is_rs) {
      fputs("[-1,", out);
      rc = tree_json(out, f, s->node_first, NULL, cutoff, limit, nm);
      fputs("]]", out);
      return rc;
   }
   for (int c = 0; c < RS_NCAT && rc == 0; c++) {
      long top = rs_tree_category_node(f, s, c);
      if (top < 0)
         continue;
      uint64_t *res = rs_tree_res_new(f, s, c);
      fprintf(out, "%s[%d,", first ? "" : ",", c);
      rc = tree_json(out, f, (size_t)top, res, cutoff, limit, nm);
      fputc(']', out);
      free(res);
      first = 0;
   }
   fputc(']', out);
   return rc;
}

/* ------------------------------------------------------------------ data */

/* The snapshot with the most retained memory: peak_retained=1, else the
 * first with the largest heap_dead_res_B; -1 for a plain Massif file. */
static long retained_peak(const struct rs_file *f)
{
   long best = -1;
   if (!f->is_rs)
      return -1;
   for (size_t i = 0; i < f->nsnaps; i++) {
      const struct rs_snapshot *s = &f->snaps[i];
      const char *v = rs_record_get(f, &f->records[s->totals_record],
                                    "peak_retained");
      if (v != NULL && strcmp(v, "1") == 0)
         return (long)i;
      if (best < 0 || s->cat_res_B[RS_CAT_HEAP_DEAD]
                      > f->snaps[best].cat_res_B[RS_CAT_HEAP_DEAD])
         best = (long)i;
   }
   return best;
}

/* `sel`: the snapshot the page shows first (--snapshot, else the exit). */
static void data_meta(FILE *out, const struct rs_file *f,
                      const struct rs_opts *o)
{
   fputs("{\"v\":1,\"tool\":", out);
   json_str(out, "rs_print-" PACKAGE_VERSION);
   fputs(",\"file\":", out);
   json_str(out, f->name);
   fputs(",\"cmd\":", out);
   json_str(out, f->cmd);
   fputs(",\"desc\":", out);
   json_str(out, f->desc);
   fputs(",\"unit\":", out);
   json_str(out, f->time_unit);
   fprintf(out, ",\"rs\":%d,\"page_B\":%llu,\"peak\":%ld,\"exit\":%ld,"
           "\"final\":%ld,\"pret\":%ld,\"sel\":%ld", f->is_rs,
           (unsigned long long)f->page_B, rs_peak_index(f), f->exit_snap,
           rs_final_index(f), retained_peak(f),
           o->snapshot >= 0 ? o->snapshot : rs_final_index(f));
}

/* Per snapshot: number, time, mapped bytes per category (Massif: heap,
 * extra heap, stacks), resident bytes, label. */
static void data_snapshots(FILE *out, const struct rs_file *f)
{
   fputs(",\"snaps\":[", out);
   for (size_t i = 0; i < f->nsnaps; i++) {
      const struct rs_snapshot *s = &f->snaps[i];
      fprintf(out, "%s[%llu,%llu,[", i ? "," : "",
              (unsigned long long)s->num, (unsigned long long)s->time);
      if (f->is_rs) {
         for (int c = 0; c < RS_NCAT; c++)
            fprintf(out, "%s%llu", c ? "," : "",
                    (unsigned long long)s->cat_B[c]);
         fputs("],[", out);
         for (int c = 0; c < RS_NCAT; c++)
            fprintf(out, "%s%llu", c ? "," : "",
                    (unsigned long long)(RS_MUTANT_IS(1302) ? s->cat_B[c]
                                                            : s->cat_res_B[c]));
      } else {
         fprintf(out, "%llu,%llu,%llu],[", (unsigned long long)s->mem_heap_B,
                 (unsigned long long)s->mem_heap_extra_B,
                 (unsigned long long)s->mem_stacks_B);
      }
      fprintf(out, "],%d,", s->node_count > 0);
      if (s->label)
         json_str(out, s->label);
      else
         fputs("null", out);
      fputc(']', out);
   }
   fputc(']', out);
}

/* Each snapshot's answer: rs_print's answer section for --snapshot=N. */
static int data_answers(FILE *out, const struct rs_file *f,
                        const struct rs_opts *o)
{
   struct rs_opts one = *o;
   fputs(",\"answers\":[", out);
   for (size_t i = 0; i < f->nsnaps; i++) {
      char *text = NULL;
      size_t len = 0;
      FILE *m = open_memstream(&text, &len);
      if (m == NULL)
         return -1;
      one.snapshot = RS_MUTANT_IS(1303) ? 0 : (long)i;
      rs_report_answer(m, f, &one);
      if (fclose(m) != 0) {
         free(text);
         return -1;
      }
      if (i)
         fputc(',', out);
      json_strn(out, text, len);
      free(text);
   }
   fputc(']', out);
   return 0;
}

/* The detailed snapshots' trees, one <script type="application/json"
 * id="rs-tree-N"> element each, parsed by the page only when shown. */
static int page_trees(FILE *out, const struct rs_file *f, struct names *nm)
{
   size_t ntrees = 0, keep;
   int rc = 0;
   for (size_t i = 0; i < f->nsnaps; i++)
      ntrees += f->snaps[i].node_count > 0;
   keep = ntrees ? RS_HTML_NODE_BUDGET / ntrees : RS_HTML_TREE_MAX;
   keep = keep < RS_HTML_TREE_MIN ? RS_HTML_TREE_MIN
        : keep > RS_HTML_TREE_MAX ? RS_HTML_TREE_MAX : keep;
   for (size_t i = 0; i < f->nsnaps && rc == 0; i++) {
      if (f->snaps[i].node_count == 0)
         continue;
      fprintf(out, "<script id=\"rs-tree-%zu\" type=\"application/json\">", i);
      rc = snap_trees_json(out, f, &f->snaps[i], keep, nm);
      fputs("</script>\n", out);
   }
   fprintf(out, "<script id=\"rs-names\" type=\"application/json\">"
           "{\"tree_keep\":%zu", keep);
   return rc;
}

static void data_names(FILE *out, const struct names *nm)
{
   fputs(",\"names\":[", out);
   for (size_t i = 0; i < nm->n; i++) {
      if (i)
         fputc(',', out);
      json_str(out, nm->order[i]);
   }
   fputs("]}", out);
}

int rs_html_write(FILE *out, const struct rs_file *f, const struct rs_opts *o)
{
   struct names nm = { 0 };
   int rc;
   fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"generator\" content=\"rs_print-" PACKAGE_VERSION "\">\n"
         "<title>rssmassif: ", out);
   html_text(out, f->cmd);
   fputs("</title>\n<style>\n", out);
   fputs(rs_html_style, out);
   fputs("</style>\n</head>\n<body>\n<noscript>This report needs "
         "JavaScript; rs_print FILE prints the same answers as text."
         "</noscript>\n<script id=\"rs-data\" type=\"application/json\">",
         out);
   data_meta(out, f, o);
   data_snapshots(out, f);
   rc = data_answers(out, f, o);
   fputs("}</script>\n", out);
   if (rc == 0)
      rc = page_trees(out, f, &nm);
   data_names(out, &nm);
   names_free(&nm);
   fputs("</script>\n<script>\n", out);
   fputs(rs_html_script, out);
   fputs("</script>\n</body>\n</html>\n", out);
   return rc;
}
