// Draws range-query results (a "matrix") on a <canvas>: one line per series, time axis, value
// axis, optional stacking, and a hover readout. The plotted state is mirrored in data-* attributes
// of the canvas (series count, axis range) so tests can check it without reading pixels.
'use strict';
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** "nice" tick step (1, 2 or 5 times a power of ten) giving about n ticks over span. */
function niceStep(span, n) {
  const raw = span / n, p = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / p;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

function formatValue(v) {
  const a = Math.abs(v);
  if (a >= 1e6 || (a > 0 && a < 1e-3)) return v.toExponential(2);
  return String(Number(v.toPrecision(6)));
}

/**
 * Builds a graph for matrix data over [start, end] (seconds) with step; returns the DOM node.
 * Values "NaN"/"+Inf" are gaps. Stacked mode adds each series to the sum of the ones before it
 * at the same timestamp.
 */
function buildGraph(matrix, start, end, step, stacked) {
  const canvas = el('canvas', {class: 'graph'});
  const readout = el('div', {class: 'readout'});
  const legend = el('ul', {class: 'legend'});
  // series: {name, color, points: [[t, v, shownV]]}
  const series = matrix.map((s, i) => ({
    metric: s.metric, name: formatSeries(s.metric), color: COLORS[i % COLORS.length],
    points: s.values.map(([t, v]) => [t, parseFloat(v)]).filter(p => isFinite(p[1])),
  }));
  if (stacked) {
    const sums = new Map(); // timestamp -> running sum
    for (const s of series) {
      for (const p of s.points) {
        const sum = (sums.get(p[0]) || 0) + p[1];
        sums.set(p[0], sum);
        p.push(sum);
      }
    }
  } else {
    for (const s of series) for (const p of s.points) p.push(p[1]);
  }
  let yMin = Infinity, yMax = -Infinity;
  for (const s of series) for (const p of s.points) { yMin = Math.min(yMin, p[2]); yMax = Math.max(yMax, p[2]); }
  if (stacked && yMin > 0) yMin = 0;
  if (yMin === Infinity) { yMin = 0; yMax = 1; }
  if (yMin === yMax) { yMin -= 1; yMax += 1; }
  // 5% headroom so lines do not run along the frame; never below zero for non-negative data
  const headroom = (yMax - yMin) * 0.05;
  yMin = yMin >= 0 && yMin - headroom < 0 ? 0 : yMin - headroom;
  yMax += headroom;
  canvas.dataset.seriesCount = String(series.length);
  canvas.dataset.xMin = String(start);
  canvas.dataset.xMax = String(end);
  // the drawn axis range (data extent plus headroom)
  canvas.dataset.yMin = String(yMin);
  canvas.dataset.yMax = String(yMax);
  canvas.dataset.stacked = String(!!stacked);

  const pad = {l: 70, r: 16, t: 10, b: 28};
  let geom = null; // set by draw(); used by the hover handler

  function draw() {
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth || 800, h = canvas.clientHeight || 320;
    canvas.width = w * dpr; canvas.height = h * dpr;
    const g = canvas.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
    const x = t => pad.l + (t - start) / (end - start) * pw;
    const y = v => pad.t + (1 - (v - yMin) / (yMax - yMin)) * ph;
    geom = {x, pw};
    canvas.dataset.drawn = "true";
    g.font = '11px sans-serif'; g.fillStyle = '#555'; g.strokeStyle = '#e5e5e5'; g.lineWidth = 1;
    // value grid and labels
    const ys = niceStep(yMax - yMin, 5);
    g.textAlign = 'right'; g.textBaseline = 'middle';
    for (let v = Math.ceil(yMin / ys) * ys; v <= yMax + ys * 1e-9; v += ys) {
      g.beginPath(); g.moveTo(pad.l, y(v)); g.lineTo(pad.l + pw, y(v)); g.stroke();
      g.fillText(formatValue(v), pad.l - 6, y(v));
    }
    // time grid and labels (UTC)
    const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];
    const ts = steps.find(s => (end - start) / s <= 8) || 604800 * Math.ceil((end - start) / 604800 / 8);
    g.textAlign = 'center'; g.textBaseline = 'top';
    for (let t = Math.ceil(start / ts) * ts; t <= end; t += ts) {
      g.beginPath(); g.moveTo(x(t), pad.t); g.lineTo(x(t), pad.t + ph); g.stroke();
      const iso = new Date(t * 1000).toISOString();
      g.fillText(ts >= 86400 ? iso.slice(5, 10) : ts < 60 ? iso.slice(11, 19) : iso.slice(11, 16), x(t), pad.t + ph + 6);
    }
    g.strokeStyle = '#999'; g.strokeRect(pad.l, pad.t, pw, ph);
    // one line per series; a gap wider than 1.5 steps breaks the line
    g.lineWidth = 1.5;
    for (const s of series) {
      g.strokeStyle = s.color; g.beginPath();
      let prev = null;
      for (const p of s.points) {
        if (prev === null || p[0] - prev > step * 1.5) g.moveTo(x(p[0]), y(p[2])); else g.lineTo(x(p[0]), y(p[2]));
        prev = p[0];
      }
      if (s.points.length === 1) g.fillRect(x(s.points[0][0]) - 1.5, y(s.points[0][2]) - 1.5, 3, 3);
      g.stroke();
    }
  }

  // Hover: values of every series at the sample nearest the pointer's time.
  canvas.addEventListener('mousemove', ev => {
    if (!geom) return;
    const r = canvas.getBoundingClientRect();
    const px = ev.clientX - r.left;
    const t = start + (px - pad.l) / geom.pw * (end - start);
    if (t < start || t > end) { readout.style.display = 'none'; return; }
    const lines = [];
    for (const s of series) {
      let best = null;
      for (const p of s.points) if (best === null || Math.abs(p[0] - t) < Math.abs(best[0] - t)) best = p;
      if (best && Math.abs(best[0] - t) <= step) lines.push(el('div', {}, el('span', {class: 'swatch', style: 'background:' + s.color}), s.name + ': ' + formatValue(best[1])));
    }
    setChildren(readout, el('div', {}, formatTime(Math.round(t))), lines);
    readout.style.display = lines.length ? 'block' : 'none';
    // right of the pointer in the left half, left of it in the right half, so it stays inside
    readout.style.left = px < r.width / 2 ? (px + 12) + 'px' : '';
    readout.style.right = px < r.width / 2 ? '' : (r.width - px + 12) + 'px';
    readout.style.top = (ev.clientY - r.top + 12) + 'px';
  });
  canvas.addEventListener('mouseleave', () => { readout.style.display = 'none'; });

  for (const s of series) {
    legend.appendChild(el('li', {}, el('span', {class: 'swatch', style: 'background:' + s.color}), s.name));
  }
  const wrap = el('div', {class: 'graph-wrap'}, canvas, readout);
  // Draw once attached (clientWidth is 0 before), and again when the window resizes.
  requestAnimationFrame(draw);
  window.addEventListener('resize', () => { if (canvas.isConnected) draw(); });
  return el('div', {}, wrap, legend);
}
