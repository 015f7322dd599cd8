// Shared presentation helpers: colours, badges, labels.
import { h } from './dom.js';

export const TYPE_COLORS = {
  Battles: '#d7263d',
  'Explosions/Remote violence': '#f0782a',
  'Violence against civilians': '#7b2cbf',
  Protests: '#13967f',
  Riots: '#b38600',
  'Strategic developments': '#2f6fd6',
};
export const TYPE_ORDER = Object.keys(TYPE_COLORS);
const OTHER_COLOR = '#6b7280';

export function typeColor(type) {
  return TYPE_COLORS[type] || OTHER_COLOR;
}

export const TYPE_SHORT = {
  Battles: 'Battles',
  'Explosions/Remote violence': 'Explosions',
  'Violence against civilians': 'Violence vs civilians',
  Protests: 'Protests',
  Riots: 'Riots',
  'Strategic developments': 'Strategic dev.',
};

export const STATUSES = ['auto', 'confirmed', 'edited', 'rejected'];
export const DEFAULT_STATUSES = ['auto', 'confirmed', 'edited'];

export function statusBadge(status) {
  return h('span', { class: ['badge', `badge-${STATUSES.includes(status) ? status : 'other'}`], title: `status: ${status}` }, status || '?');
}

export function typeDot(type) {
  const dot = h('span', { class: 'type-dot', 'aria-hidden': 'true' });
  dot.style.background = typeColor(type);
  return dot;
}

export function confidenceBar(value, label = 'confidence') {
  const v = typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.min(1, value)) : null;
  const inner = h('span', { class: 'conf-fill' });
  inner.style.width = `${v === null ? 0 : Math.round(v * 100)}%`;
  inner.classList.add(v === null ? 'conf-none' : v >= 0.8 ? 'conf-high' : v >= 0.6 ? 'conf-mid' : 'conf-low');
  return h('span', { class: 'conf', title: `${label}: ${v === null ? 'n/a' : v.toFixed(2)}` },
    h('span', { class: 'conf-bar' }, inner),
    h('span', { class: 'conf-num' }, v === null ? '–' : v.toFixed(2)));
}

export const TIME_PRECISION = { 1: 'day', 2: 'week', 3: 'month' };
export const GEO_PRECISION = { 1: 'the place itself', 2: 'near the place / part of a region', 3: 'the admin area only' };

export function fmtNumber(n) {
  return typeof n === 'number' ? n.toLocaleString('en-US') : '–';
}

export function fmtDateTime(s) {
  if (!s) return '';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return String(s);
  return d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

export function actorLabel(id, name) {
  if (!id) return '';
  return name && name !== id ? `${id}` : id;
}

/** Format YYYY-MM-DD for a Date (UTC). */
export function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

/** Last day of the bucket that starts at `start` (YYYY-MM-DD). */
export function bucketEnd(start, bucket) {
  const d = new Date(`${start}T00:00:00Z`);
  if (bucket === 'week') d.setUTCDate(d.getUTCDate() + 6);
  else if (bucket === 'month') {
    d.setUTCMonth(d.getUTCMonth() + 1, 1);
    d.setUTCDate(0);
  } else if (bucket === 'year') {
    d.setUTCFullYear(d.getUTCFullYear() + 1, 0, 1);
    d.setUTCDate(0);
  }
  return isoDay(d);
}

export function debounce(fn, ms) {
  let t = null;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}
