/* rs_limits.h -- retained-memory limits, reported as Valgrind errors.

   --max-retained=SIZE and --max-retained-pct=PCT turn retained memory
   (heap_dead_res_B) into an error of kind "Retained" through the core's
   error manager, so --error-exitcode, --gen-suppressions and suppression
   files (`rssmassif:Retained`) behave as with any other tool.  Limits are
   checked at exit and at every labelled snapshot. */
#ifndef RS_LIMITS_H
#define RS_LIMITS_H
#include "rs_common.h"
#include "rs_snapshot.h"

void  rs_limits_register(void);
/* Checks snapshot s (where = "at exit" or its label) against the limits. */
void  rs_limits_check(ThreadId tid, const RsSnapshot* s);
ULong rs_limits_n_breaches(void);

#endif
