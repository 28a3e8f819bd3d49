/*
 * runtime_go -- a Go program (built here with Debian's golang-go) under
 * the tool: the Go runtime maps its heap itself, so its memory lands in
 * "other", and the tool says so with a `#rs.hint: runtime=go` line, and
 * rs_print's answer prints the go hint.  Skipped without go.
 *
 * Valgrind 3.19 cannot run a Go 1.19 program to its end: VEX does not
 * decode the runtime's RDTSCP (0f 01 f9) and the program dies of SIGILL
 * during start-up, under every tool.  By then the runtime has reserved its
 * first heap arena, 64 MiB on linux/amd64 (Go's heapArenaBytes), through
 * its own mmap calls: the hint holds at least that.  If a later Valgrind
 * runs the program, it also prints the bytes it keeps (2000 slices of
 * 16,384 bytes), and the hint must hold at least those.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "real_sites.h"

int main(void)
{
   unsigned long long kept_B, held_B;
   real_need_tool();
   if (real_sh("command -v go >/dev/null 2>&1") != 0)
      real_skip("go is not installed (Debian's golang-go)");
   real_write("main.go",
              "package main\n\nimport \"fmt\"\n\nvar keep [][]byte\n\n"
              "func main() {\n"
              "\tn := 0\n"
              "\tfor i := 0; i < 2000; i++ {\n"
              "\t\tb := make([]byte, 16384)\n"
              "\t\tb[0] = 1\n"
              "\t\tkeep = append(keep, b)\n"
              "\t\tn += len(b)\n"
              "\t}\n"
              "\tfmt.Printf(\"kept_B=%d\\n\", n)\n"
              "}\n");
   if (real_sh("HOME=\"$PWD\" GOCACHE=\"$PWD/gocache\" GOPATH=\"$PWD/gopath\" "
               "go build -o hello main.go >build.log 2>&1") != 0) {
      real_check(0, "go build (see build.log)");
      return 1;
   }
   real_sh("valgrind --tool=rssmassif --rssmassif-out-file=go.out ./hello >go.stdout 2>go.log");
   kept_B = real_kept_B("go.stdout");
   real_check(kept_B == 0 || kept_B == 2000ULL * 16384, "the program counted its slices, if it ran");
   held_B = real_hint_held_B("go.out", "go");
   printf("go hint held_B=%llu, program keeps %llu\n", held_B, kept_B);
   real_check(held_B >= (64ULL << 20) && held_B >= kept_B,
              "the go hint holds at least Go's first 64 MiB heap arena and the live slices");
   real_check(real_sh("\"$RS_PRINT\" go.out | grep -q 'Hint \\[go\\]'") == 0,
              "rs_print's answer prints the go hint");
   return real_failures ? 1 : 0;
}
