/*
 * rs_compare_cmd.c -- the rs_compare program: runs a program under
 * `valgrind --tool=rssmassif` once per allocator variant (glibc, glibc with
 * MALLOC_ARENA_MAX=2, jemalloc, tcmalloc, mimalloc preloaded) and prints
 * rs_print's --compare table of the runs plus one verdict line.  See
 * rs_compare(1) and docs/allocators.md ("Comparing allocators").
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rs_compare.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

/* The folders searched for the allocators' libraries, in order (Debian's
 * multiarch folder first); --libdir replaces them. */
#define RS_LIBDIRS "/usr/lib/x86_64-linux-gnu:/usr/lib64:/usr/lib:" \
                   "/usr/local/lib"

/* Most variants one run of rs_compare makes. */
#define MAX_VARIANTS 16

/* A variant: a name, the library to preload (NULL: none) and one
 * variable to set in the environment (NULL: none). */
struct variant_kind {
   const char *name;
   const char *lib;      /* file name searched in the libdirs */
   const char *env_name; /* e.g. "MALLOC_ARENA_MAX" */
   const char *env_val;  /* e.g. "2" */
};

/* Every variant rs_compare knows, in the default order. */
static const struct variant_kind kinds[] = {
   { "glibc", NULL, NULL, NULL },
   { "glibc-arena2", NULL, "MALLOC_ARENA_MAX", "2" },
   { "jemalloc", "libjemalloc.so.2", NULL, NULL },
   { "tcmalloc", "libtcmalloc_minimal.so.4", NULL, NULL },
   { "mimalloc", "libmimalloc.so.2", NULL, NULL },
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

/* One variant to run. */
struct variant {
   const struct variant_kind *kind;
   char *lib_path;       /* the library found, or NULL */
   char *out_path;       /* DIR/rssmassif.out.NAME */
};

/* The command line. */
struct cmd {
   const char *variants;   /* --variants=LIST, or NULL for the default */
   const char *out_dir;    /* --out-dir=DIR */
   const char *valgrind;   /* --valgrind=PATH, or NULL */
   const char *libdirs;    /* --libdir=DIR[:DIR...] */
   const char *vgopts[32]; /* --vgopt=OPT */
   int nvgopts;
   double growth_pct;      /* --max-growth=PCT, or -1 */
   char **prog;            /* PROG ARGS..., NULL-terminated */
};

static const char usage_text[] =
   "usage: rs_compare [options] [--] PROG [ARGS...]\n"
   "  Runs PROG under valgrind --tool=rssmassif once per allocator variant\n"
   "  and prints the runs side by side (rs_print --compare), then which\n"
   "  variant retains least at exit and at the peak.\n"
   "  options, with defaults in [ ]:\n"
   "    -h --help             show this message\n"
   "    --version             show version\n"
   "    --variants=LIST       comma-separated: glibc, glibc-arena2 (glibc with\n"
   "                          MALLOC_ARENA_MAX=2), jemalloc, tcmalloc,\n"
   "                          mimalloc [glibc; glibc-arena2 when the glibc run\n"
   "                          used two or more thread arenas; each installed\n"
   "                          allocator, preloaded]\n"
   "    --out-dir=DIR         where the output files and logs go\n"
   "                          [rs_compare.<pid>]\n"
   "    --valgrind=PATH       the valgrind to run [valgrind on PATH]\n"
   "    --libdir=DIR[:DIR]    where the allocators' libraries are\n"
   "                          [" RS_LIBDIRS "]\n"
   "    --vgopt=OPT           one more option for valgrind (repeatable)\n"
   "    --max-growth=<PCT>    exit 3 if a variant retains more than PCT %\n"
   "                          over the first at exit\n"
   "  VALGRIND_LIB is honoured (valgrind reads it).  PROG's stdin is\n"
   "  /dev/null; its stdout and stderr go to DIR/NAME.stdout, .stderr.\n"
   "  Exit status: 0 ok, 1 a run failed, 2 bad command line,\n"
   "  3 --max-growth exceeded.\n";

static int usage_error(const char *fmt, const char *arg)
{
   fprintf(stderr, "rs_compare: ");
   fprintf(stderr, fmt, arg);
   fprintf(stderr, "\nTry 'rs_compare --help'.\n");
   return 2;
}

/* Parses the options; 0, -1 after --help/--version, or the exit status. */
static int parse_cmd(int argc, char **argv, struct cmd *c)
{
   static char dir[64];
   int i;
   snprintf(dir, sizeof dir, "rs_compare.%ld", (long)getpid());
   memset(c, 0, sizeof *c);
   c->out_dir = dir;
   c->libdirs = RS_LIBDIRS;
   c->growth_pct = -1;
   for (i = 1; i < argc && argv[i][0] == '-'; i++) {
      const char *a = argv[i];
      if (strcmp(a, "--") == 0) {
         i++;
         break;
      } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
         fputs(usage_text, stdout);
         return -1;
      } else if (strcmp(a, "--version") == 0) {
         printf("rs_compare-%s\n", PACKAGE_VERSION);
         return -1;
      } else if (strncmp(a, "--variants=", 11) == 0 && a[11]) {
         c->variants = a + 11;
      } else if (strncmp(a, "--out-dir=", 10) == 0 && a[10]) {
         c->out_dir = a + 10;
      } else if (strncmp(a, "--valgrind=", 11) == 0 && a[11]) {
         c->valgrind = a + 11;
      } else if (strncmp(a, "--libdir=", 9) == 0 && a[9]) {
         c->libdirs = a + 9;
      } else if (strncmp(a, "--vgopt=", 8) == 0 && a[8]) {
         if (c->nvgopts == 32)
            return usage_error("at most 32 --vgopt, got '%s' too", a);
         c->vgopts[c->nvgopts++] = a + 8;
      } else if (strncmp(a, "--max-growth=", 13) == 0) {
         if (rs_compare_parse_pct(a + 13, &c->growth_pct) < 0)
            return usage_error("expected --max-growth=<percent>, got '%s'", a);
      } else {
         return usage_error("unknown option or empty value '%s'", a);
      }
   }
   if (i >= argc)
      return usage_error("%s", "expected a program to run (rs_compare "
                         "[options] -- PROG ARGS...)");
   c->prog = argv + i;
   return 0;
}

