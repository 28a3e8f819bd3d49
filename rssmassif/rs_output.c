/*--------------------------------------------------------------------*/
/*--- rssmassif: output file and exit summary.         rs_output.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The output file is written twice over:

   - while the client runs, every snapshot is appended to it as soon as it
     is taken (one write per snapshot), so a run killed by SIGKILL or the
     OOM killer leaves a file whose complete snapshots are readable (only
     a snapshot being written at that moment may be torn);
   - at exit, the final, culled set of snapshots is written to a temporary
     file that is then renamed over the output name: no half-written file
     ever has the final form.

   The stream is bounded: past RS_STREAM_MAX_B it starts again from the
   current (culled) store.  A failing write (full disk) stops the stream
   with one warning; the exit write reports its own failure. */

#include "rs_output.h"
#include "rs_options.h"
#include "rs_snapshot.h"
#include "rs_blocks.h"
#include "rs_tree.h"
#include "rs_text.h"
#include "rs_alloc.h"
#include "rs_static.h"
#include "rs_frames.h"
#include "pub_tool_options.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_clientstate.h"
#include "pub_tool_xarray.h"
#include "pub_tool_vkiscnums.h"

#define RS_FILE_VERSION  1
#define RS_STREAM_MAX_B  (64ULL << 20)

static Int   stream_fd = -1;      /* the output file while streaming    */
static ULong stream_B;            /* bytes written to it so far         */
static UInt  stream_n;            /* snapshots written to it so far     */

static HChar* expanded_out_name(void)
{
   return VG_(expand_file_name)("--rssmassif-out-file", rs_clo.out_file);
}

/* Moves a descriptor into Valgrind's reserved range, where the client
   can neither close it nor get its number from open() (core-private,
   linked into every tool). */
extern Int VG_(safe_fd)(Int oldfd);

static Int open_trunc(const HChar* name)
{
   SysRes r = VG_(open)(name, VKI_O_CREAT | VKI_O_TRUNC | VKI_O_WRONLY,
                        VKI_S_IRUSR | VKI_S_IWUSR | VKI_S_IRGRP | VKI_S_IROTH);
   return sr_isError(r) ? -1 : VG_(safe_fd)((Int)sr_Res(r));
}

/* Writes all of t; False on any failure (e.g. ENOSPC). */
static Bool write_all(Int fd, const RsText* t)
{
   SizeT done = 0;
   while (done < t->len) {
      Int n = VG_(write)(fd, t->buf + done, t->len - done);
      if (n <= 0)
         return False;
      done += n;
   }
   return True;
}

/* ------------------------------------------------------------------ */
/* The file: Massif's grammar plus `#rs` comment lines.                */
/* ------------------------------------------------------------------ */

/* The header's allocator keys (docs/format.md): allocator=NAME
   allocator_via=HOW [allocator_object=PATH], spaces in PATH as '?'. */
static void format_allocator(RsText* t)
{
   const HChar* obj;
   if (rs_static_active())
      rs_alloc_note_static();
   obj = rs_alloc_object();
   rs_text_printf(t, " allocator=%s allocator_via=%s",
                  rs_alloc_name(rs_alloc_kind()), rs_alloc_via());
   if (obj != NULL) {
      rs_text_printf(t, " allocator_object=");
      for (; *obj; obj++)
         rs_text_printf(t, "%c", *obj == ' ' ? '?' : *obj);
   }
}

static void format_header(RsText* t)
{
   XArray* args = VG_(args_for_client);
   Word i;
   rs_text_printf(t, "desc: %s\n", rs_options_desc());
   rs_text_printf(t, "cmd: %s", VG_(args_the_exename));
   for (i = 0; i < VG_(sizeXA)(args); i++)
      rs_text_printf(t, " %s", *(HChar**)VG_(indexXA)(args, i));
   rs_text_printf(t, "\ntime_unit: %s\n",
                  rs_clo.time_unit == RS_TIME_MS ? "ms"
                  : rs_clo.time_unit == RS_TIME_B ? "B" : "i");
   rs_text_printf(t, "#rs: version=%d page_B=%lu", RS_FILE_VERSION, RS_PAGE_B);
   format_allocator(t);
   rs_frames_format_skipped(t);
   rs_text_printf(t, "\n");
}

