/*--------------------------------------------------------------------*/
/*--- rssmassif: growable text buffers.                  rs_text.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_text.h"

static void reserve(RsText* t, SizeT extra)
{
   SizeT need = t->len + extra + 1;
   if (need <= t->cap)
      return;
   t->cap = need > 2 * t->cap ? need : 2 * t->cap;
   t->buf = VG_(realloc)("rs.text", t->buf, t->cap);
}

void rs_text_append(RsText* t, const HChar* s, SizeT n)
{
   reserve(t, n);
   VG_(memcpy)(t->buf + t->len, s, n);
   t->len += n;
   t->buf[t->len] = '\0';
}

static void sink(HChar c, void* opaque)
{
   rs_text_append((RsText*)opaque, &c, 1);
}

void rs_text_printf(RsText* t, const HChar* format, ...)
{
   va_list vargs;
   va_start(vargs, format);
   VG_(vcbprintf)(sink, t, format, vargs);
   va_end(vargs);
}

HChar* rs_text_take(RsText* t)
{
   HChar* b = t->buf;
   t->buf = NULL;
   t->len = t->cap = 0;
   return b;
}
