/*
 * rs_sites_check -- fails when a section lists two site lines that read
 * alike (issue 17: "No section of the answer prints two identical site
 * lines"), and checks that the expected site names are shown.
 *
 * Part of rssmassif's test suite.
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Usage:
 *   rs_sites_check [--file OUT] [--json JSON] [--text REPORT]
 *                  [--html DOM] [--want STDOUT] [--min N]
 *                  [--not-site ERE]...
 *
 *   --file OUT     an rssmassif.out file: in each snapshot, the at= of
 *                  the #rs.dead_site, #rs.pinned_site and #rs.live_site
 *                  lines are all different within each kind (blockers are
 *                  one line per block: two of equal stacks may share one);
 *   --json JSON    a --json-file: in each "dead_sites", "pinned_sites" and
 *                  "live_sites" array, the "at" strings all differ;
 *   --text REPORT  rs_print's report (or rs_compare's): within each
 *                  section (the lines between two headers) no two site
 *                  lines name the same site: retained sites, pinned
 *                  sites, trim blockers, the sites of the freed heap's
 *                  tree, rs_compare's retained sites;
 *   --html DOM     a page dumped by chromium --dump-dom: the answer's
 *                  <pre id="answer"> text, checked as --text;
 *   --want FILE    lines `want: ERE` (each must match a site of every
 *                  input given) and `want-blocker: ERE` (a whole trim
 *                  blocker line of --text / --html) (a test client's
 *                  stdout);
 *   --min N        every input lists at least N site lines (default 1):
 *                  a check that found no site at all checks nothing;
 *   --not-site ERE no site's first frame (the text before any " ← ")
 *                  matches ERE (for example an allocation wrapper's name).
 *
 * Prints one line per problem and exits 1 when there is any, else prints
 * `ok sites: ...` and exits 0.
 */
#define _GNU_SOURCE
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARROW " \xe2\x86\x90 "
#define MAX_SITES 4096

static int problems;

/* The sites of the current section of the current input. */
static char *sect[MAX_SITES];
static size_t n_sect;

static char *wants[256], *want_blockers[256];
static size_t n_wants, n_want_blockers;
static unsigned char want_seen[256], want_blocker_seen[256];
static regex_t not_site[16];
static size_t n_not_site;

/* The input being read, and how many site lines it had. */
static const char *input;
static size_t n_input_sites;

static void problem(const char *fmt, const char *a, const char *b)
{
   printf("rs_sites_check: %s: ", input);
   printf(fmt, a, b);
   printf("\n");
   problems++;
}

static void end_section(void)
{
   for (size_t i = 0; i < n_sect; i++)
      free(sect[i]);
   n_sect = 0;
}

static int matches(const char *re, const char *s)
{
   regex_t r;
   if (regcomp(&r, re, REG_EXTENDED | REG_NOSUB) != 0) {
      problem("bad ERE %s%s", re, "");
      return 0;
   }
   int ok = regexec(&r, s, 0, NULL, 0) == 0;
   regfree(&r);
   return ok;
}

/* One site line of a section, named `site`, in `section`. */
static void add_site(const char *section, const char *site, size_t len)
{
   char *s = strndup(site, len);
   if (s == NULL)
      exit(2);
   n_input_sites++;
   for (size_t i = 0; i < n_sect; i++)
      if (strcmp(sect[i], s) == 0)
         problem("two lines of %s read alike: %s", section, s);
   for (size_t i = 0; i < n_wants; i++)
      if (matches(wants[i], s))
         want_seen[i] = 1;
   size_t first = strstr(s, ARROW) ? (size_t)(strstr(s, ARROW) - s) : strlen(s);
   char *head = strndup(s, first);
   for (size_t i = 0; head && i < n_not_site; i++)
      if (regexec(&not_site[i], head, 0, NULL, 0) == 0)
         problem("a site of %s is named by an excluded frame: %s", section, s);
   free(head);
   if (n_sect < MAX_SITES)
      sect[n_sect++] = s;
   else
      free(s);
}

static char *read_file(const char *path)
{
   FILE *f = fopen(path, "rb");
   if (f == NULL) {
      printf("rs_sites_check: cannot read %s\n", path);
      exit(2);
   }
   size_t cap = 1 << 16, n = 0;
   char *buf = malloc(cap);
   size_t k;
   while (buf && (k = fread(buf + n, 1, cap - n - 1, f)) > 0) {
      n += k;
      if (n + 1 == cap)
         buf = realloc(buf, cap *= 2);
   }
   fclose(f);
   if (buf == NULL)
      exit(2);
   buf[n] = '\0';
   return buf;
}

static void begin_input(const char *name)
{
   input = name;
   n_input_sites = 0;
   memset(want_seen, 0, sizeof want_seen);
   memset(want_blocker_seen, 0, sizeof want_blocker_seen);
}

