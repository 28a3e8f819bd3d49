/*
 * rs_tree_check_selftest: the tree checker (tests/rs_tree_check.c) accepts
 * a real output file and refuses each defect put into a copy of it, naming
 * it.  It pins what rs_tree_check rejects before its parser is replaced by
 * rs_print's library (issue 12).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The file comes from the staged tool on a small client (skipped when the
 * tool is not staged): 200 blocks of 1,000 bytes, every second one freed,
 * every snapshot detailed.  Each defect changes one line of the file:
 * Massif's mem_heap_B against heap_live_B, a category node's bytes against
 * its children and the totals line, a snapshot number, a time going back,
 * a second exit=1, a missing #rs.trim: line, a #rs.tree_res: count, and a
 * child node's count of children.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static int failures;
static const char *tree_check;

static char *slurp(const char *path)
{
   FILE *f = fopen(path, "r");
   if (!f)
      return NULL;
   fseek(f, 0, SEEK_END);
   long n = ftell(f);
   rewind(f);
   char *s = malloc((size_t)n + 1);
   size_t got = fread(s, 1, (size_t)n, f);
   s[got] = '\0';
   fclose(f);
   return s;
}

static void spit(const char *path, const char *text)
{
   FILE *f = fopen(path, "w");
   fputs(text, f);
   fclose(f);
}

/* Runs rs_tree_check on `path`; its output into out; returns its status. */
static int run(const char *path, char *out, size_t outsz)
{
   char cmd[4096];
   snprintf(cmd, sizeof cmd, "'%s' '%s' </dev/null 2>&1", tree_check, path);
   FILE *p = popen(cmd, "r");
   size_t n = fread(out, 1, outsz - 1, p);
   out[n] = '\0';
   int st = pclose(p);
   return WEXITSTATUS(st);
}

/* A copy of `text` with the line starting at `at` replaced by `line`
 * (NULL: the line removed). */
static char *replace_line(const char *text, const char *at, const char *line)
{
   const char *end = strchr(at, '\n');
   end = end ? end + 1 : at + strlen(at);
   size_t pre = (size_t)(at - text);
   char *s = malloc(strlen(text) + (line ? strlen(line) : 0) + 2);
   memcpy(s, text, pre);
   s[pre] = '\0';
   if (line) {
      strcat(s, line);
      strcat(s, "\n");
   }
   strcat(s, end);
   return s;
}

/* The start of the n-th (0-based) line starting with `prefix`, or NULL. */
static const char *nth_line(const char *text, const char *prefix, int n)
{
   size_t len = strlen(prefix);
   for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
      if (strncmp(p, prefix, len) == 0 && n-- == 0)
         return p;
   return NULL;
}

/* The defect: line n of those starting with `prefix` becomes `line`.  The
 * checker must refuse the copy and say `why`. */
static void refuse(const char *good, const char *what, const char *prefix,
                   int n, const char *line, const char *why)
{
   char out[16384];
   const char *at = nth_line(good, prefix, n);
   if (!at) {
      printf("not ok %s: no line %d starting \"%s\"\n", what, n, prefix);
      failures++;
      return;
   }
   char *bad = replace_line(good, at, line);
   spit("defect.out", bad);
   free(bad);
   int rc = run("defect.out", out, sizeof out);
   if (rc != 1 || !strstr(out, why)) {
      printf("not ok %s: status %d, wanted 1 and \"%s\"; output:\n%s", what,
             rc, why, out);
      failures++;
   } else {
      printf("ok %s\n", what);
   }
}

static const char client[] =
   "#include <stdlib.h>\n"
   "int main(void)\n{\n   static void *p[200];\n"
   "   for (int i = 0; i < 200; i++) p[i] = malloc(1000);\n"
   "   for (int i = 0; i < 200; i += 2) free(p[i]);\n"
   "   return p[1] == NULL;\n}\n";

int main(void)
{
   const char *vg = getenv("VALGRIND"), *lib = getenv("VALGRIND_LIB");
   const char *cc = getenv("CC");
   char cmd[4096], out[16384], path[4096];
   tree_check = getenv("RS_TREE_CHECK");
   if (!tree_check || !lib) {
      printf("skipped: RS_TREE_CHECK or VALGRIND_LIB not set (run me through tests/run)\n");
      return 77;
   }
   snprintf(path, sizeof path, "%s/rssmassif-amd64-linux", lib);
   FILE *t = fopen(path, "r");
   if (!t) {
      printf("skipped: no staged rssmassif tool in VALGRIND_LIB\n");
      return 77;
   }
   fclose(t);
   spit("client.c", client);
   snprintf(cmd, sizeof cmd, "%s -O0 -g -o client client.c", cc ? cc : "cc");
   if (system(cmd) != 0) {
      printf("cannot build the client\n");
      return 1;
   }
   snprintf(cmd, sizeof cmd, "%s -q --tool=rssmassif --detailed-freq=1 "
            "--rssmassif-out-file=good.out ./client", vg ? vg : "valgrind");
   if (system(cmd) != 0) {
      printf("the tool failed on the client\n");
      return 1;
   }
   char *good = slurp("good.out");
   int rc = run("good.out", out, sizeof out);
   printf("%s the real file passes (status %d: %s)\n",
          rc == 0 && strstr(out, ": OK") ? "ok" : "not ok", rc, out);
   if (rc != 0 || !strstr(out, ": OK"))
      failures++;

   refuse(good, "mem_heap_B disagrees with heap_live_B", "mem_heap_B=", 1,
          "mem_heap_B=1", "mem_*_B do not match");
   refuse(good, "a category node's bytes", " n", 0, " n0: 1 heap_live: x",
          "heap_live");
   refuse(good, "snapshots out of order", "snapshot=", 1, "snapshot=7",
          "snapshot");
   refuse(good, "a time going back", "time=", 5, "time=0", "time 0 after");
   refuse(good, "a second exit=1", "#rs: useful_B=", 0,
          "#rs: useful_B=0 blocks=0 heap_live_B=0 heap_live_res_B=0 "
          "heap_dead_B=0 heap_dead_res_B=0 loader_B=0 loader_res_B=0 "
          "stack_B=0 stack_res_B=0 other_B=0 other_res_B=0 exit=1", "exit");
   refuse(good, "a missing #rs.trim: line", "#rs.trim:", 0, NULL, "#rs.trim");
   refuse(good, "a #rs.tree_res: count", "#rs.tree_res: cat=stack", 0,
          "#rs.tree_res: cat=stack res_B=0,0,0,0,0,0,0,0,0,0,0,0,0", "tree_res");
   refuse(good, "a node announcing a child it lacks", "  n0: ", 0,
          "  n1: 1 0x1: f (x.c:1)", "n1");
   free(good);
   return failures ? 1 : 0;
}
