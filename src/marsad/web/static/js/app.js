// marsad workbench: wires the filter bar, map, timeline, table and detail panel to the API.
//
// Nothing waits for everything: the table asks for its one page (sorted and paged by the API),
// the timeline for its buckets, the map for compact rows in chunks that it draws as they come.
// The header's counts come from the API's `total`.
import { h, fill, $ } from './dom.js';
import { api, adoptTokenFromFragment, getToken, setToken } from './api.js';
import { createFilters, filtersToQuery, filtersToHash, filtersFromHash } from './filters.js';
import { createMap } from './map.js';
import { createTimeline } from './timeline.js';
import { createTable, DEFAULT_SORT, sortParam, sortFromString, sortToString, TABLE_FIELDS } from './table.js';
import { createDetail } from './detail.js';
import { fmtNumber, debounce, isoDay, DEFAULT_STATUSES } from './format.js';

const TABLE_PAGE = 50;
const TABLE_HEAD_START = 250; // ms the table's request has to itself before the others go
// What the markers, their tooltips and the list of events at one place need, and no more.
const MAP_FIELDS = 'id,latitude,longitude,event_type,sub_event_type,fatalities,event_date,location,location_ar,status';
const MAP_CHUNK = 5000; // the API's largest page
const MAP_CAP = 20000; // markers at most (canvas); past that the map says so and loads the view's area when zoomed in

adoptTokenFromFragment();

const state = {
  facets: null,
  filters: null,
  sort: { ...DEFAULT_SORT },
  page: 1,
  total: 0,
  selectedId: null,
  pan: false, // how the map should bring the open event into view once its marker is there
  who: null,
  run: 0, // refreshes so far: answers to an older one are ignored
  counts: { run: 0, total: null },
  mapSmall: false, // the last map set was complete and small: cheap to load again after an edit
  ctl: { table: null, timeline: null, map: null, dated: null }, // AbortControllers of the running requests
  banners: {},
};

const els = {
  filters: $('#filters'),
  map: $('#map'),
  timeline: $('#timeline'),
  table: $('#table'),
  detail: $('#detail'),
  summary: $('#summary'),
  who: $('#who'),
  banner: $('#banner'),
};

/** One line per source of trouble (table, map, timeline, facets, token); '' clears it. */
function banner(text, key = 'general') {
  if (text) state.banners[key] = text;
  else delete state.banners[key];
  const lines = Object.values(state.banners);
  els.banner.hidden = !lines.length;
  fill(els.banner, lines.join(' · '));
}

function controller(key) {
  if (state.ctl[key]) state.ctl[key].abort();
  const ctl = new AbortController();
  state.ctl[key] = ctl;
  return ctl;
}

function release(key, ctl) {
  if (state.ctl[key] === ctl) state.ctl[key] = null;
}

const wait = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });
const nextTask = () => wait(0);

// ---- URL state: #event=12&type=Battles|Riots&from=...&sort=-fatalities ----------------------

function readHash() {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const id = parseInt(params.get('event'), 10);
  return {
    filters: filtersFromHash(params),
    sort: sortFromString(params.get('sort')),
    eventId: Number.isFinite(id) ? id : null,
  };
}

function writeHash() {
  const p = filtersToHash(state.filters);
  if (sortToString(state.sort) !== sortToString(DEFAULT_SORT)) p.set('sort', sortToString(state.sort));
  if (state.selectedId !== null) p.set('event', String(state.selectedId));
  const s = p.toString();
  const url = window.location.pathname + window.location.search + (s ? `#${s}` : '');
  if (url !== window.location.pathname + window.location.search + window.location.hash) {
    window.history.replaceState(null, '', url);
  }
}

// ---- components ----------------------------------------------------------------------------

function exportLinks(f) {
  const q = filtersToQuery(f, { bbox: map.bbox() });
  const formats = [
    ['csv', 'CSV (ACLED)', 'csv', 'ACLED columns, one row per event'],
    ['geojson', 'GeoJSON', 'geojson', 'points with the event fields'],
    ['jsonl', 'JSONL', 'jsonl', 'one event per line, with spans'],
    ['parquet', 'Parquet', 'parquet', 'columnar, for pandas / R / DuckDB'],
  ];
  const links = formats.map(([format, label, ext, title]) => {
    const p = new URLSearchParams(q);
    p.set('format', format); // without a limit, an export holds every matching event
    return { format, label, title, href: `/api/events?${p}`, filename: `marsad-events.${ext}` };
  });
  links.note = `${fmtNumber(state.total)} event${state.total === 1 ? '' : 's'}, as filtered above`;
  return links;
}

