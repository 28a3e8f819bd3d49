/*
 * rs_answer.c -- the first section of the report: does free() give the
 * memory back?  In plain words, for the exit snapshot and the peak.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include "rs_report.h"

#include <stdlib.h>
#include <string.h>

#include "rs_fmt.h"

/* How many call sites of the freed-but-mapped heap to name. */
#define RS_ANSWER_SITES 5

static void time_str(const struct rs_file *f, const struct rs_snapshot *s,
                     char *buf, size_t n)
{
   char t[RS_NUMBUF];
   snprintf(buf, n, "time %s %s", rs_commify(s->time, t), f->time_unit);
}

/* Is this tree frame ("0xADDR: name (file:line)") inside the allocator or
 * a system call it makes?  Used to find the caller that made a heap
 * mapping: the first frame below the allocator. */
static int is_allocator_frame(const char *text)
{
   static const char *const names[] = {
      "brk", "sbrk", "__brk", "__sbrk", "mmap", "mmap64", "__mmap",
      "__mmap64", "mremap", "__mremap", "__glibc_morecore", "__default_morecore",
      "sysmalloc", "new_heap", "alloc_new_heap", "grow_heap", "sysmalloc_mmap",
      "malloc", "calloc", "realloc", "free", "memalign", "posix_memalign",
      "aligned_alloc", "valloc", "pvalloc", "reallocarray", "__libc_malloc",
      "__libc_calloc", "__libc_realloc", "__libc_memalign", "_mid_memalign",
      "operator new(unsigned long)", "operator new[](unsigned long)",
      "_Znwm", "_Znam", "strdup", "__strdup", NULL
   };
   const char *p = strstr(text, ": ");
   p = p ? p + 2 : text;
   if (strstr(p, "(rs_wrappers.c:") || strstr(p, "vg_replace_malloc.c:"))
      return 1;
   size_t n = strcspn(p, " @(");
   if (strncmp(p, "operator new", 12) == 0)
      return 1;
   if ((n > 5 && strncmp(p, "_int_", 5) == 0)
       || (n > 9 && strncmp(p, "sysmalloc", 9) == 0)
       || (n > 7 && strncmp(p, "tcache_", 7) == 0)
       || (n > 6 && strncmp(p, "arena_", 6) == 0))
      return 1;
   for (int i = 0; names[i]; i++)
      if (strlen(names[i]) == n && strncmp(p, names[i], n) == 0)
         return 1;
   return 0;
}

/* The callers that made heap mappings under tree node `c`: below the
 * allocator frames (brk, sysmalloc, _int_malloc, malloc...), the first
 * frame of each branch.  Where the allocator's path branches, each branch
 * gives its own caller. */
struct caller_list {
   const struct rs_node *node[64];
   uint64_t bytes[64];
   size_t n;
};

static void collect_callers(const struct rs_file *f, size_t c,
                            struct caller_list *out, int depth)
{
   const struct rs_node *n = &f->nodes[c];
   if (out->n == 64)
      return;
   if (!is_allocator_frame(n->text) || n->nchildren == 0 || depth > 400) {
      for (size_t k = 0; k < out->n; k++)
         if (strcmp(out->node[k]->text, n->text) == 0) {   /* same caller */
            out->bytes[k] += n->bytes;
            return;
         }
      out->node[out->n] = n;
      out->bytes[out->n] = n->bytes;
      out->n++;
      return;
   }
   size_t k = c + 1;
   for (uint32_t j = 0; j < n->nchildren; j++) {
      collect_callers(f, k, out, depth + 1);
      k += f->nodes[k].size;
   }
}

/* Names the biggest call sites under the heap_dead node of the tree of the
 * latest detailed snapshot at or before `idx`. */
static void dead_sites(FILE *out, const struct rs_file *f, long idx)
{
   long d = rs_latest_detailed(f, idx);
   if (d < 0) {
      fprintf(out, "  (No detailed snapshot up to here: no call stacks.  "
              "Use --detailed-freq=1 to get them.)\n");
      return;
   }
   const struct rs_snapshot *s = &f->snaps[d];
   long node = rs_tree_category_node(f, s, RS_CAT_HEAP_DEAD);
   if (node < 0)
      return;
   const struct rs_node *n = &f->nodes[node];
   if (n->nchildren == 0 || n->bytes == 0)
      return;
   char a[RS_NUMBUF];
   fprintf(out, "  Freed heap pages by the code that mapped them (tree of "
           "snapshot %ld%s):\n", d,
           d == idx ? "" : ", the latest detailed one");
   struct caller_list callers = { .n = 0 };
   size_t i = (size_t)node + 1;
   for (uint32_t k = 0; k < n->nchildren; k++) {
      collect_callers(f, i, &callers, 0);
      i += f->nodes[i].size;
   }
   /* largest first (a short list: selection sort) */
   for (size_t x = 0; x < callers.n; x++)
      for (size_t y = x + 1; y < callers.n; y++)
         if (callers.bytes[y] > callers.bytes[x]) {
            const struct rs_node *tn = callers.node[x];
            uint64_t tb = callers.bytes[x];
            callers.node[x] = callers.node[y]; callers.bytes[x] = callers.bytes[y];
            callers.node[y] = tn; callers.bytes[y] = tb;
         }
   for (size_t k = 0; k < callers.n && k < RS_ANSWER_SITES; k++)
      fprintf(out, "    %14s bytes (%5.2f%%) %s\n", rs_commify(callers.bytes[k], a),
              rs_pct(callers.bytes[k], n->bytes), callers.node[k]->text);
   if (callers.n > RS_ANSWER_SITES)
      fprintf(out, "    ... and %zu more (see the tree of snapshot %ld)\n",
              callers.n - RS_ANSWER_SITES, d);
}

