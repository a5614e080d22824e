// Switchboard live dashboard: polls the admin API every 2 seconds and renders it. No dependencies, no build step.
// Everything the server sends is written with textContent, never as HTML.
'use strict';

(() => {
  const KEY_STORAGE = 'switchboard.masterKey';
  const POLL_MS = 2000;
  const RECENT = 25;
  const BUCKETS = 30;
  const charts = window.SwitchboardCharts;
  const $ = (id) => document.getElementById(id);
  const numberFormat = new Intl.NumberFormat('en-US');

  let timer = 0;
  let generation = 0;

  class AuthRequired extends Error {}

  // --- The master key: kept in this tab's session storage only ------------------------------------------------
  function storedKey() {
    try { return sessionStorage.getItem(KEY_STORAGE); } catch { return null; }
  }

  function storeKey(key) {
    try {
      if (key) { sessionStorage.setItem(KEY_STORAGE, key); } else { sessionStorage.removeItem(KEY_STORAGE); }
    } catch { /* storage disabled: the key then lives only for this call */ }
  }

  // --- Data --------------------------------------------------------------------------------------------------
  async function getJson(path) {
    const headers = { Accept: 'application/json' };
    const key = storedKey();
    if (key) { headers.Authorization = 'Bearer ' + key; }
    const response = await fetch(path, { headers, cache: 'no-store', credentials: 'same-origin' });
    $('emulated').hidden = response.headers.get('x-switchboard-emulated') !== 'true';
    if (response.status === 401) { throw new AuthRequired(); }
    if (!response.ok) {
      let message = '';
      try { message = (await response.json())?.error?.message ?? ''; } catch { /* not JSON */ }
      throw new Error(`${path.split('?')[0]} answered ${response.status}${message ? ': ' + message : ''}`);
    }
    return response.json();
  }

  async function refresh() {
    const mine = ++generation;
    const since = encodeURIComponent($('window').value);
    try {
      const [byProvider, byModel, health, budgets, recent, series, byDay, byKey, circuits] = await Promise.all([
        getJson(`/admin/usage?by=provider&since=${since}`),
        getJson(`/admin/usage?by=model&since=${since}`),
        getJson('/admin/health'),
        getJson('/admin/budgets'),
        getJson(`/admin/requests/recent?limit=${RECENT}`),
        getJson(`/admin/dashboard/series?since=${since}&buckets=${BUCKETS}`),
        getJson(`/admin/usage?by=day&since=${since}`),
        getJson(`/admin/usage?by=key&since=${since}`),
        getJson('/admin/dashboard/circuits'),
      ]);
      if (mine !== generation) { return; }
      showContent();
      renderTotals(byProvider.total);
      renderUsage($('providers-body'), byProvider.rows);
      renderUsage($('models-body'), byModel.rows);
      renderHealth(health);
      renderBudgets(budgets);
      renderRecent(recent);
      charts.renderSeries(series, $);
      charts.renderSpend(byDay, byKey, $);
      charts.renderCache(byProvider.total, $);
      charts.renderCircuits(circuits, $);
      setStatus('live', 'Live · updated ' + new Date().toLocaleTimeString('en-GB'));
      schedule();
    } catch (error) {
      if (mine !== generation) { return; }
      if (error instanceof AuthRequired) {
        showAuth(storedKey() !== null);
        return; // no polling until a key is given
      }
      setStatus('error', 'Could not refresh: ' + error.message);
      schedule();
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, POLL_MS);
  }

  // --- Rendering helpers -------------------------------------------------------------------------------------
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props ?? {})) {
      if (value === undefined || value === null) { continue; }
      if (name === 'className') { node.className = value; } else if (name.startsWith('data-') || name === 'title') {
        node.setAttribute(name, String(value));
      } else { node[name] = value; }
    }
    for (const child of children) {
      if (child === null || child === undefined) { continue; }
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function fill(tbody, rows, columns, emptyText) {
    tbody.replaceChildren(...(rows.length > 0 ? rows : [el('tr', null, el('td', { className: 'empty', colSpan: columns }, emptyText))]));
  }

  const num = (n) => (n === null || n === undefined ? '–' : numberFormat.format(n));
  const ms = (v) => (v === null || v === undefined ? '–' : v < 1000 ? Math.round(v) + ' ms' : (v / 1000).toFixed(2) + ' s');
  const pct = (v) => (v === null || v === undefined ? '–' : (v * 100).toFixed(v >= 0.999 || v === 0 ? 0 : 1) + '%');

  function usd(value) {
    if (value === null || value === undefined) { return '–'; }
    const v = Number(value);
    const digits = v === 0 ? 2 : Math.abs(v) >= 1 ? 2 : Math.abs(v) >= 0.01 ? 4 : 6;
    return '$' + v.toFixed(digits);
  }

  function ago(timestamp) {
    const seconds = Math.max(0, Math.round((Date.now() - Date.parse(timestamp)) / 1000));
    if (seconds < 60) { return seconds + 's ago'; }
    if (seconds < 3600) { return Math.floor(seconds / 60) + 'm ago'; }
    if (seconds < 86400) { return Math.floor(seconds / 3600) + 'h ago'; }
    return Math.floor(seconds / 86400) + 'd ago';
  }

  function circuitBadge(state) {
    const kind = { closed: 'badge-ok', 'half-open': 'badge-warn', open: 'badge-bad' }[state] ?? 'badge-muted';
    return el('span', { className: 'badge ' + kind }, state);
  }

  // --- Sections ----------------------------------------------------------------------------------------------
  function renderTotals(total) {
    $('total-requests').textContent = num(total.requests);
    $('total-attempts').textContent = num(total.attempts) + ' attempts';
    $('total-errors').textContent = num(total.errors);
    $('total-error-rate').textContent = pct(total.error_rate) + ' of attempts failed';
    $('total-cost').textContent = usd(total.cost_usd);
    $('total-cost').dataset.usd = String(total.cost_usd);
    $('total-saved').textContent = total.cost_saved_usd > 0 ? usd(total.cost_saved_usd) + ' saved by the cache' : '';
    $('total-tokens').textContent = num(total.input_tokens + total.output_tokens);
    $('total-tokens-split').textContent = `${num(total.input_tokens)} in · ${num(total.output_tokens)} out`;
    $('total-latency').textContent = `${ms(total.latency_p50_ms)} / ${ms(total.latency_p95_ms)}`;
    $('total-cache').textContent = num(total.cache_hits) + ' cache hits';
  }

  function renderUsage(tbody, rows) {
    fill(tbody, rows.map((r) => el('tr', { 'data-group': r.group },
      el('td', null, r.group),
      el('td', { className: 'num' }, num(r.requests)),
      el('td', { className: 'num' + (r.errors > 0 ? ' error-text' : '') }, num(r.errors)),
      el('td', { className: 'num' }, `${num(r.input_tokens)} / ${num(r.output_tokens)}`),
      el('td', { className: 'num', 'data-usd': r.cost_usd }, usd(r.cost_usd)),
      el('td', { className: 'num' }, ms(r.latency_p50_ms)))), 6, 'No traffic in this window.');
  }

  function renderHealth(deployments) {
    fill($('health-body'), deployments.map((d) => {
      const headroom = [d.requests_headroom != null ? num(d.requests_headroom) + ' req' : null,
        d.tokens_headroom != null ? num(d.tokens_headroom) + ' tok' : null].filter(Boolean).join(' · ') || '–';
      const lastError = d.last_error_kind
        ? el('td', { className: 'last-error' },
          el('span', { className: 'badge badge-bad' }, d.last_error_kind), ' ',
          d.last_error_at ? el('span', { className: 'muted' }, ago(d.last_error_at)) : null,
          d.last_error && d.last_error !== d.last_error_kind ? el('span', { className: 'detail' }, d.last_error) : null)
        : el('td', { className: 'last-error muted' }, '–');
      return el('tr', { 'data-deployment': d.deployment },
        el('td', null, el('strong', null, d.provider), '/' + d.model),
        el('td', { className: 'circuit' }, circuitBadge(d.circuit)),
        el('td', { className: 'num' + (d.success_rate < 0.9 ? ' error-text' : '') }, pct(d.success_rate)),
        el('td', { className: 'num' }, num(d.requests)),
        el('td', { className: 'num' }, num(d.failures)),
        el('td', { className: 'num' }, ms(d.latency_ms)),
        el('td', { className: 'num' }, ms(d.time_to_first_token_ms)),
        el('td', { className: 'num' }, headroom),
        lastError);
    }), 9, 'No deployments are configured.');
  }

  function bar(fraction) {
    const fillPart = el('span');
    fillPart.style.width = Math.min(100, fraction * 100).toFixed(1) + '%'; // CSSOM, allowed by the style-src policy
    return el('span', { className: 'bar' + (fraction >= 1 ? ' over' : '') }, fillPart);
  }

  function renderBudgets(budgets) {
    fill($('budgets-body'), budgets.map((b) => {
      const used = b.limitUsd > 0 ? (b.spentUsd + b.reservedUsd) / b.limitUsd : 0;
      return el('tr', { 'data-budget': b.name },
        el('td', null, b.name),
        el('td', null, b.target ? `${b.scope}: ${b.target}` : b.scope),
        el('td', null, b.window),
        el('td', { className: 'num' }, usd(b.spentUsd)),
        el('td', { className: 'num' }, usd(b.reservedUsd)),
        el('td', { className: 'num' }, usd(b.limitUsd)),
        el('td', null, bar(used), ' ', pct(used)));
    }), 7, 'No budgets are configured (Switchboard:Budgets).');
  }

  function renderRecent(requests) {
    fill($('recent-body'), requests.map((r) => el('tr', { 'data-request-id': r.request_id },
      el('td', { title: r.timestamp }, new Date(r.timestamp).toLocaleTimeString('en-GB')),
      el('td', { className: 'mono', title: r.request_id }, r.request_id.slice(0, 12)),
      el('td', { className: 'mono' }, r.key_id ?? '–'),
      el('td', null, r.route ?? '–'),
      el('td', { className: 'served-by' }, r.deployment, r.cache_hit ? el('span', { className: 'badge badge-ok' }, ' cache') : null),
      el('td', { className: 'attempts' }, ...r.attempts.map((a) => el('span', { className: 'attempt' + (a.outcome === 'success' ? '' : ' failed') },
        `${a.number}. ${a.deployment} ${a.outcome === 'success' ? '✓' : '✗ ' + (a.error_kind ?? a.outcome)}` +
        (a.status_code ? ` (${a.status_code})` : '')))),
      el('td', { className: 'num' }, `${num(r.input_tokens)} / ${num(r.output_tokens)}`),
      el('td', { className: 'num', 'data-usd': r.cost_usd }, usd(r.cost_usd)),
      el('td', { className: 'num' }, ms(r.latency_ms)),
      el('td', null, el('span', { className: 'badge ' + (r.outcome === 'success' ? 'badge-ok' : 'badge-bad') }, r.outcome)))),
    10, 'No requests recorded yet.');
  }

  // --- Page state --------------------------------------------------------------------------------------------
  function setStatus(kind, text) {
    const status = $('status');
    status.className = 'status ' + kind;
    status.textContent = text;
  }

  function showContent() {
    $('auth').hidden = true;
    $('content').hidden = false;
    $('sign-out').hidden = storedKey() === null;
    document.dispatchEvent(new Event('switchboard:live'));
  }

  function showAuth(refused) {
    clearTimeout(timer);
    $('content').hidden = true;
    $('auth').hidden = false;
    $('sign-out').hidden = true;
    const message = $('auth-message');
    if (refused) {
      storeKey(null);
      message.textContent = 'The key was refused (401 Unauthorized): it is not this gateway\'s master key. Check it and try again.';
      message.className = 'refused';
    } else {
      message.textContent = 'This gateway is protected by a master key (401 Unauthorized without it). Enter it to see the dashboard.';
      message.className = '';
    }
    setStatus('error', 'Master key required');
    $('auth-key').focus();
  }

  function start() {
    $('auth-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const input = $('auth-key');
      const key = input.value.trim();
      input.value = '';
      if (key) { storeKey(key); setStatus('', 'Checking the key…'); refresh(); }
    });
    $('sign-out').addEventListener('click', () => { storeKey(null); refresh(); });
    $('window').addEventListener('change', () => refresh());
    refresh();
  }

  start();
})();
