/*--------------------------------------------------------------------*/
/*--- rssmassif: command-line options.                rs_options.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_options.h"
#include "pub_tool_options.h"

RsOptions rs_clo;

/* The `desc:` line of the output file lists the tool's own options as the
   user gave them (Massif does the same). */
static HChar* desc_buf;
static SizeT  desc_len;

void rs_options_init(void)
{
   rs_clo.out_file        = "rssmassif.out.%p";
   rs_clo.time_unit       = RS_TIME_I;
   rs_clo.max_snapshots   = 100;
   rs_clo.detailed_freq   = 10;
   rs_clo.detailed_budget = 2;
   rs_clo.depth           = 30;
   rs_clo.threshold       = 1.0;
   rs_clo.peak_inaccuracy = 1.0;
   rs_clo.alloc_fns  = VG_(newXA)(VG_(malloc), "rs.options.af", VG_(free),
                                  sizeof(HChar*));
   rs_clo.ignore_fns = VG_(newXA)(VG_(malloc), "rs.options.if", VG_(free),
                                  sizeof(HChar*));
   rs_clo.keep_alloc_internals = False;
   rs_clo.pinned_threshold_B = RS_PAGE_B / 8;
   rs_clo.max_retained_B = 0;
   rs_clo.max_retained_pct = -1.0;
   rs_clo.json_file = NULL;
   rs_clo.emulate_brk = True;
   rs_clo.check = False;
   rs_clo.debug = False;
   rs_clo.report_hook = True;
   desc_buf = VG_(strdup)("rs.options.desc", "");
   desc_len = 0;
}

static void remember_for_desc(const HChar* arg)
{
   SizeT n = VG_(strlen)(arg);
   desc_buf = VG_(realloc)("rs.options.desc", desc_buf, desc_len + n + 2);
   if (desc_len > 0)
      desc_buf[desc_len++] = ' ';
   VG_(strcpy)(desc_buf + desc_len, arg);
   desc_len += n;
}

const HChar* rs_options_desc(void)
{
   return desc_len ? desc_buf : "(none)";
}

static Bool parse_time_unit(const HChar* arg)
{
   const HChar* v = arg + VG_(strlen)("--time-unit=");
   if (VG_STREQ(v, "i"))       rs_clo.time_unit = RS_TIME_I;
   else if (VG_STREQ(v, "ms")) rs_clo.time_unit = RS_TIME_MS;
   else if (VG_STREQ(v, "B"))  rs_clo.time_unit = RS_TIME_B;
   else VG_(fmsg_bad_option)(arg, "Invalid time unit '%s' (should be i, ms or B)\n", v);
   return True;
}

/* A size in bytes, with an optional suffix k, M or G (powers of 1024). */
static Bool parse_size(const HChar* arg, const HChar* v, ULong* out)
{
   HChar* end;
   ULong  n, mult = 1;
   if (*v < '0' || *v > '9') {
      VG_(fmsg_bad_option)(arg, "Invalid size '%s' (bytes, or a number with suffix k, M or G)\n", v);
      return True;
   }
   n = VG_(strtoull10)(v, &end);
   if (*end == 'k' || *end == 'K') { mult = 1ULL << 10; end++; }
   else if (*end == 'M') { mult = 1ULL << 20; end++; }
   else if (*end == 'G') { mult = 1ULL << 30; end++; }
   if (*end != '\0' || n > ~0ULL / mult)
      VG_(fmsg_bad_option)(arg, "Invalid size '%s' (bytes, or a number with suffix k, M or G)\n", v);
   *out = n * mult;
   return True;
}

static Bool check_percent(const HChar* arg, double v)
{
   if (v < 0.0 || v > 100.0)
      VG_(fmsg_bad_option)(arg, "Value must be a percentage from 0 to 100\n");
   return True;
}

