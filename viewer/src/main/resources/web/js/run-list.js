// The committed runs as the page shows and follows them: each run's one-line description in the
// run picker (id, local time, input file, shape, metrics, order, latest), and a watch that polls
// /api/runs every few seconds (and at once when the tab becomes visible again) so that runs
// committed or deleted while the page is open show up without a reload. Test hook on body:
// data-runs-polled (polls answered so far).

const fmt = new Intl.NumberFormat('en-US');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The picker's line for a run: "id · Nov 22 08:38 · input.npy · N 600, d 8 · cosine, dot · input order · latest". */
export function runLabel(r) {
  return [...runParts(r), ...runTags(r)].join(' · ');
}

/** The columns of a run's picker line: id, time, input, shape, metrics, order. */
export function runParts(r) {
  return [r.runId, shortTime(r.createdAt), inputName(r), shape(r), (r.metrics || []).join(', '), orderLabel(r)];
}

/** The tags ending a run's picker line: cross, latest. */
export function runTags(r) {
  return [...(r.symmetric === false ? ['cross'] : []), ...(r.latest ? ['latest'] : [])];
}

/** The picker's hover text for a run: its inputs' full URIs, reader and fingerprint. */
export function runTitle(r) {
  return [
    r.source ? `Input: ${r.source}${r.format ? ` (${r.format})` : ''}` : '',
    r.colsSource ? `Columns: ${r.colsSource}` : '',
    r.orderFrom ? `Order taken from run ${r.orderFrom}` : '',
    r.fingerprint ? `Fingerprint: ${r.fingerprint.slice(0, 16)}…` : '',
    r.createdAt ? `Created ${r.createdAt}` : '',
  ].filter(Boolean).join('\n');
}

/**
 * A run's order: "input order", "cluster order (K = 12)" (× the columns' K for a cross run), or
 * "order of <run>" when it took another run's order.
 */
export function orderLabel(r) {
  if (r.orderFrom) return `order of ${r.orderFrom}`;
  if (r.order !== 'cluster') return 'input order';
  return r.colsClusters ? `cluster order (K = ${r.clusters} × ${r.colsClusters})` : `cluster order (K = ${r.clusters})`;
}

/** An ISO time as a short local time: "Nov 22 08:38", with the year when it is not this year's. */
export function shortTime(iso) {
  const t = iso ? new Date(iso) : null;
  if (!t || Number.isNaN(t.getTime())) return '';
  const pad = (v) => String(v).padStart(2, '0');
  const year = t.getFullYear() === new Date().getFullYear() ? '' : ` ${t.getFullYear()}`;
  return `${MONTHS[t.getMonth()]} ${t.getDate()}${year} ${pad(t.getHours())}:${pad(t.getMinutes())}`;
}

/** Whether run r was created after run s (by commit time, then by id, which starts with the UTC time). */
export function isNewer(r, s) {
  const [a, b] = [Date.parse(r.createdAt), Date.parse(s.createdAt)];
  return Number.isFinite(a) && Number.isFinite(b) && a !== b ? a > b : r.runId > s.runId;
}

function inputName(r) {
  const name = (uri) => (uri ? uri.split(/[\\/]/).pop() : '');
  return r.colsSource ? `${name(r.source)} × ${name(r.colsSource)}` : name(r.source);
}

function shape(r) {
  const n = r.symmetric === false ? `${fmt.format(r.n)} × ${fmt.format(r.nCols)}` : fmt.format(r.n);
  return `N ${n}, d ${r.dim}`;
}

/**
 * Polls the run list: every intervalMs while the tab is visible, and at once when it becomes
 * visible. onRuns(runs) is called with each answer whose runs (ids, latest) differ from the last
 * one; failed polls are ignored (the next one tries again).
 */
export class RunWatch {
  constructor(fetchRuns, onRuns, intervalMs = 5000) {
    this.fetchRuns = fetchRuns;
    this.onRuns = onRuns;
    this.intervalMs = intervalMs;
    this.timer = null;
    this.key = null;
    this.busy = false;
    this.polled = 0;
  }

  /** Starts polling after the page's first answer, runs. */
  start(runs) {
    this.key = keyOf(runs);
    document.addEventListener('visibilitychange', () => { if (!document.hidden) this.poll(); });
    this.schedule();
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.poll(), this.intervalMs);
  }

  async poll() {
    if (this.busy) return;
    if (document.hidden) {
      this.schedule();
      return;
    }
    this.busy = true;
    let runs = null;
    try {
      runs = await this.fetchRuns();
      document.body.dataset.runsPolled = String(++this.polled);
      delete document.body.dataset.runsPollError;
    } catch (e) {
      document.body.dataset.runsPollError = String((e && e.message) || e);
    } finally {
      this.busy = false;
      this.schedule();
    }
    const key = runs && keyOf(runs);
    if (runs && key !== this.key) {
      this.key = key;
      this.onRuns(runs);
    }
  }
}

function keyOf(runs) {
  return runs.map((r) => `${r.runId}${r.latest ? '*' : ''}`).join(',');
}
