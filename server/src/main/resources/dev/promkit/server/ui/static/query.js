// The expression browser: panels with an expression, a Table tab (instant query) and a Graph tab
// (range query). The state of every panel lives in the URL as Prometheus writes it
// (g0.expr=...&g0.tab=0|1&g0.range_input=1h&g0.end_input=...&g0.moment_input=...&g0.step_input=...
// &g0.stacked=0|1; tab 0 is Graph, 1 is Table) so a page can be shared.
'use strict';
const FUNCTIONS = ['abs', 'absent', 'absent_over_time', 'avg_over_time', 'ceil', 'changes', 'clamp', 'clamp_max',
  'clamp_min', 'count_over_time', 'day_of_month', 'day_of_week', 'day_of_year', 'days_in_month', 'delta', 'deriv',
  'exp', 'floor', 'histogram_quantile', 'holt_winters', 'hour', 'idelta', 'increase', 'irate', 'label_join',
  'label_replace', 'last_over_time', 'ln', 'log10', 'log2', 'max_over_time', 'min_over_time', 'minute', 'month',
  'predict_linear', 'present_over_time', 'quantile_over_time', 'rate', 'resets', 'round', 'scalar', 'sgn', 'sort',
  'sort_desc', 'sqrt', 'stddev_over_time', 'stdvar_over_time', 'sum_over_time', 'time', 'timestamp', 'vector', 'year',
  'sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk', 'quantile',
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'and', 'or', 'unless'];
/** The ranges the Graph tab's -/+ buttons step through, in seconds (1s ... 8w, as Prometheus). */
const RANGE_STEPS = [1, 10, 60, 300, 900, 1800, 3600, 7200, 21600, 43200, 86400, 172800, 604800, 1209600, 2419200, 4838400];
const HISTORY_KEY = 'promkit.history';
const HISTORY_MAX = 50;

/** Completion candidates, fetched once per page: [{text, kind}]. */
let candidates = FUNCTIONS.map(f => ({text: f, kind: 'function'}));
async function loadCandidates() {
  const [names, labels] = await Promise.all([
    api('label/__name__/values').catch(() => []),
    api('labels').catch(() => []),
  ]);
  candidates = names.map(n => ({text: n, kind: 'metric'}))
    .concat(labels.map(n => ({text: n, kind: 'label'})), candidates);
}

function loadHistory() {
  try { return JSON.parse(localStorage.getItem(HISTORY_KEY) || '[]'); } catch (e) { return []; }
}
function remember(expr) {
  const h = [expr].concat(loadHistory().filter(e => e !== expr)).slice(0, HISTORY_MAX);
  try { localStorage.setItem(HISTORY_KEY, JSON.stringify(h)); } catch (e) { /* storage full or disabled */ }
}

const panels = [];

/** Writes all panels' state into the URL without reloading. */
function saveUrl() {
  const p = new URLSearchParams();
  panels.forEach((panel, i) => {
    for (const [k, v] of Object.entries(panel.state)) p.set('g' + i + '.' + k, v);
  });
  window.history.replaceState(null, "", "?" + p.toString());
}

/** Reads panels from the URL: {index: {expr, tab, ...}}. */
function panelsFromUrl() {
  const out = [];
  for (const [k, v] of new URLSearchParams(location.search)) {
    const m = k.match(/^g(\d+)\.(\w+)$/);
    if (!m) continue;
    (out[m[1]] = out[m[1]] || {})[m[2]] = v;
  }
  return out.filter(Boolean);
}

