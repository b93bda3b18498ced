"""Comparative statics that read the agent path's daily tables (the others:
test_statics_seeds.py)."""

from __future__ import annotations

import leverage_sim as ls

N = 200


def _runs(replay, n: int = N, **overrides) -> ls.Results:
    return ls.run(ls.load_scenario(replay, overrides), replications=n, seed=77, posterior=None)


# The statics of the design brief (backing, instigation, interception, violence, government
# strength, raids, troops in country, relents vs wins) are in test_statics_seeds.py: several
# seeds, common random numbers, margins from the sampling error. Here: the two that need the
# agent path's daily tables.


def test_heavy_strikes_bring_patron_restraint_and_fewer_attacks(replay):
    """Three rounds of US strikes on KH within a week (day 10-16): the patron's war risk passes
    its threshold and it holds the militias back; attacks in the following month fall below the
    same runs without strikes."""
    strikes = [{"day": d, "actor": "foreign_forces", "action": "strike", "target": "KH"}
               for d in (10, 13, 16)]
    base, struck = _runs(replay, 150, events=[]), _runs(replay, 150, events=strikes)

    def month_after(res: ls.Results) -> float:
        ev = res.events
        return ((ev["action"] == "attack") & ev["day"].between(17, 47)).sum() / 150

    def instigation(res: ls.Results) -> float:
        return res.timeseries[res.timeseries["day"] == 20]["patron_instigation"].mean()

    assert instigation(struck) < instigation(base) - 0.1
    assert month_after(struck) < 0.8 * month_after(base)


def test_ten_year_runs_keep_a_stationary_spread(replay):
    res = _runs(replay, 40, horizon_days=3650)
    ts, mil = res.timeseries, res.militias
    last = ts[ts["day"] == ts["day"].max()]
    kh = mil[(mil["militia"] == "KH") & (mil["day"] == mil["day"].max())]
    assert (last["authority"] <= 0.01).mean() <= 0.05
    assert (kh["autonomy"] >= 0.99).mean() <= 0.05
    yearly = ts.assign(year=ts["day"] // 365).groupby("year")["authority"].mean()
    assert abs(yearly.iloc[-1] - yearly.iloc[1]) < 0.1
