/* rs_options.h -- command-line options of rssmassif (one place for all). */
#ifndef RS_OPTIONS_H
#define RS_OPTIONS_H
#include "rs_common.h"
#include "pub_tool_xarray.h"

typedef enum { RS_TIME_I, RS_TIME_MS, RS_TIME_B } RsTimeUnit;

typedef struct {
   const HChar* out_file;      /* --rssmassif-out-file, unexpanded      */
   RsTimeUnit   time_unit;     /* --time-unit=i|ms|B                    */
   Int          max_snapshots; /* --max-snapshots, 10..1000             */
   Int          detailed_freq; /* --detailed-freq, 1..1000000           */
   Int          detailed_budget; /* --detailed-budget: blocks periodic
                                  detail may walk per heap event, 0 = no
                                  limit (rs_snapshot.c) [2] */
   Int          depth;         /* --depth: frames kept per stack, 1..200 */
   double       threshold;     /* --threshold, percent                  */
   double       peak_inaccuracy; /* --peak-inaccuracy, percent          */
   XArray*      alloc_fns;     /* --alloc-fn=NAME (HChar*), repeatable  */
   Bool         keep_alloc_fns; /* --keep-alloc-fns=yes: the well-known
                                   wrappers (rs_frames.c) are not skipped */
   Bool         auto_alloc_fns; /* --auto-alloc-fns: recognise wrappers
                                   during the run (rs_frames.h) [yes]    */
   Int          auto_alloc_callers; /* --auto-alloc-fn-callers: distinct
                                   call sites that make a wrapper [4]    */
   Bool         keep_alloc_internals; /* --keep-alloc-internals=yes: heap
                                  mapping stacks keep the allocator's
                                  frames (rs_frames.h) [no] */
   XArray*      ignore_fns;    /* --ignore-fn=NAME (HChar*), repeatable */
   Int          pinned_threshold_B; /* --pinned-threshold: a live page with
                                  fewer useful bytes is pinned [512] */
   ULong        max_retained_B;   /* --max-retained=SIZE, 0 = no limit  */
   double       max_retained_pct; /* --max-retained-pct, < 0 = no limit */
   const HChar* json_file;     /* --json-file, unexpanded, or NULL      */
   Bool         emulate_brk;   /* --emulate-brk=no: keep Valgrind's own
                                  8 MiB brk (rs_brk.c) [yes]           */
   Bool         check;         /* --rs-check=yes: self-checks           */
   Bool         debug;         /* --rs-debug=yes: log mapping events    */
   Bool         report_hook;   /* --rs-report-hook=no: wrappers report by
                                  client request only (rs_hook.c)   */
} RsOptions;

extern RsOptions rs_clo;

void rs_options_init(void);
Bool rs_process_cmd_line_option(const HChar* arg);
void rs_print_usage(void);
void rs_print_debug_usage(void);
/* Checks made once all options are known; prints a one-line error and
   exits on a bad combination. */
void rs_options_post_check(void);
/* The tool's options as given, for the file's `desc:` line. */
const HChar* rs_options_desc(void);

#endif