/* The machine-readable line: keys and order are a contract. */
static void format_rs_line(RsText* t, const RsSnapshot* s)
{
   const RsTotals* tot = &s->totals;
   RsCategory c;
   rs_text_printf(t, "#rs: useful_B=%llu blocks=%llu", tot->useful_B, tot->blocks);
   for (c = 0; c < RS_N_CATS; c++)
      rs_text_printf(t, " %s_B=%llu %s_res_B=%llu",
                     rs_category_key(c), tot->mapped_B[c],
                     rs_category_key(c), RS_MUTANT_IS(30) && c == RS_CAT_STACK ? 0 : tot->resident_B[c]);
   rs_text_printf(t, " stack_cached_n=%llu stack_cached_B=%llu"
                  " stack_cached_res_B=%llu", tot->stack_cached_n,
                  tot->stack_cached_B, tot->stack_cached_res_B);
   if (s->label)
      rs_text_printf(t, " label=%s", s->label);
   if (s->mmap_thr_raised)
      rs_text_printf(t, " mmap_threshold_B=%llu mmap_later_heap_B=%llu"
                     " mmap_later_heap_blocks=%llu", s->mmap_thr.threshold_B,
                     s->mmap_thr.later_heap_B, s->mmap_thr.later_heap_blocks);
   if (s->is_exit) {
      rs_text_printf(t, " exit=1");
      rs_static_format_capped(t);
   }
   if (s->have_in_use)
      rs_text_printf(t, " in_use_at_exit_B=%llu in_use_at_exit_blocks=%llu",
                     s->in_use_at_exit_B, s->in_use_at_exit_blocks);
   if (s->peak_retained)
      rs_text_printf(t, " peak_retained=1");
   if (s->tree_kind != RS_TREE_EMPTY)
      rs_text_printf(t, " trim_estimate_B=%llu release_estimate_B=%llu",
                     s->detail.trim_estimate_B, s->detail.release_estimate_B);
   rs_text_printf(t, "\n");
}

/* In the stream a peak is written as `detailed`: a later snapshot may
   still become the peak, and a file has one peak only. */
static void format_snapshot(RsText* t, UInt n, const RsSnapshot* s, Bool streamed)
{
   const RsTotals* tot = &s->totals;
   static const HChar* tree_name[] = { "empty", "detailed", "peak" };
   rs_text_printf(t, "#-----------\nsnapshot=%u\n#-----------\n", n);
   rs_text_printf(t, "time=%llu\n", s->time);
   rs_text_printf(t, "mem_heap_B=%llu\n", tot->mapped_B[RS_CAT_HEAP_LIVE]);
   rs_text_printf(t, "mem_heap_extra_B=%llu\n", tot->mapped_B[RS_CAT_HEAP_DEAD]);
   rs_text_printf(t, "mem_stacks_B=%llu\n", tot->mapped_B[RS_CAT_LOADER]
                  + tot->mapped_B[RS_CAT_STACK] + tot->mapped_B[RS_CAT_OTHER]);
   format_rs_line(t, s);
   if (s->detail.analysis)
      rs_text_append(t, s->detail.analysis, VG_(strlen)(s->detail.analysis));
   rs_text_printf(t, "heap_tree=%s\n",
                  streamed && s->tree_kind == RS_TREE_PEAK ? "detailed"
                                                           : tree_name[s->tree_kind]);
   if (s->tree_kind != RS_TREE_EMPTY && s->detail.tree)
      rs_text_append(t, s->detail.tree, VG_(strlen)(s->detail.tree));
}

static void format_store(RsText* t, Bool streamed)
{
   UInt i;
   format_header(t);
   for (i = 0; i < rs_snapshot_count(); i++)
      format_snapshot(t, i, rs_snapshot_get(i), streamed);
}

