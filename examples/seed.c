/*
 * seed.c -- "My program freed its memory, yet RSS stays high.
 *            Does free() unmap the memory?"
 *
 * The situation of that question, in a few lines:
 *   1. many small calloc()s (200,000 blocks of 100..300 bytes, ~43 MB of heap);
 *   2. a few large calloc()s (>= 1 MiB each: glibc serves them with mmap);
 *   3. most small blocks freed, but every 100th survives, so each survivor
 *      keeps its whole page (and the pages around it) in the heap;
 *   4. the large blocks freed: glibc munmaps them, that memory really goes back.
 * The program prints what it did and what glibc itself reports (mallinfo2),
 * then exits with the survivors still allocated.
 *
 * Run it under rssmassif:
 *   gcc -g -o seed seed.c
 *   valgrind --tool=rssmassif ./seed
 * and the exit summary shows how much of the heap is dead (freed) but still
 * mapped and resident: the RSS that free() did not give back.
 *
 * Deterministic: block sizes come from a fixed-seed generator.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* With rssmassif's header at hand (quickstart compiles with it), the
 * interesting moments become labelled snapshots; without it, nothing. */
#if defined(__has_include)
#if __has_include("rssmassif.h")
#include "rssmassif.h"
#endif
#endif
#ifndef RSSMASSIF_SNAPSHOT
#define RSSMASSIF_SNAPSHOT(label) ((void)0)
#endif

enum {
   N_SMALL = 200000,          /* small blocks                     */
   SMALL_MIN = 100,           /* their sizes: 100 .. 300 bytes    */
   SMALL_MAX = 300,
   KEEP_EVERY = 100,          /* every 100th small block survives */
   N_LARGE = 6,               /* large blocks, 1..3.5 MiB         */
};

static void *survivors[N_SMALL / KEEP_EVERY];

/* A small linear congruential generator with a fixed seed. */
static unsigned long long rng_state = 20260101;
static unsigned next_random(void)
{
   rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
   return (unsigned)(rng_state >> 33);
}

static void glibc_says(const char *when)
{
   struct mallinfo2 mi = mallinfo2();
   printf("  glibc (mallinfo2) %s: heap arena %zu bytes, of which in use %zu and free %zu;"
          " mmapped chunks %zu bytes\n",
          when, mi.arena, mi.uordblks, mi.fordblks, mi.hblkhd);
}

static double mb(size_t n)
{
   return (double)n / (1024.0 * 1024.0);
}

int main(void)
{
   void **small = malloc(N_SMALL * sizeof *small);
   size_t *small_size = malloc(N_SMALL * sizeof *small_size);
   void *large[N_LARGE];
   size_t small_total = 0, large_total = 0, kept_total = 0, freed_total = 0;
   size_t i, n_kept = 0;

   /* One line out first: stdio's buffer is a heap block too. */
   printf("seed: the situation of \"does free() unmap the memory?\"\n");
   if (!small || !small_size) {
      fprintf(stderr, "seed: out of memory\n");
      return 1;
   }

   /* 1. Many small blocks. */
   for (i = 0; i < N_SMALL; i++) {
      size_t n = SMALL_MIN + next_random() % (SMALL_MAX - SMALL_MIN + 1);
      small[i] = calloc(1, n);
      if (!small[i]) {
         fprintf(stderr, "seed: calloc(%zu) failed\n", n);
         return 1;
      }
      small_size[i] = n;
      small_total += n;
   }
   printf("1. calloc'd %d small blocks of %d..%d bytes: %zu bytes (%.1f MiB)\n",
          N_SMALL, SMALL_MIN, SMALL_MAX, small_total, mb(small_total));

   /* 2. A few large blocks: above glibc's mmap threshold (128 KiB at start),
    *    so each gets its own mapping. */
   for (i = 0; i < N_LARGE; i++) {
      size_t n = (2 + i) * 512 * 1024;   /* 1, 1.5, ..., 3.5 MiB */
      large[i] = calloc(1, n);
      if (!large[i]) {
         fprintf(stderr, "seed: calloc(%zu) failed\n", n);
         return 1;
      }
      memset(large[i], 1, n);            /* make every page resident */
      large_total += n;
   }
   printf("2. calloc'd %d large blocks of 1..3.5 MiB: %zu bytes (%.1f MiB); glibc mmaps each\n",
          N_LARGE, large_total, mb(large_total));
   glibc_says("now");
   RSSMASSIF_SNAPSHOT("allocated");

   /* 3. Free most small blocks; every KEEP_EVERY-th survives, the last one
    *    included, so the top of the heap cannot be trimmed either. */
   for (i = 0; i < N_SMALL; i++) {
      if (i % KEEP_EVERY == KEEP_EVERY - 1) {
         survivors[n_kept++] = small[i];
         kept_total += small_size[i];
      } else {
         free(small[i]);
         freed_total += small_size[i];
      }
   }
   printf("3. freed %zu small blocks (%zu bytes, %.1f MiB); kept %zu survivors"
          " (every %dth, %zu bytes, %.1f KiB)\n",
          (size_t)N_SMALL - n_kept, freed_total, mb(freed_total), n_kept, KEEP_EVERY,
          kept_total, kept_total / 1024.0);
   RSSMASSIF_SNAPSHOT("small-freed");

   /* 4. Free the large blocks: glibc munmaps them. */
   for (i = 0; i < N_LARGE; i++)
      free(large[i]);
   printf("4. freed the %d large blocks (%.1f MiB): glibc munmapped them\n", N_LARGE,
          mb(large_total));
   free(small);
   free(small_size);
   glibc_says("at the end");
   printf("The program now uses %zu bytes in %zu blocks; the freed small blocks'\n"
          "pages stay in the heap, mapped, and most of them resident.\n",
          kept_total, n_kept);
   return 0;
}
