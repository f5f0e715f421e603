// simheat's page: one controller over the view state. The state lives in the URL hash; every
// change goes through setViewport / select / reload, which move the picture at once and fetch the
// new viewport's cells after a short pause (older requests are cancelled). Test hooks: body
// data-state (booting | loading | ready | error), data-cells, data-view ("x0,x1,y0,y1" as
// requested), data-span, data-level, data-plot (the plot area "left,top,width,height" in CSS
// pixels), data-crosshair ("row,col" while drawn), data-js-error (an uncaught script error) and
// data-draw-ms (milliseconds from the arrival of the last viewport's data to its first frame on
// screen, measured with performance.now()).

import * as api from './js/api.js';
import { clampRange, defaults, panRange, parseHash, requestRange, toHash, windowAround, zoomRange } from './js/state.js';
import { colourScale } from './js/colour.js';
import { Heatmap } from './js/heatmap.js';
import { attachGestures, attachKeys } from './js/gestures.js';
import { Overlay } from './js/overlay.js';
import { TokenSearch } from './js/search.js';
import { Inspector } from './js/inspector.js';
import { Controls } from './js/controls.js';
import { cellsToCsv, download } from './js/export.js';

const $ = (id) => document.getElementById(id);
const RELOAD_DELAY_MS = 140;
const FOCUS_WINDOW = 48;

const chart = $('chart');
const body = document.body.dataset;
const heatmap = new Heatmap(chart);
const overlay = new Overlay(chart);
const inspector = new Inspector({
  selection: $('selection'), neighbours: $('neighbours'), neighboursTitle: $('neighbours-title'),
  profile: $('profile'), profileTitle: $('profile-title'),
}, (row, col) => select(row, col, true));

let state = defaults();
let manifest = null;
let runs = [];
let spec = null;
let reloadTimer = null;
let inflight = null;
let hashTimer = null;
let selectionRequest = null;
let margins = { width: 280, height: 170 };

const controls = new Controls({
  runChanged: (run) => applyState({ ...defaults(), run }).catch(fail),
  viewChanged: (patch) => { Object.assign(state, patch); writeHash(); reload(0); refreshSelection(); },
  colourChanged: (patch) => { Object.assign(state, patch); writeHash(); draw(); },
  zoom: (f) => zoomCentre(f, 'xy'),
  reset: () => reset(),
  csv: () => downloadCsv(),
});

const nRows = () => manifest.n;
const nCols = () => manifest.nCols;

// ---- boot and URL ---------------------------------------------------------------------------

async function boot() {
  window.addEventListener('error', (e) => unexpected(e.error || e.message));
  window.addEventListener('unhandledrejection', (e) => unexpected(e.reason));
  attachGestures(chart, {
    toPosition: (x, y) => heatmap.toPosition(x, y),
    zoom: (anchor, f, axes) => zoomAbout(anchor, f, axes),
    panPixels: (dx, dy) => panPixels(dx, dy),
    box: (from, to) => drawOverlay(to ? { from, to } : null),
    boxZoom: (from, to) => boxZoom(from, to),
    select: (p) => { if (p.inside) select(Math.floor(p.y), Math.floor(p.x), false); },
    reset: () => reset(),
  });
  attachKeys({
    panFraction: (fx, fy) => setViewport(
      panRange(state.x, fx * (state.x[1] - state.x[0]), nCols()),
      panRange(state.y, fy * (state.y[1] - state.y[0]), nRows())),
    zoomCentre: (f, axes) => zoomCentre(f, axes),
    reset: () => reset(),
    escape: () => (controls.closeHelp() || select(null, null, false)),
    focusSearch: () => $('search-rows').focus(),
    help: () => controls.openHelp(),
  });
  new TokenSearch($('search-rows'), $('search-rows-list'),
    (q, limit, signal) => api.tokens(state.run, q, limit, 'rows', signal), (hit) => pickToken('rows', hit));
  new TokenSearch($('search-cols'), $('search-cols-list'),
    (q, limit, signal) => api.tokens(state.run, q, limit, 'cols', signal), (hit) => pickToken('cols', hit));
  window.addEventListener('hashchange', () => {
    if (location.hash !== toHash(state)) applyState(parseHash(location.hash)).catch(fail);
  });
  let resizeTimer = null;
  new ResizeObserver(() => {
    drawOverlay(null);
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => draw(), 150);
  }).observe(chart);
  try {
    runs = await api.runs();
    if (!runs.length) throw new Error('This data directory holds no committed runs yet.');
    await applyState(parseHash(location.hash));
  } catch (e) {
    fail(e);
  }
}

/** Makes a (possibly partial) state current: loads the run's manifest if needed, then the view. */
async function applyState(next) {
  const latest = runs.find((r) => r.latest) || runs[0];
  const run = next.run && next.run !== 'latest' ? next.run : latest.runId;
  if (!manifest || manifest.runId !== run) {
    manifest = await api.manifest(run);
    spec = null;
  }
  state = normalise({ ...next, run: manifest.runId });
  controls.show(state, manifest, runs);
  writeHash(true);
  reload(0);
  refreshSelection();
}

