/*--------------------------------------------------------------------*/
/*--- rssmassif: detailed snapshots.                     rs_tree.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_tree.h"
#include "rs_text.h"
#include "rs_frames.h"
#include "rs_sitenames.h"
#include "rs_blocks.h"
#include "rs_pages.h"
#include "rs_mappings.h"
#include "rs_options.h"
#include "rs_snapshot.h"
#include "rs_tree_res.h"
#include "rs_release.h"
#include "pub_tool_xtree.h"
#include "pub_tool_hashtable.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_aspacemgr.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_vkiscnums.h"
#include "pub_tool_machine.h"
#include "rs_stacks.h"
#include "rs_runtime.h"

/* glibc facts used by the analysis (amd64, glibc 2.x):
   - a chunk's size field lies in the 16 bytes before the user pointer
     (what malloc_trim releases: rs_trim.c);
   - a thread arena heap is a 64 MiB-aligned mapping of at most 64 MiB
     starting with a heap_info whose first word is its arena's address. */
#define CHUNK_HEADER_B 16
#define ARENA_HEAP_B   ((Addr)64 << 20)


/* ------------------------------------------------------------------ */
/* Frames: which frame of a stack names the allocation site.           */
/* ------------------------------------------------------------------ */

/* Functions that allocate on behalf of their caller (rs_frames.h). */
static Bool is_alloc_fn(DiEpoch ep, Addr ip)
{
   return rs_frames_is_alloc_fn(ep, ip);
}

static Bool is_ignored_fn(DiEpoch ep, Addr ip)
{
   return rs_frames_is_ignored_fn(ep, ip);
}

/* Unwinding garbage ends a stack: a frame in no executable client mapping
   (0x1, an address on a stack; seen past a thread function under a
   preloaded jemalloc).  Left in, such a stack continues past a frame where
   an otherwise equal stack ends, and Valgrind's Massif printer then writes
   a node whose children do not sum to it. */
static void cut_garbage(const Addr* ips, UInt top, UInt* n_sel)
{
   UInt i;
   if (RS_MUTANT_IS(1401))
      return;
   for (i = 1; i < *n_sel; i++) {          /* the first frame always stays */
      NSegment const* seg = VG_(am_find_nsegment)(ips[top + i]);
      if (seg == NULL || !seg->hasX) {
         *n_sel = i;
         return;
      }
   }
}

/* Other stacks: frames below main dropped (unless --show-below-main=yes),
   and unwinding garbage. */
static void filter_stack(Addr* ips, Int n_ips, UInt* top, UInt* n_sel)
{
   VG_(XT_filter_maybe_below_main)(ips, n_ips, top, n_sel);
   cut_garbage(ips, *top, n_sel);
}

/* Heap mapping stacks (heap_dead): cut at the program's call into the
   allocator when the mapping was made (rs_frames_alloc_cut); a wrapper
   recognised since is skipped here, so that the stack reads as one
   made after the recognition. */
static void filter_heap_map_stack(Addr* ips, Int n_ips, UInt* top, UInt* n_sel)
{
   DiEpoch ep = VG_(current_DiEpoch)();
   UInt t = 0;
   filter_stack(ips, n_ips, top, n_sel);
   if (rs_clo.keep_alloc_internals || RS_MUTANT_IS(1715))
      return;
   while (t + 1 < *n_sel && is_alloc_fn(ep, ips[*top + t]))
      t++;
   *top += t;
   *n_sel -= t;
}

/* Allocation stacks: skip the allocation functions at the top; a stack
   whose first remaining frame is an --ignore-fn is left out of the tree;
   frames below main are dropped (unless --show-below-main=yes). */
static void filter_alloc_stack(Addr* ips, Int n_ips, UInt* top, UInt* n_sel)
{
   DiEpoch ep = VG_(current_DiEpoch)();
   UInt    t = 0, bottom_sel;
   while ((Int)t + 1 < n_ips && is_alloc_fn(ep, ips[t]))
      t++;
   VG_(XT_filter_maybe_below_main)(ips, n_ips, top, &bottom_sel);
   *top = t;
   *n_sel = bottom_sel > t ? bottom_sel - t : 1;
   if (is_ignored_fn(ep, ips[t]))
      *n_sel = 0;
   cut_garbage(ips, t, n_sel);
}

/* "0x4005E4: main (seed.c:42)" for the first frame that names the site. */
static const HChar* site_frame(ExeContext* ec)
{
   return rs_sitenames_frame(ec);
}

const HChar* rs_tree_site_frame(ExeContext* ec)
{
   return site_frame(ec);
}

/* ------------------------------------------------------------------ */
/* Per-site sums, printed as `#rs.<kind>_site:` lines, largest first.  */
/* ------------------------------------------------------------------ */

typedef struct _SiteAcc {
   struct _SiteAcc* next;
   UWord            key;        /* ExeContext* (or an ECU: see `by_ecu`) */
   ULong            a, b, n;    /* two byte sums and a count            */
} SiteAcc;

typedef struct {
   VgHashTable* table;
   Bool         by_ecu;         /* keys are ECUs, 0 = no stack known    */
} SiteSums;

static void sums_init(SiteSums* ss, Bool by_ecu)
{
   ss->table = VG_(HT_construct)("rs.tree.sitesums");
   ss->by_ecu = by_ecu;
}

static void sums_add(SiteSums* ss, UWord key, ULong a, ULong b, ULong n)
{
   SiteAcc* acc = VG_(HT_lookup)(ss->table, key);
   if (acc == NULL) {
      acc = VG_(calloc)("rs.tree.siteacc", 1, sizeof *acc);
      acc->key = key;
      VG_(HT_add_node)(ss->table, acc);
   }
   acc->a += a;
   acc->b += b;
   acc->n += n;
}

static Int cmp_acc_desc(const void* x, const void* y)
{
   const SiteAcc* l = *(const SiteAcc* const*)x;
   const SiteAcc* r = *(const SiteAcc* const*)y;
   return l->a < r->a ? 1 : l->a > r->a ? -1 : l->key < r->key ? -1 : l->key > r->key;
}

/* A site's sums and its stack, while its line is made. */
typedef struct {
   SiteAcc*    acc;
   RsSiteStack st;
} SiteLine;

