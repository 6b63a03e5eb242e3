'use strict';
// The Graph page: one expression, run as a range query drawn by uPlot (tab 0) or as an instant
// query listed in a table (tab 1). Its state lives in the URL, in the g0.* parameters of
// Prometheus's and Thanos's graph pages, so their links open here the same query.

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2',
  '#7f7f7f', '#bcbd22', '#17becf'];
const CHART_HEIGHT = 400;

const controls = {
  expr: byId('expr'), range: byId('range'), end: byId('end'), step: byId('step'),
  dedup: byId('dedup'), partial: byId('partial'), resolution: byId('resolution'),
};
let tab = 0;
let chart = null;
let runs = 0; // answers to an older run are dropped

/** The state a URL asks for; what it leaves out comes from the server's flags. */
function stateOfUrl(defaults) {
  const p = new URLSearchParams(location.search);
  const flag = (name, fallback) => (p.has(name) ? p.get(name) === '1' : fallback);
  return {
    expr: p.get('g0.expr') || '',
    tab: p.get('g0.tab') === '1' ? 1 : 0,
    range: p.get('g0.range_input') || '1h',
    end: p.get('g0.end_input') || p.get('g0.moment_input') || '',
    step: p.get('g0.step_input') || '',
    dedup: flag('g0.deduplicate', true),
    partial: flag('g0.partial_response', defaults.partial),
    resolution: p.get('g0.max_source_resolution') || defaults.resolution,
  };
}

function showState(state) {
  for (const name of ['expr', 'range', 'end', 'step']) {
    controls[name].value = state[name];
  }
  controls.dedup.checked = state.dedup;
  controls.partial.checked = state.partial;
  if (![...controls.resolution.options].some((o) => o.value === state.resolution)) {
    controls.resolution.append(element('option', { value: state.resolution }, state.resolution));
  }
  controls.resolution.value = state.resolution;
  showTab(state.tab);
}

function writeUrl() {
  const p = new URLSearchParams();
  p.set('g0.expr', controls.expr.value);
  p.set('g0.tab', String(tab));
  p.set('g0.range_input', controls.range.value);
  if (controls.end.value) {
    p.set('g0.end_input', controls.end.value);
    p.set('g0.moment_input', controls.end.value); // the table's time, in Prometheus
  }
  if (controls.step.value) {
    p.set('g0.step_input', controls.step.value);
  }
  p.set('g0.deduplicate', controls.dedup.checked ? '1' : '0');
  p.set('g0.partial_response', controls.partial.checked ? '1' : '0');
  p.set('g0.max_source_resolution', controls.resolution.value);
  history.replaceState(null, '', '?' + p);
}

function showTab(which) {
  tab = which;
  for (const button of document.querySelectorAll('[data-tab]')) {
    button.setAttribute('aria-selected', String(Number(button.dataset.tab) === tab));
  }
  byId('graph-panel').hidden = tab !== 0;
  byId('table-panel').hidden = tab !== 1;
  for (const e of document.querySelectorAll('.graph-only')) {
    e.hidden = tab !== 0;
  }
}

function showError(message) {
  byId('error').textContent = message;
  byId('error').hidden = !message;
}

function showWarnings(warnings) {
  byId('warnings').replaceChildren(
    ...(warnings || []).map((w) => element('div', { class: 'warning' }, 'Warning: ' + w)));
}

async function execute() {
  writeUrl();
  showError('');
  showWarnings([]);
  const expr = controls.expr.value.trim();
  if (!expr) {
    return;
  }
  const end = controls.end.value ? parseTime(controls.end.value) : Date.now();
  if (Number.isNaN(end)) {
    showError('End time is not a UTC time as YYYY-MM-DD HH:mm:ss: ' + controls.end.value);
    return;
  }
  const params = {
    query: expr,
    dedup: String(controls.dedup.checked),
    partial_response: String(controls.partial.checked),
    max_source_resolution: controls.resolution.value,
  };
  const run = ++runs;
  const started = performance.now();
  byId('stats').textContent = 'Loading…';
  try {
    let answer;
    let count;
    if (tab === 0) {
      const range = parseDuration(controls.range.value);
      if (!(range > 0)) {
        throw new Error('Range is not a duration such as 1h or 30m: ' + controls.range.value);
      }
      Object.assign(params, { start: (end / 1000 - range).toFixed(3), end: (end / 1000).toFixed(3) });
      if (controls.step.value) {
        params.step = controls.step.value;
      }
      answer = await callApi('query_range', params, 'POST');
      if (run === runs) {
        count = drawGraph(answer.data);
      }
    } else {
      params.time = (end / 1000).toFixed(3);
      answer = await callApi('query', params, 'POST');
      if (run === runs) {
        count = fillTable(answer.data);
      }
    }
    if (run === runs) {
      showWarnings(answer.warnings);
      byId('stats').textContent = `Load time: ${Math.round(performance.now() - started)} ms · `
        + `Result series: ${count}`;
    }
  } catch (e) {
    if (run === runs) {
      showError(e.message);
      byId('stats').textContent = '';
      clearResults(); // not to be taken for this query's
    }
  }
}

