/*
 * Harness self-test: rs_expect must accept what holds and refuse what does
 * not -- wrong expectations, malformed expectation lines, malformed files.
 * Works on the hand-written sample tests/unit/data/good.rsout and on copies
 * of it with one defect each.
 *
 * Run by tests/run, which sets SRCDIR and RS_EXPECT.
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static const char *rs_expect;
static char *sample;      /* contents of good.rsout */
static int failures;

static char *slurp(const char *path)
{
   FILE *f = fopen(path, "r");
   long n;
   char *s;
   if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
      perror(path);
      exit(1);
   }
   rewind(f);
   s = malloc((size_t)n + 1);
   if (!s || fread(s, 1, (size_t)n, f) != (size_t)n) {
      perror(path);
      exit(1);
   }
   s[n] = '\0';
   fclose(f);
   return s;
}

static void spit(const char *path, const char *text)
{
   FILE *f = fopen(path, "w");
   if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
      perror(path);
      exit(1);
   }
}

/* The sample with the first occurrence of `from` replaced by `to`. */
static char *mutate(const char *from, const char *to)
{
   const char *at = strstr(sample, from);
   char *s;
   size_t head;
   if (!at) {
      fprintf(stderr, "self-test bug: \"%s\" not in the sample\n", from);
      exit(1);
   }
   head = (size_t)(at - sample);
   s = malloc(strlen(sample) - strlen(from) + strlen(to) + 1);
   memcpy(s, sample, head);
   strcpy(s + head, to);
   strcat(s, at + strlen(from));
   return s;
}

/* Runs rs_expect on `file` with `input` on stdin; returns its exit status
 * and leaves its output in `out` (static). */
