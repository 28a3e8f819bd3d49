/*
 * rs_tree_check -- structural checks of an rssmassif.out file's snapshots
 * and detailed trees, plus expectations computed by a test program.
 *
 * Part of rssmassif's test suite (issue 3: detailed snapshots).
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Usage:
 *   rs_tree_check [OPTIONS] FILE  < expectations
 *   rs_tree_check [OPTIONS] --get SEL KEY FILE
 *
 * The structural checks always run (see check_file() and check_snapshot()):
 *   - header: desc:, cmd:, time_unit: i|ms|B, `#rs: version=1 page_B=4096`;
 *   - snapshots numbered 0, 1, ... in order, each with time=, the three mem_
 *     lines, exactly one `#rs:` totals line with the 12 keys in order, and
 *     mem_heap_B = heap_live_B, mem_heap_extra_B = heap_dead_B,
 *     mem_stacks_B = loader_B + stack_B + other_B;
 *   - times never decrease; exactly one snapshot carries exit=1 and it is
 *     the last; exactly one is heap_tree=peak and no snapshot's mapped heap
 *     (heap_live_B + heap_dead_B) exceeds the peak's by more than
 *     --peak-inaccuracy; at most one carries peak_retained=1, and then it
 *     has the greatest heap_dead_res_B;
 *   - labelled and final snapshots are detailed;
 *   - every tree (heap_tree=detailed|peak): one root whose value is the sum
 *     of the five mapped categories, with exactly five children whose values
 *     are heap_live_B, heap_dead_B, loader_B, stack_B, other_B in this order
 *     (texts starting `heap_live:`, ...); every `nK:` announces exactly its
 *     K children (one more space of indent); every node's children sum to at
 *     most the node (Massif's "in N places, below threshold" line counts as a
 *     child, and so does "(allocations in --ignore-fn functions)"); named
 *     children are sorted by size, those two lines after them;
 *   - the analysis lines of a detailed snapshot: one `#rs.pinned:` and one
 *     `#rs.trim:` (estimate_B = the totals line's trim_estimate_B); segments
 *     (mapped = live + dead, dead_res <= dead, top_dead <= dead) that sum to
 *     the heap categories; each `#rs.blocker:` follows its segment and keeps
 *     at most its dead bytes; `#rs.arena:` lines that sum to the segments;
 *     pinned pages below the threshold, at most 5 sites sorted by pages.
 *
 * OPTIONS (what the run's options promise):
 *   --max-snapshots=N     at most N snapshots
 *   --all-detailed        every snapshot has a tree (--detailed-freq=1)
 *   --threshold=PCT       every node below a category node that is not an
 *                         aggregate line holds >= PCT % of its snapshot's total
 *   --depth=N             no node lies more than N levels below its category
 *                         node (an allocation/mapping stack of N frames)
 *   --peak-inaccuracy=PCT (default 1.0)
 *   --strict-time         times strictly increase
 *   --max-gap=R           no interval between neighbouring snapshots is
 *                         longer than R times the mean interval
 *   -v                    print every passed expectation too
 *
 * Expectations (standard input; other lines are ignored, so a client's whole
 * stdout can be fed in).  VALUE and T are decimal numbers the client computed.
 *   expect-snap: SEL KEY OP VALUE [tol=T]
 *   expect-count: SEL OP N REGEX      lines of the snapshot matching REGEX
 *   expect-field: SEL KEY OP VALUE REGEX
 *                                     KEY=number on the first line matching
 *                                     REGEX (KEY `bytes`: a tree node's value;
 *                                     `res`: its resident bytes, from the
 *                                     snapshot's `#rs.tree_res:` lines)
 *   expect-line: SEL REGEX            = expect-count: SEL >= 1 REGEX
 *   expect-no-line: SEL REGEX         = expect-count: SEL = 0 REGEX
 *   expect-file: KEY OP VALUE         KEY: snapshots, detailed, peaks,
 *                                     labelled, version; time_unit (OP =,
 *                                     VALUE i, ms or B)
 * OP: = ~ (needs tol=T: |actual - VALUE| <= T) <= >= < > !=
 * SEL: final (exit=1), peak, retained (peak_retained=1), label=NAME,
 *      first, last, every (each snapshot), detailed (each snapshot with a
 *      tree; at least one must exist).
 * REGEX: POSIX extended, the rest of the line.  It is matched against each
 *      line of the snapshot's block; a tree line is presented as
 *      `CAT|LINE` where CAT is `root` for the root and the category
 *      (heap_live, heap_dead, loader, stack, other) for the category node
 *      and everything below it, e.g. `^heap_live\|  n[0-9]+: [0-9]+ 0x[0-9A-F]+: f \(`
 *      matches f named directly below heap_live.
 * KEY (expect-snap): a key of the `#rs:` totals line; time, number,
 *      mem_heap_B, mem_heap_extra_B, mem_stacks_B; heap_B (live + dead
 *      mapped), total_B (five categories mapped); tree_nodes, tree_depth
 *      (root 0, categories 1); tree.CAT.nodes, tree.CAT.depth (below the
 *      category node), tree.CAT.children_B (sum of the category's
 *      children); KIND.KEY for the first `#rs.KIND:` line (pinned.pages,
 *      trim.estimate_B, ...); count.KIND: number of `#rs.KIND:` lines.
 *
 * --get SEL KEY prints the value of KEY in the (single) selected snapshot,
 * or of expect-file's KEY when SEL is `file`.
 *
 * Output: one line per problem (`rs_tree_check: FILE:LINE: ...`), then
 * `rs_tree_check: N snapshots, N trees, N expectations: OK|N problems`.
 * Exit status 0 when all is well, 1 on a problem, 2 on a usage error.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned long long u64;

static const char *const totals_keys[12] = {
   "useful_B",    "blocks",          "heap_live_B", "heap_live_res_B",
   "heap_dead_B", "heap_dead_res_B", "loader_B",    "loader_res_B",
   "stack_B",     "stack_res_B",     "other_B",     "other_res_B",
};
static const char *const cat_names[5] = { "heap_live", "heap_dead", "loader", "stack", "other" };
static const char *const cat_keys[5] = { "heap_live_B", "heap_dead_B", "loader_B", "stack_B", "other_B" };

struct kv {
   char *key, *val;
};

struct node {
   long line;
   int depth;          /* root 0 */
   int cat;            /* -1 root, 0..4 the category it lies under */
   u64 n_decl, bytes;
   const char *text;   /* points into the raw line */
   int aggregate;      /* Massif's "in N places ... below ... threshold" */
   u64 res;            /* resident bytes, from the `#rs.tree_res:` line */
};

struct line {
   long no;
   char *raw;
   char *shown;        /* what REGEX expectations see */
};

struct snap {
   long number, line;
   struct line *lines;
   size_t n_lines, cap_lines;
   /* parsed */
   int have_time, have_heap, have_extra, have_stacks;
   u64 time, mem_heap, mem_extra, mem_stacks;
   struct kv *kv;
   size_t n_kv;
   long totals_line;
   const char *tree_kind;  /* "empty", "detailed", "peak" or NULL */
   struct node *nodes;
   size_t n_nodes;
   int tree_ok;
};

