"use strict";
// The analyst's page. Article text is untrusted: every node is built with
// createElement/textContent (never innerHTML), and the server's CSP forbids
// inline and foreign scripts, so nothing in an article can run here.

const SVG_NS = "http://www.w3.org/2000/svg";
const PAGE_SIZE = 25;
const COLORS = {
  AGREE: "#2e7d32", CONSULT: "#66bb6a", SUPPORT: "#26a69a", CONCEDE: "#9ccc65", COOPERATE: "#00897b",
  AID: "#29b6f6", RETREAT: "#8d6e63", REQUEST: "#7e57c2", ACCUSE: "#ffa726", REJECT: "#ff7043",
  THREATEN: "#ef6c00", PROTEST: "#ab47bc", SANCTION: "#5c6bc0", MOBILIZE: "#d81b60", COERCE: "#c62828",
  ASSAULT: "#6d1b1b",
};
const FILTER_FIELDS = ["type", "actor", "recipient", "certainty", "min_sources", "since", "until", "bbox", "q"];
const SORTS = { date: "date", type: "type", sources: "sources" };  // column header -> the API's sort key
const state = { filters: {}, sort: "", offset: 0, total: 0, selected: null, map: null, mapFitted: false };

// -- small DOM helpers -----------------------------------------------------------------------------

function el(tag, props, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === null || v === undefined) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = String(v);
    else if (k.startsWith("data-")) e.setAttribute(k, String(v));
    else e[k] = v;
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);  // strings become text nodes
  return e;
}

function svg(tag, attrs, title) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (title) {
    const t = document.createElementNS(SVG_NS, "title");
    t.textContent = title;
    e.append(t);
  }
  return e;
}

function safeUrl(url) {
  // Only web links become clickable; "javascript:" and the like stay text.
  try {
    const u = new URL(url, location.href);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch (_) {
    return null;
  }
}

function query(extra) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...state.filters, ...(extra || {}) })) {
    if (v !== "" && v !== null && v !== undefined) params.set(k, v);
  }
  return params.toString();
}

async function getJSON(url) {
  const res = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(describeError(res.status, body));
  return body;
}

function describeError(status, body) {
  const detail = body && body.detail;
  if (Array.isArray(detail)) return detail.map((d) => `${(d.loc || []).slice(-1)[0]}: ${d.msg}`).join("; ");
  return `${status}: ${detail || "request failed"}`;
}

function setStatus(text, isError) {
  const s = document.getElementById("status");
  s.textContent = text;
  s.classList.toggle("error", Boolean(isError));
}

// -- dates in words --------------------------------------------------------------------------------

const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December"];
const PARTS_OF_DAY = { MO: "morning", AF: "afternoon", EV: "evening", NI: "night" };
const SEASON_NAMES = { SP: "spring", SU: "summer", FA: "autumn", WI: "winter" };
const VAGUE = { PAST_REF: "in the past (vague)", PRESENT_REF: "now (vague)", FUTURE_REF: "in the future (vague)" };

function describeDate(value) {
  // A TIMEX-style value ("2024-11-16TAF", "2024-W46", "2024-03", "199X") as words with its precision.
  if (!value) return { text: "not dated", precision: "none" };
  const v = String(value);
  let m;
  const day = (y, mo, d) => `${Number(d)} ${MONTH_NAMES[Number(mo) - 1] || mo} ${y}`;
  if ((m = v.match(/^(\d{4})-(\d{2})-(\d{2})T(MO|AF|EV|NI)$/))) return { text: `${day(m[1], m[2], m[3])}, ${PARTS_OF_DAY[m[4]]}`, precision: "part of a day" };
  if ((m = v.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2})/))) return { text: `${day(m[1], m[2], m[3])}, ${m[4]}`, precision: "time" };
  if ((m = v.match(/^(\d{4})-(\d{2})-(\d{2})$/))) return { text: day(m[1], m[2], m[3]), precision: "day" };
  if ((m = v.match(/^(\d{4})-W(\d{2})(-WE)?$/))) return { text: `${m[3] ? "weekend of " : ""}week ${Number(m[2])} of ${m[1]}`, precision: "week" };
  if ((m = v.match(/^(\d{4})-(\d{2})$/))) return { text: `${MONTH_NAMES[Number(m[2]) - 1] || m[2]} ${m[1]}`, precision: "month" };
  if ((m = v.match(/^(\d{4})-Q([1-4])$/))) return { text: `quarter ${m[2]} of ${m[1]}`, precision: "quarter" };
  if ((m = v.match(/^(\d{4})-H([12])$/))) return { text: `${m[2] === "1" ? "first" : "second"} half of ${m[1]}`, precision: "half year" };
  if ((m = v.match(/^(\d{4})-(SP|SU|FA|WI)$/))) return { text: `${SEASON_NAMES[m[2]]} ${m[1]}`, precision: "season" };
  if ((m = v.match(/^(\d{4})$/))) return { text: m[1], precision: "year" };
  if ((m = v.match(/^(\d{3})X$/))) return { text: `the ${m[1]}0s`, precision: "decade" };
  if ((m = v.match(/^(\d{2})XX$/))) return { text: `the ${Number(m[1]) + 1}th century`, precision: "century" };
  if (VAGUE[v]) return { text: VAGUE[v], precision: "vague" };
  return { text: `as written: ${v}`, precision: "unknown" };
}

