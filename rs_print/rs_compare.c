/*
 * rs_compare.c -- runs side by side: `rs_print --compare BASE OTHER...`
 * and the table of the `rs_compare` program (docs/rs_print.md,
 * docs/allocators.md).
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 *
 * For each run: every category's mapped and resident bytes at exit and at
 * the peak, the retained bytes and the release estimate, then the
 * allocation sites of the retained pages (#rs.dead_site) of every run in
 * one list.  The first run is the base the others are held against.
 */
#include "rs_compare.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rs_fmt.h"
#include "rs_model.h"

/* Most runs one table shows (legend letters A..Z). */
#define RS_COMPARE_MAX_RUNS 26

/* How many retained sites the table lists. */
#define RS_COMPARE_SITES 10

/* Width of the row names. */
#define RS_COMPARE_NAME_W 24

const char *rs_compare_allocator(const struct rs_file *f)
{
   for (size_t i = 0; i < f->hdr_rec_count; i++) {
      const char *a = rs_record_get(f, &f->records[f->hdr_rec_first + i],
                                    "allocator");
      if (a != NULL && *a && strcmp(a, "unknown") != 0)
         return a;
   }
   return "glibc";
}

/* Decimal value of `key` in record r; 0 and *ok = 0 when missing or not a
 * plain number. */
static uint64_t key_u64(const struct rs_file *f, const struct rs_record *r,
                        const char *key, int *ok)
{
   const char *v = rs_record_get(f, r, key);
   uint64_t x = 0;
   *ok = 0;
   if (v == NULL || *v == '\0')
      return 0;
   for (; *v; v++) {
      if (*v < '0' || *v > '9' || x > (UINT64_MAX - 9) / 10)
         return 0;
      x = x * 10 + (uint64_t)(*v - '0');
   }
   *ok = 1;
   return x;
}

/* The release estimate of snapshot s: its release_estimate_B=; for a glibc
 * run, failing that, trim_estimate_B= (glibc's name of the same figure) or
 * #rs.trim's estimate_B.  Under another allocator trim_estimate_B is
 * glibc's model, not that allocator's, so it is not shown. */
static int release_estimate(const struct rs_file *f,
                            const struct rs_snapshot *s, uint64_t *est)
{
   int ok;
   const struct rs_record *tot = &f->records[s->totals_record];
   *est = key_u64(f, tot, "release_estimate_B", &ok);
   if (ok || (strcmp(rs_compare_allocator(f), "glibc") != 0 && !RS_MUTANT_IS(1404)))
      return ok;
   *est = key_u64(f, tot, "trim_estimate_B", &ok);
   for (size_t i = 0; !ok && i < s->rec_count; i++) {
      const struct rs_record *r = &f->records[s->rec_first + i];
      if (r->kind != NULL && strcmp(r->kind, "trim") == 0)
         *est = key_u64(f, r, "estimate_B", &ok);
   }
   return ok;
}

static void fill_point(const struct rs_file *f, long idx,
                       struct rs_compare_point *p)
{
   const struct rs_snapshot *s = &f->snaps[idx];
   p->snap = idx;
   for (int c = 0; c < RS_NCAT; c++) {
      p->cat_B[c] = s->cat_B[c];
      p->cat_res_B[c] = s->cat_res_B[c];
   }
   p->total_B = rs_snap_total(s);
   p->total_res_B = rs_snap_total_res(s);
   p->retained_B = s->cat_res_B[RS_CAT_HEAP_DEAD];
   p->has_estimate = release_estimate(f, s, &p->estimate_B);
}

void rs_compare_fill(struct rs_compare_run *run)
{
   fill_point(run->f, rs_final_index(run->f), &run->at_exit);
   fill_point(run->f, rs_peak_index(run->f), &run->at_peak);
}

int rs_compare_grew(uint64_t base_B, uint64_t other_B, double pct)
{
   return (long double)other_B
          > (long double)base_B * (1.0L + (long double)pct / 100.0L);
}

/* ------------------------------------------------------------------ */
/* The table                                                           */
/* ------------------------------------------------------------------ */

/* Column width: the widest number of any run, plus two spaces. */
static int column_width(const struct rs_compare_run *runs, size_t n)
{
   uint64_t max = 0;
   char b[RS_NUMBUF];
   for (size_t i = 0; i < n; i++) {
      const struct rs_compare_point *p[2] = { &runs[i].at_exit,
                                              &runs[i].at_peak };
      for (int k = 0; k < 2; k++)
         if (p[k]->total_B > max)
            max = p[k]->total_B;
   }
   int w = (int)strlen(rs_commify(max, b)) + 2;
   return w < 11 ? 11 : w;
}