static ExeContext* acc_ec(const SiteSums* ss, const SiteAcc* acc)
{
   if (!ss->by_ecu)
      return (ExeContext*)acc->key;
   return acc->key ? VG_(get_ExeContext_from_ECU)((UInt)acc->key) : NULL;
}

static Int cmp_line_stack(const void* x, const void* y)
{
   const SiteLine* l = x;
   const SiteLine* r = y;
   Int c = rs_sitenames_cmp(&l->st, &r->st);
   return c ? c : l->acc->key < r->acc->key ? -1 : l->acc->key > r->acc->key;
}

static Int cmp_line_desc(const void* x, const void* y)
{
   const SiteLine* l = x;
   const SiteLine* r = y;
   return cmp_acc_desc(&l->acc, &r->acc);
}

/* The site lines of ss, sites whose shown stacks are equal merged (they
   differ only in allocation functions: rs_sitenames.h), largest first. */
static SiteLine* site_lines(const SiteSums* ss, UInt* n_lines)
{
   UInt n_sites, k, n = 0;
   SiteAcc** accs = (SiteAcc**)VG_(HT_to_array)(ss->table, &n_sites);
   SiteLine* lines;
   *n_lines = 0;
   if (accs == NULL)
      return NULL;
   lines = VG_(malloc)("rs.tree.sitelines", (n_sites ? n_sites : 1) * sizeof *lines);
   for (k = 0; k < n_sites; k++) {
      lines[k].acc = accs[k];
      rs_sitenames_stack(&lines[k].st, acc_ec(ss, accs[k]));
   }
   VG_(free)(accs);
   VG_(ssort)(lines, n_sites, sizeof *lines, cmp_line_stack);
   for (k = 0; k < n_sites; k++) {
      if (n > 0 && rs_sitenames_cmp(&lines[n - 1].st, &lines[k].st) == 0
          && !RS_MUTANT_IS(1742)) {
         lines[n - 1].acc->a += lines[k].acc->a;
         lines[n - 1].acc->b += lines[k].acc->b;
         lines[n - 1].acc->n += lines[k].acc->n;
         continue;
      }
      lines[n++] = lines[k];
   }
   VG_(ssort)(lines, n, sizeof *lines, cmp_line_desc);
   *n_lines = n;
   return lines;
}

/* Prints the `max` largest sums (by a) as `#rs.<kind>: A=.. B=.. N=.. at=..`
   (the at= texts told apart: rs_sitenames.h) and frees the table. */
static void sums_print(RsText* an, SiteSums* ss, const HChar* kind, UInt max,
                       const HChar* a_key, const HChar* b_key, const HChar* n_key)
{
   UInt n, k;
   SiteLine* lines = site_lines(ss, &n);
   if (lines != NULL) {
      RsSiteStack* st;
      HChar** names;
      if (n > max)
         n = max;
      st = VG_(malloc)("rs.tree.sitestacks", (n ? n : 1) * sizeof *st);
      for (k = 0; k < n; k++)
         st[k] = lines[k].st;
      names = rs_sitenames_make(st, n, "(no block was ever freed there)");
      for (k = 0; k < n; k++) {
         rs_text_printf(an, "#rs.%s: %s=%llu %s=%llu", kind, a_key, lines[k].acc->a,
                        b_key, lines[k].acc->b);
         if (n_key)
            rs_text_printf(an, " %s=%llu", n_key, lines[k].acc->n);
         rs_text_printf(an, " at=%s\n", names[k]);
      }
      rs_sitenames_free(names, n);
      VG_(free)(st);
      VG_(free)(lines);
   }
   VG_(HT_destruct)(ss->table, VG_(free));
}

/* ------------------------------------------------------------------ */
/* Page table: for each page touched by a live block, its owner.       */
/* ------------------------------------------------------------------ */

/* A slot is in use iff its gen is the table's current gen: a new
   detailed snapshot starts a new generation instead of clearing the
   table (clearing it cost more than filling it on large heaps).  The
   top's address is kept in the slot: reading it through the record
   pointer missed the cache once per block.  (The owner's is read only
   on a tie.)  40 bytes. */
typedef struct {
   Addr     page;
   const RsBlock* owner;  /* the block with most bytes on the page        */
   const RsBlock* top;    /* the block starting highest among those on it */
   Addr     top_addr;     /* top->addr                                    */
   UInt     owner_B;      /* owner's bytes on the page                    */
   UInt     gen;
} PageSlot;

typedef struct {
   PageSlot* slot;
   UWord     mask;
   UWord     used;
   UInt      gen;
   ULong     large_in_heap_B;   /* live blocks >= glibc's mmap threshold */
   ULong     large_in_heap_n;   /* that lie in a heap, not their own chunk */
} PageTable;

static inline UWord page_home(const PageTable* pt, Addr page)
{
   return ((page >> RS_PAGE_SHIFT) * 0x9E3779B97F4A7C15ULL >> 20) & pt->mask;
}

static inline Bool slot_used(const PageTable* pt, const PageSlot* s)
{
   return s->gen == pt->gen;
}

/* The slot of page, inserted if new; NULL if the table is too full (it
   is sized for the heap's pages: only a broken client gets there). */
static PageSlot* page_slot(PageTable* pt, Addr page)
{
   UWord i = page_home(pt, page);
   PageSlot* s;
   while (slot_used(pt, &pt->slot[i]) && pt->slot[i].page != page)
      i = (i + 1) & pt->mask;
   s = &pt->slot[i];
   if (!slot_used(pt, s)) {
      if (4 * (pt->used + 1) > 3 * (pt->mask + 1))
         return NULL;
      VG_(memset)(s, 0, sizeof *s);
      s->page = page;
      s->gen = pt->gen;
      pt->used++;
   }
   return s;
}

static void note_block_on_page(PageTable* pt, const RsBlock* b, Addr page, UInt bytes)
{
   PageSlot* s = page_slot(pt, page);
   if (s == NULL)
      return;
   if (bytes > s->owner_B
       || (bytes == s->owner_B && s->owner != NULL && b->addr < s->owner->addr)) {
      s->owner = b;
      s->owner_B = bytes;
   }
   if (s->top == NULL || b->addr > s->top_addr) {
      s->top = b;
      s->top_addr = b->addr;
   }
}

