/*
 * rs_parse.c -- parser for rssmassif.out files (Massif's grammar plus `#rs:`
 * comment lines) and for plain Massif files.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 *
 * Grammar accepted (blank lines and `#` comment lines may appear anywhere;
 * `#rs:` comment lines are data, attached to the header or to the snapshot
 * whose block they are in):
 *
 *   file      := desc* cmd time_unit snapshot+
 *   desc      := "desc:" text
 *   cmd       := "cmd:" text
 *   time_unit := "time_unit:" ("i" | "ms" | "B")
 *   snapshot  := "snapshot=" N  "time=" N  "mem_heap_B=" N
 *                "mem_heap_extra_B=" N  "mem_stacks_B=" N
 *                "heap_tree=" ("empty" | ("detailed" | "peak") tree)
 *   tree      := node, where a node is the line
 *                <depth spaces> "n" CHILDREN ": " BYTES [" " text]
 *                followed by its CHILDREN child nodes at depth + 1.
 *
 * Checks that turn corruption into an error instead of a wrong report:
 * snapshots numbered 0, 1, 2, ...; times never decrease; each tree's
 * children sum to their parent (as Massif writes them); the root holds
 * the snapshot's total (#rs: file) or mem_heap_B or the total (Massif); every line ends with a newline (a cut file is
 * caught); no NUL bytes; numbers fit in 64 bits.  In a #rs: file (header
 * line `#rs: version=N ...`) every snapshot has exactly one totals line
 * (`#rs: useful_B=... other_res_B=...`, the 12 keys in order), resident
 * never exceeds mapped, Massif's three numbers equal their categories, and
 * the exit snapshot (exit=1) is the last one.
 */
#define _POSIX_C_SOURCE 200809L
#include "rs_parse.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const rs_cat_name[RS_NCAT] = {
   "heap_live", "heap_dead", "loader", "stack", "other"
};

/* The 12 keys of the totals line, in their fixed order. */
static const char *const totals_keys[12] = {
   "useful_B", "blocks",
   "heap_live_B", "heap_live_res_B", "heap_dead_B", "heap_dead_res_B",
   "loader_B", "loader_res_B", "stack_B", "stack_res_B",
   "other_B", "other_res_B"
};

int rs_cat_from_name(const char *name)
{
   for (int c = 0; c < RS_NCAT; c++)
      if (strcmp(name, rs_cat_name[c]) == 0)
         return c;
   return -1;
}

uint64_t rs_snap_total(const struct rs_snapshot *s)
{
   return s->mem_heap_B + s->mem_heap_extra_B + s->mem_stacks_B;
}

uint64_t rs_snap_total_res(const struct rs_snapshot *s)
{
   uint64_t t = 0;
   for (int c = 0; c < RS_NCAT; c++)
      t += s->cat_res_B[c];
   return t;
}

static int is_word_char(char ch)
{
   return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
          || (ch >= '0' && ch <= '9') || ch == '_';
}

int rs_node_category(const char *text)
{
   while (*text == ' ')
      text++;
   if (*text == '(')
      text++;
   for (int c = 0; c < RS_NCAT; c++) {
      size_t n = strlen(rs_cat_name[c]);
      if (strncmp(text, rs_cat_name[c], n) == 0 && !is_word_char(text[n]))
         return c;
   }
   /* "heap live" / "heap dead" spelled with a space. */
   if (strncmp(text, "heap live", 9) == 0 && !is_word_char(text[9]))
      return RS_CAT_HEAP_LIVE;
   if (strncmp(text, "heap dead", 9) == 0 && !is_word_char(text[9]))
      return RS_CAT_HEAP_DEAD;
   return -1;
}

const char *rs_record_get(const struct rs_file *f, const struct rs_record *r,
                          const char *key)
{
   for (size_t i = 0; i < r->kv_count; i++) {
      const struct rs_kv *kv = &f->kvs[r->kv_first + i];
      if (strcmp(kv->key, key) == 0)
         return kv->val ? kv->val : "";
   }
   return NULL;
}

/* ------------------------------------------------------------------ */
/* Parser state and error reporting                                    */
/* ------------------------------------------------------------------ */

struct parser {
   struct rs_file *f;
   struct rs_error *err;
   char *p;               /* next unread byte */
   char *end;             /* one past the last byte */
   unsigned long lineno;  /* number of the last line read */
   long cur;              /* snapshot that #rs: lines go to; -1: header */
   struct {               /* allocated sizes of the rs_file arrays */
      size_t snaps, nodes, records, kvs;
   } caps;
   char got[256];         /* quoted excerpt for "got ..." */
};

