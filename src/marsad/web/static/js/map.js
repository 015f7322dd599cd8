// The event map: Leaflet with the shipped Natural Earth boundaries as its only layers (no tile
// server), circle markers coloured by event type and sized by fatalities. The markers come in
// chunks (app.js asks the API for compact rows); past MAX_SVG_MARKERS they are drawn on a canvas.
import { h, fill, bdi } from './dom.js';
import { typeColor, TYPE_ORDER, TYPE_SHORT, fmtNumber } from './format.js';

const REGION_BOUNDS = [[12, 24], [40, 50]]; // Levant, Iraq, Yemen, Libya's east: the usual view
const MAX_SVG_MARKERS = 4000; // more: one canvas instead of one SVG element per marker

export function radiusFor(fatalities) {
  const f = Math.max(0, Number(fatalities) || 0);
  return Math.min(22, 4 + 2.6 * Math.sqrt(f));
}

function missingMessage(el, what) {
  fill(el, h('div', { class: 'map-missing', role: 'alert' },
    h('strong', null, 'Map assets are missing'),
    h('p', null, `The ${what} was not found in src/marsad/web/static/. Build the web assets once, in the repository (npm fetches them; the workbench itself never goes online):`),
    h('pre', null, 'npm ci --prefix web && npm run build --prefix web'),
    h('p', null, 'The table, timeline and article views work without them.')));
}

