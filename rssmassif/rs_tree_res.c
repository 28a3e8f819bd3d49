/*--------------------------------------------------------------------*/
/*--- rssmassif: resident bytes of each tree node.   rs_tree_res.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_tree_res.h"
#include "pub_tool_hashtable.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_xarray.h"

/* One stack's non-resident bytes (hash node: next and key first). */
typedef struct _NonResNode {
   struct _NonResNode* next;
   UWord       key;        /* the ExeContext's unique number */
   ExeContext* ec;
   ULong       bytes;
} NonResNode;

struct _RsNonRes {
   VgHashTable*    nodes;
   XT_filter_IPs_t filter;
};

RsNonRes* rs_nonres_new(XT_filter_IPs_t filter)
{
   RsNonRes* nr = RS_MALLOC("rs.tree_res.nr", sizeof *nr);
   nr->nodes = VG_(HT_construct)("rs.tree_res.nodes");
   nr->filter = filter;
   return nr;
}

void rs_nonres_add(RsNonRes* nr, ExeContext* ec, ULong bytes)
{
   UWord key;
   NonResNode* n;
   if (bytes == 0 || ec == NULL)
      return;
   key = VG_(get_ECU_from_ExeContext)(ec);
   n = VG_(HT_lookup)(nr->nodes, key);
   if (n == NULL) {
      n = RS_MALLOC("rs.tree_res.node", sizeof *n);
      n->key = key;
      n->ec = ec;
      n->bytes = 0;
      VG_(HT_add_node)(nr->nodes, n);
   }
   n->bytes += bytes;
}

void rs_nonres_delete(RsNonRes* nr)
{
   VG_(HT_destruct)(nr->nodes, VG_(free));
   RS_FREE(nr);
}

/* ------------------------------------------------------------------ */
/* Stacks sorted as paths: a tree node is a range of them.             */
/* ------------------------------------------------------------------ */

/* A stack cut by the category's filter: ips[0..n) from the top frame. */
typedef struct {
   const Addr* ips;
   UInt        n;
   ULong       bytes;
} Path;

static Int cmp_path(const void* x, const void* y)
{
   const Path* a = x;
   const Path* b = y;
   UInt i;
   for (i = 0; i < a->n && i < b->n; i++)
      if (a->ips[i] != b->ips[i])
         return a->ips[i] < b->ips[i] ? -1 : 1;
   return a->n < b->n ? -1 : a->n > b->n ? 1 : 0;
}

/* paths[0..n) sorted; sum[i] = bytes of paths[0..i). */
typedef struct {
   Path*  path;
   ULong* sum;
   UInt   n;
} Paths;

static void paths_build(Paths* ps, RsNonRes* nr)
{
   NonResNode* node;
   UInt i = 0;
   ps->n = nr ? VG_(HT_count_nodes)(nr->nodes) : 0;
   ps->path = RS_MALLOC("rs.tree_res.paths", (ps->n + 1) * sizeof(Path));
   ps->sum = RS_MALLOC("rs.tree_res.sums", (ps->n + 1) * sizeof(ULong));
   if (nr) {
      VG_(HT_ResetIter)(nr->nodes);
      while ((node = VG_(HT_Next)(nr->nodes)) != NULL) {
         Addr* ips = VG_(get_ExeContext_StackTrace)(node->ec);
         UInt top = 0, sel = 0;
         nr->filter(ips, (Int)VG_(get_ExeContext_n_ips)(node->ec), &top, &sel);
         ps->path[i].ips = ips + top;
         ps->path[i].n = sel;
         ps->path[i].bytes = node->bytes;
         i++;
      }
      VG_(ssort)(ps->path, ps->n, sizeof(Path), cmp_path);
   }
   ps->sum[0] = 0;
   for (i = 0; i < ps->n; i++)
      ps->sum[i + 1] = ps->sum[i] + ps->path[i].bytes;
}

static void paths_free(Paths* ps)
{
   RS_FREE(ps->path);
   RS_FREE(ps->sum);
}

/* Within [lo, hi) (paths sharing their first d frames), the first path
   whose frame d is >= ip (or > ip with after): paths ending at depth d
   come first. */
static UInt bound_at(const Paths* ps, UInt lo, UInt hi, UInt d, Addr ip, Bool after)
{
   while (lo < hi) {
      UInt mid = lo + (hi - lo) / 2;
      const Path* p = &ps->path[mid];
      Bool before = p->n <= d || p->ips[d] < ip || (after && p->ips[d] == ip);
      if (before)
         lo = mid + 1;
      else
         hi = mid;
   }
   return lo;
}

/* ------------------------------------------------------------------ */
/* The tree text.                                                      */
/* ------------------------------------------------------------------ */

/* A line of the category's text: `<indent>n<k>: <bytes> <text>`. */
typedef struct {
   ULong mapped_B;
   ULong nonres_B;
   ULong named_children_nonres_B;  /* of its frame children            */
   Int   parent;                   /* line index, -1 for the category  */
   Bool  residual;                 /* below threshold / --ignore-fn    */
} Line;

