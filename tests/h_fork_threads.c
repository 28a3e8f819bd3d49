/*
 * h_fork_threads: fork() in a multi-threaded program while other threads
 * hold blocks.  In the child only the forking thread exists, but every
 * block the other threads held is still allocated (and stays so: nobody
 * frees it).  Parent and child each write their own complete file (%p).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * 8 threads each allocate 20 blocks of (t+1)*100 bytes (some in thread
 * arenas) and wait on a condition variable.  main forks:
 *   child:  all 160 thread blocks + main's 5 blocks of 50 bytes are live;
 *           it frees main's 5 and exits 0 -- its final snapshot holds the
 *           160 blocks of the threads that do not exist in it;
 *   parent: wakes the threads, which free their blocks and end; it joins
 *           them and exits with main's 5 blocks live.
 * Own arithmetic; the thread stacks are the program's own (user stacks:
 * glibc frees their DTVs at the join, see h_thread_exit.c), the DTVs of
 * the 8 threads still count in the child (each thread wrote its DTV size:
 * amd64 TCB %fs:8, block of (dtv[-1].counter + 2) * 16 bytes).
 * Expectations: `expect-file NAME KEY OP VALUE` for each process's file.
 */
#include "rs_client.h"

#include <pthread.h>
#include <sys/wait.h>

#define NT 8
#define NB 20
#define STACK_B (256 * 1024)

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int ready, go;
static size_t dtv_size[NT];

static size_t own_dtv_bytes(void)
{
   size_t *dtv;
   __asm__ volatile("mov %%fs:8, %0" : "=r"(dtv));
   return (dtv[-2] + 2) * 16;
}

static void *worker(void *arg)
{
   int t = (int)(intptr_t)arg, i;
   char *mine[NB];
   for (i = 0; i < NB; i++) {
      mine[i] = malloc((size_t)(t + 1) * 100);
      memset(mine[i], t, (size_t)(t + 1) * 100);
   }
   dtv_size[t] = own_dtv_bytes();
   pthread_mutex_lock(&mu);
   ready++;
   pthread_cond_broadcast(&cv);
   while (!go)
      pthread_cond_wait(&cv, &mu);
   pthread_mutex_unlock(&mu);
   for (i = 0; i < NB; i++)
      free(mine[i]);
   return NULL;
}

static void expect(const char *key, long long v)
{
   if (rs_under_tool)
      printf("expect-file h_fork_threads.out.%d %s = %lld\n", (int)getpid(), key, v);
}

int main(void)
{
   pthread_t th[NT];
   pthread_attr_t a;
   char *own[5];
   long long tu = 0, tb = 0;
   int i, status = -1;
   pid_t child;

   rs_init();
   for (i = 0; i < 5; i++)
      own[i] = malloc(50);
   for (i = 0; i < NT; i++) {
      void *st = mmap(NULL, STACK_B, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      pthread_attr_init(&a);
      pthread_attr_setstack(&a, st, STACK_B);
      pthread_create(&th[i], &a, worker, (void *)(intptr_t)i);
      pthread_attr_destroy(&a);
   }
   pthread_mutex_lock(&mu);
   while (ready < NT)
      pthread_cond_wait(&cv, &mu);
   pthread_mutex_unlock(&mu);
   for (i = 0; i < NT; i++) {
      tu += (long long)NB * (i + 1) * 100 + (long long)dtv_size[i];
      tb += NB + 1;
   }
   child = fork();
   if (child == 0) {
      for (i = 0; i < 5; i++)
         free(own[i]);
      expect("useful_B", tu);
      expect("blocks", tb);
      _exit(0);
   }
   if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
       WEXITSTATUS(status) != 0) {
      printf("not ok child status %#x\n", status);
      return 1;
   }
   printf("ok the child exited 0\n");
   pthread_mutex_lock(&mu);
   go = 1;
   pthread_cond_broadcast(&cv);
   pthread_mutex_unlock(&mu);
   for (i = 0; i < NT; i++)
      pthread_join(th[i], NULL);
   expect("useful_B", 250);
   expect("blocks", 5);
   return rs_finish();
}