export function createMap(el, { onSelect, onViewChange }) {
  const L = window.L;
  if (!L || typeof L.map !== 'function') {
    missingMessage(el, 'Leaflet library (static/vendor/leaflet/)');
    return stubMap();
  }
  const map = L.map(el, {
    attributionControl: true,
    zoomControl: true,
    minZoom: 3,
    maxZoom: 13,
    zoomSnap: 0.25,
    worldCopyJump: false,
    maxBounds: [[-15, -40], [60, 90]],
    maxBoundsViscosity: 0.8,
    preferCanvas: false,
  });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Boundaries: Natural Earth (public domain) · Leaflet (BSD-2)');
  map.fitBounds(REGION_BOUNDS);

  map.createPane('boundaries');
  map.getPane('boundaries').style.zIndex = 250;
  map.createPane('labels');
  map.getPane('labels').style.zIndex = 380;
  map.getPane('labels').style.pointerEvents = 'none';
  map.createPane('events');
  map.getPane('events').style.zIndex = 450;

  const canvas = L.canvas({ pane: 'boundaries', padding: 0.3 });
  const svgEvents = L.svg({ pane: 'events', padding: 0.3 });
  const canvasEvents = L.canvas({ pane: 'events', padding: 0.3 });
  const markerLayer = L.featureGroup().addTo(map);
  const labelLayer = L.layerGroup().addTo(map);
  let markers = new Map(); // id -> circle marker (its event in marker.ev)
  let spots = new Map(); // "lat,lon" -> the events drawn at that place
  let bounds = null; // of the markers
  let renderer = svgEvents;
  let selectedId = null;

  // a ring around the open event
  const halo = L.circleMarker([0, 0], {
    renderer: svgEvents, pane: 'events', interactive: false, fill: false,
    color: '#111827', weight: 2, opacity: 0.9, dashArray: '4 3', className: 'ev-halo',
  });
  const fitControl = L.control({ position: 'topleft' });
  fitControl.onAdd = () => {
    const bar = h('div', { class: 'leaflet-bar' });
    const a = h('a', {
      href: '#', role: 'button', title: 'zoom to the listed events', 'aria-label': 'zoom to the listed events', class: 'map-fit',
      on: { click: (e) => { e.preventDefault(); fitEvents(); } },
    }, 'fit');
    bar.appendChild(a);
    L.DomEvent.disableClickPropagation(bar);
    return bar;
  };
  fitControl.addTo(map);

  function fitEvents() {
    if (bounds) map.fitBounds(bounds.pad(0.25), { maxZoom: 8 });
  }

  const legend = L.control({ position: 'bottomleft' });
  legend.onAdd = () => buildLegend();
  legend.addTo(map);

  let markersShown;
  const whenMarkersShown = new Promise((resolve) => { markersShown = resolve; });

  // the boundaries' error, and a note on the markers (loading, capped, without coordinates)
  const status = h('div', { class: 'map-status', hidden: true });
  const note = h('div', { class: 'map-note', id: 'map-note', hidden: true, role: 'status' });
  el.append(status, note);

  // The files are fetched at once, but read and drawn only once `drawBoundaries()` is called
  // (app.js: when the table has its first rows), so that their work does not hold the table up.
  const boundaryFiles = Object.fromEntries(['countries', 'borders', 'admin1'].map((name) => {
    const res = fetch(`/static/boundaries/${name}.geojson`, { cache: 'force-cache' }).then((r) => {
      if (!r.ok) throw new Error(`${name}.geojson: HTTP ${r.status}`);
      return r;
    });
    res.catch(() => {}); // reported when it is read
    return [name, res];
  }));
  let openGate;
  const gate = new Promise((resolve) => { openGate = resolve; });
  setTimeout(() => openGate(), 1500); // at the latest

  async function fetchBoundary(name) {
    await gate;
    return (await boundaryFiles[name]).json();
  }

  function boundaryError(err) {
    showStatus(`Boundaries could not be loaded (${err.message}). Build them with: npm ci --prefix web && npm run build --prefix web`);
  }

  // Countries and borders first; the admin-1 units (the largest file, shown from zoom 5 on) once
  // the first markers are drawn, or at once when the map is zoomed in that far.
  async function loadBoundaries() {
    try {
      const [countries, borders] = await Promise.all(['countries', 'borders'].map(fetchBoundary));
      L.geoJSON(countries, {
        renderer: canvas, pane: 'boundaries', interactive: false,
        style: { stroke: false, fillColor: '#f4f1ea', fillOpacity: 1 },
      }).addTo(map);
      L.geoJSON(borders, {
        renderer: canvas, pane: 'boundaries', interactive: false,
        style: (f) => (f.properties.kind === 'coast'
          ? { color: '#7d8ea3', weight: 1, opacity: 1 }
          : { color: '#57534e', weight: 1.3, opacity: 1 }),
      }).addTo(map);
      addCountryLabels(countries);
      el.classList.add('map-ready');
    } catch (err) {
      boundaryError(err);
      return;
    }
    let started = false;
    const go = async () => {
      if (started) return;
      started = true;
      map.off('zoomend', early);
      try {
        addAdmin1(await fetchBoundary('admin1'));
        el.classList.add('admin1-ready');
      } catch (err) {
        boundaryError(err);
      }
    };
    const early = () => { if (map.getZoom() >= 5) go(); };
    map.on('zoomend', early);
    early();
    whenMarkersShown.then(() => setTimeout(go, 50));
    setTimeout(go, 4000); // no events (or no answer): draw them anyway
  }

  function addAdmin1(admin1) {
    const adminLines = L.geoJSON(admin1, {
      renderer: canvas, pane: 'boundaries', interactive: false,
      style: { color: '#a8a29e', weight: 0.8, opacity: 0.9, fill: false, dashArray: '3 3' },
    });
    // admin-1 lines from zoom 5 on: at region scale they are clutter
    const showAdmin = () => {
      if (map.getZoom() >= 5) adminLines.addTo(map);
      else adminLines.remove();
    };
    map.on('zoomend', showAdmin);
    showAdmin();
    const admin = L.layerGroup();
    for (const f of admin1.features) {
      if (!f.properties.name) continue;
      const [w, s, e, n] = f.properties.bbox;
      admin.addLayer(label(f.properties.name, f.properties.label || [(s + n) / 2, (w + e) / 2], 'map-label map-label-admin1'));
    }
    const toggle = () => {
      if (map.getZoom() >= 7) labelLayer.addLayer(admin);
      else labelLayer.removeLayer(admin);
    };
    map.on('zoomend', toggle);
    toggle();
  }

  function label(text, latlng, cls) {
    return L.marker(latlng, {
      pane: 'labels',
      interactive: false,
      keyboard: false,
      icon: L.divIcon({ className: cls, html: textEl(text), iconSize: null }),
    });
  }

  function addCountryLabels(countries) {
    for (const f of countries.features) {
      const [w, s, e, n] = f.properties.bbox;
      const area = (e - w) * (n - s);
      if (area < 0.3) continue;
      const size = area >= 40 ? 'big' : area >= 8 ? 'mid' : 'small';
      label(f.properties.name, f.properties.label || [(s + n) / 2, (w + e) / 2], `map-label map-label-country lbl-${size}`).addTo(labelLayer);
    }
    const toggle = () => {
      el.classList.toggle('zoom-lt5', map.getZoom() < 5);
      el.classList.toggle('zoom-lt6', map.getZoom() < 6);
    };
    map.on('zoomend', toggle);
    toggle();
  }

  function textEl(text) {
    return h('span', null, text);
  }

  function showStatus(text) {
    status.hidden = !text;
    status.textContent = text || '';
  }

  function buildLegend() {
    const box = h('div', { class: 'map-legend', 'aria-label': 'legend' });
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    const toggle = h('button', {
      type: 'button', class: 'legend-toggle', title: 'hide or show the legend', 'aria-expanded': 'true',
      on: {
        click: () => {
          const collapsed = box.classList.toggle('collapsed');
          toggle.setAttribute('aria-expanded', collapsed ? 'false' : 'true');
          toggle.textContent = collapsed ? 'Legend ▸' : '▾';
        },
      },
    }, '▾');
    box.appendChild(toggle);
    const types = h('div', { class: 'legend-types' });
    for (const t of TYPE_ORDER) {
      const sw = h('span', { class: 'legend-dot' });
      sw.style.background = typeColor(t);
      types.appendChild(h('span', { class: 'legend-row' }, sw, TYPE_SHORT[t] || t));
    }
    const sizes = h('div', { class: 'legend-sizes' }, h('span', { class: 'legend-title' }, 'Fatalities'));
    for (const f of [0, 1, 10, 50]) {
      const r = radiusFor(f);
      const c = h('span', { class: 'legend-circle' });
      c.style.width = `${2 * r}px`;
      c.style.height = `${2 * r}px`;
      sizes.appendChild(h('span', { class: 'legend-size' }, c, h('span', null, String(f))));
    }
    box.append(types, sizes);
    return box;
  }

  function tooltipFor(ev, sameSpot) {
    return h('div', { class: 'map-tip' },
      h('div', { class: 'map-tip-title' }, `#${ev.id} · ${ev.event_date || 'no date'} · `, bdi(ev.location || '?'), ev.location_ar ? [' ', bdi(ev.location_ar, { lang: 'ar' })] : null),
      h('div', null, `${ev.event_type} / ${ev.sub_event_type}`),
      h('div', null, `${fmtNumber(ev.fatalities)} fatalit${ev.fatalities === 1 ? 'y' : 'ies'}`),
      sameSpot > 1 ? h('div', { class: 'muted' }, `${sameSpot} events here: click to list them`) : null);
  }

  function spotPopup(list) {
    const box = h('div', { class: 'spot-list' },
      h('div', { class: 'spot-title' }, `${list.length} events at `, bdi(list[0].location || 'this place')));
    const ul = h('ul');
    for (const ev of list) {
      const dot = h('span', { class: 'type-dot' });
      dot.style.background = typeColor(ev.event_type);
      ul.appendChild(h('li', null, h('button', {
        type: 'button', class: 'linklike',
        on: { click: () => { map.closePopup(); onSelect(ev.id, { from: 'map' }); } },
      }, dot, `#${ev.id} ${ev.event_date || ''} · ${ev.sub_event_type} · ${ev.fatalities}†`)));
    }
    box.appendChild(ul);
    return box;
  }

  // One tooltip and one click handler for all the markers (not one per marker: there may be
  // 20,000 of them).
  const tip = L.tooltip({ direction: 'top', offset: [0, -4], opacity: 0.95 });
  markerLayer.on('mouseover', (e) => {
    const m = e.layer || e.propagatedFrom;
    if (!m || !m.ev) return;
    tip.options.offset = [0, -Math.round(m.getRadius())];
    tip.setLatLng(m.getLatLng()).setContent(tooltipFor(m.ev, (spots.get(spotKey(m.ev)) || []).length));
    map.openTooltip(tip);
  });
  markerLayer.on('mouseout', () => map.closeTooltip(tip));
  markerLayer.on('click', (e) => {
    const m = e.layer || e.propagatedFrom;
    if (!m || !m.ev) return;
    map.closeTooltip(tip);
    const spot = spots.get(spotKey(m.ev)) || [m.ev];
    if (spot.length > 1) {
      L.popup({ maxWidth: 360, autoPan: true }).setLatLng(m.getLatLng()).setContent(spotPopup(spot)).openOn(map);
    } else {
      onSelect(m.ev.id, { from: 'map' });
    }
  });

  const hasPlace = (ev) => typeof ev.latitude === 'number' && typeof ev.longitude === 'number';
  const spotKey = (ev) => `${ev.latitude.toFixed(4)},${ev.longitude.toFixed(4)}`;

  function markerFor(ev) {
    const m = L.circleMarker([ev.latitude, ev.longitude], {
      renderer,
      pane: 'events',
      radius: radiusFor(ev.fatalities),
      color: '#1f2937',
      weight: 0.8,
      opacity: 0.9,
      fillColor: typeColor(ev.event_type),
      fillOpacity: ev.status === 'rejected' ? 0.15 : 0.72,
      className: `ev-marker ev-marker-${ev.id}`,
    });
    m.ev = ev;
    return m;
  }

  function addMarker(ev) {
    const old = markers.get(ev.id);
    if (old) removeMarker(old); // drawn already (the open event, pinned before its chunk came; an edit)
    const key = spotKey(ev);
    if (!spots.has(key)) spots.set(key, []);
    spots.get(key).push(ev);
    const m = markerFor(ev);
    markerLayer.addLayer(m);
    markers.set(ev.id, m);
    if (bounds) bounds.extend(m.getLatLng());
    else bounds = L.latLngBounds(m.getLatLng(), m.getLatLng());
    return m;
  }

  function clearMarkers() {
    map.closeTooltip(tip);
    markerLayer.clearLayers();
    markers = new Map();
    spots = new Map();
    bounds = null;
    extra = null;
  }

  // ---- loading: a set of markers arrives in chunks -----------------------------------------
  //
  // `begin()` starts a set; its first chunk replaces the markers on the map (so the map never
  // stands empty while the next set is on its way), the next ones are added as they come.

  let loadSeq = 0;
  let loading = false;
  let loaded = { capped: false, area: null }; // the last complete set: more matches than drawn? drawn for which area?
  let userMoved = false;
  let quiet = false; // moves made by this code to fit the markers: not the analyst's
  let extra = null; // the open event, drawn although the set does not hold it
  let pinned = null; // the open event's data (from its detail)
  el.addEventListener('pointerdown', () => { userMoved = true; }, true);
  el.addEventListener('wheel', () => { userMoved = true; }, { capture: true, passive: true });

  function fitTo(b) {
    if (!b) return;
    quiet = true;
    try {
      map.fitBounds(b.pad(0.25), { maxZoom: 8, animate: false });
    } finally {
      quiet = false;
    }
  }

  /** A new set of markers: `fit` the view to them; `area` (west,south,east,north): they are the view's. */
  function begin({ fit = false, area = null } = {}) {
    const seq = ++loadSeq;
    const [w, s, e, n] = area ? area.split(',').map(Number) : [];
    const areaBounds = area ? L.latLngBounds([s, w], [n, e]) : null;
    loading = true;
    el.dataset.mapLoading = '1';
    if (fit) userMoved = false;
    let started = false;
    let received = 0;
    let unplaced = 0;
    let expected = 0;
    const current = () => seq === loadSeq;
    return {
      /** A chunk of events; `expected` is how many the whole set will hold. */
      add(list, { expected: want = list.length } = {}) {
        if (!current()) return;
        if (!started) {
          started = true;
          expected = want;
          clearMarkers();
          renderer = expected > MAX_SVG_MARKERS ? canvasEvents : svgEvents;
        }
        received += list.length;
        // largest first, so small markers stay clickable on top
        const placed = list.filter(hasPlace).sort((a, b) => (b.fatalities || 0) - (a.fatalities || 0));
        unplaced += list.length - placed.length;
        for (const ev of placed) addMarker(ev);
        if (fit && received === list.length) fitTo(bounds);
        if (selectedId !== null) highlight(selectedId, pendingPan(selectedId));
        el.dataset.markers = String(markers.size);
        markersShown();
        setNote(received < expected ? `loading the map: ${fmtNumber(received)} of ${fmtNumber(expected)} events…` : '');
      },
      /** The set is complete: `total` events match, `received` came (at most the cap). */
      finish({ total }) {
        if (!current()) return;
        if (!started) { // nothing matched
          clearMarkers();
          el.dataset.markers = '0';
        }
        markersShown();
        loading = false;
        el.dataset.mapLoading = '0';
        loaded = { capped: total > received, area: areaBounds };
        // later chunks may reach beyond the first one's view
        if (fit && !userMoved && selectedId === null && bounds && !map.getBounds().contains(bounds)) fitTo(bounds);
        // the open event is not in the set: if the set holds every match, it does not match the
        // filters (not drawn); if the set is capped or an area's, it may: drawn, to keep it in view
        if ((loaded.capped || loaded.area) && pinned && pinned.id === selectedId && !markers.has(pinned.id) && hasPlace(pinned)) {
          extra = addMarker(pinned);
          highlight(selectedId, pendingPan(selectedId));
        }
        const where = area ? ' in this part of the map' : ' on the map';
        if (loaded.capped) {
          setNote(`showing the newest ${fmtNumber(received)} of ${fmtNumber(total)} events${where}: narrow the filters or zoom in`, 'capped');
        } else if (unplaced && !area) {
          setNote(`${fmtNumber(unplaced)} event${unplaced > 1 ? 's' : ''} without coordinates (not on the map)`);
        } else {
          setNote('');
        }
        el.dataset.markers = String(markers.size);
      },
      /** The set will not complete (an error, or a newer set replaced it). */
      abort() {
        if (!current()) return;
        loading = false;
        el.dataset.mapLoading = '0';
        setNote('');
        markersShown();
      },
    };
  }

  // the open event had no marker yet when it was opened: how to bring it into view when it comes
  let waitingPan = null;
  function pendingPan(id) {
    return waitingPan && waitingPan.id === id && markers.has(id) ? waitingPan.pan : false;
  }

  function setNote(text, kind = '') {
    note.hidden = !text;
    note.className = ['map-note', kind ? `map-note-${kind}` : ''].filter(Boolean).join(' ');
    note.textContent = text || '';
  }

  /**
   * Whether the view shows a part of the map that the drawn set does not cover well: the set
   * was capped and the view is a part of it (zoomed in), or the set was for an area and the view
   * left it. Then the markers should be loaded again for the view (`areaBbox()`).
   */
  function wantsArea() {
    if (loading) return false;
    const view = map.getBounds();
    const size = (b) => Math.max(1e-12, (b.getEast() - b.getWest()) * (b.getNorth() - b.getSouth()));
    if (!loaded.capped) return loaded.area ? !loaded.area.contains(view) : false;
    // capped: when the view left the area, or zoomed into a part of it (not for a mere pan)
    if (loaded.area) return !loaded.area.contains(view) || size(view) < 0.15 * size(loaded.area);
    return viewIsPart();
  }

  /** The view shows less than half of the markers' extent (it is zoomed into a part of them). */
  function viewIsPart() {
    if (!bounds) return false;
    const view = map.getBounds();
    const w = Math.max(0, Math.min(view.getEast(), bounds.getEast()) - Math.max(view.getWest(), bounds.getWest()));
    const hgt = Math.max(0, Math.min(view.getNorth(), bounds.getNorth()) - Math.max(view.getSouth(), bounds.getSouth()));
    const all = Math.max(1e-12, (bounds.getEast() - bounds.getWest()) * (bounds.getNorth() - bounds.getSouth()));
    return w * hgt < 0.5 * all;
  }

  /** The view with a margin (30% of its size on each side), as west,south,east,north. */
  function areaBbox() {
    const b = map.getBounds().pad(0.3);
    const r = (v) => Math.round(v * 1000) / 1000;
    const clamp = (v, lim) => Math.max(-lim, Math.min(lim, v));
    return [r(clamp(b.getWest(), 180)), r(clamp(b.getSouth(), 90)), r(clamp(b.getEast(), 180)), r(clamp(b.getNorth(), 90))].join(',');
  }

  /** The open event: drawn even when the current set does not hold it (capped, another area). */
  function pin(ev, pan = false) {
    pinned = ev && hasPlace(ev) ? ev : null;
    if (!pinned || pinned.id !== selectedId || markers.has(pinned.id)) return;
    if (loading) { // drawn when the set is complete, if it does not hold it
      if (pan) waitingPan = { id: pinned.id, pan };
      return;
    }
    if (!loaded.capped && !loaded.area) return; // a complete set without it: it does not match
    extra = addMarker(pinned);
    el.dataset.markers = String(markers.size);
    highlight(pinned.id, pan);
  }

  /** An event changed (an edit): move, resize, recolour its marker; `keep: false` removes it. */
  function update(ev, { keep = true } = {}) {
    if (pinned && pinned.id === ev.id) pinned = keep ? { ...pinned, ...ev } : null;
    const m = markers.get(ev.id);
    if (!m) return;
    if (!keep || !hasPlace(ev)) {
      removeMarker(m);
      if (selectedId === ev.id) halo.remove();
    } else {
      const next = { ...m.ev };
      for (const k of ['latitude', 'longitude', 'event_type', 'sub_event_type', 'fatalities', 'event_date', 'location', 'location_ar', 'status']) {
        if (k in ev) next[k] = ev[k];
      }
      const wasExtra = extra === m;
      const moved = addMarker(next); // replaces m
      if (wasExtra) extra = moved;
      if (selectedId === ev.id) highlight(ev.id, false);
    }
    el.dataset.markers = String(markers.size);
  }

  function removeMarker(m) {
    if (extra === m) extra = null;
    markerLayer.removeLayer(m);
    if (markers.get(m.ev.id) === m) markers.delete(m.ev.id);
    const spot = spots.get(spotKey(m.ev));
    if (spot && spot.includes(m.ev)) spot.splice(spot.indexOf(m.ev), 1);
  }

  // pan: false (leave the view), 'inside' (pan only if the marker is out of view), 'zoom'
  // (centre it at zoom 7 or closer, where the admin-1 boundaries and names show).
  function highlight(id, pan = 'inside') {
    const prev = markers.get(selectedId);
    if (prev) prev.setStyle({ color: '#1f2937', weight: 0.8 });
    if (extra && extra.ev.id !== id) {
      // the previously open event was drawn only because it was open
      removeMarker(extra);
      el.dataset.markers = String(markers.size);
    }
    selectedId = id;
    const m = markers.get(id);
    if (!m) {
      halo.remove();
      if (pan && id !== null) waitingPan = { id, pan }; // for when its marker comes
      else if (waitingPan && waitingPan.id !== id) waitingPan = null;
      return;
    }
    waitingPan = null;
    m.setStyle({ color: '#000', weight: 3 });
    m.bringToFront();
    halo.setLatLng(m.getLatLng()).setRadius(m.getRadius() + 6).addTo(map);
    map.invalidateSize({ animate: false, pan: false }); // the detail panel may just have opened
    const inside = map.getBounds().pad(-0.1).contains(m.getLatLng());
    if (pan === 'zoom') {
      // Leaflet drops a setView that comes during a zoom animation: wait for its end
      const go = () => { if (selectedId === id) map.setView(m.getLatLng(), Math.max(map.getZoom(), 7), { animate: true }); };
      if (map._animatingZoom) map.once('zoomend', go);
      else go();
    } else if (pan === 'inside' && !inside) {
      map.panTo(m.getLatLng(), { animate: true });
    }
  }

  map.on('moveend', () => onViewChange && onViewChange({ quiet }));
  loadBoundaries();

  return {
    available: true,
    begin,
    drawBoundaries: () => openGate(),
    wantsArea,
    viewIsPart,
    areaBbox,
    pin,
    update,
    has: (id) => markers.has(id),
    select: highlight,
    invalidate: () => map.invalidateSize(),
    bbox: () => {
      const b = map.getBounds();
      const r = (v) => Math.round(v * 1000) / 1000;
      return [r(b.getWest()), r(b.getSouth()), r(b.getEast()), r(b.getNorth())].join(',');
    },
    leaflet: map,
  };
}

function stubMap() {
  const noop = () => {};
  return {
    available: false,
    begin: () => ({ add: noop, finish: noop, abort: noop }),
    drawBoundaries: noop,
    wantsArea: () => false,
    viewIsPart: () => false,
    areaBbox: () => null,
    pin: noop,
    update: noop,
    has: () => false,
    select: noop,
    invalidate: noop,
    bbox: () => null,
  };
}
