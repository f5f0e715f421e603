// The viewer's JSON API (DESIGN.md), as promises. URLs are relative so the page also works behind a
// path prefix. Every call takes an optional AbortSignal; failures reject with an ApiError carrying
// the server's {"error": …} message.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function getJson(path, params = {}, signal = undefined, timing = undefined) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined) query.set(k, v);
  }
  const qs = query.toString();
  const response = await fetch(qs ? `${path}?${qs}` : path, { signal, headers: { Accept: 'application/json' } });
  const text = await response.text();
  if (timing) timing.arrived = performance.now();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    throw new ApiError(response.status, `The server sent something that is not JSON (HTTP ${response.status})`);
  }
  if (!response.ok) {
    throw new ApiError(response.status, (body && body.error) || `HTTP ${response.status}`);
  }
  return body;
}

const run = (id) => `api/runs/${encodeURIComponent(id)}`;

/** The committed runs, newest first. */
export const runs = (signal) => getJson('api/runs', {}, signal);

/** Whether an error says that a run was deleted while the page showed it (HTTP 404). */
export const isGone = (e) => e instanceof ApiError && e.status === 404 && /no longer exists/.test(e.message);

/** A run's manifest.json. */
export const manifest = (id, signal) => getJson(`${run(id)}/manifest`, {}, signal);

/**
 * A Vega-Lite spec with the viewport's cells inline. With a timing object, timing.arrived is set to
 * performance.now() once the whole response has arrived (before it is parsed).
 */
export const view = (id, query, signal, timing) => getJson(`${run(id)}/view`, query, signal, timing);

/** Tokens matching q on one axis ('rows' or 'cols'). */
export const tokens = (id, q, limit, axis, signal) =>
  getJson(`${run(id)}/tokens`, { q, limit, axis }, signal);

/** The top-k neighbours of a position. */
export const neighbors = (id, metric, position, k, signal) =>
  getJson(`${run(id)}/neighbors/${encodeURIComponent(metric)}/${position}`, { k }, signal);

/** The cluster tree of one axis ('rows' or 'cols') of a run in cluster order. */
export const clusters = (id, axis, signal) => getJson(`${run(id)}/clusters`, { axis }, signal);

/** The cluster-pooled matrix of a metric: {rows, cols, rowClusters, colClusters, pairs, mean, max, min}. */
export const clusterTiles = (id, metric, signal) =>
  getJson(`${run(id)}/cluster-tiles/${encodeURIComponent(metric)}`, {}, signal);

/** The best token pairs of a region {metric, x0, x1, y0, y1, limit}. */
export const pairs = (id, query, signal) => getJson(`${run(id)}/pairs`, query, signal);

/** The run's saliency documents holding a vocabulary position, each with its first occurrence. */
export const saliencyOccurrences = (id, position, signal) =>
  getJson(`${run(id)}/saliency-occurrences`, { position }, signal);

const drift = (a, b) => `api/drift/${encodeURIComponent(a)}/${encodeURIComponent(b)}`;

/**
 * Whether run a (viewed) and run b (baseline) align for a drift view Δ = A − B:
 * {a, b, aligned: true, n, nCols, metrics, storedZoom, maxZoom} or {a, b, aligned: false, reason}.
 */
export const driftCheck = (a, b, signal) => getJson(drift(a, b), {}, signal);

/** A Vega-Lite spec of Δ = A − B over a viewport; query as view's, agg 'mean' or 'maxabs'. */
export const driftView = (a, b, query, signal, timing) => getJson(`${drift(a, b)}/view`, query, signal, timing);

/** The pairs of a position that changed most between b and a, and its neighbours in each run. */
export const driftChanges = (a, b, metric, position, k, axis, signal) =>
  getJson(`${drift(a, b)}/changes/${encodeURIComponent(metric)}/${position}`, { k, axis }, signal);

/** Whether an error is only the cancellation of a request that a newer one replaced. */
export const isAbort = (e) => e && e.name === 'AbortError';