static void row_head(FILE *out, const char *name, const char *sub)
{
   char buf[RS_COMPARE_NAME_W + 40];
   snprintf(buf, sizeof buf, "%-10s %s", name, sub);
   fprintf(out, "  %-*s", RS_COMPARE_NAME_W, buf);
}

/* One row of numbers, one column per run. */
static void row_u64(FILE *out, const char *name, const char *sub,
                    const uint64_t *v, size_t n, int w)
{
   char b[RS_NUMBUF];
   row_head(out, name, sub);
   for (size_t i = 0; i < n; i++)
      fprintf(out, "%*s", w, rs_commify(v[i], b));
   fputc('\n', out);
}

/* "+12.3%" of v against base; "=" when equal; "new" over a zero base. */
static void change_str(uint64_t base, uint64_t v, char *buf, size_t len)
{
   if (v == base)
      snprintf(buf, len, "=");
   else if (base == 0)
      snprintf(buf, len, "new");
   else
      snprintf(buf, len, "%+.1f%%",
               100.0 * ((double)v - (double)base) / (double)base);
}

/* The rows of one point (at exit, or at the peak) of every run. */
static void point_rows(FILE *out, const struct rs_compare_run *runs,
                       size_t n, int w, int peak)
{
   uint64_t v[RS_COMPARE_MAX_RUNS];
   char b[RS_NUMBUF];
   const struct rs_compare_point *p[RS_COMPARE_MAX_RUNS];
   for (size_t i = 0; i < n; i++)
      p[i] = peak ? &runs[i].at_peak : &runs[i].at_exit;
   for (size_t i = 0; i < n; i++)
      v[i] = (uint64_t)p[i]->snap;
   row_u64(out, "snapshot", "", v, n, w);
   for (int c = 0; c < RS_NCAT; c++) {
      for (size_t i = 0; i < n; i++)
         v[i] = p[i]->cat_B[c];
      row_u64(out, rs_cat_name[c], "mapped", v, n, w);
      for (size_t i = 0; i < n; i++)
         v[i] = p[i]->cat_res_B[c];
      row_u64(out, "", "resident", v, n, w);
   }
   for (size_t i = 0; i < n; i++)
      v[i] = p[i]->total_B;
   row_u64(out, "total", "mapped", v, n, w);
   for (size_t i = 0; i < n; i++)
      v[i] = p[i]->total_res_B;
   row_u64(out, "", "resident", v, n, w);
   for (size_t i = 0; i < n; i++)
      v[i] = p[i]->retained_B;
   row_u64(out, "retained", "", v, n, w);
   row_head(out, "", "vs A");
   for (size_t i = 0; i < n; i++) {
      char c[32];
      change_str(p[0]->retained_B, p[i]->retained_B, c, sizeof c);
      fprintf(out, "%*s", w, i == 0 ? "" : c);
   }
   fputc('\n', out);
   row_head(out, "release", "estimate");
   for (size_t i = 0; i < n; i++)
      fprintf(out, "%*s", w,
              p[i]->has_estimate ? rs_commify(p[i]->estimate_B, b) : "-");
   fputc('\n', out);
}

static void columns_head(FILE *out, const char *title, size_t n, int w)
{
   fprintf(out, "%-*s", RS_COMPARE_NAME_W + 2, title);
   for (size_t i = 0; i < n; i++)
      fprintf(out, "%*c", w, (char)('A' + i));
   fputc('\n', out);
}

static void legend(FILE *out, const struct rs_compare_run *runs, size_t n)
{
   for (size_t i = 0; i < n; i++) {
      const struct rs_file *f = runs[i].f;
      fprintf(out, "  %c  %s%s%s (allocator %s)\n", (char)('A' + i),
              runs[i].name ? runs[i].name : "", runs[i].name ? ": " : "",
              f->name, rs_compare_allocator(f));
   }
   fprintf(out, "  Command: %s\n", runs[0].f->cmd);
   for (size_t i = 1; i < n; i++)
      if (strcmp(runs[i].f->cmd, runs[0].f->cmd) != 0)
         fprintf(out, "  (%c ran another command: %s)\n", (char)('A' + i),
                 runs[i].f->cmd);
}

/* ------------------------------------------------------------------ */
/* Retained sites                                                      */
/* ------------------------------------------------------------------ */