/* The table's memory is kept from one detailed snapshot to the next:
   fresh memory for every snapshot costs a page fault per page, which
   dominated a detailed snapshot of a large heap. */
static PageSlot* table_mem;
static UWord     table_cap;
static UInt      table_gen;

static void reuse_table(PageTable* pt, UWord cap)
{
   if (cap > table_cap) {
      if (table_mem)
         VG_(free)(table_mem);
      table_mem = VG_(calloc)("rs.tree.pages", cap, sizeof(PageSlot));
      table_cap = cap;
      table_gen = 0;                    /* gen 0 marks never-used slots */
   }
   if (++table_gen == 0) {              /* wrapped: old gens would match */
      VG_(memset)(table_mem, 0, table_cap * sizeof(PageSlot));
      table_gen = 1;
   }
   pt->slot = table_mem;
   pt->mask = cap - 1;
   pt->gen  = table_gen;
   pt->used = 0;
}

/* Pieces (mapping ranges) the block walk met, by 128 KiB of address
   (1 GiB before two granules share a slot): blocks come in hash order, so
   remembering only the last piece missed for nearly every block of a
   large heap, a range-map search each. */
#define MEMO_SLOTS 8192
#define MEMO_SHIFT 17
typedef struct { Addr lo, hi; Bool heap; } PieceMemo;
static PieceMemo memo[MEMO_SLOTS];

static void memo_clear(void)
{
   VG_(memset)(memo, 0, sizeof memo);      /* lo = hi = 0: holds nothing */
}

/* The end of the piece holding a; *heap tells if it is heap. */
static Addr piece_end_at(Addr a, Bool* heap)
{
   PieceMemo* m = &memo[(a >> MEMO_SHIFT) & (MEMO_SLOTS - 1)];
   if (!(m->lo <= a && a < m->hi))
      m->heap = rs_mappings_heap_piece(a, &m->lo, &m->hi);
   *heap = m->heap;
   return m->hi;
}

/* Notes b on each of its heap pages (only those count: a custom block
   may lie anywhere). */
static void note_block(PageTable* pt, const RsBlock* b)
{
   Addr a, end;
   if (!rs_pages_user_extent(b->addr, b->size, &a, &end))
      return;
   while (a < end) {
      Bool heap;
      Addr piece_end = piece_end_at(a, &heap);
      if (piece_end > end)
         piece_end = end;
      while (heap && a < piece_end) {
         Addr next = RS_PAGE_DOWN(a) + RS_PAGE_B;
         Addr stop = next < piece_end ? next : piece_end;
         note_block_on_page(pt, b, RS_PAGE_DOWN(a), (UInt)(stop - a));
         a = stop;
      }
      a = piece_end;
   }
}

static void build_page_table(PageTable* pt, SiteSums* live)
{
   /* Every entry is a live heap page or the page just below one: at most
      2 per live page, which keeps the table at most 3/4 full. */
   ULong live_pages = rs_pages_n_live_pages();
   ULong heap_pages = rs_mappings_heap_mapped_B() / RS_PAGE_B;
   UWord want = 8 * (live_pages < heap_pages ? live_pages : heap_pages) / 3 + 64;
   UWord cap = 64;
   const RsBlock* b;
   while (cap < want)
      cap *= 2;
   reuse_table(pt, cap);
   pt->large_in_heap_B = pt->large_in_heap_n = 0;
   memo_clear();
   rs_blocks_start_iter();
   while ((b = rs_blocks_next()) != NULL) {
      sums_add(live, (UWord)b->where, 0, b->size, 1);
      if (rs_glibc_mmap_is_large(b->size)
          && !rs_mappings_is_own_chunk(b->addr, b->size)) {
         pt->large_in_heap_B += b->size;
         pt->large_in_heap_n++;
      }
      note_block(pt, b);
   }
}

static PageSlot* find_slot(PageTable* pt, Addr page)
{
   UWord i = page_home(pt, page);
   while (slot_used(pt, &pt->slot[i])) {
      if (pt->slot[i].page == page)
         return &pt->slot[i];
      i = (i + 1) & pt->mask;
   }
   return NULL;
}

/* ------------------------------------------------------------------ */
/* XTrees of byte counts.                                              */
/* ------------------------------------------------------------------ */

static void  xt_init(void* v)                  { *(ULong*)v = 0; }
static void  xt_add(void* to, const void* v)   { *(ULong*)to += *(const ULong*)v; }
static void  xt_sub(void* from, const void* v) { *(ULong*)from -= *(const ULong*)v; }
static ULong xt_value(const void* v)           { return *(const ULong*)v; }

static XTree* new_xt(XT_filter_IPs_t filter)
{
   return VG_(XT_create)(VG_(malloc), "rs.tree.xt", VG_(free), sizeof(ULong),
                         xt_init, xt_add, xt_sub, filter);
}

static void xt_add_B(XTree* xt, ExeContext* ec, ULong bytes)
{
   if (bytes > 0)
      VG_(XT_add_to_ec)(xt, ec, &bytes);
}

/* Reads a whole (small) file into a text buffer; NULL on failure. */
static HChar* slurp(const HChar* name)
{
   RsText t = { NULL, 0, 0 };
   HChar  buf[4096];
   Int    n;
   SysRes r = VG_(open)(name, VKI_O_RDONLY, 0);
   if (sr_isError(r))
      return NULL;
   while ((n = VG_(read)(sr_Res(r), buf, sizeof buf)) > 0)
      rs_text_append(&t, buf, n);
   VG_(close)(sr_Res(r));
   return rs_text_take(&t);
}

/* Appends a category node and, below it, the xtree's groups as
   Valgrind's Massif printer lays them out (with its threshold and
   inlined-frame handling), one level deeper. */
