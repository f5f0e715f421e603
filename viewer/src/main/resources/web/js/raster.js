// The cells of a heatmap as pixels on a canvas over its plot area, in the colours of Vega's own
// colour scale: tens of thousands of cells painted in milliseconds, where one Vega mark per cell
// takes seconds. Also finds the cell under a position and formats its tooltip.

/**
 * The cells of one view as pixels: each cell's colour from the colour scale (transparent without
 * a value), its position edges in typed arrays, and a canvas over the plot area that paints them
 * at any position domain. Bins form a grid (uniform but for the last row and column), so the cell
 * under a position is found by division.
 */
export class CellRaster {
  constructor(layer, cells, encoding, scale) {
    this.cells = cells;
    this.field = (encoding.color && encoding.color.field) || 'value';
    this.fields = encoding.tooltip || [];
    const n = cells.length;
    this.x0 = new Float64Array(n);
    this.x1 = new Float64Array(n);
    this.y0 = new Float64Array(n);
    this.y1 = new Float64Array(n);
    this.rgba = new Uint32Array(n);
    const parsed = new Map();
    for (let k = 0; k < n; k++) {
      const c = cells[k];
      this.x0[k] = c.x0; this.x1[k] = c.x1; this.y0[k] = c.y0; this.y1[k] = c.y1;
      const v = c[this.field];
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      const css = scale(v);
      let rgba = parsed.get(css);
      if (rgba === undefined) {
        rgba = packColour(css);
        parsed.set(css, rgba);
      }
      this.rgba[k] = rgba;
    }
    this.grid = gridOf(cells);
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'heatmap-cells';
    layer.appendChild(this.canvas);
  }

  onHover(listener) {
    this.canvas.addEventListener('pointermove', listener);
    this.canvas.addEventListener('pointerleave', listener);
  }

  /** Whether a cell has a colour (a value). */
  coloured(cell) {
    const v = cell[this.field];
    return v !== null && v !== undefined && Number.isFinite(v);
  }

  /** The index of the cell holding (row, col), or -1 when the cells are not a grid. */
  indexAt(row, col) {
    const g = this.grid;
    if (!g) return -1;
    const r = Math.floor((row - g.y0) / g.dy);
    const c = Math.floor((col - g.x0) / g.dx);
    if (r < 0 || r >= g.rows || c < 0 || c >= g.cols) return -1;
    const k = r * g.cols + c;
    return row < this.y1[k] && col < this.x1[k] && row >= this.y0[k] && col >= this.x0[k] ? k : -1;
  }

  /** Paints every cell at the domains over the plot (client pixels, relative to the layer). */
  paint(plot, origin, dom) {
    const c = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(plot.width * ratio));
    const h = Math.max(1, Math.round(plot.height * ratio));
    if (c.width !== w || c.height !== h) Object.assign(c, { width: w, height: h });
    Object.assign(c.style, {
      left: `${plot.left - origin.left}px`, top: `${plot.top - origin.top}px`,
      width: `${plot.width}px`, height: `${plot.height}px`,
    });
    const ctx = c.getContext('2d');
    const image = ctx.createImageData(w, h);
    const px = new Uint32Array(image.data.buffer);
    px.fill(BACKGROUND);
    const sx = w / (dom.x[1] - dom.x[0]);
    const sy = h / (dom.y[1] - dom.y[0]);
    for (let k = 0; k < this.rgba.length; k++) {
      const colour = this.rgba[k];
      if (colour === 0) continue;
      const [a, b] = span(this.x0[k], this.x1[k], dom.x[0], sx, w);
      const [top, bottom] = span(this.y0[k], this.y1[k], dom.y[0], sy, h);
      for (let y = top; y < bottom; y++) px.fill(colour, y * w + a, y * w + b);
    }
    ctx.putImageData(image, 0, 0);
  }

  /** The tooltip fields of a cell, titled and formatted as the spec's tooltip encoding says. */
  tooltip(cell) {
    const out = {};
    for (const f of this.fields) {
      const v = ['rowPositions', 'rowRange'].includes(f.field) ? positions(cell.y0, cell.y1)
        : ['colPositions', 'colRange'].includes(f.field) ? positions(cell.x0, cell.x1) : cell[f.field];
      if (v === undefined || v === null) continue;
      out[f.title || f.field] = typeof v === 'number' ? formatNumber(v, f.format) : v;
    }
    return out;
  }
}

/** Little-endian RGBA of the chart's white background, which a cell without a value shows. */
const BACKGROUND = 0xffffffff;

/** Pixel columns (or rows) [a, b) of the positions [p0, p1) at scale s from d0, at least one. */
function span(p0, p1, d0, s, size) {
  let a = Math.round((p0 - d0) * s);
  let b = Math.round((p1 - d0) * s);
  if (b === a) b = a + 1;
  return [Math.max(0, Math.min(size, a)), Math.max(0, Math.min(size, b))];
}

/** The grid the cells form (row-major bins of equal span but the last), or null. */
function gridOf(cells) {
  if (!cells.length) return null;
  const first = cells[0];
  const dx = first.x1 - first.x0;
  const dy = first.y1 - first.y0;
  let cols = 1;
  while (cols < cells.length && cells[cols].y0 === first.y0) cols++;
  const rows = cells.length / cols;
  if (!Number.isInteger(rows) || dx <= 0 || dy <= 0) return null;
  return { x0: first.x0, y0: first.y0, dx, dy, cols, rows };
}

/** A CSS colour as little-endian RGBA (opaque), as ImageData holds it. */
function packColour(css) {
  let r; let g; let b;
  if (css.startsWith('#') && css.length === 7) {
    r = parseInt(css.slice(1, 3), 16); g = parseInt(css.slice(3, 5), 16); b = parseInt(css.slice(5, 7), 16);
  } else {
    const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/.exec(css);
    if (!m) return 0;
    [r, g, b] = [m[1], m[2], m[3]].map((x) => Math.round(Number(x)));
  }
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

function positions(a, b) {
  return b - a > 1 ? `${a}–${b - 1}` : String(a);
}

function formatNumber(v, format) {
  if (format === ',') return v.toLocaleString('en-US');
  const fixed = /^\.(\d+)f$/.exec(format || '');
  return fixed ? v.toFixed(Number(fixed[1])) : String(v);
}