/* ------------------------------------------------------------------ */
/* Finding things                                                      */
/* ------------------------------------------------------------------ */

/* The first DIR/name with DIR from a ':'-separated list that `ok` accepts,
 * malloc'ed, or NULL. */
static char *search_dirs(const char *dirs, const char *name, int mode)
{
   const char *p = dirs;
   while (p != NULL && *p) {
      const char *colon = strchr(p, ':');
      size_t n = colon ? (size_t)(colon - p) : strlen(p);
      char *path = malloc(n + strlen(name) + 2);
      if (path == NULL)
         return NULL;
      snprintf(path, n + strlen(name) + 2, "%.*s/%s", (int)n, p, name);
      if (n > 0 && access(path, mode) == 0)
         return path;
      free(path);
      p = colon ? colon + 1 : NULL;
   }
   return NULL;
}

/* The valgrind to run: --valgrind, else valgrind on PATH; NULL after a
 * one-line error. */
static char *find_valgrind(const struct cmd *c)
{
   char *vg;
   if (c->valgrind != NULL) {
      if (access(c->valgrind, X_OK) == 0)
         return strdup(c->valgrind);
      fprintf(stderr, "rs_compare: --valgrind=%s: not an executable file\n",
              c->valgrind);
      return NULL;
   }
   vg = search_dirs(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin",
                    "valgrind", X_OK);
   if (vg == NULL)
      fprintf(stderr, "rs_compare: cannot find valgrind on PATH (install it, "
              "or give --valgrind=PATH)\n");
   return vg;
}

/* With VALGRIND_LIB set, the tool must be there (else valgrind fails later
 * with a longer story). */
static int check_valgrind_lib(void)
{
   const char *lib = getenv("VALGRIND_LIB");
   char path[4096];
   if (lib == NULL || *lib == '\0')
      return 0;
   snprintf(path, sizeof path, "%s/rssmassif-amd64-linux", lib);
   if (access(path, X_OK) == 0)
      return 0;
   fprintf(stderr, "rs_compare: VALGRIND_LIB=%s has no rssmassif-amd64-linux "
           "(the rssmassif tool)\n", lib);
   return 1;
}

