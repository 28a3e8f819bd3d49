/*
 * rs_compare_run.c -- the rs_compare program on tests/compare_client.c
 * with the staged tool: every category cell and the retained row of its
 * table against the output file of that variant (read by unit_util.h's own
 * scanner, not rs_parse.c); each file's allocator= against the variant's
 * preload; the verdict line against the least heap_dead_res_B of the files;
 * the default variants (glibc-arena2 only when the glibc file shows two
 * thread arenas or more, counted here with grep-like code; each allocator
 * library that exists); bad command lines.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include "tests/unit_util.h"

#define LIBDIR "/usr/lib/x86_64-linux-gnu"

static void skip(const char *why)
{
   printf("skipped: %s\n", why);
   exit(77);
}

/* The rs_compare beside $RS_PRINT, else ../rs_compare (make -C rs_print
 * check runs this in rs_print/unit). */
static const char *rs_compare_path(void)
{
   static char buf[4200];
   const char *p = getenv("RS_PRINT");
   const char *slash = p ? strrchr(p, '/') : NULL;
   if (slash == NULL)
      return "../rs_compare";
   snprintf(buf, sizeof buf, "%.*s/rs_compare", (int)(slash - p), p);
   return buf;
}

/* Distinct `#rs.arena: kind=thread id=X` ids in a file. */
static int thread_arena_ids(const char *path)
{
   size_t len;
   char *text = read_all(path, &len), ids[16][40];
   int n = 0;
   for (char *p = text; p && (p = strstr(p, "#rs.arena: kind=thread id=")); p++) {
      char id[40];
      int k;
      if (sscanf(p + 26, "%39s", id) != 1)
         continue;
      for (k = 0; k < n && strcmp(ids[k], id) != 0; k++)
         ;
      if (k == n && n < 16)
         strcpy(ids[n++], id);
   }
   free(text);
   return n;
}

/* The header's allocator= of a file, read here. */
static void header_allocator(const char *path, char *out, size_t n)
{
   size_t len;
   char *text = read_all(path, &len);
   const char *a = text ? strstr(text, "\n#rs: version=") : NULL;
   const char *k = a ? strstr(a, " allocator=") : NULL;
   snprintf(out, n, "?");
   if (k != NULL && k < strchr(a + 1, '\n'))
      sscanf(k + 11, "%31s", out);
   free(text);
}

/* The legend line of run `letter`: "  A  NAME: PATH (allocator X)". */
static int legend_of(const char *t, char letter, char *name, char *path)
{
   char pat[8];
   snprintf(pat, sizeof pat, "\n  %c  ", letter);
   const char *l = strstr(t, pat);
   return l && sscanf(l + 6, "%63[^:]: %4095s", name, path) == 2 ? 0 : -1;
}

static const char *const cat_key[2][RS_NCAT] = {
   { "heap_live_B", "heap_dead_B", "loader_B", "stack_B", "other_B" },
   { "heap_live_res_B", "heap_dead_res_B", "loader_res_B", "stack_res_B",
     "other_res_B" } };

/* Every category cell of run i against its file. */
static int cells_match(const char *t, int i, int n, const char *path)
{
   static const char *const sub[2] = { "mapped", "resident" };
   int bad = 0;
   for (int peak = 0; peak < 2; peak++)
      for (int c = 0; c < RS_NCAT; c++)
         for (int r = 0; r < 2; r++) {
            unsigned long long v[16];
            unsigned long long want = raw_totals_key(path, peak, cat_key[r][c]);
            if (cells(t, peak ? "At the peak" : "At exit", rs_cat_name[c],
                      sub[r], v, n) < 0 || v[i] != want) {
               printf("  run %d %s %s %s: table %llu, file %llu\n", i,
                      peak ? "peak" : "exit", rs_cat_name[c], sub[r], v[i], want);
               bad++;
            }
         }
   return bad;
}

/* The default run: glibc first, then the arena variant and the installed
 * allocators. */
