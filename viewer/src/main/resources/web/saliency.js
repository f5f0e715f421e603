// The saliency page: lists the documents and shows one as textualheatmap does. URL parameters:
// doc, focus, interactive (1/0), layout (side/stacked), width, rotate_titles, show_meta, clip.
// window.simheat.highlight(i) focuses position i from outside, also when not interactive.
// For a document inside a run, "Open in heatmap" (key h) shows the focused token's vocabulary
// position in the run's heatmap: the crosshair on its diagonal cell, zoomed to HEATMAP_WINDOW.

import * as api from './js/saliency-api.js';
import { heatScale, drawLegend } from './js/heat-colour.js';
import { TextView } from './js/text-view.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const flag = (name, fallback) => (params.has(name) ? !['0', 'false'].includes(params.get(name)) : fallback);

const options = {
  layout: params.get('layout') === 'stacked' ? 'stacked' : 'side',
  width: Math.max(120, Number(params.get('width')) || 600),
  rotate: flag('rotate_titles', false),
  showMeta: flag('show_meta', false),
  interactive: flag('interactive', true),
};
const HEATMAP_WINDOW = 48;
let clip = Number(params.get('clip')) || 0;
let view = null;
let locked = false;

window.addEventListener('error', (e) => { document.body.dataset.jsError = String(e.message); });
window.addEventListener('unhandledrejection', (e) => { document.body.dataset.jsError = String(e.reason); });

function fail(message) {
  $('message').textContent = message;
  $('message').hidden = false;
  document.body.dataset.state = 'error';
}

function setParam(name, value) {
  if (value === null || value === undefined || value === '') params.delete(name);
  else params.set(name, value);
  history.replaceState(null, '', `?${params}`);
}

function listDocuments(docs) {
  const select = $('doc');
  select.replaceChildren(new Option('— choose —', ''));
  docs.forEach((d) => select.append(new Option(`${d.title} (${d.id}, ${d.tokens} tokens)`, d.id)));
  const list = $('doc-list');
  list.replaceChildren(...docs.map((d) => {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = `?doc=${encodeURIComponent(d.id)}`;
    a.textContent = `${d.title}`;
    li.append(a, ` · ${d.facets.length} facet(s), ${d.tokens} tokens${d.run ? `, run ${d.run}` : ''}`);
    return li;
  }));
  if (!docs.length) list.replaceChildren(Object.assign(document.createElement('li'), {
    textContent: 'No saliency documents yet: bin/simheat saliency import --json … --out DIR',
  }));
}

function readout(f, position, value) {
  const v = value === null || value === undefined ? '—' : Number(value.toPrecision(4));
  const focus = view.focusPos === null ? 'none' : view.focusPos;
  $('readout').textContent = `focus ${focus}${locked ? ' (locked)' : ''} · ${view.doc.facets[f]} @ ${position}: ${v}`;
  drawLegend($('legend'), view.scale, value);
}

/** The main page's hash state with the crosshair on vocabulary position p of a run. */
function heatmapHref(run, p) {
  const lo = Math.max(0, p - HEATMAP_WINDOW / 2);
  const range = `${lo},${lo + HEATMAP_WINDOW}`;
  return `./#run=${encodeURIComponent(run)}&sel=${p},${p}&x=${range}&y=${range}`;
}

/** Points the heatmap link at the focused token, or hides it when the token has no position. */
async function linkHeatmap(position) {
  const link = $('heatmap-link');
  const t = view.doc.run ? await view.token(0, position) : null;
  if (view.focusPos !== position) return;
  const p = t && Number.isInteger(t.vocabPosition) ? t.vocabPosition : null;
  link.hidden = p === null;
  link.dataset.position = p === null ? '' : p;
  if (p !== null) link.href = heatmapHref(view.doc.run, p);
}

