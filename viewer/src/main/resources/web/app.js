// simheat's page: one controller over the view state. The state lives in the URL hash; every
// change goes through setViewport / select / reload, which move the picture at once and fetch the
// new viewport's cells after a short pause (older requests are cancelled). Two views share the
// controls: the token heatmap (positions) and, for a run in cluster order, the cluster heatmap
// (cluster indices, pooled in the page from the run's K × K matrix). Test hooks: body data-state
// (booting | loading | ready | error), data-mode (tokens | clusters), data-cells, data-view
// ("x0,x1,y0,y1" as requested, in the view's units), data-span, data-level, data-plot (the plot
// area "left,top,width,height" in CSS pixels), data-crosshair ("row,col" while drawn),
// data-boundaries (cluster rules drawn), data-js-error (an uncaught script error) and data-draw-ms
// (milliseconds from the arrival of the last viewport's data to its first frame on screen,
// measured with performance.now()), data-drift (the baseline run in drift mode) and data-live
// (whether the last view's level is computed live); the region panel, the run list and the run
// notices add their own (see js/region.js, js/run-list.js, js/run-notices.js).
//
// The run list is polled (js/run-list.js): runs committed while the page is open join the picker,
// a run newer than the viewed one is offered in a notice, and a viewed run that is deleted gets a
// banner (also when any request for it answers 404 "no longer exists"); the picker keeps working.
// Drift mode (state.drift = baseline run B) shows Δ = A − B through /api/drift (js/drift.js).

import * as api from './js/api.js';
import {
  carriedOver, clampRange, defaults, frameOf, normalise, panRange, parseHash, requestRange, toHash, windowAround, zoomRange,
} from './js/state.js';
import { colourScale } from './js/colour.js';
import { Heatmap } from './js/heatmap.js';
import { attachGestures, attachKeys } from './js/gestures.js';
import { Overlay } from './js/overlay.js';
import { TokenSearch } from './js/search.js';
import { Inspector } from './js/inspector.js';
import { Controls } from './js/controls.js';
import { CLUSTER_COLUMNS, cellsToCsv, download } from './js/export.js';
import { ClusteredRun } from './js/clusters.js';
import { RegionPanel, regionOf, regionSource } from './js/region.js';
import { RunWatch } from './js/run-list.js';
import { RunNotices } from './js/run-notices.js';
import { DriftPicker } from './js/drift.js';

const $ = (id) => document.getElementById(id);
const RELOAD_DELAY_MS = 140;
const FOCUS_WINDOW = 48;

const chart = $('chart');
const body = document.body.dataset;
const heatmap = new Heatmap(chart);
const overlay = new Overlay(chart);
const inspector = new Inspector({
  selection: $('selection'), neighbours: $('neighbours'), neighboursTitle: $('neighbours-title'),
  profile: $('profile'), profileTitle: $('profile-title'), moves: $('neighbour-moves'),
}, (row, col) => select(row, col, true));

const regionPanel = new RegionPanel({
  section: $('region'), summary: $('region-summary'), pairs: $('region-pairs'), title: $('region-pairs-title'),
}, {
  zoom: () => zoomToRegion(),
  clear: () => setRegion(null),
  pick: (row, col) => { if (inClusters()) setMode('tokens'); select(row, col, true); },
});

let state = defaults();
let manifest = null;
let clustered = null;
let runs = [];
let spec = null;
let reloadTimer = null;
let inflight = null;
let hashTimer = null;
let drift = null;

const notices = new RunNotices((run) => applyState({ ...defaults(), run }).catch(fail));
const driftPicker = new DriftPicker($('drift-picker'), api, (b) => applyState({ ...state, drift: b, agg: 'mean' }).catch(fail));

const controls = new Controls({
  runChanged: (run) => applyState({ ...defaults(), run }).catch(fail),
  orderSwitched: (run) => applyState({ ...carriedOver(state), run }).catch(fail),
  modeChanged: (view) => setMode(view),
  viewChanged: (patch) => { Object.assign(state, patch); writeHash(); reload(0); refreshSelection(); showRegion(); },
  colourChanged: (patch) => { Object.assign(state, patch); writeHash(); draw(); },
  zoom: (f) => zoomCentre(f, 'xy'),
  reset: () => reset(),
  csv: () => downloadCsv(),
});

