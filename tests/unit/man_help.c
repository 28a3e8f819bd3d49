/*
 * man_help: the man page rssmassif(1) and `valgrind --tool=rssmassif
 * --help-debug` list the same options with the same help.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * 1. Runs the tool with --help-debug and reads its two sections ("user
 *    options for rssmassif:", "debugging options for rssmassif:"): an
 *    option starts on a line `    --SYNTAX  TEXT`, more lines of its help
 *    are indented.
 * 2. Reads BUILDDIR/../rssmassif/rssmassif.1 (the built man page, roff):
 *    the .TP paragraphs of section OPTIONS (user) and of its subsection
 *    "Debugging options", `.B SYNTAX` then the help, roff escapes undone.
 * 3. Both lists must hold the same options in the same order, each with
 *    the same text (white space normalised).
 * 4. Every "--NAME" that rs_options.c's parser accepts is in --help.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPTS 64

typedef struct {
   char syntax[128];
   char text[2048];
} Opt;

typedef struct {
   Opt opts[MAX_OPTS];
   int n;
} OptList;

static OptList help_user, help_debug, man_user, man_debug;
static int failures;

static void check(const char *what, int cond)
{
   printf("%s %s\n", cond ? "ok" : "not ok", what);
   if (!cond)
      failures++;
}

/* Appends WORDS to TEXT, one space between words. */
static void append_words(char *text, size_t size, const char *words)
{
   char buf[1024], *w, *save = NULL;
   snprintf(buf, sizeof buf, "%s", words);
   for (w = strtok_r(buf, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
      if (text[0])
         strncat(text, " ", size - strlen(text) - 1);
      strncat(text, w, size - strlen(text) - 1);
   }
}

static Opt *new_opt(OptList *l, const char *syntax)
{
   Opt *o;
   if (l->n >= MAX_OPTS)
      return NULL;
   o = &l->opts[l->n++];
   snprintf(o->syntax, sizeof o->syntax, "%s", syntax);
   o->text[0] = 0;
   return o;
}

/* 1: the tool's own sections of --help-debug. */
static int read_help(void)
{
   const char *vg = getenv("VALGRIND");
   char cmd[1024], line[1024];
   OptList *cur = NULL;
   Opt *o = NULL;
   FILE *f;
   snprintf(cmd, sizeof cmd, "'%s' --tool=rssmassif --help-debug 2>&1", vg ? vg : "valgrind");
   f = popen(cmd, "r");
   if (!f)
      return -1;
   while (fgets(line, sizeof line, f)) {
      if (strcmp(line, "  user options for rssmassif:\n") == 0)
         cur = &help_user, o = NULL;
      else if (strcmp(line, "  debugging options for rssmassif:\n") == 0)
         cur = &help_debug, o = NULL;
      else if (line[0] != ' ' || line[2] != ' ')
         cur = NULL;   /* a blank line or another section's title */
      else if (cur && strncmp(line, "    --", 6) == 0) {
         char *end = strstr(line + 4, "  ");
         if (!end)
            end = line + strcspn(line, "\n");
         *end = 0;
         o = new_opt(cur, line + 4);
         if (o)
            append_words(o->text, sizeof o->text, end + 1);
      } else if (cur && o)
         append_words(o->text, sizeof o->text, line);
   }
   return pclose(f) == 0 ? 0 : -1;
}

/* S with the roff escapes the generator writes undone, in place. */
static void unroff(char *s)
{
   char *r = s, *w = s;
   while (*r) {
      if (r[0] == '\\' && r[1] == '-') { *w++ = '-'; r += 2; }
      else if (r[0] == '\\' && r[1] == 'e') { *w++ = '\\'; r += 2; }
      else if (r[0] == '\\' && r[1] == '&') r += 2;
      else *w++ = *r++;
   }
   *w = 0;
}

/* 2: the .TP paragraphs of OPTIONS and its "Debugging options". */
static int read_man(const char *path)
{
   char line[1024];
   OptList *cur = NULL;
   Opt *o = NULL;
   int after_tp = 0;
   FILE *f = fopen(path, "r");
   if (!f)
      return -1;
   while (fgets(line, sizeof line, f)) {
      line[strcspn(line, "\n")] = 0;
      if (strncmp(line, ".SH ", 4) == 0) {
         cur = strcmp(line, ".SH OPTIONS") == 0 ? &man_user : NULL;
         o = NULL;
      } else if (strncmp(line, ".SS ", 4) == 0) {
         cur = cur && strcmp(line, ".SS Debugging options") == 0 ? &man_debug : NULL;
         o = NULL;
      } else if (strcmp(line, ".TP") == 0) {
         after_tp = 1;
         o = NULL;
      } else if (cur && after_tp && strncmp(line, ".B ", 3) == 0) {
         unroff(line);
         o = new_opt(cur, line + 3);
         after_tp = 0;
      } else if (cur && o && line[0] != '.') {
         unroff(line);
         append_words(o->text, sizeof o->text, line);
      } else if (line[0] == '.')
         o = NULL;   /* any other request ends the paragraph's text */
   }
   fclose(f);
   return 0;
}

static void compare(const char *what, const OptList *help, const OptList *man)
{
   char label[4096];
   int i;
   snprintf(label, sizeof label, "%s: --help lists %d options, the man page %d",
            what, help->n, man->n);
   check(label, help->n == man->n && help->n > 0);
   for (i = 0; i < help->n && i < man->n; i++) {
      const Opt *h = &help->opts[i], *m = &man->opts[i];
      snprintf(label, sizeof label, "%s %d: %s (man: %s)", what, i + 1, h->syntax, m->syntax);
      check(label, strcmp(h->syntax, m->syntax) == 0);
      snprintf(label, sizeof label, "%s %s: same help (--help: \"%s\"; man: \"%s\")",
               what, h->syntax, h->text, m->text);
      check(label, strcmp(h->text, m->text) == 0 && h->text[0]);
   }
}

static int in_help(const char *name)
{
   const OptList *lists[2] = { &help_user, &help_debug };
   int i, k;
   size_t n = strlen(name);
   for (k = 0; k < 2; k++)
      for (i = 0; i < lists[k]->n; i++)
         if (strncmp(lists[k]->opts[i].syntax, name, n) == 0 &&
             (lists[k]->opts[i].syntax[n] == '=' || lists[k]->opts[i].syntax[n] == 0))
            return 1;
   return 0;
}

/* 4: every "--name" of rs_process_cmd_line_option is in --help. */
static void check_parser(const char *top)
{
   char path[1024], line[1024], name[128], label[256];
   int in_parser = 0, n = 0;
   FILE *f;
   snprintf(path, sizeof path, "%s/rssmassif/rs_options.c", top);
   f = fopen(path, "r");
   if (!f) {
      check("read rssmassif/rs_options.c", 0);
      return;
   }
   while (fgets(line, sizeof line, f)) {
      char *p = line, *q;
      if (strstr(line, "rs_process_cmd_line_option("))
         in_parser = 1;
      else if (in_parser && line[0] == '}')
         in_parser = 0;
      while (in_parser && (p = strstr(p, "\"--")) != NULL) {
         p++;
         for (q = p + 2; (*q >= 'a' && *q <= 'z') || *q == '-'; q++)
            ;
         if ((*q == '"' || *q == '=') && q - p < (int)sizeof name) {
            memcpy(name, p, (size_t)(q - p));
            name[q - p] = 0;
            snprintf(label, sizeof label, "the parser's %s is in --help", name);
            check(label, in_help(name));
            n++;
         }
         p = q;
      }
   }
   fclose(f);
   check("the parser accepts at least 10 options", n >= 10);
}

int main(void)
{
   const char *builddir = getenv("BUILDDIR"), *top = getenv("TOP_SRCDIR");
   char man[1024];
   if (!builddir || !top) {
      printf("BUILDDIR and TOP_SRCDIR must be set (run me through tests/run)\n");
      return 77;
   }
   snprintf(man, sizeof man, "%s/../rssmassif/rssmassif.1", builddir);
   check("valgrind --tool=rssmassif --help-debug runs", read_help() == 0);
   check("the man page rssmassif/rssmassif.1 is built", read_man(man) == 0);
   compare("user options", &help_user, &man_user);
   compare("debugging options", &help_debug, &man_debug);
   check_parser(top);
   return failures ? 1 : 0;
}
