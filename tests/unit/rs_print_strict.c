/*
 * rs_print_strict.c -- `rs_print --massif` writes the strict Massif grammar
 * that massif-visualizer accepts (checked here by an independent checker
 * written from massif-visualizer's parser rules), keeps every snapshot and
 * tree, and gives back files from `valgrind --tool=massif` byte for byte.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include "tests/unit_util.h"

#include <sys/wait.h>

/* ------------------------------------------------------------------ */
/* The strict grammar (massifdata/parserprivate.cpp of massif-visualizer):
 * "desc: " line, "cmd: " line, "time_unit: " line, then per snapshot
 * "#-----------", "snapshot=<uint>", "#-----------", "time=<number>",
 * "mem_heap_B=<uint>", "mem_heap_extra_B=<uint>", "mem_stacks_B=<uint>",
 * "heap_tree=empty|detailed|peak", and for detailed/peak one tree: a node
 * at depth d is d spaces, 'n', <uint>, ':', ' ', <uint>, ' ', label; its
 * children follow at depth d + 1.  Returns 0, or the first bad line.    */
/* ------------------------------------------------------------------ */

struct lines {
   char **v;
   size_t n;
};

static struct lines split(char *text)
{
   struct lines l = { NULL, 0 };
   size_t cap = 0;
   char *p = text;
   while (*p) {
      char *nl = strchr(p, '\n');
      if (nl == NULL)
         nl = p + strlen(p);  /* last line without a newline: kept */
      if (l.n == cap)
         l.v = realloc(l.v, (cap = cap ? 2 * cap : 256) * sizeof *l.v);
      l.v[l.n++] = p;
      if (*nl == '\0')
         break;
      *nl = '\0';
      p = nl + 1;
   }
   return l;
}

static int is_uint(const char *s)
{
   if (*s == '\0')
      return 0;
   for (; *s; s++)
      if (*s < '0' || *s > '9')
         return 0;
   return 1;
}

static int prefixed_uint(const char *line, const char *key)
{
   size_t k = strlen(key);
   return strncmp(line, key, k) == 0 && is_uint(line + k);
}

/* One node at depth d; *next set past its subtree.  0 or -1. */
static int strict_node(const struct lines *l, size_t i, size_t d,
                       size_t *next, size_t *bad)
{
   /* Iterative: a stack of children still to read per depth. */
   size_t *left = NULL, cap = 0, depth = 0;
   for (;;) {
      if (i >= l->n) {
         /* massif-visualizer tolerates a cut tree at end of file; the
          * export must not produce one. */
         *bad = i + 1;
         free(left);
         return -1;
      }
      const char *s = l->v[i];
      size_t dd = d + depth;
      for (size_t k = 0; k < dd; k++)
         if (s[k] != ' ') {
            *bad = i + 1;
            free(left);
            return -1;
         }
      const char *p = s + dd;
      const char *colon = strchr(p, ':');
      if (*p != 'n' || colon == NULL || colon[1] != ' ') {
         *bad = i + 1;
         free(left);
         return -1;
      }
      char num[32];
      size_t nl = (size_t)(colon - p - 1);
      if (nl == 0 || nl >= sizeof num) {
         *bad = i + 1;
         free(left);
         return -1;
      }
      memcpy(num, p + 1, nl);
      num[nl] = '\0';
      const char *sp = strchr(colon + 2, ' ');
      char cost[32];
      size_t cl = sp ? (size_t)(sp - colon - 2) : 0;
      if (!is_uint(num) || sp == NULL || cl == 0 || cl >= sizeof cost) {
         *bad = i + 1;
         free(left);
         return -1;
      }
      memcpy(cost, colon + 2, cl);
      cost[cl] = '\0';
      if (!is_uint(cost)) {
         *bad = i + 1;
         free(left);
         return -1;
      }
      unsigned long children = strtoul(num, NULL, 10);
      i++;
      if (depth == cap)
         left = realloc(left, (cap = cap ? 2 * cap : 64) * sizeof *left);
      left[depth++] = children;
      while (depth > 0 && left[depth - 1] == 0) {
         depth--;
         if (depth > 0)
            left[depth - 1]--;
      }
      if (depth == 0)
         break;
   }
   free(left);
   *next = i;
   return 0;
}

