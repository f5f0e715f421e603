// Clusters of a run in cluster order. ClusterAxis holds one axis's tree (from /clusters): the leaf
// holding a position, the rules between clusters worth drawing at a zoom (the finest cut of the tree
// that stays legible), names for tooltips and a search over labels. clusterView pools the run's
// K × K matrix (/cluster-tiles) to the page's resolution over a window of clusters, exactly (means
// weighted by pairs), and clusterSpec makes those cells a spec the heatmap draws like any other.

export class ClusterAxis {
  /** nodes: the clusters of a /clusters answer (leaves 0..K−1 in display order, then the rest). */
  constructor(nodes) {
    this.nodes = nodes;
    this.leaves = nodes.filter((n) => n.leaf);
    this.starts = this.leaves.map((n) => n.start);
    this.maxDepth = Math.max(0, ...nodes.map((n) => n.depth));
  }

  /** An axis in input order shown beside clustered rows: one cluster over every position. */
  static whole(n, label) {
    return new ClusterAxis([{ cluster: 0, parent: -1, leaf: true, depth: 0, start: 0, end: n, size: n, label, labelTokens: [] }]);
  }

  get count() {
    return this.leaves.length;
  }

  /** The leaf holding a position. */
  leafAt(position) {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= position) lo = mid; else hi = mid - 1;
    }
    return this.leaves[lo];
  }

  /** A position as a fractional cluster coordinate (leaf index plus the fraction into it). */
  toCluster(position) {
    if (position >= this.leaves[this.leaves.length - 1].end) return this.leaves.length;
    const leaf = this.leafAt(position);
    return leaf.cluster + (position - leaf.start) / leaf.size;
  }

  /**
   * The cluster starts inside a position domain worth drawing as rules: the leaves' when at most
   * `max` fall inside, else those of the finest cut of the tree (nodes at one depth, and shallower
   * leaves) that fits, else none. Returns {positions, depth}.
   */
  rules(domain, max) {
    for (let depth = this.maxDepth; depth >= 0; depth--) {
      const starts = this.nodes
        .filter((n) => n.depth === depth || (n.leaf && n.depth < depth))
        .map((n) => n.start)
        .filter((p) => p > domain[0] && p < domain[1]);
      if (starts.length <= max) return { positions: starts.sort((a, b) => a - b), depth };
    }
    return { positions: [], depth: -1 };
  }

  /** The name of the clusters holding positions [a, b): one label, or the first and last. */
  describe(a, b) {
    const first = this.leafAt(a);
    const last = this.leafAt(b - 1);
    if (first === last) return `#${first.cluster} ${first.label}`;
    return `#${first.cluster} ${first.label} … #${last.cluster} (${last.cluster - first.cluster + 1} clusters)`;
  }

  /** Leaves whose label holds q (case-insensitive), in order. */
  search(q) {
    const needle = q.toLowerCase();
    return this.leaves.filter((n) => n.label.toLowerCase().includes(needle));
  }
}

/**
 * The cells of the cluster view: clusters [cx0, cx1) × [cy0, cy1) of the matrix pooled into bins of
 * f = ⌈clusters / res⌉ clusters per side, aligned to multiples of f. Cell coordinates are cluster
 * indices; each cell also carries the positions its clusters cover.
 */
export function clusterView(matrix, agg, cx, cy, res, axes) {
  const cols = binsOf(cx, res, matrix.cols);
  const rows = binsOf(cy, res, matrix.rows);
  const cells = [];
  for (const [r0, r1] of rows) {
    for (const [c0, c1] of cols) cells.push(pool(matrix, agg, r0, r1, c0, c1, axes));
  }
  return {
    cells,
    meta: { binRows: rows.length ? rows[0][1] - rows[0][0] : 1, binCols: cols.length ? cols[0][1] - cols[0][0] : 1, rows: rows.length, cols: cols.length },
    range: { x: [cols[0][0], cols[cols.length - 1][1]], y: [rows[0][0], rows[rows.length - 1][1]] },
  };
}

