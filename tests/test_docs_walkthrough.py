"""Names and texts the documentation promises, found missing or wrong by a walk through the docs
as a new user (each test failed before its fix)."""

from __future__ import annotations

import pytest

from leverage_sim.cli.main import main


def test_calibrate_help_names_the_table_methods_default_rejection_abc(capsys) -> None:
    # docs/calibration.md: the table method is rejection ABC; regression adjustment is off
    # unless a calibration file says `adjust: true` (calibration/config.py, TableBudgetSpec).
    with pytest.raises(SystemExit) as exit_:
        main(["calibrate", "--help"])
    assert exit_.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "until the regression-adjusted ABC posterior" not in text
    assert "rejection ABC posterior" in text and "adjust: true" in text


def test_ema_exports_the_outcome_directions_the_docs_name() -> None:
    # docs/mesa_and_ema.md: "Each has a direction (`ema.KINDS`)".
    ema_workbench = pytest.importorskip("ema_workbench",
                                        reason="the [ema] extra is not installed")
    from leverage_sim import ema

    assert "KINDS" in ema.__all__
    assert ema.KINDS["held_firm"] == ema_workbench.ScalarOutcome.MAXIMIZE
    assert ema.KINDS["attacks"] == ema_workbench.ScalarOutcome.MINIMIZE