static void append_xt(RsText* out, XTree* xt, ULong cat_B, ULong total_B,
                      const HChar* desc)
{
   HChar  name[512];
   MsFile* fp;
   Massif_Header h;
   HChar* text, *p, *line_end;
   static UInt seq;

   VG_(snprintf)(name, sizeof name, "%s/rssmassif-tree.%d.%u", VG_(tmpdir)(),
                 VG_(getpid)(), seq++);
   fp = VG_(XT_massif_open)(name, NULL, NULL, "i");
   if (fp == NULL) {
      rs_text_printf(out, " n0: %llu %s\n", cat_B, desc);
      return;
   }
   VG_(memset)(&h, 0, sizeof h);
   h.detailed = True;
   h.extra_B = total_B > cat_B ? total_B - cat_B : 0;
   h.top_node_desc = desc;
   h.sig_threshold = rs_clo.threshold;
   VG_(XT_massif_print)(fp, xt, &h, xt_value);
   VG_(XT_massif_close)(fp);
   text = slurp(name);
   VG_(unlink)(name);
   p = text ? VG_(strstr)(text, "heap_tree=detailed\n") : NULL;
   if (p == NULL || VG_(strchr)(p + 19, ':') == NULL) {
      rs_text_printf(out, " n0: %llu %s\n", cat_B, desc);
      if (text) RS_FREE(text);
      return;
   }
   p += 19;                                  /* the xtree's root line */
   line_end = VG_(strchr)(p, '\n');
   {
      HChar* after_count;
      ULong  n_children = VG_(strtoull10)(p + 1, &after_count);
      ULong  xt_total = VG_(strtoull10)(after_count + 1, NULL);
      /* Stacks left out by --ignore-fn: one node, so children still sum
         to the category. */
      ULong  left_out = cat_B > xt_total ? cat_B - xt_total : 0;
      rs_text_printf(out, " n%llu: %llu %s\n", n_children + (left_out > 0),
                     cat_B, desc);
      for (p = line_end ? line_end + 1 : p + VG_(strlen)(p); *p; p = line_end + 1) {
         line_end = VG_(strchr)(p, '\n');
         if (line_end == NULL)
            break;
         rs_text_append(out, " ", 1);
         rs_text_append(out, p, line_end - p + 1);
      }
      if (left_out > 0)
         rs_text_printf(out, "  n0: %llu (allocations in --ignore-fn functions)\n",
                        left_out);
   }
   RS_FREE(text);
}

/* A category's node and subtree (append_xt), and its `#rs.tree_res:`
   line in res. */
static void append_xt_res(RsText* out, RsText* res, XTree* xt, RsNonRes* nr,
                          ULong cat_B, ULong total_B, const HChar* cat,
                          const HChar* what)
{
   HChar desc[128];
   SizeT at = out->len;
   VG_(snprintf)(desc, sizeof desc, "%s: %s", cat, what);
   append_xt(out, xt, cat_B, total_B, desc);
   rs_tree_res_append(res, cat, out->buf + at, nr);
}

/* ------------------------------------------------------------------ */
/* Loader objects.                                                     */
/* ------------------------------------------------------------------ */

typedef struct { const HChar* name; ULong bytes, nonres_B; } ObjBytes;

static ULong nonres_B_in(Addr start, Addr end);

static void add_object_bytes(XArray* objs, const HChar* name, ULong bytes,
                             ULong nonres_B)
{
   Word i;
   ObjBytes ob;
   for (i = 0; i < VG_(sizeXA)(objs); i++) {
      ObjBytes* o = VG_(indexXA)(objs, i);
      if (VG_STREQ(o->name, name)) {
         o->bytes += bytes;
         o->nonres_B += nonres_B;
         return;
      }
   }
   ob.name = VG_(strdup)("rs.tree.obj", name);
   ob.bytes = bytes;
   ob.nonres_B = nonres_B;
   VG_(addToXA)(objs, &ob);
}

/* A loader range may hold several objects (ld.so maps libraries next to
   each other from the same call site): split it by kernel segment. */
static void add_loader_range(XArray* objs, Addr start, Addr end)
{
   Addr a = start;
   while (a < end) {
      NSegment const* seg = VG_(am_find_nsegment)(a);
      Addr stop = seg ? seg->end + 1 : rs_free_space_end(a, end);
      const HChar* name = seg ? VG_(am_get_filename)(seg) : NULL;
      if (stop > end || stop <= a)
         stop = end;
      add_object_bytes(objs, name ? name : "(anonymous loader mapping)", stop - a,
                       nonres_B_in(a, stop));
      a = stop;
   }
}

static Int cmp_obj_desc(const void* a, const void* b)
{
   const ObjBytes* x = a;
   const ObjBytes* y = b;
   return x->bytes < y->bytes ? 1 : x->bytes > y->bytes ? -1
          : VG_(strcmp)(x->name, y->name);
}

/* The loader's node, its objects' nodes, and their `#rs.tree_res:` line
   (in res). */
static void append_objects(RsText* out, RsText* res, XArray* objs, ULong cat_B,
                           ULong total_B, const HChar* desc)
{
   ULong sig_B = (ULong)(total_B * rs_clo.threshold / 100.0);
   ULong insig_B = 0, nonres_B = 0, insig_nonres_B = 0;
   UInt  n_sig = 0, n_insig = 0;
   Word  i;
   VG_(setCmpFnXA)(objs, cmp_obj_desc);
   VG_(sortXA)(objs);
   for (i = 0; i < VG_(sizeXA)(objs); i++) {
      ObjBytes* o = VG_(indexXA)(objs, i);
      nonres_B += o->nonres_B;
      if (o->bytes >= sig_B && o->bytes > 0) n_sig++;
      else { n_insig++; insig_B += o->bytes; insig_nonres_B += o->nonres_B; }
   }
   rs_text_printf(out, " n%u: %llu %s\n", n_sig + (n_insig > 0), cat_B, desc);
   rs_text_printf(res, "#rs.tree_res: cat=loader res_B=%llu",
                  cat_B > nonres_B ? cat_B - nonres_B : 0);
   for (i = 0; i < VG_(sizeXA)(objs); i++) {
      ObjBytes* o = VG_(indexXA)(objs, i);
      if (o->bytes >= sig_B && o->bytes > 0) {
         rs_text_printf(out, "  n0: %llu %s\n", o->bytes, o->name);
         rs_text_printf(res, ",%llu", o->bytes - o->nonres_B);
      }
   }
   if (n_insig > 0) {
      rs_text_printf(out, "  n0: %llu in %u place%s below massif's threshold (%.2f%%)\n",
                     insig_B, n_insig, n_insig == 1 ? "," : "s, all",
                     rs_clo.threshold);
      rs_text_printf(res, ",%llu", insig_B - insig_nonres_B);
   }
   rs_text_printf(res, "\n");
   for (i = 0; i < VG_(sizeXA)(objs); i++)
      RS_FREE((void*)((ObjBytes*)VG_(indexXA)(objs, i))->name);
}

