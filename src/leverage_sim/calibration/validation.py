"""Out-of-sample validation: how well the posterior predicts episodes it was not fitted to.

For each episode (a scenario and its observed facts) three predictive distributions are
simulated with the same replication seeds:

- ``posterior``: each replication draws a parameter set from the calibration's posterior;
- ``prior``: each replication draws one from the calibration's priors (the manifest's
  ``parameters``);
- ``defaults``: the hand-tuned values of the episode's scenario (no draw).

Draws go on every calibrated path the scenario has (as in the calibration itself), from a
child seed of the replication's seed. Per fact and predictive distribution the report gives the
median and central 90% interval (counts and other quantities) or the probability (yes/no
events), the quantile of the observed value (mid-quantile ``P(y < obs) + P(y = obs)/2``; about
0.5 is central, near 0 or 1 the observation is in a tail), the probability of landing in the
sources' range, and a proper score, lower is better:

- quantities: the CRPS (``scoringrules.crps_ensemble``), in the fact's own unit; when sources
  give a range it is averaged over observed values spread evenly across the range;
- events: the Brier score ``(p - o)^2`` (``scoringrules.brier_score``) of the predicted
  probability ``p`` against the outcome ``o`` (0 or 1).

Skill against a baseline is ``1 - score(posterior) / score(baseline)``: above 0 the posterior
predicts better (n/a when only the baseline scores a perfect 0).

**The episode's headline** is a skill computed from *summed* scores, not a mean of per-fact
ratios (a ratio of two tiny scores, say a Brier score of 1e-4 against 1e-5, would swing a mean
by −8): ``1 - Σ_f s_f(posterior) / Σ_f s_f(baseline)``, where ``s_f`` is the fact's score in a
unit common to the three sources — the Brier score for events, the CRPS divided by the spread
(standard deviation) of the three sources' pooled predictive sample for quantities, so that a
count in hundreds and a share between 0 and 1 weigh alike. Its 90% interval comes from a paired
bootstrap over replications (the three sources share their seeds, so replication ``i`` is
resampled for all three at once), and so do the per-fact score intervals.

**Point masses** are shown, not hidden in a quantile: the share of runs at a fact's cap (an
event that never happened within the horizon, e.g. ``days_until`` with ``cap``) and at 0.

**Flags** (the ``flags`` column, on the posterior's row) say when a per-fact figure should not
be read at face value: *unreached* when no source (posterior, prior, defaults) puts a single run
in the observed range, so no calibration could help and the model's structure is what misses;
*near-zero scores* when the posterior's and both baselines' scaled scores are all under
:data:`NEAR_ZERO`, so the per-fact skill is a ratio of two tiny numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from leverage_sim.errors import InputError
from leverage_sim.scenario.limits import as_list, check_validation_size, repeated
from leverage_sim.scenario.schema import Scenario
from leverage_sim.simulation.posterior import Posterior, priors, with_values
from leverage_sim.simulation.provenance import short_path
from leverage_sim.simulation.replication import check_engine, numba_config
from leverage_sim.simulation.runner import (
    RunTables,
    replication_seeds,
    summary_runner,
    summary_tables,
)

if TYPE_CHECKING:
    from leverage_sim.calibration import episodes as episode_files

SOURCES = ("posterior", "prior", "defaults")
"""The predictive distributions compared: the posterior and its two baselines."""
COLOURS = {"posterior": "tab:blue", "prior": "tab:grey", "defaults": "tab:orange"}
LEVEL = 0.9
OUTSIDE = (0.05, 0.95)
"""An observed fact whose mid-quantile under the posterior predictive lies outside these
bounds is outside its central 90% interval."""
PRIOR_KEY = 0x7072696F
"""Spawn key of a prior draw's child seed."""
RANGE_POINTS = 21
"""Observed values spread across a fact's range to average its CRPS over."""
BOOTSTRAP = 200
"""Paired bootstrap resamples of the replications for score and skill intervals."""
BOOTSTRAP_KEY = 0x626F6F74
"""Spawn key of the bootstrap's random stream (a child of the validation's seed)."""
POINT_MASS = 0.05
"""Share of runs at one value (a cap, or 0) from which the report names it."""
NEAR_ZERO = 0.01
"""Scaled score (a Brier score; a CRPS in units of the fact's pooled predictive spread) under
which a fact's per-fact skill is flagged as a ratio of near-zero scores: 1e-4 against 1e-5 is
a skill of −9 that says nothing (both predictives all but certain of the observed outcome)."""
UNREACHED = "unreached"
"""Flag of a fact that no source reaches: the model as specified does not produce the record
there, whatever its parameters within the priors (a miss of the model, not of the fit)."""
TINY = "near-zero scores"
"""Flag of a per-fact skill whose scores are all under :data:`NEAR_ZERO`."""


