/*
 * alloc_stats_tcmalloc: alloc_stats.c linked with -ltcmalloc_minimal (alloc_stats_tcmalloc.vgtest).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "alloc_stats.c"