/* ------------------------------------------------------------------ */
/* Why: the #rs.KIND: analysis lines of a detailed snapshot.           */
/* ------------------------------------------------------------------ */

/* Decimal value of `key` in record r, or 0 when missing or not a number. */
static uint64_t rec_u64(const struct rs_file *f, const struct rs_record *r,
                        const char *key, int *ok)
{
   const char *v = rs_record_get(f, r, key);
   uint64_t x = 0;
   if (v == NULL || *v == '\0') {
      if (ok)
         *ok = 0;
      return 0;
   }
   for (; *v; v++) {
      if (*v < '0' || *v > '9' || x > (UINT64_MAX - 9) / 10) {
         if (ok)
            *ok = 0;
         return 0;
      }
      x = x * 10 + (uint64_t)(*v - '0');
   }
   if (ok)
      *ok = 1;
   return x;
}

static const char *rec_str(const struct rs_file *f, const struct rs_record *r,
                           const char *key)
{
   const char *v = rs_record_get(f, r, key);
   return v && *v ? v : "?";
}

static int is_kind(const struct rs_record *r, const char *kind)
{
   return r->kind != NULL && strcmp(r->kind, kind) == 0;
}

static int has_analysis(const struct rs_file *f, const struct rs_snapshot *s)
{
   for (size_t i = 0; i < s->rec_count; i++)
      if (f->records[s->rec_first + i].kind != NULL)
         return 1;
   return 0;
}

/* The snapshot whose analysis lines describe snapshot idx: itself, else
 * the latest earlier one that has them; -1 if none. */
static long analysis_index(const struct rs_file *f, long idx)
{
   for (long i = idx; i >= 0; i--)
      if (has_analysis(f, &f->snaps[i]))
         return i;
   return -1;
}

#define MAX_LISTED 5

static const char *segment_kind_of(const struct rs_file *f,
                                   const struct rs_snapshot *s,
                                   const char *start)
{
   for (size_t i = 0; i < s->rec_count; i++) {
      const struct rs_record *r = &f->records[s->rec_first + i];
      const char *st = rs_record_get(f, r, "start");
      if (is_kind(r, "segment") && st && strcmp(st, start) == 0)
         return rec_str(f, r, "kind");
   }
   return NULL;
}

static const char *segment_words(const char *kind)
{
   if (kind == NULL)
      return "heap";
   if (strcmp(kind, "brk") == 0)
      return "brk heap";
   if (strcmp(kind, "arena") == 0)
      return "thread arena heap";
   if (strcmp(kind, "mmap") == 0)
      return "main arena's mmapped heap";
   if (strcmp(kind, "chunk") == 0)
      return "mmapped chunk";
   return kind;
}

/* The site lines of one kind (#rs.KIND: ... at=SITE) of snapshot s, lines
 * with the same at= merged, their keys' values summed: no two lines of a
 * section read alike (rssmassif tells sites apart by the frame that
 * differs, docs/detailed.md 5.1c; lines still alike are older files', or
 * blockers of equal stacks).  Largest first by sum[0], then sum[1].
 * Lines whose `need` key is 0 are left out.  A malloc'ed array (NULL
 * when empty) of *n. */
struct site_sum {
   const char *at;
   const struct rs_record *first;   /* the first line merged */
   uint64_t sum[3];
   size_t count;                    /* lines merged */
};

static int site_sum_cmp(const void *x, const void *y)
{
   const struct site_sum *l = x, *r = y;
   if (l->sum[0] != r->sum[0])
      return l->sum[0] < r->sum[0] ? 1 : -1;
   if (l->sum[1] != r->sum[1])
      return l->sum[1] < r->sum[1] ? 1 : -1;
   return l->first < r->first ? -1 : l->first > r->first;
}

static struct site_sum *sum_sites(const struct rs_file *f,
                                  const struct rs_snapshot *s,
                                  const char *kind, const char *const keys[3],
                                  const char *need, size_t *n)
{
   struct site_sum *v = malloc((s->rec_count + 1) * sizeof *v);
   *n = 0;
   if (v == NULL)
      return NULL;
   for (size_t i = 0; i < s->rec_count; i++) {
      const struct rs_record *r = &f->records[s->rec_first + i];
      if (!is_kind(r, kind) || rec_u64(f, r, need, NULL) == 0)
         continue;
      const char *at = rec_str(f, r, "at");
      size_t k = 0;
      while (k < *n && (strcmp(v[k].at, at) != 0 || RS_MUTANT_IS(1745)))
         k++;
      if (k == *n) {
         memset(&v[k], 0, sizeof v[k]);
         v[k].at = at;
         v[k].first = r;
         (*n)++;
      }
      for (int j = 0; j < 3; j++)
         if (keys[j] != NULL)
            v[k].sum[j] += rec_u64(f, r, keys[j], NULL);
      v[k].count++;
   }
   qsort(v, *n, sizeof *v, site_sum_cmp);
   return v;
}

