/* rs_cycles.c -- the module graph of built object files, and its cycles.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * usage: rs_cycles [--graph] [--report] OBJ...
 *
 * An edge A -> B means: object A uses (has undefined) a symbol that object B
 * defines (a global symbol in nm's view).  A module's name is its object's
 * file name without ".o" and without automake's per-target prefix (the part
 * up to the first '-': rs_print-rs_parse.o is rs_parse), so the objects of
 * two programs built from the same sources merge into one node.
 *
 * It prints every strongly connected component of more than one module (a
 * cycle) with the edges inside it and the symbols on each, then
 * "N modules, N edges, N cycles".  --graph first prints every edge and each
 * module's level (1 = uses no other module; otherwise one more than the
 * highest level it uses; modules on a cycle share the level of their
 * component).  Exit status: 0 without cycles, 1 with cycles (0 with
 * --report, which only reports them), 2 on bad use.
 *
 * tests/unit/layers.c runs it over rs_print's and the tool's objects;
 * `make -C BUILD/tests cycles` prints both graphs.  It runs `nm -P`.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RS_CYC_MAX_MODS 256   /* modules (object files after merging) */

/* One symbol: its name and the module that defines or uses it. */
typedef struct { char *name; int mod; } RsCycSym;

/* A growable array of symbols. */
typedef struct { RsCycSym *v; size_t n, cap; } RsCycSyms;

/* The graph: module names, defined and used symbols, and the edge matrix. */
typedef struct {
   char *mod[RS_CYC_MAX_MODS];  /* module names, index = node */
   int nmods;
   RsCycSyms defs, uses;        /* global definitions / undefined uses */
   /* edge[a][b]: the symbols of a's edge to b, as "s1 s2 ..." (NULL: none) */
   char **edge;
   int comp[RS_CYC_MAX_MODS];   /* component of each module (Tarjan) */
   int level[RS_CYC_MAX_MODS];  /* level of each module (--graph) */
} RsCycGraph;

static void *rs_cyc_xrealloc(void *p, size_t n)
{
   p = realloc(p, n);
   if (!p) { fprintf(stderr, "rs_cycles: out of memory\n"); exit(2); }
   return p;
}

static char *rs_cyc_strdup(const char *s)
{
   size_t n = strlen(s) + 1;
   return memcpy(rs_cyc_xrealloc(NULL, n), s, n);
}

static void rs_cyc_push(RsCycSyms *s, const char *name, int mod)
{
   if (s->n == s->cap) {
      s->cap = s->cap ? 2 * s->cap : 256;
      s->v = rs_cyc_xrealloc(s->v, s->cap * sizeof *s->v);
   }
   s->v[s->n].name = rs_cyc_strdup(name);
   s->v[s->n].mod = mod;
   s->n++;
}

/* The module name of an object path: basename, no ".o", no "prefix-". */
static void rs_cyc_mod_name(const char *path, char *out, size_t outsz)
{
   const char *b = strrchr(path, '/');
   b = b ? b + 1 : path;
   const char *dash = strchr(b, '-');
   if (dash) b = dash + 1;
   snprintf(out, outsz, "%s", b);
   size_t n = strlen(out);
   if (n > 2 && strcmp(out + n - 2, ".o") == 0) out[n - 2] = '\0';
}

/* The node of module `name`, added if new (-1 when the table is full). */
int rs_cyc_node(RsCycGraph *g, const char *name)
{
   for (int i = 0; i < g->nmods; i++)
      if (strcmp(g->mod[i], name) == 0) return i;
   if (g->nmods == RS_CYC_MAX_MODS) return -1;
   g->mod[g->nmods] = rs_cyc_strdup(name);
   return g->nmods++;
}

/* Records one nm -P line ("name type [value size]") of module `mod`. */
void rs_cyc_nm_line(RsCycGraph *g, int mod, const char *line)
{
   char name[512], type[8];
   if (sscanf(line, "%511s %7s", name, type) != 2) return;
   if (type[0] == 'U') rs_cyc_push(&g->uses, name, mod);
   else if (type[0] >= 'A' && type[0] <= 'Z' && type[0] != 'N')
      rs_cyc_push(&g->defs, name, mod);
}

