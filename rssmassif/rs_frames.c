/*--------------------------------------------------------------------*/
/*--- rssmassif: the allocator's frames in a stack.    rs_frames.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_frames.h"
#include "rs_alloc.h"
#include "rs_options.h"
#include "rs_runtime.h"
#include "pub_tool_xarray.h"
#include "pub_tool_hashtable.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_execontext.h"

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

/* alloc_fn_skipped[i]: the i-th --alloc-fn name was skipped in some stack
   (allocated on the first skip; NULL before). */
static Bool* alloc_fn_skipped;

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

static Bool is_user_alloc_fn(const HChar* fn)
{
   Word i, n = VG_(sizeXA)(rs_clo.alloc_fns);
   for (i = 0; i < n; i++)
      if (VG_STREQ(fn, *(HChar**)VG_(indexXA)(rs_clo.alloc_fns, i))) {
         if (alloc_fn_skipped == NULL)
            alloc_fn_skipped = VG_(calloc)("rs.frames.afs", n, sizeof(Bool));
         alloc_fn_skipped[i] = !RS_MUTANT_IS(1710);
         return True;
      }
   return False;
}

/* ------------------------------------------------------------------ */
/* Wrappers recognised during the run (--auto-alloc-fns=yes).          */
/* ------------------------------------------------------------------ */

/* A function found directly above an allocation function in a block's
   allocation stack, whose name says it allocates. */
typedef struct {
   HChar* name;          /* its name, as VG_(get_fnname) gives it        */
   Addr*  callers;       /* distinct return addresses into its callers,
                            at most rs_clo.auto_alloc_callers of them   */
   UInt   n_callers;
   Bool   recognised;    /* n_callers reached rs_clo.auto_alloc_callers  */
} Candidate;

/* The candidates (Candidate), in the order first seen; NULL before. */
static XArray* candidates;
/* The ECUs of the stacks rs_frames_note_stack examined; emptied when a
   wrapper is recognised, so that the stacks through it are examined again
   for a wrapper above it.  NULL before the first. */
static VgHashTable* examined;
/* The stack examined last (a loop allocates from one stack). */
static ExeContext* last_examined;

/* Does the function's own name say it allocates?  name has no namespaces,
   template arguments or parameters (base_name). */
static Bool says_alloc(const HChar* name)
{
   HChar low[128];
   UInt i, n = VG_(strlen)(name);
   if (n >= sizeof low)
      n = sizeof low - 1;
   for (i = 0; i < n; i++)
      low[i] = VG_(tolower)(name[i]);
   low[n] = 0;
   if (VG_(strstr)(low, "alloc") || VG_(strstr)(low, "strdup")
       || VG_(strstr)(low, "strndup") || VG_(strstr)(low, "memdup"))
      return !RS_MUTANT_IS(1711);
   for (i = 0; i + 3 <= n; i++) {          /* "new" as a word of the name */
      HChar next = name[i + 3];
      Bool start = i == 0 || name[i - 1] == '_'
                   || (name[i] == 'N' && name[i - 1] >= 'a' && name[i - 1] <= 'z');
      Bool end = next == 0 || next == '_' || VG_(isdigit)(next)
                 || (next >= 'A' && next <= 'Z');
      if (VG_(strncmp)(low + i, "new", 3) == 0 && start && end)
         return True;
   }
   return RS_MUTANT_IS(1712);
}

/* "ns::cls<T>::fn<U>(int) const" -> "fn" into buf (C names unchanged). */
static void base_name(const HChar* fn, HChar* buf, UInt size)
{
   UInt k = 0, depth = 0;
   const HChar* anon = "(anonymous namespace)";
   UInt anon_n = VG_(strlen)(anon);
   for (; *fn && k + 1 < size; fn++) {
      if (VG_(strncmp)(fn, anon, anon_n) == 0)
         fn += anon_n - 1;
      else if (*fn == '<')
         depth++;
      else if (*fn == '>' && depth > 0)
         depth--;
      else if (depth == 0 && *fn == '(')
         break;
      else if (depth == 0 && fn[0] == ':' && fn[1] == ':') {
         k = 0;
         fn++;
      } else if (depth == 0)
         buf[k++] = *fn;
   }
   buf[k] = 0;
}

static Candidate* candidate(const HChar* fn)
{
   Word i;
   Candidate c;
   if (candidates == NULL)
      candidates = VG_(newXA)(VG_(malloc), "rs.frames.cands", VG_(free),
                              sizeof(Candidate));
   for (i = 0; i < VG_(sizeXA)(candidates); i++) {
      Candidate* old = VG_(indexXA)(candidates, i);
      if (VG_STREQ(old->name, fn))
         return old;
   }
   c.name = VG_(strdup)("rs.frames.cname", fn);
   c.callers = VG_(calloc)("rs.frames.ccallers", rs_clo.auto_alloc_callers,
                           sizeof(Addr));
   c.n_callers = 0;
   c.recognised = False;
   VG_(addToXA)(candidates, &c);
   return VG_(indexXA)(candidates, VG_(sizeXA)(candidates) - 1);
}

