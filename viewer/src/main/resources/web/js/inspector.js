// The right-hand panel: the selected pair (its exact value loaded here) with the run's saliency
// documents that hold the row's token (a link to each, focused on its first occurrence), the row token's nearest
// neighbours (a click jumps to that cell; a cross run's row has its best columns) and the row profile, a small Vega-Lite line chart of the selected row across the
// visible columns, drawn from the same cells as the heatmap. In drift mode (state.drift) the pair
// shows its value in both runs and Δ, and the neighbours give way to the row's top changed pairs
// with the neighbours that entered or left its top list (see drift.js).

import { changesFailed, clearChanges, showChanges } from './drift.js';
import { embedSpec } from './embed.js';

const PROFILE_CONFIG = {
  font: 'Inter, "Segoe UI", system-ui, -apple-system, sans-serif',
  view: { stroke: null },
  axis: { labelColor: '#64748b', titleColor: '#334155', labelFontSize: 10, titleFontSize: 10, gridColor: '#eef2f7', domainColor: '#cbd5e1', tickColor: '#cbd5e1' },
};

export class Inspector {
  constructor(els, onJump) {
    Object.assign(this, els);
    this.onJump = onJump;
    this.profileResult = null;
    this.neighbourList = [];
    this.cross = false;
    this.request = null;
  }

  /**
   * Loads and shows a selection {row, col} (or clears it for null): the pair's exact value from a
   * 1 × 1 view and the row's neighbours; a newer call cancels an older one.
   */
  async load(api, state, manifest, sel) {
    if (this.request) this.request.abort();
    this.showSelection(sel, null, state);
    clearChanges(this.driftEls());
    if (!sel) {
      this.showNeighbours(null);
      return;
    }
    const controller = new AbortController();
    this.request = controller;
    if (state.drift) {
      await this.loadDrift(api, state, sel, controller);
      return;
    }
    const k = Math.min(20, (manifest.neighbors && manifest.neighbors.k) || 10);
    const pair = { metric: state.metric, agg: state.agg, x0: sel.col, x1: sel.col + 1, y0: sel.row, y1: sel.row + 1, res: 32 };
    const [one, near, texts] = await Promise.allSettled([
      api.view(state.run, pair, controller.signal),
      api.neighbors(state.run, state.metric, sel.row, k, controller.signal),
      api.saliencyOccurrences(state.run, sel.row, controller.signal),
    ]);
    if (controller !== this.request) return;
    const cell = one.status === 'fulfilled' ? one.value.data.values[0] : null;
    const missing = { rowToken: '—', colToken: '—', value: NaN };
    this.showSelection(sel, cell ? { rowToken: cell.rowLabel, colToken: cell.colLabel, value: cell.value } : missing, state);
    if (texts.status === 'fulfilled') this.showSaliency(texts.value);
    this.showNeighbours(near.status === 'fulfilled' ? near.value : null,
      near.status === 'rejected' && !api.isAbort(near.reason) ? near.reason.message : null);
  }

  /**
   * The drift selection: the pair in run A, in run B and as Δ (three exact 1 × 1 views), and the
   * row's changes between the runs.
   */
  async loadDrift(api, state, sel, controller) {
    const pair = { metric: state.metric, agg: 'mean', x0: sel.col, x1: sel.col + 1, y0: sel.row, y1: sel.row + 1, res: 32 };
    const k = 20;
    const [delta, inA, inB, changes] = await Promise.allSettled([
      api.driftView(state.run, state.drift, pair, controller.signal),
      api.view(state.run, pair, controller.signal),
      api.view(state.drift, pair, controller.signal),
      api.driftChanges(state.run, state.drift, state.metric, sel.row, k, 'rows', controller.signal),
    ]);
    if (controller !== this.request) return;
    const cellOf = (r) => (r.status === 'fulfilled' ? r.value.data.values[0] : null);
    const cell = cellOf(delta);
    const [a, b] = [cellOf(inA), cellOf(inB)];
    this.showSelection(sel, cell
      ? { rowToken: cell.rowLabel, colToken: cell.colLabel, value: cell.value, a: a ? a.value : NaN, b: b ? b.value : NaN }
      : { rowToken: '—', colToken: '—', value: NaN, a: NaN, b: NaN }, state);
    if (changes.status === 'fulfilled') {
      showChanges(this.driftEls(), changes.value, state.metric, this.onJump);
    } else {
      changesFailed(this.driftEls(), changes.reason);
    }
  }

