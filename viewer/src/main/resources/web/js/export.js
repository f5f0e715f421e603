// CSV export of the visible cells (PNG and SVG come from vega-embed's own actions menu).

const COLUMNS = ['y0', 'y1', 'x0', 'x1', 'rowLabel', 'colLabel', 'pairs', 'value', 'mean', 'max', 'min'];

/** The cells as RFC 4180 CSV: one header line, then one line per cell. */
export function cellsToCsv(cells) {
  const lines = [COLUMNS.join(',')];
  for (const c of cells) lines.push(COLUMNS.map((k) => field(c[k])).join(','));
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
