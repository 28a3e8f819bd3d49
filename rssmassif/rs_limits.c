/*--------------------------------------------------------------------*/
/*--- rssmassif: retained-memory limits as errors.     rs_limits.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_limits.h"
#include "rs_options.h"
#include "rs_tree.h"
#include "pub_tool_errormgr.h"
#include "pub_tool_tooliface.h"
#include "pub_tool_threadstate.h"

typedef enum { RS_ERR_RETAINED = 0 } RsErrorKind;

/* What an error carries besides its stack. */
typedef struct {
   ULong retained_B;       /* heap_dead_res_B of the snapshot       */
   ULong heap_B;           /* mapped heap (live + dead)             */
   ULong site_B;           /* retained bytes under the error's stack */
   ULong limit_B;          /* the byte limit, or 0                   */
   double limit_pct;       /* the percentage limit, or < 0           */
   HChar when[80];         /* "at exit" or "at snapshot 'label'"     */
} RetainedExtra;

static ULong n_breaches;

static Bool eq_error(VgRes res, const Error* e1, const Error* e2)
{
   return VG_(eq_ExeContext)(res, VG_(get_error_where)(e1),
                             VG_(get_error_where)(e2));
}

static void before_pp(const Error* err) { }

static void pp_error(const Error* err)
{
   const RetainedExtra* x = VG_(get_error_extra)(err);
   if (x->limit_B > 0 && x->retained_B > x->limit_B)
      VG_(umsg)("Retained memory above --max-retained=%'llu %s: %'llu bytes "
                "freed but still mapped and resident\n",
                x->limit_B, x->when, x->retained_B);
   else
      VG_(umsg)("Retained memory above --max-retained-pct=%.1f %s: %'llu bytes "
                "(%.1f%% of %'llu mapped heap bytes) freed but still mapped "
                "and resident\n", x->limit_pct, x->when, x->retained_B,
                x->heap_B ? 100.0 * x->retained_B / x->heap_B : 0.0, x->heap_B);
   VG_(umsg)(" %'llu bytes of it are in pages mapped here:\n", x->site_B);
   VG_(pp_ExeContext)(VG_(get_error_where)(err));
}

static UInt update_extra(const Error* err) { return sizeof(RetainedExtra); }

static Bool recognised_suppression(const HChar* name, Supp* su)
{
   if (!VG_STREQ(name, "Retained"))
      return False;
   VG_(set_supp_kind)(su, RS_ERR_RETAINED);
   return True;
}

static Bool read_extra_suppression_info(Int fd, HChar** bufpp, SizeT* nBufp,
                                        Int* lineno, Supp* su)
{
   return True;
}

static Bool error_matches_suppression(const Error* err, const Supp* su)
{
   return VG_(get_supp_kind)(su) == VG_(get_error_kind)(err);
}

static const HChar* get_error_name(const Error* err) { return "Retained"; }

static SizeT print_extra_suppression_info(const Error* err, HChar* buf, Int nBuf)
{
   buf[0] = '\0';
   return 0;
}

static SizeT print_extra_suppression_use(const Supp* su, HChar* buf, Int nBuf)
{
   buf[0] = '\0';
   return 0;
}

static void update_extra_suppression_use(const Error* err, const Supp* su) { }

void rs_limits_register(void)
{
   VG_(needs_tool_errors)(eq_error, before_pp, pp_error, False, update_extra,
                          recognised_suppression, read_extra_suppression_info,
                          error_matches_suppression, get_error_name,
                          print_extra_suppression_info,
                          print_extra_suppression_use,
                          update_extra_suppression_use);
}

static Bool over_limit(ULong retained_B, ULong heap_B)
{
   if (rs_clo.max_retained_B > 0 && retained_B > rs_clo.max_retained_B)
      return True;
   return !RS_MUTANT_IS(21) && rs_clo.max_retained_pct >= 0.0 && heap_B > 0
          && 100.0 * retained_B / heap_B > rs_clo.max_retained_pct;
}

void rs_limits_check(ThreadId tid, const RsSnapshot* s)
{
   RetainedExtra x;
   ExeContext* where;
   VG_(memset)(&x, 0, sizeof x);
   x.retained_B = s->totals.resident_B[RS_CAT_HEAP_DEAD];
   x.heap_B = s->totals.mapped_B[RS_CAT_HEAP_LIVE] + s->totals.mapped_B[RS_CAT_HEAP_DEAD];
   if (!over_limit(x.retained_B, x.heap_B) || (RS_MUTANT_IS(22) && s->label))
      return;
   n_breaches++;
   x.limit_B = rs_clo.max_retained_B;
   x.limit_pct = rs_clo.max_retained_pct;
   if (s->label)
      VG_(snprintf)(x.when, sizeof x.when, "at snapshot '%s'", s->label);
   else
      VG_(snprintf)(x.when, sizeof x.when, "at exit");
   where = rs_tree_top_retained_site(&x.site_B);
   VG_(unique_error)(tid == VG_INVALID_THREADID ? 1 : tid, RS_ERR_RETAINED,
                     0, NULL, &x, where, True, False, True);
}

ULong rs_limits_n_breaches(void) { return n_breaches; }