/* Quotes (at most 60 characters of) a line for an error message, escaping
 * anything that is not printable ASCII so that the message stays one line. */
static const char *quote(struct parser *P, const char *line)
{
   if (line == NULL)
      return "end of file";
   size_t o = 0;
   P->got[o++] = '\'';
   size_t n = 0;
   /* 60 characters, each at most 4 bytes: within got[] with room for
    * "...'" and the NUL. */
   for (; line[n] != '\0' && n < 60 && o < sizeof P->got - 10; n++) {
      unsigned char ch = (unsigned char)line[n];
      if (ch >= 0x20 && ch < 0x7f && ch != '\'' && ch != '\\') {
         P->got[o++] = (char)ch;
      } else {
         snprintf(P->got + o, 5, "\\x%02x", ch);
         o += 4;
      }
   }
   if (line[n] != '\0') {
      memcpy(P->got + o, "...", 3);
      o += 3;
   }
   P->got[o++] = '\'';
   P->got[o] = '\0';
   return P->got;
}

/* Formats "NAME:LINE: expected <what>, got <got>" into the error. */
static int fail(struct parser *P, unsigned long line, const char *got,
                const char *fmt, ...)
{
   char what[320];
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(what, sizeof what, fmt, ap);
   va_end(ap);
   P->err->line = line;
   snprintf(P->err->msg, sizeof P->err->msg, "%s:%lu: expected %s, got %s",
            P->f->name, line, what, got);
   return -1;
}

static int oom(struct parser *P)
{
   P->err->line = P->lineno;
   snprintf(P->err->msg, sizeof P->err->msg, "%s:%lu: out of memory",
            P->f->name, P->lineno);
   return -1;
}

/* Returns `arr` (elements of `sz` bytes, *cap of them allocated) grown to
 * hold at least `need` elements, or NULL (arr left as it was). */
static void *grow_(void *arr, size_t *cap, size_t need, size_t sz)
{
   if (need <= *cap)
      return arr;
   size_t ncap = *cap ? *cap : 16;
   while (ncap < need) {
      if (ncap > ((size_t)-1 / 2) / sz)
         return NULL;
      ncap *= 2;
   }
   void *n = realloc(arr, ncap * sz);
   if (n != NULL)
      *cap = ncap;
   return n;
}

/* Grows the array `arr` (an lvalue) to `need` elements: 0, or -1. */
#define GROW(arr, cap, need)                                                \
   (grow_tmp = grow_((arr), &(cap), (need), sizeof *(arr)),                 \
    grow_tmp == NULL ? -1 : ((arr) = grow_tmp, 0))

/* ------------------------------------------------------------------ */
/* Lines                                                               */
/* ------------------------------------------------------------------ */

/* Reads the next raw line: 1 (line set), 0 at end of file, -1 on error. */
static int raw_line(struct parser *P, char **line)
{
   if (P->p >= P->end)
      return 0;
   char *start = P->p;
   char *nl = memchr(start, '\n', (size_t)(P->end - start));
   P->lineno++;
   if (nl == NULL) /* parse_owned() checked the final newline */
      return fail(P, P->lineno, "end of file (truncated file?)",
                  "a newline at the end of the line");
   size_t len = (size_t)(nl - start);
   if (memchr(start, '\0', len) != NULL)
      return fail(P, P->lineno, "a NUL byte (binary file?)", "text");
   *nl = '\0';
   if (len > 0 && start[len - 1] == '\r')
      start[len - 1] = '\0';
   P->p = nl + 1;
   *line = start;
   return 1;
}

static int is_word_char(char ch);
static int parse_rs_line(struct parser *P, char *whole, const char *kind,
                         char *text);

/* Reads the next line that is neither blank nor a comment; `#rs:` lines
 * met on the way are parsed and attached.  1 / 0 (EOF) / -1. */
static int next_line(struct parser *P, char **line)
{
   for (;;) {
      int r = raw_line(P, line);
      if (r <= 0)
         return r;
      char *s = *line;
      while (*s == ' ' || *s == '\t')
         s++;
      if (*s == '\0')
         continue;
      if (*s == '#') {
         if (strncmp(s, "#rs:", 4) == 0
             && (s[4] == '\0' || s[4] == ' ' || s[4] == '\t')) {
            if (parse_rs_line(P, s, NULL, s + 4) < 0)
               return -1;
         } else if (strncmp(s, "#rs.", 4) == 0) {
            /* #rs.KIND: analysis line */
            char *k = s + 4, *e = k;
            while (is_word_char(*e))
               e++;
            if (e > k && *e == ':'
                && (e[1] == '\0' || e[1] == ' ' || e[1] == '\t')) {
               *e = '\0';
               if (parse_rs_line(P, s, k, e + 1) < 0)
                  return -1;
            }
         }
         continue;
      }
      return 1;
   }
}

