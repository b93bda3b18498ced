"""Mechanism 8 — operations and lasting clashes: enforcement at scale, fighting that wears both
sides down, desertion, the militia standing down or leaving the streets, and the patron
brokering a ceasefire.

A **confrontation** is a standoff (:mod:`.standoff`) or an **operation** (a scripted
``operation``: thousands of troops sent into a militia's area for up to ``days`` days). An
operation is a *fight* from its opening unless the militia stands down; a standoff becomes one
when its muster turns into an armed clash (then it lasts at most :data:`MAX_CLASH_DAYS`).

0. **Resist or stand down** (an operation's opening; ``LeverageModel.operation``): the militia
   does not resist with probability

       resolve_belief × σ(k × (p_m − ½ − (push − ½)/2 − hold_ground + loss_sensitivity × ℓ_m))

   — its withdrawal of step 6 as it expects to face it at the end of the first day of
   fighting: on the contest *it believes* it faces,
   ``p_m = S_g(E_m[backing]) / (S_g(E_m[backing]) + S_m)`` (all the operation's committed
   troops, the force arrayed against it: it cannot know how many the government will engage;
   the US's strength weighted by the militia's own belief that the US steps in), and with the
   losses it expects that day, ``ℓ_m = min(1, λ_g × S_g(E_m[backing]) / F_m)`` (step 2's mean
   on that believed strength, as a share of its fighters), times its belief that the
   government presses on (a militia expecting a halt holds its ground; the belief a raid's
   muster decision uses). A militia that expects to leave the streets after a day of losses
   spares itself the day (backward induction over the rule it would then follow): a small
   militia facing a large force it believes backed expects to lose a large share of its
   fighters at once, a large one facing a force of its size little. Standing down ends the
   operation the day it opens: no fight, the government holds (the militia ``comply`` event,
   then ``hold_firm``), and the government's belief that militias resist learns from it as
   from a raid's answer. Reasoning and record: a militia that has just seen the foreign force
   step in, facing a force it cannot match, avoids a fight it expects to lose — Amarah, June
   2008, where Jaysh al-Mahdi let thousands of Iraqi troops with US advisers enter without a
   fight weeks after US forces had fought beside Iraqi units in Basra and Sadr City; Basra in
   March, when it had not yet seen that, it resisted. (Until December 2026 the rule was
   taken at no losses, so a militia whose ``hold_ground`` exceeds ½ never stood down at any
   odds.)

Each day of a fight (from the day after it opens; played by
:func:`leverage_sim.simulation.standoffs.play_day`):

1. The foreign force's hidden choice shows as in a standoff (same decision,
   :func:`.backing.step_in_probability`, drawn when the confrontation opens); once it steps in
   its strength ``U`` (air support, advisers, troops in country) adds to the government's side.
2. **Attrition** (Lanchester's square law for aimed fire, one day a step): each side loses in
   proportion to the other side's strength,

       militia killed     ~ Binomial(F_m, min(1, λ_g × S_g / F_m))      (mean λ_g × S_g)
       government killed  ~ Binomial(T,   min(1, λ_m × S_m / T))        (mean λ_m × S_m)

   with ``S_g = T_e × (0.5 + 0.5 × authority) + b × U`` (``b`` 1 once the US stepped in) and
   ``T_e`` the troops that **engage** that day: the share of the troops ``T`` still in the
   fight that the government believes the fight needs, its belief ``r`` that the militia
   fights back (:func:`engaged_troops`, ``T_e = ⌈r × T⌉``). A government that went in
   expecting little resistance commits little at first and more with each day of fighting it
   observes, so the fight grows as it learns (Basra 2008: not "the start of major combat
   operations ... but a show of force", a senior Western official to the New York Times, via
   IPS 2008-03-31; then Basra Operational Command "rushed in forces ... to stabilize the
   fighting", Long War Journal 2008-04-05, and the army was "reinforced by 5 battalions" by
   27–28 March, Bill Roggio via American Thinker; Lebanon 2008: "a fatal underestimation of
   how far ... Hezbollah would go", Asia Times 2008-05-14). Until December 2026 all ``T``
   fought from the first day, which made a low early toll and a high weekly one (Basra's two
   death counts) nearly exclusive: ``benchmarks/joint_match.py``, docs/calibration.md;
   ``S_m = F_m × cohesion × committed + allied fighters`` (an operation meets the whole
   militia: committed = 1; a standoff's clash the
   share its muster committed), ``F_m`` the militia's fighters, ``λ_g`` =
   ``government.combat_lethality`` and ``λ_m`` = ``militias[].combat_lethality`` (killed per day
   per personnel-equivalent of the enemy). The militia's dead are lost fighters (recovering
   over its ``recovery_days``); the government's dead (drawn among the ``T_e`` engaged) leave
   ``T``. Under the square law every personnel-equivalent of a side kills alike, so each part
   of ``S_g`` accounts for its share of the militia's dead (:func:`attributed_losses`): the
   foreign force's air power, ``b × air_support × presence / (presence + 500)``
   (:func:`.backing.us_air_strength`), is logged each day it accounts for any (the
   ``killed_by_air`` event, an expected count, not a draw) — what a record that splits a
   fight's dead by weapon can be compared with (Sadr City 2008: Hellfire missiles from
   helicopters and drones killed "over 251 people" in Baghdad from late March to 22 May, the
   Washington Post, 2008-05-23).
3. **Desertion**: ``Binomial(T, d)`` of the government's troops desert or refuse to fight,

       d = desertion_rate × (1 − force_cohesion) × (1 − p + LOSS_WEIGHT × government losses / T₀)

   ``p`` the real contest ratio ``S_g / (S_g + S_m)`` on the engaged troops (troops see
   whether help came and how the fight goes), ``T₀`` the troops at the start; every one of the
   ``T`` troops may desert, engaged or not: it rises as the contest goes badly and as
   losses mount, and falls with the force's cohesion (Basra 2008: a newly formed brigade broke
   in the first days; ~1,000–1,300 deserted or refused, LA Times and Washington Post
   2008-04-14).
4. The **patron brokers a ceasefire**. Until it has, it decides to open talks with daily
   probability

       D × (1 − (1 − σ(BROKER_SHARPNESS × (broker_threshold − position))) × (1 − w × stability_priority))

   ``position = 1 − p`` its client's chance in the fight (the patron's advisers see the real
   contest), ``w`` its restraint weight from the war risk (:mod:`.patronage`): it wants a
   ceasefire when its client is losing or when escalation threatens what it values (its stake
   in a stable order). ``D`` is the client's ``militias[].patron_dependence`` (0–1): a patron
   brokers only what its client will take from it, and a client with means of its own takes
   its help on its own terms (Berman & Lake, Proxy Wars, 2019: a principal's control rests
   on the rewards and punishments it can apply). Each day is a new decision, so with ``D``
   below 1 the talks come later (on average ``1/D`` days once the patron wants them), and
   never at 0: Iran, whose support for Sadr in 2004 was alleged, denied and doubted and who
   "never really trusted Sadr to do its bidding" (N. Krohley, Hurst, 2015), brokered nothing
   in Najaf's three weeks; Sistani did (``mediation``). Talks take ``patron.talks_days``;
   the fight goes on meanwhile (both sides fight, the government may still halt, the
   militia may still leave). On the day the ceasefire
   takes hold (:func:`ceasefire_day`) its terms follow the fight, as the last day's would
   (:func:`ceasefire_favours_government`): with the government ahead (``p > ½``) the militia
   leaves the streets and the government holds (Basra: talks in Qom with Soleimani on 28
   March 2008, Sadr's order of 30 March, Washington Post and McClatchy 2008-03-31); with the
   militia ahead the government suspends its measures, a relent (Lebanon, May 2008: the
   cabinet rescinded both decisions on 14 May, Reuters 2008-05-14, and the Doha agreement of
   21 May gave the opposition its veto). Until December 2026 every ceasefire counted as the
   government holding, so a patron restraining a winning client handed its opponent a win.
5. The government **presses on or halts** on its own beliefs, by the standoff's
   :func:`.standoff.hold_probability` on its believed contest ratio

       p_believed = S_g(E[backing]) / (S_g(E[backing]) + r × S_m)

   (``E[backing]`` until the US shows its hand; ``r`` its belief that the militia resists, the
   same belief a raid's answer updates, :func:`believed_militia_strength`; ``S_g`` on all
   ``T`` troops still in the fight, not only those engaged: a government halts when it judges
   it cannot win even by committing everything it has there): halting is a relent. Each day
   of fighting is one more observed act of resistance, so a government that went in
   expecting little resistance learns from the fight itself and halts later than one
   that expected it (Basra 2008: "Maliki miscalculated ... a show of force", a senior Western
   official to the New York Times, via IPS 2008-03-31; Lebanon 2008: "a fatal underestimation
   of how far ... Hezbollah would go", Asia Times 2008-05-14).
6. The militia **withdraws from the streets** with probability

       σ(k × (p − ½ − (push − ½)/2 − hold_ground + loss_sensitivity × militia losses / F₀))

   (the standoff's dispersal, with the extra resolve ``militias[].hold_ground`` a militia
   defending its own districts shows, and its losses pressing it to go, weighted by its
   ``militias[].loss_sensitivity``): the government holds (it controls the area). How much
   losses weigh is the militia's own: at the default 10 (the fixed weight until December
   2026) losing a tenth of its fighters weighs like a contest lost outright, so no militia
   held a losing fight for more than days; JAM held Najaf's old city for three weeks in
   August 2004 after losing 76–364 of ~2,000 fighters in four days (Reuters via The Age
   2004-08-10; IRIN 2004-08-11), and fought in Sadr City for seven weeks in 2008.
7. At the last day (``days`` of an operation, :data:`MAX_CLASH_DAYS` of a clash) the fight
   ends by the real contest: the government holds if ``p > ½``, else it halts; a side whose
   force is gone loses at once.

An operation may have a **sanctuary** (its ``figures.sanctuary``, a share ``s``): the share of
the militia in ground the government's side will not storm (a shrine; a district sealed off
rather than cleared). The government's fire reaches only the rest (step 2:
:func:`exposed_strength`), and the militia weighs only the rest as ground it may lose (steps 0
and 6: :func:`storming_chance`). 0 (the default) changes nothing.

Escalation rises by ``escalation.per_clash`` on each day of fighting (a day of fighting is
an armed clash), so a long fight also raises the patron's war risk.

``government.committed_share`` is the share of enforcement capacity (and of an operation's
troops) that fights in a confrontation: a government whose army stays out (Lebanon, May 2008)
has a low value; it scales ``S_g`` in every standoff decision and the troops of every fight.
"""