/* What the heaps of the blockers at `at` are, in words: their kind when
 * all are of one kind ("thread arena heap"), else "heap". */
static const char *blockers_heaps(const struct rs_file *f,
                                  const struct rs_snapshot *s, const char *at)
{
   const char *words = NULL;
   for (size_t i = 0; i < s->rec_count; i++) {
      const struct rs_record *r = &f->records[s->rec_first + i];
      if (!is_kind(r, "blocker") || strcmp(rec_str(f, r, "at"), at) != 0)
         continue;
      const char *seg = rs_record_get(f, r, "segment");
      const char *w = segment_words(seg ? segment_kind_of(f, s, seg) : NULL);
      if (words != NULL && strcmp(words, w) != 0)
         return "heap";
      words = w;
   }
   return words ? words : "heap";
}

static void why_blockers(FILE *out, const struct rs_file *f,
                         const struct rs_snapshot *s)
{
   static const char *const keys[3] = { "kept_dead_res_B", "kept_dead_B", "size_B" };
   size_t n = 0;
   char a[RS_NUMBUF], b[RS_NUMBUF], c[RS_NUMBUF];
   /* The MAX_LISTED blockers keeping the most freed resident bytes. */
   struct site_sum *v = sum_sites(f, s, "blocker", keys, "kept_dead_B", &n);
   if (n == 0) {
      fprintf(out, "    Trim blockers: none keeps freed pages below it.\n");
      free(v);
      return;
   }
   fprintf(out, "    Trim blockers (the live block highest in a heap keeps "
           "the freed pages below\n    it from being trimmed):\n");
   for (size_t i = 0; i < n && i < MAX_LISTED; i++) {
      const char *seg = rs_record_get(f, v[i].first, "segment");
      if (v[i].count == 1)
         fprintf(out, "      %s-byte block at %s\n        keeps %s freed bytes "
                 "(%s resident) below it in the %s %s\n",
                 rs_commify(v[i].sum[2], a), v[i].at,
                 rs_commify(v[i].sum[1], b), rs_commify(v[i].sum[0], c),
                 segment_words(seg ? segment_kind_of(f, s, seg) : NULL),
                 seg ? seg : "?");
      else
         fprintf(out, "      %zu blocks (%s bytes) at %s\n        keep %s freed "
                 "bytes (%s resident) below them in %zu %ss\n",
                 v[i].count, rs_commify(v[i].sum[2], a), v[i].at,
                 rs_commify(v[i].sum[1], b), rs_commify(v[i].sum[0], c),
                 v[i].count, blockers_heaps(f, s, v[i].at));
   }
   if (n > MAX_LISTED)
      fprintf(out, "      ... and %zu more\n", n - MAX_LISTED);
   free(v);
}

static void why_pinned(FILE *out, const struct rs_file *f,
                       const struct rs_snapshot *s)
{
   char a[RS_NUMBUF], b[RS_NUMBUF], c[RS_NUMBUF];
   const struct rs_record *pin = NULL;
   for (size_t i = 0; i < s->rec_count && pin == NULL; i++)
      if (is_kind(&f->records[s->rec_first + i], "pinned"))
         pin = &f->records[s->rec_first + i];
   if (pin == NULL)
      return;
   uint64_t pages = rec_u64(f, pin, "pages", NULL);
   if (pages == 0) {
      fprintf(out, "    Pinned pages: none (no live page holds fewer than %s "
              "useful bytes).\n", rec_str(f, pin, "threshold_B"));
      return;
   }
   fprintf(out, "    Pinned pages: %s live page%s (%s bytes) %s "
           "fewer than %s useful\n    bytes (%s useful bytes in all); "
           "pinned by:\n",
           rs_commify(pages, a), pages == 1 ? "" : "s",
           rs_commify(rec_u64(f, pin, "bytes", NULL), b),
           pages == 1 ? "holds" : "each hold", rec_str(f, pin, "threshold_B"),
           rs_commify(rec_u64(f, pin, "useful_B", NULL), c));
   static const char *const keys[3] = { "pages", "useful_B", NULL };
   size_t n = 0;
   struct site_sum *v = sum_sites(f, s, "pinned_site", keys, "pages", &n);
   for (size_t i = 0; i < n; i++)
      fprintf(out, "      %s page%s (%s useful bytes): %s\n",
              rs_commify(v[i].sum[0], a), v[i].sum[0] == 1 ? "" : "s",
              rs_commify(v[i].sum[1], b), v[i].at);
   free(v);
}