static const struct variant_kind *kind_named(const char *name, size_t n)
{
   for (size_t k = 0; k < NKINDS; k++)
      if (strlen(kinds[k].name) == n && strncmp(kinds[k].name, name, n) == 0)
         return &kinds[k];
   return NULL;
}

/* Sets v's paths; 0, or -1 when its library is not installed. */
static int variant_init(struct variant *v, const struct variant_kind *k,
                        const struct cmd *c)
{
   size_t n = strlen(c->out_dir) + strlen(k->name) + 32;
   v->kind = k;
   v->lib_path = NULL;
   v->out_path = malloc(n);
   if (v->out_path == NULL)
      return -1;
   snprintf(v->out_path, n, "%s/rssmassif.out.%s", c->out_dir, k->name);
   if (k->lib == NULL)
      return 0;
   v->lib_path = search_dirs(c->libdirs, k->lib, R_OK);
   return v->lib_path ? 0 : -1;
}

/* --variants=LIST: the variants asked for; the count, or -1 after a
 * one-line error. */
static int variants_listed(const struct cmd *c, struct variant *v)
{
   int n = 0;
   const char *p = c->variants;
   while (*p) {
      size_t len = strcspn(p, ",");
      const struct variant_kind *k = kind_named(p, len);
      if (k == NULL || n == MAX_VARIANTS) {
         fprintf(stderr, "rs_compare: --variants: expected glibc, "
                 "glibc-arena2, jemalloc, tcmalloc or mimalloc, got '%.*s'\n",
                 (int)len, p);
         return -1;
      }
      if (variant_init(&v[n], k, c) < 0) {
         fprintf(stderr, "rs_compare: --variants: %s is not installed (no %s "
                 "in %s)\n", k->name, k->lib, c->libdirs);
         return -1;
      }
      n++;
      p += len;
      if (*p == ',')
         p++;
   }
   if (n == 0)
      fprintf(stderr, "rs_compare: --variants: expected at least one "
              "variant\n");
   return n > 0 ? n : -1;
}

/* ------------------------------------------------------------------ */
/* Running                                                             */
/* ------------------------------------------------------------------ */

/* In the child: the environment of variant v (the library first in
 * LD_PRELOAD, before any the user preloads). */
static void child_env(const struct variant *v)
{
   if (v->lib_path != NULL && !RS_MUTANT_IS(1405)) {
      const char *old = getenv("LD_PRELOAD");
      size_t n = strlen(v->lib_path) + (old ? strlen(old) : 0) + 2;
      char *pre = malloc(n);
      if (pre == NULL)
         _exit(127);
      snprintf(pre, n, "%s%s%s", v->lib_path, old && *old ? ":" : "",
               old ? old : "");
      setenv("LD_PRELOAD", pre, 1);
   }
   if (v->kind->env_name != NULL)
      setenv(v->kind->env_name, v->kind->env_val, 1);
}

/* In the child: stdin /dev/null, stdout/stderr to DIR/NAME.stdout/.stderr. */
static void child_files(const struct cmd *c, const struct variant *v)
{
   char path[4096];
   int in = open("/dev/null", O_RDONLY);
   snprintf(path, sizeof path, "%s/%s.stdout", c->out_dir, v->kind->name);
   int out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
   snprintf(path, sizeof path, "%s/%s.stderr", c->out_dir, v->kind->name);
   int err = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
   if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0
       || dup2(err, 2) < 0)
      _exit(127);
}

/* valgrind --tool=rssmassif --rssmassif-out-file=... --log-file=...
 * [--vgopt...] PROG ARGS...; argv malloc'ed. */
static char **vg_argv(const char *vg, const struct cmd *c,
                      const struct variant *v, char *outopt, char *logopt)
{
   int nprog = 0;
   while (c->prog[nprog] != NULL)
      nprog++;
   char **argv = calloc((size_t)(nprog + c->nvgopts + 6), sizeof *argv);
   int k = 0;
   if (argv == NULL)
      return NULL;
   argv[k++] = (char *)vg;
   argv[k++] = (char *)"--tool=rssmassif";
   snprintf(outopt, 4200, "--rssmassif-out-file=%s", v->out_path);
   argv[k++] = outopt;
   snprintf(logopt, 4200, "--log-file=%s/%s.vg.log", c->out_dir,
            v->kind->name);
   argv[k++] = logopt;
   for (int i = 0; i < c->nvgopts; i++)
      argv[k++] = (char *)c->vgopts[i];
   for (int i = 0; i < nprog; i++)
      argv[k++] = c->prog[i];
   return argv;
}

