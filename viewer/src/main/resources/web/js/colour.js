// Colour: which schemes fit which metric, and the colour domain of a view. Signed metrics (cosine,
// dot) use diverging schemes centred at 0; distances (l2) use sequential ones.

export const DIVERGING = ['blueorange', 'redblue', 'purpleorange', 'redyellowblue', 'spectral', 'brownbluegreen'];
export const SEQUENTIAL = ['viridis', 'magma', 'inferno', 'plasma', 'cividis', 'blues', 'greys', 'yelloworangered'];

/** Whether a metric's values have a sign worth centring at 0. */
export const isSigned = (metric) => metric !== 'l2';

/** The scheme a metric starts with. */
export const defaultScheme = (metric) => (isSigned(metric) ? 'blueorange' : 'viridis');

/** Whether a diverging scheme reads high-is-warm without reversal (Vega's redblue runs red → blue). */
const REVERSED_BY_DEFAULT = new Set(['redblue', 'redyellowblue', 'spectral']);

/**
 * The colour scale for the current settings: {scheme, reverse, domain: [lo, hi], mid, note}.
 * `values` are the visible cells' values; `range` the run's global range of the metric.
 */
export function colourScale(state, values, range) {
  const scheme = state.scheme || defaultScheme(state.metric);
  const reverse = REVERSED_BY_DEFAULT.has(scheme) !== Boolean(state.reverse);
  const signed = isSigned(state.metric);
  let [lo, hi] = extent(values);
  let note = 'Colours span the values in view.';
  if (state.domain === 'global' && range) {
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
