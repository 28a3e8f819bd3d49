/*
 * h_dlopen_loop: dlopen/dlclose in a loop, two libraries alternately, 60
 * times.  The loader category must come back to where it started after
 * each dlclose (nothing leaks, nothing counted twice), and the heap blocks
 * the loader makes must come and go with the libraries.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Libraries: libz.so.1 and libm.so.6 (neither linked by this program).
 * Own view:
 *   span   the library's mapped span while open: from its first PT_LOAD
 *          segment's page to its last segment's end rounded up to a page
 *          (dl_iterate_phdr; ld.so maps that whole span and maps each
 *          segment MAP_FIXED inside it) -> loader_B grows by exactly span;
 *   heap   after the first two open/close cycles (which may leave loader
 *          state allocated for good), useful_B and blocks must not drift:
 *          each later cycle frees what it allocated.  (mallinfo2 cannot
 *          say so: its uordblks counts chunks parked in the tcache as in
 *          use, and that changes from cycle to cycle.)  The independent
 *          check of the heap is Memcheck's summary at exit
 *          (memcheck-compare in the .vgtest).
 */
#include "rs_client.h"

#include <dlfcn.h>
#include <link.h>

static const char *libs[2] = { "libz.so.1", "libm.so.6" };
static const char *files[2] = { "/libz.so.1", "/libm.so.6" };
static uintptr_t span_lo, span_hi;
static int which;

static int phdr_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
   int i;
   uintptr_t lo = UINTPTR_MAX, hi = 0;
   (void)size;
   (void)arg;
   if (!info->dlpi_name || !strstr(info->dlpi_name, files[which]))
      return 0;
   for (i = 0; i < info->dlpi_phnum; i++) {
      const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
      if (ph->p_type != PT_LOAD)
         continue;
      if (info->dlpi_addr + ph->p_vaddr < lo)
         lo = info->dlpi_addr + ph->p_vaddr;
      if (info->dlpi_addr + ph->p_vaddr + ph->p_memsz > hi)
         hi = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
   }
   span_lo = RS_PAGE_DOWN(lo);
   span_hi = RS_PAGE_UP(hi);
   return 1;
}

int main(void)
{
   struct rssmassif_totals base, t, after1;
   int i, bad_span = 0, bad_close = 0, bad_heap = 0;

   rs_init();
   free(malloc(1));
   rs_get(&base);
   for (i = 0; i < 60; i++) {
      void *h;
      which = i & 1;
      h = dlopen(libs[which], RTLD_NOW | RTLD_LOCAL);
      if (!h) {
         printf("not ok own: dlopen(%s): %s\n", libs[which], dlerror());
         return 1;
      }
      span_lo = span_hi = 0;
      dl_iterate_phdr(phdr_cb, NULL);
      if (span_hi <= span_lo) {
         printf("not ok own: no PT_LOAD span for %s\n", libs[which]);
         return 1;
      }
      if (rs_under_tool) {
         rs_get(&t);
         if ((long long)(t.loader_B - base.loader_B) != (long long)(span_hi - span_lo)) {
            if (bad_span++ < 3)
               rs_eq("loader_B grows by the library's span", (long long)(t.loader_B - base.loader_B),
                     (long long)(span_hi - span_lo));
         }
      }
      dlclose(h);
      if (rs_under_tool) {
         rs_get(&t);
         if (t.loader_B != base.loader_B && bad_close++ < 3)
            rs_eq("loader_B back after dlclose", (long long)t.loader_B, (long long)base.loader_B);
      }
      if (i == 1) {
         rs_get(&after1);
      } else if (i > 1 && (i % 20 == 1 || i == 59)) {
         if (rs_under_tool) {
            rs_get(&t);
            if (t.useful_B != after1.useful_B || t.blocks != after1.blocks) {
               bad_heap++;
               rs_eq("useful unchanged since the first cycles", (long long)t.useful_B,
                     (long long)after1.useful_B);
               rs_eq("blocks unchanged since the first cycles", (long long)t.blocks,
                     (long long)after1.blocks);
            }
         }
      }
   }
   if (rs_under_tool) {
      if (!bad_span)
         printf("ok loader_B grew by exactly the library's span in all 60 opens\n");
      if (!bad_close)
         printf("ok loader_B came back after all 60 closes\n");
      if (!bad_heap)
         printf("ok useful and blocks steady over 60 cycles\n");
      rs_expect_final("loader_B", "=", (long long)base.loader_B, 0);
   }
   return rs_finish();
}
