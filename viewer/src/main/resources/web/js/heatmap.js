// The heatmap: embeds the server's Vega-Lite spec with the canvas renderer after patching it so
// that the position scales and axis ticks follow signals (zoom and pan move the picture at once,
// before the new cells arrive), axis labels are the cells' tokens, and colour follows the page's
// settings; the cells themselves are painted as pixels on a canvas over the plot (see
// CellRaster in raster.js), in the colours of Vega's scale. It also maps client pixels to matrix positions for
// the gestures, and shows a hovered cell in Vega's tooltip.

import { CellRaster } from './raster.js';
import { embedSpec } from './embed.js';

const AXIS = {
  labelColor: '#475569', titleColor: '#1e293b', labelFontSize: 10, titleFontSize: 11,
  titleFontWeight: 600, tickColor: '#cbd5e1', domainColor: '#94a3b8', grid: false, titlePadding: 10,
};

const CONFIG = {
  font: 'Inter, "Segoe UI", system-ui, -apple-system, sans-serif',
  background: '#ffffff',
  view: { stroke: '#94a3b8' },
  axis: AXIS,
  legend: { labelColor: '#475569', titleColor: '#1e293b', labelFontSize: 10, titleFontSize: 11, titleFontWeight: 600 },
};

export class Heatmap {
  constructor(host) {
    this.host = host;
    this.layer = null;
    this.result = null;
    this.generation = 0;
    this.cells = [];
    this.meta = {};
    this.bins = { x: [], y: [] };
    this.dom = null;
    this.raster = null;
    this.margins = { width: 280, height: 170 };
  }

  /**
   * The largest plot of an aspect ratio (width / height) that fits the host with the space the
   * last render took around its plot (axes, legend), at least 160 pixels a side.
   */
  fittingSize(ratio) {
    const w = Math.min(this.host.clientWidth - this.margins.width - 40, (this.host.clientHeight - this.margins.height - 40) * ratio);
    return { width: Math.max(160, Math.floor(w)), height: Math.max(160, Math.floor(w / ratio)) };
  }

  /** Records the space the last render took around a plot of `size`; returns whether it changed. */
  learnMargins(size) {
    const box = this.embedSize();
    if (!box) return false;
    const learned = { width: Math.ceil(box.width - size.width), height: Math.ceil(box.height - size.height) };
    const changed = Math.abs(learned.width - this.margins.width) > 4 || Math.abs(learned.height - this.margins.height) > 4;
    this.margins = learned;
    return changed;
  }

  /**
   * Embeds a spec. Resolves to true once it is on screen, or false if a newer render started
   * meanwhile (the stale one is discarded). Options: width, height, xdom, ydom, colour, colourTitle,
   * fileName, describe (cell → more tooltip fields, such as the clusters a cell lies in).
   *
   * Vega draws the axes, legend and frame from the spec without its cells; the cells are painted
   * onto a canvas over the plot area, one pixel rectangle each in the colours of Vega's own colour
   * scale: tens of thousands of cells in milliseconds, where one Vega mark per cell takes seconds.
   */
  async render(spec, o) {
    const generation = ++this.generation;
    const cells = (spec.data && spec.data.values) || [];
    const bins = { x: binsOf(cells, 'x0', 'x1', 'colLabel'), y: binsOf(cells, 'y0', 'y1', 'rowLabel') };
    const ticks = { x: ticksFor(bins.x, o.xdom, o.width / 20), y: ticksFor(bins.y, o.ydom, o.height / 15) };
    const layer = document.createElement('div');
    layer.className = 'heatmap-layer';
    const target = document.createElement('div');
    layer.appendChild(target);
    this.host.appendChild(layer);
    const shell = patch(spec, o, ticks);
    const result = await embedSpec(target, shell, {
      mode: 'vega-lite',
      renderer: 'canvas',
      actions: { export: true, source: false, compiled: false, editor: false },
      downloadFileName: o.fileName,
      tooltip: { theme: 'light' },
    }).catch((e) => { layer.remove(); throw e; });
    if (generation !== this.generation) {
      result.finalize();
      layer.remove();
      return false;
    }
    if (this.result) this.result.finalize();
    if (this.layer) this.layer.remove();
    Object.assign(this, { layer, result, cells, bins, meta: spec.usermeta || {}, dom: { x: o.xdom, y: o.ydom } });
    this.size = { width: o.width, height: o.height };
    this.describe = o.describe || null;
    this.raster = new CellRaster(layer, cells, shell.encoding, result.view.scale('color'));
    this.raster.onHover((event) => this.showTooltip(event));
    this.paint();
    // The card is centred in the layer: when either changes size (the page around the chart, the
    // axes or the legend), the plot moves, and the cells follow it.
    const follow = new ResizeObserver(() => { if (this.layer === layer) this.paint(); });
    follow.observe(layer);
    const card = layer.querySelector('.vega-embed');
    if (card) follow.observe(card);
    exportsWithCells(layer, this);
    return true;
  }

  /** The embedded Vega view, or null before the first render. */
  get view() {
    return this.result ? this.result.view : null;
  }

