/*--------------------------------------------------------------------*/
/*--- rssmassif: client mappings and their origin.   rs_mappings.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_frames.h"
#include "rs_runtime.h"
#include "rs_alloc.h"
#include "rs_mappings.h"
#include "rs_options.h"
#include "rs_snapshot.h"
#include "rs_static.h"
#include "pub_tool_aspacemgr.h"
#include "pub_tool_rangemap.h"
#include "pub_tool_hashtable.h"
#include "pub_tool_tooliface.h"
#include "pub_tool_stacktrace.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_vkiscnums.h"
#include "rs_clreq_ids.h"

RsMapCounters rs_map_counters;

/* Valgrind's core knows the client's initial stack and break; these are
   not in the pub_tool headers but are linked into every tool. */
extern Addr VG_(clstk_end);
extern Addr VG_(brk_base);

/* madvise advice values (not all are in Valgrind 3.19's vki headers). */
#define RS_MADV_DONTNEED 4
#define RS_MADV_FREE     8

/* Frames examined to decide a mapping's origin: enough to get from the
   mmap syscall through glibc's allocator to our wrapper. */
#define CLASSIFY_DEPTH 48

static RangeMap* page_map;        /* page-aligned address -> RsMapSite* */

/* ------------------------------------------------------------------ */
/* Sites: interned (origin, stack) pairs.                              */
/* ------------------------------------------------------------------ */

typedef struct _SiteNode {
   struct _SiteNode* next;
   UWord             key;         /* hash of (origin, where) */
   RsMapSite         site;
} SiteNode;

static VgHashTable* sites;

static const RsMapSite* intern_colored(RsOrigin origin, ExeContext* where,
                                       UInt color)
{
   UWord key = ((UWord)where << 4) | ((UWord)origin << 2) | color;
   SiteNode* n = VG_(HT_lookup)(sites, key);
   if (n != NULL)
      return &n->site;
   n = RS_MALLOC("rs.mappings.site", sizeof *n);
   n->key = key;
   n->site.origin = origin;
   n->site.where  = where;
   n->site.color  = color;
   VG_(HT_add_node)(sites, n);
   return &n->site;
}

static const RsMapSite* intern_site(RsOrigin origin, ExeContext* where)
{
   return intern_colored(origin, where, 0);
}

/* ------------------------------------------------------------------ */
/* The page map.                                                       */
/* ------------------------------------------------------------------ */

/* Bytes of heap pages in the map (kept in step with every rebinding),
   so that a shrinking heap can be noticed before it shrinks. */
static ULong heap_mapped_B;
/* True while a mremap runs: its events leave the map briefly holding
   both the old and the new place, which is no peak. */
static Bool  in_mremap;

static Bool is_heap(const RsMapSite* site)
{
   return site != NULL && site->origin == RS_ORIGIN_HEAP;
}

/* Heap bytes bound in [lo, hi). */
static ULong heap_bytes_in(Addr lo, Addr hi)
{
   ULong sum = 0;
   Addr a = lo;
   while (a < hi) {
      UWord klo, khi, val;
      Addr stop;
      VG_(lookupRangeMap)(&klo, &khi, &val, page_map, a);
      stop = (khi == ~(UWord)0 || khi + 1 > hi) ? hi : khi + 1;
      if (is_heap((const RsMapSite*)val))
         sum += stop - a;
      a = stop;
   }
   return sum;
}

/* While the peak snapshot before a heap shrink is taken, [flux_lo,
   flux_hi) is the range about to be rebound: the core may have unmapped
   it already (the tool hears of an munmap after it is done). */
static Addr flux_lo, flux_hi;

void rs_mappings_in_flux(Addr* lo, Addr* hi)
{
   *lo = flux_lo;
   *hi = flux_hi;
}

/* Binds the pages [lo, hi) to site (NULL: unmapped).  The one place
   that changes the map. */
static void rebind(Addr lo, Addr hi, const RsMapSite* site)
{
   ULong old_heap_B, new_heap_B;
   if (hi <= lo)
      return;
   old_heap_B = heap_bytes_in(lo, hi);
   new_heap_B = is_heap(site) ? hi - lo : 0;
   if (new_heap_B < old_heap_B && !in_mremap) {
      flux_lo = lo;
      flux_hi = hi;
      rs_snapshot_before_heap_shrink(heap_mapped_B);
      flux_lo = flux_hi = 0;
   }
   VG_(bindRangeMap)(page_map, lo, hi - 1, (UWord)site);
   heap_mapped_B = heap_mapped_B - old_heap_B + new_heap_B;
}

