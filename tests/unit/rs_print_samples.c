/*
 * rs_print_samples.c -- rs_print's report numbers for the hand-written
 * sample files in rs_print/samples/.  The expected values come from the
 * arithmetic the samples were written with (stated here), never from
 * rs_print's own output.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include "tests/unit_util.h"

#define PAGE 4096ULL

static int contains(const char *text, const char *needle)
{
   return text != NULL && strstr(text, needle) != NULL;
}

/* Does a line of `text`, runs of spaces squeezed to one, contain `words`? */
static int has_row(const char *text, const char *words)
{
   if (text == NULL)
      return 0;
   char *sq = malloc(strlen(text) + 1), *o = sq;
   for (const char *p = text; *p; p++)
      if (!(*p == ' ' && o > sq && o[-1] == ' '))
         *o++ = *p;
   *o = '\0';
   int r = strstr(sq, words) != NULL;
   free(sq);
   return r;
}

static struct rs_file *load(const char *name)
{
   struct rs_error e;
   struct rs_file *f = rs_parse_path(sample_path(name), &e);
   check(f != NULL, "%s parses%s%s", name, f ? "" : ": ", f ? "" : e.msg);
   return f;
}

/* basic.out: a program that maps 600 loader pages (250 resident) and a
 * two-page stack, allocates 20 blocks of 128,000 bytes on 640 heap pages
 * (peak, snapshot 1, plus 2 dead pages and one page of its own mmap), then
 * frees all but one 100-byte block: at exit 1 live page, 640 + 2 - 1 = 641
 * dead pages of which 300 are still resident, and the mmap is gone. */
