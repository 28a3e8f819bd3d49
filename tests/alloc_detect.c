/*
 * alloc_detect: the header's allocator keys name the allocator that serves
 * the program (docs/format.md: allocator=, allocator_via=).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Own view: the dynamic linker's answer.  dlsym(RTLD_DEFAULT, "malloc")
 * is the malloc the program's calls reach; dladdr() names the object
 * defining it; the object is "preloaded" when a word of LD_PRELOAD names
 * it.  The program writes the keys it expects to allocator.exp, which the
 * .vgtest's post: command looks for in the output file's header.  The
 * .vgtest files run it with glibc, and with jemalloc, tcmalloc and
 * mimalloc preloaded (env: LD_PRELOAD) and linked (alloc_detect_*.c).
 */
#include "rs_client.h"
#include <dlfcn.h>

static const char *base(const char *p)
{
   const char *s = strrchr(p, '/');
   return s ? s + 1 : p;
}

static const char *kind_of(const char *obj)
{
   const char *b = base(obj);
   if (strncmp(b, "libjemalloc", 11) == 0) return "jemalloc";
   if (strncmp(b, "libtcmalloc", 11) == 0) return "tcmalloc";
   if (strncmp(b, "libmimalloc", 11) == 0) return "mimalloc";
   if (strncmp(b, "libc.so", 7) == 0) return "glibc";
   return "other";
}

/* A word of LD_PRELOAD whose base name is the object's or a prefix of it
 * ending before a '.' (a link to the versioned file). */
static int preloaded(const char *obj)
{
   const char *env = getenv("LD_PRELOAD");
   char buf[4096], *save = NULL, *w;
   if (env == NULL)
      return 0;
   snprintf(buf, sizeof buf, "%s", env);
   for (w = strtok_r(buf, ": ", &save); w; w = strtok_r(NULL, ": ", &save)) {
      size_t n = strlen(base(w));
      if (strncmp(base(w), base(obj), n) == 0
          && (base(obj)[n] == '\0' || base(obj)[n] == '.'))
         return 1;
   }
   return 0;
}

int main(void)
{
   Dl_info info;
   void *fn = dlsym(RTLD_DEFAULT, "malloc");
   const char *kind, *via;
   FILE *f;
   int i;
   void *p[100];

   rs_init();
   rs_own("dladdr(malloc)", fn != NULL && dladdr(fn, &info) && info.dli_fname);
   kind = kind_of(info.dli_fname);
   via = strcmp(kind, "glibc") == 0 ? "default" : preloaded(info.dli_fname) ? "preloaded" : "linked";
   printf("# malloc is in %s: allocator=%s allocator_via=%s\n", info.dli_fname, kind, via);
   f = fopen("allocator.exp", "w");
   rs_own("write allocator.exp", f != NULL);
   fprintf(f, "allocator=%s allocator_via=%s\n", kind, via);
   fclose(f);
   for (i = 0; i < 100; i++)
      p[i] = malloc(1000 + i);
   for (i = 0; i < 100; i++)
      free(p[i]);
   return rs_finish();
}
