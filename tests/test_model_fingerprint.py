"""The model fingerprint: code without docstrings + schema defaults, and a behaviour digest."""

from __future__ import annotations

import ast
import shutil

import pytest

from leverage_sim.simulation import model_fingerprint as fp
from leverage_sim.simulation.mechanisms import beliefs


@pytest.fixture(autouse=True)
def _fresh_caches():
    fp.code_fingerprint.cache_clear()
    fp.behaviour_digest.cache_clear()
    yield
    fp.code_fingerprint.cache_clear()
    fp.behaviour_digest.cache_clear()


def _dump(src: str) -> str:
    return ast.dump(fp._without_docstrings(ast.parse(src)), annotate_fields=False)


def test_docstrings_comments_and_layout_do_not_count():
    a = 'def f(x):\n    """Doc."""\n    return x * 2  # twice\n'
    b = 'def f(x):\n    """Another doc, longer."""\n\n    return (x *\n            2)\n'
    assert _dump(a) == _dump(b)


def test_a_constant_or_an_operator_counts():
    base = "def f(x):\n    return x * 2\n"
    assert _dump(base) != _dump("def f(x):\n    return x * 3\n")
    assert _dump(base) != _dump("def f(x):\n    return x + 2\n")


def _copy_package(tmp_path):
    dst = tmp_path / "leverage_sim"
    shutil.copytree(fp.PACKAGE, dst, ignore=shutil.ignore_patterns("__pycache__"))
    return dst


def test_code_fingerprint_follows_a_mechanism_constant(tmp_path, monkeypatch):
    original = fp.code_fingerprint()
    pkg = _copy_package(tmp_path)
    monkeypatch.setattr(fp, "PACKAGE", pkg)
    fp.code_fingerprint.cache_clear()
    assert fp.code_fingerprint() == original  # the same code elsewhere: the same fingerprint
    path = pkg / "mechanisms" / "beliefs.py"
    src = path.read_text()
    assert "SILENT_DAY_EVIDENCE = 0.5" in src
    path.write_text(src.replace("SILENT_DAY_EVIDENCE = 0.5", "SILENT_DAY_EVIDENCE = 0.6"))
    fp.code_fingerprint.cache_clear()
    assert fp.code_fingerprint() != original


def test_code_fingerprint_ignores_an_edited_docstring(tmp_path, monkeypatch):
    original = fp.code_fingerprint()
    pkg = _copy_package(tmp_path)
    monkeypatch.setattr(fp, "PACKAGE", pkg)
    path = pkg / "standoffs.py"
    path.write_text(path.read_text().replace('"""Where a standoff gets resolved',
                                             '"""Where, today, a standoff gets resolved', 1))
    fp.code_fingerprint.cache_clear()
    assert fp.code_fingerprint() == original


def test_code_fingerprint_includes_schema_defaults(monkeypatch):
    from leverage_sim.scenario.schema import Government

    original = fp.code_fingerprint()
    field = Government.model_fields["resolve"]
    monkeypatch.setattr(field, "default", 0.61)
    fp.code_fingerprint.cache_clear()
    assert fp.code_fingerprint() != original


def test_behaviour_digest_is_stable_and_follows_behaviour(monkeypatch):
    first = fp.behaviour_digest()
    fp.behaviour_digest.cache_clear()
    assert fp.behaviour_digest() == first
    monkeypatch.setattr(beliefs, "SILENT_DAY_EVIDENCE", 0.6)
    fp.behaviour_digest.cache_clear()
    assert fp.behaviour_digest() != first


@pytest.mark.parametrize(("name", "changed"), [
    ("believed_militia_strength", lambda strength, resistance: strength),
    ("ceasefire_favours_government", lambda win_chance: True)])
def test_behaviour_digest_sees_a_changed_decision_inside_fights(monkeypatch, name, changed):
    """Operations are in the digest's runs: a changed mechanism that acts only in fights (how
    the government weighs the militia in its believed contest; whose terms a ceasefire has)
    changes the digest (neither did before December 2026)."""
    from leverage_sim.simulation.mechanisms import operation

    first = fp.behaviour_digest()
    monkeypatch.setattr(operation, name, changed)
    fp.behaviour_digest.cache_clear()
    assert fp.behaviour_digest() != first


def test_the_digest_runs_every_fit_episodes_scenario():
    """A posterior is judged current by the digest when the code changed: every scenario its
    fit episodes run must be among the digest's runs."""
    from pathlib import Path

    from leverage_sim.calibration.config import load_calibration

    cal = load_calibration(Path(__file__).resolve().parents[1] / "calibration" / "default.yaml")
    digested = {name for name, _ in fp.DIGEST_RUNS}
    assert {ep.spec.scenario for ep in cal.episodes} <= digested


def test_matches_by_code_or_by_behaviour(monkeypatch):
    now = fp.fingerprint()
    assert fp.matches(now)
    assert fp.matches({"code": "refactored", "behaviour": now["behaviour"]})
    assert not fp.matches({"code": "other", "behaviour": "other"})
    assert not fp.matches(None)
    assert not fp.matches({})