Bool rs_process_cmd_line_option(const HChar* arg)
{
   const HChar* s;
   Bool known = True;

   if      VG_STR_CLO(arg, "--rssmassif-out-file", rs_clo.out_file) {
      if (rs_clo.out_file[0] == '\0')
         VG_(fmsg_bad_option)(arg, "The output file name must not be empty\n");
   }
   else if (VG_STREQN_CLOM(cloP, 12, arg, "--time-unit=")) parse_time_unit(arg);
   else if VG_BINT_CLO(arg, "--max-snapshots", rs_clo.max_snapshots, 10, 1000) {}
   else if VG_BINT_CLO(arg, "--detailed-freq", rs_clo.detailed_freq, 1, 1000000) {}
   else if VG_BINT_CLO(arg, "--detailed-budget", rs_clo.detailed_budget, 0, 1000000) {}
   else if VG_BINT_CLO(arg, "--depth", rs_clo.depth, 1, 200) {}
   else if VG_DBL_CLO(arg, "--threshold", rs_clo.threshold)
      check_percent(arg, rs_clo.threshold);
   else if VG_DBL_CLO(arg, "--peak-inaccuracy", rs_clo.peak_inaccuracy)
      check_percent(arg, rs_clo.peak_inaccuracy);
   else if VG_STR_CLO(arg, "--alloc-fn", s)  VG_(addToXA)(rs_clo.alloc_fns, &s);
   else if VG_STR_CLO(arg, "--ignore-fn", s) VG_(addToXA)(rs_clo.ignore_fns, &s);
   else if VG_BOOL_CLO(arg, "--keep-alloc-internals", rs_clo.keep_alloc_internals) {}
   else if VG_BINT_CLO(arg, "--pinned-threshold", rs_clo.pinned_threshold_B,
                       1, RS_PAGE_B) {}
   else if VG_STR_CLO(arg, "--max-retained", s)
      parse_size(arg, s, &rs_clo.max_retained_B);
   else if VG_DBL_CLO(arg, "--max-retained-pct", rs_clo.max_retained_pct)
      check_percent(arg, rs_clo.max_retained_pct);
   else if VG_STR_CLO(arg, "--json-file", rs_clo.json_file) {
      if (rs_clo.json_file[0] == '\0')
         VG_(fmsg_bad_option)(arg, "The JSON file name must not be empty\n");
   }
   else if VG_BOOL_CLO(arg, "--emulate-brk", rs_clo.emulate_brk) {}
   else if VG_BOOL_CLO(arg, "--rs-check", rs_clo.check) {}
   else if VG_BOOL_CLO(arg, "--rs-debug", rs_clo.debug) {}
   else if VG_BOOL_CLO(arg, "--rs-report-hook", rs_clo.report_hook) {}
   else known = False;

   if (known)
      remember_for_desc(arg);
   return known;
}

void rs_options_post_check(void)
{
   /* Stacks are kept as ExeContexts, which hold at most --num-callers
      frames: --depth raises it so that the depth asked for is kept. */
   if (VG_(clo_backtrace_size) < rs_clo.depth)
      VG_(clo_backtrace_size) = rs_clo.depth;
}

void rs_print_usage(void)
{
   VG_(printf)(
"    --rssmassif-out-file=<file>  output file name [rssmassif.out.%%p]\n"
"                                 (%%p: process id, %%q{VAR}: environment var)\n"
"    --time-unit=i|ms|B           time unit: instructions executed, milliseconds\n"
"                                 or heap bytes alloc'd/dealloc'd [i]\n"
"    --max-snapshots=<number>     maximum number of snapshots recorded [100]\n"
"    --detailed-freq=<N>          every Nth snapshot should be detailed [10]\n"
"    --detailed-budget=<N>        periodic detailed snapshots walk at most N live\n"
"                                 blocks per heap event (plus 4M in all); one\n"
"                                 over budget waits for the next; 0 = no limit [2]\n"
"    --depth=<number>             depth of allocation and mapping stacks [30]\n"
"                                 (raises --num-callers to <number>)\n"
"    --threshold=<m.n>            significance threshold, as a percentage [1.0]\n"
"    --peak-inaccuracy=<m.n>      maximum peak inaccuracy, as a percentage [1.0]\n"
"    --alloc-fn=<name>            specify <name> as an alloc function [empty]\n"
"    --ignore-fn=<name>           ignore heap allocations within <name> [empty]\n"
"    --keep-alloc-internals=no|yes  heap mapping stacks keep the allocator's\n"
"                                 own frames; no: they start at the program's\n"
"                                 call into the allocator [no]\n"
"    --pinned-threshold=<bytes>   a live page with fewer useful bytes is\n"
"                                 'pinned' [512, 1/8 page]\n"
"    --max-retained=<size>        report an error (see --error-exitcode) when\n"
"                                 retained memory (freed but mapped and resident)\n"
"                                 exceeds <size> at exit or at a labelled\n"
"                                 snapshot; <size> in bytes, or with a suffix\n"
"                                 k, M or G (1024, 1024^2, 1024^3) [no limit]\n"
"    --max-retained-pct=<m.n>     the same, as a percentage of the mapped heap\n"
"                                 [no limit]\n"
"    --json-file=<file>           also write a JSON summary to <file>\n"
"                                 (%%p, %%q{VAR} expanded) [none]\n"
"    --emulate-brk=yes|no         the program's break grows and shrinks as it\n"
"                                 does natively (no: Valgrind's 8 MiB brk, past\n"
"                                 which glibc's main arena never trims) [yes]\n"
"    --rs-check=no|yes            self-check the page counters against the\n"
"                                 block table, and the mapped sum against\n"
"                                 Valgrind's address-space manager, at every\n"
"                                 snapshot [no]\n"
   );
}

void rs_print_debug_usage(void)
{
   VG_(printf)(
"    --rs-debug=no|yes            log every mapping event [no]\n"
"    --rs-report-hook=yes|no      take the wrappers' reports from translated\n"
"                                 code; no: by client request (slower) [yes]\n"
   );
}
