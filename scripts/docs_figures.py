"""Every model figure quoted in docs/: computed here, written into docs/figures.json and into the
marked blocks of the pages.

    .venv/bin/python scripts/docs_figures.py              # recompute all (a few minutes on 2 cores)
    .venv/bin/python scripts/docs_figures.py --only sweeps_backing scenarios_counterfactuals
    .venv/bin/python scripts/docs_figures.py --write-only # rewrite the pages from figures.json

A figure appears in a page between ``<!-- figure:NAME -->`` and ``<!-- /figure:NAME -->``
(inline in a sentence, or around a code block). Each figure states the settings it was
computed with, including which parameters: the scenario's own values (``posterior="none"``)
or a named calibration, always given explicitly, so a figure never depends on the package's
default posterior. ``figures.json`` records the hash of the inputs (model code, scenario and
sweep files, this script): ``tests/test_docs_figures.py`` checks that every block in the
pages equals ``figures.json`` and that the inputs are unchanged since it was computed, so a
change to the model that leaves a quoted figure stale fails the suite until this script is
re-run. Timings are never figures here: pages quote them as measured by a named benchmark on
a date.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from leverage_sim.files.inputs_hash import inputs_hash as hash_of_inputs

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FIGURES_JSON = DOCS / "figures.json"
INPUTS = (
    *(f"src/leverage_sim/simulation/{name}" for name in (
        "model.py", "agents", "mechanisms", "fastpath", "standoffs.py", "scripted_events.py",
        "outcomes.py", "world.py", "replication.py", "runner.py")),
    *(f"src/leverage_sim/scenario/{name}" for name in (
        "schema.py", "schema_base.py", "event_schema.py", "loader.py", "overrides.py",
        "distributions.py")),
    "src/leverage_sim/outputs/report.py", "src/leverage_sim/outputs/summaries.py",
    "src/leverage_sim/sweep", "src/leverage_sim/cli/sweep_cmd.py", "scenarios",
    "scripts/docs_figures.py")
"""What the figures depend on (files, or folders of .py/.yaml files)."""
BLOCK = re.compile(r"<!-- figure:(?P<name>[a-z0-9_]+) -->(?P<body>.*?)<!-- /figure:(?P=name) -->",
                   re.DOTALL)
NO_POSTERIOR = "none"  # every figure below: the scenario's own parameter values


@dataclass(frozen=True)
class Figure:
    """A figure quoted in ``page``: how it was computed (``settings``, in words) and the
    function computing its text(s): one text per block, by block name."""

    page: str
    settings: str
    compute: Callable[[], dict[str, str]]


def inputs_hash() -> str:
    """SHA-256 over the contents of :data:`INPUTS` (paths relative to the repository)."""
    return hash_of_inputs(ROOT, INPUTS)


# ---- the figures ------------------------------------------------------------------------------
GRID_PARAMS = ["foreign_forces.backing=0:1:11", "patron.instigation=0.2,0.5,0.8"]
GRID = {"replications": 100, "seed": 1}


def sweeps_grid() -> dict[str, str]:
    """docs/sweeps.md: what ``leverage-sim sweep june_2020_replay --param ... --replications 100
    --seed 1 --posterior none`` prints (without its timing line): the first and last two
    points."""
    from leverage_sim.cli.sweep_cmd import report_text
    from leverage_sim.sweep import SweepSpec, run_sweep

    spec = SweepSpec.from_cli("june_2020_replay", GRID_PARAMS, posterior=NO_POSTERIOR, **GRID)
    with tempfile.TemporaryDirectory() as tmp:
        out = run_sweep(spec, Path(tmp) / "grid")
        lines = report_text(out).splitlines()
    lines = [ln for ln in lines if not ln.startswith(("This session:", "Results in"))
             and ln.strip()]
    columns = next(k for k, ln in enumerate(lines) if "held_firm>0" in ln)  # the table's head
    header, table = lines[:columns + 1], lines[columns + 1:]
    shown = [*header, *table[:2], " " * 20 + "...", *table[-2:]]
    return {"sweeps_grid": "\n```\n" + "\n".join(shown) + "\n```\n"}


def sweeps_backing() -> dict[str, str]:
    """docs/sweeps.md: the Python example's table (sweep file backing_sweep, scenario values)."""
    import leverage_sim as ls
    from leverage_sim.sweep import SweepSpec

    spec = SweepSpec.from_file("backing_sweep").with_changes(posterior=NO_POSTERIOR)
    with tempfile.TemporaryDirectory() as tmp:
        df = ls.load_sweep(ls.run_sweep(spec, Path(tmp) / "backing"))
    table = ls.summarise(df, outcomes=["held_firm>0", "attacks"])
    table = table[table["foreign_forces.backing"].isin([0.0, 0.5, 1.0])]
    text = table[["foreign_forces.backing", "n", "held_firm>0_share", "held_firm>0_low",
                  "held_firm>0_high", "attacks_mean"]].round(2).to_string(index=False)
    return {"sweeps_backing": f"\n```\n{text}\n```\n"}


