/*
 * rs_print_errors.c -- bad input: every truncated, corrupted or foreign
 * file gets one line "FILE:LINE: expected ..., got ..." naming the right
 * line, and rs_print exits 1 with that line on stderr.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include "tests/unit_util.h"

/* A valid two-snapshot #rs: file; line numbers are in the comments. */
static const char base[] =
   "desc: x\n"                                                   /* 1 */
   "cmd: ./p\n"                                                  /* 2 */
   "time_unit: i\n"                                              /* 3 */
   "#rs: version=1 page_B=4096\n"                                /* 4 */
   "#-----------\n"                                              /* 5 */
   "snapshot=0\n"                                                /* 6 */
   "#-----------\n"                                              /* 7 */
   "time=0\n"                                                    /* 8 */
   "mem_heap_B=0\n"                                              /* 9 */
   "mem_heap_extra_B=0\n"                                        /* 10 */
   "mem_stacks_B=8192\n"                                         /* 11 */
   "#rs: useful_B=0 blocks=0 heap_live_B=0 heap_live_res_B=0 heap_dead_B=0 "
   "heap_dead_res_B=0 loader_B=8192 loader_res_B=8192 stack_B=0 "
   "stack_res_B=0 other_B=0 other_res_B=0\n"                     /* 12 */
   "heap_tree=empty\n"                                           /* 13 */
   "#-----------\n"                                              /* 14 */
   "snapshot=1\n"                                                /* 15 */
   "#-----------\n"                                              /* 16 */
   "time=100\n"                                                  /* 17 */
   "mem_heap_B=4096\n"                                           /* 18 */
   "mem_heap_extra_B=8192\n"                                     /* 19 */
   "mem_stacks_B=12288\n"                                        /* 20 */
   "#rs: useful_B=10 blocks=1 heap_live_B=4096 heap_live_res_B=4096 "
   "heap_dead_B=8192 heap_dead_res_B=4096 loader_B=8192 loader_res_B=8192 "
   "stack_B=4096 stack_res_B=4096 other_B=0 other_res_B=0 exit=1\n" /* 21 */
   "heap_tree=detailed\n"                                        /* 22 */
   "n4: 24576 (rssmassif) mapped pages by category\n"            /* 23 */
   " n0: 4096 heap_live: live\n"                                 /* 24 */
   " n1: 8192 heap_dead: dead\n"                                 /* 25 */
   "  n0: 8192 0x1: f (a.c:1)\n"                                 /* 26 */
   " n0: 8192 loader: objects\n"                                 /* 27 */
   " n0: 4096 stack: stacks\n";                                  /* 28 */

static const char massif_two_peaks[] =
   "desc: x\ncmd: y\ntime_unit: i\n"
   "#-----------\nsnapshot=0\n#-----------\ntime=0\nmem_heap_B=0\n"
   "mem_heap_extra_B=0\nmem_stacks_B=0\nheap_tree=peak\n"
   "n0: 0 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.\n"
   "#-----------\nsnapshot=1\n#-----------\ntime=1\nmem_heap_B=0\n" /* 13-17 */
   "mem_heap_extra_B=0\nmem_stacks_B=0\nheap_tree=peak\n";      /* 18-20 */

/* base with the first `old` replaced by `new` (malloc'ed). */
static char *subst(const char *text, const char *old, const char *new)
{
   const char *p = strstr(text, old);
   if (p == NULL) {
      fprintf(stderr, "test bug: '%s' not in the text\n", old);
      exit(2);
   }
   size_t a = (size_t)(p - text), ol = strlen(old), nl = strlen(new);
   char *r = malloc(strlen(text) - ol + nl + 1);
   memcpy(r, text, a);
   memcpy(r + a, new, nl);
   strcpy(r + a + nl, p + ol);
   return r;
}

/* The first n lines of text (malloc'ed). */
static char *head_lines(const char *text, int n)
{
   const char *p = text;
   while (n-- > 0 && (p = strchr(p, '\n')) != NULL)
      p++;
   size_t len = p ? (size_t)(p - text) : strlen(text);
   char *r = malloc(len + 1);
   memcpy(r, text, len);
   r[len] = '\0';
   return r;
}

/* Parses text (len bytes) and checks the error: line and a substring. */
static void bad_len(const char *what, const char *text, size_t len,
                    unsigned long line, const char *needle)
{
   struct rs_error e;
   struct rs_file *f = rs_parse_buffer("t.out", text, len, &e);
   if (f != NULL) {
      check(0, "%s: rejected (it was accepted)", what);
      rs_file_free(f);
      return;
   }
   char prefix[64];
   snprintf(prefix, sizeof prefix, "t.out:%lu: expected ", line);
   int one_line = strchr(e.msg, '\n') == NULL;
   check(strncmp(e.msg, prefix, strlen(prefix)) == 0
         && strstr(e.msg, ", got ") != NULL && one_line
         && strstr(e.msg, needle) != NULL,
         "%s: error '%s' (want line %lu, '%s')", what, e.msg, line, needle);
}

