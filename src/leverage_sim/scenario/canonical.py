"""The canonical text of a resolved scenario (after ``extends`` and overrides) and its hash.

``leverage-sim show`` prints this text, ``run`` writes it to ``scenario.yaml`` and records its
SHA-256 in ``manifest.json``: the same inputs always give the same text and hash, and the text
loads back to an equal :class:`~leverage_sim.scenario.schema.Scenario`.
"""

from __future__ import annotations

import hashlib

import yaml

from leverage_sim.files.safe_yaml import Dumper
from leverage_sim.scenario.schema import Scenario


def scenario_yaml(scenario: Scenario) -> str:
    """Every parameter of ``scenario`` as YAML, in schema order (nothing excluded)."""
    return yaml.dump(scenario.model_dump(mode="json"), Dumper=Dumper, sort_keys=False,
                     allow_unicode=True, width=100)


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 (hex) of :func:`scenario_yaml`: identifies the exact inputs of a run."""
    return hashlib.sha256(scenario_yaml(scenario).encode("utf-8")).hexdigest()
