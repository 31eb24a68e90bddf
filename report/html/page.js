// corescope's HTML report: draws the runs the Go side put in the page,
// as the window draws them. Every word about a run comes from the Go side
// (runtext); this script only formats what the pointer reads.
'use strict';
(function () {
  // What the page tells its tests and the curious (from the console):
  // whether it has drawn, the errors it met, and each redraw's time in ms.
  const cs = window.corescope = { ready: false, errors: [], frames: [] };
  window.addEventListener('error', (e) => cs.errors.push(String(e.message)));
  const D = JSON.parse(document.getElementById('corescope-data').textContent);
  const app = document.getElementById('app');
  const readoutBox = document.getElementById('readout');
  const dpr = () => window.devicePixelRatio || 1;

  // ---- small helpers ----

  function el(tag, props, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k === 'style') e.style.cssText = v;
      else e.setAttribute(k, v);
    }
    for (const k of kids) if (k !== null && k !== undefined) e.append(k);
    return e;
  }

  // word is a CSS hex colour as an ImageData pixel: R, G, B, A bytes read
  // as one little-endian word, as every current browser's typed arrays are.
  function word(hex) {
    const v = parseInt(hex.slice(1), 16);
    return ((255 << 24) | ((v & 0xff) << 16) | (v & 0xff00) | (v >> 16)) >>> 0;
  }
  function rgb(hex) { const v = parseInt(hex.slice(1), 16); return [v >> 16, (v >> 8) & 0xff, v & 0xff]; }

  // heat[u] is the pixel of level u-1 (u = 0: not measured, the gap hatch).
  const heat = new Uint32Array(256);
  D.colors.heat.forEach((c, l) => { heat[l + 1] = word(c); });
  const gap = D.colors.gap.map((c) => word(c));
  const gapAt = (x, y) => gap[((x + y) >> 1) & 1];
  const idle = heat[1];
  const stripPx = word(D.colors.strip), othersPx = word(D.colors.others), markPx = word(D.colors.mark);
  const coreRGB = D.colors.cores.map(rgb);
  const coreOf = (cpu) => ((cpu % coreRGB.length) + coreRGB.length) % coreRGB.length;
  const taskPx = D.colors.tasks.map((c) => word(c));

  // Words of what the pointer reads, as the window words them.
  const timeText = (t) => t.toFixed(3) + ' s';
  function durationText(d) {
    if (d < 0.001) return (d * 1e6).toFixed(0) + ' µs';
    if (d < 1) return (d * 1e3).toFixed(1) + ' ms';
    return d.toFixed(2) + ' s';
  }
  const spanText = (a, b) => `${a.toFixed(3)}–${b.toFixed(3)} s, ${durationText(b - a)}`;
  const percent = (v) => (Number.isNaN(v) ? 'not measured' : Math.round(100 * v) + '%');
  const coresText = (v) => (Number.isNaN(v) ? 'not measured' : v.toFixed(2));

  // lowerBound is the first index of a (sorted) whose value is >= v.
  function lowerBound(a, v, n) {
    let lo = 0, hi = n === undefined ? a.length : n;
    while (lo < hi) { const m = (lo + hi) >> 1; if (a[m] < v) lo = m + 1; else hi = m; }
    return lo;
  }
  // span maps index i of n pixels onto m items: [lo, hi), never empty.
  function span(i, n, m) {
    const lo = Math.floor(i * m / n);
    return [lo, Math.max(Math.floor((i + 1) * m / n), lo + 1)];
  }

  // ---- the data ----

  async function unpack() {
    const b64 = JSON.parse(document.getElementById('corescope-blob').textContent);
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    if (typeof DecompressionStream === 'undefined') {
      throw new Error('this browser cannot unpack the report (it lacks DecompressionStream): open it in a current Firefox, Chrome, Edge or Safari');
    }
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).arrayBuffer();
  }

  const kinds = { u8: Uint8Array, u16: Uint16Array, f32: Float32Array, f64: Float64Array };
  let buf = null;
  const view = (a) => (a ? new kinds[a.t](buf, a.o, a.n) : null);

  // Cols is a run's samples: each column's end, its rows' levels per
  // layer (0 the machine's, 1 the subject's), kept shifted (0: not
  // measured, l+1: level l) so a plain maximum passes over gaps, and a
  // pyramid of maxima over 2, 4, 8... columns so a pixel reads few.
  class Cols {
    constructor(c) {
      this.n = c.n; this.rows = c.rows; this.perRow = c.perRow; this.merged = c.merged; this.start = c.start;
      this.end = view(c.end);
      this.mid = new Float64Array(this.n);
      for (let i = 0; i < this.n; i++) this.mid[i] = (this.startOf(i) + this.end[i]) / 2;
      const shift = (a) => { if (!a) return null; const s = new Uint8Array(a.length); for (let i = 0; i < a.length; i++) s[i] = (a[i] + 1) & 255; return s; };
      this.levels = [shift(view(c.busy)), shift(view(c.subj))];
      this.tiers = [[null, null], [null, null]]; // [layer][sorted]
      // Prefix sums of mean busy cores x length, and of the length they
      // were measured over, so any stretch's mean costs two reads.
      this.sums = [c.busyMean, c.subjMean].map((a) => {
        const m = view(a);
        if (!m) return null;
        const sum = new Float64Array(this.n + 1), len = new Float64Array(this.n + 1);
        for (let i = 0; i < this.n; i++) {
          const d = this.end[i] - this.startOf(i), ok = !Number.isNaN(m[i]);
          sum[i + 1] = sum[i] + (ok ? m[i] * d : 0);
          len[i + 1] = len[i] + (ok ? d : 0);
        }
        return { sum, len };
      });
    }
    startOf(i) { return i > 0 ? this.end[i - 1] : this.start; }
    has(layer) { return this.levels[layer] !== null; }
    // pyramid of layer, its columns sorted busiest first when sorted.
    pyramid(layer, sorted) {
      let t = this.tiers[layer][sorted ? 1 : 0];
      if (t) return t;
      const R = this.rows;
      let base = this.levels[layer];
      if (sorted) {
        base = base.slice();
        for (let j = 0; j < this.n; j++) base.subarray(j * R, (j + 1) * R).sort().reverse();
      }
      t = [base];
      for (let m = this.n; m > 1;) {
        const below = t[t.length - 1], up = Math.ceil(m / 2), next = new Uint8Array(up * R);
        for (let j = 0; j < up; j++) {
          const a = 2 * j * R, b = a + R, o = j * R, pair = 2 * j + 1 < m;
          for (let r = 0; r < R; r++) next[o + r] = pair ? Math.max(below[a + r], below[b + r]) : below[a + r];
        }
        t.push(next);
        m = up;
      }
      this.tiers[layer][sorted ? 1 : 0] = t;
      return t;
    }
    // columns [i0, i1) a pixel showing t0..t1 shows: those whose middle
    // falls in it, or else the one that holds its centre; null outside.
    columns(t0, t1) {
      const i0 = lowerBound(this.mid, t0), i1 = lowerBound(this.mid, t1);
      if (i1 > i0) return [i0, i1];
      const tc = (t0 + t1) / 2;
      if (i0 > 0 && this.end[i0 - 1] > tc) return [i0 - 1, i0];
      if (i0 < this.n && this.startOf(i0) <= tc) return [i0, i0 + 1];
      return null;
    }
    // raise out (rows) to the highest of columns [i0, i1) of the pyramid.
    raise(out, tiers, i0, i1) {
      const R = this.rows;
      let l = i0, r = i1, k = 0;
      while (l < r) {
        const t = tiers[k];
        if (l & 1) { for (let q = 0, o = l * R; q < R; q++) if (t[o + q] > out[q]) out[q] = t[o + q]; l++; }
        if (r & 1) { r--; for (let q = 0, o = r * R; q < R; q++) if (t[o + q] > out[q]) out[q] = t[o + q]; }
        l >>= 1; r >>= 1; k++;
      }
    }
    mean(layer, i0, i1) {
      const s = this.sums[layer];
      if (!s) return NaN;
      const len = s.len[i1] - s.len[i0];
      return len > 0 ? (s.sum[i1] - s.sum[i0]) / len : NaN;
    }
  }

  // Slices is a run's lanes' slices (or tasks): sorted by start, with the
  // longest's length, so a window's are found without visiting the rest.
  class Spans {
    constructor(start, dur, who, extra) {
      this.start = start; this.dur = dur; this.who = who; this.extra = extra;
      this.n = start ? start.length : 0;
      this.longest = 0;
      for (let i = 0; i < this.n; i++) this.longest = Math.max(this.longest, dur[i]);
    }
    // each calls f(i) for the spans that overlap from..to.
    each(from, to, f) {
      for (let i = lowerBound(this.start, from - this.longest, this.n); i < this.n && this.start[i] < to; i++) {
        if (this.start[i] + this.dur[i] > from) f(i);
      }
    }
  }

  // ---- the time view: a port of the window's timeView ----

  class TimeView {
    constructor(lo, hi, minSpan) { this.lo = lo; this.hi = Math.max(hi, lo); this.minSpan = minSpan; this.zoomed = false; this.from = lo; this.to = hi; }
    window() { return this.zoomed ? [this.from, this.to] : [this.lo, this.hi]; }
    zoom(factor, around) {
      if (!(factor > 0) || !Number.isFinite(factor)) return;
      const [from, to] = this.window(), sp = to - from;
      if (!(sp > 0)) return;
      const ext = this.hi - this.lo;
      const n = Math.max(Math.min(sp * factor, ext), Math.min(this.minSpan, ext));
      const at = Math.max(0, Math.min((around - from) / sp, 1));
      this.set(around - at * n, n);
    }
    pan(dt) { if (this.zoomed) this.set(this.from + dt, this.to - this.from); }
    fit() { this.zoomed = false; }
    set(from, sp) {
      const ext = this.hi - this.lo;
      if (sp >= ext) { this.zoomed = false; return; }
      sp = Math.max(sp, Math.min(this.minSpan, ext));
      from = Math.max(this.lo, Math.min(from, this.hi - sp));
      this.from = from; this.to = from + sp; this.zoomed = true;
    }
  }

  // niceStep is the window's and the PNG's axis step: 1, 2 or 5 times a
  // power of ten, about n steps over sp.
  function niceStep(sp, n) {
    if (n < 1 || !(sp > 0)) return 0;
    const raw = sp / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5]) if (m * mag >= raw) return m * mag;
    return 10 * mag;
  }

  // ---- state ----

  const state = { sorted: !!D.sorted, whole: true, runs: [], pictures: [], view: null, pointer: null };

  // ---- painting ----

  // fitCanvas sizes a canvas's pixels to its box on screen.
  function fitCanvas(c, cssH) {
    const w = Math.max(1, Math.round(c.clientWidth * dpr())), h = Math.max(1, Math.round(cssH * dpr()));
    if (c.width !== w || c.height !== h) { c.width = w; c.height = h; c.img = null; }
    c.style.height = cssH + 'px';
    if (!c.img) { c.img = c.getContext('2d').createImageData(w, h); c.px = new Uint32Array(c.img.data.buffer); }
    return c.px;
  }

  // plan maps w pixel columns of the window onto a run's columns: the
  // range of each, null outside the run.
  function plan(cols, from, to, w) {
    const out = new Array(w);
    for (let x = 0; x < w; x++) out[x] = cols.columns(from + (to - from) * x / w, from + (to - from) * (x + 1) / w);
    return out;
  }

  function paintHeat(c, run, layer, from, to) {
    const cols = run.cols, px = fitCanvas(c, c.cssH), w = c.width, h = c.height;
    px.fill(0);
    if (cols && cols.has(layer)) {
      const R = cols.rows, tiers = cols.pyramid(layer, state.sorted), grid = new Uint8Array(w * R);
      const ranges = plan(cols, from, to, w);
      let prev = null;
      for (let x = 0; x < w; x++) {
        const rg = ranges[x];
        if (!rg) continue;
        const col = grid.subarray(x * R, (x + 1) * R);
        if (prev && prev[0] === rg[0] && prev[1] === rg[1]) col.set(grid.subarray((x - 1) * R, x * R));
        else cols.raise(col, tiers, rg[0], rg[1]);
        prev = rg;
      }
      for (let y = 0; y < h; y++) {
        const [r0, r1] = span(y, h, R), row = y * w;
        for (let x = 0; x < w; x++) {
          if (!ranges[x]) continue;
          let u = 0;
          for (let r = r0, o = x * R; r < r1; r++) if (grid[o + r] > u) u = grid[o + r];
          px[row + x] = u ? heat[u] : gapAt(x, y);
        }
      }
    }
    c.getContext('2d').putImageData(c.img, 0, 0);
  }

  function paintStrip(c, run, from, to) {
    const cols = run.cols, px = fitCanvas(c, c.cssH), w = c.width, h = c.height, cores = run.cores;
    px.fill(0);
    if (cols && cores > 0) {
      const rowsOf = (v) => Math.max(0, Math.min(h, Math.round(v / cores * h)));
      const markAll = h - rowsOf(cores), markOne = Math.min(h - rowsOf(1), h - 1);
      const subject = cols.has(1);
      for (let x = 0; x < w; x++) {
        const rg = cols.columns(from + (to - from) * x / w, from + (to - from) * (x + 1) / w);
        if (!rg) continue;
        const all = cols.mean(0, rg[0], rg[1]), own = subject ? cols.mean(1, rg[0], rg[1]) : all;
        const ot = Number.isNaN(all) ? -1 : h - rowsOf(all), t = Number.isNaN(own) ? -1 : h - rowsOf(own);
        for (let y = 0; y < h; y++) {
          let p = idle;
          if (y === markOne || y === markAll) p = markPx;
          else if (ot < 0 || (t < 0 && y >= ot)) p = gapAt(x, y);
          else if (y >= t) p = stripPx;
          else if (y >= ot) p = othersPx;
          px[y * w + x] = p;
        }
      }
    }
    c.getContext('2d').putImageData(c.img, 0, 0);
  }

  // Lane geometry in CSS pixels: a process's heading, a lane, its bar and
  // the task span under it.
  const groupH = 20, laneH = 16, barY = 2, barH = 9, taskY = 12, taskH = 3;

  function paintLanes(c, run, from, to) {
    const L = run.lanes, px = fitCanvas(c, L.height), w = c.width, s = dpr();
    px.fill(0xffffffff);
    const n = L.count, cover = new Float32Array(n * w), best = new Float32Array(n * w), core = new Uint16Array(n * w);
    const scale = w / (to - from);
    L.slices.each(from, to, (i) => {
      const lane = L.threads[L.slices.who[i]].lane, s0 = L.slices.start[i];
      const x0 = (s0 - from) * scale, x1 = (s0 + L.slices.dur[i] - from) * scale;
      const a = Math.max(0, Math.floor(x0)), b = Math.min(w, Math.ceil(x1));
      for (let x = a; x < b; x++) {
        const share = Math.min(x1, x + 1) - Math.max(x0, x), k = lane * w + x;
        cover[k] += share;
        if (share > best[k]) { best[k] = share; core[k] = L.slices.extra[i]; }
      }
    });
    for (let lane = 0; lane < n; lane++) {
      const top = Math.round(L.laneTop[lane] * s), stripe = lane % 2 === 1, bg = stripe ? 0xf4 : 0xff;
      if (stripe) for (let y = top; y < Math.round((L.laneTop[lane] + laneH) * s); y++) px.fill(0xfff4f4f4, y * w, (y + 1) * w);
      const y0 = top + Math.round(barY * s), y1 = top + Math.round((barY + barH) * s);
      for (let x = 0; x < w; x++) {
        const f = cover[lane * w + x];
        if (!(f > 0)) continue;
        const a = 0.3 + 0.7 * Math.min(f, 1), rgbv = coreRGB[coreOf(core[lane * w + x])];
        const mix = (v) => Math.round(bg + (v - bg) * a);
        const p = ((255 << 24) | (mix(rgbv[2]) << 16) | (mix(rgbv[1]) << 8) | mix(rgbv[0])) >>> 0;
        for (let y = y0; y < y1; y++) px[y * w + x] = p;
      }
    }
    const T = L.tasks;
    T.each(from, to, (i) => {
      const lane = L.threads[T.who[i]].lane, top = Math.round((L.laneTop[lane] + taskY) * s);
      const x0 = Math.max(0, Math.floor((T.start[i] - from) * scale));
      const x1 = Math.min(w, Math.max(x0 + 1, Math.ceil((T.start[i] + T.dur[i] - from) * scale)));
      const p = taskPx[T.extra[i] & 1 ? 1 : 0];
      for (let y = top; y < top + Math.max(1, Math.round(taskH * s)); y++) px.fill(p, y * w + x0, y * w + x1);
    });
    for (const g of L.groupTop) px.fill(0xffcccccc, (Math.round((g + groupH) * s) - 1) * w, Math.round((g + groupH) * s) * w);
    c.getContext('2d').putImageData(c.img, 0, 0);
  }

  // paintAxis draws the seconds of the window and the subject's life.
  function paintAxis(c, run, from, to) {
    fitCanvas(c, c.cssH);
    const ctx = c.getContext('2d'), w = c.width, s = dpr();
    ctx.clearRect(0, 0, w, c.height);
    const x = (t) => (t - from) / (to - from) * w;
    if (run && run.life) {
      ctx.fillStyle = run.color;
      const a = Math.max(0, x(run.life[0])), b = Math.min(w, x(run.life[1]));
      if (b > a) ctx.fillRect(a, 2 * s, Math.max(1, b - a), 3 * s);
    }
    const step = niceStep(to - from, Math.max(2, Math.floor(w / s / 110)));
    if (!step) return;
    const dec = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
    ctx.fillStyle = '#666';
    ctx.font = `${11 * s}px system-ui, sans-serif`;
    for (let t = Math.ceil(from / step - 1e-9) * step; t <= to + step * 1e-9; t += step) {
      const px = Math.round(x(t));
      ctx.fillRect(px, 6 * s, Math.max(1, Math.round(s)), 5 * s);
      ctx.textAlign = px < 20 * s ? 'left' : px > w - 30 * s ? 'right' : 'center';
      ctx.fillText(t.toFixed(dec) + ' s', px, 22 * s);
    }
  }

  // paintChart draws every recorded run's busy cores over the window: the
  // subject's line solid, other programs' dashed.
  function paintChart(c, from, to) {
    fitCanvas(c, c.cssH);
    const ctx = c.getContext('2d'), w = c.width, h = c.height, s = dpr();
    ctx.clearRect(0, 0, w, h);
    const top = state.chartTop, y = (v) => h - 4 * s - v / top * (h - 14 * s);
    ctx.strokeStyle = '#ddd'; ctx.fillStyle = '#666'; ctx.lineWidth = 1; ctx.font = `${11 * s}px system-ui, sans-serif`;
    const step = niceStep(top, 5);
    for (let v = 0; v <= top + 1e-9; v += step) {
      ctx.beginPath(); ctx.moveTo(0, Math.round(y(v)) + 0.5); ctx.lineTo(w, Math.round(y(v)) + 0.5); ctx.stroke();
      ctx.fillText(String(+v.toFixed(2)), 4 * s, y(v) - 2 * s);
    }
    const cols = Math.max(1, Math.floor(w / s));
    for (const run of state.runs) {
      if (!run.cols || run.watched) continue;
      const layers = run.cols.has(1) ? [[1, []], [0, [5 * s, 4 * s]]] : [[0, []]];
      for (const [layer, dash] of layers) {
        ctx.strokeStyle = run.color; ctx.lineWidth = 2 * s; ctx.setLineDash(dash); ctx.globalAlpha = layer === 1 || !run.cols.has(1) ? 1 : 0.6;
        ctx.beginPath();
        let drawing = false;
        for (let k = 0; k < cols; k++) {
          const rg = run.cols.columns(from + (to - from) * k / cols, from + (to - from) * (k + 1) / cols);
          let v = rg ? run.cols.mean(layer, rg[0], rg[1]) : NaN;
          if (layer === 0 && run.cols.has(1) && rg) v = Math.max(0, v - run.cols.mean(1, rg[0], rg[1]));
          if (Number.isNaN(v)) { drawing = false; continue; }
          const px = (k + 0.5) * w / cols;
          if (drawing) ctx.lineTo(px, y(v)); else ctx.moveTo(px, y(v));
          drawing = true;
        }
        ctx.stroke();
      }
    }
    ctx.setLineDash([]); ctx.globalAlpha = 1;
  }

  // draw repaints every picture over the view's window, once a frame.
  function draw() {
    const t0 = performance.now();
    const [from, to] = state.view.window();
    for (const p of state.pictures) {
      if (p.canvas.hidden) continue;
      if (p.kind === 'heat') paintHeat(p.canvas, p.run, p.layer, from, to);
      else if (p.kind === 'strip') paintStrip(p.canvas, p.run, from, to);
      else if (p.kind === 'lanes') paintLanes(p.canvas, p.run, from, to);
      else if (p.kind === 'axis') paintAxis(p.canvas, p.run, from, to);
      else if (p.kind === 'chart') paintChart(p.canvas, from, to);
    }
    state.windowText.textContent = `showing ${spanText(from, to)}` + (state.view.zoomed ? '' : ' (all)');
    const ms = performance.now() - t0;
    cs.frames.push(ms);
    if (cs.frames.length > 200) cs.frames.shift();
    if (state.pointer) showReadout(state.pointer);
    return ms;
  }
  let pending = false;
  function redraw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; draw(); });
  }

  // ---- readouts ----

  function showReadout(ptr) {
    const text = ptr.picture ? readout(ptr.picture, ptr.x, ptr.y) : '';
    if (!text) { readoutBox.hidden = true; readoutBox.textContent = ''; return; }
    readoutBox.textContent = text;
    readoutBox.hidden = false;
    const bw = readoutBox.offsetWidth, bh = readoutBox.offsetHeight;
    let x = ptr.clientX + 12, y = ptr.clientY + 12;
    if (x + bw > window.innerWidth) x = Math.max(0, ptr.clientX - 12 - bw);
    if (y + bh > window.innerHeight) y = Math.max(0, ptr.clientY - 12 - bh);
    readoutBox.style.left = x + 'px'; readoutBox.style.top = y + 'px';
  }

  // pixelTime is the time a pixel column x (CSS) of canvas c shows.
  function pixelTime(c, x) {
    const [from, to] = state.view.window(), w = c.width, col = Math.floor(x * dpr());
    return [from + (to - from) * col / w, from + (to - from) * (col + 1) / w];
  }

  function readout(p, x, y) {
    if (p.kind === 'heat') return heatReadout(p, x, y);
    if (p.kind === 'strip') return stripReadout(p, x);
    if (p.kind === 'lanes') return laneReadout(p, x, y);
    if (p.kind === 'chart') return chartReadout(p, x);
    return '';
  }

  // stretch is what the run's columns under pixel x hold: when, how many
  // samples, or null.
  function stretch(p, x) {
    const cols = p.run.cols;
    if (!cols) return null;
    const [t0, t1] = pixelTime(p.canvas, x), rg = cols.columns(t0, t1);
    if (!rg) return null;
    const samples = Math.min((rg[1] - rg[0]) * cols.merged, Number.MAX_SAFE_INTEGER);
    let when = spanText(cols.startOf(rg[0]), cols.end[rg[1] - 1]);
    if (samples > 1) when += ` · ${samples} samples`;
    return { rg, samples, when };
  }

  function heatReadout(p, x, y) {
    const st = stretch(p, x), cols = p.run.cols;
    if (!st) return '';
    const c = p.canvas, R = cols.rows;
    const [r0, r1] = span(Math.min(Math.floor(y * dpr()), c.height - 1), c.height, R);
    const c0 = r0 * cols.perRow, c1 = Math.min(r1 * cols.perRow, p.run.cores);
    // A cluster's cores are numbered from 0 on each node, as its CSV numbers them.
    const node = !state.sorted && p.run.nodes ? p.run.nodes.find((n) => c0 >= n.first && c0 < n.first + n.cores) : null;
    const base = node ? node.first : 0;
    let where = `core ${c0 - base}`;
    if (c1 - c0 > 1 && state.sorted) where = `#${c0 + 1}–#${c1} busiest cores`;
    else if (c1 - c0 > 1) where = `cores ${c0 - base}–${c1 - 1 - base}`;
    else if (state.sorted) where = `#${c0 + 1} busiest core`;
    if (node) where += ` of ${node.name}`;
    const busiest = st.samples > 1 || c1 - c0 > 1 ? 'busiest: ' : '';
    const top = (layer) => {
      if (!cols.has(layer)) return NaN;
      const out = new Uint8Array(R);
      cols.raise(out, cols.pyramid(layer, state.sorted), st.rg[0], st.rg[1]);
      let u = 0;
      for (let r = r0; r < r1; r++) u = Math.max(u, out[r]);
      return u ? (u - 1) / (D.colors.heat.length - 1) : NaN;
    };
    if (!cols.has(1)) return `${st.when} · ${where}\n${busiest}machine ${percent(top(0))}`;
    return `${st.when} · ${where}\n${busiest}subject ${percent(top(1))} · machine ${percent(top(0))}`;
  }

  function stripReadout(p, x) {
    const st = stretch(p, x), cols = p.run.cols;
    if (!st) return '';
    const mean = st.samples > 1 ? 'mean: ' : '', all = cols.mean(0, st.rg[0], st.rg[1]);
    if (!cols.has(1)) return `${st.when}\n${mean}machine ${coresText(all)} of ${p.run.cores} cores busy`;
    const own = cols.mean(1, st.rg[0], st.rg[1]);
    return `${st.when}\n${mean}subject ${coresText(own)} cores · other programs ${coresText(Math.max(all - own, 0))} cores`;
  }

  function chartReadout(p, x) {
    const lines = [];
    const [t0, t1] = pixelTime(p.canvas, x);
    for (const run of state.runs) {
      if (!run.cols || run.watched) continue;
      const rg = run.cols.columns(t0, t1);
      if (!rg) continue;
      const all = run.cols.mean(0, rg[0], rg[1]);
      if (!run.cols.has(1)) { lines.push(`${run.name}: machine ${coresText(all)} cores`); continue; }
      const own = run.cols.mean(1, rg[0], rg[1]);
      lines.push(`${run.name}: subject ${coresText(own)} · other programs ${coresText(Math.max(all - own, 0))} cores`);
    }
    return lines.length ? `${spanText(t0, t1)}\n${lines.join('\n')}` : '';
  }

  // laneReadout words a lane at a pixel as the window does: the thread, the
  // time, its core and slice there, and its task.
  function laneReadout(p, x, y) {
    const L = p.run.lanes, lane = L.laneAt(y);
    if (lane < 0) return '';
    const [t0, t1] = pixelTime(p.canvas, x), mid = (t0 + t1) / 2;
    let best = 0, hit = -1;
    L.slices.each(t0, t1, (i) => {
      const th = L.threads[L.slices.who[i]];
      if (th.lane !== lane) return;
      const s = L.slices.start[i], over = Math.min(s + L.slices.dur[i], t1) - Math.max(s, t0);
      if (hit < 0 || over > best) { best = over; hit = i; }
    });
    const merges = lane === L.foldLane;
    let th = hit >= 0 ? L.slices.who[hit] : L.laneThread[lane];
    if (merges && hit < 0) th = -1;
    let who;
    if (th < 0) who = L.fold;
    else {
      const t = L.threads[th];
      who = t.process ? `${t.process} (pid ${t.pid}) tid ${t.tid}` : `pid ${t.pid} tid ${t.tid}`;
      if (t.name && t.name !== t.process) who += ' ' + t.name;
      if (merges) who += ', one of ' + L.fold;
    }
    let on = 'not on a core';
    if (hit >= 0) {
      const s = L.slices.start[hit];
      on = `core ${L.slices.extra[hit]} (${spanText(s, s + L.slices.dur[hit])})`;
    }
    let task = 'no task', started = -Infinity;
    if (th >= 0) {
      L.tasks.each(mid, mid, (i) => {
        if (L.tasks.who[i] === th && L.tasks.start[i] <= mid && L.tasks.start[i] > started) { started = L.tasks.start[i]; task = `task ${L.tasks.extra[i]}`; }
      });
    }
    return `${who}\n${timeText(mid)} · ${on} · ${task}`;
  }

  // ---- gestures, as the window's timeGestures ----

  const keyZoom = 2, keyPan = 0.1, pxPerDoubling = 200;

  function step(change) {
    const [a, b] = state.view.window();
    change();
    const [c, d] = state.view.window();
    if (a !== c || b !== d) redraw();
  }
  const zoomAt = (factor, frac) => step(() => { const [f, t] = state.view.window(); state.view.zoom(factor, f + frac * (t - f)); });
  const panBy = (by) => step(() => { const [f, t] = state.view.window(); state.view.pan(by * (t - f)); });
  const fit = () => step(() => state.view.fit());

  function timed(canvas, picture) {
    state.pictures.push(picture);
    picture.canvas = canvas;
    const frac = (e) => Math.max(0, Math.min(e.offsetX / canvas.clientWidth, 1));
    canvas.addEventListener('wheel', (e) => {
      e.preventDefault();
      const unit = e.deltaMode === 1 ? 33 : e.deltaMode === 2 ? 800 : 1;
      if (e.deltaX !== 0 && Math.abs(e.deltaX) > Math.abs(e.deltaY)) panBy(e.deltaX * unit / canvas.clientWidth);
      else if (e.shiftKey) panBy(e.deltaY * unit / canvas.clientWidth);
      else zoomAt(Math.pow(2, e.deltaY * unit / pxPerDoubling), frac(e));
    }, { passive: false });
    let drag = null;
    canvas.addEventListener('pointerdown', (e) => {
      if (picture.kind === 'axis') return;
      state.focus.focus({ preventScroll: true });
      drag = e.clientX;
      canvas.setPointerCapture(e.pointerId);
      canvas.classList.add('dragging');
    });
    canvas.addEventListener('pointerup', (e) => { drag = null; canvas.releasePointerCapture(e.pointerId); canvas.classList.remove('dragging'); });
    canvas.addEventListener('pointermove', (e) => {
      if (drag !== null) { panBy(-(e.clientX - drag) / canvas.clientWidth); drag = e.clientX; }
      state.pointer = { picture, x: e.offsetX, y: e.offsetY, clientX: e.clientX, clientY: e.clientY };
      showReadout(state.pointer);
    });
    canvas.addEventListener('pointerleave', () => { state.pointer = null; showReadout({}); });
  }

  // The keys act once a picture was clicked (which focuses the runs), as
  // in the window, so that elsewhere the arrows still scroll the page.
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || document.activeElement !== state.focus) return;
    const keys = { '+': () => zoomAt(1 / keyZoom, 0.5), '=': () => zoomAt(1 / keyZoom, 0.5), '-': () => zoomAt(keyZoom, 0.5),
      '_': () => zoomAt(keyZoom, 0.5), '0': fit, Home: fit, ArrowLeft: () => panBy(-keyPan), ArrowRight: () => panBy(keyPan) };
    const f = keys[e.key];
    if (f) { e.preventDefault(); f(); }
  });

  // ---- the page ----

  function header() {
    const scale = el('canvas', { width: 256, height: 1 });
    const ctx = scale.getContext('2d'), img = ctx.createImageData(256, 1), px = new Uint32Array(img.data.buffer);
    for (let x = 0; x < 256; x++) px[x] = heat[1 + Math.round(x / 255 * (D.colors.heat.length - 1))];
    ctx.putImageData(img, 0, 0);
    const keys = el('div', {}, el('div', { class: 'key' }, '0% idle', scale, '100% busy'));
    const strip = el('div', { class: 'key' }, 'Strip: ');
    if (D.runs.some((r) => !r.watched)) strip.append(el('span', { class: 'swatch', style: `background:${D.colors.strip}` }), 'the subject ', el('span', { class: 'swatch', style: `background:${D.colors.others}` }), 'other programs ');
    strip.append(el('span', { class: 'swatch hatch' }), 'not measured');
    keys.append(strip);
    app.append(el('div', { class: 'head' },
      el('div', {}, el('h1', { text: 'corescope report' }), el('p', { class: 'muted', text: D.date || '' }),
        el('p', { text: D.machine }), el('p', { text: D.spec })),
      keys));
  }

  function controls() {
    const order = el('select', { 'aria-label': 'Order of the heatmaps\' rows' }, el('option', { value: 'core', text: 'By core' }), el('option', { value: 'sorted', text: 'Sorted' }));
    order.value = state.sorted ? 'sorted' : 'core';
    order.addEventListener('change', () => { state.sorted = order.value === 'sorted'; relabel(); redraw(); });
    const whole = el('input', { type: 'checkbox', id: 'whole' });
    whole.checked = state.whole;
    whole.addEventListener('change', () => { state.whole = whole.checked; for (const m of state.machines) m.hidden = !state.whole; draw(); });
    const fitBtn = el('button', { type: 'button', text: 'Fit' });
    fitBtn.addEventListener('click', fit);
    state.windowText = el('span', { class: 'window' });
    app.append(el('div', { class: 'controls' }, order, el('label', {}, whole, ' Whole machine'), fitBtn, state.windowText,
      el('span', { class: 'hint', text: 'Zoom: mouse wheel or + and -  ·  pan: drag, shift+wheel or ← →  ·  0 fits (click a picture first for the keys)  ·  point at a picture for its readout' })));
  }

  // relabel names the heatmaps' top and bottom rows for the order shown.
  function relabel() {
    for (const g of state.rowLabels) {
      g.top.textContent = state.sorted ? 'busiest' : g.first;
      g.bottom.textContent = state.sorted ? 'least busy' : g.last;
    }
  }

  function gutter(name, top, bottom) {
    const t = el('span', { text: top }), b = el('span', { text: bottom });
    return { div: el('div', { class: 'gut' }, el('b', { text: name }), t, b), top: t, bottom: b };
  }

  function runSection(r, i) {
    const run = { ...r, index: i };
    if (r.cols) run.cols = new Cols(r.cols);
    const sec = el('section', { class: 'run', id: `run-${i}` });
    sec.append(el('div', { class: 'title' }, el('span', { class: 'swatch', style: `background:${r.color}` }), r.name, r.how !== r.name ? el('span', { class: 'how', text: r.how }) : null));
    sec.append(el('p', { class: r.failed ? 'alarm' : r.verdict ? '' : 'muted', text: r.verdict || 'no verdict' }));
    if (r.shown) sec.append(el('p', { class: (r.noisy ? 'notice' : 'muted') + ' small', text: r.shown }));
    if (r.note) sec.append(el('p', { class: 'notice small', text: r.note }));
    for (const l of r.left || []) sec.append(el('p', { class: 'notice small', text: 'Left out: ' + l }));
    const pics = el('div', { class: 'pics' });
    sec.append(pics);
    if (!run.cols) {
      pics.append(el('div'), el('p', { class: 'muted', text: 'no samples' }));
    } else {
      const first = r.nodes ? r.nodes[0].name : 'core 0', last = r.nodes ? r.nodes[r.nodes.length - 1].name : `core ${r.cores - 1}`;
      const rowsH = Math.max(96, Math.min(320, run.cols.rows * 8));
      const heatmap = (name, layer, h) => {
        const g = gutter(name, first, last);
        state.rowLabels.push({ top: g.top, bottom: g.bottom, first, last });
        const c = el('canvas', { 'aria-label': `${r.name}: ${name} heatmap`, 'data-run': i, 'data-kind': layer ? 'subject' : 'machine' });
        c.cssH = h;
        g.div.style.height = h + 'px';
        pics.append(g.div, c);
        timed(c, { kind: 'heat', run, layer });
        return [g.div, c];
      };
      if (run.cols.has(1)) {
        heatmap('subject', 1, rowsH);
        const m = heatmap('whole machine', 0, Math.max(48, Math.round(rowsH / 2)));
        state.machines.push(...m);
      } else heatmap('whole machine', 0, rowsH);
      const sg = el('div', { class: 'gut', style: 'height:40px' }, el('span', { text: 'busy cores' }), el('span', { text: `of ${r.cores}` }));
      const sc = el('canvas', { 'data-run': i, 'data-kind': 'strip' });
      sc.cssH = 40;
      pics.append(sg, sc);
      timed(sc, { kind: 'strip', run });
    }
    if (r.lanes) lanesBlock(pics, run, i);
    else if (r.noLanes) pics.append(el('div'), el('p', { class: 'muted small', text: r.noLanes }));
    const ac = el('canvas', { class: 'axis' });
    ac.cssH = 26;
    pics.append(el('div', { class: 'gut small', text: run.life ? 'subject' : '' }), ac);
    timed(ac, { kind: 'axis', run });
    return { run, sec };
  }

  function lanesBlock(pics, run, i) {
    const r = run.lanes, L = {
      count: r.count, fold: r.fold, foldLane: r.foldLane, threads: r.threads,
      slices: new Spans(view(r.start), view(r.dur), view(r.who), view(r.cpu)),
      tasks: new Spans(view(r.taskStart), view(r.taskDur), view(r.taskWho), view(r.taskId)),
      laneTop: [], groupTop: [], laneThread: new Array(r.count).fill(-1),
    };
    r.threads.forEach((t, k) => { if (L.laneThread[t.lane] < 0) L.laneThread[t.lane] = k; });
    const legend = el('div', { class: 'key' }, el('b', { text: 'Threads:' }));
    const shown = Math.min(r.cores, coreRGB.length);
    for (let c = 0; c < shown; c++) {
      legend.append(el('span', { class: 'swatch', style: `background:${D.colors.cores[c]}` }), r.cores > coreRGB.length ? `cores ${c}+${coreRGB.length}k ` : `core ${c} `);
    }
    pics.append(el('p', { class: 'lanesnote muted', text: r.exact ? D.lanes.exact : D.lanes.sampled }));
    pics.append(el('div', { class: 'lanesnote' }, legend));
    for (const n of r.notes || []) pics.append(el('p', { class: 'lanesnote notice', text: 'Left out: ' + n }));
    const block = el('div', { class: 'lanes' }), gut = el('div', { style: 'position:relative' });
    const c = el('canvas', { 'aria-label': `${run.name}: thread lanes`, 'data-run': i, 'data-kind': 'lanes' });
    block.append(gut, c);
    let y = 0, lane = 0;
    for (const g of r.groups) {
      L.groupTop.push(y);
      block.append(el('div', { class: 'label group', style: `top:${y + 3}px` }, g.label, el('span', { text: '  ·  ' + g.detail })));
      y += groupH;
      for (const name of g.lanes) {
        L.laneTop[lane++] = y;
        gut.append(el('div', { class: 'label lane', style: `top:${y + 1}px`, text: name }));
        y += laneH;
      }
    }
    L.height = y;
    L.laneAt = (cssY) => { for (let k = 0; k < L.count; k++) if (cssY >= L.laneTop[k] && cssY < L.laneTop[k] + laneH) return k; return -1; };
    gut.style.height = y + 'px';
    run.lanes = L;
    pics.append(block);
    if (r.foot) pics.append(el('p', { class: 'lanesnote muted', text: r.foot }));
    timed(c, { kind: 'lanes', run });
  }

  function chartSection() {
    const recorded = state.runs.filter((r) => r.cols && !r.watched);
    if (!recorded.length) return;
    state.chartTop = Math.max(1, ...recorded.map((r) => r.cores));
    const key = el('div', { class: 'key' }, 'solid: the subject  ·  dashed: other programs  ·  ');
    for (const r of recorded) key.append(el('span', { class: 'swatch', style: `background:${r.color}` }), r.name + (r.cols.has(1) ? '  ' : ' (whole machine)  '));
    const c = el('canvas', { 'aria-label': 'busy cores over time', 'data-kind': 'chart' });
    c.cssH = 240;
    app.append(el('h2', { text: 'Busy cores over time' }), key, el('div', { class: 'chart' }, el('div', { class: 'gut', text: 'busy cores' }), c));
    timed(c, { kind: 'chart' });
  }

  function tableSection() {
    const t = D.table;
    if (!t.rows || !t.rows.length) return;
    const head = el('tr');
    t.head.forEach((h, j) => head.append(el('th', { class: t.number[j] ? 'num' : '', text: h })));
    const body = el('tbody');
    const bars = { 1: 'wall', 2: 'speed' }; // the wall and speedup columns (after run and model)
    for (const row of t.rows) {
      const tr = el('tr', {}, el('td', {}, el('span', { class: 'swatch', style: `background:${row.color}` }), row.name));
      row.cells.forEach((cell, j) => {
        const td = el('td', { class: t.number[j + 1] ? 'num' : '', text: cell });
        const bar = bars[j];
        if (bar && row[bar] > 0) {
          td.classList.add('bar');
          td.style.backgroundImage = `linear-gradient(${row.color}, ${row.color})`;
          td.style.setProperty('--bar', `${(100 * row[bar]).toFixed(1)}%`);
        }
        tr.append(td);
      });
      if (row.run >= 0) tr.addEventListener('click', () => document.getElementById(`run-${row.run}`).scrollIntoView({ behavior: 'smooth' }));
      body.append(tr);
    }
    app.append(el('h2', { text: 'Summary' }), el('table', { class: 'summary' }, el('thead', {}, head), body));
    if (t.unlisted) app.append(el('p', { class: 'notice', text: t.unlisted }));
    const verdicts = el('div', { class: 'verdicts' });
    for (const row of t.rows) {
      const p = el('p', {}, el('b', { text: row.name }), ': ' + row.why);
      verdicts.append(p);
      const run = row.run >= 0 ? D.runs[row.run] : null;
      for (const x of (run && run.extra) || []) verdicts.append(extraBlock(x));
    }
    app.append(el('h2', { text: 'Verdicts' }), verdicts);
  }

  // scaleSections show each sweep of worker counts: its chart (SVG drawn
  // by corescope from the sweep's own figures) and the fit's texts.
  function scaleSections() {
    for (const s of D.scales || []) {
      const chart = el('div', { class: 'scale-chart' });
      chart.innerHTML = s.svg;
      app.append(el('h2', { text: s.title }), chart);
      for (const t of s.texts) app.append(el('p', { class: 'scale-text', text: t }));
    }
    if (D.scales_left) app.append(el('p', { class: 'notice', text: D.scales_left }));
  }

  // extraBlock shows a finding the page knows only as JSON (a run's
  // reasons, its phases): a list of records as a table of their fields,
  // anything else as its fields and figures.
  function extraBlock(x) {
    const title = x.name.charAt(0).toUpperCase() + x.name.slice(1);
    const div = el('div', { class: 'extra' }, el('h3', { text: title }));
    if (x.left) { div.append(el('p', { class: 'notice', text: 'Left out: ' + x.left })); return div; }
    const cell = (v) => (v === null || v === undefined ? '' : typeof v === 'number' ? String(+v.toFixed(3)) : typeof v === 'object' ? JSON.stringify(v) : String(v));
    const v = x.value;
    const list = Array.isArray(v) ? v : [v];
    if (list.every((o) => o && typeof o === 'object' && !Array.isArray(o))) {
      const keys = [];
      for (const o of list) for (const k of Object.keys(o)) if (!keys.includes(k)) keys.push(k);
      const head = el('tr');
      for (const k of keys) head.append(el('th', { text: k }));
      const table = el('table', {}, el('thead', {}, head));
      for (const o of list) { const tr = el('tr'); for (const k of keys) tr.append(el('td', { text: cell(o[k]) })); table.append(tr); }
      div.append(table);
    } else {
      for (const o of list) div.append(el('p', { text: cell(o) }));
    }
    return div;
  }

  async function main() {
    buf = await unpack();
    document.getElementById('loading').remove();
    state.rowLabels = []; state.machines = [];
    header();
    controls();
    const runs = el('div', { id: 'runs', tabindex: '0' });
    state.focus = runs;
    app.append(el('h2', { text: 'Runs on one time scale' }));
    if (D.omitted) app.append(el('p', { class: 'notice', text: D.omitted }));
    app.append(runs);
    D.runs.forEach((r, i) => { const { run, sec } = runSection(r, i); state.runs.push(run); runs.append(sec); });
    chartSection();
    tableSection();
    scaleSections();
    let minSpan = Infinity;
    for (const run of state.runs) {
      if (run.lanes && D.runs[run.index].lanes.exact) minSpan = Math.min(minSpan, 0.001);
      else if (run.cols && run.cols.n) minSpan = Math.min(minSpan, 2 * (run.cols.end[0] - run.cols.start));
    }
    state.view = new TimeView(0, D.axis, Number.isFinite(minSpan) ? minSpan : 0);
    relabel();
    new ResizeObserver(() => redraw()).observe(app);
    draw();
    cs.ready = true;
  }

  // The tests' handles: the view and a measured redraw.
  cs.view = () => state.view.window();
  cs.redraw = () => draw();
  cs.zoom = zoomAt;
  main().catch((e) => {
    cs.errors.push(String(e && e.message ? e.message : e));
    app.append(el('p', { class: 'alarm', text: 'The report could not be drawn: ' + (e && e.message ? e.message : e) }));
    cs.ready = true;
  });
})();
