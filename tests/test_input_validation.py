"""Hostile and mistaken scenario input (issue 12, items 5, 6, 7, 10, 14, 15): each is refused
with exit 2 and a message naming the file, the event and the field, never a traceback."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

import leverage_sim as ls
from leverage_sim.errors import InputError
from leverage_sim.files import safe_yaml
from leverage_sim.scenario.event_schema import rules_table
from leverage_sim.scenario.loader import deep_merge
from leverage_sim.scenario.schema import Government, Militia, Patron
from leverage_sim.scenario.schema_base import numeric_type
from leverage_sim.sweep import run_sweep
from leverage_sim.sweep.spec import SweepSpec

SHORT = "horizon_days=55"  # past both replay events (days 49 and 52); keeps runs fast




def write(tmp_path: Path, text: str, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def refused(cli, path: Path, *expected: str, verbs: tuple[str, ...] = ("validate", "run")) -> str:
    """``validate`` and ``run -n 1`` both exit 2 naming the file and each expected fragment."""
    message = ""
    for verb in verbs:
        args = [verb, path] + (["-n", 1, "-q"] if verb == "run" else [])
        code, _, err = cli(*args)
        assert code == 2, (verb, err)
        assert "Traceback" not in err and "internal error" not in err
        assert str(path) in err
        for fragment in expected:
            assert fragment in err, (verb, fragment, err)
        message = err
    return message


def event_file(tmp_path: Path, event: str) -> Path:
    return write(tmp_path, f"extends: june_2020_replay\nevents:\n  - {event}\n")


# ---- item 5: scripted events: typed figures, who may act, what they aim at --------------------
@pytest.mark.parametrize("event, expected", [
    ("{date: 2020-06-20, actor: government, action: attack, target: bases}",
     ["events[2].actor", "'attack' is done by a militia", "not by 'government'"]),
    ("{name: ct_raid, figures: {arrests: -5}}",
     ["events[0] (ct_raid).figures.arrests", "allowed range 0 to 500 persons", "got -5"]),
    ("{name: ct_raid, figures: {arrests: 1000000000}}",
     ["events[0] (ct_raid).figures.arrests", "allowed range 0 to 500"]),
    ("{name: ct_raid, figures: {arrests: many}}",
     ["events[0] (ct_raid).figures.arrests", "must be a whole number"]),
    ("{name: ct_raid, figures: {arests: 3}}",
     ["events[0] (ct_raid).figures.arests", "did you mean 'arrests'"]),
    ("{name: ct_raid, figures: {arrests: 3, targets: 4}}", ["not both"]),
    ("{name: embassy_rocket_defence, figures: {interception: abc}}",
     ["events[1] (embassy_rocket_defence).figures.interception", "must be a number"]),
    ("{name: embassy_rocket_defence, figures: {interception: 5}}",
     ["figures.interception", "allowed range 0 to 1"]),
    ("{day: 3, actor: foreign_forces, action: deploy_defence, target: embassy}",
     ["events[2].figures.interception", "Field required"]),
    ("{day: 3, actor: foreign_forces, action: drawdown, figures: {troops: -100000}}",
     ["events[2].figures.troops", "allowed range 1 to 1000000 troops"]),
    ("{day: 3, actor: patron, action: truce, figures: {instigation: 5}}",
     ["events[2].figures.instigation", "allowed range 0 to 1"]),
    ("{day: 3, actor: patron, action: set, figures: {patron.instigation: high}}",
     ["events[2].figures['patron.instigation']", "must be a number"]),
    ("{day: 3, actor: KH, action: set, figures: {'militias[KH].cohesion': -3}}",
     ["events[2].figures['militias[KH].cohesion']", "allowed range 0 to 1"]),
    ("{day: 3, actor: KH, action: set, figures: {'militias[KH].cohesio': 0.5}}",
     ["not a numeric parameter of Militia", "did you mean 'cohesion'"]),
    ("{day: 3, actor: KH, action: set, figures: {'government.name': 3}}",
     ["'government.name' is not a numeric parameter"]),
    ("{day: 3, actor: KH, action: set, figures: {}}", ["needs at least one path"]),
    ("{day: 3, actor: patron, action: raid, target: KH}",
     ["events[2].actor", "'raid' is done by government, not by 'patron'"]),
    ("{day: 3, actor: KH, action: strike, target: KH}",
     ["'strike' is done by foreign_forces, not by 'KH'"]),
    ("{day: 3, actor: foreign_forces, action: strike, target: bases}",
     ["events[2].target 'bases' must be a militia"]),
    ("{day: 3, actor: foreign_forces, action: backing, target: nobody}",
     ["events[2].target 'nobody' must be a militia"]),
    ("{day: 3, actor: foreign_forces, action: withdrawal, target: KH}", ["takes no target"]),
    ("{day: 3, actor: foreign_forces, action: withdrawal, figures: {troops: 5}}",
     ["'withdrawal' takes no figures"]),
    ("{day: 3, actor: US, action: withdrawal}", ["events[2].actor 'US' is not one of"]),
])
def test_bad_scripted_events(tmp_path, cli, event, expected):
    path = event_file(tmp_path, event)
    with pytest.raises(InputError) as err:
        ls.load_scenario(path)
    for fragment in [str(path), *expected]:
        assert fragment in str(err.value)
    refused(cli, path, *expected)


def test_every_problem_is_listed_at_once(tmp_path):
    path = write(tmp_path, """
        extends: june_2020_replay
        events:
          - {name: ct_raid, figures: {arrests: -1}}
          - {name: embassy_rocket_defence, figures: {interception: 2}}
        """)
    with pytest.raises(InputError, match="2 problems") as err:
        ls.load_scenario(path)
    assert "(ct_raid)" in str(err.value) and "(embassy_rocket_defence)" in str(err.value)


@pytest.mark.parametrize("model, root", [(Government, "government"), (Patron, "patron"),
                                         (Militia, "militias[KH]")])
def test_set_accepts_every_numeric_field_and_checks_its_range(model, root):
    """'set' paths come from the schema's fields, whatever they are; values meet each field's
    own range."""
    numeric = {n: f for n, f in model.model_fields.items() if numeric_type(f.annotation)}
    assert numeric
    sc = ls.load_scenario("june_2020_replay")
    node = sc.militias[0] if root.startswith("militias") else getattr(sc, root)
    figures = {f"{root}.{n}": getattr(node, n) for n in numeric}
    ls.load_scenario("june_2020_replay", {"events[0].action": "set", "events[0].target": None,
                                          "events[0].figures": figures})
    for name, info in numeric.items():
        hi = next((m.le for m in info.metadata if getattr(m, "le", None) is not None), None)
        if hi is None:
            continue
        with pytest.raises(InputError, match=rf"figures\['{root.replace('[', '.').replace(']', '.')}"
                           rf"\.{name}'\].*allowed range"):
            ls.load_scenario("june_2020_replay", {
                "events[0].action": "set", "events[0].target": None,
                "events[0].figures": {f"{root}.{name}": hi * 2 + 1}})


@pytest.mark.parametrize("figures, expected", [
    ({"militias[KH].patron_support_share": 0.9},
     "after this set, militias[*].patron_support_share sum to 1.45"),
    ({"militias[KH].fighters": 100},
     "after this set, militias[KH].local_fighters (400) exceeds its fighters (100)"),
])
def test_rules_across_fields_hold_after_each_set(figures, expected):
    with pytest.raises(InputError) as err:
        ls.load_scenario("june_2020_replay", {"events[1].action": "set", "events[1].target": None,
                                              "events[1].figures": figures})
    assert f"events[1] (embassy_rocket_defence): {expected}" in str(err.value)


def test_typed_figures_reach_the_model():
    res = ls.run("june_2020_replay", replications=1, seed=3, overrides={
        "horizon_days": 55, "events[ct_raid].figures.arrests": 7,
        "events[embassy_rocket_defence].figures.interception": 0.25})
    ev = res.events.set_index("action")
    assert ev.loc["raid", "value"] == 7
    assert ev.loc["deploy_defence", "value"] == 0.25


def test_a_sweep_over_event_figures_is_checked_at_every_point_before_running(tmp_path):
    spec = SweepSpec.from_cli("june_2020_replay", ["events[ct_raid].figures.arrests=0,5,900"],
                              overrides=[SHORT])
    with pytest.raises(InputError, match=r"design point 2 \(events\[ct_raid\]\.figures\.arrests"
                       r"=900\).*figures\.arrests.*allowed range 0 to 500"):
        run_sweep(spec, tmp_path / "out", executor="serial")
    assert not (tmp_path / "out").exists()


def test_a_sweep_that_moves_the_horizon_before_an_event_is_refused(tmp_path, cli):
    code, _, err = cli("sweep", "june_2020_replay", "--param", "horizon_days=60,30",
                       "--out", tmp_path / "out", "-q")
    assert code == 2 and "design point 1 (horizon_days=30)" in err
    assert "events[0] (ct_raid).date 2020-06-25 is day 49" in err
    assert not (tmp_path / "out").exists()


# ---- item 6: impossible dates and events past the horizon ------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("extends: june_2020_replay\nstart_date: 2020-02-30\n", ["'start_date'", "'2020-02-30'"]),
    ("extends: june_2020_replay\nevents: [{name: ct_raid, date: 2020-06-31}]\n",
     ["'events[0] (ct_raid).date'", "'2020-06-31'"]),
    ("extends: june_2020_replay\nevents: [{date: 2020-12-01, actor: patron, action: truce}]\n",
     ["events[2].date 2020-12-01 is day 208, after the last simulated day 89", "never fire"]),
    ("extends: june_2020_replay\nevents: [{day: 90, actor: patron, action: truce}]\n",
     ["events[2].day 90 is day 90"]),
    ("extends: june_2020_replay\nhorizon_days: 30\n", ["events[0] (ct_raid).date", "day 49"]),
    ("extends: june_2020_replay\nstart_date: 9999-12-01\n", ["runs past 2262-04-11"]),
])
def test_bad_dates(tmp_path, cli, text, expected):
    refused(cli, write(tmp_path, text), *expected)


def test_impossible_date_in_an_override(cli):
    code, _, err = cli("run", "june_2020_replay", "-n", 1, "--set", "start_date=2020-02-30")
    assert code == 2 and "'start_date'" in err and "2020-02-30" in err
    assert "internal error" not in err


def test_a_short_run_without_events_is_fine(cli):
    code, _, err = cli("run", "june_2020_replay", "-n", 1, "-q", "--set", "horizon_days=20",
                       "--set", "events=[]")
    assert code == 0, err


def test_an_event_on_the_last_day_is_accepted():
    sc = ls.load_scenario("june_2020_replay", {"horizon_days": 53})  # deploy_defence: day 52
    assert sc.event_day(sc.events[-1]) == sc.horizon_days - 1


# ---- item 7: extends ---------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["/etc/shadow", "../../etc/hostname", "/etc", "a b"])
def test_extends_takes_only_a_name_or_a_yaml_path(tmp_path, cli, target):
    path = write(tmp_path, f"extends: '{target}'\n")
    refused(cli, path, "'extends' must be one scenario name", verbs=("validate",))


def test_extends_never_quotes_a_file_that_is_not_a_scenario(tmp_path, cli):
    write(tmp_path, "services:\n  web: {image: secret-image, password: hunter2}\n", "compose.yaml")
    path = write(tmp_path, "extends: compose.yaml\n", "child.yaml")
    err = refused(cli, path, "in 'extends: compose.yaml'", "is not a scenario file")
    assert "secret" not in err and "hunter2" not in err and "services" not in err


def test_extends_errors_name_the_file_holding_the_extends(tmp_path, cli):
    write(tmp_path, "extends: missing.yaml\n", "mid.yaml")
    path = write(tmp_path, "extends: mid.yaml\n", "top.yaml")
    err = refused(cli, path, "in 'extends: mid.yaml'", "mid.yaml, in 'extends: missing.yaml'",
                  "does not exist", verbs=("validate",))
    assert "Traceback" not in err


def test_extends_by_relative_yaml_path(tmp_path):
    write(tmp_path, "extends: june_2020_replay\nforeign_forces: {backing: 0.6}\n", "base.yml")
    sc = ls.load_scenario(write(tmp_path, "extends: base.yml\n", "child.yaml"))
    assert sc.foreign_forces.backing == 0.6


# ---- item 10: limits -------------------------------------------------------------------------
LAUGHS = """\
extends: june_2020_replay
events:
  - name: ct_raid
    figures:
      a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
      b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
      c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
      d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
      e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
      f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
      g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
      h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
      i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


