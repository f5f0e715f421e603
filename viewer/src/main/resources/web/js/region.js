// The region panel: what a Shift-drag selects. It names the region, offers its cells as CSV
// (download or copy to the clipboard) and lists the most similar token pairs inside it, ranked
// exactly by the server (/pairs; a region over the server's cap gets its message instead). A click
// on a pair selects it. Test hooks on body: data-region ("x0,x1,y0,y1" in positions while shown),
// data-region-cells (cells in its CSV) and data-region-pairs (pairs listed, once loaded).

import { isAbort } from './api.js';
import { clusterView } from './clusters.js';
import { CLUSTER_COLUMNS, cellsToCsv, download } from './export.js';

const fmt = new Intl.NumberFormat('en-US');

export class RegionPanel {
  /** els: section, summary, pairs, title; cb: zoom(), clear(), pick(row, col). */
  constructor(els, cb) {
    Object.assign(this, els);
    this.cb = cb;
    this.request = null;
    this.csv = '';
    this.fileName = 'region.csv';
    this.section.querySelector('[data-action=zoom]').addEventListener('click', () => cb.zoom());
    this.section.querySelector('[data-action=clear]').addEventListener('click', () => cb.clear());
    this.section.querySelector('[data-action=csv]').addEventListener('click', () => download(this.fileName, this.csv, 'text/csv'));
    this.section.querySelector('[data-action=copy]').addEventListener('click', (e) => this.copy(e.target));
  }

  /**
   * Shows a region {x0, x1, y0, y1} (positions, half-open). source: {cells(signal) → cells for the
   * CSV, columns (CSV columns or undefined), pairs(signal) → a /pairs answer, fileName, metric}.
   */
  async show(region, source) {
    if (this.request) this.request.abort();
    const controller = new AbortController();
    this.request = controller;
    const body = document.body.dataset;
    body.region = `${region.x0},${region.x1},${region.y0},${region.y1}`;
    delete body.regionCells;
    delete body.regionPairs;
    this.section.hidden = false;
    const area = (region.x1 - region.x0) * (region.y1 - region.y0);
    this.summary.textContent = `Rows ${fmt.format(region.y0)}–${fmt.format(region.y1 - 1)} × columns `
      + `${fmt.format(region.x0)}–${fmt.format(region.x1 - 1)}: ${fmt.format(area)} pairs.`;
    this.fileName = source.fileName;
    this.pairs.replaceChildren(note('Ranking the pairs…'));
    const [cells, pairs] = await Promise.allSettled([source.cells(controller.signal), source.pairs(controller.signal)]);
    if (controller !== this.request) return;
    if (cells.status === 'fulfilled') {
      this.csv = cellsToCsv(cells.value, source.columns);
      body.regionCells = String(cells.value.length);
      this.summary.append(` CSV: ${fmt.format(cells.value.length)} cells.`);
    } else if (!isAbort(cells.reason)) {
      this.summary.append(` Cells unavailable: ${cells.reason.message}`);
    }
    if (pairs.status === 'fulfilled') {
      this.showPairs(pairs.value);
      body.regionPairs = String(pairs.value.pairs.length);
    } else if (!isAbort(pairs.reason)) {
      this.pairs.replaceChildren(note(pairs.reason.message));
      body.regionPairs = '0';
    }
  }

  showPairs(answer) {
    this.title.textContent = `Top pairs · ${answer.metric} (${answer.best})`;
    const items = answer.pairs.map((p, i) => {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.title = `Select (${p.row}, ${p.col})`;
      b.innerHTML = '<span class="rank"></span><span class="tok"></span><span class="score"></span>';
      b.querySelector('.rank').textContent = String(i + 1);
      b.querySelector('.tok').textContent = `${p.rowToken} × ${p.colToken}`;
      b.querySelector('.score').textContent = p.value.toFixed(3);
      b.addEventListener('click', () => this.cb.pick(p.row, p.col));
      li.append(b);
      return li;
    });
    const considered = note(`${fmt.format(answer.considered)} distinct pairs ranked.`);
    this.pairs.replaceChildren(...(items.length ? items : [note('No pair of distinct tokens here.')]), considered);
  }

  async copy(button) {
    try {
      await navigator.clipboard.writeText(this.csv);
      button.textContent = 'Copied';
    } catch (e) {
      button.textContent = 'Copy failed';
    }
    setTimeout(() => { button.textContent = 'Copy'; }, 1500);
  }

  hide() {
    if (this.request) this.request.abort();
    this.request = null;
    this.section.hidden = true;
    const body = document.body.dataset;
    delete body.region;
    delete body.regionCells;
    delete body.regionPairs;
  }
}

/**
 * The region of positions under a dragged rectangle d ({x: [a, b], y: [a, b]} in the view's units,
 * frame its extents): whole positions, or whole clusters when clustered (the cluster view's run).
 */
export function regionOf(d, frame, clustered) {
  const lo = (a) => Math.floor(a + 1e-9);
  const hi = (a, b) => Math.max(lo(a) + 1, Math.ceil(b - 1e-9));
  const [x0, x1] = [Math.min(lo(d.x[0]), frame.nx - 1), Math.min(frame.nx, hi(d.x[0], d.x[1]))];
  const [y0, y1] = [Math.min(lo(d.y[0]), frame.ny - 1), Math.min(frame.ny, hi(d.y[0], d.y[1]))];
  return clustered ? clustered.toPositions(x0, x1, y0, y1) : { x0, x1, y0, y1 };
}

/**
 * What the panel shows for the state's region: the cells of the view on screen inside it (the
 * token view's, pooled by the server at the page's resolution; or, with clustered, the cluster
 * view's) and its 20 best pairs.
 */
export function regionSource(api, state, manifest, clustered) {
  const { metric, agg, res, mask, run, region: r, drift } = state;
  const cut = clustered ? clustered.toClusters(r) : null;
  const query = { metric, agg, x0: r.x0, x1: r.x1, y0: r.y0, y1: r.y1, res, mask: manifest.symmetric ? mask : null };
  const view = drift ? (signal) => api.driftView(run, drift, query, signal) : (signal) => api.view(run, query, signal);
  return {
    cells: cut
      ? async (signal) => clusterView(await clustered.matrix(api, metric, signal), agg, [cut.x0, cut.x1], [cut.y0, cut.y1], res).cells
      : async (signal) => (await view(signal)).data.values,
    columns: cut ? CLUSTER_COLUMNS : undefined,
    pairs: drift
      ? () => Promise.reject(new Error('Pairs are ranked inside one run: leave the comparison to rank this region\'s pairs.'))
      : (signal) => api.pairs(run, { metric, x0: r.x0, x1: r.x1, y0: r.y0, y1: r.y1, limit: 20 }, signal),
    fileName: `simheat-${run}${drift ? `-minus-${drift}` : ''}-${metric}-${agg}-region-r${r.y0}-${r.y1}-c${r.x0}-${r.x1}${cut ? '-clusters' : ''}.csv`,
  };
}

function note(text) {
  const p = document.createElement('p');
  p.className = 'empty';
  p.textContent = text;
  return p;
}
