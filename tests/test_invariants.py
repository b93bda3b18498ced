"""Invariants over random valid scenarios (hypothesis): ranges, conservation, no negatives."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import leverage_sim as ls

unit = st.floats(0.0, 1.0, allow_nan=False)

scenario_overrides = st.fixed_dictionaries({
    "horizon_days": st.integers(20, 120),
    "foreign_forces.backing": unit,
    "foreign_forces.presence": st.sampled_from([0, 1, 30, 800, 5200]),
    "foreign_forces.exposure_half": st.floats(0, 5000),
    "foreign_forces.casualty_tolerance": st.floats(0.5, 20),
    "foreign_forces.response_delay_days": st.integers(0, 5),
    "foreign_forces.sites[embassy].interception": unit,
    "foreign_forces.sites[bases].lethality": st.floats(0, 3),
    "foreign_forces.sites[convoys].lethality": st.sampled_from([0.0, 100.0]),
    "patron.instigation": unit,
    "patron.resources": st.floats(0, 4),
    "patron.stability_priority": unit,
    "government.resolve": unit,
    "government.authority": unit,
    "government.enforcement_capacity": st.integers(0, 5000),
    "government.raid_rate": st.floats(0, 0.2),
    "government.release_delay_days": st.floats(0.1, 60),
    "government.release_delay_spread": st.floats(0, 3),
    "militias[KH].autonomy": unit,
    "militias[KH].defence_avoidance": unit,
    "militias[KH].stake_sensitivity": st.floats(0, 2),
    "government.command_reach": unit,
    "militias[KH].fighters": st.integers(0, 20000),
    "militias[KH].local_fighters": st.integers(0, 2000),
    "militias[AAH].solidarity": unit,
    "militias[AAH].clash_propensity": unit,
    "militias[KH].attack_rate": st.floats(0, 3),
    "events[0].day": st.integers(0, 19),
    "events[1].day": st.integers(0, 19),
    "events[0].figures": st.one_of(st.fixed_dictionaries({"arrests": st.integers(0, 60)}),
                                   st.fixed_dictionaries({"targets": st.integers(1, 60)})),
})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(overrides=scenario_overrides, seed=st.integers(0, 2**32))
def test_invariants_hold(replay, overrides, seed):
    overrides = dict(overrides)
    overrides["events[0].date"] = overrides["events[1].date"] = None  # days within the horizon
    overrides["militias[KH].local_fighters"] = min(overrides["militias[KH].local_fighters"],
                                                     overrides["militias[KH].fighters"])
    scenario = ls.load_scenario(replay, overrides)
    res = ls.run(scenario, replications=1, seed=seed)
    ts, mil, s = res.timeseries, res.militias, res.summary.iloc[0]

    for col in ("authority", "resolve", "coalition_support", "patron_instigation",
                "mean_autonomy", "escalation"):
        assert ts[col].between(0, 1).all(), col
    assert (mil["fighters"] >= 0).all() and mil["autonomy"].between(0, 1).all()
    assert (mil["detained"] >= 0).all()
    assert (ts["attacks_intercepted"] <= ts["attacks"]).all()
    assert (ts["us_presence"] >= 0).all() and ts["us_presence"].is_monotonic_decreasing
    # US casualties never exceed the troops there; those killed leave the presence (issue 19).
    presence = overrides["foreign_forces.presence"]
    assert s["us_casualties"] <= presence
    ff = res.events[(res.events["actor"] == "foreign_forces")
                    & res.events["action"].isin(["drawdown", "withdrawal"])]
    assert presence - ts["us_presence"].iloc[-1] == s["us_casualties"] + ff["value"].sum()
    # Detainees are conserved: arrested = still held + released.
    final = ts.iloc[-1]
    assert s["arrests"] == final["detainees_held"] + s["detainees_released"]
    last = mil[mil["day"] == mil["day"].max()]
    assert last["detained"].sum() == final["detainees_held"]
    assert s["held_firm"] + s["relents"] <= s["standoffs"]
    if overrides["foreign_forces.presence"] == 0:
        assert s["attacks"] == 0
        assert not (res.events["action"] == "backing").any()
