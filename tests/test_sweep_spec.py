"""Sweep files and --param parsing: what is accepted, and the errors for what is not."""

import numpy as np
import pytest

from leverage_sim.cli.main import main as cli
from leverage_sim.errors import InputError
from leverage_sim.sweep import SweepSpec, build_design


def test_from_cli_parses_ranges_lists_and_continuous_bounds():
    spec = SweepSpec.from_cli("june_2020_replay", ["foreign_forces.backing=0:1:11",
                                                   "patron.instigation=0.2,0.5,0.8"],
                              replications=3, seed=4)
    backing = spec.parameters["foreign_forces.backing"].discrete
    assert backing == pytest.approx(np.linspace(0, 1, 11).tolist())
    assert backing[0] == 0 and backing[-1] == 1
    assert spec.parameters["patron.instigation"].discrete == [0.2, 0.5, 0.8]
    cont = SweepSpec.from_cli("june_2020_replay", ["patron.instigation=0.1:0.9"],
                              design="lhs", samples=8)
    p = cont.parameters["patron.instigation"]
    assert (p.low, p.high, p.discrete) == (0.1, 0.9, None)


@pytest.mark.parametrize("param, expected", [
    ("foreign_forces.backing", "has no '='"),
    ("foreign_forces.backing=0:1:x", "cannot read '0:1:x'"),
    ("foreign_forces.backing=0:1:2:3", "lo:hi:n"),
    ("foreign_forces.backing=", "comma list"),
    ("foreign_forces..backing=0,1", "not valid at character"),
])
def test_bad_param_is_a_clear_error(param, expected):
    with pytest.raises(InputError, match=expected) as e:
        SweepSpec.from_cli("june_2020_replay", [param])
    assert "\n" not in str(e.value)


def test_grid_rejects_continuous_parameters_and_samples():
    with pytest.raises(InputError, match=r"grid design needs discrete.*patron\.instigation.*"
                       r"range: \[lo, hi\] with steps"):
        SweepSpec.from_cli("june_2020_replay", ["patron.instigation=0.1:0.9"])
    with pytest.raises(InputError, match="samples is only for"):
        SweepSpec.from_cli("june_2020_replay", ["patron.instigation=0,1"], samples=4)
    with pytest.raises(InputError, match="design lhs needs samples"):
        SweepSpec.from_cli("june_2020_replay", ["patron.instigation=0.1:0.9"], design="lhs")


def write(tmp_path, text):
    path = tmp_path / "my_sweep.yaml"
    path.write_text(text)
    return path


def test_sweep_file_round_trip(tmp_path):
    path = write(tmp_path, """
base: june_2020_replay
overrides: {horizon_days: 60}
design: lhs
samples: 10
replications: 2
seed: 5
parameters:
  foreign_forces.backing: {low: 0, high: 1}
  militias[KH].mobilisation: {distribution: normal, mean: 0.45, sd: 0.1, low: 0.2, high: 0.7}
outputs: {timeseries: true, every: 7}
""")
    spec = SweepSpec.from_file(path)
    assert spec.name == "my_sweep"  # from the file name
    assert spec.paths == ["foreign_forces.backing", "militias[KH].mobilisation"]
    assert spec.outputs.every == 7 and spec.overrides == {"horizon_days": 60}


@pytest.mark.parametrize("body, expected", [
    ("base: june_2020_replay\nreplicatons: 5\nparameters: {patron.instigation: {values: [0.1]}}",
     r"'replicatons': unknown field — did you mean 'replications'"),
    ("base: june_2020_replay\nparameters:\n  foreign_forces.backing: {range: [0, 1]}",
     r"parameters\['foreign_forces.backing'\]'.*range needs steps"),
    ("base: june_2020_replay\nparameters:\n  foreign_forces.backing: {valuez: [0, 1]}",
     r"parameters\['foreign_forces.backing'\].valuez'.*did you mean 'values'"),
    (("base: june_2020_replay\nparameters:\n  foreign_forces.backing: {distribution: normal, "
      "mean: 0.5}"), r"distribution normal needs mean, sd \(missing sd\)"),
    ("base: june_2020_replay\nparameters: {}", r"'parameters': .*at least 1"),
    ("base: june_2020_replay\nreplications: 0\nparameters: {patron.instigation: {values: [0]}}",
     r"'replications': Input should be greater than or equal to 1"),
    ("base: june_2020_replay\nparameters:\n  foreign_forces.backing: [0, 1\n",
     r"malformed YAML at line 4"),
])
def test_bad_sweep_file_names_file_and_field(tmp_path, body, expected):
    path = write(tmp_path, body)
    with pytest.raises(InputError, match=expected) as e:
        SweepSpec.from_file(path)
    assert str(path) in str(e.value)


def test_out_of_range_value_is_caught_before_running(tmp_path):
    from leverage_sim.sweep import run_sweep

    spec = SweepSpec.from_cli("june_2020_replay", ["foreign_forces.backing=0:2:3"])
    with pytest.raises(InputError, match=r"design point 2 \(foreign_forces.backing=2\.0\).*"
                       r"allowed range 0 to 1"):
        run_sweep(spec, tmp_path / "out", executor="serial")
    assert not (tmp_path / "out").exists()  # nothing written for a sweep that cannot run


def test_cli_bad_input_exits_2_with_one_paragraph(tmp_path, capsys):
    code = cli(["sweep", "june_2020_replay", "--param", "foreign_forces.backing=a:b:c",
                "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "--param 'foreign_forces.backing=a:b:c'" in err
    assert cli(["sweep", "june_2020_replay", "--out", str(tmp_path / "o")]) == 2
    assert "say what to sweep with --param" in capsys.readouterr().err
    assert cli(["sweep", "no_such_sweep_or_scenario", "--param", "x=1,2"]) == 2
    assert "No scenario named 'no_such_sweep_or_scenario'" in capsys.readouterr().err


def test_shipped_sweeps_are_valid_and_small():
    for name, points in [("backing_sweep", 11), ("backing_instigation_grid", 18),
                         ("replay_sobol", 64 * (4 + 2))]:
        spec = SweepSpec.from_file(name)
        assert build_design(spec, 0).n_points == points
        assert build_design(spec, 0).n_points * spec.replications <= 2000


def test_docs_sweep_examples_are_valid_sweeps():
    """The `leverage-sim sweep` commands and the sweep-file example of docs/sweeps.md describe
    valid sweeps (they are too long to run in the suite; the shipped files are run elsewhere)."""
    import re
    import shlex
    from pathlib import Path

    import yaml

    from leverage_sim.cli.main import build_parser
    from leverage_sim.cli.sweep_cmd import build_spec

    section = (Path(__file__).resolve().parents[1] / "docs" / "sweeps.md").read_text(
        encoding="utf-8")
    checked = 0
    for body in re.findall(r"^```bash\n(.*?)^```", section, re.DOTALL | re.MULTILINE):
        for line in body.replace("\\\n", " ").splitlines():
            args = shlex.split(line, comments=True)
            if args[:2] == ["leverage-sim", "sweep"] and "--resume" not in args:
                spec = build_spec(build_parser().parse_args(args[1:]))
                assert spec.replications >= 1 and spec.parameters
                checked += 1
    example = re.search(r"^```yaml\n(# scenarios/sweeps/.*?)^```", section,
                        re.DOTALL | re.MULTILINE).group(1)
    shipped = SweepSpec.from_file("backing_instigation_grid")
    assert SweepSpec.parse({**yaml.safe_load(example), "name": shipped.name},
                           "docs/sweeps.md") == shipped
    assert checked >= 3
