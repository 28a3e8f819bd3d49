/* rs_text.h -- a growable text buffer with printf, for building the
   detailed part of snapshots (kept in memory until the file is written). */
#ifndef RS_TEXT_H
#define RS_TEXT_H
#include "rs_common.h"

typedef struct {
   HChar* buf;      /* NUL-terminated; NULL while empty */
   SizeT  len;
   SizeT  cap;
} RsText;

void   rs_text_printf(RsText* t, const HChar* format, ...)
          PRINTF_CHECK(2, 3);
void   rs_text_append(RsText* t, const HChar* s, SizeT n);
/* Hands over the buffer (or NULL if empty) and resets t. */
HChar* rs_text_take(RsText* t);

#endif