from __future__ import annotations

import numpy as np

from leverage_sim.simulation.mechanisms.intimidation import logistic
from leverage_sim.simulation.mechanisms.jitable import jitable

LOSS_WEIGHT = 10.0
"""Weight of the government's losses (killed as a share of its troops at the start) in
desertion: losing a tenth of the force weighs like a hopeless contest (reasoning: units that
have lost a tenth of their strength in days are badly shaken). The militia's own weight is its
``loss_sensitivity`` (steps 0 and 6)."""

BROKER_SHARPNESS = 15.0
"""Logistic slope of the patron's brokering around ``broker_threshold`` (reasoning: brokering
is a deliberate decision taken once the client clearly loses; talks take a day or two)."""

MAX_CLASH_DAYS = 14
"""Most days a clash that starts from a muster lasts (reasoning: urban fighting between a
muster and the government's forces either ends in days or becomes an operation; two weeks)."""


@jitable
def exposed_strength(strength: float, sanctuary: float) -> float:
    """The government side's killing strength (personnel-equivalents) that reaches the militia:
    its ``strength`` on the share ``1 − sanctuary`` of the militia's positions outside a
    sanctuary (0–1) it holds its fire at (the module's step 2; 0: all of it)."""
    return strength * (1.0 - sanctuary)