static void default_run(void)
{
   char cmd[9000], name[64], path[4096], alloc[32];
   snprintf(cmd, sizeof cmd, "%s --out-dir=cmp3 -- ./compare_client 3 "
            ">table3.txt 2>rs_compare3.err", rs_compare_path());
   int rc = unit_sh(cmd);
   check(rc == 0, "rs_compare -- ./compare_client 3: exit 0 (got %d)", rc);
   size_t len;
   char *t = read_all("table3.txt", &len);
   if (t == NULL)
      return;
   int arenas = thread_arena_ids("cmp3/rssmassif.out.glibc");
   const char *libs[3][2] = { { "jemalloc", LIBDIR "/libjemalloc.so.2" },
                              { "tcmalloc", LIBDIR "/libtcmalloc_minimal.so.4" },
                              { "mimalloc", LIBDIR "/libmimalloc.so.2" } };
   const char *want[5] = { "glibc" };
   int nwant = 1;
   if (arenas >= 2)
      want[nwant++] = "glibc-arena2";
   for (int k = 0; k < 3; k++)
      if (access(libs[k][1], R_OK) == 0)
         want[nwant++] = libs[k][0];
   check(arenas >= 2, "the glibc run of 4 threads shows %d thread arenas "
         "(>= 2)", arenas);
   unsigned long long least = NONE;
   int least_i = -1;
   for (int i = 0; i < nwant; i++) {
      int ok = legend_of(t, (char)('A' + i), name, path) == 0;
      check(ok && strcmp(name, want[i]) == 0, "run %c is %s (got %s)",
            'A' + i, want[i], ok ? name : "no legend line");
      if (!ok)
         continue;
      header_allocator(path, alloc, sizeof alloc);
      check(strcmp(alloc, strncmp(name, "glibc", 5) == 0 ? "glibc" : name) == 0,
            "%s's file says allocator=%s", name, alloc);
      check(cells_match(t, i, nwant, path) == 0,
            "%s: 20 category cells equal its file's #rs: lines", name);
      unsigned long long ret = raw_totals_key(path, 0, "heap_dead_res_B");
      if (ret < least) {
         least = ret;
         least_i = i;
      }
   }
   check(strstr(t, "Comparison of ") && atoi(strstr(t, "Comparison of ") + 14)
         == nwant, "the table has %d runs", nwant);
   char n1[RS_NUMBUF], line[200];
   snprintf(line, sizeof line, "Least retained: at exit %c (%s, %s bytes)",
            'A' + least_i, least_i >= 0 ? want[least_i] : "?",
            rs_commify(least, n1));
   check(strstr(t, line) != NULL, "verdict: %s", line);
   check(strstr(t, "Output files (") && strstr(t, "cmp3/rssmassif.out.glibc"),
         "says where the output files are");
   free(t);
}

/* No thread arena, no allocator library: glibc alone. */
static void single_run(void)
{
   char cmd[9000];
   snprintf(cmd, sizeof cmd, "%s --out-dir=cmp0 --libdir=/nonexistent -- "
            "./compare_client 0 >table0.txt 2>rs_compare0.err",
            rs_compare_path());
   int rc = unit_sh(cmd);
   size_t len;
   char *t = read_all("table0.txt", &len), *e = read_all("rs_compare0.err", &len);
   check(rc == 0 && t && strstr(t, "Comparison of 1 runs") != NULL,
         "one thread, no allocator library: glibc only (rc %d)", rc);
   check(thread_arena_ids("cmp0/rssmassif.out.glibc") == 0 && e
         && strstr(e, "glibc-arena2 skipped: the glibc run had 0 thread "
                   "arenas") != NULL, "glibc-arena2 skipped, and said why");
   free(t);
   free(e);
}

