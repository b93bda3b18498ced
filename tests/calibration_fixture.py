"""A tiny calibration (two parameters, three facts of june_2020_raid, 10 particles, 3
generations) for tests that run `leverage-sim calibrate` as a user would, in seconds."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).parent / "leverage-sim")

TINY = {
    "name": "tiny", "method": "smc", "base_scenario": "june_2020_replay", "seed": 7,
    "episodes": ["june_2020_raid"],
    "facts": ["june_2020_raid.kh_muster", "june_2020_raid.relented",
              "june_2020_raid.released_by_29_june"],
    "parameters": [
        {"path": "government.decision_sharpness", "prior": {"low": 1, "high": 20},
         "why": "test"},
        {"path": "government.threat_sensitivity", "prior": {"low": 1, "high": 12},
         "why": "test"}],
    "budget": {"population_size": 10, "max_generations": 3, "max_simulations": 2000},
    "quick": {"population_size": 10, "max_generations": 3, "max_simulations": 2000},
}


def tiny_config(folder: Path, **changes: object) -> Path:
    """Write the tiny calibration (with ``changes`` to its top-level fields) to ``folder``."""
    path = folder / "tiny.yaml"
    path.write_text(yaml.safe_dump({**TINY, **changes}), encoding="utf-8")
    return path


ONE_EPISODES = (("militias[JAM]", "basra"), ("militias[JAM2004]", "najaf"),
                ("events[najaf_operation]", "najaf"))
"""Parameter paths of the shipped file that only one fit episode's scenario has, and it."""


def default_config(folder: Path, **changes: object) -> Path:
    """Write ``calibration/default.yaml`` with ``changes`` to its top-level fields to
    ``folder``. With ``episodes`` changed (and ``parameters`` not), the parameters of a militia
    none of those episodes has are dropped (Basra's JAM without ``basra_2008``, Najaf's JAM2004
    and operation without ``najaf_2004``): a calibration
    with a parameter no fit episode has is refused."""
    config = yaml.safe_load((ROOT / "calibration" / "default.yaml").read_text())
    if "episodes" in changes and "parameters" not in changes:
        chosen = " ".join(map(str, changes["episodes"]))
        config["parameters"] = [p for p in config["parameters"]
                                if all(part not in p["path"] or episode in chosen
                                       for part, episode in ONE_EPISODES)]
    config.update(changes)
    path = folder / "cal.yaml"
    path.write_text(yaml.safe_dump(config))
    return path
