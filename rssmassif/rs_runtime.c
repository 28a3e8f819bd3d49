/*--------------------------------------------------------------------*/
/*--- rssmassif: runtimes with allocators of their own. rs_runtime.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_runtime.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_hashtable.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_mallocfree.h"

/* Frames looked at from the top of a stack. */
#define SCAN_FRAMES 10

/* CPython's arena sizes on 64-bit: 256 KiB (up to 3.9), 1 MiB (3.10+). */
#define PY_ARENA_OLD_B (256 * 1024)
#define PY_ARENA_B     (1024 * 1024)

typedef struct _Classified {
   struct _Classified* next;
   UWord     key;             /* the stack's ECU */
   RsRuntime rt;
} Classified;

/* The classified stacks (only those of some runtime); NULL before the
   first. */
static VgHashTable* classified;
/* A block stack was classified (rs_runtime_any_block). */
static Bool any_block;

static void remember(ExeContext* where, RsRuntime rt)
{
   Classified* c;
   if (rt == RS_RT_NONE || rs_runtime_of(where) != RS_RT_NONE)
      return;
   if (classified == NULL)
      classified = VG_(HT_construct)("rs.runtime.classified");
   c = VG_(malloc)("rs.runtime.node", sizeof *c);
   c->key = VG_(get_ECU_from_ExeContext)(where);
   c->rt = rt;
   VG_(HT_add_node)(classified, c);
}

RsRuntime rs_runtime_of(ExeContext* where)
{
   Classified* c;
   if (classified == NULL || where == NULL)
      return RS_RT_NONE;
   c = VG_(HT_lookup)(classified, VG_(get_ECU_from_ExeContext)(where));
   return c ? c->rt : RS_RT_NONE;
}

Bool rs_runtime_any_block(void) { return any_block; }

static Bool fn_at(DiEpoch ep, Addr ip, const HChar** fn)
{
   return VG_(get_fnname)(ep, ip, fn);
}

/* The file name of the object holding ip starts with `prefix`. */
static Bool obj_starts(DiEpoch ep, Addr ip, const HChar* prefix)
{
   const HChar* obj;
   const HChar* base;
   if (!VG_(get_objname)(ep, ip, &obj))
      return False;
   base = VG_(strrchr)(obj, '/');
   base = base ? base + 1 : obj;
   return VG_(strncmp)(base, prefix, VG_(strlen)(prefix)) == 0;
}

/* pymalloc's arena mmap: its functions by name (with debug symbols), or
   (Debian's stripped python3) an arena-sized mapping made from the
   interpreter's object just above mmap. */
static Bool is_pymalloc(DiEpoch ep, const Addr* ips, Int n, SizeT len)
{
   Int i;
   const HChar* fn;
   for (i = 0; i < n && i < SCAN_FRAMES; i++)
      if (fn_at(ep, ips[i], &fn)
          && (VG_STREQ(fn, "_PyObject_ArenaMmap") || VG_STREQ(fn, "new_arena")))
         return True;
   if (len != PY_ARENA_B && len != PY_ARENA_OLD_B)
      return False;
   for (i = 0; i < n && i < 3; i++)
      if (obj_starts(ep, ips[i], "python") || obj_starts(ep, ips[i], "libpython"))
         return True;
   return False;
}

void rs_runtime_note_mmap(ExeContext* where, SizeT len)
{
   DiEpoch ep = VG_(current_DiEpoch)();
   const Addr* ips;
   const HChar* fn;
   Int n, i;
   if (where == NULL || rs_runtime_of(where) != RS_RT_NONE)
      return;
   ips = VG_(get_ExeContext_StackTrace)(where);
   n = VG_(get_ExeContext_n_ips)(where);
   if (is_pymalloc(ep, ips, n, len)) {
      remember(where, RS_MUTANT_IS(1720) ? RS_RT_NONE : RS_RT_PYMALLOC);
      return;
   }
   for (i = 0; i < n && i < SCAN_FRAMES; i++) {
      const HChar* obj;
      if (fn_at(ep, ips[i], &fn) && VG_(strncmp)(fn, "runtime.", 8) == 0) {
         remember(where, RS_MUTANT_IS(1725) ? RS_RT_NONE : RS_RT_GO);
         return;
      }
      if (VG_(get_objname)(ep, ips[i], &obj) && VG_(strstr)(obj, "libjvm.so")) {
         remember(where, RS_MUTANT_IS(1726) ? RS_RT_NONE : RS_RT_JAVA);
         return;
      }
   }
}

/* GLib's slab: g_slice_alloc below the allocator's caller, with no
   g_malloc between (G_SLICE=always-malloc: g_slice_alloc calls g_malloc).
   Perl's arenas: Perl_more_sv, Perl_more_bodies. */
void rs_runtime_note_block(ExeContext* where)
{
   DiEpoch ep = VG_(current_DiEpoch)();
   const Addr* ips;
   const HChar* fn;
   Int n, i;
   if (where == NULL)
      return;
   ips = VG_(get_ExeContext_StackTrace)(where);
   n = VG_(get_ExeContext_n_ips)(where);
   for (i = 0; i < n && i < SCAN_FRAMES; i++) {
      if (!fn_at(ep, ips[i], &fn))
         continue;
      if (VG_(strncmp)(fn, "g_malloc", 8) == 0 || VG_(strncmp)(fn, "g_try_malloc", 12) == 0)
         return;
      if (VG_(strncmp)(fn, "g_slice_alloc", 13) == 0 && !RS_MUTANT_IS(1723)) {
         any_block = True;
         remember(where, RS_RT_GLIB_SLICE);
         return;
      }
      if ((VG_STREQ(fn, "Perl_more_sv") || VG_STREQ(fn, "Perl_more_bodies"))
          && !RS_MUTANT_IS(1724)) {
         any_block = True;
         remember(where, RS_RT_PERL);
         return;
      }
   }
}

const HChar* rs_runtime_name(RsRuntime rt)
{
   switch (rt) {
   case RS_RT_PYMALLOC:   return "pymalloc";
   case RS_RT_GLIB_SLICE: return "glib_slice";
   case RS_RT_PERL:       return "perl";
   case RS_RT_GO:         return "go";
   case RS_RT_JAVA:       return "java";
   default:               return "none";
   }
}
