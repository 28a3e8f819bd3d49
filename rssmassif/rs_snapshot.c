/*--------------------------------------------------------------------*/
/*--- rssmassif: totals and the snapshot store.      rs_snapshot.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_snapshot.h"
#include "rs_options.h"
#include "rs_blocks.h"
#include "rs_pages.h"
#include "rs_mappings.h"
#include "rs_output.h"
#include "rs_check.h"
#include "rs_stacks.h"
#include "pub_tool_libcproc.h"


ULong rs_guest_instrs;

#define MINCORE_BATCH_PAGES 65536        /* 256 MiB of address space */
static UChar mincore_vec[MINCORE_BATCH_PAGES];

static RsSnapshot* snaps;                /* rs_clo.max_snapshots slots */
static UInt        n_snaps;
static ULong       min_interval;         /* time units between snapshots */
static ULong       n_taken;              /* snapshots ever taken        */
static ULong       n_culls;              /* times the store was culled  */
static ULong       n_detailed;           /* detailed snapshots built    */
static ULong       n_detail_deferred;    /* periodic ones put off       */

void rs_snapshot_init(void)
{
   snaps = RS_MALLOC("rs.snapshot.store",
                     rs_clo.max_snapshots * sizeof(RsSnapshot));
   n_snaps = 0;
   min_interval = 0;
   n_taken = 0;
}

ULong rs_time_now(void)
{
   switch (rs_clo.time_unit) {
   case RS_TIME_MS: return VG_(read_millisecond_timer)() * (RS_MUTANT_IS(25) ? 1000 : 1);
   case RS_TIME_B:  return rs_heap.allocated_B + rs_heap.freed_B;
   default:         return rs_guest_instrs;
   }
}

/* ------------------------------------------------------------------ */
/* Totals.                                                             */
/* ------------------------------------------------------------------ */

/* Adds n pages from a, of one origin, to the totals; vec holds their
   residency.  cached: pages of a thread stack no live thread runs on. */
static void count_pages(RsTotals* t, Addr a, UWord n, RsOrigin origin,
                        Bool cached, const UChar* vec)
{
   static const RsCategory cat_of_origin[RS_N_ORIGINS] = {
      [RS_ORIGIN_HEAP] = RS_CAT_HEAP_LIVE, [RS_ORIGIN_LOADER] = RS_CAT_LOADER,
      [RS_ORIGIN_STACK] = RS_CAT_STACK,    [RS_ORIGIN_OTHER] = RS_CAT_OTHER };
   UWord i, res = 0;
   for (i = 0; i < n; i++)
      res += vec[i] & 1;
   if (origin == RS_ORIGIN_HEAP) {
      ULong live, live_res;
      rs_pages_count_live(a, n, vec, &live, &live_res);
      t->mapped_B[RS_CAT_HEAP_LIVE]   += live * RS_PAGE_B;
      t->resident_B[RS_CAT_HEAP_LIVE] += live_res * RS_PAGE_B;
      t->mapped_B[RS_CAT_HEAP_DEAD]   += (n - live + (RS_MUTANT_IS(2) ? live : 0)
                                          - (RS_MUTANT_IS(1402) && n > live ? 1 : 0)) * RS_PAGE_B;
      t->resident_B[RS_CAT_HEAP_DEAD] += (RS_MUTANT_IS(1403) ? n - live : res - live_res) * RS_PAGE_B;
   } else {
      if (RS_MUTANT_IS(3) && origin == RS_ORIGIN_LOADER)
         res = n;
      if (RS_MUTANT_IS(4) && origin == RS_ORIGIN_STACK)
         res = 0;
      t->mapped_B[cat_of_origin[origin]]   += (ULong)n * RS_PAGE_B;
      t->resident_B[cat_of_origin[origin]] += (ULong)res * RS_PAGE_B;
   }
   if (cached) {
      t->stack_cached_B     += (ULong)n * RS_PAGE_B;
      t->stack_cached_res_B += (ULong)res * RS_PAGE_B;
   }
}

