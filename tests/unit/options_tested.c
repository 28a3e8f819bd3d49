/*
 * Every option rs_options.c accepts is tried with a valid value by some
 * test: each `"--NAME"` that rs_process_cmd_line_option matches must
 * appear as `--NAME=` on a `vgopts:` line, or on a `post:` line that runs
 * "$VALGRIND", of a tests/*.vgtest other than h_opt_bad.vgtest (which
 * tries only bad values).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPTS 64

static char opts[MAX_OPTS][64];
static int n_opts, found[MAX_OPTS];

/* Collects `"--name"` and `"--name="` from the option parser's lines. */
static int read_options(const char *path)
{
   char line[1024];
   int in_parser = 0;
   FILE *f = fopen(path, "r");
   if (!f)
      return -1;
   while (fgets(line, sizeof line, f)) {
      char *p = line, *q;
      if (strstr(line, "rs_process_cmd_line_option("))
         in_parser = 1;
      else if (in_parser && line[0] == '}')
         in_parser = 0;
      if (!in_parser)
         continue;
      while ((p = strstr(p, "\"--")) != NULL) {
         p += 1;
         q = p + 2;
         while ((*q >= 'a' && *q <= 'z') || *q == '-')
            q++;
         if ((*q == '"' || *q == '=') && n_opts < MAX_OPTS && q - p < 63) {
            memcpy(opts[n_opts], p, (size_t)(q - p));
            opts[n_opts][q - p] = 0;
            n_opts++;
         }
         p = q;
      }
   }
   fclose(f);
   return 0;
}

static void scan_vgtest(const char *path)
{
   char line[4096], want[80];
   int i;
   FILE *f = fopen(path, "r");
   if (!f)
      return;
   while (fgets(line, sizeof line, f)) {
      /* the run's own options, or a post: command's run of Valgrind */
      if (strncmp(line, "vgopts:", 7) != 0 &&
          !(strncmp(line, "post:", 5) == 0 && strstr(line, "$VALGRIND")))
         continue;
      for (i = 0; i < n_opts; i++) {
         snprintf(want, sizeof want, "%s=", opts[i]);
         if (strstr(line, want))
            found[i] = 1;
      }
   }
   fclose(f);
}

int main(void)
{
   const char *srcdir = getenv("SRCDIR"), *top = getenv("TOP_SRCDIR");
   char path[4096];
   struct dirent *e;
   DIR *d;
   int i, missing = 0;

   if (!srcdir || !top) {
      printf("SRCDIR and TOP_SRCDIR must be set (run me through tests/run)\n");
      return 77;
   }
   snprintf(path, sizeof path, "%s/rssmassif/rs_options.c", top);
   if (read_options(path) != 0 || n_opts < 10) {
      printf("not ok read the options of %s (%d found)\n", path, n_opts);
      return 1;
   }
   d = opendir(srcdir);
   if (!d)
      return 1;
   while ((e = readdir(d)) != NULL) {
      size_t n = strlen(e->d_name);
      if (n < 8 || strcmp(e->d_name + n - 7, ".vgtest") != 0 ||
          strcmp(e->d_name, "h_opt_bad.vgtest") == 0)
         continue;
      snprintf(path, sizeof path, "%s/%s", srcdir, e->d_name);
      scan_vgtest(path);
   }
   closedir(d);
   for (i = 0; i < n_opts; i++) {
      printf("%s %s: a vgopts: or post: line with %s=\n", found[i] ? "ok" : "not ok", opts[i], opts[i]);
      missing += !found[i];
   }
   return missing ? 1 : 0;
}
