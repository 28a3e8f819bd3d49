/* rs_pageset.h -- a set of page ranges, built, sorted, then asked about
   page by page (fastest in increasing address order). */
#ifndef RS_PAGESET_H
#define RS_PAGESET_H
#include "rs_common.h"
#include "pub_tool_xarray.h"

typedef struct {
   XArray* ranges;     /* RsPageRange, sorted by lo once sealed   */
   Word    cursor;     /* rs_pageset_has' position in ranges      */
   Addr    last_page;  /* the page rs_pageset_has was last asked  */
} RsPageSet;

void rs_pageset_init(RsPageSet* s, const HChar* cc);
/* Adds the pages of [lo, hi) (page-aligned; nothing if hi <= lo). */
void rs_pageset_add(RsPageSet* s, Addr lo, Addr hi);
/* Sorts and merges the ranges: call once, after the last add. */
void rs_pageset_seal(RsPageSet* s);
Bool rs_pageset_has(RsPageSet* s, Addr page);
void rs_pageset_done(RsPageSet* s);

#endif