/* The error for a file that ends where `what` was expected: -1. */
static int at_eof(struct parser *P, const char *what)
{
   return fail(P, P->lineno + 1, "end of file", "%s", what);
}

/* Reads the next line, which must exist: 1 with *line set, or -1 (an
 * error expecting `what` at the end of the file, or a read error). */
static int need_line(struct parser *P, char **line, const char *what)
{
   int r = next_line(P, line);
   return r == 0 ? at_eof(P, what) : r;
}

/* Parses decimal digits into a 64-bit value: the end of the digits, or
 * NULL if there is no digit or the value does not fit. */
static const char *parse_u64(const char *s, uint64_t *out)
{
   uint64_t v = 0;
   const char *p = s;
   while (*p >= '0' && *p <= '9') {
      unsigned d = (unsigned)(*p - '0');
      if (v > (UINT64_MAX - d) / 10)
         return NULL;
      v = v * 10 + d;
      p++;
   }
   if (p == s)
      return NULL;
   *out = v;
   return p;
}

/* `line` must be exactly KEY=NUMBER. */
static int expect_num(struct parser *P, int have, char *line, const char *key,
                      uint64_t *out)
{
   if (have < 0)
      return -1;
   if (have == 0)
      return fail(P, P->lineno + 1, "end of file", "'%s=<number>' line", key);
   size_t kl = strlen(key);
   const char *e;
   if (strncmp(line, key, kl) != 0 || line[kl] != '='
       || (e = parse_u64(line + kl + 1, out)) == NULL || *e != '\0')
      return fail(P, P->lineno, quote(P, line), "'%s=<number>' line", key);
   return 0;
}

/* ------------------------------------------------------------------ */
/* #rs: lines                                                          */
/* ------------------------------------------------------------------ */

static int parse_totals(struct parser *P, struct rs_record *r,
                        struct rs_snapshot *s);

static int is_label_text(const char *v)
{
   if (*v == '\0')
      return 0;
   for (; *v; v++)
      if (!(is_word_char(*v) || *v == '.' || *v == '-'))
         return 0;
   return 1;
}

/* A `#rs:` line (kind NULL) or `#rs.KIND:` line; `whole` is the line from
 * '#' on, `text` what follows the colon.  In a `#rs.KIND:` line the key
 * `at` takes the rest of the line (a call site, with spaces). */
