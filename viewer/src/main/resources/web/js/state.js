// The view state and its URL form. Everything the analyst sees (run, metric, pooling, view, viewport,
// resolution, colour settings, selection, region) is one plain object kept in the location hash, so
// a reload or a shared link restores the same view. The token view's ranges (x, y) are half-open
// matrix positions and may be fractional while zooming; requests round them outwards. The cluster
// view (view 'clusters') keeps its own ranges (cx, cy) in cluster indices. A region is in positions.
// In drift mode, drift names the baseline run B and the heatmap shows Δ = A − B (A the viewed run);
// its pooling (agg) is 'mean' (mean Δ) or 'maxabs' (max |Δ|).

export const RES_CHOICES = [32, 48, 64, 96, 128, 192, 256, 384, 512];
export const DEFAULT_RES = 128;
export const DOMAIN_MODES = ['auto', 'global', 'manual', 'pct'];
const MIN_WINDOW = 4;

/** A fresh state: nothing chosen yet; the run's manifest fills in the rest. */
export function defaults() {
  return {
    run: null, metric: null, agg: 'mean', res: DEFAULT_RES,
    x: null, y: null,
    scheme: '', reverse: false, domain: 'auto', dmin: null, dmax: null, pct: 2,
    mask: false, row: null, col: null,
    view: 'tokens', cx: null, cy: null, region: null, drift: null,
  };
}

/** Parses a location hash (with or without '#') into a state; unknown or bad keys are ignored. */
export function parseHash(hash) {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const s = defaults();
  s.run = p.get('run') || null;
  s.metric = p.get('metric') || null;
  s.agg = p.get('agg') || s.agg;
  s.res = RES_CHOICES.includes(Number(p.get('res'))) ? Number(p.get('res')) : s.res;
  s.x = range(p.get('x'));
  s.y = range(p.get('y'));
  s.scheme = p.get('scheme') || '';
  s.reverse = p.get('rev') === '1';
  s.domain = DOMAIN_MODES.includes(p.get('domain')) ? p.get('domain') : s.domain;
  s.dmin = number(p.get('min'));
  s.dmax = number(p.get('max'));
  s.pct = number(p.get('pct')) ?? s.pct;
  s.mask = p.get('mask') === '1';
  const sel = range(p.get('sel'), true);
  if (sel) [s.row, s.col] = sel.map(Math.round);
  s.view = p.get('view') === 'clusters' ? 'clusters' : 'tokens';
  s.cx = range(p.get('cx'));
  s.cy = range(p.get('cy'));
  s.region = region(p.get('reg'));
  s.drift = p.get('drift') || null;
  return s;
}

/** The hash of a state: the inverse of parseHash, omitting what is at its default. */
export function toHash(s) {
  const p = new URLSearchParams();
  const put = (k, v) => { if (v !== null && v !== undefined && v !== '') p.set(k, v); };
  put('run', s.run);
  put('metric', s.metric);
  put('agg', s.agg);
  put('res', s.res);
  if (s.x) put('x', s.x.map(fmt).join(','));
  if (s.y) put('y', s.y.map(fmt).join(','));
  put('scheme', s.scheme);
  if (s.reverse) put('rev', '1');
  if (s.domain !== 'auto') put('domain', s.domain);
  if (s.domain === 'manual') { put('min', s.dmin); put('max', s.dmax); }
  if (s.domain === 'pct') put('pct', s.pct);
  if (s.mask) put('mask', '1');
  if (s.row !== null && s.col !== null) put('sel', `${s.row},${s.col}`);
  if (s.view === 'clusters') put('view', 'clusters');
  if (s.cx) put('cx', s.cx.map(fmt).join(','));
  if (s.cy) put('cy', s.cy.map(fmt).join(','));
  if (s.region) put('reg', [s.region.x0, s.region.x1, s.region.y0, s.region.y1].join(','));
  put('drift', s.drift);
  return '#' + p.toString().replaceAll('%2C', ',');
}

function range(text, allowEqual = false) {
  if (!text) return null;
  const v = text.split(',').map(Number);
  if (v.length !== 2 || !v.every(Number.isFinite) || (allowEqual ? false : v[0] >= v[1])) return null;
  return v;
}

