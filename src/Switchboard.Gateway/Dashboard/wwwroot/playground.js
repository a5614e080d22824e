// Switchboard playground: streams one answer through the gateway's own /v1/chat/completions with the chosen route,
// task and preference, then shows who served it, why, every attempt and the cost (from the ledger's record of it).
// Everything is written with textContent. The master key, when there is one, comes from this tab's session storage.
'use strict';

(() => {
  const KEY_STORAGE = 'switchboard.masterKey';
  const $ = (id) => document.getElementById(id);
  let routes = [];
  let busy = false;

  function headers(extra) {
    const all = { Accept: 'application/json', ...extra };
    let key = null;
    try { key = sessionStorage.getItem(KEY_STORAGE); } catch { /* storage disabled */ }
    if (key) { all.Authorization = 'Bearer ' + key; }
    return all;
  }

  async function loadRoutes() {
    if (routes.length > 0) { return; }
    const response = await fetch('/admin/dashboard/routes', { headers: headers(), cache: 'no-store' });
    if (!response.ok) { return; } // not signed in yet: tried again when the form is used
    routes = await response.json();
    $('play-route').replaceChildren(...routes.map((r) => {
      const option = document.createElement('option');
      option.value = r.name;
      option.textContent = `${r.name} (${r.policy})${r.is_default ? ' · default' : ''}`;
      return option;
    }));
  }

  function meta(id, text) {
    $(id).textContent = text;
  }

  function status(text, kind) {
    const node = $('play-status');
    node.textContent = text;
    node.className = 'play-status ' + (kind ?? '');
  }

  // The SSE stream of an OpenAI chat completion: appends each delta, returns the usage chunk (or throws its error).
  async function readStream(response, output) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let usage = null;
    let done = false;
    while (!done) {
      const chunk = await reader.read();
      if (chunk.done) { break; }
      buffer += decoder.decode(chunk.value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        for (const line of event.split('\n')) {
          if (!line.startsWith('data:')) { continue; }
          const data = line.slice(5).trim();
          if (data === '[DONE]') { done = true; continue; }
          const json = JSON.parse(data);
          if (json.error) { throw new Error(json.error.message ?? 'the stream failed'); }
          const delta = json.choices?.[0]?.delta?.content;
          if (delta) { output.textContent += delta; }
          if (json.usage) { usage = json.usage; }
        }
      }
    }
    if (!done) { throw new Error('the stream ended without [DONE]'); }
    return usage;
  }

  // The ledger stores in batches (an attempt may land a batch before the next one): wait (bounded) until this request's
  // record holds every attempt the answer's x-switchboard-attempts header counted, to learn its attempts and cost.
  async function ledgerRecord(requestId, attempts) {
    let found = null;
    for (let i = 0; i < 40; i++) {
      const response = await fetch('/admin/requests/recent?limit=20', { headers: headers(), cache: 'no-store' });
      if (response.ok) {
        found = (await response.json()).find((r) => r.request_id === requestId) ?? null;
        if (found && found.attempts.length >= attempts) { return found; }
      }
      await new Promise((resolve) => { setTimeout(resolve, 250); });
    }
    return found;
  }

  function why(route, task, prefer, record) {
    const chosen = routes.find((r) => r.name === route);
    const parts = [`route ${route}` + (chosen ? ` (${chosen.policy}: ${chosen.deployments.join(' → ')})` : '')];
    if (task) { parts.push(`task ${task}`); }
    if (prefer) { parts.push(`prefer ${prefer}`); }
    const failed = (record?.attempts ?? []).filter((a) => a.outcome !== 'success');
    parts.push(failed.length === 0 ? 'first candidate answered'
      : `fell back after ${failed.map((a) => `${a.deployment} ${a.error_kind ?? a.outcome}`).join(', ')}`);
    return parts.join(' · ');
  }

  async function send(event) {
    event.preventDefault();
    if (busy) { return; }
    busy = true;
    $('play-send').disabled = true;
    const output = $('play-output');
    output.textContent = '';
    for (const id of ['play-provider', 'play-model', 'play-why', 'play-attempts', 'play-cost', 'play-request']) { meta(id, '…'); }
    $('play-result').dataset.state = 'streaming';
    status('Streaming…');
    const route = $('play-route').value || 'auto';
    const task = $('play-task').value;
    const prefer = $('play-prefer').value;
    try {
      await loadRoutes();
      const extra = { 'Content-Type': 'application/json', Accept: 'text/event-stream' };
      if (task) { extra['x-switchboard-task'] = task; }
      if (prefer) { extra['x-switchboard-prefer'] = prefer; }
      const response = await fetch('/v1/chat/completions', {
        method: 'POST',
        headers: headers(extra),
        cache: 'no-store',
        body: JSON.stringify({ model: route, stream: true, stream_options: { include_usage: true },
          messages: [{ role: 'user', content: $('play-prompt').value }] }),
      });
      if (!response.ok) {
        let message = `${response.status}`;
        try { message += ': ' + ((await response.json())?.error?.message ?? ''); } catch { /* not JSON */ }
        throw new Error(message);
      }
      const requestId = response.headers.get('x-request-id') ?? '';
      const attempts = Number(response.headers.get('x-switchboard-attempts') ?? '1') || 1;
      meta('play-provider', response.headers.get('x-switchboard-provider') ?? '–');
      meta('play-model', response.headers.get('x-switchboard-model') ?? '–');
      meta('play-request', requestId);
      const usage = await readStream(response, output);
      status(`Done · ${usage ? `${usage.prompt_tokens} in, ${usage.completion_tokens} out` : 'no usage reported'}`, 'ok');
      $('play-result').dataset.state = 'done';
      const record = await ledgerRecord(requestId, attempts);
      meta('play-why', why(route, task, prefer, record));
      meta('play-attempts', record ? record.attempts.map((a) => `${a.number}. ${a.deployment} ${a.outcome === 'success' ? '✓' : '✗ ' + (a.error_kind ?? a.outcome)}`).join('  ') : 'not in the ledger yet');
      meta('play-cost', record?.cost_usd !== undefined && record?.cost_usd !== null ? '$' + Number(record.cost_usd).toFixed(6) : 'unknown');
      $('play-cost').dataset.usd = String(record?.cost_usd ?? '');
    } catch (error) {
      $('play-result').dataset.state = 'error';
      status('Failed: ' + error.message, 'error');
    } finally {
      busy = false;
      $('play-send').disabled = false;
    }
  }

  $('play-form').addEventListener('submit', send);
  // The routes are read once the dashboard has data (so with a key that works), never before: no 401 on load.
  document.addEventListener('switchboard:live', () => { loadRoutes().catch(() => { /* retried on the next refresh */ }); });
})();
