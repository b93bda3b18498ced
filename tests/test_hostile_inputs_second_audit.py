"""Careless or hostile input found by the second audit (December 2026): numbers YAML would
read in another base, one parameter given twice (or under two spellings), explore's folder
holding a user's file, runs kept when writing the answer fails, arguments that are not UTF-8,
scenario folders that cannot be read, a Ctrl-C inside compiled code, impossible limits."""

from __future__ import annotations

import errno

import pytest

from leverage_sim.analysis import explore_run
from leverage_sim.analysis.robust import parse_limits
from leverage_sim.cli.main import main
from leverage_sim.errors import InputError, is_interrupt
from leverage_sim.files.safe_yaml import load_text
from leverage_sim.scenario import loader
from leverage_sim.scenario.loader import load_scenario
from leverage_sim.sweep import SweepSpec
from leverage_sim.sweep.spec import parse_params


@pytest.mark.parametrize(("text", "kind"), [("0100", "octal"), ("010", "octal"),
                                             ("1:00", "base-60"), ("1:30.5", "base-60")])
def test_numbers_yaml_reads_in_another_base_are_refused(text, kind):
    with pytest.raises(InputError, match=f"'{text}' is read by YAML as an? {kind}.*quote it"):
        load_text(f"horizon_days: {text}", "s.yaml")


@pytest.mark.parametrize(("text", "value"), [("5e-1", 0.5), ("1e4", 10000.0), ("0", 0),
                                              ("0.5", 0.5), ("'0100'", "0100"), ("1_000", 1000)])
def test_plain_numbers_and_exponents_read_as_written(text, value):
    assert load_text(f"x: {text}", "s.yaml") == {"x": value}


def test_set_with_a_leading_zero_is_refused_not_run_as_octal(capsys):
    assert main(["run", "june_2020_replay", "-n", "1", "-q", "--posterior", "none",
                 "--set", "horizon_days=0100"]) == 2
    assert "octal number (64)" in capsys.readouterr().err


def test_one_field_set_twice_or_under_two_spellings_is_refused():
    with pytest.raises(InputError, match="given twice"):
        load_scenario("june_2020_replay", overrides=["foreign_forces.backing=0.5",
                                                     "foreign_forces.backing=0.6"])
    with pytest.raises(InputError, match=r"set the same field \(militias\[0\]\.autonomy\)"):
        load_scenario("june_2020_replay", overrides={"militias[KH].autonomy": 0.5,
                                                     "militias[0].autonomy": 0.6})
    with pytest.raises(InputError, match="--param 'foreign_forces.backing' is given twice"):
        parse_params(["foreign_forces.backing=0,1", "foreign_forces.backing=0.5"])


def test_a_sweep_varying_one_field_under_two_spellings_is_refused_before_running(tmp_path):
    from leverage_sim.sweep import run_sweep

    spec = SweepSpec.from_cli("june_2020_replay", ["militias[KH].autonomy=0.1,0.2",
                                                   "militias[0].autonomy=0.5,0.9"],
                              overrides={"horizon_days": 55}, posterior="none")
    with pytest.raises(InputError, match="set the same field"):
        run_sweep(spec, tmp_path / "s", executor="serial")
    assert not (tmp_path / "s").exists()


def _explore(out, **kw):
    return explore_run.explore("june_2020_replay", ["foreign_forces.backing=0:1:2"], out=out,
                               quick=True, executor="serial", quiet=True, **kw)


def test_explore_force_never_replaces_a_users_file_in_its_sweep_folder(tmp_path):
    out = tmp_path / "ex"
    _explore(out)
    (out / "sweep" / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match=r"did not write \(sweep/notes.txt\)"):
        _explore(out, force=True)
    assert (out / "sweep" / "notes.txt").read_text() == "mine"


def test_explore_keeps_its_runs_when_writing_the_answer_fails(tmp_path, monkeypatch, capsys):
    """A full disk after the sweep finished keeps the runs (and says how to finish)."""
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(explore_run, "write", full)
    out = tmp_path / "ex"
    with pytest.raises(InputError, match="results written before it are kept.*--resume"):
        _explore(out)
    assert (out / "sweep" / "manifest.json").is_file()
    assert "explore --resume --out" in capsys.readouterr().err
    monkeypatch.undo()
    exp = _explore(out, resume=True)  # the answer, from the kept runs
    assert (out / "explore.json").is_file() and len(exp.settings) == 2


def test_arguments_that_are_not_utf8_are_a_usage_error(capsys, monkeypatch):
    bad = b"res\xff".decode("utf-8", "surrogateescape")
    assert main(["run", "june_2020_replay", "-n", "1", "--out", bad]) == 2
    assert r"'res\xff'" in capsys.readouterr().err
    monkeypatch.setenv(loader.ENV_SCENARIO_PATH, bad)
    assert main(["list"]) == 2


def test_an_unreadable_scenario_folder_is_named_not_a_traceback(tmp_path, monkeypatch, capsys):
    too_long = str(tmp_path / ("z" * 300))
    monkeypatch.setenv(loader.ENV_SCENARIO_PATH, too_long)
    with pytest.raises(InputError, match=r"\$LEVERAGE_SIM_SCENARIO_PATH entry .* cannot be read"):
        loader.scenario_dirs()
    monkeypatch.delenv(loader.ENV_SCENARIO_PATH)
    with pytest.raises(SystemExit) as stop:
        main(["list", "--scenario-dir", too_long])
    assert stop.value.code == 2 and "cannot be read" in capsys.readouterr().err


