/*
 * ts_totals_v2: the version-2 fields of struct rssmassif_totals and their
 * JSON keys (issue 11): cached thread stacks and glibc's dynamic mmap
 * threshold, from the program's own measurements.
 *
 * Copyright (C) 2026 the rssmassif developers.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Workload: four threads run at once (a barrier keeps each on its own
 * stack), each touching 64 KiB of its stack; main joins them.  glibc keeps
 * the four stacks mapped (its stack cache).  Then a 1 MiB block (mmapped by
 * glibc) is freed, which raises glibc's dynamic mmap threshold to its chunk
 * size, and a 300 KiB block comes from the heap instead of a mapping.
 *
 * Own view:
 *   stacks      for each thread, the /proc/self/maps mapping holding an
 *               address of its stack plus the PROT_NONE guard right below
 *               it: mapped bytes, and mincore() resident bytes;
 *   threshold   the freed block's chunk size from its glibc header (read
 *               before the free; glibc raises the threshold to it);
 *   later       the 300 KiB request, which the IS_MMAPPED bit of its header
 *               shows came from the heap: 307,200 bytes, 1 block.
 * Checks: RSSMASSIF_GET_TOTALS's stack_cached_n/_B/_res_B and
 * mmap_threshold_B/mmap_later_heap_B/_blocks equal them; a request with
 * version 1's size (RSSMASSIF_TOTALS_V1_SIZE) answers and writes nothing
 * past version 1's twelve fields; and an inner rssmassif run of `ts_totals_v2
 * child` with --json-file writes the same six keys in its `final` snapshot,
 * equal to the child's own measurements (printed as `measure:`).
 */
#include "rs_client.h"

#include <pthread.h>
#include <sys/wait.h>

#define NT 4
#define TOUCH_B (64 * 1024)
#define LATER_B (300 * 1024)

static pthread_barrier_t barrier;
static uintptr_t stack_addr[NT];
static uintptr_t map_lo[NT], map_hi[NT];

struct own {
   long long n, mapped_B, res_B, thr_B, later_B, later_n;
};

static void *worker(void *arg)
{
   volatile char buf[TOUCH_B];
   int id = (int)(intptr_t)arg;
   memset((char *)buf, id + 1, sizeof buf);
   stack_addr[id] = (uintptr_t)buf;
   pthread_barrier_wait(&barrier);
   return NULL;
}


/* The threads and the threshold raise; *o is what the program sees. */
static void workload(struct own *o, char **later)
{
   pthread_t th[NT];
   char *big;
   int k, j;
   memset(o, 0, sizeof *o);
   pthread_barrier_init(&barrier, NULL, NT);
   for (k = 0; k < NT; k++)
      pthread_create(&th[k], NULL, worker, (void *)(intptr_t)k);
   for (k = 0; k < NT; k++)
      pthread_join(th[k], NULL);
   big = malloc(1 << 20);
   memset(big, 'b', 1 << 20);
   rs_own("the 1 MiB block is mmapped", rs_chunk_mmapped(big));
   o->thr_B = (long long)rs_chunk_size(big);
   free(big);
   *later = malloc(LATER_B);
   memset(*later, 'l', LATER_B);
   rs_own("the 300 KiB block came from the heap (threshold raised)", !rs_chunk_mmapped(*later));
   o->later_B = LATER_B;
   o->later_n = 1;
   rs_stack_mappings(stack_addr, NT, map_lo, map_hi);
   for (k = 0; k < NT; k++) {
      long r;
      rs_own("each thread's stack is in /proc/self/maps after the join", map_hi[k] > 0);
      for (j = 0; j < k; j++)
         rs_own("distinct stack mappings", map_lo[j] != map_lo[k]);
      o->mapped_B += (long long)(map_hi[k] - map_lo[k]);
      r = rs_resident(map_lo[k], map_hi[k] - map_lo[k], NULL, NULL);
      rs_own("mincore over a thread's stack", r >= 0);
      o->res_B += r * (long long)RS_PAGE;
   }
   o->n = NT;
   printf("measure: n=%lld mapped=%lld resident=%lld thr=%lld later=%lld later_n=%lld\n",
          o->n, o->mapped_B, o->res_B, o->thr_B, o->later_B, o->later_n);
}

