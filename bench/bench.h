/* bench.h -- helpers shared by the workloads: a deterministic generator,
   argument parsing, and phase timing.
   SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef BENCH_H
#define BENCH_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* xorshift64*: good enough to scatter indices, and the same sequence on
   every run and under every tool. */
static inline uint64_t bench_next(uint64_t* s)
{
   uint64_t x = *s;
   x ^= x >> 12;
   x ^= x << 25;
   x ^= x >> 27;
   *s = x;
   return x * 0x2545F4914F6CDD1DULL;
}

/* A small block size: 16, 32, ..., 128 bytes. */
static inline size_t bench_small_size(uint64_t* s)
{
   return 16 + (size_t)(bench_next(s) % 8) * 16;
}

static inline unsigned long bench_arg(int argc, char** argv, int i,
                                      unsigned long dflt)
{
   char* end;
   unsigned long v;
   if (i >= argc)
      return dflt;
   v = strtoul(argv[i], &end, 10);
   if (*end != '\0') {
      fprintf(stderr, "%s: bad number '%s'\n", argv[0], argv[i]);
      exit(2);
   }
   return v;
}

static inline void* bench_xmalloc(size_t n)
{
   void* p = malloc(n);
   if (p == NULL) {
      fprintf(stderr, "out of memory (%zu bytes)\n", n);
      exit(1);
   }
   return p;
}
/* Phase timing.  A workload brackets a phase with bench_phase_start and
   bench_phase_end, which prints
       bench-phase NAME ops=N cpu_s=S wall_s=S
   on stdout.  cpu_s is the process's CPU time (the tool's work included:
   under Valgrind the tool runs in the client's process), so the cost of
   one operation is measured without Valgrind's start-up and exit and is
   less sensitive to other load on the machine than elapsed time. */
typedef struct {
   struct timespec cpu, wall;
} BenchPhase;

static inline double bench_ts_diff(struct timespec a, struct timespec b)
{
   return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) * 1e-9;
}

static inline void bench_phase_start(BenchPhase* p)
{
   clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &p->cpu);
   clock_gettime(CLOCK_MONOTONIC, &p->wall);
}

static inline void bench_phase_end(const BenchPhase* p, const char* name,
                                   unsigned long ops)
{
   struct timespec cpu, wall;
   clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
   clock_gettime(CLOCK_MONOTONIC, &wall);
   printf("bench-phase %s ops=%lu cpu_s=%.6f wall_s=%.6f\n", name, ops,
          bench_ts_diff(p->cpu, cpu), bench_ts_diff(p->wall, wall));
   fflush(stdout);
}
#endif