static int parse_rs_line(struct parser *P, char *whole, const char *kind,
                         char *text)
{
   struct rs_file *f = P->f;
   void *grow_tmp;
   unsigned long line = P->lineno;
   char saved[sizeof P->got];
   quote(P, whole);
   memcpy(saved, P->got, sizeof saved);

   if (GROW(f->records, P->caps.records, f->nrecords + 1) < 0)
      return oom(P);
   struct rs_record *r = &f->records[f->nrecords];
   r->line = line;
   r->kind = kind;
   r->kv_first = f->nkvs;
   r->kv_count = 0;

   /* Split into tokens in place. */
   char *s = text;
   for (;;) {
      while (*s == ' ' || *s == '\t')
         *s++ = '\0';
      if (*s == '\0')
         break;
      char *tok = s;
      if (kind != NULL && strncmp(s, "at=", 3) == 0)
         s += strlen(s);                  /* the rest of the line */
      while (*s != '\0' && *s != ' ' && *s != '\t')
         s++;
      if (*s != '\0')
         *s++ = '\0';
      char *eq = strchr(tok, '=');
      if (eq == tok && kind == NULL)
         return fail(P, line, quote(P, tok), "'key=value' tokens after "
                     "'#rs:'");
      if (eq == tok)
         eq = NULL;  /* kept as a bare token in an analysis line */
      if (GROW(f->kvs, P->caps.kvs, f->nkvs + 1) < 0)
         return oom(P);
      if (eq != NULL)
         *eq = '\0';
      f->kvs[f->nkvs].key = tok;
      f->kvs[f->nkvs].val = eq ? eq + 1 : NULL;
      f->nkvs++;
      r->kv_count++;
   }
   f->nrecords++;
   if (kind != NULL) {
      /* Analysis lines are kept for the report, not checked here. */
      if (P->cur < 0)
         f->hdr_rec_count++;
      return 0;
   }

   const char *first = r->kv_count ? f->kvs[r->kv_first].key : "";
   if (P->cur < 0) {
      /* Header. */
      if (strcmp(first, "useful_B") == 0)
         return fail(P, line, saved,
                     "the '#rs: useful_B=...' totals line inside a snapshot "
                     "(after its 'snapshot=' line)");
      if (strcmp(first, "version") == 0) {
         if (f->is_rs)
            return fail(P, line, saved, "one '#rs: version=N' line");
         const char *v = f->kvs[r->kv_first].val;
         const char *e;
         if (v == NULL || (e = parse_u64(v, &f->rs_version)) == NULL
             || *e != '\0' || f->rs_version == 0)
            return fail(P, line, saved, "'#rs: version=N' with N >= 1");
         const char *pg = rs_record_get(f, r, "page_B");
         if (pg != NULL
             && ((e = parse_u64(pg, &f->page_B)) == NULL || *e != '\0'))
            return fail(P, line, saved, "'page_B=<number>'");
         f->is_rs = 1;
      }
      f->hdr_rec_count++;
      return 0;
   }

   struct rs_snapshot *snap = &f->snaps[P->cur];
   if (strcmp(first, "version") == 0)
      return fail(P, line, saved,
                  "'#rs: version=N' only in the header (before snapshot 0)");
   if (strcmp(first, "useful_B") == 0) {
      if (!f->is_rs)
         return fail(P, line, saved,
                     "the header line '#rs: version=N page_B=N' before "
                     "'#rs:' snapshot lines");
      if (snap->has_rs)
         return fail(P, line, saved,
                     "one '#rs: useful_B=...' line per snapshot (snapshot "
                     "%llu has one at line %lu)",
                     (unsigned long long)snap->num,
                     f->records[snap->totals_record].line);
      snap->totals_record = f->nrecords - 1;
      return parse_totals(P, r, snap);
   }
   return 0;  /* another #rs: line: kept, not interpreted */
}

/* "'key=value'" of a token, for "got ...". */
static const char *tok_got(struct parser *P, const struct rs_kv *kv)
{
   char t[80];
   snprintf(t, sizeof t, "%s%s%s", kv->key, kv->val ? "=" : "",
            kv->val ? kv->val : "");
   return quote(P, t);
}

static int parse_totals(struct parser *P, struct rs_record *r,
                        struct rs_snapshot *s)
{
   struct rs_file *f = P->f;
   uint64_t v[12];

   for (size_t i = 0; i < 12; i++) {
      if (i >= r->kv_count)
         return fail(P, r->line, "end of line", "'%s=<number>' after '%s' "
                     "(the 12 totals keys, in order)", totals_keys[i],
                     totals_keys[i - 1]);
      const struct rs_kv *kv = &f->kvs[r->kv_first + i];
      const char *e;
      if (strcmp(kv->key, totals_keys[i]) != 0)
         return fail(P, r->line, tok_got(P, kv), "'%s=<number>' as key %zu "
                     "of the totals line", totals_keys[i], i + 1);
      if (kv->val == NULL || (e = parse_u64(kv->val, &v[i])) == NULL
          || *e != '\0')
         return fail(P, r->line, tok_got(P, kv), "a number after '%s='",
                     totals_keys[i]);
   }
   s->useful_B = v[0];
   s->blocks = v[1];
   for (int c = 0; c < RS_NCAT; c++) {
      s->cat_B[c] = v[2 + 2 * c];
      s->cat_res_B[c] = RS_MUTANT_IS(31) && c == RS_CAT_HEAP_DEAD ? v[2 + 2 * c] : v[3 + 2 * c];
      if (s->cat_res_B[c] > s->cat_B[c]) {
         char t[80];
         snprintf(t, sizeof t, "%s_res_B=%llu", rs_cat_name[c],
                  (unsigned long long)s->cat_res_B[c]);
         return fail(P, r->line, t, "%s_res_B <= %s_B (%llu): resident "
                     "bytes are mapped bytes", rs_cat_name[c],
                     rs_cat_name[c], (unsigned long long)s->cat_B[c]);
      }
   }
   int seen_exit = 0, seen_label = 0;
   for (size_t i = 12; i < r->kv_count; i++) {
      const struct rs_kv *kv = &f->kvs[r->kv_first + i];
      for (size_t k = 0; k < 12; k++)
         if (strcmp(kv->key, totals_keys[k]) == 0)
            return fail(P, r->line, tok_got(P, kv), "each totals key once "
                        "('%s' came as key %zu)", kv->key, k + 1);
      if (strcmp(kv->key, "exit") == 0) {
         if (seen_exit++ || kv->val == NULL
             || (strcmp(kv->val, "1") != 0 && strcmp(kv->val, "0") != 0))
            return fail(P, r->line, tok_got(P, kv), "one 'exit=1'");
         s->is_exit = kv->val[0] == '1';
      } else if (strcmp(kv->key, "label") == 0) {
         if (seen_label++ || kv->val == NULL || !is_label_text(kv->val))
            return fail(P, r->line, tok_got(P, kv),
                        "one 'label=<text>' with text in [A-Za-z0-9._-]");
         s->label = kv->val;
      }
   }
   s->has_rs = 1;
   return 0;
}

