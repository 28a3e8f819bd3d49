/*
 * rs_expect -- check `expect-final:` lines against an rssmassif.out file.
 *
 * Part of rssmassif's test suite.
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Usage:
 *   rs_expect [-v] FILE  < expectations
 *   rs_expect --dump FILE
 *
 * FILE is an rssmassif output file (the Massif grammar plus `#rs:` comment
 * lines, see docs/format.md).  rs_expect reads it, checks the parts of the
 * `#rs:` contract that a file can be checked for on its own, and picks the
 * final snapshot: the one whose `#rs:` totals line carries `exit=1`, or the
 * last snapshot of the file when no snapshot carries it.
 *
 * Each line on standard input has the form
 *   expect-final: KEY OP VALUE [tol=T]
 * where KEY is a key of the final snapshot's totals line, OP is one of
 *   =   actual == VALUE
 *   ~   |actual - VALUE| <= T   (tol=T is required with ~, refused otherwise)
 *   <=  actual <= VALUE
 *   >=  actual >= VALUE
 * and VALUE, T are decimal numbers.  Blank lines are ignored.
 *
 * Output: one line per failed expectation, giving the actual and the
 * expected value (with -v, one line per passed expectation as well).
 * Exit status: 0 when the file is well formed and every expectation holds;
 * 1 when an expectation fails, an expectation line is malformed or the file
 * is malformed; 2 on a usage error.
 *
 * --dump prints the final snapshot's totals as `KEY VALUE` lines, in file
 * order (used by ./quickstart when rs_print is not available).
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The twelve keys that open every totals line, in this order. */
static const char *const totals_keys[] = {
   "useful_B",    "blocks",          "heap_live_B", "heap_live_res_B",
   "heap_dead_B", "heap_dead_res_B", "loader_B",    "loader_res_B",
   "stack_B",     "stack_res_B",     "other_B",     "other_res_B",
};
#define N_TOTALS_KEYS (sizeof totals_keys / sizeof totals_keys[0])

struct kv {
   char *key;
   char *val;
};

struct snapshot {
   long number;          /* from `snapshot=N`                    */
   long line;            /* line of `snapshot=N`                 */
   long totals_line;     /* line of the totals `#rs:` line, or 0 */
   struct kv *kv;        /* totals line's pairs, in order        */
   size_t n_kv;
   int have_heap, have_extra, have_stacks;
   unsigned long long mem_heap_B, mem_heap_extra_B, mem_stacks_B;
};

static const char *file_name;
static int n_errors;

static void file_error(long line, const char *fmt, ...)
{
   va_list ap;
   if (line > 0)
      fprintf(stdout, "rs_expect: %s:%ld: ", file_name, line);
   else
      fprintf(stdout, "rs_expect: %s: ", file_name);
   va_start(ap, fmt);
   vfprintf(stdout, fmt, ap);
   va_end(ap);
   fputc('\n', stdout);
   n_errors++;
}

static void *xmalloc(size_t n)
{
   void *p = malloc(n ? n : 1);
   if (!p) {
      fprintf(stderr, "rs_expect: out of memory\n");
      exit(2);
   }
   return p;
}

static char *xstrndup(const char *s, size_t n)
{
   char *p = xmalloc(n + 1);
   memcpy(p, s, n);
   p[n] = '\0';
   return p;
}

/* Parses a whole string of decimal digits.  Returns 0 on success. */
static int parse_u64(const char *s, unsigned long long *out)
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
   if (errno == ERANGE || *end)
      return -1;
   return 0;
}

static void free_kv(struct kv *kv, size_t n)
{
   size_t i;
   for (i = 0; i < n; i++) {
      free(kv[i].key);
      free(kv[i].val);
   }
   free(kv);
}

/* Splits the text after `#rs:` into key=value pairs.  Returns the number of
 * pairs, or (size_t)-1 (and reports) when a word is not key=value, unless
 * `lenient`, which skips such words. */