static const char *file_name;
static int n_problems, n_expect, verbose;
static struct snap *snaps;
static size_t n_snaps;
static char *time_unit;
static u64 version, page_B;

/* options */
static long opt_max_snapshots = -1, opt_depth = -1;
static double opt_threshold = -1.0, opt_peak_inaccuracy = 1.0, opt_max_gap = -1.0;
static int opt_all_detailed, opt_strict_time;

static void problem(long line, const char *fmt, ...)
{
   va_list ap;
   if (line > 0)
      printf("rs_tree_check: %s:%ld: ", file_name, line);
   else
      printf("rs_tree_check: %s: ", file_name);
   va_start(ap, fmt);
   vprintf(fmt, ap);
   va_end(ap);
   putchar('\n');
   n_problems++;
}

static void *xmalloc(size_t n)
{
   void *p = malloc(n ? n : 1);
   if (!p) {
      fprintf(stderr, "rs_tree_check: out of memory\n");
      exit(2);
   }
   return p;
}

static void *xrealloc(void *p, size_t n)
{
   p = realloc(p, n ? n : 1);
   if (!p) {
      fprintf(stderr, "rs_tree_check: out of memory\n");
      exit(2);
   }
   return p;
}

static char *xstrdup(const char *s)
{
   size_t n = strlen(s);
   char *p = xmalloc(n + 1);
   memcpy(p, s, n + 1);
   return p;
}

static char *xstrndup(const char *s, size_t n)
{
   char *p = xmalloc(n + 1);
   memcpy(p, s, n);
   p[n] = '\0';
   return p;
}

/* A whole string of decimal digits.  0 on success. */
static int parse_u64(const char *s, u64 *out)
{
   const char *p;
   char *end;
   if (!s || !*s)
      return -1;
   for (p = s; *p; p++)
      if (!isdigit((unsigned char)*p))
         return -1;
   errno = 0;
   *out = strtoull(s, &end, 10);
   return errno == ERANGE || *end ? -1 : 0;
}

/* Leading decimal digits of s (at least one); end set after them. */
static int parse_u64_prefix(const char *s, u64 *out, const char **end)
{
   char *e;
   if (!isdigit((unsigned char)*s))
      return -1;
   errno = 0;
   *out = strtoull(s, &e, 10);
   if (errno == ERANGE)
      return -1;
   *end = e;
   return 0;
}

/* The number after ` KEY=` (or at the start) in a line of key=value words.
 * 0 when found. */
static int field_u64(const char *line, const char *key, u64 *out)
{
   size_t kl = strlen(key);
   const char *p = line;
   while ((p = strstr(p, key)) != NULL) {
      if ((p == line || p[-1] == ' ' || p[-1] == ':') && p[kl] == '=') {
         const char *end;
         return parse_u64_prefix(p + kl + 1, out, &end);
      }
      p += kl;
   }
   return -1;
}

/* ------------------------------------------------------------------ */
/* Reading the file.                                                   */
/* ------------------------------------------------------------------ */

static void add_line(struct snap *s, long no, const char *raw)
{
   if (s->n_lines == s->cap_lines) {
      s->cap_lines = s->cap_lines ? 2 * s->cap_lines : 32;
      s->lines = xrealloc(s->lines, s->cap_lines * sizeof *s->lines);
   }
   s->lines[s->n_lines].no = no;
   s->lines[s->n_lines].raw = xstrdup(raw);
   s->lines[s->n_lines].shown = NULL;
   s->n_lines++;
}

static int read_file(const char *name)
{
   FILE *f = fopen(name, "r");
   char *buf = NULL;
   size_t cap = 0;
   ssize_t len;
   long no = 0;
   int seen_desc = 0, seen_cmd = 0, seen_version = 0;
   struct snap *cur = NULL;
   size_t cap_snaps = 0;

   if (!f) {
      problem(0, "cannot open: %s", strerror(errno));
      return -1;
   }
   while ((len = getline(&buf, &cap, f)) >= 0) {
      no++;
      while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
         buf[--len] = '\0';
      if (strncmp(buf, "snapshot=", 9) == 0) {
         u64 n;
         if (n_snaps == cap_snaps) {
            cap_snaps = cap_snaps ? 2 * cap_snaps : 64;
            snaps = xrealloc(snaps, cap_snaps * sizeof *snaps);
         }
         cur = &snaps[n_snaps++];
         memset(cur, 0, sizeof *cur);
         cur->line = no;
         if (parse_u64(buf + 9, &n) != 0)
            problem(no, "bad snapshot line \"%s\"", buf);
         cur->number = (long)n;
         continue;
      }
      if (cur) {
         add_line(cur, no, buf);
         continue;
      }
      if (strncmp(buf, "desc:", 5) == 0)
         seen_desc = 1;
      else if (strncmp(buf, "cmd:", 4) == 0)
         seen_cmd = 1;
      else if (strncmp(buf, "time_unit: ", 11) == 0)
         time_unit = xstrdup(buf + 11);
      else if (strncmp(buf, "#rs: ", 5) == 0) {
         seen_version = 1;
         if (field_u64(buf, "version", &version) != 0 || field_u64(buf, "page_B", &page_B) != 0)
            problem(no, "header `#rs:` line lacks version= or page_B=: \"%s\"", buf);
      } else if (buf[0] != '#' && buf[0] != '\0')
         problem(no, "unexpected header line \"%s\"", buf);
   }
   free(buf);
   fclose(f);
   if (!seen_desc)
      problem(0, "no desc: line");
   if (!seen_cmd)
      problem(0, "no cmd: line");
   if (!time_unit)
      problem(0, "no time_unit: line");
   else if (strcmp(time_unit, "i") && strcmp(time_unit, "ms") && strcmp(time_unit, "B"))
      problem(0, "time_unit is \"%s\", not i, ms or B", time_unit);
   if (!seen_version)
      problem(0, "no `#rs: version=N page_B=N` header line");
   else {
      if (version != 1)
         problem(0, "file version %llu, this checker knows version 1", version);
      if (page_B != 4096)
         problem(0, "page_B=%llu, expected 4096", page_B);
   }
   if (n_snaps == 0)
      problem(0, "no snapshot");
   return 0;
}

/* ------------------------------------------------------------------ */
/* One snapshot.                                                       */
/* ------------------------------------------------------------------ */

static const char *lookup(const struct snap *s, const char *key)
{
   size_t i;
   for (i = 0; i < s->n_kv; i++)
      if (strcmp(s->kv[i].key, key) == 0)
         return s->kv[i].val;
   return NULL;
}

static u64 num(const struct snap *s, const char *key)
{
   u64 v = 0;
   const char *t = lookup(s, key);
   if (t)
      parse_u64(t, &v);
   return v;
}

static u64 heap_B(const struct snap *s) { return num(s, "heap_live_B") + num(s, "heap_dead_B"); }

static u64 total_B(const struct snap *s)
{
   u64 t = 0;
   int c;
   for (c = 0; c < 5; c++)
      t += num(s, cat_keys[c]);
   return t;
}

static int has_tree(const struct snap *s)
{
   return s->tree_kind && (!strcmp(s->tree_kind, "detailed") || !strcmp(s->tree_kind, "peak"));
}

