/*
 * cxxnew: C++ new/delete/new[]/delete[] are blocks of exactly the size
 * operator new was asked for.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The expected sizes come from the program's own arithmetic: sizeof(T) * n,
 * plus the array cookie (sizeof(size_t) under the Itanium C++ ABI) for an
 * array of a type with a non-trivial destructor, and capacity() + 1 for a
 * std::string.  new(0) and aligned new are left out on purpose: libstdc++
 * turns them into malloc(1) and aligned_alloc of a rounded size, which a
 * wrapping tool sees and Memcheck (which replaces operator new) does not, so
 * they cannot be compared with Memcheck (memcheck-compare: yes).
 */
#include "rs_client.h"

#include <new>
#include <stdexcept>
#include <string>
#include <vector>

static struct rssmassif_totals base;
static long long own_useful, own_blocks;
static char label[200];

static void check(const char *what)
{
   struct rssmassif_totals t;
   if (!rs_under_tool)
      return;
   rs_get(&t);
   snprintf(label, sizeof label, "useful after %s", what);
   rs_eq(label, (long long)(t.useful_B - base.useful_B), own_useful);
   snprintf(label, sizeof label, "blocks after %s", what);
   rs_eq(label, (long long)(t.blocks - base.blocks), own_blocks);
}

struct WithDtor {
   long a, b, c;
   WithDtor() : a(1), b(2), c(3) {}
   ~WithDtor() { a = 0; }
};

struct Plain {
   int x[5];
};

int main()
{
   rs_init();
   rs_get(&base);

   int *one = new int(7);
   own_useful += sizeof(int);
   own_blocks++;
   check("new int");

   int *arr = new int[10];
   own_useful += 10 * sizeof(int);
   own_blocks++;
   check("new int[10]");

   Plain *pl = new Plain[3];
   own_useful += 3 * sizeof(Plain);
   own_blocks++;
   check("new Plain[3]");

   WithDtor *wd = new WithDtor[5];
   const long long wd_size = 5 * sizeof(WithDtor) + sizeof(size_t);
   own_useful += wd_size;
   own_blocks++;
   check("new WithDtor[5] (with cookie)");

   WithDtor *w1 = new WithDtor;
   own_useful += sizeof(WithDtor);
   own_blocks++;
   check("new WithDtor");

   double *nt = new (std::nothrow) double[4];
   own_useful += 4 * sizeof(double);
   own_blocks++;
   check("new(nothrow) double[4]");

   delete one;
   own_useful -= sizeof(int);
   own_blocks--;
   check("delete int");

   delete[] arr;
   own_useful -= 10 * sizeof(int);
   own_blocks--;
   check("delete[] int");

   delete[] wd;
   own_useful -= wd_size;
   own_blocks--;
   check("delete[] WithDtor");

   {
      std::vector<int> v;
      v.reserve(1000);
      own_useful += 1000 * sizeof(int);
      own_blocks++;
      check("vector reserve(1000)");
      v.reserve(5000);   /* allocate new, copy, free old */
      own_useful += 4000 * sizeof(int);
      check("vector reserve(5000)");

      std::string s(100, 'x');
      long long s_size = (long long)s.capacity() + 1;
      own_useful += s_size;
      own_blocks++;
      check("std::string(100)");
      own_useful -= s_size + 5000 * sizeof(int);
      own_blocks -= 2;
   }
   check("scope end");

   /* an exception: libstdc++ mallocs the exception object and the message,
    * and frees both when the handler ends */
   try {
      throw std::runtime_error(std::string(200, 'e'));
   } catch (const std::exception &ex) {
      if (rs_under_tool) {
         struct rssmassif_totals t;
         rs_get(&t);
         rs_ge("useful while an exception is alive (object + message)",
               (long long)(t.useful_B - base.useful_B), own_useful + 200);
      }
   }
   check("exception caught");

   /* a large array: glibc mmaps it */
   char *bigarr = new char[1 << 20];
   own_useful += 1 << 20;
   own_blocks++;
   check("new char[1 MiB]");

   delete[] nt;
   own_useful -= 4 * sizeof(double);
   own_blocks--;
   check("delete[] nothrow");

   /* kept to the end: pl, w1, bigarr */
   /* in use at exit after freeres (the HEAP SUMMARY); the exit
      snapshot itself is taken before it: libc's blocks too */
   rs_expect_final("in_use_at_exit_B", "=", own_useful, 0);
   rs_expect_final("useful_B", ">=", own_useful, 0);
   rs_expect_final("in_use_at_exit_blocks", "=", own_blocks, 0);
   (void)pl;
   (void)w1;
   (void)bigarr;
   return rs_finish();
}