/* One allocation site of retained pages, in every run. */
struct site {
   char *key;                            /* frames without addresses */
   uint64_t res_B[RS_COMPARE_MAX_RUNS];  /* dead_res_B in each run */
   unsigned char in[RS_COMPARE_MAX_RUNS];/* listed in that run? */
   uint64_t max_B;
};

struct site_list {
   struct site *v;
   size_t n, cap;
};

/* Valgrind's "0x10A95F: main (x.c:8)" without "0x10A95F: ": the address
 * changes with the allocator loaded before the program, the code does
 * not.  A site told apart by more frames ("0x..: f (x.c:3) \u2190 0x..:
 * g (x.c:8)", docs/detailed.md 5.1c) loses every frame's address.  A
 * malloc'ed string. */
static char *site_key(const char *at)
{
   static const char arrow[] = " \xe2\x86\x90 ";
   char *key = malloc(strlen(at) + 1), *o = key;
   if (key == NULL)
      return NULL;
   while (*at) {
      const char *p = strstr(at, ": ");
      if (at[0] == '0' && at[1] == 'x' && p != NULL
          && strspn(at + 2, "0123456789abcdefABCDEF") == (size_t)(p - at - 2))
         at = p + 2;
      const char *next = strstr(at, arrow);
      size_t n = next ? (size_t)(next - at) + strlen(arrow) : strlen(at);
      memcpy(o, at, n);
      o += n;
      at += n;
   }
   *o = '\0';
   return key;
}

/* The site of `key` (a malloc'ed string, owned by the list from now). */
static struct site *site_find(struct site_list *l, char *key)
{
   if (key == NULL)
      return NULL;
   for (size_t i = 0; i < l->n; i++)
      if (strcmp(l->v[i].key, key) == 0) {
         free(key);
         return &l->v[i];
      }
   if (l->n == l->cap) {
      size_t cap = l->cap ? 2 * l->cap : 16;
      struct site *v = realloc(l->v, cap * sizeof *v);
      if (v == NULL) {
         free(key);
         return NULL;
      }
      l->v = v;
      l->cap = cap;
   }
   struct site *s = &l->v[l->n++];
   memset(s, 0, sizeof *s);
   s->key = key;
   return s;
}

/* The snapshot whose #rs.dead_site lines describe snapshot idx: itself,
 * else the latest earlier one with analysis lines; -1 if none. */
static long sites_snapshot(const struct rs_file *f, long idx)
{
   for (long i = idx; i >= 0; i--) {
      const struct rs_snapshot *s = &f->snaps[i];
      for (size_t k = 0; k < s->rec_count; k++)
         if (f->records[s->rec_first + k].kind != NULL)
            return i;
   }
   return -1;
}

static void collect_sites(struct site_list *l, const struct rs_file *f,
                          size_t run)
{
   long idx = sites_snapshot(f, rs_final_index(f));
   if (idx < 0)
      return;
   const struct rs_snapshot *s = &f->snaps[idx];
   for (size_t k = 0; k < s->rec_count; k++) {
      const struct rs_record *r = &f->records[s->rec_first + k];
      const char *at = rs_record_get(f, r, "at");
      int ok;
      if (r->kind == NULL || strcmp(r->kind, "dead_site") != 0 || at == NULL)
         continue;
      uint64_t res = key_u64(f, r, "dead_res_B", &ok);
      struct site *st = site_find(l, site_key(at));
      if (st == NULL)
         return;
      st->res_B[run] += res;
      st->in[run] = 1;
      if (st->res_B[run] > st->max_B)
         st->max_B = st->res_B[run];
   }
}

static int site_cmp(const void *a, const void *b)
{
   const struct site *x = a, *y = b;
   if (x->max_B != y->max_B)
      return x->max_B < y->max_B ? 1 : -1;
   return strcmp(x->key, y->key);
}

/* How run i differs from the base: sites only one of them lists, and the
 * largest change. */
static void site_diff(FILE *out, const struct site_list *l, size_t i)
{
   size_t only_i = 0, only_base = 0;
   const struct site *big = NULL;
   uint64_t big_d = 0;
   char b[RS_NUMBUF];
   for (size_t k = 0; k < l->n; k++) {
      const struct site *s = &l->v[k];
      uint64_t d = s->res_B[i] > s->res_B[0] ? s->res_B[i] - s->res_B[0]
                                             : s->res_B[0] - s->res_B[i];
      only_i += s->in[i] && !s->in[0];
      only_base += s->in[0] && !s->in[i];
      if (d > big_d) {
         big_d = d;
         big = s;
      }
   }
   fprintf(out, "  %c vs A: %zu site%s only in %c, %zu only in A", (char)('A' + i),
           only_i, only_i == 1 ? "" : "s", (char)('A' + i), only_base);
   if (big != NULL)
      fprintf(out, "; largest change %s%s bytes: %s",
              big->res_B[i] > big->res_B[0] ? "+" : "-",
              rs_commify(big_d, b), big->key);
   fputc('\n', out);
}