static void split_pairs(struct snap *s, const char *text)
{
   const char *p = text;
   size_t cap = 16;
   s->kv = xmalloc(cap * sizeof *s->kv);
   s->n_kv = 0;
   for (;;) {
      const char *w, *eq;
      while (*p == ' ')
         p++;
      if (!*p)
         break;
      w = p;
      while (*p && *p != ' ')
         p++;
      eq = memchr(w, '=', (size_t)(p - w));
      if (!eq || eq == w) {
         problem(s->totals_line, "`#rs:` word \"%.*s\" is not KEY=VALUE", (int)(p - w), w);
         continue;
      }
      if (s->n_kv == cap) {
         cap *= 2;
         s->kv = xrealloc(s->kv, cap * sizeof *s->kv);
      }
      s->kv[s->n_kv].key = xstrndup(w, (size_t)(eq - w));
      s->kv[s->n_kv].val = xstrndup(eq + 1, (size_t)(p - eq - 1));
      s->n_kv++;
   }
}

/* Massif's aggregate child: "in 1 place, below massif's threshold (1.00%)"
 * or "in N places, all below massif's threshold (1.00%)"; and rssmassif's
 * "(allocations in --ignore-fn functions)" under heap_live, the bytes of the
 * stacks --ignore-fn leaves out.  Both come after the named children and are
 * exempt from --threshold. */
static int is_aggregate(const char *text)
{
   return (strncmp(text, "in ", 3) == 0 && strstr(text, "below massif's threshold") != NULL)
          || strcmp(text, "(allocations in --ignore-fn functions)") == 0;
}

/* Parses the tree lines from index `from` of the block.  Sets nodes and the
 * CAT| presentation of the lines. */
static void parse_tree(struct snap *s, size_t from)
{
   size_t i;
   int cat = -1;
   s->nodes = xmalloc((s->n_lines - from + 1) * sizeof *s->nodes);
   s->n_nodes = 0;
   s->tree_ok = 1;
   for (i = from; i < s->n_lines; i++) {
      struct line *l = &s->lines[i];
      const char *p = l->raw, *q;
      struct node *n = &s->nodes[s->n_nodes];
      int depth = 0;
      const char *prefix;
      if (l->raw[0] == '#' || l->raw[0] == '\0')
         continue;     /* ms_print skips comments; they may not split a tree */
      while (*p == ' ') {
         depth++;
         p++;
      }
      n->line = l->no;
      n->depth = depth;
      if (*p != 'n' || parse_u64_prefix(p + 1, &n->n_decl, &q) != 0 || q[0] != ':' || q[1] != ' '
          || parse_u64_prefix(q + 2, &n->bytes, &q) != 0 || (*q != ' ' && *q != '\0')) {
         problem(l->no, "snapshot %ld: not a tree line: \"%s\"", s->number, l->raw);
         s->tree_ok = 0;
         continue;
      }
      n->text = *q ? q + 1 : q;
      n->aggregate = is_aggregate(n->text);
      n->res = 0;
      if (depth == 0) {
         cat = -1;
      } else if (depth == 1) {
         int c;
         cat = 5;
         for (c = 0; c < 5; c++) {
            size_t len = strlen(cat_names[c]);
            if (strncmp(n->text, cat_names[c], len) == 0 && n->text[len] == ':')
               cat = c;
         }
      }
      n->cat = cat;
      prefix = depth == 0 ? "root" : cat >= 0 && cat < 5 ? cat_names[cat] : "unknown";
      l->shown = xmalloc(strlen(prefix) + 1 + strlen(l->raw) + 1);
      sprintf(l->shown, "%s|%s", prefix, l->raw);
      s->n_nodes++;
   }
}

/* The tree's shape: counts, sums, order, categories. */
static void check_tree(struct snap *s)
{
   size_t i, j;
   u64 total = total_B(s);
   int n_cat = 0;
   if (s->n_nodes == 0) {
      problem(s->line, "snapshot %ld: heap_tree=%s without a tree", s->number, s->tree_kind);
      s->tree_ok = 0;
      return;
   }
   if (s->nodes[0].depth != 0) {
      problem(s->nodes[0].line, "snapshot %ld: the tree does not start with a root line", s->number);
      s->tree_ok = 0;
      return;
   }
   for (i = 1; i < s->n_nodes; i++)
      if (s->nodes[i].depth == 0) {
         problem(s->nodes[i].line, "snapshot %ld: a second root", s->number);
         s->tree_ok = 0;
      }
   if (s->nodes[0].bytes != total)
      problem(s->nodes[0].line, "snapshot %ld: root %llu != sum of the 5 mapped categories %llu",
              s->number, s->nodes[0].bytes, total);
   if (s->nodes[0].n_decl != 5)
      problem(s->nodes[0].line, "snapshot %ld: root has n%llu, expected n5", s->number, s->nodes[0].n_decl);

   for (i = 0; i < s->n_nodes; i++) {
      struct node *n = &s->nodes[i];
      u64 kids = 0, sum = 0, prev = ~0ULL, agg_bytes = ~0ULL;
      if (i + 1 < s->n_nodes && s->nodes[i + 1].depth > n->depth + 1) {
         problem(s->nodes[i + 1].line, "snapshot %ld: indent jumps by more than one", s->number);
         s->tree_ok = 0;
      }
      for (j = i + 1; j < s->n_nodes && s->nodes[j].depth > n->depth; j++) {
         const struct node *k = &s->nodes[j];
         if (k->depth != n->depth + 1)
            continue;
         kids++;
         sum += k->bytes;
         if (n->depth >= 1) {        /* the categories have a fixed order */
            /* Valgrind's xtree printer sorts the below-threshold line
               among its named siblings by size; rssmassif's own loader
               and --ignore-fn lines come after them.  Either way no named
               child after an aggregate line is larger than it. */
            if (!k->aggregate && k->bytes > agg_bytes)
               problem(k->line, "snapshot %ld: a named child of %llu bytes after an aggregate "
                       "line of %llu", s->number, k->bytes, agg_bytes);
            if (!k->aggregate && k->bytes > prev)
               problem(k->line, "snapshot %ld: children not sorted by size (%llu after %llu)",
                       s->number, k->bytes, prev);
            if (k->aggregate)
               agg_bytes = k->bytes < agg_bytes ? k->bytes : agg_bytes;
            else
               prev = k->bytes;
         }
      }
      if (kids != n->n_decl) {
         problem(n->line, "snapshot %ld: node says n%llu but has %llu children", s->number,
                 n->n_decl, kids);
         s->tree_ok = 0;
      }
      if (sum > n->bytes)
         problem(n->line, "snapshot %ld: children sum to %llu > node's %llu", s->number, sum, n->bytes);
      if (n->aggregate && n->n_decl != 0)
         problem(n->line, "snapshot %ld: an aggregate line with children", s->number);
      if (n->depth == 1) {
         if (n_cat < 5) {
            if (n->cat != n_cat)
               problem(n->line, "snapshot %ld: category %d should be `%s: ...`, is \"%s\"",
                       s->number, n_cat + 1, cat_names[n_cat], n->text);
            else if (n->bytes != num(s, cat_keys[n_cat]))
               problem(n->line, "snapshot %ld: %s node %llu != %s=%llu", s->number,
                       cat_names[n_cat], n->bytes, cat_keys[n_cat], num(s, cat_keys[n_cat]));
         }
         n_cat++;
      }
      if (n->depth >= 2 && !n->aggregate && opt_threshold >= 0.0 && total > 0) {
         /* Massif keeps a node when bytes * 100 / total >= threshold. */
         double pct = (double)n->bytes * 100.0 / (double)total;
         if (pct + 1e-9 < opt_threshold)
            problem(n->line, "snapshot %ld: node of %llu bytes is %.3f%% of %llu, below --threshold=%g",
                    s->number, n->bytes, pct, total, opt_threshold);
      }
      if (n->depth >= 2 && opt_depth >= 0 && n->depth - 1 > opt_depth)
         problem(n->line, "snapshot %ld: node %d levels below its category, more than --depth=%ld",
                 s->number, n->depth - 1, opt_depth);
   }
   if (n_cat != 5)
      problem(s->nodes[0].line, "snapshot %ld: %d category nodes, expected 5", s->number, n_cat);
}