static Bool same_mapping_site(const RsMapSite* a, const RsMapSite* b)
{
   return a != NULL && b != NULL && a->origin == b->origin && a->where == b->where;
}

/* The colour of site for [lo, hi) that differs from both neighbours made
   from the same site (brk pieces excepted: they form one heap). */
static const RsMapSite* colored_for(const RsMapSite* site, Addr lo, Addr hi,
                                    Bool is_brk)
{
   const RsMapSite* left  = lo >= RS_PAGE_B ? rs_mappings_site_at(lo - RS_PAGE_B) : NULL;
   const RsMapSite* right = rs_mappings_site_at(hi);
   UInt c;
   if (site == NULL || is_brk)
      return site;
   for (c = 0; c < 3; c++) {
      if (same_mapping_site(site, left) && left->color == c) continue;
      if (same_mapping_site(site, right) && right->color == c) continue;
      break;
   }
   return intern_colored(site->origin, site->where, c);
}

static void bind_pages_as(Addr a, SizeT len, const RsMapSite* site, Bool is_brk)
{
   Addr lo = RS_PAGE_DOWN(a), hi = RS_PAGE_UP(a + len);
   if (len == 0)
      return;
   rebind(lo, hi, colored_for(site, lo, hi, is_brk));
}

static void bind_pages(Addr a, SizeT len, const RsMapSite* site)
{
   bind_pages_as(a, len, site, False);
}

ULong rs_mappings_heap_mapped_B(void) { return heap_mapped_B; }

const RsMapSite* rs_mappings_site_at(Addr a)
{
   UWord lo, hi, val;
   VG_(lookupRangeMap)(&lo, &hi, &val, page_map, a);
   return (const RsMapSite*)val;
}

Bool rs_mappings_range_at(Addr a, Addr* start, Addr* end, const RsMapSite** site)
{
   UWord lo, hi, val;
   VG_(lookupRangeMap)(&lo, &hi, &val, page_map, a);
   *start = lo;
   *end   = hi == ~(UWord)0 ? ~(Addr)0 : hi + 1;   /* the last gap ends there */
   *site  = (const RsMapSite*)val;
   return val != 0;
}

Addr rs_mappings_piece(Addr lo, Addr hi, const RsMapSite** site)
{
   UWord klo, khi, val;
   VG_(lookupRangeMap)(&klo, &khi, &val, page_map, lo);
   *site = (const RsMapSite*)val;
   return (khi == ~(UWord)0 || khi + 1 > hi) ? hi : khi + 1;
}

Bool rs_mappings_heap_piece(Addr a, Addr* start, Addr* end)
{
   const RsMapSite* site;
   rs_mappings_range_at(a, start, end, &site);
   return is_heap(site);
}

Bool rs_mappings_is_own_chunk(Addr a, SizeT size)
{
   Addr start, end;
   const RsMapSite* site;
   return rs_mappings_range_at(a, &start, &end, &site) && is_heap(site)
          && start + 16 == a && a + size <= end && a + size + RS_PAGE_B >= end;
}

UInt rs_mappings_n_ranges(void)
{
   return VG_(sizeRangeMap)(page_map);
}

Bool rs_mappings_range(UInt i, Addr* start, Addr* end, const RsMapSite** site)
{
   UWord lo, hi, val;
   VG_(indexRangeMap)(&lo, &hi, &val, page_map, i);
   *start = lo;
   *end   = hi + 1;
   *site  = (const RsMapSite*)val;
   return val != 0;
}

/* Rebinds [to, to+len) to the sites [from, from+len) had, piece by piece. */
static void copy_sites(Addr from, Addr to, SizeT len)
{
   Addr off = 0;
   while (off < len) {
      UWord lo, hi, val;
      Addr piece_end;
      VG_(lookupRangeMap)(&lo, &hi, &val, page_map, from + off);
      piece_end = hi + 1 - from;          /* offset where this piece ends */
      if (hi == ~(UWord)0 || piece_end > len)
         piece_end = len;
      bind_pages(to + off, piece_end - off, (const RsMapSite*)val);
      off = piece_end;
   }
}

/* ------------------------------------------------------------------ */
/* Deciding a mapping's origin from the stack of the call that made it. */
/* ------------------------------------------------------------------ */

static Bool has_prefix(const HChar* s, const HChar* prefix)
{
   return VG_(strncmp)(s, prefix, VG_(strlen)(prefix)) == 0;
}

static Bool ip_in_object(DiEpoch ep, Addr ip, const HChar* part)
{
   const HChar* obj;
   return VG_(get_objname)(ep, ip, &obj) && VG_(strstr)(obj, part) != NULL;
}

