// The bucket web page: the blocks of /api/v1/blocks on a timeline, one row per group (external
// labels) and resolution. Paths are relative, so the page works under any route prefix.
(function () {
  'use strict';
  const SVG = 'http://www.w3.org/2000/svg';
  // Neighbouring levels in hues far apart, so that a compacted block stands out from its sources.
  const LEVEL_COLOURS = ['#9ecae1', '#fd8d3c', '#74c476', '#9e9ac8', '#e6550d', '#31a354',
    '#756bb1', '#3182bd'];
  const LABEL_WIDTH = 260, LANE = 18, ROW_GAP = 10, AXIS = 24, RIGHT = 10;

  function colour(level) {
    return LEVEL_COLOURS[(Math.max(level, 1) - 1) % LEVEL_COLOURS.length];
  }

  function utc(ms) {
    return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  }

  function labelsText(labels) {
    const names = Object.keys(labels || {}).sort();
    return '{' + names.map(n => n + '="' + labels[n] + '"').join(', ') + '}';
  }

  function resolutionText(ms) {
    if (!ms) return 'raw';
    if (ms % 3600000 === 0) return (ms / 3600000) + 'h';
    if (ms % 60000 === 0) return (ms / 60000) + 'm';
    return (ms / 1000) + 's';
  }

  function bytesText(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  }

  function el(name, attrs, text) {
    const e = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(k => e.setAttribute(k, attrs[k]));
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // Rows keyed by labels and resolution; within a row, blocks that overlap in time (a compacted
  // block and its sources still marked, say) go to separate lanes.
  function rows(blocks) {
    const byKey = new Map();
    blocks.forEach(b => {
      const thanos = b.thanos || {};
      const res = (thanos.downsample || {}).resolution || 0;
      const title = labelsText(thanos.labels) + ' ' + resolutionText(res);
      if (!byKey.has(title)) byKey.set(title, {title: title, blocks: []});
      byKey.get(title).blocks.push(b);
    });
    const out = Array.from(byKey.values()).sort((a, b) => a.title.localeCompare(b.title));
    out.forEach(row => {
      row.blocks.sort((a, b) => a.minTime - b.minTime || b.maxTime - a.maxTime);
      row.lanes = [];
      row.blocks.forEach(b => {
        let lane = row.lanes.findIndex(end => end <= b.minTime);
        if (lane < 0) { lane = row.lanes.length; row.lanes.push(0); }
        row.lanes[lane] = b.maxTime;
        b.lane = lane;
      });
    });
    return out;
  }

  function legend(levels) {
    const box = document.getElementById('legend');
    box.textContent = '';
    const item = (style, text, cls) => {
      const span = document.createElement('span');
      const sw = document.createElement('span');
      sw.className = 'swatch' + (cls ? ' ' + cls : '');
      Object.assign(sw.style, style);
      span.append(sw, text);
      box.append(span);
    };
    levels.forEach(l => item({background: colour(l)}, 'level ' + l));
    item({background: '#ddd', borderColor: '#c00', borderStyle: 'dashed', opacity: 0.7},
      'marked for deletion');
    item({background: '#ddd', borderWidth: '3px'}, 'no-compact');
  }

  function showDetails(b, info, rect) {
    document.querySelectorAll('rect.block.selected').forEach(r => r.classList.remove('selected'));
    rect.classList.add('selected');
    const thanos = b.thanos || {};
    const stats = b.stats || {};
    const compaction = b.compaction || {};
    const rowsOut = [
      ['ULID', b.ulid],
      ['Time range', utc(b.minTime) + ' \u2013 ' + utc(b.maxTime)],
      ['Duration', ((b.maxTime - b.minTime) / 3600000).toFixed(2) + ' h'],
      ['Level', String(compaction.level)],
      ['Sources', String((compaction.sources || []).length)],
      ['Samples', String(stats.numSamples || 0)],
      ['Series', String(stats.numSeries || 0)],
      ['Chunks', String(stats.numChunks || 0)],
      ['Size', info ? bytesText(info.sizeBytes) : 'unknown'],
      ['Labels', labelsText(thanos.labels)],
      ['Resolution', resolutionText((thanos.downsample || {}).resolution || 0)],
      ['Source', thanos.source || ''],
      ['Marked for deletion', info && info.deletionTime != null
        ? 'yes, at ' + utc(info.deletionTime * 1000) : 'no'],
      ['No-compact', info && info.noCompact ? 'yes' : 'no'],
    ];
    const table = document.getElementById('details-table');
    table.textContent = '';
    rowsOut.forEach(([k, v]) => {
      const tr = table.insertRow();
      const th = document.createElement('th');
      th.textContent = k;
      const td = document.createElement('td');
      td.textContent = v;
      td.dataset.field = k;
      tr.append(th, td);
    });
    const copy = Object.assign({}, b);
    delete copy.lane;
    document.getElementById('details-title').textContent = 'Block ' + b.ulid;
    document.getElementById('details-meta').textContent = JSON.stringify(copy, null, 2);
    document.getElementById('details').hidden = false;
  }

  function draw(data) {
    const blocks = data.blocks || [];
    const details = data.details || {};
    const box = document.getElementById('timeline');
    box.textContent = '';
    const levels = Array.from(new Set(blocks.map(b => (b.compaction || {}).level || 1)))
      .sort((a, b) => a - b);
    legend(levels);
    if (blocks.length === 0) {
      box.textContent = 'No blocks in the bucket.';
      return;
    }
    const all = rows(blocks);
    const min = Math.min(...blocks.map(b => b.minTime));
    const max = Math.max(...blocks.map(b => b.maxTime));
    const width = Math.max(box.clientWidth, 600);
    const plot = width - LABEL_WIDTH - RIGHT;
    const x = t => LABEL_WIDTH + (t - min) / Math.max(max - min, 1) * plot;
    const height = AXIS + all.reduce((h, r) => h + r.lanes.length * LANE + ROW_GAP, 0);
    const svg = el('svg', {width: width, height: height, viewBox: '0 0 ' + width + ' ' + height});
    const axis = el('g', {class: 'axis'});
    for (let i = 0; i <= 6; i++) {
      const t = min + (max - min) * i / 6;
      axis.append(el('line', {x1: x(t), x2: x(t), y1: AXIS - 4, y2: height}));
      axis.append(el('text', {x: x(t), y: 12, 'text-anchor': i === 0 ? 'start' : i === 6 ? 'end'
        : 'middle'}, utc(t).slice(0, 16)));
    }
    svg.append(axis);
    let y = AXIS;
    all.forEach(row => {
      const h = row.lanes.length * LANE;
      const g = el('g', {class: 'row', 'data-title': row.title});
      g.append(el('rect', {class: 'row-bg', x: LABEL_WIDTH, y: y, width: plot, height: h}));
      g.append(el('text', {class: 'row-label', x: 0, y: y + h / 2 + 4}, row.title));
      row.blocks.forEach(b => {
        const info = details[b.ulid];
        const level = (b.compaction || {}).level || 1;
        let cls = 'block level-' + level;
        if (info && info.deletionTime != null) cls += ' marked';
        if (info && info.noCompact) cls += ' no-compact';
        const r = el('rect', {class: cls, 'data-ulid': b.ulid, 'data-level': level,
          x: x(b.minTime), y: y + b.lane * LANE + 2,
          width: Math.max(x(b.maxTime) - x(b.minTime) - 1, 2), height: LANE - 4,
          fill: colour(level)});
        r.append(el('title', {}, b.ulid + ' level ' + level + '\n' + utc(b.minTime) + ' \u2013 '
          + utc(b.maxTime)));
        r.addEventListener('click', () => showDetails(b, info, r));
        g.append(r);
      });
      svg.append(g);
      y += h + ROW_GAP;
    });
    box.append(svg);
  }

  async function load() {
    const error = document.getElementById('error');
    try {
      const res = await fetch('api/v1/blocks');
      if (!res.ok) throw new Error('HTTP ' + res.status);
      const body = await res.json();
      const data = body.data || {};
      draw(data);
      document.getElementById('refreshed').textContent = 'bucket listed at '
        + (data.refreshedAt && !data.refreshedAt.startsWith('0001') ? utc(Date.parse(data.refreshedAt))
          : 'not yet');
      error.hidden = !data.err;
      error.textContent = data.err ? 'Last listing failed: ' + data.err : '';
      document.body.dataset.loaded = 'true';
    } catch (e) {
      error.hidden = false;
      error.textContent = 'Cannot load the blocks: ' + e.message;
    }
  }

  load();
})();