/* The `#rs.tree_res: cat=CAT res_B=R,R,...` lines of a detailed snapshot:
 * one per category, one figure per node of the category's subtree in
 * order; the category's is its X_res_B; each at most its node's mapped
 * bytes, a whole number of pages; children at most their parent. */
static void check_tree_res(struct snap *s)
{
   static const char *const res_keys[5] = { "heap_live_res_B", "heap_dead_res_B",
                                            "loader_res_B", "stack_res_B", "other_res_B" };
   int c, seen[5] = { 0 };
   size_t i, j;
   for (i = 0; i < s->n_lines; i++) {
      const char *l = s->lines[i].raw, *p;
      long no = s->lines[i].no;
      size_t first = s->n_nodes, k;
      if (strncmp(l, "#rs.tree_res: cat=", 18) != 0)
         continue;
      for (c = 0; c < 5; c++)
         if (strncmp(l + 18, cat_names[c], strlen(cat_names[c])) == 0
             && l[18 + strlen(cat_names[c])] == ' ')
            break;
      if (c == 5 || (p = strstr(l, " res_B=")) == NULL) {
         problem(no, "snapshot %ld: malformed #rs.tree_res: line", s->number);
         continue;
      }
      seen[c]++;
      for (k = 0; k < s->n_nodes; k++)
         if (s->nodes[k].depth == 1 && s->nodes[k].cat == c) {
            first = k;
            break;
         }
      p += 7;
      for (k = first; k < s->n_nodes && (k == first || s->nodes[k].depth >= 2); k++) {
         const char *end;
         if (parse_u64_prefix(p, &s->nodes[k].res, &end) != 0) {
            problem(no, "snapshot %ld: #rs.tree_res: %s: too few figures", s->number, cat_names[c]);
            break;
         }
         if (s->nodes[k].res > s->nodes[k].bytes || s->nodes[k].res % page_B != 0)
            problem(no, "snapshot %ld: #rs.tree_res: %s: node line %ld: resident %llu of %llu mapped",
                    s->number, cat_names[c], s->nodes[k].line, s->nodes[k].res, s->nodes[k].bytes);
         p = *end == ',' ? end + 1 : end;
         if (*end != ',' && k + 1 < s->n_nodes && s->nodes[k + 1].depth >= 2) {
            problem(no, "snapshot %ld: #rs.tree_res: %s: too few figures", s->number, cat_names[c]);
            break;
         }
      }
      if (*p != '\0')
         problem(no, "snapshot %ld: #rs.tree_res: %s: too many figures", s->number, cat_names[c]);
      if (first < s->n_nodes && s->nodes[first].res != num(s, res_keys[c]))
         problem(no, "snapshot %ld: #rs.tree_res: %s: %llu, the totals line says %s=%llu",
                 s->number, cat_names[c], s->nodes[first].res, res_keys[c], num(s, res_keys[c]));
   }
   for (c = 0; c < 5; c++)
      if (seen[c] != 1)
         problem(s->line, "snapshot %ld: %d #rs.tree_res: lines for %s, expected 1", s->number,
                 seen[c], cat_names[c]);
   for (i = 0; i < s->n_nodes; i++) {
      u64 sum = 0;
      if (s->nodes[i].depth < 1)
         continue;
      for (j = i + 1; j < s->n_nodes && s->nodes[j].depth > s->nodes[i].depth; j++)
         if (s->nodes[j].depth == s->nodes[i].depth + 1)
            sum += s->nodes[j].res;
      if (sum > s->nodes[i].res)
         problem(s->nodes[i].line, "snapshot %ld: resident children sum to %llu > node's %llu",
                 s->number, sum, s->nodes[i].res);
   }
}

