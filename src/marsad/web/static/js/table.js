// The event table: one page of events as the API sorts and pages them (app.js asks for the
// page); a click on a column header sorts by it, a click (or Enter) on a row opens the event.
import { h, fill, bdi } from './dom.js';
import { statusBadge, typeDot, confidenceBar, fmtNumber } from './format.js';

const COLUMNS = [
  { key: 'id', label: '#', num: true, cell: (e) => String(e.id) },
  { key: 'event_date', label: 'Date', cell: (e) => e.event_date || '—' },
  {
    key: 'sub_event_type', label: 'Type', sortBy: ['event_type', 'sub_event_type'],
    cell: (e) => h('span', { class: 'cell-type', title: `${e.event_type} / ${e.sub_event_type}` }, typeDot(e.event_type), e.sub_event_type),
  },
  { key: 'actor1', label: 'Actor 1', title: 'sort by Actor 1 (by its id)', cell: (e) => actorCell(e.actor1, e.actor1_name, e.assoc_actor_1) },
  { key: 'actor2', label: 'Actor 2', title: 'sort by Actor 2 (by its id)', cell: (e) => actorCell(e.actor2, e.actor2_name, e.assoc_actor_2) },
  {
    key: 'location', label: 'Location',
    cell: (e) => h('span', { class: 'cell-loc', title: [e.location, e.admin2, e.admin1, e.country].filter(Boolean).join(', ') },
      bdi(e.location || '—'), e.location_ar ? h('bdi', { dir: 'rtl', lang: 'ar', class: 'ar-small' }, e.location_ar) : null),
  },
  { key: 'admin1', label: 'Admin 1', cell: (e) => bdi(e.admin1 || '—') },
  { key: 'country', label: 'Country', cell: (e) => bdi(e.country || '—') },
  { key: 'fatalities', label: 'Fat.', num: true, title: 'sort by fatalities', cell: (e) => fmtNumber(e.fatalities) },
  { key: 'n_articles', label: 'Src', num: true, title: 'sort by the number of articles supporting the event', cell: (e) => String(e.n_articles ?? 1) },
  { key: 'confidence', label: 'Conf.', num: true, title: 'sort by confidence', cell: (e) => confidenceBar(e.confidence) },
  { key: 'status', label: 'Status', cell: (e) => statusBadge(e.status) },
];

function actorCell(id, name, assoc) {
  if (!id && !(assoc && assoc.length)) return h('span', { class: 'muted' }, '—');
  const extra = assoc && assoc.length ? h('span', { class: 'assoc', title: `associated: ${assoc.join(', ')}` }, ` +${assoc.length}`) : null;
  return h('span', { title: [name || id, assoc && assoc.length ? `with ${assoc.join(', ')}` : ''].filter(Boolean).join(' ') }, bdi(name || id || '—'), extra);
}

export const DEFAULT_SORT = Object.freeze({ key: 'event_date', dir: -1 });
// Columns whose first click sorts the largest (or newest) first.
const DESCENDING_FIRST = ['event_date', 'fatalities', 'confidence', 'n_articles', 'id'];

/** The API's `sort` for a column sort: `-event_date`, or `event_type,sub_event_type` for Type. */
export function sortParam(sort) {
  const col = COLUMNS.find((c) => c.key === sort.key) || COLUMNS[1];
  return (col.sortBy || [col.key]).map((k) => (sort.dir < 0 ? `-${k}` : k)).join(',');
}

/** `-fatalities` (address bar) -> {key, dir}; the default for anything else. */
export function sortFromString(s) {
  const m = /^(-?)([a-z0-9_]+)$/.exec(s || '');
  if (!m || !COLUMNS.some((c) => c.key === m[2])) return { ...DEFAULT_SORT };
  return { key: m[2], dir: m[1] ? -1 : 1 };
}

export function sortToString(sort) {
  return `${sort.dir < 0 ? '-' : ''}${sort.key}`;
}

export const TABLE_FIELDS = [
  'id', 'status', 'event_date', 'event_type', 'sub_event_type', 'actor1', 'assoc_actor_1', 'actor2', 'assoc_actor_2',
  'country', 'admin1', 'admin2', 'location', 'location_ar', 'latitude', 'longitude', 'fatalities', 'n_articles', 'confidence',
];

/**
 * The table in `el`. It shows what `setData` gives it; `onSort(sort)` and `onPage(page)` ask
 * app.js for another page, `onSelect(id)` opens an event.
 */
