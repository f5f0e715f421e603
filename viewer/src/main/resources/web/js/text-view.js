// One saliency document as flowing tokens, facet by facet, in chunks of CHUNK positions. A long
// text (LONG tokens or more) renders only the chunks near the viewport: each chunk is fetched when
// it comes within a screen of view and emptied (keeping its height) when it moves far away, so the
// page holds a bounded number of tokens. Colours come from the focused token's heat rows, one per
// facet, applied to the rendered tokens only.

export const CHUNK = 500;
export const LONG = 20000;
const KEEP_RENDERED = 16;
const KEEP_DATA = 24;

export class TextView {
  /**
   * @param root the element to fill
   * @param doc the document (id, facets, tokens, heat)
   * @param source {tokens(from, to), row(facet, position)}: promises of a window and a heat row
   * @param options {layout, width, rotate, showMeta, interactive}
   * @param events {onFocus(position), onPointer(facet, position, value)}
   */
  constructor(root, doc, source, options, events) {
    this.root = root;
    this.doc = doc;
    this.source = source;
    this.options = options;
    this.events = events;
    this.long = doc.tokens >= LONG;
    this.chunks = Math.ceil(doc.tokens / CHUNK);
    this.data = new Map(); // chunk -> promise of text[facet][i]
    this.rendered = new Map(); // "f:k" -> cell
    this.rows = []; // heat row per facet for the focus
    this.focusPos = null;
    this.scale = null;
    this.build();
  }

  /** Rebuilds the DOM for the current options (layout, width, titles). */
  build() {
    const { doc, options } = this;
    this.root.replaceChildren();
    this.root.className = `sal-text ${options.layout} ${options.rotate ? 'rotated' : ''}`
      + (options.interactive ? ' interactive' : '');
    this.rendered.clear();
    this.cells = doc.facets.map(() => []);
    this.metas = [];
    if (this.observer) this.observer.disconnect();
    this.observer = this.long
      ? new IntersectionObserver((entries) => this.onVisible(entries), { rootMargin: '1000px 0px' })
      : null;
    const width = `${options.width}px`;
    const sections = doc.facets.map((title, f) => this.section(title, f, width));
    if (options.layout === 'side') {
      const grid = document.createElement('div');
      grid.className = 'sal-grid';
      grid.style.gridTemplateColumns = doc.facets.map(() => width).join(' ');
      sections.forEach((s) => grid.append(s));
      this.root.append(grid);
    } else {
      sections.forEach((s) => this.root.append(s));
    }
    if (!this.long) {
      for (let k = 0; k < this.chunks; k++) doc.facets.forEach((_, f) => this.render(f, k));
    }
  }

  section(title, f, width) {
    const section = document.createElement('section');
    section.className = 'sal-section';
    section.dataset.facet = f;
    const head = document.createElement('div');
    head.className = 'sal-head';
    const h = document.createElement('h2');
    h.className = 'sal-title';
    h.textContent = title;
    const meta = document.createElement('div');
    meta.className = 'sal-meta';
    meta.hidden = !this.options.showMeta;
    this.metas[f] = meta;
    head.append(h, meta);
    const body = document.createElement('div');
    body.style.width = width;
    for (let k = 0; k < this.chunks; k++) {
      const cell = document.createElement('div');
      cell.className = 'sal-cell';
      cell.dataset.facet = f;
      cell.dataset.chunk = k;
      if (this.long) {
        cell.style.minHeight = '400px';
        this.observer.observe(cell);
      }
      this.cells[f].push(cell);
      body.append(cell);
    }
    if (this.options.rotate) {
      const wrap = document.createElement('div');
      wrap.append(meta, body);
      section.append(h, wrap);
    } else {
      section.append(head, body);
    }
    return section;
  }

  /** The tokens of chunk k of every facet (cached, a bounded number of chunks). */
  chunk(k) {
    let p = this.data.get(k);
    if (!p) {
      const from = k * CHUNK;
      p = this.source.tokens(from, Math.min(this.doc.tokens, from + CHUNK)).then((w) => w.text);
      this.data.set(k, p);
      p.catch(() => this.data.delete(k));
      if (this.data.size > KEEP_DATA) this.data.delete(this.data.keys().next().value);
    } else {
      this.data.delete(k);
      this.data.set(k, p);
    }
    return p;
  }