static size_t split_pairs(const char *text, long line, struct kv **out, int lenient)
{
   size_t n = 0, cap = 16;
   struct kv *kv = xmalloc(cap * sizeof *kv);
   const char *p = text;
   for (;;) {
      const char *w, *eq;
      while (*p == ' ' || *p == '\t')
         p++;
      if (!*p)
         break;
      w = p;
      while (*p && *p != ' ' && *p != '\t')
         p++;
      eq = memchr(w, '=', (size_t)(p - w));
      if (!eq || eq == w) {
         if (lenient)
            continue;
         file_error(line, "`#rs:` line: \"%.*s\" is not KEY=VALUE", (int)(p - w), w);
         free_kv(kv, n);
         return (size_t)-1;
      }
      if (n == cap) {
         struct kv *bigger = xmalloc(2 * cap * sizeof *kv);
         memcpy(bigger, kv, n * sizeof *kv);
         free(kv);
         kv = bigger;
         cap *= 2;
      }
      kv[n].key = xstrndup(w, (size_t)(eq - w));
      kv[n].val = xstrndup(eq + 1, (size_t)(p - eq - 1));
      n++;
   }
   *out = kv;
   return n;
}

static const char *lookup(const struct snapshot *s, const char *key)
{
   size_t i;
   for (i = 0; i < s->n_kv; i++)
      if (strcmp(s->kv[i].key, key) == 0)
         return s->kv[i].val;
   return NULL;
}

static unsigned long long num(const struct snapshot *s, const char *key)
{
   unsigned long long v = 0;
   const char *t = lookup(s, key);
   if (t)
      parse_u64(t, &v);
   return v;
}

/* Checks one snapshot block once it is complete.  Returns 0 if well formed. */
static int check_snapshot(const struct snapshot *s, unsigned long long page_B)
{
   static const char *const cats[] = { "heap_live", "heap_dead", "loader", "stack", "other" };
   size_t i;
   int before = n_errors;

   if (!s->totals_line) {
      file_error(s->line, "snapshot %ld has no `#rs: useful_B=...` totals line", s->number);
      return -1;
   }
   if (s->n_kv < N_TOTALS_KEYS) {
      file_error(s->totals_line, "`#rs:` totals line has %zu keys, needs at least %zu",
                 s->n_kv, N_TOTALS_KEYS);
      return -1;
   }
   for (i = 0; i < N_TOTALS_KEYS; i++) {
      unsigned long long v;
      if (strcmp(s->kv[i].key, totals_keys[i]) != 0)
         file_error(s->totals_line, "`#rs:` totals line: key %zu is \"%s\", expected \"%s\"",
                    i + 1, s->kv[i].key, totals_keys[i]);
      else if (parse_u64(s->kv[i].val, &v) != 0)
         file_error(s->totals_line, "`#rs:` totals line: %s=\"%s\" is not a decimal number",
                    s->kv[i].key, s->kv[i].val);
   }
   if (n_errors != before)
      return -1;

   /* Massif's three numbers are sums of the categories (design.md §4). */
   if (!s->have_heap || !s->have_extra || !s->have_stacks) {
      file_error(s->line, "snapshot %ld lacks one of mem_heap_B, mem_heap_extra_B, mem_stacks_B",
                 s->number);
   } else {
      unsigned long long stacks = num(s, "loader_B") + num(s, "stack_B") + num(s, "other_B");
      if (s->mem_heap_B != num(s, "heap_live_B"))
         file_error(s->totals_line, "snapshot %ld: mem_heap_B=%llu but heap_live_B=%llu",
                    s->number, s->mem_heap_B, num(s, "heap_live_B"));
      if (s->mem_heap_extra_B != num(s, "heap_dead_B"))
         file_error(s->totals_line, "snapshot %ld: mem_heap_extra_B=%llu but heap_dead_B=%llu",
                    s->number, s->mem_heap_extra_B, num(s, "heap_dead_B"));
      if (s->mem_stacks_B != stacks)
         file_error(s->totals_line,
                    "snapshot %ld: mem_stacks_B=%llu but loader_B+stack_B+other_B=%llu",
                    s->number, s->mem_stacks_B, stacks);
   }
   /* Each category is a set of whole pages; resident is part of mapped. */
   for (i = 0; i < sizeof cats / sizeof cats[0]; i++) {
      char mk[32], rk[32];
      unsigned long long m, r;
      snprintf(mk, sizeof mk, "%s_B", cats[i]);
      snprintf(rk, sizeof rk, "%s_res_B", cats[i]);
      m = num(s, mk);
      r = num(s, rk);
      if (r > m)
         file_error(s->totals_line, "snapshot %ld: %s=%llu exceeds %s=%llu",
                    s->number, rk, r, mk, m);
      if (page_B && (m % page_B || r % page_B))
         file_error(s->totals_line, "snapshot %ld: %s=%llu or %s=%llu is not a multiple of page_B=%llu",
                    s->number, mk, m, rk, r, page_B);
   }
   return n_errors == before ? 0 : -1;
}

