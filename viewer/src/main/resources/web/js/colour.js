// Colour: which schemes fit which metric, and the colour domain of a view. Signed metrics (cosine,
// dot) use diverging schemes centred at 0; distances (l2) use sequential ones. A drift view's mean Δ
// is signed whatever the metric, on a domain symmetric about 0 ([-m, m], m the largest |value|), so
// that equal colours mean equal change either way; its max |Δ| starts at 0.

export const DIVERGING = ['blueorange', 'redblue', 'purpleorange', 'redyellowblue', 'spectral', 'brownbluegreen'];
export const SEQUENTIAL = ['viridis', 'magma', 'inferno', 'plasma', 'cividis', 'blues', 'greys', 'yelloworangered'];

/** Whether a metric's values have a sign worth centring at 0. */
export const isSigned = (metric) => metric !== 'l2';

/** Whether a state shows change that is as likely up as down: a drift view's mean Δ. */
const isDelta = (state) => Boolean(state.drift) && state.agg !== 'maxabs';

/** The scheme a state's view starts with: by its metric, or red/blue for a drift view's Δ. */
export function defaultScheme(state) {
  if (state.drift) return isDelta(state) ? 'redblue' : 'yelloworangered';
  return isSigned(state.metric) ? 'blueorange' : 'viridis';
}

/** Whether a diverging scheme reads high-is-warm without reversal (Vega's redblue runs red → blue). */
const REVERSED_BY_DEFAULT = new Set(['redblue', 'redyellowblue', 'spectral']);

/**
 * The colour scale for the current settings: {scheme, reverse, domain: [lo, hi], mid, note}.
 * `values` are the visible cells' values; `range` the run's global range of the metric.
 */
export function colourScale(state, values, range) {
  const scheme = state.scheme || defaultScheme(state);
  const reverse = REVERSED_BY_DEFAULT.has(scheme) !== Boolean(state.reverse);
  const delta = isDelta(state);
  const signed = state.drift ? delta : isSigned(state.metric);
  let [lo, hi] = extent(values);
  let note = delta ? 'Colours span ± the largest |Δ| in view.' : 'Colours span the values in view.';
  if (state.domain === 'global' && state.drift) {
    note = `A comparison has no run-wide range: ${note.charAt(0).toLowerCase()}${note.slice(1)}`;
  } else if (state.domain === 'global' && range) {
    const off = state.mask && range.minOffDiagonal != null;
    [lo, hi] = off ? [range.minOffDiagonal, range.maxOffDiagonal] : [range.min, range.max];
    note = range.over === 'mean-cells'
      ? "Colours span the run's stored means (a mean-only run computes no single pair)."
      : `Colours span the run's whole range${off ? ' off the diagonal' : ''}.`;
  } else if (state.domain === 'manual' && state.dmin !== null && state.dmax !== null && state.dmin < state.dmax) {
    [lo, hi] = [state.dmin, state.dmax];
    note = 'Colours span the values you set; others are clamped.';
  } else if (state.domain === 'manual') {
    note = 'Set a min below the max; until then colours span the values in view.';
  } else if (state.domain === 'pct') {
    [lo, hi] = [quantile(values, state.pct / 100), quantile(values, 1 - state.pct / 100)];
    note = `Colours span the ${fmtPct(state.pct)}–${fmtPct(100 - state.pct)} percentiles in view; outliers are clamped.`;
  }
  if (delta && state.domain !== 'manual') [lo, hi] = [-Math.max(-lo, hi), Math.max(-lo, hi)];
  if (signed) [lo, hi] = [Math.min(lo, 0), Math.max(hi, 0)];
  if (!(hi > lo)) [lo, hi] = [lo - 1e-6, hi + 1e-6];
  return { scheme, reverse, domain: [lo, hi], mid: signed ? 0 : null, note };
}

function extent(values) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return Number.isFinite(lo) ? [lo, hi] : [0, 1];
}

function quantile(values, q) {
  if (!values.length) return 0;
  const sorted = Float64Array.from(values).sort();
  const at = Math.min(sorted.length - 1, Math.max(0, q * (sorted.length - 1)));
  const i = Math.floor(at);
  const frac = at - i;
  return i + 1 < sorted.length ? sorted[i] * (1 - frac) + sorted[i + 1] * frac : sorted[i];
}

function fmtPct(p) {
  return `${Math.round(p * 10) / 10}%`;
}
