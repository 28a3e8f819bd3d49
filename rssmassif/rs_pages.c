/*--------------------------------------------------------------------*/
/*--- rssmassif: per-page live-byte counters.           rs_pages.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_pages.h"

/* A three-level radix tree over page numbers (48-bit user addresses,
   4 KiB pages: 36-bit page numbers = 12 + 12 + 12 bits).

     top[i1] -> mid (4096 pointers) -> leaf (4096 UInt counters)

   A leaf covers 16 MiB of address space and costs 16 KiB; it is created
   on the first block that touches its range and never freed (heaps reuse
   their address ranges).  Missing nodes read as zero.  The last leaf used
   is cached: consecutive allocations are almost always close together. */

#define LVL_BITS   12
#define LVL_SIZE   (1u << LVL_BITS)
#define LVL_MASK   (LVL_SIZE - 1)

typedef struct {
   UInt   count[LVL_SIZE];
   UInt*  last_free_ecu;      /* LVL_SIZE entries, made on the first free */
} Leaf;
typedef struct { Leaf* leaf[LVL_SIZE]; } Mid;

static Mid*  top[LVL_SIZE];
static ULong n_live_pages;
static ULong n_leaves, n_mids, n_ecu_arrays;

static Addr  cached_base = 1;      /* never a valid leaf base: forces lookup */
static Leaf* cached_leaf;

void rs_pages_init(void)
{
   VG_(memset)(top, 0, sizeof top);
   n_live_pages = n_leaves = n_mids = 0;
}

static inline Addr leaf_base(Addr pageno) { return pageno & ~(Addr)LVL_MASK; }

/* The leaf holding page number `pageno`; created if `create`. */
static Leaf* find_leaf(Addr pageno, Bool create)
{
   UWord i1 = (pageno >> (2 * LVL_BITS)) & LVL_MASK;
   UWord i2 = (pageno >> LVL_BITS) & LVL_MASK;
   Mid*  mid;
   Leaf* leaf;

   if (leaf_base(pageno) == cached_base)
      return cached_leaf;
   tl_assert((pageno >> (3 * LVL_BITS)) == 0);
   mid = top[i1];
   if (mid == NULL) {
      if (!create) return NULL;
      mid = RS_MALLOC("rs.pages.mid", sizeof *mid);
      VG_(memset)(mid, 0, sizeof *mid);
      top[i1] = mid;
      n_mids++;
   }
   leaf = mid->leaf[i2];
   if (leaf == NULL) {
      if (!create) return NULL;
      leaf = RS_MALLOC("rs.pages.leaf", sizeof *leaf);
      VG_(memset)(leaf, 0, sizeof *leaf);      /* no last_free_ecu yet */
      mid->leaf[i2] = leaf;
      n_leaves++;
   }
   cached_base = leaf_base(pageno);
   cached_leaf = leaf;
   return leaf;
}

static inline void add_to_page(Addr pageno, UInt bytes)
{
   if (!rs_pages_is_user_page(pageno << RS_PAGE_SHIFT))
      return;
   UInt* c = &find_leaf(pageno, True)->count[pageno & LVL_MASK];
   if (*c == 0 && bytes > 0)
      n_live_pages++;
   *c += bytes;
}

static UInt freeing_ecu;    /* rs_pages_sub's ecu, for sub_from_page */

static inline void sub_from_page(Addr pageno, UInt bytes)
{
   Leaf* leaf;
   UInt* c;
   if (!rs_pages_is_user_page(pageno << RS_PAGE_SHIFT))
      return;
   leaf = find_leaf(pageno, False);
   if (leaf == NULL)
      return;                   /* never added: a bad free of a custom block */
   c = &leaf->count[pageno & LVL_MASK];
   if (*c == 0)
      return;
   *c = *c > bytes ? *c - bytes : 0;
   if (*c != 0)
      return;
   n_live_pages--;
   if (freeing_ecu != 0) {
      if (leaf->last_free_ecu == NULL) {
         leaf->last_free_ecu = VG_(calloc)("rs.pages.lastfree", LVL_SIZE, sizeof(UInt));
         n_ecu_arrays++;
      }
      leaf->last_free_ecu[pageno & LVL_MASK] = freeing_ecu;
   }
}

/* Calls `op` with the bytes of [a, a+len) that fall on each page. */
#define FOR_EACH_PAGE_PART(a, len, op)                                   \
   do {                                                                  \
      Addr  p_    = (a);                                                 \
      Addr  end_  = (a) + (len);                                         \
      while (p_ < end_) {                                                \
         Addr next_ = RS_PAGE_DOWN(p_) + RS_PAGE_B;                      \
         Addr stop_ = next_ < end_ ? next_ : end_;                       \
         op(p_ >> RS_PAGE_SHIFT, (UInt)(stop_ - p_));                    \
         p_ = stop_;                                                     \
      }                                                                  \
   } while (0)

void rs_pages_add(Addr a, SizeT len)
{
   Addr lo, hi;
   if (rs_pages_user_extent(a, len, &lo, &hi))
      FOR_EACH_PAGE_PART(lo, hi - lo, add_to_page);
}

void rs_pages_sub(Addr a, SizeT len, UInt ecu)
{
   Addr lo, hi;
   freeing_ecu = ecu;
   if (RS_MUTANT_IS(1) && len > RS_PAGE_B)
      return;
   if (RS_MUTANT_IS(1) && len > RS_PAGE_B)
      return;
   if (RS_MUTANT_IS(1) && len > RS_PAGE_B)
      return;
   if (rs_pages_user_extent(a, len, &lo, &hi))
      FOR_EACH_PAGE_PART(lo, hi - lo, sub_from_page);
}

UInt rs_pages_last_free_ecu(Addr a)
{
   Addr  pageno = a >> RS_PAGE_SHIFT;
   Leaf* leaf   = rs_pages_is_user_page(a) ? find_leaf(pageno, False) : NULL;
   return leaf && leaf->last_free_ecu ? leaf->last_free_ecu[pageno & LVL_MASK] : 0;
}

UInt rs_pages_live_B(Addr a)
{
   Addr  pageno = a >> RS_PAGE_SHIFT;
   Leaf* leaf   = rs_pages_is_user_page(a) ? find_leaf(pageno, False) : NULL;
   return leaf ? leaf->count[pageno & LVL_MASK] : 0;
}

void rs_pages_count_live(Addr a, UWord n, const UChar* vec,
                         ULong* live_pages, ULong* live_res_pages)
{
   Addr  pageno = a >> RS_PAGE_SHIFT;
   UWord i = 0;
   *live_pages = *live_res_pages = 0;
   while (i < n && rs_pages_is_user_page((pageno + i) << RS_PAGE_SHIFT)) {
      Addr  p = pageno + i;
      UWord in_leaf = LVL_SIZE - (p & LVL_MASK), k;
      Leaf* leaf = find_leaf(p, False);
      if (in_leaf > n - i)
         in_leaf = n - i;
      if (leaf != NULL) {                   /* no leaf: no live page */
         const UInt* c = &leaf->count[p & LVL_MASK];
         for (k = 0; k < in_leaf; k++) {
            if (c[k] != 0) {
               (*live_pages)++;
               *live_res_pages += vec[i + k] & 1;
            }
         }
      }
      i += in_leaf;
   }
}

ULong rs_pages_n_live_pages(void) { return n_live_pages; }

ULong rs_pages_overhead_B(void)
{
   return n_leaves * sizeof(Leaf) + n_mids * sizeof(Mid)
          + n_ecu_arrays * LVL_SIZE * sizeof(UInt);
}
