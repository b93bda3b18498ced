"""docs/calibration.md's table of episodes quotes every fact that has a range as the episode
file states it (observed; low–high): the table is written by hand, so this test is what keeps
it current when a fact is revised or added. Cheap: nothing is simulated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leverage_sim.calibration.episodes import load_episode

DOC = Path(__file__).resolve().parents[1] / "docs" / "calibration.md"
EPISODES = sorted(p.stem for p in (DOC.parent.parent / "episodes").glob("*.yaml"))


def _number(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:g}"


def _rows() -> dict[str, str]:
    table = DOC.read_text(encoding="utf-8").split("## Episodes and sources", 1)[1]
    return {m.group(1): line for line in table.splitlines()
            if (m := re.match(r"\| `(\w+)` \|", line))}


@pytest.mark.parametrize("name", EPISODES)
def test_episode_row_quotes_every_ranged_fact(name):
    row = _rows().get(name)
    assert row is not None, f"docs/calibration.md's episode table has no row for {name}"
    for fact in load_episode(name).spec.facts:
        low, high = fact.bounds
        if low == high:  # a yes/no or an exact count: quoted in words
            continue
        quoted = f"({_number(fact.observed)}; {_number(low)}–{_number(high)}"
        assert quoted in row, (f"{name}.{fact.name}: the row should quote {quoted}) as "
                               f"episodes/{name}.yaml states it")
