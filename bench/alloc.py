# alloc.py ROUNDS N -- allocation-heavy python3 (default allocator: objects
# up to 512 bytes come from pymalloc's arenas, larger strings from malloc):
# fills and empties a dict of strings ROUNDS times, then builds N lists.
# SPDX-License-Identifier: GPL-2.0-or-later
import sys

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
n = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
d = {}
for r in range(rounds):
    for i in range(n):
        d[i] = "x" * (i % 1000)
    d.clear()
a = [[i, str(i)] for i in range(n)]
print(len(a))