/* Contiguous mapped ranges are read with one mincore: the heap can be
   thousands of ranges side by side (under Valgrind glibc grows the main
   arena by 132 KiB mappings once the brk reservation is used up). */
typedef struct { Addr start, end; RsOrigin origin; Bool cached; } RunPart;
#define MAX_RUN_PARTS 512

typedef struct {
   RunPart part[MAX_RUN_PARTS];
   UInt    n;
} Run;

static void flush_run(RsTotals* t, Run* run)
{
   Addr lo, hi;
   UInt k;
   if (run->n == 0)
      return;
   lo = run->part[0].start;
   hi = run->part[run->n - 1].end;
   rs_read_residency(lo, (hi - lo) / RS_PAGE_B, mincore_vec);
   for (k = 0; k < run->n; k++) {
      const RunPart* p = &run->part[k];
      count_pages(t, p->start, (p->end - p->start) / RS_PAGE_B, p->origin,
                  p->cached, &mincore_vec[(p->start - lo) / RS_PAGE_B]);
   }
   run->n = 0;
}

static void add_range(RsTotals* t, Run* run, Addr start, Addr end,
                      RsOrigin origin, Bool cached)
{
   UWord pages = (end - start) / RS_PAGE_B;
   if (run->n > 0
       && (run->part[run->n - 1].end != start || run->n == MAX_RUN_PARTS
           || (end - run->part[0].start) / RS_PAGE_B > MINCORE_BATCH_PAGES))
      flush_run(t, run);
   if (pages > MINCORE_BATCH_PAGES) {             /* a big range: by batches */
      Addr a = start;
      while (a < end) {
         UWord n = (end - a) / RS_PAGE_B;
         if (n > MINCORE_BATCH_PAGES)
            n = MINCORE_BATCH_PAGES;
         rs_read_residency(a, n, mincore_vec);
         count_pages(t, a, n, origin, cached, mincore_vec);
         a += n * RS_PAGE_B;
      }
      return;
   }
   run->part[run->n].start  = start;
   run->part[run->n].end    = end;
   run->part[run->n].origin = origin;
   run->part[run->n].cached = cached;
   run->n++;
}

void rs_totals_now(RsTotals* t)
{
   static Run run;
   UInt i, n;
   rs_mappings_sync_main_stack();
   n = rs_mappings_n_ranges();
   if (!RS_MUTANT_IS(9))
      rs_blocks_take_all_frees();
   VG_(memset)(t, 0, sizeof *t);
   t->useful_B = rs_heap.useful_B;
   t->blocks   = rs_heap.n_blocks;
   run.n = 0;
   rs_stacks_begin();
   for (i = 0; i < n; i++) {
      Addr start, end;
      const RsMapSite* site;
      Bool cached;
      if (!rs_mappings_range(i, &start, &end, &site))
         continue;
      cached = rs_stacks_is_cached(start, end, site);
      t->stack_cached_n += cached;
      add_range(t, &run, start, end, site->origin, cached);
   }
   flush_run(t, &run);
}

/* ------------------------------------------------------------------ */
/* The store.                                                          */
/* ------------------------------------------------------------------ */

static Bool cullable(const RsSnapshot* s)
{
   return s->label == NULL && !s->is_exit && s->tree_kind != RS_TREE_PEAK
          && !s->peak_retained;
}

static void free_snapshot(RsSnapshot* s)
{
   if (s->label)
      RS_FREE(s->label);
   rs_tree_free(&s->detail);
}

/* Removes the cullable snapshot whose neighbours are closest together,
   until half the store is free.  Keeps the time axis even. */
