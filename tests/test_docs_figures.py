"""Every figure quoted in docs/ is current: each marked block of a page equals the value
scripts/docs_figures.py computed (docs/figures.json), every figure the script defines is quoted
where it says, and the model code, scenarios and the script are those the figures were
computed from (their hash). After a change to any of them: run the script (see its docstring).
Cheap: nothing is simulated here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("docs_figures", ROOT / "scripts/docs_figures.py")
figures = sys.modules["docs_figures"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(figures)

RERUN = "run `.venv/bin/python scripts/docs_figures.py` (see its docstring) and commit the result"


def quoted() -> dict[str, tuple[str, str]]:
    """Every figure block in docs/*.md: name → (page, body)."""
    found = {}
    for page in sorted(figures.DOCS.glob("*.md")):
        for name, body in figures.blocks(page.read_text(encoding="utf-8")).items():
            assert name not in found, f"figure {name} quoted twice ({found[name][0]}, {page})"
            found[name] = (page.name, body)
    return found


def test_every_quoted_figure_is_the_computed_one():
    data = figures.read_json()
    assert set(data["figures"]) == set(figures.FIGURES), f"figures.json is incomplete: {RERUN}"
    texts = {k: (f["page"], v) for f in data["figures"].values() for k, v in f["texts"].items()}
    shown = quoted()
    assert set(shown) == set(texts), (
        f"blocks without a figure: {sorted(set(shown) - set(texts))}; figures not quoted: "
        f"{sorted(set(texts) - set(shown))}")
    for name, (page, body) in shown.items():
        assert page == texts[name][0], f"figure {name} belongs in {texts[name][0]}, not {page}"
        assert body == texts[name][1], f"{page}: figure {name} is not the computed one: {RERUN}"


def test_figures_were_computed_from_the_current_model_and_scenarios():
    assert figures.read_json()["inputs"] == figures.inputs_hash(), (
        "the model code, scenarios or scripts/docs_figures.py changed since the figures quoted "
        f"in docs/ were computed: {RERUN}")


def test_every_figure_states_its_parameters():
    for name, figure in figures.FIGURES.items():
        assert "posterior" in figure.settings, f"{name}: say which parameters (posterior or not)"
