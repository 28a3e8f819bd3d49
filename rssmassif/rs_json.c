/*--------------------------------------------------------------------*/
/*--- rssmassif: the JSON summary.                       rs_json.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_json.h"
#include "rs_options.h"
#include "rs_snapshot.h"
#include "rs_blocks.h"
#include "rs_limits.h"
#include "rs_text.h"
#include "rs_alloc.h"
#include "rs_static.h"
#include "pub_tool_options.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_clientstate.h"
#include "pub_tool_xarray.h"

#define RS_JSON_VERSION 1

static HChar* json_name(void)
{
   return VG_(expand_file_name)("--json-file", rs_clo.json_file);
}

static VgFile* open_json(const HChar* name)
{
   return VG_(fopen)(name, VKI_O_CREAT | VKI_O_TRUNC | VKI_O_WRONLY,
                     VKI_S_IRUSR | VKI_S_IWUSR | VKI_S_IRGRP | VKI_S_IROTH);
}

void rs_json_check_writable(void)
{
   HChar* name;
   VgFile* f;
   if (rs_clo.json_file == NULL)
      return;
   name = json_name();
   f = open_json(name);
   if (f == NULL) {
      VG_(fmsg)("can't create JSON file '%s'\n", name);
      VG_(exit)(1);
   }
   VG_(fclose)(f);
   RS_FREE(name);
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void put_string(VgFile* f, const HChar* s, SizeT n)
{
   SizeT i;
   VG_(fprintf)(f, "\"");
   for (i = 0; i < n && s[i] != '\0'; i++) {
      UChar c = (UChar)s[i];
      if (c == '"' || c == '\\') VG_(fprintf)(f, "\\%c", c);
      else if (c < 0x20)         VG_(fprintf)(f, "\\u%04x", c);
      else                       VG_(fprintf)(f, "%c", c);
   }
   VG_(fprintf)(f, "\"");
}

static Bool all_digits(const HChar* s, SizeT n)
{
   SizeT i;
   if (n == 0 || n > 19)
      return False;
   for (i = 0; i < n; i++)
      if (s[i] < '0' || s[i] > '9')
         return False;
   return True;
}

/* One `#rs.kind: k=v k=v ... [at=rest of line]` line as a JSON object:
   decimal values become numbers, others strings. */
static void put_analysis_object(VgFile* f, const HChar* p, const HChar* end)
{
   Bool first = True;
   VG_(fprintf)(f, "{");
   while (p < end) {
      const HChar *key, *eq, *val, *vend;
      while (p < end && *p == ' ') p++;
      key = p;
      eq = p;
      while (eq < end && *eq != '=' && *eq != ' ') eq++;
      if (eq >= end || *eq != '=')
         break;
      val = eq + 1;
      vend = (eq - key == 2 && VG_(strncmp)(key, "at", 2) == 0) ? end : val;
      while (vend < end && *vend != ' ') vend++;
      VG_(fprintf)(f, "%s", first ? "" : ", ");
      put_string(f, key, eq - key);
      VG_(fprintf)(f, ": ");
      if (all_digits(val, vend - val))
         VG_(fprintf)(f, "%llu", VG_(strtoull10)(val, NULL));
      else
         put_string(f, val, vend - val);
      first = False;
      p = vend;
   }
   VG_(fprintf)(f, "}");
}

/* The analysis lines of kind `kind` ("pinned_site", ...) as an array. */
static void put_analysis_array(VgFile* f, const HChar* analysis, const HChar* kind)
{
   HChar prefix[40];
   const HChar* p = analysis;
   Bool first = True;
   SizeT plen = VG_(snprintf)(prefix, sizeof prefix, "#rs.%s: ", kind);
   VG_(fprintf)(f, "[");
   while (p && *p) {
      const HChar* eol = VG_(strchr)(p, '\n');
      if (eol == NULL)
         eol = p + VG_(strlen)(p);
      if (VG_(strncmp)(p, prefix, plen) == 0) {
         VG_(fprintf)(f, "%s", first ? "" : ", ");
         put_analysis_object(f, p + plen, eol);
         first = False;
      }
      p = *eol ? eol + 1 : eol;
   }
   VG_(fprintf)(f, "]");
}

/* The final snapshot of a program whose break Valgrind capped: why, and
   what native trimming would have given back (the #rs: line's keys). */
