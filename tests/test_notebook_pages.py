"""Rendering notebooks for the docs (``make docs-notebooks``): Markdown, charts beside it."""

import base64
import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from leverage_sim.errors import InputError
from leverage_sim.outputs.notebook_pages import main

PNG = base64.b64decode(  # a 1x1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJ"
    "RU5ErkJggg==")


def _notebook(path, charts: int) -> None:
    outputs = [new_output("display_data", data={"image/png": base64.b64encode(PNG).decode(),
                                                "text/plain": "<Figure>"})] * charts
    nb = new_notebook(cells=[new_markdown_cell("# Title\n\n**Question.** Why?"),
                             new_code_cell("plot()", outputs=outputs),
                             new_code_cell("1 + 1", outputs=[new_output(
                                 "execute_result", data={"text/plain": "2"},
                                 execution_count=1)])])
    nbformat.write(nb, path)


def test_stored_outputs_render_to_markdown_and_png(tmp_path, capsys):
    _notebook(tmp_path / "01_demo.ipynb", charts=2)
    out = tmp_path / "docs"
    assert main([str(tmp_path / "01_demo.ipynb"), "--out", str(out)]) == 0
    md = (out / "01_demo.md").read_text(encoding="utf-8")
    images = sorted((out / "01_demo_files").glob("*.png"))
    assert len(images) == 2 and all(p.read_bytes() == PNG for p in images)
    assert all(f"](01_demo_files/{p.name})" in md for p in images)
    assert "**Question.** Why?" in md and "    2" in md
    # rendering again after the notebook lost a chart leaves no stale image behind
    _notebook(tmp_path / "01_demo.ipynb", charts=1)
    main([str(tmp_path / "01_demo.ipynb"), "--out", str(out)])
    assert len(list((out / "01_demo_files").glob("*.png"))) == 1
    assert "01_demo.md" in capsys.readouterr().out


def test_not_a_notebook(tmp_path):
    (tmp_path / "x.txt").write_text("")
    with pytest.raises(InputError, match="not a notebook"):
        main([str(tmp_path / "x.txt"), "--out", str(tmp_path)])


def test_rendered_pages_are_those_of_the_current_code_and_record():
    """Each committed page under docs/notebooks/ was executed from the current package,
    scenarios, episodes and shipped calibration (its stamp in inputs.json): its figures are
    current. After a change: `make docs-notebooks`, and commit the pages."""
    from pathlib import Path

    from leverage_sim.outputs.notebook_pages import PROJECT, STAMPS, page_inputs_hash

    docs = PROJECT / "docs" / "notebooks"
    stamps = json.loads((docs / STAMPS).read_text(encoding="utf-8"))
    pages = sorted(p.stem for p in docs.glob("*.md"))
    assert sorted(stamps) == pages, "every rendered page, and only those, carries a stamp"
    stale = [name for name in pages
             if stamps[name] != page_inputs_hash(Path(PROJECT / "notebooks" / f"{name}.ipynb"))]
    assert not stale, (f"docs/notebooks pages computed from older code or record: {stale}; "
                       "run `make docs-notebooks` and commit the pages")


def test_executed_page_is_stamped_and_a_change_makes_it_stale(tmp_path, monkeypatch):
    """The stamp follows the notebook and the inputs: changing either changes the hash."""
    from leverage_sim.outputs import notebook_pages as pages

    (tmp_path / "notebooks").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "m.py").write_text("x = 1\n")
    nb = tmp_path / "notebooks" / "01_demo.ipynb"
    _notebook(nb, charts=0)
    monkeypatch.setattr(pages, "PROJECT", tmp_path)
    monkeypatch.setattr(pages, "PAGE_INPUTS", ("src",))
    monkeypatch.setattr(pages, "NOT_INPUTS", ())
    monkeypatch.setattr(pages, "execute", lambda path, small, kernel: nbformat.read(path, 4))
    out = tmp_path / "docs"
    assert main([str(nb), "--out", str(out), "--execute"]) == 0
    first = json.loads((out / pages.STAMPS).read_text())["01_demo"]
    assert first == pages.page_inputs_hash(nb)
    (tmp_path / "src" / "m.py").write_text("x = 2\n")
    assert pages.page_inputs_hash(nb) != first
    # quick settings never stamp a page as current
    (out / pages.STAMPS).unlink()
    assert main([str(nb), "--out", str(out), "--execute", "--small"]) == 0
    assert not (out / pages.STAMPS).exists()
