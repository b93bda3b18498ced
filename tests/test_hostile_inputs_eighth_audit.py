"""Careless or hostile input found by the eighth audit (a user's own scenario and episode files,
the foreign force's short name):

- a scenario given by its file's path (``leverage-sim run mine/my_basra.yaml``, an episode's
  ``scenario: my_basra.yaml``, a sweep or compare of it) or found by name in a
  ``--scenario-dir`` only, that extends a scenario the calibration fitted (``basra_2008``) and
  inherits its values unchanged: with the posterior those values were *kept* ("kept at the
  scenario's own values, not drawn: government.prior_backing,
  foreign_forces.casualty_tolerance"), as if the user had changed them, while the very same
  file on ``$LEVERAGE_SIM_SCENARIO_PATH`` (or in scenarios/) had them drawn: the posterior
  followed the ``extends`` chain from the scenario's *name*, which no folder it searched
  holds. A loaded scenario now notes the file it was read from (``Scenario.origin``) and the
  chain is followed from there; a sweep stores its base file's absolute path, so that a
  resumed or rerun point finds that file from any working folder;
- ``--set 'militias[0].attack_rate=0.26'`` (a list entry by its position, or by its name
  written with spaces, ``militias[ KH ]``) on a calibrated parameter, at the scenario's own
  value: the posterior's draw replaced the value the user set (a --set keeps its value only if
  its path was spelt as the posterior spells it); likewise a compare variant, and a sweep's
  parameter (``--param 'militias[0].attack_rate=0.1,0.26'``: at 0.26 each run drew the rate,
  and the manifest called the swept parameter drawn). A path is now matched with the
  posterior's as the entry it picks in the scenario;
- an episode the calibration was fitted to, copied or edited with ``role: held_out``
  (``validate-model mine/basra_2008.yaml``): scored and reported as "held out", an in-sample
  check passed off as out-of-sample. The posterior's manifest lists the episodes it fitted;
  those are now reported as "fitted: an in-sample check" whatever the file says;
- ``ls.compare({"amarah_2008", "basra_2008"})`` (or ``variants=`` a set): run, with the
  columns in the set's order, which changes from one Python session to the next
  (``PYTHONHASHSEED``); the first column is the one every effect is measured against and gives
  the comparison its master seed, so the same call gave other effects, and other numbers, in
  another session. An unordered collection is now refused, asking for a list or a tuple;
- the dashboard's "save as scenario file" beside a file of the user's named
  ``.NAME.yaml.partial`` (its temporary name): that file was overwritten, then moved onto the
  scenario file (or deleted if writing failed). The temporary file is now a new one, named
  ``.NAME.yaml.<random>.partial``, created where none was;
- ``foreign_forces.short_name`` (put in the texts, tables and chart labels of a run) of
  20,000 characters (every chart of the run collapsed, with a matplotlib warning on stderr),
  of spaces only (the force named by nothing: "    forces took casualties") or padded with
  spaces: accepted. It is now empty or a name (at most 100 characters, no surrounding
  spaces), as every other name.

Tried and already refused or handled, so not repeated here: episode facts whose window falls
after the scenario's last day or before its first, on a militia the scenario lacks (or in
another case), with an unknown action, dates that are not dates ('June 22 2008',
2008-13-01), a list as target, no facts, no or an unknown or a numeric ``scenario``, a
``horizon_days`` of 0, negative or 10**9, fact names in Unicode or repeated, the episode's
``name`` not its file's; a fit episode given to ``validate-model`` (reported in-sample);
``short_name`` with markup (escaped in report.html and the dashboard), with ``$`` (charts
draw it); ``capital_fighters`` and ``local_fighters`` both given (in a file or by --set), the
old name given by --set; operations with 0 troops or 0 days, after the horizon, on a militia
the scenario lacks; ``--posterior`` on a run folder, an empty folder, a file, a missing
folder, the scenarios' folder, a truncated posterior.parquet or manifest.json, NaN, negative or
infinite weights or values, an empty table, no weight column, a weight column of text, a
posterior.parquet that is a folder or a dangling link; compare variants that set one path
twice, repeat one another, or set a calibrated parameter with the posterior (kept, as --set);
``--out`` on a read-only file system, on a full one (a 200 KB tmpfs: run, compare,
validate-model and sweep end in exit 2 naming the folder, an existing result kept; the sweep's
saved runs kept for --resume), and a second verb on a folder in use.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import leverage_sim as ls
from leverage_sim.calibration import validation
from leverage_sim.simulation.posterior import load_posterior, with_values
from tests.posterior_fixture import (
    BASE_VALUES,
    FOLDER,
    PRIORS,
    particles,
    write_posterior,
)
from tests.validation_fixture import toy_episode

TOLERANCE = "foreign_forces.casualty_tolerance"


# ---- a user's scenario file that extends a fitted scenario, given by path or --scenario-dir ---
def _basra_posterior(folder: Path):
    """A small posterior with the casualty tolerance (20 in every particle, 6 in the base
    scenario), fitted on basra_2008 with its 500."""
    table = particles()
    table[TOLERANCE] = 20.0
    return load_posterior(write_posterior(
        folder / "p", table, base_values={**BASE_VALUES, TOLERANCE: 6.0},
        parameters={**PRIORS, TOLERANCE: {"distribution": "uniform", "low": 2, "high": 30}},
        fitted_scenarios={"basra_2008": {TOLERANCE: 500.0}}))


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    """A folder of the user's own, on no scenario path: one scenario inheriting basra_2008's
    casualty tolerance, one changing it."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "my_basra.yaml").write_text("extends: basra_2008\nquestion: as Basra\n",
                                          encoding="utf-8")
    (folder / "my_cf.yaml").write_text(
        "extends: basra_2008\nforeign_forces: {casualty_tolerance: 50}\n", encoding="utf-8")
    return folder