static void why_arenas(FILE *out, const struct rs_file *f,
                       const struct rs_snapshot *s)
{
   char a[RS_NUMBUF], b[RS_NUMBUF], c[RS_NUMBUF], d[RS_NUMBUF];
   uint64_t all_res = 0, thread_res = 0;
   int any = 0, threads = 0;
   for (size_t i = 0; i < s->rec_count; i++) {
      const struct rs_record *r = &f->records[s->rec_first + i];
      if (!is_kind(r, "arena"))
         continue;
      if (!any)
         fprintf(out, "    %-26s %11s %11s %11s %11s\n", "Per arena:",
                 "mapped", "live", "freed", "retained");
      any = 1;
      const char *k = rec_str(f, r, "kind");
      char name[40];
      if (strcmp(k, "thread") == 0) {
         snprintf(name, sizeof name, "thread %.18s",
                  rec_str(f, r, "id"));
         threads = 1;
      } else if (strcmp(k, "mmap_chunks") == 0) {
         snprintf(name, sizeof name, "mmapped chunks");
      } else {
         snprintf(name, sizeof name, "%.16s arena", k);
      }
      uint64_t res = rec_u64(f, r, "dead_res_B", NULL);
      all_res += res;
      if (strcmp(k, "thread") == 0)
         thread_res += res;
      fprintf(out, "      %-24s %11s %11s %11s %11s\n", name,
              rs_commify(rec_u64(f, r, "mapped_B", NULL), a),
              rs_commify(rec_u64(f, r, "live_B", NULL), b),
              rs_commify(rec_u64(f, r, "dead_B", NULL), c),
              rs_commify(res, d));
   }
   if (threads && thread_res > 0 && thread_res * 2 > all_res)
      fprintf(out, "    Thread arenas hold most of the retained memory: "
              "fewer arenas retain less\n    (MALLOC_ARENA_MAX=2, or "
              "GLIBC_TUNABLES=glibc.malloc.arena_max=2).\n");
}

/* The code whose frees left the retained pages empty (#rs.dead_site). */
static void why_retained_sites(FILE *out, const struct rs_file *f,
                               const struct rs_snapshot *s)
{
   static const char *const keys[3] = { "dead_res_B", "dead_B", NULL };
   char a[RS_NUMBUF], b[RS_NUMBUF];
   size_t n = 0;
   struct site_sum *v = sum_sites(f, s, "dead_site", keys, "dead_res_B", &n);
   if (n > 0)
      fprintf(out, "    Retained pages by the allocation site of the last "
              "block freed on them:\n");
   for (size_t i = 0; i < n; i++)
      fprintf(out, "      %14s bytes retained (%s freed): %s\n",
              rs_commify(v[i].sum[0], a), rs_commify(v[i].sum[1], b), v[i].at);
   free(v);
}

/* Thread stacks glibc keeps after their threads exited (#rs.stacks;
 * files before cached_n= existed get the older sentence). */
static void why_stacks(FILE *out, const struct rs_file *f,
                       const struct rs_snapshot *s)
{
   char a[RS_NUMBUF], b[RS_NUMBUF], n[RS_NUMBUF];
   const struct rs_record *r;
   for (size_t pos = 0; (r = rs_next_record(f, s, "stacks", &pos));) {
      int have_n = 0;
      uint64_t cached = rec_u64(f, r, "cached_B", NULL);
      uint64_t count = rec_u64(f, r, "cached_n", &have_n);
      uint64_t res = rec_u64(f, r, "cached_res_B", NULL);
      if (cached == 0)
         continue;
      if (have_n)
         fprintf(out, "    Stacks: glibc keeps %s exited thread%s' stack%s: %s "
                 "mapped, %s resident\n    (counted as stack: glibc reuses them "
                 "for new threads, up to 40 MiB,\n    and they stay mapped "
                 "until the process ends).\n", rs_commify(count, n),
                 count == 1 ? "" : "s", count == 1 ? "" : "s",
                 rs_commify(cached, a), rs_commify(res, b));
      else
         fprintf(out, "    Cached thread stacks: %s bytes mapped (%s resident) "
                 "are stacks of exited\n    threads that glibc keeps for new "
                 "threads (up to 40 MiB).\n", rs_commify(cached, a),
                 rs_commify(res, b));
   }
}

/* glibc's dynamic mmap threshold (#rs.mmap_threshold): the raise, the
 * later large blocks that came from the heap because of it, and those
 * live in the heap now.  Files before threshold_B= get the older text. */