  /** Resizes the plot area in place (no new embedding), then repaints the cells. */
  async resize(width, height) {
    const view = this.view;
    if (!view) return;
    this.size = { width, height };
    await view.width(width).height(height).runAsync();
    this.setDomains(this.dom.x, this.dom.y);
  }

  /** Moves the picture to new position domains at once; the cells stay until the next render. */
  setDomains(xdom, ydom) {
    this.dom = { x: xdom, y: ydom };
    const view = this.view;
    if (!view) return;
    const xt = ticksFor(this.bins.x, xdom, this.size.width / 20);
    const yt = ticksFor(this.bins.y, ydom, this.size.height / 15);
    view.signal('xdom', xdom).signal('ydom', ydom)
      .signal('xticks', xt.values).signal('xlab', xt.labels)
      .signal('yticks', yt.values).signal('ylab', yt.labels)
      .runAsync()
      // New tick labels can change the axes' room, and so where the plot sits: paint again there.
      .then(() => { if (this.view === view) this.paint(); });
    this.paint();
  }

  /** Paints the cells at the current domains over the plot area. */
  paint() {
    const plot = this.plotRect();
    if (this.raster && plot) this.raster.paint(plot, this.layer.getBoundingClientRect(), this.dom);
  }

  /** The size of the embedded chart with its axes, legend and padding, or null. */
  embedSize() {
    const embed = this.layer && this.layer.querySelector('.vega-embed');
    if (!embed) return null;
    const box = embed.getBoundingClientRect();
    return { width: box.width, height: box.height };
  }

  /**
   * The plot area in client pixels, or null before the first render. Vega draws it at the view's
   * padding plus its origin (the room taken by axes and legends) from the canvas corner.
   */
  plotRect() {
    const canvas = this.layer && this.layer.querySelector('.vega-embed canvas');
    if (!canvas || !this.view) return null;
    const box = canvas.getBoundingClientRect();
    const [ox, oy] = this.view.origin();
    const pad = this.view.padding();
    return {
      left: box.left + ox + (pad.left || 0), top: box.top + oy + (pad.top || 0),
      width: this.view.width(), height: this.view.height(),
    };
  }

  /** The matrix position under a client point: {x, y, inside}. */
  toPosition(clientX, clientY) {
    const r = this.plotRect();
    if (!r || !this.dom) return { x: NaN, y: NaN, inside: false };
    const fx = (clientX - r.left) / r.width;
    const fy = (clientY - r.top) / r.height;
    return {
      x: this.dom.x[0] + fx * (this.dom.x[1] - this.dom.x[0]),
      y: this.dom.y[0] + fy * (this.dom.y[1] - this.dom.y[0]),
      inside: fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1,
    };
  }

  /** The cell holding the pair (row, col), if it is loaded. */
  cellAt(row, col) {
    const k = this.raster ? this.raster.indexAt(row, col) : -1;
    if (k >= 0) return this.cells[k];
    return this.cells.find((c) => c.y0 <= row && row < c.y1 && c.x0 <= col && col < c.x1) || null;
  }

  /** Shows the hovered cell's fields in Vega's tooltip, or hides it off the cells. */
  showTooltip(event) {
    const view = this.view;
    const handler = view && view.tooltip();
    if (!handler) return;
    const p = event.type === 'pointerleave' ? { inside: false } : this.toPosition(event.clientX, event.clientY);
    const cell = p.inside ? this.cellAt(Math.floor(p.y), Math.floor(p.x)) : null;
    const shown = cell && this.raster.coloured(cell)
      ? { ...this.raster.tooltip(cell), ...(this.describe ? this.describe(cell) : {}) } : null;
    handler(view, event, null, shown);
  }

  /** The chart as an image URL ('png' or 'svg') with its cells, for the export menu. */
  async imageURL(type) {
    const view = this.view;
    const [ox, oy] = view.origin();
    const pad = view.padding();
    const at = { x: ox + (pad.left || 0), y: oy + (pad.top || 0), width: view.width(), height: view.height() };
    if (type === 'png') {
      const canvas = await view.toCanvas(1);
      const ctx = canvas.getContext('2d');
      // Vega leaves its own translation on the context: draw in the canvas's pixels.
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(this.raster.canvas, at.x, at.y, at.width, at.height);
      return canvas.toDataURL('image/png');
    }
    const svg = new DOMParser().parseFromString(await view.toSVG(), 'image/svg+xml');
    const image = svg.createElementNS('http://www.w3.org/2000/svg', 'image');
    // A presentation attribute, not a style attribute: the page's policy refuses inline styles.
    for (const [k, v] of Object.entries({ ...at, preserveAspectRatio: 'none', 'image-rendering': 'pixelated' })) {
      image.setAttribute(k, String(v));
    }
    image.setAttribute('href', this.raster.canvas.toDataURL('image/png'));
    const root = svg.documentElement;
    const background = root.querySelector(':scope > rect');
    root.insertBefore(image, background ? background.nextSibling : root.firstChild);
    return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
  }
}

