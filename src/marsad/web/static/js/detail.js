// The detail panel: the event's fields (each linked to its span in the article), the article
// view (one tab per supporting article), confirm / reject / edit, unmerge, and the audit log.
import { h, fill, bdi, $$ } from './dom.js';
import { api, ApiError, getToken, setToken } from './api.js';
import { renderArticleText, marksFromClaims, markLegend } from './article.js';
import {
  statusBadge, typeColor, confidenceBar, TIME_PRECISION, GEO_PRECISION, fmtDateTime, fmtNumber,
} from './format.js';

// Field rows: which marks each one points at (data-fields of the mark elements).
const FIELD_MARKS = {
  event_date: ['event_date'],
  event_type: ['event_type'],
  actor1: ['actor1'],
  actor2: ['actor2'],
  actors: ['actors'],
  location: ['location'],
  fatalities: ['fatalities'],
  sources: ['sources'],
  evidence: ['evidence'],
};
const FIELD_KIND = {
  event_date: 'date', event_type: 'trigger', actor1: 'actor', actor2: 'actor', actors: 'actor',
  location: 'location', fatalities: 'fatalities', sources: 'source', evidence: 'evidence',
};

const EDITABLE = [
  'event_date', 'time_precision', 'event_type', 'sub_event_type', 'actor1', 'assoc_actor_1', 'actor2',
  'assoc_actor_2', 'country', 'admin1', 'admin2', 'admin3', 'location', 'latitude', 'longitude',
  'geo_precision', 'fatalities', 'notes',
];

const AUDIT_BADGE = {
  edit: 'edited', edited: 'edited', confirm: 'confirmed', confirmed: 'confirmed', reject: 'rejected',
  rejected: 'rejected', reopen: 'auto', auto: 'auto',
};

function listValue(v) {
  return Array.isArray(v) ? v : v ? [v] : [];
}