/** One panel: expression box with completion, tabs, and the result area. */
function newPanel(init) {
  const state = Object.assign({expr: '', tab: '1', range_input: '1h', end_input: '', moment_input: '', step_input: '', stacked: '0'}, init);
  const panel = {state};
  const input = el('textarea', {class: 'expr', placeholder: 'Expression (press Shift+Enter for newlines)', spellcheck: 'false'});
  input.value = state.expr;
  const suggest = el('ul', {class: 'suggest', hidden: true});
  const execute = el('button', {class: 'primary execute', onclick: () => run()}, 'Execute');
  const remove = el('button', {class: 'remove', title: 'Remove panel', onclick: () => {
    panels.splice(panels.indexOf(panel), 1); root.remove(); saveUrl();
  }}, '×');
  const result = el('div', {class: 'result'});
  const controls = el('div', {class: 'controls'});
  const tableTab = el('button', {class: 'tab-table', onclick: () => { state.tab = '1'; render(); run(); }}, 'Table');
  const graphTab = el('button', {class: 'tab-graph', onclick: () => { state.tab = '0'; render(); run(); }}, 'Graph');
  const root = el('div', {class: 'panel'},
    el('div', {class: 'expr-row'}, input, execute, remove, suggest),
    el('div', {class: 'tabs'}, tableTab, graphTab), controls, result);
  panel.root = root;

  // --- completion: the word before the cursor against metric names, labels, functions; history when empty
  let items = [], sel = -1;
  function showSuggestions() {
    const before = input.value.slice(0, input.selectionStart);
    const word = (before.match(/[a-zA-Z_:][a-zA-Z0-9_:]*$/) || [''])[0];
    if (!input.value.trim()) {
      items = loadHistory().slice(0, 10).map(h => ({text: h, kind: 'history', whole: true}));
    } else if (word) {
      const seen = new Set();
      items = candidates.filter(c => c.text.startsWith(word) && c.text !== word && !seen.has(c.text) && seen.add(c.text)).slice(0, 12);
    } else items = [];
    sel = -1;
    setChildren(suggest, items.map((it, i) => el('li', {onmousedown: ev => { ev.preventDefault(); accept(i); }},
      it.text, el('span', {class: 'kind'}, it.kind))));
    suggest.hidden = items.length === 0;
  }
  function accept(i) {
    const it = items[i];
    if (it.whole) input.value = it.text;
    else {
      const pos = input.selectionStart, before = input.value.slice(0, pos);
      const word = (before.match(/[a-zA-Z_:][a-zA-Z0-9_:]*$/) || [''])[0];
      input.value = before.slice(0, pos - word.length) + it.text + (it.kind === 'function' ? '(' : '') + input.value.slice(pos);
      const at = pos - word.length + it.text.length + (it.kind === 'function' ? 1 : 0);
      input.setSelectionRange(at, at);
    }
    suggest.hidden = true; items = [];
  }
  function highlight() { [...suggest.children].forEach((li, i) => li.classList.toggle('sel', i === sel)); }
  input.addEventListener('input', showSuggestions);
  input.addEventListener('focus', showSuggestions);
  input.addEventListener('blur', () => { suggest.hidden = true; });
  input.addEventListener('keydown', ev => {
    if (!suggest.hidden && items.length) {
      if (ev.key === 'ArrowDown') { sel = (sel + 1) % items.length; highlight(); ev.preventDefault(); return; }
      if (ev.key === 'ArrowUp') { sel = (sel + items.length - 1) % items.length; highlight(); ev.preventDefault(); return; }
      if ((ev.key === 'Tab' || ev.key === 'Enter') && sel >= 0) { accept(sel); ev.preventDefault(); return; }
      if (ev.key === 'Escape') { suggest.hidden = true; return; }
    }
    if (ev.key === 'Enter' && !ev.shiftKey) { ev.preventDefault(); suggest.hidden = true; run(); }
  });

  // --- controls for each tab
  function field(key, cls, placeholder) {
    const f = el('input', {type: 'text', class: cls, placeholder});
    f.value = state[key];
    f.addEventListener('change', () => { state[key] = f.value.trim(); run(); });
    return f;
  }
  function shiftRange(sign) {
    const r = parseDuration(state.range_input) || 3600;
    // like Prometheus: move to the next bigger or smaller of its usual ranges
    const next = sign > 0 ? RANGE_STEPS.find(x => x > r) : RANGE_STEPS.slice().reverse().find(x => x < r);
    if (next) state.range_input = formatDuration(next);
    render(); run();
  }
  function render() {
    tableTab.classList.toggle('active', state.tab === '1');
    graphTab.classList.toggle('active', state.tab === '0');
    if (state.tab === '1') {
      setChildren(controls, 'Evaluation time (UTC): ', field('moment_input', 'moment', 'now, or 2026-11-27 15:04:05'));
    } else {
      const stacked = el('input', {type: 'checkbox', class: 'stacked', onchange: ev => { state.stacked = ev.target.checked ? '1' : '0'; run(); }});
      stacked.checked = state.stacked === '1';
      setChildren(controls,
        el('button', {class: 'range-shrink', onclick: () => shiftRange(-1), title: 'Shrink range'}, '−'),
        field('range_input', 'range short', '1h'),
        el('button', {class: 'range-grow', onclick: () => shiftRange(1), title: 'Grow range'}, '+'),
        ' until ', field('end_input', 'end', 'now, or 2026-11-27 15:04:05'),
        ' resolution ', field('step_input', 'step short', 'auto'), 's ',
        el('label', {}, stacked, ' stacked'));
    }
  }

  let seq = 0; // only the latest request may write the result
  async function run() {
    const expr = input.value.trim();
    state.expr = expr;
    saveUrl();
    if (!expr) { setChildren(result); return; }
    remember(expr);
    const mine = ++seq;
    setChildren(result, el('div', {class: 'stats'}, 'Loading…'));
    const began = performance.now();
    try {
      let node;
      if (state.tab === '1') {
        const t = parseTime(state.moment_input);
        if (Number.isNaN(t)) throw new ApiError('client', 'invalid evaluation time "' + state.moment_input + '"');
        const data = await api('query', t === null ? {query: expr} : {query: expr, time: t});
        node = buildTable(data);
      } else {
        const range = parseDuration(state.range_input);
        if (!(range > 0)) throw new ApiError('client', 'invalid range "' + state.range_input + '"');
        let end = parseTime(state.end_input);
        if (Number.isNaN(end)) throw new ApiError('client', 'invalid end time "' + state.end_input + '"');
        if (end === null) end = Math.floor(Date.now() / 1000);
        const start = end - range;
        let step = state.step_input ? Number(state.step_input) : Math.max(Math.floor(range / 250), 1);
        if (!(step > 0)) throw new ApiError('client', 'invalid resolution "' + state.step_input + '"');
        const data = await api('query_range', {query: expr, start, end, step});
        if (data.resultType !== 'matrix') throw new ApiError('client', 'range query returned ' + data.resultType);
        node = buildGraph(data.result, start, end, step, state.stacked === '1');
      }
      if (mine !== seq) return;
      const took = ((performance.now() - began) / 1000).toFixed(3);
      setChildren(result, el('div', {class: 'stats'}, 'Load time: ' + took + 's'),
        (node.__warnings || []).map(w => el('div', {class: 'warn'}, 'Warning: ' + w)), node);
    } catch (e) {
      if (mine === seq) setChildren(result, errorBox('Error executing query', e));
    }
  }
  panel.run = run;
  render();
  return panel;
}