@pytest.mark.parametrize("text, expected", [
    (LAUGHS, ["expands to more than 1,000,000 values", "line 10", "docs/scenarios.md"]),
    ("extends: june_2020_replay\nnote: " + "[" * 60 + "]" * 60 + "\n",
     ["nests deeper than 50", "docs/scenarios.md"]),
    ("extends: june_2020_replay\nx: &x [1, *x]\n", ["refers to a value that contains it"]),
])
def test_absurd_documents_are_refused_before_they_are_built(tmp_path, cli, text, expected):
    refused(cli, write(tmp_path, text), *expected)


def test_aliases_within_the_limit_still_work(tmp_path):
    path = write(tmp_path, """
        extends: june_2020_replay
        government: &g {resolve: 0.7}
        patron: {<<: *g, resolve: 0.1}
        """)
    with pytest.raises(InputError, match="unknown field 'patron.resolve'"):
        ls.load_scenario(path)  # the merge key works; the merged key is then checked as usual


def test_file_size_limit(tmp_path, cli, monkeypatch):
    monkeypatch.setattr(safe_yaml, "MAX_BYTES", 2**20)
    path = write(tmp_path, "extends: june_2020_replay\nquestion: '" + "x" * 2**20 + "'\n")
    refused(cli, path, "YAML files are limited to 1 MiB", verbs=("validate",))


