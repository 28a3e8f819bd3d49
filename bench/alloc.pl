# alloc.pl ROUNDS N -- allocation-heavy perl (perl uses the system malloc
# on Debian: usemymalloc=n): fills and empties a hash of strings of varied
# sizes ROUNDS times, then builds N small arrays.
# SPDX-License-Identifier: GPL-2.0-or-later
use strict;
use warnings;
my ($rounds, $n) = (@ARGV, 3, 100000)[0, 1];
my %h;
for my $r (1 .. $rounds) {
    $h{$_} = "x" x ($_ % 200) for 1 .. $n;
    delete $h{$_} for 1 .. $n;
}
my @a = map { [$_, "v$_"] } 1 .. $n;
print scalar(@a), "\n";
