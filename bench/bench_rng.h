/* bench_rng.h -- a small deterministic generator shared by the workloads.
   SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef BENCH_RNG_H
#define BENCH_RNG_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

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
#endif
