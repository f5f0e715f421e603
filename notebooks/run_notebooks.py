"""Executes simheat's notebooks top to bottom, headless, as CI does.

    /usr/bin/python3 notebooks/run_notebooks.py [NOTEBOOK.ipynb ...]   (default: every notebook)

Each notebook runs in a fresh kernel of this very Python (a kernel spec made for the run, so a
pyenv or conda `python` on PATH is never picked by mistake), with the notebooks folder as its
working directory. A cell that raises fails the notebook: its error is printed and the exit status
is 1. Executed copies go to $SIMHEAT_NOTEBOOK_WORK (default: a temporary directory); the notebooks
in the repository are never written.
"""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = Path(__file__).resolve().parent


def kernel_spec(base):
    spec = base / "kernels" / "simheat-python"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "simheat Python", "language": "python"}))
    os.environ["JUPYTER_PATH"] = str(base) + os.pathsep + os.environ.get("JUPYTER_PATH", "")


def run(path, out_dir):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=900, kernel_name="simheat-python",
                            resources={"metadata": {"path": str(HERE)}})
    start = time.monotonic()
    try:
        client.execute()
        ok = True
    except CellExecutionError as e:
        print(f"{path.name}: FAILED\n{e}", file=sys.stderr)
        ok = False
    nbformat.write(nb, out_dir / path.name)
    print(f"{path.name}: {'ok' if ok else 'failed'} in {time.monotonic() - start:.1f} s")
    return ok


def main(names):
    work = Path(os.environ.setdefault("SIMHEAT_NOTEBOOK_WORK", tempfile.mkdtemp(prefix="simheat-nb-")))
    os.environ.setdefault("SIMHEAT_ROOT", str(HERE.parent))
    kernel_spec(work / "jupyter")
    out_dir = work / "executed"
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [Path(n).resolve() for n in names] or sorted(HERE.glob("*.ipynb"))
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    results = [run(p, out_dir) for p in paths]
    print(f"executed copies in {out_dir}")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
