/*
 * rs_print_fuzz_smoke.c -- a few hundred randomly mutated rssmassif.out
 * and Massif files through rs_print: each run must exit 0 (then its
 * --massif export must read back), or exit 1 with exactly one line
 * "rs_print: FILE:LINE: expected ..., got ..." on stderr; never a crash,
 * never a hang (10 s alarm per run).
 *
 * Seeds: the files in rs_print/samples/ and rs_print/fuzz/corpus/.  Environment:
 * RS_FUZZ_RUNS (default 400), RS_FUZZ_SEED (default 1: the same files on
 * every run; give another to explore).  Failing inputs are kept in the
 * current folder as fuzz-fail-N.out.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include "tests/unit_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

static uint64_t rng_state;

static uint64_t rnd(void)
{
   /* xorshift64* */
   rng_state ^= rng_state >> 12;
   rng_state ^= rng_state << 25;
   rng_state ^= rng_state >> 27;
   return rng_state * 0x2545F4914F6CDD1DULL;
}

static size_t below(size_t n)
{
   return n ? (size_t)(rnd() % n) : 0;
}

struct text {
   char *s;
   size_t len;
};

static struct text seeds[64];
static size_t nseeds;

static void add_seed(const char *path)
{
   if (nseeds == sizeof seeds / sizeof seeds[0])
      return;
   size_t len;
   char *s = read_all(path, &len);
   if (s != NULL && len > 0) {
      seeds[nseeds].s = s;
      seeds[nseeds].len = len;
      nseeds++;
   } else {
      free(s);
   }
}

static void add_dir(const char *dir)
{
   DIR *d = opendir(dir);
   if (d == NULL)
      return;
   struct dirent *e;
   char path[4400];
   /* readdir order varies: collect, then sort, so runs repeat. */
   char *names[64];
   int n = 0;
   while ((e = readdir(d)) != NULL && n < 64)
      if (e->d_name[0] != '.')
         names[n++] = strdup(e->d_name);
   closedir(d);
   for (int i = 0; i < n; i++)
      for (int j = i + 1; j < n; j++)
         if (strcmp(names[i], names[j]) > 0) {
            char *t = names[i];
            names[i] = names[j];
            names[j] = t;
         }
   for (int i = 0; i < n; i++) {
      snprintf(path, sizeof path, "%s/%s", dir, names[i]);
      add_seed(path);
      free(names[i]);
   }
}

/* Growable byte buffer for the mutated text. */
struct mbuf {
   char *s;
   size_t len, cap;
};

static void reserve(struct mbuf *b, size_t need)
{
   if (need + 1 > b->cap) {
      b->cap = 2 * (need + 1);
      b->s = realloc(b->s, b->cap);
   }
}

static void insert(struct mbuf *b, size_t at, const char *p, size_t n)
{
   reserve(b, b->len + n);
   memmove(b->s + at + n, b->s + at, b->len - at);
   memcpy(b->s + at, p, n);
   b->len += n;
}

static void erase(struct mbuf *b, size_t at, size_t n)
{
   if (at + n > b->len)
      n = b->len - at;
   memmove(b->s + at, b->s + at + n, b->len - at - n);
   b->len -= n;
}

/* Start of the line holding offset `at`, and its length (no newline). */
static size_t line_at(const struct mbuf *b, size_t at, size_t *len)
{
   size_t s = at;
   while (s > 0 && b->s[s - 1] != '\n')
      s--;
   size_t e = at;
   while (e < b->len && b->s[e] != '\n')
      e++;
   *len = e - s;
   return s;
}

static const char *const tokens[] = {
   "0", "1", "18446744073709551615", "18446744073709551616", "-1", " ",
   "\n", "#", "#rs:", "#rs: useful_B=1", "n1: ", "n0: 0 x", " n0: 1 y",
   "=", "heap_tree=peak", "heap_tree=detailed", "snapshot=0", "exit=1",
   "label=x", "\r", "\t", "99999999999", "#-----------", ":", "desc: d",
   "cmd: c", "time_unit: i", "version=2", "\xff", "%s%n",
   "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4\xf3\xf2\xf1\xf0"
   "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4\xf3\xf2\xf1\xf0"
   "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4\xf3\xf2\xf1\xf0"
   "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4\xf3\xf2\xf1\xf0"
};

