/*
 * package_deb: the Debian package builds, installs, works and goes away.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Skipped unless run as root with dpkg-buildpackage installed, and when
 * valgrind-rssmassif is already installed (it is not ours to remove).
 * This is the one place the suite installs anything system-wide: the
 * package is removed again (dpkg --purge) on every way out, failure,
 * exit or SIGTERM/SIGINT/SIGHUP included.  Two runs wait for each other
 * (flock on /tmp/rssmassif-package-test.lock).
 *
 * 1. Copies the sources as a clean clone would have them (git ls-files,
 *    or the whole tree but _build* without git) and runs
 *    `dpkg-buildpackage -us -uc -b` there (DEB_BUILD_OPTIONS=nocheck: the
 *    suite is running the checks already; noautodbgsym parallel=2: within
 *    the runner's 600 s limit on a loaded machine); expects
 *    valgrind-rssmassif_VERSION_amd64.deb, VERSION from debian/changelog,
 *    whose Depends pins `valgrind (= V)` with V the installed valgrind's
 *    version (dpkg-query); lintian, when installed, reports no error.
 * 2. dpkg -i; then, with VALGRIND_LIB unset (the installed tool, not the
 *    build's stage):
 *    - a client built with `#include <valgrind/rssmassif.h>` from
 *      /usr/include allocates 1000 blocks of 1000 bytes and frees every
 *      second one; `valgrind --tool=rssmassif` must print
 *      `in use at exit: 500,000 bytes in 500 blocks` (arithmetic), and the
 *      client's RSSMASSIF_GET_TOTALS must return 1 with useful_B = 500000;
 *    - /usr/bin/rs_print reads the output file: exit 0, and its answer
 *      says `holding 500,000 bytes in 500 blocks`;
 *    - /usr/bin/rs_compare --help runs and rs_compare.1 is installed (when
 *      the sources have rs_compare);
 *    - the preload keeps its symbol table (.symtab), the man pages and
 *      rssmassif.h are where dpkg -L says.
 *    Files the package overwrites that were there before (a `make install`
 *    of the tool, as `./quickstart` does as root) are saved first and put
 *    back after the purge.
 * 3. dpkg --purge: no file of the package is left, nor any folder that
 *    did not exist before the install, nor any new path under the folders
 *    a package may touch (ROOTS) that no other package owns.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define PKG "valgrind-rssmassif"
#define MAX_PATHS 256

static int failures, installed;
static int has_rs_compare;           /* the sources have rs_compare      */
static int lintian_started;          /* lintian runs in the background  */
static int n_saved;                  /* files saved in backup/ (to restore) */
static void restore_existing(void);
static char paths[MAX_PATHS][1024];   /* the package's paths (dpkg-deb -c) */
static int existed[MAX_PATHS];       /* ... which existed before dpkg -i  */
static int n_paths;

static void check(const char *what, int cond)
{
   printf("%s %s\n", cond ? "ok" : "not ok", what);
   fflush(stdout);
   if (!cond)
      failures++;
}

/* Runs CMD through sh; its output goes to LOG (appended). */
static int run(const char *cmd, const char *log)
{
   char full[8192];
   snprintf(full, sizeof full, "{ %s ; } >>%s 2>&1", cmd, log);
   return system(full);
}

/* The first line CMD prints, without its newline ("" if none). */
static void first_line(const char *cmd, char *out, size_t size)
{
   FILE *f = popen(cmd, "r");
   out[0] = 0;
   if (!f)
      return;
   if (fgets(out, (int)size, f))
      out[strcspn(out, "\n")] = 0;
   pclose(f);
}

static int has_line(const char *file, const char *text)
{
   char line[4096];
   int found = 0;
   FILE *f = fopen(file, "r");
   if (!f)
      return 0;
   while (!found && fgets(line, sizeof line, f))
      found = strstr(line, text) != NULL;
   fclose(f);
   return found;
}

/* dpkg --purge, retried while another dpkg holds its lock. */
static void purge(void)
{
   int i;
   if (!installed)
      return;
   for (i = 0; i < 60; i++) {
      if (system("dpkg --purge " PKG " >>purge.log 2>&1") == 0)
         break;
      sleep(5);
   }
   installed = 0;
   restore_existing();
}