def test_rerun_on_a_file_says_it_is_not_a_sweep_folder(tmp_path, capsys):
    (tmp_path / "afile.txt").write_text("x")
    assert main(["rerun", str(tmp_path / "afile.txt"), "--run-id", "0"]) == 2
    err = capsys.readouterr().err
    assert "is a file, not a sweep folder" in err and "--force" not in err


def test_ctrl_c_inside_compiled_code_counts_as_an_interrupt():
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as ki:
            raise SystemError("returned a result with an exception set") from ki
    except SystemError as e:
        assert is_interrupt(e)
    assert is_interrupt(KeyboardInterrupt()) and not is_interrupt(SystemError("other"))


def test_a_negative_cost_limit_is_refused():
    with pytest.raises(InputError, match="never below 0"):
        parse_limits(["raids=-1"])
    assert parse_limits(["raids=0"]) == {"raids": 0.0}


def test_sweep_manifest_read_errors_never_advise_force(tmp_path):
    from leverage_sim.sweep.storage import SweepStore

    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "manifest.json").write_text("{")
    with pytest.raises(InputError, match="is damaged"):
        SweepStore(tmp_path / "s").read_manifest()


def test_a_scenario_name_with_both_yaml_and_yml_is_ambiguous(tmp_path):
    text = (loader.BUILTIN_SCENARIO_DIR / "kh_decapitated.yaml").read_text()
    for suffix in (".yaml", ".yml"):
        (tmp_path / f"x{suffix}").write_text(text)
    with pytest.raises(InputError, match="'x' is ambiguous: .* both x.yaml and x.yml"):
        loader.find_scenario("x", [tmp_path])


def test_out_through_a_dangling_symbolic_link_is_refused(tmp_path, capsys):
    link = tmp_path / "d"
    link.symlink_to(tmp_path / "nowhere" / "x")
    assert main(["run", "june_2020_replay", "-n", "1", "-q", "--posterior", "none",
                 "--out", str(link)]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert not (tmp_path / "nowhere").exists()


def test_written_folder_names_are_shown_escaped(tmp_path, capsys):
    out = tmp_path / "esc\x1b[2Jdir"
    assert main(["run", "june_2020_replay", "-n", "1", "-q", "--posterior", "none",
                 "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "\x1b" not in printed and r"esc\x1b[2Jdir/" in printed


def test_compare_takes_one_variant_as_text_and_names_a_wrong_type():
    from leverage_sim.analysis.comparison import columns

    assert len(columns("june_2020_replay", variants="foreign_forces.backing=0.5")) == 2
    with pytest.raises(InputError, match="Variant 5: give each variant"):
        columns("june_2020_replay", variants=[5])


def test_resuming_a_sweep_whose_posterior_moved_says_to_put_it_back(tmp_path):
    """The stored sweep names its posterior's folder; --resume cannot take another, so the fix
    is to restore that folder (or start anew), not to give --posterior."""
    import shutil

    from leverage_sim.sweep import run_sweep
    from tests.posterior_fixture import FOLDER

    mine = tmp_path / "mypost"
    shutil.copytree(FOLDER, mine)
    spec = SweepSpec.from_cli("june_2020_replay", ["foreign_forces.backing=0,1"],
                              overrides={"horizon_days": 55}, posterior=str(mine))
    out = run_sweep(spec, tmp_path / "s", executor="serial")
    mine.rename(tmp_path / "elsewhere")
    with pytest.raises(InputError, match="ran with the posterior in .*mypost.*Put that folder "
                                         "back"):
        run_sweep(None, out, resume=True, executor="serial")


def test_a_sweep_whose_overrides_misfit_names_the_sweep_not_the_scenario(tmp_path):
    from leverage_sim.sweep import run_sweep

    spec = SweepSpec.from_cli("june_2020_replay", ["foreign_forces.backing=0,1"],
                              overrides={"horizn_days": 55}, posterior="none", name="sw")
    with pytest.raises(InputError, match="Sweep 'sw': its overrides .*fix the sweep's"):
        run_sweep(spec, tmp_path / "s", executor="serial")


def test_a_file_or_folder_of_the_wrong_kind_is_named_as_such(tmp_path):
    from leverage_sim.calibration.config import load_calibration
    from leverage_sim.simulation.posterior import load_posterior

    (tmp_path / "afile.txt").write_text("x")
    with pytest.raises(InputError, match="is a folder, not a file"):
        load_calibration(tmp_path)
    with pytest.raises(InputError, match="is a file, not a folder"):
        load_posterior(tmp_path / "afile.txt")


def test_out_inside_another_leverage_sim_folder_is_refused(tmp_path, capsys):
    run = tmp_path / "r"
    assert main(["run", "june_2020_replay", "-n", "1", "-q", "--posterior", "none",
                 "--out", str(run)]) == 0
    assert main(["run", "june_2020_replay", "-n", "1", "-q", "--posterior", "none",
                 "--out", str(run / "sub")]) == 2
    assert "lies inside" in capsys.readouterr().err and not (run / "sub").exists()