static void basic(void)
{
   struct rs_file *f = load("basic.out");
   if (f == NULL)
      return;
   struct rs_answer a;
   check(f->is_rs && f->rs_version == 1 && f->page_B == PAGE,
         "basic: #rs: header (version 1, page_B 4096)");
   check_u64(f->nsnaps, 3, "basic: snapshots");
   check(rs_final_index(f) == 2, "basic: final snapshot is 2");
   check(rs_peak_index(f) == 1, "basic: peak snapshot is 1");

   rs_answer_numbers(f, &f->snaps[2], &a);
   check_u64(a.retained_B, 300 * PAGE, "basic exit: retained");
   check_u64(a.released_B, (641 - 300) * PAGE, "basic exit: released");
   check_u64(a.live_B, 1 * PAGE, "basic exit: live heap mapped");
   check_u64(a.useful_B, 100, "basic exit: useful bytes");
   check_u64(a.blocks, 1, "basic exit: blocks");
   check_u64(a.loader_B, 600 * PAGE, "basic exit: loader mapped");
   check_u64(a.loader_res_B, 250 * PAGE, "basic exit: loader resident");
   check_u64(a.total_B, (1 + 641 + 600 + 2) * PAGE, "basic exit: total");
   check_u64(a.total_res_B, (1 + 300 + 250 + 2) * PAGE,
             "basic exit: total resident");
   check_u64(a.retained_pages, 300, "basic exit: retained pages");

   rs_answer_numbers(f, &f->snaps[1], &a);
   check_u64(a.live_B, 640 * PAGE, "basic peak: live heap mapped");
   check_u64(a.useful_B, 20 * 128000, "basic peak: useful bytes");
   check_u64(a.retained_B, 2 * PAGE, "basic peak: retained");
   check_u64(a.released_B, 0, "basic peak: released");
   check_u64(a.other_B, PAGE, "basic peak: other");

   /* Trees: the exit tree's heap_dead node splits 480 + 161 pages. */
   long d = rs_tree_category_node(f, &f->snaps[2], RS_CAT_HEAP_DEAD);
   check(d >= 0, "basic exit tree has a heap_dead node");
   if (d >= 0) {
      check_u64(f->nodes[d].bytes, 641 * PAGE, "basic exit tree: heap_dead");
      check_u64(f->nodes[d].nchildren, 2, "basic exit tree: dead sites");
      check_u64(f->nodes[d + 1].bytes, 480 * PAGE,
                "basic exit tree: make_table's dead pages");
   }

   /* The answer states the retained bytes exactly, in MiB and in pages. */
   struct rs_opts o;
   rs_opts_default(&o);
   char *t = report_text(f, &o);
   /* 300 pages = 1,228,800 bytes = 1.171875 MiB */
   check(contains(t, "At exit (snapshot 2, time 2,000,000 i):\n"
                     "  Retained: 1,228,800 bytes (1.17 MiB, 300 pages) "
                     "[heap_dead_res_B=1228800]"),
         "basic: answer's first lines state the retained bytes");
   check(contains(t, "Released: 1,396,736 bytes (1.33 MiB)"),
         "basic: answer states the released bytes");
   check(contains(t, "make_table (basic.c:20)"),
         "basic: answer names the call site holding dead pages");
   const char *ans = t ? strstr(t, "Does free()") : NULL;
   const char *graph = t ? strstr(t, "\nGraph\n") : NULL;
   const char *table = t ? strstr(t, "time(i)") : NULL;
   const char *trees = t ? strstr(t, "Snapshot 1: peak") : NULL;
   check(ans && graph && table && trees && ans < graph && graph < table
         && table < trees, "basic: sections in order answer, graph, table, "
         "trees");
   /* The table's resident row of the exit snapshot. */
   check(has_row(t, " resident 2,265,088 4,096 1,228,800 1,024,000 8,192 0\n"),
         "basic: table row of resident bytes at exit");
   free(t);

   /* --snapshot and --category. */
   o.snapshot = 1;
   o.category = RS_CAT_HEAP_LIVE;
   t = report_text(f, &o);
   check(contains(t, "Snapshot (snapshot 1,"), "basic --snapshot=1: answer");
   check(contains(t, "100.00% (2,621,440B) heap_live: live heap pages"),
         "basic --snapshot=1 --category=heap_live: tree rooted at heap_live");
   check(!contains(t, "Snapshot 2: detailed"),
         "basic --snapshot=1: no other tree");
   free(t);
   /* --category=heap_dead alone: the table's exit row, mapped 641 pages,
      resident 300 (the sample's page arithmetic above). */
   rs_opts_default(&o);
   o.category = RS_CAT_HEAP_DEAD;
   t = report_text(f, &o);
   check(has_row(t, "\n2 2,000,000 2,625,536 1,228,800 detailed exit\n"),
         "basic --category=heap_dead: table row at exit, mapped and resident");
   free(t);
   rs_file_free(f);
}

/* noexit.out: no exit=1 snapshot, no heap_tree=peak, unknown keys and
 * #rs: lines, a label.  Snapshots 1 and 2 both hold 3 heap pages (2 live
 * + 1 dead, then 1 live + 2 dead): the earliest is the largest heap. */
static void noexit(void)
{
   struct rs_file *f = load("noexit.out");
   if (f == NULL)
      return;
   check(f->exit_snap == -1, "noexit: no exit snapshot");
   check(rs_final_index(f) == 2, "noexit: answer uses the last snapshot");
   check(rs_peak_index(f) == 1, "noexit: largest heap, earliest on ties");
   check(f->snaps[1].label && strcmp(f->snaps[1].label, "after_load") == 0,
         "noexit: label of snapshot 1");
   const struct rs_record *r = &f->records[f->snaps[0].totals_record];
   const char *v = rs_record_get(f, r, "future_key");
   check(v && strcmp(v, "abc") == 0, "noexit: unknown key kept");
   check_u64(f->snaps[0].rec_count, 2, "noexit: #rs: lines of snapshot 0");
   check_u64(f->hdr_rec_count, 2, "noexit: #rs: lines of the header");
   check(strcmp(f->time_unit, "B") == 0, "noexit: time unit B");

   struct rs_answer a;
   rs_answer_numbers(f, &f->snaps[2], &a);
   check_u64(a.retained_B, PAGE, "noexit last: retained");
   check_u64(a.released_B, PAGE, "noexit last: released");
   rs_answer_numbers(f, &f->snaps[1], &a);
   check_u64(a.other_res_B, 2 * PAGE, "noexit 1: other resident");
   check_u64(a.total_res_B, (2 + 0 + 1 + 1 + 2) * PAGE,
             "noexit 1: total resident");

   struct rs_opts o;
   rs_opts_default(&o);
   char *t = report_text(f, &o);
   check(contains(t, "no exit snapshot (exit=1)"),
         "noexit: the report says the run has no exit snapshot");
   check(contains(t, "Last snapshot (snapshot 2, time 60,000 B)"),
         "noexit: answer for the last snapshot");
   check(contains(t, "At the largest heap (no peak marked) (snapshot 1"),
         "noexit: answer for the largest heap");
   free(t);
   rs_file_free(f);
}

