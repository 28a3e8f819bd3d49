/*
 * site_alike: allocation sites that differ only below a shared helper
 * (not an allocation wrapper) would read alike; every site list of the
 * output file, the JSON, rs_print's answer and its HTML page tells them
 * apart by the first frame that differs, and merges the lines of stacks
 * that differ only in allocation functions.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Sites, all through store() (one malloc call, so one site frame):
 *   a_get -> store                          told apart at depth 1:
 *                                           "store ← a_get"
 *   q_get -> x_mid -> store                 told apart at depth 2:
 *   r_get -> y_mid -> store                 "store ← … ← q_get"
 *   vx_get -> via -> x_mid -> store         told apart at depth 2, but
 *   vy_get -> via -> y_mid -> store         via's one call instruction
 *                                           calls both: "store ← … ← via"
 *                                           twice, so every frame is shown:
 *                                           "store ← x_mid ← via"
 *   m_get -> xmalloc -> malloc              two malloc calls inside
 *                                           xmalloc (a default wrapper):
 *                                           one line, "m_get"
 * Each site allocates big blocks (16,000 bytes) with a small one (100
 * bytes) after every fourth; the big ones are freed at the end, the small
 * ones kept: their pages are pinned (live, few useful bytes), the freed pages
 * between them retained (#rs.dead_site); a last small block keeps the heap
 * from being trimmed.  With the threads' two sites and main's last block,
 * no list has more sites than it can show (5 pinned, 10 live, 10 dead).  Four threads, alive at once so that each has an
 * arena of its own, each leave a trim blocker (in_thread): two through
 * a_thread -> in_thread -> store, two through b_thread -> in_thread ->
 * middle -> store.  The two of each are equal stacks: rs_print's answer
 * merges them ("2 blocks ... in 2 heaps"); the two sites are told apart
 * from each other and from the main arena's blocker at depth 1
 * ("store ← in_thread", "store ← middle", "store ← a_get").
 *
 * The client prints, for the post: commands of site_alike*.vgtest, the
 * names each list must show (`want: REGEX`).
 */
#include "rs_client.h"
#include <pthread.h>

#define BIG 16000
#define SMALL 100

static void *keep[4096];
static int n_keep;

__attribute__((noinline)) static void *store(size_t n)
{
   void *p = malloc(n);
   memset(p, 0x5a, n);
   return p;
}

static void *big[1024];
static int n_big;

/* n big blocks, a small one kept after every fourth (the big ones are
   freed at the end, all together: no site reuses another's pages). */
__attribute__((noinline)) static void burst(void *(*get)(size_t), int n)
{
   int i;
   for (i = 0; i < n; i++) {
      big[n_big++] = get(BIG);
      if (i % 4 == 0)
         keep[n_keep++] = get(SMALL);
   }
}

__attribute__((noinline)) static void *middle(size_t n)
{
   return store(n);
}

__attribute__((noinline)) static void *a_get(size_t n) { return store(n); }

/* Two helpers called through one call instruction (via's) and from
   callers of their own: the short names of the first two read alike
   ("store ← … ← via"), so they show every frame down to via. */
__attribute__((noinline)) static void *x_mid(size_t n) { return store(n); }
__attribute__((noinline)) static void *y_mid(size_t n) { return store(n); }
__attribute__((noinline)) static void *via(void *(*mid)(size_t), size_t n)
{
   return mid(n);
}
__attribute__((noinline)) static void *vx_get(size_t n) { return via(x_mid, n); }
__attribute__((noinline)) static void *vy_get(size_t n) { return via(y_mid, n); }
__attribute__((noinline)) static void *q_get(size_t n) { return x_mid(n); }
__attribute__((noinline)) static void *r_get(size_t n) { return y_mid(n); }

/* libiberty's name: skipped as an allocation wrapper.  Two malloc calls,
   so two stacks that differ only above the site frame. */
