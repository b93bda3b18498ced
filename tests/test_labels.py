"""Chart labels come from the schema (parameters) and one table (summary columns)."""

import pytest

from leverage_sim.scenario import labels
from leverage_sim.scenario.param_reference import reference_rows
from leverage_sim.simulation.runner import SUMMARY_COLUMNS


def test_examples_from_the_brief():
    assert labels.label("held_firm>0") == "share of runs where the government held firm"
    assert labels.label("foreign_forces.backing", force="US") == "US backing (probability 0-1)"
    assert (labels.label("attacks>=10", force="US")
            == "share of runs with attacks on US-linked sites ≥ 10")
    assert labels.label("militias[KH].cohesion") == "KH cohesion (index 0-1)"
    assert labels.label("militias[0].cohesion") == "militia 0 cohesion (index 0-1)"
    assert (labels.label("foreign_forces.response_delay_days", force="US")
            == "US response delay (days)")


def test_labels_name_the_foreign_force_given_and_generically_by_default():
    """A scenario's labels name its force; labels of no one scenario say *foreign*."""
    assert labels.label("us_casualties") == "foreign casualties (killed)"
    assert labels.label("us_casualties", force="MNF-I") == "MNF-I casualties (killed)"
    assert labels.label("us_withdrawn", force="French") == (
        "share of runs where French forces withdrew completely")
    assert labels.label("us_strikes>0", force="British") == (
        "share of runs where British forces struck a militia")
    assert labels.label("foreign_forces.backing") == "foreign backing (probability 0-1)"
    assert labels.heading("attacks", "MNF-I") == "Attacks on MNF-I-linked sites"
    assert not any("US" in labels.label(c, force="F") for c in labels.COLUMNS)


def test_every_numeric_parameter_is_labelled_with_its_schema_unit():
    params = [r for r in reference_rows()
              if r.unit not in ("", "text", "date") and "[i]" not in r.path and r.range]
    assert len(params) > 40
    for r in params:
        path = r.path.replace("[NAME]", "[X]")
        text = labels.label(path)
        assert text.endswith(f"({r.unit})"), (path, text)
        assert "_" not in text and "." not in text.split(" (")[0], (path, text)
        assert labels.description(path) == r.meaning


def test_label_follows_the_schema(monkeypatch):
    from leverage_sim.scenario.schema import ForeignForces

    info = ForeignForces.model_fields["backing"]
    monkeypatch.setattr(info, "json_schema_extra", {"unit": "chance"})
    assert labels.label("foreign_forces.backing", force="US") == "US backing (chance)"


@pytest.mark.parametrize("column", [c for c in SUMMARY_COLUMNS if c not in ("replication",
                                                                                 "seed")])
def test_every_summary_column_has_a_readable_label(column):
    assert labels.label(column) != column.replace("_", " ")


def test_axis_kinds():
    assert labels.is_index("final_authority") and labels.is_index("relents>0")
    assert labels.is_index("foreign_forces.backing")
    assert labels.is_count("attacks") and not labels.is_count("final_authority")
    assert not labels.is_index("attacks") and labels.label("no_such_thing") == "no such thing"
