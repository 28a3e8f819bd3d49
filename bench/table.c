/* table -- medians and ratios of bench/run's raw timings.
 *
 * Input (the raw file bench/run writes), one run per line:
 *     WORKLOAD LABEL ROUND ELAPSED_S USER_S SYS_S MAXRSS_KB
 * LABEL is a tool name (none, massif, rssmassif) or a variant such as
 * "rssmassif--depth=1".  Lines starting with '#' are ignored; a run that
 * failed has ELAPSED_S = -1 and is left out of the medians.
 *
 * and, optionally, a phase file (timings the workloads print themselves,
 * measured inside the client, so without Valgrind's start-up and exit):
 *     WORKLOAD LABEL ROUND PHASE OPS CPU_S WALL_S
 *
 * Usage:
 *     table main RAW [--phases=PH] [--cpu] [--per-op=W:OPS[:SETUP_W]]...
 *                    [--per-block=W:N]...
 *     table breakdown RAW [--phases=PH] [--cpu]
 *
 * `main` prints, per workload, the median seconds of none, massif and
 * rssmassif, the ratios rssmassif/massif, rssmassif/none, massif/none and
 * the peak-RSS ratio rssmassif/massif.  --per-op prints the cost of one
 * operation (median time of W, minus that of SETUP_W if given, over OPS);
 * --per-block prints (peak RSS of tool - peak RSS of none) / N, an upper
 * bound of the tool's memory per live block when W keeps N blocks alive.
 *
 * `breakdown` prints, per workload, every label's medians and its
 * difference from the first label of that workload.
 *
 * With --phases, both also print each phase's median cost per operation
 * in microseconds (CPU time unless --wall); `main` with ratios between the
 * tools, `breakdown` per label, and for a phase named "snapshot" or
 * "totals" its cost per operation as a percentage of the median run time
 * of that label.
 *
 * --cpu uses user+sys seconds instead of elapsed seconds for whole runs;
 * --wall uses elapsed instead of CPU seconds for phases.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NAME   128
#define MAX_RUNS   64
#define MAX_CELLS  256
#define NONE      (-1e300)           /* a missing figure */

typedef struct {
   char   workload[MAX_NAME];
   char   label[MAX_NAME];
   double secs[MAX_RUNS];
   double kb[MAX_RUNS];
   double cpu[MAX_RUNS];     /* user + sys, whatever --cpu says */
   double wall[MAX_RUNS];
   int    n;
   int    failed;
} Cell;

static Cell cells[MAX_CELLS];
static int  n_cells;
static int  use_cpu;

/* Phase timings: one Cell per (workload, label + "/" + phase); secs holds
   seconds per operation, kb the operation count. */
static Cell phases[MAX_CELLS];
static int  n_phases;
static int  use_wall;

static Cell* cell(const char* w, const char* l, int create)
{
   int i;
   for (i = 0; i < n_cells; i++)
      if (strcmp(cells[i].workload, w) == 0 && strcmp(cells[i].label, l) == 0)
         return &cells[i];
   if (!create)
      return NULL;
   if (n_cells == MAX_CELLS) {
      fprintf(stderr, "table: too many workload/label pairs\n");
      exit(2);
   }
   snprintf(cells[n_cells].workload, MAX_NAME, "%s", w);
   snprintf(cells[n_cells].label, MAX_NAME, "%s", l);
   return &cells[n_cells++];
}

static void read_raw(const char* path)
{
   char line[1024], w[MAX_NAME], l[MAX_NAME];
   FILE* f = fopen(path, "r");
   int lineno = 0;
   if (f == NULL) {
      perror(path);
      exit(2);
   }
   while (fgets(line, sizeof line, f) != NULL) {
      int round;
      double e, u, s, kb;
      Cell* c;
      lineno++;
      if (line[0] == '#' || line[0] == '\n')
         continue;
      if (sscanf(line, "%127s %127s %d %lf %lf %lf %lf",
                 w, l, &round, &e, &u, &s, &kb) != 7) {
         fprintf(stderr, "table: %s:%d: expected 7 fields\n", path, lineno);
         exit(2);
      }
      c = cell(w, l, 1);
      if (e < 0) {
         c->failed++;
         continue;
      }
      if (c->n == MAX_RUNS)
         continue;
      c->secs[c->n] = use_cpu ? u + s : e;
      c->kb[c->n]   = kb;
      c->cpu[c->n]  = u + s;
      c->wall[c->n] = e;
      c->n++;
   }
   fclose(f);
}

