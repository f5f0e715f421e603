// The settings panel, the run picker (each run with its time, input, shape, metrics and order, and a
// one-click switch to the same input in its other order), the bar above the chart (the token/cluster
// view switch) and the help overlay: fills them from the state and the run's manifest, and reports
// the analyst's changes as state patches. In drift mode (state.drift, the baseline run) the metrics
// are those both runs share and the pooling is mean Δ or max |Δ|, the latter only at live levels.

import { RES_CHOICES } from './state.js';
import { DIVERGING, SEQUENTIAL, defaultScheme } from './colour.js';
import { orderLabel, runParts, runTags, runTitle, shortTime } from './run-list.js';
import { Picker } from './picker.js';

const $ = (id) => document.getElementById(id);
const fmt = new Intl.NumberFormat('en-US');

export class Controls {
  /**
   * cb: runChanged(run), orderSwitched(run), modeChanged(view), viewChanged(patch),
   * colourChanged(patch), zoom(f), reset(), csv().
   */
  constructor(cb) {
    this.state = null;
    this.runPicker = new Picker($('run-picker'), (run) => cb.runChanged(run));
    $('order-switch').addEventListener('click', (e) => cb.orderSwitched(e.currentTarget.dataset.run));
    $('view-tokens').addEventListener('click', () => cb.modeChanged('tokens'));
    $('view-clusters').addEventListener('click', () => cb.modeChanged('clusters'));
    $('metric').addEventListener('change', (e) => cb.viewChanged({ metric: e.target.value }));
    $('agg').addEventListener('change', (e) => cb.viewChanged({ agg: e.target.value }));
    $('res').addEventListener('input', (e) => { $('res-out').value = RES_CHOICES[e.target.value]; });
    $('res').addEventListener('change', (e) => cb.viewChanged({ res: RES_CHOICES[e.target.value] }));
    $('mask').addEventListener('change', (e) => cb.viewChanged({ mask: e.target.checked }));
    $('scheme').addEventListener('change', (e) => {
      cb.colourChanged({ scheme: e.target.value === defaultScheme(this.state) ? '' : e.target.value });
    });
    $('reverse').addEventListener('change', (e) => cb.colourChanged({ reverse: e.target.checked }));
    $('domain').addEventListener('change', (e) => {
      const patch = { domain: e.target.value };
      if (patch.domain === 'manual' && this.colour) {
        [patch.dmin, patch.dmax] = this.colour.domain.map((v) => Number(v.toPrecision(4)));
      }
      cb.colourChanged(patch);
      this.showDomainFields(patch);
    });
    const manual = () => cb.colourChanged({ dmin: num($('dmin').value), dmax: num($('dmax').value) });
    $('dmin').addEventListener('change', manual);
    $('dmax').addEventListener('change', manual);
    let pctTimer = null;
    $('pct').addEventListener('input', (e) => {
      $('pct-out').value = `${e.target.value}%`;
      clearTimeout(pctTimer);
      pctTimer = setTimeout(() => cb.colourChanged({ pct: Number(e.target.value) }), 60);
    });
    $('zoom-in').addEventListener('click', () => cb.zoom(1 / 1.5));
    $('zoom-out').addEventListener('click', () => cb.zoom(1.5));
    $('reset').addEventListener('click', () => cb.reset());
    $('csv').addEventListener('click', () => cb.csv());
    $('help-open').addEventListener('click', () => this.openHelp());
    $('help-close').addEventListener('click', () => this.closeHelp());
    $('help').addEventListener('click', (e) => { if (e.target.id === 'help') this.closeHelp(); });
  }

  /**
   * Fills every control from the state and the run's manifest; drift: the answer of
   * /api/drift/{run}/{baseline} in drift mode, else null.
   */
  show(state, manifest, runs, drift) {
    this.state = state;
    this.showRuns(runs, manifest.runId, null);
    this.showOrderSwitch(manifest, runs);
    this.showAxes(manifest);
    this.showMode(state.view, !drift && Boolean(manifest.order && manifest.order.kind === 'cluster'));
    options($('metric'), (drift ? drift.metrics : manifest.metrics).map((m) => [m, m]), state.metric);
    const pooling = drift ? [['mean', 'mean Δ'], ['maxabs', 'max |Δ|']] : manifest.aggregations.map((a) => [a, a]);
    options($('agg'), pooling, state.agg);
    this.showDriftPooling(drift ? {} : null);
    $('res').value = Math.max(0, RES_CHOICES.indexOf(state.res));
    $('res-out').value = state.res;
    $('mask').checked = state.mask;
    this.showScheme(state);
    $('reverse').checked = state.reverse;
    $('domain').value = state.domain;
    $('dmin').value = state.dmin ?? '';
    $('dmax').value = state.dmax ?? '';
    $('pct').value = state.pct;
    $('pct-out').value = `${state.pct}%`;
    this.showDomainFields(state);
    this.showFacts(manifest);
  }