const nRows = () => manifest.n;
const nCols = () => manifest.nCols;
const inClusters = () => state.view === 'clusters' && clustered !== null;

const frame = () => frameOf(state, manifest, clustered);

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
    region: (from, to) => selectRegion(from, to),
    select: (p) => { if (p.inside) (inClusters() ? openBlock(p) : select(Math.floor(p.y), Math.floor(p.x), false)); },
    reset: () => reset(),
  });
  attachKeys({
    panFraction: (fx, fy) => {
      const f = frame();
      setViewport(panRange(f.x, fx * (f.x[1] - f.x[0]), f.nx), panRange(f.y, fy * (f.y[1] - f.y[0]), f.ny));
    },
    zoomCentre: (f, axes) => zoomCentre(f, axes),
    reset: () => reset(),
    escape: () => (controls.closeHelp() || (state.region ? setRegion(null) : select(null, null, false))),
    focusSearch: () => $('search-rows').focus(),
    help: () => controls.openHelp(),
    toggleView: () => setMode(inClusters() ? 'tokens' : 'clusters'),
  });
  new TokenSearch($('search-rows'), $('search-rows-list'),
    (q, limit, signal) => api.tokens(state.run, q, limit, 'rows', signal), (hit) => pickToken('rows', hit));
  new TokenSearch($('search-cols'), $('search-cols-list'),
    (q, limit, signal) => api.tokens(state.run, q, limit, 'cols', signal), (hit) => pickToken('cols', hit));
  new TokenSearch($('search-clusters'), $('search-clusters-list'),
    (q, limit, signal) => (clustered ? clustered.search(api, q, limit, signal) : Promise.resolve([])),
    (hit) => pickCluster(hit));
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
    new RunWatch(() => api.runs(), (next) => runsChanged(next)).start(runs);
    if (!runs.length) throw new Error('This data directory holds no committed runs yet.');
    await applyState(parseHash(location.hash));
  } catch (e) {
    fail(e);
  }
}

/**
 * Makes a (possibly partial) state current: loads the run's manifest if needed, checks that the
 * baseline of drift mode aligns with it, then the view.
 */
async function applyState(next) {
  const latest = runs.find((r) => r.latest) || runs[0];
  if (!latest) throw new Error('This data directory holds no committed runs any more.');
  const run = next.run && next.run !== 'latest' ? next.run : latest.runId;
  if (!manifest || manifest.runId !== run) {
    const loaded = await api.manifest(run);
    const clusters = await ClusteredRun.load(api, loaded);
    [manifest, clustered, spec] = [loaded, clusters, null];
  }
  drift = await baseline(manifest.runId, next.drift);
  notices.deleted(null);
  notices.viewed(runs, manifest.runId);
  state = normalise({ ...next, run: manifest.runId }, manifest, clustered, drift);
  controls.show(state, manifest, runs, drift);
  driftPicker.show(manifest.runId, runs, state.drift);
  inspector.cross = !manifest.symmetric;
  writeHash(true);
  reload(0);
  refreshSelection();
  showRegion();
}

/**
 * The aligned answer of /api/drift/{run}/{b} for drift mode, or null without a baseline. A baseline
 * that does not align (or cannot be checked) leaves drift mode with a notice saying why.
 */
async function baseline(run, b) {
  notices.refused(null);
  if (!b || b === run) return null;
  const answer = await driftPicker.check(run, b);
  if (answer.aligned) return answer;
  notices.refused(`Cannot compare ${run} with ${b}: ${answer.reason}`);
  return null;
}

// ---- the live run list ----------------------------------------------------------------------

