/*
 * alloc_stats_mimalloc: alloc_stats.c linked with -lmimalloc (alloc_stats_mimalloc.vgtest).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "alloc_stats.c"