/* ------------------------------------------------------------------ */
/* Heap segments: maximal runs of contiguous heap pages.               */
/* ------------------------------------------------------------------ */

typedef struct {
   Addr     start, end;
   ULong    live_B, dead_B, dead_res_B;
   ULong    run_gap_B, run_gap_res_B;   /* dead run below the current live run */
   ULong    dead_run_B, dead_run_res_B; /* dead pages since the last live page */
   Addr     last_live_page;
   const RsMapSite* site;               /* of the segment's first range */
   Bool     open;
   Bool     alone;                      /* an arena heap or a chunk */
} Segment;

/* Arenas: heap segments summed by the arena they belong to.  The main
   arena owns the brk heap and the segments glibc maps for it once brk
   fails; each thread arena owns its 64 MiB heaps; a segment holding one
   block that fills it is a large chunk glibc mmapped for that block. */
typedef struct {
   const HChar* kind;         /* "main", "thread", "mmap_chunks" */
   Addr         id;           /* thread arena's address, else 0 */
   ULong        segments, mapped_B, live_B, dead_B, dead_res_B;
} ArenaSum;

#define MAX_ARENAS 64
static ArenaSum arenas[MAX_ARENAS];
static UInt     n_arenas;

static ArenaSum* arena_sum(const HChar* kind, Addr id)
{
   UInt i;
   for (i = 0; i < n_arenas; i++)
      if (arenas[i].id == id && VG_STREQ(arenas[i].kind, kind))
         return &arenas[i];
   if (n_arenas == MAX_ARENAS)
      return &arenas[MAX_ARENAS - 1];        /* fold the rest into the last */
   VG_(memset)(&arenas[n_arenas], 0, sizeof arenas[0]);
   arenas[n_arenas].kind = kind;
   arenas[n_arenas].id = id;
   return &arenas[n_arenas++];
}

static Bool is_single_chunk(const Segment* s, const RsBlock* top)
{
   return top != NULL && top->addr == s->start + CHUNK_HEADER_B
          && top->addr + top->size + RS_PAGE_B >= s->end;
}

/* The segment's kind: "brk", "arena" (a thread arena heap, *arena set
   from its heap_info), "chunk" (a large mmapped chunk) or "mmap" (the
   main arena's mmapped extension). */
static const HChar* segment_kind(const Segment* s, const RsBlock* top, Addr* arena)
{
   *arena = 0;
   Addr brk_base = rs_mappings_brk_base();
   if (s->start <= brk_base && brk_base < s->end + RS_PAGE_B)
      return "brk";
   if (is_single_chunk(s, top))
      return "chunk";
   if ((s->start & (ARENA_HEAP_B - 1)) == 0 && s->end - s->start <= ARENA_HEAP_B
       && VG_(am_is_valid_for_client)(s->start, sizeof(Addr), VKI_PROT_READ)) {
      *arena = *(Addr*)s->start;               /* heap_info.ar_ptr */
      return "arena";
   }
   return "mmap";
}

static void add_to_arena(const Segment* s, const HChar* kind, Addr arena)
{
   ArenaSum* a = VG_STREQ(kind, "arena") ? arena_sum("thread", arena)
               : VG_STREQ(kind, "chunk") ? arena_sum("mmap_chunks", 0)
               : arena_sum("main", 0);
   a->segments++;
   a->mapped_B   += s->end - s->start;
   a->live_B     += s->live_B;
   a->dead_B     += s->dead_B;
   a->dead_res_B += s->dead_res_B;
}

static void print_arenas(RsText* an)
{
   UInt i;
   for (i = 0; i < n_arenas; i++) {
      ArenaSum* a = &arenas[i];
      rs_text_printf(an, "#rs.arena: kind=%s id=%#lx segments=%llu mapped_B=%llu"
                     " live_B=%llu dead_B=%llu dead_res_B=%llu\n", a->kind, a->id,
                     a->segments, a->mapped_B, a->live_B, a->dead_B, a->dead_res_B);
   }
   n_arenas = 0;
}

/* A closed segment: its line, and its trim blocker (the live block
   starting highest in it, with the dead pages below it that it keeps),
   printed once all are known (the blockers' at= are told apart). */
typedef struct {
   HChar*         line;    /* the #rs.segment: line */
   const RsBlock* top;     /* the blocker, or NULL  */
   Addr           start;
   ULong          kept_B, kept_res_B;
} ClosedSegment;

/* Ends a segment: appends it to `closed` (an XArray of ClosedSegment). */
static void close_segment(XArray* closed, Segment* s, PageTable* pt)
{
   Addr arena;
   const HChar* kind;
   PageSlot* last;
   RsText t = { NULL, 0, 0 };
   ClosedSegment c;
   if (!s->open)
      return;
   s->open = False;
   last = s->live_B > 0 ? find_slot(pt, s->last_live_page) : NULL;
   c.top = last ? last->top : NULL;
   kind = segment_kind(s, c.top, &arena);
   add_to_arena(s, kind, arena);
   rs_text_printf(&t, "#rs.segment: kind=%s start=%#lx mapped_B=%llu live_B=%llu"
                  " dead_B=%llu dead_res_B=%llu top_dead_B=%llu top_dead_res_B=%llu",
                  kind, s->start, (ULong)(s->end - s->start), s->live_B,
                  s->dead_B, s->dead_res_B, s->dead_run_B, s->dead_run_res_B);
   if (arena != 0)
      rs_text_printf(&t, " arena=%#lx", arena);
   rs_text_printf(&t, "\n");
   if (VG_STREQ(kind, "chunk"))
      c.top = NULL;
   c.line = rs_text_take(&t);
   c.start = s->start;
   c.kept_B = s->run_gap_B;
   c.kept_res_B = s->run_gap_res_B;
   VG_(addToXA)(closed, &c);
}

/* Prints the closed segments, each followed by its blocker's line, and
   empties `closed`. */
