"""Shared fixtures: the replay scenario and small helpers to build and step models."""

from __future__ import annotations

import numpy as np
import pytest

import leverage_sim as ls
from leverage_sim.simulation.model import LeverageModel


@pytest.fixture(scope="session")
def replay() -> ls.Scenario:
    """The flagship scenario, validated once."""
    return ls.load_scenario("june_2020_replay")


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)


def model_on_raid_day(scenario: ls.Scenario, seed: int = 1) -> LeverageModel:
    """A model stepped up to (not including) the day of its first scripted raid."""
    raid_day = min(scenario.event_day(e) for e in scenario.events if e.action == "raid")
    model = LeverageModel(scenario, seed)
    while model.day < raid_day:
        model.step()
    return model


@pytest.fixture
def cli(capsys):
    """Run the CLI in-process: returns (exit code, stdout, stderr)."""
    from leverage_sim.cli.main import main

    def call(*argv: object) -> tuple[int, str, str]:
        try:
            code = main([str(a) for a in argv])
        except SystemExit as e:  # argparse: --help and usage errors
            code = e.code
        out, err = capsys.readouterr()
        return code, out, err
    return call