  driftEls() {
    return { title: this.neighboursTitle, list: this.neighbours, moves: this.moves };
  }

  /**
   * Shows the selected pair. pair: {rowToken, colToken, value} from an exact 1 × 1 view (in drift
   * mode also a and b, the pair's value in each run, value being Δ), or null.
   */
  showSelection(sel, pair, meta) {
    this.pair = pair;
    this.profileHeading(sel);
    if (!sel || sel.row === null) {
      this.selection.innerHTML = '<p class="empty">Click a cell or search for a token.</p>';
      return;
    }
    const rows = [
      ['Row', pair ? pair.rowToken : '…', sel.row],
      ['Column', pair ? pair.colToken : '…', sel.col],
    ];
    const dl = document.createElement('dl');
    for (const [name, token, pos] of rows) {
      dl.append(term(name), desc(token, `#${pos}`));
    }
    const value = !pair ? '…' : Number.isFinite(pair.value) ? pair.value.toFixed(4) : '—';
    if (meta.drift) {
      const runValue = (v) => (!pair ? '…' : Number.isFinite(v) ? v.toFixed(4) : '—');
      dl.append(term(`${meta.metric} · A`), desc(runValue(pair && pair.a), 'this run'));
      dl.append(term(`${meta.metric} · B`), desc(runValue(pair && pair.b), 'baseline'));
      dl.append(term(`Δ ${meta.metric}`), desc(value, 'A − B'));
      dl.classList.add('drift-pair');
    } else {
      dl.append(term(meta.metric || 'value'), desc(value, 'this pair'));
    }
    this.selection.replaceChildren(dl);
  }

  /**
   * Under the selection, the run's saliency documents holding the row token, each a link to the
   * saliency page focused on its first occurrence; nothing when the run has no saliency documents.
   * found: {searched, found, documents: [{id, title, first, count}]}.
   */
  showSaliency(found) {
    if (!found.searched) return;
    const section = document.createElement('div');
    section.className = 'saliency-links';
    const title = document.createElement('h3');
    title.textContent = found.found ? `In ${found.found} of ${found.searched} saliency document(s)` : 'In no saliency document';
    const list = document.createElement('ul');
    for (const d of found.documents) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = `saliency.html?doc=${encodeURIComponent(d.id)}&focus=${d.first}`;
      a.textContent = d.title;
      a.title = `Open ${d.id} focused on position ${d.first}`;
      li.append(a, ` · ${d.count}×, first at ${d.first}`);
      list.append(li);
    }
    section.append(title, list);
    this.selection.append(section);
  }

  /** Lists neighbours: {position, token, metric, neighbors: [{position, token, score}]} or an error. */
  showNeighbours(result, error) {
    if (error) {
      this.neighbours.innerHTML = '';
      this.neighbours.append(note(`Neighbours unavailable: ${error}`));
      return;
    }
    if (!result) {
      this.neighboursTitle.textContent = 'Neighbours';
      this.neighbours.replaceChildren(note('Select a row to list its nearest tokens.'));
      return;
    }
    const lowerIsBetter = result.metric === 'l2';
    heading(this.neighboursTitle, this.cross ? 'Best columns for ' : 'Neighbours of ', result.token, ` · ${result.metric}`);
    const scores = result.neighbors.map((n) => n.score);
    const lo = Math.min(...scores, lowerIsBetter ? Infinity : 0);
    const hi = Math.max(...scores);
    const items = result.neighbors.map((n, i) => {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.title = `Jump to the cell (${result.token}, ${n.token})`;
      const strength = hi > lo ? (lowerIsBetter ? (hi - n.score) / (hi - lo) : (n.score - lo) / (hi - lo)) : 1;
      b.style.setProperty('--strength', Math.max(0.04, strength).toFixed(3));
      b.innerHTML = `<span class="rank">${i + 1}</span><span class="tok"></span><span class="pos">#${n.position}</span><span class="score">${n.score.toFixed(3)}</span>`;
      b.querySelector('.tok').textContent = n.token;
      b.addEventListener('click', () => this.onJump(result.position, n.position));
      li.append(b);
      return li;
    });
    this.neighbours.replaceChildren(...(items.length ? items : [note('No neighbours stored.')]));
  }

  /** Draws the selected row across the visible columns from the heatmap's cells. */
  async showProfile(cells, sel, xdom, meta, width) {
    if (this.profileResult) {
      this.profileResult.finalize();
      this.profileResult = null;
    }
    this.profileHeading(sel);
    if (!sel || sel.row === null) {
      this.profile.replaceChildren(note('Click a row to plot it across the visible columns.'));
      return;
    }
    const row = cells.filter((c) => c.y0 <= sel.row && sel.row < c.y1 && c.x1 > xdom[0] && c.x0 < xdom[1])
      .sort((a, b) => a.x0 - b.x0);
    if (!row.length) {
      this.profile.replaceChildren(note('The selected row is outside the view.'));
      return;
    }
    const values = row.map((c) => ({ x: (c.x0 + c.x1) / 2, value: c.value, label: c.colLabel, range: `${c.x0}–${c.x1 - 1}` }));
    const el = document.createElement('div');
    const pooled = row[0].y1 - row[0].y0 > 1 || row.some((c) => c.x1 - c.x0 > 1);
    this.profile.replaceChildren(el);
    if (pooled) {
      this.profile.append(note(`Pooled cells: rows ${row[0].y0}–${row[0].y1 - 1} (${row[0].rowLabel}) against each visible column bin.`));
    }
    this.profileResult = await embedSpec(el, profileSpec(values, sel, xdom, meta, width), { renderer: 'svg', actions: false });
  }

  profileHeading(sel) {
    if (!sel || sel.row === null) {
      heading(this.profileTitle, 'Row profile', null, '');
    } else {
      heading(this.profileTitle, 'Row profile · ', this.pair && this.pair.rowToken !== '—' ? this.pair.rowToken : `#${sel.row}`, '');
    }
  }
}

