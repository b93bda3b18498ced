"""Every scenario in ``scenarios/`` is documented, valid, runs, and answers its question.

Each library file states a question at its top; ``HEADLINES`` checks the answer that file is
meant to show against the replay, with the same master seed (so replication ``i`` starts from
the same seed in both) and margins far from the observed gaps. Runs are shortened with the
``horizon_days`` override where the question allows: the June raid is day 49 of the replay, so
75 days cover the raid, the standoff, the release and three weeks of attacks after the
embassy's rocket defence arrives (day 52).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import yaml

import leverage_sim as ls
from leverage_sim.calibration.episodes import EPISODE_DIR, load_episode
from leverage_sim.outputs.report import outcome_shares
from leverage_sim.scenario.canonical import scenario_yaml

LIBRARY = Path(__file__).resolve().parents[1] / "scenarios"
FILES = sorted(LIBRARY.glob("*.yaml"))
SEED = 2024
N = 120
JUNE_HORIZON = 75
HEADER_PARTS = ("Question:", "Sources:")
"""What every library file's header comment must contain, spelled exactly so."""


@pytest.fixture(scope="module")
def runs() -> Callable[[str], ls.Results]:
    """Cached runs of June-2020 scenarios: N replications, horizon 75 days, master seed SEED."""
    cache: dict[str, ls.Results] = {}

    def get(name: str) -> ls.Results:
        if name not in cache:
            cache[name] = ls.run(name, replications=N, seed=SEED,
                                 overrides={"horizon_days": JUNE_HORIZON}, posterior=None)
        return cache[name]

    return get


def shares(res: ls.Results) -> pd.Series:
    return outcome_shares(res.summary)


def per_run(res: ls.Results, mask: pd.Series) -> pd.Series:
    """Count of events selected by ``mask`` in each replication (zeros included)."""
    ev = res.events[mask]
    return ev.groupby("replication").size().reindex(range(len(res.summary)), fill_value=0)


def attacks_by(res: ls.Results, actor: str) -> pd.Series:
    ev = res.events
    return per_run(res, (ev["action"] == "attack") & (ev["actor"] == actor))


def embassy_hits_after_defence(res: ls.Results) -> pd.Series:
    ev = res.events
    return per_run(res, (ev["action"] == "attack") & (ev["target"] == "embassy")
                   & (ev["detail"] != "intercepted") & (ev["date"] >= "2020-06-28"))