function dateCell(value) {
  const d = describeDate(value);
  const cell = el("td", { class: "date", title: value ? `${value} (${d.precision})` : "no date in the reports" },
    d.text);
  if (d.precision !== "day" && d.precision !== "none") cell.append(el("small", { class: "precision", text: ` ${d.precision}` }));
  return cell;
}

// -- filters ---------------------------------------------------------------------------------------

function readFilters() {
  const f = {};
  for (const name of FILTER_FIELDS) {
    const input = name === "q" ? document.getElementById("q") : document.querySelector(`#filters [name="${name}"]`);
    if (input && input.value) f[name] = input.value;
  }
  return f;
}

function writeFilters(f) {
  for (const name of FILTER_FIELDS) {
    const input = name === "q" ? document.getElementById("q") : document.querySelector(`#filters [name="${name}"]`);
    if (!input) continue;
    if (input.tagName === "SELECT" && f[name] && ![...input.options].some((o) => o.value === f[name])) {
      input.append(el("option", { value: f[name], text: f[name] }));
    }
    input.value = f[name] || "";
  }
}

function fillSelect(id, values) {
  const select = document.getElementById(id);
  const keep = select.value;
  select.replaceChildren(el("option", { value: "", text: "any" }));
  for (const { value, count } of values) select.append(el("option", { value, text: `${value} (${count})` }));
  select.value = keep;
}

async function loadFacets() {
  const facets = await getJSON("/api/facets");
  fillSelect("f-type", facets.type);
  fillSelect("f-actor", facets.actor);
  fillSelect("f-recipient", facets.recipient);
  writeFilters(state.filters);
}

// Articles in another language are stored uncoded (no events): listed apart, filterable by language.
async function loadUncoded() {
  const facets = await getJSON("/api/facets");
  fillSelect("f-language", (facets.language || []).filter((l) => l.value !== "en"));
  const language = document.getElementById("f-language").value;
  const params = new URLSearchParams({ coded: "false", limit: "50" });
  if (language) params.set("language", language);
  const data = await getJSON(`/api/articles?${params}`);
  const body = document.querySelector("#uncoded tbody");
  body.replaceChildren();
  for (const a of data.items) {
    body.append(el("tr", { class: "uncoded-row" }, el("td", { text: a.language || "?" }),
      dateCell(a.published ? String(a.published).slice(0, 10) : null),
      el("td", { text: a.outlet || "" }), el("td", { text: a.title || "(no title)" })));
  }
  document.getElementById("uncoded-total").textContent =
    data.total ? `${data.total} article${data.total === 1 ? "" : "s"}` : "none stored";
}

function applyFilters(change) {
  state.filters = { ...readFilters(), ...(change || {}) };
  for (const k of Object.keys(state.filters)) if (!state.filters[k]) delete state.filters[k];
  writeFilters(state.filters);
  state.offset = 0;
  refresh();
}

// -- views -----------------------------------------------------------------------------------------

async function refresh() {
  const qs = query();
  const sort = state.sort ? { sort: state.sort } : {};
  const shown = query(sort);  // the sort is kept in the URL and the downloads, not sent to the aggregates
  history.replaceState(null, "", shown ? `?${shown}` : location.pathname);
  document.getElementById("dl-csv").href = `/api/events?${query({ ...sort, format: "csv" })}`;
  document.getElementById("dl-jsonl").href = `/api/events?${query({ ...sort, format: "jsonl" })}`;
  showSort();
  setStatus("Loading ...");
  try {
    const [events, timeline, points, graph] = await Promise.all([
      getJSON(`/api/events?${query({ ...sort, limit: PAGE_SIZE, offset: state.offset })}`),
      getJSON(`/api/timeline?${qs}`), getJSON(`/api/map?${qs}`), getJSON(`/api/graph?${qs}`),
    ]);
    renderEvents(events);
    renderTimeline(timeline);
    renderMap(points);
    renderGraph(graph);
    setStatus(`${events.total} event${events.total === 1 ? "" : "s"} match`);
  } catch (err) {
    setStatus(err.message, true);
  }
}