  /**
   * The run picker: every committed run described on one line (its input's full URI in the line's
   * title), the viewed one selected; a viewed run that was deleted stays, disabled, as "deleted".
   */
  showRuns(runs, viewed, gone) {
    const items = runs.map((r) => ({
      value: r.runId,
      parts: runParts(r),
      tags: runTags(r),
      label: `${r.runId} · ${shortTime(r.createdAt)}${r.latest ? ' · latest' : ''}`,
      title: runTitle(r),
      className: r.latest ? 'is-latest' : '',
    }));
    if (gone && !runs.some((r) => r.runId === gone)) {
      items.unshift({ value: gone, parts: [gone, 'deleted'], label: `${gone} · deleted`, disabled: true, className: 'is-gone' });
    }
    this.runPicker.setItems(items, viewed);
  }

  /**
   * Drift pooling after a render (meta: the view's usermeta) or before one ({}): max |Δ| is offered
   * only where every pair is computed (a live level), with a hint otherwise. null: not in drift mode.
   */
  showDriftPooling(meta, note) {
    const hint = $('agg-hint');
    const maxAbs = $('agg').querySelector('option[value="maxabs"]');
    if (meta === null || !maxAbs) {
      hint.hidden = true;
      return;
    }
    const available = meta.maxAbsAvailable === true;
    maxAbs.disabled = !available && this.state.agg !== 'maxabs';
    maxAbs.title = available ? 'The largest |Δ| over each cell\'s pairs' : 'Zoom in to a live level';
    hint.hidden = available && !note;
    hint.textContent = note || (available ? '' : 'max |Δ|: zoom in to a live level (stored levels keep means only).');
  }
  /**
   * The switch to the newest other run over the same input (same sources and shape) in another
   * order, when there is one.
   */
  showOrderSwitch(manifest, runs) {
    const current = runs.find((r) => r.runId === manifest.runId);
    const twin = current && runs.find((r) => r.runId !== current.runId && r.source === current.source
      && r.colsSource === current.colsSource && r.n === current.n && r.nCols === current.nCols
      && (r.order !== current.order || r.clusters !== current.clusters));
    const button = $('order-switch');
    button.hidden = !twin;
    if (twin) {
      button.dataset.run = twin.runId;
      button.textContent = `Show in ${orderLabel(twin)}`;
      button.title = `The same input in ${orderLabel(twin)}: run ${twin.runId}`;
    }
  }

  /** Search boxes per axis, named after each axis's source in a cross run; the cluster search. */
  showAxes(m) {
    const name = (source) => (source && source.uri ? ` (${source.uri.split(/[\\/]/).pop()})` : '');
    $('search-rows').placeholder = m.symmetric ? 'Find a row token…' : `Find a row token${name(m.source)}…`;
    $('search-cols').placeholder = m.symmetric ? 'Find a column token…' : `Find a column token${name(m.colsSource)}…`;
    $('search-rows').setAttribute('aria-label', m.symmetric ? 'Search row tokens' : 'Search the row vocabulary');
    $('search-cols').setAttribute('aria-label', m.symmetric ? 'Search column tokens' : 'Search the column vocabulary');
    $('cluster-search').hidden = !(m.order && m.order.kind === 'cluster');
  }

  /** The token/cluster switch, for runs in cluster order. */
  showMode(view, clustered) {
    $('view-switch').hidden = !clustered;
    $('view-tokens').setAttribute('aria-pressed', String(view !== 'clusters'));
    $('view-clusters').setAttribute('aria-pressed', String(view === 'clusters'));
  }

  showScheme(state) {
    const select = $('scheme');
    const current = state.scheme || defaultScheme(state);
    select.replaceChildren(group('Diverging', DIVERGING), group('Sequential', SEQUENTIAL));
    select.value = current;
  }

  showDomainFields(s) {
    $('manual-fields').hidden = s.domain !== 'manual';
    $('pct-field').hidden = s.domain !== 'pct';
    if (s.domain === 'manual' && s.dmin !== undefined) {
      $('dmin').value = s.dmin ?? '';
      $('dmax').value = s.dmax ?? '';
    }
  }

  /**
   * After a render: the colour note, and the self-pairs toggle where the run has a diagonal (the
   * server then reports usermeta.mask), with a note when the max and min of diagonal cells could
   * not be recomputed without them.
   */
  showColour(colour, meta) {
    this.colour = colour;
    this.showScheme(this.state);
    $('domain-note').textContent = `${colour.note} ${fmtValue(colour.domain[0])} to ${fmtValue(colour.domain[1])}.`;
    $('mask-field').hidden = !('mask' in meta) || this.state.view === 'clusters';
    const pooled = meta.mask === true && meta.maskExact === false;
    $('mask-note').hidden = !pooled;
    $('mask-note').textContent = pooled
      ? 'Cells on the diagonal are too large to recompute here: their max and min still include self-pairs; means exclude them.'
      : '';
  }