static void on_signal(int sig)
{
   purge();
   signal(sig, SIG_DFL);
   raise(sig);
}

static int install(const char *deb)
{
   char cmd[1024];
   int i;
   snprintf(cmd, sizeof cmd, "dpkg -i %s", deb);
   installed = 1;   /* from here on, every way out purges */
   for (i = 0; i < 60; i++) {
      if (run(cmd, "install.log") == 0)
         return 0;
      if (!has_line("install.log", "lock"))
         return -1;
      sleep(5);   /* someone else's apt or dpkg */
   }
   return -1;
}

/* 1: the package, from a copy of the sources: git's files when top is a
   git checkout's top (not merely inside one, as make distcheck's unpacked
   tarball under a clone's _build/ is), else the folder as it is. */
static int build(const char *top, char *deb, size_t size)
{
   char cmd[4096], version[128], vg_version[128], depends[1024], want[256];
   snprintf(cmd, sizeof cmd,
            "rm -rf pkg && mkdir -p pkg/src && "
            "if [ \"$(git -C '%s' rev-parse --show-toplevel 2>/dev/null)\" = \"$(cd '%s' && pwd -P)\" ]; then "
            "  git -C '%s' ls-files -co --exclude-standard -z | tar -C '%s' --null -T - -cf - ; "
            "else tar -C '%s' --exclude='./_build*' --exclude=./_inst --exclude=./debian/build -cf - . ; fi "
            "| tar -C pkg/src -xf -", top, top, top, top, top);
   check("copy the sources", run(cmd, "copy.log") == 0);
   first_line("cd pkg/src && dpkg-parsechangelog -S Version", version, sizeof version);
   check("debian/changelog has a version", version[0] != 0);
   check("dpkg-buildpackage -us -uc -b builds (log: build.log)",
         run("cd pkg/src && DEB_BUILD_OPTIONS='nocheck noautodbgsym parallel=2' "
                 "dpkg-buildpackage -us -uc -b",
             "build.log") == 0);
   snprintf(deb, size, "pkg/" PKG "_%s_amd64.deb", version);
   snprintf(cmd, sizeof cmd, "%s exists", deb);
   check(cmd, access(deb, R_OK) == 0);
   first_line("dpkg-query -W -f='${Version}' valgrind", vg_version, sizeof vg_version);
   snprintf(cmd, sizeof cmd, "dpkg-deb -f %s Depends", deb);
   first_line(cmd, depends, sizeof depends);
   snprintf(want, sizeof want, "valgrind (= %s)", vg_version);
   snprintf(cmd, sizeof cmd, "Depends pins %s (Depends: %s)", want, depends);
   check(cmd, vg_version[0] && strstr(depends, want) != NULL);
   /* lintian takes a minute: it runs while the package is installed and
      used, check_lintian() reads its verdict. */
   if (system("command -v lintian >/dev/null 2>&1") == 0) {
      snprintf(cmd, sizeof cmd,
               "(lintian --fail-on error %s >lintian.log 2>&1; echo $? >lintian.rc.tmp; "
               "mv lintian.rc.tmp lintian.rc) &", deb);
      lintian_started = system(cmd) == 0;
   }
   return access(deb, R_OK) == 0 ? 0 : -1;
}

static void check_lintian(void)
{
   char rc[32];
   int i;
   if (!lintian_started)
      return;
   for (i = 0; i < 300 && access("lintian.rc", R_OK) != 0; i++)
      sleep(1);
   first_line("cat lintian.rc", rc, sizeof rc);
   check("lintian reports no error (log: lintian.log)", strcmp(rc, "0") == 0);
}

/* The package's paths, and which of them exist now. */
static void list_paths(const char *deb)
{
   char cmd[1024], line[1024];
   FILE *f;
   snprintf(cmd, sizeof cmd, "dpkg-deb -c %s | awk '{print $6}' | sed 's|^\\.||'", deb);
   f = popen(cmd, "r");
   if (!f)
      return;
   while (fgets(line, sizeof line, f) && n_paths < MAX_PATHS) {
      struct stat st;
      line[strcspn(line, "\n")] = 0;
      if (strlen(line) <= 1)
         continue;
      if (line[strlen(line) - 1] == '/')
         line[strlen(line) - 1] = 0;
      snprintf(paths[n_paths], sizeof paths[0], "%s", line);
      existed[n_paths++] = lstat(line, &st) == 0;
   }
   pclose(f);
}