/** The Table tab's result for any result type. */
function buildTable(data) {
  const rows = [];
  const r = data.result;
  switch (data.resultType) {
    case 'vector':
      for (const s of r) rows.push([formatSeries(s.metric), s.value[1]]);
      break;
    case 'matrix':
      for (const s of r) rows.push([formatSeries(s.metric), s.values.map(([t, v]) => v + ' @' + t).join('\n')]);
      break;
    case 'scalar':
      rows.push(['scalar', r[1]]);
      break;
    case 'string':
      rows.push(['string', r[1]]);
      break;
  }
  const table = el('table', {class: 'data'},
    el('thead', {}, el('tr', {}, el('th', {}, 'Element'), el('th', {}, 'Value'))),
    el('tbody', {}, rows.length ? rows.map(([k, v]) => el('tr', {}, el('td', {class: 'series'}, k), el('td', {class: 'value', style: 'white-space:pre'}, v)))
      : el('tr', {}, el('td', {colspan: '2'}, 'Empty query result'))));
  if (data.__warnings) table.__warnings = data.__warnings;
  return table;
}

/** Renders the query page into main. */
function queryPage(main) {
  const list = el('div', {class: 'panels'});
  const add = el('button', {class: 'add-panel', onclick: () => { const p = newPanel({}); panels.push(p); list.appendChild(p.root); saveUrl(); }}, 'Add Panel');
  setChildren(main, list, add);
  const init = panelsFromUrl();
  for (const st of (init.length ? init : [{}])) {
    const p = newPanel(st);
    panels.push(p);
    list.appendChild(p.root);
  }
  loadCandidates();
  panels.forEach(p => { if (p.state.expr) p.run(); });
}