function renderEvents(data) {
  state.total = data.total;
  const body = document.querySelector("#events tbody");
  body.replaceChildren();
  for (const ev of data.items) {
    const who = (name, cc) => (name || cc ? `${name || ""}${cc ? ` (${cc})` : ""}` : "—");
    const row = el("tr", { class: "event-row", "data-id": ev.id, tabIndex: 0 },
      dateCell(ev.date),
      el("td", {}, el("span", { class: `type type-${ev.type}`, text: ev.type })),
      el("td", { class: "actor", text: who(ev.actor, ev.actor_country) }),
      el("td", { class: "recipient", text: who(ev.recipient, ev.recipient_country) }),
      el("td", { text: ev.location || "" }),
      el("td", { class: `cert cert-${ev.certainty}`, text: ev.certainty || "" }),
      el("td", { text: ev.num_sources ?? 1 }),
      el("td", { text: ev.outlet ? `${ev.outlet}: ${ev.title || ""}` : (ev.kind === "event" ? `${ev.num_articles} article${ev.num_articles === 1 ? "" : "s"}` : "") }));
    row.addEventListener("click", () => showEvent(ev.id));
    row.addEventListener("keydown", (e) => { if (e.key === "Enter") showEvent(ev.id); });
    if (ev.id === state.selected) row.classList.add("selected");
    body.append(row);
  }
  document.getElementById("total").textContent = `${data.total}${data.total_is_estimate ? "+" : ""} in all`;
  const last = Math.min(state.offset + PAGE_SIZE, data.total);
  document.getElementById("page").textContent = data.total ? `${state.offset + 1}–${last}` : "none";
  document.getElementById("prev").disabled = state.offset === 0;
  document.getElementById("next").disabled = last >= data.total;
}

const DAY_MS = 86400000;

function dayNumber(iso) { return Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS); }

function isoDay(n) { return new Date(n * DAY_MS).toISOString().slice(0, 10); }

function timeBins(points) {
  // A true time axis: bins of equal length from the first day to the last, so gaps between
  // events show as gaps. At most ~120 bins: a day each over four months, longer spans in weeks or more.
  const days = points.map((p) => dayNumber(p.date));
  const first = Math.min(...days), last = Math.max(...days);
  const span = last - first + 1;
  const width = span <= 120 ? 1 : span <= 7 * 120 ? 7 : Math.ceil(span / 120 / 30) * 30;
  return { first, width, count: Math.ceil(span / width) };
}

function renderTimeline(data) {
  const box = document.getElementById("timeline");
  const W = 800, H = 180, PAD = 24;
  box.replaceChildren();
  const legend = document.getElementById("legend");
  legend.replaceChildren(...data.types.map((t) => el("span", { class: `type type-${t}`, text: t })));
  const unit = document.getElementById("timeline-unit");
  const undated = data.not_by_day ? `; ${data.not_by_day} not dated to the day` : "";
  if (!data.points.length) {
    unit.textContent = `events per day, by type${undated}`;
    const t = svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "empty" });
    t.textContent = "no events dated to the day";
    box.append(t);
    return;
  }
  const bins = timeBins(data.points);
  const per = bins.width === 1 ? "day" : bins.width === 7 ? "week" : `${bins.width} days`;
  unit.textContent = `events per ${per}, by type${undated}`;
  const cells = new Map();  // bin -> type -> count
  for (const p of data.points) {
    const b = Math.floor((dayNumber(p.date) - bins.first) / bins.width);
    if (!cells.has(b)) cells.set(b, new Map());
    cells.get(b).set(p.type, (cells.get(b).get(p.type) || 0) + p.count);
  }
  const total = (m) => [...m.values()].reduce((a, b) => a + b, 0);
  const max = Math.max(...[...cells.values()].map(total));
  const step = (W - 2 * PAD) / bins.count, bar = Math.min(36, Math.max(1.5, step * 0.8));
  box.append(svg("line", { x1: PAD, y1: H - PAD, x2: W - PAD, y2: H - PAD, class: "baseline" }));
  for (const [b, types] of cells) {
    const since = isoDay(bins.first + b * bins.width), until = isoDay(bins.first + (b + 1) * bins.width - 1);
    const when = since === until ? since : `${since} to ${until}`;
    let below = 0;
    for (const [type, count] of [...types].sort((x, y) => x[0].localeCompare(y[0]))) {
      const h = (count / max) * (H - 2 * PAD);
      const rect = svg("rect", { x: PAD + b * step + (step - bar) / 2, y: H - PAD - below - h, width: bar,
        height: Math.max(h, 0.5), fill: COLORS[type] || "#888", class: "bar" }, `${when}: ${count} ${type}`);
      rect.addEventListener("click", () => applyFilters({ since, until }));
      box.append(rect);
      below += h;
    }
  }
  const ticks = Math.min(6, bins.count);
  for (let i = 0; i < ticks; i++) {
    const b = ticks === 1 ? 0 : Math.round((i * (bins.count - 1)) / (ticks - 1));
    const anchor = ticks > 1 && i === 0 ? "start" : ticks > 1 && i === ticks - 1 ? "end" : "middle";
    const x = anchor === "start" ? PAD + b * step : anchor === "end" ? PAD + (b + 1) * step : PAD + b * step + step / 2;
    const t = svg("text", { x, y: H - 6, "text-anchor": anchor, class: "axis" });
    t.textContent = isoDay(bins.first + b * bins.width);
    box.append(t);
  }
  const top = svg("text", { x: 2, y: PAD, class: "axis" });
  top.textContent = String(max);
  box.append(top);
}

