// DOM building without HTML strings. Article and event values are untrusted: they only ever
// reach the page through createTextNode / textContent / setAttribute on attributes that this
// code names itself (never an attribute name from data, never an on* handler, never innerHTML).

const SAFE_URL = /^https?:\/\//i;

/**
 * h('div', {class: 'x', dataset: {id: 3}, on: {click: fn}}, 'text', childNode, [more])
 * Strings become text nodes; null/undefined/false children are skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'on') {
        for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
      } else if (key === 'dataset') {
        for (const [k, v] of Object.entries(value)) {
          if (v !== null && v !== undefined) el.dataset[k] = String(v);
        }
      } else if (key === 'class') {
        el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
      } else if (key === 'text') {
        el.textContent = String(value);
      } else if (key === 'href') {
        el.setAttribute('href', safeHref(value));
      } else if (key.startsWith('on')) {
        throw new Error(`h(): use {on: {...}} for handlers, not ${key}`);
      } else if (value === true) {
        el.setAttribute(key, '');
      } else if (key in el && typeof value !== 'string' && key !== 'style') {
        el[key] = value;
      } else {
        el.setAttribute(key, String(value));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replace all children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** Same-origin paths and http(s) URLs only; anything else (javascript:, data:) becomes '#'. */
export function safeHref(value) {
  const s = String(value ?? '');
  if (s.startsWith('/') && !s.startsWith('//')) return s;
  if (s.startsWith('?') || s.startsWith('#')) return s;
  return SAFE_URL.test(s) ? s : '#';
}

/** An isolated bidi run, for names that may be Arabic inside English UI text. */
export function bdi(text, extra) {
  if (text === null || text === undefined || text === '') return null;
  return h('bdi', { dir: 'auto', ...extra }, String(text));
}

export function $(sel, root = document) {
  return root.querySelector(sel);
}

export function $$(sel, root = document) {
  return Array.from(root.querySelectorAll(sel));
}

// Unicode code point helpers: the API's spans count code points (Python), JavaScript strings
// index UTF-16 units.
export function codePoints(text) {
  return Array.from(text ?? '');
}

export function sliceCP(cps, start, end) {
  return cps.slice(start, end).join('');
}