static void cull(void)
{
   UInt target = rs_clo.max_snapshots / 2, i;
   n_culls++;
   while (n_snaps > target) {
      UInt  best = 0;
      ULong best_span = ~0ULL;
      for (i = 1; i + 1 < n_snaps; i++) {
         ULong span = snaps[i + 1].time - snaps[i - 1].time;
         if (cullable(&snaps[i]) && span < best_span) {
            best = i;
            best_span = span;
         }
      }
      if (best == 0)
         break;                        /* nothing cullable left */
      free_snapshot(&snaps[best]);
      VG_(memmove)(&snaps[best], &snaps[best + 1],
                   (n_snaps - best - 1) * sizeof(RsSnapshot));
      n_snaps--;
   }
   /* The next snapshot waits for the smallest span two neighbouring
      intervals cover now: the spacing at least doubles at each cull. */
   min_interval = ~0ULL;
   for (i = 1; i + 1 < n_snaps; i++) {
      ULong span = snaps[i + 1].time - snaps[i - 1].time;
      if (span < min_interval)
         min_interval = span;
   }
   /* ...and never less than the mean interval of the snapshots kept, so
      new ones come as far apart as the old ones are (snapshots bunched at
      one time, as at start-up, would otherwise keep it tiny). */
   if (n_snaps > 1) {
      ULong share = (snaps[n_snaps - 1].time - snaps[0].time)
                    / (ULong)(n_snaps - 1);
      if (min_interval == ~0ULL || min_interval < share)
         min_interval = share;
   }
   if (min_interval == ~0ULL || min_interval == 0)
      min_interval = 1;
}

/* Drops the oldest snapshot that is neither the peak nor the final one
   (only needed when nothing else could be culled). */
static void drop_oldest(void)
{
   UInt i;
   for (i = 0; i < n_snaps; i++)
      if (snaps[i].tree_kind != RS_TREE_PEAK && !snaps[i].is_exit)
         break;
   if (i == n_snaps)
      i = 0;
   free_snapshot(&snaps[i]);
   VG_(memmove)(&snaps[i], &snaps[i + 1], (n_snaps - i - 1) * sizeof(RsSnapshot));
   n_snaps--;
}

static RsSnapshot* new_slot(void)
{
   if (n_snaps == (UInt)rs_clo.max_snapshots)
      cull();
   if (n_snaps == (UInt)rs_clo.max_snapshots)
      drop_oldest();
   return &snaps[n_snaps++];
}

static Bool  have_peak;
static ULong peak_heap_B;          /* mapped heap at the peak snapshot */
static ULong max_retained_B;       /* greatest heap_dead_res_B seen    */

/* A detailed snapshot walks every live block (rs_tree.c).  Massif's
   trees cost it O(sites); ours grow with the heap, and most periodic
   ones are culled later.  So periodic detail has a budget in blocks
   walked: RS_DETAIL_FREE_BLOCKS, plus --detailed-budget per heap event
   (alloc, free, mapping change) so far.  A periodic snapshot that would
   overdraw it stays plain and the next snapshot tries again.  The cost
   of detail per event is then bounded whatever the heap's size, and a
   small program never meets the limit.  Peak, labelled and final
   snapshots are always detailed (they draw on the budget too). */
#define RS_DETAIL_FREE_BLOCKS (4ULL << 20)
static ULong detail_walked_blocks;
static Bool  detail_pending;          /* a periodic detail is due */

static ULong heap_events(void)
{
   const RsMapCounters* m = &rs_map_counters;
   return rs_heap.n_allocs + rs_heap.n_frees + m->n_mmap + m->n_munmap
          + m->n_mremap + m->n_brk_grow + m->n_brk_shrink + m->n_mprotect
          + m->n_madvise;
}

static Bool detail_affordable(void)
{
   ULong allowed;
   if (rs_clo.detailed_budget == 0)
      return True;                       /* no budget: Massif's rule */
   allowed = RS_DETAIL_FREE_BLOCKS + (ULong)rs_clo.detailed_budget * heap_events();
   return detail_walked_blocks + rs_heap.n_blocks <= allowed;
}