// -- map: Leaflet over a bundled Natural Earth basemap (static/vendor/), no tiles, nothing from outside ----------

const BASEMAP = "/static/vendor/world-atlas/countries-50m.json";
const PLACE_BOX = 0.01;  // degrees around a place clicked: its events, and no neighbour's

function ringArea(ring) {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] + ring[i][0]) * (ring[j][1] - ring[i][1]);
  return Math.abs(a / 2);
}

function labelPoint(geometry) {
  // The centre of the largest ring's area, and how large it is (which zoom shows the label).
  const polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  let best = null, bestArea = -1;
  for (const poly of polys) {
    const area = ringArea(poly[0]);
    if (area > bestArea) { best = poly[0]; bestArea = area; }
  }
  let cx = 0, cy = 0, a = 0;
  for (let i = 0, j = best.length - 1; i < best.length; j = i++) {
    const f = best[j][0] * best[i][1] - best[i][0] * best[j][1];
    cx += (best[j][0] + best[i][0]) * f; cy += (best[j][1] + best[i][1]) * f; a += f;
  }
  const centre = a ? [cy / (3 * a), cx / (3 * a)] : [best[0][1], best[0][0]];
  return { latlng: centre, size: bestArea >= 40 ? "big" : bestArea >= 4 ? "mid" : "small" };
}

function textIcon(className, text, title) {
  // Labels are built as elements with textContent: a place name comes from an article, so never as HTML.
  const label = el("span", { text, title: title || null });
  return L.divIcon({ className, html: label, iconSize: null });
}

function unwrapRing(ring) {
  // A ring that crosses the antimeridian (Fiji, Russia's far east) jumps from 180 to -180, which Leaflet would
  // draw as a line around the world: its western longitudes are moved east of 180 instead.
  let west = Infinity, east = -Infinity;
  for (const [lon] of ring) { west = Math.min(west, lon); east = Math.max(east, lon); }
  return east - west > 180 ? ring.map(([lon, lat]) => [lon < 0 ? lon + 360 : lon, lat]) : ring;
}

function unwrap(geometry) {
  const polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  const fixed = polys.map((poly) => poly.map(unwrapRing));
  return geometry.type === "Polygon" ? { type: "Polygon", coordinates: fixed[0] } : { type: "MultiPolygon", coordinates: fixed };
}

async function loadBasemap(map) {
  const topo = await getJSON(BASEMAP);
  const countries = topojson.feature(topo, topo.objects.countries).features.filter((f) => f.geometry)
    .map((f) => ({ ...f, geometry: unwrap(f.geometry) }));
  L.geoJSON(countries, { interactive: false, pane: "basemap", renderer: L.canvas({ padding: 0.5, pane: "basemap" }),
    style: { color: "#a9a294", weight: 0.6, fillColor: "#dcd7cb", fillOpacity: 1 } }).addTo(map);
  const labels = L.layerGroup();
  for (const f of countries) {
    if (!f.properties || !f.properties.name) continue;
    const at = labelPoint(f.geometry);
    labels.addLayer(L.marker(at.latlng, { icon: textIcon(`country-label lbl-${at.size}`, f.properties.name),
      interactive: false, keyboard: false, pane: "countryLabels" }));
  }
  labels.addTo(map);
  map.getContainer().dataset.countries = String(countries.length);
}

function showLabelsForZoom(map) {
  // Country names by size as one zooms in; place names on single events from zoom 4.
  const box = map.getContainer(), z = map.getZoom();
  for (const level of [3, 4, 5]) box.classList.toggle(`zoom-${level}`, z >= level);
}

function declutterPlaceLabels() {
  // Place names that would overlap a busier place's name are hidden until one zooms in far enough.
  const labels = [...document.querySelectorAll("#map .leaflet-tooltip.place-label")];
  labels.forEach((l) => l.classList.remove("crowded"));
  labels.sort((a, b) => Number(b.dataset.count || 0) - Number(a.dataset.count || 0));
  const placed = [];
  for (const label of labels) {
    const r = label.getBoundingClientRect();
    if (!r.width) continue;  // not shown at this zoom
    if (placed.some((p) => r.left < p.right && r.right > p.left && r.top < p.bottom && r.bottom > p.top)) {
      label.classList.add("crowded");
    } else {
      placed.push(r);
    }
  }
}

function boxOf(bounds) {
  const r = (v) => Math.round(v * 1000) / 1000;
  const w = Math.max(-180, r(bounds.getWest())), e = Math.min(180, r(bounds.getEast()));
  const s = Math.max(-90, r(bounds.getSouth())), n = Math.min(90, r(bounds.getNorth()));
  return `${w},${s},${e},${n}`;
}

