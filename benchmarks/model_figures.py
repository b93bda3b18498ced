"""The model's headline figures: the June 2020 replay against its targets, and the comparative
statics, as docs/model.md reports them (its "v1 → v2" table was read with this script).

    .venv/bin/python benchmarks/model_figures.py            # 200 replications a figure
    .venv/bin/python benchmarks/model_figures.py --n 50     # quicker, noisier

Prints figures; asserts nothing (the tests do).
"""

from __future__ import annotations

import argparse

import pandas as pd

import leverage_sim as ls


def _runs(n: int, seed: int = 77, events: list | None = None, **overrides) -> ls.Results:
    sc = ls.load_scenario("june_2020_replay", overrides)
    if events is not None:
        sc = sc.model_copy(update={"events": events})
    return ls.run(sc, replications=n, seed=seed)


def _share(s: pd.Series) -> str:
    return f"{100 * s.mean():.1f}%"


def replay_figures(n: int) -> None:
    res = _runs(n, seed=2020)
    sc, ev = res.scenario, res.events
    raid = next(e for e in sc.events if e.action == "raid")
    day = sc.event_day(raid)
    kh = ev[ev["day"] >= day]
    musters = kh[(kh["action"] == "muster") & (kh["actor"] == "KH") & (kh["day"] <= day + 1)]
    per_run = musters.groupby("replication")["value"].first()
    ends = kh[kh["action"].isin(["relent", "hold_firm"]) & (kh["target"] == "KH")
              & ~kh["detail"].str.startswith("day ")].groupby("replication").first()
    relents = ends[ends["action"] == "relent"]
    rel = kh[(kh["action"] == "release") & (kh["day"] <= day + 4)
             & kh["replication"].isin(relents.index)]
    freed = rel.groupby("replication")["value"].sum().reindex(relents.index, fill_value=0)
    threats = kh[(kh["action"] == "public_threat") & (kh["day"] <= day + 3)]
    first_threat = threats.groupby("replication")["day"].min()
    before = [r for r, row in relents.iterrows()
              if r in first_threat.index and first_threat[r] <= row["day"]]
    print(f"replay ({n} runs, seed 2020)")
    print(f"  KH musters within a day: {len(per_run) / n:.0%} of runs, median "
          f"{per_run.median():.0f} (90%: {per_run.quantile(.05):.0f}-{per_run.quantile(.95):.0f})")
    print(f"  relent: {len(relents) / n:.1%}; on the raid day {(relents['day'] == day).mean():.0%}"
          f" of relents; days 1-4 {relents['day'].between(day + 1, day + 4).mean():.0%};"
          f" after a public threat {len(before) / max(1, len(relents)):.0%}")
    print(f"  released within 4 days (relent runs): median {freed.median():.0f}, mean "
          f"{freed.mean():.1f}; exactly 13 of 14: {(freed == 13).mean():.0%}; all 14: "
          f"{(freed == 14).mean():.0%}")
    print(f"  public threat within 3 days: {first_threat.size / n:.0%}")
    s = res.summary
    print(f"  attacks in 90 days: mean {s['attacks'].mean():.1f}; authority "
          f"{s['final_authority'].median():.2f}; mean autonomy "
          f"{s['final_mean_autonomy'].median():.2f}")
    kh_aut = res.militias[(res.militias["militia"] == "KH")
                          & (res.militias["day"] == sc.horizon_days - 1)]["autonomy"]
    print(f"  KH autonomy at the end: median {kh_aut.median():.2f}")
    no_raid = _runs(n, seed=2020, events=[e for e in sc.events if e.action != "raid"])
    print(f"  attacks in 90 days without the raid: {no_raid.summary['attacks'].mean():.1f}")


def statics(n: int) -> None:
    print(f"\ncomparative statics ({n} runs each, seed 77)")
    year = {"horizon_days": 365}
    rows = {
        "replay": _runs(n, **year),
        "no raid": _runs(n, events=[], **year),
        "full backing": _runs(n, **year, **{"foreign_forces.backing": 1.0}),
        "frequent raids, backing 0": _runs(n, **year, **{"government.raid_rate": 0.05,
                                                         "foreign_forces.backing": 0.0}),
        "frequent raids, backing 1": _runs(n, **year, **{"government.raid_rate": 0.05,
                                                         "foreign_forces.backing": 1.0}),
    }
    for name, r in rows.items():
        s = r.summary
        print(f"  365 d {name:<26} attacks {s['attacks'].mean():5.1f}  raids "
              f"{s['raids'].mean():4.2f}  strikes {s['us_strikes'].mean():4.2f}  authority "
              f"{s['final_authority'].median():.2f}  withdrawn {_share(s['us_withdrawn'])}")
    for arrests in (1, 14, 100):
        sc = ls.load_scenario("june_2020_replay", year)
        events = [e.model_copy(update={"figures": {"arrests": arrests}})
                  if e.action == "raid" else e for e in sc.events]
        s = _runs(n, events=events, **year).summary
        print(f"  365 d, {arrests:>3} arrests: attacks {s['attacks'].mean():5.1f}")
    for presence in (1123, 3000, 5200, 10000):
        held = {b: (_runs(n, **{"foreign_forces.backing": b,
                                "foreign_forces.presence": presence}).summary["held_firm"] > 0)
                for b in (0.0, 1.0)}
        print(f"  hold firm, {presence:>5} troops: backing 0 {_share(held[0.0])}, backing 1 "
              f"{_share(held[1.0])}")
    for inst in (0.2, 0.9):
        s = _runs(n, **{"patron.instigation": inst}).summary
        print(f"  instigation {inst}: attacks {s['attacks'].mean():.1f}, relent "
              f"{_share(s['relents'] > 0)}")


def long_runs(n: int) -> None:
    res = _runs(n, horizon_days=3650)
    ts = res.timeseries
    ts["year"] = ts["day"] // 365
    yearly = ts.groupby("year")["authority"].mean()
    last = ts[ts["day"] == ts["day"].max()]
    kh = res.militias[(res.militias["militia"] == "KH")
                      & (res.militias["day"] == res.militias["day"].max())]
    att = res.events[res.events["action"] == "attack"].assign(year=lambda d: d["day"] // 365)
    per_year = att.groupby("year").size() / n
    print(f"\n10-year runs ({n})")
    print(f"  authority yearly mean: {yearly.iloc[0]:.2f} -> {yearly.iloc[-1]:.2f}; at 0 in the "
          f"end: {(last['authority'] <= 1e-9).mean():.0%}")
    print(f"  KH autonomy at 1 in the end: {(kh['autonomy'] >= 1 - 1e-9).mean():.0%}")
    print(f"  attacks per year: first {per_year.iloc[0]:.0f}, last {per_year.iloc[-1]:.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200, help="replications per figure (default 200)")
    ap.add_argument("--only", choices=("replay", "statics", "long"), action="append")
    args = ap.parse_args()
    parts = set(args.only or ("replay", "statics", "long"))
    if "replay" in parts:
        replay_figures(args.n)
    if "statics" in parts:
        statics(args.n)
    if "long" in parts:
        long_runs(max(20, args.n // 4))


if __name__ == "__main__":
    main()
