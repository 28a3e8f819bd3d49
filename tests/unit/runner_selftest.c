/*
 * Harness self-test: tests/run must FAIL the tests that should fail, PASS
 * the ones that should pass, SKIP what cannot run, end with the summary line
 * and exit non-zero iff something failed.
 *
 * It writes a small suite into its working folder and runs tests/run on it
 * with tests/unit/data/fake-valgrind standing in for Valgrind (the fake runs
 * the program natively and plays the tool: output file, heap summary,
 * optional crash message, all chosen through `env:` lines).
 *
 * Run by tests/run, which sets SRCDIR, TOP_SRCDIR, RS_EXPECT and RUNNER.
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static char output[65536];

static void put(const char *dir, const char *name, const char *text)
{
   char path[4096];
   FILE *f;
   snprintf(path, sizeof path, "%s/%s", dir, name);
   f = fopen(path, "w");
   if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
      perror(path);
      exit(1);
   }
}

static int run(const char *cmd)
{
   FILE *p = popen(cmd, "r");
   size_t n;
   int st;
   if (!p) {
      perror("popen");
      exit(1);
   }
   n = fread(output, 1, sizeof output - 1, p);
   output[n] = '\0';
   st = pclose(p);
   return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* Is `line` a whole line of the output, or (if it ends with ':') a prefix
 * of one? */
static int has_line(const char *line)
{
   size_t n = strlen(line);
   const char *p = output;
   int prefix = n > 0 && line[n - 1] == ':';
   while (p && *p) {
      if (strncmp(p, line, n) == 0 && (prefix || p[n] == '\n' || p[n] == '\0'))
         return 1;
      p = strchr(p, '\n');
      if (p)
         p++;
   }
   return 0;
}

static const char *last_line(void)
{
   static char last[512];
   size_t n = strlen(output);
   const char *start;
   while (n > 0 && output[n - 1] == '\n')
      n--;
   start = output + n;
   while (start > output && start[-1] != '\n')
      start--;
   snprintf(last, sizeof last, "%.*s", (int)(output + n - start), start);
   return last;
}

static void check(int cond, const char *what)
{
   if (cond) {
      printf("ok %s\n", what);
   } else {
      printf("not ok %s\n", what);
      failures++;
   }
}