function binsOf([a, b], res, n) {
  const lo = Math.max(0, Math.floor(a + 1e-9));
  const hi = Math.min(n, Math.max(lo + 1, Math.ceil(b - 1e-9)));
  const f = Math.max(1, Math.ceil((hi - lo) / res));
  const out = [];
  for (let s = Math.floor(lo / f) * f; s < hi; s += f) out.push([s, Math.min(s + f, n)]);
  return out;
}

function pool(m, agg, r0, r1, c0, c1, axes) {
  let pairs = 0;
  let sum = 0;
  let max = -Infinity;
  let min = Infinity;
  for (let r = r0; r < r1; r++) {
    for (let c = c0; c < c1; c++) {
      const k = r * m.cols + c;
      pairs += m.pairs[k];
      if (m.mean) sum += m.mean[k] * m.pairs[k];
      if (m.max) max = Math.max(max, m.max[k]);
      if (m.min) min = Math.min(min, m.min[k]);
    }
  }
  const cell = {
    x0: c0, x1: c1, y0: r0, y1: r1, pairs,
    rowLabel: label(m.rowClusters, r0, r1), colLabel: label(m.colClusters, c0, c1),
    rowStart: m.rowClusters[r0].start, rowEnd: m.rowClusters[r1 - 1].end,
    colStart: m.colClusters[c0].start, colEnd: m.colClusters[c1 - 1].end,
    rowClusters: span(r0, r1), colClusters: span(c0, c1),
  };
  cell.rowTokens = `${cell.rowStart}–${cell.rowEnd - 1}`;
  cell.colTokens = `${cell.colStart}–${cell.colEnd - 1}`;
  if (m.mean) cell.mean = sum / pairs;
  if (m.max) cell.max = max;
  if (m.min) cell.min = min;
  cell.value = cell[agg] ?? null;
  return cell;
}

function label(clusters, a, b) {
  const first = clusters[a].label || `#${a}`;
  return b - a > 1 ? `${first} +${b - a - 1} more` : first;
}

function span(a, b) {
  return b - a > 1 ? `#${a}–#${b - 1}` : `#${a}`;
}

/** The cluster view's cells as a Vega-Lite spec for the heatmap. */
export function clusterSpec(view, meta) {
  const tooltip = [
    { field: 'rowLabel', title: 'row clusters' }, { field: 'rowClusters', title: 'row cluster ids' },
    { field: 'rowTokens', title: 'row positions' },
    { field: 'colLabel', title: 'column clusters' }, { field: 'colClusters', title: 'column cluster ids' },
    { field: 'colTokens', title: 'column positions' },
    { field: 'pairs', type: 'quantitative', title: 'pairs', format: ',' },
    ...['mean', 'max', 'min'].filter((a) => view.cells.length && a in view.cells[0])
      .map((a) => ({ field: a, type: 'quantitative', title: a, format: '.4f' })),
  ];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    usermeta: { ...meta, ...view.meta, x0: view.range.x[0], x1: view.range.x[1], y0: view.range.y[0], y1: view.range.y[1] },
    data: { name: 'cells', values: view.cells },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'x0', type: 'quantitative', title: 'column clusters' }, x2: { field: 'x1' },
      y: { field: 'y0', type: 'quantitative', title: 'row clusters' }, y2: { field: 'y1' },
      color: { field: 'value', type: 'quantitative' },
      tooltip,
    },
  };
}

/**
 * The clusters of the run on screen: both axes' trees (a symmetric run's columns are its rows; a
 * cross run's unclustered columns are one cluster), its cluster-pooled matrices by metric, and the
 * page's questions about them.
 */
export class ClusteredRun {
  constructor(run, rows, cols, symmetric) {
    Object.assign(this, { run, rows, cols, symmetric, matrices: new Map() });
  }

  /** The clusters of a run, or null when it is in input order. api: the page's API module. */
  static async load(api, manifest) {
    const order = manifest.order;
    if (!order || order.kind !== 'cluster') return null;
    const rows = new ClusterAxis((await api.clusters(manifest.runId, 'rows')).clusters);
    let cols = rows;
    if (!manifest.symmetric) {
      cols = order.colsClusters > 0
        ? new ClusterAxis((await api.clusters(manifest.runId, 'cols')).clusters)
        : ClusterAxis.whole(manifest.nCols, 'all columns');
    }
    return new ClusteredRun(manifest.runId, rows, cols, manifest.symmetric);
  }