static Cell* phase_cell(const char* w, const char* l, const char* ph,
                        int create)
{
   char key[MAX_NAME];
   int i;
   snprintf(key, sizeof key, "%s/%s", l, ph);
   for (i = 0; i < n_phases; i++)
      if (strcmp(phases[i].workload, w) == 0 && strcmp(phases[i].label, key) == 0)
         return &phases[i];
   if (!create)
      return NULL;
   if (n_phases == MAX_CELLS) {
      fprintf(stderr, "table: too many phases\n");
      exit(2);
   }
   snprintf(phases[n_phases].workload, MAX_NAME, "%s", w);
   snprintf(phases[n_phases].label, MAX_NAME, "%s", key);
   return &phases[n_phases++];
}

static void read_phases(const char* path)
{
   char line[1024], w[MAX_NAME], l[MAX_NAME], ph[MAX_NAME];
   FILE* f = fopen(path, "r");
   int lineno = 0;
   if (f == NULL)
      return;                       /* no workload printed a phase */
   while (fgets(line, sizeof line, f) != NULL) {
      int round;
      double ops, cpu, wall;
      Cell* c;
      lineno++;
      if (line[0] == '#' || line[0] == '\n')
         continue;
      if (sscanf(line, "%127s %127s %d %127s %lf %lf %lf",
                 w, l, &round, ph, &ops, &cpu, &wall) != 7) {
         fprintf(stderr, "table: %s:%d: expected 7 fields\n", path, lineno);
         exit(2);
      }
      c = phase_cell(w, l, ph, 1);
      if (c->n == MAX_RUNS || ops <= 0)
         continue;
      c->secs[c->n] = (use_wall ? wall : cpu) / ops;
      c->kb[c->n]   = ops;
      c->n++;
   }
   fclose(f);
}

static int cmp_double(const void* a, const void* b)
{
   double x = *(const double*)a, y = *(const double*)b;
   return x < y ? -1 : x > y;
}