static void why_mmap_threshold(FILE *out, const struct rs_file *f,
                               const struct rs_snapshot *s)
{
   char a[RS_NUMBUF], b[RS_NUMBUF], c[RS_NUMBUF];
   const struct rs_record *r;
   for (size_t pos = 0; (r = rs_next_record(f, s, "mmap_threshold", &pos));) {
      int have_thr = 0;
      uint64_t thr = rec_u64(f, r, "threshold_B", &have_thr);
      uint64_t live_n = rec_u64(f, r, "large_in_heap_blocks", NULL);
      if (have_thr) {
         fprintf(out, "    mmap threshold raised to %s bytes at %s;\n"
                 "    %s bytes of later blocks came from the heap instead "
                 "(%s block%s).\n", rs_commify(thr, a), rec_str(f, r, "at"),
                 rs_commify(rec_u64(f, r, "later_heap_B", NULL), b),
                 rec_str(f, r, "later_heap_blocks"),
                 rec_u64(f, r, "later_heap_blocks", NULL) == 1 ? "" : "s");
         fprintf(out, "    (Freeing that %s-byte mmapped block raised glibc's "
                 "dynamic\n    mmap threshold: requests below it are served "
                 "from the heap, where\n    free() does not unmap them; %s "
                 "such block%s (%s bytes) live%s in the heap\n    now.  "
                 "mallopt's M_MMAP_THRESHOLD fixes the threshold.)\n",
                 rs_commify(rec_u64(f, r, "freed_chunk_B", NULL), c),
                 rec_str(f, r, "large_in_heap_blocks"), live_n == 1 ? "" : "s",
                 rs_commify(rec_u64(f, r, "large_in_heap_B", NULL), b),
                 live_n == 1 ? "s" : "");
         continue;
      }
      int one = live_n == 1;
      fprintf(out, "    Dynamic mmap threshold: freeing a %s-byte mmapped "
              "block (%s)\n    raised glibc's mmap threshold, so %s large "
              "block%s (%s bytes) now\n    live%s in the heap, where free() "
              "does not unmap %s (mallopt's\n    M_MMAP_THRESHOLD fixes the "
              "threshold).\n",
              rs_commify(rec_u64(f, r, "freed_chunk_B", NULL), a),
              rec_str(f, r, "at"),
              rec_str(f, r, "large_in_heap_blocks"),
              one ? "" : "s",
              rs_commify(rec_u64(f, r, "large_in_heap_B", NULL), b),
              one ? "s" : "", one ? "it" : "them");
   }
}

/* The allocator of the run (the header's allocator=, see
 * docs/allocators.md): "glibc" when the file does not say. */
static const char *file_allocator(const struct rs_file *f)
{
   for (size_t i = 0; i < f->hdr_rec_count; i++) {
      const char *a = rs_record_get(f, &f->records[f->hdr_rec_first + i], "allocator");
      if (a != NULL && *a && strcmp(a, "unknown") != 0)
         return a;
   }
   return "glibc";
}

/* Why an allocator other than glibc keeps freed pages, and its knobs, in
 * its own terms (glibc's trim, arenas and thresholds do not apply). */
static void why_other_allocator(FILE *out, const char *alloc)
{
   if (strcmp(alloc, "jemalloc") == 0)
      fputs("    jemalloc keeps freed pages as \"dirty\" pages and purges them\n"
            "    only after dirty_decay_ms (10 s by default), then as \"muzzy\"\n"
            "    pages after muzzy_decay_ms; decay advances only while the program\n"
            "    calls the allocator (or with background_thread:true).  Knobs:\n"
            "    MALLOC_CONF=dirty_decay_ms:0,muzzy_decay_ms:0 gives freed pages\n"
            "    back at once; mallctl(\"arena.<MALLCTL_ARENAS_ALL>.purge\") purges\n"
            "    now; narenas:N bounds the arenas.\n", out);
   else if (strcmp(alloc, "tcmalloc") == 0)
      fputs("    tcmalloc keeps freed spans in its page heap and per-thread caches,\n"
            "    and returns free pages to the kernel gradually, at the rate\n"
            "    TCMALLOC_RELEASE_RATE (default 1; higher gives back sooner, 0\n"
            "    never).  MallocExtension::ReleaseFreeMemory()\n"
            "    (MallocExtension_ReleaseFreeMemory() from C) gives them back now;\n"
            "    TCMALLOC_MAX_TOTAL_THREAD_CACHE_BYTES bounds the thread caches.\n", out);
   else if (strcmp(alloc, "mimalloc") == 0)
      fputs("    mimalloc purges freed pages after a delay (MIMALLOC_RESET_DELAY in\n"
            "    2.0, MIMALLOC_PURGE_DELAY from 2.1, in ms); mi_collect(true) purges\n"
            "    now.  It purges with MADV_FREE: such pages stay resident, and\n"
            "    count in RSS, until the kernel is short of memory and takes them\n"
            "    (MIMALLOC_RESET_DECOMMITS=1 / MIMALLOC_PURGE_DECOMMITS=1 use\n"
            "    MADV_DONTNEED instead, so RSS drops at once).\n", out);
   else
      fputs("    The program uses an allocator rssmassif has no model of: glibc's\n"
            "    trim, arena and threshold analysis does not apply to it.\n", out);
}