/* Files the package would overwrite (e.g. from `make install`, as
   `./quickstart` does as root) are kept in backup/N and put back after
   the purge. */
static void save_existing(void)
{
   char cmd[2048];
   int i;
   for (i = 0; i < n_paths; i++) {
      struct stat st;
      if (!existed[i] || lstat(paths[i], &st) != 0 || S_ISDIR(st.st_mode))
         continue;
      snprintf(cmd, sizeof cmd, "mkdir -p backup && cp -a '%s' backup/%d", paths[i], i);
      printf("saving %s (installed before, not by a package)\n", paths[i]);
      if (system(cmd) != 0)
         printf("could not save %s\n", paths[i]);
      n_saved++;
   }
}

static void restore_existing(void)
{
   char cmd[2048], what[1024];
   int i, bad = 0;
   for (i = 0; i < n_paths && n_saved; i++) {
      snprintf(cmd, sizeof cmd, "test -e backup/%d || test -h backup/%d", i, i);
      if (system(cmd) != 0)
         continue;
      snprintf(cmd, sizeof cmd, "cp -a backup/%d '%s' && rm -f backup/%d", i, paths[i], i);
      bad += system(cmd) != 0;
   }
   if (n_saved) {
      snprintf(what, sizeof what, "the %d files installed before the package are back", n_saved);
      check(what, bad == 0);
      n_saved = 0;
   }
}

static const char client_src[] =
   "#include <stdio.h>\n"
   "#include <stdlib.h>\n"
   "#include <valgrind/rssmassif.h>\n"
   "int main(void)\n"
   "{\n"
   "   static void *p[1000];\n"
   "   struct rssmassif_totals t = { 0 };\n"
   "   int i, under;\n"
   "   setvbuf(stdout, NULL, _IONBF, 0);   /* no stdio buffer block */\n"
   "   for (i = 0; i < 1000; i++)\n"
   "      p[i] = malloc(1000);\n"
   "   for (i = 0; i < 1000; i += 2)\n"
   "      free(p[i]);\n"
   "   under = RSSMASSIF_GET_TOTALS(&t);\n"
   "   printf(\"under=%d useful_B=%llu blocks=%llu\\n\", under, t.useful_B, t.blocks);\n"
   "   return 0;\n"
   "}\n";

/* 2: the installed tool, rs_print and files. */
static void use_installed(void)
{
   char line[1024];
   FILE *f = fopen("client.c", "w");
   if (!f)
      return;
   fputs(client_src, f);
   fclose(f);
   unsetenv("VALGRIND_LIB");
   check("a client including <valgrind/rssmassif.h> from /usr/include compiles",
         run("cc -g -O0 -o client client.c", "client.log") == 0);
   check("valgrind --tool=rssmassif runs the client (log: tool.log)",
         system("valgrind --tool=rssmassif --rssmassif-out-file=client.rsout "
                "./client >client.out 2>tool.log") == 0);
   check("the exit summary says 'in use at exit: 500,000 bytes in 500 blocks'",
         has_line("tool.log", "in use at exit: 500,000 bytes in 500 blocks"));
   first_line("cat client.out", line, sizeof line);
   printf("client: %s\n", line);
   check("RSSMASSIF_GET_TOTALS returns 1 with useful_B=500000 blocks=500",
         strcmp(line, "under=1 useful_B=500000 blocks=500") == 0);
   check("/usr/bin/rs_print reads the output file",
         system("/usr/bin/rs_print client.rsout >report.txt 2>report.err") == 0);
   check("rs_print's answer says 'holding 500,000 bytes in 500 blocks'",
         has_line("report.txt", "holding 500,000 bytes in 500 blocks"));
   check("the preload keeps its symbol table",
         system("readelf -S /usr/libexec/valgrind/vgpreload_rssmassif-amd64-linux.so"
                " | grep -q '[.]symtab'") == 0);
   check("rssmassif.1 and rs_print.1 are installed",
         system("dpkg -L " PKG " | grep -q '/man1/rssmassif[.]1' && "
                "dpkg -L " PKG " | grep -q '/man1/rs_print[.]1'") == 0);
   /* rs_compare, where the sources have it (rs_print/rs_compare.1). */
   if (has_rs_compare)
      check("rs_compare and rs_compare.1 are installed, rs_compare --help runs",
            system("dpkg -L " PKG " | grep -q '/man1/rs_compare[.]1' && "
                   "/usr/bin/rs_compare --help >/dev/null") == 0);
   check("<valgrind/rssmassif.h> is installed",
         access("/usr/include/valgrind/rssmassif.h", R_OK) == 0);
}