static void bad_args(void)
{
   static const struct {
      const char *args;
      int rc;
      const char *msg;
   } cases[] = {
      { "--variants=glibc,foo -- ./compare_client", 2,
        "rs_compare: --variants: expected glibc, glibc-arena2, jemalloc, "
        "tcmalloc or mimalloc, got 'foo'\n" },
      { "--variants=jemalloc --libdir=/nonexistent -- ./compare_client", 2,
        "rs_compare: --variants: jemalloc is not installed (no "
        "libjemalloc.so.2 in /nonexistent)\n" },
      { "--variants=glibc", 2, "rs_compare: expected a program to run" },
      { "--max-growth=x -- ./compare_client", 2,
        "rs_compare: expected --max-growth=<percent>, got '--max-growth=x'" },
      { "--bogus -- ./compare_client", 2,
        "rs_compare: unknown option or empty value '--bogus'\n" },
      { "--valgrind=/nonexistent -- ./compare_client", 1,
        "rs_compare: --valgrind=/nonexistent: not an executable file\n" },
   };
   for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
      char cmd[9000];
      size_t len;
      snprintf(cmd, sizeof cmd, "%s --out-dir=bad %s >bad.out 2>bad.err",
               rs_compare_path(), cases[k].args);
      int rc = unit_sh(cmd);
      char *e = read_all("bad.err", &len), *o = read_all("bad.out", &len);
      check(rc == cases[k].rc && e && strstr(e, cases[k].msg) == e && o
            && *o == '\0', "rs_compare %s: exit %d, '%s' (got %d: %s)",
            cases[k].args, cases[k].rc, cases[k].msg, rc, e ? e : "");
      free(e);
      free(o);
   }
}

/* A run that writes no file: exit 1, the reason and the log named. */
static void failed_run(void)
{
   char cmd[9000];
   size_t len;
   snprintf(cmd, sizeof cmd, "%s --out-dir=nofile --variants=glibc -- "
            "./no-such-program >nofile.out 2>nofile.err", rs_compare_path());
   int rc = unit_sh(cmd);
   char *e = read_all("nofile.err", &len);
   check(rc == 1 && e && strstr(e, "rs_compare: glibc: ") != NULL
         && strstr(e, "(see nofile/glibc.vg.log)\n") != NULL,
         "a run without a file: exit 1, one line naming the log (got %d: %s)",
         rc, e ? e : "");
   free(e);
}

/* --max-growth against the first variant: glibc-arena2 first, glibc
 * second; the growth is checked against the two files' heap_dead_res_B. */
static void max_growth(void)
{
   char cmd[9000];
   size_t len;
   snprintf(cmd, sizeof cmd, "%s --out-dir=grow --variants=glibc-arena2,glibc "
            "--max-growth=0 -- ./compare_client 3 >grow.txt 2>grow.err",
            rs_compare_path());
   int rc = unit_sh(cmd);
   unsigned long long base = raw_totals_key("grow/rssmassif.out.glibc-arena2", 0,
                                            "heap_dead_res_B");
   unsigned long long other = raw_totals_key("grow/rssmassif.out.glibc", 0,
                                             "heap_dead_res_B");
   char *e = read_all("grow.err", &len);
   int grew = base != NONE && other != NONE && other > base;
   check(rc == (grew ? 3 : 0), "--max-growth=0: exit %d as glibc retains %llu "
         "against glibc-arena2's %llu (got %d)", grew ? 3 : 0, other, base, rc);
   check(!grew || (e && strstr(e, "rs_compare: --max-growth=0: glibc retains ")),
         "--max-growth: one line names the variant");
   free(e);
}

int main(void)
{
   const char *lib = getenv("VALGRIND_LIB");
   char cmd[9000];
   snprintf(cmd, sizeof cmd, "test -x '%s/rssmassif-amd64-linux'",
            lib ? lib : "/nonexistent");
   if (unit_sh(cmd) != 0)
      skip("no staged rssmassif tool in VALGRIND_LIB (run through make check)");
   if (access(rs_compare_path(), X_OK) != 0)
      skip("rs_compare is not built");
   const char *top = getenv("TOP_SRCDIR"), *cc = getenv("CC");
   snprintf(cmd, sizeof cmd, "%s -g -O0 -pthread -o compare_client "
            "%s/tests/compare_client.c 2>cc.log", cc && *cc ? cc : "cc",
            top ? top : "../..");
   if (unit_sh(cmd) != 0)
      skip("cannot compile tests/compare_client.c");
   bad_args();
   failed_run();
   default_run();
   single_run();
   max_growth();
   return unit_done();
}