/* ------------------------------------------------------------------ */
/* Trees                                                               */
/* ------------------------------------------------------------------ */

/* Parses one node line at `depth`: 0, or -1 after reporting. */
static int parse_node(struct parser *P, char *line, uint32_t depth,
                      struct rs_node *n)
{
   uint32_t i;
   for (i = 0; i < depth; i++)
      if (line[i] != ' ')
         break;
   const char *p = line + i;
   uint64_t nch, bytes;
   if (i != depth || *p != 'n' || (p = parse_u64(p + 1, &nch)) == NULL
       || nch > UINT32_MAX || p[0] != ':' || p[1] != ' '
       || (p = parse_u64(p + 2, &bytes)) == NULL
       || (*p != '\0' && *p != ' '))
      return fail(P, P->lineno, quote(P, line),
                  "a tree node 'n<children>: <bytes> <text>' indented by "
                  "%u space%s", depth, depth == 1 ? "" : "s");
   n->bytes = bytes;
   n->nchildren = (uint32_t)nch;
   n->text = *p ? p + 1 : p;
   n->size = 1;
   return 0;
}

struct frame {
   size_t node;           /* index in f->nodes */
   uint32_t left;         /* children still to read */
   unsigned long line;
   uint64_t sum;          /* bytes of the children read so far */
};

/* The root must hold root_bytes or alt_root. */
static int parse_tree(struct parser *P, struct rs_snapshot *s,
                      uint64_t root_bytes, uint64_t alt_root)
{
   struct rs_file *f = P->f;
   struct frame *stack = NULL;
   void *grow_tmp;
   size_t depth = 0, cap = 0;
   char *line;
   int r;
   s->node_first = f->nnodes;

   for (;;) {
      /* Read a node at `depth` (the root when depth == 0). */
      r = next_line(P, &line);
      if (r < 0)
         goto out;
      if (r == 0) {
         r = fail(P, P->lineno + 1, "end of file",
                  "a tree node 'n<children>: <bytes> <text>' indented by "
                  "%zu space%s", depth, depth == 1 ? "" : "s");
         goto out;
      }
      if (depth > UINT32_MAX - 1
          || GROW(f->nodes, P->caps.nodes, f->nnodes + 1) < 0
          || GROW(stack, cap, depth + 1) < 0) {
         r = oom(P);
         goto out;
      }
      struct rs_node *n = &f->nodes[f->nnodes];
      if ((r = parse_node(P, line, (uint32_t)depth, n)) < 0)
         goto out;
      if (depth == 0 && n->bytes != root_bytes && n->bytes != alt_root) {
         if (root_bytes == alt_root)
            r = fail(P, P->lineno, quote(P, line), "the tree's root to hold "
                     "the snapshot's total (%llu bytes)",
                     (unsigned long long)root_bytes);
         else
            r = fail(P, P->lineno, quote(P, line), "the tree's root to hold "
                     "mem_heap_B (%llu bytes) or the snapshot's total (%llu)",
                     (unsigned long long)root_bytes,
                     (unsigned long long)alt_root);
         goto out;
      }
      if (depth > 0) {
         struct frame *up = &stack[depth - 1];
         up->sum += n->bytes;
         up->left--;
         if (up->sum > f->nodes[up->node].bytes || up->sum < n->bytes) {
            r = fail(P, P->lineno, quote(P, line),
                     "children summing to their parent's %llu bytes (line "
                     "%lu)", (unsigned long long)f->nodes[up->node].bytes,
                     up->line);
            goto out;
         }
      }
      stack[depth].node = f->nnodes;
      stack[depth].left = n->nchildren;
      stack[depth].line = P->lineno;
      stack[depth].sum = 0;
      f->nnodes++;
      depth++;
      /* Close every finished node. */
      while (depth > 0 && stack[depth - 1].left == 0) {
         struct frame *fr = &stack[depth - 1];
         struct rs_node *done = &f->nodes[fr->node];
         if (done->nchildren > 0 && fr->sum != done->bytes) {
            snprintf(P->got, sizeof P->got, "children summing to %llu",
                     (unsigned long long)fr->sum);
            r = fail(P, fr->line, P->got, "the children of this node to "
                     "sum to its %llu bytes", (unsigned long long)done->bytes);
            goto out;
         }
         size_t sz = f->nnodes - fr->node;
         if (sz > UINT32_MAX) {
            r = oom(P);
            goto out;
         }
         done->size = (uint32_t)sz;
         depth--;
      }
      if (depth == 0)
         break;
   }
   s->node_count = f->nnodes - s->node_first;
   r = 0;
out:
   free(stack);
   return r;
}