const filters = createFilters(els.filters, {
  onChange: (f) => {
    state.filters = f;
    writeHash();
    refresh();
  },
  exportLinks: (f) => exportLinks(f),
});

const map = createMap(els.map, {
  onSelect: (id, how) => select(id, how),
  onViewChange: ({ quiet } = {}) => {
    filters.updateExports();
    if (quiet || !state.filters) return;
    if (state.filters.inView) refresh();
    else loadAreaSoon();
  },
});

const timeline = createTimeline(els.timeline, {
  onRange: (from, to) => {
    filters.set({ ...state.filters, date_from: from || '', date_to: to || '' });
  },
});

const table = createTable(els.table, {
  pageSize: TABLE_PAGE,
  onSelect: (id) => select(id),
  onSort: (sort) => {
    state.sort = sort;
    writeHash();
    loadTable(1);
  },
  onPage: (page) => loadTable(page),
});

const detail = createDetail(els.detail, {
  getFacets: () => state.facets,
  onChanged: (d, result) => {
    loadFacets();
    if (state.mapSmall || (result && result.restored_event_id)) {
      refresh({ keepPage: true });
    } else {
      // a large map: move or drop just this marker rather than drawing them all again
      refresh({ keepPage: true, withMap: false });
      map.update(d, { keep: statusListed(d.status) });
    }
  },
  onLoaded: (d) => {
    if (d.id !== state.selectedId) return;
    map.pin(d, state.pan);
    if (!table.row(d.id)) locate(d);
  },
  onSelect: (id) => select(id),
  onNav: (delta) => step(delta),
  onClose: () => select(null),
  onWho: (who) => setWho(who),
});

new ResizeObserver(() => map.invalidate()).observe(els.map);
$('#filters-open').addEventListener('click', () => document.body.classList.remove('filters-collapsed'));

function statusListed(status) {
  const listed = state.filters.status.length ? state.filters.status : DEFAULT_STATUSES;
  return listed.includes(status);
}

// ---- data ------------------------------------------------------------------------------------

async function loadFacets() {
  try {
    state.facets = await api.facets();
    filters.setFacets(state.facets);
    banner('', 'facets');
  } catch (err) {
    banner(`Could not load the filter values: ${err.message}`, 'facets');
  }
}

/** The filters as the API's query (with the map view's bbox when "only events in the map view"). */
function baseQuery() {
  return filtersToQuery(state.filters, { bbox: map.bbox() });
}

/**
 * Table, timeline and map for the current filters; each shows its answer as soon as it has it.
 * The table's small request goes first, alone: the server answers it before it starts on the
 * heavier ones (the map's chunks, the timeline). Resolves when those have been asked for.
 */
function refresh({ keepPage = false, fit = false, withMap = true } = {}) {
  const run = ++state.run;
  if (!keepPage) state.page = 1;
  state.counts = { run, total: null, timeline: null, dated: null, map: null };
  document.body.classList.add('loading');
  const tableJob = loadTable(state.page, { reveal: fit });
  const next = Promise.race([tableJob, wait(TABLE_HEAD_START)]);
  const later = (fn) => next.then(() => (run === state.run ? fn() : null));
  const jobs = [tableJob, later(loadTimeline)];
  if (withMap && map.available) jobs.push(later(() => loadMap({ fit })));
  Promise.allSettled(jobs).then(() => {
    if (run !== state.run) return;
    document.body.classList.remove('loading');
    document.body.dataset.ready = '1';
  });
  return next;
}

