/*
 * real_sites_perl -- Debian's perl (Perl_safesysmalloc and friends) under
 * the tool runs a script that builds and drops hashes, arrays and
 * strings: its sites are the callers of Perl's allocation functions, no
 * two lines of a section alike (real_sites.h).  Skipped without perl.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "real_sites.h"

int main(void)
{
   real_need_tool();
   if (access("/usr/bin/perl", X_OK) != 0)
      real_skip("/usr/bin/perl is not installed");
   real_write("script.pl",
              "my @keep;\n"
              "for my $i (0 .. 2999) {\n"
              "    my %h = map { (\"k$_\" => 'v' x (($_ % 50) * 20)) } 0 .. 19;\n"
              "    my $s = join(',', map { \"$_=$h{$_}\" } sort keys %h);\n"
              "    push @keep, $s if $i % 50 == 0;\n"
              "}\n"
              "my @big = map { 'x' x 3000 } 1 .. 2000;\n"
              "undef @big;\n"
              "print scalar(@keep), \"\\n\";\n");
   return real_sites("perl", "/usr/bin/perl script.pl",
                     ": Perl_safesys(malloc|calloc|realloc) |: (malloc|calloc|realloc) ",
                     NULL);
}