def test_list_merge_is_by_name_and_keeps_order_for_many_entries():
    n = 20_000
    base = [{"name": f"e{i}", "day": i} for i in range(n)]
    override = ([{"name": f"e{i}", "day": i + 1} for i in range(0, n, 2)]
                + [{"name": f"e{i}", "remove": True} for i in range(1, n, 4)]
                + [{"name": "new", "day": 0}, {"day": 5}])
    merged = deep_merge(base, override)
    assert len(merged) == n - n // 4 + 2
    assert merged[:3] == [{"name": "e0", "day": 1}, {"name": "e2", "day": 3},
                          {"name": "e3", "day": 3}]
    assert merged[-2:] == [{"name": "new", "day": 0}, {"day": 5}]


# ---- item 14: silent coercions -----------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("extends: june_2020_replay\nforeign_forces: {backing: 0.2}\nforeign_forces: {backing: 0.3}\n",
     ["duplicate key 'foreign_forces' at line 3", "first given at line 2"]),
    ("extends: june_2020_replay\nforeign_forces: {backing: 0.2, backing: 0.3}\n",
     ["duplicate key 'backing'"]),
    ("extends: june_2020_replay\nmilitias: [{name: KH, fighters: 5}, {name: KH, autonomy: 0.2}]\n",
     ["'militias' names 'KH' more than once"]),
    (("extends: june_2020_replay\nevents: [{name: a, day: 1, actor: patron, action: truce},\n"
      "  {name: a, day: 2, actor: patron, action: truce}]\n"),
     ["'events' names 'a' more than once"]),
    ("extends: june_2020_replay\nmilitias: []\n", ["'militias'", "at least 1 item"]),
    ("extends: june_2020_replay\nforeign_forces: {backing: true}\n",
     ["'foreign_forces.backing': must be a number, not true/false"]),
    ("extends: june_2020_replay\nforeign_forces: {backing: '0.5'}\n",
     ["'foreign_forces.backing': must be a number, not text"]),
    ("extends: june_2020_replay\nforeign_forces: {presence: 5200.5}\n",
     ["'foreign_forces.presence'"]),
    ("extends: june_2020_replay\nforeign_forces: {backing: .nan}\n",
     ["'foreign_forces.backing'", "finite number"]),
    ("extends: june_2020_replay\nmilitias: [{name: KH, fighters: 0}]\n",
     ["militias[KH].local_fighters (400) exceeds its fighters (0)"]),
    ("extends: june_2020_replay\nmilitias: [{name: KX, remove: true}]\n",
     ["removes nothing", "'KX'"]),
])
def test_no_silent_coercion(tmp_path, cli, text, expected):
    refused(cli, write(tmp_path, text), *expected, verbs=("validate",))