/* deep.out: a 40-level chain under heap_dead holding 99 pages, one more
 * dead page elsewhere (1/200 of the total: below the 1% threshold), and a
 * 100-page loader split into two objects. */
static void deep(void)
{
   struct rs_file *f = load("deep.out");
   if (f == NULL)
      return;
   const struct rs_snapshot *s = &f->snaps[1];
   /* root + heap_dead + 40 chain + small + loader + 2 + heap_live */
   check_u64(s->node_count, 1 + 1 + 40 + 1 + 1 + 2 + 1, "deep: tree nodes");
   check_u64(f->nodes[s->node_first].size, s->node_count, "deep: root size");
   struct rs_opts o;
   rs_opts_default(&o);
   char *t = report_text(f, &o);
   check(contains(t, "->00.50% (4,096B) in 1+ places, all below rs_print's "
                     "threshold (01.00%)"),
         "deep: small site folded at the 1% threshold");
   check(contains(t, "->49.50% (405,504B) 0x1028: level_40 (deep.c:40)"),
         "deep: deepest level printed");
   free(t);
   o.threshold = 0;
   t = report_text(f, &o);
   check(contains(t, "->00.50% (4,096B) 0x2000: small_site (deep.c:99)"),
         "deep: --threshold=0 shows every node");
   free(t);
   o.threshold = 1;
   o.category = RS_CAT_LOADER;
   t = report_text(f, &o);
   check(contains(t, "100.00% (409,600B) loader:")
         && contains(t, "->50.00% (204,800B) /usr/lib/x86_64-linux-gnu/libc"),
         "deep --category=loader: percentages of the loader node");
   free(t);
   rs_file_free(f);
}

/* massif.out: a plain Massif file: ms_print's numbers, no categories. */
static void massif(void)
{
   struct rs_file *f = load("massif.out");
   if (f == NULL)
      return;
   check(!f->is_rs, "massif: plain Massif file");
   check(f->peak == 1, "massif: peak snapshot 1");
   struct rs_opts o;
   rs_opts_default(&o);
   char *t = report_text(f, &o);
   check(contains(t, "This is a plain Massif file"),
         "massif: report says it has no categories");
   /* ms_print: 600 of 1,024 total bytes = 58.59% */
   check(contains(t, "->58.59% (600B) 0x400100: site_a (two_sites.c:10)"),
         "massif: tree percentages of the snapshot total, as ms_print");
   check(has_row(t, "\n1 100 1,024 1,000 24 0 peak\n"),
         "massif: table row of snapshot 1");
   check(!contains(t, "heap_dead"), "massif: no category in the report");
   free(t);
   char *out, *err;
   int rc = run_main(&out, &err, "--category=heap_dead",
                     sample_path("massif.out"), NULL);
   check(rc == 2 && contains(err, "plain Massif file"),
         "massif: --category is refused (exit 2)");
   free(out);
   free(err);
   rs_file_free(f);
}