/** One page of the table, as the API sorts it. Resolves true once it is shown. */
async function loadTable(page = state.page, { reveal = false } = {}) {
  const ctl = controller('table');
  const run = state.run;
  const query = (p) => {
    const q = baseQuery();
    q.set('sort', sortParam(state.sort));
    q.set('fields', TABLE_FIELDS.join(','));
    q.set('limit', String(TABLE_PAGE));
    q.set('page', String(p));
    return q.toString();
  };
  table.setLoading(true);
  try {
    let res = await api.events(query(page), ctl.signal);
    const last = Math.max(1, Math.ceil(res.total / TABLE_PAGE));
    if (page > last) { // the list got shorter (a filter, a rejection): its last page
      page = last;
      res = await api.events(query(page), ctl.signal);
    }
    if (ctl.signal.aborted) return false;
    state.page = page;
    table.setData({ rows: res.data || [], total: res.total, page, sort: state.sort });
    if (state.selectedId !== null) table.select(state.selectedId, { reveal });
    banner('', 'table');
    if (run === state.run) {
      state.total = res.total;
      state.counts.total = res.total;
      renderSummary();
      filters.updateExports();
    }
    return true;
  } catch (err) {
    if (err.name === 'AbortError') return false;
    banner(`Could not load the events: ${err.message}`, 'table');
    return false;
  } finally {
    if (state.ctl.table === ctl) table.setLoading(false);
    release('table', ctl);
  }
}

const sums = (data) => data.reduce((a, d) => ({ events: a.events + (d.events || 0), fatalities: a.fatalities + (d.fatalities || 0) }), { events: 0, fatalities: 0 });

async function loadTimeline() {
  const ctl = controller('timeline');
  const run = state.run;
  const f = state.filters;
  try {
    const tl = await api.timeline(filtersToQuery(f, { dates: false, bbox: map.bbox() }).toString(), ctl.signal);
    timeline.setData(tl.bucket, tl.data, { from: f.date_from || null, to: f.date_to || null });
    banner('', 'timeline');
    if (run === state.run && !f.date_from && !f.date_to) {
      state.counts.timeline = sums(tl.data || []);
      renderSummary();
    }
  } catch (err) {
    if (err.name === 'AbortError') return;
    timeline.setData('month', [], { from: f.date_from || null, to: f.date_to || null });
    banner(`Timeline unavailable: ${err.message}`, 'timeline');
  } finally {
    release('timeline', ctl);
  }
}

/** The fatalities of the dated events that match, when the map could not count them all. */
async function loadDatedTotals(run) {
  const ctl = controller('dated');
  try {
    const tl = await api.timeline(baseQuery().toString(), ctl.signal);
    if (run !== state.run) return;
    state.counts.dated = sums(tl.data || []);
    renderSummary();
  } catch {
    // the header just goes without the fatalities
  } finally {
    release('dated', ctl);
  }
}

/**
 * The map's markers: compact rows (MAP_FIELDS), newest first, MAP_CHUNK at a time, at most
 * MAP_CAP. The first chunk is drawn as soon as it comes; the others are all asked for at once
 * and drawn in order. `area`: only the events around the view (when the set was capped).
 */
async function loadMap({ fit = false, area = false } = {}) {
  const ctl = controller('map');
  const run = state.run;
  const f = state.filters;
  const q = baseQuery();
  const areaBbox = area && !f.inView ? map.areaBbox() : null;
  if (areaBbox) q.set('bbox', areaBbox);
  q.set('fields', MAP_FIELDS);
  q.set('sort', '-event_date');
  q.set('limit', String(MAP_CHUNK));
  const url = (page) => {
    const p = new URLSearchParams(q);
    p.set('page', String(page));
    return p.toString();
  };
  const loader = map.begin({ fit, area: areaBbox });
  const fatalities = (list) => list.reduce((a, e) => a + (e.fatalities || 0), 0);
  try {
    const first = await api.events(url(1), ctl.signal);
    if (ctl.signal.aborted) return;
    const want = Math.min(first.total, MAP_CAP);
    let got = Math.min(first.data.length, want);
    let fat = fatalities(first.data.slice(0, got));
    loader.add(first.data.slice(0, got), { expected: want });
    if (!areaBbox && !f.inView && first.total > MAP_CAP && !fit && map.viewIsPart()) {
      // capped, and the map is zoomed into a part of it: the markers of that part instead
      ctl.abort();
      if (run === state.run && (f.date_from || f.date_to)) loadDatedTotals(run);
      loadMap({ area: true });
      return;
    }
    // the other chunks, all asked for at once, drawn in order as they come
    const rest = [];
    for (let page = 2; (page - 1) * MAP_CHUNK < want; page++) {
      rest.push(api.events(url(page), ctl.signal).then((r) => r, (error) => ({ error })));
    }
    for (const pending of rest) {
      await nextTask(); // let the page paint what it has
      const res = await pending;
      if (ctl.signal.aborted) return;
      if (res.error) throw res.error;
      const part = (res.data || []).slice(0, want - got);
      if (!part.length) break;
      loader.add(part);
      got += part.length;
      fat += fatalities(part);
    }
    loader.finish({ total: first.total });
    banner('', 'map');
    state.mapSmall = !areaBbox && first.total <= MAP_CHUNK;
    if (run === state.run && !areaBbox) {
      if (got >= first.total) state.counts.map = { events: first.total, fatalities: fat };
      else if (f.date_from || f.date_to) loadDatedTotals(run);
      renderSummary();
    }
    loadAreaSoon(); // the view may show a part of a capped set: load the markers for it
  } catch (err) {
    loader.abort();
    if (err.name === 'AbortError') return;
    banner(`Could not load the map's events: ${err.message}`, 'map');
  } finally {
    release('map', ctl);
  }
}

