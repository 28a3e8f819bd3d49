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
   rs_clo.keep_alloc_fns = False;
   rs_clo.auto_alloc_fns = True;
   rs_clo.auto_alloc_callers = 4;
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
   else if VG_BOOL_CLO(arg, "--keep-alloc-fns", rs_clo.keep_alloc_fns) {}
   else if VG_BOOL_CLO(arg, "--auto-alloc-fns", rs_clo.auto_alloc_fns) {}
   else if VG_BINT_CLO(arg, "--auto-alloc-fn-callers", rs_clo.auto_alloc_callers,
                       1, 1000) {}
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

/* The options' help, from rs_options.def (which the man page shares). */
typedef struct {
   Bool         debug;    /* listed by --help-debug only          */
   const HChar* syntax;   /* "--name=<value>"; NULL: one more line */
   const HChar* text;     /* one line of help                      */
} RsHelpLine;

#define RS_USER  False
#define RS_DEBUG True
#define RS_OPT(kind, syntax, text) { kind, syntax, text },
#define RS_MORE(kind, text)        { kind, NULL, text },
static const RsHelpLine help_lines[] = {
#include "rs_options.def"
};
#undef RS_OPT
#undef RS_MORE

/* The syntax in a 29-column field (or followed by two spaces when longer),
   then the text; more lines are indented to the text's column. */
static void print_help_lines(Bool debug)
{
   UInt i;
   for (i = 0; i < sizeof help_lines / sizeof help_lines[0]; i++) {
      const RsHelpLine* h = &help_lines[i];
      if (h->debug != debug)
         continue;
      const HChar* syntax = h->syntax ? h->syntax : "";
      Int pad = 27 - (Int)VG_(strlen)(syntax);
      /* (Valgrind's %-27s would cut a longer syntax.) */
      VG_(printf)("    %s%*s  %s\n", syntax, pad > 0 ? pad : 0, "", h->text);
   }
}

void rs_print_usage(void)
{
   print_help_lines(False);
}

void rs_print_debug_usage(void)
{
   print_help_lines(True);
}
