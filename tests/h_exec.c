/*
 * h_exec: a program that execs itself, or forks and execs itself in the
 * child, or execs a program that does not exist.  Used by h_exec_*.vgtest.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * argv[1] (the mode):
 *   self      stage one: sets H_STAGE=two (before reading its base: setenv
 *             allocates), allocates 5 blocks of 1000 bytes and execs itself as `h_exec stage2`.  Before the exec the tool
 *             writes stage one's file (a snapshot labelled `execve`, no
 *             exit=1): useful_B there = start + 5000 (no freeres ran).
 *   forkexec  forks; the child execs itself as `h_exec stage2`; the parent
 *             waits (the child must exit 3), holds 2 blocks of 4321 bytes
 *             and exits.
 *   fail      execv() of a path that does not exist (ENOENT), then carries
 *             on: 3 more blocks of 2222 bytes; exits normally.
 *   stage2    the exec'd image: allocates 4 blocks of 777 bytes, exits 3.
 * Expectations are printed as `expect-file NAME KEY OP VALUE` for the
 * file NAME of the process or stage printing them (the .vgtest names files
 * with %p or %q{H_STAGE}); `expect-final:` lines only when the run has one
 * output file.  Natively (or in an untraced exec'd image) nothing is
 * compared: `ok native ...` lines only.
 */
#include "rs_client.h"

#include <sys/wait.h>

static const char *name_pattern;   /* from H_NAME: "%d" or "%s" replaced */
static char stage[64];             /* H_STAGE as it was at start */

static void expect(const char *key, const char *op, long long v)
{
   char name[256];
   if (!rs_under_tool || !name_pattern)
      return;
   if (strstr(name_pattern, "%d"))
      snprintf(name, sizeof name, name_pattern, (int)getpid());
   else
      snprintf(name, sizeof name, name_pattern, stage);
   printf("expect-file %s %s %s %lld\n", name, key, op, v);
}

static void alloc_n(int n, size_t size, long long *useful, long long *blocks)
{
   int i;
   for (i = 0; i < n; i++) {
      char *q = malloc(size);
      memset(q, 7, size);
      *useful += (long long)size;
      *blocks += 1;
   }
}

int main(int argc, char **argv)
{
   const char *mode = argc > 1 ? argv[1] : "self";
   struct rssmassif_totals base;
   long long useful = 0, blocks = 0;
   char *args[3];

   if (getenv("H_STAGE"))
      snprintf(stage, sizeof stage, "%s", getenv("H_STAGE"));
   /* setenv allocates (the string, a tsearch node, maybe a new environ):
      done before the base is read, so the program's counts are its own */
   if (strcmp(mode, "self") == 0)
      setenv("H_STAGE", "two", 1);
   rs_init();
   rs_get(&base);
   name_pattern = getenv("H_NAME");
   args[0] = argv[0];
   args[1] = "stage2";
   args[2] = NULL;

   if (strcmp(mode, "stage2") == 0) {
      alloc_n(4, 777, &useful, &blocks);
      if (rs_under_tool) {
         expect("useful_B", "=", useful);
         expect("blocks", "=", blocks);
         printf("ok stage two runs under the tool\n");
      } else {
         printf("ok native stage two\n");
      }
      exit(3);
   }
   if (strcmp(mode, "self") == 0) {
      alloc_n(5, 1000, &useful, &blocks);
      expect("useful_B", "=", (long long)base.useful_B + useful);
      expect("blocks", "=", (long long)base.blocks + blocks);
      if (!name_pattern && rs_under_tool) {     /* one file: stage one's */
         rs_expect_final("useful_B", "=", (long long)base.useful_B + useful, 0);
         rs_expect_final("blocks", "=", (long long)base.blocks + blocks, 0);
      }
      execv(argv[0], args);
      printf("not ok execv failed: %s\n", strerror(errno));
      return 1;
   }
   if (strcmp(mode, "forkexec") == 0) {
      int status = -1;
      pid_t child = fork();
      if (child == 0) {
         execv(argv[0], args);
         _exit(99);
      }
      if (child < 0 || waitpid(child, &status, 0) != child) {
         printf("not ok fork/waitpid\n");
         return 1;
      }
      if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
         printf("ok the exec'd child exited 3\n");
      else
         printf("not ok the exec'd child's status is %#x\n", status);
      alloc_n(2, 4321, &useful, &blocks);
      expect("useful_B", "=", useful);
      expect("blocks", "=", blocks);
      return rs_finish();
   }
   if (strcmp(mode, "fail") == 0) {
      static char *bad[] = { "/nonexistent/h_exec_no_such_program", NULL };
      alloc_n(2, 1111, &useful, &blocks);
      execv(bad[0], bad);
      if (errno == ENOENT)
         printf("ok execv of a missing program fails with ENOENT\n");
      else
         printf("not ok execv: %s\n", strerror(errno));
      alloc_n(3, 2222, &useful, &blocks);
      if (rs_under_tool) {
         rs_expect_final("useful_B", "=", useful, 0);
         rs_expect_final("blocks", "=", blocks, 0);
      }
      return rs_finish();
   }
   printf("not ok unknown mode %s\n", mode);
   return 1;
}
