"""Fuzzing the replay scenario file (random type swaps, out-of-range numbers, unknown keys,
impossible dates) and its `--set` overrides: `validate` and `run -n 1` must accept (exit 0) or
refuse (exit 2), never end in an internal error (exit 1) or a traceback."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leverage_sim.cli.main import main
from leverage_sim.scenario.param_reference import reference_rows

REPLAY = yaml.safe_load((Path(__file__).resolve().parents[1] / "scenarios" /
                         "june_2020_replay.yaml").read_text(encoding="utf-8"))
BAD_DATES = ["2020-02-30", "2020-06-31", "2021-02-29", "2020-13-01", "0000-01-01"]


def locations(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the tree (mapping keys and list positions), depth first."""
    out = [path] if path else []
    children = node.items() if isinstance(node, dict) else enumerate(node) \
        if isinstance(node, list) else ()
    for key, child in children:
        out += locations(child, (*path, key))
    return out


LOCATIONS = locations(REPLAY)

values = st.one_of(
    st.booleans(), st.none(), st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(BAD_DATES), st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    st.lists(st.integers(-5, 5), max_size=3),
    st.dictionaries(st.sampled_from(["arrests", "targets", "interception", "troops", "x"]),
                    st.one_of(st.integers(-10, 10**9), st.floats(-2, 2), st.text(max_size=4)),
                    max_size=2),
    st.sampled_from(["government", "patron", "foreign_forces", "KH", "embassy", "raid",
                     "attack", "set", "truce", "drawdown", "patron.instigation"]),
)
mutations = st.lists(st.tuples(st.sampled_from(["replace", "add", "delete"]),
                               st.sampled_from(LOCATIONS), values,
                               st.text(min_size=1, max_size=8)), min_size=1, max_size=3)


def mutate(data: dict[str, Any], kind: str, where: tuple[Any, ...], value: Any,
           key: str) -> None:
    parent = data
    for part in where[:-1]:
        if not isinstance(parent, dict | list):
            return
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return  # an earlier mutation removed this place
    last = where[-1]
    if not isinstance(parent, dict | list) or (isinstance(parent, list) and last >= len(parent)):
        return
    if kind == "replace":
        parent[last] = value
    elif kind == "add" and isinstance(parent, dict):
        parent[key] = value
    elif kind == "delete" and (isinstance(parent, list) or last in parent):
        del parent[last]


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(changes=mutations)
def test_mutated_replay_is_accepted_or_refused_never_a_crash(tmp_path, capsys, changes):
    data = copy.deepcopy(REPLAY)
    for change in changes:
        mutate(data, *change)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    for bad in BAD_DATES:  # unquoted, as a user would type them
        text = text.replace(f"'{bad}'", bad)
    path = tmp_path / "mutant.yaml"
    path.write_text(text, encoding="utf-8")
    code = main(["validate", str(path)])
    err = capsys.readouterr().err
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err
    if code == 0:
        code = main(["run", str(path), "-n", "1", "-q"])
        err = capsys.readouterr().err
        assert code == 0, err


PATHS = sorted({r.path.replace("[NAME]", "[KH]", 1).replace("sites[KH]", "sites[embassy]")
                .replace("[i]", "[0]") for r in reference_rows()})
texts = st.one_of(st.text(max_size=15), st.sampled_from(
    ["true", "'0.5'", ".nan", "-.inf", "1e400", "2020-02-30", "2020-06-25", "-1", "10**9",
     "999999999999999999999", "[1, 2]", "{a: 1, a: 2}", "&a [*a]", "!!python/name:os.system",
     "null", "0.5", "3", "government", "set", "KH", "{arrests: -5}", "{troops: 100}"]))


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(PATHS), value=texts)
def test_random_overrides_are_accepted_or_refused_never_a_crash(capsys, path, value):
    code = main(["run", "june_2020_replay", "-n", "1", "-q", "--set", f"{path}={value}"])
    err = capsys.readouterr().err
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err
