// A transparent SVG over the plot area that draws what the heatmap spec does not own: cluster
// boundaries as thin rules, the selected region, the selection crosshair and the rectangle being
// dragged. It never takes pointer events.

const NS = 'http://www.w3.org/2000/svg';

export class Overlay {
  constructor(host) {
    this.svg = document.createElementNS(NS, 'svg');
    this.svg.setAttribute('class', 'overlay');
    this.svg.setAttribute('aria-hidden', 'true');
    host.appendChild(this.svg);
    this.host = host;
  }

  /**
   * Redraws. plot: the plot area in client pixels; dom: {x, y} position domains; sel: {row, col} or
   * null; box: {from, to} in client pixels or null; extras: {rules: {x: [...], y: [...]} positions
   * of cluster boundaries, region: {x0, x1, y0, y1} in the domains' units}, either may be absent.
   * Returns whether the crosshair is drawn.
   */
  draw(plot, dom, sel, box, extras = {}) {
    this.svg.replaceChildren();
    if (!plot || !dom) return false;
    const origin = this.host.getBoundingClientRect();
    const left = plot.left - origin.left;
    const top = plot.top - origin.top;
    const px = (x) => left + ((x - dom.x[0]) / (dom.x[1] - dom.x[0])) * plot.width;
    const py = (y) => top + ((y - dom.y[0]) / (dom.y[1] - dom.y[0])) * plot.height;
    const clip = { left, top, right: left + plot.width, bottom: top + plot.height };
    let drawn = false;
    if (extras.rules) this.rules(px, py, extras.rules, clip);
    if (extras.region) this.region(px, py, extras.region, clip);
    if (sel && sel.row !== null && sel.col !== null) {
      drawn = this.crosshair(px, py, sel, clip);
    }
    if (box) {
      const x = Math.min(box.from.x, box.to.x) - origin.left;
      const y = Math.min(box.from.y, box.to.y) - origin.top;
      this.add('rect', { x, y, width: Math.abs(box.to.x - box.from.x), height: Math.abs(box.to.y - box.from.y), class: 'box' });
    }
    return drawn;
  }

  /** Thin rules at cluster boundaries: vertical at column positions, horizontal at row ones. */
  rules(px, py, rules, clip) {
    for (const p of rules.x) {
      const x = px(p);
      this.add('line', { x1: x, x2: x, y1: clip.top, y2: clip.bottom, class: 'cluster-rule' });
    }
    for (const p of rules.y) {
      const y = py(p);
      this.add('line', { x1: clip.left, x2: clip.right, y1: y, y2: y, class: 'cluster-rule' });
    }
  }

  /** The selected region, clipped to the plot. */
  region(px, py, r, clip) {
    const x0 = Math.max(clip.left, px(r.x0));
    const x1 = Math.min(clip.right, px(r.x1));
    const y0 = Math.max(clip.top, py(r.y0));
    const y1 = Math.min(clip.bottom, py(r.y1));
    if (x1 > x0 && y1 > y0) this.add('rect', { x: x0, y: y0, width: x1 - x0, height: y1 - y0, class: 'region' });
  }

  crosshair(px, py, sel, clip) {
    const x = px(sel.col + 0.5);
    const y = py(sel.row + 0.5);
    const insideX = x >= clip.left && x <= clip.right;
    const insideY = y >= clip.top && y <= clip.bottom;
    for (const cls of ['halo', 'line']) {
      if (insideX) this.add('line', { x1: x, x2: x, y1: clip.top, y2: clip.bottom, class: `cross-${cls}` });
      if (insideY) this.add('line', { x1: clip.left, x2: clip.right, y1: y, y2: y, class: `cross-${cls}` });
    }
    if (insideX && insideY) {
      const w = Math.max(px(sel.col + 1) - px(sel.col), 6);
      const h = Math.max(py(sel.row + 1) - py(sel.row), 6);
      this.add('rect', { x: x - w / 2, y: y - h / 2, width: w, height: h, class: 'cross-cell' });
    }
    return insideX || insideY;
  }

  add(tag, attrs) {
    const el = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    this.svg.appendChild(el);
  }
}
