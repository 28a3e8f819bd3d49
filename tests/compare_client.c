/*
 * compare_client.c -- the program tests/unit/rs_compare_run runs under
 * rs_compare: each of N threads (argv[1], default 0) and the main thread
 * allocate 2,000 blocks of 1,000 bytes, keep one 100-byte block (live
 * to the end) and free the rest, then all wait for each other, so that under glibc each thread
 * gets an arena of its own.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCKS 2000
#define MAX_THREADS 8

static pthread_barrier_t all_done;  /* every thread has freed its blocks */

static void *worker(void *arg)
{
   static char *p[MAX_THREADS + 1][BLOCKS];
   long me = (long)arg;
   char *keep;
   for (int i = 0; i < BLOCKS; i++) {
      p[me][i] = malloc(1000);
      memset(p[me][i], 1, 1000);
   }
   keep = malloc(100);
   for (int i = 0; i < BLOCKS; i++)
      free(p[me][i]);
   pthread_barrier_wait(&all_done);
   return keep;
}

int main(int argc, char **argv)
{
   int n = argc > 1 ? atoi(argv[1]) : 0;
   pthread_t t[MAX_THREADS];
   if (n < 0 || n > MAX_THREADS) {
      fprintf(stderr, "usage: compare_client [0..%d]\n", MAX_THREADS);
      return 2;
   }
   pthread_barrier_init(&all_done, NULL, (unsigned)n + 1);
   for (long i = 0; i < n; i++)
      pthread_create(&t[i], NULL, worker, (void *)(i + 1));
   worker((void *)0);
   for (int i = 0; i < n; i++)
      pthread_join(t[i], NULL);
   printf("ok own: %d threads\n", n);
   return 0;
}