LIBRARY_RUNS = {"replications": 120, "seed": 2024, "overrides": {"horizon_days": 75}}
"""The counterfactuals' settings: as tests/test_scenario_library.py runs them."""


def scenarios_counterfactuals() -> dict[str, str]:
    """docs/scenarios.md: what the counterfactuals show, each against the replay with the same
    seeds (120 runs, master seed 2024, 75 days, scenario values)."""
    import leverage_sim as ls

    def run(name: str) -> ls.Results:
        return ls.run(name, posterior=NO_POSTERIOR, **LIBRARY_RUNS)

    def held(res: ls.Results) -> str:
        return f"{(res.summary['held_firm'] > 0).mean():.0%}"

    def muster(res: ls.Results) -> str:
        return f"{res.summary['max_muster_size'].median():.0f}"

    def drew_down(res: ls.Results) -> str:
        runs = res.events.loc[res.events["action"] == "drawdown", "replication"].nunique()
        return f"{runs / len(res.summary):.0%}"

    def embassy_hits(res: ls.Results) -> float:
        ev = res.events
        return float(((ev["action"] == "attack") & (ev["target"] == "embassy")
                      & (ev["detail"] != "intercepted") & (ev["date"] >= "2020-06-28")).sum())

    replay, us, kh = run("june_2020_replay"), run("june_2020_us_intervenes"), run("kh_decapitated")
    restraint, escalation = run("june_2020_patron_restraint"), run("june_2020_patron_escalation")
    no_defence = run("june_2020_no_air_defence")
    ratio = embassy_hits(no_defence) / max(embassy_hits(replay), 1.0)
    return {
        "held_replay": held(replay), "held_us": held(us), "held_kh": held(kh),
        "muster_kh": muster(kh), "muster_replay": muster(replay),
        "attacks_restraint": f"{restraint.summary['attacks'].median():.0f}",
        "attacks_replay": f"{replay.summary['attacks'].median():.0f}",
        "attacks_escalation": f"{escalation.summary['attacks'].median():.0f}",
        "drawdown_escalation": drew_down(escalation), "drawdown_replay": drew_down(replay),
        "embassy_ratio": f"{ratio:.1f}",
    }


def scenarios_long_timeline() -> dict[str, str]:
    """docs/scenarios.md: rocket/mortar attacks on US targets (every site but convoys) in
    oct2019_dec2020, 100 replications, master seed 2024, scenario values."""
    import leverage_sim as ls

    n = 100
    res = ls.run("oct2019_dec2020", replications=n, seed=2024, posterior=NO_POSTERIOR)
    ev = res.events
    rockets = ev[(ev["action"] == "attack") & (ev["target"] != "convoys")]
    window = rockets[(rockets["date"] >= "2020-01-01") & (rockets["date"] <= "2020-10-31")]
    per_run = window.groupby("replication").size().reindex(range(n), fill_value=0)
    monthly = rockets.groupby(rockets["date"].dt.to_period("M")).size() / n
    low, high = per_run.quantile([0.05, 0.95])
    return {"long_median": f"{per_run.median():.0f}", "long_interval": f"{low:.0f}–{high:.0f}",
            "long_jan_jun": f"{monthly['2020-01':'2020-06'].mean():.1f}",
            "long_aug_sep": f"{monthly['2020-08':'2020-09'].mean():.0f}"}


def scenarios_own_example() -> dict[str, str]:
    """docs/scenarios.md: the page's own my_scenario.yaml against the replay, as
    ``leverage-sim compare june_2020_replay my_scenario.yaml --posterior none`` runs them (100
    replications, the replay's seed)."""
    import leverage_sim as ls

    page = (DOCS / "scenarios.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(# file: my_scenario.yaml\n.*?)```", page, re.DOTALL)
    if example is None:
        raise SystemExit("docs/scenarios.md has no my_scenario.yaml example")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "my_scenario.yaml"
        path.write_text(example.group(1), encoding="utf-8")
        mine = ls.run(ls.load_scenario(path), replications=100, posterior=NO_POSTERIOR)
    replay = ls.run("june_2020_replay", replications=100, posterior=NO_POSTERIOR)
    return {f"own_{name}": f"{(res.summary['held_firm'] > 0).mean():.0%}"
            for name, res in (("mine", mine), ("replay", replay))}