/* blocker.out: 1,024 pages of 1 MiB blocks plus 2 more pages on the brk
 * heap (1,026 pages), a 64-byte block allocated last on the top page; the
 * big blocks are freed: 1,025 dead pages, all resident, kept by the small
 * block; malloc_trim(0) could return the 1,024 whole free pages. */
static void blocker(void)
{
   struct rs_file *f = load("blocker.out");
   if (f == NULL)
      return;
   struct rs_opts o;
   rs_opts_default(&o);
   char *t = report_text(f, &o);
   const char *ans = t ? strstr(t, "Does free() give the memory back?\n") : 0;
   /* the title, a rule, then the answer */
   const char *first = ans ? strchr(strchr(ans, '\n') + 1, '\n') + 1 : NULL;
   static const char want[] = "At exit (snapshot 2, time 900,000 i):\n"
      "  Retained: 4,198,400 bytes (4.00 MiB, 1,025 pages) "
      "[heap_dead_res_B=4198400]\n";
   check(first && strncmp(first, want, strlen(want)) == 0,
         "blocker: the answer's first lines state the retained bytes");
   check(contains(t, "malloc_trim(0) would give back about 4,194,304 bytes "
                     "(4.00 MiB)"), "blocker: trim estimate (1,024 pages)");
   check(contains(t, "      64-byte block at 0x10A2B4: main (blocker.c:31)\n"
                     "        keeps 4,198,400 freed bytes (4,198,400 "
                     "resident) below it in the brk heap 0x4035000\n"),
         "blocker: the small block's source line named as trim blocker");
   check(contains(t, "Pinned pages: 1 live page (4,096 bytes)")
         && contains(t, "      1 page (64 useful bytes): 0x10A2B4: main "
                        "(blocker.c:31)\n"),
         "blocker: the pinning call site");
   check(contains(t, "4,198,400 bytes (100.00%) 0x10A25C: main "
                     "(blocker.c:24)\n"),
         "blocker: freed pages named by the caller of malloc, not brk");
   free(t);
   rs_file_free(f);
}

/* arenas.out: two thread arenas of 256 pages with 200 freed resident pages
 * each, a main arena with 10: thread arenas hold 400 of 410 retained
 * pages, so the report suggests MALLOC_ARENA_MAX. */
static void arenas(void)
{
   struct rs_file *f = load("arenas.out");
   if (f == NULL)
      return;
   struct rs_opts o;
   rs_opts_default(&o);
   char *t = report_text(f, &o);
   check(contains(t, "Retained: 1,679,360 bytes (1.60 MiB, 410 pages)"),
         "arenas: retained 410 pages");
   check(contains(t, "MALLOC_ARENA_MAX=2"), "arenas: MALLOC_ARENA_MAX hint");
   check(has_row(t, " thread 0x7f1c04000020 1,048,576 16,384 1,032,192 "
                    "819,200\n"), "arenas: per-arena row");
   /* the two thread arenas' blockers have the same site: one line
      (issue 17: no two site lines alike), their bytes summed */
   const char *b1 = t ? strstr(t, "      2 blocks (600 bytes) at 0x1091D2: worker "
                               "(arenas.c:20)\n        keep 2,056,192 freed bytes "
                               "(1,638,400 resident) below them in 2 thread arena "
                               "heaps\n") : NULL;
   const char *b3 = t ? strstr(t, "keeps 122,880 freed bytes") : NULL;
   check(b1 && b3 && b1 < b3, "arenas: blockers ordered by retained bytes");
   check(t && strstr(t, "300-byte block at 0x1091D2: worker") == NULL,
         "arenas: blockers of one site merged");
   check(contains(t, "2,064,384 bytes (94.21%) 0x1091D2: worker "
                     "(arenas.c:20)"),
         "arenas: thread arena pages named by the worker's malloc call");
   free(t);
   rs_file_free(f);
}

int main(void)
{
   basic();
   blocker();
   arenas();
   noexit();
   deep();
   massif();
   return unit_done();
}
