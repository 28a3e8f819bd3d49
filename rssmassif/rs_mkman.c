/*--------------------------------------------------------------------*/
/*--- rssmassif: writes the man page rssmassif(1).     rs_mkman.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

/* A build-time program (plain C, not part of the tool):

      rs_mkman TEMPLATE VERSION > rssmassif.1

   copies TEMPLATE (rssmassif.1.in, roff), replacing @VERSION@ by VERSION
   and the lines @OPTIONS@ and @DEBUG_OPTIONS@ by the options of
   rs_options.def, the file whose text the tool prints for --help and
   --help-debug: the man page and --help cannot drift.  Each option becomes
   a .TP paragraph: the syntax in bold, then its help lines joined. */

#include <stdio.h>
#include <string.h>

typedef struct {
   int         debug;    /* listed by --help-debug only          */
   const char* syntax;   /* "--name=<value>"; NULL: one more line */
   const char* text;     /* one line of help                      */
} HelpLine;

#define RS_USER  0
#define RS_DEBUG 1
#define RS_OPT(kind, syntax, text) { kind, syntax, text },
#define RS_MORE(kind, text)        { kind, NULL, text },
static const HelpLine help_lines[] = {
#include "rs_options.def"
};

/* S as roff text: backslashes and hyphens escaped, and a leading
   '.' or '\'' (a roff request) neutralised. */
static void put_roff(const char* s, FILE* out)
{
   if (*s == '.' || *s == '\'')
      fputs("\\&", out);
   for (; *s; s++) {
      if (*s == '\\')      fputs("\\e", out);
      else if (*s == '-')  fputs("\\-", out);
      else                 fputc(*s, out);
   }
}

static void put_options(int debug, FILE* out)
{
   size_t i;
   for (i = 0; i < sizeof help_lines / sizeof help_lines[0]; i++) {
      const HelpLine* h = &help_lines[i];
      if (h->debug != debug)
         continue;
      if (h->syntax) {
         fputs(".TP\n.B ", out);
         put_roff(h->syntax, out);
         fputc('\n', out);
      }
      put_roff(h->text, out);
      fputc('\n', out);
   }
}

/* LINE with every @VERSION@ replaced by VERSION. */
static void put_line(const char* line, const char* version, FILE* out)
{
   const char* at;
   while ((at = strstr(line, "@VERSION@")) != NULL) {
      fwrite(line, 1, (size_t)(at - line), out);
      fputs(version, out);
      line = at + strlen("@VERSION@");
   }
   fputs(line, out);
}

int main(int argc, char** argv)
{
   char line[4096];
   FILE* in;
   if (argc != 3) {
      fprintf(stderr, "usage: rs_mkman TEMPLATE VERSION > rssmassif.1\n");
      return 2;
   }
   in = fopen(argv[1], "r");
   if (!in) {
      perror(argv[1]);
      return 1;
   }
   while (fgets(line, sizeof line, in)) {
      if (strcmp(line, "@OPTIONS@\n") == 0)
         put_options(RS_USER, stdout);
      else if (strcmp(line, "@DEBUG_OPTIONS@\n") == 0)
         put_options(RS_DEBUG, stdout);
      else
         put_line(line, argv[2], stdout);
   }
   fclose(in);
   return ferror(stdout) || fflush(stdout) != 0;
}