def test_numbers_written_as_ints_and_whole_floats_are_fine(tmp_path):
    sc = ls.load_scenario(write(tmp_path, "extends: june_2020_replay\nforeign_forces: "
                                "{backing: 1, presence: 5000.0}\n"))
    assert sc.foreign_forces.backing == 1.0 and sc.foreign_forces.presence == 5000


def test_an_empty_list_in_an_extending_file_clears_the_inherited_one(tmp_path):
    sc = ls.load_scenario(write(tmp_path, "extends: june_2020_replay\nevents: []\n"))
    assert sc.events == []


# ---- item 15: say what it is ---------------------------------------------------------------------
def test_a_folder_is_not_called_missing(tmp_path, cli):
    (tmp_path / "dir.yaml").mkdir()
    code, _, err = cli("validate", tmp_path / "dir.yaml")
    assert code == 2 and "is a folder, not a file" in err and "does not exist" not in err


def test_a_symlink_loop_is_not_called_missing(tmp_path, cli):
    os.symlink(tmp_path / "b.yaml", tmp_path / "a.yaml")
    os.symlink(tmp_path / "a.yaml", tmp_path / "b.yaml")
    code, _, err = cli("run", tmp_path / "a.yaml", "-n", 1)
    assert code == 2 and "symbolic link loop" in err