/* An open node: lines below it, deeper indented, are its children. */
typedef struct {
   UInt indent;
   Int  line;
   UInt depth;        /* its children's frame index in the paths */
   UInt lo, hi;       /* its paths                               */
   UInt inlined_left; /* inlined-call lines still to come        */
} Open;

/* Lines Valgrind's Massif printer writes for the frame at ip beyond the
   first: one per inlined call. */
static UInt inlined_lines(Addr ip)
{
   DiEpoch ep = VG_(current_DiEpoch)();
   InlIPCursor* iipc = VG_(new_IIPC)(ep, ip);
   UInt n = 0;
   while (VG_(next_IIPC)(iipc))
      n++;
   VG_(delete_IIPC)(iipc);
   return n;
}

static const HChar* parse_line(const HChar* p, UInt* indent, ULong* bytes,
                               const HChar** text)
{
   HChar* end;
   *indent = 0;
   while (*p == ' ') {
      (*indent)++;
      p++;
   }
   if (*p == 'n')
      p++;
   (void)VG_(strtoull10)(p, &end);
   p = end;
   if (*p == ':')
      p++;
   if (*p == ' ')
      p++;
   *bytes = VG_(strtoull10)(p, &end);
   p = end;
   if (*p == ' ')
      p++;
   *text = p;
   while (*p && *p != '\n')
      p++;
   return *p ? p + 1 : p;
}

/* Fills l (n lines) with each line's non-resident bytes. */
static void walk_lines(const Paths* ps, Line* l, XArray* lines_text, UInt n)
{
   Open* open = RS_MALLOC("rs.tree_res.open", (n + 1) * sizeof(Open));
   UInt n_open = 0, i;
   for (i = 0; i < n; i++) {
      const HChar* s = *(const HChar**)VG_(indexXA)(lines_text, i);
      const HChar* text;
      UInt indent;
      parse_line(s, &indent, &l[i].mapped_B, &text);
      l[i].named_children_nonres_B = 0;
      l[i].residual = False;
      while (n_open > 0 && open[n_open - 1].indent >= indent)
         n_open--;
      if (n_open == 0) {                       /* the category line */
         l[i].parent = -1;
         l[i].nonres_B = ps->sum[ps->n];
         open[n_open++] = (Open){ indent, (Int)i, 0, 0, ps->n, 0 };
         continue;
      }
      {
         Open* up = &open[n_open - 1];
         l[i].parent = up->line;
         if (up->inlined_left > 0) {           /* same frame, inlined call */
            l[i].nonres_B = l[up->line].nonres_B;
            open[n_open] = *up;
            open[n_open].indent = indent;
            open[n_open].line = (Int)i;
            open[n_open].inlined_left = up->inlined_left - 1;
            n_open++;
         } else if (text[0] == '0' && text[1] == 'x') {
            Addr ip = (Addr)VG_(strtoull16)(text, NULL);
            UInt lo = bound_at(ps, up->lo, up->hi, up->depth, ip, False);
            UInt hi = bound_at(ps, lo, up->hi, up->depth, ip, True);
            l[i].nonres_B = ps->sum[hi] - ps->sum[lo];
            l[up->line].named_children_nonres_B += l[i].nonres_B;
            open[n_open++] = (Open){ indent, (Int)i, up->depth + 1, lo, hi,
                                     inlined_lines(ip) };
         } else {
            l[i].residual = True;
            l[i].nonres_B = 0;
         }
      }
   }
   for (i = 0; i < n; i++)
      if (l[i].residual && l[i].parent >= 0) {
         const Line* up = &l[l[i].parent];
         l[i].nonres_B = up->nonres_B > up->named_children_nonres_B
                         ? up->nonres_B - up->named_children_nonres_B : 0;
      }
   RS_FREE(open);
}

void rs_tree_res_append(RsText* out, const HChar* cat, const HChar* sub,
                        RsNonRes* nr)
{
   XArray* lines = VG_(newXA)(VG_(malloc), "rs.tree_res.lines", VG_(free),
                              sizeof(const HChar*));
   const HChar* p = sub;
   Paths ps;
   Line* l;
   UInt n, i;
   do {                             /* the category line, then deeper ones */
      VG_(addToXA)(lines, &p);
      while (*p && *p != '\n')
         p++;
      if (*p)
         p++;
   } while (p[0] == ' ' && p[1] == ' ');
   n = (UInt)VG_(sizeXA)(lines);
   paths_build(&ps, nr);
   l = RS_MALLOC("rs.tree_res.line", n * sizeof(Line));
   walk_lines(&ps, l, lines, n);
   rs_text_printf(out, "#rs.tree_res: cat=%s res_B=", cat);
   for (i = 0; i < n; i++)
      rs_text_printf(out, i ? ",%llu" : "%llu",
                     l[i].mapped_B > l[i].nonres_B ? l[i].mapped_B - l[i].nonres_B : 0);
   rs_text_printf(out, "\n");
   RS_FREE(l);
   paths_free(&ps);
   VG_(deleteXA)(lines);
}