/* The `#rs.KIND:` analysis lines of a detailed snapshot. */
static void check_analysis(struct snap *s)
{
   size_t i;
   int n_pinned = 0, n_trim = 0, n_sites = 0;
   u64 pin_pages = 0, pin_useful = 0, pin_threshold = 0, site_pages = 0, prev_site = ~0ULL;
   u64 seg_mapped = 0, seg_live = 0, seg_dead = 0, seg_dead_res = 0;
   u64 ar_mapped = 0, ar_live = 0, ar_dead = 0, ar_dead_res = 0, ar_segments = 0, n_segments = 0;
   u64 cur_seg_start = 0, cur_seg_dead = 0, cur_seg_dead_res = 0, v;
   int have_seg = 0, n_arenas = 0;
   const char *est = lookup(s, "trim_estimate_B");

   for (i = 0; i < s->n_lines; i++) {
      const char *l = s->lines[i].raw;
      long no = s->lines[i].no;
      if (strncmp(l, "#rs.", 4) != 0)
         continue;
      if (strncmp(l, "#rs.pinned: ", 12) == 0) {
         u64 bytes;
         n_pinned++;
         if (field_u64(l, "pages", &pin_pages) || field_u64(l, "bytes", &bytes)
             || field_u64(l, "useful_B", &pin_useful) || field_u64(l, "threshold_B", &pin_threshold)) {
            problem(no, "snapshot %ld: #rs.pinned: lacks a key", s->number);
            continue;
         }
         if (bytes != pin_pages * page_B)
            problem(no, "snapshot %ld: pinned bytes %llu != pages*page_B", s->number, bytes);
         if (pin_pages > 0 && pin_useful > pin_pages * (pin_threshold - 1))
            problem(no, "snapshot %ld: pinned useful_B %llu: some pinned page holds >= threshold_B",
                    s->number, pin_useful);
         if (bytes > num(s, "heap_live_B"))
            problem(no, "snapshot %ld: pinned bytes %llu > heap_live_B", s->number, bytes);
      } else if (strncmp(l, "#rs.pinned_site: ", 17) == 0) {
         u64 p, u;
         n_sites++;
         if (field_u64(l, "pages", &p) || field_u64(l, "useful_B", &u) || !strstr(l, " at=")) {
            problem(no, "snapshot %ld: #rs.pinned_site: lacks pages=, useful_B= or at=", s->number);
            continue;
         }
         if (p > prev_site)
            problem(no, "snapshot %ld: pinned sites not sorted by pages", s->number);
         prev_site = p;
         site_pages += p;
      } else if (strncmp(l, "#rs.segment: ", 13) == 0) {
         u64 start, mapped, live, dead, dead_res, top, top_res;
         if (!strstr(l, " kind=") || field_u64(l, "mapped_B", &mapped) || field_u64(l, "live_B", &live)
             || field_u64(l, "dead_B", &dead) || field_u64(l, "dead_res_B", &dead_res)
             || field_u64(l, "top_dead_B", &top) || field_u64(l, "top_dead_res_B", &top_res)
             || !strstr(l, " start=0x")) {
            problem(no, "snapshot %ld: #rs.segment: lacks a key", s->number);
            have_seg = 0;
            continue;
         }
         start = strtoull(strstr(l, " start=0x") + 9, NULL, 16);
         n_segments++;
         if (mapped != live + dead)
            problem(no, "snapshot %ld: segment mapped_B != live_B + dead_B", s->number);
         if (dead_res > dead || top > dead || top_res > top || top_res > dead_res)
            problem(no, "snapshot %ld: segment dead/top sizes inconsistent", s->number);
         seg_mapped += mapped;
         seg_live += live;
         seg_dead += dead;
         seg_dead_res += dead_res;
         have_seg = 1;
         cur_seg_start = start;
         cur_seg_dead = dead;
         cur_seg_dead_res = dead_res;
      } else if (strncmp(l, "#rs.blocker: ", 13) == 0) {
         u64 kept, kept_res, size;
         const char *sp = strstr(l, "segment=0x");
         if (!sp || field_u64(l, "kept_dead_B", &kept) || field_u64(l, "kept_dead_res_B", &kept_res)
             || field_u64(l, "size_B", &size) || !strstr(l, " block=0x") || !strstr(l, " at=")) {
            problem(no, "snapshot %ld: #rs.blocker: lacks a key", s->number);
            continue;
         }
         if (!have_seg || strtoull(sp + 10, NULL, 16) != cur_seg_start)
            problem(no, "snapshot %ld: blocker does not follow its segment's line", s->number);
         else if (kept > cur_seg_dead || kept_res > cur_seg_dead_res || kept_res > kept)
            problem(no, "snapshot %ld: blocker keeps more than its segment's dead bytes", s->number);
      } else if (strncmp(l, "#rs.arena: ", 11) == 0) {
         u64 segs, mapped, live, dead, dead_res;
         n_arenas++;
         if (!strstr(l, " kind=") || !strstr(l, " id=") || field_u64(l, "segments", &segs)
             || field_u64(l, "mapped_B", &mapped) || field_u64(l, "live_B", &live)
             || field_u64(l, "dead_B", &dead) || field_u64(l, "dead_res_B", &dead_res)) {
            problem(no, "snapshot %ld: #rs.arena: lacks a key", s->number);
            continue;
         }
         if (mapped != live + dead || dead_res > dead)
            problem(no, "snapshot %ld: arena sizes inconsistent", s->number);
         ar_segments += segs;
         ar_mapped += mapped;
         ar_live += live;
         ar_dead += dead;
         ar_dead_res += dead_res;
      } else if (strncmp(l, "#rs.trim: ", 10) == 0) {
         n_trim++;
         if (field_u64(l, "estimate_B", &v))
            problem(no, "snapshot %ld: #rs.trim: lacks estimate_B=", s->number);
         else if (!est || strcmp(est, strstr(l, "estimate_B=") + 11) != 0)
            problem(no, "snapshot %ld: #rs.trim: estimate_B differs from trim_estimate_B=%s",
                    s->number, est ? est : "(none)");
         else if (v > num(s, "heap_dead_res_B"))
            problem(no, "snapshot %ld: trim estimate %llu > heap_dead_res_B", s->number, v);
      }
   }
   if (!has_tree(s)) {
      if (n_pinned || n_trim || n_segments || n_arenas)
         problem(s->line, "snapshot %ld: analysis lines without a tree", s->number);
      return;
   }
   if (n_pinned != 1)
      problem(s->line, "snapshot %ld: %d #rs.pinned: lines, expected 1", s->number, n_pinned);
   if (n_trim != 1)
      problem(s->line, "snapshot %ld: %d #rs.trim: lines, expected 1", s->number, n_trim);
   if (!est)
      problem(s->totals_line, "snapshot %ld: detailed, but no trim_estimate_B=", s->number);
   if (n_sites > 5)
      problem(s->line, "snapshot %ld: %d pinned sites, at most 5 expected", s->number, n_sites);
   if (site_pages > pin_pages)
      problem(s->line, "snapshot %ld: pinned sites hold %llu pages > pinned pages %llu", s->number,
              site_pages, pin_pages);
   if (seg_mapped != heap_B(s) || seg_live != num(s, "heap_live_B") || seg_dead != num(s, "heap_dead_B")
       || seg_dead_res != num(s, "heap_dead_res_B"))
      problem(s->line,
              "snapshot %ld: segments sum to mapped=%llu live=%llu dead=%llu dead_res=%llu, "
              "totals say %llu %llu %llu %llu", s->number, seg_mapped, seg_live, seg_dead,
              seg_dead_res, heap_B(s), num(s, "heap_live_B"), num(s, "heap_dead_B"),
              num(s, "heap_dead_res_B"));
   if (ar_segments != n_segments || ar_mapped != seg_mapped || ar_live != seg_live
       || ar_dead != seg_dead || ar_dead_res != seg_dead_res)
      problem(s->line, "snapshot %ld: arena lines do not sum to the segment lines", s->number);
}