# ---- every file -------------------------------------------------------------------------------
@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_file_is_documented_valid_and_runs(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    header = text.split("\n\n")[0]
    assert text.startswith(f"# {path.stem} — "), "first line: '# <name> — <what it is>'"
    for part in HEADER_PARTS:
        assert part in text, f"{path.name}: the header comment must give its {part}"
    assert header.count("\n#") >= 3, "the header explains the question, not just names it"
    raw = yaml.safe_load(text)
    assert raw.get("question"), "a one-line question: field (shown by `leverage-sim list`)"
    sc = ls.load_scenario(path)
    assert sc.name == path.stem
    horizon = max([20, *(sc.event_day(e) + 1 for e in sc.events)])  # every event fires
    res = ls.run(sc, replications=2, seed=1, overrides={"horizon_days": horizon})
    assert len(res.summary) == 2 and len(res.timeseries) == 2 * horizon


def test_the_header_rule_is_documented_where_scenarios_are_written() -> None:
    """docs/scenarios.md states the rules of the test above with their exact spellings, so an
    analyst adding a library file learns them from the page, not from a failing test."""
    doc = (LIBRARY.parent / "docs" / "scenarios.md").read_text(encoding="utf-8")
    title = "### Adding a scenario to the library"
    assert title in doc, "docs/scenarios.md: document how to add a library scenario"
    section = doc.split(title)[1].split("\n## ")[0]
    for part in (*(f"`{p}`" for p in HEADER_PARTS), "`# NAME — ", "three", "`question:`",
                 "tests/test_scenario_library.py"):
        assert part in section, f"docs/scenarios.md, '{title}': state {part}"


def test_every_scenario_has_a_headline_check() -> None:
    # The episodes' set-ups: their files in episodes/ state what they should show; calibration
    # fits the fit ones and only validation scores the held-out ones (tuning them here would
    # spoil the hold-out). Read from the episode files, so a new episode needs no edit here.
    episodes = {load_episode(f).spec.scenario for f in EPISODE_DIR.glob("*.yaml")}
    assert {f.stem for f in FILES} <= set(HEADLINES) | {"june_2020_replay", "oct2019_dec2020",
                                                        "generic_proxy_state",
                                                        "najaf_2004_no_sistani"} | episodes


def test_counterfactuals_extend_the_replay_with_only_their_differences() -> None:
    extending = [f for f in FILES if yaml.safe_load(f.read_text())
                 .get("extends") == "june_2020_replay"]
    assert len(extending) >= 7
    for f in extending:
        if f.stem in ("oct2019_dec2020", "muslih_2021", "oct2023_feb2024"):  # timelines: their
            continue  # events are content
        settings = [ln for ln in f.read_text().splitlines() if ln.strip()
                    and not ln.lstrip().startswith("#")]
        assert len(settings) <= 15, f"{f.name}: state the differences, not a copy of the replay"


# ---- headlines of the June 2020 counterfactuals ------------------------------------------------
def us_intervenes(res: ls.Results, base: ls.Results) -> None:
    s, b = shares(res), shares(base)
    assert s["held_firm"] >= max(2.5 * b["held_firm"], b["held_firm"] + 0.25), (s, b)
    assert s["relented"] <= b["relented"] - 0.25, (s, b)


def us_withdrawn(res: ls.Results, base: ls.Results) -> None:
    assert (res.summary["attacks"] == 0).all() and (res.summary["us_casualties"] == 0).all()
    assert (res.timeseries["us_presence"] == 0).all()
    assert not res.summary["us_withdrawn"].any(), "never present is not a withdrawal"
    assert shares(res)["relented"] >= shares(base)["relented"]
    assert base.summary["attacks"].median() > 5


def patron_restraint(res: ls.Results, base: ls.Results) -> None:
    # agency slack: autonomous militias keep attacking up to their own hostility
    assert res.summary["attacks"].median() <= 0.6 * base.summary["attacks"].median()
    assert shares(res)["relented"] <= shares(base)["relented"] - 0.2
    assert res.summary["max_muster_size"].median() < base.summary["max_muster_size"].median()


def patron_escalation(res: ls.Results, base: ls.Results) -> None:
    assert res.summary["attacks"].median() >= 1.6 * base.summary["attacks"].median()
    assert res.summary["us_casualties"].mean() >= 1.4 * base.summary["us_casualties"].mean()
    assert shares(res)["relented"] >= shares(base)["relented"] - 0.02
    drew_down = (per_run(res, res.events["action"] == "drawdown") > 0).mean()
    assert drew_down >= max(0.1, 2 * (per_run(base, base.events["action"] == "drawdown") > 0)
                            .mean()), drew_down


def no_air_defence(res: ls.Results, base: ls.Results) -> None:
    ev, bev = res.events, base.events
    assert not ((ev["action"] == "interception") & (ev["target"] == "embassy")).any()
    assert ((bev["action"] == "interception") & (bev["target"] == "embassy")).sum() > 20
    assert (embassy_hits_after_defence(res).mean()
            >= 3 * embassy_hits_after_defence(base).mean() > 0)
    # Same raid, same standoff: the defence changes nothing before 28 June.
    assert shares(res)["relented"] == pytest.approx(shares(base)["relented"], abs=0.05)


def kh_decapitated(res: ls.Results, base: ls.Results) -> None:
    assert shares(res)["held_firm"] >= shares(base)["held_firm"] + 0.25
    assert attacks_by(res, "KH").mean() <= 0.6 * attacks_by(base, "KH").mean()
    assert res.summary["max_muster_size"].median() <= 0.6 * base.summary["max_muster_size"].median()


HEADLINES: dict[str, Callable[[ls.Results, ls.Results], None]] = {
    "june_2020_us_intervenes": us_intervenes,
    "june_2020_us_withdrawn": us_withdrawn,
    "june_2020_patron_restraint": patron_restraint,
    "june_2020_patron_escalation": patron_escalation,
    "june_2020_no_air_defence": no_air_defence,
    "kh_decapitated": kh_decapitated,
}


@pytest.mark.parametrize("name", sorted(HEADLINES))
def test_headline_against_the_replay(name: str, runs) -> None:
    res, base = runs(name), runs("june_2020_replay")
    assert (res.summary["seed"] == base.summary["seed"]).all()  # common random numbers
    HEADLINES[name](res, base)


# ---- a variant of a fitted episode --------------------------------------------------------------
def test_najaf_without_sistani_against_the_fitted_scenario() -> None:
    """najaf_2004_no_sistani against najaf_2004 (N runs each, master seed SEED, the scenarios'
    own values but a JAM2004 that holds its ground as the record's did): in the
    fitted scenario Sistani's talks open on 25 August and his ceasefire, where the fight
    lasts, holds on the 26th; without him no mediator acts, no ceasefire comes from anyone but
    the patron (whose client hardly depends on it), and the fights last longer (more days of
    fighting, more of them past 27 August)."""
    holding = {"militias[JAM2004].hold_ground": 0.6, "militias[JAM2004].loss_sensitivity": 1.0}
    base = ls.run("najaf_2004", replications=N, overrides=holding, seed=SEED, posterior=None)
    alone = ls.run("najaf_2004_no_sistani", replications=N, overrides=holding, seed=SEED, posterior=None)

    mediator = base.events[base.events["actor"] == "mediator"]
    dates = mediator["date"].dt.strftime("%Y-%m-%d")
    assert len(mediator) >= N  # one mediation a run: talks, or skipped with no fight to mediate
    assert set(dates[mediator["action"].isin(["talks", "skipped"])]) == {"2004-08-25"}
    assert set(dates[mediator["action"] == "ceasefire"]) == {"2004-08-26"}
    assert not (alone.events["actor"] == "mediator").any()
    assert set(alone.events.loc[alone.events["action"] == "ceasefire", "actor"]) <= {"patron"}

    def past_the_deal(res: ls.Results) -> float:
        """Share of runs still fighting after 27 August (the operation opened on the 5th)."""
        return float((res.summary["fight_days"] > 22).mean())

    assert alone.summary["fight_days"].mean() > base.summary["fight_days"].mean() > 0
    assert past_the_deal(alone) > past_the_deal(base)


# ---- the long timeline --------------------------------------------------------------------------
def _rockets_by_month(res: ls.Results, n: int) -> pd.Series:
    ev = res.events
    rockets = ev[(ev["action"] == "attack") & (ev["target"] != "convoys")]
    return rockets.groupby(rockets["date"].dt.to_period("M")).size() / n


def test_oct2019_dec2020_peak_and_truce_are_decided_by_the_model() -> None:
    """The Aug-Sep 2020 peak and the October truce are the model's decisions, not scripted:
    no event sets the patron's instigation or declares a truce; the patron's campaign after the
    June relent makes Aug-Sep busier than Jan-Jun (over 1.3 times, and by over 0.15 more than
    without the campaign: the peak comes from it; measured with the refit of Dec 2026 at seeds
    2024, 1, 2: +0.23, +0.19, +0.27; cutting the campaign gives about 0); the patron orders a truce after the embassy-closure
    threat of 27 Sep in some runs; the volume stays within half and 1.3 times the tallies' 55;
    US forces draw down on 30 Sep and stay (as in 2020)."""
    sc = ls.load_scenario("oct2019_dec2020")
    assert not [e for e in sc.events if e.action == "truce"]
    assert not [e for e in sc.events if e.action == "set" and any(
        k.startswith("patron.") and k != "patron.us_threat" for k in e.figures)]
    n = 100
    res = ls.run(sc, replications=n, seed=SEED, engine="fast")
    ev = res.events
    rockets = ev[(ev["action"] == "attack") & (ev["target"] != "convoys")]
    window = rockets[(rockets["date"] >= "2020-01-01") & (rockets["date"] <= "2020-10-31")]
    per_rep = window.groupby("replication").size().reindex(range(n), fill_value=0)
    assert 55 * 0.5 <= per_rep.median() <= 55 * 1.3, per_rep.describe()
    monthly = _rockets_by_month(res, n)
    peak = monthly["2020-08":"2020-09"].mean() / monthly["2020-01":"2020-06"].mean()
    assert peak > 1.3, monthly
    flat = _rockets_by_month(ls.run(sc, replications=n, seed=SEED, engine="fast",
                                    overrides={"patron.win_campaign": 0}), n)
    assert peak > flat["2020-08":"2020-09"].mean() / flat["2020-01":"2020-06"].mean() + 0.15, flat
    truces = ev[(ev["action"] == "truce") & (ev["actor"] == "patron")]
    october = truces[(truces["date"] >= "2020-09-27") & (truces["date"] <= "2020-10-31")]
    assert october["replication"].nunique() >= 0.1 * n
    assert res.summary["us_withdrawn"].mean() <= 0.1
    first = ev[ev["replication"] == 0]
    days = {a: set(first.loc[first["action"] == a, "date"].dt.strftime("%Y-%m-%d"))
            for a in ("strike", "raid", "drawdown", "withdrawal")}
    assert days["strike"] >= {"2019-12-29", "2020-01-03", "2020-03-12"}
    # the scripted drawdown of 30 Sep is carried out: a withdrawal when the model's own
    # drawdowns (a posterior draw with a low casualty tolerance) left fewer troops than it
    # removes
    assert "2020-06-25" in days["raid"]
    assert "2020-09-30" in days["drawdown"] | days["withdrawal"]
    assert ev.loc[ev["action"] == "drawdown", "date"].eq("2020-09-30").sum() >= 0.8 * n


def test_generic_proxy_state_is_standalone_neutral_and_undecided() -> None:
    raw = yaml.safe_load((LIBRARY / "generic_proxy_state.yaml").read_text())
    assert "extends" not in raw
    sc = ls.load_scenario("generic_proxy_state")
    text = scenario_yaml(sc)
    for word in ("Iraq", "KH", "IRGC", "Kata'ib", "US forces"):
        assert word not in text
    res = ls.run(sc, replications=N, seed=SEED, overrides={"horizon_days": 60})  # raid: day 30
    s = shares(res)
    assert (res.summary["standoffs"] >= 1).mean() >= 0.6  # M1 usually musters
    # Backing 0.5: the raid sticks in some runs and not in others.
    assert 0.2 <= s["held_firm"] <= 0.8 and 0.1 <= s["relented"] <= 0.7, s
    assert res.summary["attacks"].median() > 0