function wire(root) {
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'h' || e.target.tagName === 'INPUT' || e.target.tagName === 'SELECT') return;
    if (!$('heatmap-link').hidden) location.href = $('heatmap-link').href;
  });
  if (!options.interactive) return;
  root.addEventListener('mouseover', (e) => {
    const span = e.target.closest('.sal-token');
    if (!span) return;
    const f = Number(span.closest('.sal-cell').dataset.facet);
    const pos = Number(span.dataset.pos);
    if (!locked && pos !== view.focusPos) view.focus(pos);
    readout(f, pos, view.value(f, pos));
  });
  root.addEventListener('click', (e) => {
    const span = e.target.closest('.sal-token');
    if (!span) return;
    const pos = Number(span.dataset.pos);
    locked = !locked || pos !== view.focusPos;
    view.focus(pos);
  });
  document.addEventListener('keydown', async (e) => {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
    if (!step || e.target.tagName === 'INPUT' || e.target.tagName === 'SELECT') return;
    e.preventDefault();
    const next = await view.step(view.focusPos === null ? -1 : view.focusPos, step);
    await view.reveal(next);
    await view.focus(next);
  });
}

function controls() {
  $('layout').value = options.layout;
  $('width').value = options.width;
  $('rotate').checked = options.rotate;
  $('show-meta').checked = options.showMeta;
  const rebuild = async () => {
    view.build();
    view.setScale(view.scale);
    if (view.focusPos !== null) await view.focus(view.focusPos);
  };
  $('layout').onchange = () => { options.layout = $('layout').value; setParam('layout', options.layout); rebuild(); };
  $('width').onchange = () => { options.width = Math.max(120, Number($('width').value) || 600); setParam('width', options.width); rebuild(); };
  $('rotate').onchange = () => { options.rotate = $('rotate').checked; setParam('rotate_titles', options.rotate ? 1 : null); rebuild(); };
  $('show-meta').onchange = () => {
    options.showMeta = $('show-meta').checked;
    setParam('show_meta', options.showMeta ? 1 : null);
    view.metas.forEach((m) => { m.hidden = !options.showMeta; });
  };
  $('clip').onchange = () => {
    clip = Number($('clip').value) || 0;
    setParam('clip', clip || null);
    view.setScale(heatScale(view.doc.heat, clip));
    drawLegend($('legend'), view.scale, null);
  };
}

async function open(id) {
  const first = await api.tokenWindow(id, 0, 1);
  const source = {
    tokens: (from, to) => api.tokenWindow(id, from, to),
    row: (f, position) => api.heatRow(id, f, position, first.tokens),
  };
  const root = $('text');
  view = new TextView(root, first, source, options, {
    onFocus: (position) => {
      document.body.dataset.focus = position;
      setParam('focus', position);
      $('spec-link').href = `api/saliency/${encodeURIComponent(id)}/spec?focus=${position}`;
      $('spec-link').hidden = false;
      linkHeatmap(position);
    },
  });
  view.setScale(heatScale(first.heat, clip));
  $('clip').value = Number(view.scale.clip.toPrecision(4));
  $('clip').placeholder = Number(view.scale.auto.toPrecision(4));
  drawLegend($('legend'), view.scale, null);
  controls();
  wire(root);
  await Promise.all([...Array(Math.min(view.chunks, 2)).keys()].map((k) => view.chunk(k)));
}

async function boot() {
  const docs = await api.documents();
  listDocuments(docs);
  const id = params.get('doc');
  $('doc').onchange = () => { location.search = `?doc=${encodeURIComponent($('doc').value)}`; };
  if (!id) {
    $('doc-list').hidden = false;
    document.body.dataset.state = 'ready';
    return;
  }
  if (!docs.some((d) => d.id === id)) {
    fail(`No saliency document ${id}`);
    return;
  }
  $('doc').value = id;
  await open(id);
  window.simheat = {
    highlight: async (position) => { await view.reveal(position); await view.focus(position); },
    focus: () => view.focusPos,
    view,
  };
  if (params.has('focus')) await window.simheat.highlight(Number(params.get('focus')));
  document.body.dataset.state = 'ready';
}

boot().catch((e) => fail(e.message));