/* The release estimate in the allocator's terms (release_estimate_B). */
static void why_release(FILE *out, const struct rs_file *f,
                        const struct rs_snapshot *s, const char *alloc)
{
   char n1[RS_NUMBUF], n2[RS_NUMBUF];
   int ok = 0;
   uint64_t est = rec_u64(f, &f->records[s->totals_record],
                          "release_estimate_B", &ok);
   if (!ok)
      return;
   if (strcmp(alloc, "jemalloc") == 0)
      fprintf(out, "    mallctl(\"arena.<MALLCTL_ARENAS_ALL>.purge\") would give back about\n"
              "    %s bytes (%s) now (freed resident pages outside the slabs and\n"
              "    extents still in use) [release_estimate_B=%llu].\n",
              rs_commify(est, n1), rs_mib(est, n2), (unsigned long long)est);
   else if (strcmp(alloc, "tcmalloc") == 0)
      fprintf(out, "    MallocExtension::ReleaseFreeMemory() would give back at most about\n"
              "    %s bytes (%s) now: freed resident pages on tcmalloc pages with\n"
              "    no live block; freed objects still in the thread and central caches\n"
              "    keep their spans, so it gives back less [release_estimate_B=%llu].\n",
              rs_commify(est, n1), rs_mib(est, n2), (unsigned long long)est);
   else if (strcmp(alloc, "mimalloc") == 0)
      fprintf(out, "    mi_collect(true) would give back %s bytes of RSS now: the pages it\n"
              "    purges (MADV_FREE) stay resident [release_estimate_B=%llu].\n",
              rs_commify(est, n1), (unsigned long long)est);
}

/* The "why" part: trim estimate, trim blockers, pinned pages, arenas
 * (glibc's terms), or the allocator's own explanation. */
/* What to do about a runtime's allocator (a `#rs.hint:` line's runtime=,
 * docs/rssmassif.md "Programs with their own allocators"). */
static const char *hint_advice(const char *runtime)
{
   if (strcmp(runtime, "pymalloc") == 0)
      return "are Python's pymalloc arenas, mapped by the interpreter "
             "itself: its objects are\n      no heap blocks; rerun with "
             "PYTHONMALLOC=malloc to see them by allocation site";
   if (strcmp(runtime, "glib_slice") == 0)
      return "are GLib slice allocator slabs: many slices per block, "
             "freed slices stay\n      live; rerun with G_SLICE=always-malloc "
             "to see each slice as a block";
   if (strcmp(runtime, "perl") == 0)
      return "are Perl's SV and body arenas: Perl keeps freed values on "
             "its own free\n      lists, so they stay live heap to malloc";
   if (strcmp(runtime, "go") == 0)
      return "are the Go runtime's heap, which it maps and manages itself: "
             "Go programs\n      are not supported";
   if (strcmp(runtime, "java") == 0)
      return "are mapped by the Java VM (libjvm.so) for its own heap: "
             "Java programs\n      are not supported";
   return "belong to an allocator of its own";
}

/* One line per `#rs.hint:` of the analysed snapshot. */
static void why_hints(FILE *out, const struct rs_file *f,
                      const struct rs_snapshot *s)
{
   char n1[RS_NUMBUF], n2[RS_NUMBUF];
   for (size_t i = 0; i < s->rec_count; i++) {
      const struct rs_record *r = &f->records[s->rec_first + i];
      if (!is_kind(r, "hint"))
         continue;
      uint64_t b = rec_u64(f, r, "held_B", NULL);
      uint64_t c = rec_u64(f, r, "category_B", NULL);
      fprintf(out, "    Hint [%s]: %s of the %s bytes of %s %s.\n",
              rec_str(f, r, "runtime"), rs_commify(b, n1), rs_commify(c, n2),
              rec_str(f, r, "category"), hint_advice(rec_str(f, r, "runtime")));
   }
}

static void why(FILE *out, const struct rs_file *f, long idx)
{
   long a = analysis_index(f, idx);
   if (a < 0)
      return;
   const struct rs_snapshot *s = &f->snaps[a];
   char n1[RS_NUMBUF], n2[RS_NUMBUF];
   fprintf(out, "  Why (analysis of snapshot %ld%s):\n", a,
           a == idx ? "" : ", the latest detailed one");
   why_hints(out, f, s);
   const char *alloc = file_allocator(f);
   if (strcmp(alloc, "glibc") != 0) {
      fprintf(out, "    Allocator: %s (from the file's header).\n", alloc);
      why_other_allocator(out, alloc);
      why_release(out, f, s, alloc);
      why_retained_sites(out, f, s);
      why_pinned(out, f, s);
      why_stacks(out, f, s);
      return;
   }
   int ok = 0;
   uint64_t trim = rec_u64(f, &f->records[s->totals_record],
                           "trim_estimate_B", &ok);
   for (size_t i = 0; !ok && i < s->rec_count; i++)
      if (is_kind(&f->records[s->rec_first + i], "trim"))
         trim = rec_u64(f, &f->records[s->rec_first + i], "estimate_B", &ok);
   if (ok)
      fprintf(out, "    malloc_trim(0) would give back about %s bytes (%s) "
              "now\n    (the whole pages of its free chunks and main top) "
              "[trim_estimate_B=%llu].\n", rs_commify(trim, n1),
              rs_mib(trim, n2), (unsigned long long)trim);
   why_retained_sites(out, f, s);
   why_blockers(out, f, s);
   why_pinned(out, f, s);
   why_arenas(out, f, s);
   why_mmap_threshold(out, f, s);
   why_stacks(out, f, s);
}