/* Innermost frame first: the first frame that says who is mapping wins.
   - a frame in our preload: a wrapped allocator is running -> heap
     (so is a frame in the object of an allocator other than glibc);
     (in a static program: a frame of its malloc, calloc, ...);
   - pthread_create / allocate_stack -> a thread stack;
   - code of ld.so, or the loader's mapping functions -> loader. */
static RsOrigin origin_of_frames(const Addr* ips, UInt n)
{
   DiEpoch ep = VG_(current_DiEpoch)();
   UInt i;
   for (i = 0; i < n; i++) {
      const HChar* fn;
      if (ip_in_object(ep, ips[i], "vgpreload_rssmassif"))
         return RS_ORIGIN_HEAP;
      if (rs_alloc_kind() != RS_ALLOC_GLIBC && rs_alloc_in_object(ips[i]))
         return RS_ORIGIN_HEAP;              /* e.g. jemalloc's own thread */
      if (VG_(get_fnname)(ep, ips[i], &fn)) {
         if (rs_static_active() && rs_static_is_allocator(fn))
            return RS_ORIGIN_HEAP;           /* a static program's malloc */
         if (has_prefix(fn, "pthread_create") || VG_STREQ(fn, "allocate_stack")
             || has_prefix(fn, "__pthread_create"))
            return RS_MUTANT_IS(17) ? RS_ORIGIN_OTHER : RS_ORIGIN_STACK;
         if (has_prefix(fn, "_dl_map") || has_prefix(fn, "dlopen")
             || has_prefix(fn, "_dl_open") || has_prefix(fn, "dlmopen"))
            return RS_MUTANT_IS(18) ? RS_ORIGIN_OTHER : RS_ORIGIN_LOADER;
      }
      if (ip_in_object(ep, ips[i], "/ld-linux"))
         return RS_MUTANT_IS(18) ? RS_ORIGIN_OTHER : RS_ORIGIN_LOADER;
   }
   return RS_ORIGIN_OTHER;
}

/* Removes our own wrapper frames: the stack reads as if the client had
   called the allocator directly (as Massif's replacement frames are
   hidden).  Returns the new number of frames. */
static UInt drop_wrapper_frames(Addr* ips, UInt n)
{
   DiEpoch ep = VG_(current_DiEpoch)();
   UInt i, kept = 0;
   for (i = 0; i < n; i++)
      if (!ip_in_object(ep, ips[i], "vgpreload_rssmassif"))
         ips[kept++] = ips[i];
   return kept > 0 ? kept : n;
}

/* The site of a mapping made now by thread tid.  A heap mapping's stack
   starts at the program's code: the allocator's own frames are cut
   (rs_frames.h), unless --keep-alloc-internals=yes. */
static const RsMapSite* site_of_current_call(ThreadId tid, Bool is_brk)
{
   Addr ips[CLASSIFY_DEPTH + 200];
   UInt n, keep, cut = 0;
   RsOrigin origin;

   if (tid == VG_INVALID_THREADID)
      return intern_site(is_brk ? RS_ORIGIN_HEAP : RS_ORIGIN_OTHER,
                         VG_(null_ExeContext)());
   n = VG_(get_StackTrace)(tid, ips, CLASSIFY_DEPTH + rs_clo.depth, NULL, NULL, 0);
   origin = is_brk ? RS_ORIGIN_HEAP : origin_of_frames(ips, n);
   if (origin == RS_ORIGIN_HEAP && !rs_clo.keep_alloc_internals)
      cut = rs_frames_alloc_cut(ips, n);
   else
      n = drop_wrapper_frames(ips, n);
   keep = n - cut < (UInt)rs_clo.depth ? n - cut : (UInt)rs_clo.depth;
   return intern_site(origin, VG_(make_ExeContext_from_StackTrace)(ips + cut, keep));
}

/* ------------------------------------------------------------------ */
/* The emulated break (rs_brk.c in the preload).                       */
/* ------------------------------------------------------------------ */

/* [lo, hi) is the preload's PROT_NONE reservation, cur its break (lo =
   hi = 0: no emulation).  Invariant: the pages of [lo, PAGE_UP(cur))
   are bound as brk heap pages, those of [PAGE_UP(cur), hi) to nothing
   (natively only the pages below the break exist).  pending_B: the size
   of the reservation mmap being tried: its mapping binds nothing. */
static struct { Addr lo, hi, cur; SizeT pending_B; } brk_emu;

Bool rs_mappings_brk_emulated(void) { return brk_emu.hi != 0; }

Addr rs_mappings_brk_base(void)
{
   return brk_emu.hi != 0 ? brk_emu.lo : VG_(brk_base);
}

