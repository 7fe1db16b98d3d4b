// Small DOM and API helpers shared by every page. Data from the API only ever reaches the page
// through text nodes (never innerHTML), so label values such as "<script>" render as text.
'use strict';
const PREFIX = document.querySelector('meta[name="promkit-prefix"]').content;

/** el('td', {class: 'x'}, 'text', childNode, ...): builds an element; strings become text nodes. */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k in e && typeof v !== 'string') e[k] = v;
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null) continue;
    e.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

/** Replaces the children of a node. */
function setChildren(node, ...children) {
  node.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined)
    .map(c => c instanceof Node ? c : document.createTextNode(String(c))));
}

/** Error thrown for an API answer with status "error", carrying Prometheus' errorType and error. */
class ApiError extends Error {
  constructor(type, msg) { super(msg); this.type = type; }
}

/** GET PREFIX/api/v1/<path>?params; resolves to the "data" field, rejects with ApiError. */
async function api(path, params) {
  const qs = params ? '?' + new URLSearchParams(params).toString() : '';
  let resp;
  try {
    resp = await fetch(PREFIX + '/api/v1/' + path + qs, {headers: {Accept: 'application/json'}});
  } catch (e) {
    throw new ApiError('network', e.message);
  }
  let body;
  try {
    body = await resp.json();
  } catch (e) {
    throw new ApiError('bad_response', 'HTTP ' + resp.status + ': response is not JSON');
  }
  if (body.status !== 'success') throw new ApiError(body.errorType || 'unknown', body.error || 'HTTP ' + resp.status);
  if (body.warnings) body.data.__warnings = body.warnings;
  return body.data;
}

/** The error box Prometheus shows: "Error executing query: <message>". */
function errorBox(prefixText, e) {
  return el('div', {class: 'error'}, (prefixText ? prefixText + ': ' : '') + (e && e.message || String(e)));
}

/** {__name__:"up", job:"x"} -> 'up{job="x"}' (as Prometheus prints a series). */
function formatSeries(metric) {
  const name = metric.__name__ || '';
  const parts = Object.keys(metric).filter(k => k !== '__name__').sort()
    .map(k => k + '="' + String(metric[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') + '"');
  return parts.length || !name ? name + '{' + parts.join(', ') + '}' : name;
}

/** Label set as a row of chips. */
function labelChips(labels) {
  return el('span', {class: 'labels'}, Object.keys(labels || {}).sort()
    .map(k => el('span', {class: 'label-chip'}, k + '="' + labels[k] + '"')));
}

/** "2026-11-27 15:04:05" in UTC for a Unix time in seconds. */
function formatTime(sec) {
  return new Date(sec * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}

/** Human age of an RFC 3339 timestamp ("3.2s ago"); "never" for the zero time. */
function ago(rfc3339) {
  const t = Date.parse(rfc3339);
  if (!t || t < 0 || rfc3339.startsWith('0001-')) return 'never';
  return formatDuration((Date.now() - t) / 1000) + ' ago';
}

/** 1.234 -> "1.234s", 0.0123 -> "12.3ms", 3700 -> "1h1m40s". */
function formatDuration(sec) {
  if (sec < 1) return (sec * 1000).toFixed(3).replace(/\.?0+$/, '') + 'ms';
  if (sec < 60) return sec.toFixed(3).replace(/\.?0+$/, '') + 's';
  let s = Math.round(sec), out = '';
  for (const [u, n] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]]) {
    if (s >= n) { out += Math.floor(s / n) + u; s %= n; }
  }
  return out;
}

/** Parses a Prometheus duration such as "1h30m" or "90s" into seconds; NaN when invalid. */
function parseDuration(s) {
  const m = String(s).trim().match(/^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/);
  if (!m || !String(s).trim()) return NaN;
  const n = i => Number(m[i] || 0);
  return n(2) * 31536000 + n(4) * 604800 + n(6) * 86400 + n(8) * 3600 + n(10) * 60 + n(12) + n(14) / 1000;
}

/** "2026-11-27 15:04:05" (UTC) or "" -> seconds, or null for empty; NaN when invalid. */
function parseTime(s) {
  s = String(s || '').trim();
  if (!s) return null;
  const t = Date.parse(s.replace(' ', 'T') + (/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? '' : 'Z'));
  return isNaN(t) ? NaN : t / 1000;
}