/* ------------------------------------------------------------------ */
/* Snapshots                                                           */
/* ------------------------------------------------------------------ */

/* 0 if category `cat`'s mapped bytes (totals line on line rl) equal
 * Massif's number `mem_name` of the snapshot; else -1 with the error. */
static int same_as_massif(struct parser *P, unsigned long rl,
                          const struct rs_snapshot *s, int cat,
                          const char *mem_name, uint64_t mem)
{
   if (s->cat_B[cat] == mem)
      return 0;
   snprintf(P->got, sizeof P->got, "%s_B=%llu", rs_cat_name[cat],
            (unsigned long long)s->cat_B[cat]);
   return fail(P, rl, P->got, "%s_B = %s of snapshot %llu (%llu)",
               rs_cat_name[cat], mem_name, (unsigned long long)s->num,
               (unsigned long long)mem);
}

/* Checks a finished snapshot block.  `line`/`got` describe what ended it
 * (the next snapshot= line, or end of file when got is NULL). */
static int finish_snapshot(struct parser *P, unsigned long line,
                           const char *ended)
{
   struct rs_file *f = P->f;
   struct rs_snapshot *s = &f->snaps[P->cur];
   s->rec_count = f->nrecords - s->rec_first;
   if (!f->is_rs)
      return 0;
   if (!s->has_rs)
      return fail(P, line, ended ? quote(P, ended) : "end of file",
                  "a '#rs: useful_B=...' line in snapshot %llu (line %lu)",
                  (unsigned long long)s->num, s->line);
   unsigned long rl = f->records[s->totals_record].line;
   char *got = P->got;
   size_t gs = sizeof P->got;
   if (same_as_massif(P, rl, s, RS_CAT_HEAP_LIVE, "mem_heap_B",
                      s->mem_heap_B) < 0
       || same_as_massif(P, rl, s, RS_CAT_HEAP_DEAD, "mem_heap_extra_B",
                         s->mem_heap_extra_B) < 0)
      return -1;
   uint64_t lso = s->cat_B[RS_CAT_LOADER] + s->cat_B[RS_CAT_STACK];
   int ovf = lso < s->cat_B[RS_CAT_STACK]
             || lso + s->cat_B[RS_CAT_OTHER] < lso;
   if (ovf || lso + s->cat_B[RS_CAT_OTHER] != s->mem_stacks_B) {
      if (ovf)
         snprintf(got, gs, "a sum above 2^64");
      else
         snprintf(got, gs, "%llu",
                  (unsigned long long)(lso + s->cat_B[RS_CAT_OTHER]));
      return fail(P, rl, got, "loader_B + stack_B + other_B = mem_stacks_B "
                  "of snapshot %llu (%llu)", (unsigned long long)s->num,
                  (unsigned long long)s->mem_stacks_B);
   }
   if (s->is_exit)
      f->exit_snap = P->cur;
   return 0;
}