static void note_caller(const HChar* fn, Addr caller_ip)
{
   Candidate* c = candidate(fn);
   UInt i;
   if (c->recognised)
      return;
   for (i = 0; i < c->n_callers; i++)
      if (c->callers[i] == caller_ip && !RS_MUTANT_IS(1713))
         return;
   c->callers[c->n_callers++] = caller_ip;
   if (c->n_callers >= (UInt)rs_clo.auto_alloc_callers) {
      c->recognised = True;
      VG_(HT_destruct)(examined, VG_(free));
      examined = VG_(HT_construct)("rs.frames.examined");
      last_examined = NULL;
   }
}

static Bool auto_on(void)
{
   return rs_clo.auto_alloc_fns && !rs_clo.keep_alloc_fns && !RS_MUTANT_IS(1714);
}

static Bool is_recognised(const HChar* fn)
{
   Word i;
   if (candidates == NULL || !auto_on())
      return False;
   for (i = 0; i < VG_(sizeXA)(candidates); i++) {
      Candidate* c = VG_(indexXA)(candidates, i);
      if (c->recognised && VG_STREQ(c->name, fn))
         return True;
   }
   return False;
}


/* Was the stack ec examined before?  Marks it examined. */
static Bool seen_before(ExeContext* ec)
{
   UWord ecu;
   VgHashNode* node;
   if (ec == last_examined)
      return True;
   last_examined = ec;
   ecu = VG_(get_ECU_from_ExeContext)(ec);
   if (examined == NULL)
      examined = VG_(HT_construct)("rs.frames.examined");
   if (VG_(HT_lookup)(examined, ecu) != NULL)
      return True;
   node = VG_(malloc)("rs.frames.exnode", sizeof *node);
   node->key = ecu;
   VG_(HT_add_node)(examined, node);
   return False;
}

void rs_frames_note_stack(ExeContext* ec)
{
   DiEpoch ep = VG_(current_DiEpoch)();
   const Addr* ips;
   const HChar* fn;
   HChar base[128];
   Int n, t = 0;
   if (ec == NULL || seen_before(ec))
      return;
   rs_runtime_note_block(ec);
   if (!auto_on())
      return;
   ips = VG_(get_ExeContext_StackTrace)(ec);
   n = VG_(get_ExeContext_n_ips)(ec);
   while (t + 1 < n && rs_frames_is_alloc_fn(ep, ips[t]))
      t++;
   if (t + 1 >= n || !VG_(get_fnname)(ep, ips[t], &fn))
      return;
   base_name(fn, base, sizeof base);
   if (says_alloc(base))
      note_caller(fn, ips[t + 1]);
}

/* ------------------------------------------------------------------ */
/* The header's lists of wrappers.                                     */
/* ------------------------------------------------------------------ */

/* sep, then a name as one header value: ' ', ',', '=', '%' and control
   characters as %XX (a C++ name has spaces and commas). */
static void format_name(RsText* t, const HChar* sep, const HChar* name)
{
   rs_text_printf(t, "%s", sep);
   for (; *name; name++) {
      UChar c = (UChar)*name;
      if (c <= ' ' || c == ',' || c == '=' || c == '%' || c >= 0x7f)
         rs_text_printf(t, "%%%02X", c);
      else
         rs_text_printf(t, "%c", c);
   }
}

/* The recognised wrappers, *sep before the first and "," between. */
static void format_recognised(RsText* t, const HChar** sep)
{
   Word i;
   if (candidates == NULL || !auto_on())
      return;
   for (i = 0; i < VG_(sizeXA)(candidates); i++) {
      Candidate* c = VG_(indexXA)(candidates, i);
      if (c->recognised) {
         format_name(t, *sep, c->name);
         *sep = ",";
      }
   }
}

void rs_frames_format_skipped(RsText* t)
{
   Word i;
   const HChar* sep = " skipped_alloc_fns=";
   if (RS_MUTANT_IS(1702))
      return;
   for (i = 0; i < (Word)N_WRAPPERS; i++)
      if (wrapper_skipped[i]) {
         format_name(t, sep, default_wrappers[i]);
         sep = ",";
      }
   for (i = 0; alloc_fn_skipped != NULL && i < VG_(sizeXA)(rs_clo.alloc_fns); i++)
      if (alloc_fn_skipped[i]) {
         format_name(t, sep, *(HChar**)VG_(indexXA)(rs_clo.alloc_fns, i));
         sep = ",";
      }
   format_recognised(t, &sep);
   sep = " auto_alloc_fns=";
   format_recognised(t, &sep);
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
   return is_user_alloc_fn(fn) || is_default_wrapper(fn) || is_recognised(fn);
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
