/*
 * h_fork: fork without exec.  Parent and child each get their own output
 * file (the name has %p, expanded again in the child) and each file is
 * complete: its final snapshot (exit=1) holds that process's own blocks.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Before the fork the parent holds 10 blocks of 1000 bytes.  The child
 * frees 3 of them, allocates 7 blocks of 333 bytes and a 200000-byte block
 * (an mmapped chunk), frees the big one and exits 0.  The parent waits for
 * it, allocates 2 blocks of 5000 bytes and exits.  Both exit normally, so
 * glibc's freeres has run and useful_B/blocks are the program's own blocks.
 *
 * Expectations are printed as `expect-file NAME KEY OP VALUE` (NAME is the
 * output file of the process that printed it: h_fork.out.<its pid>); the
 * .vgtest's post: lines check them with rs_expect.
 */
#include "rs_client.h"

#include <sys/wait.h>

static char *p[20];

static void expect(const char *key, long long v)
{
   printf("expect-file h_fork.out.%d %s = %lld\n", (int)getpid(), key, v);
}

int main(void)
{
   long long useful = 0, blocks = 0;
   int i, status = -1;
   pid_t child;
   char *big;

   rs_init();
   for (i = 0; i < 10; i++) {
      p[i] = malloc(1000);
      memset(p[i], 1, 1000);
      useful += 1000;
      blocks++;
   }
   child = fork();
   if (child < 0) {
      printf("not ok fork failed\n");
      return 1;
   }
   if (child == 0) {
      for (i = 0; i < 3; i++) {
         free(p[i]);
         useful -= 1000;
         blocks--;
      }
      for (i = 10; i < 17; i++) {
         p[i] = malloc(333);
         memset(p[i], 2, 333);
         useful += 333;
         blocks++;
      }
      big = malloc(200000);
      memset(big, 3, 200000);
      free(big);
      if (rs_under_tool) {
         expect("useful_B", useful);
         expect("blocks", blocks);
      }
      exit(0);
   }
   if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      printf("not ok child status %#x\n", status);
      return 1;
   }
   printf("ok child exited 0\n");
   for (i = 10; i < 12; i++) {
      p[i] = malloc(5000);
      memset(p[i], 4, 5000);
      useful += 5000;
      blocks++;
   }
   if (rs_under_tool) {
      expect("useful_B", useful);
      expect("blocks", blocks);
   }
   return rs_finish();
}