/* Reads one object's symbols with nm -P; 0 on success. */
static int rs_cyc_read_object(RsCycGraph *g, const char *path)
{
   char name[256], cmd[4200], line[1024];
   rs_cyc_mod_name(path, name, sizeof name);
   int mod = rs_cyc_node(g, name);
   if (mod < 0 || strlen(path) > 4000 || strchr(path, '\'')) return -1;
   snprintf(cmd, sizeof cmd, "nm -P '%s'", path);
   FILE *f = popen(cmd, "r");
   if (!f) return -1;
   while (fgets(line, sizeof line, f)) rs_cyc_nm_line(g, mod, line);
   return pclose(f) == 0 ? 0 : -1;
}

static int rs_cyc_sym_cmp(const void *a, const void *b)
{
   return strcmp(((const RsCycSym *)a)->name, ((const RsCycSym *)b)->name);
}

/* Adds `sym` to edge a -> b, once. */
static void rs_cyc_add_edge(RsCycGraph *g, int a, int b, const char *sym)
{
   char **e = &g->edge[a * RS_CYC_MAX_MODS + b];
   size_t old = *e ? strlen(*e) : 0, n = strlen(sym);
   if (*e) {
      /* the same symbol twice (two programs' objects of one module) */
      const char *p = *e;
      while ((p = strstr(p, sym)) != NULL) {
         if ((p == *e || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return;
         p += n;
      }
   }
   *e = rs_cyc_xrealloc(*e, old + n + 2);
   if (old) (*e)[old++] = ' ';
   memcpy(*e + old, sym, n + 1);
}

/* Builds the edges from the symbols read so far. */
void rs_cyc_link(RsCycGraph *g)
{
   if (!g->edge)
      g->edge = calloc((size_t)RS_CYC_MAX_MODS * RS_CYC_MAX_MODS,
                       sizeof *g->edge);
   if (!g->edge) { fprintf(stderr, "rs_cycles: out of memory\n"); exit(2); }
   qsort(g->defs.v, g->defs.n, sizeof *g->defs.v, rs_cyc_sym_cmp);
   qsort(g->uses.v, g->uses.n, sizeof *g->uses.v, rs_cyc_sym_cmp);
   for (size_t i = 0; i < g->uses.n; i++) {
      RsCycSym key = g->uses.v[i];
      RsCycSym *d = bsearch(&key, g->defs.v, g->defs.n, sizeof *d,
                            rs_cyc_sym_cmp);
      if (!d) continue;
      while (d > g->defs.v && strcmp(d[-1].name, key.name) == 0) d--;
      for (; d < g->defs.v + g->defs.n && strcmp(d->name, key.name) == 0; d++)
         if (d->mod != key.mod) rs_cyc_add_edge(g, key.mod, d->mod, key.name);
   }
}

/* Tarjan's strongly connected components (recursive: few modules). */
typedef struct { int index[RS_CYC_MAX_MODS], low[RS_CYC_MAX_MODS];
                 int stack[RS_CYC_MAX_MODS], on[RS_CYC_MAX_MODS];
                 int sp, next, ncomp; } RsCycTarjan;

static void rs_cyc_visit(RsCycGraph *g, RsCycTarjan *t, int v)
{
   t->index[v] = t->low[v] = ++t->next;
   t->stack[t->sp++] = v;
   t->on[v] = 1;
   for (int w = 0; w < g->nmods; w++) {
      if (!g->edge[v * RS_CYC_MAX_MODS + w]) continue;
      if (!t->index[w]) {
         rs_cyc_visit(g, t, w);
         if (t->low[w] < t->low[v]) t->low[v] = t->low[w];
      } else if (t->on[w] && t->index[w] < t->low[v]) {
         t->low[v] = t->index[w];
      }
   }
   if (t->low[v] != t->index[v]) return;
   int w;
   do {
      w = t->stack[--t->sp];
      t->on[w] = 0;
      g->comp[w] = t->ncomp;
   } while (w != v);
   t->ncomp++;
}

/* Fills g->comp; components are numbered callees first (reverse
   topological order of the condensation).  Returns their number. */
int rs_cyc_components(RsCycGraph *g)
{
   RsCycTarjan t;
   memset(&t, 0, sizeof t);
   for (int v = 0; v < g->nmods; v++)
      if (!t.index[v]) rs_cyc_visit(g, &t, v);
   return t.ncomp;
}

/* The number of modules in component c. */
static int rs_cyc_comp_size(const RsCycGraph *g, int c)
{
   int n = 0;
   for (int v = 0; v < g->nmods; v++) n += g->comp[v] == c;
   return n;
}

/* Levels: components come callees first, so one pass in component order. */
static void rs_cyc_levels(RsCycGraph *g, int ncomp)
{
   for (int c = 0; c < ncomp; c++) {
      int lv = 1;
      for (int v = 0; v < g->nmods; v++) {
         if (g->comp[v] != c) continue;
         for (int w = 0; w < g->nmods; w++)
            if (g->edge[v * RS_CYC_MAX_MODS + w] && g->comp[w] != c &&
                g->level[w] + 1 > lv)
               lv = g->level[w] + 1;
      }
      for (int v = 0; v < g->nmods; v++)
         if (g->comp[v] == c) g->level[v] = lv;
   }
}

static void rs_cyc_print_graph(FILE *out, RsCycGraph *g, int ncomp)
{
   rs_cyc_levels(g, ncomp);
   for (int a = 0; a < g->nmods; a++)
      for (int b = 0; b < g->nmods; b++) {
         const char *e = g->edge[a * RS_CYC_MAX_MODS + b];
         if (e) fprintf(out, "edge %s -> %s: %s\n", g->mod[a], g->mod[b], e);
      }
   for (int lv = 1; lv <= g->nmods; lv++) {
      int any = 0;
      for (int v = 0; v < g->nmods; v++)
         if (g->level[v] == lv) {
            if (!any) fprintf(out, "level %d:", lv);
            fprintf(out, " %s", g->mod[v]);
            any = 1;
         }
      if (any) fputc('\n', out);
   }
}

/* Prints each cycle (component of more than one module) with its inner
   edges; returns the number of cycles. */
int rs_cyc_print_cycles(FILE *out, const RsCycGraph *g, int ncomp)
{
   int ncycles = 0;
   for (int c = 0; c < ncomp; c++) {
      if (rs_cyc_comp_size(g, c) < 2) continue;
      ncycles++;
      fprintf(out, "cycle %d (%d modules):", ncycles, rs_cyc_comp_size(g, c));
      for (int v = 0; v < g->nmods; v++)
         if (g->comp[v] == c) fprintf(out, " %s", g->mod[v]);
      fputc('\n', out);
      for (int a = 0; a < g->nmods; a++)
         for (int b = 0; b < g->nmods; b++) {
            const char *e = g->edge[a * RS_CYC_MAX_MODS + b];
            if (e && g->comp[a] == c && g->comp[b] == c)
               fprintf(out, "  %s -> %s: %s\n", g->mod[a], g->mod[b], e);
         }
   }
   return ncycles;
}

/* Counts the edges of the graph. */
static int rs_cyc_count_edges(const RsCycGraph *g)
{
   int n = 0;
   for (int i = 0; i < RS_CYC_MAX_MODS * RS_CYC_MAX_MODS; i++)
      n += g->edge[i] != NULL;
   return n;
}

/* Reads the objects, prints as the usage says; returns the exit status. */
int rs_cycles_run(FILE *out, int graph, int report, int nobj, char **obj)
{
   RsCycGraph *g = calloc(1, sizeof *g);
   if (!g) return 2;
   for (int i = 0; i < nobj; i++)
      if (rs_cyc_read_object(g, obj[i]) != 0) {
         fprintf(stderr, "rs_cycles: cannot read the symbols of %s\n", obj[i]);
         return 2;
      }
   rs_cyc_link(g);
   int ncomp = rs_cyc_components(g);
   if (graph) rs_cyc_print_graph(out, g, ncomp);
   int ncycles = rs_cyc_print_cycles(out, g, ncomp);
   fprintf(out, "%d modules, %d edges, %d cycles\n", g->nmods,
           rs_cyc_count_edges(g), ncycles);
   return ncycles && !report ? 1 : 0;
}

#ifndef RS_CYCLES_NO_MAIN
int main(int argc, char **argv)
{
   int graph = 0, report = 0, i = 1;
   for (; i < argc && argv[i][0] == '-'; i++) {
      if (strcmp(argv[i], "--graph") == 0) graph = 1;
      else if (strcmp(argv[i], "--report") == 0) report = 1;
      else break;
   }
   if (i >= argc || argv[i][0] == '-') {
      fprintf(stderr, "usage: rs_cycles [--graph] [--report] OBJ...\n");
      return 2;
   }
   return rs_cycles_run(stdout, graph, report, argc - i, argv + i);
}
#endif
