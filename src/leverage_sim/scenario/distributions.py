"""How one parameter varies across runs: discrete values, an evenly spaced range, or a
distribution (uniform, loguniform, normal, triangular), mapped from unit coordinates by
:meth:`Parameter.ppf`. Sweep files (:mod:`leverage_sim.sweep.spec`) and a posterior's priors
(:func:`leverage_sim.simulation.posterior.priors`) are written with it."""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
from pydantic import Field, model_validator

from leverage_sim.files.safe_yaml import as_written
from leverage_sim.scenario.schema_base import FrozenStrict

DISTRIBUTIONS = ("uniform", "loguniform", "normal", "triangular")
USES = {"values": ("values",), "range": ("range", "steps"),
        "uniform": ("distribution", "low", "high", "integer"),
        "loguniform": ("distribution", "low", "high", "integer"),
        "normal": ("distribution", "mean", "sd", "low", "high", "integer"),
        "triangular": ("distribution", "low", "mode", "high", "integer")}
"""The fields each kind of parameter reads (``integer`` rounds continuous draws only)."""
MIN_NORMAL_MASS = 1e-6
"""Least share of a truncated normal's untruncated mass that must lie between low and high."""


class Parameter(FrozenStrict):
    """How one swept parameter varies. Give exactly one of ``values``, ``range`` (+ ``steps``),
    ``low``/``high`` or ``distribution``."""

    values: list[Any] | None = Field(None, min_length=1, description="Discrete values.")
    range: tuple[float, float] | None = Field(None, description="[lo, hi], used with steps.")
    steps: int | None = Field(None, ge=2, description="Number of values in range, ends included.")
    low: float | None = Field(None, description="Lower bound (uniform, loguniform, triangular; "
                              "optional truncation for normal).")
    high: float | None = Field(None, description="Upper bound (as low).")
    distribution: Literal["uniform", "loguniform", "normal", "triangular"] | None = None
    mean: float | None = Field(None, description="normal: mean.")
    sd: float | None = Field(None, gt=0, description="normal: standard deviation.")
    mode: float | None = Field(None, description="triangular: most likely value.")
    integer: bool = Field(False, description="Round continuous draws to whole numbers.")

    @model_validator(mode="after")
    def _one_kind(self) -> Parameter:
        kinds = [k for k, on in (("values", self.values is not None),
                                 ("range", self.range is not None),
                                 ("distribution", self.distribution is not None)) if on]
        if not kinds and (self.low is not None or self.high is not None):
            kinds = ["low/high"]
        if len(kinds) != 1:
            raise ValueError("give exactly one of values: [...], range: [lo, hi] with steps: n, "
                             "low/high, or distribution: " + "|".join(DISTRIBUTIONS)
                             + (f" (got {' and '.join(kinds)})" if kinds else ""))
        if self.range is not None and self.steps is None:
            raise ValueError("range needs steps: n (the number of evenly spaced values, ends "
                             "included); for a continuous range write low: and high:")
        if self.steps is not None and self.range is None:
            raise ValueError("steps goes with range: [lo, hi]")
        dist = self.distribution or ("uniform" if kinds == ["low/high"] else None)
        need = {"uniform": ("low", "high"), "loguniform": ("low", "high"),
                "normal": ("mean", "sd"), "triangular": ("low", "mode", "high")}.get(dist, ())
        missing = [n for n in need if getattr(self, n) is None]
        if missing:
            raise ValueError(f"distribution {dist} needs {', '.join(need)} (missing "
                             f"{', '.join(missing)})")
        if dist and dist != "normal" and not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        if dist == "normal" and self.low is not None and self.high is not None \
                and not self.low < self.high:
            raise ValueError(f"normal: the truncation low ({self.low}) must be below high "
                             f"({self.high})")
        if dist == "loguniform" and self.low <= 0:
            raise ValueError("loguniform needs low > 0")
        if dist == "triangular" and not self.low <= self.mode <= self.high:
            raise ValueError("triangular needs low <= mode <= high")
        unused = self._unused(dist or kinds[0])
        if unused:
            raise ValueError(unused)
        if dist == "normal" and self._normal_mass() < MIN_NORMAL_MASS:
            raise ValueError(
                f"normal: mean {self.mean} with sd {self.sd} puts less than one draw in a "
                f"million within its bounds ({self._bounds()}), so every value would sit at "
                "one end of them; put the mean inside the bounds or widen sd")
        return self

    def _unused(self, kind: str) -> str | None:
        """Why a field given is not read by this kind of parameter, or None (a ``mode``
        without ``distribution: triangular`` would be ignored, not used)."""
        given = [n for n in type(self).model_fields
                 if getattr(self, n) is not None and getattr(self, n) is not False]
        unused = [n for n in given if n not in USES[kind]]
        if not unused:
            return None
        uses = [n for n in USES[kind] if n != "distribution"]
        return (f"{', '.join(unused)} {'is' if len(unused) == 1 else 'are'} not read by "
                f"{kind} (it reads {', '.join(uses)}), so the sweep or prior would not be "
                "what the file says: remove it, or name the distribution that reads it "
                "(e.g. distribution: triangular for mode)")

    def _bounds(self) -> str:
        """The bounds given, as ``low 0, high 1``."""
        return ", ".join(f"{n} {getattr(self, n)}" for n in ("low", "high")
                         if getattr(self, n) is not None)

    def _normal_mass(self) -> float:
        """The untruncated normal's probability between low and high (1 without bounds)."""
        def below(x: float | None, missing: float) -> float:
            return missing if x is None else 0.5 * math.erfc((self.mean - x) / (self.sd
                                                                                * math.sqrt(2)))
        return below(self.high, 1.0) - below(self.low, 0.0)

    def repeats(self) -> str | None:
        """Why this parameter would give one point twice (a value listed twice, 1 and 1.0
        being one value; a range with equal ends), or None. Checked when a sweep is written
        (:meth:`leverage_sim.sweep.spec.SweepSpec.parse`), not when a stored one is read."""
        seen: set[Any] = set()
        for v in self.values or ():
            try:
                if v in seen:
                    return (f"values lists {as_written(v)} more than once, so a grid would run "
                            "that point twice (a sampled design would pick it twice as often); "
                            "give each value once")
                seen.add(v)
            except TypeError:  # a list or mapping: the sweep refuses it on its own
                continue
        if self.range is not None and self.range[0] == self.range[1]:
            return (f"range [{self.range[0]}, {self.range[1]}] has equal ends, so all its "
                    f"values are the same point; give two different ends, or values: "
                    f"[{self.range[0]}]")
        return None

    @property
    def is_discrete(self) -> bool:
        """True for a finite list of values (``values``, or ``range`` with ``steps``)."""
        return self.values is not None or self.range is not None

    @property
    def value_count(self) -> int | None:
        """How many values :attr:`discrete` holds, counted without making them (None if
        continuous)."""
        if self.values is not None:
            return len(self.values)
        return self.steps if self.range is not None else None

    @property
    def discrete(self) -> list[Any] | None:
        """The finite list of values, or None for a continuous parameter."""
        if self.values is not None:
            return list(self.values)
        if self.range is not None:
            return [float(v) for v in np.linspace(self.range[0], self.range[1], self.steps)]
        return None

    def ppf(self, u: np.ndarray) -> list[Any]:
        """Values for unit coordinates ``u`` (each in [0, 1]): the quantile function."""
        u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        values = self.discrete
        if values is not None:
            idx = np.minimum((u * len(values)).astype(int), len(values) - 1)
            return [values[i] for i in idx]
        from scipy import stats  # lazily: importing scipy.stats takes a third of a second

        dist = self.distribution or "uniform"
        if dist == "uniform":
            x = self.low + u * (self.high - self.low)
        elif dist == "loguniform":
            x = np.exp(np.log(self.low) + u * (np.log(self.high) - np.log(self.low)))
        elif dist == "triangular":
            c = (self.mode - self.low) / (self.high - self.low)
            x = stats.triang.ppf(u, c, loc=self.low, scale=self.high - self.low)
        else:
            lo = -np.inf if self.low is None else (self.low - self.mean) / self.sd
            hi = np.inf if self.high is None else (self.high - self.mean) / self.sd
            x = stats.truncnorm.ppf(np.clip(u, 1e-9, 1 - 1e-9), lo, hi, self.mean, self.sd)
        return [round(float(v)) for v in x] if self.integer else [float(v) for v in x]
