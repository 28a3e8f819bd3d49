/*
 * h_out: a plain client for the output-file tests (h_out_*, h_opt_*): it
 * allocates and frees enough to make the tool take and stream snapshots,
 * and, depending on argv[1], does something hostile to the tool's output
 * file meanwhile.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Modes:
 *   plain           churn only;
 *   remove F D      unlink file F and remove directory D (the tool's output
 *                   file and its folder) half way, then churn on: the tool
 *                   can no longer write its final file there;
 *   closefds        close every descriptor from 3 to 1023 (as daemons do),
 *                   open a file of its own (h_own.txt, it gets a low
 *                   descriptor), write 1000 'A's to it, churn (the tool
 *                   streams snapshots meanwhile), close it and read it back:
 *                   it must hold exactly the 1000 'A's -- nothing of the
 *                   tool's may land in the program's file.
 * Every mode ends holding 10 blocks of 100 bytes (expect-final lines, left
 * out when the environment has H_NO_FILE=1: tests whose output file cannot
 * be checked).
 */
#include "rs_client.h"

static void churn(int rounds)
{
   static char *p[500];
   int r, i;
   for (r = 0; r < rounds; r++) {
      for (i = 0; i < 500; i++) {
         p[i] = malloc(64 + (size_t)(i * 37 % 5000));
         p[i][0] = 1;
      }
      for (i = 0; i < 500; i++)
         free(p[i]);
   }
}

int main(int argc, char **argv)
{
   const char *mode = argc > 1 ? argv[1] : "plain";
   static char *keep[10];
   int i;

   rs_init();
   churn(5);
   if (strcmp(mode, "remove") == 0 && argc > 3) {
      rs_own("unlink of the output file", unlink(argv[2]) == 0);
      rs_own("rmdir of its folder", rmdir(argv[3]) == 0);
   } else if (strcmp(mode, "closefds") == 0) {
      static char buf[2000];
      int fd, n;
      for (fd = 3; fd < 1024; fd++)
         close(fd);
      fd = open("h_own.txt", O_CREAT | O_TRUNC | O_RDWR, 0644);
      rs_own("own file opened", fd >= 0);
      printf("ok own: own file has descriptor %d\n", fd);
      memset(buf, 'A', 1000);
      rs_own("1000 bytes written", write(fd, buf, 1000) == 1000);
      churn(10);
      for (i = 0; i < 20; i++)
         RSSMASSIF_SNAPSHOT("while_own_file_open");
      close(fd);
      fd = open("h_own.txt", O_RDONLY);
      n = (int)read(fd, buf, sizeof buf);
      close(fd);
      for (i = 0; i < n && buf[i] == 'A'; i++)
         ;
      rs_own("the program's file holds exactly its 1000 'A's", n == 1000 && i == 1000);
      if (n != 1000)
         printf("# h_own.txt has %d bytes\n", n);
   }
   churn(5);
   for (i = 0; i < 10; i++)
      keep[i] = malloc(100);
   if (rs_under_tool && !getenv("H_NO_FILE")) {
      rs_expect_final("useful_B", "=", 1000, 0);
      rs_expect_final("blocks", "=", 10, 0);
   }
   printf("ok the client ran to the end\n");
   return rs_finish();
}