  /** The token at a position of a facet, once its chunk is loaded. */
  async token(f, position) {
    const text = await this.chunk(Math.floor(position / CHUNK));
    return text[f][position % CHUNK];
  }

  onVisible(entries) {
    for (const e of entries) {
      const f = Number(e.target.dataset.facet);
      const k = Number(e.target.dataset.chunk);
      if (e.isIntersecting) this.render(f, k);
    }
  }

  /** Fills cell (f, k) with its tokens and colours them; evicts far cells of a long text. */
  async render(f, k) {
    const key = `${f}:${k}`;
    if (this.rendered.has(key)) return;
    const cell = this.cells[f][k];
    this.rendered.set(key, cell);
    const text = await this.chunk(k);
    if (this.rendered.get(key) !== cell) return;
    const spans = text[f].map((t, i) => {
      const span = document.createElement('span');
      span.textContent = t.token;
      span.className = t.format ? 'sal-format' : 'sal-token';
      if (!t.format) span.dataset.pos = k * CHUNK + i;
      return span;
    });
    cell.replaceChildren(...spans);
    cell.style.minHeight = '';
    this.paintCell(f, cell);
    if (this.long && this.rendered.size > KEEP_RENDERED * this.doc.facets.length) this.evict(k);
  }

  evict(near) {
    for (const [key, cell] of this.rendered) {
      const k = Number(cell.dataset.chunk);
      if (Math.abs(k - near) > KEEP_RENDERED / 2) {
        cell.style.minHeight = `${cell.offsetHeight}px`;
        cell.replaceChildren();
        this.rendered.delete(key);
      }
    }
  }

  /** Sets the colour scale and repaints. */
  setScale(scale) {
    this.scale = scale;
    this.paint();
  }

  /**
   * Focuses a position: fetches every facet's heat row for it, then colours. Resolves once painted;
   * a newer focus wins over an older one still loading.
   */
  async focus(position) {
    if (position === null || position < 0 || position >= this.doc.tokens) return;
    this.focusPos = position;
    const ticket = (this.ticket = (this.ticket || 0) + 1);
    const rows = await Promise.all(this.doc.facets.map((_, f) => this.source.row(f, position)));
    if (ticket !== this.ticket) return;
    this.rows = rows;
    this.paint();
    await this.showMeta(position);
    this.events.onFocus(position);
  }

  async showMeta(position) {
    for (let f = 0; f < this.doc.facets.length; f++) {
      const t = await this.token(f, position);
      const boxes = (t.meta || []).map((m) => {
        const s = document.createElement('span');
        s.textContent = m;
        return s;
      });
      this.metas[f].replaceChildren(...boxes);
      this.metas[f].hidden = !this.options.showMeta;
    }
  }

  /** The heat of position j of facet f for the focus, or null. */
  value(f, j) {
    const row = this.rows[f];
    return row ? row[j] : null;
  }

  paint() {
    for (const cell of this.rendered.values()) this.paintCell(Number(cell.dataset.facet), cell);
  }

  paintCell(f, cell) {
    const row = this.rows[f];
    for (const span of cell.querySelectorAll('.sal-token')) {
      const j = Number(span.dataset.pos);
      span.classList.toggle('sal-focus', j === this.focusPos);
      if (row && this.scale && this.focusPos !== null) {
        span.style.backgroundColor = this.scale.colour(row[j]);
        span.title = `${row[j]}`;
      } else {
        span.style.backgroundColor = '';
        span.removeAttribute('title');
      }
    }
  }

  /** Scrolls a position of facet 0 into view, rendering its chunk first. */
  async reveal(position) {
    const k = Math.floor(position / CHUNK);
    const cell = this.cells[0][k];
    if (!cell) return;
    cell.scrollIntoView({ block: 'start' });
    await Promise.all(this.doc.facets.map((_, f) => this.render(f, k)));
    const span = cell.querySelector(`[data-pos="${position}"]`);
    if (span) span.scrollIntoView({ block: 'nearest' });
  }

  /** The next focusable position after (step 1) or before (step -1) a position, by facet 0. */
  async step(position, step) {
    for (let j = position + step; j >= 0 && j < this.doc.tokens; j += step) {
      const t = await this.token(0, j);
      if (!t.format) return j;
    }
    return position;
  }
}
