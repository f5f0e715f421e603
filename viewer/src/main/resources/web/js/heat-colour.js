// Heat colours: a diverging scale (blue, white, red) when the document's heat has negative values,
// a sequential one (white to red) otherwise, saturating at ±clip.

const WHITE = [255, 255, 255];
const RED = [217, 72, 15];
const BLUE = [28, 126, 214];

const mix = (to, t) => WHITE.map((w, k) => Math.round(w + (to[k] - w) * t));

/**
 * The scale of a document: range is its {min, max} heat (or null), clip the value that saturates
 * (default max(|min|, |max|)). colour(v) is a CSS rgb() string.
 */
export function heatScale(range, clip) {
  const min = range ? range.min : 0;
  const max = range ? range.max : 1;
  const diverging = min < 0;
  const auto = Math.max(Math.abs(min), Math.abs(max)) || 1;
  const c = clip > 0 ? clip : auto;
  const colour = (v) => {
    const t = Math.min(1, Math.abs(v) / c);
    const rgb = diverging && v < 0 ? mix(BLUE, t) : mix(RED, v > 0 ? t : 0);
    return `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;
  };
  return { diverging, clip: c, auto, colour, low: diverging ? -c : 0, high: c };
}

/** Draws the legend of a scale into an element; value (or null) is marked on the bar. */
export function drawLegend(el, scale, value) {
  const stops = scale.diverging
    ? [scale.colour(-scale.clip), scale.colour(0), scale.colour(scale.clip)]
    : [scale.colour(0), scale.colour(scale.clip)];
  const fmt = (v) => Number(v.toPrecision(3)).toString();
  el.replaceChildren();
  const lo = document.createElement('span');
  lo.textContent = fmt(scale.low);
  const bar = document.createElement('span');
  bar.className = 'bar';
  bar.style.background = `linear-gradient(to right, ${stops.join(', ')})`;
  const hi = document.createElement('span');
  hi.textContent = fmt(scale.high);
  if (value !== null && value !== undefined) {
    const mark = document.createElement('span');
    mark.className = 'mark';
    const t = (Math.max(scale.low, Math.min(scale.high, value)) - scale.low) / (scale.high - scale.low);
    mark.style.left = `calc(${(t * 100).toFixed(2)}% - 1px)`;
    bar.append(mark);
  }
  el.append(lo, bar, hi);
}