/* Runs one variant; returns valgrind's wait status, or -1. */
static int run_variant(const char *vg, const struct cmd *c,
                       const struct variant *v)
{
   static char outopt[4200], logopt[4200];
   char **argv = vg_argv(vg, c, v, outopt, logopt);
   int status;
   if (argv == NULL)
      return -1;
   unlink(v->out_path);
   fflush(NULL);
   pid_t pid = fork();
   if (pid == 0) {
      child_env(v);
      child_files(c, v);
      execv(vg, argv);
      _exit(127);
   }
   free(argv);
   if (pid < 0 || waitpid(pid, &status, 0) < 0)
      return -1;
   return status;
}

/* Runs v and parses its file into run; 0, or 1 after a one-line error. */
static int run_and_load(const char *vg, const struct cmd *c,
                        const struct variant *v, struct rs_compare_run *run)
{
   struct rs_error e;
   fprintf(stderr, "rs_compare: running %s%s%s ...\n", v->kind->name,
           v->lib_path ? " with LD_PRELOAD=" : "",
           v->lib_path ? v->lib_path : "");
   int st = run_variant(vg, c, v);
   if (st < 0) {
      fprintf(stderr, "rs_compare: %s: could not run %s: %s\n",
              v->kind->name, vg, strerror(errno));
      return 1;
   }
   if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
      fprintf(stderr, "rs_compare: note: under %s the program %s %d (see "
              "%s/%s.vg.log)\n", v->kind->name, WIFEXITED(st) ? "exited with "
              "status" : "was killed by signal", WIFEXITED(st)
              ? WEXITSTATUS(st) : WTERMSIG(st), c->out_dir, v->kind->name);
   run->f = rs_parse_path(v->out_path, &e);
   if (run->f == NULL) {
      fprintf(stderr, "rs_compare: %s: %s (see %s/%s.vg.log)\n",
              v->kind->name, e.msg, c->out_dir, v->kind->name);
      return 1;
   }
   run->name = v->kind->name;
   rs_compare_fill(run);
   return 0;
}

/* ------------------------------------------------------------------ */
/* Default variants                                                    */
/* ------------------------------------------------------------------ */

/* Distinct thread arenas (#rs.arena: kind=thread ids) over all snapshots:
 * MALLOC_ARENA_MAX=2 leaves the main arena and one thread arena, so it
 * changes nothing unless the run had two thread arenas or more. */
static size_t thread_arenas(const struct rs_file *f)
{
   const char *ids[8];
   size_t n = 0;
   for (size_t i = 0; i < f->nrecords && n < 8; i++) {
      const struct rs_record *r = &f->records[i];
      const char *kind = rs_record_get(f, r, "kind");
      const char *id = rs_record_get(f, r, "id");
      size_t k;
      if (r->kind == NULL || strcmp(r->kind, "arena") != 0 || kind == NULL
          || strcmp(kind, "thread") != 0 || id == NULL)
         continue;
      for (k = 0; k < n && strcmp(ids[k], id) != 0; k++)
         ;
      if (k == n)
         ids[n++] = id;
   }
   return n;
}

/* The default variants after the glibc run (v[0]): the arena variant when
 * that run had two thread arenas or more, then each installed allocator. */
static int variants_default(const struct cmd *c, struct variant *v,
                            const struct rs_compare_run *glibc_run)
{
   int n = 1;
   size_t arenas = thread_arenas(glibc_run->f);
   for (size_t k = 1; k < NKINDS; k++) {
      if (kinds[k].lib == NULL && arenas < 2)
         continue;
      if (variant_init(&v[n], &kinds[k], c) == 0)
         n++;
      else
         fprintf(stderr, "rs_compare: %s is not installed (no %s in %s): "
                 "skipped\n", kinds[k].name, kinds[k].lib, c->libdirs);
   }
   if (arenas < 2)
      fprintf(stderr, "rs_compare: glibc-arena2 skipped: the glibc run had "
              "%zu thread arena%s (MALLOC_ARENA_MAX=2 changes nothing "
              "below 2)\n", arenas, arenas == 1 ? "" : "s");
   return n;
}

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

