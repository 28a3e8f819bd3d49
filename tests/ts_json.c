/*
 * ts_json: --json-file writes valid JSON that carries the same numbers as
 * the output file: the final snapshot equals the file's final `#rs:` line
 * (the one with exit=1) and every labelled snapshot of the file is in
 * `labelled` with the same numbers.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The JSON is written when the program exits, so the program cannot read
 * its own: the test run (under rssmassif, like every test) starts a second,
 * independent rssmassif run of itself (`ts_json child`) with
 *   --rssmassif-out-file=ts_json.inner.out --json-file=ts_json.inner.%p.json
 * waits for it, and checks the two files with a small strict JSON parser
 * (below; no library).  The child allocates, takes labelled snapshots
 * `first` and `second label/ü` (sanitised to `second_label___`) and
 * exits holding 3 blocks of 1000+2000+3000 bytes, numbers the checks know.
 */
#include "rs_client.h"

#include <ctype.h>
#include <sys/wait.h>

/* ---- the child: a workload with labels ---------------------------------- */

static int child(void)
{
   static char *p[100];
   int i;
   char *keep1, *keep2, *keep3;
   setvbuf(stdout, NULL, _IONBF, 0);
   keep1 = malloc(1000);
   for (i = 0; i < 100; i++) {
      p[i] = malloc(10000);
      memset(p[i], 'x', 10000);
   }
   RSSMASSIF_SNAPSHOT("first");
   for (i = 0; i < 100; i++)
      free(p[i]);
   keep2 = malloc(2000);
   RSSMASSIF_SNAPSHOT("second label/\xc3\xbc");
   keep3 = malloc(3000);
   memset(keep1, 1, 1000);
   memset(keep2, 2, 2000);
   memset(keep3, 3, 3000);
   return 0;   /* keep1..3 stay: 6000 bytes in 3 blocks at exit */
}

/* ---- a strict JSON parser into a flat node table ------------------------ */

enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };
struct jnode {
   int type, parent;
   char key[64];          /* member name when the parent is an object */
   char str[256];         /* string value (truncated) */
   double num;
   unsigned long long u;  /* the number when it is a non-negative integer */
   int is_uint;
};
#define JMAX 20000
static struct jnode jn[JMAX];
static int jcount;
static const char *jp;
static char jerr[200];

static void jws(void) { while (*jp == ' ' || *jp == '\t' || *jp == '\n' || *jp == '\r') jp++; }

static int jstring(char *out, size_t outsz)
{
   size_t n = 0;
   if (*jp != '"') return snprintf(jerr, sizeof jerr, "expected '\"'"), 0;
   jp++;
   while (*jp != '"') {
      unsigned char c = (unsigned char)*jp;
      if (c == 0 || c < 0x20) return snprintf(jerr, sizeof jerr, "bad character in string"), 0;
      if (c == '\\') {
         jp++;
         if (*jp == 'u') {
            int k;
            for (k = 1; k <= 4; k++)
               if (!isxdigit((unsigned char)jp[k])) return snprintf(jerr, sizeof jerr, "bad \\u escape"), 0;
            jp += 5;
            c = '?';
         } else if (strchr("\"\\/bfnrt", *jp) && *jp) {
            c = (unsigned char)(*jp == 'n' ? '\n' : *jp == 't' ? '\t' : *jp);
            jp++;
         } else {
            return snprintf(jerr, sizeof jerr, "bad escape"), 0;
         }
      } else {
         jp++;
      }
      if (n + 1 < outsz) out[n++] = (char)c;
   }
   jp++;
   out[n] = 0;
   return 1;
}

static int jvalue(int parent, const char *key);

static int jnew(int type, int parent, const char *key)
{
   if (jcount == JMAX) return snprintf(jerr, sizeof jerr, "too many nodes"), -1;
   memset(&jn[jcount], 0, sizeof jn[jcount]);
   jn[jcount].type = type;
   jn[jcount].parent = parent;
   snprintf(jn[jcount].key, sizeof jn[jcount].key, "%s", key ? key : "");
   return jcount++;
}

