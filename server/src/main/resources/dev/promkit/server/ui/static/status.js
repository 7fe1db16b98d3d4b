// Status pages: each fetches one or two API endpoints and renders whatever comes back as tables.
'use strict';

function table(headers, rows, cls) {
  return el('table', {class: cls || ''},
    el('thead', {}, el('tr', {}, headers.map(h => el('th', {}, h)))),
    el('tbody', {}, rows.length ? rows.map(r => el('tr', {}, r.map(c => el('td', {}, c))))
      : el('tr', {}, el('td', {colspan: String(headers.length)}, 'No data'))));
}

function badge(text, cls) { return el('span', {class: 'badge ' + (cls || text)}, text); }

function keyValueTable(obj) {
  return table(['Name', 'Value'], Object.keys(obj).filter(k => !k.startsWith('__')).map(k => [k, String(obj[k])]));
}

async function targetsPage(main) {
  const data = await api('targets', {state: 'active'});
  const pools = new Map();
  for (const t of data.activeTargets) {
    if (!pools.has(t.scrapePool)) pools.set(t.scrapePool, []);
    pools.get(t.scrapePool).push(t);
  }
  const sections = [...pools.keys()].sort().map(pool => {
    const ts = pools.get(pool);
    const up = ts.filter(t => t.health === 'up').length;
    return el('section', {class: 'pool', 'data-pool': pool},
      el('h2', {}, pool + ' (' + up + '/' + ts.length + ' up)'),
      table(['Endpoint', 'State', 'Labels', 'Last Scrape', 'Scrape Duration', 'Error'], ts.map(t => [
        // link only http(s) URLs: an href from data must never be "javascript:"
        /^https?:\/\//i.test(t.scrapeUrl) ? el('a', {href: t.scrapeUrl}, t.scrapeUrl) : t.scrapeUrl, badge(t.health), labelChips(t.labels),
        ago(t.lastScrape), formatDuration(t.lastScrapeDuration || 0), t.lastError || '',
      ]), 'targets'));
  });
  setChildren(main, el('h1', {}, 'Targets'), sections.length ? sections : el('p', {}, 'No targets.'));
}

async function serviceDiscoveryPage(main) {
  const data = await api('targets', {state: 'any'});
  const all = data.activeTargets.concat(data.droppedTargets.map(t => Object.assign({dropped: true}, t)));
  setChildren(main, el('h1', {}, 'Service Discovery'),
    table(['Pool', 'Discovered Labels', 'Target Labels'], all.map(t => [
      t.scrapePool || (t.discoveredLabels || {}).job || '', labelChips(t.discoveredLabels),
      t.dropped ? 'Dropped' : labelChips(t.labels)])));
}

async function configPage(main) {
  const data = await api('status/config');
  setChildren(main, el('h1', {}, 'Configuration'), el('pre', {class: 'config'}, data.yaml));
}

async function flagsPage(main) {
  const data = await api('status/flags');
  setChildren(main, el('h1', {}, 'Command-Line Flags'), keyValueTable(data));
}

async function runtimePage(main) {
  const [rt, build] = await Promise.all([api('status/runtimeinfo'), api('status/buildinfo')]);
  setChildren(main, el('h1', {}, 'Runtime Information'), keyValueTable(rt),
    el('h1', {}, 'Build Information'), keyValueTable(build));
}

async function tsdbPage(main) {
  const d = await api('status/tsdb');
  const h = d.headStats || {};
  const stat = (title, list) => [el('h2', {}, title),
    table(['Name', 'Count'], (list || []).map(e => [e.name, String(e.value)]))];
  setChildren(main, el('h1', {}, 'TSDB Status'), el('h2', {}, 'Head Stats'),
    table(['Number of Series', 'Number of Chunks', 'Number of Label Pairs', 'Current Min Time', 'Current Max Time'],
      [[String(h.numSeries), String(h.chunkCount), String(h.numLabelPairs),
        h.minTime ? formatTime(h.minTime / 1000) + ' (' + h.minTime + ')' : '', h.maxTime ? formatTime(h.maxTime / 1000) + ' (' + h.maxTime + ')' : '']]),
    stat('Top 10 label names with value count', d.labelValueCountByLabelName),
    stat('Top 10 series count by metric names', d.seriesCountByMetricName),
    stat('Top 10 label names with high memory usage', d.memoryInBytesByLabelName),
    stat('Top 10 series count by label value pairs', d.seriesCountByLabelValuePair));
}

async function alertsPage(main) {
  const data = await api('rules', {type: 'alert'});
  const rules = [];
  for (const g of data.groups) for (const r of g.rules) rules.push(Object.assign({group: g.name, file: g.file}, r));
  const count = s => rules.filter(r => r.state === s).length;
  setChildren(main, el('h1', {}, 'Alerts'),
    el('p', {}, 'Inactive (' + count('inactive') + ')  Pending (' + count('pending') + ')  Firing (' + count('firing') + ')'),
    rules.length ? rules.map(r => el('section', {class: 'alert-rule', 'data-state': r.state},
      el('h2', {}, badge(r.state), ' ', r.name + ' (' + r.alerts.length + ' active)'),
      el('pre', {}, 'alert: ' + r.name + '\nexpr: ' + r.query + (r.duration ? '\nfor: ' + formatDuration(r.duration) : '') +
        Object.keys(r.labels || {}).map(k => '\nlabel ' + k + ': ' + r.labels[k]).join('') +
        Object.keys(r.annotations || {}).map(k => '\nannotation ' + k + ': ' + r.annotations[k]).join('')),
      r.alerts.length ? table(['Labels', 'State', 'Active Since', 'Value', 'Annotations'], r.alerts.map(a => [
        labelChips(a.labels), badge(a.state), a.activeAt ? a.activeAt + ' (' + ago(a.activeAt) + ')' : '', a.value,
        labelChips(a.annotations)]), 'alerts') : null))
      : el('p', {}, 'No alerting rules.'));
}

async function rulesPage(main) {
  const data = await api('rules');
  setChildren(main, el('h1', {}, 'Rules'), data.groups.length ? data.groups.map(g => el('section', {class: 'rule-group'},
    el('h2', {}, g.name + ' — ' + g.file),
    el('p', {}, 'Interval ' + formatDuration(g.interval || 0) + ', last evaluation ' + ago(g.lastEvaluation) +
      ', took ' + formatDuration(g.evaluationTime || 0)),
    table(['Rule', 'State', 'Error', 'Last Evaluation', 'Evaluation Time'], g.rules.map(r => [
      el('pre', {}, (r.type === 'alerting' ? 'alert: ' : 'record: ') + r.name + '\nexpr: ' + r.query),
      badge(r.health, r.health === 'ok' ? 'ok' : r.health === 'err' ? 'err' : 'unknown'), r.lastError || '',
      ago(r.lastEvaluation), formatDuration(r.evaluationTime || 0)]), 'rules')))
    : el('p', {}, 'No rule groups.'));
}
