/*
 * brk_capped_off: brk_static.c built as a dynamic program and run with
 * --emulate-brk=no (Valgrind's own 8 MiB brk): the same capped break, told
 * as brk_capped=off (see brk_static.c for the workload and the checks).
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "brk_static.c"
