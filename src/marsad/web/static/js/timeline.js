// Timeline histogram (SVG): events per bucket from /api/timeline; click a bar or drag across
// bars to filter the dates.
import { h, fill } from './dom.js';
import { bucketEnd, isoDay, fmtNumber } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function nextBucket(date, bucket) {
  const d = new Date(`${date}T00:00:00Z`);
  if (bucket === 'week') d.setUTCDate(d.getUTCDate() + 7);
  else if (bucket === 'month') d.setUTCMonth(d.getUTCMonth() + 1, 1);
  else if (bucket === 'year') d.setUTCFullYear(d.getUTCFullYear() + 1, 0, 1);
  else d.setUTCDate(d.getUTCDate() + 1);
  return isoDay(d);
}

// Fill the empty buckets between the first and the last, so the bars keep a time scale.
function dense(data, bucket) {
  if (data.length < 2) return data;
  const byDate = new Map(data.map((d) => [d.date, d]));
  const out = [];
  let cur = data[0].date;
  const last = data[data.length - 1].date;
  while (cur <= last && out.length < 5000) {
    out.push(byDate.get(cur) || { date: cur, events: 0, fatalities: 0 });
    cur = nextBucket(cur, bucket);
  }
  return out.length < 5000 ? out : data;
}

function label(date, bucket) {
  if (bucket === 'month') return date.slice(0, 7);
  if (bucket === 'year') return date.slice(0, 4);
  return date;
}

export function createTimeline(el, { onRange }) {
  let bucket = 'month';
  let data = [];
  let range = { from: null, to: null };
  let drag = null;
  const head = h('div', { class: 'timeline-head' });
  const plot = h('div', { class: 'timeline-plot' });
  fill(el, head, plot);

  new ResizeObserver(() => render()).observe(plot);

  function setData(newBucket, newData, newRange) {
    bucket = newBucket || 'month';
    data = dense((newData || []).filter((d) => d && d.date), bucket);
    range = newRange || { from: null, to: null };
    render();
  }

  function inRange(d) {
    if (!range.from && !range.to) return true;
    const end = bucketEnd(d.date, bucket);
    return (!range.from || end >= range.from) && (!range.to || d.date <= range.to);
  }

  function render() {
    const totalEvents = data.reduce((a, d) => a + (d.events || 0), 0);
    const totalFat = data.reduce((a, d) => a + (d.fatalities || 0), 0);
    fill(head,
      h('span', { class: 'timeline-title' }, `Timeline · per ${bucket}`),
      h('span', { class: 'muted' }, ` ${fmtNumber(totalEvents)} events, ${fmtNumber(totalFat)} fatalities`),
      range.from || range.to
        ? h('span', { class: 'timeline-range' }, ` · showing ${range.from || '…'} → ${range.to || '…'} `,
          h('button', { type: 'button', class: 'linklike', on: { click: () => onRange(null, null) } }, 'clear dates'))
        : h('span', { class: 'muted' }, ' · click a bar or drag across bars to filter the dates'));
    const width = Math.max(200, plot.clientWidth || 600);
    const height = Math.max(60, plot.clientHeight || 80);
    const padL = 34;
    const padR = 8;
    const padT = 6;
    const padB = 18;
    const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'timeline-svg', role: 'img', 'aria-label': 'events over time' });
    if (!data.length) {
      svg.appendChild(s('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'tl-empty' }, 'no dated events'));
      fill(plot, svg);
      return;
    }
    const max = Math.max(1, ...data.map((d) => d.events || 0));
    const innerW = width - padL - padR;
    const innerH = height - padT - padB;
    const bw = innerW / data.length;
    const y = (v) => padT + innerH - (v / max) * innerH;
    // axis
    svg.appendChild(s('line', { x1: padL, x2: width - padR, y1: padT + innerH + 0.5, y2: padT + innerH + 0.5, class: 'tl-axis' }));
    svg.appendChild(s('text', { x: padL - 4, y: padT + 8, 'text-anchor': 'end', class: 'tl-tick' }, String(max)));
    svg.appendChild(s('text', { x: padL - 4, y: padT + innerH, 'text-anchor': 'end', class: 'tl-tick' }, '0'));
    const nLabels = Math.max(2, Math.min(8, Math.floor(innerW / 90)));
    const step = Math.max(1, Math.ceil(data.length / nLabels));
    for (let i = 0; i < data.length; i += step) {
      svg.appendChild(s('text', { x: padL + i * bw + bw / 2, y: height - 4, 'text-anchor': 'middle', class: 'tl-tick' }, label(data[i].date, bucket)));
    }
    const bars = s('g', { class: 'tl-bars' });
    data.forEach((d, i) => {
      const x = padL + i * bw;
      const bh = Math.max(d.events ? 1.5 : 0, padT + innerH - y(d.events || 0));
      const g = s('g', { class: ['tl-bar', inRange(d) ? 'in' : 'out'].join(' '), 'data-index': i, 'data-date': d.date });
      g.appendChild(s('rect', { x, y: padT, width: bw, height: innerH, class: 'tl-hit' }));
      g.appendChild(s('rect', { x: x + (bw > 4 ? 0.5 : 0), y: padT + innerH - bh, width: Math.max(0.5, bw - (bw > 4 ? 1 : 0)), height: bh, class: 'tl-rect' }));
      g.appendChild(s('title', null, `${label(d.date, bucket)}${bucket === 'day' ? '' : ` (${d.date} → ${bucketEnd(d.date, bucket)})`}: ${d.events} events, ${d.fatalities} fatalities`));
      bars.appendChild(g);
    });
    svg.appendChild(bars);
    const sel = s('rect', { class: 'tl-selection', x: 0, y: padT, width: 0, height: innerH, visibility: 'hidden' });
    svg.appendChild(sel);

    const indexAt = (evt) => {
      const r = svg.getBoundingClientRect();
      const i = Math.floor((evt.clientX - r.left - padL) / bw);
      return Math.max(0, Math.min(data.length - 1, i));
    };
    const showSel = (a, b) => {
      const [i, j] = a <= b ? [a, b] : [b, a];
      sel.setAttribute('x', padL + i * bw);
      sel.setAttribute('width', (j - i + 1) * bw);
      sel.setAttribute('visibility', 'visible');
    };
    svg.addEventListener('pointerdown', (evt) => {
      if (evt.button !== 0) return;
      drag = { start: indexAt(evt), end: indexAt(evt) };
      svg.setPointerCapture(evt.pointerId);
      showSel(drag.start, drag.end);
    });
    svg.addEventListener('pointermove', (evt) => {
      if (!drag) return;
      drag.end = indexAt(evt);
      showSel(drag.start, drag.end);
    });
    const finish = (evt) => {
      if (!drag) return;
      const [i, j] = drag.start <= drag.end ? [drag.start, drag.end] : [drag.end, drag.start];
      drag = null;
      try { svg.releasePointerCapture(evt.pointerId); } catch { /* already released */ }
      const from = data[i].date;
      const to = bucketEnd(data[j].date, bucket);
      if (range.from === from && range.to === to) onRange(null, null); // a second click clears
      else onRange(from, to);
    };
    svg.addEventListener('pointerup', finish);
    svg.addEventListener('pointercancel', () => { drag = null; sel.setAttribute('visibility', 'hidden'); });
    fill(plot, svg);
  }

  return { setData };
}
