/*
 * real_sites_glib -- a small client linked with Debian's GLib (g_malloc,
 * g_new, g_new0, g_realloc) under the tool: its sites are g_malloc's
 * callers (load_names, load_rows), and the two callers of a helper that is
 * not a wrapper (new_buffer) are told apart by their frame
 * ("new_buffer ← load_names"), no two lines of a section alike
 * (real_sites.h).  Skipped without GLib's development files
 * (libglib2.0-dev: quickstart installs it).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "real_sites.h"

static const char client[] =
   "/* written by tests/unit/real_sites_glib.c */\n"
   "#include <glib.h>\n"
   "typedef struct { int id; char name[60]; } Row;\n"
   "static gpointer keep[4096];\n"
   "static int n_keep;\n"
   "static gpointer big[4096];\n"
   "static int n_big;\n"
   "__attribute__((noinline)) static char *new_buffer(gsize n)\n"
   "{\n"
   "   char *p = g_malloc(n);\n"
   "   memset(p, 1, n);\n"
   "   return p;\n"
   "}\n"
   "__attribute__((noinline)) static void load_names(int n)\n"
   "{\n"
   "   for (int i = 0; i < n; i++) {\n"
   "      big[n_big++] = new_buffer(16000);\n"
   "      if (i % 4 == 0)\n"
   "         keep[n_keep++] = g_strdup_printf(\"name %d\", i);\n"
   "   }\n"
   "}\n"
   "__attribute__((noinline)) static void load_rows(int n)\n"
   "{\n"
   "   for (int i = 0; i < n; i++) {\n"
   "      Row *r = g_new0(Row, 250);\n"
   "      r = g_realloc(r, sizeof(Row) * 260);\n"
   "      big[n_big++] = r;\n"
   "      big[n_big++] = new_buffer(9000);\n"
   "      if (i % 4 == 0)\n"
   "         keep[n_keep++] = g_new(Row, 1);\n"
   "   }\n"
   "}\n"
   "int main(void)\n"
   "{\n"
   "   load_names(80);\n"
   "   load_rows(60);\n"
   "   keep[n_keep++] = g_malloc(64);\n"
   "   for (int i = 0; i < n_big; i++)\n"
   "      g_free(big[i]);\n"
   "   g_print(\"%d kept\\n\", n_keep);\n"
   "   return 0;\n"
   "}\n";

int main(void)
{
   real_need_tool();
   if (real_sh("pkg-config --exists glib-2.0") != 0)
      real_skip("GLib's development files are not installed (apt-get install libglib2.0-dev)");
   real_write("glib_client.c", client);
   if (real_sh("${CC:-cc} -g -O0 -o glib_client glib_client.c "
               "$(pkg-config --cflags --libs glib-2.0) 2>cc.log") != 0) {
      printf("not ok the GLib client compiles (cc.log)\n");
      return 1;
   }
   real_write("want",
              "want: new_buffer \\(glib_client\\.c:[0-9]+\\) \xe2\x86\x90 0x[0-9A-F]+: load_names \\(\n"
              "want: new_buffer \\(glib_client\\.c:[0-9]+\\) \xe2\x86\x90 0x[0-9A-F]+: load_rows \\(\n"
              "want: : load_rows \\(glib_client\\.c:[0-9]+\\)$\n");
   return real_sites("glib", "./glib_client",
                     ": g_(try_)?(malloc|malloc0|realloc|malloc_n|malloc0_n|realloc_n) |: (malloc|calloc|realloc) ",
                     "want");
}
