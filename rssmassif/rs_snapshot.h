/* rs_snapshot.h -- observing the client: totals, time, and the snapshot
   store.

   A snapshot is RsTotals at a time.  Snapshots are taken at heap and
   mapping events once at least `min_interval` time units have passed
   since the last one (Massif's policy); when the store is full, the
   snapshots closest to their neighbours are culled and the interval
   grows, so the kept ones stay evenly spread over the run.  Labelled
   snapshots and the final one are never culled.

   Cost: computing totals walks the mapped pages (mincore in batches, one
   page-counter read per heap page): proportional to mapped pages, never
   to the number of blocks. */
#ifndef RS_SNAPSHOT_H
#define RS_SNAPSHOT_H
#include "rs_common.h"
#include "rs_tree.h"
#include "rs_glibc_mmap.h"
#include "rs_resid.h"      /* rs_read_residency, used with the totals */

typedef enum {
   RS_TREE_EMPTY,      /* heap_tree=empty    */
   RS_TREE_DETAILED,   /* heap_tree=detailed */
   RS_TREE_PEAK        /* heap_tree=peak     */
} RsTreeKind;

typedef struct {
   ULong       time;
   RsTotals    totals;
   RsTreeKind  tree_kind;
   HChar*      label;       /* NULL, or a sanitised label            */
   Bool        is_exit;     /* the final snapshot, taken at exit      */
   Bool        before_freeres; /* ...at the program's exit syscall,
                                  before Valgrind's freeres ran        */
   /* The exit snapshot, at fini: the HEAP SUMMARY's "in use at exit"
      (after freeres, as Memcheck counts). */
   /* glibc's dynamic mmap threshold at this time, when a free raised it
      (and the program did not fix it). */
   Bool            mmap_thr_raised;
   RsMmapThreshold mmap_thr;
   Bool        have_in_use;
   ULong       in_use_at_exit_B;
   ULong       in_use_at_exit_blocks;
   Bool        peak_retained; /* the greatest heap_dead_res_B so far  */
   RsDetail    detail;      /* set when tree_kind != RS_TREE_EMPTY    */
} RsSnapshot;

/* Guest instructions executed so far (bumped by instrumented code). */
extern ULong rs_guest_instrs;

void  rs_snapshot_init(void);
/* The current time in the unit chosen by --time-unit. */
ULong rs_time_now(void);
/* Reads the current totals (residency from the kernel, now). */
void  rs_totals_now(RsTotals* t);

/* Takes a snapshot if the interval since the last one has passed. */
void  rs_snapshot_maybe(void);
/* Always takes a detailed snapshot, marked with `label` (a sanitised
   copy: characters outside [A-Za-z0-9._-] become '_', 64 kept). */
const RsSnapshot* rs_snapshot_labelled(const HChar* label);
/* A snapshot of now that is not kept in the store (monitor commands). */
void  rs_snapshot_fill_transient(RsSnapshot* s, Bool detailed);
void  rs_snapshot_free_transient(RsSnapshot* s);
/* Takes the final snapshot (the exit state), once: at the program's exit
   syscall (at_exit_syscall: before freeres), or at fini when the program
   never made one (a fatal signal).  No snapshot is taken after it. */
void  rs_snapshot_final(Bool at_exit_syscall);
/* At fini, after freeres: takes the frees not yet counted and records
   what is in use then on the exit snapshot (in_use_at_exit_*). */
void  rs_snapshot_note_in_use_at_exit(void);
/* Called before the mapped heap shrinks from heap_mapped_B: takes the
   peak snapshot if this is a new peak (by more than --peak-inaccuracy). */
void  rs_snapshot_before_heap_shrink(ULong heap_mapped_B);

UInt              rs_snapshot_count(void);
const RsSnapshot* rs_snapshot_get(UInt i);
/* The final snapshot, or NULL before exit. */
const RsSnapshot* rs_snapshot_last(void);

/* Counters for -v / --stats=yes. */
void rs_snapshot_print_stats(void);

#endif