  /** The cluster-pooled matrix of a metric, fetched once. */
  async matrix(api, metric, signal) {
    if (!this.matrices.has(metric)) this.matrices.set(metric, await api.clusterTiles(this.run, metric, signal));
    return this.matrices.get(metric);
  }

  /**
   * The cluster view's spec for a query {metric, agg, x0, x1, y0, y1, res} in cluster indices,
   * pooled here from the run's matrix; timing.arrived is set when the matrix is at hand.
   */
  async viewSpec(api, q, signal, timing) {
    const matrix = await this.matrix(api, q.metric, signal);
    timing.arrived = performance.now();
    const view = clusterView(matrix, q.agg, [q.x0, q.x1], [q.y0, q.y1], q.res);
    return clusterSpec(view, { run: this.run, metric: q.metric, agg: q.agg, level: 'clusters', span: view.meta.binCols });
  }

  /** Cluster boundaries inside the domains worth drawing: at least `gap` pixels apart on average. */
  rules(xdom, ydom, plot, gap = 8) {
    const x = this.cols.rules(xdom, Math.floor(plot.width / gap)).positions;
    const y = this.rows.rules(ydom, Math.floor(plot.height / gap)).positions;
    return { x: apart(x, xdom, plot.width, 3), y: apart(y, ydom, plot.height, 3) };
  }

  /** Tooltip lines naming the clusters a token cell lies in. */
  describe(cell) {
    return { 'row cluster': this.rows.describe(cell.y0, cell.y1), 'column cluster': this.cols.describe(cell.x0, cell.x1) };
  }

  /** A region in positions as cluster coordinates (exact for regions on cluster boundaries). */
  toClusters(r) {
    return { x0: this.cols.toCluster(r.x0), x1: this.cols.toCluster(r.x1), y0: this.rows.toCluster(r.y0), y1: this.rows.toCluster(r.y1) };
  }

  /** The positions covered by clusters [c0, c1) × [r0, r1). */
  toPositions(c0, c1, r0, r1) {
    return {
      x0: this.cols.leaves[c0].start, x1: this.cols.leaves[c1 - 1].end,
      y0: this.rows.leaves[r0].start, y1: this.rows.leaves[r1 - 1].end,
    };
  }

  /**
   * Clusters whose label holds q, then the clusters of tokens that match it (through the token
   * search of each clustered axis): [{token: label, position, note, axis, node}].
   */
  async search(api, q, limit, signal) {
    const axes = this.symmetric || this.cols.count === 1 ? [['rows', this.rows]] : [['rows', this.rows], ['cols', this.cols]];
    const hits = [];
    const seen = new Set();
    const add = (axis, node, via) => {
      const key = `${axis}:${node.cluster}`;
      if (seen.has(key) || hits.length >= limit) return;
      seen.add(key);
      const side = axes.length > 1 ? `${axis === 'rows' ? 'row' : 'column'} ` : '';
      hits.push({
        token: node.label, position: node.start, axis, node,
        note: `${side}#${node.cluster} · ${node.size} tokens${via ? ` · ${via}` : ''}`,
      });
    };
    for (const [axis, tree] of axes) tree.search(q).forEach((n) => add(axis, n, null));
    for (const [axis, tree] of axes) {
      const tokens = await api.tokens(this.run, q, limit, axis, signal);
      tokens.forEach((t) => add(axis, tree.leafAt(t.position), t.token));
    }
    return hits;
  }
}

/** Rules at least `px` pixels from the last one kept (small clusters between big ones crowd). */
function apart(positions, domain, pixels, px) {
  const scale = pixels / (domain[1] - domain[0]);
  const kept = [];
  let last = -Infinity;
  for (const p of positions) {
    const at = (p - domain[0]) * scale;
    if (at - last >= px) {
      kept.push(p);
      last = at;
    }
  }
  return kept;
}
