// The workbench API (docs/API.md): reads are open, writes send `Authorization: Bearer TOKEN`.

const TOKEN_KEY = 'marsad.token';

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** Take `#token=...` from the address bar into sessionStorage and strip it from the URL. */
export function adoptTokenFromFragment() {
  const hash = window.location.hash.replace(/^#/, '');
  if (!hash) return;
  const params = new URLSearchParams(hash);
  const token = params.get('token');
  if (token === null) return;
  if (token) setToken(token);
  params.delete('token');
  const rest = params.toString();
  const url = window.location.pathname + window.location.search + (rest ? `#${rest}` : '');
  window.history.replaceState(null, '', url);
}

export function getToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

export function setToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token.trim());
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage disabled: the token lasts until reload only
  }
}

function messageOf(body, status) {
  if (body && typeof body === 'object') {
    const d = body.detail ?? body.message ?? body.error;
    if (typeof d === 'string') return d;
    if (Array.isArray(d)) {
      // FastAPI validation errors: [{loc: [...], msg: '...'}]
      return d.map((e) => (e && e.msg ? `${(e.loc || []).filter((x) => x !== 'body').join('.')}: ${e.msg}` : String(e))).join('; ');
    }
  }
  if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 300);
  return `HTTP ${status}`;
}

async function request(method, path, { body, auth = false, signal } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (auth) {
    const token = getToken();
    if (!token) throw new ApiError(401, 'no token');
    headers.Authorization = `Bearer ${token}`;
  }
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, `the marsad server is not answering (${err.message})`);
  }
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) throw new ApiError(res.status, messageOf(data, res.status), data);
  return data;
}

export const api = {
  events: (query, signal) => request('GET', `/api/events?${query}`, { signal }),
  event: (id, signal) => request('GET', `/api/events/${encodeURIComponent(id)}`, { signal }),
  article: (id, signal) => request('GET', `/api/articles/${encodeURIComponent(id)}`, { signal }),
  facets: () => request('GET', '/api/facets'),
  timeline: (query, signal) => request('GET', `/api/timeline?${query}`, { signal }),
  whoami: () => request('GET', '/api/whoami', { auth: true }),
  patchEvent: (id, body) => request('PATCH', `/api/events/${encodeURIComponent(id)}`, { body, auth: true }),
  unmerge: (id, mergeId) => request('POST', `/api/events/${encodeURIComponent(id)}/unmerge`, {
    body: mergeId === undefined ? {} : { merge_id: mergeId }, auth: true,
  }),
  postArticle: (article) => request('POST', '/api/articles', { body: article, auth: true }),
};
