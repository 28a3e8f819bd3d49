/*
 * h_thread_exit: threads that end (pthread_exit from a nested call, or
 * exit() of the whole process) while other threads are allocating.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * 6 churners loop malloc/free (each holds at most 16 blocks of at most
 * 4000 bytes) until told to stop.  Meanwhile:
 *   mode "pthread": 5 exiters each allocate 7 blocks of 1234 bytes, hand
 *     them to main and call pthread_exit() from a nested function.  After
 *     joining the exiters (churners still running) main stops the
 *     churners, joins them (they free everything) and checks: the tool's
 *     useful/blocks = the exiters' 35 blocks + main's 3 (exact).  Main
 *     frees the exiters' blocks; the final snapshot holds main's 3 blocks.
 *     glibc's pthread_exit loads libgcc_s (dlopen: link maps, scopes...)
 *     the first time it unwinds a thread, and keeps it: so a warm-up thread
 *     calls pthread_exit before the base is read.  Every thread runs on a
 *     stack the program mmaps itself (pthread_attr_setstack): glibc keeps
 *     a DTV block for each stack in its stack cache, but a user stack is
 *     never cached, so its thread's DTV is freed at the join and after the
 *     joins no thread's DTV is left.
 *   mode "exit": one exiter calls exit(5) while the churners run.  The
 *     process ends with status 5; the final snapshot is written, and its
 *     useful_B lies between main's own blocks and main's plus what the
 *     churners can hold at most (6 * 16 * 4000) plus the exiter's 7 blocks,
 *     plus the DTV glibc calloc'd for each of the 7 threads still alive
 *     (its size read from glibc's data: amd64 TCB, %fs:8 = DTV pointer,
 *     the block holds dtv[-1].counter + 2 entries of 16 bytes, the same
 *     length for every thread).
 */
#include "rs_client.h"

#include <pthread.h>

#define NC 6
#define NE 5
#define HOLD 16
#define MAXSZ 4000

static volatile int stop;
static char *handed[NE][7];
static struct rssmassif_totals base;

static void *churner(void *arg)
{
   unsigned s = 77u + (unsigned)(intptr_t)arg;
   char *held[HOLD] = { 0 };
   int i = 0, k;
   while (!stop) {
      s = s * 1103515245u + 12345u;
      free(held[i]);
      held[i] = malloc(1 + (s >> 8) % MAXSZ);
      held[i][0] = 1;
      i = (i + 1) % HOLD;
      if ((s & 63) == 0)
         sched_yield();
   }
   for (k = 0; k < HOLD; k++)
      free(held[k]);
   return NULL;
}

static void leave(int e)
{
   pthread_exit((void *)(intptr_t)e);
}

static void *exiter(void *arg)
{
   int e = (int)(intptr_t)arg, i;
   for (i = 0; i < 7; i++) {
      handed[e][i] = malloc(1234);
      memset(handed[e][i], e, 1234);
   }
   if (e == 99)
      return NULL;
   leave(e);
   return NULL;
}

static void *exit_process(void *arg)
{
   int i;
   (void)arg;
   for (i = 0; i < 7; i++)
      handed[0][i] = malloc(1234);
   for (i = 0; i < 200000; i++)   /* let the churners run a while */
      if ((i & 1023) == 0)
         sched_yield();
   exit(5);
   return NULL;
}

#define STACK_B (256 * 1024)

static pthread_attr_t *user_stack(pthread_attr_t *a)
{
   void *st = mmap(NULL, STACK_B, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   pthread_attr_init(a);
   if (st == MAP_FAILED || pthread_attr_setstack(a, st, STACK_B) != 0) {
      printf("not ok own: user stack\n");
      exit(1);
   }
   return a;
}

static size_t own_dtv_bytes(void)
{
   size_t *dtv;
   __asm__ volatile("mov %%fs:8, %0" : "=r"(dtv));
   return (dtv[-2] + 2) * 16;
}

static void *warm_up(void *arg)
{
   (void)arg;
   pthread_exit(NULL);
   return NULL;
}

int main(int argc, char **argv)
{
   const char *mode = argc > 1 ? argv[1] : "pthread";
   pthread_t c[NC], e[NE];
   pthread_attr_t a;
   char *own[3];
   int i, k;

   rs_init();
   pthread_create(&e[0], user_stack(&a), warm_up, NULL);
   pthread_join(e[0], NULL);
   rs_get(&base);
   for (i = 0; i < 3; i++)
      own[i] = malloc(100 * (i + 1));       /* 600 bytes in 3 blocks */
   for (i = 0; i < NC; i++)
      pthread_create(&c[i], user_stack(&a), churner, (void *)(intptr_t)i);

   if (strcmp(mode, "exit") == 0) {
      if (rs_under_tool) {
         rs_expect_final("useful_B", ">=", 600, 0);
         long long dtv = (long long)own_dtv_bytes();
         rs_expect_final("useful_B", "<=", (long long)base.useful_B + 600 + NC * HOLD * MAXSZ
                         + 7 * 1234 + (NC + 1) * dtv, 0);
         rs_expect_final("blocks", ">=", 3, 0);
         rs_expect_final("blocks", "<=", (long long)base.blocks + 3 + NC * HOLD + 7 + (NC + 1), 0);
      }
      pthread_create(&e[0], NULL, exit_process, NULL);
      pthread_join(e[0], NULL);
      printf("not ok exit() in a thread returned\n");
      return 1;
   }

   for (i = 0; i < NE; i++)
      pthread_create(&e[i], user_stack(&a), exiter, (void *)(intptr_t)i);
   for (i = 0; i < NE; i++) {
      void *ret = NULL;
      pthread_join(e[i], &ret);
      if ((intptr_t)ret != i)
         printf("not ok exiter %d returned %ld\n", i, (long)(intptr_t)ret);
   }
   printf("ok exiters joined while the churners run\n");
   stop = 1;
   for (i = 0; i < NC; i++)
      pthread_join(c[i], NULL);
   if (rs_under_tool) {
      struct rssmassif_totals t;
      rs_get(&t);
      rs_eq("useful after the joins", (long long)(t.useful_B - base.useful_B), 600 + NE * 7 * 1234);
      rs_eq("blocks after the joins", (long long)(t.blocks - base.blocks), 3 + NE * 7);
      rs_eq("other_B: the 11 stacks mmapped after the base", (long long)(t.other_B - base.other_B),
            (NC + NE) * (long long)STACK_B);
   }
   for (i = 0; i < NE; i++)
      for (k = 0; k < 7; k++)
         free(handed[i][k]);
   if (rs_under_tool) {
      /* in use at exit after freeres (the HEAP SUMMARY); the exit
         snapshot itself is taken before it: libc's blocks too */
      rs_expect_final("in_use_at_exit_B", "=", 600, 0);
      rs_expect_final("useful_B", ">=", 600, 0);
      rs_expect_final("in_use_at_exit_blocks", "=", 3, 0);
   }
   (void)own;
   return rs_finish();
}