def test_a_python_tag_is_an_unsupported_tag(tmp_path, cli):
    path = write(tmp_path, "extends: june_2020_replay\nx: !!python/object:os.system ls\n")
    err = refused(cli, path, "unsupported YAML tag", "line 2")
    assert "indentation" not in err


def test_a_colon_inside_unquoted_text_is_named_with_the_fix(tmp_path, cli):
    """An analyst's episode note ended '... were not met: Kurdistan 24.)' on a continuation
    line: YAML's 'mapping values are not allowed here' said neither why nor what to do."""
    path = tmp_path / "noted.yaml"
    path.write_text("extends: june_2020_replay\nevents:\n  - name: ct_raid\n    note: the "
                    "raid of 25 June,\n      as reported: Reuters\n")
    code, _, err = cli("validate", path)
    assert code == 2 and "malformed YAML at line 5" in err
    assert "inside unquoted text" in err and "double quotes" in err
    path.write_text("militias:\n  - name: KH\n   autonomy: [0.5\n")  # another syntax error
    code, _, err = cli("validate", path)
    assert code == 2 and "malformed YAML" in err and "inside unquoted text" not in err


def test_a_missing_file_given_to_sweep_is_a_file(tmp_path, cli):
    code, _, err = cli("sweep", tmp_path / "nosuch.yaml", "--out", tmp_path / "o")
    assert code == 2 and f"File '{tmp_path / 'nosuch.yaml'}' does not exist" in err
    assert "is a scenario" not in err


def test_params_with_an_unknown_filter_exits_2_with_a_hint(cli):
    code, _, err = cli("params", "instigaton")
    assert code == 2 and "Did you mean instigation" in err
    code, out, _ = cli("params", "figures.arrests")
    assert code == 0 and "raid:" in out


def test_docs_carry_the_current_event_rules():
    docs = (Path(__file__).resolve().parents[1] / "docs" / "scenarios.md").read_text("utf-8")
    assert rules_table() in docs, "refresh the table in docs/scenarios.md from rules_table()"


def test_extends_chain_is_limited(tmp_path, cli):
    for i in range(25):
        write(tmp_path, f"extends: c{i + 1}.yaml\n", f"c{i}.yaml")
    write(tmp_path, "extends: june_2020_replay\n", "c25.yaml")
    refused(cli, tmp_path / "c0.yaml", "chain is longer than 20 files", verbs=("validate",))
    assert ls.load_scenario(tmp_path / "c10.yaml").name == "c10"  # 16 links: fine