static void check_snapshot(struct snap *s, size_t index)
{
   size_t i, tree_from = s->n_lines;
   int n_totals = 0;
   if ((size_t)s->number != index)
      problem(s->line, "snapshot=%ld is the file's snapshot %zu", s->number, index);
   /* `#-----------` then the fields, ending at heap_tree=. */
   for (i = 0; i < s->n_lines; i++) {
      const char *l = s->lines[i].raw;
      long no = s->lines[i].no;
      u64 v;
      if (strncmp(l, "time=", 5) == 0) {
         if (parse_u64(l + 5, &v)) problem(no, "bad time line"); else { s->time = v; s->have_time = 1; }
      } else if (strncmp(l, "mem_heap_B=", 11) == 0) {
         if (parse_u64(l + 11, &v)) problem(no, "bad mem_heap_B"); else { s->mem_heap = v; s->have_heap = 1; }
      } else if (strncmp(l, "mem_heap_extra_B=", 17) == 0) {
         if (parse_u64(l + 17, &v)) problem(no, "bad mem_heap_extra_B"); else { s->mem_extra = v; s->have_extra = 1; }
      } else if (strncmp(l, "mem_stacks_B=", 13) == 0) {
         if (parse_u64(l + 13, &v)) problem(no, "bad mem_stacks_B"); else { s->mem_stacks = v; s->have_stacks = 1; }
      } else if (strncmp(l, "#rs: ", 5) == 0) {
         n_totals++;
         if (n_totals == 1) {
            s->totals_line = no;
            split_pairs(s, l + 5);
         }
      } else if (strncmp(l, "heap_tree=", 10) == 0) {
         s->tree_kind = l + 10;
         tree_from = i + 1;
         break;
      }
   }
   if (!s->have_time || !s->have_heap || !s->have_extra || !s->have_stacks)
      problem(s->line, "snapshot %ld lacks time=, mem_heap_B=, mem_heap_extra_B= or mem_stacks_B=",
              s->number);
   if (n_totals != 1)
      problem(s->line, "snapshot %ld has %d `#rs:` totals lines, expected 1", s->number, n_totals);
   if (n_totals >= 1) {
      if (s->n_kv < 12)
         problem(s->totals_line, "snapshot %ld: `#rs:` line has %zu keys, needs 12", s->number, s->n_kv);
      else
         for (i = 0; i < 12; i++)
            if (strcmp(s->kv[i].key, totals_keys[i]) != 0 || parse_u64(s->kv[i].val, &(u64){0}) != 0)
               problem(s->totals_line, "snapshot %ld: `#rs:` key %zu is %s=%s, expected %s=<number>",
                       s->number, i + 1, s->kv[i].key, s->kv[i].val, totals_keys[i]);
      if (s->mem_heap != num(s, "heap_live_B") || s->mem_extra != num(s, "heap_dead_B")
          || s->mem_stacks != num(s, "loader_B") + num(s, "stack_B") + num(s, "other_B"))
         problem(s->totals_line, "snapshot %ld: mem_*_B do not match the `#rs:` categories", s->number);
   }
   if (!s->tree_kind) {
      problem(s->line, "snapshot %ld has no heap_tree= line", s->number);
      return;
   }
   if (strcmp(s->tree_kind, "empty") && !has_tree(s))
      problem(s->line, "snapshot %ld: heap_tree=%s", s->number, s->tree_kind);
   if (has_tree(s)) {
      parse_tree(s, tree_from);
      check_tree(s);
      if (s->tree_ok)
         check_tree_res(s);
   } else {
      for (i = tree_from; i < s->n_lines; i++)
         if (s->lines[i].raw[0] != '#' && s->lines[i].raw[0] != '\0')
            problem(s->lines[i].no, "snapshot %ld: a line after heap_tree=empty", s->number);
   }
   check_analysis(s);
   if ((lookup(s, "label") || lookup(s, "exit")) && !has_tree(s))
      problem(s->line, "snapshot %ld: labelled/final snapshot is not detailed", s->number);
   if (opt_all_detailed && !has_tree(s))
      problem(s->line, "snapshot %ld: heap_tree=%s with --all-detailed", s->number, s->tree_kind);
}

static void check_file(void)
{
   size_t i, n_final = 0, n_peak = 0, n_ret = 0, peak = 0, ret = 0;
   for (i = 0; i < n_snaps; i++)
      check_snapshot(&snaps[i], i);
   for (i = 0; i < n_snaps; i++) {
      const struct snap *s = &snaps[i];
      if (i > 0 && (s->time < snaps[i - 1].time || (opt_strict_time && s->time == snaps[i - 1].time)))
         problem(s->line, "snapshot %ld: time %llu after %llu", s->number, s->time, snaps[i - 1].time);
      if (lookup(s, "exit")) {
         n_final++;
         if (i + 1 != n_snaps)
            problem(s->line, "snapshot %ld has exit=1 but is not the last", s->number);
      }
      if (s->tree_kind && !strcmp(s->tree_kind, "peak")) {
         n_peak++;
         peak = i;
      }
      if (lookup(s, "peak_retained")) {
         n_ret++;
         ret = i;
      }
   }
   if (n_snaps == 0)
      return;
   if (n_final != 1)
      problem(0, "%zu snapshots carry exit=1, expected 1 (the last)", n_final);
   if (n_peak != 1)
      problem(0, "%zu snapshots are heap_tree=peak, expected 1", n_peak);
   else
      for (i = 0; i < n_snaps; i++)
         if ((double)heap_B(&snaps[i]) > (double)heap_B(&snaps[peak]) * (1.0 + opt_peak_inaccuracy / 100.0))
            problem(snaps[i].line, "snapshot %ld: mapped heap %llu above the peak's (snapshot %ld) %llu",
                    snaps[i].number, heap_B(&snaps[i]), snaps[peak].number, heap_B(&snaps[peak]));
   if (n_ret > 1)
      problem(0, "%zu snapshots carry peak_retained=1, expected at most 1", n_ret);
   for (i = 0; i < n_snaps; i++) {
      u64 r = num(&snaps[i], "heap_dead_res_B");
      if (r > 0 && n_ret == 0)
         problem(snaps[i].line, "snapshot %ld retains %llu bytes but no snapshot has peak_retained=1",
                 snaps[i].number, r);
      if (n_ret == 1 && r > num(&snaps[ret], "heap_dead_res_B"))
         problem(snaps[i].line, "snapshot %ld retains %llu > peak_retained snapshot's %llu",
                 snaps[i].number, r, num(&snaps[ret], "heap_dead_res_B"));
      if (n_ret == 0)
         break;
   }
   if (opt_max_snapshots >= 0 && (long)n_snaps > opt_max_snapshots)
      problem(0, "%zu snapshots, more than --max-snapshots=%ld", n_snaps, opt_max_snapshots);
   if (opt_max_gap > 0 && n_snaps > 2) {
      double mean = (double)(snaps[n_snaps - 1].time - snaps[0].time) / (double)(n_snaps - 1);
      for (i = 1; i < n_snaps; i++) {
         double gap = (double)(snaps[i].time - snaps[i - 1].time);
         if (gap > opt_max_gap * mean)
            problem(snaps[i].line, "snapshot %ld: interval %.0f > %g x mean interval %.1f",
                    snaps[i].number, gap, opt_max_gap, mean);
      }
   }
}

/* ------------------------------------------------------------------ */
/* Expectations.                                                       */
/* ------------------------------------------------------------------ */

/* Indices of the selected snapshots; returns the count (0: none). */
static size_t select_snaps(const char *sel, size_t *out)
{
   size_t i, n = 0;
   for (i = 0; i < n_snaps; i++) {
      const struct snap *s = &snaps[i];
      const char *lab = lookup(s, "label");
      int take = 0;
      if (!strcmp(sel, "final"))
         take = lookup(s, "exit") != NULL;
      else if (!strcmp(sel, "peak"))
         take = s->tree_kind && !strcmp(s->tree_kind, "peak");
      else if (!strcmp(sel, "retained"))
         take = lookup(s, "peak_retained") != NULL;
      else if (!strncmp(sel, "label=", 6))
         take = lab && !strcmp(lab, sel + 6);
      else if (!strcmp(sel, "first"))
         take = i == 0;
      else if (!strcmp(sel, "last"))
         take = i + 1 == n_snaps;
      else if (!strcmp(sel, "every"))
         take = 1;
      else if (!strcmp(sel, "detailed"))
         take = has_tree(s);
      if (take)
         out[n++] = i;
   }
   return n;
}

static int valid_sel(const char *sel)
{
   return !strcmp(sel, "final") || !strcmp(sel, "peak") || !strcmp(sel, "retained")
          || !strncmp(sel, "label=", 6) || !strcmp(sel, "first") || !strcmp(sel, "last")
          || !strcmp(sel, "every") || !strcmp(sel, "detailed");
}

static int cat_index(const char *name, size_t len)
{
   int c;
   for (c = 0; c < 5; c++)
      if (strlen(cat_names[c]) == len && !strncmp(cat_names[c], name, len))
         return c;
   return -1;
}

