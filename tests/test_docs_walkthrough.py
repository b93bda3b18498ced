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


def test_the_briefs_headline_is_a_paragraph_not_html_shown_as_text(tmp_path) -> None:
    # docs/reports.md (the one-page brief): the headline is the shares held firm and relented
    # (run) or each column's effect on held firm (compare). The lines were raw HTML handed to
    # the Markdown renderer, which shows raw HTML as text: the page read
    # `<p class="headline">The government held firm ...</p>` literally.
    run_out, cmp_out = tmp_path / "run", tmp_path / "cmp"
    assert main(["run", "june_2020_replay", "-n", "3", "-q", "--posterior", "none",
                 "--out", str(run_out), "--brief"]) == 0
    assert main(["compare", "june_2020_replay", "--variant", "foreign_forces.backing=0.9",
                 "-n", "3", "-q", "--posterior", "none", "--out", str(cmp_out),
                 "--brief"]) == 0
    for page, said in (((run_out / "brief.html").read_text(encoding="utf-8"),
                        "The government held firm in a standoff or operation: "),
                       ((cmp_out / "brief.html").read_text(encoding="utf-8"),
                        "foreign_forces.backing=0.9: held firm ")):
        assert "&lt;p" not in page and "&lt;/p&gt;" not in page
        assert f'<p class="headline">{said}' in page


def test_run_json_says_which_parameters_it_used(capsys) -> None:
    # README: "every output says which it used" (the posterior or the scenario's own values);
    # docs/cli.md: compare --json has `inputs`. run --json named neither the overrides nor the
    # parameters, so a JSON result of a counterfactual read like one of the plain scenario.
    import json

    assert main(["run", "june_2020_replay", "-n", "2", "-q", "--posterior", "none",
                 "--set", "foreign_forces.backing=0.9", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["inputs"] == ("june_2020_replay with foreign_forces.backing=0.9 · parameters: "
                             "the scenario's own values (no posterior)")