function profileSpec(values, sel, xdom, meta, width) {
  const x = { field: 'x', type: 'quantitative', scale: { domain: xdom, nice: false, zero: false }, axis: { title: 'Column position', tickCount: 5, format: 'd' } };
  const named = meta.drift ? `${meta.agg === 'maxabs' ? 'max |Δ|' : 'Δ'} ${meta.metric}` : `${meta.agg || ''} ${meta.metric || ''}`.trim();
  const y = { field: 'value', type: 'quantitative', scale: { zero: false }, axis: { title: named, tickCount: 4 } };
  const layers = [
    { mark: { type: 'line', color: '#2563eb', strokeWidth: 1.5, clip: true }, encoding: { x, y } },
    {
      mark: { type: 'point', filled: true, color: '#2563eb', size: values.length > 64 ? 6 : 22, clip: true },
      encoding: { x, y, tooltip: [{ field: 'label', title: 'columns' }, { field: 'range', title: 'positions' }, { field: 'value', type: 'quantitative', format: '.4f' }] },
    },
  ];
  if (sel.col !== null && sel.col >= xdom[0] && sel.col < xdom[1]) {
    layers.push({ data: { values: [{ x: sel.col + 0.5 }] }, mark: { type: 'rule', color: '#dc2626', strokeDash: [3, 3] }, encoding: { x: { field: 'x', type: 'quantitative' } } });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: Math.max(120, width - 70), height: 150, autosize: { type: 'pad' },
    data: { values }, layer: layers, config: PROFILE_CONFIG,
  };
}

function term(text) {
  const dt = document.createElement('dt');
  dt.textContent = text;
  return dt;
}

function desc(main, aside) {
  const dd = document.createElement('dd');
  const strong = document.createElement('span');
  strong.className = 'tok';
  strong.textContent = main;
  const small = document.createElement('span');
  small.className = 'pos';
  small.textContent = aside;
  dd.append(strong, small);
  return dd;
}

function note(text) {
  const p = document.createElement('p');
  p.className = 'empty';
  p.textContent = text;
  return p;
}

/** Sets a panel heading whose token part keeps its own case (headings are upper-cased). */
function heading(h2, before, token, after) {
  h2.replaceChildren(before);
  if (token !== null) {
    const t = document.createElement('span');
    t.className = 'tok-name';
    t.textContent = token;
    h2.append(t);
  }
  h2.append(after);
}