function boundsOf(bbox) {
  const [w, s, e, n] = bbox.split(",").map(Number);
  return L.latLngBounds([s, w], [n, e]);
}

function initMap() {
  if (state.map) return state.map;
  const map = L.map("map", { minZoom: 1, maxZoom: 10, zoomSnap: 0.5, worldCopyJump: true,
    maxBounds: [[-89, -220], [89, 220]], maxBoundsViscosity: 0.8 });
  // The basemap and its labels lie under the events (Leaflet's tile pane is at 200, overlays at 400).
  map.createPane("basemap").style.zIndex = 250;
  map.createPane("countryLabels").style.zIndex = 350;
  map.getPane("countryLabels").style.pointerEvents = "none";
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Basemap: Natural Earth (public domain)");
  map.setView([15, 20], 1.5);
  map.on("zoomend", () => showLabelsForZoom(map));
  map.on("zoomend moveend", () => setTimeout(declutterPlaceLabels, 0));
  showLabelsForZoom(map);
  state.map = map;
  state.basemap = loadBasemap(map).catch((err) => setStatus(`basemap: ${err.message}`, true));
  state.clusters = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false, zoomToBoundsOnClick: false,
    spiderfyOnMaxZoom: true, disableClusteringAtZoom: 9, iconCreateFunction: clusterIcon });
  state.clusters.on("clusterclick", (e) => {
    // A cluster zooms in to its places and filters the page to them, as a bar of the timeline does.
    const bounds = e.layer.getBounds();
    applyFilters({ bbox: boxOf(bounds.pad(0.05)) });
  });
  state.clusters.on("animationend", declutterPlaceLabels);
  state.clusters.addTo(map);
  return map;
}

function clusterIcon(cluster) {
  const markers = cluster.getAllChildMarkers();
  const count = markers.reduce((a, m) => a + m.options.count, 0);
  const places = [...new Set(markers.map((m) => m.options.place))].filter(Boolean);
  const size = Math.round(26 + Math.min(24, Math.sqrt(count) * 4));
  const label = el("span", { text: String(count), title: `${count} events: ${places.slice(0, 6).join(", ")}${places.length > 6 ? " ..." : ""}` });
  return L.divIcon({ className: "event-cluster", html: label, iconSize: L.point(size, size) });
}

async function renderMap(data) {
  const map = initMap();
  state.clusters.clearLayers();
  if (state.areaBox) { state.areaBox.remove(); state.areaBox = null; }
  const markers = data.points.map((p) => {
    const place = `${p.location || "?"}${p.country ? ` (${p.country})` : ""}`;
    const marker = L.circleMarker([p.lat, p.lon], { radius: 4 + Math.sqrt(p.count) * 2, className: "event-dot",
      color: "#8b0f26", weight: 1, fillColor: "#c81e3c", fillOpacity: 0.6, count: p.count, place });
    marker.bindTooltip(el("span", { text: `${place}: ${p.count} event${p.count === 1 ? "" : "s"}` }),
      { permanent: true, direction: "auto", className: "place-label", offset: [6, 0] });
    marker.on("add", () => {  // the tooltip exists once the marker is on the map
      const tip = marker.getTooltip() && marker.getTooltip().getElement();
      if (tip) tip.dataset.count = String(p.count);
    });
    marker.on("click", () => applyFilters({ bbox: `${(p.lon - PLACE_BOX).toFixed(3)},${(p.lat - PLACE_BOX).toFixed(3)},${(p.lon + PLACE_BOX).toFixed(3)},${(p.lat + PLACE_BOX).toFixed(3)}` }));
    return marker;
  });
  state.clusters.addLayers(markers);
  map.getContainer().dataset.points = String(markers.length);
  if (state.filters.bbox) {
    const area = boundsOf(state.filters.bbox);
    state.areaBox = L.rectangle(area, { className: "map-area", interactive: false, fill: false, weight: 1.5,
      dashArray: "4 4", color: "#0b5cad" }).addTo(map);
    map.fitBounds(area.pad(0.6), { maxZoom: 9, animate: false });
  } else if (!state.mapFitted && markers.length) {
    map.fitBounds(L.featureGroup(markers).getBounds().pad(0.3), { maxZoom: 5, animate: false });
  }
  state.mapFitted = true;
  setTimeout(declutterPlaceLabels, 0);
}

