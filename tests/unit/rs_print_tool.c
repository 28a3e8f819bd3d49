/*
 * rs_print_tool.c -- rs_print on a file the real tool wrote: a program
 * puts a 64-byte block above four freed 1 MiB blocks on the brk heap; the
 * report must state the file's retained bytes exactly, name the small
 * block's source line as the trim blocker and as the pinning call site,
 * and give the trim estimate; `--massif` must read back.
 *
 * Expected values come from the program's own arithmetic (4 MiB freed
 * below the block) and its source lines; the retained bytes are compared
 * with the file's own exit line, read here by a few lines of independent
 * code.  Skipped (exit 77) when valgrind, a C compiler or the staged tool
 * (VALGRIND_LIB, set by `make check`) is missing.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include "tests/unit_util.h"

#include <sys/wait.h>

#define BIG_LINE 14    /* line of the big malloc in the client below */
#define SMALL_LINE 17  /* line of the small malloc */

static const char client[] =
   "/* written by tests/unit/rs_print_tool.c */\n"               /* 1 */
   "#include <malloc.h>\n"                                       /* 2 */
   "#include <stdlib.h>\n"                                       /* 3 */
   "#include <string.h>\n"                                       /* 4 */
   "\n"                                                          /* 5 */
   "#define MIB (1024 * 1024)\n"                                 /* 6 */
   "\n"                                                          /* 7 */
   "int main(void)\n"                                            /* 8 */
   "{\n"                                                         /* 9 */
   "   char *big[4], *small;\n"                                  /* 10 */
   "   /* keep the big blocks on the brk heap, not mmapped */\n" /* 11 */
   "   mallopt(M_MMAP_THRESHOLD, 32 * MIB);\n"                   /* 12 */
   "   for (int i = 0; i < 4; i++) {\n"                          /* 13 */
   "      big[i] = malloc(MIB);\n"                               /* 14 */
   "      memset(big[i], 1, MIB);\n"                             /* 15 */
   "   }\n"                                                      /* 16 */
   "   small = malloc(64);\n"                                    /* 17 */
   "   memset(small, 2, 64);\n"                                  /* 18 */
   "   for (int i = 0; i < 4; i++)\n"                            /* 19 */
   "      free(big[i]);\n"                                       /* 20 */
   "   return small[0] == 2 ? 0 : 1;\n"                          /* 21 */
   "}\n";                                                        /* 22 */

static int sh(const char *cmd)
{
   int rc = system(cmd);
   return rc != -1 && WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void skip(const char *why)
{
   printf("skipped: %s\n", why);
   exit(77);
}

/* The exit line's heap_dead_res_B, read without rs_print's parser. */
static int exit_retained(const char *text, unsigned long long *v)
{
   for (const char *p = text; p && *p;
        p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
      if (strncmp(p, "#rs: useful_B=", 14) != 0)
         continue;
      const char *nl = strchr(p, '\n');
      const char *ex = strstr(p, " exit=1");
      if (ex == NULL || (nl && ex > nl))
         continue;
      const char *k = strstr(p, " heap_dead_res_B=");
      return k && (!nl || k < nl)
             && sscanf(k + 17, "%llu", v) == 1;
   }
   return 0;
}

int main(void)
{
   const char *lib = getenv("VALGRIND_LIB");
   char path[4300], cmd[9000];
   if (lib == NULL)
      skip("VALGRIND_LIB is not set (run through make check)");
   snprintf(path, sizeof path, "%s/rssmassif-amd64-linux", lib);
   if (access(path, X_OK) != 0)
      skip("no staged rssmassif tool in VALGRIND_LIB");
   if (sh("valgrind --version >/dev/null 2>&1") != 0)
      skip("valgrind is not installed");

   FILE *fp = fopen("rs_print_blocker.c", "w");
   if (fp == NULL || fputs(client, fp) < 0 || fclose(fp) != 0) {
      check(0, "write rs_print_blocker.c");
      return unit_done();
   }
   const char *cc = getenv("CC");
   snprintf(cmd, sizeof cmd, "%s -g -O0 -o rs_print_blocker rs_print_blocker.c"
            " 2>cc.log", cc && *cc ? cc : "cc");
   if (sh(cmd) != 0)
      skip("cannot compile the client");
   int rc = sh("valgrind --tool=rssmassif --rssmassif-out-file=blocker.out "
               "./rs_print_blocker >client.out 2>valgrind.log");
   check(rc == 0, "valgrind --tool=rssmassif ran the client (exit %d)", rc);

   size_t len;
   char *file = read_all("blocker.out", &len);
   unsigned long long retained = 0;
   check(file && exit_retained(file, &retained),
         "the file has an exit line with heap_dead_res_B");
   /* The program's arithmetic: 4 MiB freed and written, below a live
    * block: at least 4 MiB less 4 pages is retained. */
   check(retained >= 4ULL * 1024 * 1024 - 4 * 4096,
         "retained %llu >= 4 MiB - 4 pages", retained);

   char *out, *err;
   rc = run_main(&out, &err, "blocker.out", NULL, NULL);
   check(rc == 0 && *err == '\0', "rs_print exits 0 (%d) %s", rc, err);
   char want[200], n1[RS_NUMBUF];
   snprintf(want, sizeof want, "  Retained: %s bytes (",
            rs_commify(retained, n1));
   const char *r = strstr(out, "\nAt exit (snapshot ");
   check(r && strstr(r, want) == strchr(r + 1, '\n') + 1,
         "the answer's first line states the exit line's retained bytes "
         "(%s)", n1);
   snprintf(want, sizeof want, "[heap_dead_res_B=%llu]", retained);
   check(strstr(out, want) != NULL, "and verbatim: %s", want);
   const char *b = strstr(out, "Trim blockers (");
   const char *bl = b ? strstr(b, "-byte block at ") : NULL;
   char site[64];
   snprintf(site, sizeof site, "main (rs_print_blocker.c:%d)", SMALL_LINE);
   check(bl && strncmp(bl - 2, "64", 2) == 0 && strstr(bl, site)
         && strstr(bl, site) < strchr(bl, '\n'),
         "trim blocker: the 64-byte block at %s", site);
   /* The first pinning site, on the line after "pinned by:". */
   const char *p = strstr(out, "pinned by:\n");
   const char *pl = p ? p + 11 : NULL;
   check(pl && strstr(pl, site) && strstr(pl, site) < strchr(pl, '\n'),
         "pinning call site: %s", site);
   check(strstr(out, "malloc_trim(0) would give back about ") != NULL,
         "trim estimate stated");
   snprintf(site, sizeof site, "main (rs_print_blocker.c:%d)", BIG_LINE);
   const char *d = strstr(out, "Freed heap pages by the code that mapped");
   check(d && strstr(d, site), "freed pages named by %s", site);
   free(out);
   free(err);

   rc = run_main(&out, &err, "--massif", "blocker.out", NULL);
   struct rs_error e;
   struct rs_file *g = rc == 0 ? rs_parse_buffer("export", out, strlen(out),
                                                 &e) : NULL;
   check(g && !g->is_rs && strstr(out, "#rs") == NULL,
         "--massif output has no #rs line and reads back");
   rs_file_free(g);
   free(out);
   free(err);
   free(file);
   return unit_done();
}