static void print_segments(RsText* an, XArray* closed)
{
   Word i, n = VG_(sizeXA)(closed);
   UInt n_top = 0, k = 0;
   RsSiteStack* st = VG_(malloc)("rs.tree.blockerstacks", (n ? n : 1) * sizeof *st);
   HChar** names;
   for (i = 0; i < n; i++) {
      ClosedSegment* c = VG_(indexXA)(closed, i);
      if (c->top != NULL)
         rs_sitenames_stack(&st[n_top++], c->top->where);
   }
   names = rs_sitenames_make(st, n_top, "?");
   for (i = 0; i < n; i++) {
      ClosedSegment* c = VG_(indexXA)(closed, i);
      rs_text_printf(an, "%s", c->line);
      RS_FREE(c->line);
      if (c->top != NULL)
         rs_text_printf(an, "#rs.blocker: segment=%#lx block=%#lx size_B=%lu"
                        " kept_dead_B=%llu kept_dead_res_B=%llu at=%s\n",
                        c->start, c->top->addr, c->top->size,
                        c->kept_B, c->kept_res_B, names[k++]);
   }
   rs_sitenames_free(names, n_top);
   VG_(free)(st);
   VG_(dropTailXA)(closed, n);
}

static void segment_page(Segment* s, Addr page, Bool live, Bool resident)
{
   if (live) {
      if (s->last_live_page + RS_PAGE_B != page || s->live_B == 0) {
         s->run_gap_B = s->dead_run_B;       /* a new live run starts */
         s->run_gap_res_B = s->dead_run_res_B;
      }
      s->live_B += RS_PAGE_B;
      s->last_live_page = page;
      s->dead_run_B = s->dead_run_res_B = 0;
   } else {
      s->dead_B += RS_PAGE_B;
      s->dead_run_B += RS_PAGE_B;
      if (resident) {
         s->dead_res_B += RS_PAGE_B;
         s->dead_run_res_B += RS_PAGE_B;
      }
   }
}

/* ------------------------------------------------------------------ */
/* The pass over mapped pages.                                         */
/* ------------------------------------------------------------------ */

#define BATCH_PAGES 16384
static UChar res_vec[BATCH_PAGES];

/* Bytes of [start, end) that are not resident now. */
static ULong nonres_B_in(Addr start, Addr end)
{
   ULong nonres = 0;
   Addr a;
   for (a = start; a < end; ) {
      UWord n = (end - a) / RS_PAGE_B, i;
      if (n > BATCH_PAGES)
         n = BATCH_PAGES;
      rs_read_residency(a, n, res_vec);
      for (i = 0; i < n; i++)
         if (!(res_vec[i] & 1))
            nonres += RS_PAGE_B;
      a += n * RS_PAGE_B;
   }
   return nonres;
}

typedef struct {
   XTree*  dead;        /* heap_dead by mapping stack */
   SiteSums dead_sites; /* heap_dead by the last block freed on each page */
   XTree*  stack;
   XTree*  other;
   XArray* objects;     /* loader by object */
   RsNonRes* live_nonres, *dead_nonres, *stack_nonres, *other_nonres;
   ULong   stack_in_use_B, stack_cached_n, stack_cached_B, stack_cached_res_B;
   ULong   trim_B;      /* the release estimate (glibc: malloc_trim(0)) */
   ULong   rt_B[RS_RT_N]; /* other and heap_live bytes taken by each
                             runtime's allocator (rs_runtime.h) */
} PagePass;

/* The resident heap pages with no live block byte the page pass met, in
   increasing order: the pages the release estimate is asked about, once
   the pass is over (kept from one detailed snapshot to the next). */
static Addr* dead_res_pages;
static UWord n_dead_res_pages, cap_dead_res_pages;

static void note_dead_res_page(Addr page)
{
   if (n_dead_res_pages == cap_dead_res_pages) {
      cap_dead_res_pages = cap_dead_res_pages ? 2 * cap_dead_res_pages : 1024;
      dead_res_pages = VG_(realloc)("rs.tree.deadres", dead_res_pages,
                                    cap_dead_res_pages * sizeof(Addr));
   }
   dead_res_pages[n_dead_res_pages++] = page;
}

/* A heap mapping that is a thread arena heap (64 MiB-aligned start) or a
   chunk glibc mmapped for one block. */
static Bool range_stands_alone(PageTable* pt, Addr start, Addr end)
{
   PageSlot* s;
   if ((start & (ARENA_HEAP_B - 1)) == 0)
      return True;
   s = find_slot(pt, start);
   return s != NULL && s->owner != NULL && s->owner->addr == start + CHUNK_HEADER_B
          && rs_mappings_is_own_chunk(s->owner->addr, s->owner->size);
}

static void heap_range(PagePass* pp, XArray* closed, Segment* seg, PageTable* pt,
                       Addr start, Addr end, const RsMapSite* site)
{
   Addr a = start;
   ULong dead_here = 0, dead_nonres_here = 0;
   /* A segment is a run of contiguous heap mappings (the brk heap's
      pieces; the main arena's mmapped extensions, which glibc maps one
      next to the other), except that a thread arena heap and a large
      chunk are each a segment of their own. */
   Bool apart = range_stands_alone(pt, start, end);
   if (!seg->open || seg->end != start || apart || seg->alone) {
      close_segment(closed, seg, pt);
      VG_(memset)(seg, 0, sizeof *seg);
      seg->start = start;
      seg->site = site;
      seg->open = True;
      seg->alone = apart;
   }
   seg->end = end;
   while (a < end) {
      UWord n = (end - a) / RS_PAGE_B, i;
      if (n > BATCH_PAGES)
         n = BATCH_PAGES;
      rs_read_residency(a, n, res_vec);
      for (i = 0; i < n; i++) {
         Addr page = a + i * RS_PAGE_B;
         Bool live = rs_pages_live_B(page) > 0;
         Bool res  = res_vec[i] & 1;
         segment_page(seg, page, live, res);
         if (live && !res) {
            PageSlot* s = find_slot(pt, page);
            if (s != NULL && s->owner != NULL)
               rs_nonres_add(pp->live_nonres, s->owner->where, RS_PAGE_B);
         }
         if (!live) {
            dead_here += RS_PAGE_B;
            if (!res)
               dead_nonres_here += RS_PAGE_B;
            sums_add(&pp->dead_sites, rs_pages_last_free_ecu(page), RS_PAGE_B,
                     res ? RS_PAGE_B : 0, 0);
            if (res)
               note_dead_res_page(page);
         }
      }
      a += n * RS_PAGE_B;
   }
   xt_add_B(pp->dead, site->where, dead_here);
   rs_nonres_add(pp->dead_nonres, site->where, dead_nonres_here);
}