const loadAreaSoon = debounce(() => {
  if (map.available && state.filters && !state.filters.inView && !state.ctl.map && map.wantsArea()) loadMap({ area: true });
}, 300);

function renderSummary() {
  const c = state.counts;
  if (c.total === null) return; // the previous figures stay until the new total is in
  // Fatalities: exact when one source counted every matching event (the map when it holds them
  // all, or the timeline when no event lacks a date); otherwise a lower bound.
  const sources = [c.map, c.timeline, c.dated].filter(Boolean);
  const exact = sources.find((s) => s.events === c.total);
  const partial = sources.filter((s) => s.events < c.total).sort((a, b) => b.fatalities - a.fatalities)[0];
  const n = c.total;
  const parts = [h('strong', { id: 'summary-events' }, fmtNumber(n)), ` event${n === 1 ? '' : 's'}`];
  if (exact) {
    parts.push(' · ', h('strong', { id: 'summary-fatalities' }, fmtNumber(exact.fatalities)), ` fatalit${exact.fatalities === 1 ? 'y' : 'ies'}`);
  } else if (partial) {
    parts.push(' · at least ', h('strong', { id: 'summary-fatalities' }, fmtNumber(partial.fatalities)), ' fatalities');
  }
  fill(els.summary, parts);
}

// ---- selection and keys ----------------------------------------------------------------------

function select(id, { from = 'table' } = {}) {
  state.selectedId = id;
  writeHash();
  document.body.classList.toggle('has-detail', id !== null);
  table.select(id);
  // from the table or the keys: bring the event into view on the map (unless the map view is
  // itself a filter); from the map: leave the view alone
  state.pan = from === 'map' ? false : state.filters.inView ? 'inside' : 'zoom';
  map.select(id, state.pan);
  if (id !== null && !map.has(id) && table.row(id)) map.pin(table.row(id), state.pan);
  if (id === null) detail.close();
  else detail.open(id);
}

/**
 * Show the table page that holds the open event `d` (opened from the map or a link), so that
 * j / k go on from it. The API has no "page of event N": when the table is sorted by date (as
 * it is unless a header was clicked) the page is found from two counts, the events of the
 * days before it in that order and its place among the events of its own day; for other
 * sorts the table stays where it is.
 */
async function locate(d) {
  const f = state.filters;
  const date = d.event_date;
  if (state.sort.key !== 'event_date' || !date || !statusListed(d.status)) return;
  if ((f.date_from && date < f.date_from) || (f.date_to && date > f.date_to)) return;
  const run = state.run;
  const at = `${state.page} ${sortToString(state.sort)}`;
  const shift = (iso, days) => isoDay(new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86400000));
  // the events listed before its day: newer days (newest first) or older ones (oldest first)
  const [from, to] = state.sort.dir < 0 ? [shift(date, 1), f.date_to] : [f.date_from, shift(date, -1)];
  const none = from && to && from > to;
  const before = filtersToQuery({ ...f, date_from: from || '', date_to: to || '' }, { bbox: map.bbox() });
  before.set('limit', '1');
  before.set('fields', 'id');
  const sameDay = filtersToQuery({ ...f, date_from: date, date_to: date }, { bbox: map.bbox() });
  sameDay.set('sort', sortParam(state.sort));
  sameDay.set('limit', '5000');
  sameDay.set('fields', 'id');
  try {
    const [earlier, day] = await Promise.all([none ? { total: 0 } : api.events(before.toString()), api.events(sameDay.toString())]);
    if (run !== state.run || state.selectedId !== d.id || at !== `${state.page} ${sortToString(state.sort)}` || table.row(d.id)) return;
    const idx = (day.data || []).findIndex((e) => e.id === d.id);
    if (idx < 0) return; // it does not match the filters
    const page = Math.floor((earlier.total + idx) / TABLE_PAGE) + 1;
    if (page !== state.page) loadTable(page, { reveal: true });
  } catch {
    // the table stays on its page
  }
}

