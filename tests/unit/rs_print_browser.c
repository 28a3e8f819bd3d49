/*
 * rs_print_browser.c -- `rs_print --html` pages in a real browser: headless
 * Chromium loads each sample's page and the page of a file the real tool
 * wrote for a small client, runs its script (--virtual-time-budget) and
 * dumps the DOM.  The figures the page shows must equal the file's (read
 * here from the `#rs:` lines with a few lines of independent code), the
 * chart's shapes and marks must exist, and the trees must name the
 * client's functions.  A screenshot of each page is kept beside the test's
 * results (SAMPLE.png).  A file of 1,000 snapshots with trees of about
 * 10,000 nodes must render (script run and page laid out) in under 2 s.
 * Skipped (exit 77) when chromium is not installed (quickstart installs
 * it).
 *
 * This file is part of rssmassif.  Copyright (C) 2026 the rssmassif
 * developers.  GPL-2.0-or-later (see COPYING).
 */
#include "tests/unit_util.h"
#include "tests/gen_big.h"

static const char *browser;   /* the chromium command */

static const char client[] =
   "/* written by tests/unit/rs_print_browser.c */\n"
   "#include <malloc.h>\n"
   "#include <stdlib.h>\n"
   "#include <string.h>\n"
   "#define MIB (1024 * 1024)\n"
   "static char *load_catalogue(void)\n"
   "{\n"
   "   char *p = malloc(2 * MIB);\n"
   "   memset(p, 1, 2 * MIB);\n"
   "   return p;\n"
   "}\n"
   "static char *pin_session(void)\n"
   "{\n"
   "   char *p = malloc(100);\n"
   "   memset(p, 2, 100);\n"
   "   return p;\n"
   "}\n"
   "int main(void)\n"
   "{\n"
   "   char *big[2], *small;\n"
   "   mallopt(M_MMAP_THRESHOLD, 32 * MIB);\n"
   "   for (int i = 0; i < 2; i++)\n"
   "      big[i] = load_catalogue();\n"
   "   small = pin_session();\n"
   "   for (int i = 0; i < 2; i++)\n"
   "      free(big[i]);\n"
   "   return small[0] == 2 ? 0 : 1;\n"
   "}\n";

/* Runs chromium on page `html` (+ `hash`): with `what` "--dump-dom" the
 * DOM is returned (malloc'ed), with "--screenshot=F" NULL.  `virt`: the
 * virtual time budget in ms, 0 for real time. */
static char *chrome(const char *html, const char *hash, const char *what,
                    int virt)
{
   char cwd[2048], cmd[6000], vt[64] = "";
   size_t len;
   if (getcwd(cwd, sizeof cwd) == NULL)
      return NULL;
   if (virt)
      snprintf(vt, sizeof vt, "--virtual-time-budget=%d", virt);
   snprintf(cmd, sizeof cmd, "timeout 180 %s --headless --no-sandbox "
            "--disable-gpu --disable-dev-shm-usage --hide-scrollbars "
            "--user-data-dir='%s/chrome-profile' --window-size=1280,1700 %s %s "
            "'file://%s/%s%s' > dom.html 2>> chromium.log", browser, cwd, vt,
            what, cwd, html, hash);
   int rc = unit_sh(cmd);
   check(rc == 0, "chromium %s %s%s exits 0 (%d)", what, html, hash, rc);
   return strcmp(what, "--dump-dom") == 0 ? read_all("dom.html", &len) : NULL;
}

/* The part of a dumped DOM the script built: after the last </script>
 * (the page's own script text holds the same markup, as strings). */
static const char *built(const char *dom)
{
   const char *p = dom, *q;
   while (p && (q = strstr(p, "</script>")) != NULL)
      p = q + 9;
   return p ? p : "";
}

/* The number in the cell after `cell` (class="m" or "r") of the figures
 * table's row `row` (data-cat), commas dropped; -1 if not found. */
static long long shown(const char *dom, const char *row, const char *cell)
{
   char key[64], c[32];
   snprintf(key, sizeof key, "<tr data-cat=\"%s\"", row);
   const char *p = strstr(built(dom), "id=\"figures\"");
   p = p ? strstr(p, key) : NULL;
   snprintf(c, sizeof c, "class=\"%s\">", cell);
   p = p ? strstr(p, c) : NULL;
   if (p == NULL)
      return -1;
   long long v = 0;
   for (p += strlen(c); *p != '<'; p++) {
      if (*p == ',')
         continue;
      if (*p < '0' || *p > '9')
         return -1;
      v = v * 10 + (*p - '0');
   }
   return v;
}