static void end_input(size_t min, int text)
{
   end_section();
   if (n_input_sites < min) {
      char n[32];
      snprintf(n, sizeof n, "%zu", n_input_sites);
      problem("%s site lines, fewer than expected%s", n, "");
   }
   for (size_t i = 0; i < n_wants; i++)
      if (!want_seen[i])
         problem("no site matches %s%s", wants[i], "");
   for (size_t i = 0; text && i < n_want_blockers; i++)
      if (!want_blocker_seen[i])
         problem("no trim blocker line matches %s%s", want_blockers[i], "");
}

/* ---- the output file ------------------------------------------------ */

static void check_file(const char *path, size_t min)
{
   static const char *const kinds[] = { "#rs.dead_site: ", "#rs.pinned_site: ",
                                        "#rs.live_site: " };
   char *buf = read_file(path), *line, *save = NULL;
   begin_input(path);
   /* One pass per kind: a section is one kind's lines of one snapshot. */
   for (int k = 0; k < 3; k++) {
      char *copy = strdup(buf);
      for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
         if (strncmp(line, "snapshot=", 9) == 0)
            end_section();
         if (strncmp(line, kinds[k], strlen(kinds[k])) != 0)
            continue;
         const char *at = strstr(line, " at=");
         if (at != NULL)
            add_site(kinds[k], at + 4, strlen(at + 4));
      }
      end_section();
      free(copy);
   }
   free(buf);
   end_input(min, 0);
}

/* ---- the JSON -------------------------------------------------------- */

/* The JSON string at p (after its opening quote), unescaped into out. */
static const char *json_string(const char *p, char *out, size_t cap)
{
   size_t n = 0;
   while (*p && *p != '"') {
      char c = *p++;
      if (c == '\\' && *p) {
         c = *p++;
         if (c == 'n')
            c = '\n';
         else if (c == 'u') {
            unsigned v = 0;
            sscanf(p, "%4x", &v);
            p += 4;
            c = (char)v;
         }
      }
      if (n + 1 < cap)
         out[n++] = c;
   }
   out[n] = '\0';
   return *p ? p + 1 : p;
}

static void check_json(const char *path, size_t min)
{
   static const char *const arrays[] = { "\"dead_sites\": [", "\"pinned_sites\": [",
                                         "\"live_sites\": [" };
   char *buf = read_file(path);
   char at[8192];
   begin_input(path);
   for (int k = 0; k < 3; k++) {
      const char *p = buf;
      while ((p = strstr(p, arrays[k])) != NULL) {
         p += strlen(arrays[k]);
         /* flat objects: the array ends at the first ']' outside a string */
         while (*p && *p != ']') {
            if (*p == '"') {
               char key[64];
               p = json_string(p + 1, key, sizeof key);
               if (strcmp(key, "at") == 0) {
                  while (*p == ':' || *p == ' ')
                     p++;
                  if (*p == '"') {
                     p = json_string(p + 1, at, sizeof at);
                     add_site(arrays[k], at, strlen(at));
                  }
               }
               continue;
            }
            p++;
         }
         end_section();
      }
   }
   free(buf);
   end_input(min, 0);
}

/* ---- rs_print's text ------------------------------------------------- */

/* Is `s` ("  12,345") a run of spaces, digits, commas, then `end`? */
static const char *after_number(const char *s)
{
   while (*s == ' ')
      s++;
   if (!((*s >= '0' && *s <= '9') || *s == '-'))
      return NULL;
   while ((*s >= '0' && *s <= '9') || *s == ',' || *s == '-')
      s++;
   return s;
}

static void want_blocker_line(const char *line)
{
   for (size_t i = 0; i < n_want_blockers; i++)
      if (matches(want_blockers[i], line))
         want_blocker_seen[i] = 1;
}

/* The site a report line names, or NULL: the line kinds of rs_print's
 * answer (rs_answer.c) and rs_compare's table (rs_compare.c). */
static const char *site_of(const char *line, int *compare_rows, const char **section)
{
   const char *p, *q;
   if ((p = strstr(line, " bytes retained (")) && (q = strstr(p, " freed): ")))
      return *section = "retained sites", q + 9;
   if (strncmp(line, "      ", 6) == 0 && (p = after_number(line))
       && (strncmp(p, " page (", 7) == 0 || strncmp(p, " pages (", 8) == 0)
       && (q = strstr(p, " useful bytes): ")))
      return *section = "pinned sites", q + 16;
   if (strncmp(line, "      ", 6) == 0 && (p = after_number(line))
       && (strncmp(p, "-byte block at ", 15) == 0 || strncmp(p, " blocks (", 9) == 0)
       && (q = strstr(p, " at ")) != NULL) {
      want_blocker_line(line + 6);
      return *section = "trim blockers", q + 4;
   }
   if (strncmp(line, "    ", 4) == 0 && (p = after_number(line))
       && strncmp(p, " bytes (", 8) == 0 && (q = strstr(p, "%) ")))
      return *section = "the freed heap's mapping sites", q + 3;
   if (*compare_rows && (p = after_number(line)) != NULL) {
      while ((q = after_number(p)) != NULL)
         p = q;
      if (strncmp(p, "  ", 2) == 0)
         return *section = "rs_compare's retained sites", p + 2;
   }
   return NULL;
}