def test_a_scenario_file_given_by_path_draws_what_it_inherits(tmp_path, mine):
    """Loaded from its path, or by name from a --scenario-dir, the file inherits basra_2008's
    fitted tolerance unchanged, so it is drawn as on basra_2008 (it was kept: the chain was
    followed from the name 'my_basra', which no searched folder holds); a change is kept."""
    post = _basra_posterior(tmp_path)
    for loaded in (ls.load_scenario(mine / "my_basra.yaml"),
                   ls.load_scenario("my_basra", scenario_dirs=[mine])):
        assert TOLERANCE in post.use(loaded).drawn
        # a compare variant and a posterior draw are copies read from the same file
        variant = ls.load_scenario(loaded, {"foreign_forces.backing": 0.9})
        assert TOLERANCE in post.use(variant).drawn
        drawn = with_values(loaded, {"government.decision_sharpness": 5.0}, "a test")
        assert TOLERANCE in post.use(drawn).drawn
    assert TOLERANCE in post.use(ls.load_scenario(mine / "my_cf.yaml")).kept


def test_a_sweep_of_a_scenario_file_draws_what_it_inherits_from_any_folder(
        tmp_path, mine, monkeypatch):
    """The sweep's points are read from its base file, stored with its absolute path, so they
    draw the inherited tolerance, also when the sweep is resumed or rerun from another
    working folder (a relative path found no file there: the tolerance was kept)."""
    from leverage_sim.simulation.worker import point_scenario
    from leverage_sim.sweep import SweepSpec, run_sweep

    post = _basra_posterior(tmp_path)
    monkeypatch.chdir(mine)
    spec = SweepSpec.from_cli("my_basra.yaml", ["foreign_forces.backing=0.2,0.8"],
                              replications=1, seed=3, posterior=str(post.path.resolve()))
    out = run_sweep(spec, tmp_path / "s", executor="serial")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert TOLERANCE in manifest["posterior"]["drawn"]
    monkeypatch.chdir(tmp_path)
    point = point_scenario(manifest["base_scenario"], manifest["base_source"],
                           {"foreign_forces.backing": 0.8})
    assert TOLERANCE in post.use(point).drawn


def test_where_a_scenario_was_read_from_is_not_part_of_it(mine):
    by_path = ls.load_scenario(mine / "my_basra.yaml")
    assert by_path.origin == (str(mine / "my_basra.yaml"),)
    assert by_path == ls.load_scenario("my_basra", scenario_dirs=[mine])
    assert by_path.model_dump() == ls.load_scenario("my_basra", scenario_dirs=[mine]).model_dump()


def test_run_of_a_scenario_file_draws_the_committed_posteriors_fitted_values(mine, cli):
    """The CLI with the committed calibration: basra_2008's fitted prior_backing and casualty
    tolerance were 'kept at the scenario's own values' for the user's file."""
    code, out, err = cli("run", mine / "my_basra.yaml", "-n", 1, "-q")
    assert code == 0, err
    first = out.splitlines()[0]
    assert "calibrated posterior" in first and "kept at the scenario's own values" not in first
    code, out, err = cli("run", mine / "my_cf.yaml", "-n", 1, "-q")
    assert code == 0, err
    assert f"not drawn: {TOLERANCE}" in out.splitlines()[0]


# ---- an episode the posterior was fitted to, marked held_out --------------------------------
@pytest.mark.parametrize("listed", [
    {"name": "june_2020_toy", "file": "episodes/june_2020_toy.yaml", "role": "fit"},
    {"file": "episodes/june_2020_toy.yaml", "role": "fit"},  # a manifest without names
])
def test_an_episode_the_posterior_fitted_is_not_reported_held_out(tmp_path, listed):
    episode = toy_episode(60)
    assert episode.role == "held_out"  # what its file says
    fitted = load_posterior(write_posterior(tmp_path / "p", episodes=[listed]))
    report = validation.validate([episode], fitted, 2, seed=1).markdown()
    assert "## june_2020_toy (fitted: an in-sample check)" in report
    assert "(held out)" not in report


