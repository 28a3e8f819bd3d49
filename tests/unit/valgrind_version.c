/*
 * valgrind_version: configure refuses a Valgrind version the tool does not
 * support, and names every private core symbol the tool uses.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * 1. The private symbols, found independently of configure.ac: the
 *    undefined vgPlain_* and vgModuleLocal_* symbols of the tool's objects
 *    (nm -u BUILDDIR/../rssmassif/rssmassif_amd64_linux-*.o) that no
 *    pub_tool_*.h of the installed Valgrind declares.  configure.ac's
 *    RS_PRIVATE_SYMBOLS must list exactly those.
 * 2. configure with a pkg-config that answers version 3.18.0 stops with one
 *    line `configure: error: Valgrind 3.18.0 is not supported ...` naming
 *    every symbol of 1.
 * 3. configure --with-valgrind=DIR reads the version from DIR/config.h:
 *    a fake tree saying 3.99.1 stops with that version in the message.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_SYMS 64

static char syms[MAX_SYMS][128];
static int n_syms, failures;

static void check(const char *what, int cond)
{
   printf("%s %s\n", cond ? "ok" : "not ok", what);
   if (!cond)
      failures++;
}

/* Is NAME (without its vgPlain_ prefix) declared by some pub_tool_*.h?
 * The headers write it VG_(NAME) (or ML_(NAME)). */
static int declared_publicly(const char *inc, const char *sym)
{
   char cmd[1024];
   const char *bare = strchr(sym, '_') + 1;
   const char *macro = strncmp(sym, "vgPlain_", 8) == 0 ? "VG_" : "ML_";
   snprintf(cmd, sizeof cmd,
            "grep -q -F '%s(%s)' %s/pub_tool_*.h %s/valgrind.h 2>/dev/null",
            macro, bare, inc, inc);
   return system(cmd) == 0;
}

/* 1: the core symbols the objects need that no public header declares. */
static void find_private_symbols(const char *builddir, const char *inc)
{
   char cmd[1024], line[256];
   FILE *f;
   snprintf(cmd, sizeof cmd,
            "nm -u %s/../rssmassif/rssmassif_amd64_linux-*.o | "
            "awk '{print $NF}' | grep -E '^(vgPlain_|vgModuleLocal_)' | sort -u",
            builddir);
   f = popen(cmd, "r");
   if (!f)
      return;
   while (fgets(line, sizeof line, f) && n_syms < MAX_SYMS) {
      line[strcspn(line, "\n")] = 0;
      if (!declared_publicly(inc, line))
         snprintf(syms[n_syms++], sizeof syms[0], "%s", line);
   }
   pclose(f);
}

/* configure.ac's RS_PRIVATE_SYMBOLS="..." value. */
static int read_listed(const char *top, char *out, size_t size)
{
   char path[1024], line[2048];
   FILE *f;
   snprintf(path, sizeof path, "%s/configure.ac", top);
   f = fopen(path, "r");
   if (!f)
      return -1;
   out[0] = 0;
   while (fgets(line, sizeof line, f))
      if (strncmp(line, "RS_PRIVATE_SYMBOLS=\"", 20) == 0) {
         snprintf(out, size, " %s", line + 20);
         out[strcspn(out, "\"")] = 0;
         strncat(out, " ", size - strlen(out) - 1);
      }
   fclose(f);
   return out[0] ? 0 : -1;
}

static int count_words(const char *s)
{
   int n = 0, in_word = 0;
   for (; *s; s++) {
      n += !in_word && *s != ' ';
      in_word = *s != ' ';
   }
   return n;
}

/* Runs TOP/configure in folder DIR with ARGS; returns its last stderr line. */
static void run_configure(const char *top, const char *dir, const char *args,
                          char *last, size_t size, int *status)
{
   char cmd[4096], line[4096];
   FILE *f;
   snprintf(cmd, sizeof cmd,
            "mkdir -p %s && cd %s && '%s/configure' %s >configure.out 2>configure.err; "
            "echo $?", dir, dir, top, args);
   f = popen(cmd, "r");
   *status = -1;
   if (f) {
      if (fscanf(f, "%d", status) != 1)
         *status = -1;
      pclose(f);
   }
   last[0] = 0;
   snprintf(cmd, sizeof cmd, "%s/configure.err", dir);
   f = fopen(cmd, "r");
   if (!f)
      return;
   while (fgets(line, sizeof line, f))
      if (line[0] != '\n')
         snprintf(last, size, "%s", line);
   fclose(f);
   last[strcspn(last, "\n")] = 0;
}