/* The value of KEY in snapshot s; 0 when it exists. */
static int snap_value(const struct snap *s, const char *key, u64 *out)
{
   const char *v;
   size_t i;
   if (!strcmp(key, "time")) { *out = s->time; return 0; }
   if (!strcmp(key, "number")) { *out = (u64)s->number; return 0; }
   if (!strcmp(key, "mem_heap_B")) { *out = s->mem_heap; return 0; }
   if (!strcmp(key, "mem_heap_extra_B")) { *out = s->mem_extra; return 0; }
   if (!strcmp(key, "mem_stacks_B")) { *out = s->mem_stacks; return 0; }
   if (!strcmp(key, "heap_B")) { *out = heap_B(s); return 0; }
   if (!strcmp(key, "total_B")) { *out = total_B(s); return 0; }
   if (!strcmp(key, "tree_nodes") || !strcmp(key, "tree_depth")) {
      u64 d = 0;
      if (!has_tree(s))
         return -1;
      for (i = 0; i < s->n_nodes; i++)
         if ((u64)s->nodes[i].depth > d)
            d = (u64)s->nodes[i].depth;
      *out = key[5] == 'n' ? (u64)s->n_nodes : d;
      return 0;
   }
   if (!strncmp(key, "tree.", 5)) {
      const char *dot = strchr(key + 5, '.');
      int c = dot ? cat_index(key + 5, (size_t)(dot - key - 5)) : -1;
      u64 nodes = 0, depth = 0, kids = 0;
      if (c < 0 || !has_tree(s))
         return -1;
      for (i = 0; i < s->n_nodes; i++) {
         const struct node *n = &s->nodes[i];
         if (n->cat != c || n->depth < 2)
            continue;
         nodes++;
         if ((u64)(n->depth - 1) > depth)
            depth = (u64)(n->depth - 1);
         if (n->depth == 2)
            kids += n->bytes;
      }
      if (!strcmp(dot + 1, "nodes")) *out = nodes;
      else if (!strcmp(dot + 1, "depth")) *out = depth;
      else if (!strcmp(dot + 1, "children_B")) *out = kids;
      else return -1;
      return 0;
   }
   if (!strncmp(key, "count.", 6)) {
      char prefix[64];
      u64 n = 0;
      snprintf(prefix, sizeof prefix, "#rs.%s: ", key + 6);
      for (i = 0; i < s->n_lines; i++)
         if (!strncmp(s->lines[i].raw, prefix, strlen(prefix)))
            n++;
      *out = n;
      return 0;
   }
   if (strchr(key, '.')) {
      const char *dot = strchr(key, '.');
      char prefix[64];
      snprintf(prefix, sizeof prefix, "#rs.%.*s: ", (int)(dot - key), key);
      for (i = 0; i < s->n_lines; i++)
         if (!strncmp(s->lines[i].raw, prefix, strlen(prefix)))
            return field_u64(s->lines[i].raw + strlen(prefix) - 1, dot + 1, out);
      return -1;
   }
   v = lookup(s, key);
   if (!v)
      return -1;
   return parse_u64(v, out);
}

static int compare(u64 actual, const char *op, u64 want, u64 tol)
{
   if (!strcmp(op, "=")) return actual == want;
   if (!strcmp(op, "!=")) return actual != want;
   if (!strcmp(op, "<=")) return actual <= want;
   if (!strcmp(op, ">=")) return actual >= want;
   if (!strcmp(op, "<")) return actual < want;
   if (!strcmp(op, ">")) return actual > want;
   if (!strcmp(op, "~")) return (actual > want ? actual - want : want - actual) <= tol;
   return 0;
}

static int valid_op(const char *op)
{
   return !strcmp(op, "=") || !strcmp(op, "!=") || !strcmp(op, "<=") || !strcmp(op, ">=")
          || !strcmp(op, "<") || !strcmp(op, ">") || !strcmp(op, "~");
}

/* The shown text of line i (tree lines carry CAT|). */
static const char *shown(const struct line *l) { return l->shown ? l->shown : l->raw; }

static void report(int ok, const char *expectation, const struct snap *s, const char *fmt, ...)
{
   va_list ap;
   n_expect++;
   if (ok && !verbose)
      return;
   if (!ok)
      n_problems++;
   printf("%s: %s", ok ? "ok" : "FAILED", expectation);
   if (s)
      printf(" [snapshot %ld, line %ld]", s->number, s->line);
   printf(": ");
   va_start(ap, fmt);
   vprintf(fmt, ap);
   va_end(ap);
   putchar('\n');
}

/* Splits off the next space-separated word of *p. */
static char *word(char **p)
{
   char *w;
   while (**p == ' ')
      (*p)++;
   if (!**p)
      return NULL;
   w = *p;
   while (**p && **p != ' ')
      (*p)++;
   if (**p)
      *(*p)++ = '\0';
   return w;
}

static int file_value(const char *key, u64 *out)
{
   size_t i, n = 0;
   if (!strcmp(key, "snapshots")) { *out = n_snaps; return 0; }
   if (!strcmp(key, "version")) { *out = version; return 0; }
   for (i = 0; i < n_snaps; i++) {
      const struct snap *s = &snaps[i];
      if (!strcmp(key, "detailed")) n += has_tree(s);
      else if (!strcmp(key, "peaks")) n += s->tree_kind && !strcmp(s->tree_kind, "peak");
      else if (!strcmp(key, "labelled")) n += lookup(s, "label") != NULL;
      else return -1;
   }
   *out = n;
   return 0;
}

