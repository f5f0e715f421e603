// A drop-down picker whose entries have room for details: a button showing the chosen entry and a
// listbox of rows, each a line of parts (id, time, input, …) laid out as columns, with a title for
// hover and entries that can be disabled (shown with why). It follows the ARIA listbox pattern:
// Enter, Space or ↓ on the button opens it; ↑ ↓ Home End move, Enter picks, Esc or a click outside
// closes. The button's value is the chosen entry's value, as a <select>'s would be.

let serial = 0;

export class Picker {
  /**
   * root: an element holding a <button class="picker-button"> and a <ul class="picker-list">;
   * onPick(value) when the analyst picks an enabled entry other than the current one.
   */
  constructor(root, onPick) {
    this.root = root;
    this.button = root.querySelector('.picker-button');
    this.list = root.querySelector('.picker-list');
    this.onPick = onPick;
    this.items = [];
    this.active = -1;
    this.prefix = `picker-${++serial}-`;
    this.button.setAttribute('aria-haspopup', 'listbox');
    this.button.setAttribute('aria-expanded', 'false');
    this.list.setAttribute('role', 'listbox');
    this.list.tabIndex = -1;
    this.list.hidden = true;
    this.button.addEventListener('click', () => (this.isOpen() ? this.close(false) : this.open()));
    this.button.addEventListener('keydown', (e) => {
      if (['ArrowDown', 'ArrowUp', 'Enter', ' '].includes(e.key) && !this.isOpen()) {
        e.preventDefault();
        this.open();
      }
    });
    this.list.addEventListener('keydown', (e) => this.key(e));
    this.list.addEventListener('click', (e) => {
      const row = e.target.closest('[role=option]');
      if (row) this.pick(Number(row.dataset.index));
    });
    document.addEventListener('pointerdown', (e) => { if (this.isOpen() && !this.root.contains(e.target)) this.close(false); });
  }

  /**
   * Replaces the entries and shows value as chosen. items: [{value, parts: [text…] (the row's
   * columns, joined by " · " in its text), tags (short words ending the row, in one column), label
   * (the button's text), title, disabled, note (a last part, such as why it is disabled), detail (a
   * line under the row), data (data-* attributes), className}].
   */
  setItems(items, value) {
    this.items = items;
    this.list.replaceChildren(...items.map((item, i) => this.row(item, i)));
    this.setValue(value);
  }

  /** Shows the entry of a value as chosen (an unknown value shows nothing). */
  setValue(value) {
    this.button.value = value ?? '';
    const chosen = this.items.find((item) => item.value === value);
    this.button.querySelector('.picker-label').textContent = chosen ? chosen.label : '';
    this.button.title = chosen ? chosen.title || '' : '';
    for (const row of this.list.children) row.setAttribute('aria-selected', String(row.dataset.value === value));
  }

  get value() {
    return this.button.value;
  }

  set disabled(on) {
    this.button.disabled = on;
  }

  row(item, i) {
    const li = document.createElement('li');
    li.id = `${this.prefix}${i}`;
    li.setAttribute('role', 'option');
    li.dataset.index = String(i);
    li.dataset.value = item.value;
    li.className = item.className || '';
    if (item.disabled) li.setAttribute('aria-disabled', 'true');
    if (item.title) li.title = item.title;
    item.parts.forEach((text, k) => {
      if (k > 0) li.append(span('sep', ' · '));
      li.append(span(`part part-${k}`, text));
    });
    if (item.tags && item.tags.length) {
      const tags = span('tags', '');
      for (const t of item.tags) tags.append(span('sep', ' · '), span(`tag tag-${t}`, t));
      li.append(tags);
    }
    if (item.note) li.append(span('sep', ' · '), span('note', item.note));
    if (item.detail) li.append(span('detail', item.detail));
    for (const [k, v] of Object.entries(item.data || {})) li.dataset[k] = v;
    return li;
  }

  /** Updates one entry in place (an answer arrived for it). */
  update(value, patch) {
    const i = this.items.findIndex((item) => item.value === value);
    if (i < 0) return;
    this.items[i] = { ...this.items[i], ...patch };
    this.list.children[i].replaceWith(this.row(this.items[i], i));
    this.setValue(this.button.value);
  }

  isOpen() {
    return !this.list.hidden;
  }

  open() {
    if (this.button.disabled || !this.items.length) return;
    this.list.hidden = false;
    this.button.setAttribute('aria-expanded', 'true');
    const chosen = this.items.findIndex((item) => item.value === this.button.value);
    this.activate(chosen >= 0 ? chosen : this.step(-1, 1));
    this.list.focus();
  }

  close(refocus) {
    this.list.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
    if (refocus) this.button.focus();
  }

  pick(i) {
    const item = this.items[i];
    if (!item || item.disabled) return;
    this.close(true);
    if (item.value !== this.button.value) {
      this.setValue(item.value);
      this.onPick(item.value);
    }
  }

  key(e) {
    const moves = {
      ArrowDown: () => this.step(this.active, 1),
      ArrowUp: () => this.step(this.active, -1),
      Home: () => this.step(-1, 1),
      End: () => this.step(this.items.length, -1),
    };
    if (moves[e.key]) {
      e.preventDefault();
      this.activate(moves[e.key]());
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.pick(this.active);
    } else if (e.key === 'Escape' || e.key === 'Tab') {
      if (e.key === 'Escape') e.preventDefault();
      this.close(e.key === 'Escape');
    }
  }

  /** The next enabled entry from i in direction d, or i itself when there is none. */
  step(i, d) {
    for (let k = i + d; k >= 0 && k < this.items.length; k += d) {
      if (!this.items[k].disabled) return k;
    }
    return i;
  }

  activate(i) {
    for (const row of this.list.querySelectorAll('.active')) row.classList.remove('active');
    this.active = i;
    const row = this.list.children[i];
    if (!row) {
      this.list.removeAttribute('aria-activedescendant');
      return;
    }
    row.classList.add('active');
    this.list.setAttribute('aria-activedescendant', row.id);
    row.scrollIntoView({ block: 'nearest' });
  }
}

function span(className, text) {
  const s = document.createElement('span');
  s.className = className;
  s.textContent = text;
  return s;
}