def test_an_episode_the_posterior_did_not_fit_stays_held_out(tmp_path):
    other = load_posterior(write_posterior(tmp_path / "p", episodes=[
        {"name": "june_2020_raid", "file": "episodes/june_2020_raid.yaml", "role": "fit"},
        {"name": "june_2020_toy", "file": "episodes/june_2020_toy.yaml", "role": "held_out"},
        "damaged", {"role": "fit"}]))
    report = validation.validate([toy_episode(60)], other, 2, seed=1).markdown()
    assert "## june_2020_toy (held out)" in report


# ---- foreign_forces.short_name -------------------------------------------------------------
@pytest.mark.parametrize(("short", "said"), [
    ("X" * 20_000, "at most 100 characters"),
    ("   ", "must not be empty"),
    (" US", "must not start or end with spaces"),
    ("MNF-I ", "must not start or end with spaces"),
])
def test_a_short_name_no_text_could_carry_is_refused(short, said, tmp_path, cli):
    with pytest.raises(ls.InputError, match="foreign_forces.short_name") as e:
        ls.load_scenario("june_2020_replay", {"foreign_forces.short_name": short})
    assert said in str(e.value)
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump({"extends": "june_2020_replay",
                                    "foreign_forces": {"short_name": short}}), encoding="utf-8")
    code, _, err = cli("run", path, "-n", 1, "-q", "--posterior", "none")
    assert code == 2 and "Traceback" not in err
    assert err.count("\n") == 1 and "foreign_forces.short_name" in err and said in err


@pytest.mark.parametrize("short", ["", "MNF-I", "British", "X" * 100])
def test_a_short_name_that_is_a_name_or_empty_is_accepted(short):
    force = ls.load_scenario("june_2020_replay",
                             {"foreign_forces.short_name": short}).foreign_forces
    assert force.label == (short or "US")


# ---- compare given its scenarios or variants as a set ---------------------------------------
@pytest.mark.parametrize("given", [
    {"scenarios": {"amarah_2008", "basra_2008"}},
    {"scenarios": frozenset({"amarah_2008", "basra_2008"})},
    {"scenarios": "amarah_2008", "variants": {"foreign_forces.backing=0.1",
                                              "foreign_forces.backing=0.2"}},
])
def test_compare_refuses_columns_without_an_order(given):
    """A set's order (so the reference column and the master seed) changed with the session."""
    with pytest.raises(ls.InputError, match="in an order \\(a list or a tuple\\), not a set"):
        ls.compare(**given, replications=2, posterior="none")


def test_compare_keeps_the_order_it_is_given():
    for order in (["amarah_2008", "basra_2008"], ("basra_2008", "amarah_2008")):
        assert list(ls.compare(order, 2, posterior="none").results) == list(order)


# ---- the dashboard's scenario file beside a user's file of its temporary name ----------------
def test_saving_a_scenario_file_leaves_the_users_files_alone(tmp_path):
    from leverage_sim.dashboard.scenario_file import save_scenario

    notes = tmp_path / ".mine.yaml.partial"
    notes.write_text("my notes\n", encoding="utf-8")
    saved = save_scenario(ls.load_scenario("amarah_2008"), tmp_path / "mine.yaml")
    assert notes.read_text(encoding="utf-8") == "my notes\n"
    assert ls.load_scenario(saved).name == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".mine.yaml.partial", "mine.yaml"]


# ---- a --set, variant or swept path that picks a list entry by position or with spaces -------
@pytest.mark.parametrize(("path", "named"), [
    ("militias[0].mobilisation", "militias[KH].mobilisation"),
    ("militias[-4].mobilisation", "militias[KH].mobilisation"),
    ("militias[ KH ].mobilisation", "militias[KH].mobilisation"),
    ("foreign_forces.sites[0].interception", "foreign_forces.sites[bases].interception"),
])
def test_a_value_set_by_position_is_not_replaced_by_the_draw(path, named):
    """Set at the scenario's own value (so only the --set says it is the user's), it is kept."""
    value = BASE_VALUES[named]
    post = load_posterior(FOLDER)
    scenario = ls.load_scenario("june_2020_replay", {path: value})
    assert named in post.use(scenario, [path]).kept
    res = ls.run("june_2020_replay", 2, overrides={path: value}, posterior=FOLDER)
    assert named in res.posterior["kept"] and named not in res.posterior["drawn"]


def test_a_sweep_by_position_runs_its_values(tmp_path):
    from leverage_sim.sweep import SweepSpec, load_sweep, run_sweep

    rows = {}
    for path in ("militias[KH].mobilisation", "militias[0].mobilisation"):
        spec = SweepSpec.from_cli("june_2020_replay", [f"{path}=0.2,0.45"], replications=2,
                                  seed=4, posterior=str(FOLDER))
        out = run_sweep(spec, tmp_path / path.replace("[", "_").replace("]", "_"),
                        executor="serial")
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        assert "militias[KH].mobilisation" in manifest["posterior"]["kept"]
        rows[path] = load_sweep(out)[["attacks", "final_authority"]].to_numpy().tolist()
    assert rows["militias[0].mobilisation"] == rows["militias[KH].mobilisation"]
