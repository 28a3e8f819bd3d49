/*
 * ts_header_cxx: the public header rssmassif.h compiles in C++ with
 * -Wall -Wextra -Werror (see ts_header_cxx.vgtest); RSSMASSIF_GET_TOTALS is
 * 1 under rssmassif (struct filled) and 0 natively (struct untouched), and
 * RSSMASSIF_SNAPSHOT accepts a C string.  tests/unit/ts_header_native.c
 * builds and runs this file natively too.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "rssmassif.h"

int main()
{
   std::setvbuf(stdout, nullptr, _IONBF, 0);
   rssmassif_totals t;
   std::memset(&t, 0x5a, sizeof t);
   rssmassif_totals before = t;
   unsigned r = RSSMASSIF_GET_TOTALS(&t);
   if (r == 0) {
      std::printf(std::memcmp(&t, &before, sizeof t) == 0
                     ? "ok native run\n"
                     : "not ok native run: RSSMASSIF_GET_TOTALS changed the struct\n");
      return 0;
   }
   std::vector<char> *v = new std::vector<char>(100000, 'x');
   std::string label = "cxx-header";
   RSSMASSIF_SNAPSHOT(label.c_str());
   RSSMASSIF_GET_TOTALS(&t);   /* as a statement: no -Wunused-value */
   r = RSSMASSIF_GET_TOTALS(&t);
   if (r == 1 && t.useful_B >= 100000 && t.heap_live_B >= 100000)
      std::printf("ok totals filled (useful_B=%llu)\n", t.useful_B);
   else
      std::printf("not ok totals: r=%u useful_B=%llu\n", r, t.useful_B);
   delete v;
   std::printf("expect-final: in_use_at_exit_B = 0\n");
   return 0;
}
