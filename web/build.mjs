// Build step of the marsad workbench (run with `npm run build` after `npm ci`).
//
// Writes two build products into src/marsad/web/static/ (both ignored by git):
//   vendor/      Leaflet (js, css, images) and Swagger UI (for FastAPI's /docs, offline)
//   boundaries/  countries.geojson, borders.geojson and admin1.geojson: Natural Earth
//                boundaries for the Middle East / North Africa / Horn, which are the map's
//                only layers (no tile server, no internet).
//
// Sources (all from npm, nothing is downloaded at run time):
//   world-atlas (ISC): Natural Earth 1:50m countries as TopoJSON (public domain data)
//   datamaps (MIT): dist/datamaps.<iso3>.js embed Natural Earth admin-1 TopoJSON per country
//                   as `Datamap.prototype.<iso3>Topo = {...};`
//   topojson-client (ISC): TopoJSON -> GeoJSON
// Boundaries are simplified (Douglas-Peucker on the shared arcs, so neighbours stay
// seamless) and rounded to 4 decimals (~10 m).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as topojson from 'topojson-client';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const STATIC = path.resolve(here, '..', 'src', 'marsad', 'web', 'static');
const VENDOR = path.join(STATIC, 'vendor');
const BOUNDARIES = path.join(STATIC, 'boundaries');

// The region the map covers: west, south, east, north.
const REGION = [-20, 5, 65, 45];
// Countries with admin-1 boundaries (datamaps' ISO3 codes; PSX = Palestine, SOL = Somaliland,
// CYN = Northern Cyprus, SAH = Western Sahara, SDS = South Sudan).
const ADMIN1 = [
  'SYR', 'IRQ', 'YEM', 'LBY', 'LBN', 'PSX', 'ISR', 'JOR', 'SDN', 'SDS', 'EGY', 'SAU', 'TUR',
  'IRN', 'KWT', 'ARE', 'OMN', 'QAT', 'BHR', 'TUN', 'DZA', 'MAR', 'SAH', 'MRT', 'MLI', 'NER',
  'TCD', 'ETH', 'ERI', 'DJI', 'SOM', 'SOL', 'CYP', 'CYN', 'AFG', 'PAK', 'AZE', 'ARM', 'GEO',
];
const DECIMALS = 4;
const TOLERANCE = { countries: 0.004, admin1: 0.006 }; // degrees, Douglas-Peucker
const MIN_RING_AREA = { countries: 0.0008, admin1: 0.0015 }; // square degrees: drop specks
const MAX_TOTAL_BYTES = 3.2 * 1024 * 1024;

function pkgDir(name) {
  return path.dirname(require.resolve(`${name}/package.json`));
}

function copy(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

function rmrf(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
}

// ---- vendor -------------------------------------------------------------------------------

function buildVendor() {
  rmrf(VENDOR);
  const leaflet = pkgDir('leaflet');
  const lv = path.join(VENDOR, 'leaflet');
  copy(path.join(leaflet, 'dist', 'leaflet.js'), path.join(lv, 'leaflet.js'));
  copy(path.join(leaflet, 'dist', 'leaflet.css'), path.join(lv, 'leaflet.css'));
  for (const f of fs.readdirSync(path.join(leaflet, 'dist', 'images'))) {
    copy(path.join(leaflet, 'dist', 'images', f), path.join(lv, 'images', f));
  }
  copy(path.join(leaflet, 'LICENSE'), path.join(lv, 'LICENSE'));

  const swagger = pkgDir('swagger-ui-dist');
  const sv = path.join(VENDOR, 'swagger-ui');
  for (const f of ['swagger-ui-bundle.js', 'swagger-ui.css', 'favicon-32x32.png', 'LICENSE', 'NOTICE']) {
    copy(path.join(swagger, f), path.join(sv, f));
  }
  const versions = {
    leaflet: require('leaflet/package.json').version,
    'swagger-ui-dist': require('swagger-ui-dist/package.json').version,
    'world-atlas': require('world-atlas/package.json').version,
    datamaps: require('datamaps/package.json').version,
    'topojson-client': require('topojson-client/package.json').version,
  };
  fs.writeFileSync(path.join(VENDOR, 'versions.json'), JSON.stringify(versions, null, 2) + '\n');
  return versions;
}

// ---- geometry helpers --------------------------------------------------------------------------

// Decode a topology's arcs into absolute coordinates and drop its transform.
function absoluteArcs(topology) {
  const t = topology.transform;
  const arcs = topology.arcs.map((arc) => {
    if (!t) return arc.map((p) => [p[0], p[1]]);
    let x = 0;
    let y = 0;
    return arc.map((p) => {
      x += p[0];
      y += p[1];
      return [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]];
    });
  });
  return { ...topology, arcs, transform: undefined };
}