static int parse_snapshot(struct parser *P, char *first)
{
   struct rs_file *f = P->f;
   uint64_t num;
   char *line;
   int r;
   void *grow_tmp;

   if (expect_num(P, 1, first, "snapshot", &num) < 0)
      return -1;
   if (num != f->nsnaps)
      return fail(P, P->lineno, quote(P, first), "'snapshot=%zu' (snapshots "
                  "are numbered 0, 1, 2, ...)", f->nsnaps);
   if (GROW(f->snaps, P->caps.snaps, f->nsnaps + 1) < 0)
      return oom(P);
   struct rs_snapshot *s = &f->snaps[f->nsnaps];
   memset(s, 0, sizeof *s);
   s->num = num;
   s->line = P->lineno;
   s->rec_first = f->nrecords;
   P->cur = (long)f->nsnaps;
   f->nsnaps++;

   r = next_line(P, &line);
   if (expect_num(P, r, line, "time", &s->time) < 0)
      return -1;
   if (f->nsnaps > 1 && s->time < f->snaps[f->nsnaps - 2].time)
      return fail(P, P->lineno, quote(P, line), "a time >= %llu (the "
                  "previous snapshot's)",
                  (unsigned long long)f->snaps[f->nsnaps - 2].time);
   r = next_line(P, &line);
   if (expect_num(P, r, line, "mem_heap_B", &s->mem_heap_B) < 0)
      return -1;
   r = next_line(P, &line);
   if (expect_num(P, r, line, "mem_heap_extra_B", &s->mem_heap_extra_B) < 0)
      return -1;
   r = next_line(P, &line);
   if (expect_num(P, r, line, "mem_stacks_B", &s->mem_stacks_B) < 0)
      return -1;
   uint64_t total = s->mem_heap_B + s->mem_heap_extra_B;
   if (total < s->mem_heap_B || total + s->mem_stacks_B < total)
      return fail(P, P->lineno, quote(P, line),
                  "a snapshot total below 2^64 bytes");

   if (need_line(P, &line, "'heap_tree=empty|detailed|peak' line") < 0)
      return -1;
   if (strcmp(line, "heap_tree=empty") == 0) {
      s->tree_kind = RS_TREE_EMPTY;
      return 0;
   }
   if (strcmp(line, "heap_tree=detailed") == 0) {
      s->tree_kind = RS_TREE_DETAILED;
   } else if (strcmp(line, "heap_tree=peak") == 0) {
      s->tree_kind = RS_TREE_PEAK;
      if (f->peak >= 0)
         return fail(P, P->lineno, quote(P, line), "one 'heap_tree=peak' "
                     "snapshot (snapshot %ld is the peak)", f->peak);
      f->peak = P->cur;
   } else {
      return fail(P, P->lineno, quote(P, line),
                  "'heap_tree=empty|detailed|peak' line");
   }
   /* Massif's trees hold the heap (mem_heap_B); rssmassif's hold every
    * category, so their root is the snapshot's total, and so is the root
    * of an rssmassif tree exported by --massif (a plain Massif file). */
   uint64_t all = s->mem_heap_B + s->mem_heap_extra_B + s->mem_stacks_B;
   return parse_tree(P, &f->snaps[P->cur], f->is_rs ? all : s->mem_heap_B,
                     all);
}

/* Appends `add` to the desc string. */
static int add_desc(struct rs_file *f, const char *add)
{
   size_t old = f->desc ? strlen(f->desc) : 0, al = strlen(add);
   char *n = realloc(f->desc, old + al + 2);
   if (n == NULL)
      return -1;
   if (old)
      n[old++] = ' ';
   memcpy(n + old, add, al + 1);
   f->desc = n;
   return 0;
}

static const char *skip_blanks(const char *s)
{
   while (*s == ' ' || *s == '\t')
      s++;
   return s;
}