int main(void)
{
   const char *srcdir = getenv("SRCDIR"), *top = getenv("TOP_SRCDIR");
   const char *runner = getenv("RUNNER"), *rs_expect = getenv("RS_EXPECT");
   char cwd[2048], src[2100], cmd[16384], fake[2100], base[8192];
   int rc;
   struct {
      const char *line;  /* expected verdict line (prefix if it ends in ':') */
   } verdicts[] = {
      { "PASS unit/u_ok" },
      { "FAIL unit/u_fail: exit status 1" },
      { "SKIP unit/u_skip: nothing to do here" },
      { "PASS good" },
      { "PASS mcsame" },
      { "PASS sysprog" },
      { "PASS greps" },
      { "PASS expok" },
      { "PASS envok" },
      { "PASS mctol" },
      { "FAIL mctolcount: heap summary differs from memcheck's by more than 100 bytes" },
      { "FAIL mctolbytes: heap summary differs from memcheck's by more than 1 bytes" },
      { "FAIL badexp: expect-final failed" },
      { "FAIL notok: client says not ok" },
      { "FAIL nothing: checks nothing against the tool" },
      { "PASS tooleq" },
      { "FAIL native: client ran natively under the tool (ok native run)" },
      { "FAIL ownonly: checks nothing against the tool" },
      { "FAIL stdoutonly: checks nothing against the tool" },
      { "FAIL wrongexit: exit status 0, expected 3" },
      { "FAIL crash: tool crashed" },
      { "FAIL mcdiff: heap summary differs from memcheck's" },
      { "FAIL badkey: badkey.vgtest: unknown key \"bogus\"" },
      { "FAIL nocompile: broken does not compile" },
      { "FAIL grepfail: log has no line matching /NOPE/" },
      { "FAIL notgrep: log has a line matching /HEAP/" },
      { "FAIL expbad: stdout differs from expbad.stdout.exp" },
      { "FAIL badfile:" },
      { "FAIL nooutput: expect-final lines but no output file" },
      { "SKIP prereqskip: prereq failed: false" },
      { "SKIP sysmissing: /nonexistent/prog is not installed" },
   };
   size_t i;

   if (!srcdir || !top || !runner || !rs_expect) {
      printf("SRCDIR, TOP_SRCDIR, RUNNER and RS_EXPECT must be set (run me through tests/run)\n");
      return 77;
   }
   if (!getcwd(cwd, sizeof cwd))
      return 1;
   snprintf(src, sizeof src, "%s/suite", cwd);
   mkdir(src, 0755);
   snprintf(fake, sizeof fake, "%s/unit/data/fake-valgrind", srcdir);

   put(src, "good.c", "#include <stdio.h>\n"
                      "int main(void) { printf(\"ok fine\\nexpect-final: useful_B = 4000\\n\"); return 0; }\n");
   put(src, "badexp.c", "#include <stdio.h>\n"
                        "int main(void) { printf(\"expect-final: useful_B = 4001\\n\"); return 0; }\n");
   put(src, "notok.c", "#include <stdio.h>\n"
                       "int main(void) { printf(\"ok a (tool=1 own=1 tol=0)\\nnot ok b: tool=1 own=2 tol=0\\n\"); return 0; }\n");
   put(src, "nothing.c", "int main(void) { return 0; }\n");
   /* A client comparing with RSSMASSIF_GET_TOTALS prints `ok ... tool=N`. */
   put(src, "tooleq.c", "#include <stdio.h>\n"
                        "int main(void) { printf(\"ok useful (tool=1 own=1 tol=0)\\n\"); return 0; }\n");
   /* Under the tool, a client whose request went unanswered says `ok native
    * run` and skips its comparisons: a failure even with other checks. */
   put(src, "native.c", "#include <stdio.h>\n"
                        "int main(void) { printf(\"ok own: premise\\nexpect-final: useful_B = 4000\\n"
                        "ok native run\\n\"); return 0; }\n");
   /* `ok own:` and other lines without tool= compare nothing with the tool. */
   put(src, "ownonly.c", "#include <stdio.h>\n"
                         "int main(void) { printf(\"ok own: premise\\nok done\\n\"); return 0; }\n");
   put(src, "broken.c", "int main(void) { return x; }\n");
   put(src, "envcheck.c", "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
                          "int main(int argc, char **argv) {\n"
                          "  const char *v = getenv(\"SELFTEST_VAR\");\n"
                          "  printf(\"%s env\\n\", v && !strcmp(v, \"a b\") ? \"ok\" : \"not ok\");\n"
                          "  printf(\"%s args\\n\", argc == 3 && !strcmp(argv[1], \"x y\") && !strcmp(argv[2], \"z\") ? \"ok\" : \"not ok\");\n"
                          "  printf(\"expect-final: useful_B = 4000\\n\");\n"
                          "  return 0; }\n");

   /* Unit tests: exit 0 passes (with unit-cflags applied), 77 skips. */
   snprintf(cmd, sizeof cmd, "%s/unit", src);
   mkdir(cmd, 0755);
   put(cmd, "u_ok.c", "/* unit-cflags: -DSELFTEST_X=\\\"$TOP_SRCDIR\\\" -lm */\n#include <math.h>\n"
                      "#include <string.h>\n#include <stdlib.h>\n"
                      "int main(void) { return strcmp(SELFTEST_X, getenv(\"TOP_SRCDIR\")) != 0 || sqrt(4.0) != 2.0; }\n");
   put(cmd, "u_fail.c", "#include <stdio.h>\nint main(void) { puts(\"not ok u_fail\"); return 1; }\n");
   put(cmd, "u_skip.c", "#include <stdio.h>\nint main(void) { puts(\"nothing to do here\"); return 77; }\n");

   put(src, "good.vgtest", "# a comment\nprog: good\n");
   put(src, "badexp.vgtest", "prog: badexp\n");
   put(src, "notok.vgtest", "prog: notok\n");
   put(src, "nothing.vgtest", "prog: nothing\n");
   put(src, "tooleq.vgtest", "prog: tooleq\n");
   put(src, "native.vgtest", "prog: native\n");
   put(src, "ownonly.vgtest", "prog: ownonly\n");
   /* stdout.exp holds the program's own words, not the tool's. */
   put(src, "stdoutonly.vgtest", "prog: ownonly\n");
   put(src, "stdoutonly.stdout.exp", "ok own: premise\nok done\n");
   put(src, "wrongexit.vgtest", "prog: good\nexit: 3\n");
   put(src, "crash.vgtest", "prog: good\nenv: FAKE_CRASH=1\n");
   put(src, "mcdiff.vgtest", "prog: good\nenv: FAKE_HEAP_memcheck=5 bytes in 1 blocks\nmemcheck-compare: yes\n");
   put(src, "mctol.vgtest", "prog: good\nenv: FAKE_HEAP_memcheck=4,001 bytes in 1 blocks\n"
                            "memcheck-compare: yes\nmemcheck-tolerance: 1\n");
   put(src, "mctolcount.vgtest", "prog: good\nenv: FAKE_HEAP_memcheck=4,000 bytes in 2 blocks\n"
                                 "memcheck-compare: yes\nmemcheck-tolerance: 100\n");
   put(src, "mctolbytes.vgtest", "prog: good\nenv: FAKE_HEAP_memcheck=4,002 bytes in 1 blocks\n"
                                 "memcheck-compare: yes\nmemcheck-tolerance: 1\n");
   put(src, "mcsame.vgtest", "prog: good\nmemcheck-compare: yes\n");
   put(src, "sysprog.vgtest", "prog: /bin/true\nmemcheck-compare: yes\n");
   put(src, "sysmissing.vgtest", "prog: /nonexistent/prog\n");
   put(src, "prereqskip.vgtest", "prog: good\nprereq: true\nprereq: false\n");
   put(src, "badkey.vgtest", "prog: good\nbogus: 1\n");
   put(src, "nocompile.vgtest", "prog: broken\n");
   put(src, "greps.vgtest", "prog: good\nstderr-grep: HEAP SUMMARY\nstderr-grep: total heap\nstderr-not-grep: impossible\n");
   put(src, "grepfail.vgtest", "prog: good\nstderr-grep: NOPE\n");
   put(src, "notgrep.vgtest", "prog: good\nstderr-not-grep: HEAP\n");
   put(src, "expok.vgtest", "prog: good\nfilter: sed s/fine/FINE/\n");
   put(src, "expok.stdout.exp", "ok FINE\nexpect-final: useful_B = 4000\n");
   put(src, "expbad.vgtest", "prog: good\n");
   put(src, "expbad.stdout.exp", "ok nope\n");
   put(src, "bad.rsout", "desc: x\n");
   snprintf(cmd, sizeof cmd, "prog: good\nenv: FAKE_OUT=%s/bad.rsout\n", src);
   put(src, "badfile.vgtest", cmd);
   put(src, "nooutput.vgtest", "prog: good\nenv: FAKE_NO_OUT=1\n");
   put(src, "envok.vgtest", "prog: envcheck\nenv: SELFTEST_VAR=a b\nargs: 'x y' z\n");

   snprintf(base, sizeof base,
            "cd '%s' && RS_TEST_JOBS=1 '%s' --srcdir '%s' --top-srcdir '%s' --builddir '%s/build' "
            "--valgrind '%s' --rs-expect '%s' --rs-print /nonexistent/rs_print",
            cwd, runner, src, top, cwd, fake, rs_expect);

   /* The whole small suite. */
   snprintf(cmd, sizeof cmd, "%s 2>&1", base);
   rc = run(cmd);
   printf("--- runner output:\n%s---\n", output);
   for (i = 0; i < sizeof verdicts / sizeof verdicts[0]; i++) {
      char what[512];
      snprintf(what, sizeof what, "verdict \"%s\"", verdicts[i].line);
      check(has_line(verdicts[i].line), what);
   }
   check(strcmp(last_line(), "9 passed, 19 failed, 3 skipped") == 0,
         "last line is \"9 passed, 19 failed, 3 skipped\"");
   check(rc == 1, "exit status 1 when a test failed");

   /* Named tests only, all good: exit 0, and the summary counts them. */
   snprintf(cmd, sizeof cmd, "%s good tests/mcsame.vgtest envok 2>&1", base);
   rc = run(cmd);
   check(strcmp(last_line(), "3 passed, 0 failed") == 0 && rc == 0,
         "named passing tests: \"3 passed, 0 failed\", exit 0");

   /* A misspelt name is a failure, not a silent pass. */
   snprintf(cmd, sizeof cmd, "%s good nosuchtest 2>&1", base);
   rc = run(cmd);
   check(has_line("FAIL nosuchtest:") && rc == 1 && strcmp(last_line(), "1 passed, 1 failed") == 0,
         "unknown test name fails");

   /* Parallel runs give the same verdicts, in the same order. */
   snprintf(cmd, sizeof cmd, "%s -j 3 good badexp notok mcsame 2>&1 | grep -E '^(PASS|FAIL|SKIP|[0-9])'", base);
   run(cmd);
   check(strcmp(output, "PASS good\nFAIL badexp: expect-final failed\n"
                        "FAIL notok: client says not ok\nPASS mcsame\n2 passed, 2 failed\n") == 0,
         "-j 3 keeps verdicts and order");
   if (failures)
      printf("output of the last run:\n%s", output);
   return failures ? 1 : 0;
}