static void sites_free(struct site_list *l)
{
   for (size_t i = 0; i < l->n; i++)
      free(l->v[i].key);
   free(l->v);
}

static void sites_rows(FILE *out, const struct rs_compare_run *runs,
                       size_t n, int w)
{
   struct site_list l = { NULL, 0, 0 };
   char b[RS_NUMBUF];
   for (size_t i = 0; i < n; i++)
      collect_sites(&l, runs[i].f, i);
   fprintf(out, "Retained bytes at exit by the allocation site of the last "
           "block freed on the\npages (#rs.dead_site; - = not listed in "
           "that run):\n");
   if (l.n == 0) {
      fprintf(out, "  (no run lists retained sites)\n");
      sites_free(&l);
      return;
   }
   qsort(l.v, l.n, sizeof *l.v, site_cmp);
   for (size_t i = 0; i < n; i++)
      fprintf(out, "%*c", w, (char)('A' + i));
   fprintf(out, "  site\n");
   for (size_t k = 0; k < l.n && k < RS_COMPARE_SITES; k++) {
      for (size_t i = 0; i < n; i++)
         fprintf(out, "%*s", w,
                 l.v[k].in[i] ? rs_commify(l.v[k].res_B[i], b) : "-");
      fprintf(out, "  %s\n", l.v[k].key);
   }
   if (l.n > RS_COMPARE_SITES)
      fprintf(out, "  ... and %zu more sites\n", l.n - RS_COMPARE_SITES);
   for (size_t i = 1; i < n; i++)
      site_diff(out, &l, i);
   sites_free(&l);
}

void rs_compare_write(FILE *out, const struct rs_compare_run *runs, size_t n)
{
   int w = column_width(runs, n);
   if (n > RS_COMPARE_MAX_RUNS)
      n = RS_COMPARE_MAX_RUNS;
   rs_rule(out);
   fprintf(out, "Comparison of %zu runs (A is the base; bytes)\n", n);
   rs_rule(out);
   legend(out, runs, n);
   fputc('\n', out);
   columns_head(out, "At exit", n, w);
   point_rows(out, runs, n, w, 0);
   fputc('\n', out);
   columns_head(out, "At the peak", n, w);
   point_rows(out, runs, n, w, 1);
   fputc('\n', out);
   sites_rows(out, runs, n, w);
}

/* Index of the run with the least retained bytes at exit (peak = 0) or at
 * the peak; the first on ties. */
static size_t least(const struct rs_compare_run *runs, size_t n, int peak)
{
   size_t best = 0;
   for (size_t i = 1; i < n; i++) {
      uint64_t a = peak ? runs[i].at_peak.retained_B : runs[i].at_exit.retained_B;
      uint64_t b = peak ? runs[best].at_peak.retained_B
                        : runs[best].at_exit.retained_B;
      if (a < b)
         best = i;
   }
   return best;
}

static const char *run_name(const struct rs_compare_run *r)
{
   return r->name ? r->name : r->f->name;
}

void rs_compare_verdict(FILE *out, const struct rs_compare_run *runs,
                        size_t n)
{
   size_t e = least(runs, n, 0), p = least(runs, n, 1);
   char a[RS_NUMBUF], b[RS_NUMBUF], c[RS_NUMBUF], d[RS_NUMBUF];
   uint64_t base_peak = runs[0].at_peak.total_B;
   uint64_t ep = runs[e].at_peak.total_B;
   char ch[32];
   change_str(base_peak, ep, ch, sizeof ch);
   fprintf(out, "Least retained: at exit %c (%s, %s bytes), at the peak "
           "%c (%s, %s bytes); %c's peak mapped total is %s bytes "
           "(%s vs A's %s).\n",
           (char)('A' + e), run_name(&runs[e]),
           rs_commify(runs[e].at_exit.retained_B, a),
           (char)('A' + p), run_name(&runs[p]),
           rs_commify(runs[p].at_peak.retained_B, b),
           (char)('A' + e), rs_commify(ep, c), ch, rs_commify(base_peak, d));
}

