"""A militia's ``local_fighters`` was ``capital_fighters`` (analyst finding F15: the field
counts the fighters where the government confronts the militia, Basra in 2008, not the
capital). The old name is still read everywhere a path or a file can name the field, with
results identical to the new name's; giving both is refused with a message naming the fix."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from leverage_sim import load_sweep
from leverage_sim.errors import InputError
from leverage_sim.scenario.loader import field_of, load_scenario
from leverage_sim.scenario.param_reference import markdown_table, reference_rows
from leverage_sim.scenario.schema import Militia, Scenario
from leverage_sim.simulation.replication import simulate, summarise_run
from tests.calibration_fixture import tiny_config
from tests.posterior_fixture import write_posterior

OLD, NEW = "capital_fighters", "local_fighters"
REPLAY = Path(__file__).resolve().parents[1] / "scenarios" / "june_2020_replay.yaml"


def _written(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _replay_with_old_name(tmp_path: Path) -> Path:
    text = REPLAY.read_text(encoding="utf-8")
    assert f"    {NEW}: 400\n" in text
    return _written(tmp_path, "old_name", text.replace(f"    {NEW}:", f"    {OLD}:"))


def _summaries(scenario: Scenario, seeds=range(1, 6)) -> list[dict]:
    return [summarise_run(simulate(scenario, s, collect_data=False), s, 0) for s in seeds]


def _figures(cli, *argv: object) -> dict:
    code, out, err = cli("run", *argv, "-n", "8", "--quiet", "--json")
    assert code == 0, err
    document = json.loads(out)
    return {k: document[k] for k in ("outcome_shares", "figures")}


# ---- the old name in a file ----------------------------------------------------------------
def test_a_file_with_the_old_name_loads_as_the_new_one_and_runs_identically(tmp_path):
    old = load_scenario(_replay_with_old_name(tmp_path))
    new = load_scenario("june_2020_replay")
    assert old.militias[0].local_fighters == 400
    assert old.model_dump(exclude={"name"}) == new.model_dump(exclude={"name"})
    assert _summaries(old) == _summaries(new)


def test_an_extending_file_may_use_the_other_name_than_its_base(tmp_path):
    base = _replay_with_old_name(tmp_path)
    child = _written(tmp_path, "child", f"extends: {base.name}\nmilitias:\n"
                     f"  - {{name: KH, {NEW}: 250}}\n")
    assert load_scenario(child).militias[0].local_fighters == 250


def test_the_python_api_reads_the_old_name():
    assert Militia(name="X", capital_fighters=12).local_fighters == 12


# ---- both names at once --------------------------------------------------------------------
def test_a_militia_giving_both_names_is_refused_with_the_fix(tmp_path, cli):
    path = _written(tmp_path, "both", REPLAY.read_text(encoding="utf-8").replace(
        f"    {NEW}: 400\n", f"    {NEW}: 400\n    {OLD}: 300\n"))
    with pytest.raises(InputError) as refused:
        load_scenario(path)
    message = str(refused.value)
    assert str(path) in message and "militias[KH] gives both local_fighters and " \
        "capital_fighters" in message and "keep local_fighters and delete capital_fighters" \
        in message and "\n" not in message
    code, _, err = cli("run", path, "-n", "1", "--quiet")
    assert code == 2 and "keep local_fighters and delete capital_fighters" in err
    assert "Traceback" not in err


def test_both_names_through_the_python_api_are_refused():
    with pytest.raises(ValueError, match="gives both local_fighters and capital_fighters"):
        Militia(name="X", capital_fighters=1, local_fighters=2)


def test_two_overrides_naming_the_field_once_each_way_are_refused():
    with pytest.raises(InputError, match=r"set the same field \(militias\[0\].local_fighters\)"):
        load_scenario("june_2020_replay", [f"militias[KH].{OLD}=100", f"militias[KH].{NEW}=50"])


# ---- paths: --set, scripted set, sweeps, posteriors ----------------------------------------
@pytest.mark.parametrize("scenario", ["june_2020_replay", "old_name"])
def test_set_with_the_old_path_sets_the_field(tmp_path, cli, scenario):
    """Whichever name the file uses, --set with either path gives the same runs."""
    source = _replay_with_old_name(tmp_path) if scenario == "old_name" else scenario
    old = load_scenario(source, {f"militias[KH].{OLD}": 120})
    assert old == load_scenario(source, {f"militias[KH].{NEW}": 120})
    assert old.militias[0].local_fighters == 120
    assert _figures(cli, source, "--posterior", "none", "--set", f"militias[KH].{OLD}=120") \
        == _figures(cli, source, "--posterior", "none", "--set", f"militias[KH].{NEW}=120")


def test_a_set_past_the_fighters_names_the_new_field():
    with pytest.raises(InputError, match=r"militias\[KH\].local_fighters \(9000\) exceeds"):
        load_scenario("june_2020_replay", {f"militias[KH].{OLD}": 9000})


def _with_scripted_set(tmp_path: Path, field: str) -> Path:
    return _written(tmp_path, f"set_{field}", "extends: june_2020_replay\nevents:\n"
                    "  - {name: shrink, day: 20, actor: government, action: set, figures: "
                    f"{{'militias[KH].{field}': 20}}}}\n")


def test_a_scripted_set_of_the_old_path_changes_the_field(tmp_path, cli):
    old, new = (_with_scripted_set(tmp_path, f) for f in (OLD, NEW))
    assert _summaries(load_scenario(old)) == _summaries(load_scenario(new))
    assert _figures(cli, old, "--posterior", "none") == _figures(cli, new, "--posterior", "none")
    assert _figures(cli, old, "--posterior", "none") != _figures(cli, "june_2020_replay",
                                                                 "--posterior", "none")


def test_a_scripted_set_of_either_path_is_checked_against_the_field(tmp_path):
    for field in (OLD, NEW):
        path = _written(tmp_path, f"bad_{field}", "extends: june_2020_replay\nevents:\n"
                        "  - {day: 20, actor: government, action: set, figures: "
                        f"{{'militias[KH].{field}': -5}}}}\n")
        with pytest.raises(InputError, match="greater than or equal to 0"):
            load_scenario(path)


@pytest.mark.parametrize("engine", ["fast", "agent"])
def test_a_sweep_over_the_old_path_gives_the_new_paths_results(tmp_path, cli, engine):
    def swept(field: str) -> pd.DataFrame:
        out = tmp_path / f"{engine}_{field}"
        code, _, err = cli("sweep", "june_2020_replay", "--param", f"militias[KH].{field}=20,400",
                           "-n", "2", "--engine", engine, "--executor", "serial", "--quiet",
                           "--posterior", "none", "--out", out)
        assert code == 0, err
        table = load_sweep(out).rename(columns={f"militias[KH].{field}": "swept"})
        return table.sort_values(["swept", "seed"]).reset_index(drop=True)

    old, new = swept(OLD), swept(NEW)
    assert sorted(old["swept"].unique()) == [20, 400]
    numbers = [c for c in new.columns if new[c].dtype.kind in "fiub"]
    pd.testing.assert_frame_equal(old[numbers], new[numbers])


def test_a_posterior_may_name_the_old_path(tmp_path, cli):
    def folder(field: str) -> Path:
        path = f"militias[KH].{field}"
        table = pd.DataFrame({path: [50.0, 100.0, 300.0], "weight": [0.2, 0.3, 0.5]})
        return write_posterior(tmp_path / field, table, base_values={path: 400},
                               parameters={path: {"distribution": "uniform", "low": 0,
                                                  "high": 1000}})

    old = _figures(cli, "june_2020_replay", "--posterior", folder(OLD))
    assert old == _figures(cli, "june_2020_replay", "--posterior", folder(NEW))
    assert old != _figures(cli, "june_2020_replay", "--posterior", "none")


def test_a_calibration_may_fit_either_path(tmp_path):
    """The parameter keeps the path as written; its hand-tuned value is the field's."""
    from leverage_sim.calibration.config import load_calibration

    for field in (OLD, NEW):
        prior = {"path": f"militias[KH].{field}", "prior": {"low": 100, "high": 600},
                 "why": "test"}
        (fitted,) = load_calibration(tiny_config(tmp_path, parameters=[prior])).parameters
        assert (fitted.path, fitted.integer, fitted.base_value) == (prior["path"], True, 400)


def test_the_old_path_resolves_to_the_new_field():
    assert field_of(f"militias[KH].{OLD}") is Militia.model_fields[NEW]


# ---- the schema and its reference ----------------------------------------------------------
def test_no_schema_description_speaks_of_the_capital():
    """Descriptions (and sources) say where the confrontation is, not "the capital"."""
    assert "capital" not in json.dumps(Scenario.model_json_schema()).lower()


def test_the_reference_names_the_old_name_once_as_still_read():
    rows = {r.path: r for r in reference_rows()}
    assert "militias[NAME].capital_fighters" not in rows
    meaning = rows["militias[NAME].local_fighters"].meaning
    assert "where the government confronts the militia" in meaning
    assert [(r.path, r.formerly) for r in rows.values() if r.formerly] == [
        ("militias[NAME].local_fighters", OLD)]
    assert "`militias[NAME].local_fighters` (formerly `capital_fighters`, still read)" \
        in markdown_table(list(rows.values()))