/* The file as far as rs_expect cares. */
struct rsfile {
   unsigned long long version, page_B;
   long n_snapshots;
   struct snapshot final;   /* the chosen final snapshot (owns its kv) */
   int have_final;
   int final_is_exit;       /* chosen because it carries exit=1 */
   long exit_snapshots;     /* how many snapshots carry exit=1  */
};

static void take_snapshot(struct rsfile *f, struct snapshot *cur)
{
   const char *ex;
   int is_exit;
   if (check_snapshot(cur, f->page_B) != 0) {
      free_kv(cur->kv, cur->n_kv);
      memset(cur, 0, sizeof *cur);
      return;
   }
   ex = lookup(cur, "exit");
   is_exit = ex && strcmp(ex, "1") == 0;
   if (is_exit)
      f->exit_snapshots++;
   if (is_exit && f->exit_snapshots > 1)
      file_error(cur->totals_line, "snapshot %ld is a second snapshot with exit=1", cur->number);
   if (f->final_is_exit) {
      /* A snapshot after the exit snapshot: the contract says the exit
       * snapshot is the last one. */
      file_error(cur->line, "snapshot %ld follows the exit=1 snapshot %ld (it must be the last)",
                 cur->number, f->final.number);
      free_kv(cur->kv, cur->n_kv);
      memset(cur, 0, sizeof *cur);
      return;
   }
   if (f->have_final)
      free_kv(f->final.kv, f->final.n_kv);
   f->final = *cur;
   f->have_final = 1;
   f->final_is_exit = is_exit;
   memset(cur, 0, sizeof *cur);
}

