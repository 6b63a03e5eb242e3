'use strict';
// The Stores page: every endpoint of /api/v1/stores, by component type, with its health.

// Thanos announces "no bound" with math.MinInt64 and math.MaxInt64 milliseconds, which JavaScript
// reads as about ±9.22e18; anything past what a Date can hold is taken as such.
const LAST_DATE = 8.64e15;
// How Go writes a time never set: the endpoint has not been checked yet.
const NEVER = '0001-01-01T00:00:00Z';

function formatBound(ms) {
  if (ms <= -LAST_DATE) {
    return '-∞';
  }
  return ms >= LAST_DATE ? '+∞' : formatTime(ms);
}

function formatCheck(rfc3339) {
  if (!rfc3339 || rfc3339 === NEVER) {
    return 'never';
  }
  const ms = Date.parse(rfc3339);
  const ago = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return `${formatTime(ms)} (${ago}s ago)`;
}

function labelSets(sets) {
  const lines = (sets || []).map((set) => element('div', { class: 'label-set' },
    ...Object.entries(set).map(([k, v]) => element('span', { class: 'label' }, `${k}=${JSON.stringify(v)}`))));
  return lines.length ? lines : ['none'];
}

function endpointRow(e) {
  const up = e.lastError === null || e.lastError === undefined;
  return element('tr', { class: up ? 'up' : 'down', 'data-endpoint': e.name },
    element('td', { class: 'endpoint' }, e.name),
    element('td', { class: 'health' }, element('span', { class: 'badge ' + (up ? 'up' : 'down') },
      up ? 'UP' : 'DOWN')),
    element('td', { class: 'labels' }, ...labelSets(e.labelSets)),
    element('td', { class: 'min-time' }, formatBound(e.minTime)),
    element('td', { class: 'max-time' }, formatBound(e.maxTime)),
    element('td', { class: 'last-check' }, formatCheck(e.lastCheck)),
    element('td', { class: 'last-error' }, up ? '' : e.lastError));
}

function typeSection(type, endpoints) {
  const head = element('tr', {}, ...['Endpoint', 'Status', 'Announced label sets', 'Min time',
    'Max time', 'Last check', 'Last error'].map((h) => element('th', {}, h)));
  return element('section', { class: 'store-type', 'data-type': type },
    element('h2', {}, `${type} (${endpoints.length})`),
    element('table', { class: 'stores' }, element('thead', {}, head),
      element('tbody', {}, ...endpoints.map(endpointRow))));
}

async function showStores() {
  const box = byId('stores');
  try {
    const data = (await callApi('stores')).data || {};
    const types = Object.keys(data).sort();
    box.replaceChildren(...types.map((t) => typeSection(t, data[t])));
    if (types.length === 0) {
      box.append(element('p', { class: 'empty' }, 'No endpoints have answered yet.'));
    }
    byId('error').hidden = true;
  } catch (e) {
    byId('error').textContent = 'Cannot read the stores: ' + e.message;
    byId('error').hidden = false;
  }
}

byId('refresh').addEventListener('click', showStores);
showStores();