__attribute__((noinline)) void *xmalloc(size_t n)
{
   void *p = (n & 1) ? malloc(n) : malloc(n + 0);
   memset(p, 0x5a, n);
   return p;
}

static int m_calls;
__attribute__((noinline)) static void *m_get(size_t n)
{
   return xmalloc(n + (m_calls++ & 1));
}

static pthread_barrier_t all_allocated;

/* In its own arena (the four threads live at once): big blocks freed
   below a small one kept, the arena heap's trim blocker. */
__attribute__((noinline)) static void *in_thread(void *(*get)(size_t))
{
   void *big[8], *top;
   int i;
   for (i = 0; i < 8; i++)
      big[i] = get(BIG);
   top = get(SMALL);
   for (i = 0; i < 8; i++)
      free(big[i]);
   pthread_barrier_wait(&all_allocated);
   return top;
}

__attribute__((noinline)) static void *a_thread(void *arg)
{
   (void)arg;
   return in_thread(store);
}

__attribute__((noinline)) static void *b_thread(void *arg)
{
   (void)arg;
   return in_thread(middle);
}

int main(void)
{
   pthread_t t[4];
   void *r[4];
   int i;
   rs_init();
   rs_own("mallopt(M_MMAP_THRESHOLD, 1 MiB)", mallopt(M_MMAP_THRESHOLD, 1 << 20) == 1);
   rs_own("mallopt(M_TRIM_THRESHOLD, 1 GiB)", mallopt(M_TRIM_THRESHOLD, 1 << 30) == 1);
   burst(a_get, 80);
   burst(m_get, 12);
   burst(vx_get, 36);
   burst(vy_get, 32);
   burst(q_get, 28);
   burst(r_get, 20);
   keep[n_keep++] = malloc(SMALL);
   for (i = 0; i < n_big; i++)
      free(big[i]);
   pthread_barrier_init(&all_allocated, NULL, 4);
   for (i = 0; i < 4; i++)
      rs_own("pthread_create", pthread_create(&t[i], NULL, i % 2 ? b_thread : a_thread, NULL) == 0);
   for (i = 0; i < 4; i++)
      pthread_join(t[i], &r[i]);
   /* The names (ERE) each list must show: */
   printf("want: store \\(site_alike\\.c:[0-9]+\\) \xe2\x86\x90 0x[0-9A-F]+: a_get \\(\n");
   printf("want: store \\(site_alike\\.c:[0-9]+\\) \xe2\x86\x90 0x[0-9A-F]+: x_mid \\(site_alike\\.c:[0-9]+\\) \xe2\x86\x90 0x[0-9A-F]+: via \\(\n");
   printf("want: store \\(site_alike\\.c:[0-9]+\\) \xe2\x86\x90 0x[0-9A-F]+: y_mid \\(site_alike\\.c:[0-9]+\\) \xe2\x86\x90 0x[0-9A-F]+: via \\(\n");
   printf("want: store \\(site_alike\\.c:[0-9]+\\) \xe2\x86\x90 \xe2\x80\xa6 \xe2\x86\x90 0x[0-9A-F]+: q_get \\(\n");
   printf("want: store \\(site_alike\\.c:[0-9]+\\) \xe2\x86\x90 \xe2\x80\xa6 \xe2\x86\x90 0x[0-9A-F]+: r_get \\(\n");
   printf("want-blocker: 2 blocks \\(200 bytes\\) at 0x[0-9A-F]+: store \\(site_alike\\.c:[0-9]+\\) \xe2\x86\x90 0x[0-9A-F]+: in_thread \\(\n");
   printf("want-blocker: 2 blocks \\(200 bytes\\) at 0x[0-9A-F]+: store \\(site_alike\\.c:[0-9]+\\) \xe2\x86\x90 0x[0-9A-F]+: middle \\(\n");
   printf("want: : m_get \\(site_alike\\.c:[0-9]+\\)$\n");
   printf("ok own: %d small blocks kept\n", n_keep);
   return 0;
}