/** A new run list from the poll: the picker, the "new run" notice and the deleted-run banner follow it. */
function runsChanged(next) {
  const known = new Set(runs.map((r) => r.runId));
  runs = next;
  if (!manifest) {
    if (runs.length && body.state === 'error' && !body.jsError) applyState(parseHash(location.hash)).catch(fail);
    return;
  }
  const viewed = manifest.runId;
  if (!runs.some((r) => r.runId === viewed)) viewedGone(viewed);
  else if (state.drift && !runs.some((r) => r.runId === state.drift)) baselineGone(state.drift);
  controls.showRuns(runs, viewed, notices.gone);
  controls.showOrderSwitch(manifest, runs);
  driftPicker.show(viewed, runs, state.drift);
  notices.arrived(runs, viewed, known);
}

/** The viewed run was deleted: its banner, the picker listing it as deleted, and no more loading. */
function viewedGone(runId) {
  body.error = notices.deleted(runId);
  controls.showRuns(runs, runId, runId);
  chart.classList.remove('is-loading');
  body.state = 'error';
}

/** Drift mode's baseline was deleted: the viewed run alone, with a banner saying why. */
async function baselineGone(b) {
  try {
    await applyState({ ...state, drift: null });
    notices.deleted(b, true);
  } catch (e) {
    fail(e);
  }
}

function writeHash(now = false) {
  clearTimeout(hashTimer);
  const write = () => history.replaceState(null, '', toHash(state));
  if (now) write(); else hashTimer = setTimeout(write, 120);
}

// ---- viewport -------------------------------------------------------------------------------

function setViewport(x, y) {
  if (inClusters()) [state.cx, state.cy] = [x, y];
  else [state.x, state.y] = [x, y];
  heatmap.setDomains(x, y);
  drawOverlay(null);
  writeHash();
  reload();
}

function zoomAbout(anchor, f, axes) {
  const v = frame();
  setViewport(
    axes.includes('x') ? zoomRange(v.x, anchor.x, f, v.nx) : v.x,
    axes.includes('y') ? zoomRange(v.y, anchor.y, f, v.ny) : v.y);
}

function zoomCentre(f, axes) {
  const v = frame();
  zoomAbout({ x: (v.x[0] + v.x[1]) / 2, y: (v.y[0] + v.y[1]) / 2 }, f, axes);
}

function panPixels(dx, dy) {
  const plot = heatmap.plotRect();
  if (!plot) return;
  const v = frame();
  setViewport(
    panRange(v.x, (-dx / plot.width) * (v.x[1] - v.x[0]), v.nx),
    panRange(v.y, (-dy / plot.height) * (v.y[1] - v.y[0]), v.ny));
}

/** The dragged rectangle in the view's units, clamped: {x: [a, b], y: [a, b]}. */
function dragged(from, to) {
  const a = heatmap.toPosition(from.x, from.y);
  const b = heatmap.toPosition(to.x, to.y);
  const v = frame();
  return {
    x: [Math.max(0, Math.min(a.x, b.x)), Math.min(v.nx, Math.max(a.x, b.x))],
    y: [Math.max(0, Math.min(a.y, b.y)), Math.min(v.ny, Math.max(a.y, b.y))],
  };
}

function boxZoom(from, to) {
  const d = dragged(from, to);
  const v = frame();
  setViewport(clampRange(d.x, v.nx), clampRange(d.y, v.ny));
}

function reset() {
  const v = frame();
  setViewport([0, v.nx], [0, v.ny]);
}

// ---- views and clusters ---------------------------------------------------------------------

/** Switches between the token and the cluster heatmap. */
function setMode(view) {
  if (!clustered || state.drift || view === state.view) return;
  state.view = view;
  modeChanged();
}

function modeChanged() {
  controls.showMode(state.view, Boolean(clustered));
  const v = frame();
  heatmap.setDomains(v.x, v.y);
  drawOverlay(null);
  writeHash();
  reload(0);
  showRegion();
}