static void mutate(struct mbuf *b)
{
   int n = 1 + (int)below(4);
   for (int k = 0; k < n; k++) {
      size_t at = below(b->len + 1), l, s;
      switch (below(12)) {
      case 0: /* flip a byte */
         if (b->len)
            b->s[below(b->len)] = (char)(rnd() & 0xff);
         break;
      case 1: /* change a digit */
         for (size_t t = 0; t < 64 && b->len; t++) {
            size_t i = below(b->len);
            if (b->s[i] >= '0' && b->s[i] <= '9') {
               b->s[i] = (char)('0' + below(10));
               break;
            }
         }
         break;
      case 2: /* delete a range */
         erase(b, at, 1 + below(40));
         break;
      case 3: /* truncate */
         b->len = at;
         break;
      case 4: { /* insert a token */
         const char *t = tokens[below(sizeof tokens / sizeof tokens[0])];
         insert(b, at, t, strlen(t));
         break;
      }
      case 5: /* delete a line */
         if (b->len) {
            s = line_at(b, below(b->len), &l);
            erase(b, s, l + 1);
         }
         break;
      case 6: /* duplicate a line */
         if (b->len) {
            s = line_at(b, below(b->len), &l);
            char *copy = malloc(l + 1);
            memcpy(copy, b->s + s, l);
            copy[l] = '\n';
            insert(b, s, copy, l + 1);
            free(copy);
         }
         break;
      case 7: /* indent or unindent a line */
         if (b->len) {
            s = line_at(b, below(b->len), &l);
            if (rnd() & 1)
               insert(b, s, " ", 1);
            else if (l && b->s[s] == ' ')
               erase(b, s, 1);
         }
         break;
      case 8: { /* splice a line of another seed */
         const struct text *o = &seeds[below(nseeds)];
         struct mbuf ob = { o->s, o->len, o->len };
         s = line_at(&ob, below(o->len), &l);
         insert(b, line_at(b, at < b->len ? at : 0, &(size_t){ 0 }),
                o->s + s, l < o->len - s ? l + 1 : l);
         break;
      }
      case 9: /* insert a NUL */
         insert(b, at, "", 1);
         break;
      case 10: /* swap two lines' first bytes ranges */
         if (b->len > 2) {
            size_t i = below(b->len), j = below(b->len);
            char t = b->s[i];
            b->s[i] = b->s[j];
            b->s[j] = t;
         }
         break;
      default: /* repeat a range many times (big or deep input) */
         if (b->len) {
            size_t from = below(b->len), cnt = 1 + below(60);
            size_t rep = 1 + below(50);
            if (from + cnt > b->len)
               cnt = b->len - from;
            char *copy = malloc(cnt);
            memcpy(copy, b->s + from, cnt);
            for (size_t r = 0; r < rep; r++)
               insert(b, from, copy, cnt);
            free(copy);
         }
         break;
      }
   }
}

/* Runs rs_print on `path` in a child; checks the outcome.  Returns 0 if
 * fine, else describes the problem in `why`. */