def test_a_message_lists_ten_problems_and_counts_the_rest(tmp_path):
    fields = "".join(f"  x{i}: 1\n" for i in range(30))
    with pytest.raises(InputError, match="30 problems") as err:
        ls.load_scenario(write(tmp_path, f"extends: june_2020_replay\ngovernment:\n{fields}"))
    assert "'government.x9'" in str(err.value) and "x10'" not in str(err.value)
    assert "and 20 more" in str(err.value)


@pytest.mark.parametrize("override, expected", [
    ("government={resolve: 0.5, resolve: 0.6}", "Override 'government': duplicate key 'resolve'"),
    ("government.resolve=!!python/name:os.system", "unsupported YAML tag"),
    ("government.resolve=true", "'government.resolve': must be a number, not true/false"),
    ("start_date=20200230", "'start_date': must be a date written YYYY-MM-DD, not a number"),
])
def test_overrides_are_read_as_strictly_as_files(cli, override, expected):
    code, _, err = cli("run", "june_2020_replay", "-n", 1, "--set", override)
    assert code == 2 and expected in err and "internal error" not in err


def test_an_unknown_name_given_to_sweep_is_not_called_a_scenario(cli):
    code, _, err = cli("sweep", "june_2020_replai")
    assert code == 2 and "No scenario named 'june_2020_replai'" in err
    assert "is a scenario" not in err and "Did you mean june_2020_replay" in err


def test_a_broken_file_that_is_not_a_scenario_is_not_quoted_either(tmp_path, cli):
    write(tmp_path, "password: hunter2\npassword: swordfish\n", "secret.yaml")
    path = write(tmp_path, "extends: secret.yaml\n", "child.yaml")
    err = refused(cli, path, "is not a scenario file", verbs=("validate",))
    assert "password" not in err and "hunter2" not in err and "swordfish" not in err


def test_actions_of_the_foreign_force_after_its_scripted_withdrawal_are_refused(tmp_path, cli):
    """Issue 19 item 17: they could not happen, so the scenario is refused (before: dropped
    silently, or logged as if they had happened with 0 troops)."""
    path = write(tmp_path, """
        extends: june_2020_replay
        events:
          - {name: us_leave, day: 3, actor: foreign_forces, action: withdrawal}
          - {name: late_strike, day: 60, actor: foreign_forces, action: strike, target: KH}
        """)
    expected = ["needs the foreign force in the country", "withdrew it on day 3",
                "bring troops back first"]
    with pytest.raises(InputError) as err:
        ls.load_scenario(path)
    for fragment in expected:
        assert fragment in str(err.value)
    refused(cli, path, *expected)
    back = write(tmp_path, """
        extends: june_2020_replay
        events:
          - {name: us_leave, day: 3, actor: foreign_forces, action: withdrawal}
          - {name: us_back, day: 4, actor: foreign_forces, action: set,
             figures: {foreign_forces.presence: 2000}}
          - {name: late_strike, day: 60, actor: foreign_forces, action: strike, target: KH}
        """)
    assert ls.load_scenario(back).events  # troops brought back first: accepted
    late = write(tmp_path, """
        extends: june_2020_replay
        events:
          - {name: us_leave, day: 85, actor: foreign_forces, action: withdrawal}
        """)
    assert ls.load_scenario(late).events  # nothing that needs them comes after


def test_params_finds_a_parameter_named_as_set_names_it(cli):
    """A filter naming a list entry as ``--set`` does (``militias[KH].autonomy``, by position,
    with spaces, any case) finds the schema's ``militias[NAME].autonomy``; a bare entry name
    (``KH``, which the help used to give as an example and which matched nothing) says how to
    name it."""
    for name in ("militias[KH].autonomy", "militias[0].autonomy", "Militias[ KH ].AUTONOMY"):
        code, out, err = cli("params", name)
        assert code == 0, err
        assert out.startswith("militias[NAME].autonomy  [0, 1]")
        assert "militias[NAME].fighters" not in out
    code, out, _ = cli("params", "sites[embassy]")
    assert code == 0 and "foreign_forces.sites[NAME].interception" in out
    assert "militias[" not in out
    code, _, err = cli("params", "KH")
    assert code == 2 and "leverage-sim params 'militias[KH]'" in err
    code, _, err = cli("params", "instigaton")
    assert code == 2 and "militias[NAME]" not in err  # a near-miss gets the spelling hint only