@dataclass(frozen=True)
class Fact:
    """One observed fact: ``statistic(tables)`` on a run, the observed value and the range the
    sources allow (``low == high == observed`` if they agree); ``kind`` ``count`` (any
    quantity) or ``event`` (0/1)."""

    name: str
    statistic: Callable[[RunTables], float]
    observed: float
    low: float
    high: float
    kind: Literal["count", "event"] = "count"
    cap: float | None = None


@dataclass(frozen=True)
class Episode:
    """A piece of the record: the scenario that sets it up and its facts."""

    name: str
    scenario: Scenario
    facts: tuple[Fact, ...]
    role: str = "held_out"
    file: str | None = None  # the episode file as shown to readers (None: built in Python)
    sha256: str | None = None  # of that file
    fixed: tuple[str, ...] = ()  # paths the episode file's overrides set: never drawn

    def record(self) -> dict[str, Any]:
        """What a manifest records of this episode: its name, role, file and the file's
        hash, and the hash of the scenario it ran (resolved: ``extends`` and overrides in), so
        that a score can be traced to the exact inputs, also for a file outside the
        project."""
        from leverage_sim.scenario.canonical import scenario_hash

        return {"name": self.name, "role": self.role, "file": self.file,
                "sha256": self.sha256, "scenario": self.scenario.name,
                "scenario_sha256": scenario_hash(self.scenario)}


def prior_draw(posterior: Posterior, seed: int, specs: dict[str, Any] | None = None
               ) -> dict[str, float | int]:
    """One parameter set from the calibration's priors (``specs``: :func:`priors` of
    ``posterior``, read again when not given), from a child seed of ``seed``."""
    rng = np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(PRIOR_KEY,)))
    u = rng.random(len(posterior.paths))
    out: dict[str, float | int] = {}
    specs = priors(posterior) if specs is None else specs
    for (path, prior), ui, integer in zip(specs.items(), u, posterior.integer, strict=True):
        value = prior.ppf(np.array([ui]))[0]
        out[path] = round(value) if integer else float(value)
    return out


def predictive(episode: Episode, posterior: Posterior, replications: int, seed: int,
               progress: Callable[[Iterable[int]], Iterable[int]] | None = None,
               engine: str = "fast") -> pd.DataFrame:
    """Fact values of ``replications`` runs per source (:data:`SOURCES`), same seeds for each,
    on ``engine`` (summary-only runs: the facts read the events and the summary).

    Columns: source, replication, seed, then one per fact."""
    use = posterior.use(episode.scenario, fixed=episode.fixed, keep_changes=False)
    specs = priors(posterior)
    draws: dict[str, Callable[[int], dict[str, float | int]]] = {
        "posterior": posterior.draw, "prior": lambda s: prior_draw(posterior, s, specs),
        "defaults": lambda s: {}}
    seeds = replication_seeds(seed, replications)
    jobs = [(source, i) for source in SOURCES for i in range(replications)]
    rows = []
    for k in (range(len(jobs)) if progress is None else progress(range(len(jobs)))):
        source, i = jobs[k]
        draw = draws[source](seeds[i])
        scenario = with_values(episode.scenario, {p: draw[p] for p in use.drawn if p in draw},
                               f"a {source} draw")
        tables = summary_tables(summary_runner(scenario, engine)(seeds[i]), seeds[i], i)
        rows.append({"source": source, "replication": i, "seed": seeds[i],
                     **{f.name: float(f.statistic(tables)) for f in episode.facts}})
    return pd.DataFrame(rows)


