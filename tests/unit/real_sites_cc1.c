/*
 * real_sites_cc1 -- gcc's cc1 (libiberty's xmalloc family) under the tool
 * compiles a generated C file of 100 small functions at -O1 (about 25 s
 * under the tool on a loaded machine): its sites are xmalloc's callers,
 * no two lines of a section alike (real_sites.h).  Skipped without gcc.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "real_sites.h"

int main(void)
{
   char cc1[4096] = "", cmd[4400];
   FILE *p;
   real_need_tool();
   p = popen("gcc -print-prog-name=cc1 2>/dev/null", "r");
   if (p == NULL || fgets(cc1, sizeof cc1, p) == NULL)
      real_skip("gcc is not installed (no cc1)");
   pclose(p);
   cc1[strcspn(cc1, "\n")] = '\0';
   if (cc1[0] != '/' || access(cc1, X_OK) != 0)
      real_skip("gcc -print-prog-name=cc1 names no program");
   /* a chain of functions with loops: enough passes and RTL to allocate */
   FILE *f = fopen("gen.i", "w");
   if (f == NULL)
      return 1;
   fprintf(f, "static int f0(int a, int b) { return a + b; }\n");
   for (int i = 1; i < 100; i++)
      fprintf(f, "static int f%d(int a, int b) { int s = 0; for (int k = 0; "
              "k < a; k++) { s += (k * %d) ^ b; if (s > %d) s -= a * %d; } "
              "return s + f%d(b, a - 1); }\n", i, i + 3, 1000 + i, i % 7 + 1,
              i - 1);
   fprintf(f, "int main(void) { return f99(3, 4); }\n");
   fclose(f);
   snprintf(cmd, sizeof cmd, "%s -quiet -O1 gen.i -o gen.s", cc1);
   return real_sites("cc1", cmd,
                     "^0x[0-9A-F]+: (xmalloc|xcalloc|xrealloc|xstrdup|malloc|calloc|realloc) ",
                     NULL);
}
