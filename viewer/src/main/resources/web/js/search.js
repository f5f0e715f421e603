// Type-ahead search: asks as the analyst types (debounced, older requests cancelled), lists matches
// with their positions so duplicates are told apart (or a hit's own note, such as a cluster's size),
// and hands the picked hit to the controller. One per axis for tokens, one for clusters. Keyboard:
// ↑/↓ move, Enter picks, Escape closes.

import { isAbort } from './api.js';

const DEBOUNCE_MS = 120;
const LIMIT = 20;

export class TokenSearch {
  /**
   * find(q, limit, signal) resolves to [{token, position, note?}]; onPick(hit) is called on a pick.
   */
  constructor(input, list, find, onPick) {
    Object.assign(this, { input, list, find, onPick, hits: [], active: -1, timer: null, pending: null });
    input.addEventListener('input', () => this.schedule());
    input.addEventListener('focus', () => { if (input.value) this.schedule(); });
    input.addEventListener('keydown', (e) => this.key(e));
    input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
    list.addEventListener('pointerdown', (e) => {
      const item = e.target.closest('li[data-index]');
      if (item) {
        e.preventDefault();
        this.pick(Number(item.dataset.index));
      }
    });
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.query(this.input.value.trim()), DEBOUNCE_MS);
  }

  async query(q) {
    if (this.pending) this.pending.abort();
    if (!q) {
      this.close();
      return;
    }
    const controller = new AbortController();
    this.pending = controller;
    this.list.dataset.state = 'loading';
    try {
      const hits = await this.find(q, LIMIT, controller.signal);
      if (controller === this.pending) this.show(q, hits);
    } catch (e) {
      if (!isAbort(e)) this.show(q, [], e.message);
    }
  }

  show(q, hits, error = null) {
    this.hits = hits;
    this.active = hits.length ? 0 : -1;
    const items = hits.map((h, i) => {
      const li = document.createElement('li');
      li.dataset.index = i;
      li.setAttribute('role', 'option');
      li.append(highlight(h.token, q));
      const pos = document.createElement('span');
      pos.className = 'pos';
      pos.textContent = h.note ?? `#${h.position}`;
      li.append(pos);
      return li;
    });
    if (!hits.length) {
      const li = document.createElement('li');
      li.className = 'none';
      li.textContent = error ? `Search failed: ${error}` : `Nothing matches “${q}”`;
      items.push(li);
    }
    this.list.replaceChildren(...items);
    this.list.hidden = false;
    this.list.dataset.state = 'ready';
    this.input.setAttribute('aria-expanded', 'true');
    this.mark();
  }

  key(e) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!this.hits.length) return;
      const n = this.hits.length;
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      this.mark();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (this.active >= 0 && !this.list.hidden) this.pick(this.active);
    } else if (e.key === 'Escape') {
      this.close();
      this.input.blur();
    }
  }

  mark() {
    this.list.querySelectorAll('li[data-index]').forEach((li) => {
      const on = Number(li.dataset.index) === this.active;
      li.classList.toggle('active', on);
      li.setAttribute('aria-selected', String(on));
      if (on) li.scrollIntoView({ block: 'nearest' });
    });
  }

  pick(i) {
    const hit = this.hits[i];
    if (!hit) return;
    this.input.value = hit.token;
    this.close();
    this.onPick(hit);
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
  }
}

function highlight(token, q) {
  const span = document.createElement('span');
  span.className = 'tok';
  const at = token.toLowerCase().indexOf(q.toLowerCase());
  if (at < 0) {
    span.textContent = token;
    return span;
  }
  const mark = document.createElement('mark');
  mark.textContent = token.slice(at, at + q.length);
  span.append(token.slice(0, at), mark, token.slice(at + q.length));
  return span;
}