static void check_message(const char *what, const char *msg, const char *version)
{
   char want[256], label[512];
   int i;
   snprintf(want, sizeof want, "configure: error: Valgrind %s is not supported (supported: ", version);
   snprintf(label, sizeof label, "%s: one line \"%s...\" (got \"%s\")", what, want, msg);
   check(label, strncmp(msg, want, strlen(want)) == 0);
   for (i = 0; i < n_syms; i++) {
      snprintf(label, sizeof label, "%s: the message names %s", what, syms[i]);
      check(label, strstr(msg, syms[i]) != NULL);
   }
}

int main(void)
{
   const char *top = getenv("TOP_SRCDIR"), *builddir = getenv("BUILDDIR");
   char inc[1024] = "/usr/include/valgrind", listed[4096], msg[4096], args[2048];
   char cwd[1024], label[512];
   FILE *f;
   int i, status;

   if (!top || !builddir) {
      printf("TOP_SRCDIR and BUILDDIR must be set (run me through tests/run)\n");
      return 77;
   }
   f = popen("pkg-config --variable=includedir valgrind 2>/dev/null", "r");
   if (f) {
      if (fgets(inc, sizeof inc, f))
         inc[strcspn(inc, "\n")] = 0;
      pclose(f);
   }
   find_private_symbols(builddir, inc);
   check("nm -u of the tool's objects finds private core symbols", n_syms > 0);
   check("configure.ac sets RS_PRIVATE_SYMBOLS", read_listed(top, listed, sizeof listed) == 0);
   for (i = 0; i < n_syms; i++) {
      char word[160];
      snprintf(word, sizeof word, " %s ", syms[i]);
      snprintf(label, sizeof label, "configure.ac's RS_PRIVATE_SYMBOLS lists %s", syms[i]);
      check(label, strstr(listed, word) != NULL);
   }
   snprintf(label, sizeof label, "RS_PRIVATE_SYMBOLS lists no other symbol (%d listed, %d found)",
            count_words(listed), n_syms);
   check(label, count_words(listed) == n_syms);

   /* 2: an installed Valgrind of another version (a fake pkg-config). */
   if (!getcwd(cwd, sizeof cwd))
      return 1;
   f = fopen("fake-pkg-config", "w");
   if (!f)
      return 1;
   fprintf(f, "#!/bin/sh\n"
              "case \" $* \" in *' --modversion '*) echo 3.18.0 ;; *) exec pkg-config \"$@\" ;; esac\n");
   fclose(f);
   chmod("fake-pkg-config", 0755);
   snprintf(args, sizeof args, "PKG_CONFIG='%s/fake-pkg-config'", cwd);
   run_configure(top, "old", args, msg, sizeof msg, &status);
   check("configure with Valgrind 3.18.0 fails", status != 0);
   check_message("3.18.0 from pkg-config", msg, "3.18.0");

   /* 3: a Valgrind source tree of another version. */
   if (system("mkdir -p tree/include tree/coregrind && : >tree/include/pub_tool_basics.h && "
              ": >tree/coregrind/libcoregrind-amd64-linux.a && "
              "printf '#define PACKAGE_VERSION \"3.99.1\"\\n' >tree/config.h") != 0)
      return 1;
   snprintf(args, sizeof args, "--with-valgrind='%s/tree'", cwd);
   run_configure(top, "treebuild", args, msg, sizeof msg, &status);
   check("configure --with-valgrind=DIR (3.99.1) fails", status != 0);
   check_message("3.99.1 from DIR/config.h", msg, "3.99.1");
   return failures ? 1 : 0;
}
