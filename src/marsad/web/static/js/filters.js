// The filter bar: its state, its form, and the API query it stands for.
import { h, fill, bdi } from './dom.js';
import { typeColor, TYPE_ORDER, STATUSES, DEFAULT_STATUSES, debounce, fmtNumber } from './format.js';

export function emptyFilters() {
  return {
    q: '', date_from: '', date_to: '', country: [], admin1: [], event_type: [], sub_event_type: [],
    actor: '', fatalities: '', status: DEFAULT_STATUSES.slice(), inView: false,
  };
}

const HASH_KEYS = {
  q: 'q', date_from: 'from', date_to: 'to', country: 'country', admin1: 'admin1', event_type: 'type',
  sub_event_type: 'sub', actor: 'actor', fatalities: 'fat', status: 'status', inView: 'inview',
};

/** Filters -> the query of /api/events and /api/timeline. */
export function filtersToQuery(f, { dates = true, bbox = null } = {}) {
  const p = new URLSearchParams();
  if (dates) {
    if (f.date_from && f.date_to) {
      p.set('event_date', `${f.date_from}|${f.date_to}`);
      p.set('event_date_where', 'BETWEEN');
    } else if (f.date_from) {
      p.set('event_date', f.date_from);
      p.set('event_date_where', '>=');
    } else if (f.date_to) {
      p.set('event_date', f.date_to);
      p.set('event_date_where', '<=');
    }
  }
  for (const key of ['country', 'admin1', 'event_type', 'sub_event_type']) {
    if (f[key].length) p.set(key, f[key].join('|'));
  }
  if (f.actor.trim()) p.set('actor', f.actor.trim());
  const fat = parseInt(f.fatalities, 10);
  if (Number.isFinite(fat) && fat > 0) p.set('fatalities', String(fat));
  if (f.q.trim()) p.set('q', f.q.trim());
  if (f.status.length) p.set('status', f.status.join('|'));
  if (f.inView && bbox) p.set('bbox', bbox);
  return p;
}

export function filtersToHash(f) {
  const p = new URLSearchParams();
  const d = emptyFilters();
  for (const [key, short] of Object.entries(HASH_KEYS)) {
    const v = f[key];
    if (Array.isArray(v)) {
      if (v.join('|') !== d[key].join('|')) p.set(short, v.join('|'));
    } else if (typeof v === 'boolean') {
      if (v) p.set(short, '1');
    } else if (v !== d[key] && v !== '') {
      p.set(short, String(v));
    }
  }
  return p;
}

export function filtersFromHash(params) {
  const f = emptyFilters();
  for (const [key, short] of Object.entries(HASH_KEYS)) {
    if (!params.has(short)) continue;
    const v = params.get(short);
    if (Array.isArray(f[key])) f[key] = v ? v.split('|').filter(Boolean) : [];
    else if (typeof f[key] === 'boolean') f[key] = v === '1';
    else f[key] = v;
  }
  return f;
}

function checklist({ name, options, selected, onToggle, filterable = false, emptyText = 'none' }) {
  const list = h('div', { class: 'checklist', role: 'group', 'aria-label': name });
  const sel = new Set(selected);
  // Selected values missing from the options (no events any more) stay visible.
  const all = options.slice();
  for (const v of selected) if (!all.some((o) => o.value === v)) all.push({ value: v, count: 0 });
  if (!all.length) list.appendChild(h('div', { class: 'muted small' }, emptyText));
  for (const o of all) {
    const id = `f-${name}-${o.value}`.replace(/[^A-Za-z0-9_-]/g, '_');
    const sw = o.color ? h('span', { class: 'type-dot' }) : null;
    if (sw) sw.style.background = o.color;
    list.appendChild(h('label', { class: ['check', sel.has(o.value) ? 'on' : ''], for: id, dataset: { value: o.value }, title: o.title || null },
      h('input', { type: 'checkbox', id, name, value: o.value, checked: sel.has(o.value), on: { change: (e) => onToggle(o.value, e.target.checked) } }),
      sw, h('span', { class: 'check-label' }, o.label instanceof Node ? o.label : bdi(o.label ?? o.value)),
      h('span', { class: 'count' }, fmtNumber(o.count))));
  }
  if (filterable && all.length > 8) {
    const input = h('input', {
      type: 'search', class: 'checklist-filter', placeholder: `find ${name}…`, 'aria-label': `find ${name}`,
      on: {
        input: (e) => {
          const needle = e.target.value.trim().toLowerCase();
          for (const lab of list.querySelectorAll('label.check')) {
            lab.hidden = needle && !lab.dataset.value.toLowerCase().includes(needle);
          }
        },
      },
    });
    return h('div', null, input, list);
  }
  return list;
}