static void row(FILE *out, const char *name, uint64_t mapped, uint64_t res,
                const char *note)
{
   char a[RS_NUMBUF], b[RS_NUMBUF];
   fprintf(out, "  %-10s %14s %14s%s%s\n", name, rs_commify(mapped, a),
           rs_commify(res, b), *note ? "   " : "", note);
}

/* The exit snapshot is the program's state at its exit_group; Valgrind's
 * freeres then frees libc's own blocks, and the HEAP SUMMARY (as Memcheck)
 * counts after it (in_use_at_exit_B=, in_use_at_exit_blocks=).  Said only
 * when freeres freed something. */
static void exit_state_note(FILE *out, const struct rs_file *f,
                            const struct rs_snapshot *s)
{
   char a[RS_NUMBUF], b[RS_NUMBUF];
   const struct rs_record *tot = &f->records[s->totals_record];
   int ok_b = 0, ok_n = 0, ok_u = 0, ok_k = 0;
   uint64_t in_use_B = rec_u64(f, tot, "in_use_at_exit_B", &ok_b);
   uint64_t in_use_n = rec_u64(f, tot, "in_use_at_exit_blocks", &ok_n);
   uint64_t useful_B = rec_u64(f, tot, "useful_B", &ok_u);
   uint64_t blocks = rec_u64(f, tot, "blocks", &ok_k);
   if (!ok_b || !ok_n || !ok_u || !ok_k || blocks <= in_use_n)
      return;
   fprintf(out, "  Exit state: the program's own, at its exit (as without "
           "Valgrind).  Then\n            Valgrind's freeres freed %s bytes "
           "in %s block%s of glibc's\n            and libstdc++'s own; "
           "the HEAP SUMMARY counts after it,\n            as Memcheck "
           "does.\n",
           rs_commify(useful_B > in_use_B ? useful_B - in_use_B : 0, a),
           rs_commify(blocks - in_use_n, b), blocks - in_use_n == 1 ? "" : "s");
}

/* A final snapshot whose break Valgrind capped (brk_capped=, issue 11):
 * the retained figures above are not the native ones; what native
 * trimming would have given back (native_trim_B=, native_trim_res_B=). */
static void capped_break_note(FILE *out, const struct rs_file *f,
                              const struct rs_snapshot *s)
{
   char a[RS_NUMBUF], b[RS_NUMBUF], c[RS_NUMBUF];
   const struct rs_record *tot = &f->records[s->totals_record];
   const char *why = rs_record_get(f, tot, "brk_capped");
   int ok_b = 0, ok_r = 0;
   uint64_t trim_B = rec_u64(f, tot, "native_trim_B", &ok_b);
   uint64_t trim_res_B = rec_u64(f, tot, "native_trim_res_B", &ok_r);
   if (why == NULL || !ok_b || !ok_r || RS_MUTANT_IS(1137))
      return;
   fprintf(out, "  Not native: %s:\n"
           "            Valgrind's 8 MiB brk stayed, and past it glibc's main "
           "arena\n            went on in mmapped pieces, which free() never "
           "trims.\n            Natively free() would have given back about "
           "%s bytes\n            (%s; %s resident here) of this heap\n"
           "            [native_trim_B=%llu].\n",
           strcmp(why, "static") == 0
              ? "a static program loads no preload, so rssmassif\n"
                "            could not emulate its break"
              : strcmp(why, "off") == 0 ? "--emulate-brk=no kept Valgrind's break"
              : "the emulated break was not in use",
           rs_commify(trim_B, a), rs_mib(trim_B, b), rs_commify(trim_res_B, c),
           (unsigned long long)trim_B);
}