function region(text) {
  const v = text ? text.split(',').map(Number) : [];
  if (v.length !== 4 || !v.every(Number.isInteger) || v[0] >= v[1] || v[2] >= v[3] || v[0] < 0 || v[2] < 0) return null;
  return { x0: v[0], x1: v[1], y0: v[2], y1: v[3] };
}

function number(text) {
  if (text === null || text === '') return null;
  const v = Number(text);
  return Number.isFinite(v) ? v : null;
}

function fmt(v) {
  return String(Math.round(v * 100) / 100);
}

/** The poolings of a drift view: mean Δ, and max |Δ| (at live levels only). */
export const DRIFT_AGGS = ['mean', 'maxabs'];

/**
 * A state made to fit a run: known metric and pooling, ranges inside the matrix (and the cluster
 * view's inside its clusters), a selection and region inside it, no self-pairs mask on a cross run,
 * and the token view for a run in input order. clustered: the run's ClusteredRun or null; drift:
 * in drift mode, the aligned answer of /api/drift/{run}/{baseline} (its metrics are the ones both
 * runs have; the cluster view is the run's own, so drift mode shows tokens), else null.
 */
export function normalise(s, m, clustered, drift = null) {
  const metrics = drift ? drift.metrics : m.metrics;
  const aggs = drift ? DRIFT_AGGS : m.aggregations;
  s.metric = metrics.includes(s.metric) ? s.metric : metrics[0];
  s.agg = aggs.includes(s.agg) ? s.agg : aggs[0];
  s.drift = drift ? drift.b : null;
  if (drift) clustered = null;
  s.x = s.x ? clampRange(s.x, m.nCols) : [0, m.nCols];
  s.y = s.y ? clampRange(s.y, m.n) : [0, m.n];
  const inside = s.row !== null && s.col !== null && s.row >= 0 && s.row < m.n && s.col >= 0 && s.col < m.nCols;
  if (!inside) [s.row, s.col] = [null, null];
  s.mask = m.symmetric && s.mask;
  s.view = clustered ? s.view : 'tokens';
  s.cx = clustered ? (s.cx ? clampRange(s.cx, clustered.cols.count) : [0, clustered.cols.count]) : null;
  s.cy = clustered ? (s.cy ? clampRange(s.cy, clustered.rows.count) : [0, clustered.rows.count]) : null;
  if (s.region && (s.region.x1 > m.nCols || s.region.y1 > m.n)) s.region = null;
  return s;
}

/** The settings that carry over to the same input in another order (positions do not). */
export function carriedOver(s) {
  const { metric, agg, res, scheme, reverse, domain, dmin, dmax, pct, view } = s;
  return { ...defaults(), metric, agg, res, scheme, reverse, domain, dmin, dmax, pct, view };
}

/** The shown view's ranges and extents: positions, or cluster indices in the cluster view. */
export function frameOf(s, m, clustered) {
  return s.view === 'clusters' && clustered
    ? { x: s.cx, y: s.cy, nx: clustered.cols.count, ny: clustered.rows.count }
    : { x: s.x, y: s.y, nx: m.nCols, ny: m.n };
}

/** Keeps [a, b) inside [0, extent) with a size between the minimum window and the extent. */
export function clampRange([a, b], extent) {
  const min = Math.min(MIN_WINDOW, extent);
  const size = Math.min(Math.max(b - a, min), extent);
  const start = size === b - a ? a : (a + b - size) / 2;
  const lo = Math.min(Math.max(start, 0), extent - size);
  return [lo, lo + size];
}

/** Scales [a, b) by factor f about the anchor position, then clamps. */
export function zoomRange([a, b], anchor, f, extent) {
  return clampRange([anchor + (a - anchor) * f, anchor + (b - anchor) * f], extent);
}

/** Moves [a, b) by delta positions, then clamps. */
export function panRange([a, b], delta, extent) {
  return clampRange([a + delta, b + delta], extent);
}

/** A window of the given size centred on the token at a position. */
export function windowAround(position, size, extent) {
  const s = Math.min(size, extent);
  return clampRange([position + 0.5 - s / 2, position + 0.5 + s / 2], extent);
}

/** The integer range a request asks for: [a, b) rounded outwards and kept inside [0, extent]. */
export function requestRange([a, b], extent) {
  const lo = Math.max(0, Math.floor(a + 1e-9));
  const hi = Math.min(extent, Math.max(lo + 1, Math.ceil(b - 1e-9)));
  return [lo, hi];
}