static void free_text(RsText* t)
{
   HChar* b = rs_text_take(t);
   if (b)
      RS_FREE(b);
}

/* ------------------------------------------------------------------ */
/* The stream.                                                         */
/* ------------------------------------------------------------------ */

static void stop_stream(const HChar* why)
{
   HChar* name = expanded_out_name();
   VG_(umsg)("rssmassif: warning: writing '%s' failed (%s): snapshots are "
             "kept in memory and written at exit\n", name, why);
   RS_FREE(name);
   VG_(close)(stream_fd);
   stream_fd = -1;
}

/* (Re)starts the stream with the header and the snapshots kept now. */
static void restart_stream(void)
{
   RsText t = { NULL, 0, 0 };
   VG_(lseek)(stream_fd, 0, VKI_SEEK_SET);
   VG_(do_syscall)(__NR_ftruncate, stream_fd, 0, 0, 0, 0, 0, 0, 0);
   format_store(&t, True);
   stream_n = rs_snapshot_count();
   stream_B = t.len;
   if (!write_all(stream_fd, &t))
      stop_stream("write error, disk full?");
   free_text(&t);
}

void rs_output_start(void)
{
   HChar* name = expanded_out_name();
   stream_fd = open_trunc(name);
   if (stream_fd < 0) {
      VG_(fmsg)("can't create output file '%s'\n", name);
      VG_(exit)(1);
   }
   RS_FREE(name);
   restart_stream();
}

void rs_output_stream_snapshot(const RsSnapshot* s)
{
   RsText t = { NULL, 0, 0 };
   if (stream_fd < 0)
      return;
   if (stream_B > RS_STREAM_MAX_B) {
      restart_stream();
      return;
   }
   format_snapshot(&t, stream_n++, s, True);
   stream_B += t.len;
   if (!write_all(stream_fd, &t))
      stop_stream("write error, disk full?");
   free_text(&t);
}

/* After fork, the child streams to its own file (named with its pid when
   the name has %p), starting with the snapshots inherited. */
void rs_output_after_fork_child(void)
{
   if (stream_fd >= 0)
      VG_(close)(stream_fd);
   stream_fd = -1;
   rs_output_start();
}

/* ------------------------------------------------------------------ */
/* The final file.                                                     */
/* ------------------------------------------------------------------ */

Bool rs_output_write_one(const HChar* name, const RsSnapshot* s)
{
   RsText t = { NULL, 0, 0 };
   Int fd = open_trunc(name);
   Bool ok;
   if (fd < 0)
      return False;
   format_header(&t);
   format_snapshot(&t, 0, s, False);
   ok = write_all(fd, &t);
   VG_(close)(fd);
   free_text(&t);
   return ok;
}

/* A name that exists and is not a regular file (a device like /dev/null
   or /dev/full, a fifo) is written in place: never renamed over. */
static Bool is_special_file(const HChar* name)
{
   struct vg_stat st;
   SysRes r = VG_(stat)(name, &st);
   return !sr_isError(r) && !VKI_S_ISREG(st.mode);
}

/* Writes text to name through a temporary file renamed over it. */
static Bool replace_file(const HChar* name, const RsText* t)
{
   HChar tmp[VKI_PATH_MAX + 32];
   Int   fd;
   Bool  ok;
   if (is_special_file(name)) {
      fd = open_trunc(name);
      ok = fd >= 0 && write_all(fd, t);
      if (fd >= 0)
         VG_(close)(fd);
      return ok;
   }
   VG_(snprintf)(tmp, sizeof tmp, "%s.tmp.%d", name, VG_(getpid)());
   fd = open_trunc(tmp);
   if (fd < 0)
      return False;
   ok = write_all(fd, t);
   VG_(close)(fd);
   if (ok && VG_(rename)(tmp, name) == 0)
      return True;
   VG_(unlink)(tmp);
   return False;
}

/* Writes the store in its final form; with keep_streaming, the stream
   goes on at the end of the new file (a checkpoint, as before execve). */
