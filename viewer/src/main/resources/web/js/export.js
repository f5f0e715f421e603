// CSV export of cells: the visible ones, a region's, or the cluster view's (PNG and SVG come from
// vega-embed's own actions menu).

const COLUMNS = ['y0', 'y1', 'x0', 'x1', 'rowLabel', 'colLabel', 'pairs', 'value', 'mean', 'max', 'min'];

/** The cluster view's cells: cluster indices, then the positions those clusters cover. */
export const CLUSTER_COLUMNS = ['y0', 'y1', 'x0', 'x1', 'rowLabel', 'colLabel', 'rowStart', 'rowEnd',
  'colStart', 'colEnd', 'pairs', 'value', 'mean', 'max', 'min'];

/** The cells as RFC 4180 CSV: one header line, then one line per cell. */
export function cellsToCsv(cells, columns = COLUMNS) {
  const lines = [columns.join(',')];
  for (const c of cells) lines.push(columns.map((k) => field(c[k])).join(','));
  return lines.join('\r\n') + '\r\n';
}

function field(v) {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Saves text as a file through a temporary link. */
export function download(fileName, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
