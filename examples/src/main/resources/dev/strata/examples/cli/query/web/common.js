'use strict';
// What both pages share: calls to the API, and how labels, times and durations are written.
// Every URL is relative to the page, so the UI works under any --web.route-prefix.

/**
 * Calls api/v1/<path> and resolves to the whole answer ({status, data, warnings}); an answer of
 * status "error", or one that is not JSON, rejects with the server's message.
 */
async function callApi(path, params = {}, method = 'GET') {
  const body = new URLSearchParams(params);
  const url = 'api/v1/' + path + (method === 'GET' && [...body].length ? '?' + body : '');
  const response = await fetch(url, method === 'GET' ? {} : { method, body });
  const text = await response.text();
  let answer;
  try {
    answer = JSON.parse(text);
  } catch (e) {
    throw new Error(`${response.status} ${response.statusText}: ${text.trim() || 'no answer'}`);
  }
  if (answer.status !== 'success') {
    throw new Error(answer.errorType ? `${answer.errorType}: ${answer.error}` : answer.error);
  }
  return answer;
}

/** A series as PromQL writes it: name{label="value", ...}. */
function formatLabels(metric) {
  const name = metric.__name__ || '';
  const pairs = Object.keys(metric).filter((k) => k !== '__name__')
    .map((k) => `${k}=${JSON.stringify(metric[k])}`);
  return pairs.length || !name ? `${name}{${pairs.join(', ')}}` : name;
}

const pad = (n) => String(n).padStart(2, '0');

/** Milliseconds as Prometheus's UI writes an end time: "YYYY-MM-DD HH:mm:ss", UTC. */
function formatTime(ms) {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} `
    + `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** The inverse of formatTime (seconds and a "T" optional); NaN when it is not such a time. */
function parseTime(text) {
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d)(:\d\d(\.\d+)?)?Z?$/.exec(text.trim());
  return m ? Date.parse(`${m[1]}T${m[2]}${m[3] || ':00'}Z`) : NaN;
}

const DURATION_UNITS = { y: 31536000, w: 604800, d: 86400, h: 3600, m: 60, s: 1, ms: 0.001 };

/** A Prometheus duration ("1h", "1h30m", "90s") in seconds; NaN when it is not one. */
function parseDuration(text) {
  const parts = text.trim().match(/\d+(ms|y|w|d|h|m|s)/g);
  if (!parts || parts.join('') !== text.trim()) {
    return NaN;
  }
  return parts.reduce((sum, p) => {
    const [, n, unit] = /^(\d+)(\D+)$/.exec(p);
    return sum + Number(n) * DURATION_UNITS[unit];
  }, 0);
}

const byId = (id) => document.getElementById(id);

/** A new element with attributes (a "class" among them) and children (nodes or text). */
function element(tag, attributes = {}, ...children) {
  const e = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    e.setAttribute(name, value);
  }
  e.append(...children);
  return e;
}
