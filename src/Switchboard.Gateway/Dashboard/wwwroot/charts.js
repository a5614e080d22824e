// Switchboard dashboard charts: SVG drawn by hand (no library, nothing loaded from elsewhere; the strict CSP holds).
// Every mark carries its data in data-* attributes and a <title>, so a reader (and the browser tests) can check it.
'use strict';

window.SwitchboardCharts = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  const W = 360;
  const H = 150;
  const PAD = { left: 44, right: 8, top: 10, bottom: 22 };

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(NS, tag);
    for (const [name, value] of Object.entries(attrs ?? {})) {
      if (value !== undefined && value !== null) { node.setAttribute(name, String(value)); }
    }
    for (const child of children) {
      if (child !== null && child !== undefined) { node.append(child instanceof Node ? child : document.createTextNode(String(child))); }
    }
    return node;
  }

  function frame(name, label, max, format) {
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart-svg', role: 'img', 'aria-label': label, 'data-chart': name, 'data-max': max });
    const bottom = H - PAD.bottom;
    root.append(
      svg('line', { class: 'axis', x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: bottom }),
      svg('line', { class: 'axis', x1: PAD.left, y1: bottom, x2: W - PAD.right, y2: bottom }),
      svg('line', { class: 'gridline', x1: PAD.left, y1: PAD.top, x2: W - PAD.right, y2: PAD.top }),
      svg('text', { class: 'tick', x: PAD.left - 4, y: PAD.top + 4, 'text-anchor': 'end' }, format(max)),
      svg('text', { class: 'tick', x: PAD.left - 4, y: bottom, 'text-anchor': 'end' }, format(0)));
    return root;
  }

  const y = (value, max) => (H - PAD.bottom) - (value / max) * (H - PAD.bottom - PAD.top);
  const niceMax = (values) => { const m = Math.max(0, ...values); return m > 0 ? m : 1; };

  // One line per series over buckets; gaps (null) break the line. series: [{ key, index, points: [{ start, value }] }]
  function lineChart(container, name, label, series, format, empty) {
    const values = series.flatMap((s) => s.points.map((p) => p.value).filter((v) => v !== null));
    if (values.length === 0) {
      container.replaceChildren(svg('svg', { viewBox: `0 0 ${W} 40`, class: 'chart-svg empty', 'data-chart': name, 'data-empty': 'true' },
        svg('text', { x: W / 2, y: 24, 'text-anchor': 'middle', class: 'tick' }, empty)));
      return;
    }
    const max = niceMax(values);
    const root = frame(name, label, max, format);
    const count = Math.max(1, ...series.map((s) => s.points.length));
    const x = (i) => PAD.left + (count === 1 ? 0.5 : i / (count - 1)) * (W - PAD.left - PAD.right);
    for (const s of series) {
      let d = '';
      let pen = false;
      const group = svg('g', { class: `series series-${s.index % 6}`, 'data-series': s.key,
        'data-total': s.points.reduce((sum, p) => sum + (p.value ?? 0), 0) });
      s.points.forEach((p, i) => {
        if (p.value === null) { pen = false; return; }
        d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value, max).toFixed(1)}`;
        pen = true;
        group.append(svg('circle', { class: 'point', cx: x(i).toFixed(1), cy: y(p.value, max).toFixed(1), r: 2.5,
          'data-value': p.value, 'data-start': p.start }, svg('title', null, `${s.key} · ${new Date(p.start).toLocaleTimeString('en-GB')} · ${format(p.value)}`)));
      });
      group.prepend(svg('path', { class: 'line', d }));
      root.append(group);
    }
    container.replaceChildren(root);
  }

  // Vertical bars: bars: [{ label, value }]
  function barChart(container, name, label, bars, format, empty) {
    if (bars.length === 0) {
      container.replaceChildren(svg('svg', { viewBox: `0 0 ${W} 40`, class: 'chart-svg empty', 'data-chart': name, 'data-empty': 'true' },
        svg('text', { x: W / 2, y: 24, 'text-anchor': 'middle', class: 'tick' }, empty)));
      return;
    }
    const max = niceMax(bars.map((b) => b.value));
    const root = frame(name, label, max, format);
    const slot = (W - PAD.left - PAD.right) / bars.length;
    bars.forEach((b, i) => {
      const top = y(b.value, max);
      const left = PAD.left + i * slot + slot * 0.15;
      root.append(svg('g', { class: 'bar-group', 'data-label': b.label, 'data-value': b.value },
        svg('rect', { class: 'bar-rect', x: left.toFixed(1), y: top.toFixed(1), width: (slot * 0.7).toFixed(1),
          height: Math.max(0, H - PAD.bottom - top).toFixed(1) }, svg('title', null, `${b.label}: ${format(b.value)}`)),
        svg('text', { class: 'tick', x: (left + slot * 0.35).toFixed(1), y: H - 6, 'text-anchor': 'middle' },
          b.label.length > 12 ? b.label.slice(0, 11) + '…' : b.label)));
    });
    container.replaceChildren(root);
  }

  // --- The dashboard's chart sections -----------------------------------------------------------------------
  const count = (v) => String(Math.round(v));
  const ms = (v) => (v < 1000 ? Math.round(v) + ' ms' : (v / 1000).toFixed(1) + ' s');
  const usd = (v) => '$' + Number(v).toFixed(v >= 1 || v === 0 ? 2 : 4);

  function renderSeries(doc, $) {
    const lines = doc.providers;
    const series = (pick) => lines.map((line, index) => ({ key: line.provider, index,
      points: line.buckets.map((b) => ({ start: b.start, value: pick(b) })) }));
    const empty = 'No provider traffic in this window.';
    lineChart($('chart-requests'), 'requests', 'Requests per provider', series((b) => b.requests), count, empty);
    lineChart($('chart-errors'), 'errors', 'Errors per provider', series((b) => b.errors), count, empty);
    lineChart($('chart-p50'), 'latency-p50', 'Latency p50 per provider', series((b) => b.latency_p50_ms ?? null), ms, empty);
    lineChart($('chart-p95'), 'latency-p95', 'Latency p95 per provider', series((b) => b.latency_p95_ms ?? null), ms, empty);
    lineChart($('chart-ttft'), 'ttft', 'Time to first token per provider', series((b) => b.time_to_first_token_ms ?? null), ms,
      'No streamed answers in this window.');
    const legend = $('chart-legend');
    legend.replaceChildren(...lines.map((line, index) => {
      const item = document.createElement('span');
      item.className = `legend-item series-${index % 6}`;
      item.dataset.provider = line.provider;
      item.textContent = line.provider;
      return item;
    }));
    const bucket = doc.bucket_seconds >= 3600 ? (doc.bucket_seconds / 3600).toFixed(1) + ' h' : Math.round(doc.bucket_seconds / 60) + ' min';
    $('series-note').textContent = `${doc.requests} request${doc.requests === 1 ? '' : 's'} reached a provider; ${bucket} buckets` +
      (doc.truncated ? ' (only the most recent 500 requests: older ones in this window are not drawn)' : '');
  }

  function renderSpend(byDay, byKey, $) {
    barChart($('chart-spend-day'), 'spend-day', 'Spend per day', byDay.rows.map((r) => ({ label: r.group, value: Number(r.cost_usd) })),
      usd, 'No spend in this window.');
    barChart($('chart-spend-key'), 'spend-key', 'Spend per key', byKey.rows.map((r) => ({ label: r.group || '(no key)', value: Number(r.cost_usd) })),
      usd, 'No spend in this window.');
  }

  function renderCache(total, $) {
    const rate = total.requests > 0 ? total.cache_hits / total.requests : 0;
    $('cache-rate').textContent = (rate * 100).toFixed(rate === 0 || rate === 1 ? 0 : 1) + '%';
    $('cache-rate').dataset.rate = String(rate);
    $('cache-saved').textContent = `${total.cache_hits} of ${total.requests} requests answered from the cache · ${usd(total.cost_saved_usd)} saved`;
    barChart($('chart-cache'), 'cache', 'Cache hits and misses', [
      { label: 'hits', value: total.cache_hits }, { label: 'misses', value: Math.max(0, total.requests - total.cache_hits) }], count, '');
  }

  function renderCircuits(changes, $) {
    const body = $('circuits-body');
    if (changes.length === 0) {
      const row = document.createElement('tr');
      const cell = document.createElement('td');
      cell.colSpan = 3;
      cell.className = 'empty';
      cell.textContent = 'No circuit has changed state since the gateway started.';
      row.append(cell);
      body.replaceChildren(row);
      return;
    }
    body.replaceChildren(...changes.map((c) => {
      const row = document.createElement('tr');
      row.dataset.deployment = c.deployment;
      for (const text of [new Date(c.at).toLocaleTimeString('en-GB'), c.deployment, `${c.from} → ${c.to}`]) {
        const cell = document.createElement('td');
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    }));
  }

  return { lineChart, barChart, renderSeries, renderSpend, renderCache, renderCircuits };
})();