/** Makes the export menu's PNG and SVG links save the chart with its cells. */
function exportsWithCells(layer, heatmap) {
  for (const link of layer.querySelectorAll('.vega-actions a[download]')) {
    const type = link.download.endsWith('.svg') ? 'svg' : link.download.endsWith('.png') ? 'png' : null;
    if (!type) continue;
    const ours = link.cloneNode(true);
    ours.addEventListener('mousedown', async function save(e) {
      e.preventDefault();
      this.href = await heatmap.imageURL(type);
    });
    link.replaceWith(ours);
  }
}

/** The spec for Vega: the server's, without its cells, fitted to the page's size and settings. */
function patch(spec, o, ticks) {
  const { data, ...rest } = spec;
  const s = structuredClone(rest);
  s.data = { name: (data && data.name) || 'cells', values: [] };
  const enc = s.encoding || (s.encoding = {});
  s.width = o.width;
  s.height = o.height;
  s.autosize = { type: 'pad' };
  s.config = { ...(s.config || {}), ...CONFIG };
  s.params = [...(s.params || []),
    { name: 'xdom', value: o.xdom }, { name: 'ydom', value: o.ydom },
    { name: 'xticks', value: ticks.x.values }, { name: 'xlab', value: ticks.x.labels },
    { name: 'yticks', value: ticks.y.values }, { name: 'ylab', value: ticks.y.labels }];
  s.mark = { ...(typeof s.mark === 'string' ? { type: s.mark } : s.mark), type: 'rect', clip: true };
  enc.x = position(enc.x, 'x0', 'xdom', 'Columns', false, {
    values: { expr: 'xticks' }, labelExpr: "xlab[datum.value] || ''", labelAngle: -45, labelAlign: 'right',
    labelBaseline: 'top', labelLimit: 110, labelOverlap: false,
  });
  enc.y = position(enc.y, 'y0', 'ydom', 'Rows', true, {
    values: { expr: 'yticks' }, labelExpr: "ylab[datum.value] || ''", labelLimit: 120, labelOverlap: false,
  });
  enc.color = colour(enc.color, o);
  if (!enc.tooltip) {
    s.transform = [...(s.transform || []),
      { calculate: "datum.y0 + '–' + (datum.y1 - 1)", as: 'rowRange' },
      { calculate: "datum.x0 + '–' + (datum.x1 - 1)", as: 'colRange' }];
    enc.tooltip = [
      { field: 'rowLabel', title: 'rows' }, { field: 'rowRange', title: 'row positions' },
      { field: 'colLabel', title: 'columns' }, { field: 'colRange', title: 'column positions' },
      { field: 'pairs', type: 'quantitative', title: 'pairs' },
      ...['mean', 'max', 'min'].map((f) => ({ field: f, type: 'quantitative', format: '.4f' }))];
  }
  return s;
}

function position(channel, field, signal, title, reverse, axis) {
  const c = { ...(channel || { field, type: 'quantitative' }) };
  c.title = c.title ? capitalise(c.title) : title;
  c.scale = { domain: { expr: signal }, nice: false, zero: false, reverse };
  c.axis = { ...axis };
  return c;
}

function colour(channel, o) {
  const { scheme, reverse, domain, mid } = o.colour;
  const c = { ...(channel || { field: 'value', type: 'quantitative' }) };
  c.title = o.colourTitle;
  c.scale = { type: 'linear', scheme, reverse, domain, clamp: true, nice: false, zero: false };
  if (mid !== null && domain[0] < mid && mid < domain[1]) c.scale.domainMid = mid;
  c.legend = {
    orient: 'right', gradientLength: Math.max(120, Math.round(o.height * 0.55)), gradientThickness: 12,
    titleLimit: 200, format: '.3~g', tickCount: 6,
  };
  return c;
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The distinct bins along one axis, sorted: [{a, b, label}]. */
function binsOf(cells, lo, hi, label) {
  const seen = new Map();
  for (const c of cells) {
    if (!seen.has(c[lo])) seen.set(c[lo], { a: c[lo], b: c[hi], label: c[label] });
  }
  return [...seen.values()].sort((p, q) => p.a - q.a);
}

/**
 * Tick positions (bin centres inside the domain) and their labels: every bin when they fit, else
 * every step-th bin with the last one in place of the final step, so both edges stay labelled.
 */
function ticksFor(bins, dom, max) {
  const inside = bins.filter((b) => (b.a + b.b) / 2 >= dom[0] && (b.a + b.b) / 2 <= dom[1]);
  const step = Math.max(1, Math.ceil(inside.length / Math.max(2, Math.floor(max))));
  const picked = [];
  for (let i = 0; i < inside.length; i += step) picked.push(i);
  if (picked.length) picked[picked.length - 1] = inside.length - 1;
  const values = [];
  const labels = {};
  for (const i of picked) {
    const centre = (inside[i].a + inside[i].b) / 2;
    values.push(centre);
    labels[String(centre)] = inside[i].label;
  }
  return { values, labels };
}
