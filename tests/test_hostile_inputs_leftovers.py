"""Careless input the fourth audit left as low severity: a switch such as ``force`` given as the
text "no", a bootstrap asked for more resamples than memory holds, a scenario not found
because an entry of $LEVERAGE_SIM_SCENARIO_PATH names no folder, binary data (YAML's
``!!binary``) read as a number, and a name too long to label anything."""

from __future__ import annotations

import pytest

import leverage_sim as ls
from leverage_sim.cli.main import main as cli
from leverage_sim.errors import InputError
from leverage_sim.files.safe_text import MAX_NAME_LENGTH
from leverage_sim.outputs.summaries import MAX_BOOT, summarise

TINY = {"horizon_days": 3, "events": []}


@pytest.fixture(scope="module")
def results() -> ls.Results:
    return ls.run(ls.load_scenario("june_2020_replay", TINY), 2, seed=1, posterior=None)


@pytest.mark.parametrize("switch", ["no", "False", 0, 2, None])
def test_force_and_resume_must_be_true_or_false(results, tmp_path, switch):
    """force="no" read as on would replace a folder the user meant to keep."""
    out = tmp_path / "kept"
    results.save(out)
    before = sorted(p.name for p in out.iterdir())
    with pytest.raises(InputError, match=r"force must be True or False, got"):
        results.save(out, force=switch)
    assert sorted(p.name for p in out.iterdir()) == before
    with pytest.raises(InputError, match=r"resume must be True or False"):
        ls.run_sweep(None, tmp_path / "sweep", resume=switch)


def test_bootstrap_resamples_are_capped(results):
    table = results.summary
    assert len(summarise(table, by=[], outcomes=["attacks"], n_boot=MAX_BOOT)) == 1
    with pytest.raises(InputError, match=r"n_boot must be at most 100,000, got 10,000,000,000"):
        summarise(table, by=[], outcomes=["attacks"], n_boot=10**10)


def test_a_scenario_path_entry_that_is_no_folder_is_named_when_a_name_is_not_found(
        tmp_path, monkeypatch, capsys):
    typo = tmp_path / "my-scenarois"
    (tmp_path / "my-scenarios").mkdir()
    monkeypatch.setenv("LEVERAGE_SIM_SCENARIO_PATH", f"{tmp_path / 'my-scenarios'}:{typo}")
    with pytest.raises(InputError, match=r"entries that are no folder, skipped: '.*my-scenarois'"):
        ls.load_scenario("what_if_mine")
    assert cli(["run", "what_if_mine", "-n", "1"]) == 2
    err = capsys.readouterr().err
    assert "my-scenarois" in err and "Traceback" not in err
    monkeypatch.setenv("LEVERAGE_SIM_SCENARIO_PATH", str(tmp_path / "my-scenarios"))
    with pytest.raises(InputError) as found:
        ls.load_scenario("what_if_mine")
    assert "no folder" not in str(found.value)  # every entry is a folder: nothing to name



def test_a_package_without_its_scenarios_says_so_when_a_name_is_not_found(tmp_path,
                                                                          monkeypatch):
    """Installed from a built wheel (no scenarios/ beside the package), a name is not found
    in any folder: the message says why and how leverage-sim is installed, rather than
    "searched ;" with nothing after it."""
    from leverage_sim.scenario import loader
    monkeypatch.setattr(loader, "BUILTIN_SCENARIO_DIR", tmp_path / "site-packages-scenarios")
    monkeypatch.chdir(tmp_path)  # no ./scenarios either
    monkeypatch.delenv("LEVERAGE_SIM_SCENARIO_PATH", raising=False)
    with pytest.raises(InputError) as e:
        ls.load_scenario("june_2020_replay")
    said = str(e.value)
    assert "searched no folder" in said and "own scenarios are missing" in said
    assert "make install" in said and "site-packages-scenarios" in said
    monkeypatch.undo()
    with pytest.raises(InputError) as found:
        ls.load_scenario("what_if_mine")
    assert "own scenarios are missing" not in str(found.value)

@pytest.mark.parametrize("overrides", [
    ["government={resolve: 0.3}", "government.resolve=0.5"],
    ["government.resolve=0.5", "government={resolve: 0.3}"],
    ["government={resolve: 0.3}", "government={resolve: 0.5}"],
    ["events[0].day=3", "events=[]"],
])
def test_two_overrides_of_one_field_are_refused_however_they_name_it(overrides):
    """As two dotted paths to one field were: only the last would hold, silently."""
    with pytest.raises(InputError, match=r"(set the same field|is given twice).*give it once"):
        ls.load_scenario("june_2020_replay", overrides)


def test_overrides_of_different_fields_of_one_section_still_combine():
    scenario = ls.load_scenario("june_2020_replay", ["government={resolve: 0.3}",
                                                     "government.prior_backing=0.5"])
    assert (scenario.government.resolve, scenario.government.prior_backing) == (0.3, 0.5)


@pytest.mark.parametrize(("line", "field"), [
    ("  resolve: !!binary MC4z", "government.resolve"),  # b"0.3": read as 0.3 before
    ("  name: !!binary R292ZXJubWVudA==", "government.name"),  # b"Government"
])
def test_binary_data_is_refused_where_a_number_or_text_is_expected(tmp_path, capsys, line,
                                                                   field):
    path = tmp_path / "binary.yaml"
    path.write_text(f"extends: june_2020_replay\ngovernment:\n{line}\n")
    with pytest.raises(InputError, match=rf"{field}.*must not be binary data"):
        ls.load_scenario(path)
    assert cli(["run", str(path), "-n", "1", "--posterior", "none"]) == 2
    err = capsys.readouterr().err
    assert "binary data" in err and "Traceback" not in err


def test_a_name_longer_than_a_label_is_refused_with_its_length(tmp_path, capsys):
    """A name labels tables, charts and folders (file systems cap a name at 255 bytes)."""
    long_name = "a" * (MAX_NAME_LENGTH + 1)
    path = tmp_path / "long_name.yaml"
    path.write_text(f"extends: june_2020_replay\nname: {long_name}\n")
    with pytest.raises(InputError, match=rf"at most {MAX_NAME_LENGTH} characters, not "
                                         rf"{MAX_NAME_LENGTH + 1}"):
        ls.load_scenario(path)
    assert cli(["run", str(path), "-n", "1", "--posterior", "none"]) == 2
    assert "Traceback" not in capsys.readouterr().err
    path.write_text(f"extends: june_2020_replay\nname: {long_name[1:]}\n")
    assert ls.load_scenario(path, TINY).name == long_name[1:]  # the longest allowed


def test_a_column_parquet_cannot_hold_is_refused_before_any_file_is_written(results, tmp_path):
    """A Python object put into a table by hand used to stop Results.save with pyarrow's
    ArrowInvalid after the tables before it were written."""
    import copy

    edited = copy.copy(results)
    edited.summary = results.summary.assign(note=[object() for _ in range(len(results.summary))])
    out = tmp_path / "res"
    with pytest.raises(InputError, match=r"Results\.summary cannot be written as Parquet .*"
                                         r"column note.*fmt='csv'"):
        edited.save(out)
    assert not out.exists()
    assert {p.name for p in edited.save(tmp_path / "csv", fmt="csv")} >= {"summary.csv"}
