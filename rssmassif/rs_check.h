/* rs_check.h -- self-checks (--rs-check=yes): re-derive what the tool
   keeps incrementally and assert that both agree. */
#ifndef RS_CHECK_H
#define RS_CHECK_H
#include "rs_common.h"

/* Checks, against the block table and the mapping map:
   - every page's live-byte counter (rs_pages) and the number of live pages;
   - useful_B and the number of live blocks;
   - the mapped heap bytes kept by rs_mappings;
   - that t (just computed) sums to the mapped ranges, resident <= mapped.
   Panics with a description on the first disagreement. */
void rs_check_all(const RsTotals* t);
ULong rs_check_n_runs(void);

#endif