/* Thread stacks: the main stack and live threads' stacks are in use; the
   others are stacks glibc keeps for exited threads (rs_stacks.h). */
static void stack_range(PagePass* pp, Addr start, Addr end, const RsMapSite* site)
{
   ULong nonres = nonres_B_in(start, end);
   xt_add_B(pp->stack, site->where, end - start);
   rs_nonres_add(pp->stack_nonres, site->where, nonres);
   if (!rs_stacks_is_cached(start, end, site)) {
      pp->stack_in_use_B += end - start;
      return;
   }
   pp->stack_cached_n++;
   pp->stack_cached_B += end - start;
   pp->stack_cached_res_B += (end - start) - nonres;
}

static void page_pass(PagePass* pp, RsText* an, PageTable* pt)
{
   UInt i, n = rs_mappings_n_ranges();
   Segment seg;
   XArray* closed = VG_(newXA)(VG_(malloc), "rs.tree.segments", VG_(free),
                               sizeof(ClosedSegment));
   VG_(memset)(&seg, 0, sizeof seg);
   rs_stacks_begin();
   for (i = 0; i < n; i++) {
      Addr start, end;
      const RsMapSite* site;
      if (!rs_mappings_range(i, &start, &end, &site))
         continue;
      switch (site->origin) {
      case RS_ORIGIN_HEAP:   heap_range(pp, closed, &seg, pt, start, end, site); break;
      case RS_ORIGIN_LOADER: add_loader_range(pp->objects, start, end); break;
      case RS_ORIGIN_STACK:  stack_range(pp, start, end, site); break;
      default:
         pp->rt_B[rs_runtime_of(site->where)] += end - start;
         xt_add_B(pp->other, site->where, end - start);
         rs_nonres_add(pp->other_nonres, site->where, nonres_B_in(start, end));
         break;
      }
   }
   close_segment(closed, &seg, pt);
   print_segments(an, closed);
   VG_(deleteXA)(closed);
   print_arenas(an);
}

/* ------------------------------------------------------------------ */
/* Live pages: owners, pinned pages.                                   */
/* ------------------------------------------------------------------ */

/* Live heap pages: each to its owner's allocation stack (the tree and the
   live sites), and the pinned ones (few useful bytes) to their owner. */
static void live_pass(XTree* live, SiteSums* live_sites, RsText* an, PageTable* pt,
                      ULong* rt_B)
{
   Bool any_rt = rs_runtime_any_block();
   SiteSums pins;
   ULong pinned_pages = 0, pinned_useful = 0;
   UWord i;
   sums_init(&pins, False);
   for (i = 0; i <= pt->mask; i++) {
      PageSlot* s = &pt->slot[i];
      UInt useful;
      /* Pages with an owner are heap pages (note_block). */
      if (!slot_used(pt, s) || s->owner == NULL)
         continue;
      xt_add_B(live, s->owner->where, RS_PAGE_B);
      if (any_rt)
         rt_B[rs_runtime_of(s->owner->where)] += RS_PAGE_B;
      sums_add(live_sites, (UWord)s->owner->where, RS_PAGE_B, 0, 0);
      useful = rs_pages_live_B(s->page);
      if (useful < (UInt)rs_clo.pinned_threshold_B + (RS_MUTANT_IS(24) ? 1 : 0)) {
         sums_add(&pins, (UWord)s->owner->where, 1, useful, 0);
         pinned_pages++;
         pinned_useful += useful;
      }
   }
   rs_text_printf(an, "#rs.pinned: pages=%llu bytes=%llu useful_B=%llu threshold_B=%d\n",
                  pinned_pages, pinned_pages * RS_PAGE_B, pinned_useful,
                  rs_clo.pinned_threshold_B);
   sums_print(an, &pins, "pinned_site", 5, "pages", "useful_B", NULL);
   sums_print(an, live_sites, "live_site", 10, "pages_B", "useful_B", "blocks");
}

/* ------------------------------------------------------------------ */
/* The detailed snapshot.                                              */
/* ------------------------------------------------------------------ */

/* `#rs.hint:` lines: a runtime's allocator holds memory rssmassif sees
   only as a whole (rs_runtime.h).  pymalloc when its arenas are at least
   half of `other`; the others whenever they hold any. */
static void print_hints(RsText* an, const ULong* rt_B, const RsTotals* t)
{
   RsRuntime rt;
   for (rt = RS_RT_NONE + 1; rt < RS_RT_N; rt++) {
      Bool in_heap = rt == RS_RT_GLIB_SLICE || rt == RS_RT_PERL;
      RsCategory c = in_heap ? RS_CAT_HEAP_LIVE : RS_CAT_OTHER;
      if (rt_B[rt] == 0 || RS_MUTANT_IS(1721))
         continue;
      if (rt == RS_RT_PYMALLOC && 2 * rt_B[rt] < t->mapped_B[c])
         continue;
      rs_text_printf(an, "#rs.hint: runtime=%s category=%s held_B=%llu category_B=%llu\n",
                     rs_runtime_name(rt), in_heap ? "heap_live" : "other",
                     rt_B[rt], t->mapped_B[c]);
   }
}

