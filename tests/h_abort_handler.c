/*
 * h_abort_handler: abort() called inside a signal handler, after the
 * handler itself allocated.  The final snapshot counts the handler's block.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * main allocates 20 blocks of 512 bytes and raises SIGUSR1; the handler
 * (running on an alternate signal stack the program mmapped: other, 4 pages
 * + its own arithmetic) allocates one block of 7777 bytes and calls abort().
 * SIGABRT: Valgrind exits 134.
 */
#include "rs_client.h"

#include <signal.h>

#define N 20
#define ALT_PAGES 16

static struct rssmassif_totals base;
static long long own_useful, own_blocks;
static char *handler_block;

static void on_usr1(int sig)
{
   (void)sig;
   handler_block = malloc(7777);
   if (handler_block)
      memset(handler_block, 5, 7777);
   own_useful += 7777;
   own_blocks++;
   rs_expect_final("useful_B", "=", (long long)base.useful_B + own_useful, 0);
   rs_expect_final("blocks", "=", (long long)base.blocks + own_blocks, 0);
   rs_expect_final("other_B", "=", (long long)base.other_B + ALT_PAGES * (long long)RS_PAGE, 0);
   printf("ok in the handler, aborting\n");
   abort();
}

int main(void)
{
   static char *p[N];
   stack_t ss;
   struct sigaction sa;
   int i;

   rs_init();
   rs_get(&base);
   for (i = 0; i < N; i++) {
      p[i] = malloc(512);
      memset(p[i], 4, 512);
      own_useful += 512;
      own_blocks++;
   }
   if (!rs_under_tool)
      return rs_finish();
   ss.ss_sp = mmap(NULL, ALT_PAGES * RS_PAGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (ss.ss_sp == MAP_FAILED)
      return 2;
   ss.ss_size = ALT_PAGES * RS_PAGE;
   ss.ss_flags = 0;
   if (sigaltstack(&ss, NULL) != 0)
      return 2;
   memset(&sa, 0, sizeof sa);
   sa.sa_handler = on_usr1;
   sa.sa_flags = SA_ONSTACK;
   sigaction(SIGUSR1, &sa, NULL);
   raise(SIGUSR1);
   printf("not ok abort() in a handler returned\n");
   return 1;
}
