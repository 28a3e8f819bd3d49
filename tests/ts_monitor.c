/*
 * ts_monitor: the gdbserver monitor commands from the client, through
 * VALGRIND_MONITOR_COMMAND: `detailed_snapshot FILE` and `snapshot FILE`
 * write files that stock ms_print reads (checked here with system(), and
 * again by the runner, which checks every output file in the test's
 * folder), `totals` prints the current totals into the log (grepped by
 * ts_monitor.vgtest), `help` lists the commands.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The snapshot files are written into the current folder (the test's
 * results folder).  ms_print is a Perl script: system() runs it natively
 * (no --trace-children).
 */
#include "rs_client.h"

#include <sys/wait.h>

static void check_file(const char *name, const char *kind)
{
   char cmd[512], what[256], head[8] = { 0 };
   FILE *f = fopen(name, "r");
   int st;

   snprintf(what, sizeof what, "%s wrote %s", kind, name);
   rs_own(what, f != NULL);
   if (!f)
      return;
   if (fread(head, 1, 5, f) != 5) head[0] = 0;
   fclose(f);
   snprintf(what, sizeof what, "%s starts with desc:", name);
   rs_own(what, strcmp(head, "desc:") == 0);
   snprintf(cmd, sizeof cmd,
            "command -v ms_print >/dev/null 2>&1 || exit 77; ms_print %s >%s.ms_print.txt 2>&1", name, name);
   st = system(cmd);
   if (WIFEXITED(st) && WEXITSTATUS(st) == 77) {
      printf("# ms_print not found\n");
      return;
   }
   snprintf(what, sizeof what, "ms_print reads %s", name);
   rs_own(what, WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* The file's `#rs:` useful_B and blocks (the monitor command's snapshot)
 * against the program's own count of its live blocks. */
static void check_rs_line(const char *name, long long own_useful, long long own_blocks)
{
   char line[1024], what[256];
   long long useful = -1, blocks = -1;
   FILE *f = fopen(name, "r");
   if (f) {
      while (fgets(line, sizeof line, f))
         if (sscanf(line, "#rs: useful_B=%lld blocks=%lld", &useful, &blocks) == 2)
            break;
      fclose(f);
   }
   snprintf(what, sizeof what, "useful_B in %s", name);
   rs_eq(what, useful, own_useful);
   snprintf(what, sizeof what, "blocks in %s", name);
   rs_eq(what, blocks, own_blocks);
}

int main(void)
{
   static char *p[50];
   char cmd[128];
   int i;

   rs_init();
   if (!rs_under_tool)
      return rs_finish();
   for (i = 0; i < 50; i++) {
      p[i] = malloc(20000);
      memset(p[i], 'm', 20000);
   }
   VALGRIND_MONITOR_COMMAND("help");
   snprintf(cmd, sizeof cmd, "detailed_snapshot ts_monitor.detailed.%d.out", (int)getpid());
   VALGRIND_MONITOR_COMMAND(cmd);
   snprintf(cmd, sizeof cmd, "ts_monitor.detailed.%d.out", (int)getpid());
   check_file(cmd, "detailed_snapshot");
   check_rs_line(cmd, 50 * 20000, 50);
   snprintf(cmd, sizeof cmd, "grep -q '^heap_tree=detailed' ts_monitor.detailed.%d.out", (int)getpid());
   rs_own("detailed_snapshot's file has a detailed tree", system(cmd) == 0);

   for (i = 0; i < 50; i += 2)
      free(p[i]);
   snprintf(cmd, sizeof cmd, "snapshot ts_monitor.plain.%d.out", (int)getpid());
   VALGRIND_MONITOR_COMMAND(cmd);
   snprintf(cmd, sizeof cmd, "ts_monitor.plain.%d.out", (int)getpid());
   check_file(cmd, "snapshot");
   check_rs_line(cmd, 25 * 20000, 25);

   VALGRIND_MONITOR_COMMAND("totals");
   for (i = 1; i < 50; i += 2)
      free(p[i]);
   return rs_finish();
}