/* 0 if `text` is strict Massif, else the 1-based number of a bad line. */
static size_t strict_check(const char *text)
{
   char *copy = strdup(text);
   size_t len = strlen(copy);
   if (len == 0 || copy[len - 1] != '\n') {
      free(copy);
      return 1;
   }
   struct lines l = split(copy);
   size_t i = 0, bad = 0;
   static const char *const fields[] = {
      "time=", "mem_heap_B=", "mem_heap_extra_B=", "mem_stacks_B="
   };
   if (l.n < 3 || strncmp(l.v[0], "desc: ", 6) != 0) {
      bad = 1;
      goto out;
   }
   if (strncmp(l.v[1], "cmd: ", 5) != 0) {
      bad = 2;
      goto out;
   }
   if (strncmp(l.v[2], "time_unit: ", 11) != 0) {
      bad = 3;
      goto out;
   }
   i = 3;
   if (i == l.n) {
      bad = 4;
      goto out;
   }
   while (i < l.n) {
      if (i + 8 > l.n) {
         bad = l.n + 1;
         goto out;
      }
      if (strcmp(l.v[i], "#-----------") != 0
          || !prefixed_uint(l.v[i + 1], "snapshot=")
          || strcmp(l.v[i + 2], "#-----------") != 0) {
         bad = i + 1;
         goto out;
      }
      i += 3;
      for (int k = 0; k < 4; k++, i++)
         if (!prefixed_uint(l.v[i], fields[k])) {
            bad = i + 1;
            goto out;
         }
      const char *ht = l.v[i++];
      if (strcmp(ht, "heap_tree=empty") == 0)
         continue;
      if (strcmp(ht, "heap_tree=detailed") != 0
          && strcmp(ht, "heap_tree=peak") != 0) {
         bad = i;
         goto out;
      }
      size_t next;
      if (strict_node(&l, i, 0, &next, &bad) < 0)
         goto out;
      i = next;
   }
out:
   free(l.v);
   free(copy);
   return bad;
}

/* ------------------------------------------------------------------ */

static char *export_of(const struct rs_file *f)
{
   char *text = NULL;
   size_t len = 0;
   FILE *m = open_memstream(&text, &len);
   rs_massif_export(m, f);
   fclose(m);
   return text;
}

static int same_trees(const struct rs_file *a, const struct rs_snapshot *sa,
                      const struct rs_file *b, const struct rs_snapshot *sb)
{
   if (sa->node_count != sb->node_count)
      return 0;
   for (size_t k = 0; k < sa->node_count; k++) {
      const struct rs_node *x = &a->nodes[sa->node_first + k];
      const struct rs_node *y = &b->nodes[sb->node_first + k];
      if (x->bytes != y->bytes || x->nchildren != y->nchildren
          || x->size != y->size || strcmp(x->text, y->text) != 0)
         return 0;
   }
   return 1;
}