static int read_file(const char *path, struct rsfile *f)
{
   FILE *fp = fopen(path, "r");
   char *line = NULL;
   size_t cap = 0;
   ssize_t len;
   long lineno = 0;
   int in_snapshot = 0, have_version = 0;
   struct snapshot cur;

   memset(f, 0, sizeof *f);
   memset(&cur, 0, sizeof cur);
   if (!fp) {
      file_error(0, "cannot open: %s", strerror(errno));
      return -1;
   }
   while ((len = getline(&line, &cap, fp)) != -1) {
      lineno++;
      while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
         line[--len] = '\0';
      if (strncmp(line, "snapshot=", 9) == 0) {
         unsigned long long n;
         if (in_snapshot)
            take_snapshot(f, &cur);
         if (parse_u64(line + 9, &n) != 0)
            file_error(lineno, "bad snapshot number \"%s\"", line + 9);
         cur.number = (long)n;
         cur.line = lineno;
         in_snapshot = 1;
         f->n_snapshots++;
      } else if (strncmp(line, "#rs:", 4) == 0) {
         struct kv *kv;
         size_t n;
         const char *t = line + 4;
         while (*t == ' ' || *t == '\t')
            t++;
         /* Only the header line and the totals line are ours to read;
          * other `#rs:` lines (pinned pages, trim blockers, ...) are
          * skipped whatever their form. */
         if (in_snapshot && strncmp(t, "useful_B=", 9) != 0)
            continue;
         n = split_pairs(t, lineno, &kv, !in_snapshot);
         if (n == (size_t)-1)
            continue;
         if (!in_snapshot) {
            /* Header line: version=N page_B=N. */
            size_t i;
            for (i = 0; i < n; i++) {
               if (strcmp(kv[i].key, "version") == 0) {
                  if (parse_u64(kv[i].val, &f->version) != 0 || f->version < 1)
                     file_error(lineno, "bad version \"%s\"", kv[i].val);
                  have_version = 1;
               } else if (strcmp(kv[i].key, "page_B") == 0) {
                  if (parse_u64(kv[i].val, &f->page_B) != 0 || f->page_B == 0)
                     file_error(lineno, "bad page_B \"%s\"", kv[i].val);
               }
            }
            free_kv(kv, n);
         } else if (n > 0 && strcmp(kv[0].key, "useful_B") == 0) {
            if (cur.totals_line) {
               file_error(lineno, "snapshot %ld has a second totals line (first on line %ld)",
                          cur.number, cur.totals_line);
               free_kv(kv, n);
            } else {
               cur.totals_line = lineno;
               cur.kv = kv;
               cur.n_kv = n;
            }
         } else {
            free_kv(kv, n);  /* another kind of #rs: line: not ours */
         }
      } else if (in_snapshot) {
         unsigned long long v;
         if (strncmp(line, "mem_heap_B=", 11) == 0) {
            cur.have_heap = parse_u64(line + 11, &v) == 0;
            cur.mem_heap_B = v;
            if (!cur.have_heap)
               file_error(lineno, "bad number in \"%s\"", line);
         } else if (strncmp(line, "mem_heap_extra_B=", 17) == 0) {
            cur.have_extra = parse_u64(line + 17, &v) == 0;
            cur.mem_heap_extra_B = v;
            if (!cur.have_extra)
               file_error(lineno, "bad number in \"%s\"", line);
         } else if (strncmp(line, "mem_stacks_B=", 13) == 0) {
            cur.have_stacks = parse_u64(line + 13, &v) == 0;
            cur.mem_stacks_B = v;
            if (!cur.have_stacks)
               file_error(lineno, "bad number in \"%s\"", line);
         }
      }
   }
   if (ferror(fp))
      file_error(lineno, "read error: %s", strerror(errno));
   if (in_snapshot)
      take_snapshot(f, &cur);
   free(line);
   fclose(fp);

   if (!have_version)
      file_error(0, "no `#rs: version=N` header line before the first snapshot "
                    "(not an rssmassif file?)");
   if (f->n_snapshots == 0)
      file_error(0, "no snapshot in the file");
   else if (!f->have_final && n_errors == 0)
      file_error(0, "no usable final snapshot");
   return n_errors ? -1 : 0;
}

/* ---- expectations ---------------------------------------------------- */