void rs_tree_build(RsDetail* d, const RsTotals* t)
{
   RsText an = { NULL, 0, 0 }, tree = { NULL, 0, 0 };
   PageTable pt;
   PagePass pp;
   XTree* live = new_xt(filter_alloc_stack);
   ULong total_B = 0;
   RsCategory c;

   for (c = 0; c < RS_N_CATS; c++)
      total_B += t->mapped_B[c];
   SiteSums live_sites;
   sums_init(&live_sites, False);
   sums_init(&pp.dead_sites, True);
   build_page_table(&pt, &live_sites);
   pp.dead    = new_xt(filter_heap_map_stack);
   pp.stack   = new_xt(filter_stack);
   pp.other   = new_xt(filter_stack);
   pp.objects = VG_(newXA)(VG_(malloc), "rs.tree.objs", VG_(free), sizeof(ObjBytes));
   pp.live_nonres  = rs_nonres_new(filter_alloc_stack);
   pp.dead_nonres  = rs_nonres_new(filter_heap_map_stack);
   pp.stack_nonres = rs_nonres_new(filter_stack);
   pp.other_nonres = rs_nonres_new(filter_stack);
   pp.trim_B  = 0;
   pp.stack_in_use_B = pp.stack_cached_B = pp.stack_cached_res_B = 0;
   pp.stack_cached_n = 0;

   VG_(memset)(pp.rt_B, 0, sizeof pp.rt_B);
   live_pass(live, &live_sites, &an, &pt, pp.rt_B);
   n_dead_res_pages = 0;
   page_pass(&pp, &an, &pt);
   pp.trim_B = rs_release_estimate_B(dead_res_pages, n_dead_res_pages);
   sums_print(&an, &pp.dead_sites, "dead_site", 10, "dead_B", "dead_res_B", NULL);
   rs_text_printf(&an, "#rs.stacks: in_use_B=%llu cached_B=%llu cached_res_B=%llu"
                  " cached_n=%llu\n", pp.stack_in_use_B, pp.stack_cached_B,
                  pp.stack_cached_res_B, pp.stack_cached_n);
   if (rs_heap.mmap_thr.n_raises > 0 && !rs_heap.mmap_thr.fixed
       && rs_heap.mmap_thr_where != NULL)
      rs_text_printf(&an, "#rs.mmap_threshold: threshold_B=%llu freed_chunk_B=%llu"
                     " later_heap_B=%llu later_heap_blocks=%llu"
                     " large_in_heap_blocks=%llu large_in_heap_B=%llu at=%s\n",
                     rs_heap.mmap_thr.threshold_B, rs_heap.mmap_thr_freed_B,
                     rs_heap.mmap_thr.later_heap_B, rs_heap.mmap_thr.later_heap_blocks,
                     pt.large_in_heap_n, pt.large_in_heap_B,
                     site_frame(rs_heap.mmap_thr_where));
   rs_text_printf(&an, "#rs.trim: estimate_B=%llu\n", pp.trim_B);
   print_hints(&an, pp.rt_B, t);

   rs_text_printf(&tree, "n5: %llu (mapped pages) heap_live + heap_dead + loader + stack + other\n",
                  total_B);
   append_xt_res(&tree, &an, live, pp.live_nonres, t->mapped_B[RS_CAT_HEAP_LIVE], total_B,
                 "heap_live", "heap pages holding live blocks, by allocation stack");
   append_xt_res(&tree, &an, pp.dead, pp.dead_nonres, t->mapped_B[RS_CAT_HEAP_DEAD], total_B,
                 "heap_dead", "freed-but-mapped heap pages, by the stack that mapped them");
   append_objects(&tree, &an, pp.objects, t->mapped_B[RS_CAT_LOADER], total_B,
                  "loader: executable, ld.so and libraries, by object");
   append_xt_res(&tree, &an, pp.stack, pp.stack_nonres, t->mapped_B[RS_CAT_STACK], total_B,
                 "stack", "thread stacks, by the stack that created them");
   append_xt_res(&tree, &an, pp.other, pp.other_nonres, t->mapped_B[RS_CAT_OTHER], total_B,
                 "other", "other mappings, by mmap stack");
   rs_nonres_delete(pp.live_nonres);
   rs_nonres_delete(pp.dead_nonres);
   rs_nonres_delete(pp.stack_nonres);
   rs_nonres_delete(pp.other_nonres);

   VG_(XT_delete)(live);
   VG_(XT_delete)(pp.dead);
   VG_(XT_delete)(pp.stack);
   VG_(XT_delete)(pp.other);
   VG_(deleteXA)(pp.objects);
   d->analysis = rs_text_take(&an);
   d->tree = rs_text_take(&tree);
   d->trim_estimate_B = pp.trim_B + (RS_MUTANT_IS(7) ? RS_PAGE_B : 0);
   d->release_estimate_B = pp.trim_B;
}

void rs_tree_free(RsDetail* d)
{
   if (d->analysis) RS_FREE(d->analysis);
   if (d->tree)     RS_FREE(d->tree);
   d->analysis = d->tree = NULL;
}

/* ------------------------------------------------------------------ */
/* The mapping site holding most retained memory.                      */
/* ------------------------------------------------------------------ */

typedef struct _SiteSum {
   struct _SiteSum* next;
   UWord            key;           /* ExeContext* of the mapping stack */
   ULong            retained_B;
} SiteSum;

static ULong retained_in_range(Addr start, Addr end)
{
   ULong sum = 0;
   Addr  a = start;
   while (a < end) {
      UWord n = (end - a) / RS_PAGE_B, i;
      if (n > BATCH_PAGES)
         n = BATCH_PAGES;
      rs_read_residency(a, n, res_vec);
      for (i = 0; i < n; i++)
         if ((res_vec[i] & 1) && rs_pages_live_B(a + i * RS_PAGE_B) == 0)
            sum += RS_PAGE_B;
      a += n * RS_PAGE_B;
   }
   return sum;
}

ExeContext* rs_tree_top_retained_site(ULong* retained_B)
{
   VgHashTable* sums = VG_(HT_construct)("rs.tree.sitesums");
   UInt i, n = rs_mappings_n_ranges();
   SiteSum* best = NULL, *s;
   ExeContext* where;
   for (i = 0; i < n; i++) {
      Addr start, end;
      const RsMapSite* site;
      ULong r;
      if (!rs_mappings_range(i, &start, &end, &site) || site->origin != RS_ORIGIN_HEAP)
         continue;
      r = retained_in_range(start, end);
      if (r == 0)
         continue;
      s = VG_(HT_lookup)(sums, (UWord)site->where);
      if (s == NULL) {
         s = VG_(calloc)("rs.tree.sitesum", 1, sizeof *s);
         s->key = (UWord)site->where;
         VG_(HT_add_node)(sums, s);
      }
      s->retained_B += r;
      if (best == NULL || s->retained_B > best->retained_B)
         best = s;
   }
   *retained_B = best ? best->retained_B : 0;
   where = best ? (ExeContext*)best->key : VG_(null_ExeContext)();
   VG_(HT_destruct)(sums, VG_(free));
   return where;
}