static double median(const double* v, int n)
{
   double t[MAX_RUNS];
   if (n == 0)
      return NONE;
   memcpy(t, v, n * sizeof *t);
   qsort(t, n, sizeof *t, cmp_double);
   return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static double med_s(const char* w, const char* l)
{
   Cell* c = cell(w, l, 0);
   return c ? median(c->secs, c->n) : NONE;
}

static double med_kb(const char* w, const char* l)
{
   Cell* c = cell(w, l, 0);
   return c ? median(c->kb, c->n) : NONE;
}

/* Prints a number, or "-" when it is missing. */
static void put(const char* fmt, int width, double v)
{
   if (v == NONE)
      printf(" %*s", width, "-");
   else
      printf(fmt, width, v);
}

static double ratio(double a, double b)
{
   return (a == NONE || b == NONE || b <= 0) ? NONE : a / b;
}

/* Workloads in order of first appearance. */
static int workloads(const char** out)
{
   int i, j, n = 0;
   for (i = 0; i < n_cells; i++) {
      for (j = 0; j < n; j++)
         if (strcmp(out[j], cells[i].workload) == 0)
            break;
      if (j == n)
         out[n++] = cells[i].workload;
   }
   return n;
}

static void note_failures(void)
{
   int i;
   for (i = 0; i < n_cells; i++)
      if (cells[i].failed)
         printf("  ! %s / %s: %d failed run(s) left out\n",
                cells[i].workload, cells[i].label, cells[i].failed);
}

static void per_op(const char* spec)
{
   char w[MAX_NAME], setup[MAX_NAME] = "";
   double ops;
   const char* tools[] = { "none", "massif", "rssmassif" };
   int t;
   if (sscanf(spec, "%127[^:]:%lf:%127s", w, &ops, setup) < 2 || ops <= 0) {
      fprintf(stderr, "table: bad --per-op=%s\n", spec);
      exit(2);
   }
   printf("  %-16s", w);
   for (t = 0; t < 3; t++) {
      double a = med_s(w, tools[t]), b = setup[0] ? med_s(setup, tools[t]) : 0;
      put(" %*.3f", 9, (a == NONE || b == NONE) ? NONE : (a - b) / ops * 1e6);
   }
   if (setup[0])
      printf("   (minus %s, over %.0f ops)", setup, ops);
   else
      printf("   (over %.0f ops)", ops);
   printf("\n");
}

static void per_block(const char* spec)
{
   char w[MAX_NAME];
   double n, none;
   if (sscanf(spec, "%127[^:]:%lf", w, &n) != 2 || n <= 0) {
      fprintf(stderr, "table: bad --per-block=%s\n", spec);
      exit(2);
   }
   none = med_kb(w, "none");
   printf("  %-16s", w);
   put(" %*.1f", 9, (none == NONE || med_kb(w, "massif") == NONE) ? NONE
                    : (med_kb(w, "massif") - none) * 1024 / n);
   put(" %*.1f", 9, (none == NONE || med_kb(w, "rssmassif") == NONE) ? NONE
                    : (med_kb(w, "rssmassif") - none) * 1024 / n);
   printf("   (peak RSS over none, / %.0f live blocks)\n", n);
}

/* Median microseconds per operation of a phase, or NONE. */
static double phase_us(const char* w, const char* l, const char* ph)
{
   Cell* c = phase_cell(w, l, ph, 0);
   return (c && c->n) ? median(c->secs, c->n) * 1e6 : NONE;
}

/* The phase names of a workload, in order of first appearance. */
static int phase_names(const char* w, const char** out, int max)
{
   int i, j, n = 0;
   for (i = 0; i < n_phases && n < max; i++) {
      const char* ph = strchr(phases[i].label, '/');
      if (strcmp(phases[i].workload, w) != 0 || ph == NULL)
         continue;
      ph++;
      for (j = 0; j < n; j++)
         if (strcmp(out[j], ph) == 0)
            break;
      if (j == n)
         out[n++] = ph;
   }
   return n;
}

static void main_phases(void)
{
   const char* w[MAX_CELLS];
   const char* ph[MAX_CELLS];
   int n = workloads(w), i, j;
   if (n_phases == 0)
      return;
   printf("\nphases timed inside the client: microseconds per operation "
          "(%s time)\n", use_wall ? "elapsed" : "CPU");
   printf("%-16s %-10s %9s %9s %9s %9s %9s %9s\n", "workload", "phase",
          "ops", "none", "massif", "rssmassif", "rss/msf", "rss/none");
   for (i = 0; i < n; i++) {
      int np = phase_names(w[i], ph, MAX_CELLS);
      for (j = 0; j < np; j++) {
         double un = phase_us(w[i], "none", ph[j]),
                um = phase_us(w[i], "massif", ph[j]),
                ur = phase_us(w[i], "rssmassif", ph[j]);
         Cell* c = phase_cell(w[i], "rssmassif", ph[j], 0);
         if (un == NONE && um == NONE && ur == NONE)
            continue;               /* a phase of no operations */
         printf("%-16s %-10s", w[i], ph[j]);
         put(" %*.0f", 9, (c && c->n) ? c->kb[0] : NONE);
         put(" %*.3f", 9, un);
         put(" %*.3f", 9, um);
         put(" %*.3f", 9, ur);
         put(" %*.2f", 9, ratio(ur, um));
         put(" %*.2f", 9, ratio(ur, un));
         printf("\n");
      }
   }
}

static void breakdown_phases(void)
{
   int i;
   if (n_phases == 0)
      return;
   printf("\nphases timed inside the client: microseconds per operation "
          "(%s time)\n", use_wall ? "elapsed" : "CPU");
   printf("%-16s %-44s %9s %12s\n", "workload", "variant/phase", "ops",
          "us/op");
   for (i = 0; i < n_phases; i++) {
      const Cell* c = &phases[i];
      double us = c->n ? median(c->secs, c->n) * 1e6 : NONE;
      const char* ph = strchr(c->label, '/');
      printf("%-16s %-44s", c->workload, c->label);
      put(" %*.0f", 9, c->n ? c->kb[0] : NONE);
      put(" %*.3f", 12, us);
      if (ph != NULL && (strcmp(ph + 1, "snapshot") == 0
                         || strcmp(ph + 1, "totals") == 0) && us >= 0) {
         char l[MAX_NAME];
         double run;
         snprintf(l, sizeof l, "%.*s", (int)(ph - c->label), c->label);
         {
            const Cell* r = cell(c->workload, l, 0);
            run = (r && r->n) ? median(use_wall ? r->wall : r->cpu, r->n) : NONE;
         }
         if (run > 0)
            printf("   = %.3f %% of the run (%.2f s %s) per snapshot",
                   us * 1e-6 / run * 100, run, use_wall ? "elapsed" : "CPU");
      }
      printf("\n");
   }
}

static void main_table(int argc, char** argv)
{
   const char* w[MAX_CELLS];
   int n = workloads(w), i, a, any_op = 0, any_block = 0;

   printf("%-16s %8s %8s %8s %9s %9s %9s %9s %9s %9s\n", "workload",
          "none_s", "massif_s", "rss_s", "rss/msf", "rss/none", "msf/none",
          "msf_MB", "rss_MB", "mem r/m");
   for (i = 0; i < n; i++) {
      double sn = med_s(w[i], "none"), sm = med_s(w[i], "massif"),
             sr = med_s(w[i], "rssmassif");
      double km = med_kb(w[i], "massif"), kr = med_kb(w[i], "rssmassif");
      printf("%-16s", w[i]);
      put(" %*.2f", 8, sn);
      put(" %*.2f", 8, sm);
      put(" %*.2f", 8, sr);
      put(" %*.2f", 9, ratio(sr, sm));
      put(" %*.2f", 9, ratio(sr, sn));
      put(" %*.2f", 9, ratio(sm, sn));
      put(" %*.1f", 9, km == NONE ? NONE : km / 1024);
      put(" %*.1f", 9, kr == NONE ? NONE : kr / 1024);
      put(" %*.2f", 9, ratio(kr, km));
      printf("\n");
   }
   for (a = 0; a < argc; a++) {
      if (strncmp(argv[a], "--per-op=", 9) == 0) {
         if (!any_op++)
            printf("\nmicroseconds per free+malloc pair  %9s %9s %9s\n",
                   "none", "massif", "rssmassif");
         per_op(argv[a] + 9);
      }
   }
   for (a = 0; a < argc; a++) {
      if (strncmp(argv[a], "--per-block=", 12) == 0) {
         if (!any_block++)
            printf("\ntool bytes per live block         %9s %9s\n",
                   "massif", "rssmassif");
         per_block(argv[a] + 12);
      }
   }
   main_phases();
   note_failures();
}

static void breakdown_table(void)
{
   const char* w[MAX_CELLS];
   int n = workloads(w), i, j;
   printf("%-16s %-34s %8s %8s %8s %9s\n", "workload", "variant", "secs",
          "+/- s", "ratio", "peak_MB");
   for (i = 0; i < n; i++) {
      const Cell* first = NULL;
      for (j = 0; j < n_cells; j++) {
         const Cell* c = &cells[j];
         double s, f;
         if (strcmp(c->workload, w[i]) != 0)
            continue;
         if (first == NULL)
            first = c;
         s = median(c->secs, c->n);
         f = median(first->secs, first->n);
         printf("%-16s %-34s", w[i], c->label);
         put(" %*.2f", 8, s);
         if (s == NONE || f == NONE)
            printf(" %8s", "-");
         else
            printf(" %+8.2f", s - f);
         put(" %*.2f", 8, ratio(s, f));
         put(" %*.1f", 9, c->n ? median(c->kb, c->n) / 1024 : NONE);
         printf("\n");
      }
   }
   breakdown_phases();
   note_failures();
}

int main(int argc, char** argv)
{
   int a;
   if (argc < 3) {
      fprintf(stderr, "usage: table main|breakdown RAW [--cpu] [options]\n");
      return 2;
   }
   for (a = 3; a < argc; a++) {
      if (strcmp(argv[a], "--cpu") == 0)
         use_cpu = 1;
      else if (strcmp(argv[a], "--wall") == 0)
         use_wall = 1;
   }
   read_raw(argv[2]);
   for (a = 3; a < argc; a++)
      if (strncmp(argv[a], "--phases=", 9) == 0)
         read_phases(argv[a] + 9);
   if (strcmp(argv[1], "main") == 0)
      main_table(argc - 3, argv + 3);
   else if (strcmp(argv[1], "breakdown") == 0)
      breakdown_table();
   else {
      fprintf(stderr, "table: unknown mode '%s'\n", argv[1]);
      return 2;
   }
   return 0;
}