static void put_capped(VgFile* f, const RsSnapshot* s)
{
   ULong trim_B, trim_res_B;
   if (!s->is_exit || !rs_static_capped_estimate(&trim_B, &trim_res_B) || RS_MUTANT_IS(1136))
      return;
   VG_(fprintf)(f, ", \"brk_capped\": \"%s\", \"native_trim_B\": %llu,"
                " \"native_trim_res_B\": %llu", rs_static_brk_capped_why(),
                trim_B, trim_res_B);
}

static void put_snapshot(VgFile* f, UInt index, const RsSnapshot* s)
{
   const RsTotals* t = &s->totals;
   RsCategory c;
   VG_(fprintf)(f, "{\"snapshot\": %u, \"time\": %llu", index, s->time);
   if (s->label) {
      VG_(fprintf)(f, ", \"label\": ");
      put_string(f, s->label, VG_(strlen)(s->label));
   }
   VG_(fprintf)(f, ", \"useful_B\": %llu, \"blocks\": %llu", t->useful_B, t->blocks);
   for (c = 0; c < RS_N_CATS; c++)
      VG_(fprintf)(f, ", \"%s_B\": %llu, \"%s_res_B\": %llu",
                   rs_category_key(c), t->mapped_B[c],
                   rs_category_key(c), t->resident_B[c]);
   VG_(fprintf)(f, ", \"stack_cached_n\": %llu, \"stack_cached_B\": %llu,"
                " \"stack_cached_res_B\": %llu", t->stack_cached_n,
                t->stack_cached_B + (RS_MUTANT_IS(1130) ? RS_PAGE_B : 0),
                t->stack_cached_res_B);
   if (s->mmap_thr_raised)
      VG_(fprintf)(f, ", \"mmap_threshold_B\": %llu, \"mmap_later_heap_B\": %llu,"
                   " \"mmap_later_heap_blocks\": %llu", s->mmap_thr.threshold_B,
                   s->mmap_thr.later_heap_B, s->mmap_thr.later_heap_blocks);
   put_capped(f, s);
   VG_(fprintf)(f, ", \"heap_tree\": \"%s\"", s->tree_kind == RS_TREE_PEAK ? "peak"
                : s->tree_kind == RS_TREE_DETAILED ? "detailed" : "empty");
   if (s->tree_kind != RS_TREE_EMPTY) {
      const HChar* an = s->detail.analysis;
      VG_(fprintf)(f, ", \"trim_estimate_B\": %llu, \"release_estimate_B\": %llu",
                   s->detail.trim_estimate_B + (RS_MUTANT_IS(23) ? RS_PAGE_B : 0),
                   s->detail.release_estimate_B);
      VG_(fprintf)(f, ", \"pinned\": ");
      put_analysis_array(f, an, "pinned");
      VG_(fprintf)(f, ", \"pinned_sites\": ");
      put_analysis_array(f, an, "pinned_site");
      VG_(fprintf)(f, ", \"trim_blockers\": ");
      put_analysis_array(f, an, "blocker");
      VG_(fprintf)(f, ", \"dead_sites\": ");
      put_analysis_array(f, an, "dead_site");
      VG_(fprintf)(f, ", \"live_sites\": ");
      put_analysis_array(f, an, "live_site");
      VG_(fprintf)(f, ", \"segments\": ");
      put_analysis_array(f, an, "segment");
      VG_(fprintf)(f, ", \"arenas\": ");
      put_analysis_array(f, an, "arena");
      VG_(fprintf)(f, ", \"hints\": ");
      put_analysis_array(f, an, RS_MUTANT_IS(1722) ? "nohint" : "hint");
   }
   VG_(fprintf)(f, "}");
}

/* The index of the snapshot matching `pick`, or -1. */
static Int find_snapshot(Bool (*pick)(const RsSnapshot*))
{
   UInt i;
   for (i = 0; i < rs_snapshot_count(); i++)
      if (pick(rs_snapshot_get(i)))
         return i;
   return -1;
}

static Bool is_final(const RsSnapshot* s)         { return s->is_exit; }
static Bool is_peak(const RsSnapshot* s)          { return s->tree_kind == RS_TREE_PEAK; }
static Bool is_peak_retained(const RsSnapshot* s) { return s->peak_retained; }

