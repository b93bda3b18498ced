"""A small hand-made posterior folder (the format of ``leverage-sim calibrate --out DIR``) to
test against, written afresh for each test session into a temporary folder (:data:`FOLDER`),
stamped with the running model's fingerprint (a posterior is used only with the model it was
fitted to: :func:`leverage_sim.simulation.posterior.check_model`)."""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

_TMP = Path(tempfile.mkdtemp(prefix="leverage_sim_tests_"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
FOLDER = _TMP / "posterior_small"
BASE_SCENARIO = "june_2020_replay"
PRIORS: dict[str, dict[str, Any]] = {
    "government.decision_sharpness": {"distribution": "uniform", "low": 2.0, "high": 12.0},
    "militias[KH].mobilisation": {"distribution": "uniform", "low": 0.2, "high": 0.8},
    "government.enforcement_capacity": {"distribution": "uniform", "low": 200, "high": 1500},
    "foreign_forces.sites[bases].interception": {"distribution": "uniform", "low": 0.0,
                                                 "high": 0.5},
}
BASE_VALUES = {"government.decision_sharpness": 6.0, "militias[KH].mobilisation": 0.45,
               "government.enforcement_capacity": 500,
               "foreign_forces.sites[bases].interception": 0.1}
"""The parameters' values in june_2020_replay."""


def particles(n: int = 200, seed: int = 7) -> pd.DataFrame:
    """``n`` weighted particles, deliberately far from the base values (so draws matter)."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "government.decision_sharpness": rng.uniform(9.0, 12.0, n),
        "militias[KH].mobilisation": rng.uniform(0.6, 0.8, n),
        "government.enforcement_capacity": rng.integers(200, 400, n).astype(float),
        "foreign_forces.sites[bases].interception": rng.uniform(0.3, 0.5, n),
    })
    w = rng.uniform(0.5, 1.5, n)
    df["weight"] = w / w.sum()
    return df


def manifest(**changes: Any) -> dict[str, Any]:
    """The manifest of the fixture, with ``changes``."""
    from leverage_sim.simulation.model_fingerprint import fingerprint

    return {"kind": "leverage-sim calibration", "base_scenario": BASE_SCENARIO,
            "base_values": BASE_VALUES, "parameters": PRIORS,
            "episodes": [{"file": "episodes/june_2020_raid.yaml", "sha256": "0" * 64,
                          "role": "fit"}],
            "seed": 1, "status": "complete", "model_fingerprint": fingerprint(), **changes}


def write_posterior(folder: Path, table: pd.DataFrame | None = None, **changes: Any) -> Path:
    """Write a posterior folder (``changes`` go into the manifest); returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (particles() if table is None else table).to_parquet(folder / "posterior.parquet",
                                                         index=False)
    (folder / "manifest.json").write_text(json.dumps(manifest(**changes), indent=1) + "\n",
                                          encoding="utf-8")
    return folder


write_posterior(FOLDER)
