/*
 * ts_header_native: the public header natively (no Valgrind).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * 1. In this process (compiled by the runner, run without Valgrind):
 *    RSSMASSIF_GET_TOTALS evaluates to 0 and leaves the struct untouched,
 *    RSSMASSIF_SNAPSHOT is a no-op.
 * 2. The clients tests/ts_header_c.c and tests/ts_header_cxx.cpp are built
 *    here with gcc / g++ -Wall -Wextra -Werror (only the header's folder and
 *    valgrind.h's folder on the include path) and run natively: each must
 *    exit 0 and print `ok native run`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>

#include "rssmassif.h"

static int failures;

static void check(const char *what, int cond)
{
   printf("%s %s\n", cond ? "ok" : "not ok", what);
   if (!cond)
      failures++;
}

/* Builds SRCDIR/src with `compiler flags` into ./exe, runs it natively and
 * checks that it exits 0 and prints `ok native run`. */
static void build_and_run(const char *compiler, const char *flags, const char *src, const char *exe)
{
   const char *srcdir = getenv("SRCDIR"), *top = getenv("TOP_SRCDIR");
   char cmd[4096], what[256], line[256];
   FILE *f;
   int found = 0, bad = 0, st;

   if (!srcdir || !top) {
      check("SRCDIR and TOP_SRCDIR set by the runner", 0);
      return;
   }
   snprintf(cmd, sizeof cmd,
            "%s %s -Wall -Wextra -Werror -I'%s/rssmassif' "
            "$(pkg-config --cflags valgrind 2>/dev/null || echo -I/usr/include/valgrind) "
            "-o %s '%s/%s' >%s.log 2>&1",
            compiler, flags, top, exe, srcdir, src, exe);
   snprintf(what, sizeof what, "%s %s -Wall -Wextra -Werror compiles %s", compiler, flags, src);
   st = system(cmd);
   check(what, st == 0);
   if (st != 0) {
      snprintf(cmd, sizeof cmd, "cat %s.log", exe);
      (void)system(cmd);
      return;
   }
   snprintf(cmd, sizeof cmd, "./%s", exe);
   f = popen(cmd, "r");
   if (!f) {
      check("popen", 0);
      return;
   }
   while (fgets(line, sizeof line, f)) {
      if (strcmp(line, "ok native run\n") == 0)
         found = 1;
      if (strncmp(line, "not ok", 6) == 0) {
         bad = 1;
         fputs(line, stdout);
      }
   }
   st = pclose(f);
   snprintf(what, sizeof what, "%s natively: exit 0, `ok native run`, no `not ok`", exe);
   check(what, st == 0 && found && !bad);
}

int main(void)
{
   struct rssmassif_totals t, before;
   unsigned r;

   setvbuf(stdout, NULL, _IONBF, 0);
   memset(&t, 0xc3, sizeof t);
   before = t;
   r = RSSMASSIF_GET_TOTALS(&t);
   check("RSSMASSIF_GET_TOTALS is 0 natively", r == 0);
   check("RSSMASSIF_GET_TOTALS leaves the struct untouched natively",
         memcmp(&t, &before, sizeof t) == 0);
   RSSMASSIF_SNAPSHOT("native");
   check("RSSMASSIF_SNAPSHOT is a no-op natively", 1);
   check("struct rssmassif_totals (version 2) has 18 unsigned long long fields",
         RSSMASSIF_TOTALS_VERSION == 2 && sizeof t == 18 * sizeof(unsigned long long));
   check("version 1's size is its first 12 fields",
         RSSMASSIF_TOTALS_V1_SIZE == 12 * sizeof(unsigned long long)
         && RSSMASSIF_TOTALS_V1_SIZE == offsetof(struct rssmassif_totals, stack_cached_n));

   build_and_run("gcc", "-std=c11 -pedantic", "ts_header_c.c", "ts_header_c");
   build_and_run("g++", "-std=c++11", "ts_header_cxx.cpp", "ts_header_cxx");
   return failures ? 1 : 0;
}