const sampleValue = (text) => {
  const v = Number(text);
  return Number.isFinite(v) ? v : null; // NaN and ±Inf cannot be drawn
};

function clearResults() {
  if (chart) {
    chart.destroy();
    chart = null;
  }
  byId('chart').replaceChildren();
  byId('result-table').tBodies[0].replaceChildren();
}

/** Draws a matrix; returns the number of series. */
function drawGraph(data) {
  const box = byId('chart');
  clearResults();
  const series = data.resultType === 'matrix' ? data.result : [];
  if (series.length === 0) {
    box.append(element('p', { class: 'empty' }, 'Empty query result'));
    return 0;
  }
  // uPlot wants one x array for all series: the union of their times, gaps as nulls.
  const times = [...new Set(series.flatMap((s) => s.values.map((v) => v[0])))].sort((a, b) => a - b);
  const column = new Map(times.map((t, i) => [t, i]));
  const columns = series.map((s) => {
    const ys = new Array(times.length).fill(null);
    s.values.forEach(([t, v]) => { ys[column.get(t)] = sampleValue(v); });
    return ys;
  });
  chart = new uPlot({
    width: box.clientWidth || 800,
    height: CHART_HEIGHT,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    series: [{ label: 'Time (UTC)' }, ...series.map((s, i) => ({
      label: formatLabels(s.metric),
      stroke: COLORS[i % COLORS.length],
      width: 1.5,
    }))],
  }, [times, ...columns], box);
  return series.length;
}

/** Lists an instant query's result; returns the number of rows. */
function fillTable(data) {
  const rows = [];
  switch (data.resultType) {
    case 'vector':
      data.result.forEach((r) => rows.push([formatLabels(r.metric), r.value[1]]));
      break;
    case 'matrix':
      data.result.forEach((r) => rows.push([formatLabels(r.metric),
        r.values.map(([t, v]) => `${v} @${t}`).join('\n')]));
      break;
    default: // scalar, string
      rows.push([data.resultType, data.result[1]]);
  }
  const body = byId('result-table').tBodies[0];
  body.replaceChildren(...rows.map(([series, value]) => element('tr', {},
    element('td', { class: 'series' }, series), element('td', { class: 'value' }, value))));
  if (rows.length === 0) {
    body.append(element('tr', {}, element('td', { class: 'empty', colspan: '2' }, 'Empty query result')));
  }
  return rows.length;
}

/** What this querier does when a request does not say: from its flags, as Thanos's UI does. */
async function serverDefaults() {
  try {
    const flags = (await callApi('status/flags')).data;
    return {
      partial: flags['query.partial-response'] !== 'false',
      resolution: flags['query.auto-downsampling'] === 'true' ? 'auto' : '0s',
    };
  } catch (e) {
    return { partial: true, resolution: '0s' };
  }
}

async function loadMetricNames() {
  try {
    const names = (await callApi('label/__name__/values')).data;
    byId('metric-names').replaceChildren(...names.map((n) => element('option', { value: n })));
  } catch (e) {
    // Completion is a help; the page works without it.
  }
}

async function start() {
  byId('query-form').addEventListener('submit', (e) => {
    e.preventDefault();
    execute();
  });
  for (const button of document.querySelectorAll('[data-tab]')) {
    button.addEventListener('click', () => {
      showTab(Number(button.dataset.tab));
      execute();
    });
  }
  for (const c of [controls.dedup, controls.partial, controls.resolution]) {
    c.addEventListener('change', execute);
  }
  window.addEventListener('resize', () => {
    if (chart) {
      chart.setSize({ width: byId('chart').clientWidth, height: CHART_HEIGHT });
    }
  });
  loadMetricNames();
  showState(stateOfUrl(await serverDefaults()));
  document.documentElement.dataset.ready = '1'; // for tests: the controls show the URL's state
  if (controls.expr.value) {
    execute();
  }
}

start();