static void make_detailed(RsSnapshot* s, RsTreeKind kind)
{
   if (s->tree_kind == RS_TREE_EMPTY) {
      rs_tree_build(&s->detail, &s->totals);
      detail_walked_blocks += rs_heap.n_blocks;
      n_detailed++;
   }
   s->tree_kind = kind;
}

/* Marks s as holding the greatest retained memory so far, if it does. */
static void note_retained(RsSnapshot* s)
{
   UInt i;
   if (s->totals.resident_B[RS_CAT_HEAP_DEAD] <= max_retained_B || (RS_MUTANT_IS(35) && max_retained_B > 0))
      return;
   max_retained_B = s->totals.resident_B[RS_CAT_HEAP_DEAD];
   for (i = 0; i < n_snaps; i++)
      snaps[i].peak_retained = False;
   s->peak_retained = True;
}

/* Takes a snapshot now; every --detailed-freq'th one is detailed, or
   the first one after it that the detail budget affords. */
static RsSnapshot* take(Bool detailed)
{
   RsSnapshot* s = new_slot();
   VG_(memset)(s, 0, sizeof *s);
   rs_totals_now(&s->totals);     /* first: takes the deferred frees, */
   s->time = rs_time_now();       /* which --time-unit=B counts       */
   s->mmap_thr = rs_heap.mmap_thr;
   s->mmap_thr_raised = rs_heap.mmap_thr.n_raises > 0 && !rs_heap.mmap_thr.fixed;
   if (rs_clo.check)
      rs_check_all(&s->totals);
   s->tree_kind = RS_TREE_EMPTY;
   if (n_taken % rs_clo.detailed_freq == (ULong)rs_clo.detailed_freq - 1) {
      if (detail_pending)
         n_detail_deferred++;           /* the previous one never came */
      detail_pending = True;
   }
   if (detailed || (detail_pending && detail_affordable())) {
      make_detailed(s, RS_TREE_DETAILED);
      detail_pending = False;
   }
   n_taken++;
   note_retained(s);
   return s;
}

/* The peak snapshot is unique: the previous one stays detailed. */
static void mark_peak(RsSnapshot* s)
{
   UInt i;
   for (i = 0; i < n_snaps; i++)
      if (snaps[i].tree_kind == RS_TREE_PEAK)
         snaps[i].tree_kind = RS_TREE_DETAILED;
   if (RS_MUTANT_IS(5) && n_snaps > 1 && s == &snaps[n_snaps - 1])
      s = &snaps[n_snaps - 2];
   if (RS_MUTANT_IS(5) && n_snaps > 1 && s == &snaps[n_snaps - 1])
      s = &snaps[n_snaps - 2];
   if (RS_MUTANT_IS(5) && n_snaps > 1 && s == &snaps[n_snaps - 1])
      s = &snaps[n_snaps - 2];
   make_detailed(s, RS_TREE_PEAK);
   have_peak = True;
   peak_heap_B = s->totals.mapped_B[RS_CAT_HEAP_LIVE]
                 + s->totals.mapped_B[RS_CAT_HEAP_DEAD];
}

/* Set once the final snapshot is taken: what runs after it (Valgrind's
   freeres) is not the program's and takes no snapshot. */
static Bool exit_taken;

void rs_snapshot_before_heap_shrink(ULong heap_mapped_B)
{
   /* No peak before the first allocation: at start-up Valgrind gives the
      first brk page and takes it back before the client runs. */
   if (snaps == NULL || heap_mapped_B == 0 || rs_heap.n_allocs == 0
       || exit_taken)
      return;
   if (have_peak && heap_mapped_B
       <= peak_heap_B + (RS_MUTANT_IS(28) ? 0 : (ULong)(peak_heap_B * rs_clo.peak_inaccuracy / 100.0)))
      return;
   mark_peak(take(False));
   rs_output_stream_snapshot(&snaps[n_snaps - 1]);
}

