"""A one-page brief (``brief.html``) of a ``run`` or ``compare``: what an analyst pastes into
a memo. Printable, self-contained HTML (print CSS for one A4 or Letter page; no external
file): the question, the headline with its interval, one chart with the historical record
marked where an episode (``episodes/*.yaml``) records the scenario's case, the validation
caveats of the parameters used, and the inputs.

Every figure is read from the tables the verb already wrote (:meth:`Comparison.effects`,
:meth:`Comparison.table`, :func:`leverage_sim.outputs.report_pages.outcome_table`), never retyped.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import textwrap
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from leverage_sim.errors import InputError
from leverage_sim.files.report_html import _part
from leverage_sim.files.safe_text import chart_text, visible
from leverage_sim.files.version import installed_version
from leverage_sim.outputs import report
from leverage_sim.outputs.report_pages import (
    LEVEL,
    ComparedRuns,
    effect_cells,
    outcome_table,
    scenario_markdown,
)
from leverage_sim.simulation.posterior import (
    DEFAULT_DIR,
    VALIDATION_DIR,
    parameter_paths,
    smc_sample_size,
)
from leverage_sim.simulation.provenance import posterior_text
from leverage_sim.simulation.runner import Results, RunTables

if TYPE_CHECKING:
    from leverage_sim.calibration.episodes import Fact
    from leverage_sim.scenario.schema import Scenario

BRIEF = "brief.html"
HEADLINE = "held_firm"
"""The outcome a brief leads with: did enforcement hold (the government held firm)."""
MAX_FACTS = 6
"""Panels of the historical-record chart (the first facts of the matching episodes)."""
PANELS_PER_ROW = 3
DOCS_CALIBRATION = DEFAULT_DIR.parents[1] / "docs" / "calibration.md"
"""Where the limits of the committed calibration's fit are written."""

PRINT_STYLE = """
@page{margin:12mm}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:190mm;margin:1em auto;
padding:0 1em;color:#222;font-size:10pt;line-height:1.3}
h1{font-size:14pt;margin:.2em 0 .4em}h2{font-size:11pt;margin:.8em 0 .2em;color:#333}
p,ul{margin:.25em 0}li{margin:0}.headline{font-size:12pt;font-weight:600}
table{border-collapse:collapse;font-size:9pt;margin:.3em 0}
th,td{border:1px solid #ccc;padding:.1em .4em;text-align:left}
figure{margin:.3em 0}figure svg{max-width:100%;height:auto;max-height:90mm}
.small{font-size:8.5pt;color:#444}
@media print{body{margin:0;max-width:none;font-size:8.5pt}h1{font-size:12pt}
h2{font-size:10pt}.headline{font-size:10pt}figure svg{max-height:78mm}
a{color:inherit;text-decoration:none}section{break-inside:avoid}}
"""
"""One page when printed (A4 or Letter: the margins fit both)."""


# ---- the historical record -------------------------------------------------------------------
def record_facts(scenario: Scenario) -> list[tuple[str, Fact]]:
    """(episode name, fact) of every episode set up on ``scenario`` (at most
    :data:`MAX_FACTS`); none if no episode records this case. Episodes are those names find
    (:func:`~leverage_sim.calibration.episodes.known_episodes`), first where an analyst keeps
    a case of their own: the ``episodes/`` folder beside the folder the scenario's file was
    read from (``CASE/episodes`` for ``CASE/scenarios/NAME.yaml``), then ``./episodes`` and
    the shipped ``episodes/``. An episode file that does not load is skipped: it may be for
    another case."""
    from leverage_sim.calibration.episodes import known_episodes, load_episode

    case = [Path(scenario.origin[0]).resolve().parent.parent / "episodes"
            ] if scenario.origin else []
    facts = []
    for path in known_episodes(case).values():
        try:
            episode = load_episode(path)
        except InputError:
            continue
        if episode.spec.scenario == scenario.name:
            facts += [(episode.name, f) for f in episode.spec.facts]
    return facts[:MAX_FACTS]


def fact_values(res: Results, fact: Fact) -> np.ndarray:
    """The fact's statistic on every replication of ``res`` (NaN where it cannot be computed,
    e.g. a date outside the run)."""
    from leverage_sim.calibration.statistics import compute

    values = []
    for rep, events in res.events.groupby("replication"):
        row = res.summary.loc[res.summary["replication"] == rep].iloc[0].to_dict()
        tables = RunTables(pd.DataFrame(), pd.DataFrame(), events, row)
        try:
            values.append(compute(fact.statistic, tables, fact.arguments))
        except (ValueError, KeyError, TypeError):
            values.append(np.nan)
    return np.array(values, dtype=float)


