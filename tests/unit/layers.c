/*
 * layers: no call cycle among rs_print's modules (issue 12), and the
 * tool's module cycles reported.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * An edge A -> B is an object file A using a symbol that object B defines
 * (tests/rs_cycles.c, over `nm -P` of the built objects).
 * 1. The checker itself, on made-up symbol tables: a two-module cycle is
 *    found with the symbols that close it, so is a three-module cycle
 *    entered from outside, and a chain is not a cycle.
 * 2. rs_print's objects (every .o in BUILDDIR/../rs_print): no cycle.
 * 3. The tool's objects (BUILDDIR/../rssmassif/rssmassif_amd64_linux-*.o):
 *    cycles are printed; they fail the test only when RS_LAYERS_TOOL_STRICT
 *    is 1 (switch it on once the tool's modules have no cycle left).
 * `make -C BUILD/tests cycles` prints both graphs with each module's level.
 */
#define RS_CYCLES_NO_MAIN
#include "rs_cycles.c"

#include <glob.h>

/* 1 once the tool's modules are free of cycles: then a cycle fails. */
#define RS_LAYERS_TOOL_STRICT 0

static int failures;

static void check(const char *what, int cond)
{
   printf("%s %s\n", cond ? "ok" : "not ok", what);
   if (!cond)
      failures++;
}

/* A made-up graph: each entry "module symbol type" as nm -P would say. */
static int fake_cycles(const char *const *lines, char *out, size_t outsz)
{
   RsCycGraph *g = calloc(1, sizeof *g);
   for (size_t i = 0; lines[i]; i++) {
      char mod[64];
      sscanf(lines[i], "%63s", mod);
      rs_cyc_nm_line(g, rs_cyc_node(g, mod), strchr(lines[i], ' ') + 1);
   }
   rs_cyc_link(g);
   FILE *f = fmemopen(out, outsz, "w");
   int n = rs_cyc_print_cycles(f, g, rs_cyc_components(g));
   fclose(f);
   return n;
}

static void self_test(void)
{
   static const char *const cyc[] = {
      "a fa T", "a fb U", "b fb T", "b fa U", "c fc T", "c fa U",
      "d fd T", "d fc U", NULL };
   static const char *const chain[] = {
      "a fa T", "a fb U", "b fb T", "b fc U", "c fc T", "c fx U",
      "c s1 t", NULL };
   static const char *const ring[] = {
      "d fd T", "d fa U", "a fa T", "a fb U", "b fb T", "b fc U",
      "c fc T", "c fa U", NULL };
   char out[4096];
   check("a <-> b is one cycle", fake_cycles(cyc, out, sizeof out) == 1);
   check("the cycle names its two modules, not c or d",
         strstr(out, "cycle 1 (2 modules): a b\n") != NULL);
   check("the cycle shows the symbols that close it",
         strstr(out, "a -> b: fb") && strstr(out, "b -> a: fa"));
   check("a -> b -> c -> a is one cycle", fake_cycles(ring, out, sizeof out) == 1);
   check("the ring names a, b and c, not d",
         strstr(out, "cycle 1 (3 modules): a b c\n") != NULL);
   check("a -> b -> c is no cycle", fake_cycles(chain, out, sizeof out) == 0);
}

/* Runs the checker over the objects matching `pattern`; 77 if none. */
static int run_over(const char *what, const char *pattern, int report)
{
   glob_t gl;
   if (glob(pattern, 0, NULL, &gl) != 0 || gl.gl_pathc == 0) {
      printf("no objects %s\n", pattern);
      return 77;
   }
   printf("--- %s (%zu objects)\n", what, gl.gl_pathc);
   fflush(stdout);
   int rc = rs_cycles_run(stdout, 0, report, (int)gl.gl_pathc, gl.gl_pathv);
   globfree(&gl);
   return rc;
}

int main(void)
{
   const char *b = getenv("BUILDDIR");
   char pat[4096];
   self_test();
   if (!b) {
      printf("skipped: BUILDDIR not set\n");
      return 77;
   }
   snprintf(pat, sizeof pat, "%s/../rs_print/*.o", b);
   int rc = run_over("rs_print", pat, 0);
   if (rc == 77) {
      printf("skipped: rs_print is not built beside %s\n", b);
      return 77;
   }
   check("rs_print's modules have no cycle", rc == 0);
   snprintf(pat, sizeof pat, "%s/../rssmassif/rssmassif_amd64_linux-*.o", b);
   rc = run_over("the tool", pat, !RS_LAYERS_TOOL_STRICT);
   check("the tool's objects were read", rc != 77 && rc != 2);
   if (RS_LAYERS_TOOL_STRICT)
      check("the tool's modules have no cycle", rc == 0);
   return failures ? 1 : 0;
}