void rs_mappings_brk_unbound(Addr* lo, Addr* hi)
{
   *lo = brk_emu.hi != 0 ? RS_PAGE_UP(brk_emu.cur) : 0;
   *hi = brk_emu.hi;
}

/* Is [a, a+len) a mapping the emulation makes that binds nothing: the
   reservation, or fresh PROT_NONE pages over released heap pages? */
static Bool is_brk_emu_reserve(Addr a, SizeT len)
{
   if (brk_emu.pending_B != 0 && len == brk_emu.pending_B)
      return True;
   return brk_emu.hi != 0 && a >= RS_PAGE_UP(brk_emu.cur)
          && a + len <= brk_emu.hi;
}

static void on_brk_grow(Addr a, SizeT len, ThreadId tid);
static void on_brk_shrink(Addr a, SizeT len);

Bool rs_mappings_brk_request(ThreadId tid, UWord* args, UWord* ret)
{
   *ret = 0;
   switch (args[0]) {
   case RS_REQ_BRK_WANTED:
      *ret = rs_clo.emulate_brk ? 1 : 0;
      return True;
   case RS_REQ_BRK_RESERVING:
      brk_emu.pending_B = args[1];
      return True;
   case RS_REQ_BRK_RESERVED:
      brk_emu.pending_B = 0;
      if (args[1] == 0 || brk_emu.hi != 0)
         return True;
      brk_emu.lo = brk_emu.cur = args[1];
      brk_emu.hi = args[1] + args[2];
      return True;
   case RS_REQ_BRK_MOVED: {
      Addr nb = args[1], old = brk_emu.cur;
      if (brk_emu.hi == 0 || nb < brk_emu.lo || nb > brk_emu.hi)
         return True;
      brk_emu.cur = nb;
      if (nb > old)
         on_brk_grow(old, nb - old, tid);
      else if (nb < old)
         on_brk_shrink(nb, old - nb);
      return True;
   }
   default:
      return False;
   }
}

/* ------------------------------------------------------------------ */
/* Core events.                                                        */
/* ------------------------------------------------------------------ */

/* While a mremap runs, the pages it adds take the site of the mapping it
   grows (the core reports growth as a plain new mapping). */
static const RsMapSite* remap_site;

static void debug_event(const HChar* what, Addr a, SizeT len,
                        const RsMapSite* site)
{
   if (!rs_clo.debug)
      return;
   VG_(umsg)("rs-debug: %-8s %#lx-%#lx (%lu B)%s%s\n", what, a, a + len,
             len, site ? " origin=" : "", site ? rs_origin_name(site->origin) : "");
}

void rs_mappings_debug_ranges(void)
{
   UInt i, n = rs_mappings_n_ranges();
   for (i = 0; rs_clo.debug && i < n; i++) {
      Addr start, end;
      const RsMapSite* site;
      if (rs_mappings_range(i, &start, &end, &site))
         debug_event("range", start, end - start, site);
   }
}


static void on_startup(Addr a, SizeT len, Bool rr, Bool ww, Bool xx,
                       ULong di_handle)
{
   RsOrigin origin = RS_ORIGIN_LOADER;  /* exe, ld.so, the trampoline */
   const RsMapSite* site;
   if (a <= VG_(clstk_end) && VG_(clstk_end) < a + len)
      origin = RS_ORIGIN_STACK;
   else if (a <= VG_(brk_base) && VG_(brk_base) < a + len)
      origin = RS_ORIGIN_HEAP;
   site = intern_site(origin, VG_(null_ExeContext)());
   bind_pages(a, len, site);
   debug_event("startup", a, len, site);
   {
      NSegment const* seg = VG_(am_find_nsegment)(a);
      rs_static_note_startup(seg ? VG_(am_get_filename)(seg) : NULL);
   }
}

/* Lowest address of the main thread's stack in the map (0: not yet
   known).  Valgrind's core grows that stack into its reservation on a
   fault below it (VG_(extend_stack)) without telling tools, so the map
   is brought up to the core's segment before every totals read. */
static Addr main_stack_lo;

void rs_mappings_sync_main_stack(void)
{
   NSegment const* seg = VG_(am_find_nsegment)(VG_(clstk_end));
   if (seg == NULL || seg->kind != SkAnonC || seg->isCH || RS_MUTANT_IS(36)
       || (main_stack_lo != 0 && seg->start >= main_stack_lo))
      return;
   /* The whole segment at once: one mapping, one colour. */
   bind_pages(seg->start, seg->end + 1 - seg->start,
              intern_site(RS_ORIGIN_STACK, VG_(null_ExeContext)()));
   main_stack_lo = seg->start;
}

