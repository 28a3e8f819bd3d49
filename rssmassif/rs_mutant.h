/* rs_mutant.h -- switches for mutation testing (tests/mutants).
 *
 * A deliberate defect N is written in place as `if (RS_MUTANT_IS(N)) ...`
 * (or inside an expression).  tests/mutants/run builds the tool, the
 * preload and rs_print with -DRS_MUTANT=N, one N at a time, and checks that
 * some test fails.  Normal builds leave RS_MUTANT at 0, so every
 * RS_MUTANT_IS(N) (N >= 1) is a constant false and the compiler drops the
 * defect.  tests/mutants/list names each N, what it breaks and the tests
 * expected to see it; the two must stay in step.
 *
 * Plain C with no includes: the tool, the preload and rs_print all use it.
 *
 * Copyright (C) 2026 the rssmassif developers.  SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef RS_MUTANT_H
#define RS_MUTANT_H

#ifndef RS_MUTANT
#define RS_MUTANT 0
#endif

/* True only in the build of mutant n. */
#define RS_MUTANT_IS(n) (RS_MUTANT == (n))

#endif
