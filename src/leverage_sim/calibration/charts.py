"""Charts of a calibration: marginal posteriors against priors, pairs, posterior predictive.
Parameters and facts are named in words (:mod:`leverage_sim.scenario.labels`), every axis says what
it measures."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from leverage_sim.calibration.smc import Prior, Target
from leverage_sim.files.safe_text import chart_text
from leverage_sim.scenario import labels


def _words(name: str, width: int = 30) -> str:
    """A parameter path in words, wrapped to ``width`` characters."""
    return chart_text(textwrap.fill(labels.label(name, unit=False), width))


def fact_words(name: str, width: int = 34) -> str:
    """A fact id (``june_2020_raid.kh_muster``) in words: "June 2020 raid: kh muster"."""
    episode, _, fact = name.partition(".")
    return textwrap.fill(f"{episode.replace('_', ' ').capitalize()}: {fact.replace('_', ' ')}",
                         width)


def _grid(n: int, width: float = 3.2, height: float = 2.4) -> tuple[Figure, np.ndarray]:
    cols = min(4, n)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows + 0.4),
                             squeeze=False)
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.06, top=1 - 0.9 / (height * rows + 0.4),
                        wspace=0.3, hspace=0.45)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, axes.flat


def marginals(posterior: pd.DataFrame, priors: Sequence[Prior],
              base_values: dict[str, float]) -> Figure:
    """Per parameter: weighted posterior histogram, prior density, hand-tuned value (dashed)."""
    fig, axes = _grid(len(priors))
    for ax, prior in zip(axes, priors):
        x = np.linspace(prior.low, prior.high, 200)
        ax.hist(posterior[prior.name], bins=20, range=(prior.low, prior.high), density=True,
                weights=posterior["weight"], color="tab:blue", alpha=0.6, label="posterior")
        ax.plot(x, prior.density(x), color="grey", label="prior")
        if prior.name in base_values:
            ax.axvline(base_values[prior.name], color="tab:red", ls="--", label="hand-tuned")
        ax.set_title(_words(prior.name), fontsize=8)
        ax.set_xlabel(labels.unit(prior.name) or "value", fontsize=7)
        ax.set_ylabel("density", fontsize=7)
        ax.tick_params(labelsize=7)
    axes[0].legend(fontsize=7)
    fig.suptitle("Marginal posteriors (bars) against priors (line)")
    return fig


def pairs(posterior: pd.DataFrame, priors: Sequence[Prior]) -> Figure:
    """Lower triangle: pairwise scatter of the posterior particles (size ~ weight) over the
    prior box; diagonal: weighted histograms."""
    n = len(priors)
    fig = plt.figure(figsize=(1.3 * n + 1, 1.3 * n + 1))
    grid = fig.add_gridspec(n, n, left=0.12, bottom=0.12, right=0.98, top=0.95, wspace=0.08,
                            hspace=0.08)
    size = 30 * posterior["weight"] / posterior["weight"].max()
    for i, yi in enumerate(priors):
        for j, xj in enumerate(priors[: i + 1]):  # the lower triangle only: half the axes
            ax = fig.add_subplot(grid[i, j])
            if i == j:
                ax.hist(posterior[xj.name], bins=15, range=(xj.low, xj.high),
                        weights=posterior["weight"], color="tab:blue", alpha=0.6)
                ax.set_yticks([])
            else:
                ax.scatter(posterior[xj.name], posterior[yi.name], s=size, alpha=0.4,
                           color="tab:blue", linewidths=0)
                ax.set_ylim(yi.low, yi.high)
            ax.set_xlim(xj.low, xj.high)
            ax.tick_params(labelsize=5)
            if i < n - 1:
                ax.set_xticklabels([])
            else:
                ax.set_xlabel(_words(xj.name, 18), fontsize=6)
            if j > 0:
                ax.set_yticklabels([])
            elif i > 0:
                ax.set_ylabel(_words(yi.name, 18), fontsize=6)
    fig.suptitle("Posterior pairs")
    return fig


def predictive(values: pd.DataFrame, weights: np.ndarray, targets: Sequence[Target]) -> Figure:
    """Per fact: the weighted distribution of its simulated value in the final generation,
    the observed value (line) and the range the sources allow (band)."""
    fig, axes = _grid(len(targets), 3.6, 2.4)
    for ax, t in zip(axes, targets):
        v = values[t.name].to_numpy()
        lo, hi = min(v.min(), t.low), max(v.max(), t.high)
        pad = 0.5 if hi - lo < 1e-9 else 0.05 * (hi - lo)
        ax.hist(v, bins=25, range=(lo - pad, hi + pad), weights=weights, color="tab:blue",
                alpha=0.6)
        ax.axvspan(t.low, t.high, color="tab:green", alpha=0.2, lw=0)
        ax.axvline(t.observed, color="tab:green")
        ax.set_title(fact_words(t.name), fontsize=7)
        ax.set_xlabel("simulated value", fontsize=7)
        ax.set_ylabel("share of particles", fontsize=7)
        ax.tick_params(labelsize=7)
    fig.suptitle("Posterior predictive (bars) against observed (line) and its range (band)")
    return fig