/**
 * The filter form in `el`. `onChange(filters)` after every change (text inputs debounced).
 * `exportLinks(filters)` gives [{label, href, title}] for the export box.
 */
export function createFilters(el, { onChange, exportLinks }) {
  let facets = null;
  let f = emptyFilters();
  const changed = () => {
    render();
    onChange(f);
  };
  const changedLater = debounce(() => {
    updateExports();
    onChange(f);
  }, 350);

  function toggle(key, value, on) {
    const set = new Set(f[key]);
    if (on) set.add(value);
    else set.delete(value);
    f[key] = Array.from(set);
    if (key === 'country') {
      // keep only admin1 units of the chosen countries
      if (f.country.length && facets) {
        const ok = new Set(facets.admin1.filter((a) => f.country.includes(a.country)).map((a) => a.value));
        f.admin1 = f.admin1.filter((a) => ok.has(a));
      }
    }
    if (key === 'event_type' && f.event_type.length && facets) {
      const ok = new Set(f.event_type.flatMap((t) => (facets.taxonomy && facets.taxonomy[t]) || []));
      f.sub_event_type = f.sub_event_type.filter((s) => ok.has(s));
    }
    changed();
  }

  const exportBox = h('section', { class: 'f-section export' });

  function updateExports() {
    const links = exportLinks(f);
    fill(exportBox, h('h3', null, 'Export', links.note ? h('span', { class: 'export-note' }, ` · ${links.note}`) : null),
      h('div', { class: 'export-links' }, links.map((l) => h('a', {
        href: l.href, class: 'btn-small export-link', download: l.filename, title: l.title, dataset: { format: l.format },
      }, l.label))));
  }

  function section(title, body, extra) {
    return h('section', { class: 'f-section' }, h('h3', null, title, extra || null), body);
  }

  function render() {
    const fc = facets || { countries: [], admin1: [], event_types: [], actors: [], statuses: [], taxonomy: {} };
    const activeEl = document.activeElement;
    const focusId = activeEl && el.contains(activeEl) ? activeEl.id : null;
    const types = fc.event_types.slice().sort((a, b) => TYPE_ORDER.indexOf(a.value) - TYPE_ORDER.indexOf(b.value));
    const subOptions = [];
    for (const t of types) {
      if (f.event_type.length && !f.event_type.includes(t.value)) continue;
      for (const st of t.sub_event_types || []) subOptions.push({ value: st.value, count: st.count, color: typeColor(t.value), title: t.value });
    }
    const admin1 = fc.admin1
      .filter((a) => !f.country.length || f.country.includes(a.country))
      .map((a) => ({ value: a.value, count: a.count, title: a.country }));
    const statusCounts = new Map((fc.statuses || []).map((s) => [s.value, s.count]));

    const searchBox = h('input', {
      id: 'f-q', type: 'search', value: f.q, placeholder: 'place, actor, notes, Arabic text…', dir: 'auto',
      'aria-label': 'text search',
      on: { input: (e) => { f.q = e.target.value; changedLater(); } },
    });
    const from = h('input', {
      id: 'f-from', type: 'date', value: f.date_from, min: fc.date_min || null, max: fc.date_max || null, 'aria-label': 'from date',
      on: { change: (e) => { f.date_from = e.target.value; changed(); } },
    });
    const to = h('input', {
      id: 'f-to', type: 'date', value: f.date_to, min: fc.date_min || null, max: fc.date_max || null, 'aria-label': 'to date',
      on: { change: (e) => { f.date_to = e.target.value; changed(); } },
    });
    const actorList = h('datalist', { id: 'actor-options' },
      (fc.actors || []).map((a) => h('option', { value: a.value }, `${a.name || a.value} (${a.count})`)));
    const actor = h('input', {
      id: 'f-actor', type: 'search', value: f.actor, list: 'actor-options', placeholder: 'actor id or part of a name', dir: 'auto',
      'aria-label': 'actor',
      on: { input: (e) => { f.actor = e.target.value; changedLater(); } },
    });
    const fat = h('input', {
      id: 'f-fat', type: 'number', min: '0', step: '1', value: f.fatalities, placeholder: '0', 'aria-label': 'minimum fatalities',
      on: { input: (e) => { f.fatalities = e.target.value; changedLater(); } },
    });
    const inView = h('label', { class: 'check inline', for: 'f-inview' },
      h('input', { type: 'checkbox', id: 'f-inview', checked: f.inView, on: { change: (e) => { f.inView = e.target.checked; changed(); } } }),
      ' only events in the map view');

    fill(el,
      h('div', { class: 'f-head' },
        h('h2', null, 'Filters'),
        h('div', { class: 'f-head-btns' },
          h('button', { type: 'button', class: 'btn-small', id: 'f-reset', on: { click: () => { f = emptyFilters(); changed(); } } }, 'Reset'),
          h('button', {
            type: 'button', class: 'btn-small', id: 'f-hide', title: 'hide the filters (more room for the map and table)',
            on: { click: () => document.body.classList.add('filters-collapsed') },
          }, '«'))),
      exportBox,
      section('Search', searchBox),
      section('Dates', h('div', { class: 'date-row' }, from, h('span', { class: 'muted' }, '→'), to),
        fc.date_min ? h('span', { class: 'muted small' }, ` ${fc.date_min} … ${fc.date_max}`) : null),
      section('Event type', checklist({
        name: 'event_type',
        options: types.map((t) => ({ value: t.value, count: t.count, color: typeColor(t.value) })),
        selected: f.event_type, onToggle: (v, on) => toggle('event_type', v, on),
      })),
      section('Sub-event type', checklist({
        name: 'sub_event_type', options: subOptions, selected: f.sub_event_type, filterable: true,
        onToggle: (v, on) => toggle('sub_event_type', v, on),
      })),
      section('Country', checklist({
        name: 'country', options: fc.countries.map((c) => ({ value: c.value, count: c.count })),
        selected: f.country, filterable: true, onToggle: (v, on) => toggle('country', v, on),
      })),
      section('Admin 1', checklist({
        name: 'admin1', options: admin1, selected: f.admin1, filterable: true,
        emptyText: 'no admin-1 units', onToggle: (v, on) => toggle('admin1', v, on),
      })),
      section('Actor', h('div', null, actor, actorList)),
      section('Fatalities at least', fat),
      section('Status', checklist({
        name: 'status',
        options: STATUSES.map((s) => ({ value: s, count: statusCounts.get(s) ?? 0, label: h('span', { class: ['badge', `badge-${s}`] }, s) })),
        selected: f.status, onToggle: (v, on) => toggle('status', v, on),
      }), f.status.length ? null : h('span', { class: 'muted small' }, ' (none: all but rejected)')),
      section('Map', inView));
    updateExports();
    if (focusId) {
      const again = document.getElementById(focusId);
      if (again) {
        again.focus();
        if (again.type === 'search' || again.type === 'text') {
          const n = again.value.length;
          try { again.setSelectionRange(n, n); } catch { /* not a text field */ }
        }
      }
    }
  }

  return {
    setFacets(newFacets) {
      facets = newFacets;
      render();
    },
    get: () => f,
    set(newFilters, { silent = false } = {}) {
      f = { ...emptyFilters(), ...newFilters };
      render();
      if (!silent) onChange(f);
    },
    render,
    updateExports,
  };
}