static void check_struct(const struct own *o)
{
   struct rssmassif_totals t;
   unsigned char v1[sizeof t];
   size_t i;
   int ok = 1;
   rs_own("the struct is version 2 (12 + 6 fields)",
          RSSMASSIF_TOTALS_VERSION == 2 && sizeof t == 18 * sizeof(unsigned long long));
   if (!rs_get(&t))
      return;
   rs_eq("stack_cached_n: the 4 joined threads", (long long)t.stack_cached_n, o->n);
   rs_eq("stack_cached_B: their stacks in /proc/self/maps", (long long)t.stack_cached_B, o->mapped_B);
   rs_eq("stack_cached_res_B: their mincore pages", (long long)t.stack_cached_res_B, o->res_B);
   rs_eq("mmap_threshold_B: the freed chunk's size", (long long)t.mmap_threshold_B, o->thr_B);
   rs_eq("mmap_later_heap_B: the 300 KiB request", (long long)t.mmap_later_heap_B, o->later_B);
   rs_eq("mmap_later_heap_blocks", (long long)t.mmap_later_heap_blocks, o->later_n);
   /* A program built with version 1's header passes its smaller size. */
   memset(v1, 0xA5, sizeof v1);
   rs_eq("a version-1 request answers 1",
         (long long)VALGRIND_DO_CLIENT_REQUEST_EXPR(0, VG_USERREQ__RSSMASSIF_GET_TOTALS, v1,
                                                    RSSMASSIF_TOTALS_V1_SIZE, 0, 0, 0), 1);
   for (i = RSSMASSIF_TOTALS_V1_SIZE; i < sizeof v1; i++)
      ok &= v1[i] == 0xA5;
   rs_own("a version-1 request writes nothing past its 12 fields", ok);
   rs_eq("a version-1 request's blocks field", (long long)((struct rssmassif_totals *)v1)->blocks,
         (long long)t.blocks);
}

/* The number after "key": inside the JSON object starting at obj. */
static long long json_num(const char *obj, const char *key)
{
   char pat[80];
   const char *p, *end = strstr(obj, "\"heap_tree\"");
   snprintf(pat, sizeof pat, "\"%s\": ", key);
   p = strstr(obj, pat);
   return p != NULL && (end == NULL || p < end) ? atoll(p + strlen(pat)) : -1;
}

static void check_json(void)
{
   static char text[1 << 20], out[4096];
   const char *vg = getenv("VALGRIND"), *fin, *m;
   char name[64];
   struct own c;
   pid_t pid;
   int st;
   size_t len;
   FILE *f;
   if (!vg)
      vg = "valgrind";
   pid = fork();
   if (pid == 0) {
      rs_own("stdout to a file", freopen("ts_totals_v2.child.txt", "w", stdout) != NULL);
      execlp(vg, vg, "-q", "--tool=rssmassif", "--rssmassif-out-file=ts_totals_v2.inner.out",
             "--json-file=ts_totals_v2.%p.json", "./ts_totals_v2", "child", (char *)NULL);
      _exit(127);
   }
   rs_own("fork", pid > 0);
   rs_own("waitpid", waitpid(pid, &st, 0) == pid);
   rs_own("the inner rssmassif run exits 0", WIFEXITED(st) && WEXITSTATUS(st) == 0);
   f = fopen("ts_totals_v2.child.txt", "r");
   len = f ? fread(out, 1, sizeof out - 1, f) : 0;
   if (f) fclose(f);
   out[len] = 0;
   m = strstr(out, "measure: ");
   rs_own("the child printed its measure", m != NULL &&
          sscanf(m, "measure: n=%lld mapped=%lld resident=%lld thr=%lld later=%lld later_n=%lld",
                 &c.n, &c.mapped_B, &c.res_B, &c.thr_B, &c.later_B, &c.later_n) == 6);
   snprintf(name, sizeof name, "ts_totals_v2.%d.json", (int)pid);
   f = fopen(name, "r");
   rs_own("the child's JSON file", f != NULL);
   len = f ? fread(text, 1, sizeof text - 1, f) : 0;
   if (f) fclose(f);
   text[len] = 0;
   fin = strstr(text, "\"final\": {");
   rs_own("the JSON has a final snapshot", fin != NULL && m != NULL);
   if (fin == NULL || m == NULL)
      return;
   /* The child measured just before returning from main: nothing touches
      its stacks between that and exit_group, where the final snapshot is. */
   rs_eq("JSON final stack_cached_n", json_num(fin, "stack_cached_n"), c.n);
   rs_eq("JSON final stack_cached_B", json_num(fin, "stack_cached_B"), c.mapped_B);
   rs_eq("JSON final stack_cached_res_B", json_num(fin, "stack_cached_res_B"), c.res_B);
   rs_eq("JSON final mmap_threshold_B", json_num(fin, "mmap_threshold_B"), c.thr_B);
   rs_eq("JSON final mmap_later_heap_B", json_num(fin, "mmap_later_heap_B"), c.later_B);
   rs_eq("JSON final mmap_later_heap_blocks", json_num(fin, "mmap_later_heap_blocks"), c.later_n);
}

int main(int argc, char **argv)
{
   struct own o;
   char *later;
   setvbuf(stdout, NULL, _IONBF, 0);
   rs_init();
   workload(&o, &later);
   if (argc > 1 && strcmp(argv[1], "child") == 0)
      return rs_failures ? 1 : 0;
   check_struct(&o);
   free(later);
   check_json();
   return rs_finish();
}