function normalise(s) {
  const m = manifest;
  s.metric = m.metrics.includes(s.metric) ? s.metric : m.metrics[0];
  s.agg = m.aggregations.includes(s.agg) ? s.agg : m.aggregations[0];
  s.x = s.x ? clampRange(s.x, m.nCols) : [0, m.nCols];
  s.y = s.y ? clampRange(s.y, m.n) : [0, m.n];
  const inside = s.row !== null && s.col !== null && s.row >= 0 && s.row < m.n && s.col >= 0 && s.col < m.nCols;
  if (!inside) [s.row, s.col] = [null, null];
  return s;
}

function writeHash(now = false) {
  clearTimeout(hashTimer);
  const write = () => history.replaceState(null, '', toHash(state));
  if (now) write(); else hashTimer = setTimeout(write, 120);
}

// ---- viewport -------------------------------------------------------------------------------

function setViewport(x, y) {
  state.x = x;
  state.y = y;
  heatmap.setDomains(x, y);
  drawOverlay(null);
  writeHash();
  reload();
}

function zoomAbout(anchor, f, axes) {
  setViewport(
    axes.includes('x') ? zoomRange(state.x, anchor.x, f, nCols()) : state.x,
    axes.includes('y') ? zoomRange(state.y, anchor.y, f, nRows()) : state.y);
}

function zoomCentre(f, axes) {
  zoomAbout({ x: (state.x[0] + state.x[1]) / 2, y: (state.y[0] + state.y[1]) / 2 }, f, axes);
}

function panPixels(dx, dy) {
  const plot = heatmap.plotRect();
  if (!plot) return;
  setViewport(
    panRange(state.x, (-dx / plot.width) * (state.x[1] - state.x[0]), nCols()),
    panRange(state.y, (-dy / plot.height) * (state.y[1] - state.y[0]), nRows()));
}

function boxZoom(from, to) {
  const a = heatmap.toPosition(from.x, from.y);
  const b = heatmap.toPosition(to.x, to.y);
  const x = [Math.max(0, Math.min(a.x, b.x)), Math.min(nCols(), Math.max(a.x, b.x))];
  const y = [Math.max(0, Math.min(a.y, b.y)), Math.min(nRows(), Math.max(a.y, b.y))];
  setViewport(clampRange(x, nCols()), clampRange(y, nRows()));
}

function reset() {
  setViewport([0, nCols()], [0, nRows()]);
}

// ---- loading and drawing --------------------------------------------------------------------

function reload(delay = RELOAD_DELAY_MS) {
  clearTimeout(reloadTimer);
  setBusy(true);
  reloadTimer = setTimeout(() => { reloadTimer = null; load(); }, delay);
}

async function load() {
  if (inflight) inflight.abort();
  const controller = new AbortController();
  inflight = controller;
  const [x0, x1] = requestRange(state.x, nCols());
  const [y0, y1] = requestRange(state.y, nRows());
  const query = { metric: state.metric, agg: state.agg, x0, x1, y0, y1, res: state.res };
  if (manifest.symmetric || state.mask) query.mask = state.mask;
  try {
    const timing = {};
    const next = await api.view(state.run, query, controller.signal, timing);
    if (controller !== inflight) return;
    spec = next;
    spec.query = query;
    if (await draw()) reportDrawTime(timing.arrived);
  } catch (e) {
    if (!api.isAbort(e) && controller === inflight) fail(e);
  } finally {
    if (controller === inflight) inflight = null;
    settle();
  }
}

/**
 * Renders the last spec with the current size and colour settings (no request). The space around
 * the plot (axis labels, legend) is learned from each render; when it changed, the plot is resized
 * in place to fit the chart to the stage.
 */
async function draw() {
  if (!spec || !manifest) return false;
  // A masked bin of self-pairs only has no value: it is drawn empty and sets no colour.
  const values = spec.data.values.map((c) => c.value).filter((v) => v !== null && Number.isFinite(v));
  const colour = colourScale(state, values, manifest.ranges && manifest.ranges[state.metric]);
  const size = plotSize();
  const shown = await heatmap.render(spec, {
    ...size, xdom: state.x, ydom: state.y, colour,
    colourTitle: `${state.agg} ${state.metric}`,
    fileName: `simheat-${manifest.runId}-${state.metric}-${state.agg}`,
  });
  if (!shown) return false;
  if (learnMargins(size)) await heatmap.resize(plotSize().width, plotSize().height);
  heatmap.setDomains(state.x, state.y);
  controls.showColour(colour, spec.usermeta || {});
  $('notice').hidden = true;
  const q = spec.query;
  body.cells = String(spec.data.values.length);
  body.view = `${q.x0},${q.x1},${q.y0},${q.y1}`;
  const meta = spec.usermeta || {};
  // Positions per bin on each axis: the level's cell span, times any further pooling.
  body.span = String(meta.binCols ?? meta.span ?? '');
  body.spanRows = String(meta.binRows ?? meta.span ?? '');
  body.level = String((spec.usermeta || {}).level ?? '');
  controls.showReadout(q, spec.usermeta || {}, spec.data.values.length);
  drawOverlay(null);
  await inspector.showProfile(heatmap.cells, sel(), state.x, spec.usermeta || {}, $('profile').clientWidth);
  settle();
  return true;
}