# ---- docs/model.md: the replay against its targets and the comparative statics ------------------
MODEL_RUNS = 200
"""Replications per model.md figure (the 10-year runs: a quarter of it)."""


def _model_runs(n: int, seed: int = 77, events: list | None = None, engine: str = "agent",
                **overrides: object):
    """``n`` replications of june_2020_replay with the scenario's own values (posterior none),
    with ``overrides`` and, when given, ``events`` in place of the scenario's events."""
    import leverage_sim as ls

    sc = ls.load_scenario("june_2020_replay", overrides)
    if events is not None:
        sc = sc.model_copy(update={"events": events})
    return ls.run(sc, replications=n, seed=seed, posterior=NO_POSTERIOR, engine=engine)


def _pct(share: float) -> str:
    """A share of runs as a percentage to 0.1 (``0.465`` → ``46.5``; ``0.36`` → ``36``)."""
    return f"{round(100 * share, 1):g}"


def replay_measures(n: int = MODEL_RUNS) -> dict[str, str]:
    """The replay against the design brief's targets (``n`` runs, seed 2020), one text per row of
    docs/model.md's replay table."""
    res = _model_runs(n, seed=2020)
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
    after_threat = [r for r, row in relents.iterrows()
                    if r in first_threat.index and first_threat[r] <= row["day"]]
    s = res.summary
    kh_aut = res.militias[(res.militias["militia"] == "KH")
                          & (res.militias["day"] == sc.horizon_days - 1)]["autonomy"]
    no_raid = _model_runs(n, seed=2020, events=[e for e in sc.events if e.action != "raid"],
                          engine="fast")
    return {
        "model_replay_muster": f"{len(per_run) / n:.0%} of runs, median {per_run.median():.0f} "
                               f"(90%: {per_run.quantile(.05):.0f}–{per_run.quantile(.95):.0f})",
        "model_replay_relent": f"{_pct(len(relents) / n)}%",
        "model_replay_relent_timing": (
            f"{(relents['day'] == day).mean():.0%} on the raid day, "
            f"{relents['day'].between(day + 1, day + 4).mean():.0%} on days 1–4, "
            f"{len(after_threat) / max(1, len(relents)):.0%} after a threat"),
        "model_replay_released": (
            f"median {freed.median():.0f}; exactly 13 of 14 in {(freed == 13).mean():.0%} of "
            f"relents, all 14 in {(freed == 14).mean():.0%}"),
        "model_replay_threat": f"{first_threat.size / n:.0%}",
        "model_replay_attacks": (f"{s['attacks'].mean():.1f} "
                                 f"({no_raid.summary['attacks'].mean():.1f} without the raid)"),
        "model_replay_authority": (f"{s['final_authority'].median():.2f}, "
                                   f"{kh_aut.median():.2f}"),
    }


