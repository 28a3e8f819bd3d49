/*
 * rs_print_parse.c -- rs_print's parser: the data model, deep trees, big
 * files in linear time, and the strict export giving back a Massif file
 * byte for byte.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include "tests/unit_util.h"

#include <time.h>

struct buf {
   char *s;
   size_t len, cap;
};

static void put(struct buf *b, const char *fmt, ...)
{
   va_list ap;
   for (;;) {
      va_start(ap, fmt);
      int n = vsnprintf(b->s ? b->s + b->len : NULL,
                        b->s ? b->cap - b->len : 0, fmt, ap);
      va_end(ap);
      if (b->s && b->len + (size_t)n < b->cap) {
         b->len += (size_t)n;
         return;
      }
      b->cap = b->cap ? 2 * b->cap + (size_t)n : 4096 + (size_t)n;
      b->s = realloc(b->s, b->cap);
   }
}

/* A Massif file (exactly as Massif writes it) with `n` snapshots; every
 * `freq`-th is detailed with a tree of `width` sites, each a chain of
 * `chain` frames.  Heap bytes of snapshot i: 1000 * (i + 1) * width. */
static char *massif_text(size_t n, size_t freq, unsigned width,
                         unsigned chain)
{
   struct buf b = { 0 };
   put(&b, "desc: --detailed-freq=%zu\ncmd: ./gen\ntime_unit: i\n", freq);
   for (size_t i = 0; i < n; i++) {
      uint64_t site = 1000 * (uint64_t)(i + 1);
      int det = i % freq == freq - 1;
      put(&b, "#-----------\nsnapshot=%zu\n#-----------\ntime=%zu\n"
          "mem_heap_B=%llu\nmem_heap_extra_B=%zu\nmem_stacks_B=0\n"
          "heap_tree=%s\n", i, i * 1000,
          (unsigned long long)(site * width), i % 7 * 8,
          det ? "detailed" : "empty");
      if (!det)
         continue;
      put(&b, "n%u: %llu (heap allocation functions) malloc/new/new[], "
          "--alloc-fns, etc.\n", width, (unsigned long long)(site * width));
      for (unsigned w = 0; w < width; w++)
         for (unsigned c = 0; c < chain; c++)
            put(&b, "%*sn%u: %llu 0x%X: fn_%u_%u (gen.c:%u)\n", (int)c + 1,
                "", c + 1 < chain ? 1 : 0, (unsigned long long)site,
                0x400000 + w * 64 + c, w, c, c + 1);
   }
   return b.s;
}

static char *export_text(const struct rs_file *f)
{
   char *text = NULL;
   size_t len = 0;
   FILE *m = open_memstream(&text, &len);
   rs_massif_export(m, f);
   fclose(m);
   return text;
}

static double now(void)
{
   struct timespec ts;
   clock_gettime(CLOCK_MONOTONIC, &ts);
   return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Parses, prints the report and exports; returns the seconds taken. */
static double full_run(const char *text, int *ok)
{
   struct rs_error e;
   double t0 = now();
   struct rs_file *f = rs_parse_buffer("gen.out", text, strlen(text), &e);
   *ok = f != NULL;
   if (f == NULL) {
      printf("# %s\n", e.msg);
      return 0;
   }
   FILE *null = fopen("/dev/null", "w");
   struct rs_opts o;
   rs_opts_default(&o);
   rs_report(null, f, &o);
   rs_massif_export(null, f);
   fclose(null);
   rs_file_free(f);
   return now() - t0;
}

static void model(void)
{
   char *text = massif_text(6, 3, 2, 3);
   struct rs_error e;
   struct rs_file *f = rs_parse_buffer("gen.out", text, strlen(text), &e);
   check(f != NULL, "generated file parses%s%s", f ? "" : ": ",
         f ? "" : e.msg);
   if (f == NULL)
      return;
   check(!f->is_rs && strcmp(f->cmd, "./gen") == 0
         && strcmp(f->desc, "--detailed-freq=3") == 0
         && strcmp(f->time_unit, "i") == 0, "header fields");
   check_u64(f->nsnaps, 6, "snapshots");
   check_u64(f->snaps[5].time, 5000, "time of snapshot 5");
   check_u64(f->snaps[5].mem_heap_extra_B, 5 * 8, "extra heap of 5");
   check(f->snaps[2].tree_kind == RS_TREE_DETAILED
         && f->snaps[1].tree_kind == RS_TREE_EMPTY, "tree kinds");
   const struct rs_snapshot *s = &f->snaps[2];
   /* root + 2 chains of 3 */
   check_u64(s->node_count, 7, "nodes of snapshot 2");
   const struct rs_node *n = &f->nodes[s->node_first];
   check_u64(n[0].size, 7, "root subtree size");
   check_u64(n[1].size, 3, "first chain size");
   check_u64(n[4].size, 3, "second chain size");
   check_u64(n[3].size, 1, "leaf size");
   check(strcmp(n[6].text, "0x400042: fn_1_2 (gen.c:3)") == 0,
         "node text without the leading space");
   check_u64(n[0].bytes, 2 * 3000, "root bytes");
   char *back = export_text(f);
   check(back && strcmp(back, text) == 0,
         "--massif gives back a Massif file byte for byte");
   free(back);
   rs_file_free(f);
   free(text);
}

static void deep(void)
{
   /* One chain 3,000 frames deep (the file holds 4.5 million spaces of
    * indentation: output is linear in the input). */
   char *text = massif_text(3, 1, 1, 3000);
   int ok;
   double t = full_run(text, &ok);
   check(ok, "3,000-deep tree: parse, report and export (%.3f s)", t);
   struct rs_error e;
   struct rs_file *f = rs_parse_buffer("gen.out", text, strlen(text), &e);
   if (f != NULL) {
      struct rs_opts o;
      rs_opts_default(&o);
      o.snapshot = 2;
      char *r = report_text(f, &o);
      /* 3,000 heap bytes of 3,000 + 16 extra */
      check(r && strstr(r, "->99.47% (3,000B) 0x400BB7: fn_0_2999 "
                           "(gen.c:3000)\n"), "deepest frame printed");
      free(r);
      rs_file_free(f);
   }
   free(text);
}

static void scale(void)
{
   /* 10,000 snapshots, every 10th detailed with 8 sites of depth 12. */
   char *big = massif_text(10000, 10, 8, 12);
   size_t mb = strlen(big) >> 20;
   int ok;
   double tb = full_run(big, &ok);
   check(ok, "10,000 snapshots (%zu MiB): parse, report and export in "
         "%.3f s", mb, tb);
   check(tb < 2.0 * (double)(mb + 1), "under 2 s per MiB even on a busy "
         "machine (%.3f s for %zu MiB)", tb, mb);
   free(big);

   /* Linear: 8 times the snapshots takes about 8 times as long. */
   char *a = massif_text(1000, 10, 8, 12), *b = massif_text(8000, 10, 8, 12);
   double ta = 1e9, tb8 = 1e9;
   for (int k = 0; k < 3; k++) {  /* best of 3 against noise */
      double x = full_run(a, &ok), y = full_run(b, &ok);
      if (x < ta)
         ta = x;
      if (y < tb8)
         tb8 = y;
   }
   check(tb8 < 24 * ta + 0.05, "linear time: 1,000 snapshots %.4f s, "
         "8,000 snapshots %.4f s", ta, tb8);
   free(a);
   free(b);
}

int main(void)
{
   model();
   deep();
   scale();
   return unit_done();
}