def mid_quantile(values: np.ndarray, observed: float) -> float:
    """``P(y < observed) + P(y == observed) / 2`` under the sample ``values``."""
    return float(np.mean(values < observed) + np.mean(values == observed) / 2)


def fact_score(fact: Fact, values: np.ndarray) -> float:
    """CRPS (averaged over the range) for a quantity, Brier score for an event."""
    import scoringrules as sr  # here, not at the top: its import compiles kernels (~2.5 s),
    # which every verb's --help (it imports each verb's module) would pay

    if fact.kind == "event":
        return float(sr.brier_score(float(fact.observed >= 0.5), float(np.mean(values >= 0.5))))
    observed = np.linspace(fact.low, fact.high, RANGE_POINTS if fact.high > fact.low else 1)
    ensemble = np.broadcast_to(np.sort(np.asarray(values, dtype=float)),  # sorted once, not
                               (len(observed), len(values)))  # once per observed point
    return float(np.mean(sr.crps_ensemble(observed, ensemble, sorted_ensemble=True)))


def fact_scale(fact: Fact, by_source: dict[str, np.ndarray]) -> float:
    """The unit a fact's score is divided by before summing (see the module docstring)."""
    if fact.kind == "event":
        return 1.0
    sd = float(np.std(np.concatenate(list(by_source.values()))))
    return sd if sd > 0 else 1.0


def point_masses(fact: Fact, values: np.ndarray) -> str:
    """The values holding at least :data:`POINT_MASS` of the runs among the fact's cap and 0,
    as text (``"18% at the cap (40)"``); empty when none."""
    out = []
    if fact.cap is not None and np.mean(values == fact.cap) >= POINT_MASS:
        out.append(f"{np.mean(values == fact.cap):.0%} at the cap ({fact.cap:g})")
    if fact.kind == "count" and np.mean(values == 0) >= POINT_MASS:
        out.append(f"{np.mean(values == 0):.0%} at 0")
    return "; ".join(out)


