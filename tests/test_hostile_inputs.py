"""Hostile or careless input files (issue 19, items 2, 14, 15, 18, 19): control characters,
look-alike militia names, ``militias[0]``, colliding compare labels, sweeps whose every run
fails, posteriors outside the schema's ranges, hand-edited sweep manifests."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import leverage_sim as ls
from leverage_sim.analysis.comparison import compare, unique_labels
from leverage_sim.errors import InputError
from leverage_sim.files.safe_text import name_key, visible
from leverage_sim.scenario.loader import resolve_raw, validate
from leverage_sim.simulation.posterior import load_posterior, value_at
from leverage_sim.sweep import SweepSpec, run_sweep
from tests.posterior_fixture import BASE_VALUES, particles, write_posterior

CONTROLS = ["\x00", "\x1b[2J", "\x07", "\u202e", "\x9b", "\t", "\n"]




@pytest.fixture(scope="module")
def replay_raw() -> dict:
    return resolve_raw("june_2020_replay")


def with_change(raw: dict, change) -> dict:
    data = copy.deepcopy(raw)
    change(data)
    return data


def refused(data: dict) -> str:
    with pytest.raises(InputError) as e:
        validate(data, "hostile.yaml")
    return str(e.value)


# ---- item 2: control characters --------------------------------------------------------------
def test_visible_escapes_controls_and_keeps_text():
    assert visible("a\x1b[2Jb\x07\u202ec\x00 d\ttab\nnew") == \
        "a\\x1b[2Jb\\x07\\u202ec\\x00 d\ttab\nnew"
    assert visible("Kata'ib Hezbollah ﻛﺘﺎﺋﺐ ＫＨ") == "Kata'ib Hezbollah ﻛﺘﺎﺋﺐ ＫＨ"


@pytest.mark.parametrize("control", CONTROLS)
@pytest.mark.parametrize("where", ["name", "government.name", "foreign_forces.name",
                                   "patron.name", "militias.0.name", "militias.0.full_name",
                                   "foreign_forces.sites.0.name"])
def test_names_with_control_characters_are_refused(replay_raw, where, control):
    def change(data):
        *parents, last = where.split(".")
        node = data
        for p in parents:
            node = node[int(p)] if p.isdigit() else node[p]
        node[last] = f"KH{control}x"
    message = refused(with_change(replay_raw, change))
    assert "control characters" in message


@pytest.mark.parametrize("kind", ["sweep", "calibration"])
def test_sweep_and_calibration_names_with_control_characters_are_refused(kind):
    if kind == "sweep":
        with pytest.raises(InputError, match="control characters"):
            SweepSpec.from_cli("june_2020_replay", ["foreign_forces.backing=0,1"],
                               name="s\x1b[2J")
    else:
        from leverage_sim.calibration.config import CalibrationSpec
        with pytest.raises(ValueError, match="control characters"):
            CalibrationSpec.model_validate({"name": "c\u202e"})


@pytest.mark.parametrize("verb", [("run", "-n", "1", "--quiet"), ("validate",)])
def test_cli_error_about_a_control_character_name_prints_no_control(cli, tmp_path, replay_raw,
                                                                    verb):
    path = tmp_path / "bad.yaml"
    data = with_change(replay_raw, lambda d: d["militias"][0].update(name="K\x1b[2JH\u202e"))
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, _, err = cli(verb[0], path, *verb[1:])
    assert code == 2 and "control characters" in err
    assert "\x1b" not in err and "\u202e" not in err and "\\x1b[2J" in err


def test_list_and_run_print_free_text_controls_as_escapes(cli, tmp_path):
    question = "Will it \x1b[2Jhold\x07? \u202eevil"
    (tmp_path / "odd.yaml").write_text(
        yaml.safe_dump({"extends": "june_2020_replay", "question": question},
                       allow_unicode=True), encoding="utf-8")
    code, out, _ = cli("list", "--scenario-dir", tmp_path)
    assert code == 0 and "odd" in out
    code2, out2, _ = cli("run", tmp_path / "odd.yaml", "-n", "1", "--quiet", "--posterior",
                         "none")
    assert code2 == 0
    for text in (out, out2):
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        assert "Will it \\x1b[2Jhold\\x07? \\u202eevil" in text


def test_json_output_escapes_controls_json_leaves_raw(cli, tmp_path):
    question = "bidi \u202e, C1 \x9b, DEL \x7f, ESC \x1b"
    (tmp_path / "odd.yaml").write_text(
        yaml.safe_dump({"extends": "june_2020_replay", "question": question},
                       allow_unicode=True), encoding="utf-8")
    code, out, _ = cli("list", "--scenario-dir", tmp_path, "--json")
    assert code == 0 and not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", out)
    assert question in [entry["question"] for entry in json.loads(out)]  # the same data


# ---- item 18: militia names -----------------------------------------------------------------
@pytest.mark.parametrize("other", ["kh", "Kh", "ＫＨ", "K H", "k\u3000h"])
def test_militia_names_that_differ_only_in_case_spacing_or_width_are_refused(replay_raw, other):
    assert name_key(other) == name_key("KH")
    message = refused(with_change(replay_raw, lambda d: d["militias"][1].update(name=other)))
    assert "names must be unique" in message and "'KH'" in message


@pytest.mark.parametrize(("name", "why"), [("", "empty"), ("   ", "empty"),
                                           ("KH2 ", "spaces"), (" KH2", "spaces"),
                                           ("0", "whole number"), ("-1", "whole number"),
                                           ("０", "whole number")])
def test_empty_padded_and_index_like_militia_names_are_refused(replay_raw, name, why):
    message = refused(with_change(replay_raw, lambda d: d["militias"][1].update(name=name)))
    assert why in message


def test_militias_bracket_index_picks_by_position_and_name_by_name():
    first = ls.load_scenario("june_2020_replay", overrides={"militias[0].autonomy": 0.11})
    last = ls.load_scenario("june_2020_replay", overrides={"militias[-1].autonomy": 0.12})
    named = ls.load_scenario("june_2020_replay", overrides={"militias[AAH].autonomy": 0.13})
    assert first.militias[0].autonomy == 0.11 and last.militias[-1].autonomy == 0.12
    assert [m.autonomy for m in named.militias if m.name == "AAH"] == [0.13]
    with pytest.raises(InputError, match="by position, but that list has 4 entries"):
        ls.load_scenario("june_2020_replay", overrides={"militias[4].autonomy": 0.1})
    # posterior and calibration paths read brackets the same way
    assert value_at(named, "militias[1].autonomy") == value_at(named, "militias[AAH].autonomy")
    with pytest.raises(LookupError):
        value_at(named, "militias[4].autonomy")


# ---- item 14: compare labels ----------------------------------------------------------------
def test_compare_labels_are_unique_by_construction():
    assert unique_labels(["X", "X#2", "X"]) == ["X", "X#2", "X#3"]
    assert unique_labels(["X", "X", "X#2"]) == ["X", "X#2", "X#2#2"]
    names = ["a", "a", "a#2", "a#3", "a", "a#2"]
    assert len(set(unique_labels(names))) == len(names)


def test_compare_three_inputs_give_three_columns(replay):
    scenarios = [replay.model_copy(update={"name": n}) for n in ("X", "X#2", "X")]
    cmp = compare(scenarios, 1, seed=1, posterior=None)
    assert list(cmp.results) == ["X", "X#2", "X#3"]
    assert list(cmp.side_by_side().columns) == ["X", "X#2", "X#3"]


def test_names_with_dollar_signs_are_drawn_as_written(replay):
    import matplotlib.pyplot as plt

    from leverage_sim.files.report_html import figure_svg
    from leverage_sim.outputs.plots import run_overview

    names = ("a $\\frac{$ b", "x_$^{$")
    cmp = compare([replay.model_copy(update={"name": n}) for n in names], 1, seed=1,
                  posterior=None)
    for fig in (cmp.chart(), run_overview(cmp.results[names[0]])):
        svg = figure_svg(fig)  # draws every text: broken notation would raise here
        plt.close(fig)
        assert names[0] in svg


# ---- item 15: sweeps that cannot succeed ---------------------------------------------------
def test_posterior_outside_the_schema_range_is_refused_naming_the_parameter(tmp_path):
    table = particles()
    table["militias[KH].mobilisation"] = np.linspace(0.5, 1.7, len(table))  # range 0-1
    folder = write_posterior(tmp_path / "post", table)
    with pytest.raises(InputError, match=r"militias\[KH\]\.mobilisation.*0\.5 to 1\.7"):
        load_posterior(folder)


def test_sweep_posterior_outside_range_exits_2_before_any_run(cli, tmp_path):
    table = particles()
    table["government.decision_sharpness"] = -5.0
    folder = write_posterior(tmp_path / "post", table)
    code, _, err = cli("sweep", "june_2020_replay", "--param", "foreign_forces.backing=0,1",
                       "-n", "1", "--executor", "serial", "--quiet", "--posterior", folder,
                       "--out", tmp_path / "sweep")
    assert code == 2 and "government.decision_sharpness" in err and "outside" in err
    assert not (tmp_path / "sweep" / "summary").exists()


def test_sweep_in_which_every_run_fails_exits_2_and_says_why(cli, tmp_path):
    # In range, but every draw gives KH fewer fighters than its local fighters: each run
    # fails the scenario's cross-field rule.
    table = pd.DataFrame({"militias[KH].fighters": [10.0, 20.0], "weight": [0.5, 0.5]})
    folder = write_posterior(tmp_path / "post", table,
                             base_values={**BASE_VALUES, "militias[KH].fighters": 7000},
                             parameters={"militias[KH].fighters":
                                         {"distribution": "uniform", "low": 0, "high": 9000}})
    code, _, err = cli("sweep", "june_2020_replay", "--param", "foreign_forces.backing=0,1",
                         "-n", "2", "--executor", "serial", "--quiet", "--posterior", folder,
                         "--out", tmp_path / "sweep")
    assert code == 2
    assert "Every one of the 4 runs" in err and "local_fighters" in err
    assert len(list((tmp_path / "sweep" / "summary").glob("part-*.parquet"))) >= 1  # kept


# ---- item 19: hand-edited sweep manifests ---------------------------------------------------
def _small_sweep(tmp_path):
    spec = SweepSpec.from_cli("june_2020_replay", ["foreign_forces.backing=0,1"],
                              replications=1, seed=3, posterior="none")
    return run_sweep(spec, tmp_path / "sweep", executor="serial")


@pytest.mark.parametrize("edit", ["base_scenario", "seed"])
def test_resume_refuses_a_hand_edited_manifest(tmp_path, edit):
    out = _small_sweep(tmp_path)
    manifest_file = out / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    if edit == "base_scenario":
        manifest["base_scenario"]["foreign_forces"] = {"backing": 0.99}
    else:
        manifest["seeds"]["master"] += 1
    manifest_file.write_text(json.dumps(manifest))
    with pytest.raises(InputError, match="has been edited since the sweep was planned"):
        run_sweep(None, out, executor="serial", resume=True)
    with pytest.raises(InputError, match="has been edited"):
        ls.sweep.rerun(out, 0)


def test_resume_accepts_an_untouched_manifest(tmp_path):
    out = _small_sweep(tmp_path)
    assert run_sweep(None, out, executor="serial", resume=True) == out


# ---- the docs' promises name tests that exist ----------------------------------------------
def test_every_test_named_in_the_hardening_docs_exists():
    root = Path(__file__).resolve().parents[1]
    defined = {m for f in (root / "tests").glob("test_*.py")
               for m in re.findall(r"^def (test_\w+)", f.read_text("utf-8"), re.MULTILINE)}
    for doc in ("cli.md", "reports.md", "scenarios.md", "sweeps.md"):
        named = set(re.findall(r"`(test_\w+)`", (root / "docs" / doc).read_text("utf-8")))
        assert named <= defined, f"docs/{doc} names missing tests: {sorted(named - defined)}"
