// The article view: the text, right to left, with the event's spans marked. Built from text
// nodes only: the article is untrusted and is never parsed as HTML.
import { h, codePoints, sliceCP } from './dom.js';

// Kinds of marks, in the order their colour wins when several cover the same words
// (the narrowest mark wins first; this order breaks ties).
export const MARK_KINDS = [
  { kind: 'trigger', label: 'trigger (type)', field: 'event_type' },
  { kind: 'date', label: 'date', field: 'event_date' },
  { kind: 'location', label: 'place', field: 'location' },
  { kind: 'fatalities', label: 'fatalities', field: 'fatalities' },
  { kind: 'actor', label: 'actor', field: 'actors' },
  { kind: 'source', label: 'source', field: 'sources' },
];

const isSpan = (s) => Array.isArray(s) && s.length >= 2 && Number.isInteger(s[0]) && Number.isInteger(s[1]);

/**
 * The marks of the claims (extracted events) an article supports for one event:
 * [{kind, start, end, field, label}] with code point offsets.
 */
export function marksFromClaims(claims, detail) {
  const marks = [];
  const evidence = [];
  const group1 = new Set([detail.actor1, ...(detail.assoc_actor_1 || [])].filter(Boolean));
  const group2 = new Set([detail.actor2, ...(detail.assoc_actor_2 || [])].filter(Boolean));
  for (const claim of claims) {
    const ev = claim.event || {};
    const add = (kind, span, field, label) => {
      if (isSpan(span)) marks.push({ kind, start: span[0], end: span[1], field, label });
    };
    for (const span of ev.evidence_spans || []) if (isSpan(span)) evidence.push([span[0], span[1]]);
    add('trigger', ev.trigger_span, 'event_type', `trigger → ${ev.event_type || '?'} / ${ev.sub_event_type || '?'}`);
    add('date', ev.date_span, 'event_date', `date → ${ev.event_date || '?'}`);
    add('location', ev.location_span, 'location', `place → ${ev.location || '?'}`);
    add('fatalities', ev.fatalities_span, 'fatalities', `fatalities → ${ev.fatalities ?? '?'}`);
    for (const c of ev.claims || []) {
      add('fatalities', c.span, 'fatalities', `${c.source || 'a source'} reports ${c.fatalities ?? '?'} killed`);
    }
    for (const span of ev.source_spans || []) add('source', span, 'sources', 'source');
    for (const [actor, spans] of Object.entries(ev.actor_spans || {})) {
      const field = group1.has(actor) ? 'actor1' : group2.has(actor) ? 'actor2' : 'actors';
      for (const span of spans || []) add('actor', span, field, `actor → ${actor}`);
    }
  }
  return { marks, evidence };
}

// Overlapping evidence spans become one block; the blocks keep their order.
function mergeBlocks(spans, n) {
  const sorted = spans
    .map(([s, e]) => [Math.max(0, s), Math.min(n, e)])
    .filter(([s, e]) => s < e)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s < last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/**
 * Render `text` with `evidence` blocks (<mark class="ev-sentence">, whose text is exactly the
 * span's text) and inline `marks` (<span class="m m-KIND">) inside and outside them.
 * `others`: evidence spans of other events in the same article ([{start, end, eventId}]).
 * Returns {element, problems}: problems lists spans that fall outside the text.
 */
export function renderArticleText(text, { evidence = [], marks = [], others = [] } = {}) {
  const cps = codePoints(text);
  const n = cps.length;
  const problems = [];
  const inline = [];
  marks.forEach((m, i) => {
    if (m.start < 0 || m.end > n || m.start >= m.end) {
      problems.push(`${m.kind} span [${m.start}, ${m.end}] is outside the text (${n} characters)`);
      return;
    }
    inline.push({ ...m, id: i, width: m.end - m.start, rank: MARK_KINDS.findIndex((k) => k.kind === m.kind) });
  });
  for (const [s, e] of evidence) {
    if (s < 0 || e > n || s >= e) problems.push(`evidence span [${s}, ${e}] is outside the text (${n} characters)`);
  }
  const blocks = mergeBlocks(evidence, n).map(([start, end]) => ({ start, end, kind: 'evidence' }));
  const otherBlocks = mergeBlocks(others.map((o) => [o.start, o.end]), n)
    .filter(([s, e]) => !blocks.some((b) => s < b.end && e > b.start))
    .map(([start, end]) => ({ start, end, kind: 'other', eventIds: others.filter((o) => o.start < end && o.end > start).map((o) => o.eventId) }));
  const allBlocks = blocks.concat(otherBlocks).sort((a, b) => a.start - b.start);

  const cuts = new Set([0, n]);
  for (const b of allBlocks) {
    cuts.add(b.start);
    cuts.add(b.end);
  }
  for (const m of inline) {
    cuts.add(m.start);
    cuts.add(m.end);
  }
  const points = Array.from(cuts).sort((a, b) => a - b);

  const root = h('div', { class: 'article-text', dir: 'rtl', lang: 'ar' });
  let blockIndex = 0;
  let container = root;
  let current = null;
  for (let i = 0; i + 1 < points.length; i++) {
    const s = points[i];
    const e = points[i + 1];
    while (blockIndex < allBlocks.length && allBlocks[blockIndex].end <= s) blockIndex++;
    const block = allBlocks[blockIndex];
    const inBlock = block && block.start <= s && e <= block.end;
    if (inBlock && current !== block) {
      current = block;
      if (block.kind === 'evidence') {
        container = h('mark', {
          class: 'ev-sentence',
          dataset: { start: block.start, end: block.end, fields: 'evidence' },
          title: 'evidence of this event',
        });
      } else {
        container = h('span', {
          class: 'ev-other',
          dataset: { start: block.start, end: block.end, events: block.eventIds.join(' ') },
          title: `evidence of event${block.eventIds.length > 1 ? 's' : ''} ${block.eventIds.map((id) => `#${id}`).join(', ')}`,
        });
      }
      root.appendChild(container);
    } else if (!inBlock) {
      current = null;
      container = root;
    }
    const piece = sliceCP(cps, s, e);
    const active = inline.filter((m) => m.start <= s && e <= m.end);
    if (!active.length) {
      container.appendChild(document.createTextNode(piece));
      continue;
    }
    active.sort((a, b) => a.width - b.width || a.rank - b.rank);
    const top = active[0];
    const kinds = Array.from(new Set(active.map((m) => m.kind)));
    const fields = Array.from(new Set(active.map((m) => m.field)));
    const labels = Array.from(new Set(active.map((m) => m.label)));
    container.appendChild(h('span', {
      class: ['m', `m-top-${top.kind}`, ...kinds.map((k) => `m-${k}`)],
      dataset: { fields: fields.join(' '), marks: active.map((m) => m.id).join(' ') },
      title: labels.join('\n'),
    }, piece));
  }
  return { element: root, problems };
}

export function markLegend() {
  return h('div', { class: 'mark-legend', 'aria-label': 'colours of the marked spans' },
    h('span', { class: 'legend-item' }, h('mark', { class: 'ev-sentence legend-swatch' }, 'evidence')),
    MARK_KINDS.map((k) => h('span', { class: 'legend-item' }, h('span', { class: ['m', `m-top-${k.kind}`, `m-${k.kind}`, 'legend-swatch'] }, k.label))),
    h('span', { class: 'legend-item' }, h('span', { class: 'ev-other legend-swatch' }, 'other events')));
}
