/*
 * alloc_stats_jemalloc: alloc_stats.c linked with -ljemalloc (alloc_stats_jemalloc.vgtest).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "alloc_stats.c"