@jitable
def storming_chance(win_chance: float, sanctuary: float) -> float:
    """The government's chance (0–1) of taking the militia's ground, as the militia weighs it
    when it decides to stay or go: its chance in the fight ``win_chance`` on the share
    ``1 − sanctuary`` of the ground outside a sanctuary (0–1) it will not storm, which it
    cannot take by force (the module's steps 0 and 6)."""
    return win_chance * (1.0 - sanctuary)


@jitable
def committed_forces(capacity: float, committed_share: float) -> int:
    """Personnel that fight in a confrontation: ``capacity × committed_share``, rounded down."""
    return int(capacity * committed_share)


@jitable
def draw_losses(rng: np.random.Generator, force: int, lethality: float,
                enemy_strength: float) -> int:
    """Killed in one day of fighting out of ``force`` (persons), mean ``lethality ×
    enemy_strength`` (capped at the whole force); no draw when ``force`` is 0."""
    if force <= 0:
        return 0
    return int(rng.binomial(force, min(1.0, lethality * enemy_strength / force)))


@jitable
def attributed_losses(killed: int, part: float, strength: float) -> float:
    """The share of a day's ``killed`` (persons) that ``part`` of the killing side's
    ``strength`` (both personnel-equivalents) accounts for: ``killed × part / strength``, an
    expected count (0 when ``strength`` is 0; the module's step 2)."""
    if strength <= 0.0:
        return 0.0
    return killed * part / strength