/* Every path under the folders a package may touch, into FILE. */
#define ROOTS "/usr/libexec/valgrind /usr/include/valgrind /usr/bin " \
              "/usr/share/man/man1 /usr/share/doc /usr/share/lintian/overrides " \
              "/etc /var/lib/dpkg/info"
static void list_tree(const char *file)
{
   char cmd[1024];
   snprintf(cmd, sizeof cmd, "find " ROOTS " 2>/dev/null | sort >%s", file);
   if (system(cmd) != 0)
      printf("could not list the folders into %s\n", file);
}

/* 3: nothing left after dpkg --purge. */
static void check_gone(void)
{
   char what[1024], line[1024];
   int i, left = 0;
   FILE *f;
   /* New paths since before the install that no package owns (another
      package installed meanwhile owns its files). */
   list_tree("after.lst");
   f = popen("comm -13 before.lst after.lst", "r");
   while (f && fgets(line, sizeof line, f)) {
      char cmd[1200];
      line[strcspn(line, "\n")] = 0;
      snprintf(cmd, sizeof cmd, "dpkg -S '%s' >/dev/null 2>&1", line);
      if (system(cmd) != 0) {
         printf("left behind: %s\n", line);
         left++;
      }
   }
   if (f)
      pclose(f);
   for (i = 0; i < n_paths; i++) {
      struct stat st;
      if (!existed[i] && lstat(paths[i], &st) == 0) {
         printf("left behind: %s\n", paths[i]);
         left++;
      }
   }
   snprintf(what, sizeof what, "dpkg --purge leaves nothing behind (the package's %d paths, new paths under " ROOTS ")", n_paths);
   check(what, n_paths > 10 && left == 0);
   check("dpkg knows the package no more",
         system("dpkg-query -W -f='${db:Status-Status}' " PKG " 2>/dev/null | grep -q installed") != 0);
}

int main(void)
{
   const char *top = getenv("TOP_SRCDIR");
   char deb[1024], status[64];
   int lock;

   if (!top) {
      printf("TOP_SRCDIR must be set (run me through tests/run)\n");
      return 77;
   }
   if (geteuid() != 0 || system("command -v dpkg-buildpackage >/dev/null 2>&1") != 0) {
      printf("skipped: needs root and dpkg-buildpackage (apt-get install dpkg-dev debhelper fakeroot lintian)\n");
      return 77;
   }
   snprintf(deb, sizeof deb, "%s/debian/control", top);
   if (access(deb, R_OK) != 0) {
      printf("skipped: no debian/ folder in %s\n", top);
      return 77;
   }
   snprintf(deb, sizeof deb, "%s/rs_print/rs_compare.1", top);
   has_rs_compare = access(deb, R_OK) == 0;
   lock = open("/tmp/rssmassif-package-test.lock", O_CREAT | O_RDWR, 0644);
   if (lock < 0 || flock(lock, LOCK_EX) != 0)
      return 1;
   first_line("dpkg-query -W -f='${db:Status-Status}' " PKG " 2>/dev/null", status, sizeof status);
   if (strcmp(status, "installed") == 0 || strcmp(status, "unpacked") == 0) {
      printf("skipped: %s is installed on this system (not removing it)\n", PKG);
      return 77;
   }
   atexit(purge);
   signal(SIGTERM, on_signal);
   signal(SIGINT, on_signal);
   signal(SIGHUP, on_signal);

   if (build(top, deb, sizeof deb) != 0)
      return 1;
   list_paths(deb);
   list_tree("before.lst");
   save_existing();
   check("dpkg -i installs the package (log: install.log)", install(deb) == 0);
   if (!failures)
      use_installed();
   purge();
   check_gone();
   check_lintian();
   return failures ? 1 : 0;
}