static void put_named_snapshot(VgFile* f, const HChar* name,
                               Bool (*pick)(const RsSnapshot*))
{
   Int i = find_snapshot(pick);
   VG_(fprintf)(f, ",\n  \"%s\": ", name);
   if (i < 0)
      VG_(fprintf)(f, "null");
   else
      put_snapshot(f, i, rs_snapshot_get(i));
}

/* "allocator": {"name": ..., "via": ..., "object": ... or null}. */
static void put_allocator(VgFile* f)
{
   const HChar* obj;
   if (rs_static_active())
      rs_alloc_note_static();
   obj = rs_alloc_object();
   VG_(fprintf)(f, ",\n  \"allocator\": {\"name\": \"%s\", \"via\": \"%s\", \"object\": ",
                rs_alloc_name(rs_alloc_kind()), rs_alloc_via());
   if (obj != NULL) put_string(f, obj, VG_(strlen)(obj));
   else             VG_(fprintf)(f, "null");
   VG_(fprintf)(f, "}");
}

static void put_header(VgFile* f)
{
   XArray* args = VG_(args_for_client);
   RsText  cmd = { NULL, 0, 0 };
   Word i;
   rs_text_printf(&cmd, "%s", VG_(args_the_exename));
   for (i = 0; i < VG_(sizeXA)(args); i++)
      rs_text_printf(&cmd, " %s", *(HChar**)VG_(indexXA)(args, i));
   VG_(fprintf)(f, "{\n  \"rssmassif_json_version\": %d,\n  \"command\": ",
                RS_JSON_VERSION);
   put_string(f, cmd.buf, cmd.len);
   RS_FREE(rs_text_take(&cmd));
   VG_(fprintf)(f, ",\n  \"options\": ");
   put_string(f, rs_options_desc(), VG_(strlen)(rs_options_desc()));
   VG_(fprintf)(f, ",\n  \"pid\": %d,\n  \"page_B\": %lu,\n  \"time_unit\": \"%s\"",
                VG_(getpid)(), RS_PAGE_B,
                rs_clo.time_unit == RS_TIME_MS ? "ms"
                : rs_clo.time_unit == RS_TIME_B ? "B" : "i");
   put_allocator(f);
   VG_(fprintf)(f, ",\n  \"heap_usage\": {\"in_use_B\": %llu, \"in_use_blocks\": %llu,"
                " \"allocs\": %llu, \"frees\": %llu, \"allocated_B\": %llu}",
                rs_heap.useful_B, rs_heap.n_blocks, rs_heap.n_allocs,
                rs_heap.n_frees, rs_heap.allocated_B);
   VG_(fprintf)(f, ",\n  \"limits\": {\"max_retained_B\": ");
   if (rs_clo.max_retained_B > 0) VG_(fprintf)(f, "%llu", rs_clo.max_retained_B);
   else                           VG_(fprintf)(f, "null");
   VG_(fprintf)(f, ", \"max_retained_pct\": ");
   if (rs_clo.max_retained_pct >= 0) VG_(fprintf)(f, "%.2f", rs_clo.max_retained_pct);
   else                              VG_(fprintf)(f, "null");
   VG_(fprintf)(f, ", \"breaches\": %llu}", rs_limits_n_breaches());
}

void rs_json_write(void)
{
   HChar*  name;
   VgFile* f;
   UInt    i;
   Bool    first = True;
   if (rs_clo.json_file == NULL)
      return;
   name = json_name();
   f = open_json(name);
   if (f == NULL) {
      VG_(umsg)("rssmassif: error: can't create JSON file '%s'\n", name);
      RS_FREE(name);
      return;
   }
   put_header(f);
   put_named_snapshot(f, "final", is_final);
   put_named_snapshot(f, "peak", is_peak);
   put_named_snapshot(f, "peak_retained", is_peak_retained);
   VG_(fprintf)(f, ",\n  \"labelled\": [");
   for (i = 0; i < rs_snapshot_count(); i++) {
      const RsSnapshot* s = rs_snapshot_get(i);
      if (s->label == NULL)
         continue;
      VG_(fprintf)(f, "%s\n    ", first ? "" : ",");
      put_snapshot(f, i, s);
      first = False;
   }
   VG_(fprintf)(f, "]\n}\n");
   VG_(fclose)(f);
   RS_FREE(name);
}