/** A click in the cluster view: the token heatmap zoomed to exactly that block of clusters. */
function openBlock(p) {
  const cell = heatmap.cellAt(Math.floor(p.y), Math.floor(p.x));
  if (!cell) return;
  state.x = [cell.colStart, cell.colEnd];
  state.y = [cell.rowStart, cell.rowEnd];
  state.view = 'tokens';
  modeChanged();
}

/** A cluster picked in the cluster search: the token view over its rows (and columns). */
function pickCluster(hit) {
  const range = [hit.node.start, hit.node.end];
  if (hit.axis === 'rows' || manifest.symmetric) state.y = range;
  if (hit.axis === 'cols' || manifest.symmetric) state.x = range;
  state.view = 'tokens';
  modeChanged();
}

// ---- region ---------------------------------------------------------------------------------

/** A Shift-drag: the region of positions under the rectangle (whole clusters in the cluster view). */
function selectRegion(from, to) {
  setRegion(regionOf(dragged(from, to), frame(), inClusters() ? clustered : null));
}

function setRegion(region) {
  state.region = region;
  writeHash();
  drawOverlay(null);
  showRegion();
}

function zoomToRegion() {
  const r = state.region;
  if (!r) return;
  [state.x, state.y] = [clampRange([r.x0, r.x1], nCols()), clampRange([r.y0, r.y1], nRows())];
  if (inClusters()) setMode('tokens'); else setViewport(state.x, state.y);
}

/** Fills the region panel: the cells of the view on screen inside the region, and its best pairs. */
function showRegion() {
  if (!state.region || !manifest) regionPanel.hide();
  else regionPanel.show(state.region, regionSource(api, state, manifest, inClusters() ? clustered : null));
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
  const v = frame();
  const [x0, x1] = requestRange(v.x, v.nx);
  const [y0, y1] = requestRange(v.y, v.ny);
  const query = { metric: state.metric, agg: state.agg, x0, x1, y0, y1, res: state.res };
  if (manifest.symmetric) query.mask = state.mask;
  try {
    const timing = {};
    const next = inClusters()
      ? await clustered.viewSpec(api, query, controller.signal, timing)
      : state.drift
        ? await api.driftView(state.run, state.drift, query, controller.signal, timing)
        : await api.view(state.run, query, controller.signal, timing);
    if (controller !== inflight) return;
    spec = next;
    spec.query = query;
    if (await draw()) reportDrawTime(timing.arrived);
  } catch (e) {
    if (api.isAbort(e) || controller !== inflight) return;
    if (state.drift && query.agg === 'maxabs' && e.status === 400) maxAbsRefused(e);
    else fail(e);
  } finally {
    if (controller === inflight) inflight = null;
    settle();
  }
}

/** Max |Δ| asked at a stored level: back to mean Δ, with the server's hint under the pooling. */
function maxAbsRefused(e) {
  state.agg = 'mean';
  $('agg').value = 'mean';
  controls.showDriftPooling({}, e.message);
  writeHash();
  reload(0);
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
  const v = frame();
  const clusterCells = inClusters();
  const shown = await heatmap.render(spec, {
    ...size, xdom: v.x, ydom: v.y, colour,
    colourTitle: colourTitle(),
    fileName: `simheat-${manifest.runId}${state.drift ? `-minus-${state.drift}` : ''}-${clusterCells ? 'clusters-' : ''}${state.metric}-${state.agg}`,
    describe: clustered && !clusterCells ? (cell) => clustered.describe(cell) : null,
  });
  if (!shown) return false;
  if (heatmap.learnMargins(size)) await heatmap.resize(plotSize().width, plotSize().height);
  heatmap.setDomains(frame().x, frame().y);
  controls.showColour(colour, spec.usermeta || {});
  if (state.drift) controls.showDriftPooling(spec.usermeta || {});
  $('notice').hidden = true;
  const q = spec.query;
  body.cells = String(spec.data.values.length);
  body.view = `${q.x0},${q.x1},${q.y0},${q.y1}`;
  const meta = spec.usermeta || {};
  // Positions per bin on each axis: the level's cell span, times any further pooling.
  body.span = String(meta.binCols ?? meta.span ?? '');
  body.spanRows = String(meta.binRows ?? meta.span ?? '');
  body.level = String((spec.usermeta || {}).level ?? '');
  body.mode = clusterCells ? 'clusters' : 'tokens';
  if (state.drift) [body.drift, body.live] = [state.drift, String((spec.usermeta || {}).live === true)];
  else [body.drift, body.live] = ['', ''];
  if (clusterCells) controls.showClusterReadout(spec.usermeta, spec.data.values.length);
  else controls.showReadout(q, spec.usermeta || {}, spec.data.values.length);
  drawOverlay(null);
  if (!clusterCells) await inspector.showProfile(heatmap.cells, sel(), state.x, spec.usermeta || {}, $('profile').clientWidth);
  settle();
  return true;
}

