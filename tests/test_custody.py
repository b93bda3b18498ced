"""Custody after a relent (issue 16): one release delay per case, log-normal
(``government.release_delay_days``, ``government.release_delay_spread``), the case's detainees
freed together; the retired ``transfer_release_rate`` refused with a message naming them."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import yaml

import leverage_sim as ls
from leverage_sim.errors import InputError
from leverage_sim.simulation import fastpath
from leverage_sim.simulation.mechanisms import custody
from leverage_sim.simulation.runner import simulate

ROOT = Path(__file__).resolve().parent.parent


# ---- the mechanism ----------------------------------------------------------------------------
def test_delay_is_the_median_at_z_zero_and_grows_with_median_spread_and_draw():
    assert custody.delay_days(2.0, 0.8, 0.0) == 2
    assert custody.delay_days(2.5, 0.8, 0.0) == 3  # released on the first whole day after it
    assert custody.delay_days(6.0, 0.8, 0.0) > custody.delay_days(2.0, 0.8, 0.0)
    assert custody.delay_days(3.0, 0.8, 1.0) > custody.delay_days(3.0, 0.8, 0.0) \
        > custody.delay_days(3.0, 0.8, -1.0)
    assert custody.delay_days(3.0, 1.2, 1.5) > custody.delay_days(3.0, 0.4, 1.5)
    assert custody.delay_days(3.0, 1.2, -1.5) < custody.delay_days(3.0, 0.4, -1.5)
    assert custody.delay_days(3.0, 0.0, 2.5) == 3  # no spread: every case takes the median
    assert custody.delay_days(0.1, 0.5, -3.0) == 1  # never the same day as the transfer


def test_drawn_delay_is_log_normal_with_the_given_median_and_sigma():
    rng = np.random.default_rng(7)
    raw = np.array([custody.draw_release_delay(rng, 40.0, 0.6) for _ in range(20000)])
    logs = np.log(raw - 0.5)  # whole days (ceil): the middle of the day
    assert np.median(raw) == pytest.approx(40, abs=1.5)
    assert logs.std() == pytest.approx(0.6, abs=0.03)


def _prior() -> dict[str, dict]:
    config = yaml.safe_load((ROOT / "calibration" / "default.yaml").read_text())
    return {p["path"]: p["prior"] for p in config["parameters"]}


def _prior_draws(n: int, seed: int) -> list[tuple[float, float]]:
    prior, rng = _prior(), np.random.default_rng(seed)
    median = prior["government.release_delay_days"]
    spread = prior["government.release_delay_spread"]
    assert median["family"] == "loguniform"
    medians = np.exp(rng.uniform(math.log(median["low"]), math.log(median["high"]), n))
    spreads = rng.uniform(spread["low"], spread["high"], n)
    return list(zip(medians.tolist(), spreads.tolist(), strict=True))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_prior_makes_a_three_day_bail_and_a_two_week_judicial_release_both_plausible(seed):
    """Across the calibration prior, a case's delay (days from the transfer) is at most 3 days
    (June 2020: handed over 26 June, out by 29 June) in a large share of draws, and 10-13 days
    (May 2021: handed over 26-28 May, released 7-9 June) in a real share too."""
    rng = np.random.default_rng(100 + seed)
    days = np.array([custody.draw_release_delay(rng, m, s) for m, s in _prior_draws(8000, seed)])
    assert 0.3 <= (days <= 3).mean() <= 0.6
    assert ((days >= 10) & (days <= 13)).mean() >= 0.06


def _days_to_release(scenario: ls.Scenario, seed: int) -> int:
    """Days from the scenario's first scripted raid to its first release after it (99: none)."""
    raid = min(scenario.event_day(e) for e in scenario.events if e.action == "raid")
    run = fastpath.simulate(scenario, seed)
    days = [r[0] for r in run.log.rows if r[2] == "release" and r[0] >= raid]
    return min(days) - raid if days else 99


def test_one_model_gives_both_episodes_release_days_across_the_prior():
    """The model itself (fast path, 120 prior draws): June 2020's release within four days of
    the raid and Muslih's 12-14 days after his arrest are both outcomes of the prior."""
    june, muslih = [], []
    for k, (median, spread) in enumerate(_prior_draws(120, 5)):
        over = {"government.release_delay_days": median,
                "government.release_delay_spread": spread}
        june.append(_days_to_release(ls.load_scenario("june_2020_replay", over), k))
        muslih.append(_days_to_release(ls.load_scenario("muslih_2021", over), k))
    june, muslih = np.array(june), np.array(muslih)
    muslih = muslih[muslih < 99]  # runs with a release (a relent: the stake of one arrest
    assert len(muslih) >= 12      # makes a muster, and so a relent, the rarer outcome)
    assert (june <= 4).mean() >= 0.2
    assert ((muslih >= 12) & (muslih <= 14)).mean() >= 0.03
    assert (muslih <= 4).mean() >= 0.1  # the same prior, not a case-specific switch


