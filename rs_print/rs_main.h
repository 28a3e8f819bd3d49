/*
 * rs_main.h -- rs_print's command line as a function, so that tests can
 * run the whole program in-process.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#ifndef RS_MAIN_H
#define RS_MAIN_H

#include <stdio.h>

/* rs_print with arguments argv[1..argc-1]: the report (or --massif export)
 * on `out`, errors on `err`.  Returns the exit status. */
int rs_print_main(int argc, char **argv, FILE *out, FILE *err);

#endif /* RS_MAIN_H */
