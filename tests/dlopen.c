/*
 * dlopen: a library loaded at run time by the dynamic loader grows the
 * loader category by its PT_LOAD segments, counted once (ld.so maps the
 * whole span, then maps each segment MAP_FIXED over it); dlclose gives them
 * back.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The library is libm.so.6 (part of libc6), which this program does not link (checked in
 * /proc/self/maps before dlopen).  Own view after dlopen:
 *   maps  = the bytes of the /proc/self/maps lines naming the library file;
 *   span  = its PT_LOAD segments from dl_iterate_phdr, from the first
 *           segment's page to the last segment's end rounded up to a page
 *           (file-backed pages plus any anonymous .bss tail).
 * Expected: loader_B grows by >= maps and by span within 4 pages (a double
 * count of the MAP_FIXED segments would add the whole span again); after
 * dlclose it is back where it started.
 */
#include "rs_client.h"

#include <dlfcn.h>
#include <link.h>

#define LIB "libm.so.6"
#define LIBFILE "/libm.so.6"

static long long maps_bytes;
static int maps_lines;

static void maps_cb(uintptr_t lo, uintptr_t hi, const char *perms, const char *path, void *arg)
{
   (void)perms;
   (void)arg;
   if (strstr(path, LIBFILE)) {
      maps_bytes += (long long)(hi - lo);
      maps_lines++;
   }
}

static long long span;

static int phdr_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
   uintptr_t lo = UINTPTR_MAX, hi = 0;
   int k;
   (void)size;
   (void)arg;
   if (!info->dlpi_name || !strstr(info->dlpi_name, LIBFILE))
      return 0;
   for (k = 0; k < info->dlpi_phnum; k++) {
      const ElfW(Phdr) *ph = &info->dlpi_phdr[k];
      if (ph->p_type != PT_LOAD)
         continue;
      if (info->dlpi_addr + ph->p_vaddr < lo)
         lo = info->dlpi_addr + ph->p_vaddr;
      if (info->dlpi_addr + ph->p_vaddr + ph->p_memsz > hi)
         hi = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
   }
   if (hi > lo)
      span = (long long)(RS_PAGE_UP(hi) - RS_PAGE_DOWN(lo));
   return 0;
}

static void measure(void)
{
   maps_bytes = 0;
   maps_lines = 0;
   span = 0;
   rs_maps_foreach(maps_cb, NULL);
   dl_iterate_phdr(phdr_cb, NULL);
}

int main(void)
{
   struct rssmassif_totals t0, t1, t2, t3;
   void *h;

   rs_init();
   measure();
   rs_own(LIB " is not loaded before dlopen", maps_lines == 0);
   rs_get(&t0);

   h = dlopen(LIB, RTLD_NOW);
   if (!h) {
      printf("not ok own: dlopen(%s): %s\n", LIB, dlerror());
      return 1;
   }
   rs_get(&t1);
   measure();
   printf("# after dlopen: %d maps lines, %lld bytes; PT_LOAD span %lld bytes\n",
          maps_lines, maps_bytes, span);
   rs_own("library in /proc/self/maps", maps_lines > 0 && maps_bytes > 0);
   rs_own("PT_LOAD span covers the maps lines", span >= maps_bytes && span > 0);
   if (rs_under_tool) {
      rs_ge("loader_B grows by >= the library's maps lines",
            (long long)(t1.loader_B - t0.loader_B), maps_bytes);
      rs_near("loader_B grows by the PT_LOAD span (counted once)",
              (long long)(t1.loader_B - t0.loader_B), span, RS_TOL_PAGES(4));
      rs_le("loader_res_B <= loader_B", (long long)t1.loader_res_B, (long long)t1.loader_B);
      rs_near("other_B unchanged by dlopen", (long long)t1.other_B, (long long)t0.other_B,
              RS_TOL_PAGES(4));
   }

   dlclose(h);
   rs_get(&t2);
   measure();
   rs_own(LIB " unloaded after dlclose", maps_lines == 0);
   if (rs_under_tool)
      rs_near("loader_B back after dlclose", (long long)t2.loader_B, (long long)t0.loader_B,
              RS_TOL_PAGES(1));

   /* load it again and keep it: the exit snapshot has it */
   h = dlopen(LIB, RTLD_NOW);
   if (!h) {
      printf("not ok own: dlopen again: %s\n", dlerror());
      return 1;
   }
   rs_get(&t3);
   measure();
   if (rs_under_tool) {
      rs_near("loader_B grows again by the span", (long long)(t3.loader_B - t2.loader_B), span,
              RS_TOL_PAGES(4));
      rs_expect_final("loader_B", ">=", (long long)t2.loader_B + maps_bytes, 0);
   }
   return rs_finish();
}