function segDist2(p, a, b) {
  let x = a[0];
  let y = a[1];
  let dx = b[0] - x;
  let dy = b[1] - y;
  if (dx !== 0 || dy !== 0) {
    const t = ((p[0] - x) * dx + (p[1] - y) * dy) / (dx * dx + dy * dy);
    if (t > 1) {
      x = b[0];
      y = b[1];
    } else if (t > 0) {
      x += dx * t;
      y += dy * t;
    }
  }
  dx = p[0] - x;
  dy = p[1] - y;
  return dx * dx + dy * dy;
}

function douglasPeucker(points, tolerance) {
  const n = points.length;
  if (n <= 2) return points.slice();
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const tol2 = tolerance * tolerance;
  const stack = [[0, n - 1]];
  while (stack.length) {
    const [first, last] = stack.pop();
    let maxD = 0;
    let index = -1;
    for (let i = first + 1; i < last; i++) {
      const d = segDist2(points[i], points[first], points[last]);
      if (d > maxD) {
        maxD = d;
        index = i;
      }
    }
    if (index !== -1 && maxD > tol2) {
      keep[index] = 1;
      stack.push([first, index], [index, last]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

// Simplify one arc, keeping its end points (shared with the neighbouring arcs). A closed arc
// (an island or a country drawn as a single ring) is split at its farthest point first.
function simplifyArc(arc, tolerance) {
  if (arc.length <= 3) return arc;
  const a = arc[0];
  const z = arc[arc.length - 1];
  if (a[0] === z[0] && a[1] === z[1]) {
    let far = 1;
    let maxD = -1;
    for (let i = 1; i < arc.length - 1; i++) {
      const d = (arc[i][0] - a[0]) ** 2 + (arc[i][1] - a[1]) ** 2;
      if (d > maxD) {
        maxD = d;
        far = i;
      }
    }
    const left = douglasPeucker(arc.slice(0, far + 1), tolerance);
    const right = douglasPeucker(arc.slice(far), tolerance);
    return left.concat(right.slice(1));
  }
  return douglasPeucker(arc, tolerance);
}

function simplifyTopology(topology, tolerance) {
  const abs = absoluteArcs(topology);
  abs.arcs = abs.arcs.map((arc) => simplifyArc(arc, tolerance));
  return abs;
}

const round = (v) => Math.round(v * 10 ** DECIMALS) / 10 ** DECIMALS;

function roundRing(ring) {
  const out = [];
  for (const p of ring) {
    const q = [round(p[0]), round(p[1])];
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  return out;
}

function ringArea(ring) {
  let s = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const [x1, y1] = ring[i];
    const [x2, y2] = ring[(i + 1) % n];
    s += x1 * y2 - x2 * y1;
  }
  return Math.abs(s) / 2;
}

// Clip a ring to the rectangle [w, s, e, n] (Sutherland-Hodgman; fine for drawing fills).
function clipRing(ring, [w, s, e, n]) {
  const edges = [
    [(p) => p[0] >= w, (a, b) => [w, a[1] + ((b[1] - a[1]) * (w - a[0])) / (b[0] - a[0])]],
    [(p) => p[0] <= e, (a, b) => [e, a[1] + ((b[1] - a[1]) * (e - a[0])) / (b[0] - a[0])]],
    [(p) => p[1] >= s, (a, b) => [a[0] + ((b[0] - a[0]) * (s - a[1])) / (b[1] - a[1]), s]],
    [(p) => p[1] <= n, (a, b) => [a[0] + ((b[0] - a[0]) * (n - a[1])) / (b[1] - a[1]), n]],
  ];
  let pts = ring.slice(0, -1);
  for (const [inside, cut] of edges) {
    if (!pts.length) break;
    const out = [];
    for (let i = 0; i < pts.length; i++) {
      const cur = pts[i];
      const prev = pts[(i + pts.length - 1) % pts.length];
      if (inside(cur)) {
        if (!inside(prev)) out.push(cut(prev, cur));
        out.push(cur);
      } else if (inside(prev)) {
        out.push(cut(prev, cur));
      }
    }
    pts = out;
  }
  if (pts.length < 3) return null;
  return pts.concat([pts[0]]);
}

// Clip a line to the rectangle: the pieces inside it (Liang-Barsky per segment).
function clipLine(line, [w, s, e, n]) {
  const pieces = [];
  let cur = null;
  for (let i = 0; i + 1 < line.length; i++) {
    const [x0, y0] = line[i];
    const [x1, y1] = line[i + 1];
    const dx = x1 - x0;
    const dy = y1 - y0;
    let t0 = 0;
    let t1 = 1;
    let ok = true;
    for (const [pp, q] of [[-dx, x0 - w], [dx, e - x0], [-dy, y0 - s], [dy, n - y0]]) {
      if (pp === 0) {
        if (q < 0) ok = false;
      } else {
        const r = q / pp;
        if (pp < 0) t0 = Math.max(t0, r);
        else t1 = Math.min(t1, r);
      }
    }
    if (!ok || t0 > t1) {
      if (cur) pieces.push(cur);
      cur = null;
      continue;
    }
    const a = [x0 + t0 * dx, y0 + t0 * dy];
    const b = [x0 + t1 * dx, y0 + t1 * dy];
    if (!cur) cur = [a];
    cur.push(b);
    if (t1 < 1) {
      pieces.push(cur);
      cur = null;
    }
  }
  if (cur) pieces.push(cur);
  return pieces.map(roundRing).filter((p) => p.length >= 2);
}

// Polygon / MultiPolygon -> list of polygons (rings rounded, specks dropped, optionally clipped).
function cleanPolygons(geometry, minArea, clip) {
  const polys = geometry.type === 'Polygon' ? [geometry.coordinates]
    : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  const out = [];
  for (const poly of polys) {
    const rings = [];
    for (let r = 0; r < poly.length; r++) {
      let ring = poly[r];
      if (clip) {
        ring = clipRing(ring, clip);
        if (!ring) {
          if (r === 0) break;
          continue;
        }
      }
      ring = roundRing(ring);
      if (ring.length < 4 || ringArea(ring) < minArea) {
        if (r === 0) break; // no outer ring: drop the polygon with its holes
        continue;
      }
      rings.push(ring);
    }
    if (rings.length) out.push(rings);
  }
  return out;
}

function toGeometry(polys) {
  if (!polys.length) return null;
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] }
    : { type: 'MultiPolygon', coordinates: polys };
}

function bboxOf(polys) {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const poly of polys) {
    for (const [x, y] of poly[0]) {
      w = Math.min(w, x);
      s = Math.min(s, y);
      e = Math.max(e, x);
      n = Math.max(n, y);
    }
  }
  return [w, s, e, n].map(round);
}

// A point to put the name at: the area centroid of the largest polygon, as [lat, lon].
function labelPoint(polys) {
  let best = null;
  let bestArea = -1;
  for (const poly of polys) {
    const a = ringArea(poly[0]);
    if (a > bestArea) {
      bestArea = a;
      best = poly[0];
    }
  }
  if (!best) return null;
  let cx = 0;
  let cy = 0;
  let area = 0;
  for (let i = 0, n = best.length - 1; i < n; i++) {
    const [x1, y1] = best[i];
    const [x2, y2] = best[i + 1];
    const cross = x1 * y2 - x2 * y1;
    area += cross;
    cx += (x1 + x2) * cross;
    cy += (y1 + y2) * cross;
  }
  if (area === 0) return null;
  return [round(cy / (3 * area)), round(cx / (3 * area))];
}

// ---- boundaries ----------------------------------------------------------------------------

const COUNTRY_ATTRIBUTION = 'Natural Earth (public domain), via world-atlas';
const ADMIN1_ATTRIBUTION = 'Natural Earth (public domain), via datamaps';

function buildCountries() {
  const file = path.join(pkgDir('world-atlas'), 'countries-50m.json');
  const topology = simplifyTopology(JSON.parse(fs.readFileSync(file, 'utf8')), TOLERANCE.countries);
  const object = topology.objects.countries;
  // Clip a little outside the region so the clip edge stays out of the usual view.
  const clip = [REGION[0] - 8, REGION[1] - 8, REGION[2] + 8, REGION[3] + 6];
  const features = [];
  for (const f of topojson.feature(topology, object).features) {
    const polys = cleanPolygons(f.geometry, MIN_RING_AREA.countries, clip);
    const geometry = toGeometry(polys);
    if (!geometry) continue;
    features.push({
      type: 'Feature',
      properties: { name: f.properties.name, iso_n3: f.id ?? null, bbox: bboxOf(polys), label: labelPoint(polys) },
      geometry,
    });
  }
  // Borders between countries and coastlines as lines (the polygons are drawn without
  // stroke, so the clip edge is never outlined).
  const lines = [];
  const kinds = [
    ['border', (a, b) => a !== b],
    ['coast', (a, b) => a === b],
  ];
  for (const [kind, filter] of kinds) {
    const mesh = topojson.mesh(topology, object, filter);
    const parts = mesh.coordinates.flatMap((line) => clipLine(line, clip));
    if (parts.length) {
      lines.push({ type: 'Feature', properties: { kind }, geometry: { type: 'MultiLineString', coordinates: parts } });
    }
  }
  return {
    countries: { type: 'FeatureCollection', attribution: COUNTRY_ATTRIBUTION, features },
    borders: { type: 'FeatureCollection', attribution: COUNTRY_ATTRIBUTION, features: lines },
  };
}

function datamapsTopology(iso3) {
  const lower = iso3.toLowerCase();
  const file = path.join(pkgDir('datamaps'), 'dist', `datamaps.${lower}.js`);
  if (!fs.existsSync(file)) return null;
  const src = fs.readFileSync(file, 'utf8');
  const marker = `Datamap.prototype.${lower}Topo = `;
  const start = src.indexOf(marker);
  if (start < 0) return null;
  // The JSON object runs from the marker to the end of that line (`...};`).
  const lineEnd = src.indexOf('\n', start);
  let text = src.slice(start + marker.length, lineEnd < 0 ? undefined : lineEnd).trim();
  if (text.endsWith(';')) text = text.slice(0, -1);
  if (!text.startsWith('{')) return null; // a placeholder such as '__SYR__'
  return JSON.parse(text);
}

function buildAdmin1() {
  const features = [];
  const missing = [];
  for (const iso3 of ADMIN1) {
    const raw = datamapsTopology(iso3);
    if (!raw) {
      missing.push(iso3);
      continue;
    }
    const topology = simplifyTopology(raw, TOLERANCE.admin1);
    for (const object of Object.values(topology.objects)) {
      for (const f of topojson.feature(topology, object).features) {
        const polys = cleanPolygons(f.geometry, MIN_RING_AREA.admin1, null);
        const geometry = toGeometry(polys);
        if (!geometry) continue;
        const hasc = f.id && f.id !== '-99' ? String(f.id) : null;
        features.push({
          type: 'Feature',
          properties: { country: iso3, name: f.properties?.name ?? null, hasc, bbox: bboxOf(polys), label: labelPoint(polys) },
          geometry,
        });
      }
    }
  }
  return {
    admin1: { type: 'FeatureCollection', attribution: ADMIN1_ATTRIBUTION, features },
    missing,
  };
}

function writeJSON(file, value) {
  const text = JSON.stringify(value);
  fs.writeFileSync(file, text + '\n');
  return text.length + 1;
}

function buildBoundaries() {
  rmrf(BOUNDARIES);
  fs.mkdirSync(BOUNDARIES, { recursive: true });
  const { countries, borders } = buildCountries();
  const { admin1, missing } = buildAdmin1();
  const sizes = {
    'countries.geojson': writeJSON(path.join(BOUNDARIES, 'countries.geojson'), countries),
    'borders.geojson': writeJSON(path.join(BOUNDARIES, 'borders.geojson'), borders),
    'admin1.geojson': writeJSON(path.join(BOUNDARIES, 'admin1.geojson'), admin1),
  };
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  const manifest = {
    region: REGION,
    countries: countries.features.length,
    admin1_countries: ADMIN1.filter((c) => !missing.includes(c)),
    admin1_units: admin1.features.length,
    decimals: DECIMALS,
    tolerance_degrees: TOLERANCE,
    bytes: sizes,
  };
  fs.writeFileSync(path.join(BOUNDARIES, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  if (total > MAX_TOTAL_BYTES) {
    throw new Error(`boundaries are ${(total / 1048576).toFixed(2)} MB, over the ${(MAX_TOTAL_BYTES / 1048576).toFixed(1)} MB budget`);
  }
  return { manifest, missing, total };
}

function main() {
  if (!fs.existsSync(path.join(STATIC, 'index.html'))) {
    throw new Error(`not the marsad tree: ${STATIC}/index.html is missing`);
  }
  const versions = buildVendor();
  const { manifest, missing, total } = buildBoundaries();
  const rel = (p) => path.relative(path.resolve(here, '..'), p);
  console.log(`marsad web build: ${rel(VENDOR)}/ (leaflet ${versions.leaflet}, swagger-ui-dist ${versions['swagger-ui-dist']})`);
  console.log(`marsad web build: ${rel(BOUNDARIES)}/ (${manifest.countries} countries, ${manifest.admin1_units} admin-1 units in ${manifest.admin1_countries.length} countries, ${(total / 1048576).toFixed(2)} MB)`);
  if (missing.length) console.log(`marsad web build: no admin-1 boundaries in datamaps for ${missing.join(', ')}`);
}

try {
  main();
} catch (err) {
  console.error(`marsad web build failed: ${err.message}`);
  process.exit(1);
}
