/*--------------------------------------------------------------------*/
/*--- rssmassif: the allocator's frames in a stack.    rs_frames.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_frames.h"
#include "rs_alloc.h"
#include "rs_options.h"
#include "pub_tool_xarray.h"

/* Functions that allocate on behalf of their caller (Massif's list of
   allocation functions; --alloc-fn adds more). */
static const HChar* const default_alloc_fns[] = {
   "malloc", "calloc", "realloc", "reallocarray", "memalign",
   "aligned_alloc", "posix_memalign", "valloc", "pvalloc",
   "__builtin_new", "__builtin_vec_new",
   "operator new(unsigned long)", "operator new[](unsigned long)",
   "operator new(unsigned long, std::nothrow_t const&)",
   "operator new[](unsigned long, std::nothrow_t const&)",
   "operator new(unsigned long, std::align_val_t)",
   "operator new[](unsigned long, std::align_val_t)",
   "operator new(unsigned long, std::align_val_t, std::nothrow_t const&)",
   "operator new[](unsigned long, std::align_val_t, std::nothrow_t const&)",
   NULL
};

/* Well-known allocation wrappers, skipped like the functions above unless
   --keep-alloc-fns=yes: libiberty (gcc, binutils), GLib (g_new is a macro
   calling g_malloc_n), CPython, Perl. */
static const HChar* const default_wrappers[] = {
   "xmalloc", "xcalloc", "xrealloc", "xstrdup",
   "g_malloc", "g_malloc0", "g_realloc", "g_try_malloc", "g_try_malloc0",
   "g_try_realloc", "g_malloc_n", "g_malloc0_n", "g_realloc_n",
   "PyMem_Malloc", "PyMem_Calloc", "PyMem_Realloc",
   "PyObject_Malloc", "PyObject_Calloc", "PyObject_Realloc",
   "Perl_safesysmalloc", "Perl_safesyscalloc", "Perl_safesysrealloc",
   NULL
};
#define N_WRAPPERS (sizeof default_wrappers / sizeof default_wrappers[0] - 1)

/* wrapper_skipped[i]: default_wrappers[i] was skipped in some stack (the
   header's skipped_alloc_fns=). */
static Bool wrapper_skipped[N_WRAPPERS];

static Bool is_default_wrapper(const HChar* fn)
{
   UInt i;
   if (rs_clo.keep_alloc_fns || RS_MUTANT_IS(1701))
      return False;
   for (i = 0; i < N_WRAPPERS; i++)
      if (VG_STREQ(fn, default_wrappers[i])) {
         wrapper_skipped[i] = True;
         return True;
      }
   return False;
}

void rs_frames_format_skipped(RsText* t)
{
   UInt i;
   const HChar* sep = " skipped_alloc_fns=";
   if (RS_MUTANT_IS(1702))
      return;
   for (i = 0; i < N_WRAPPERS; i++)
      if (wrapper_skipped[i]) {
         rs_text_printf(t, "%s%s", sep, default_wrappers[i]);
         sep = ",";
      }
}

static Bool in_list(const HChar* fn, XArray* names)
{
   Word i;
   for (i = 0; i < VG_(sizeXA)(names); i++)
      if (VG_STREQ(fn, *(HChar**)VG_(indexXA)(names, i)))
         return True;
   return False;
}

Bool rs_frames_is_alloc_fn(DiEpoch ep, Addr ip)
{
   const HChar* fn;
   UInt i;
   if (!VG_(get_fnname)(ep, ip, &fn))
      return False;
   for (i = 0; default_alloc_fns[i] != NULL; i++)
      if (VG_STREQ(fn, default_alloc_fns[i]))
         return True;
   return in_list(fn, rs_clo.alloc_fns) || is_default_wrapper(fn);
}

Bool rs_frames_is_ignored_fn(DiEpoch ep, Addr ip)
{
   const HChar* fn;
   return VG_(sizeXA)(rs_clo.ignore_fns) > 0
          && VG_(get_fnname)(ep, ip, &fn) && in_list(fn, rs_clo.ignore_fns);
}

static Bool in_preload(DiEpoch ep, Addr ip)
{
   const HChar* obj;
   return VG_(get_objname)(ep, ip, &obj)
          && VG_(strstr)(obj, "vgpreload_rssmassif") != NULL;
}

Bool rs_frames_is_alloc_internal(DiEpoch ep, Addr ip)
{
   return in_preload(ep, ip) || rs_alloc_in_object(ip)
          || rs_frames_is_alloc_fn(ep, ip);
}

UInt rs_frames_alloc_cut(const Addr* ips, UInt n)
{
   DiEpoch ep = VG_(current_DiEpoch)();
   UInt t = 0, i;
   Bool wrapped = False;
   for (i = 0; i < n; i++)
      if (in_preload(ep, ips[i])) {
         t = i + 1;                    /* past the outermost wrapper */
         wrapped = True;
      }
   /* Past a wrapper the frames are the allocator's callers: only
      allocation functions (operator new calling malloc) are skipped.
      Without one (an allocator entry the preload does not wrap, such as
      tcmalloc's own operator new) the allocator's object is skipped. */
   while (t < n && (wrapped ? rs_frames_is_alloc_fn(ep, ips[t])
                            : rs_frames_is_alloc_internal(ep, ips[t])))
      t++;
   if (RS_MUTANT_IS(27) && t > 0)
      t--;
   return t < n ? t : (n > 0 ? n - 1 : 0);
}