static void check_text_buf(char *buf)
{
   char *line, *save = NULL;
   int compare_rows = 0;
   for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
      const char *section = NULL, *site;
      size_t len = strlen(line);
      if (strncmp(line, "Retained bytes at exit by the allocation site", 45) == 0) {
         end_section();
         compare_rows = 1;
         continue;
      }
      if ((site = site_of(line, &compare_rows, &section)) != NULL) {
         add_site(section, site, strlen(site));
         continue;
      }
      if (strncmp(line, "        keep", 12) == 0)
         continue;                      /* a trim blocker's second line */
      if (compare_rows && (strncmp(line, "pages (#rs.dead_site", 20) == 0
                           || (len >= 6 && strcmp(line + len - 6, "  site") == 0)))
         continue;                      /* rs_compare's table head */
      compare_rows = 0;
      end_section();                    /* any other line ends a section */
   }
}

static void check_text(const char *path, size_t min)
{
   char *buf = read_file(path);
   begin_input(path);
   check_text_buf(buf);
   free(buf);
   end_input(min, 1);
}

/* The answer of a dumped page: <pre ... id="answer">TEXT</pre>, its
 * entities decoded. */
static void check_html(const char *path, size_t min)
{
   char *buf = read_file(path);
   char *p = NULL, *q, *e, *o;
   /* the element the script built: the last one (the script's own text
      holds the same markup, as a string) */
   for (q = buf; (q = strstr(q, "id=\"answer\">")) != NULL; q++)
      p = q;
   begin_input(path);
   if (p == NULL || (e = strstr(p, "</pre>")) == NULL) {
      problem("no <pre id=\"answer\"> in the page%s%s", "", "");
      free(buf);
      return;
   }
   p += 12;
   *e = '\0';
   char *answer = p;
   for (o = p; *p; ) {
      static const char *const ent[][2] = { { "&lt;", "<" }, { "&gt;", ">" },
         { "&amp;", "&" }, { "&quot;", "\"" }, { "&#39;", "'" } };
      int done = 0;
      for (size_t k = 0; k < 5 && !done; k++)
         if (strncmp(p, ent[k][0], strlen(ent[k][0])) == 0) {
            *o++ = ent[k][1][0];
            p += strlen(ent[k][0]);
            done = 1;
         }
      if (!done)
         *o++ = *p++;
   }
   *o = '\0';
   check_text_buf(answer);
   free(buf);
   end_input(min, 1);
}

static void read_wants(const char *path)
{
   char *buf = read_file(path), *line, *save = NULL;
   for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
      if (strncmp(line, "want: ", 6) == 0 && n_wants < 256)
         wants[n_wants++] = strdup(line + 6);
      else if (strncmp(line, "want-blocker: ", 14) == 0 && n_want_blockers < 256)
         want_blockers[n_want_blockers++] = strdup(line + 14);
   }
   free(buf);
}

int main(int argc, char **argv)
{
   size_t min = 1, inputs = 0;
   for (int i = 1; i + 1 < argc; i += 2) {
      if (strcmp(argv[i], "--want") == 0)
         read_wants(argv[i + 1]);
      else if (strcmp(argv[i], "--min") == 0)
         min = strtoul(argv[i + 1], NULL, 10);
      else if (strcmp(argv[i], "--not-site") == 0 && n_not_site < 16) {
         if (regcomp(&not_site[n_not_site++], argv[i + 1], REG_EXTENDED | REG_NOSUB)) {
            printf("rs_sites_check: bad ERE %s\n", argv[i + 1]);
            return 2;
         }
      }
   }
   for (int i = 1; i < argc; i += 2) {
      if (i + 1 >= argc) {
         printf("rs_sites_check: %s needs a value\n", argv[i]);
         return 2;
      }
      if (strcmp(argv[i], "--file") == 0)
         check_file(argv[i + 1], min);
      else if (strcmp(argv[i], "--json") == 0)
         check_json(argv[i + 1], min);
      else if (strcmp(argv[i], "--text") == 0)
         check_text(argv[i + 1], min);
      else if (strcmp(argv[i], "--html") == 0)
         check_html(argv[i + 1], min);
      else if (strcmp(argv[i], "--want") && strcmp(argv[i], "--min")
               && strcmp(argv[i], "--not-site")) {
         printf("rs_sites_check: unknown option %s\n", argv[i]);
         return 2;
      } else
         continue;
      inputs++;
   }
   if (inputs == 0) {
      printf("rs_sites_check: nothing to check (--file, --json, --text or --html)\n");
      return 2;
   }
   if (problems)
      return 1;
   printf("ok sites: %zu input%s, no two site lines of a section alike\n",
          inputs, inputs == 1 ? "" : "s");
   return 0;
}