static int parse_text(struct parser *P)
{
   struct rs_file *f = P->f;
   char *line;
   int r;

   r = next_line(P, &line);
   if (r < 0)
      return -1;
   if (r == 0)
      return fail(P, P->lineno + 1, "end of file (empty file)",
                  "a Massif file ('desc:' or 'cmd:' line)");
   while (r == 1 && strncmp(line, "desc:", 5) == 0) {
      if (add_desc(f, skip_blanks(line + 5)) < 0)
         return oom(P);
      r = next_line(P, &line);
   }
   if (r <= 0)
      return r < 0 ? -1 : at_eof(P, "'cmd:' line");
   if (strncmp(line, "cmd:", 4) != 0)
      return fail(P, P->lineno, quote(P, line), "'cmd:' line (is this a "
                  "Massif or rssmassif file?)");
   f->cmd = skip_blanks(line + 4);
   if (f->desc == NULL && add_desc(f, "") < 0)
      return oom(P);

   if (need_line(P, &line, "'time_unit:' line") < 0)
      return -1;
   if (strncmp(line, "time_unit:", 10) != 0)
      return fail(P, P->lineno, quote(P, line), "'time_unit:' line");
   const char *tu = skip_blanks(line + 10);
   if (strcmp(tu, "i") != 0 && strcmp(tu, "ms") != 0 && strcmp(tu, "B") != 0)
      return fail(P, P->lineno, quote(P, line),
                  "'time_unit: i', 'time_unit: ms' or 'time_unit: B'");
   f->time_unit = tu;

   if (need_line(P, &line, "'snapshot=0' line") < 0)
      return -1;
   f->hdr_rec_first = 0;
   for (;;) {
      if (parse_snapshot(P, line) < 0)
         return -1;
      r = next_line(P, &line);
      if (r < 0)
         return -1;
      if (finish_snapshot(P, r ? P->lineno : P->lineno + 1,
                          r ? line : NULL) < 0)
         return -1;
      if (r == 0)
         break;
      if (f->exit_snap >= 0)
         return fail(P, P->lineno, quote(P, line), "end of file after the "
                     "exit snapshot (snapshot %ld, exit=1)", f->exit_snap);
   }
   return 0;
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */
/* ------------------------------------------------------------------ */

static struct rs_file *new_file(const char *name)
{
   struct rs_file *f = calloc(1, sizeof *f);
   if (f == NULL)
      return NULL;
   f->name = strdup(name);
   if (f->name == NULL) {
      free(f);
      return NULL;
   }
   f->peak = -1;
   f->exit_snap = -1;
   return f;
}

void rs_file_free(struct rs_file *f)
{
   if (f == NULL)
      return;
   free(f->name);
   free(f->buf);
   free(f->desc);
   free(f->snaps);
   free(f->nodes);
   free(f->records);
   free(f->kvs);
   free(f);
}

static struct rs_file *parse_owned(struct rs_file *f, struct rs_error *err)
{
   struct parser P;
   memset(&P, 0, sizeof P);
   P.f = f;
   P.err = err;
   P.p = f->buf;
   P.end = f->buf + f->buf_len;
   P.cur = -1;
   err->line = 0;
   err->msg[0] = '\0';
   /* A last line without its newline means the file was cut. */
   if (f->buf_len > 0 && f->buf[f->buf_len - 1] != '\n') {
      unsigned long n = 1;
      for (size_t i = 0; i + 1 < f->buf_len; i++)
         n += f->buf[i] == '\n';
      P.lineno = n;
      fail(&P, n, "end of file (truncated file?)", "a newline at the end "
           "of the last line");
      rs_file_free(f);
      return NULL;
   }
   if (parse_text(&P) < 0) {
      rs_file_free(f);
      return NULL;
   }
   f->nlines = P.lineno;
   return f;
}

struct rs_file *rs_parse_buffer(const char *name, const char *data,
                                size_t len, struct rs_error *err)
{
   struct rs_file *f = new_file(name);
   if (f == NULL || (f->buf = malloc(len + 1)) == NULL) {
      rs_file_free(f);
      snprintf(err->msg, sizeof err->msg, "%s: out of memory", name);
      err->line = 0;
      return NULL;
   }
   if (len)
      memcpy(f->buf, data, len);
   f->buf[len] = '\0';
   f->buf_len = len;
   return parse_owned(f, err);
}

struct rs_file *rs_parse_path(const char *path, struct rs_error *err)
{
   int is_stdin = strcmp(path, "-") == 0;
   FILE *fp = is_stdin ? stdin : fopen(path, "rb");
   err->line = 0;
   if (fp == NULL) {
      snprintf(err->msg, sizeof err->msg, "%s: cannot open: %s", path,
               strerror(errno));
      return NULL;
   }
   struct rs_file *f = new_file(is_stdin ? "<stdin>" : path);
   size_t cap = 1 << 16, len = 0;
   char *buf = malloc(cap);
   if (f == NULL || buf == NULL)
      goto nomem;
   for (;;) {
      if (len + 1 >= cap) {
         if (cap > ((size_t)-1) / 2)
            goto nomem;
         char *n = realloc(buf, cap * 2);
         if (n == NULL)
            goto nomem;
         buf = n;
         cap *= 2;
      }
      size_t got = fread(buf + len, 1, cap - 1 - len, fp);
      len += got;
      if (got == 0)
         break;
   }
   if (ferror(fp)) {
      snprintf(err->msg, sizeof err->msg, "%s: cannot read: %s", path,
               strerror(errno));
      free(buf);
      rs_file_free(f);
      if (!is_stdin)
         fclose(fp);
      return NULL;
   }
   if (!is_stdin)
      fclose(fp);
   buf[len] = '\0';
   f->buf = buf;
   f->buf_len = len;
   return parse_owned(f, err);

nomem:
   free(buf);
   rs_file_free(f);
   if (!is_stdin)
      fclose(fp);
   snprintf(err->msg, sizeof err->msg, "%s: out of memory", path);
   return NULL;
}
