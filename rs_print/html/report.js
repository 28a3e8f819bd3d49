// rs_print --html: the page's script (embedded by html/embed.sh).  Plain
// JavaScript and hand-written SVG, no library.  Part of rssmassif,
// GPL-2.0-or-later.
'use strict';
(function () {
  var T0 = performance.now();
  var D = JSON.parse(document.getElementById('rs-data').textContent);
  var NM = JSON.parse(document.getElementById('rs-names').textContent);
  D.names = NM.names;
  // a snapshot's trees, parsed when first shown
  var treeCache = {};
  function treesOf(i) {
    if (!(i in treeCache)) {
      var e = document.getElementById('rs-tree-' + i);
      treeCache[i] = e ? JSON.parse(e.textContent) : null;
    }
    return treeCache[i];
  }
  var N = D.snaps.length;
  var CAT = ['heap_live', 'heap_dead', 'loader', 'stack', 'other'];
  var CATDESC = { heap_live: 'live heap', heap_dead: 'freed heap',
    loader: 'loader', stack: 'stacks', other: 'other' };
  var HUE = { heap_live: [217, 48], heap_dead: [352, 70], loader: [218, 10],
    stack: [130, 32], other: [40, 68] };
  var UNIT = { i: 'instructions', ms: 'ms', B: 'bytes allocated' };
  var state = { mode: D.rs ? 'res' : 'map', sel: D.sel, search: '' };
  var chart = null;

  function el(id) { return document.getElementById(id); }
  function esc(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;')
      .replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }
  function r1(v) { return Math.round(v * 10) / 10; }
  function commify(v) { return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  function human(v) {
    var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
    while (Math.abs(v) >= 1024 && i < u.length - 1) { v /= 1024; i++; }
    return (i ? v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0) : String(Math.round(v))) + ' ' + u[i];
  }
  function si(v) {
    var u = ['', 'k', 'M', 'G', 'T'], i = 0;
    while (v >= 1000 && i < u.length - 1) { v /= 1000; i++; }
    return (v < 10 && i ? v.toFixed(1) : Math.round(v)) + u[i];
  }
  function timeStr(t) { return commify(t) + ' ' + (D.unit === 'i' ? 'i' : D.unit); }

  // ---------------------------------------------------------------- series
  // The stacked series of a mode: [{key, name, color, val(i)}], bottom first.
  function series(mode) {
    if (!D.rs)
      return [
        { key: 'heap', name: 'useful heap', color: 'var(--live)', val: function (i) { return D.snaps[i][2][0]; } },
        { key: 'extra', name: 'extra heap', color: 'var(--rel)', val: function (i) { return D.snaps[i][2][1]; } },
        { key: 'stacks', name: 'stacks', color: 'var(--stack)', val: function (i) { return D.snaps[i][2][2]; } }];
    var m = function (c) { return function (i) { return D.snaps[i][2][c]; }; };
    var r = function (c) { return function (i) { return D.snaps[i][3][c]; }; };
    var s = [{ key: 'heap_live', name: 'live heap', color: 'var(--live)', val: mode === 'res' ? r(0) : m(0) },
      { key: 'retained', name: 'retained (freed heap, resident)', color: 'var(--ret)', val: r(1) }];
    if (mode === 'map')
      s.push({ key: 'released', name: 'released (freed heap, not resident)', color: 'var(--rel)',
        val: function (i) { return D.snaps[i][2][1] - D.snaps[i][3][1]; } });
    s.push({ key: 'loader', name: 'loader', color: 'var(--loader)', val: mode === 'res' ? r(2) : m(2) },
      { key: 'stack', name: 'stacks', color: 'var(--stack)', val: mode === 'res' ? r(3) : m(3) },
      { key: 'other', name: 'other', color: 'var(--other)', val: mode === 'res' ? r(4) : m(4) });
    return s;
  }
  function total(i, mode) {
    var a = D.snaps[i][mode === 'res' ? 3 : 2], t = 0;
    for (var k = 0; k < a.length; k++) t += a[k];
    return t;
  }

  // ------------------------------------------------------------ page frame
  function frame() {
    var modes = D.rs ? '<div class="toggle" id="mode"><button data-mode="res">Resident</button>' +
      '<button data-mode="map">Mapped</button></div>' : '<span class="note">plain Massif file: mapped heap bytes</span>';
    document.body.insertAdjacentHTML('beforeend',
      '<header><h1>rssmassif <span>report</span></h1><div class="meta">' + esc(D.cmd) +
      ' &nbsp;\u00b7&nbsp; ' + esc(D.file) + ' &nbsp;\u00b7&nbsp; ' + N + ' snapshots' +
      (D.page_B ? ' &nbsp;\u00b7&nbsp; page ' + D.page_B + ' B' : '') + '</div></header>' +
      '<main><section class="card"><div class="bar"><h2>Memory over time</h2>' +
      '<span class="grow"></span>' + modes + '</div><div class="summary" id="summary"></div>' +
      '<div id="chart-wrap"><svg id="chart"></svg><div class="tip" id="tip"></div></div>' +
      '<div class="legend" id="legend"></div></section>' +
      '<section class="card" id="snap"></section></main>');
    if (D.rs)
      el('mode').addEventListener('click', function (e) {
        var m = e.target.getAttribute('data-mode');
        if (m && m !== state.mode) { state.mode = m; render(); }
      });
  }

  // The headline figures: run-wide peaks.
  function summary() {
    var h = '', pk = D.peak;
    function stat(cls, label, v, sub) {
      return '<div class="stat ' + cls + '"><small>' + label + '</small><b>' + human(v) +
        '</b><small>' + sub + '</small></div>';
    }
    if (D.rs) {
      var ex = D.final;
      h += stat('ret', D.exit >= 0 ? 'Retained at exit' : 'Retained at the last snapshot',
        D.snaps[ex][3][1], commify(D.snaps[ex][3][1]) + ' B, snapshot ' + ex);
      if (D.pret >= 0)
        h += stat('ret', 'Retained peak', D.snaps[D.pret][3][1],
          commify(D.snaps[D.pret][3][1]) + ' B, snapshot ' + D.pret);
      h += stat('', 'Resident at the peak', total(pk, 'res'), 'snapshot ' + pk + ', ' + timeStr(D.snaps[pk][1]));
      h += stat('', 'Mapped at the peak', total(pk, 'map'), commify(total(pk, 'map')) + ' B');
    } else {
      h += stat('', 'Heap at the peak', D.snaps[pk][2][0] + D.snaps[pk][2][1], 'snapshot ' + pk);
    }
    el('summary').innerHTML = h;
  }

  // ------------------------------------------------------------------ chart
  function niceStep(max, n) {
    var raw = max / n, p = Math.pow(10, Math.floor(Math.log10(raw || 1))), m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }
  // A byte axis: [step, unit size, unit name] for about n ticks up to max.
  function byteAxis(max, n) {
    var b = max >= 4 * 1073741824 ? [1073741824, 'GiB'] : max >= 2097152 ? [1048576, 'MiB'] :
      max >= 4096 ? [1024, 'KiB'] : [1, 'B'];
    return [niceStep(max / b[0], n) * b[0], b[0], b[1]];
  }
  function tickLabel(v, ax) {
    var x = v / ax[1];
    return (Math.abs(x - Math.round(x)) < 1e-9 ? commify(Math.round(x)) : String(+x.toFixed(2))) + ' ' + ax[2];
  }

  function drawChart() {
    var svg = el('chart'), W = svg.clientWidth || 1000, H = svg.clientHeight || 340;
    var L = 78, R = 16, B = 40, pw = W - L - R;
    var ser = series(state.mode), tmax = D.snaps[N - 1][1] || 1, xmax = tmax * 1.04;
    var X = function (t) { return L + t / xmax * pw; };
    var ml = markList(X, W - 2), T = 18 + 14 * Math.max(1, ml.rows), ph = H - T - B;
    var ymax = 1, i, k;
    for (i = 0; i < N; i++) ymax = Math.max(ymax, total(i, state.mode === 'res' && D.rs ? 'res' : 'map'));
    var ax = byteAxis(ymax, 5), ystep = ax[0];
    ymax = Math.ceil(ymax * 1.04 / ystep) * ystep;
    var Y = function (v) { return T + ph - v / ymax * ph; };
    var h = '<g class="axis">';
    for (var v = 0; v <= ymax + 1; v += ystep)
      h += '<line class="grid" x1="' + L + '" x2="' + (L + pw) + '" y1="' + Y(v) + '" y2="' + Y(v) + '"/>' +
        '<text x="' + (L - 8) + '" y="' + (Y(v) + 4) + '" text-anchor="end">' + tickLabel(v, ax) + '</text>';
    var tstep = niceStep(xmax, Math.max(2, Math.floor(pw / 110)));
    for (var t = 0; t <= xmax; t += tstep)
      h += '<text x="' + X(t) + '" y="' + (T + ph + 16) + '" text-anchor="middle">' + si(t) + '</text>';
    h += '<text x="' + (L + pw) + '" y="' + (H - 4) + '" text-anchor="end">time (' +
      esc(UNIT[D.unit] || D.unit) + ')</text></g>';
    // stacked step areas: a snapshot's figures hold until the next one
    var base = new Array(N).fill(0), paths = '';
    for (k = 0; k < ser.length; k++) {
      var top = [], up = '', down = '';
      for (i = 0; i < N; i++) top.push(base[i] + Math.max(0, ser[k].val(i)));
      for (i = 0; i < N; i++) {
        var x0 = X(D.snaps[i][1]), x1 = X(i + 1 < N ? D.snaps[i + 1][1] : xmax);
        var yt = r1(Y(top[i]));
        up += (i ? 'L' : 'M') + r1(x0) + ',' + yt + 'L' + r1(x1) + ',' + yt;
      }
      for (i = N - 1; i >= 0; i--) {
        var a0 = X(D.snaps[i][1]), a1 = X(i + 1 < N ? D.snaps[i + 1][1] : xmax);
        var yb = r1(Y(base[i]));
        down += 'L' + r1(a1) + ',' + yb + 'L' + r1(a0) + ',' + yb;
      }
      paths += '<path class="area ' + ser[k].key + '" data-series="' + ser[k].key + '" fill="' + ser[k].color +
        '" d="' + up + down + 'Z"/>';
      base = top;
    }
    h += paths;
    // detailed snapshots: dots under the axis
    for (i = 0; i < N; i++)
      if (D.snaps[i][4])
        h += '<circle class="det" data-snap="' + i + '" cx="' + X(D.snaps[i][1]) + '" cy="' + (T + ph + 4) + '" r="2.5"/>';
    h += marks(ml, T, ph);
    h += '<line class="hover" id="hover" y1="' + T + '" y2="' + (T + ph) + '" visibility="hidden"/>' +
      '<line class="sel" id="selline" y1="' + T + '" y2="' + (T + ph) + '"/>' +
      '<rect id="overlay" x="' + L + '" y="' + T + '" width="' + pw + '" height="' + ph + '" fill="transparent"/>';
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    svg.innerHTML = h;
    chart = { X: X, L: L, pw: pw, xmax: xmax, ser: ser };
    var lg = '';
    for (k = ser.length - 1; k >= 0; k--)
      lg += '<span><i style="background:' + ser[k].color + '"></i>' + esc(ser[k].name) + '</span>';
    el('legend').innerHTML = lg + '<span>\u00b7 dots: detailed snapshots (click any point to open its snapshot)</span>';
    moveSel();
  }

  // Vertical marks: peak, retained peak, exit, labels, each [snapshot,
  // class, text, x, row]; the texts go in rows above the plot, no overlap.
  function markList(X, right) {
    var list = [], rows = [], i;
    list.push([D.peak, 'peak', 'peak']);
    if (D.pret >= 0 && D.snaps[D.pret][3][1] > 0) list.push([D.pret, 'pret', 'retained peak']);
    if (D.exit >= 0) list.push([D.exit, 'exit', 'exit']);
    for (i = 0; i < N; i++) if (D.snaps[i][5]) list.push([i, 'label', D.snaps[i][5]]);
    for (i = 0; i < list.length; i++) {
      var m = list[i], x = X(D.snaps[m[0]][1]), w = m[2].length * 6.5 + 8, row = 0;
      var x0 = x + w > right ? x - w : x;
      while (rows[row] !== undefined && rows[row].some(function (r) { return x0 < r[1] && x0 + w > r[0]; })) row++;
      (rows[row] = rows[row] || []).push([x0, x0 + w]);
      m.push(x, row, x0 !== x);
    }
    list.rows = rows.length;
    return list;
  }
  function marks(list, T, ph) {
    var h = '';
    for (var i = 0; i < list.length; i++) {
      var m = list[i], x = m[3], ty = T - 8 - m[4] * 14;
      h += '<g class="mark ' + m[1] + '" data-snap="' + m[0] + '"><line x1="' + x + '" x2="' + x + '" y1="' + (ty + 3) +
        '" y2="' + (T + ph) + '"/><text x="' + (m[5] ? x - 3 : x + 3) + '" y="' + ty + '"' +
        (m[5] ? ' text-anchor="end"' : '') + '>' + esc(m[2]) + '</text></g>';
    }
    return h;
  }

  // The snapshot in effect at chart x: the last one at or before it.
  function snapAt(px) {
    var t = (px - chart.L) / chart.pw * chart.xmax, lo = 0, hi = N - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (D.snaps[mid][1] <= t) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  function moveSel() {
    var x = chart.X(D.snaps[state.sel][1]), s = el('selline');
    s.setAttribute('x1', x); s.setAttribute('x2', x);
    var dots = document.querySelectorAll('#chart .det');
    for (var i = 0; i < dots.length; i++)
      dots[i].classList.toggle('on', +dots[i].getAttribute('data-snap') === state.sel);
  }
  function tipHtml(i) {
    var ser = chart.ser, h = '<div class="h">Snapshot ' + i + ' \u00b7 ' + esc(timeStr(D.snaps[i][1])) +
      (D.snaps[i][5] ? ' \u00b7 ' + esc(D.snaps[i][5]) : '') + '</div><table>';
    for (var k = ser.length - 1; k >= 0; k--)
      h += '<tr><td><i style="background:' + ser[k].color + '"></i>' + esc(ser[k].name) + '</td><td class="n">' +
        commify(ser[k].val(i)) + ' B</td><td class="n">' + human(ser[k].val(i)) + '</td></tr>';
    var tm = state.mode === 'res' && D.rs ? 'res' : 'map';
    h += '<tr><td><b>total ' + (tm === 'res' ? 'resident' : 'mapped') + '</b></td><td class="n"><b>' +
      commify(total(i, tm)) + ' B</b></td><td class="n">' + human(total(i, tm)) + '</td></tr></table>';
    return h;
  }
  function chartEvents() {
    var svg = el('chart'), tip = el('tip');
    svg.addEventListener('mousemove', function (e) {
      var r = svg.getBoundingClientRect(), px = (e.clientX - r.left) * (svg.viewBox.baseVal.width / r.width);
      if (px < chart.L || px > chart.L + chart.pw) { tip.style.display = 'none'; return; }
      var i = snapAt(px), hv = el('hover'), x = chart.X(D.snaps[i][1]);
      hv.setAttribute('x1', x); hv.setAttribute('x2', x); hv.setAttribute('visibility', 'visible');
      tip.innerHTML = tipHtml(i);
      tip.style.display = 'block';
      var left = e.clientX - r.left + 16;
      if (left + tip.offsetWidth > r.width) left = e.clientX - r.left - tip.offsetWidth - 16;
      tip.style.left = Math.max(0, left) + 'px';
      tip.style.top = Math.max(0, e.clientY - r.top - 20) + 'px';
    });
    svg.addEventListener('mouseleave', function () {
      tip.style.display = 'none';
      el('hover').setAttribute('visibility', 'hidden');
    });
    svg.addEventListener('click', function (e) {
      var g = e.target.closest('[data-snap]');
      var r = svg.getBoundingClientRect(), px = (e.clientX - r.left) * (svg.viewBox.baseVal.width / r.width);
      select(g ? +g.getAttribute('data-snap') : snapAt(px));
    });
  }

  // -------------------------------------------------------- snapshot view
  function select(i) {
    state.sel = Math.max(0, Math.min(N - 1, i));
    history.replaceState(null, '', '#s=' + state.sel + (state.mode === 'map' && D.rs ? '&mode=map' : ''));
    moveSel();
    snapView();
  }
  function latestTree(i) {
    for (; i >= 0; i--) if (D.snaps[i][4]) return i;
    return -1;
  }
  function figures(i) {
    var s = D.snaps[i], h = '<table class="fig" id="figures"><tr><th></th><th>mapped bytes</th><th>resident bytes</th><th></th></tr>';
    if (!D.rs) {
      var nm = ['useful heap', 'extra heap', 'stacks'];
      for (var k = 0; k < 3; k++)
        h += '<tr data-key="' + nm[k] + '"><td>' + nm[k] + '</td><td>' + commify(s[2][k]) + '</td><td>\u2013</td><td></td></tr>';
      return h + '</table>';
    }
    var tm = 0, tr = 0;
    for (var c = 0; c < 5; c++) {
      tm += s[2][c]; tr += s[3][c];
      h += '<tr data-cat="' + CAT[c] + '"' + (c === 1 ? ' class="ret"' : '') + '><td>' + CATDESC[CAT[c]] +
        (c === 1 ? ' (resident: retained)' : '') + '</td><td class="m">' + commify(s[2][c]) + '</td><td class="r">' +
        commify(s[3][c]) + '</td><td class="note">' + human(s[3][c]) + '</td></tr>';
    }
    return h + '<tr data-cat="total" class="tot"><td>total</td><td class="m">' + commify(tm) + '</td><td class="r">' +
      commify(tr) + '</td><td class="note">' + human(tr) + '</td></tr></table>';
  }
  function snapView() {
    var i = state.sel, s = D.snaps[i], ti = latestTree(i), tags = [];
    if (i === D.peak) tags.push('peak');
    if (i === D.pret) tags.push('retained peak');
    if (i === D.exit) tags.push('exit');
    if (s[5]) tags.push('label ' + s[5]);
    var h = '<div class="bar"><h2 id="snap-title">Snapshot ' + i + ' <small class="note">' + esc(timeStr(s[1])) +
      (tags.length ? ' \u00b7 ' + esc(tags.join(', ')) : '') + '</small></h2><span class="grow"></span>' +
      '<span class="note">open another: click the chart</span></div>' + figures(i) +
      '<details class="answer" open><summary>rs_print\'s answer for this snapshot</summary>' +
      '<pre class="answer" id="answer">' + esc(D.answers[i]) + '</pre></details>' +
      '<div class="bar trees-bar" style="margin-top:14px"><h2>Trees</h2><input id="search" type="search" ' +
      'placeholder="Highlight a function..." value="' + esc(state.search) + '"><span class="note" id="matches"></span>' +
      '<span class="grow"></span><span class="note">' + (ti < 0 ? '' : ti === i ? 'snapshot ' + i + ' is detailed' :
      'snapshot ' + i + ' has no tree: the latest detailed snapshot before it, ' + ti) + '</span></div><div id="trees"></div>';
    el('snap').innerHTML = h;
    el('search').addEventListener('input', function () { state.search = this.value; highlight(); });
    drawTrees(ti);
  }

  // ------------------------------------------------------------ flame graphs
  // Decodes [name,kids,mapped,res,...] (preorder) into nested nodes.
  function decode(flat) {
    var nodes = [], stack = [], i;
    for (i = 0; i < flat.length; i += 4) {
      var n = { name: D.names[flat[i]], m: flat[i + 2], r: flat[i + 3], kids: [], left: flat[i + 1] };
      nodes.push(n);
      if (stack.length) { var p = stack[stack.length - 1]; p.kids.push(n); p.left--; }
      while (stack.length && stack[stack.length - 1].left === 0) stack.pop();
      if (n.left > 0) stack.push(n);
    }
    return nodes[0];
  }
  function colorOf(cat, name) {
    var hs = HUE[cat] || [210, 30], x = 0;
    for (var i = 0; i < name.length; i++) x = (x * 31 + name.charCodeAt(i)) | 0;
    var l = 62 + (Math.abs(x) % 20), dh = (Math.abs(x >> 5) % 16) - 8;
    return 'hsl(' + (hs[0] + dh) + ',' + hs[1] + '%,' + l + '%)';
  }
  function drawTrees(ti) {
    var box = el('trees');
    if (ti < 0) { box.innerHTML = '<p class="note">No detailed snapshot at or before this one.</p>'; return; }
    var order = D.rs ? [1, 0, 2, 3, 4] : [-1], h = '', list = treesOf(ti), byRes = state.mode === 'res' || !D.rs;
    var W = box.clientWidth || 1000;
    for (var o = 0; o < order.length; o++) {
      var t = null;
      for (var k = 0; k < list.length; k++) if (list[k][0] === order[o]) t = list[k];
      if (!t) continue;
      var cat = order[o] >= 0 ? CAT[order[o]] : 'heap', full = decode(t[1]), root = full;
      var z = state.zoom && state.zoom.snap === ti && state.zoom.cat === cat ? state.zoom.path : null;
      for (var zi = 0; z && zi < z.length && root.kids[z[zi]]; zi++) root = root.kids[z[zi]];
      var res = root.r >= 0 && byRes;
      var val = res ? function (n) { return n.r; } : function (n) { return n.m; };
      if (val(root) === 0 && root.m === 0) continue;
      var html = [], depth = [0];
      layout(root, 0, W, 0, val, cat, html, depth, val(root), z ? z.join('.') : '');
      h += '<div class="tree" data-cat="' + cat + '"><h3>' + esc(cat) + ' <small>' +
        (root !== full ? esc(root.name) + ': <button type="button" class="unzoom">show the whole tree</button> \u00b7 ' : '') +
        commify(val(root)) + ' ' +
        (res ? 'resident' : 'mapped') + ' bytes (' + human(val(root)) + ')' +
        (byRes && !res && D.rs ? ' \u00b7 no #rs.tree_res: in the file, so mapped bytes' : '') +
        ' \u00b7 allocation sites on top, their callers below; click a box to zoom</small></h3><div class="flame" data-cat="' +
        cat + '" style="height:' +
        ((depth[0] + 1) * 20) + 'px">' + html.join('') + '</div></div>';
    }
    box.innerHTML = h || '<p class="note">The tree is empty.</p>';
    box.onclick = function (e) {
      var nd = e.target.closest('.node'), fl = e.target.closest('.flame');
      if (e.target.classList.contains('unzoom')) { e.preventDefault(); state.zoom = null; drawTrees(ti); return; }
      if (!nd || !fl) return;
      var p = nd.getAttribute('data-path'), cat = fl.getAttribute('data-cat');
      var base = state.zoom && state.zoom.snap === ti && state.zoom.cat === cat ? state.zoom.path : [];
      state.zoom = { snap: ti, cat: cat, path: base.concat(p === '' ? [] : p.split('.').map(Number)) };
      drawTrees(ti);
    };
    highlight();
  }
  function layout(n, x, w, d, val, cat, out, depth, whole, path) {
    if (w < 0.6) return;
    if (d > depth[0]) depth[0] = d;
    var v = val(n), pct = whole ? (100 * v / whole).toFixed(2) : '0.00';
    var title = n.name + '\n' + commify(v) + ' B (' + pct + '%)' + (n.r >= 0 ? '\nresident ' + commify(n.r) + ' B of ' +
      commify(n.m) + ' B mapped' : '\n' + commify(n.m) + ' B mapped');
    out.push('<div class="node" data-name="' + esc(n.name.toLowerCase()) + '" data-path="' + path + '" title="' + esc(title) +
      '" style="left:' + x.toFixed(1) + 'px;width:' + Math.max(1, w - 1).toFixed(1) + 'px;top:' + (d * 20) +
      'px;background:' + colorOf(cat, n.name) + '">' + (w > 24 ? esc(n.name) : '') + '</div>');
    var cx = x;
    for (var k = 0; k < n.kids.length; k++) {
      var cw = v ? w * val(n.kids[k]) / v : 0;
      layout(n.kids[k], cx, cw, d + 1, val, cat, out, depth, whole, path === '' ? String(k) : path + '.' + k);
      cx += cw;
    }
  }
  function highlight() {
    var q = state.search.trim().toLowerCase(), fl = document.querySelectorAll('.flame'), hits = 0;
    for (var i = 0; i < fl.length; i++) {
      fl[i].classList.toggle('searching', q !== '');
      var ns = fl[i].querySelectorAll('.node');
      for (var k = 0; k < ns.length; k++) {
        var on = q !== '' && ns[k].getAttribute('data-name').indexOf(q) >= 0;
        ns[k].classList.toggle('hit', on);
        if (on) hits++;
      }
    }
    var m = el('matches');
    if (m) m.textContent = q ? hits + ' node' + (hits === 1 ? '' : 's') + ' match' : '';
  }

  // ------------------------------------------------------------------ main
  function render() {
    if (D.rs) {
      var bs = document.querySelectorAll('#mode button');
      for (var i = 0; i < bs.length; i++) bs[i].classList.toggle('on', bs[i].getAttribute('data-mode') === state.mode);
    }
    drawChart();
    snapView();
  }
  var hs = /s=(\d+)/.exec(location.hash), hm = /mode=map/.test(location.hash);
  if (hs) state.sel = Math.min(N - 1, +hs[1]);
  if (hm) state.mode = 'map';
  if (state.search === '' && /q=([^&]*)/.test(location.hash)) state.search = decodeURIComponent(/q=([^&]*)/.exec(location.hash)[1]);
  var hz = /z=([a-z_]+):([0-9.]*)/.exec(location.hash);
  if (hz) state.zoom = { snap: latestTree(state.sel), cat: hz[1], path: hz[2] === '' ? [] : hz[2].split('.').map(Number) };
  frame();
  summary();
  render();
  chartEvents();
  var rt;
  window.addEventListener('resize', function () { clearTimeout(rt); rt = setTimeout(render, 150); });
  // for the tests: time since navigation start to the laid-out page, and
  // this script's share
  void document.body.offsetHeight;
  document.body.setAttribute('data-rendered', String(Math.round(performance.now())));
  document.body.setAttribute('data-script-ms', String(Math.round(performance.now() - T0)));
})();
