/*
 * h_cxx: C++ with exceptions thrown through frames that own containers,
 * std:: containers growing and shrinking, and objects from new/new[].
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Containers use a counting allocator (std::allocator underneath: each
 * allocate is one operator new, one malloc) so that the program knows the
 * bytes its containers hold; plain new/new[] objects are counted by hand.
 * At checkpoints outside any try block (no exception object alive), the
 * tool's useful/blocks deltas equal the program's count:
 *   - vector<int> grown by push_back to 100000 (reallocations), then
 *     shrink_to_fit after erasing half;
 *   - map<int, string> of 2000 entries (strings longer than the SSO
 *     buffer), half erased;
 *   - unordered_map, deque, list built inside a function that throws from
 *     10 frames deep: unwinding destroys them (exception objects come from
 *     __cxa_allocate_exception, freed at the catch);
 *   - a throw from a constructor inside new: the memory new got is given
 *     back by the runtime; new[] of 1000 objects whose 500th constructor
 *     throws: the 499 built are destroyed and the array freed;
 *   - 100 rethrows of std::runtime_error carrying a long message.
 * Memcheck's heap summary of the same program is the other oracle.
 */
#include "rs_client.h"

#include <deque>
#include <list>
#include <map>
#include <new>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

static long long g_bytes, g_blocks;

template <class T> struct Counting {
   typedef T value_type;
   Counting() = default;
   template <class U> Counting(const Counting<U> &) {}
   T *allocate(std::size_t n)
   {
      g_bytes += (long long)(n * sizeof(T));
      g_blocks++;
      return static_cast<T *>(::operator new(n * sizeof(T)));
   }
   void deallocate(T *p, std::size_t n)
   {
      g_bytes -= (long long)(n * sizeof(T));
      g_blocks--;
      ::operator delete(p);
   }
   template <class U> bool operator==(const Counting<U> &) const { return true; }
   template <class U> bool operator!=(const Counting<U> &) const { return false; }
};

typedef std::basic_string<char, std::char_traits<char>, Counting<char> > CString;

static struct rssmassif_totals base;
static char lbl[160];

static void check(const char *what)
{
   struct rssmassif_totals t;
   if (!rs_under_tool)
      return;
   rs_get(&t);
   snprintf(lbl, sizeof lbl, "useful after %s", what);
   rs_eq(lbl, (long long)(t.useful_B - base.useful_B), g_bytes);
   snprintf(lbl, sizeof lbl, "blocks after %s", what);
   rs_eq(lbl, (long long)(t.blocks - base.blocks), g_blocks);
}

struct Thrower {
   static int built;
   char pad[40];
   Thrower()
   {
      if (++built == 500)
         throw std::runtime_error("the 500th constructor throws");
   }
};
int Thrower::built;

struct BadCtor {
   char pad[3000];
   BadCtor() { throw std::logic_error("constructor of a 3000-byte object throws"); }
};

static void deep(int depth)
{
   std::unordered_map<int, CString, std::hash<int>, std::equal_to<int>,
                      Counting<std::pair<const int, CString> > > um;
   std::deque<long, Counting<long> > dq;
   std::list<double, Counting<double> > ls;
   for (int i = 0; i < 50; i++) {
      um[i] = CString(100, 'u');
      dq.push_back(i);
      ls.push_back(i);
   }
   if (depth == 10)
      throw std::out_of_range(std::string(500, 'x'));
   deep(depth + 1);
}

int main()
{
   rs_init();
   {
      /* warm up: the first throw makes the runtime set up its own state */
      try { throw std::runtime_error("warm up"); } catch (const std::exception &) {}
   }
   rs_get(&base);

   std::vector<int, Counting<int> > v;
   for (int i = 0; i < 100000; i++)
      v.push_back(i);
   check("a vector grown to 100000 ints");
   v.erase(v.begin(), v.begin() + 50000);
   v.shrink_to_fit();
   check("erasing half and shrink_to_fit");

   typedef std::map<int, CString, std::less<int>, Counting<std::pair<const int, CString> > > Map;
   Map *m = new Map;
   g_bytes += (long long)sizeof(Map);
   g_blocks++;
   for (int i = 0; i < 2000; i++)
      (*m)[i] = CString(40 + i % 50, 'm');
   check("a map of 2000 long strings");
   for (int i = 0; i < 2000; i += 2)
      m->erase(i);
   check("erasing half the map");

   try {
      deep(0);
      printf("not ok no exception from deep()\n");
   } catch (const std::out_of_range &e) {
      printf("ok caught from 10 frames deep (%zu chars)\n", strlen(e.what()));
   }
   check("unwinding 11 frames of containers");

   try {
      BadCtor *b = new BadCtor;
      (void)b;
      printf("not ok BadCtor did not throw\n");
   } catch (const std::logic_error &) {
      printf("ok a throwing constructor inside new\n");
   }
   check("new of an object whose constructor throws");

   try {
      Thrower *arr = new Thrower[1000];
      (void)arr;
      printf("not ok new[] did not throw\n");
   } catch (const std::runtime_error &) {
      printf("ok new[] whose 500th constructor throws\n");
   }
   check("new[] unwound after 499 constructions");

   for (int i = 0; i < 100; i++) {
      try {
         try {
            throw std::runtime_error(std::string(300 + i, 'r'));
         } catch (const std::runtime_error &) {
            throw;
         }
      } catch (const std::exception &) {
      }
   }
   check("100 rethrows");

   int *ints = new int[777];
   g_bytes += 777 * (long long)sizeof(int);
   g_blocks++;
   check("new int[777]");
   delete[] ints;
   g_bytes -= 777 * (long long)sizeof(int);
   g_blocks--;
   delete m;
   g_bytes -= (long long)sizeof(Map);
   g_blocks--;
   check("deleting the map");
   if (rs_under_tool) {
      /* at exit only the vector's data is left, moved into a vector
         object made by new below: 2 blocks */
      /* in use at exit after freeres (the HEAP SUMMARY); the exit
         snapshot itself is taken before it: libc's blocks too */
      rs_expect_final("in_use_at_exit_B", "=", 50000 * (long long)sizeof(int)
                      + (long long)sizeof(std::vector<int, Counting<int> >), 0);
      rs_expect_final("useful_B", ">=", 50000 * (long long)sizeof(int)
                      + (long long)sizeof(std::vector<int, Counting<int> >), 0);
      rs_expect_final("in_use_at_exit_blocks", "=", 2, 0);
   }
   static std::vector<int, Counting<int> > *keep = new std::vector<int, Counting<int> >(std::move(v));
   (void)keep;
   return rs_finish();
}