// j / k: the next or previous row, across pages
let stepping = false;
async function step(delta) {
  if (stepping) return;
  const next = table.neighbour(delta);
  if (!next) return;
  if (next.id !== undefined) {
    select(next.id);
    return;
  }
  stepping = true;
  try {
    if (!(await loadTable(next.page))) return;
    const ids = table.ids();
    if (ids.length) select(next.at === 'last' ? ids[ids.length - 1] : ids[0]);
  } finally {
    stepping = false;
  }
}

document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target;
  const typing = t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
  if (e.key === 'Escape') {
    if (typing && !t.closest('#detail')) t.blur();
    else detail.key('escape');
    return;
  }
  if (typing) return;
  const actions = { j: () => step(1), k: () => step(-1), c: () => detail.key('confirm'), x: () => detail.key('reject'), e: () => detail.key('edit') };
  if (e.key === '/') {
    e.preventDefault();
    const q = $('#f-q');
    if (q) q.focus();
  } else if (actions[e.key]) {
    e.preventDefault();
    actions[e.key]();
  }
});

window.addEventListener('hashchange', () => {
  adoptTokenFromFragment();
  const { filters: f, sort, eventId } = readHash();
  const sortChanged = sortToString(sort) !== sortToString(state.sort);
  state.sort = sort;
  if (filtersToHash(f).toString() !== filtersToHash(state.filters).toString()) {
    filters.set(f); // -> refresh, with the new sort
  } else if (sortChanged) {
    loadTable(1);
  }
  if (eventId !== state.selectedId) select(eventId);
});

// ---- who am I ----------------------------------------------------------------------------------

function setWho(who) {
  state.who = who;
  if (who) {
    fill(els.who, h('span', { class: 'who-ok', title: 'writes are signed with this name in the audit log' }, '✓ ', h('bdi', null, who)),
      ' ', h('button', { type: 'button', class: 'linklike', on: { click: () => { setToken(''); setWho(null); detail.rerender(); } } }, 'sign out'));
  } else {
    fill(els.who, h('span', { class: 'muted', title: 'paste a token to confirm, edit and reject' }, 'read-only'), ' ',
      h('button', { type: 'button', class: 'linklike', id: 'who-token', on: { click: askToken } }, 'set token'));
  }
}

function askToken() {
  const input = h('input', { type: 'password', id: 'who-token-input', placeholder: 'token', autocomplete: 'off', 'aria-label': 'API token' });
  const use = async () => {
    const token = input.value.trim();
    if (!token) return;
    setToken(token);
    await checkToken(true);
    detail.rerender();
  };
  input.addEventListener('keydown', (e) => { if (e.key === 'Escape') setWho(state.who); });
  fill(els.who, h('form', { class: 'who-form', on: { submit: (e) => { e.preventDefault(); use(); } } },
    input, ' ', h('button', { type: 'submit', class: 'btn-small' }, 'Use')));
  input.focus();
}

async function checkToken(report = false) {
  if (!getToken()) {
    setWho(null);
    return;
  }
  try {
    const who = await api.whoami();
    setWho(who.who);
    banner('', 'token');
  } catch (err) {
    if (err.status === 401) {
      setToken('');
      setWho(null);
      if (report) banner('That token was not accepted.', 'token');
    } else {
      setWho(null);
    }
  }
}

// ---- start ---------------------------------------------------------------------------------------

function start() {
  const initial = readHash();
  state.filters = initial.filters;
  state.sort = initial.sort;
  filters.set(initial.filters, { silent: true });
  checkToken();
  refresh({ fit: !initial.filters.inView }).then(() => {
    map.drawBoundaries();
    loadFacets();
  });
  if (initial.eventId !== null) select(initial.eventId);
}

start();