export function createTable(el, { onSelect, onSort, onPage, pageSize = 50 }) {
  let rows = [];
  let total = 0;
  let page = 1;
  let sort = { ...DEFAULT_SORT };
  let selectedId = null;
  let loaded = false;
  let shown = ''; // page and order of the rows on show

  const info = h('div', { class: 'table-info' });
  const scroller = h('div', { class: 'table-scroll' });
  const pager = h('div', { class: 'pager' });
  fill(el, h('div', { class: 'table-top' }, info, pager), scroller);
  fill(info, h('span', { class: 'muted' }, 'loading the events…'));

  const maxPage = () => Math.max(1, Math.ceil(total / pageSize));

  /** One page of events: `rows` of `total` matching, page number `page`, in the order `sort`. */
  function setData(data) {
    rows = data.rows || [];
    total = data.total ?? rows.length;
    page = data.page || 1;
    if (data.sort) sort = { ...data.sort };
    loaded = true;
    render();
    const key = `${page} ${sort.key} ${sort.dir}`;
    if (key !== shown) scroller.scrollTop = 0; // another page: from its top
    shown = key;
  }

  /** A new page is on its way: dim the current one. */
  function setLoading(on) {
    el.classList.toggle('table-loading', !!on);
    el.setAttribute('aria-busy', on ? 'true' : 'false');
  }

  function render() {
    const from = rows.length ? (page - 1) * pageSize + 1 : 0;
    const to = from ? from + rows.length - 1 : 0;
    fill(info, h('strong', null, fmtNumber(total)), ` event${total === 1 ? '' : 's'}`,
      rows.length ? ` · rows ${fmtNumber(from)}–${fmtNumber(to)}` : '');
    const last = maxPage();
    const pageInput = h('input', {
      type: 'number', id: 'page-input', class: 'page-input', min: '1', max: String(last), value: String(page),
      'aria-label': 'page number', title: 'go to page (Enter)',
      on: {
        change: (e) => go(parseInt(e.target.value, 10)),
        keydown: (e) => { if (e.key === 'Enter') { e.preventDefault(); go(parseInt(e.target.value, 10)); } },
      },
    });
    pageInput.style.width = `${String(last).length + 3}ch`;
    fill(pager,
      h('button', { type: 'button', class: 'btn-small', id: 'page-first', disabled: page <= 1, title: 'first page', on: { click: () => go(1) } }, '«'),
      ' ',
      h('button', { type: 'button', class: 'btn-small', id: 'page-prev', disabled: page <= 1, title: 'previous page', on: { click: () => go(page - 1) } }, '‹ Prev'),
      h('span', { class: 'muted page-of' }, ' page ', pageInput, ` of ${fmtNumber(last)} `),
      h('button', { type: 'button', class: 'btn-small', id: 'page-next', disabled: page >= last, title: 'next page', on: { click: () => go(page + 1) } }, 'Next ›'),
      ' ',
      h('button', { type: 'button', class: 'btn-small', id: 'page-last', disabled: page >= last, title: 'last page', on: { click: () => go(last) } }, '»'),
      h('span', { class: 'keys muted', title: 'Keyboard: j / k next and previous event (across pages), c confirm, x reject, e edit, Esc close or cancel, / search' }, ' keys: j k c x e'));

    const thead = h('thead', null, h('tr', null, COLUMNS.map((c) => {
      const active = sort.key === c.key;
      return h('th', {
        scope: 'col', class: [c.num ? 'num' : '', active ? 'sorted' : '', `col-${c.key}`], title: c.title || `sort by ${c.label}`,
        'aria-sort': active ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none',
      }, h('button', {
        type: 'button', class: 'th-btn', dataset: { sort: c.key },
        on: { click: () => setSort(c.key) },
      }, c.label, h('span', { class: 'sort-ind', 'aria-hidden': 'true' }, active ? (sort.dir > 0 ? '▲' : '▼') : '')));
    })));
    const tbody = h('tbody');
    for (const e of rows) {
      const tr = h('tr', {
        class: ['ev-row', e.id === selectedId ? 'selected' : '', `row-${e.status}`],
        dataset: { id: e.id },
        tabindex: '0',
        on: {
          click: () => onSelect(e.id),
          keydown: (evt) => { if (evt.key === 'Enter') onSelect(e.id); },
        },
      }, COLUMNS.map((c) => h('td', { class: [c.num ? 'num' : '', `col-${c.key}`] }, c.cell(e))));
      tbody.appendChild(tr);
    }
    const table = h('table', { class: 'ev-table' }, thead, tbody);
    if (loaded && !rows.length) {
      fill(scroller, table, h('div', { class: 'empty' }, total ? 'No events on this page.' : 'No events match these filters.'));
    } else {
      fill(scroller, table);
    }
  }

  function setSort(key) {
    const next = sort.key === key ? { key, dir: -sort.dir } : { key, dir: DESCENDING_FIRST.includes(key) ? -1 : 1 };
    sort = next;
    render(); // the header shows the new order at once; the rows follow
    onSort(next);
  }

  function go(p) {
    if (!Number.isFinite(p)) return;
    const target = Math.max(1, Math.min(maxPage(), p));
    if (target === page) {
      render();
      return;
    }
    onPage(target);
  }

  function select(id, { reveal = true } = {}) {
    selectedId = id;
    for (const tr of scroller.querySelectorAll('tr.ev-row')) tr.classList.toggle('selected', Number(tr.dataset.id) === id);
    const row = scroller.querySelector(`tr[data-id="${CSS.escape(String(id))}"]`);
    if (row && reveal) row.scrollIntoView({ block: 'nearest' });
  }

  /**
   * The row `delta` rows away from the open event, in the table's order: `{id}` on this page,
   * `{page, at: 'first'|'last'}` on the next or previous page, or null (no such row).
   */
  function neighbour(delta) {
    if (!rows.length) return null;
    const idx = rows.findIndex((e) => e.id === selectedId);
    if (idx < 0) return { id: rows[0].id };
    const j = idx + delta;
    if (j >= 0 && j < rows.length) return { id: rows[j].id };
    if (j < 0 && page > 1) return { page: page - 1, at: 'last' };
    if (j >= rows.length && page < maxPage()) return { page: page + 1, at: 'first' };
    return null;
  }

  return {
    setData,
    setLoading,
    select,
    neighbour,
    ids: () => rows.map((e) => e.id),
    row: (id) => rows.find((e) => e.id === id) || null,
    get sort() { return { ...sort }; },
    get page() { return page; },
    pageSize,
  };
}
