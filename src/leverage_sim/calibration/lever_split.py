"""What the record tells about the main lever's size: the strength the foreign force adds to a
fight, against the strength of the whole government side, per fitted operation.

In a fight (docs/model.md, mechanism 8, step 2) the militia's dead follow ``λ_g × S_g``, with
``λ_g`` ``government.combat_lethality`` and, once the foreign force has stepped in,

    S_g = T × (0.5 + 0.5 × authority) + U,   U = presence × standoff_share × ground_multiplier
                                                 + air support the troops in country direct

(``T`` the operation's committed troops, all engaged: the most its fight can have;
:func:`.standoff.government_strength`, :func:`.backing.us_standoff_strength`). A death toll
informs the product ``λ_g × S_g`` (the side's *killing power*); how much of it the foreign force
brings, ``U / S_g`` (its *share*), is what stepping in adds, and only facts that split the fight
by who fought it inform it. Per fitted episode with an operation, this module compares the
posterior's central 90% interval of both with the prior's own 90% interval (100%: nothing
learnt).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from leverage_sim.calibration.config import Calibration
from leverage_sim.calibration.reference import prior_units, values_at
from leverage_sim.calibration.weighted import weighted_quantiles
from leverage_sim.simulation.mechanisms import backing, operation, standoff

PRIOR_DRAWS = 100_000
"""Prior draws the prior's interval is taken on (the seed is fixed: the table is reproducible)."""
LEVER = ("foreign_forces.ground_multiplier", "foreign_forces.air_support",
         "government.combat_lethality")
"""The parameters the two quantities depend on besides each scenario's figures."""


def _quantities(values: pd.DataFrame, troops: float, authority: float, committed: float,
                presence: int, standoff_share: float) -> tuple[np.ndarray, np.ndarray]:
    """(log killing power, foreign share) at each row of ``values`` (columns :data:`LEVER`)."""
    us = np.array([backing.us_standoff_strength(presence, standoff_share, gm, air) for gm, air
                   in zip(values[LEVER[0]], values[LEVER[1]], strict=True)])
    fighting = operation.committed_forces(troops, committed)
    side = np.array([standoff.government_strength(fighting, authority, 1.0, u) for u in us])
    return np.log(values[LEVER[2]].to_numpy(dtype=float) * side), us / side


def _width(x: np.ndarray, w: np.ndarray) -> float:
    low, high = weighted_quantiles(x, w, [0.05, 0.95])
    return float(high - low)


def lever_split(cal: Calibration, posterior: pd.DataFrame) -> pd.DataFrame:
    """Per fitted episode with an operation: its committed troops, the foreign force's
    committed ground troops, and for the killing power and the foreign share, the posterior's
    median and its 90% interval as a share of the prior's (``posterior``: parameter columns
    and ``weight``)."""
    paths = [p.path for p in cal.parameters]
    prior = pd.DataFrame(values_at([p.prior for p in cal.parameters],
                                   prior_units(len(paths), PRIOR_DRAWS, 0)), columns=paths)
    w_post = posterior["weight"].to_numpy(dtype=float)
    w_prior = np.full(PRIOR_DRAWS, 1.0 / PRIOR_DRAWS)
    rows = []
    for ep in cal.episodes:
        sc = ep.validated()
        ops = [e for e in sc.events if e.action == "operation"]
        if not ops:
            continue
        ff, gov = sc.foreign_forces, sc.government
        fixed = {LEVER[0]: ff.ground_multiplier, LEVER[1]: ff.air_support,
                 LEVER[2]: gov.combat_lethality}
        args = (float(ops[0].figures["troops"]), gov.authority, gov.committed_share,
                ff.presence, ff.standoff_share)
        got = {}
        for name, frame, w in (("prior", prior, w_prior), ("posterior", posterior, w_post)):
            cols = pd.DataFrame({k: frame.get(k, v) for k, v in fixed.items()}, index=frame.index)
            got[name] = (_quantities(cols, *args), w)
        (power, share), w = got["posterior"]
        (p_power, p_share), _ = got["prior"]
        rows.append({
            "episode": ep.name, "troops": int(args[0]),
            "foreign_ground": round(ff.presence * ff.standoff_share),
            "killing_power_median": float(np.exp(weighted_quantiles(power, w, [0.5])[0])),
            "killing_power_width": _width(power, w) / _width(p_power, w_prior),
            "foreign_share_median": float(weighted_quantiles(share, w, [0.5])[0]),
            "foreign_share_width": _width(share, w) / _width(p_share, w_prior)})
    return pd.DataFrame(rows)


def lever_split_table(folder: Path, cal: Calibration) -> str:
    """The markdown table of :func:`lever_split` for the calibration in ``folder``."""
    frame = lever_split(cal, pd.read_parquet(folder / "posterior.parquet"))
    header = ("| episode | committed troops | foreign ground troops | killing power (median, "
              "dead a day) | its 90% interval / prior's | foreign share (median) | its 90% "
              "interval / prior's |")
    lines = [header, "|---|---|---|---|---|---|---|"]
    lines += [f"| {r.episode} | {r.troops:,} | {r.foreign_ground:,} | "
              f"{r.killing_power_median:.0f} | {r.killing_power_width:.0%} | "
              f"{r.foreign_share_median:.2f} | {r.foreign_share_width:.0%} |"
              for r in frame.itertuples()]
    return "\n".join(lines)
