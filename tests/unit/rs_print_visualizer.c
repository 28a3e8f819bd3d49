/*
 * rs_print_visualizer.c -- the real massif-visualizer opens what
 * `rs_print --massif` writes from every sample file, and refuses the
 * sample files themselves at their first `#rs:` line.  Runs
 * rs_print/tests/massif_visualizer_check.sh with the rs_print binary that
 * tests/run exports as RS_PRINT.  Skipped (exit 77) without that binary,
 * massif-visualizer or xvfb-run.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include "tests/unit_util.h"

#include <sys/wait.h>

int main(void)
{
   const char *rs = getenv("RS_PRINT");
   if (rs == NULL || access(rs, X_OK) != 0) {
      printf("skipped: no rs_print binary (RS_PRINT)\n");
      return 77;
   }
   const char *dir = samples_dir();
   char cmd[9000];
   snprintf(cmd, sizeof cmd, "sh '%s/../tests/massif_visualizer_check.sh' "
            "--rs-print '%s' '%s'/*.out", dir, rs, dir);
   fflush(stdout);
   int rc = system(cmd);
   if (rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 77)
      return 77;
   check(rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0,
         "massif_visualizer_check.sh on the samples");
   return unit_done();
}