/** The legend's title: the pooling and metric, or in drift mode what Δ is. */
function colourTitle() {
  if (!state.drift) return `${state.agg} ${state.metric}`;
  return `${state.agg === 'maxabs' ? 'max |Δ|' : 'Δ'} ${state.metric} (A − B)`;
}

/** Records how long the heatmap took from its data's arrival to its first frame on screen. */
function reportDrawTime(arrived) {
  requestAnimationFrame(() => { body.drawMs = (performance.now() - arrived).toFixed(1); });
}

function plotSize() {
  const v = frame();
  return heatmap.fittingSize(Math.min(2, Math.max(0.5, v.nx / v.ny)));
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
  if (api.isGone(e)) {
    runGone(e);
    return;
  }
  notify(e.message || String(e));
}

/** A request answered that a run is gone: the banner, if the run is the viewed one or the baseline. */
function runGone(e) {
  const named = /run (\S+) no longer exists/.exec(e.message);
  const id = named ? named[1] : manifest && manifest.runId;
  if (manifest && id === manifest.runId) viewedGone(id);
  else if (manifest && id === state.drift) baselineGone(id);
  else notify(e.message);
}

function notify(message) {
  chart.classList.remove('is-loading');
  const notice = $('notice');
  notice.textContent = message;
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
  const clusterCells = inClusters();
  const extras = {};
  if (clustered && !clusterCells && plot && heatmap.dom) extras.rules = clustered.rules(heatmap.dom.x, heatmap.dom.y, plot);
  if (state.region) extras.region = clusterCells ? clustered.toClusters(state.region) : state.region;
  const drawn = overlay.draw(plot, heatmap.dom, clusterCells ? null : sel(), box, extras);
  body.boundaries = String(extras.rules ? extras.rules.x.length + extras.rules.y.length : 0);
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
  if (focus && row !== null && inClusters()) {
    state.x = windowAround(col, Math.min(FOCUS_WINDOW, state.x[1] - state.x[0]), nCols());
    state.y = windowAround(row, Math.min(FOCUS_WINDOW, state.y[1] - state.y[0]), nRows());
    setMode('tokens');
  } else if (focus && row !== null) {
    setViewport(
      windowAround(col, Math.min(FOCUS_WINDOW, state.x[1] - state.x[0]), nCols()),
      windowAround(row, Math.min(FOCUS_WINDOW, state.y[1] - state.y[0]), nRows()));
  } else {
    drawOverlay(null);
    writeHash();
  }
  refreshSelection();
  if (spec && !inClusters()) inspector.showProfile(heatmap.cells, sel(), state.x, spec.usermeta || {}, $('profile').clientWidth);
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
function refreshSelection() {
  if (manifest) inspector.load(api, state, manifest, sel());
}

function downloadCsv() {
  if (!spec) return;
  const q = spec.query;
  const clusterCells = body.mode === 'clusters';
  download(`simheat-${manifest.runId}${state.drift ? `-minus-${state.drift}` : ''}-${clusterCells ? 'clusters-' : ''}${q.metric}-${q.agg}-r${q.y0}-${q.y1}-c${q.x0}-${q.x1}.csv`,
    cellsToCsv(spec.data.values, clusterCells ? CLUSTER_COLUMNS : undefined), 'text/csv');
}

boot();