function layout(nodes, edges, W, H) {
  // A plain force layout: nodes repel, edges pull, gravity centres; fixed start so it is repeatable.
  const pos = nodes.map((n, i) => {
    const a = (2 * Math.PI * i) / Math.max(nodes.length, 1);
    return { x: W / 2 + Math.cos(a) * W / 3, y: H / 2 + Math.sin(a) * H / 3 };
  });
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  for (let it = 0; it < 300; it++) {
    const heat = 1 - it / 300;
    const force = pos.map(() => ({ x: 0, y: 0 }));
    for (let i = 0; i < pos.length; i++) {
      for (let j = i + 1; j < pos.length; j++) {
        const dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y;
        const d = Math.max(Math.hypot(dx, dy), 5), f = 9000 / (d * d);
        force[i].x += (dx / d) * f; force[i].y += (dy / d) * f;
        force[j].x -= (dx / d) * f; force[j].y -= (dy / d) * f;
      }
    }
    for (const e of edges) {  // springs with a rest length, so linked nodes sit apart but near
      const a = index.get(e.source), b = index.get(e.target);
      const dx = pos[b].x - pos[a].x, dy = pos[b].y - pos[a].y, d = Math.max(Math.hypot(dx, dy), 1);
      const f = (d - 110) * 0.05;
      force[a].x += (dx / d) * f; force[a].y += (dy / d) * f;
      force[b].x -= (dx / d) * f; force[b].y -= (dy / d) * f;
    }
    pos.forEach((p, i) => {
      force[i].x += (W / 2 - p.x) * 0.01; force[i].y += (H / 2 - p.y) * 0.01;
      p.x = Math.min(W - 30, Math.max(30, p.x + Math.max(-20, Math.min(20, force[i].x)) * heat));
      p.y = Math.min(H - 24, Math.max(44, p.y + Math.max(-20, Math.min(20, force[i].y)) * heat));  // room for the label
    });
  }
  return pos;
}

function renderGraph(data) {
  const box = document.getElementById("graph");
  const W = 480, H = 330;
  box.replaceChildren(svg("defs"));
  const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 6,
    markerHeight: 6, orient: "auto-start-reverse" });
  marker.append(svg("path", { d: "M0,0L10,5L0,10z", class: "arrow" }));
  box.firstChild.append(marker);
  const nodes = data.nodes.slice(0, 40);
  const keep = new Set(nodes.map((n) => n.id));
  const edges = data.edges.filter((e) => keep.has(e.source) && keep.has(e.target));
  if (!nodes.length) {
    const t = svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "empty" });
    t.textContent = "no events with both an actor and a recipient country";
    box.append(t);
    return;
  }
  const pos = layout(nodes, edges, W, H);
  const at = new Map(nodes.map((n, i) => [n.id, pos[i]]));
  for (const e of edges) {
    const a = at.get(e.source), b = at.get(e.target);
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1, r = 12;
    box.append(svg("line", { x1: a.x + (b.x - a.x) * r / len, y1: a.y + (b.y - a.y) * r / len,
      x2: b.x - (b.x - a.x) * r / len, y2: b.y - (b.y - a.y) * r / len, stroke: COLORS[e.type] || "#888",
      "stroke-width": 1 + Math.log2(1 + e.count), class: "edge", "marker-end": "url(#arrow)" },
    `${e.source} → ${e.target}: ${e.count} ${e.type}`));
  }
  nodes.forEach((n, i) => {
    const g = svg("g", { class: "node", transform: `translate(${pos[i].x.toFixed(1)},${pos[i].y.toFixed(1)})` },
      `${n.id}: ${n.count} events`);
    const r = 6 + Math.sqrt(n.count) * 2;
    g.append(svg("circle", { r }));
    const label = svg("text", { y: -r - 4, "text-anchor": "middle" });
    label.textContent = n.id.length > 22 ? `${n.id.slice(0, 21)}…` : n.id;
    g.append(label);
    if (n.kind === "organisation") g.classList.add("org");
    else if (/^[A-Z]{3}$/.test(n.id)) g.addEventListener("click", () => applyFilters({ actor: n.id }));
    box.append(g);
  });
}

// -- evidence --------------------------------------------------------------------------------------

function markedText(text, start, end, highlights) {
  // Text from start to end with the highlight spans wrapped in <mark>, built node by node.
  const frag = document.createDocumentFragment();
  let at = start;
  for (const h of highlights) {
    if (h.start < at || h.end > end) continue;
    frag.append(document.createTextNode(text.slice(at, h.start)));
    frag.append(el("mark", { class: `hl hl-${h.kind}`, title: h.kind, text: text.slice(h.start, h.end) }));
    at = h.end;
  }
  frag.append(document.createTextNode(text.slice(at, end)));
  return frag;
}

function fullArticle(m) {
  const ev = m.evidence;
  const body = el("div", { class: "article-text" },
    document.createTextNode(m.text.slice(0, ev.start)),
    el("span", { class: "evidence-in-text" }, markedText(m.text, ev.start, ev.end, m.highlights)),
    document.createTextNode(m.text.slice(ev.end)));
  return el("details", {}, el("summary", { text: "Whole article" }), body);
}

