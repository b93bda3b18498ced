"""The lever-split table (leverage_sim.calibration.lever_split): the killing power follows the
lethality and what the foreign force adds, the foreign share only the latter."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from leverage_sim.calibration.config import load_calibration
from leverage_sim.calibration.lever_split import LEVER, lever_split
from leverage_sim.calibration.reference import prior_units, values_at

DEFAULT = Path(__file__).resolve().parents[1] / "calibration" / "default.yaml"


def _draws(cal, fixed: dict[str, float]) -> pd.DataFrame:
    paths = [p.path for p in cal.parameters]
    frame = pd.DataFrame(values_at([p.prior for p in cal.parameters],
                                   prior_units(len(paths), 4000, 3)), columns=paths)
    for k, v in fixed.items():
        frame[k] = v
    return frame.assign(weight=1 / len(frame))


def test_the_foreign_share_moves_with_what_the_force_adds_and_not_with_the_lethality() -> None:
    cal = load_calibration(DEFAULT)
    force_known = lever_split(cal, _draws(cal, {LEVER[0]: 3.0, LEVER[1]: 5000.0}))
    lethality_known = lever_split(cal, _draws(cal, {LEVER[2]: 0.004}))
    assert list(force_known["episode"]) == ["basra_2008", "najaf_2004"]  # the operations
    # what the force adds known: its share is known, the killing power is not
    assert (force_known["foreign_share_width"] == 0).all()
    assert (force_known["killing_power_width"] > 0.5).all()
    # the lethality known: the killing power narrows but still follows the force; the share
    # keeps the prior's spread
    assert (lethality_known["foreign_share_width"] > 0.9).all()
    assert (lethality_known["killing_power_width"] > 0.1).all()
    assert (lethality_known["killing_power_width"] < 0.9).all()
    basra = force_known.set_index("episode").loc["basra_2008"]
    assert basra["troops"] == 15000 and 400 < basra["foreign_ground"] < 600
    # the share at ground multiplier 3 and air support 5,000: (486 x 3 + 5,000 x 162,000 /
    # 162,500) over that plus 15,000 x (0.5 + 0.5 x authority) x committed share
    assert 0.2 < basra["foreign_share_median"] < 0.6
    assert np.isfinite(force_known["killing_power_median"]).all()