static void export_sample(const char *name)
{
   struct rs_error e;
   struct rs_file *f = rs_parse_path(sample_path(name), &e);
   check(f != NULL, "%s parses", name);
   if (f == NULL)
      return;
   char *x = export_of(f);
   size_t bad = strict_check(x);
   check(bad == 0, "%s --massif: strict Massif grammar (bad line %zu)", name,
         bad);
   int only_separators = 1;
   for (const char *p = x; p && *p; p = strchr(p, '\n') + 1) {
      if (*p == '#' && strncmp(p, "#-----------\n", 13) != 0)
         only_separators = 0;
      if (strchr(p, '\n') == NULL)
         break;
   }
   check(only_separators, "%s --massif: no '#' line but the separators",
         name);
   struct rs_file *g = rs_parse_buffer("export", x, strlen(x), &e);
   check(g != NULL, "%s --massif: rs_print reads the export back%s%s", name,
         g ? "" : ": ", g ? "" : e.msg);
   if (g != NULL) {
      int same = g->nsnaps == f->nsnaps && g->peak == f->peak
                 && strcmp(g->cmd, f->cmd) == 0
                 && strcmp(g->desc, f->desc) == 0;
      for (size_t i = 0; same && i < f->nsnaps; i++) {
         const struct rs_snapshot *a = &f->snaps[i], *b = &g->snaps[i];
         same = a->time == b->time && a->mem_heap_B == b->mem_heap_B
                && a->mem_heap_extra_B == b->mem_heap_extra_B
                && a->mem_stacks_B == b->mem_stacks_B
                && a->tree_kind == b->tree_kind && same_trees(f, a, g, b);
      }
      check(same, "%s --massif: same snapshots and trees", name);
      rs_file_free(g);
   }
   free(x);
   rs_file_free(f);
}

/* Runs valgrind --tool=massif on /bin/ls; 1 if it made `out`. */
static int run_massif(const char *out, const char *extra)
{
   char cmd[600];
   snprintf(cmd, sizeof cmd, "valgrind --tool=massif %s --massif-out-file=%s "
            "/bin/ls / >/dev/null 2>&1", extra, out);
   int rc = system(cmd);
   return rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0
          && access(out, R_OK) == 0;
}

static void real_massif(const char *extra)
{
   char dir[] = "/tmp/rs_print_strict.XXXXXX";
   if (mkdtemp(dir) == NULL) {
      check(0, "mkdtemp");
      return;
   }
   char path[128];
   snprintf(path, sizeof path, "%s/massif.out", dir);
   if (system("valgrind --version >/dev/null 2>&1") != 0
       || !run_massif(path, extra)) {
      printf("# valgrind --tool=massif %s not available: skipped\n", extra);
      rmdir(dir);
      return;
   }
   size_t len;
   char *text = read_all(path, &len);
   check(strict_check(text) == 0, "massif %s output is strict (checker "
         "self-test)", extra);
   struct rs_error e;
   struct rs_file *f = rs_parse_buffer(path, text, len, &e);
   check(f != NULL, "rs_print reads valgrind --tool=massif %s output%s%s",
         extra, f ? "" : ": ", f ? "" : e.msg);
   if (f != NULL) {
      char *x = export_of(f);
      check(strcmp(x, text) == 0, "--massif gives back massif %s output "
            "byte for byte", extra);
      free(x);
      rs_file_free(f);
   }
   free(text);
   unlink(path);
   rmdir(dir);
}

int main(void)
{
   /* The checker itself rejects what massif-visualizer rejects. */
   char *basic;
   size_t len;
   basic = read_all(sample_path("basic.out"), &len);
   check(basic && strict_check(basic) == 4, "checker: an rssmassif.out file "
         "is rejected at its '#rs:' line 4 (massif-visualizer: 'invalid "
         "line 4')");
   free(basic);
   check(strict_check("desc: a\ncmd: b\ntime_unit: i\n#-----------\n"
                      "snapshot=0\n#-----------\ntime=0\nmem_heap_B=0\n"
                      "mem_heap_extra_B=0\nmem_stacks_B=0\nheap_tree=detailed\n"
                      "n1: 5 root\nn0: 5 child\n") == 13,
         "checker: a child without its indentation is rejected");
   check(strict_check("desc: a\ncmd: b\ntime_unit: i\n#-----------\n"
                      "snapshot=0\n#-----------\ntime=0\nmem_heap_B=0\n"
                      "mem_heap_extra_B=0\nmem_stacks_B=0\nheap_tree=detailed\n"
                      "n1: 5 root\n n0: 5 child\n") == 0,
         "checker: a small good file is accepted");

   export_sample("basic.out");
   export_sample("noexit.out");
   export_sample("deep.out");
   export_sample("massif.out");
   real_massif("");
   real_massif("--pages-as-heap=yes");
   return unit_done();
}
