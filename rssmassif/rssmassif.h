/*
 * rssmassif.h -- client requests for rssmassif, a Valgrind tool that tells
 * which mapped pages still hold live heap data.
 *
 * Include it as <valgrind/rssmassif.h>.  It depends only on valgrind.h; when
 * the program does not run under rssmassif every request is a cheap no-op.
 *
 * This header is public and under a BSD-style licence like valgrind.h, so
 * that any program may include it:
 *
 * Copyright (C) 2026 the rssmassif developers.
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the above copyright notice and
 * this paragraph are retained.  THIS HEADER IS PROVIDED "AS IS" WITHOUT ANY
 * WARRANTY.
 */
#ifndef RSSMASSIF_H
#define RSSMASSIF_H

#include "valgrind.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Totals of the client's mapped pages by category, as the tool sees them at
 * the moment of the request (residency is read from the kernel then).  The
 * fields are named exactly like the keys of the `#rs:` line of an
 * rssmassif.out file: `_B` is mapped bytes, `_res_B` resident bytes. */
struct rssmassif_totals {
   unsigned long long useful_B;        /* sum of live block sizes          */
   unsigned long long blocks;          /* number of live blocks            */
   unsigned long long heap_live_B;     /* heap pages with a live block byte */
   unsigned long long heap_live_res_B;
   unsigned long long heap_dead_B;     /* heap pages with no live block byte */
   unsigned long long heap_dead_res_B; /* = retained: freed-but-mapped RSS */
   unsigned long long loader_B;        /* executable, ld.so, libraries     */
   unsigned long long loader_res_B;
   unsigned long long stack_B;         /* thread stacks, main stack        */
   unsigned long long stack_res_B;
   unsigned long long other_B;         /* everything else                  */
   unsigned long long other_res_B;
   /* Added in version 2 (the struct grew; see RSSMASSIF_TOTALS_V1_SIZE). */
   unsigned long long stack_cached_n;  /* exited threads' stacks glibc keeps */
   unsigned long long stack_cached_B;  /* their mapped bytes (in stack_B)  */
   unsigned long long stack_cached_res_B;
   unsigned long long mmap_threshold_B; /* glibc's dynamic mmap threshold
                                           after a free raised it, else 0 */
   unsigned long long mmap_later_heap_B; /* requests of 128 KiB or more
                                           since the first raise that came
                                           from a heap: bytes, blocks     */
   unsigned long long mmap_later_heap_blocks;
};

/* The struct's layout is versioned by its size, which every request
 * passes: fields are only ever appended.  A program built with an older
 * header passes the older size and gets the fields it knows. */
#define RSSMASSIF_TOTALS_VERSION 2
#define RSSMASSIF_TOTALS_V1_SIZE (12 * sizeof(unsigned long long))

/* Request codes: VG_USERREQ_TOOL_BASE('R','S') and up.  Codes from
 * RSSMASSIF_USERREQ_PRIVATE_BASE on are the tool's own wrappers' business. */
typedef enum {
   VG_USERREQ__RSSMASSIF_GET_TOTALS = VG_USERREQ_TOOL_BASE('R', 'S'),
   VG_USERREQ__RSSMASSIF_SNAPSHOT
} Vg_RssmassifClientRequest;

#define RSSMASSIF_USERREQ_PRIVATE_BASE (VG_USERREQ_TOOL_BASE('R', 'S') + 0x100)

/* Fills *(t) with the current totals and evaluates to 1 under rssmassif;
 * evaluates to 0 and leaves *(t) untouched otherwise. */
#define RSSMASSIF_GET_TOTALS(t)                                             \
   VALGRIND_DO_CLIENT_REQUEST_EXPR(0,                                       \
      VG_USERREQ__RSSMASSIF_GET_TOTALS, (t),                                \
      sizeof(struct rssmassif_totals), 0, 0, 0)

/* Takes a detailed snapshot now, labelled `label` (a C string; characters
 * outside [A-Za-z0-9._-] are replaced by '_', at most 64 are kept). */
#define RSSMASSIF_SNAPSHOT(label)                                           \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VG_USERREQ__RSSMASSIF_SNAPSHOT,         \
      (label), 0, 0, 0, 0)

#ifdef __cplusplus
}
#endif
#endif /* RSSMASSIF_H */