static void expectation(char *line)
{
   char *copy = xstrdup(line), *p = strchr(line, ':') + 1, *kind = line;
   size_t *sel = xmalloc((n_snaps + 1) * sizeof *sel), n_sel = 0, k, i;
   line[strchr(line, ':') - line] = '\0';

   if (!strcmp(kind, "expect-file")) {
      char *key = word(&p), *op = word(&p), *val = word(&p);
      u64 actual, want;
      if (!key || !op || !val || !valid_op(op)) {
         report(0, copy, NULL, "malformed (expect-file: KEY OP VALUE)");
      } else if (!strcmp(key, "time_unit")) {
         report(time_unit && !strcmp(op, "=") && !strcmp(time_unit, val), copy, NULL,
                "time_unit is %s", time_unit ? time_unit : "(none)");
      } else if (file_value(key, &actual) != 0 || parse_u64(val, &want) != 0) {
         report(0, copy, NULL, "unknown key or bad value");
      } else {
         report(compare(actual, op, want, 0), copy, NULL, "actual %llu", actual);
      }
      goto out;
   }

   {
      char *selw = word(&p);
      if (!selw || !valid_sel(selw)) {
         report(0, copy, NULL, "malformed: bad selector \"%s\"", selw ? selw : "");
         goto out;
      }
      n_sel = select_snaps(selw, sel);
      if (n_sel == 0) {
         report(0, copy, NULL, "no snapshot is `%s`", selw);
         goto out;
      }
   }

   if (!strcmp(kind, "expect-snap")) {
      char *key = word(&p), *op = word(&p), *val = word(&p), *tolw = word(&p);
      u64 want, tol = 0, actual;
      if (!key || !op || !val || !valid_op(op) || parse_u64(val, &want)
          || (tolw && (strncmp(tolw, "tol=", 4) || parse_u64(tolw + 4, &tol)))
          || (!strcmp(op, "~") && !tolw)) {
         report(0, copy, NULL, "malformed (expect-snap: SEL KEY OP VALUE [tol=T])");
         goto out;
      }
      for (k = 0; k < n_sel; k++) {
         const struct snap *s = &snaps[sel[k]];
         if (snap_value(s, key, &actual) != 0)
            report(0, copy, s, "no value for %s", key);
         else
            report(compare(actual, op, want, tol), copy, s, "actual %llu", actual);
      }
   } else if (!strcmp(kind, "expect-count") || !strcmp(kind, "expect-field")
              || !strcmp(kind, "expect-line") || !strcmp(kind, "expect-no-line")) {
      char *key = NULL, *op, *val;
      u64 want = 0;
      regex_t re;
      int is_field = !strcmp(kind, "expect-field"), rc;
      if (is_field)
         key = word(&p);
      if (!strcmp(kind, "expect-line")) {
         op = ">=";
         val = "1";
      } else if (!strcmp(kind, "expect-no-line")) {
         op = "=";
         val = "0";
      } else {
         op = word(&p);
         val = word(&p);
      }
      while (*p == ' ')
         p++;
      if ((is_field && !key) || !op || !val || !valid_op(op) || !strcmp(op, "~")
          || parse_u64(val, &want) || !*p) {
         report(0, copy, NULL, "malformed");
         goto out;
      }
      if ((rc = regcomp(&re, p, REG_EXTENDED | REG_NOSUB)) != 0) {
         char msg[200];
         regerror(rc, &re, msg, sizeof msg);
         report(0, copy, NULL, "bad regex: %s", msg);
         goto out;
      }
      for (k = 0; k < n_sel; k++) {
         const struct snap *s = &snaps[sel[k]];
         u64 count = 0, actual = 0;
         const char *hit = NULL;
         long hit_no = 0;
         for (i = 0; i < s->n_lines; i++)
            if (regexec(&re, shown(&s->lines[i]), 0, NULL, 0) == 0) {
               count++;
               if (!hit) {
                  hit = shown(&s->lines[i]);
                  hit_no = s->lines[i].no;
               }
            }
         if (!is_field) {
            report(compare(count, op, want, 0), copy, s, "%llu matching lines", count);
         } else if (!hit) {
            report(0, copy, s, "no line matches");
         } else {
            int found;
            if (!strcmp(key, "res")) {
               found = 0;
               for (i = 0; i < s->n_nodes; i++)
                  if (s->nodes[i].line == hit_no) {
                     actual = s->nodes[i].res;
                     found = 1;
                  }
            } else if (!strcmp(key, "bytes")) {
               const char *b = strchr(hit, '|');
               const char *q = b ? b + 1 : hit, *end;
               while (*q == ' ')
                  q++;
               found = *q == 'n' && (q = strchr(q, ':')) != NULL
                       && parse_u64_prefix(q + 2, &actual, &end) == 0;
            } else {
               found = field_u64(hit, key, &actual) == 0;
            }
            if (!found)
               report(0, copy, s, "the first matching line has no %s: %s", key, hit);
            else
               report(compare(actual, op, want, 0), copy, s, "actual %llu in: %s", actual, hit);
         }
      }
      regfree(&re);
   } else {
      report(0, copy, NULL, "unknown expectation kind");
   }
out:
   free(sel);
   free(copy);
}

static int get_value(const char *sel, const char *key)
{
   size_t *idx = xmalloc((n_snaps + 1) * sizeof *idx), n;
   u64 v;
   if (!strcmp(sel, "file")) {
      if (!strcmp(key, "time_unit")) {
         printf("%s\n", time_unit ? time_unit : "");
         return 0;
      }
      if (file_value(key, &v) != 0) {
         fprintf(stderr, "rs_tree_check: no file value %s\n", key);
         return 1;
      }
      printf("%llu\n", v);
      return 0;
   }
   if (!valid_sel(sel) || (n = select_snaps(sel, idx)) != 1) {
      fprintf(stderr, "rs_tree_check: `%s` does not select exactly one snapshot\n", sel);
      return 1;
   }
   if (snap_value(&snaps[idx[0]], key, &v) != 0) {
      fprintf(stderr, "rs_tree_check: snapshot %ld has no %s\n", snaps[idx[0]].number, key);
      return 1;
   }
   printf("%llu\n", v);
   free(idx);
   return 0;
}

static void usage(void)
{
   fprintf(stderr,
           "usage: rs_tree_check [--max-snapshots=N] [--all-detailed] [--threshold=PCT]\n"
           "                     [--depth=N] [--peak-inaccuracy=PCT] [--strict-time]\n"
           "                     [--max-gap=R] [-v] FILE < expectations\n"
           "       rs_tree_check [OPTIONS] --get SEL KEY FILE\n");
   exit(2);
}

int main(int argc, char **argv)
{
   int i;
   const char *get_sel = NULL, *get_key = NULL;
   char *buf = NULL;
   size_t cap = 0;
   ssize_t len;

   for (i = 1; i < argc && argv[i][0] == '-'; i++) {
      const char *a = argv[i];
      char *end;
      if (!strncmp(a, "--max-snapshots=", 16)) opt_max_snapshots = strtol(a + 16, &end, 10);
      else if (!strcmp(a, "--all-detailed")) opt_all_detailed = 1;
      else if (!strncmp(a, "--threshold=", 12)) opt_threshold = strtod(a + 12, &end);
      else if (!strncmp(a, "--depth=", 8)) opt_depth = strtol(a + 8, &end, 10);
      else if (!strncmp(a, "--peak-inaccuracy=", 18)) opt_peak_inaccuracy = strtod(a + 18, &end);
      else if (!strcmp(a, "--strict-time")) opt_strict_time = 1;
      else if (!strncmp(a, "--max-gap=", 10)) opt_max_gap = strtod(a + 10, &end);
      else if (!strcmp(a, "-v")) verbose = 1;
      else if (!strcmp(a, "--get") && i + 2 < argc) {
         get_sel = argv[++i];
         get_key = argv[++i];
      } else
         usage();
   }
   if (i + 1 != argc)
      usage();
   file_name = argv[i];
   read_file(file_name);
   check_file();
   if (get_sel) {
      if (n_problems)
         return 1;
      return get_value(get_sel, get_key);
   }
   while ((len = getline(&buf, &cap, stdin)) >= 0) {
      while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
         buf[--len] = '\0';
      if (!strncmp(buf, "expect-snap:", 12) || !strncmp(buf, "expect-count:", 13)
          || !strncmp(buf, "expect-field:", 13) || !strncmp(buf, "expect-line:", 12)
          || !strncmp(buf, "expect-no-line:", 15) || !strncmp(buf, "expect-file:", 12))
         expectation(buf);
   }
   free(buf);
   {
      size_t trees = 0, k;
      for (k = 0; k < n_snaps; k++)
         trees += has_tree(&snaps[k]);
      printf("rs_tree_check: %zu snapshots, %zu trees, %d expectations: ", n_snaps, trees, n_expect);
      if (n_problems)
         printf("%d problem%s\n", n_problems, n_problems == 1 ? "" : "s");
      else
         printf("OK\n");
   }
   return n_problems ? 1 : 0;
}