static void on_mmap(Addr a, SizeT len, Bool rr, Bool ww, Bool xx,
                    ULong di_handle)
{
   const RsMapSite* site = remap_site;
   rs_map_counters.n_mmap++;
   if (is_brk_emu_reserve(a, len)) {
      debug_event("brk-resv", a, len, NULL);
      return;
   }
   if (site != NULL)              /* mremap growth: same mapping, same colour */
      rebind(RS_PAGE_DOWN(a), RS_PAGE_UP(a + len), site);
   else {
      site = site_of_current_call(VG_(get_running_tid)(), False);
      if (site->origin == RS_ORIGIN_OTHER)
         rs_runtime_note_mmap(site->where, len);
      if (!(RS_MUTANT_IS(8) && rs_mappings_site_at(a) != NULL))
         bind_pages(a, len, site);
   }
   debug_event("mmap", a, len, site);
   if (!in_mremap)               /* mid-mremap the map holds both places */
      rs_snapshot_maybe();
}

static void on_munmap(Addr a, SizeT len)
{
   rs_map_counters.n_munmap++;
   bind_pages(a, RS_MUTANT_IS(10) && len > RS_PAGE_B ? len - RS_PAGE_B : len, NULL);
   debug_event("munmap", a, len, NULL);
   if (!in_mremap)
      rs_snapshot_maybe();
}

static void on_remap(Addr from, Addr to, SizeT len)
{
   rs_map_counters.n_mremap++;
   if (!RS_MUTANT_IS(11))
      copy_sites(from, to, len);
   debug_event("mremap", to, len, rs_mappings_site_at(to));
}

static void on_brk_grow(Addr a, SizeT len, ThreadId tid)
{
   const RsMapSite* site = site_of_current_call(tid, True);
   rs_map_counters.n_brk_grow++;
   bind_pages_as(a, len, site, True);
   debug_event("brk+", a, len, site);
   rs_snapshot_maybe();
}

/* Under Valgrind a shrinking brk keeps the pages mapped (zeroed), but
   they no longer belong to the client. */
static void on_brk_shrink(Addr a, SizeT len)
{
   Addr lo = RS_PAGE_UP(a);           /* the page holding the new break stays */
   Addr hi = RS_PAGE_UP(a + len);
   rs_map_counters.n_brk_shrink++;
   rebind(lo, hi, NULL);
   debug_event("brk-", a, len, NULL);
   rs_snapshot_maybe();
}

static void on_mprotect(Addr a, SizeT len, Bool rr, Bool ww, Bool xx)
{
   rs_map_counters.n_mprotect++;
   debug_event("mprotect", a, len, NULL);
}

void rs_mappings_pre_syscall(ThreadId tid, UInt sysno, UWord* args, UInt nArgs)
{
   if (sysno == __NR_mremap) {
      remap_site = rs_mappings_site_at(args[0]);
      if (is_heap(remap_site) && args[2] < args[1])
         rs_snapshot_before_heap_shrink(heap_mapped_B);
      in_mremap = True;
   }
}

void rs_mappings_post_syscall(ThreadId tid, UInt sysno, UWord* args, UInt nArgs,
                              SysRes res)
{
   if (sysno == __NR_mremap) {
      remap_site = NULL;
      in_mremap = False;
      rs_snapshot_maybe();
   } else if (sysno == __NR_madvise && !sr_isError(res)) {
      /* Residency is read from the kernel at each snapshot, so a madvise
         needs no bookkeeping here beyond the counters. */
      if (args[2] == RS_MADV_DONTNEED || args[2] == RS_MADV_FREE) {
         rs_map_counters.n_madvise++;
         rs_map_counters.madvised_B += args[1];
      }
      debug_event("madvise", args[0], args[1], NULL);
   }
}

void rs_mappings_init(void)
{
   page_map = VG_(newRangeMap)(VG_(malloc), "rs.mappings.map", VG_(free), 0);
   sites = VG_(HT_construct)("rs.mappings.sites");
   VG_(memset)(&brk_emu, 0, sizeof brk_emu);
   VG_(memset)(&rs_map_counters, 0, sizeof rs_map_counters);
}

void rs_mappings_register(void)
{
   VG_(track_new_mem_startup)(on_startup);
   VG_(track_new_mem_mmap)(on_mmap);
   VG_(track_die_mem_munmap)(on_munmap);
   VG_(track_copy_mem_remap)(on_remap);
   VG_(track_new_mem_brk)(on_brk_grow);
   VG_(track_die_mem_brk)(on_brk_shrink);
   VG_(track_change_mem_mprotect)(on_mprotect);
}
