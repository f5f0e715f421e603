// The notices above the chart about the runs themselves: "New run <id> — show it" when a run newer
// than the viewed one arrives, the banner of a run deleted from the data directory while shown (the
// viewed run, or the baseline of a comparison) and why a baseline could not be compared. Test hooks
// on body: data-new-run (the run offered) and data-run-gone (the deleted run named in the banner).

import { isNewer } from './run-list.js';

const $ = (id) => document.getElementById(id);

export class RunNotices {
  /** show(runId): the analyst asked to see the run offered. */
  constructor(show) {
    this.gone = null;
    $('new-run-show').addEventListener('click', (e) => show(e.currentTarget.dataset.run));
    $('new-run-close').addEventListener('click', () => this.offer(null));
  }

  /**
   * After a poll: offers the newest run that is not among the known ids and is newer than the
   * viewed run (nothing changes when there is none).
   */
  arrived(runs, viewed, known) {
    const run = newest(runs, viewed, (r) => !known.has(r.runId));
    if (run) this.offer(run);
  }

  /** After the viewed run changed: the offer stays only while its run is still newer. */
  viewed(runs, viewed) {
    const offered = runs.find((r) => r.runId === document.body.dataset.newRun);
    if (offered && !newest(runs, viewed, (r) => r === offered)) this.offer(null);
  }

  /** Shows (or hides, for null) the notice offering a run. */
  offer(run) {
    const body = document.body.dataset;
    $('new-run').hidden = !run;
    if (!run) {
      delete body.newRun;
      return;
    }
    $('new-run-id').textContent = run.runId;
    $('new-run-show').dataset.run = run.runId;
    body.newRun = run.runId;
  }

  /**
   * Shows (or hides, for null) the banner of a deleted run: the viewed run, or (baseline true) the
   * baseline of the comparison just left. Returns the banner's text.
   */
  deleted(runId, baseline = false) {
    const body = document.body.dataset;
    const banner = $('run-gone');
    this.gone = runId && !baseline ? runId : null;
    banner.hidden = !runId;
    if (!runId) {
      delete body.runGone;
      return '';
    }
    banner.textContent = baseline
      ? `Run ${runId}, the baseline of the comparison, was deleted from the data directory. Pick another run to compare with.`
      : `Run ${runId} was deleted from the data directory. Pick another run above.`;
    body.runGone = runId;
    return banner.textContent;
  }

  /** Says why a comparison was refused (or hides the note, for null). */
  refused(text) {
    const note = $('drift-note');
    note.hidden = !text;
    note.textContent = text || '';
  }
}

/** The newest run newer than the viewed one among those passing the filter, or null. */
function newest(runs, viewed, filter) {
  const current = runs.find((r) => r.runId === viewed);
  if (!current) return null;
  return runs.filter((r) => filter(r) && isNewer(r, current)).reduce((best, r) => (!best || isNewer(r, best) ? r : best), null);
}
