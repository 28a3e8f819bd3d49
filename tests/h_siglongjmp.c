/*
 * h_siglongjmp: a program that recovers from its own SIGSEGVs: it touches
 * a PROT_NONE page, its handler allocates a block, opens the page for the
 * next round... and siglongjmps out of the handler.  200 rounds, with a
 * second fault raised inside the handler half of the time (nested
 * handler, SA_NODEFER).  Nothing of this may confuse the tool's counts.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Own arithmetic: each round the handler allocates one block of 100+round
 * bytes (kept in a table), the nested handler (even rounds) one of 10
 * bytes that main frees after the jump.  The guard page is the program's
 * own mapping: other_B grows by exactly its one page, never resident
 * (mincore says so at the end).
 */
#include "rs_client.h"

#include <setjmp.h>
#include <signal.h>

#define ROUNDS 200

static sigjmp_buf env;
static char *guard;
static volatile int round_no, depth;
static char *kept[ROUNDS], *nested[ROUNDS];
static long long useful, blocks;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
   (void)sig;
   (void)uc;
   if ((char *)si->si_addr != guard)
      _exit(70);                             /* a real crash: give up */
   if (depth++ == 0) {
      kept[round_no] = malloc(100 + (size_t)round_no);
      useful += 100 + round_no;
      blocks++;
      if (round_no % 2 == 0)
         *(volatile char *)guard = 1;        /* fault again, nested */
   } else {
      nested[round_no] = malloc(10);
      useful += 10;
      blocks++;
   }
   siglongjmp(env, 1);
}

int main(void)
{
   struct rssmassif_totals base, t;
   struct sigaction sa;
   int i;

   rs_init();
   free(malloc(1));
   rs_get(&base);
   guard = mmap(NULL, RS_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (guard == MAP_FAILED)
      return 1;
   memset(&sa, 0, sizeof sa);
   sa.sa_sigaction = on_segv;
   sa.sa_flags = SA_SIGINFO | SA_NODEFER;
   sigaction(SIGSEGV, &sa, NULL);
   for (round_no = 0; round_no < ROUNDS; round_no++) {
      depth = 0;
      if (sigsetjmp(env, 1) == 0) {
         *(volatile char *)guard = 1;
         printf("not ok the guard page did not fault\n");
         return 1;
      }
      if (nested[round_no]) {
         free(nested[round_no]);
         useful -= 10;
         blocks--;
      }
   }
   printf("ok %d rounds of SIGSEGV and siglongjmp\n", ROUNDS);
   rs_own("the guard page was never resident", rs_resident((uintptr_t)guard, RS_PAGE, NULL, NULL) == 0);
   if (rs_under_tool) {
      rs_get(&t);
      rs_eq("useful after the rounds", (long long)(t.useful_B - base.useful_B), useful);
      rs_eq("blocks after the rounds", (long long)(t.blocks - base.blocks), blocks);
      rs_eq("other_B: the guard page", (long long)(t.other_B - base.other_B), (long long)RS_PAGE);
      rs_eq("other_res_B: not resident", (long long)(t.other_res_B - base.other_res_B), 0);
      rs_expect_final("useful_B", "=", useful, 0);
      rs_expect_final("blocks", "=", blocks, 0);
   }
   return rs_finish();
}