static char out[8192];
static int run(const char *file, const char *input)
{
   char cmd[4096];
   FILE *p;
   size_t n;
   int st;
   spit("input.txt", input);
   snprintf(cmd, sizeof cmd, "'%s' '%s' < input.txt 2>&1", rs_expect, file);
   p = popen(cmd, "r");
   if (!p) {
      perror("popen");
      exit(1);
   }
   n = fread(out, 1, sizeof out - 1, p);
   out[n] = '\0';
   st = pclose(p);
   return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void expect(const char *what, const char *file, const char *input, int want_rc,
                   const char *want_text)
{
   int rc = run(file, input);
   if (rc != want_rc || (want_text && !strstr(out, want_text))) {
      printf("not ok %s: rs_expect exited %d (want %d)%s%s; its output:\n%s\n", what, rc,
             want_rc, want_text ? ", output should contain " : "", want_text ? want_text : "",
             out);
      failures++;
   } else {
      printf("ok %s\n", what);
   }
}

/* A copy of the sample with one defect must be refused, whatever is asked. */
static void refuse(const char *what, const char *from, const char *to, const char *why)
{
   char *text = mutate(from, to);
   spit("defect.rsout", text);
   free(text);
   expect(what, "defect.rsout", "expect-final: useful_B = 4000\n", 1, why);
}

int main(void)
{
   const char *srcdir = getenv("SRCDIR");
   char path[4096];

   rs_expect = getenv("RS_EXPECT");
   if (!srcdir || !rs_expect) {
      printf("SRCDIR and RS_EXPECT must be set (run me through tests/run)\n");
      return 77;
   }
   snprintf(path, sizeof path, "%s/unit/data/good.rsout", srcdir);
   sample = slurp(path);
   spit("good.rsout", sample);

   /* What holds passes (values read off the hand-written file, whose
    * final snapshot carries exit=1). */
   expect("true expectations pass", "good.rsout",
          "expect-final: useful_B = 4000\n"
          "expect-final: blocks = 1\n"
          "\n"
          "expect-final: heap_dead_res_B >= 118784\n"
          "expect-final: heap_live_B <= 12288\n"
          "expect-final: heap_dead_B ~ 120000 tol=6976\n"
          "expect-final: exit = 1\n",
          0, NULL);
   expect("no expectation: file check only", "good.rsout", "", 0, NULL);

   /* What does not hold fails, naming actual and expected. */
   expect("wrong = fails", "good.rsout", "expect-final: useful_B = 4096\n", 1,
          "actual 4000, expected = 4096");
   expect("wrong >= fails", "good.rsout", "expect-final: heap_dead_res_B >= 118785\n", 1,
          "actual 118784");
   expect("wrong <= fails", "good.rsout", "expect-final: heap_live_B <= 12287\n", 1,
          "actual 12288");
   expect("~ outside tol fails", "good.rsout", "expect-final: heap_dead_B ~ 120000 tol=6975\n",
          1, "actual 126976");
   expect("one failure among passes fails", "good.rsout",
          "expect-final: useful_B = 4000\nexpect-final: blocks = 2\nexpect-final: blocks = 1\n", 1,
          "blocks = 2");
   expect("the final snapshot, not the peak, is read", "good.rsout",
          "expect-final: useful_B = 120000\n", 1, "actual 4000");
   expect("unknown key fails", "good.rsout", "expect-final: retained_B = 1\n", 1,
          "retained_B");

   /* Malformed expectation lines are refused. */
   expect("bad operator", "good.rsout", "expect-final: useful_B == 4000\n", 1, "operator");
   expect("~ without tol", "good.rsout", "expect-final: useful_B ~ 4000\n", 1, "tol");
   expect("tol without ~", "good.rsout", "expect-final: useful_B = 4000 tol=1\n", 1, "tol");
   expect("negative value", "good.rsout", "expect-final: useful_B >= -1\n", 1, "decimal");
   expect("missing value", "good.rsout", "expect-final: useful_B =\n", 1, "malformed");
   expect("not an expectation", "good.rsout", "useful_B = 4000\n", 1, "malformed");
   expect("missing file", "no-such-file.rsout", "expect-final: useful_B = 4000\n", 1,
          "cannot open");

   /* Malformed files are refused. */
   refuse("no version header", "#rs: version=1 page_B=4096\n", "", "version");
   refuse("snapshot without totals line",
          "#rs: useful_B=0 blocks=0 heap_live_B=0 heap_live_res_B=0 heap_dead_B=0 "
          "heap_dead_res_B=0 loader_B=2453504 loader_res_B=1052672 stack_B=8192 "
          "stack_res_B=8192 other_B=8192 other_res_B=0\n",
          "", "no `#rs: useful_B=");
   refuse("keys out of order", "heap_live_B=12288 heap_live_res_B=12288",
          "heap_live_res_B=12288 heap_live_B=12288", "expected \"heap_live_B\"");
   refuse("non-numeric value", "useful_B=4000", "useful_B=4k", "not a decimal");
   refuse("mem_heap_B disagrees with heap_live_B", "mem_heap_B=12288", "mem_heap_B=16384",
          "mem_heap_B=16384 but heap_live_B=12288");
   refuse("mem_stacks_B disagrees", "time=200000\nmem_heap_B=12288\nmem_heap_extra_B=126976\nmem_stacks_B=2469888",
          "time=200000\nmem_heap_B=12288\nmem_heap_extra_B=126976\nmem_stacks_B=2469889", "mem_stacks_B");
   refuse("resident above mapped", "heap_dead_res_B=118784", "heap_dead_res_B=131072",
          "exceeds");
   refuse("not whole pages", "heap_dead_B=126976 heap_dead_res_B=118784",
          "heap_dead_B=126977 heap_dead_res_B=118784", "multiple of page_B");
   refuse("two exit snapshots", "label=after-alloc", "label=after-alloc exit=1",
          "exit=1");
   refuse("two totals lines in a snapshot", "#rs: pinned page=0x4a5b000 useful=24\n",
          "#rs: useful_B=1 blocks=1 heap_live_B=0 heap_live_res_B=0 heap_dead_B=0 "
          "heap_dead_res_B=0 loader_B=0 loader_res_B=0 stack_B=0 stack_res_B=0 other_B=0 "
          "other_res_B=0\n",
          "second totals line");

   /* Without exit=1 the last snapshot is the final one. */
   {
      char *text = mutate(" exit=1\n", "\n");
      spit("noexit.rsout", text);
      free(text);
      expect("no exit=1: last snapshot is final", "noexit.rsout",
             "expect-final: useful_B = 4000\n", 0, NULL);
   }

   if (failures)
      printf("%d self-test case(s) failed\n", failures);
   return failures ? 1 : 0;
}
