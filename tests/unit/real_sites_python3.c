/*
 * real_sites_python3 -- Debian's python3 (CPython: PyMem_ and PyObject_
 * allocation functions) under the tool runs a script that builds and
 * drops dicts, strings and byte arrays: its sites are the callers of
 * CPython's allocation functions, no two lines of a section alike
 * (real_sites.h).  /usr/bin/python3, not a python3 earlier in PATH (a
 * pyenv shim is a shell script).  Skipped without it.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "real_sites.h"

int main(void)
{
   real_need_tool();
   if (access("/usr/bin/python3", X_OK) != 0)
      real_skip("/usr/bin/python3 is not installed");
   real_write("script.py",
              "import json\n"
              "keep = []\n"
              "for i in range(3000):\n"
              "    d = {'k%d' % j: 'v' * (j % 50) * 20 for j in range(20)}\n"
              "    s = json.dumps(d)\n"
              "    if i % 50 == 0:\n"
              "        keep.append(s)\n"
              "big = [bytearray(3000) for i in range(2000)]\n"
              "del big\n"
              "print(len(keep))\n");
   return real_sites("python3", "/usr/bin/python3 script.py",
                     ": _?(PyMem_|PyObject_)(Raw)?(Malloc|Calloc|Realloc) |: (malloc|calloc|realloc) ",
                     NULL);
}