static void answer_one(FILE *out, const struct rs_file *f, long idx,
                       const char *title)
{
   const struct rs_snapshot *s = &f->snaps[idx];
   struct rs_answer a;
   char t[64], n1[RS_NUMBUF], n2[RS_NUMBUF], n3[RS_NUMBUF];
   char note[160];
   rs_answer_numbers(f, s, &a);
   time_str(f, s, t, sizeof t);
   fprintf(out, "%s (snapshot %ld, %s", title, idx, t);
   if (s->label)
      fprintf(out, ", label %s", s->label);
   fprintf(out, "):\n");

   fprintf(out, "  Retained: %s bytes (%s", rs_commify(a.retained_B, n1),
           rs_mib(a.retained_B, n2));
   if (f->page_B)
      fprintf(out, ", %s page%s", rs_commify(a.retained_pages, n3),
              a.retained_pages == 1 ? "" : "s");
   fprintf(out, ") [heap_dead_res_B=%llu]\n"
           "            of freed heap are still mapped and resident: free() "
           "did not give\n            them back to the kernel.\n",
           (unsigned long long)a.retained_B);
   fprintf(out, "  Released: %s bytes (%s) of freed heap are mapped, not "
           "resident:\n            the kernel has those pages back (trimmed, "
           "MADV_DONTNEED,\n            or never touched).\n",
           rs_commify(a.released_B, n1), rs_mib(a.released_B, n2));
   fprintf(out, "  %-10s %14s %14s\n", "", "mapped", "resident");
   snprintf(note, sizeof note, "holding %s bytes in %s block%s",
            rs_commify(a.useful_B, n1), rs_commify(a.blocks, n2),
            a.blocks == 1 ? "" : "s");
   row(out, "live heap", a.live_B, a.live_res_B, note);
   snprintf(note, sizeof note, "retained %s, released %s",
            rs_commify(a.retained_B, n1), rs_commify(a.released_B, n2));
   row(out, "freed heap", a.retained_B + a.released_B,
       a.retained_B, note);
   row(out, "loader", a.loader_B, a.loader_res_B,
       "executable, ld.so, libraries");
   row(out, "stacks", a.stack_B, a.stack_res_B, "");
   row(out, "other", a.other_B, a.other_res_B,
       "the program's own mmaps, files");
   snprintf(note, sizeof note, "%s mapped, ", rs_mib(a.total_B, n1));
   strcat(note, rs_mib(a.total_res_B, n2));
   strcat(note, " resident");
   row(out, "total", a.total_B, a.total_res_B, note);

   if (a.retained_B > 0)
      fprintf(out, "  In short: %s of freed memory still counts in RSS: "
              "%.1f%% of the\n            %s resident.\n",
              rs_mib(a.retained_B, n1), rs_pct(a.retained_B, a.total_res_B),
              rs_mib(a.total_res_B, n2));
   else if (s->cat_B[RS_CAT_HEAP_DEAD] > 0)
      fprintf(out, "  In short: no freed heap page is resident: the freed "
              "memory went back to\n            the kernel.\n");
   else
      fprintf(out, "  In short: no freed heap page is mapped: nothing freed "
              "is held.\n");
   exit_state_note(out, f, s);
   capped_break_note(out, f, s);
   why(out, f, idx);
   dead_sites(out, f, idx);
}

static void answer_massif(FILE *out, const struct rs_file *f, long idx,
                          const char *title)
{
   const struct rs_snapshot *s = &f->snaps[idx];
   char t[64], n1[RS_NUMBUF], n2[RS_NUMBUF], n3[RS_NUMBUF];
   time_str(f, s, t, sizeof t);
   fprintf(out, "  %s (snapshot %ld, %s): %s useful-heap, %s extra-heap, "
           "%s stacks bytes\n", title, idx, t,
           rs_commify(s->mem_heap_B, n1), rs_commify(s->mem_heap_extra_B, n2),
           rs_commify(s->mem_stacks_B, n3));
}

void rs_report_answer(FILE *out, const struct rs_file *f,
                      const struct rs_opts *o)
{
   long fin = rs_final_index(f), peak = rs_peak_index(f);
   fprintf(out, "\n");
   rs_rule(out);
   fprintf(out, "Does free() give the memory back?\n");
   rs_rule(out);
   if (!f->is_rs) {
      fprintf(out, "This is a plain Massif file: it counts heap bytes, not "
              "pages, so it cannot tell\nwhich freed memory is still "
              "resident (run valgrind --tool=rssmassif for that).\n"
              "What Massif recorded:\n");
      if (o->snapshot >= 0) {
         answer_massif(out, f, o->snapshot, "Snapshot");
      } else {
         if (f->peak >= 0)
            answer_massif(out, f, peak, "Peak");
         answer_massif(out, f, fin, "Last");
      }
      return;
   }
   if (o->snapshot >= 0) {
      answer_one(out, f, o->snapshot, "Snapshot");
      return;
   }
   if (f->exit_snap >= 0) {
      answer_one(out, f, fin, "At exit");
   } else {
      fprintf(out, "Note: no exit snapshot (exit=1) in this file: the run did "
              "not finish, or the file\nwas cut after a snapshot.  "
              "Showing the last snapshot instead.\n");
      answer_one(out, f, fin, "Last snapshot");
   }
   fprintf(out, "\n");
   if (peak == fin)
      fprintf(out, "At the peak: the peak is the same snapshot (%ld).\n",
              peak);
   else
      answer_one(out, f, RS_MUTANT_IS(32) && peak > 0 ? peak - 1 : peak, f->peak >= 0 ? "At the peak"
                               : "At the largest heap (no peak marked)");
   /* The snapshot marked peak_retained=1 (the most retained memory). */
   for (size_t i = 0; i < f->nsnaps; i++) {
      const struct rs_snapshot *s = &f->snaps[i];
      const char *v = rs_record_get(f, &f->records[s->totals_record],
                                    "peak_retained");
      if (v == NULL || strcmp(v, "1") != 0)
         continue;
      /* Worth its own answer only when it retained more than both. */
      uint64_t r = s->cat_res_B[RS_CAT_HEAP_DEAD];
      if ((long)i != fin && (long)i != peak
          && r > f->snaps[fin].cat_res_B[RS_CAT_HEAP_DEAD]
          && r > f->snaps[peak].cat_res_B[RS_CAT_HEAP_DEAD]) {
         fprintf(out, "\n");
         answer_one(out, f, (long)i, "At the most retained");
      }
      break;
   }
}