# ---- the wiring, on the model -------------------------------------------------------------------
def _cases(rows: list[tuple]) -> list[tuple[int, int, int, int]]:
    """(relent day, transferred, release day, released) per relent in an event log, pairing
    each relent with the militia's next release."""
    out = []
    for k, r in enumerate(rows):
        if r[2] == "relent" and r[5] > 0:
            rel = next((x for x in rows[k:] if x[2] == "release" and x[0] >= r[0]
                        and x[1] == r[3]), None)
            if rel is not None:
                out.append((r[0], int(r[5]), rel[0], int(rel[5])))
    return out


@pytest.mark.parametrize("engine", ["agent", "fast"])
def test_without_spread_every_case_is_freed_together_exactly_the_median_later(engine):
    scenario = ls.load_scenario("june_2020_replay", {
        "government.release_delay_days": 5.0, "government.release_delay_spread": 0.0})
    cases = []
    for seed in range(6):
        run = simulate(scenario, seed, collect_data=False) if engine == "agent" \
            else fastpath.simulate(scenario, seed)
        cases += _cases(run.log.rows)
    assert len(cases) >= 3
    for relent_day, handed, release_day, released in cases:
        assert release_day - relent_day == 5
        assert released == handed  # the whole case at once


def _lags(overrides: dict, seeds: range) -> np.ndarray:
    scenario = ls.load_scenario("june_2020_replay", overrides)
    lags = []
    for seed in seeds:
        rows = fastpath.simulate(scenario, seed).log.rows
        lags += [rel - day for day, _, rel, _ in _cases(rows)]
    return np.array(lags)


@pytest.mark.parametrize("seed", [0, 1000])
def test_a_longer_median_delay_frees_detainees_later(seed):
    seeds = range(seed, seed + 150)
    short = _lags({"government.release_delay_days": 2.0}, seeds)
    long = _lags({"government.release_delay_days": 8.0}, seeds)
    assert len(short) > 80 and len(long) > 80
    assert np.median(long) >= np.median(short) + 4
    assert long.mean() >= short.mean() + 4


@pytest.mark.parametrize("seed", [0, 1000])
def test_a_wider_spread_makes_cases_differ_more(seed):
    seeds = range(seed, seed + 150)
    tight = _lags({"government.release_delay_days": 5.0,
                   "government.release_delay_spread": 0.1}, seeds)
    wide = _lags({"government.release_delay_days": 5.0,
                  "government.release_delay_spread": 1.2}, seeds)
    tight, wide = tight[tight > 0], wide[wide > 0]  # 0: joined a case released that day
    assert len(tight) > 80 and len(wide) > 80
    assert np.log(tight).std() < 0.25  # whole days and cases joined while pending
    assert np.log(wide).std() > 0.8


def test_detainees_stay_held_until_their_case_ends():
    """A long delay keeps the replay's detainees in custody past the end of June (a few
    releases from cases opened by earlier, unscripted raids remain)."""
    def released_within_six_days(overrides: dict) -> float:
        ev = ls.run("june_2020_replay", replications=60, seed=4, posterior=None,
                    engine="fast", overrides=overrides).events
        return ev[(ev["action"] == "release") & ev["day"].between(49, 49 + 6)]["value"].sum() / 60

    assert released_within_six_days({"government.release_delay_days": 1.0}) >= 8
    assert released_within_six_days({"government.release_delay_days": 30.0,
                                     "government.release_delay_spread": 0.1}) <= 1.5


# ---- the retired field ----------------------------------------------------------------------------
def _says_what_replaced_it(message: str) -> None:
    assert "transfer_release_rate" in message
    assert "government.release_delay_days" in message
    assert "government.release_delay_spread" in message


def test_an_override_of_the_retired_rate_names_the_new_fields():
    with pytest.raises(InputError) as e:
        ls.load_scenario("june_2020_replay", {"government.transfer_release_rate": 0.5})
    _says_what_replaced_it(str(e.value))
    assert "unknown field" not in str(e.value)


def test_a_scenario_file_setting_the_retired_rate_names_the_new_fields(tmp_path, cli):
    path = tmp_path / "old.yaml"
    path.write_text("extends: june_2020_replay\ngovernment:\n  transfer_release_rate: 0.65\n")
    code, _, err = cli("run", path, "-n", "1", "--out", tmp_path / "out")
    assert code == 2
    _says_what_replaced_it(err)
    assert "Traceback" not in err


def test_a_scripted_set_of_the_retired_rate_names_the_new_fields():
    events = [{"day": 3, "actor": "government", "action": "set",
               "figures": {"government.transfer_release_rate": 0.2}}]
    with pytest.raises(InputError) as e:
        ls.load_scenario("june_2020_replay", {"events": events})
    _says_what_replaced_it(str(e.value))


def test_a_calibration_or_ema_parameter_naming_the_retired_rate_names_the_new_fields():
    from leverage_sim.scenario.loader import field_of

    with pytest.raises(InputError) as e:
        field_of("government.transfer_release_rate")
    _says_what_replaced_it(str(e.value))
    assert field_of("government.release_delay_days") is not None