def scores(episode: Episode, values: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """One row per fact and source: episode, fact, kind, observed, low, high, source, median,
    low90, high90 (quantities) or probability (events), quantile, in_range, point_masses,
    score, score_low90 and score_high90 (paired bootstrap), score_name, scale (the unit of
    :func:`fact_scale`), and skill (``1 - score / score of this source``, on the posterior's
    row of each baseline: ``skill_vs_prior``, ``skill_vs_defaults``) and ``flags``
    (:func:`fact_flags`, on the posterior's row)."""
    a = (1 - LEVEL) / 2
    rows = []
    boot = bootstrap_indices(values, seed)
    for fact in episode.facts:
        by_source = {s: values.loc[values["source"] == s, fact.name].to_numpy(float)
                     for s in SOURCES}
        fact_scores = {s: fact_score(fact, v) for s, v in by_source.items()}
        scale = fact_scale(fact, by_source)
        for source, v in by_source.items():
            resampled = [fact_score(fact, v[i]) for i in boot]
            row = {"episode": episode.name, "fact": fact.name, "kind": fact.kind,
                   "observed": fact.observed, "low": fact.low, "high": fact.high,
                   "source": source, "median": float(np.median(v)),
                   "low90": float(np.quantile(v, a)), "high90": float(np.quantile(v, 1 - a)),
                   "probability": float(np.mean(v >= 0.5)) if fact.kind == "event" else np.nan,
                   "quantile": mid_quantile(v, fact.observed),
                   "in_range": float(np.mean((v >= fact.low) & (v <= fact.high))),
                   "point_masses": point_masses(fact, v),
                   "score": fact_scores[source],
                   "score_low90": float(np.quantile(resampled, a)),
                   "score_high90": float(np.quantile(resampled, 1 - a)),
                   "score_name": "Brier" if fact.kind == "event" else "CRPS",
                   "scale": scale}
            for base in ("prior", "defaults"):
                row[f"skill_vs_{base}"] = (_skill(fact_scores["posterior"], fact_scores[base])
                                           if source == "posterior" else np.nan)
            row["flags"] = fact_flags(fact, by_source, fact_scores, scale) \
                if source == "posterior" else ""
            rows.append(row)
    return pd.DataFrame(rows)


def fact_flags(fact: Fact, by_source: dict[str, np.ndarray], fact_scores: dict[str, float],
               scale: float) -> str:
    """The fact's flags (:data:`UNREACHED`, :data:`TINY`), ``"; "``-joined; empty when none."""
    flags = []
    if not any(np.any((v >= fact.low) & (v <= fact.high)) for v in by_source.values()):
        flags.append(UNREACHED)
    if all(score / scale < NEAR_ZERO for score in fact_scores.values()):
        flags.append(TINY)
    return "; ".join(flags)


def bootstrap_indices(values: pd.DataFrame, seed: int, n: int = BOOTSTRAP) -> list[np.ndarray]:
    """``n`` paired resamples of the replication positions (the same for every source)."""
    reps = int((values["source"] == SOURCES[0]).sum())
    rng = np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(BOOTSTRAP_KEY,)))
    return [rng.integers(0, reps, reps) for _ in range(n)]


def episode_skill(episode: Episode, values: pd.DataFrame, baseline: str, seed: int = 0
                  ) -> tuple[float, float, float]:
    """The episode's headline against ``baseline``: (skill from summed scaled scores, low and
    high end of its 90% paired-bootstrap interval); see the module docstring."""
    by_fact = {}
    for fact in episode.facts:
        by_source = {s: values.loc[values["source"] == s, fact.name].to_numpy(float)
                     for s in ("posterior", baseline)}
        by_fact[fact] = (by_source, fact_scale(fact, {
            s: values.loc[values["source"] == s, fact.name].to_numpy(float) for s in SOURCES}))

    def skill(pick: np.ndarray | None) -> float:
        total = dict.fromkeys(("posterior", baseline), 0.0)
        for fact, (by_source, scale) in by_fact.items():
            for s, v in by_source.items():
                total[s] += fact_score(fact, v if pick is None else v[pick]) / scale
        return _skill(total["posterior"], total[baseline])

    draws = np.array([skill(i) for i in bootstrap_indices(values, seed)], dtype=float)
    draws = draws[~np.isnan(draws)]
    a = (1 - LEVEL) / 2
    if not len(draws):
        return skill(None), np.nan, np.nan
    return skill(None), float(np.quantile(draws, a)), float(np.quantile(draws, 1 - a))


def _skill(score: float, baseline: float) -> float:
    """``1 - score / baseline``; 0 when both are perfect, NaN (no ratio) when only the
    baseline is."""
    if baseline == 0:
        return 0.0 if score == 0 else np.nan
    return 1 - score / baseline