@jitable
def engaged_troops(troops: int, resistance: float) -> int:
    """Troops (persons) of a fight's ``troops`` that engage today: the share the government
    believes the fight needs, its belief ``resistance`` (0–1) that the militia fights back,
    rounded up (the module's step 2, ``T_e = ⌈r × T⌉``)."""
    return int(np.ceil(troops * resistance))


@jitable
def believed_militia_strength(strength: float, resistance: float) -> float:
    """The militia's strength in a fight as the government judges it (personnel-equivalents):
    its real strength ``S_m`` weighted by the government's belief ``resistance`` (0–1) that it
    fights back (the module's step 5)."""
    return resistance * strength


@jitable
def desertion_share(desertion_rate: float, force_cohesion: float, win_chance: float,
                    loss_share: float) -> float:
    """Daily share (0–1) of the government's troops who desert or refuse: the module's ``d``."""
    return min(1.0, max(0.0, desertion_rate * (1.0 - force_cohesion)
                        * (1.0 - win_chance + LOSS_WEIGHT * loss_share)))


@jitable
def draw_deserters(rng: np.random.Generator, troops: int, share: float) -> int:
    """Troops who desert today (persons); no draw without troops."""
    if troops <= 0:
        return 0
    return int(rng.binomial(troops, share))


@jitable
def withdraw_probability(win_chance: float, push: float, loss_share: float,
                         hold_ground: float, loss_sensitivity: float, sharpness: float) -> float:
    """Daily chance (0–1) the militia leaves the streets in a fight (the module's step 6);
    ``hold_ground`` the margin (0–1 of the contest ratio) it needs in its own districts,
    ``loss_sensitivity`` (≥ 0) the weight of its ``loss_share`` (0–1 of its fighters at the
    start) on that decision."""
    return logistic(sharpness * (win_chance - 0.5 - (push - 0.5) / 2 - hold_ground
                                 + loss_sensitivity * loss_share))


@jitable
def expected_loss_share(lethality: float, enemy_strength: float, force: float) -> float:
    """Share (0–1) of ``force`` (persons) a side expects to lose in one day of fighting: step
    2's mean ``lethality × enemy_strength`` over its force (1 without a force)."""
    if force <= 0:
        return 1.0
    return min(1.0, lethality * enemy_strength / force)


@jitable
def stand_down_probability(believed_win_chance: float, expected_losses: float,
                           expected_resolve: float, push: float, hold_ground: float,
                           loss_sensitivity: float, sharpness: float) -> float:
    """Chance (0–1) the militia does not resist an operation at its opening (the module's step
    0): :func:`withdraw_probability` on the contest it believes it faces
    (``believed_win_chance``, the government's chance with the US weighted by the militia's
    belief in its backing) and the share of its fighters it expects to lose on the first day
    (``expected_losses``, 0–1: :func:`expected_loss_share`), times ``expected_resolve`` (0–1),
    its belief that the government presses on."""
    return expected_resolve * withdraw_probability(believed_win_chance, push, expected_losses,
                                                   hold_ground, loss_sensitivity, sharpness)


@jitable
def broker_probability(position: float, threshold: float, restraint_weight: float,
                       stability_priority: float, dependence: float) -> float:
    """Daily chance (0–1) the patron brokers a ceasefire (the module's step 4): it wants one
    when its client's ``position`` (its chance in the fight) is below ``threshold``, or for
    restraint (war risk) weighted by its ``stability_priority``; it opens talks only as far as
    its client would take a ceasefire from it, its ``dependence`` (0–1)."""
    losing = logistic(BROKER_SHARPNESS * (threshold - position))
    wants = 1.0 - (1.0 - losing) * (1.0 - restraint_weight * stability_priority)
    return dependence * wants


@jitable
def ceasefire_day(talks_opened_day: int, talks_days: int) -> int:
    """The day (≥ 1) a ceasefire whose talks opened on ``talks_opened_day`` takes hold."""
    return talks_opened_day + talks_days


@jitable
def ceasefire_favours_government(win_chance: float) -> bool:
    """Whether a ceasefire's terms are the government's (the militia leaves the streets) rather
    than the militia's (the government suspends its measures): the real contest ratio
    ``win_chance`` (0–1) above ½, the rule of a fight's last day (the module's steps 4 and 7)."""
    return win_chance > 0.5


@jitable
def loss_share(lost: float, start: float) -> float:
    """Losses as a share of the force at the start (0 without a force)."""
    return lost / start if start > 0 else 0.0
