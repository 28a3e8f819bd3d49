/*
 * rs_fmt.c -- number formatting shared by the report sections.
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include "rs_fmt.h"

#include <string.h>

const char *rs_commify(uint64_t v, char buf[RS_NUMBUF])
{
   char digits[24];
   int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
   int o = 0;
   for (int i = 0; i < n; i++) {
      if (i > 0 && (n - i) % 3 == 0)
         buf[o++] = ',';
      buf[o++] = digits[i];
   }
   buf[o] = '\0';
   return buf;
}

const char *rs_mib(uint64_t v, char buf[RS_NUMBUF])
{
   snprintf(buf, RS_NUMBUF, "%.2f MiB", (double)v / (1024.0 * 1024.0));
   return buf;
}

double rs_pct(uint64_t part, uint64_t whole)
{
   return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

void rs_repeat(FILE *out, char ch, unsigned n)
{
   while (n--)
      fputc(ch, out);
}

void rs_rule(FILE *out)
{
   rs_repeat(out, '-', 80);
   fputc('\n', out);
}

/* The number part: up to 999 as an integer, else 5 characters. */
static void label_num(uint64_t v, double scaled, char num[16])
{
   if (v < 1000)
      snprintf(num, 16, "%5llu", (unsigned long long)v);
   else if (scaled < 10)
      snprintf(num, 16, "%5.3f", scaled);
   else if (scaled < 100)
      snprintf(num, 16, "%5.2f", scaled);
   else
      snprintf(num, 16, "%5.1f", scaled);
}

void rs_axis_label(uint64_t v, char kind, char num[16], char unit[8])
{
   double s = (double)v;
   if (kind == 'm') {
      const char *u = "ms";
      if (s >= 1000) {
         u = "s";
         s /= 1000;
      }
      if (s >= 3600) {
         u = "h";
         s /= 3600;
      }
      strcpy(unit, u);
   } else {
      static const char *const bu[] = {
         "B", "KB", "MB", "GB", "TB", "PB", "EB"
      };
      static const char *const iu[] = {
         "i", "ki", "Mi", "Gi", "Ti", "Pi", "Ei"
      };
      int k = 0;
      while (s >= 1000 && k < 6) {
         s /= 1024;
         k++;
      }
      strcpy(unit, kind == 'i' ? iu[k] : bu[k]);
   }
   label_num(v, s, num);
}
