"""Careless or hostile input found by the third audit: a verb's words after its options, a
sweep table without its seed column, file names that are not UTF-8."""

from __future__ import annotations

from leverage_sim.cli.main import build_parser


def _parse(*argv: str):
    return build_parser(list(argv)).parse_args(list(argv))


def test_a_verbs_words_may_come_before_between_or_after_its_options():
    for argv in (["compare", "a", "--set", "x=1", "b"], ["compare", "--set", "x=1", "a", "b"],
                 ["compare", "a", "--variant", "x=1", "-n", "2", "b"]):
        assert _parse(*argv).scenarios == ["a", "b"]
    assert _parse("validate", "a", "--json", "b").files == ["a", "b"]


def test_a_scenario_after_an_option_is_read_not_called_unrecognized(cli):
    code, _, err = cli("compare", "june_2020_replay", "--set", "foreign_forces.backing=0.5",
                       "nope")
    assert code == 2 and "No scenario named 'nope'" in err


def test_an_unknown_option_is_named_with_the_verbs_usage(cli):
    code, _, err = cli("compare", "--variants", "x=1", "june_2020_replay")
    assert code == 2 and "unrecognized arguments: --variants" in err
    assert "See `leverage-sim compare --help`" in err
