/*
 * h_sigkill: the client is killed by SIGKILL after some work.  Nothing
 * runs at exit (no final snapshot, no rewrite), so what is in the output
 * file is what was streamed while the run went: it must hold complete
 * snapshots that ms_print (and rs_print) read, among them the labelled ones
 * taken before the kill, with the program's own numbers.
 *
 * How it dies matters: under Valgrind, raise(SIGKILL) (or kill/tgkill of
 * itself) does NOT kill the process at once -- Valgrind's syscall wrapper
 * runs the normal exit processing (the tool's fini included) and then dies
 * of SIGKILL.  A true SIGKILL, as the OOM killer or `kill -9` sends, comes
 * from the kernel here: the program sets its RLIMIT_CPU soft and hard
 * limits to one second more than the CPU time it has used and spins; at the
 * hard limit the kernel sends SIGKILL.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Three phases, each ending with RSSMASSIF_SNAPSHOT("phaseN"):
 *   1: 200 blocks of 1500 bytes;  2: half of them freed, 50 blocks of
 *   40000 bytes;  3: 3 blocks of 300000 bytes (mmapped chunks).
 * The client prints `expect-label LABEL KEY VALUE` with useful_B and blocks
 * at each label (own arithmetic plus the start base); the .vgtest checks
 * them against the `#rs:` line of that labelled snapshot.
 * argv[1] (the mode):
 *   cpu        (default) killed by the kernel at the CPU-time limit;
 *   afterexec  the same, but an execv() of a missing program fails before
 *              phase 3 (the tool writes its file at every execve): the
 *              snapshots taken after the failed execve must reach the file;
 *   raise      raise(SIGKILL): Valgrind's exit processing runs, so the
 *              file is complete (final snapshot with exit=1).
 * Valgrind's exit status is 128 + 9 = 137 in every mode.
 */
#include "rs_client.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/time.h>

static struct rssmassif_totals base;
static long long useful, blocks;

static void label(const char *name)
{
   RSSMASSIF_SNAPSHOT(name);
   if (rs_under_tool) {
      printf("expect-label %s useful_B %lld\n", name, (long long)base.useful_B + useful);
      printf("expect-label %s blocks %lld\n", name, (long long)base.blocks + blocks);
   }
}

int main(int argc, char **argv)
{
   static char *p[200], *q[50], *r[3];
   const char *mode = argc > 1 ? argv[1] : "cpu";
   int afterexec = strcmp(mode, "afterexec") == 0;
   struct rusage ru;
   struct rlimit rl;
   volatile unsigned long spin = 0;
   int i;

   rs_init();
   rs_get(&base);
   for (i = 0; i < 200; i++) {
      p[i] = malloc(1500);
      memset(p[i], 1, 1500);
      useful += 1500;
      blocks++;
   }
   label("phase1");
   for (i = 0; i < 200; i += 2) {
      free(p[i]);
      useful -= 1500;
      blocks--;
   }
   for (i = 0; i < 50; i++) {
      q[i] = malloc(40000);
      memset(q[i], 2, 40000);
      useful += 40000;
      blocks++;
   }
   label("phase2");
   if (afterexec) {
      static char *bad[] = { "/nonexistent/h_sigkill_no_such_program", NULL };
      execv(bad[0], bad);
      printf("ok execv failed (%s)\n", strerror(errno));
   }
   for (i = 0; i < 3; i++) {
      r[i] = malloc(300000);
      memset(r[i], 3, 300000);
      useful += 300000;
      blocks++;
   }
   label("phase3");
   if (!rs_under_tool)
      return rs_finish();
   if (strcmp(mode, "raise") == 0) {
      printf("ok raise(SIGKILL)\n");
      raise(SIGKILL);
      printf("not ok survived SIGKILL\n");
      return 1;
   }
   if (getrusage(RUSAGE_SELF, &ru) != 0)
      return 2;
   rl.rlim_cur = rl.rlim_max = (rlim_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 2);
   if (setrlimit(RLIMIT_CPU, &rl) != 0) {
      printf("not ok setrlimit(RLIMIT_CPU): %s\n", strerror(errno));
      return 1;
   }
   printf("ok spinning until the kernel's SIGKILL (RLIMIT_CPU %ld s)\n", (long)rl.rlim_max);
   for (;;)
      spin++;
}