/* The figures table shows snapshot `snap`'s figures (-1: the exit one). */
static void check_figures(const char *name, const char *dom, const char *file,
                          long snap)
{
   static const char *const cat[5] = { "heap_live", "heap_dead", "loader",
                                       "stack", "other" };
   unsigned long long v[RS_NFIG], tm = 0, tr = 0;
   check(file_figures(file, snap, v), "%s: the file has snapshot %ld's "
         "figures", name, snap);
   for (int c = 0; c < 5; c++) {
      check(shown(dom, cat[c], "m") == (long long)v[2 * c]
            && shown(dom, cat[c], "r") == (long long)v[2 * c + 1],
            "%s (snapshot %ld): %s shown %lld mapped, %lld resident; file "
            "%llu, %llu", name, snap, cat[c], shown(dom, cat[c], "m"),
            shown(dom, cat[c], "r"), v[2 * c], v[2 * c + 1]);
      tm += v[2 * c];
      tr += v[2 * c + 1];
   }
   check(shown(dom, "total", "m") == (long long)tm
         && shown(dom, "total", "r") == (long long)tr,
         "%s (snapshot %ld): totals %llu mapped, %llu resident", name, snap,
         tm, tr);
   char want[64];
   snprintf(want, sizeof want, "[heap_dead_res_B=%llu]", v[3]);
   const char *pre = strstr(built(dom), "id=\"answer\"");
   check(pre && strstr(pre, want), "%s (snapshot %ld): the answer states %s",
         name, snap, want);
}

/* The chart: one filled area per series, the retained area drawn, marks. */
static void check_chart(const char *name, const char *dom, int nareas,
                        const char *const *marks)
{
   int n = 0;
   const char *svg = strstr(built(dom), "<svg id=\"chart\"");
   const char *end = svg ? strstr(svg, "</svg>") : NULL;
   for (const char *p = svg; p && (p = strstr(p, "<path class=\"area ")) && p < end; p++)
      n++;
   check(n == nareas, "%s: %d areas in the chart (got %d)", name, nareas, n);
   const char *r = svg ? strstr(svg, "<path class=\"area retained\"") : NULL;
   const char *d = r ? strstr(r, " d=\"M") : NULL;
   check(nareas == 3 || (d && d < strchr(r, '>')),
         "%s: the retained area has a shape", name);
   for (; *marks; marks++) {
      char want[64];
      snprintf(want, sizeof want, "<g class=\"mark %s\"", *marks);
      check(strstr(built(dom), want) != NULL, "%s: mark '%s' in the chart", name,
            *marks);
   }
   check(strstr(dom, " data-rendered=\"") != NULL, "%s: the script ran",
         name);
}

/* The trees name `fn` (a node's data-name holds it, lower case). */
static void check_tree_names(const char *name, const char *dom, const char *fn)
{
   char want[200];
   snprintf(want, sizeof want, "class=\"node\" data-name=\"%s", fn);
   check(strstr(built(dom), want) != NULL, "%s: a tree node names %s", name, fn);
}

/* One page: DOM checks, then a screenshot kept as SHOT.png. */
static char *page(const char *file, const char *shot)
{
   char *out, *err, html[128];
   snprintf(html, sizeof html, "%s.html", shot);
   int rc = run_main(&out, &err, "--html", file, NULL);
   check(rc == 0, "rs_print --html %s exits 0", file);
   FILE *fp = fopen(html, "w");
   if (fp) {
      fputs(out, fp);
      fclose(fp);
   }
   free(out);
   free(err);
   char png[160];
   snprintf(png, sizeof png, "--screenshot=%s.png", shot);
   chrome(html, "", png, 5000);
   snprintf(png, sizeof png, "%s.png", shot);
   check(access(png, R_OK) == 0, "screenshot %s kept", png);
   return chrome(html, "", "--dump-dom", 5000);
}

/* The pointer moved over the chart just right of snapshot 1's dot, then
 * a click there: a copy of the page with a script appended that sends the
 * two mouse events (what a user does). */
static void hover_and_click(const char *file)
{
   static const char events[] =
      "<script>(function () {\n"
      "  var c = document.querySelector('#chart circle[data-snap=\"1\"]')"
      ".getBoundingClientRect();\n"
      "  var o = { clientX: c.left + c.width / 2 + 20, clientY: c.top - 40, "
      "bubbles: true };\n"
      "  var s = document.getElementById('chart');\n"
      "  s.dispatchEvent(new MouseEvent('mousemove', o));\n"
      "  s.dispatchEvent(new MouseEvent('click', o));\n"
      "  document.currentScript.remove();\n"
      "})();</script>\n</body>";
   size_t len;
   char *page = read_all("retained.html", &len);
   char *end = page ? strstr(page, "</body>") : NULL;
   FILE *fp = fopen("events.html", "w");
   if (end == NULL || fp == NULL) {
      check(0, "events.html written");
      if (fp)
         fclose(fp);
      free(page);
      return;
   }
   fprintf(fp, "%.*s%s%s", (int)(end - page), page, events, end + 7);
   fclose(fp);
   char *dom = chrome("events.html", "", "--dump-dom", 5000);
   unsigned long long v[RS_NFIG];
   char want[64];
   check(file_figures(file, 1, v), "retained.out: snapshot 1's figures");
   const char *tip = strstr(built(dom), "id=\"tip\"");
   const char *tip_end = tip ? strstr(tip, "</table>") : NULL;
   snprintf(want, sizeof want, ">%s B<", rs_commify(v[1], (char[RS_NUMBUF]){0}));
   check(tip && strstr(tip, ">Snapshot 1 ") && strstr(tip, want)
         && strstr(tip, want) < tip_end,
         "hover: the tip shows snapshot 1 with its live heap resident %s", want);
   check_figures("retained.out clicked", dom, file, 1);
   free(dom);
   free(page);
}