void rs_snapshot_maybe(void)
{
   if (snaps == NULL || exit_taken)
      return;                 /* before the options are known; after exit */
   if (n_snaps > 0 && rs_time_now() - snaps[n_snaps - 1].time < min_interval)
      return;
   rs_output_stream_snapshot(take(False));
}

static HChar* sanitised_copy(const HChar* label)
{
   HChar* s = RS_MALLOC("rs.snapshot.label", 65);
   UInt i;
   if (label[0] == '\0')
      label = "_";                      /* an empty label would be no label */
   for (i = 0; i < 64 && label[i] != '\0'; i++) {
      HChar c = label[i];
      Bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
      s[i] = ok ? c : '_';
   }
   s[i] = '\0';
   return s;
}

const RsSnapshot* rs_snapshot_labelled(const HChar* label)
{
   RsSnapshot* s = take(True);
   s->label = RS_MUTANT_IS(6) ? NULL : sanitised_copy(label);
   rs_output_stream_snapshot(s);
   return s;
}

void rs_snapshot_fill_transient(RsSnapshot* s, Bool detailed)
{
   VG_(memset)(s, 0, sizeof *s);
   rs_totals_now(&s->totals);
   s->time = rs_time_now();
   s->tree_kind = RS_TREE_EMPTY;
   if (detailed)
      make_detailed(s, RS_TREE_DETAILED);
}

void rs_snapshot_free_transient(RsSnapshot* s)
{
   free_snapshot(s);
}

/* The final snapshot is always detailed; it is the peak when the mapped
   heap is now above every earlier peak.  Taken once: at the program's
   exit (rs_main.c), or at fini when the program never got there. */
void rs_snapshot_final(Bool at_exit_syscall)
{
   RsSnapshot* s;
   ULong heap_B;
   if (exit_taken || snaps == NULL)
      return;
   s = take(True);
   heap_B = s->totals.mapped_B[RS_CAT_HEAP_LIVE]
            + s->totals.mapped_B[RS_CAT_HEAP_DEAD];
   s->is_exit = True;
   s->before_freeres = at_exit_syscall;
   if (!have_peak || heap_B > peak_heap_B)
      mark_peak(s);
   exit_taken = True;
   rs_output_stream_snapshot(s);
}

void rs_snapshot_note_in_use_at_exit(void)
{
   RsSnapshot* s = n_snaps > 0 && snaps[n_snaps - 1].is_exit
                   ? &snaps[n_snaps - 1] : NULL;
   rs_blocks_take_all_frees();
   if (s == NULL || !s->before_freeres)
      return;                  /* no freeres ran (a fatal signal) */
   s->have_in_use = True;
   s->in_use_at_exit_B = rs_heap.useful_B;
   s->in_use_at_exit_blocks = rs_heap.n_blocks;
}

UInt rs_snapshot_count(void) { return n_snaps; }

const RsSnapshot* rs_snapshot_get(UInt i)
{
   tl_assert(i < n_snaps);
   return &snaps[i];
}

const RsSnapshot* rs_snapshot_last(void)
{
   return n_snaps > 0 && snaps[n_snaps - 1].is_exit ? &snaps[n_snaps - 1] : NULL;
}

void rs_snapshot_print_stats(void)
{
   VG_(umsg)("rssmassif: snapshots taken: %llu, culls: %llu, kept: %u, "
             "interval: %llu, self-checks: %llu\n", n_taken, n_culls, n_snaps,
             min_interval, rs_check_n_runs());
   rs_resid_print_stats();
   VG_(umsg)("rssmassif: detailed snapshots built: %llu, blocks walked: %llu, "
             "periodic ones deferred: %llu (budget %d/event)\n", n_detailed,
             detail_walked_blocks, n_detail_deferred, rs_clo.detailed_budget);
}