static void write_store(Bool keep_streaming)
{
   HChar* name = expanded_out_name();
   RsText t = { NULL, 0, 0 };
   format_store(&t, False);
   if (stream_fd >= 0)
      VG_(close)(stream_fd);
   stream_fd = -1;
   if (!replace_file(name, &t))
      VG_(umsg)("rssmassif: error: can't write the output file '%s' "
                "(disk full or no permission?)\n", name);
   else if (VG_(clo_verbosity) > 1)
      VG_(umsg)("rssmassif: wrote %s\n", name);
   if (keep_streaming) {
      SysRes r = VG_(open)(name, VKI_O_WRONLY | VKI_O_APPEND, 0);
      if (!sr_isError(r)) {
         stream_fd = VG_(safe_fd)(sr_Res(r));
         stream_n = rs_snapshot_count();
         stream_B = t.len;
      }
   }
   free_text(&t);
   RS_FREE(name);
}

void rs_output_write_file(void)
{
   write_store(False);
}

void rs_output_checkpoint(void)
{
   write_store(True);
}

/* ------------------------------------------------------------------ */
/* The exit summary.                                                   */
/* ------------------------------------------------------------------ */

/* The RSS SUMMARY is the program's state at its exit_group; the HEAP
   SUMMARY counts after Valgrind's freeres (glibc's and libstdc++'s own
   blocks freed), as Memcheck's does.  Says so, with what freeres freed. */
static void summary_which_is_which(const RsSnapshot* s)
{
   ULong freed_B = s->totals.useful_B > rs_heap.useful_B
                   ? s->totals.useful_B - rs_heap.useful_B : 0;
   ULong freed_n = s->totals.blocks > rs_heap.n_blocks
                   ? s->totals.blocks - rs_heap.n_blocks : 0;
   if (!s->before_freeres)
      return;                 /* killed by a signal: no freeres ran */
   VG_(umsg)("  (the figures above are the program's state at its exit, as\n"
             "   without Valgrind; the HEAP SUMMARY below counts after glibc's\n"
             "   freeres, as Memcheck does)\n");
   if (freed_n > 0)
      VG_(umsg)("  (freeres freed %'llu bytes in %'llu block%s of glibc's and\n"
                "   libstdc++'s own)\n", freed_B, freed_n, freed_n == 1 ? "" : "s");
}

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
   if (s->totals.stack_cached_n > 0)
      VG_(umsg)("  stack: glibc keeps %'llu exited threads' stacks: "
                "%'llu mapped, %'llu resident\n", s->totals.stack_cached_n,
                s->totals.stack_cached_B, s->totals.stack_cached_res_B);
   if (s->mmap_thr_raised && rs_heap.mmap_thr_where != NULL)
      VG_(umsg)("  mmap threshold raised to %'llu bytes at %s\n"
                "  (freeing that %'llu-byte mmapped block): %'llu bytes of later\n"
                "  blocks came from the heap instead (%'llu blocks)\n",
                s->mmap_thr.threshold_B, rs_tree_site_frame(rs_heap.mmap_thr_where),
                rs_heap.mmap_thr_freed_B, s->mmap_thr.later_heap_B,
                s->mmap_thr.later_heap_blocks);
   rs_static_summary();
   if (rs_heap.n_allocs == 0 && s->totals.mapped_B[RS_CAT_HEAP_DEAD] > 0)
      VG_(umsg)("  warning: heap pages were mapped but no allocation was reported:\n"
                "  a statically linked program (no preload can wrap its malloc),\n"
                "  or an allocator rssmassif does not wrap (see --soname-synonyms).\n");
   summary_which_is_which(s);
   VG_(umsg)("\n");
   VG_(umsg)("HEAP SUMMARY:\n");
   VG_(umsg)("    in use at exit: %'llu bytes in %'llu blocks\n",
             rs_heap.useful_B, rs_heap.n_blocks);
   VG_(umsg)("  total heap usage: %'llu allocs, %'llu frees, %'llu bytes allocated\n",
             rs_heap.n_allocs, rs_heap.n_frees, rs_heap.allocated_B);
   VG_(umsg)("\n");
}