static int jvalue(int parent, const char *key)
{
   int me;
   jws();
   if (*jp == '{' || *jp == '[') {
      int obj = *jp == '{';
      char k[64];
      me = jnew(obj ? J_OBJ : J_ARR, parent, key);
      if (me < 0) return 0;
      jp++;
      jws();
      if (*jp == (obj ? '}' : ']')) { jp++; return 1; }
      for (;;) {
         jws();
         k[0] = 0;
         if (obj) {
            if (!jstring(k, sizeof k)) return 0;
            jws();
            if (*jp != ':') return snprintf(jerr, sizeof jerr, "expected ':'"), 0;
            jp++;
         }
         if (!jvalue(me, k)) return 0;
         jws();
         if (*jp == ',') { jp++; continue; }
         if (*jp == (obj ? '}' : ']')) { jp++; return 1; }
         return snprintf(jerr, sizeof jerr, "expected ',' or end of %s", obj ? "object" : "array"), 0;
      }
   }
   if (*jp == '"') {
      me = jnew(J_STR, parent, key);
      return me >= 0 && jstring(jn[me].str, sizeof jn[me].str);
   }
   if (strncmp(jp, "true", 4) == 0 || strncmp(jp, "null", 4) == 0 || strncmp(jp, "false", 5) == 0) {
      me = jnew(*jp == 'n' ? J_NULL : J_BOOL, parent, key);
      jp += *jp == 'f' ? 5 : 4;
      return me >= 0;
   }
   if (*jp == '-' || isdigit((unsigned char)*jp)) {
      /* JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
      const char *s = jp;
      int integer = 1;
      if (*jp == '-') { jp++; integer = 0; }
      if (*jp == '0') jp++;
      else if (isdigit((unsigned char)*jp)) while (isdigit((unsigned char)*jp)) jp++;
      else return snprintf(jerr, sizeof jerr, "bad number"), 0;
      if (*jp == '.') {
         integer = 0; jp++;
         if (!isdigit((unsigned char)*jp)) return snprintf(jerr, sizeof jerr, "bad fraction"), 0;
         while (isdigit((unsigned char)*jp)) jp++;
      }
      if (*jp == 'e' || *jp == 'E') {
         integer = 0; jp++;
         if (*jp == '+' || *jp == '-') jp++;
         if (!isdigit((unsigned char)*jp)) return snprintf(jerr, sizeof jerr, "bad exponent"), 0;
         while (isdigit((unsigned char)*jp)) jp++;
      }
      me = jnew(J_NUM, parent, key);
      if (me < 0) return 0;
      jn[me].num = strtod(s, NULL);
      jn[me].is_uint = integer;
      if (integer) jn[me].u = strtoull(s, NULL, 10);
      return 1;
   }
   return snprintf(jerr, sizeof jerr, "unexpected character '%c'", *jp ? *jp : '0'), 0;
}

/* Child of node `parent` named `key` (objects), or -1. */
static int jget(int parent, const char *key)
{
   int i;
   for (i = parent + 1; i < jcount; i++)
      if (jn[i].parent == parent && strcmp(jn[i].key, key) == 0)
         return i;
   return -1;
}

/* The number under `key` in object `parent`, or -1 if there is none. */
static long long jnum(int parent, const char *key)
{
   int n = parent >= 0 ? jget(parent, key) : -1;
   return n >= 0 && jn[n].type == J_NUM ? (long long)jn[n].u : -1;
}

/* ---- the output file's #rs: lines --------------------------------------- */

static const char *const rs_keys[12] = {
   "useful_B", "blocks", "heap_live_B", "heap_live_res_B", "heap_dead_B", "heap_dead_res_B",
   "loader_B", "loader_res_B", "stack_B", "stack_res_B", "other_B", "other_res_B"
};

/* Value of key=... in an #rs: line (as text), or NULL. */
static const char *rs_val(const char *line, const char *key, char *buf, size_t bufsz)
{
   size_t kl = strlen(key);
   const char *s = line;
   while ((s = strstr(s, key)) != NULL) {
      if ((s == line || s[-1] == ' ') && s[kl] == '=') {
         size_t n = strcspn(s + kl + 1, " \n");
         if (n >= bufsz) n = bufsz - 1;
         memcpy(buf, s + kl + 1, n);
         buf[n] = 0;
         return buf;
      }
      s += kl;
   }
   return NULL;
}

/* Compares the 12 keys and the snapshot number of JSON object `o` with an
 * #rs: line. */
static void compare_snapshot(const char *what, int o, const char *rsline, long snapno)
{
   int k, bad = 0, n;
   char buf[64], lbl[160];
   for (k = 0; k < 12; k++) {
      n = jget(o, rs_keys[k]);
      if (!rs_val(rsline, rs_keys[k], buf, sizeof buf) || n < 0 || jn[n].type != J_NUM ||
          !jn[n].is_uint || jn[n].u != strtoull(buf, NULL, 10)) {
         printf("not ok %s: %s json=%llu file=%s\n", what, rs_keys[k], n >= 0 ? jn[n].u : 0ULL,
                rs_val(rsline, rs_keys[k], buf, sizeof buf) ? buf : "(none)");
         bad = 1;
      }
   }
   /* The keys after the twelve: cached stacks on every line, the mmap
      threshold's where the file has them (absent on both otherwise). */
   for (k = 0; k < 6; k++) {
      static const char *const more[6] = {
         "stack_cached_n", "stack_cached_B", "stack_cached_res_B",
         "mmap_threshold_B", "mmap_later_heap_B", "mmap_later_heap_blocks"
      };
      const char *fv = rs_val(rsline, more[k], buf, sizeof buf);
      n = jget(o, more[k]);
      if ((fv == NULL) != (n < 0) || (fv != NULL && (jn[n].type != J_NUM
                                                     || jn[n].u != strtoull(fv, NULL, 10)))) {
         printf("not ok %s: %s json=%llu file=%s\n", what, more[k], n >= 0 ? jn[n].u : 0ULL,
                fv ? fv : "(none)");
         bad = 1;
      }
   }
   /* The analysis' figure, where the file's snapshot carries one. */
   if (rs_val(rsline, "trim_estimate_B", buf, sizeof buf)) {
      n = jget(o, "trim_estimate_B");
      if (n < 0 || jn[n].type != J_NUM || jn[n].u != strtoull(buf, NULL, 10)) {
         printf("not ok %s: trim_estimate_B json=%llu file=%s\n", what,
                n >= 0 ? jn[n].u : 0ULL, buf);
         bad = 1;
      }
   }
   n = jget(o, "snapshot");
   if (n < 0 || jn[n].type != J_NUM || (long)jn[n].u != snapno) {
      printf("not ok %s: snapshot json=%lld file=%ld\n", what, n >= 0 ? (long long)jn[n].u : -1LL, snapno);
      bad = 1;
   }
   snprintf(lbl, sizeof lbl, "%s: the 12 #rs: numbers, stack_cached_*, mmap_*, trim_estimate_B and the snapshot number equal the file's", what);
   if (!bad) printf("ok %s\n", lbl); else rs_failures++;
}

static char jtext[4 << 20];

static int parent_check(pid_t pid)
{
   char jname[64], line[4096], buf[128], what[200];
   FILE *f;
   size_t len;
   long snapno = -1, final_snap = -1;
   static char final_line[4096];
   int root, n, labelled, nlabels = 0, i;

   snprintf(jname, sizeof jname, "ts_json.inner.%d.json", (int)pid);
   f = fopen(jname, "r");
   rs_own("--json-file %p expanded to the child's pid", f != NULL);
   if (!f) return 1;
   len = fread(jtext, 1, sizeof jtext - 1, f);
   fclose(f);
   jtext[len] = 0;

   jp = jtext;
   jcount = 0;
   n = jvalue(-1, NULL);
   if (n) { jws(); if (*jp) { snprintf(jerr, sizeof jerr, "text after the value"); n = 0; } }
   if (!n) {
      printf("not ok JSON parses: %s at byte %ld\n", jerr, (long)(jp - jtext));
      return 1;
   }
   printf("ok JSON parses (%d values)\n", jcount);
   root = 0;
   rs_own("top level is an object", jn[root].type == J_OBJ);
   n = jget(root, "rssmassif_json_version");
   rs_own("rssmassif_json_version is 1", n >= 0 && jn[n].type == J_NUM && jn[n].u == 1);
   n = jget(root, "pid");
   rs_own("pid is the child's", n >= 0 && jn[n].type == J_NUM && jn[n].u == (unsigned long long)pid);
   n = jget(root, "page_B");
   rs_own("page_B is sysconf(_SC_PAGESIZE)", n >= 0 && jn[n].u == (unsigned long long)sysconf(_SC_PAGESIZE));
   n = jget(root, "command");
   rs_own("command is the child's", n >= 0 && jn[n].type == J_STR && strcmp(jn[n].str, "./ts_json child") == 0);
   n = jget(root, "heap_usage");
   /* The tool's numbers against the child's own arithmetic (blocks of
    * 1000, 2000 and 3000 bytes kept): the JSON's `tool=` side. */
   rs_eq("heap_usage.in_use_B is the 6000 bytes the child keeps", jnum(n, "in_use_B"), 6000);
   rs_eq("heap_usage.in_use_blocks is the child's 3 blocks", jnum(n, "in_use_blocks"), 3);
   labelled = jget(root, "labelled");
   rs_own("labelled is an array", labelled >= 0 && jn[labelled].type == J_ARR);
   rs_own("final is an object", jget(root, "final") >= 0 && jn[jget(root, "final")].type == J_OBJ);
   rs_own("peak is an object", jget(root, "peak") >= 0 && jn[jget(root, "peak")].type == J_OBJ);
   if (labelled < 0 || jget(root, "final") < 0)
      return 1;

   f = fopen("ts_json.inner.out", "r");
   rs_own("the child's output file exists", f != NULL);
   if (!f) return 1;
   while (fgets(line, sizeof line, f)) {
      if (strncmp(line, "snapshot=", 9) == 0)
         snapno = atol(line + 9);
      if (strncmp(line, "#rs: useful_B=", 14) != 0)
         continue;
      if (rs_val(line, "exit", buf, sizeof buf) && strcmp(buf, "1") == 0) {
         snprintf(final_line, sizeof final_line, "%s", line);
         final_snap = snapno;
      }
      if (rs_val(line, "label", buf, sizeof buf)) {
         int found = -1;
         nlabels++;
         for (i = labelled + 1; i < jcount; i++)
            if (jn[i].parent == labelled && jn[i].type == J_OBJ) {
               n = jget(i, "label");
               if (n >= 0 && jn[n].type == J_STR && strcmp(jn[n].str, buf) == 0)
                  found = i;
            }
         snprintf(what, sizeof what, "label %s of the file is in labelled[]", buf);
         rs_own(what, found >= 0);
         if (found >= 0) {
            snprintf(what, sizeof what, "labelled snapshot %s", buf);
            compare_snapshot(what, found, line, snapno);
         }
      }
   }
   fclose(f);
   rs_own("the file has the child's 2 labelled snapshots", nlabels == 2);
   n = 0;
   for (i = labelled + 1; i < jcount; i++)
      if (jn[i].parent == labelled) n++;
   rs_own("labelled[] has 2 entries", n == 2);
   rs_own("the file has a final snapshot (exit=1)", final_snap >= 0);
   if (final_snap >= 0)
      compare_snapshot("final", jget(root, "final"), final_line, final_snap);
   rs_eq("final useful_B is the child's 6000 bytes", jnum(jget(root, "final"), "useful_B"), 6000);
   /* the sanitised label */
   n = -1;
   for (i = labelled + 1; i < jcount; i++)
      if (jn[i].parent == labelled && jget(i, "label") >= 0 &&
          strcmp(jn[jget(i, "label")].str, "second_label___") == 0)
         n = i;
   rs_own("label `second label/\\xc3\\xbc` sanitised to second_label___", n >= 0);

   /* A second, independent opinion when python3 is around. */
   snprintf(line, sizeof line,
            "command -v python3 >/dev/null 2>&1 || exit 77; python3 -c 'import json,sys; json.load(open(sys.argv[1]))' %s",
            jname);
   n = system(line);
   if (WIFEXITED(n) && WEXITSTATUS(n) == 77)
      printf("# python3 not found: only the built-in parser checked the JSON\n");
   else
      rs_own("python3's json module loads the file", WIFEXITED(n) && WEXITSTATUS(n) == 0);
   return 0;
}

int main(int argc, char **argv)
{
   const char *vg = getenv("VALGRIND");
   pid_t pid;
   int st;

   if (argc > 1 && strcmp(argv[1], "child") == 0)
      return child();
   rs_init();
   if (!vg) vg = "valgrind";
   pid = fork();
   if (pid == 0) {
      execlp(vg, vg, "-q", "--tool=rssmassif", "--rssmassif-out-file=ts_json.inner.out",
             "--json-file=ts_json.inner.%p.json", "./ts_json", "child", (char *)NULL);
      _exit(127);
   }
   rs_own("fork", pid > 0);
   if (pid <= 0) return 1;
   rs_own("waitpid", waitpid(pid, &st, 0) == pid);
   rs_own("the inner rssmassif run exits 0", WIFEXITED(st) && WEXITSTATUS(st) == 0);
   parent_check(pid);
   printf("ok checks done\n");
   return rs_failures ? 1 : 0;
}