def statics_measures(n: int = MODEL_RUNS) -> dict[str, str]:
    """The comparative statics (``n`` runs each, seed 77), one text per row of docs/model.md's
    statics table; the 10-year runs use ``max(20, n // 4)`` runs."""
    import leverage_sim as ls

    year = {"horizon_days": 365}

    def fast(**overrides: object) -> ls.Results:
        return _model_runs(n, engine="fast", **overrides)

    def attacks(res: ls.Results) -> str:
        return f"{res.summary['attacks'].mean():.1f}"

    def held(backing: float, presence: int) -> float:
        res = fast(**{"foreign_forces.backing": backing, "foreign_forces.presence": presence})
        return float((res.summary["held_firm"] > 0).mean())

    def raids(backing: float) -> ls.Results:
        return fast(**year, **{"government.raid_rate": 0.05, "foreign_forces.backing": backing})

    def arrested(count: int) -> ls.Results:
        sc = ls.load_scenario("june_2020_replay", year)
        events = [e.model_copy(update={"figures": {"arrests": count}}) if e.action == "raid"
                  else e for e in sc.events]
        return _model_runs(n, events=events, engine="fast", **year)

    hold = [f"{_pct(held(0.0, p))}→{_pct(held(1.0, p))}" for p in (1123, 5200, 10000)]
    low, high = (fast(**{"patron.instigation": i}).summary for i in (0.2, 0.9))
    return {
        "model_statics_attacks": " / ".join(attacks(r) for r in (
            fast(**year), _model_runs(n, events=[], engine="fast", **year),
            fast(**year, **{"foreign_forces.backing": 1.0}))),
        "model_statics_raids": f"{attacks(raids(0.0))} vs {attacks(raids(1.0))}",
        "model_statics_arrests": " / ".join(attacks(arrested(c)) for c in (1, 14, 100)),
        "model_statics_hold": " / ".join(hold) + "%",
        "model_statics_instigation": (
            f"{low['attacks'].mean():.1f} → {high['attacks'].mean():.1f}, "
            f"{_pct((low['relents'] > 0).mean())} → {_pct((high['relents'] > 0).mean())}%"),
        **long_run_measures(max(20, n // 4)),
    }


def long_run_measures(n: int) -> dict[str, str]:
    """10-year runs (``n``, seed 77): authority's yearly mean in the first and last year, and the
    shares of runs ending with authority 0 and with KH autonomy 1."""
    res = _model_runs(n, horizon_days=3650)
    ts = res.timeseries
    yearly = ts.groupby(ts["day"] // 365)["authority"].mean()
    last = ts[ts["day"] == ts["day"].max()]
    kh = res.militias[(res.militias["militia"] == "KH")
                      & (res.militias["day"] == res.militias["day"].max())]
    return {"model_statics_long": (
        f"{yearly.iloc[0]:.2f} → {yearly.iloc[-1]:.2f}; "
        f"{(last['authority'] <= 1e-9).mean():.0%} and {(kh['autonomy'] >= 1 - 1e-9).mean():.0%}")}

FIGURES: dict[str, Figure] = {
    "sweeps_grid": Figure("sweeps.md", "june_2020_replay, backing 0-1 in 11 steps x patron "
                          "instigation 0.2/0.5/0.8, 100 replications, master seed 1, scenario "
                          "values (posterior none)", sweeps_grid),
    "sweeps_backing": Figure("sweeps.md", "sweep file backing_sweep (11 backing levels x 50 "
                             "replications, seed 2020), scenario values (posterior none)",
                             sweeps_backing),
    "scenarios_counterfactuals": Figure(
        "scenarios.md", "120 replications, master seed 2024, horizon 75 days, scenario values "
        "(posterior none); shares of runs, medians over runs", scenarios_counterfactuals),
    "scenarios_long_timeline": Figure(
        "scenarios.md", "oct2019_dec2020, 100 replications, master seed 2024, scenario values "
        "(posterior none); attacks on every site but convoys", scenarios_long_timeline),
    "scenarios_own_example": Figure(
        "scenarios.md", "the page's my_scenario.yaml and june_2020_replay, 100 replications, "
        "the replay's seed, scenario values (posterior none)", scenarios_own_example),
    "model_replay": Figure(
        "model.md", f"june_2020_replay, {MODEL_RUNS} replications, master seed 2020, scenario "
        "values (posterior none); the raid-free variant on the fast engine",
        replay_measures),
    "model_statics": Figure(
        "model.md", f"june_2020_replay variants, {MODEL_RUNS} replications each (10-year runs: "
        f"{MODEL_RUNS // 4}), master seed 77, scenario values (posterior none); fast engine "
        "except the 10-year runs", statics_measures),
}


# ---- files ---------------------------------------------------------------------------------
def read_json() -> dict:
    """The committed figures (empty if none yet)."""
    if not FIGURES_JSON.is_file():
        return {"inputs": None, "figures": {}}
    return json.loads(FIGURES_JSON.read_text(encoding="utf-8"))


def blocks(text: str) -> dict[str, str]:
    """The figure blocks of a page: name → body."""
    return {m["name"]: m["body"] for m in BLOCK.finditer(text)}


def write_pages(texts: dict[str, str]) -> list[Path]:
    """Rewrite every block of docs/*.md from ``texts`` (name → body); the pages changed."""
    changed = []
    for page in sorted(DOCS.glob("*.md")):
        old = page.read_text(encoding="utf-8")
        new = BLOCK.sub(lambda m: (f"<!-- figure:{m['name']} -->"
                                   f"{texts.get(m['name'], m['body'])}"
                                   f"<!-- /figure:{m['name']} -->"), old)
        if new != old:
            page.write_text(new, encoding="utf-8")
            changed.append(page)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=sorted(FIGURES), default=None,
                        help="recompute only these figures (the others keep their values)")
    parser.add_argument("--write-only", action="store_true",
                        help="rewrite the pages from figures.json without computing")
    args = parser.parse_args(argv)
    data = read_json()
    if not args.write_only:
        for name in args.only or FIGURES:
            figure = FIGURES[name]
            print(f"computing {name} ({figure.settings}) ...", file=sys.stderr, flush=True)
            data["figures"][name] = {"page": figure.page, "settings": figure.settings,
                                     "texts": figure.compute()}
        data["inputs"] = inputs_hash()
        FIGURES_JSON.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n",
                                encoding="utf-8")
    texts = {k: v for f in data["figures"].values() for k, v in f["texts"].items()}
    for page in write_pages(texts):
        print(f"rewrote {page.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
