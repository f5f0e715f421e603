// Drift mode's own pieces: the "Compare with" picker and the changes panel. The picker offers every
// other run as the baseline B of Δ = A − B (A the viewed run); whether a pair aligns is asked of
// /api/drift/{a}/{b} once per pair and remembered, and a run that does not align is listed
// disabled with the server's reason under it and as its title (data-aligned on each entry: true |
// false, once known). The changes panel lists, for the selected row token, the tokens whose score with it
// changed most (token, A, B, Δ; a click jumps to that cell) and the neighbours that entered or left
// its top k.

import { isAbort } from './api.js';
import { Picker } from './picker.js';
import { shortTime } from './run-list.js';

const NONE = '';
/** Alignment checks in flight at once: each reads both runs' token columns on the server. */
const CONCURRENT_CHECKS = 3;

export class DriftPicker {
  /** root: the picker's element (see picker.js); api: the API module; onPick(b or null). */
  constructor(root, api, onPick) {
    this.picker = new Picker(root, (value) => onPick(value === NONE ? null : value));
    this.api = api;
    this.checks = new Map();
    this.shown = null;
    this.queue = [];
    this.running = 0;
  }

  /**
   * Whether runs a and b align: the /api/drift/{a}/{b} answer, or {aligned: false, reason} when it
   * cannot be had (a run gone, the server unreachable). Asked once per pair.
   */
  check(a, b) {
    const key = `${a}\n${b}`;
    if (!this.checks.has(key)) {
      const asked = this.limited(() => this.api.driftCheck(a, b))
        .catch((e) => ({ a, b, aligned: false, reason: e.message || String(e) }));
      asked.then((answer) => { if (!answer.aligned && /no longer exists|unknown run/.test(answer.reason)) this.checks.delete(key); });
      this.checks.set(key, asked);
    }
    return this.checks.get(key);
  }

  /** Runs task() (a promise) once fewer than CONCURRENT_CHECKS of them are running. */
  limited(task) {
    return new Promise((resolve, reject) => {
      this.queue.push(() => task().then(resolve, reject).finally(() => {
        this.running--;
        this.next();
      }));
      this.next();
    });
  }

  next() {
    while (this.running < CONCURRENT_CHECKS && this.queue.length) {
      this.running++;
      this.queue.shift()();
    }
  }

  /** Lists the baselines for the viewed run a among runs, b (or null) selected. */
  show(a, runs, b) {
    const shown = {};
    this.shown = shown;
    const others = runs.filter((r) => r.runId !== a);
    const none = { value: NONE, parts: ['none'], label: 'none', title: 'Show this run alone' };
    this.picker.setItems([none, ...others.map((r) => ({
      value: r.runId,
      parts: [r.runId, shortTime(r.createdAt)],
      label: `${r.runId} · ${shortTime(r.createdAt)}`,
      note: r.runId === b ? null : 'checking…',
      disabled: r.runId !== b,
      title: 'Checking whether the runs align…',
    }))], b || NONE);
    this.picker.disabled = others.length === 0;
    for (const r of others) {
      this.check(a, r.runId).then((answer) => {
        if (this.shown !== shown) return;
        this.picker.update(r.runId, answer.aligned
          ? { disabled: false, note: null, data: { aligned: 'true' }, title: `Show Δ = ${a} − ${r.runId} (${answer.metrics.join(', ')})` }
          : { disabled: true, note: 'does not align', detail: answer.reason, data: { aligned: 'false' }, title: `Does not align: ${answer.reason}` });
      });
    }
  }
}

/**
 * Fills the neighbours section with a changes answer of /api/drift/{a}/{b}/changes: the top changed
 * pairs as buttons (onJump(row, col) on a click), then the entered and left tokens.
 */
export function showChanges(els, answer, metric, onJump) {
  const { title, list, moves } = els;
  title.replaceChildren('Top changed neighbours of ', tokenName(answer.token));
  title.title = `The tokens whose ${metric} with ${answer.token} changed most (Δ = A − B)`;
  const biggest = Math.max(...answer.changed.map((c) => Math.abs(c.delta)), 0);
  const head = document.createElement('li');
  head.className = 'changes-head';
  head.innerHTML = '<span></span><span>token</span><span>A</span><span>B</span><span>Δ</span>';
  const items = answer.changed.map((c, i) => {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.title = `Jump to the cell (${answer.token}, ${c.token})`;
    b.dataset.position = String(c.position);
    b.className = c.delta >= 0 ? 'up' : 'down';
    b.style.setProperty('--strength', (biggest > 0 ? Math.max(0.04, Math.abs(c.delta) / biggest) : 0.04).toFixed(3));
    b.innerHTML = '<span class="rank"></span><span class="tok"></span><span class="score"></span><span class="score"></span><span class="score delta"></span>';
    const [rank, tok, a, was, delta] = b.children;
    rank.textContent = String(i + 1);
    tok.textContent = c.token;
    a.textContent = c.a.toFixed(3);
    was.textContent = c.b.toFixed(3);
    delta.textContent = signed(c.delta);
    b.addEventListener('click', () => onJump(answer.position, c.position));
    li.append(b);
    return li;
  });
  list.classList.add('changes');
  list.replaceChildren(...(items.length ? [head, ...items] : [empty('No other token to compare.')]));
  moves.replaceChildren(
    tokenGroup('Entered its top neighbours', 'In A\'s top list, not in B\'s', answer.entered, 'entered'),
    tokenGroup('Left its top neighbours', 'In B\'s top list, not in A\'s', answer.left, 'left'));
  moves.hidden = false;
  document.body.dataset.driftChanges = String(answer.changed.length);
}

/** Clears the drift additions of the neighbours section (leaving drift mode or no selection). */
export function clearChanges(els) {
  els.list.classList.remove('changes');
  els.title.title = '';
  els.moves.hidden = true;
  els.moves.replaceChildren();
  delete document.body.dataset.driftChanges;
}

/** The neighbours section when the changes cannot be had. */
export function changesFailed(els, error) {
  if (isAbort(error)) return;
  els.list.replaceChildren(empty(`Changes unavailable: ${error.message || error}`));
  els.moves.hidden = true;
}

function tokenGroup(heading, hint, tokens, kind) {
  const div = document.createElement('div');
  div.className = `moves moves-${kind}`;
  const h = document.createElement('h3');
  h.textContent = `${heading} (${tokens.length})`;
  h.title = hint;
  const ul = document.createElement('ul');
  ul.className = 'token-chips';
  ul.id = `drift-${kind}`;
  for (const t of tokens) {
    const li = document.createElement('li');
    li.textContent = t;
    ul.append(li);
  }
  div.append(h, tokens.length ? ul : empty('none'));
  return div;
}

function tokenName(token) {
  const t = document.createElement('span');
  t.className = 'tok-name';
  t.textContent = token;
  return t;
}

function empty(text) {
  const p = document.createElement('p');
  p.className = 'empty';
  p.textContent = text;
  return p;
}

function signed(v) {
  return `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v).toFixed(3)}`;
}
