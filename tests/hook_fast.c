/*
 * hook_fast: every block the wrappers report reaches the tool through the
 * hooked report function (rs_hook.c), with the same allocation stacks as
 * the client-request path.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The program makes, from three functions of its own:
 *   N_SMALL mallocs (small_blocks), N_CALLOC callocs and N_REALLOC reallocs
 *   that move or grow a block (grow_blocks), one posix_memalign and one
 *   aligned_alloc (aligned_blocks);
 * that is N_SMALL + N_CALLOC + N_REALLOC + 2 = 1,017 reports (a realloc
 * is one report), the number --stats=yes must show as "blocks reported
 * through the hook" and Memcheck's "allocs" count.  stdout is unbuffered
 * so stdio allocates nothing.  It then takes a labelled snapshot `held`
 * with every block live, whose #rs.live_site lines name the three
 * functions; hook_fast.vgtest runs it again with --rs-report-hook=no and
 * compares those lines: the stacks must not depend on the path.
 */
#include "rs_client.h"

#define N_SMALL   1000
#define N_CALLOC  10
#define N_REALLOC 5

static void* small[N_SMALL];
static void* zeroed[N_CALLOC];
static void* aligned[2];

__attribute__((noinline)) static void small_blocks(void)
{
   int i;
   for (i = 0; i < N_SMALL; i++)
      small[i] = malloc(40);
}

__attribute__((noinline)) static void grow_blocks(void)
{
   int i;
   for (i = 0; i < N_CALLOC; i++)
      zeroed[i] = calloc(10, 100);
   for (i = 0; i < N_REALLOC; i++)
      zeroed[i] = realloc(zeroed[i], 5000);
}

__attribute__((noinline)) static void aligned_blocks(void)
{
   if (posix_memalign(&aligned[0], 256, 3000) != 0)
      aligned[0] = NULL;
   aligned[1] = aligned_alloc(512, 1024);
}

int main(void)
{
   int i;
   setvbuf(stdout, NULL, _IONBF, 0);
   small_blocks();
   grow_blocks();
   aligned_blocks();
   RSSMASSIF_SNAPSHOT("held");
   for (i = 0; i < N_SMALL; i++)
      free(small[i]);
   for (i = 0; i < N_CALLOC; i++)
      free(zeroed[i]);
   free(aligned[0]);
   free(aligned[1]);
   printf("ok reports=%d\n", N_SMALL + N_CALLOC + N_REALLOC + 2);
   return 0;
}
