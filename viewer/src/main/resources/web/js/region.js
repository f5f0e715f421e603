// The region panel: what a Shift-drag selects. It names the region, offers its cells as CSV
// (download or copy to the clipboard) and lists the most similar token pairs inside it, ranked
// exactly by the server (/pairs; a region over the server's cap gets its message instead). A click
// on a pair selects it. Test hooks on body: data-region ("x0,x1,y0,y1" in positions while shown),
// data-region-cells (cells in its CSV) and data-region-pairs (pairs listed, once loaded).

import { isAbort } from './api.js';
import { cellsToCsv, download } from './export.js';

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

function note(text) {
  const p = document.createElement('p');
  p.className = 'empty';
  p.textContent = text;
  return p;
}
