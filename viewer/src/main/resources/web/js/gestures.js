// Pointer gestures on the heatmap: wheel zoom about the pointer (Alt: columns only, Shift: rows
// only), drag to pan, Shift-drag to select a region, Alt-drag to box zoom, click to select,
// double-click to reset. The controller does the work; this file only reads the mouse.

const CLICK_SLOP = 4;
const CLICK_DELAY = 230;

/**
 * Listens on the heatmap's host element. ctl: toPosition(clientX, clientY), zoom(anchor, f, axes),
 * panPixels(dx, dy), box(fromClient, toClient) (toClient null hides it), boxZoom(from, to),
 * region(from, to), select(position), reset().
 */
export function attachGestures(host, ctl) {
  let drag = null;
  let clickTimer = null;

  host.addEventListener('wheel', (e) => {
    const anchor = ctl.toPosition(e.clientX, e.clientY);
    if (!anchor.inside) return;
    e.preventDefault();
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
    const delta = Math.max(-400, Math.min(400, (e.deltaY || e.deltaX) * unit));
    ctl.zoom(anchor, Math.exp(delta * 0.0015), e.altKey ? 'x' : e.shiftKey ? 'y' : 'xy');
  }, { passive: false });

  host.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 || !ctl.toPosition(e.clientX, e.clientY).inside) return;
    e.preventDefault();
    host.focus({ preventScroll: true });
    host.setPointerCapture(e.pointerId);
    const kind = e.shiftKey ? 'region' : e.altKey ? 'zoom' : null;
    drag = { start: { x: e.clientX, y: e.clientY }, last: { x: e.clientX, y: e.clientY }, box: kind, moved: false };
  });

  host.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const now = { x: e.clientX, y: e.clientY };
    if (!drag.moved && Math.hypot(now.x - drag.start.x, now.y - drag.start.y) < CLICK_SLOP) return;
    drag.moved = true;
    host.classList.add(drag.box ? 'is-boxing' : 'is-panning');
    if (drag.box) {
      ctl.box(drag.start, now);
    } else {
      ctl.panPixels(now.x - drag.last.x, now.y - drag.last.y);
    }
    drag.last = now;
  });

  const finish = (e) => {
    if (!drag) return;
    const d = drag;
    drag = null;
    host.classList.remove('is-boxing', 'is-panning');
    if (d.box) ctl.box(null, null);
    if (d.box && d.moved) {
      const end = { x: e.clientX, y: e.clientY };
      if (d.box === 'region') ctl.region(d.start, end); else ctl.boxZoom(d.start, end);
    } else if (!d.moved && e.type === 'pointerup') {
      const at = ctl.toPosition(e.clientX, e.clientY);
      clearTimeout(clickTimer);
      clickTimer = setTimeout(() => ctl.select(at), CLICK_DELAY);
    }
  };
  host.addEventListener('pointerup', finish);
  host.addEventListener('pointercancel', finish);

  host.addEventListener('dblclick', (e) => {
    if (!ctl.toPosition(e.clientX, e.clientY).inside) return;
    clearTimeout(clickTimer);
    ctl.reset();
  });
}

/**
 * Keyboard: arrows pan (Shift: half a window), + and - zoom (Alt: columns only; read from the key's
 * position, since + needs Shift on many layouts), 0 resets, Escape closes the help or clears the
 * region or the selection, / focuses the row search, c switches between tokens and clusters, ?
 * opens the help.
 */
export function attachKeys(ctl) {
  const zoomKeys = { Equal: 1 / 1.5, NumpadAdd: 1 / 1.5, Minus: 1.5, NumpadSubtract: 1.5 };
  document.addEventListener('keydown', (e) => {
    const target = e.target;
    if (target.closest && target.closest('input, select, textarea, .picker')) return;
    if (e.ctrlKey || e.metaKey) return;
    const step = e.shiftKey ? 0.5 : 0.1;
    let action = {
      ArrowLeft: () => ctl.panFraction(-step, 0),
      ArrowRight: () => ctl.panFraction(step, 0),
      ArrowUp: () => ctl.panFraction(0, -step),
      ArrowDown: () => ctl.panFraction(0, step),
      0: () => ctl.reset(),
      Escape: () => ctl.escape(),
      '/': () => ctl.focusSearch(),
      '?': () => ctl.help(),
      c: () => ctl.toggleView(),
    }[e.key];
    if (e.code in zoomKeys) action = () => ctl.zoomCentre(zoomKeys[e.code], e.altKey ? 'x' : 'xy');
    if (action) {
      e.preventDefault();
      action();
    }
  });
}