function mentionCard(m) {
  const link = safeUrl(m.url);
  const title = link ? el("a", { href: link, rel: "noopener noreferrer", target: "_blank", text: m.title || link })
    : el("span", { text: m.title || "(untitled)" });
  const attribution = [m.speaker && `according to ${m.speaker}`, m.channel && `via ${m.channel}`]
    .filter(Boolean).join(", ");
  const quantities = (m.quantities || []).map((q) => `${q.text}${q.counts ? ` (${q.counts})` : ""}`).join("; ");
  return el("article", { class: "mention" },
    el("h4", {}, title),
    el("p", { class: "meta", text: [m.outlet, m.published && describeDate(String(m.published).slice(0, 10)).text,
      m.copy_of ? "a copy of another report" : null].filter(Boolean).join(" · ") }),
    m.merge_reason ? el("p", { class: "meta why-merged", text: `Merged: ${m.merge_reason}` }) : null,
    el("blockquote", { class: "evidence" }, markedText(m.text, m.evidence.start, m.evidence.end, m.highlights)),
    el("p", { class: "meta" }, el("span", { class: `cert cert-${m.certainty}`, text: m.certainty }),
      attribution ? ` ${attribution}` : "", m.negated ? " · negated" : ""),
    quantities ? el("p", { class: "meta", text: `Quantities: ${quantities}` }) : null,
    fullArticle(m));
}

function sourcesLine(ev) {
  // Independent sources, and how many of the reports are copies of another (syndicated or reprinted).
  const reports = ev.mentions.length, copies = ev.mentions.filter((m) => m.copy_of).length;
  const n = ev.num_sources ?? 1;
  const parts = [`${n} independent source${n === 1 ? "" : "s"}`, `${reports} report${reports === 1 ? "" : "s"}`];
  if (copies) parts.push(`${copies} ${copies === 1 ? "is a copy" : "are copies"} of another`);
  return parts.join(", ");
}

function conflictList(ev) {
  const items = Array.isArray(ev.conflicts) ? ev.conflicts : ev.conflicts ? [String(ev.conflicts)] : [];
  if (!items.length) return null;
  return el("div", { class: "conflicts" }, el("strong", { text: "Reports disagree: " }),
    el("ul", {}, ...items.map((c) => el("li", { text: typeof c === "string" ? c : JSON.stringify(c) }))));
}

async function showEvent(id) {
  const box = document.getElementById("detail");
  state.selected = id;
  document.querySelectorAll("#events tr.selected").forEach((r) => r.classList.remove("selected"));
  const row = document.querySelector(`#events tr[data-id="${CSS.escape(id)}"]`);
  if (row) row.classList.add("selected");
  box.replaceChildren(el("p", { class: "hint", text: "Loading ..." }));
  try {
    const ev = await getJSON(`/api/events/${encodeURIComponent(id)}`);
    const part = (name, cc) => [name, cc && `(${cc})`].filter(Boolean).join(" ") || "—";
    const others = ev.mentions.length - 1;
    box.replaceChildren(...[  // absent parts (no merge reason, no conflict) are left out, not written as "null"
      el("h3", {}, el("span", { class: `type type-${ev.type}`, text: ev.type }), ` ${describeDate(ev.date).text}`),
      el("dl", { class: "facts" },
        el("dt", { text: "Actor" }), el("dd", { text: part(ev.actor, ev.actor_country) }),
        el("dt", { text: "Recipient" }), el("dd", { text: part(ev.recipient, ev.recipient_country) }),
        el("dt", { text: "Where" }), el("dd", { text: part(ev.location, ev.location_country) }),
        el("dt", { text: "Certainty" }), el("dd", { text: ev.certainty || "—" }),
        el("dt", { text: "When" }), el("dd", { text: `${describeDate(ev.date).text} (${describeDate(ev.date).precision})` }),
        el("dt", { text: "Sources" }), el("dd", { text: sourcesLine(ev) })),
      ev.merge_reason ? el("p", { class: "why-merged" }, el("strong", { text: "Why merged: " }), ev.merge_reason) : null,
      conflictList(ev),
      el("p", { class: "legend" }, ...["trigger", "actor", "recipient", "date", "quantity"]
        .map((k) => el("mark", { class: `hl hl-${k}`, text: k }))),
      el("h3", { text: others > 0 ? `Reports (${ev.mentions.length})` : "Report" }),
      ...ev.mentions.map(mentionCard)].filter((part) => part !== null && part !== undefined));
  } catch (err) {
    box.replaceChildren(el("p", { class: "error", text: err.message }));
  }
}

// -- ingest ----------------------------------------------------------------------------------------

function csrfToken() {
  // The server embeds this run's token in the page; write requests carry it (see app.py, require_writer).
  const meta = document.querySelector('meta[name="eventwire-csrf"]');
  return meta ? meta.content : "";
}

