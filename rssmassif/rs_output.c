/*--------------------------------------------------------------------*/
/*--- rssmassif: output file and exit summary.         rs_output.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_output.h"
#include "rs_options.h"
#include "rs_snapshot.h"
#include "rs_blocks.h"
#include "pub_tool_options.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_clientstate.h"
#include "pub_tool_xarray.h"

#define RS_FILE_VERSION 1

static HChar* expanded_out_name(void)
{
   return VG_(expand_file_name)("--rssmassif-out-file", rs_clo.out_file);
}

static VgFile* open_out(const HChar* name)
{
   return VG_(fopen)(name, VKI_O_CREAT | VKI_O_TRUNC | VKI_O_WRONLY,
                     VKI_S_IRUSR | VKI_S_IWUSR | VKI_S_IRGRP | VKI_S_IROTH);
}

void rs_output_check_writable(void)
{
   HChar*  name = expanded_out_name();
   VgFile* f = open_out(name);
   if (f == NULL) {
      VG_(fmsg)("can't create output file '%s'\n", name);
      VG_(exit)(1);
   }
   VG_(fclose)(f);
   RS_FREE(name);
}

/* ------------------------------------------------------------------ */
/* The file: Massif's grammar plus one `#rs:` line per snapshot.       */
/* ------------------------------------------------------------------ */

static void write_header(VgFile* f)
{
   XArray* args = VG_(args_for_client);
   Word i;
   VG_(fprintf)(f, "desc: %s\n", rs_options_desc());
   VG_(fprintf)(f, "cmd: %s", VG_(args_the_exename));
   for (i = 0; i < VG_(sizeXA)(args); i++)
      VG_(fprintf)(f, " %s", *(HChar**)VG_(indexXA)(args, i));
   VG_(fprintf)(f, "\ntime_unit: %s\n",
                rs_clo.time_unit == RS_TIME_MS ? "ms"
                : rs_clo.time_unit == RS_TIME_B ? "B" : "i");
   VG_(fprintf)(f, "#rs: version=%d page_B=%lu\n", RS_FILE_VERSION, RS_PAGE_B);
}

/* The machine-readable line: keys and order are a contract. */
static void write_rs_line(VgFile* f, const RsSnapshot* s)
{
   const RsTotals* t = &s->totals;
   RsCategory c;
   VG_(fprintf)(f, "#rs: useful_B=%llu blocks=%llu", t->useful_B, t->blocks);
   for (c = 0; c < RS_N_CATS; c++)
      VG_(fprintf)(f, " %s_B=%llu %s_res_B=%llu",
                   rs_category_key(c), t->mapped_B[c],
                   rs_category_key(c), t->resident_B[c]);
   if (s->label)
      VG_(fprintf)(f, " label=%s", s->label);
   if (s->is_exit)
      VG_(fprintf)(f, " exit=1");
   if (s->peak_retained)
      VG_(fprintf)(f, " peak_retained=1");
   if (s->tree_kind != RS_TREE_EMPTY)
      VG_(fprintf)(f, " trim_estimate_B=%llu", s->detail.trim_estimate_B);
   VG_(fprintf)(f, "\n");
}

static void write_snapshot(VgFile* f, UInt n, const RsSnapshot* s)
{
   const RsTotals* t = &s->totals;
   static const HChar* tree_name[] = { "empty", "detailed", "peak" };
   VG_(fprintf)(f, "#-----------\nsnapshot=%u\n#-----------\n", n);
   VG_(fprintf)(f, "time=%llu\n", s->time);
   VG_(fprintf)(f, "mem_heap_B=%llu\n", t->mapped_B[RS_CAT_HEAP_LIVE]);
   VG_(fprintf)(f, "mem_heap_extra_B=%llu\n", t->mapped_B[RS_CAT_HEAP_DEAD]);
   VG_(fprintf)(f, "mem_stacks_B=%llu\n", t->mapped_B[RS_CAT_LOADER]
                + t->mapped_B[RS_CAT_STACK] + t->mapped_B[RS_CAT_OTHER]);
   write_rs_line(f, s);
   if (s->detail.analysis)
      VG_(fprintf)(f, "%s", s->detail.analysis);
   VG_(fprintf)(f, "heap_tree=%s\n", tree_name[s->tree_kind]);
   if (s->tree_kind != RS_TREE_EMPTY && s->detail.tree)
      VG_(fprintf)(f, "%s", s->detail.tree);
}

Bool rs_output_write_one(const HChar* name, const RsSnapshot* s)
{
   VgFile* f = open_out(name);
   if (f == NULL)
      return False;
   write_header(f);
   write_snapshot(f, 0, s);
   VG_(fclose)(f);
   return True;
}

void rs_output_write_file(void)
{
   HChar*  name = expanded_out_name();
   VgFile* f = open_out(name);
   UInt i;
   if (f == NULL) {
      VG_(umsg)("rssmassif: error: can't create output file '%s': "
                "the snapshots are lost\n", name);
      RS_FREE(name);
      return;
   }
   write_header(f);
   for (i = 0; i < rs_snapshot_count(); i++)
      write_snapshot(f, i, rs_snapshot_get(i));
   VG_(fclose)(f);
   if (VG_(clo_verbosity) > 1)
      VG_(umsg)("rssmassif: wrote %s\n", name);
   RS_FREE(name);
}

/* ------------------------------------------------------------------ */
/* The exit summary.                                                   */
/* ------------------------------------------------------------------ */

void rs_output_summary(void)
{
   const RsSnapshot* s = rs_snapshot_last();
   ULong mapped = 0, resident = 0;
   RsCategory c;
   if (VG_(clo_verbosity) == 0 || s == NULL)
      return;
   VG_(umsg)("RSS SUMMARY (at exit):\n");
   VG_(umsg)("  category            mapped        resident\n");
   for (c = 0; c < RS_N_CATS; c++) {
      VG_(umsg)("  %-10s %'15llu %'15llu\n", rs_category_title(c),
                s->totals.mapped_B[c], s->totals.resident_B[c]);
      mapped   += s->totals.mapped_B[c];
      resident += s->totals.resident_B[c];
   }
   VG_(umsg)("  %-10s %'15llu %'15llu\n", "total", mapped, resident);
   VG_(umsg)("  retained (freed but mapped and resident): %'llu bytes (%'llu pages)\n",
             s->totals.resident_B[RS_CAT_HEAP_DEAD],
             s->totals.resident_B[RS_CAT_HEAP_DEAD] / RS_PAGE_B);
   VG_(umsg)("\n");
   VG_(umsg)("HEAP SUMMARY:\n");
   VG_(umsg)("    in use at exit: %'llu bytes in %'llu blocks\n",
             rs_heap.useful_B, rs_heap.n_blocks);
   VG_(umsg)("  total heap usage: %'llu allocs, %'llu frees, %'llu bytes allocated\n",
             rs_heap.n_allocs, rs_heap.n_frees, rs_heap.allocated_B);
   VG_(umsg)("\n");
}
