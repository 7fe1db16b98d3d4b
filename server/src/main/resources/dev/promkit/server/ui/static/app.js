// Picks the page from the path after the route prefix and renders it into <main>.
'use strict';
(function () {
  const pages = {
    graph: queryPage, query: queryPage, targets: targetsPage, 'service-discovery': serviceDiscoveryPage,
    config: configPage, flags: flagsPage, status: runtimePage, 'tsdb-status': tsdbPage,
    alerts: alertsPage, rules: rulesPage,
  };
  // the last path segment: the page routes are one level below the prefix, whatever a proxy made of it
  const name = location.pathname.replace(/\/+$/, '').split('/').pop() || 'graph';
  const main = document.getElementById('main');
  for (const a of document.querySelectorAll('#nav a:not(.brand)')) {
    if (a.getAttribute('href') === PREFIX + '/' + name) a.classList.add('active');
  }
  const page = pages[name];
  if (!page) { setChildren(main, el('p', {}, 'Unknown page.')); return; }
  document.title = 'promkit — ' + name;
  Promise.resolve(page(main))
    .then(() => { document.body.dataset.loaded = name; })
    .catch(e => { setChildren(main, errorBox('Error loading ' + name, e)); document.body.dataset.loaded = name; });
})();