  /** The bar's chips in the cluster view: the window of clusters and the clusters per cell. */
  showClusterReadout(meta, count) {
    const pooled = chip('Pooling', meta.binRows === 1 && meta.binCols === 1 ? '1:1' : `${meta.binRows}×${meta.binCols}`);
    pooled.title = 'Clusters per cell, rows × columns';
    $('readout').replaceChildren(
      chip('Row clusters', `${meta.y0}–${meta.y1 - 1}`),
      chip('Col clusters', `${meta.x0}–${meta.x1 - 1}`),
      pooled, chip('Cells', fmt.format(count)));
  }

  showReadout(q, meta, count) {
    const span = meta.span ?? '?';
    const live = meta.drift ? (meta.live ? ' · live' : ' · stored') : '';
    const level = chip('Level', `${meta.level ?? '?'} · ${span === 1 ? '1:1' : `${span}×${span}`}${live}`);
    level.title = (span === 1 ? 'One token per cell' : `Each cell pools ${span} × ${span} tokens`)
      + (meta.drift ? (meta.live ? '; computed live from both runs\' embeddings' : '; from both runs\' stored means') : '');
    $('readout').replaceChildren(
      chip('Rows', `${fmt.format(q.y0)}–${fmt.format(q.y1 - 1)}`),
      chip('Cols', `${fmt.format(q.x0)}–${fmt.format(q.x1 - 1)}`),
      level, chip('Cells', fmt.format(count)));
  }

  showFacts(m) {
    const facts = [
      ['Input', inputFact(m)],
      ['Metrics', m.metrics.join(', ')],
      ['Matrix', `${fmt.format(m.n)} × ${fmt.format(m.nCols)}${m.symmetric ? ' (symmetric)' : ''}`],
      ['Dimension', fmt.format(m.dim)],
      ['Levels', `0–${m.maxZoom}, stored 0–${m.storedZoom}`],
      ['Order', orderFact(m)],
      ...(m.order && m.order.algorithm ? [['Clustering', `${m.order.algorithm}${m.order.seed != null ? `, seed ${m.order.seed}` : ''}`]] : []),
      ['Neighbours', m.neighbors ? `top ${m.neighbors.k}` : '—'],
      ['Created', m.createdAt ? m.createdAt.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC') : '—'],
    ];
    const uris = [m.source, m.colsSource].filter((s) => s && s.uri).map((s) => s.uri).join('\n');
    $('run-facts').replaceChildren(...facts.flatMap(([k, v]) => {
      const dd = el('dd', v);
      if (k === 'Input') dd.title = uris;
      return [el('dt', k), dd];
    }));
  }

  openHelp() {
    $('help').hidden = false;
    $('help-close').focus();
  }

  /** Closes the help; returns whether it was open. */
  closeHelp() {
    const open = !$('help').hidden;
    $('help').hidden = true;
    return open;
  }
}

/** The input's file name (rows × columns for a cross run); the full URIs are in its title. */
function inputFact(m) {
  const name = (s) => (s && s.uri ? s.uri.split(/[\\/]/).pop() : '—');
  return m.colsSource ? `${name(m.source)} × ${name(m.colsSource)}` : name(m.source);
}

function orderFact(m) {
  const o = m.order;
  if (o && o.from) return `of run ${o.from}${o.kind === 'cluster' ? ` (clusters, K = ${o.clusters})` : ''}`;
  if (!o || o.kind !== 'cluster') return 'input';
  return o.colsClusters ? `clusters, K = ${o.clusters} × ${o.colsClusters}` : `clusters, K = ${o.clusters}`;
}

function options(select, pairs, value) {
  select.replaceChildren(...pairs.map(([v, label]) => {
    const o = el('option', label);
    o.value = v;
    return o;
  }));
  select.value = value;
}

function group(label, names) {
  const g = document.createElement('optgroup');
  g.label = label;
  for (const n of names) {
    const o = el('option', n);
    o.value = n;
    g.append(o);
  }
  return g;
}

function chip(label, value) {
  const s = el('span', '');
  s.className = 'chip';
  s.append(el('b', label), ` ${value}`);
  return s;
}

function el(tag, text) {
  const e = document.createElement(tag);
  e.textContent = text;
  return e;
}

function num(text) {
  return text === '' || !Number.isFinite(Number(text)) ? null : Number(text);
}

function fmtValue(v) {
  return Math.abs(v) >= 100 || v === 0 ? String(Math.round(v * 100) / 100) : v.toPrecision(3);
}