static int run_one(const char *path, int massif, char *why, size_t wsz)
{
   char errpath[64];
   snprintf(errpath, sizeof errpath, "fuzz-stderr.%d", (int)getpid());
   fflush(stdout);
   pid_t pid = fork();
   if (pid < 0) {
      snprintf(why, wsz, "fork failed");
      return -1;
   }
   if (pid == 0) {
      alarm(10);
      int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
      FILE *err = fd >= 0 ? fdopen(fd, "w") : stderr;
      FILE *out = fopen("/dev/null", "w");
      char *argv[4] = { (char *)"rs_print", NULL, NULL, NULL };
      int argc = 1;
      if (massif)
         argv[argc++] = (char *)"--massif";
      argv[argc++] = (char *)path;
      int rc = rs_print_main(argc, argv, out, err);
      fflush(err);
      if (rc == 0) {
         /* Whatever is accepted exports to a file that reads back. */
         struct rs_error e;
         struct rs_file *f = rs_parse_path(path, &e);
         char *x = NULL;
         size_t xl = 0;
         FILE *m = open_memstream(&x, &xl);
         if (f == NULL || rs_massif_export(m, f) < 0)
            _exit(3);
         fclose(m);
         struct rs_file *g = rs_parse_buffer("export", x, xl, &e);
         if (g == NULL || g->nsnaps != f->nsnaps)
            _exit(4);
      }
      _exit(rc);
   }
   int st;
   while (waitpid(pid, &st, 0) < 0)
      ;
   size_t el = 0;
   char *err = read_all(errpath, &el);
   unlink(errpath);
   int bad = 0;
   if (WIFSIGNALED(st)) {
      snprintf(why, wsz, "killed by signal %d%s", WTERMSIG(st),
               WTERMSIG(st) == SIGALRM ? " (hang: 10 s alarm)" : "");
      bad = 1;
   } else if (WEXITSTATUS(st) == 0) {
      if (el != 0) {
         snprintf(why, wsz, "exit 0 with stderr '%.100s'", err);
         bad = 1;
      }
   } else if (WEXITSTATUS(st) == 1) {
      char prefix[300];
      snprintf(prefix, sizeof prefix, "rs_print: %s:", path);
      char *nl = err ? strchr(err, '\n') : NULL;
      if (err == NULL || strncmp(err, prefix, strlen(prefix)) != 0
          || nl == NULL || nl[1] != '\0' || strstr(err, ": expected ") == NULL
          || strstr(err, ", got ") == NULL) {
         snprintf(why, wsz, "exit 1 but stderr is not one 'FILE:LINE: "
                  "expected ..., got ...' line: '%.200s'", err ? err : "");
         bad = 1;
      }
   } else {
      snprintf(why, wsz, "exit status %d%s", WEXITSTATUS(st),
               WEXITSTATUS(st) >= 3 ? " (the export did not read back)" : "");
      bad = 1;
   }
   free(err);
   return bad ? -1 : 0;
}

int main(void)
{
   const char *e = getenv("RS_FUZZ_RUNS");
   long runs = e ? atol(e) : 400;
   e = getenv("RS_FUZZ_SEED");
   rng_state = e ? strtoull(e, NULL, 10) : 1;
   if (rng_state == 0)
      rng_state = 1;
   printf("# RS_FUZZ_SEED=%llu RS_FUZZ_RUNS=%ld\n",
          (unsigned long long)rng_state, runs);

   add_dir(samples_dir());
   char corpus[4200];
   snprintf(corpus, sizeof corpus, "%s/../fuzz/corpus", samples_dir());
   add_dir(corpus);
   check(nseeds >= 4, "%zu seed files", nseeds);
   if (nseeds == 0)
      return unit_done();

   char path[64];
   snprintf(path, sizeof path, "fuzz-input.%d.out", (int)getpid());
   long accepted = 0, rejected = 0, failed = 0;
   for (long i = 0; i < runs; i++) {
      const struct text *sd = &seeds[below(nseeds)];
      struct mbuf b = { NULL, 0, 0 };
      reserve(&b, sd->len);
      memcpy(b.s, sd->s, sd->len);
      b.len = sd->len;
      mutate(&b);
      FILE *fp = fopen(path, "wb");
      if (fp == NULL || fwrite(b.s, 1, b.len, fp) != b.len) {
         check(0, "cannot write %s", path);
         free(b.s);
         break;
      }
      fclose(fp);
      char why[400];
      for (int massif = 0; massif < 2; massif++) {
         if (run_one(path, massif, why, sizeof why) < 0) {
            char keep[64];
            snprintf(keep, sizeof keep, "fuzz-fail-%ld.out", i);
            rename(path, keep);
            check(0, "run %ld%s: %s (input kept as %s)", i,
                  massif ? " --massif" : "", why, keep);
            failed++;
            break;
         }
         if (massif == 0) {
            /* Count the report run's outcome. */
            struct rs_error er;
            struct rs_file *f = rs_parse_buffer("x", b.s, b.len, &er);
            if (f)
               accepted++;
            else
               rejected++;
            rs_file_free(f);
         }
      }
      free(b.s);
   }
   unlink(path);
   check(failed == 0, "%ld mutated files: %ld accepted, %ld rejected with "
         "one line, %ld failures", runs, accepted, rejected, failed);
   return unit_done();
}