function sameValue(a, b) {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function createDetail(el, { getFacets, onChanged, onLoaded, onSelect, onNav, onClose, onWho }) {
  let detail = null;
  let articles = new Map(); // article id -> article (with text)
  let activeArticle = null;
  let mode = 'view'; // view | edit | reject
  let message = null; // {kind: 'error'|'ok', text}
  let busy = false;
  let loadSeq = 0;

  el.addEventListener('click', (evt) => {
    const other = evt.target.closest('.ev-other');
    if (other && el.contains(other)) {
      const id = Number((other.dataset.events || '').split(' ')[0]);
      if (id) onSelect(id);
      return;
    }
    const mark = evt.target.closest('.article-text [data-fields]');
    if (mark && el.contains(mark)) {
      for (const field of mark.dataset.fields.split(' ')) flashField(field);
    }
  });

  function placeholder() {
    fill(el, h('div', { class: 'detail-empty' },
      h('h2', null, 'No event open'),
      h('p', null, 'Click a row in the table or a circle on the map to check an event against its source sentence.'),
      h('p', { class: 'muted' }, 'Keys: j / k next and previous event, c confirm, x reject, e edit, Esc close.')));
  }

  async function open(id) {
    const seq = ++loadSeq;
    mode = 'view';
    message = null;
    if (!detail || detail.id !== id) {
      fill(el, h('div', { class: 'detail-loading' }, `Loading event #${id}…`));
    }
    try {
      const d = await api.event(id);
      if (seq !== loadSeq) return;
      await loadArticles(d);
      if (seq !== loadSeq) return;
      detail = d;
      if (!activeArticle || !d.articles.some((a) => a.id === activeArticle)) {
        activeArticle = d.articles.length ? d.articles[0].id : null;
      }
      render();
      if (onLoaded) onLoaded(d);
    } catch (err) {
      if (seq !== loadSeq) return;
      detail = null;
      fill(el, h('div', { class: 'detail-error', role: 'alert' },
        h('h2', null, `Event #${id}`),
        h('p', null, err.status === 404 ? 'This event does not exist (any more): it may have been merged into another event.' : `Could not load it: ${err.message}`),
        h('button', { type: 'button', class: 'btn', on: { click: () => onClose() } }, 'Close')));
    }
  }

  async function loadArticles(d) {
    const need = (d.articles || []).map((a) => a.id).filter((aid) => !articles.has(aid));
    const got = await Promise.all(need.map((aid) => api.article(aid).catch((err) => ({ id: aid, error: err.message }))));
    for (const a of got) articles.set(a.id, a);
  }

  function close() {
    loadSeq++;
    detail = null;
    mode = 'view';
    placeholder();
  }

  // ---- writes ----------------------------------------------------------------------------

  async function write(fn, okText) {
    if (!getToken()) {
      message = { kind: 'error', text: 'Writes need a token: paste it above.' };
      render();
      return false;
    }
    busy = true;
    render();
    try {
      const result = await fn();
      const d = result && result.event ? result.event : result;
      articles = new Map(Array.from(articles).filter(([aid]) => d.articles.some((a) => a.id === aid)));
      await loadArticles(d);
      detail = d;
      mode = 'view';
      message = { kind: 'ok', text: typeof okText === 'function' ? okText(result) : okText };
      busy = false;
      render();
      onChanged(detail, result);
      return true;
    } catch (err) {
      busy = false;
      if (err instanceof ApiError && err.status === 401) {
        setToken('');
        onWho(null);
        message = { kind: 'error', text: 'The token was refused (401). Paste a valid token.' };
      } else {
        message = { kind: 'error', text: err.message };
      }
      render();
      return false;
    }
  }

  const confirmEvent = () => write(() => api.patchEvent(detail.id, { status: 'confirmed' }), `Event #${detail.id} confirmed.`);
  const reopenEvent = () => write(() => api.patchEvent(detail.id, { status: 'auto' }), `Event #${detail.id} reopened.`);
  const rejectEvent = (comment) => write(() => api.patchEvent(detail.id, comment ? { status: 'rejected', comment } : { status: 'rejected' }), `Event #${detail.id} rejected.`);
  const unmerge = (mergeId) => write(() => api.unmerge(detail.id, mergeId), (r) => `Unmerged: the source's claims are event #${r.restored_event_id} again.`);

  // ---- view --------------------------------------------------------------------------------

  function tokenBox() {
    const input = h('input', {
      type: 'password', id: 'token-input', placeholder: 'paste the token', autocomplete: 'off', 'aria-label': 'API token',
    });
    const use = async () => {
      const token = input.value.trim();
      if (!token) return;
      setToken(token);
      try {
        const who = await api.whoami();
        onWho(who.who);
        message = { kind: 'ok', text: `Signed in as ${who.who}.` };
      } catch (err) {
        setToken('');
        onWho(null);
        message = { kind: 'error', text: err.status === 401 ? 'That token was not accepted.' : err.message };
      }
      render();
    };
    return h('form', { class: 'token-box', on: { submit: (e) => { e.preventDefault(); use(); } } },
      h('span', null, 'Confirm, edit and reject need the token that ', h('code', null, 'marsad serve'), ' printed (or ', h('code', null, 'marsad token create NAME'), '):'),
      h('div', { class: 'token-row' }, input, h('button', { type: 'submit', class: 'btn', id: 'token-use' }, 'Use token')));
  }

  function actionBar() {
    if (!getToken()) return tokenBox();
    const st = detail.status;
    const bar = h('div', { class: 'actions' },
      h('button', {
        type: 'button', class: 'btn btn-confirm', id: 'btn-confirm', disabled: busy || st === 'confirmed',
        title: 'the row matches its sources (c)', on: { click: confirmEvent },
      }, '✓ Confirm'),
      h('button', {
        type: 'button', class: 'btn btn-edit', id: 'btn-edit', disabled: busy, title: 'correct fields (e)',
        on: { click: () => { mode = 'edit'; message = null; render(); } },
      }, '✎ Edit'),
      st === 'rejected'
        ? h('button', { type: 'button', class: 'btn', id: 'btn-reopen', disabled: busy, on: { click: reopenEvent } }, '↺ Reopen')
        : h('button', {
          type: 'button', class: 'btn btn-reject', id: 'btn-reject', disabled: busy, title: 'not an event, or wrongly coded (x)',
          on: { click: () => { mode = 'reject'; message = null; render(); } },
        }, '✕ Reject'));
    if (mode !== 'reject') return bar;
    const reason = h('input', { type: 'text', id: 'reject-comment', placeholder: 'why? (optional, goes into the audit log)', dir: 'auto', 'aria-label': 'reason for rejecting' });
    const go = () => rejectEvent(reason.value.trim());
    reason.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') go();
      if (e.key === 'Escape') { mode = 'view'; render(); }
    });
    setTimeout(() => reason.focus(), 0);
    return h('div', null, bar, h('div', { class: 'reject-box' }, reason,
      h('button', { type: 'button', class: 'btn btn-reject', id: 'btn-reject-go', disabled: busy, on: { click: go } }, 'Reject event'),
      h('button', { type: 'button', class: 'btn', on: { click: () => { mode = 'view'; render(); } } }, 'Cancel')));
  }

  function claimsOf(articleId) {
    return (detail.claims || []).filter((c) => articleId === undefined || c.article_id === articleId);
  }

  function fieldConfidence(field) {
    const values = claimsOf().map((c) => c.event && c.event.field_confidence && c.event.field_confidence[field]).filter((v) => typeof v === 'number');
    return values.length ? Math.max(...values) : null;
  }

  function hasMarks(field) {
    const fields = FIELD_MARKS[field];
    if (!fields) return false;
    return claimsOf().some((c) => {
      const { marks, evidence } = marksFromClaims([c], detail);
      return (field === 'evidence' && evidence.length) || marks.some((m) => fields.includes(m.field));
    });
  }

  function fieldRow(field, label, value, { conf = null, sub = null } = {}) {
    const linked = hasMarks(field);
    const kind = FIELD_KIND[field];
    const row = h('div', {
      class: ['field', linked ? 'linked' : ''], dataset: { field },
      tabindex: linked ? '0' : null, role: linked ? 'button' : null,
      title: linked ? 'show where the article says this' : null,
      on: linked ? {
        click: () => showSpans(field),
        keydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); showSpans(field); } },
      } : null,
    },
    h('div', { class: 'field-label' },
      kind ? h('span', { class: ['kind-chip', `chip-${kind}`], 'aria-hidden': 'true' }) : null,
      label),
    h('div', { class: 'field-value' }, value, sub ? h('div', { class: 'field-sub' }, sub) : null),
    h('div', { class: 'field-side' }, conf !== null ? confidenceBar(conf, `${label} confidence`) : null, linked ? h('span', { class: 'to-span' }, '↧ text') : null));
    return row;
  }

  function actorValue(id, name, assoc) {
    if (!id && !(assoc && assoc.length)) return h('span', { class: 'muted' }, '—');
    return h('span', null,
      id ? h('strong', null, bdi(id)) : h('span', { class: 'muted' }, 'unknown'),
      name && name !== id ? [' ', h('span', { class: 'muted' }, bdi(name))] : null,
      assoc && assoc.length ? h('div', { class: 'field-sub' }, 'with ', assoc.map((a, i) => [i ? ', ' : '', bdi(a)])) : null);
  }

  function fields() {
    const d = detail;
    const allClaims = claimsOf();
    const fatalityClaims = allClaims.flatMap((c) => (c.event && c.event.claims) || []);
    const others = new Set();
    const group = new Set([d.actor1, d.actor2, ...(d.assoc_actor_1 || []), ...(d.assoc_actor_2 || [])]);
    for (const c of allClaims) for (const a of Object.keys((c.event && c.event.actor_spans) || {})) if (!group.has(a)) others.add(a);
    const triggers = Array.from(new Set(allClaims.map((c) => c.event && c.event.trigger).filter(Boolean)));
    const rules = Array.from(new Set(allClaims.map((c) => c.event && c.event.rule).filter(Boolean)));
    const typeVal = h('span', null, h('span', { class: 'type-dot' }), d.event_type, ' / ', h('strong', null, d.sub_event_type));
    typeVal.firstChild.style.background = typeColor(d.event_type);
    const place = [d.admin3, d.admin2, d.admin1, d.country].filter(Boolean);
    return h('div', { class: 'fields' },
      fieldRow('event_date', 'Date', h('span', null, h('strong', null, d.event_date || 'unknown'),
        ` · precision: ${TIME_PRECISION[d.time_precision] || d.time_precision}`),
      { conf: fieldConfidence('event_date'), sub: allClaims.map((c) => c.event && c.event.date_text).filter(Boolean).length ? ['from «', bdi(allClaims.map((c) => c.event.date_text).filter(Boolean)[0], { lang: 'ar' }), '»'] : null }),
      fieldRow('event_type', 'Type', typeVal, {
        conf: fieldConfidence('event_type'),
        sub: triggers.length ? ['trigger «', triggers.map((t, i) => [i ? '», «' : '', bdi(t, { lang: 'ar' })]), '»', rules.length ? h('span', { class: 'muted', title: rules.join('\n') }, ' · rule') : null] : null,
      }),
      fieldRow('actor1', 'Actor 1', actorValue(d.actor1, d.actor1_name, d.assoc_actor_1), { conf: fieldConfidence('actor1') }),
      fieldRow('actor2', 'Actor 2', actorValue(d.actor2, d.actor2_name, d.assoc_actor_2), { conf: fieldConfidence('actor2') }),
      others.size ? fieldRow('actors', 'Also named', h('span', null, Array.from(others).map((a, i) => [i ? ', ' : '', bdi(a)]))) : null,
      fieldRow('location', 'Location', h('span', null, h('strong', null, bdi(d.location || 'unknown')),
        d.location_ar ? [' · ', h('bdi', { dir: 'rtl', lang: 'ar' }, d.location_ar)] : null), {
        conf: fieldConfidence('location'),
        sub: [place.length ? place.map((p, i) => [i ? ' › ' : '', bdi(p)]) : null,
          typeof d.latitude === 'number' ? h('div', { class: 'muted' }, `${d.latitude.toFixed(4)}, ${d.longitude.toFixed(4)} · geo precision ${d.geo_precision} (${GEO_PRECISION[d.geo_precision] || '?'})`) : h('div', { class: 'muted' }, 'no coordinates')],
      }),
      fieldRow('fatalities', 'Fatalities', h('strong', { class: 'fatalities-value' }, fmtNumber(d.fatalities)), {
        conf: fieldConfidence('fatalities'),
        sub: fatalityClaims.length ? h('ul', { class: 'claims' }, fatalityClaims.map((c) => h('li', null, bdi(c.source || 'unattributed'), `: ${c.fatalities}`))) : null,
      }),
      fieldRow('sources', 'Sources', (d.sources || []).length ? h('span', null, d.sources.map((s, i) => [i ? ', ' : '', bdi(s)])) : h('span', { class: 'muted' }, 'none named')),
      fieldRow('evidence', 'Evidence', h('span', { class: 'muted' }, `${allClaims.reduce((n, c) => n + ((c.event && c.event.evidence_spans) || []).length, 0)} sentence(s) in ${d.articles.length} article(s)`)),
      d.notes ? fieldRow('notes', 'Notes', h('span', { class: 'notes', dir: 'auto' }, d.notes)) : null);
  }

  function articleTabs() {
    const d = detail;
    if (!d.articles.length) return h('div', { class: 'muted' }, 'No article supports this event.');
    const mergedFrom = new Map(); // article id -> active merge
    for (const m of d.merges || []) {
      if (m.undone_at) continue;
      for (const cid of m.claim_ids || []) {
        const claim = (d.claims || []).find((c) => c.id === cid);
        if (claim) mergedFrom.set(claim.article_id, m);
      }
    }
    const tabs = h('div', { class: 'tabs', role: 'tablist' }, d.articles.map((a) => h('button', {
      type: 'button', role: 'tab', class: ['tab', a.id === activeArticle ? 'active' : ''],
      'aria-selected': a.id === activeArticle ? 'true' : 'false', dataset: { article: a.id },
      on: { click: () => { activeArticle = a.id; render(); } },
    }, bdi(a.outlet || `article ${a.id}`), a.published ? h('span', { class: 'muted' }, ` ${a.published}`) : null,
    mergedFrom.has(a.id) ? h('span', { class: 'tab-merged', title: 'merged from another event' }, ' merged') : null)));
    const meta = d.articles.find((a) => a.id === activeArticle) || d.articles[0];
    const art = articles.get(meta.id) || {};
    const merge = mergedFrom.get(meta.id);
    return h('div', { class: 'article-box' },
      d.articles.length > 1 ? tabs : h('h3', { class: 'section-title' }, 'Source article'),
      articleView(meta, art, merge));
  }

  function articleView(meta, art, merge) {
    if (art.error) return h('div', { class: 'detail-error' }, `Could not load article ${meta.id}: ${art.error}`);
    const text = art.text || '';
    const claims = claimsOf(meta.id);
    const { marks, evidence } = marksFromClaims(claims, detail);
    const others = [];
    for (const c of art.claims || []) {
      if (c.event_id === detail.id) continue;
      for (const span of (c.event && c.event.evidence_spans) || []) others.push({ start: span[0], end: span[1], eventId: c.event_id });
    }
    const { element, problems } = renderArticleText(text, { evidence, marks, others });
    const url = art.url || meta.url;
    return h('div', { class: 'article', dataset: { article: meta.id } },
      h('div', { class: 'article-head' },
        h('div', { class: 'article-title', dir: 'auto', lang: 'ar' }, art.title || meta.title || '(no title)'),
        h('div', { class: 'article-meta muted' },
          bdi(art.outlet || meta.outlet || 'unknown outlet'), ' · ', art.published || meta.published || 'no date',
          art.ext_id ? [' · ', h('code', null, art.ext_id)] : null,
          url ? [' · ', /^https?:\/\//i.test(url)
            ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', title: url, class: 'ext-link' }, 'original ↗')
            : h('span', { title: 'not a web address' }, url)] : null),
        merge ? h('div', { class: 'merge-note' },
          `Merged from event #${merge.source_event_id} by ${merge.who} (${fmtDateTime(merge.at)})`,
          merge.reason ? [': ', h('span', { class: 'merge-reason' }, merge.reason)] : null, '. ',
          h('button', {
            type: 'button', class: 'btn-small btn-unmerge', dataset: { merge: merge.id }, disabled: busy,
            title: 'give this source its own event again', on: { click: () => unmerge(merge.id) },
          }, 'Unmerge')) : null),
      markLegend(),
      problems.length ? h('div', { class: 'warn' }, `Spans that do not fit the text: ${problems.join('; ')}`) : null,
      element);
  }

  function merges() {
    const list = detail.merges || [];
    if (!list.length) return null;
    return h('section', { class: 'merges' }, h('h3', { class: 'section-title' }, 'Merges'),
      h('ul', null, list.map((m) => h('li', { class: m.undone_at ? 'undone' : '' },
        `#${m.source_event_id} merged in by ${m.who}, ${fmtDateTime(m.at)}`,
        m.reason ? h('div', { class: 'muted small' }, m.reason) : null,
        m.undone_at ? h('span', { class: 'muted' }, ` · undone ${fmtDateTime(m.undone_at)}`)
          : [' ', h('button', {
            type: 'button', class: 'btn-small btn-unmerge', dataset: { merge: m.id }, disabled: busy || !getToken(),
            on: { click: () => unmerge(m.id) },
          }, 'Unmerge')]))));
  }

  function changeList(before, after) {
    const keys = Array.from(new Set([...Object.keys(before || {}), ...Object.keys(after || {})]));
    if (!keys.length) return null;
    const show = (v) => (v === null || v === undefined ? '∅' : Array.isArray(v) ? (v.length ? v.join(', ') : '[]') : typeof v === 'object' ? JSON.stringify(v) : String(v));
    return h('ul', { class: 'changes' }, keys.map((k) => h('li', { dataset: { key: k } },
      h('code', null, k), ': ', h('span', { class: 'before' }, bdi(show(before && before[k]))), ' → ', h('span', { class: 'after' }, bdi(show(after && after[k]))))));
  }

  function audit() {
    const list = (detail.audit || []).slice().reverse();
    return h('section', { class: 'audit' }, h('h3', { class: 'section-title' }, `History (${list.length})`),
      list.length ? h('ol', { class: 'audit-list' }, list.map((a) => h('li', { class: 'audit-entry', dataset: { action: a.action } },
        h('div', { class: 'audit-head' }, h('span', { class: ['badge', `badge-${AUDIT_BADGE[a.action] || 'other'}`] }, a.action),
          ' ', h('strong', null, bdi(a.who || '?')), ' ', h('span', { class: 'muted' }, fmtDateTime(a.at))),
        changeList(a.before, a.after),
        a.comment ? h('div', { class: 'audit-comment', dir: 'auto' }, '“', a.comment, '”') : null)))
        : h('div', { class: 'muted' }, 'Not reviewed yet: extracted automatically.'));
  }

  function header() {
    const d = detail;
    const bar = h('span', { class: 'type-bar' });
    bar.style.background = typeColor(d.event_type);
    return h('div', { class: 'detail-head', dataset: { eventId: d.id } },
      bar,
      h('div', { class: 'detail-title' },
        h('h2', null, `#${d.id} `, h('span', { class: 'detail-sub' }, d.sub_event_type)),
        h('div', { class: 'detail-badges' }, statusBadge(d.status), confidenceBar(d.confidence),
          h('span', { class: 'muted' }, `${d.n_articles ?? d.articles.length} source article${(d.n_articles ?? d.articles.length) === 1 ? '' : 's'}`),
          d.updated_at ? h('span', { class: 'muted', title: 'last change' }, `updated ${fmtDateTime(d.updated_at)}`) : null)),
      h('div', { class: 'detail-nav' },
        h('button', { type: 'button', class: 'btn-small', title: 'previous event (k)', on: { click: () => onNav(-1) } }, '↑'),
        h('button', { type: 'button', class: 'btn-small', title: 'next event (j)', on: { click: () => onNav(1) } }, '↓'),
        h('button', { type: 'button', class: 'btn-small', id: 'detail-close', title: 'close (Esc)', on: { click: () => onClose() } }, '✕')));
  }

  function render() {
    if (!detail) {
      placeholder();
      return;
    }
    const scroll = el.scrollTop;
    fill(el,
      header(),
      actionBar(),
      message ? h('div', { class: ['msg', `msg-${message.kind}`], role: message.kind === 'error' ? 'alert' : 'status' }, message.text) : null,
      mode === 'edit' ? editForm() : fields(),
      articleTabs(),
      merges(),
      audit());
    el.scrollTop = scroll;
  }

  // ---- field <-> span links --------------------------------------------------------------

  function marksFor(field, root) {
    const fields = FIELD_MARKS[field] || [field];
    return $$('[data-fields]', root).filter((m) => m.dataset.fields.split(' ').some((f) => fields.includes(f)));
  }

  function showSpans(field) {
    let found = marksFor(field, el.querySelector('.article') || el);
    if (!found.length) {
      // another article of the event may have it
      for (const a of detail.articles) {
        if (a.id === activeArticle) continue;
        const claims = claimsOf(a.id);
        const { marks, evidence } = marksFromClaims(claims, detail);
        const fields = FIELD_MARKS[field] || [field];
        if ((field === 'evidence' && evidence.length) || marks.some((m) => fields.includes(m.field))) {
          activeArticle = a.id;
          render();
          found = marksFor(field, el.querySelector('.article') || el);
          break;
        }
      }
    }
    if (!found.length) return;
    for (const m of $$('.flash', el)) m.classList.remove('flash');
    void el.offsetWidth; // restart the animation
    for (const m of found) m.classList.add('flash');
    found[0].scrollIntoView({ block: 'center', behavior: 'smooth' });
    flashField(field);
  }

  function flashField(field) {
    const row = el.querySelector(`.field[data-field="${CSS.escape(field)}"]`);
    if (!row) return;
    row.classList.remove('field-flash');
    void row.offsetWidth;
    row.classList.add('field-flash');
  }

  // ---- edit form -------------------------------------------------------------------------

  function editForm() {
    const d = detail;
    const facets = getFacets() || {};
    const taxonomy = facets.taxonomy || {};
    const types = Object.keys(taxonomy);
    if (d.event_type && !types.includes(d.event_type)) types.push(d.event_type);
    const input = (name, value, attrs = {}) => h('input', { name, id: `edit-${name}`, value: value ?? '', dir: 'auto', ...attrs });
    const select = (name, options, value) => h('select', { name, id: `edit-${name}` },
      options.map(([v, label]) => h('option', { value: v, selected: String(v) === String(value) }, label)));
    const subSelect = select('sub_event_type', (taxonomy[d.event_type] || [d.sub_event_type]).map((s) => [s, s]), d.sub_event_type);
    const typeSelect = select('event_type', types.map((t) => [t, t]), d.event_type);
    typeSelect.addEventListener('change', () => {
      const subs = taxonomy[typeSelect.value] || [];
      fill(subSelect, subs.map((s) => h('option', { value: s }, s)));
    });
    const actorOptions = h('datalist', { id: 'edit-actor-options' },
      (facets.actor_catalog || facets.actors || []).map((a) => h('option', { value: a.id || a.value }, a.name || a.id || a.value)));
    const countryOptions = h('datalist', { id: 'edit-country-options' }, (facets.countries || []).map((c) => h('option', { value: c.value })));
    const admin1Options = h('datalist', { id: 'edit-admin1-options' }, (facets.admin1 || []).map((a) => h('option', { value: a.value }, a.country)));
    const row = (label, control, hint) => h('label', { class: 'edit-row' }, h('span', { class: 'edit-label' }, label), control, hint ? h('span', { class: 'edit-hint' }, hint) : null);
    const form = h('form', { class: 'edit-form', id: 'edit-form', novalidate: true },
      h('div', { class: 'edit-grid' },
        row('Date', input('event_date', d.event_date, { type: 'date' })),
        row('Time precision', select('time_precision', [[1, '1 · day'], [2, '2 · week'], [3, '3 · month']], d.time_precision)),
        row('Event type', typeSelect),
        row('Sub-event type', subSelect),
        row('Actor 1', input('actor1', d.actor1, { list: 'edit-actor-options' })),
        row('Associated 1', input('assoc_actor_1', (d.assoc_actor_1 || []).join(', ')), 'comma-separated'),
        row('Actor 2', input('actor2', d.actor2, { list: 'edit-actor-options' })),
        row('Associated 2', input('assoc_actor_2', (d.assoc_actor_2 || []).join(', ')), 'comma-separated'),
        row('Location', input('location', d.location)),
        row('Country', input('country', d.country, { list: 'edit-country-options' })),
        row('Admin 1', input('admin1', d.admin1, { list: 'edit-admin1-options' })),
        row('Admin 2', input('admin2', d.admin2)),
        row('Admin 3', input('admin3', d.admin3)),
        row('Latitude', input('latitude', d.latitude, { type: 'number', step: 'any', min: '-90', max: '90' })),
        row('Longitude', input('longitude', d.longitude, { type: 'number', step: 'any', min: '-180', max: '180' })),
        row('Geo precision', select('geo_precision', [[1, '1 · the place'], [2, '2 · near / part of a region'], [3, '3 · admin area']], d.geo_precision)),
        row('Fatalities', input('fatalities', d.fatalities, { type: 'number', min: '0', step: '1' }))),
      row('Notes', h('textarea', { name: 'notes', id: 'edit-notes', rows: 3, dir: 'auto' }, d.notes || '')),
      row('Comment', input('comment', '', { placeholder: 'why the change (audit log)' })),
      actorOptions, countryOptions, admin1Options,
      h('div', { class: 'edit-actions' },
        h('button', { type: 'submit', class: 'btn btn-confirm', id: 'edit-save', disabled: busy }, 'Save changes'),
        h('button', { type: 'button', class: 'btn', id: 'edit-cancel', on: { click: () => { mode = 'view'; message = null; render(); } } }, 'Cancel')));
    form.addEventListener('submit', (evt) => {
      evt.preventDefault();
      const body = collect(form);
      if (body === null) return;
      const comment = body.comment;
      delete body.comment;
      if (!Object.keys(body).length) {
        message = { kind: 'error', text: 'Nothing changed.' };
        render();
        return;
      }
      if (comment) body.comment = comment;
      const names = Object.keys(body).filter((k) => k !== 'comment');
      write(() => api.patchEvent(d.id, body), `Saved: ${names.join(', ')}.`);
    });
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { mode = 'view'; message = null; render(); }
    });
    return form;
  }

  // The changed fields of the form, typed for the API; null (with a message) if one is invalid.
  function collect(form) {
    const d = detail;
    const val = (name) => form.elements[name].value;
    const out = {};
    const problems = [];
    const text = (name) => {
      const v = val(name).trim();
      return v === '' ? null : v;
    };
    const int = (name, min) => {
      const raw = val(name).trim();
      if (raw === '') return null;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min) problems.push(`${name} must be a whole number ≥ ${min}`);
      return n;
    };
    const num = (name, lim) => {
      const raw = val(name).trim();
      if (raw === '') return null;
      const n = Number(raw);
      if (!Number.isFinite(n) || Math.abs(n) > lim) problems.push(`${name} must be a number between -${lim} and ${lim}`);
      return n;
    };
    const list = (name) => val(name).split(/[,،]/).map((s) => s.trim()).filter(Boolean);
    const values = {
      event_date: text('event_date'),
      time_precision: int('time_precision', 1),
      event_type: val('event_type'),
      sub_event_type: val('sub_event_type'),
      actor1: text('actor1'),
      assoc_actor_1: list('assoc_actor_1'),
      actor2: text('actor2'),
      assoc_actor_2: list('assoc_actor_2'),
      country: text('country'),
      admin1: text('admin1'),
      admin2: text('admin2'),
      admin3: text('admin3'),
      location: text('location'),
      latitude: num('latitude', 90),
      longitude: num('longitude', 180),
      geo_precision: int('geo_precision', 1),
      fatalities: int('fatalities', 0),
      notes: text('notes'),
    };
    if (values.fatalities === null) problems.push('fatalities is required (0 if none)');
    if (problems.length) {
      message = { kind: 'error', text: problems.join('; ') };
      const box = el.querySelector('.msg');
      if (box) box.textContent = message.text;
      else form.parentNode.insertBefore(h('div', { class: 'msg msg-error', role: 'alert' }, message.text), form);
      return null;
    }
    for (const k of EDITABLE) {
      const before = k.startsWith('assoc_') ? listValue(d[k]) : d[k] ?? null;
      if (!sameValue(before, values[k])) out[k] = values[k];
    }
    const comment = val('comment').trim();
    if (comment) out.comment = comment;
    return out;
  }

  placeholder();

  return {
    open,
    close,
    current: () => detail,
    isEditing: () => mode !== 'view',
    key(action) {
      if (!detail || busy) return;
      if (action === 'confirm') {
        if (detail.status !== 'confirmed') confirmEvent();
      }
      else if (action === 'reject') { mode = 'reject'; message = null; render(); }
      else if (action === 'edit') { mode = 'edit'; message = null; render(); setTimeout(() => { const f = el.querySelector('#edit-event_date'); if (f) f.focus(); }, 0); }
      else if (action === 'escape') {
        if (mode !== 'view') { mode = 'view'; render(); } else onClose();
      }
    },
    rerender: render,
  };
}