static void samples(void)
{
   static const char *const all[] = { "peak", "pret", "exit", NULL };
   static const char *const noexit[] = { "peak", "label", NULL };
   static const char *const plain[] = { "peak", NULL };
   size_t len;
   char *file = read_all(sample_path("retained.out"), &len), *dom;

   dom = page(sample_path("retained.out"), "retained");
   check_figures("retained.out", dom, file, -1);
   check_chart("retained.out", dom, 5, all);
   check_tree_names("retained.out", dom, "make_table (basic.c:20)");
   free(dom);
   /* another snapshot (what a click opens), mapped mode, a search */
   dom = chrome("retained.html", "#s=1&mode=map&q=make_table", "--dump-dom",
                5000);
   check_figures("retained.out #s=1", dom, file, 1);
   check_chart("retained.out mapped", dom, 6, all);
   check(strstr(built(dom), "class=\"node hit\" data-name=\"make_table (basic.c:20)\"")
         != NULL, "retained.out: the search highlights make_table");
   check(strstr(built(dom), "class=\"node\" data-name=\"make_index (basic.c:28)\"")
         != NULL, "retained.out: the search leaves make_index plain");
   free(dom);
   hover_and_click(file);
   /* zoomed on make_table (heap_live's first child) at the peak: main
    * fills the width under it; make_index is gone */
   dom = chrome("retained.html", "#s=1&z=heap_live:0", "--dump-dom", 5000);
   check(strstr(built(dom), "class=\"unzoom\"") != NULL
         && strstr(built(dom), "data-name=\"main (basic.c:40)\"") != NULL
         && strstr(built(dom), "data-name=\"make_index") == NULL,
         "retained.out: zoomed on make_table, main below it, make_index gone");
   free(dom);
   free(file);

   file = read_all(sample_path("noexit.out"), &len);
   dom = page(sample_path("noexit.out"), "noexit");
   check_figures("noexit.out", dom, file, 2);
   check_chart("noexit.out", dom, 5, noexit);
   free(dom);
   free(file);

   file = read_all(sample_path("arenas.out"), &len);
   dom = page(sample_path("arenas.out"), "arenas");
   check_figures("arenas.out", dom, file, -1);
   free(dom);
   free(file);

   dom = page(sample_path("massif.out"), "massif");
   check_chart("massif.out", dom, 3, plain);
   check(strstr(built(dom), "<tr data-key=\"useful heap\">") != NULL,
         "massif.out: Massif's figures shown");
   free(dom);
}

static void real_run(void)
{
   if (tool_run_client(client, "br_client", "client.out") != 0)
      return;
   size_t len;
   char *file = read_all("client.out", &len);
   char *dom = page("client.out", "client");
   static const char *const marks[] = { "peak", "exit", NULL };
   check_figures("client.out", dom, file, -1);
   check_chart("client.out", dom, 5, marks);
   check_tree_names("client.out", dom, "load_catalogue (br_client.c:8)");
   check_tree_names("client.out", dom, "main (br_client.c:");
   free(dom);
   free(file);
}

/* 1,000 snapshots, every 10th detailed, trees of about 10,000 nodes: the
 * time from navigation to the laid-out page, in real time. */
static void scale(void)
{
   char *out, *err;
   check(gen_big("big.out", 1000, 10) == 0, "generated big.out");
   int rc = run_main(&out, &err, "--html", "big.out", NULL);
   FILE *fp = fopen("big.html", "w");
   if (rc == 0 && fp)
      fputs(out, fp);
   if (fp)
      fclose(fp);
   free(out);
   free(err);
   long best = -1;
   for (int i = 0; i < 3 && (best < 0 || best >= 2000); i++) {
      char *dom = chrome("big.html", "", "--dump-dom", 0);
      const char *p = dom ? strstr(dom, " data-rendered=\"") : NULL;
      long ms = p ? strtol(p + 16, NULL, 10) : -1;
      const char *q = dom ? strstr(dom, " data-script-ms=\"") : NULL;
      printf("scale: big.html rendered in %ld ms (script %ld ms)\n", ms,
             q ? strtol(q + 17, NULL, 10) : -1);
      if (ms >= 0 && (best < 0 || ms < best))
         best = ms;
      free(dom);
   }
   check(best >= 0 && best < 2000, "big.html (1,000 snapshots, trees of "
         "~10,000 nodes) renders in %ld ms < 2 s", best);
   chrome("big.html", "", "--screenshot=big.png", 10000);
}

int main(void)
{
   if (unit_sh("command -v chromium >/dev/null 2>&1") == 0)
      browser = "chromium";
   else if (unit_sh("command -v chromium-browser >/dev/null 2>&1") == 0)
      browser = "chromium-browser";
   else {
      printf("skipped: chromium is not installed (apt-get install "
             "chromium)\n");
      return 77;
   }
   samples();
   real_run();
   scale();
   return unit_done();
}
