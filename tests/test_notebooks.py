"""Every notebook in notebooks/ runs top to bottom on small settings (LEVERAGE_SIM_SMALL=1).

The kernel is the interpreter running the tests (a kernelspec written to a temporary
JUPYTER_PATH), so it sees this checkout's installed package whatever kernels the user has.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from leverage_sim.outputs.notebook_pages import render

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
KERNEL = "leverage-sim-test"


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "leverage-sim (tests)", "language": "python"}))
    return root


def test_the_five_notebooks_exist():
    assert [p.name[:3] for p in NOTEBOOKS] == ["01_", "02_", "03_", "04_", "05_"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, kernel_env, tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_env))
    monkeypatch.setenv("LEVERAGE_SIM_SMALL", "1")
    monkeypatch.setenv("LEVERAGE_SIM_RESULTS", str(tmp_path))
    monkeypatch.delenv("MPLBACKEND", raising=False)  # keep the inline backend: charts as PNG
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and "**Question.**" in nb.cells[0].source
    assert "What the charts show" in nb.cells[-1].source
    NotebookClient(nb, kernel_name=KERNEL, timeout=120,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "no chart was drawn"
    if path.name.startswith("01_"):  # the replay is set against the historical record
        text = " ".join(o.get("data", {}).get("text/plain", "") for o in outputs)
        assert "record (2020)" in text and "arrests in the raid" in text
        # and `make docs-notebooks` renders it as a page with its charts beside it
        page = render(nb, path.stem, tmp_path / "docs")
        images = sorted((tmp_path / "docs" / f"{path.stem}_files").glob("*.png"))
        charts = sum("image/png" in o.get("data", {}) for o in outputs)
        assert len(images) == charts and page.name == f"{path.stem}.md"
        md = page.read_text(encoding="utf-8")
        assert all(f"]({path.stem}_files/{p.name})" in md for p in images)
        assert "record (2020)" in md and "**Question.**" in md
