"""Helpers the simheat notebooks share: run bin/simheat, start and stop the viewer, call its API,
and show Vega-Lite specs inline with the viewer's own bundled Vega.

Only the standard library, so a notebook needs nothing beyond Jupyter itself for these.
"""

import atexit
import json
import os
import re
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(os.environ.get("SIMHEAT_ROOT", Path(__file__).resolve().parent.parent))
SIMHEAT = ROOT / "bin" / "simheat"
_SERVING = re.compile(r"serving .* at (http://\S+)")
_viewers = []


def workdir(name):
    """A fresh directory for a notebook's files: under $SIMHEAT_NOTEBOOK_WORK when set (CI), else
    a temporary one."""
    base = os.environ.get("SIMHEAT_NOTEBOOK_WORK")
    if base:
        d = Path(base) / name
        d.mkdir(parents=True, exist_ok=True)
        return d
    return Path(tempfile.mkdtemp(prefix=f"simheat-{name}-"))


def simheat(*args, check=True):
    """Runs bin/simheat with the arguments; returns its standard output as text. A failure raises
    RuntimeError with simheat's own one-line message."""
    p = subprocess.run([str(SIMHEAT), *map(str, args)], capture_output=True, text=True)
    if check and p.returncode != 0:
        lines = [l for l in p.stderr.splitlines() if l.startswith("simheat:")]
        raise RuntimeError(f"bin/simheat {args[0]} exited {p.returncode}: "
                           + (lines[-1] if lines else p.stderr[-2000:]))
    return p.stdout


def demo_files():
    """The demo's real embedding set (all-MiniLM-L6-v2 from the langchain4j Maven package):
    {"model": onnx path, "tokenizer": tokenizer.json path, "tensor": name, "text": sample text}."""
    out = simheat("demo", "--files-only")
    return dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)


class Viewer:
    """A running `bin/simheat view` on a free port; stopped by stop(), or when Python exits."""

    def __init__(self, data, *extra):
        self.process = subprocess.Popen(
            [str(SIMHEAT), "view", "--data", str(data), "--port", "0", *map(str, extra)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = None
        for line in self.process.stdout:
            m = _SERVING.search(line)
            if m:
                self.url = m.group(1).rstrip("/") + "/"
                break
        if self.url is None:
            self.process.kill()
            raise RuntimeError(f"the viewer did not start (exit {self.process.wait()})")
        _viewers.append(self)

    def get(self, path, **params):
        """GET an API path ("api/runs", …) with query parameters; returns the parsed JSON. An error
        answer raises RuntimeError with the viewer's own message."""
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        url = urllib.parse.urljoin(self.url, path) + ("?" + query if query else "")
        try:
            with urllib.request.urlopen(url, timeout=120) as r:
                return json.loads(r.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"{e.code} from {path}: {e.read().decode('utf-8', 'replace')}") from None

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


@atexit.register
def _stop_all():
    for v in _viewers:
        v.stop()


def vega_html(viewer, spec, element_id):
    """HTML that renders a Vega-Lite spec inline with the viewer's bundled vega, vega-lite and
    vega-embed (loaded from the running viewer, so no internet is needed).

    The three scripts are loaded one after the other by a small loader rather than as <script src>
    tags: JupyterLab and Notebook 7 insert an output's scripts asynchronously, so tags could run out
    of order, and classic Notebook's require.js would capture the bundles as AMD modules (its
    `define` is hidden while they load). Without a viewer the output says so instead of failing."""
    data = json.dumps(spec).replace("</", "<\\/")
    base = json.dumps(viewer.url + "vendor/")
    target = json.dumps("#" + element_id)
    return f"""<div id="{element_id}"></div>
<script>
(function () {{
  var names = ["vega", "vega-lite", "vega-embed"], spec = {data};
  function draw() {{ vegaEmbed({target}, spec, {{actions: true}}); }}
  function load(i) {{
    if (i === names.length) return draw();
    var amd = window.define, script = document.createElement("script");
    window.define = undefined;
    script.src = {base} + names[i] + ".min.js";
    script.onload = function () {{ window.define = amd; load(i + 1); }};
    script.onerror = function () {{
      window.define = amd;
      document.querySelector({target}).textContent = "Could not load " + script.src + ": start the viewer (run the notebook) to see this chart.";
    }};
    document.head.appendChild(script);
  }}
  if (window.vegaEmbed && window.vegaLite) draw(); else load(0);
}})();
</script>"""


def latest_run(out):
    """The id LATEST names in an output directory."""
    return (Path(out) / "LATEST").read_text().strip()


# quickstart.ipynb and scheduled_runs.ipynb: the demo's matrix as numpy, straight from its ONNX file.

def _varint(value):
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        out.append(low | (0x80 if value else 0))
        if not value:
            return bytes(out)


def demo_matrix(files=None):
    """The demo's word-embedding matrix and its tokens, read without simheat: (matrix, tokens), a
    float32 numpy array of 30522 × 384 and the WordPiece tokens by row (from tokenizer.json).

    The ONNX file is protobuf: the tensor's bytes are the initializer's `raw_data` field (field 9,
    length-delimited), found as the one field of exactly 30522 · 384 · 4 bytes."""
    import numpy as np
    files = files or demo_files()
    vocab = json.loads(Path(files["tokenizer"]).read_text(encoding="utf-8"))["model"]["vocab"]
    tokens = [None] * len(vocab)
    for token, row in vocab.items():
        tokens[row] = token
    assert None not in tokens, "tokenizer.json's ids are not 0..n-1"
    data = Path(files["model"]).read_bytes()
    n, d = len(tokens), 384
    tag = b"\x4a" + _varint(n * d * 4)
    start = data.find(tag)
    if start < 0 or data.find(tag, start + 1) >= 0:
        raise RuntimeError(f"expected one raw_data field of {n} x {d} floats in {files['model']}")
    offset = start + len(tag)
    return np.frombuffer(data, dtype="<f4", count=n * d, offset=offset).reshape(n, d).copy(), tokens
