"""Custody after a relent: when detainees handed to a militia-controlled unit go free.

A relent hands the detainees (all but those the government keeps) to a unit the militia
controls; they are then released *together*, by a judge's decision on the case — bail for all
of them, or a release for "insufficient evidence" — after a delay that varies from case to case
for reasons the model does not represent (the charge, the detainee's rank, the political deal,
the court's pace). One delay is drawn per case, log-normal::

    delay = release_delay_days × exp(release_delay_spread × Z),   Z ~ N(0, 1)
    days  = max(1, ⌈delay⌉)   (released on the first day at least ``delay`` after the transfer)

so ``release_delay_days`` is the median delay and ``release_delay_spread`` its log-normal sigma.
The two cases on record: 13 of 14 KH members handed to a PMF unit on 26 June 2020 were out on
bail by 29 June (3 days); Qasim Muslih, handed to PMF custody on 26-28 May 2021, was released
by a judge on 7-9 June (about 12 days). One daily release rate for each detainee (the form this
replaces) cannot give both; one case-level delay with a wide spread can.

A militia has one case open at a time: detainees it gets transferred while its case is pending
join that case (the same unit holds them and the same court decides). The delay is drawn in the
day's release step, on the day of the transfer (the agent path's
``Government.release_transferred``, the fast path's ``release_transferred``).

Who is handed over: a negotiated transfer keeps some detainees (``Binomial(detainees, leverage ×
p)``, :func:`leverage_sim.simulation.mechanisms.standoff.kept_in_negotiation`); the senior commanders among
them (a scripted raid's ``commanders``) are handed over first and kept last
(:func:`commanders_kept`). Reasoning: what a militia musters over is, above all, its commanders
(the stake counts each as ``commander_stake`` members), so they are its first demand and the
price of ending the standoff; in the one case on record the commander went to the militia's side
(Qasim Muslih, handed to the PMF's security and held at the PMF chief's house, Shafaq News
26-28 May 2021). The released case frees its commanders with its members.
"""

from __future__ import annotations

import math

import numpy as np

from leverage_sim.simulation.mechanisms.jitable import jitable


@jitable
def delay_days(median_days: float, spread: float, z: float) -> int:
    """Whole days from the transfer to the release for the standard-normal draw ``z``:
    ``max(1, ceil(median_days × exp(spread × z)))``."""
    delay = median_days * math.exp(spread * z)
    return max(1, math.ceil(delay))


@jitable
def draw_release_delay(rng: np.random.Generator, median_days: float, spread: float) -> int:
    """One case's delay in whole days (one standard-normal draw; :func:`delay_days`)."""
    return delay_days(median_days, spread, rng.standard_normal())


@jitable
def commanders_kept(kept: int, detainees: int, commanders: int) -> int:
    """Of the ``commanders`` among ``detainees`` in government custody, how many stay when a
    negotiated transfer keeps ``kept`` detainees: rank-and-file members are kept first, so
    ``max(0, kept − (detainees − commanders))``, at most ``commanders``."""
    return min(commanders, max(0, kept - (detainees - commanders)))