def record_chart(results: Mapping[str, Results], facts: Sequence[tuple[str, Fact]]) -> Figure:
    """One panel per fact: each column's median and central 90% of runs (a share of runs for
    yes/no facts), with the observed value (red line) and the sources' range (shaded)."""
    cols = min(PANELS_PER_ROW, len(facts))
    rows = -(-len(facts) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(7.5, 0.5 + rows * (0.7 + 0.25 * len(results))),
                             constrained_layout=True, squeeze=False)
    for ax in axes.flat[len(facts):]:
        ax.set_visible(False)
    y = np.arange(len(results))[::-1]
    for i, (ax, (_, fact)) in enumerate(zip(axes.flat, facts)):
        yes_no = fact.statistic == "occurred"
        for yi, res in zip(y, results.values()):
            v = fact_values(res, fact)
            v = v[~np.isnan(v)]
            if not len(v):
                continue
            if yes_no:
                ax.plot([v.mean()], [yi], "o", color="tab:blue")
            else:
                mid, lo, hi = np.median(v), *np.quantile(v, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
                ax.errorbar([mid], [yi], xerr=[[mid - lo], [hi - mid]], fmt="o", capsize=3,
                            color="tab:blue")
        low, high = (0.0, 1.0) if yes_no else fact.bounds
        if high > low:
            ax.axvspan(low, high, color="tab:red", alpha=0.12)
        ax.axvline(1.0 if yes_no else fact.observed, color="tab:red", linewidth=1.5)
        ax.set_title(fact.name.replace("_", " ")
                     + (" (share of runs)" if yes_no else ""), fontsize=9)
        ax.set_yticks(y, [chart_text(textwrap.fill(label, 24)) if i % cols == 0 else ""
                          for label in results],
                      fontsize=7)
        ax.set_ylim(-0.6, len(results) - 0.4)
        ax.set_xlim(0, max(1.0, ax.get_xlim()[1]))
        ax.tick_params(axis="x", labelsize=8)
    fig.suptitle(f"Runs (dot: median, bar: {LEVEL:.0%} of runs) against the historical record "
                 "(red line: observed; shaded: the sources' range)", fontsize=9)
    return fig


# ---- caveats ---------------------------------------------------------------------------------
def calibration_caveats(posterior: Mapping[str, Any] | None) -> list[str]:
    """What the reader must know about the parameters used (Markdown paragraphs): for a
    calibrated posterior its fit (episodes, effective sample size from ``diagnostics.csv``)
    and, for the committed calibration, the held-out validation and limits written in
    ``docs/calibration.md``; for the scenario's own values, that no parameter uncertainty is
    included."""
    if not posterior:
        return [("Parameters are the scenario's hand-tuned values: intervals carry the "
                "randomness of runs only, not the uncertainty of the parameters (run with the "
                "calibrated posterior, the default, to include it).")]
    folder = Path(posterior["path"])
    manifest_file = folder / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8")) \
        if manifest_file.is_file() else {}
    method = {"table": "rejection ABC on a reference table", "smc": "ABC-SMC"}.get(
        manifest.get("method", "smc"), "ABC-SMC")
    notes = [(f"Parameters: {posterior_text(posterior)}, fitted by {method} on the scenario "
             f"`{posterior.get('base_scenario')}`; {len(posterior.get('drawn', []))} parameters "
             "drawn per replication.")]
    if manifest.get("method") == "table":
        informed = set(manifest.get("informed") or [])
        paths = parameter_paths(manifest)
        lacking = [path for path in paths if path not in informed]
        notes.append(
            f"The posterior rests on {manifest.get('simulations', 0):,} simulated histories "
            f"({'converged' if manifest.get('converged') else 'capped, not converged'}; "
            f"effective sample size {manifest.get('ess', float('nan')):.0f})"
            + (f"; the record does not inform {len(lacking)} of its "
               f"{len(paths)} parameters ({', '.join(lacking)}): for "
               "those the answer is the prior's" if lacking else "") + ".")
    sizes = smc_sample_size(folder) if manifest.get("method", "smc") == "smc" else None
    if sizes is not None:
        notes.append(f"The posterior is a weighted sample: effective sample size "
                     f"{sizes[0]:.0f} of {sizes[1]:.0f} particles.")
    if folder.resolve() == DEFAULT_DIR.resolve():
        notes += held_out_caveat(VALIDATION_DIR, posterior.get("sha256"))
        if DOCS_CALIBRATION.is_file():
            notes += documented_caveats(DOCS_CALIBRATION.read_text(encoding="utf-8"))
    return notes


def held_out_caveat(folder: Path, sha256: str | None) -> list[str]:
    """The held-out validation of the posterior whose ``posterior.parquet`` has ``sha256``, from
    ``folder`` (a ``validate-model --out`` folder): each episode's skill against the prior
    predictive with its interval, and the observed facts outside the 90% posterior predictive;
    nothing when ``folder`` scored another posterior (or none), or when its files cannot be
    read as ``validate-model`` writes them (edited or damaged: the brief is written after the
    runs, which an error there would lose)."""
    from leverage_sim.calibration import validation

    try:
        scored = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if not sha256 or scored.get("posterior", {}).get("sha256") != sha256:
            return []
        headline = pd.read_csv(folder / "headline.csv")
        scores = pd.read_csv(folder / "scores.csv")
        skill = headline[headline["baseline"] == "prior"]
        posterior = scores[scores["source"] == "posterior"]
        outside = validation.outside(scores)
        episodes = "; ".join(f"{r.episode} {r.skill:+.2f} [{r.low90:+.2f}, {r.high90:+.2f}]"
                             for r in skill.itertuples())
        named = ", ".join(f"{r.episode}.{r.fact}" for r in outside.itertuples())
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return []
    return [(f"Held-out validation (`validate-model` on {len(skill)} episodes the fit did not "
             "see; docs/calibration.md, \"Validation scores\"): skill of the posterior "
             "predictive against the prior predictive on summed proper scores (above 0: the "
             f"record's fit helps), with its 90% interval: {episodes}. {len(outside)} of the "
             f"{len(posterior)} observed facts lie outside the 90% posterior predictive "
             f"interval" + (f" ({named}); the page gives the reasons." if named else "."))]


def documented_caveats(doc: str) -> list[str]:
    """From the calibration page: the bold lead of each bullet under ``## Limits``."""
    sections = {s.split("\n", 1)[0].strip(): s.split("\n", 1)[1] for s in doc.split("\n## ")[1:]}
    out = []
    limits = sections.get("Limits", "")
    leads = [line.split("**")[1].rstrip(".") for line in limits.splitlines()
             if line.startswith("- **")]
    if leads:
        out.append("Limits of the fit (docs/calibration.md): " + "; ".join(leads) + ".")
    return out


# ---- the page --------------------------------------------------------------------------------
class Headline(str):
    """A headline line of the brief, plain text (not Markdown), drawn as
    ``<p class="headline">``: the Markdown of other parts shows raw HTML as text."""


def _brief_part(part: Any) -> str:
    if isinstance(part, Headline):
        return f'<p class="headline">{html.escape(part)}</p>'
    return _part(part)


def render_brief(title: str, sections: Sequence[tuple[str, Sequence[Any]]]) -> str:
    """The brief as one HTML document: ``sections`` are (heading, parts) with parts as in
    :mod:`leverage_sim.files.report_html` (Markdown text, tables, figures) or a
    :class:`Headline`; control characters written as visible escapes, as in ``report.html``."""
    body = "\n".join(f"<section><h2>{html.escape(head)}</h2>\n"
                     + "\n".join(_brief_part(p) for p in parts) + "</section>"
                     for head, parts in sections)
    return visible(
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{PRINT_STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>\n{body}\n"
        f'<p class="small">leverage-sim {installed_version()}, '
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC. Self-contained: prints on one "
        "page.</p></body></html>\n")


def _write(out: Path, title: str, sections: list[tuple[str, list[Any]]],
           figures: list[Figure]) -> Path:
    path = out / BRIEF
    path.write_text(render_brief(title, sections), encoding="utf-8")
    for fig in figures:
        plt.close(fig)
    return path


def _chart(results: Mapping[str, Results], otherwise: Callable[[], Figure]) -> Figure:
    """The historical-record chart if an episode records the first column's scenario, else
    ``otherwise()``."""
    facts = record_facts(next(iter(results.values())).scenario)
    return record_chart(results, facts) if facts else otherwise()


def _outcome_chart(res: Results) -> Figure:
    from leverage_sim.outputs import plots

    fig, ax = plt.subplots(figsize=(7, 3), constrained_layout=True)
    plots.outcome_bars(ax, res.summary, force=res.scenario.foreign_forces.label)
    return fig


def _question(res: Results) -> str:
    return res.scenario.question or "What happens in this scenario?"


def inputs_markdown(results: Mapping[str, Results], seed: int) -> str:
    """The inputs as a Markdown list: each column's scenario and overrides, then the
    parameters (with the posterior's SHA-256), replications, seed and version."""
    first = next(iter(results.values()))
    sha = f" (posterior.parquet sha256 {first.posterior['sha256'][:12]})" if first.posterior else ""
    lines = [f"- **{label}**: {scenario_markdown(res.scenario.name, res.overrides)}"
             for label, res in results.items()]
    lines.append(f"- Parameters: {posterior_text(first.posterior)}{sha}; "
                 f"{len(first.summary)} replications per column from master seed {seed}; "
                 f"leverage-sim {installed_version()}.")
    return "\n".join(lines)


def compare_brief(cmp: ComparedRuns, out: Path) -> Path:
    """``out/brief.html`` of a comparison: its headline is the effect on :data:`HEADLINE`
    of each column against the first (from :meth:`Comparison.effects`)."""
    from leverage_sim.outputs.report_pages import effects_chart

    base = next(iter(cmp.results))
    meaning = report.meanings()[HEADLINE]
    effects = cmp.effects().set_index(["scenario", "measure"])
    levels = cmp.table().set_index(["scenario", "measure"])
    b = levels.loc[(base, HEADLINE)]
    lines = [(f"In **{base}** {meaning} in {b['value']:.0%} of runs "
             f"[{b['low']:.0%}, {b['high']:.0%}].")]
    for label in list(cmp.results)[1:]:
        e = effects.loc[(label, HEADLINE)]
        effect, low, high = effect_cells("points", HEADLINE, e["effect"], e["low"], e["high"])
        lines.append(Headline(f"{label}: held firm {effect} [{low}, {high}]"))
    note = (f"Effect: mean paired difference against {base} on the same seeds"
            + (" and parameter draws" if cmp.posterior else "")
            + f", in percentage points of runs, with its {LEVEL:.0%} paired-bootstrap "
            f"interval; {len(next(iter(cmp.results.values())).summary)} runs per column. "
            f"{report.SEVERAL_ROWS}")
    chart = _chart(cmp.results, lambda: effects_chart(cmp))
    first = next(iter(cmp.results.values()))
    question = (f"*{_question(first)}* Compared on the same seeds: {len(cmp.results)} columns "
                "(see Inputs).")
    sections = [("Question", [question]), ("Headline", [*lines, note]), ("Chart", [chart]),
                ("Caveats", ["\n".join(f"- {c}" for c in calibration_caveats(cmp.posterior))]),
                ("Inputs", [inputs_markdown(cmp.results, cmp.seed)])]
    return _write(out, f"Brief: {cmp.inputs}", sections, [chart])


def run_brief(res: Results, out: Path) -> Path:
    """``out/brief.html`` of a run: its headline is the share of runs with each standoff
    outcome (from :func:`leverage_sim.outputs.report_pages.outcome_table`)."""
    force = res.scenario.foreign_forces.label
    said = report.meanings(force)
    table = outcome_table(res.summary, force=force).set_index("outcome")
    low, high = f"low % ({LEVEL:.0%})", f"high % ({LEVEL:.0%})"
    lines = [Headline(f"{meaning[0].upper() + meaning[1:]}: "
                      f"{table.loc[meaning, 'share %']:.0f}% of runs "
                      f"[{table.loc[meaning, low]:.0f}, {table.loc[meaning, high]:.0f}]")
             for name, meaning in said.items()
             if name in (HEADLINE, "relented")]
    note = (f"Share of {len(res.summary)} runs, exact {LEVEL:.0%} interval. "
            f"{report.SEVERAL_ROWS}")
    chart = _chart({res.scenario.name: res}, lambda: _outcome_chart(res))
    sections = [("Question", [(f"*{_question(res)}* Ran: "
                              f"{scenario_markdown(res.scenario.name, res.overrides)}.")]),
                ("Headline", [*lines, note]), ("Chart", [chart]),
                ("Caveats", ["\n".join(f"- {c}" for c in calibration_caveats(res.posterior))]),
                ("Inputs", [inputs_markdown({res.scenario.name: res}, res.seed)])]
    return _write(out, f"Brief: {res.inputs}", sections, [chart])

