/*--------------------------------------------------------------------*/
/*--- rssmassif: site lines told apart.              rs_sitenames.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_sitenames.h"
#include "rs_frames.h"
#include "rs_text.h"
#include "pub_tool_debuginfo.h"

/* Between the frames of a name: U+2190 LEFTWARDS ARROW (the frame on its
   right called the one on its left), and U+2026 for frames left out. */
#define ARROW " \xe2\x86\x90 "
#define ELLIPSIS "\xe2\x80\xa6"

void rs_sitenames_stack(RsSiteStack* s, ExeContext* ec)
{
   DiEpoch ep = VG_(current_DiEpoch)();
   s->ips = NULL;
   s->n = s->top = 0;
   if (ec == NULL)
      return;
   s->ips = VG_(get_ExeContext_StackTrace)(ec);
   s->n = VG_(get_ExeContext_n_ips)(ec);
   while (s->top + 1 < s->n && rs_frames_is_alloc_fn(ep, s->ips[s->top]))
      s->top++;
}

/* Shown frames: ips[top .. n). */
static UInt shown_n(const RsSiteStack* s)
{
   return s->n - s->top;
}

static Addr shown_ip(const RsSiteStack* s, UInt k)
{
   return s->ips[s->top + k];
}

/* The depth of the first shown frame where a and b differ (or where one
   of them ends). */
static UInt first_difference(const RsSiteStack* a, const RsSiteStack* b)
{
   UInt k = 0;
   while (k < shown_n(a) && k < shown_n(b) && shown_ip(a, k) == shown_ip(b, k))
      k++;
   return k;
}

Int rs_sitenames_cmp(const RsSiteStack* a, const RsSiteStack* b)
{
   UInt k = first_difference(a, b);
   if (k < shown_n(a) && k < shown_n(b))
      return shown_ip(a, k) < shown_ip(b, k) ? -1 : 1;
   return shown_n(a) < shown_n(b) ? -1 : shown_n(a) > shown_n(b);
}

const HChar* rs_sitenames_frame(ExeContext* ec)
{
   RsSiteStack s;
   rs_sitenames_stack(&s, ec);
   return VG_(describe_IP)(VG_(current_DiEpoch)(), shown_ip(&s, 0), NULL);
}

/* Do a and b have the same site frame? */
static Bool same_site(const RsSiteStack* a, const RsSiteStack* b)
{
   return shown_n(a) > 0 && shown_n(b) > 0 && shown_ip(a, 0) == shown_ip(b, 0);
}

/* The deepest first difference between s[i] and the lines sharing its
   site frame: the depth of the frame that tells s[i] apart from all of
   them (0: no line shares its site frame).  Lines with the same shown
   stack (blockers: one line per block) cannot be told apart by frames. */
static UInt telling_depth(const RsSiteStack* s, UInt n, UInt i)
{
   UInt j, depth = 0;
   if (RS_MUTANT_IS(1740))
      return 0;
   for (j = 0; j < n; j++)
      if (j != i && same_site(&s[i], &s[j])
          && rs_sitenames_cmp(&s[i], &s[j]) != 0) {
         UInt d = first_difference(&s[i], &s[j]);
         if (d > depth)
            depth = d;
      }
   return depth;
}

static void put_frame(RsText* t, const RsSiteStack* s, UInt k)
{
   rs_text_printf(t, "%s", VG_(describe_IP)(VG_(current_DiEpoch)(),
                                            shown_ip(s, k), NULL));
}

/* The name showing the site frame and the frame at `depth` (the last one
   when the stack ends before it): every frame between them when `all`,
   else " ← … ← " for them. */
static HChar* make_name(const RsSiteStack* s, UInt depth, Bool all)
{
   RsText t = { NULL, 0, 0 };
   UInt k, last = depth < shown_n(s) ? depth : shown_n(s) - 1;
   put_frame(&t, s, 0);
   if (last > 1 && !all) {
      rs_text_printf(&t, ARROW ELLIPSIS ARROW);
      put_frame(&t, s, last);
   } else {
      for (k = 1; k <= last; k++) {
         rs_text_printf(&t, ARROW);
         put_frame(&t, s, k);
      }
   }
   return rs_text_take(&t);
}

/* Lines whose names still read alike get every frame down to their
   telling frame: two such names of the same site frame differ at their
   first difference, which both reach (or one ends before it). */
static void spell_out_alike(const RsSiteStack* s, UInt n, HChar** names,
                            const UInt* depth)
{
   Bool* alike = VG_(calloc)("rs.sitenames.alike", n ? n : 1, sizeof(Bool));
   UInt i, j;
   for (i = 0; i < n; i++)
      for (j = i + 1; j < n; j++)
         if (VG_STREQ(names[i], names[j]) && rs_sitenames_cmp(&s[i], &s[j]) != 0)
            alike[i] = alike[j] = True;
   for (i = 0; i < n; i++)
      if (alike[i] && s[i].ips != NULL && !RS_MUTANT_IS(1741)) {
         RS_FREE(names[i]);
         names[i] = make_name(&s[i], depth[i], True);
      }
   VG_(free)(alike);
}

HChar** rs_sitenames_make(const RsSiteStack* s, UInt n, const HChar* none)
{
   HChar** names = VG_(calloc)("rs.sitenames.names", n ? n : 1, sizeof(HChar*));
   UInt* depth = VG_(calloc)("rs.sitenames.depth", n ? n : 1, sizeof(UInt));
   UInt i;
   for (i = 0; i < n; i++) {
      if (s[i].ips == NULL || shown_n(&s[i]) == 0) {
         names[i] = VG_(strdup)("rs.sitenames.none", none);
         continue;
      }
      depth[i] = telling_depth(s, n, i);
      names[i] = make_name(&s[i], depth[i], False);
   }
   spell_out_alike(s, n, names, depth);
   VG_(free)(depth);
   return names;
}

void rs_sitenames_free(HChar** names, UInt n)
{
   UInt i;
   for (i = 0; i < n; i++)
      RS_FREE(names[i]);
   VG_(free)(names);
}
