/*
 * real_sites.h -- issue 17 on real programs that Debian ships: the tool
 * runs one (cc1, python3, perl, a GLib client) and every site list must
 * name the callers of the allocation wrappers, no two lines of a section
 * alike.  Shared by tests/unit/real_sites_*.c.
 *
 * What a test checks, with tests/rs_sites_check ($RS_SITES_CHECK):
 *   - the output file, the JSON (--json-file) and rs_print's answer list
 *     no two site lines of a section alike;
 *   - no site of them is named by a wrapper (`not_site`, an ERE matched
 *     against a site's first frame): the sites are the wrappers' callers;
 *   - the answer lists retained sites (at least one "bytes retained" line:
 *     else the checks above would check nothing);
 *   - `want` (a file of `want: ERE` lines, or NULL): names the sites show.
 * Without Valgrind's self-checks (--rs-check=yes): a real program is slow
 * enough under the tool.  Skipped (exit 77, with the reason) when the tool
 * is not staged or the program is missing.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef REAL_SITES_H
#define REAL_SITES_H
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int real_failures;

static void real_check(int ok, const char *what)
{
   printf("%s %s\n", ok ? "ok" : "not ok", what);
   if (!ok)
      real_failures++;
}

static int real_sh(const char *cmd)
{
   int rc = system(cmd);
   return rc != -1 && WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Prints the reason and exits 77 (tests/run counts the test skipped). */
static void real_skip(const char *why)
{
   printf("skipped: %s\n", why);
   exit(77);
}

/* Skips unless the staged tool, valgrind, rs_print and the checker are
 * there. */
static void real_need_tool(void)
{
   const char *lib = getenv("VALGRIND_LIB");
   char path[4200];
   snprintf(path, sizeof path, "%s/rssmassif-amd64-linux", lib ? lib : ".");
   if (lib == NULL || access(path, X_OK) != 0)
      real_skip("no staged rssmassif tool in VALGRIND_LIB (run through make check)");
   if (real_sh("valgrind --version >/dev/null 2>&1") != 0)
      real_skip("valgrind is not installed");
   if (getenv("RS_PRINT") == NULL || getenv("RS_SITES_CHECK") == NULL)
      real_skip("RS_PRINT or RS_SITES_CHECK not set (run through tests/run)");
}

/* The number after "kept_B=" on the first line of `path` (the count a
 * runtime test's program prints of what it keeps), 0 when absent. */
__attribute__((unused)) static unsigned long long real_kept_B(const char *path)
{
   char line[512];
   unsigned long long kept_B = 0;
   FILE *f = fopen(path, "r");
   if (f && fgets(line, sizeof line, f))
      sscanf(line, "kept_B=%llu", &kept_B);
   if (f)
      fclose(f);
   return kept_B;
}

/* held_B of the last `#rs.hint: runtime=RUNTIME category=other` line of
 * the output file `out`, 0 when there is none. */
__attribute__((unused)) static unsigned long long real_hint_held_B(const char *out, const char *runtime)
{
   char cmd[1024], line[512];
   unsigned long long held_B = 0;
   FILE *f;
   snprintf(cmd, sizeof cmd,
            "grep -a '^#rs.hint: runtime=%s category=other ' '%s' | tail -n 1 | "
            "sed 's/.* held_B=\\([0-9]*\\) .*/\\1/'", runtime, out);
   f = popen(cmd, "r");
   if (f && fgets(line, sizeof line, f))
      held_B = strtoull(line, NULL, 10);
   if (f)
      pclose(f);
   return held_B;
}

static void real_write(const char *path, const char *text)
{
   FILE *f = fopen(path, "w");
   if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
      printf("not ok cannot write %s\n", path);
      exit(1);
   }
}

/* Runs `cmd` under the tool as NAME (NAME.out, NAME.json, NAME.log) and
 * checks its site lists; returns the exit status for main. */
static int real_sites(const char *name, const char *cmd, const char *not_site,
                      const char *want)
{
   char c[8192], what[600];
   snprintf(c, sizeof c, "timeout 600 valgrind --tool=rssmassif "
            "--rssmassif-out-file=%s.out --json-file=%s.json %s "
            ">%s.stdout 2>%s.log </dev/null", name, name, cmd, name, name);
   printf("# %s\n", c);
   int rc = real_sh(c);
   snprintf(what, sizeof what, "%s ran under the tool (exit %d)", name, rc);
   real_check(rc == 0, what);
   snprintf(c, sizeof c, "\"$RS_PRINT\" %s.out > %s.txt 2> %s.rs_print.err",
            name, name, name);
   real_check(real_sh(c) == 0, "rs_print read the output file");
   snprintf(c, sizeof c, "grep -q ' bytes retained (' %s.txt", name);
   snprintf(what, sizeof what, "%s: the answer lists retained sites", name);
   real_check(real_sh(c) == 0, what);
   snprintf(c, sizeof c, "\"$RS_SITES_CHECK\" --file %s.out --json %s.json "
            "--text %s.txt --not-site '%s'%s%s", name, name, name, not_site,
            want ? " --want " : "", want ? want : "");
   printf("# %s\n", c);
   snprintf(what, sizeof what, "%s: no section lists two sites alike, none "
            "named by a wrapper (rs_sites_check)", name);
   real_check(real_sh(c) == 0, what);
   printf("%s\n", real_failures ? "some checks failed" : "all checks passed");
   return real_failures ? 1 : 0;
}

#endif