/* ------------------------------------------------------------------ */
/* rs_print --compare                                                  */
/* ------------------------------------------------------------------ */

static int compare_usage(FILE *err, const char *what, const char *arg)
{
   fprintf(err, "rs_print: --compare: ");
   fprintf(err, what, arg);
   fprintf(err, "\nTry 'rs_print --help'.\n");
   return 2;
}

int rs_compare_parse_pct(const char *s, double *out)
{
   char buf[64];
   size_t n = strlen(s);
   if (n == 0 || n >= sizeof buf)
      return -1;
   memcpy(buf, s, n + 1);
   if (buf[n - 1] == '%')
      buf[--n] = '\0';
   if (n == 0 || strspn(buf, "0123456789.") != n || buf[0] == '.')
      return -1;
   char *end;
   errno = 0;
   double v = strtod(buf, &end);
   if (*end != '\0' || errno != 0 || !(v >= 0))
      return -1;
   *out = v;
   return 0;
}

/* Parses the files; 0, or the exit status of the failure. */
static int load_runs(struct rs_compare_run *runs, char **files, size_t n,
                     FILE *err)
{
   for (size_t i = 0; i < n; i++) {
      struct rs_error e;
      runs[i].name = NULL;
      runs[i].f = rs_parse_path(files[i], &e);
      if (runs[i].f == NULL) {
         fprintf(err, "rs_print: %s\n", e.msg);
         return 1;
      }
      if (!runs[i].f->is_rs) {
         fprintf(err, "rs_print: --compare: %s is a plain Massif file (no "
                 "categories)\n", files[i]);
         return 2;
      }
      rs_compare_fill(&runs[i]);
   }
   return 0;
}

/* --max-growth: one line per OTHER over the limit; 3 if any. */
static int check_growth(FILE *err, const struct rs_compare_run *runs,
                        size_t n, const char *opt, double pct)
{
   int rc = 0;
   char a[RS_NUMBUF], b[RS_NUMBUF], c[32];
   uint64_t base = runs[0].at_exit.retained_B;
   for (size_t i = 1; i < n; i++) {
      uint64_t v = runs[i].at_exit.retained_B;
      if (!rs_compare_grew(base, v, pct))
         continue;
      change_str(base, v, c, sizeof c);
      fprintf(err, "rs_print: %s: %s retains %s bytes at exit, %s against "
              "%s's %s bytes\n", opt, runs[i].f->name, rs_commify(v, a), c,
              runs[0].f->name, rs_commify(base, b));
      rc = RS_COMPARE_GROWTH_STATUS;
   }
   return rc;
}

int rs_compare_main(int argc, char **argv, FILE *out, FILE *err)
{
   char *files[RS_COMPARE_MAX_RUNS];
   size_t n = 0;
   double pct = -1;
   const char *growth_opt = NULL;
   int no_more_opts = 0;
   for (int i = 1; i < argc; i++) {
      const char *a = argv[i];
      if (no_more_opts || a[0] != '-' || strcmp(a, "-") == 0) {
         if (n == RS_COMPARE_MAX_RUNS)
            return compare_usage(err, "at most 26 files, got '%s' too", a);
         files[n++] = argv[i];
      } else if (strcmp(a, "--") == 0) {
         no_more_opts = 1;
      } else if (strcmp(a, "--compare") == 0) {
         continue;
      } else if (strncmp(a, "--max-growth=", 13) == 0) {
         if (rs_compare_parse_pct(a + 13, &pct) < 0)
            return compare_usage(err, "expected --max-growth=<percent>, "
                                 "got '%s'", a);
         growth_opt = a;
      } else {
         return compare_usage(err, "unknown or unsupported option '%s'", a);
      }
   }
   if (n < 2)
      return compare_usage(err, "%s", "expected BASE and at least one "
                           "OTHER file");
   struct rs_compare_run runs[RS_COMPARE_MAX_RUNS];
   memset(runs, 0, sizeof runs);
   int rc = load_runs(runs, files, n, err);
   if (rc == 0) {
      rs_compare_write(out, runs, n);
      if (growth_opt != NULL)
         rc = check_growth(err, runs, n, growth_opt, pct);
      if (fflush(out) != 0 || ferror(out)) {
         fprintf(err, "rs_print: cannot write the output: %s\n",
                 strerror(errno));
         rc = 1;
      }
   }
   for (size_t i = 0; i < n; i++)
      if (runs[i].f != NULL)
         rs_file_free((struct rs_file *)runs[i].f);
   return rc;
}