/** Records how long the heatmap took from its data's arrival to its first frame on screen. */
function reportDrawTime(arrived) {
  requestAnimationFrame(() => { body.drawMs = (performance.now() - arrived).toFixed(1); });
}

function plotSize() {
  const ratio = Math.min(2, Math.max(0.5, nCols() / nRows()));
  const w = Math.min(chart.clientWidth - margins.width - 40, (chart.clientHeight - margins.height - 40) * ratio);
  return { width: Math.max(160, Math.floor(w)), height: Math.max(160, Math.floor(w / ratio)) };
}

/** Records the space the last render took around its plot; returns whether it changed. */
function learnMargins(size) {
  const box = heatmap.embedSize();
  if (!box) return false;
  const learned = { width: Math.ceil(box.width - size.width), height: Math.ceil(box.height - size.height) };
  const changed = Math.abs(learned.width - margins.width) > 4 || Math.abs(learned.height - margins.height) > 4;
  margins = learned;
  return changed;
}

function setBusy(on) {
  chart.classList.toggle('is-loading', on);
  if (on) body.state = 'loading';
}

function settle() {
  if (!reloadTimer && !inflight && body.state !== 'error') {
    chart.classList.remove('is-loading');
    body.state = 'ready';
  }
}

function fail(e) {
  chart.classList.remove('is-loading');
  const notice = $('notice');
  notice.textContent = e.message || String(e);
  notice.hidden = false;
  body.state = 'error';
  body.error = notice.textContent;
}

/** A script error is a bug: show it, and record it for the browser tests. */
function unexpected(error) {
  body.jsError = String((error && error.message) || error);
  fail(new Error(`Unexpected error: ${body.jsError}`));
}

function drawOverlay(box) {
  const plot = heatmap.plotRect();
  if (plot) body.plot = [plot.left, plot.top, plot.width, plot.height].map(Math.round).join(',');
  const drawn = overlay.draw(plot, heatmap.dom, sel(), box);
  if (drawn) body.crosshair = `${state.row},${state.col}`;
  else delete body.crosshair;
}

// ---- selection ------------------------------------------------------------------------------

function sel() {
  return state.row === null ? null : { row: state.row, col: state.col };
}

function select(row, col, focus) {
  state.row = row;
  state.col = col;
  if (focus && row !== null) {
    setViewport(
      windowAround(col, Math.min(FOCUS_WINDOW, state.x[1] - state.x[0]), nCols()),
      windowAround(row, Math.min(FOCUS_WINDOW, state.y[1] - state.y[0]), nRows()));
  } else {
    drawOverlay(null);
    writeHash();
  }
  refreshSelection();
  if (spec) inspector.showProfile(heatmap.cells, sel(), state.x, spec.usermeta || {}, $('profile').clientWidth);
}

function pickToken(axis, hit) {
  const centre = (r) => Math.floor((r[0] + r[1]) / 2);
  if (axis === 'rows') {
    select(hit.position, state.col ?? (manifest.symmetric ? hit.position : centre(state.x)), true);
  } else {
    select(state.row ?? (manifest.symmetric ? hit.position : centre(state.y)), hit.position, true);
  }
}

/** Loads the selected pair's exact value and the row token's neighbours. */
async function refreshSelection() {
  if (selectionRequest) selectionRequest.abort();
  const s = sel();
  inspector.showSelection(s, null, state);
  if (!s || !manifest) {
    inspector.showNeighbours(null);
    return;
  }
  const controller = new AbortController();
  selectionRequest = controller;
  const k = Math.min(20, (manifest.neighbors && manifest.neighbors.k) || 10);
  const pair = { metric: state.metric, agg: state.agg, x0: s.col, x1: s.col + 1, y0: s.row, y1: s.row + 1, res: 32 };
  const [one, near] = await Promise.allSettled([
    api.view(state.run, pair, controller.signal),
    api.neighbors(state.run, state.metric, s.row, k, controller.signal),
  ]);
  if (controller !== selectionRequest) return;
  const cell = one.status === 'fulfilled' ? one.value.data.values[0] : null;
  const missing = { rowToken: '—', colToken: '—', value: NaN };
  inspector.showSelection(s, cell ? { rowToken: cell.rowLabel, colToken: cell.colLabel, value: cell.value } : missing, state);
  inspector.showNeighbours(near.status === 'fulfilled' ? near.value : null,
    near.status === 'rejected' && !api.isAbort(near.reason) ? near.reason.message : null);
}

function downloadCsv() {
  if (!spec) return;
  const q = spec.query;
  download(`simheat-${manifest.runId}-${q.metric}-${q.agg}-r${q.y0}-${q.y1}-c${q.x0}-${q.x1}.csv`,
    cellsToCsv(spec.data.values), 'text/csv');
}

boot();