@dataclass
class Validation:
    """Predictive values and scores of every episode (see the module docstring)."""

    values: dict[str, pd.DataFrame]
    scores: pd.DataFrame
    episodes: dict[str, Episode]
    posterior: Posterior
    replications: int
    seed: int
    headline: pd.DataFrame
    """One row per episode and baseline: skill (from summed scaled scores), low90, high90."""

    def markdown(self) -> str:
        """The report: one table per episode, a row per fact."""
        head = [
            "# Out-of-sample validation",
            "",
            (f"Posterior: `{short_path(self.posterior.path)}` (posterior.parquet sha256 "
            f"`{self.posterior.sha256[:12]}`), {self.replications} replications per "
            f"predictive distribution, master seed {self.seed}. Baselines: the prior "
            "predictive (draws from the calibration's priors) and the hand-tuned defaults. "
            "Scores are proper and lower is better: CRPS for quantities (in the fact's "
            "unit, averaged over the sources' range), Brier for yes/no events. Skill = 1 - "
            "score(posterior) / score(baseline); above 0 the posterior does better. Quantile: "
            "where the observed value falls in the posterior predictive (0.5 central). The "
            "episode's headline skill sums each predictive's scores over the facts (quantities' "
            "CRPS in units of their predictive spread) before the ratio, with a 90% interval "
            "from a paired bootstrap over replications; per-fact skills are shown but not "
            "averaged. Flags: *unreached*, no predictive puts a run in the observed range (the "
            "model's structure misses, not the fit); *near-zero scores*, all three scores are "
            f"under {NEAR_ZERO:g} (scaled), so the per-fact skill is a ratio of tiny numbers: "
            "read the headline."),
        ]
        lines = list(head)
        for name, ep in self.episodes.items():
            t = self.scores[self.scores["episode"] == name].set_index(["fact", "source"])
            role = "held out" if ep.role == "held_out" else "fitted: an in-sample check"
            lines += ["", f"## {name} ({role})", "",
                      ("| fact | observed | posterior predictive | point masses | quantile | "
                      "P(in range) | score posterior [90%] | prior | defaults | skill vs prior "
                      "| skill vs defaults | flags |"),
                      "|---|---|---|---|---|---|---|---|---|---|---|---|"]
            for fact in ep.facts:
                p, pr, d = (t.loc[(fact.name, s)] for s in SOURCES)
                lines.append(
                    f"| {fact.name} | {observed_text(p)} | {predictive_text(p)} | "
                    f"{p['point_masses'] or '—'} | "
                    f"{p['quantile']:.2f} | {p['in_range']:.2f} | {p['score']:.3g} "
                    f"[{p['score_low90']:.3g}, {p['score_high90']:.3g}] ({p['score_name']}) | "
                    f"{pr['score']:.3g} | {d['score']:.3g} | {signed(p['skill_vs_prior'])} | "
                    f"{signed(p['skill_vs_defaults'])} | {p['flags'] or '—'} |")
            lines += ["", "**Headline** (summed scores): skill "
                      + headline_text(self.headline[self.headline["episode"] == name]) + ".",
                      "", outside_text(self.scores[self.scores["episode"] == name])]
        return "\n".join(lines) + "\n"

    def chart(self) -> Figure:
        """One panel per fact: the three predictive distributions and the observation."""
        facts = [(name, f) for name, ep in self.episodes.items() for f in ep.facts]
        cols = min(3, len(facts))
        rows = -(-len(facts) // cols)
        fig, axes = plt.subplots(rows, cols, figsize=(5 * cols, 3.4 * rows),
                                 constrained_layout=True, squeeze=False)
        for ax, (name, fact) in zip(axes.flat, facts, strict=False):
            draw_fact(ax, fact, self.values[name])
            ax.set_title(f"{name}: {fact.name}", fontsize=9)
        for ax in axes.flat[len(facts):]:
            ax.set_visible(False)
        fig.legend(handles=legend_handles(), loc="outside lower center", ncols=5, fontsize=8)
        fig.suptitle(f"Predictive distributions against the record ({self.replications} runs "
                     "each)")
        return fig


def outside(scores: pd.DataFrame) -> pd.DataFrame:
    """The posterior's rows of ``scores`` whose observed value lies outside the central 90%
    posterior predictive (its mid-quantile below or above :data:`OUTSIDE`)."""
    posterior = scores[scores["source"] == "posterior"]
    return posterior[(posterior["quantile"] < OUTSIDE[0]) | (posterior["quantile"] > OUTSIDE[1])]


def outside_text(scores: pd.DataFrame) -> str:
    """One episode's facts outside the 90% posterior predictive, in words (a scores table)."""
    out = outside(scores)
    if out.empty:
        return "Every observed value lies inside the 90% posterior predictive interval."
    return (f"Outside the 90% posterior predictive interval (quantile below {OUTSIDE[0]:g} or "
            f"above {OUTSIDE[1]:g}): {', '.join(out['fact'])}.")


def signed(x: float) -> str:
    """A skill as shown in reports: ``+0.12``, or ``n/a`` for NaN."""
    return "n/a" if pd.isna(x) else f"{x:+.2f}"


def observed_text(row: Mapping[str, Any]) -> str:
    """A fact's observed value, with the sources' range when they disagree (a scores row)."""
    if row["low"] == row["high"]:
        return f"{row['observed']:g}"
    return f"{row['observed']:g} [{row['low']:g}, {row['high']:g}]"


def predictive_text(row: Mapping[str, Any]) -> str:
    """A predictive distribution in words: the probability of an event, or the median and
    central 90% interval of a quantity (a scores row)."""
    if row["kind"] == "event":
        return f"P = {row['probability']:.2f}"
    return f"{row['median']:.3g} [{row['low90']:.3g}, {row['high90']:.3g}]"


def headline_text(headline: pd.DataFrame) -> str:
    """One episode's headline rows (columns baseline, skill, low90, high90) in words: each
    skill with its interval against the prior predictive and the hand-tuned defaults."""
    h = headline.set_index("baseline")
    return ", ".join(f"{signed(h.loc[b, 'skill'])} [{signed(h.loc[b, 'low90'])}, "
                     f"{signed(h.loc[b, 'high90'])}] against the {label}"
                     for b, label in (("prior", "prior predictive"),
                                      ("defaults", "hand-tuned defaults")))


def legend_handles() -> list[Any]:
    """The chart's key, once for every panel: each predictive's colour, the observed value and
    the sources' range (a legend on the first panel named only what that panel drew: when it
    was an event's bars, no panel said which colour is which predictive)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    return [*(Patch(color=COLOURS[s], label=s) for s in SOURCES),
            Line2D([], [], color="black", lw=1.5, label="observed"),
            Patch(color="black", alpha=0.1, label="sources' range")]


def draw_fact(ax: plt.Axes, fact: Fact, values: pd.DataFrame) -> None:
    """Histogram (quantities) or probability bars (events) per source, with the observed
    value (line) and the sources' range (band)."""
    by_source = {s: values.loc[values["source"] == s, fact.name].to_numpy(float)
                 for s in SOURCES}
    if fact.kind == "event":
        probs = [np.mean(v >= 0.5) for v in by_source.values()]
        ax.bar(list(SOURCES), probs, color=[COLOURS[s] for s in SOURCES])
        ax.axhline(float(fact.observed >= 0.5), color="black", lw=1.5, label="observed")
        ax.set_ylim(0, 1.05)
        ax.set_ylabel("probability of the event")
        return
    allv = np.concatenate([*by_source.values(), [fact.low, fact.high]])
    bins = bin_edges(allv)
    for s, v in by_source.items():
        ax.hist(v, bins=bins, histtype="step", lw=1.6, color=COLOURS[s], label=s, density=True)
    if fact.high > fact.low:
        ax.axvspan(fact.low, fact.high, color="black", alpha=0.1, label="sources' range")
    ax.axvline(fact.observed, color="black", lw=1.5, label="observed")
    if np.all(np.diff(bins) == 1):  # whole numbers: a bar per value, ticks on them
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("share of runs")
    else:
        ax.set_ylabel("density")


WHOLE_BINS = 40
"""Whole-number values spanning at most this many get one bin each (a count, a day)."""


def bin_edges(values: np.ndarray) -> np.ndarray:
    """A fact's histogram bins: one per whole number, centred on it, when every value is whole
    and they span at most :data:`WHOLE_BINS` (so that day 0 and day 1, or 0 and 1 relents, are
    never one bar, and a bar's height is its share of runs); else up to 30 equal bins."""
    low, high = float(values.min()), float(values.max())
    if np.all(values == np.round(values)) and high - low <= WHOLE_BINS:
        return np.arange(low - 0.5, high + 1.5)
    return np.histogram_bin_edges(values, bins=min(30, max(5, len(np.unique(values)))))


def validate(episodes: Sequence[Episode], posterior: Posterior, replications: int, seed: int,
             progress: Callable[[str], Callable | None] | None = None,
             engine: str = "fast") -> Validation:
    """Simulate and score every episode (``progress(name)`` may return a loop wrapper) on
    ``engine`` (:data:`leverage_sim.simulation.runner.ENGINES`: same values either way).
    A ``replications`` whose runs would not fit in memory is refused before any runs. An
    episode the posterior was fitted to is scored as an in-sample check whatever its file's
    ``role`` says (a copy of a fitted episode marked ``held_out`` is not out of sample)."""
    check_validation_size(replications, len(episodes), len(SOURCES))
    numba_config()  # the scores' (scoringrules) compiler, on either engine, before any run
    check_engine(engine)
    fitted = posterior.fitted_episodes()
    episodes = [replace(ep, role="fit") if ep.name in fitted else ep for ep in episodes]
    values = {ep.name: predictive(ep, posterior, replications, seed,
                                  progress(ep.name) if progress else None, engine)
              for ep in episodes}
    table = pd.concat([scores(ep, values[ep.name], seed) for ep in episodes],
                      ignore_index=True)
    headline = pd.DataFrame([
        {"episode": ep.name, "baseline": base,
         **dict(zip(("skill", "low90", "high90"), episode_skill(ep, values[ep.name], base, seed),
                    strict=True))}
        for ep in episodes for base in ("prior", "defaults")])
    return Validation(values, table, {ep.name: ep for ep in episodes}, posterior,
                      replications, seed, headline)


# ---- Glue to the episode files (leverage_sim.calibration.episodes and .statistics) ----------
EVENT_STATISTICS = frozenset({"occurred"})
"""Statistics whose value is a yes/no event (0 or 1); every other one is a quantity."""


def from_episode_files(names: Sequence[str] = ()) -> list[Episode]:
    """The named episode files (names or paths; default: every ``role: held_out`` episode in
    ``episodes/``) as validation episodes: the file's scenario, and per fact its registered
    statistic with its arguments, observed value and range."""
    from leverage_sim.calibration import episodes as files

    if names:
        loaded = [files.load_episode(n) for n in as_list(names)]  # one name, not its letters
        twice = repeated(e.name for e in loaded)
        if twice:
            raise InputError(f"Episode {', '.join(twice)} is named more than once (as "
                             f"{', '.join(str(e.path) for e in loaded if e.name in twice)}): "
                             "each would be scored twice. Name each episode once.")
    else:
        loaded = [e for e in (files.load_episode(f) for f in sorted(files.EPISODE_DIR.glob(
            "*.yaml"))) if e.spec.role == "held_out"]
        if not loaded:
            raise InputError(f"No held-out episode (role: held_out) in {files.EPISODE_DIR}; "
                             "name the episodes to score.")
    return [Episode(e.name, e.scenario(), tuple(episode_fact(f) for f in e.spec.facts),
                    e.spec.role, short_path(e.path), e.sha256, tuple(sorted(e.fixed())))
            for e in loaded]


def episode_fact(fact: episode_files.Fact, name: str | None = None) -> Fact:
    """A fact of an episode file as a validation :class:`Fact` (named ``name``, default its
    own name): its registered statistic with its arguments, observed value, range and kind."""
    from leverage_sim.calibration import statistics

    return Fact(name or fact.name,
                partial(statistics.compute, fact.statistic, arguments=fact.arguments),
                fact.observed, *fact.bounds,
                "event" if fact.statistic in EVENT_STATISTICS else "count",
                fact.arguments.get("cap"))