static int check_expectation(const struct rsfile *f, const char *text, long lineno, int verbose)
{
   char key[128], op[4], value[64], extra[128], junk[2];
   unsigned long long want, tol = 0, actual;
   const char *p = text, *actual_text;
   int n, ok;

   while (*p == ' ' || *p == '\t')
      p++;
   if (strncmp(p, "expect-final:", 13) != 0) {
      printf("rs_expect: <stdin>:%ld: malformed expectation \"%s\": "
             "does not start with \"expect-final:\"\n", lineno, text);
      return -1;
   }
   p += 13;
   extra[0] = '\0';
   n = sscanf(p, " %127s %3s %63s %127s %1s", key, op, value, extra, junk);
   if (n < 3 || n > 4) {
      printf("rs_expect: <stdin>:%ld: malformed expectation \"%s\": "
             "expected \"expect-final: KEY OP VALUE [tol=T]\"\n", lineno, text);
      return -1;
   }
   if (strcmp(op, "=") && strcmp(op, "~") && strcmp(op, "<=") && strcmp(op, ">=")) {
      printf("rs_expect: <stdin>:%ld: malformed expectation \"%s\": "
             "operator \"%s\" is not one of = ~ <= >=\n", lineno, text, op);
      return -1;
   }
   if (parse_u64(value, &want) != 0) {
      printf("rs_expect: <stdin>:%ld: malformed expectation \"%s\": "
             "value \"%s\" is not a decimal number\n", lineno, text, value);
      return -1;
   }
   if (n == 4) {
      if (strncmp(extra, "tol=", 4) != 0 || parse_u64(extra + 4, &tol) != 0) {
         printf("rs_expect: <stdin>:%ld: malformed expectation \"%s\": "
                "\"%s\" is not tol=DECIMAL\n", lineno, text, extra);
         return -1;
      }
      if (strcmp(op, "~") != 0) {
         printf("rs_expect: <stdin>:%ld: malformed expectation \"%s\": "
                "tol= is only meaningful with ~\n", lineno, text);
         return -1;
      }
   } else if (strcmp(op, "~") == 0) {
      printf("rs_expect: <stdin>:%ld: malformed expectation \"%s\": "
             "~ needs tol=T\n", lineno, text);
      return -1;
   }

   actual_text = lookup(&f->final, key);
   if (!actual_text) {
      printf("failed: %s: key \"%s\" is not on the final snapshot's #rs: line (snapshot %ld)\n",
             text, key, f->final.number);
      return 1;
   }
   if (parse_u64(actual_text, &actual) != 0) {
      printf("failed: %s: %s=\"%s\" in the file is not a number\n", text, key, actual_text);
      return 1;
   }

   if (strcmp(op, "=") == 0)
      ok = actual == want;
   else if (strcmp(op, "<=") == 0)
      ok = actual <= want;
   else if (strcmp(op, ">=") == 0)
      ok = actual >= want;
   else
      ok = (actual >= want ? actual - want : want - actual) <= tol;

   if (!ok || verbose) {
      unsigned long long d = actual >= want ? actual - want : want - actual;
      char expected[96];
      if (op[0] == '~')
         snprintf(expected, sizeof expected, "%llu +- %llu", want, tol);
      else
         snprintf(expected, sizeof expected, "%s %llu", op, want);
      printf("%s: %s %s %s%s%s: actual %llu, expected %s (actual-expected = %s%llu B, %.1f pages)\n",
             ok ? "ok" : "failed", key, op, value, n == 4 ? " " : "", n == 4 ? extra : "",
             actual, expected, actual >= want ? "+" : "-", d,
             (double)d / (double)(f->page_B ? f->page_B : 4096));
   }
   return ok ? 0 : 1;
}

static void usage(void)
{
   fprintf(stderr, "usage: rs_expect [-v] FILE < expectations\n"
                   "       rs_expect --dump FILE\n");
   exit(2);
}

int main(int argc, char **argv)
{
   int verbose = 0, dump = 0, argi = 1, failed = 0;
   struct rsfile f;
   char *line = NULL;
   size_t cap = 0;
   ssize_t len;
   long lineno = 0;

   while (argi < argc && argv[argi][0] == '-' && argv[argi][1]) {
      if (strcmp(argv[argi], "-v") == 0)
         verbose = 1;
      else if (strcmp(argv[argi], "--dump") == 0)
         dump = 1;
      else if (strcmp(argv[argi], "--") == 0) {
         argi++;
         break;
      } else
         usage();
      argi++;
   }
   if (argc - argi != 1)
      usage();
   file_name = argv[argi];

   if (read_file(file_name, &f) != 0)
      return 1;

   if (dump) {
      size_t i;
      for (i = 0; i < f.final.n_kv; i++)
         printf("%s %s\n", f.final.kv[i].key, f.final.kv[i].val);
      return 0;
   }

   while ((len = getline(&line, &cap, stdin)) != -1) {
      const char *p;
      lineno++;
      while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
         line[--len] = '\0';
      for (p = line; *p == ' ' || *p == '\t'; p++)
         ;
      if (!*p)
         continue;
      if (check_expectation(&f, line, lineno, verbose) != 0)
         failed = 1;
   }
   free(line);
   free_kv(f.final.kv, f.final.n_kv);
   return failed;
}
