// The saliency API (README "Viewing saliency"): the document listing, a window of a document's
// tokens and one token's heat row. Errors reject with the server's {"error": …} message.

async function getJson(path, params = {}) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined) query.set(k, v);
  }
  const qs = query.toString();
  const response = await fetch(qs ? `${path}?${qs}` : path, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error((body && body.error) || `HTTP ${response.status}`);
  }
  return body;
}

const doc = (id) => `api/saliency/${encodeURIComponent(id)}`;

/** Every document: id, title, facets, tokens, run, heat range, heatLayout. */
export const documents = () => getJson('api/saliency');

/** A document with the tokens of positions [from, to) of every facet (text[facet][i]). */
export const tokenWindow = (id, from, to) => getJson(doc(id), { from, to });

/**
 * One token's heat row as a Float32Array over every position (zeros where a sparse row has no
 * value), or null when the token has no heat row.
 */
export async function heatRow(id, facet, position, tokens) {
  const row = await getJson(`${doc(id)}/heat/${facet}/${position}`);
  if (!row.hasHeat) return null;
  if (!row.targets) return Float32Array.from(row.values);
  const dense = new Float32Array(tokens);
  row.targets.forEach((t, k) => { dense[t] = row.values[k]; });
  return dense;
}
