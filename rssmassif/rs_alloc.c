/*--------------------------------------------------------------------*/
/*--- rssmassif: which allocator serves the client.     rs_alloc.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_alloc.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_clientstate.h"

/* The allocator found so far (see rs_alloc.h for the rule), how it is
   loaded, and the object defining it (a copy: debug info can go away). */
static RsAllocKind  alloc_kind = RS_ALLOC_UNKNOWN;
static const HChar* alloc_via  = "unknown";
static HChar*       alloc_obj  = NULL;

const HChar* rs_alloc_name(RsAllocKind k)
{
   static const HChar* const names[RS_N_ALLOCS] = {
      "unknown", "glibc", "jemalloc", "tcmalloc", "mimalloc", "other"
   };
   return k < RS_N_ALLOCS ? names[k] : "unknown";
}

static const HChar* base_name(const HChar* path)
{
   const HChar* slash = VG_(strrchr)(path, '/');
   return slash ? slash + 1 : path;
}

static Bool starts_with(const HChar* s, const HChar* prefix)
{
   return VG_(strncmp)(s, prefix, VG_(strlen)(prefix)) == 0;
}

RsAllocKind rs_alloc_kind_of_object(const HChar* objname)
{
   const HChar* b = base_name(objname);
   if (starts_with(b, "libjemalloc"))  return RS_MUTANT_IS(26) ? RS_ALLOC_OTHER : RS_ALLOC_JEMALLOC;
   if (starts_with(b, "libtcmalloc"))  return RS_ALLOC_TCMALLOC;
   if (starts_with(b, "libmimalloc"))  return RS_ALLOC_MIMALLOC;
   if (starts_with(b, "libc.so") || starts_with(b, "libc-"))
      return RS_ALLOC_GLIBC;
   return RS_ALLOC_OTHER;
}

RsAllocKind rs_alloc_kind_of_fnname(const HChar* fn)
{
   if (starts_with(fn, "je_"))  return RS_ALLOC_JEMALLOC;
   if (starts_with(fn, "tc_"))  return RS_ALLOC_TCMALLOC;
   if (starts_with(fn, "mi_"))  return RS_ALLOC_MIMALLOC;
   return RS_ALLOC_OTHER;
}

/* Does a word of LD_PRELOAD name this object?  Its base name is the
   object's, or a prefix of it ending before a '.': the object is the
   file behind the link (libjemalloc.so.2 for libjemalloc.so). */
static Bool word_names_object(const HChar* w, SizeT wlen, const HChar* obj_base)
{
   const HChar* b = w + wlen;
   SizeT blen;
   while (b > w && b[-1] != '/')
      b--;
   blen = w + wlen - b;
   return blen > 0 && VG_(strncmp)(b, obj_base, blen) == 0
          && (obj_base[blen] == '\0' || obj_base[blen] == '.');
}

/* Is the object named in the client's LD_PRELOAD (words separated by
   ':' or spaces, as ld.so reads it)? */
static Bool is_preloaded(const HChar* objname)
{
   const HChar* pre = NULL;
   HChar** env;
   for (env = VG_(client_envp); env && *env; env++)
      if (starts_with(*env, "LD_PRELOAD="))
         pre = *env + 11;
   while (pre && *pre) {
      const HChar* end = pre;
      while (*end && *end != ':' && *end != ' ')
         end++;
      if (word_names_object(pre, end - pre, base_name(objname)))
         return True;
      pre = *end ? end + 1 : end;
   }
   return False;
}

static const HChar* via_of(RsAllocKind k, const HChar* objname)
{
   if (k == RS_ALLOC_GLIBC)
      return "default";
   if (is_preloaded(objname))
      return "preloaded";
   if (VG_STREQ(objname, VG_(args_the_exename))
       || VG_STREQ(base_name(objname), base_name(VG_(args_the_exename))))
      return "executable";
   return "linked";
}

void rs_alloc_note_real_fn(Addr fn)
{
   DiEpoch ep = VG_(current_DiEpoch)();
   const HChar* obj;
   const HChar* fnname;
   RsAllocKind k;
   if (alloc_kind != RS_ALLOC_UNKNOWN && alloc_kind != RS_ALLOC_GLIBC)
      return;                                  /* a non-glibc one stays */
   if (!VG_(get_objname)(ep, fn, &obj))
      return;
   k = rs_alloc_kind_of_object(obj);
   if (k == RS_ALLOC_OTHER && VG_(get_fnname)(ep, fn, &fnname))
      k = rs_alloc_kind_of_fnname(fnname);
   if (k == alloc_kind)
      return;
   alloc_kind = k;
   alloc_via = via_of(k, obj);
   if (alloc_obj)
      VG_(free)(alloc_obj);
   alloc_obj = VG_(strdup)("rs.alloc.obj", obj);
}

void rs_alloc_note_static(void)
{
   if (alloc_kind != RS_ALLOC_UNKNOWN)
      return;
   alloc_kind = RS_ALLOC_GLIBC;
   alloc_via = "static";
}

RsAllocKind  rs_alloc_kind(void)   { return alloc_kind; }
const HChar* rs_alloc_via(void)    { return alloc_via; }
const HChar* rs_alloc_object(void) { return alloc_obj; }

Bool rs_alloc_in_object(Addr ip)
{
   const HChar* obj;
   return alloc_obj != NULL
          && VG_(get_objname)(VG_(current_DiEpoch)(), ip, &obj)
          && VG_STREQ(obj, alloc_obj);
}