/* A note for each run whose file names another allocator than the one its
 * variant preloaded (a static program, or one linking its own). */
static void check_allocators(const struct variant *v,
                             const struct rs_compare_run *runs, int n)
{
   for (int i = 0; i < n; i++) {
      const char *want = v[i].kind->lib ? v[i].kind->name : "glibc";
      const char *got = rs_compare_allocator(runs[i].f);
      if (strcmp(want, got) != 0)
         fprintf(stderr, "rs_compare: note: under %s the program's allocator "
                 "was %s (from %s's header), not %s\n", v[i].kind->name, got,
                 v[i].out_path, want);
   }
}

static void where(FILE *out, const struct cmd *c, const struct variant *v,
                  int n)
{
   fprintf(out, "Output files (rs_print FILE for each report):");
   for (int i = 0; i < n; i++)
      fprintf(out, " %s", v[i].out_path);
   fprintf(out, "\nValgrind logs and the program's output: %s/NAME.vg.log, "
           "NAME.stdout, NAME.stderr\n", c->out_dir);
}

static int growth(const struct rs_compare_run *runs, int n, double pct)
{
   int rc = 0;
   for (int i = 1; i < n; i++)
      if (rs_compare_grew(runs[0].at_exit.retained_B,
                          runs[i].at_exit.retained_B, pct)) {
         fprintf(stderr, "rs_compare: --max-growth=%g: %s retains %llu bytes "
                 "at exit, %s %llu\n", pct, runs[i].name,
                 (unsigned long long)runs[i].at_exit.retained_B,
                 "more than allowed over", (unsigned long long)
                 runs[0].at_exit.retained_B);
         rc = RS_COMPARE_GROWTH_STATUS;
      }
   return rc;
}

/* Runs every variant; the number of runs loaded, *failed set on a failure. */
static int run_all(const char *vg, const struct cmd *c, struct variant *v,
                   int nv, struct rs_compare_run *runs, int *failed)
{
   int n = 0;
   for (int i = 0; i < nv; i++) {
      if (run_and_load(vg, c, &v[i], &runs[n]) != 0) {
         *failed = 1;
         continue;
      }
      v[n] = v[i];
      if (n == 0 && c->variants == NULL && i == 0)
         nv = variants_default(c, v, &runs[0]);
      n++;
   }
   return n;
}

int main(int argc, char **argv)
{
   struct cmd c;
   struct variant v[MAX_VARIANTS];
   struct rs_compare_run runs[MAX_VARIANTS];
   int nv, n, failed = 0, rc;
   char *vg;
   if ((rc = parse_cmd(argc, argv, &c)) != 0)
      return rc < 0 ? 0 : rc;
   if (c.variants != NULL)
      nv = variants_listed(&c, v);
   else
      nv = variant_init(&v[0], &kinds[0], &c) == 0 ? 1 : -1;
   if (nv < 0)
      return 2;
   if ((vg = find_valgrind(&c)) == NULL || check_valgrind_lib() != 0)
      return 1;
   if (mkdir(c.out_dir, 0755) < 0 && errno != EEXIST) {
      fprintf(stderr, "rs_compare: cannot create %s: %s\n", c.out_dir,
              strerror(errno));
      return 1;
   }
   memset(runs, 0, sizeof runs);
   n = run_all(vg, &c, v, nv, runs, &failed);
   if (n > 0) {
      check_allocators(v, runs, n);
      rs_compare_write(stdout, runs, (size_t)n);
      fputc('\n', stdout);
      rs_compare_verdict(stdout, runs, (size_t)n);
      where(stdout, &c, v, n);
   }
   rc = failed || n == 0 ? 1 : 0;
   if (rc == 0 && c.growth_pct >= 0)
      rc = growth(runs, n, c.growth_pct);
   if (fflush(stdout) != 0)
      rc = 1;
   for (int i = 0; i < n; i++)
      rs_file_free((struct rs_file *)runs[i].f);
   free(vg);
   return rc;
}
