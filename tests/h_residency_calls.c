/*
 * h_residency_calls: reading residency stays a few mincore calls per
 * snapshot when the tool's map is ahead of the kernel's.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each of NTHREADS threads mallocs once, so glibc makes it an arena: it
 * maps 128 MiB PROT_NONE and unmaps the parts outside a 64 MiB-aligned
 * heap (up to 32,768 pages).  The core tells the tool of an munmap after
 * it is done, and the tool takes the peak snapshot before a heap shrink
 * then: mincore over the range it still knows fails.  Reading such a
 * range page by page made one failing call per page (about 16,000 per
 * thread); read by address-space segment it is a few calls.
 *
 * h_residency_calls.vgtest bounds the calls --stats=yes reports by
 * 64 per snapshot taken (a snapshot reads each run of contiguous
 * mappings once: a few dozen runs in this process), far below one per
 * unmapped page.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define NTHREADS 4

static void* worker(void* arg)
{
   void* p = malloc(1000);               /* makes this thread's arena */
   free(p);
   return arg;
}

int main(void)
{
   pthread_t th[NTHREADS];
   int i;
   for (i = 0; i < NTHREADS; i++)
      pthread_create(&th[i], NULL, worker, NULL);
   for (i = 0; i < NTHREADS; i++)
      pthread_join(th[i], NULL);
   printf("ok threads=%d\n", NTHREADS);
   return 0;
}