static void bad(const char *what, const char *text, unsigned long line,
                const char *needle)
{
   bad_len(what, text, strlen(text), line, needle);
}

static void bad_subst(const char *what, const char *old, const char *new,
                      unsigned long line, const char *needle)
{
   char *t = subst(base, old, new);
   bad(what, t, line, needle);
   free(t);
}

static void good(const char *what, const char *text)
{
   struct rs_error e;
   struct rs_file *f = rs_parse_buffer("t.out", text, strlen(text), &e);
   check(f != NULL, "%s: accepted%s%s", what, f ? "" : ": ", f ? "" : e.msg);
   rs_file_free(f);
}

int main(void)
{
   good("base", base);

   /* Foreign files. */
   bad("empty file", "", 1, "got end of file (empty file)");
   bad("text file", "hello world\n", 1, "'cmd:' line");
   static const char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0\n";
   bad_len("binary file", elf, sizeof elf - 1, 1, "NUL byte");
   bad("JSON", "{\"snapshots\": []}\n", 1, "'cmd:' line");

   /* Truncated files. */
   char *t = head_lines(base, 28);
   t[strlen(t) - 1] = '\0';
   bad("cut in the last line", t, 28, "truncated");
   free(t);
   t = head_lines(base, 22);
   bad("cut after heap_tree=", t, 23, "got end of file");
   free(t);
   t = head_lines(base, 25);
   bad("cut inside a tree", t, 26, "indented by 2 spaces, got end of file");
   free(t);
   t = head_lines(base, 4);
   bad("cut after the header", t, 5, "'snapshot=0' line, got end of file");
   free(t);
   t = head_lines(base, 9);
   bad("cut after mem_heap_B", t, 10, "'mem_heap_extra_B=<number>' line");
   free(t);

   /* Corrupted Massif lines. */
   bad_subst("missing cmd", "cmd: ./p\n", "", 2, "'cmd:' line (is this a Massif or rssmassif file?), got "
             "'time_unit: i'");
   bad_subst("bad time unit", "time_unit: i", "time_unit: s", 3,
             "time_unit");
   bad_subst("snapshot numbering", "snapshot=0", "snapshot=5", 6,
             "'snapshot=0'");
   bad_subst("time going back", "time=0", "time=200", 17, "time >= 200");
   bad_subst("bad number", "mem_heap_B=4096", "mem_heap_B=40x96", 18,
             "'mem_heap_B=<number>' line, got 'mem_heap_B=40x96'");
   bad_subst("number above 2^64", "time=100", "time=99999999999999999999",
             17, "'time=<number>'");
   bad_subst("bad heap_tree", "heap_tree=detailed", "heap_tree=full", 22,
             "heap_tree=empty|detailed|peak");
   bad_subst("wrong indentation", "  n0: 8192 0x1", " n0: 8192 0x1", 26,
             "indented by 2 spaces");
   bad_subst("node without space", "n0: 4096 heap_live", "n0:4096 heap_live",
             24, "tree node");
   bad_subst("children count overflow", "n1: 8192 heap_dead",
             "n99999999999: 8192 heap_dead", 25, "tree node");
   bad_subst("children not summing to the parent", "  n0: 8192 0x1",
             "  n0: 8000 0x1", 25, "sum to its 8192 bytes, got children "
             "summing to 8000");
   bad_subst("child bigger than the parent", "  n0: 8192 0x1",
             "  n0: 9000 0x1", 26, "summing to their parent's 8192 bytes");
   bad_subst("root not the total", "n4: 24576", "n4: 24000", 23,
             "snapshot's total (24576 bytes)");
   bad_subst("too few children", "n4: 24576", "n5: 24576", 29,
             "got end of file");
   bad("two peaks", massif_two_peaks, 20, "one 'heap_tree=peak'");

   /* Corrupted #rs: lines. */
   bad_subst("totals key renamed", "useful_B=10 blocks=1",
             "useful_B=10 block=1", 21, "'blocks=<number>' as key 2");
   bad_subst("totals key missing", " other_B=0 other_res_B=0 exit=1",
             " other_B=0", 21, "'other_res_B=<number>'");
   bad_subst("totals value not a number", "useful_B=10 blocks=1",
             "useful_B=10 blocks=-1", 21, "a number after 'blocks=', got 'blocks=-1'");
   bad_subst("resident above mapped", "heap_dead_res_B=4096",
             "heap_dead_res_B=9000", 21, "heap_dead_res_B <= heap_dead_B (8192): resident bytes are mapped bytes, got heap_dead_res_B=9000");
   bad_subst("heap_live_B not mem_heap_B",
             "mem_heap_B=4096\nmem_heap_extra_B=8192",
             "mem_heap_B=8192\nmem_heap_extra_B=4096", 21,
             "heap_live_B = mem_heap_B of snapshot 1 (8192), got "
             "heap_live_B=4096");
   bad_subst("repeated key", "exit=1", "exit=1 blocks=2", 21,
             "got 'blocks=2'");
   bad_subst("bad label", "exit=1", "exit=1 label=a/b", 21, "label=");
   bad_subst("bad exit value", "exit=1", "exit=yes", 21, "'exit=1'");
   bad_subst("version 0", "version=1", "version=0", 4, "N >= 1");
   bad_subst("empty key", "exit=1", "exit=1 =5", 21, "'key=value'");
   bad_subst("totals in the header", "#rs: version=1 page_B=4096\n",
             "#rs: version=1 page_B=4096\n#rs: useful_B=0\n", 5,
             "inside a snapshot");
   bad_subst("totals without version header",
             "#rs: version=1 page_B=4096\n", "", 11,
             "header line '#rs: version=N page_B=N'");
   {
      /* Remove line 12 entirely. */
      const char *l12 = strstr(base, "#rs: useful_B=0");
      const char *l13 = strchr(l12, '\n') + 1;
      size_t a = (size_t)(l12 - base);
      char *u = malloc(sizeof base);
      memcpy(u, base, a);
      strcpy(u + a, l13);
      bad("no totals line in a snapshot", u, 14,
          "'#rs: useful_B=...' line in snapshot 0 (line 6), got "
          "'snapshot=1'");
      free(u);
      /* Line 12 twice. */
      size_t l = (size_t)(l13 - l12);
      u = malloc(sizeof base + l);
      memcpy(u, base, (size_t)(l13 - base));
      memcpy(u + (l13 - base), l12, l);
      strcpy(u + (l13 - base) + l, l13);
      bad("two totals lines", u, 13, "one '#rs: useful_B=...' line per "
          "snapshot");
      free(u);
   }
   bad_subst("exit snapshot not last", "other_B=0 other_res_B=0\nheap_tree",
             "other_B=0 other_res_B=0 exit=1\nheap_tree", 15,
             "end of file after the exit snapshot");

   /* Things that are fine. */
   {
      size_t n = strlen(base), k = 0;
      char *crlf = malloc(2 * n + 1);
      for (size_t i = 0; i < n; i++) {
         if (base[i] == '\n')
            crlf[k++] = '\r';
         crlf[k++] = base[i];
      }
      crlf[k] = '\0';
      good("CRLF line ends", crlf);
      free(crlf);
   }
   t = subst(base, "heap_tree=detailed\n",
             "\n# a comment\n   \nheap_tree=detailed\n#rs: pinned n=3\n");
   good("blank lines, comments and unknown #rs: lines", t);
   free(t);

   /* The program: exit 1, one line on stderr. */
   char path[] = "/tmp/rs_print_errors.XXXXXX";
   int fd = mkstemp(path);
   t = subst(base, "time=100", "time=1O0");
   if (fd >= 0 && write(fd, t, strlen(t)) == (ssize_t)strlen(t)) {
      char *out, *err;
      int rc = run_main(&out, &err, path, NULL, NULL);
      char want[200];
      snprintf(want, sizeof want, "rs_print: %s:17: expected 'time=<number>'"
               " line, got 'time=1O0'\n", path);
      check(rc == 1 && strcmp(err, want) == 0 && *out == '\0',
            "rs_print exits 1 with one line: rc=%d err='%s'", rc, err);
      free(out);
      free(err);
      rc = run_main(&out, &err, "--massif", path, NULL);
      check(rc == 1 && *out == '\0', "rs_print --massif exits 1 and writes "
            "nothing on bad input");
      free(out);
      free(err);
   } else {
      check(0, "cannot write %s", path);
   }
   if (fd >= 0) {
      close(fd);
      unlink(path);
   }
   free(t);
   {
      char *out, *err;
      int rc = run_main(&out, &err, "/nonexistent/rs.out", NULL, NULL);
      check(rc == 1 && strstr(err, "cannot open") && !strchr(err, '\n')[1],
            "missing file: exit 1, one line");
      free(out);
      free(err);
      rc = run_main(&out, &err, "--x=3", "f", NULL);
      check(rc == 2, "--x=3: exit 2");
      free(out);
      free(err);
      rc = run_main(&out, &err, "--threshold=101", "f", NULL);
      check(rc == 2, "--threshold=101: exit 2");
      free(out);
      free(err);
      rc = run_main(&out, &err, "--category=heap", "f", NULL);
      check(rc == 2, "--category=heap: exit 2");
      free(out);
      free(err);
      rc = run_main(&out, &err, "--help", NULL, NULL);
      check(rc == 0 && strstr(out, "usage: rs_print"), "--help: exit 0");
      free(out);
      free(err);
   }
   return unit_done();
}
