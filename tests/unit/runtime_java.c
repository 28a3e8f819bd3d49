/*
 * runtime_java -- a Java program (Debian's OpenJDK, run from its source
 * file) under the tool: the JVM maps its heap itself, so it lands in
 * "other", and the tool says so with a `#rs.hint: runtime=java` line
 * holding at least the bytes the program keeps live (its own count: 2000
 * arrays of 16,384 bytes), and rs_print's answer prints the java hint.
 * Skipped without java.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "real_sites.h"

int main(void)
{
   unsigned long long kept_B, held_B;
   real_need_tool();
   if (real_sh("command -v java >/dev/null 2>&1") != 0)
      real_skip("java is not installed (Debian's default-jre-headless)");
   real_write("Keep.java",
              "public class Keep {\n"
              "    public static void main(String[] a) {\n"
              "        byte[][] k = new byte[2000][];\n"
              "        long n = 0;\n"
              "        for (int i = 0; i < k.length; i++) {\n"
              "            k[i] = new byte[16384];\n"
              "            n += k[i].length;\n"
              "        }\n"
              "        System.out.println(\"kept_B=\" + n + \" \" + k[1999].length);\n"
              "    }\n"
              "}\n");
   real_check(real_sh("valgrind --tool=rssmassif --rssmassif-out-file=java.out "
                      "java -XX:+UseSerialGC Keep.java >java.stdout 2>java.log") == 0,
              "the Java program runs under the tool");
   kept_B = real_kept_B("java.stdout");
   real_check(kept_B == 2000ULL * 16384, "the program counted its arrays");
   held_B = real_hint_held_B("java.out", "java");
   printf("java hint held_B=%llu, program keeps %llu\n", held_B, kept_B);
   real_check(held_B >= kept_B && kept_B > 0, "the java hint holds at least the live arrays");
   real_check(real_sh("\"$RS_PRINT\" java.out | grep -q 'Hint \\[java\\]'") == 0,
              "rs_print's answer prints the java hint");
   return real_failures ? 1 : 0;
}