async function postIngest(form, token) {
  const headers = { "X-CSRF-Token": csrfToken() };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch("/api/ingest", { method: "POST", body: form, headers });
  const body = await res.json().catch(() => ({}));
  if (res.status === 200 || (res.status === 422 && body.results)) return body.results;
  throw new Error(describeError(res.status, body));
}

async function ingest(event) {
  event.preventDefault();
  const formEl = document.getElementById("ingest-form");
  const files = [...document.getElementById("ingest-files").files];
  const text = document.getElementById("ingest-text").value;
  const token = document.getElementById("ingest-token").value.trim();
  const list = document.getElementById("ingest-results");
  const progress = document.getElementById("ingest-progress");
  const jobs = [];
  if (text.trim()) {
    jobs.push(["pasted text", () => {
      const fd = new FormData();
      for (const name of ["text", "title", "outlet", "url", "published"]) {
        const v = formEl.elements[name].value;
        if (v) fd.set(name, v);
      }
      return fd;
    }]);
  }
  for (const f of files) jobs.push([f.name, () => { const fd = new FormData(); fd.append("files", f); return fd; }]);
  list.replaceChildren();
  progress.max = Math.max(jobs.length, 1);
  progress.value = 0;
  const counter = document.getElementById("ingest-count");
  const submit = formEl.querySelector("button[type=submit]");
  submit.disabled = true;  // one batch at a time: a second click would send everything again
  // One request per input, so progress moves and one bad file cannot hide the others' results.
  for (const [name, build] of jobs) {
    counter.textContent = `${progress.value} of ${jobs.length} done, reading ${name} ...`;
    const item = el("li", { text: `${name}: working ...` });
    list.append(item);
    try {
      const results = await postIngest(build(), token);
      item.replaceChildren(...results.map((r) => el("div", { class: `res-${r.status}`,
        text: `${r.origin}: ${r.status}${r.error ? ` — ${r.error}` : ""}${r.reason ? ` — ${r.reason}` : ""}${r.events !== undefined ? ` (${r.events} event${r.events === 1 ? "" : "s"})` : ""}${(r.warnings || []).length ? ` · ${r.warnings.join("; ")}` : ""}` })));
    } catch (err) {
      item.className = "res-error";
      item.textContent = `${name}: ${err.message}`;
    }
    progress.value += 1;
  }
  submit.disabled = false;
  counter.textContent = jobs.length ? `${jobs.length} of ${jobs.length} done` : "";
  if (!jobs.length) list.append(el("li", { class: "res-error", text: "Paste a text or choose files first." }));
  await loadFacets();
  refresh();
  loadUncoded().catch((err) => setStatus(err.message, true));
}

function showSort() {
  const key = state.sort.replace(/^-/, ""), desc = state.sort.startsWith("-");
  for (const th of document.querySelectorAll("#events th[data-sort]")) {
    const on = th.dataset.sort === key;
    th.setAttribute("aria-sort", on ? (desc ? "descending" : "ascending") : "none");
    th.querySelector("button").dataset.dir = on ? (desc ? "desc" : "asc") : "";
  }
}

function sortBy(key) {
  // First click: newest, most sourced, or A to Z first; a second click turns it round.
  const first = key === "type" ? key : `-${key}`;
  state.sort = state.sort === first ? (first.startsWith("-") ? key : `-${key}`) : first;
  state.offset = 0;
  refresh();
}

// -- start -----------------------------------------------------------------------------------------

function start() {
  const params = new URLSearchParams(location.search);
  for (const name of FILTER_FIELDS) if (params.get(name)) state.filters[name] = params.get(name);
  const sort = (params.get("sort") || "").replace(/^-/, "");
  if (SORTS[sort]) state.sort = params.get("sort");
  for (const th of document.querySelectorAll("#events th[data-sort]")) {
    th.querySelector("button").addEventListener("click", () => sortBy(th.dataset.sort));
  }
  writeFilters(state.filters);
  document.getElementById("filters").addEventListener("change", () => applyFilters());
  document.getElementById("filters").addEventListener("reset", () => {
    setTimeout(() => { document.getElementById("q").value = ""; applyFilters(); }, 0);
  });
  document.getElementById("search").addEventListener("submit", (e) => { e.preventDefault(); applyFilters(); });
  document.getElementById("prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - PAGE_SIZE); refresh();
  });
  document.getElementById("next").addEventListener("click", () => { state.offset += PAGE_SIZE; refresh(); });
  const dialog = document.getElementById("ingest");
  document.getElementById("open-ingest").addEventListener("click", () => dialog.showModal());
  document.getElementById("close-ingest").addEventListener("click", () => dialog.close());
  document.getElementById("ingest-form").addEventListener("submit", ingest);
  document.getElementById("f-language").addEventListener("change", () => loadUncoded().catch((err) => setStatus(err.message, true)));
  loadFacets().catch((err) => setStatus(err.message, true)).finally(refresh);
  loadUncoded().catch((err) => setStatus(err.message, true));
}

document.addEventListener("DOMContentLoaded", start);
