"""Readable summaries of results: outcome shares and medians with 90% intervals."""

from __future__ import annotations

import pandas as pd

from leverage_sim.files.safe_text import visible
from leverage_sim.scenario.labels import naming
from leverage_sim.scenario.schema import GENERIC_FORCE
from leverage_sim.simulation.runner import Results

OUTCOMES = {
    "relented": ("relents", "the government relented in a standoff or operation"),
    "held_firm": ("held_firm", "the government held firm in a standoff or operation"),
    "clash": ("clashes", "a standoff turned into an armed clash"),
    "fighting": ("fight_days", "there was fighting (a clash or an operation)"),
    "ceasefire": ("ceasefires", "a ceasefire was brokered (by the patron or a mediator)"),
    "us_casualties": ("us_casualties", "{force} forces took casualties"),
    "us_strikes": ("us_strikes", "{force} forces struck a militia"),
    "us_withdrawn": ("us_withdrawn", "{force} forces withdrew completely"),
}
"""Outcome share name -> (summary column, meaning); the share is of runs where the column > 0.
One name per outcome: the meaning is the words every output uses for it, ``{force}`` the
foreign force's label (:func:`meanings`)."""


def meanings(force: str = GENERIC_FORCE) -> dict[str, str]:
    """Outcome share name -> its meaning, the foreign force named ``force`` (a scenario's
    ``foreign_forces.label``; by default *foreign*, for texts about several scenarios)."""
    return {name: naming(meaning, force) for name, (_, meaning) in OUTCOMES.items()}

SEVERAL_ROWS = ("A run can count in several rows: it can hold several standoffs or operations, "
                "some held firm and others relented, so the shares need not sum to 100%.")
"""Said under every table of outcome shares."""

FIGURES = (
    "arrests", "max_muster_size", "public_threats", "detainees_released", "fight_days",
    "fight_deaths", "deserters", "attacks", "attacks_intercepted", "us_casualties", "us_strikes",
    "final_authority", "final_mean_autonomy",
)


def outcome_shares(summary: pd.DataFrame) -> pd.Series:
    """Share of replications (0-1) in which each outcome of ``OUTCOMES`` happened."""
    return pd.Series({name: float((summary[col].astype(float) > 0).mean())
                      for name, (col, _) in OUTCOMES.items()})


def intervals(summary: pd.DataFrame, columns: tuple[str, ...] = FIGURES,
              level: float = 0.9) -> pd.DataFrame:
    """Median and central ``level`` interval across replications, one row per column."""
    lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
    data = summary[list(columns)].astype(float)
    return pd.DataFrame({"median": data.median(), "low": data.quantile(lo),
                         "high": data.quantile(hi)})


def summary_text(res: Results) -> str:
    """Plain-text report of a run: what was asked, outcome shares, medians with 90% intervals
    (control characters from the scenario's question written as visible escapes)."""
    sc, n = res.scenario, len(res.summary)
    head = (f"{n} replication{'s' * (n != 1)}, master seed {res.seed}, "
            f"{sc.horizon_days} days from {sc.start_date} ({res.seconds:.1f} s)")
    lines = [f"Scenario {res.inputs}", head]
    if sc.question:
        lines.append(f"Question: {sc.question}")
    if res.posterior:
        p = res.posterior
        lines.append(f"Parameters: {len(p['drawn'])} calibrated parameters drawn per "
                     f"replication (posterior.parquet sha256 {p['sha256'][:12]}; each run's "
                     "draw is in draws.parquet); kept as the scenario or --set sets them: "
                     f"{', '.join(p['kept']) or 'none'}")
    else:
        lines.append("Parameters: the scenario's own values (no posterior; --posterior default "
                     "draws the calibrated ones per replication)")
    lines.append("\nOutcome shares (share of runs):")
    lines.append(f"  {SEVERAL_ROWS}")
    shares = outcome_shares(res.summary)
    said = meanings(sc.foreign_forces.label)
    width = max(map(len, said.values()))
    for name, meaning in said.items():
        lines.append(f"  {meaning:<{width}} {shares[name]:6.1%}")
    lines.append("\nPer run: median [90% interval]")
    for col, row in intervals(res.summary).iterrows():
        fmt = "{:.2f}" if col.startswith("final_") else "{:.0f}"
        lines.append(f"  {col:<22} {fmt.format(row['median']):>6}  "
                     f"[{fmt.format(row['low'])}, {fmt.format(row['high'])}]")
    return visible("\n".join(lines))
