"""The day's orchestration, compiled: the same step order as :class:`leverage_sim.simulation.model.LeverageModel`
(and :mod:`leverage_sim.simulation.standoffs`, :mod:`leverage_sim.simulation.scripted_events`, the agents' methods)
on the arrays of :mod:`.layout`, calling the same mechanism functions
(:mod:`leverage_sim.simulation.mechanisms`, compiled by numba) and taking the same random draws in the same
order from the same ``numpy.random.Generator``.

Each function here mirrors one agent-path method, named in its docstring; nothing here computes
a model equation itself (those are the mechanisms'): it reads state, calls a mechanism, writes
state and records events. ``tests/test_fast_path.py`` checks that both paths give identical
summaries and event logs.

Arguments, everywhere: ``w`` the world vector, ``m`` militia rows, ``s`` site rows, ``so``
standoff rows, ``joined`` standoff × militia (1: joined the muster), ``tw`` threat windows (last
day, militia row, then one flag per militia: threatened), ``ev`` the event list, ``ps`` strikes
due, ``rng`` the generator, ``day`` today; militias, sites and standoffs by row number.
"""

from __future__ import annotations

import numpy as np
from numba import types
from numba.typed import List

from leverage_sim.simulation.agents.government import ATTACK_MEMORY_DAYS
from leverage_sim.simulation.fastpath.layout import (
    A_ATTACK,
    A_BACKING,
    A_CEASEFIRE,
    A_CLASH,
    A_COMPLY,
    A_DEFECTION,
    A_DEPLOY_DEFENCE,
    A_DRAWDOWN,
    A_EXPULSION_VOTE,
    A_FIGHTING,
    A_HOLD_FIRM,
    A_INTERCEPTION,
    A_KILLED_BY_AIR,
    A_MUSTER,
    A_OPERATION,
    A_PUBLIC_THREAT,
    A_RAID,
    A_REDEPLOY,
    A_RELEASE,
    A_RELENT,
    A_SET,
    A_SKIPPED,
    A_STANDOFF,
    A_STRIKE,
    A_TALKS,
    A_TRUCE,
    A_WITHDRAWAL,
    ADJUSTMENT,
    AIR,
    ATTACK_CELLS,
    ATTACK_RESPONSE,
    ATTACKS_PER_MONTH,
    AUTHORISED,
    AUTHORITY,
    BACKING,
    BACKING_SENSITIVITY,
    BACKLASH,
    BASE_AUTHORITY,
    BASE_AUTONOMY,
    BASE_COALITION,
    BASE_COHESION,
    BASE_INSTIGATION,
    BASE_RESOLVE,
    BROKER_THRESHOLD,
    CALM_DAYS,
    CAMPAIGN,
    CAMPAIGN_BUILD,
    CAMPAIGN_DAYS,
    CAMPAIGN_PLAN,
    CAPACITY,
    CASUALTIES,
    CLASH_PROPENSITY,
    COALITION,
    COMMAND_REACH,
    COMMANDER_STAKE,
    COMMANDERS_DETAINED,
    COMMITTED_SHARE,
    COOLDOWN,
    CUSTODY,
    CUSTODY_COMMANDERS,
    DEFENCE_AVOIDANCE,
    DESERTION_RATE,
    DETAINED,
    DISRUPTION,
    DISRUPTION_RECOVERY,
    DRAWDOWN_SHARE,
    E_ACTION,
    E_ACTOR,
    E_DAY,
    E_FIGURE,
    E_FIGURE2,
    E_FIGURE3,
    E_FIRST_SET,
    E_LAST_SET,
    E_MILITIA,
    E_NAME,
    E_NOTE,
    E_SITE,
    E_TARGET,
    EMBOLDENING,
    ESC,
    ESC_DECAY,
    ESC_PER_ATTACK,
    ESC_PER_CASUALTY,
    ESC_PER_CLASH,
    ESC_PER_MUSTER,
    ESC_PER_STEP_IN,
    ESC_PER_STRIKE,
    ESC_THRESHOLD,
    EXPOSURE_HALF,
    EXPULSION,
    F_BELIEF_MEMORY,
    FIGHTERS,
    FLOOR,
    FLOOR_REVIEW,
    FORCE_COHESION,
    FP_ALPHA,
    FP_ALPHA0,
    FP_MEAN,
    G_BELIEF_MEMORY,
    G_LETHALITY,
    G_LIAISON_RATE,
    G_RECOVERY_DAYS,
    GB_ALPHA,
    GB_ALPHA0,
    GB_MEAN,
    GR_ALPHA,
    GR_ALPHA0,
    GR_MEAN,
    GROUND,
    HOLD_GROUND,
    HOSTILITY,
    INSTIGATION,
    INTERCEPTION,
    K_ALL_TROOPS_LOST,
    K_ATTACK,
    K_ATTACK_BY,
    K_CEASEFIRE,
    K_CLASH_BEGINS,
    K_CONCEDES,
    K_COST_DRAWDOWN,
    K_DESERTED,
    K_DRAWDOWN,
    K_EXPULSION_VOTE,
    K_FIGHT_OVER,
    K_FIGHTING,
    K_HALTS,
    K_HOLDS_FOR_NOW,
    K_INTERCEPTION_NOW,
    K_JOINS_MUSTER,
    K_KILLED_BY_AIR,
    K_MEDIATION_TALKS,
    K_MEMBERS_ARRESTED,
    K_MUSTERED,
    K_NOT_POSSIBLE,
    K_NOTHING_TO_BACK,
    K_NOTHING_TO_MEDIATE,
    K_OPERATION_OPENED,
    K_POLITICAL_COST,
    K_PUBLIC_THREAT,
    K_REDEPLOY,
    K_RELEASED,
    K_STANDOFF_OPENED,
    K_STANDS_DOWN,
    K_STRIKE,
    K_TALKS,
    K_TEXT,
    K_TRANSFERRED,
    K_TRUCE_ORDERED,
    K_WON_CEASEFIRE,
    K_WON_DISPERSES,
    K_WON_FIGHT_OVER,
    K_WON_STANDS_DOWN,
    K_WON_WITHDRAWS,
    LAST_DRAWDOWN,
    LETHALITY,
    LEVERAGE,
    LOCAL_FIGHTERS,
    LOSS_SENSITIVITY,
    LOSSES,
    M_ATTACK_RATE,
    M_AUTONOMY,
    M_BELIEF_MEMORY,
    M_COHESION,
    M_LETHALITY,
    M_RECOVERY_DAYS,
    MB_ALPHA,
    MB_ALPHA0,
    MB_MEAN,
    MOBILISATION,
    MORALE,
    MORALE_MEMORY,
    MR_ALPHA,
    MR_ALPHA0,
    MR_MEAN,
    MT_ALPHA,
    MT_ALPHA0,
    MT_MEAN,
    N_STANDOFFS,
    N_WINDOWS,
    ORDER,
    P_COLUMN,
    P_ROW,
    P_VALUE,
    P_WHERE,
    PARLIAMENT,
    PATRON_DEPENDENCE,
    PRESENCE,
    PRESSURE_RESPONSE,
    RAID_BACKLASH,
    RAID_RATE,
    RAID_TARGETS,
    REALLOCATED,
    RECENT_STRIKES,
    REDEPLOY_AFTER,
    REDEPLOY_CALM,
    REDEPLOY_SHARE,
    RELEASE_DAY,
    RELEASE_DELAY,
    RELEASE_SPREAD,
    RELENT_COST,
    REMEMBERED,
    RESOLVE,
    RESOURCES,
    RESPONSE_DELAY,
    RESPONSIVENESS,
    RET_AVERSION,
    RET_DELAY,
    RET_PROBABILITY,
    RET_RESTRAINT,
    RET_THRESHOLD,
    S_ALLIED,
    S_BROKER,
    S_CEASEFIRE_DAY,
    S_DETAINEES,
    S_END_DAY,
    S_FIGHTING,
    S_GOV_KILLED,
    S_MIL_KILLED,
    S_MIL_START,
    S_MILITIA,
    S_MUSTER,
    S_OPENED,
    S_OPERATION,
    S_OUTCOME,
    S_PRESSURE,
    S_SANCTUARY,
    S_STEP_IN_DAY,
    S_STEPPED_IN,
    S_TROOPS,
    S_TROOPS_START,
    S_WILL,
    SEATS,
    SEEN,
    SEEN_DAY,
    SET_MILITIA,
    SET_SITE,
    SHARE,
    SHARPNESS,
    SOLIDARITY,
    STABILITY,
    STAKE_REFERENCE,
    STAKE_SENSITIVITY,
    STANDOFF_SHARE,
    STANDOFF_SIZE,
    STEP_IN_BACKLASH,
    STEP_IN_COALITION,
    STEP_IN_EXPULSION,
    STR_FIRST_MILITIA,
    STR_FOREIGN_FORCES,
    STR_GOVERNMENT,
    STR_NO_RESISTANCE,
    STR_PATRON,
    STR_RETALIATION,
    STR_US_BACKS,
    STRIKE_BACKLASH,
    STRIKE_COHESION,
    STRIKE_DISRUPTION,
    STRIKE_EXPULSION,
    STRIKE_LETHALITY,
    STRIKE_MEMORY,
    STRIKE_RISK,
    SUPPORT_SHARE,
    TALKS_DAYS,
    TARGET_WEIGHT,
    THREAT_PROPENSITY,
    THREAT_SENSITIVITY,
    THREAT_WINDOW,
    TOLERANCE,
    TOP_SHARE,
    TRANSFER_ORDER,
    TRANSFERRED,
    TRANSFERRED_COMMANDERS,
    TRUCE_DAYS,
    TRUCE_INSTIGATION,
    TRUCE_UNTIL,
    US_THREAT,
    VOTE_FLOOR,
    VOTE_THRESHOLD,
    VOTED,
    WIN_CAMPAIGN,
    WIN_GAIN,
    WITHDRAWAL_DAY,
    X_ATTACK,
    X_BACKING,
    X_DEPLOY_DEFENCE,
    X_DRAWDOWN,
    X_MEDIATION,
    X_OPERATION,
    X_RAID,
    X_SET,
    X_STRIKE,
    X_TRUCE,
    X_WITHDRAWAL,
)
from leverage_sim.simulation.mechanisms import (
    attacks,
    backing,
    beliefs,
    custody,
    enforcement,
    intimidation,
    operation,
    patronage,
    redeploy,
    retaliation,
    standoff,
    withdrawal,
)
from leverage_sim.simulation.mechanisms.jitable import jitable

EVENT_SIZE = 9
"""An event row: day, actor, action, target (-1: none), value, detail kind, three figures.
The event table's row 0 holds the count of events recorded (rows 1.. the events)."""
STRIKE_ROW = types.UniTuple(types.float64, 2)
"""A strike due: day, militia row."""
HELD_FIRM, RELENTED, CLASH_WON, CLASH_LOST = 0.0, 1.0, 2.0, 3.0  # layout.OUTCOME_NAMES
OPEN = -1.0
TRUE, FALSE = 1.0, 0.0


# ---- shared state (LeverageModel) ---------------------------------------------------------------
@jitable
def record(ev, day, actor, action, target, value, kind, a=0.0, b=0.0, c=0.0):
    """``LeverageModel.record``: append one event (strings as string numbers) to the event
    table ``ev``; past its last row only counted (the run is then repeated with a larger
    table, see :func:`leverage_sim.simulation.fastpath.Runner`)."""
    k = int(ev[0, 0]) + 1
    ev[0, 0] = k
    if k < ev.shape[0]:
        ev[k, 0], ev[k, 1], ev[k, 2], ev[k, 3], ev[k, 4] = day, actor, action, target, value
        ev[k, 5], ev[k, 6], ev[k, 7], ev[k, 8] = kind, a, b, c


@jitable
def raise_escalation(w, weight_column, times=1.0):
    """``LeverageModel.raise_escalation``."""
    w[ESC] = beliefs.clamp(w[ESC] + times * w[weight_column])


@jitable
def militia_name(i):
    return STR_FIRST_MILITIA + i


@jitable
def observe(table, row, column, happened, weight=1.0):
    """``BetaBelief.observe`` on the (alpha, beta, mean) columns starting at ``column``."""
    table[row, column], table[row, column + 1], table[row, column + 2] = beliefs.beta_observe(
        table[row, column], table[row, column + 1], happened, weight)


@jitable
def observe_world(w, column, happened, weight=1.0):
    w[column], w[column + 1], w[column + 2] = beliefs.beta_observe(
        w[column], w[column + 1], happened, weight)


@jitable
def forget(table, row, column, prior, memory_days):
    """``BetaBelief.forget`` on the (alpha, beta, mean) columns starting at ``column``, its
    prior's (alpha, beta) at ``prior``."""
    if table[row, column] != table[row, prior] or table[row, column + 1] != table[row, prior + 1]:
        table[row, column], table[row, column + 1], table[row, column + 2] = beliefs.beta_forget(
            table[row, column], table[row, column + 1], table[row, prior], table[row, prior + 1],
            memory_days)


@jitable
def forget_world(w, column, prior, memory_days):
    if w[column] != w[prior] or w[column + 1] != w[prior + 1]:
        w[column], w[column + 1], w[column + 2] = beliefs.beta_forget(
            w[column], w[column + 1], w[prior], w[prior + 1], memory_days)


@jitable
def n_open(w, so):
    n = 0
    for k in range(int(w[N_STANDOFFS])):
        if so[k, S_OUTCOME] == OPEN:
            n += 1
    return n


@jitable
def is_open(so, k):
    """Standoff row ``k`` is not yet resolved (``LeverageModel.open_standoffs`` is the list of
    those: iterating over all rows and skipping closed ones visits the same standoffs in the
    same order, as nothing a loop over them does opens or closes another one)."""
    return so[k, S_OUTCOME] == OPEN


# ---- actors' derived figures --------------------------------------------------------------------
@jitable
def fighters(m, i):
    """``Militia.fighters``."""
    return int(m[i, FIGHTERS]) - round(m[i, LOSSES])


@jitable
def set_fighters(m, i, value):
    m[i, LOSSES] = float(int(m[i, FIGHTERS]) - value)


@jitable
def push(w, m, i):
    """``Militia.push``."""
    return intimidation.patron_push(w[INSTIGATION], m[i, SHARE], w[TOP_SHARE])


@jitable
def standoff_strength(w):
    """``ForeignForce.standoff_strength``."""
    return backing.us_standoff_strength(int(w[PRESENCE]), w[STANDOFF_SHARE], w[GROUND], w[AIR])


@jitable
def air_strength(w):
    """``ForeignForce.air_strength``."""
    return backing.us_air_strength(int(w[PRESENCE]), w[AIR])


@jitable
def us_pressure(w):
    """``ForeignForce.us_pressure``."""
    return backing.us_pressure(w[REMEMBERED], w[TOLERANCE])


@jitable
def step_in_probability(w):
    """``ForeignForce.step_in_probability``."""
    if w[PRESENCE] == 0:
        return 0.0
    return backing.step_in_probability(w[BACKING], w[AUTHORITY], w[FP_MEAN], w[EXPULSION],
                                       us_pressure(w), w[BACKING_SENSITIVITY])


@jitable
def government_strength(w, backing_term):
    """``Government.strength``."""
    return standoff.government_strength(operation.committed_forces(w[CAPACITY],
                                                                   w[COMMITTED_SHARE]),
                                        w[AUTHORITY], backing_term, standoff_strength(w))


@jitable
def government_shift(w, authority=0.0, resolve=0.0, coalition=0.0):
    """``Government.shift``."""
    w[AUTHORITY] = beliefs.clamp(w[AUTHORITY] + authority)
    w[RESOLVE] = beliefs.clamp(w[RESOLVE] + resolve)
    w[COALITION] = beliefs.clamp(w[COALITION] + coalition)


@jitable
def disrupt(m, i, amount):
    """``Militia.disrupt``."""
    m[i, DISRUPTION] = beliefs.clamp(m[i, DISRUPTION] + amount)


@jitable
def attacks_seen(m, i, day):
    """``Government.attacks_seen``."""
    return beliefs.remembered(m[i, SEEN], day - int(m[i, SEEN_DAY]), ATTACK_MEMORY_DAYS)


# ---- patron (Patron) ----------------------------------------------------------------------------
@jitable
def allocate(w, m, force):
    """``Patron.allocate``."""
    n = m.shape[0]
    pressed = False
    for i in range(n):
        if m[i, DISRUPTION] != 0:
            pressed = True
    if pressed or w[REALLOCATED] != 0 or force:
        shares = m[:, SHARE]
        patronage.allocate_support(m[:, SUPPORT_SHARE], m[:, DISRUPTION], w[RESPONSIVENESS],
                                   shares)
        top = shares[0]
        for i in range(n):
            top = max(top, shares[i])
        w[TOP_SHARE] = top
        w[REALLOCATED] = TRUE if pressed else FALSE


@jitable
def patron_step(day, w, m, ev):
    """``Patron.step``."""
    risk = patronage.war_risk(w[ESC], w[RECENT_STRIKES], w[STRIKE_RISK], w[US_THREAT])
    weight = patronage.restraint_weight(risk, w[ESC_THRESHOLD])
    if patronage.declares_truce(weight, w[TRUCE_UNTIL], day):
        w[TRUCE_UNTIL] = day + int(w[TRUCE_DAYS]) - 1
        record(ev, day, STR_PATRON, A_TRUCE, -1, w[TRUCE_INSTIGATION], K_TRUCE_ORDERED, risk)
    target = patronage.target_instigation(w[BASE_INSTIGATION], w[BACKLASH], weight,
                                          w[STABILITY], w[ESC])
    target = patronage.truce_target(target, w[TRUCE_UNTIL], day, w[TRUCE_INSTIGATION])
    w[INSTIGATION] += w[ADJUSTMENT] * (target - w[INSTIGATION])
    w[BACKLASH] *= 1.0 - w[ADJUSTMENT]
    if w[RECENT_STRIKES] != 0:
        w[RECENT_STRIKES] = beliefs.fade(w[RECENT_STRIKES], w[STRIKE_MEMORY])
    if w[US_THREAT] != 0:
        w[US_THREAT] = beliefs.fade(w[US_THREAT], w[STRIKE_MEMORY])
    if w[CAMPAIGN_PLAN] != 0 or w[CAMPAIGN] != 0:
        w[CAMPAIGN_PLAN], w[CAMPAIGN] = patronage.campaign_step(
            w[CAMPAIGN_PLAN], w[CAMPAIGN], w[CAMPAIGN_DAYS], w[CAMPAIGN_BUILD])
    allocate(w, m, False)


# ---- beliefs and reputations (LeverageModel) --------------------------------------------------
@jitable
def end_standoff_shifts(w, m, central, government_won, authority_step, us_seen):
    """``LeverageModel.end_standoff_shifts``."""
    (authority, resolve, coalition, autonomy_target, autonomy_others, morale_target,
     morale_others) = beliefs.standoff_outcome_shifts(government_won, authority_step, us_seen)
    government_shift(w, authority, resolve, coalition)
    for i in range(m.shape[0]):
        m[i, M_AUTONOMY] = beliefs.clamp(
            m[i, M_AUTONOMY] + (autonomy_target if i == central else autonomy_others))
        m[i, MORALE] = beliefs.clamp(
            m[i, MORALE] + (morale_target if i == central else morale_others), -1.0, 1.0)
        observe(m, i, MR_ALPHA, government_won)
    observe_world(w, FP_ALPHA, government_won)
    if not government_won:
        w[CAMPAIGN_PLAN] += w[WIN_CAMPAIGN]


@jitable
def observe_backing(w, m, stepped_in, silent_day, weight=0.0):
    """``LeverageModel.observe_backing``."""
    if weight <= 0:
        weight = 1.0 if stepped_in else (beliefs.SILENT_DAY_EVIDENCE if silent_day
                                         else beliefs.DRAWDOWN_EVIDENCE)
    observe_world(w, GB_ALPHA, stepped_in, weight)
    for i in range(m.shape[0]):
        observe(m, i, MB_ALPHA, stepped_in, weight)


@jitable
def observe_strike(m, target):
    """``LeverageModel.observe_strike``: militias read a US strike as evidence of backing."""
    for i in range(m.shape[0]):
        observe(m, i, MB_ALPHA, True, beliefs.STRIKE_EVIDENCE_TARGET if i == target
                else beliefs.STRIKE_EVIDENCE_OTHERS)


# ---- enforcement and intimidation (LeverageModel.raid, public_reactions) -----------------------
@jitable
def stake(m, i):
    """``Militia.stake``."""
    return intimidation.stake_ratio(
        intimidation.member_equivalents(int(m[i, DETAINED]), int(m[i, COMMANDERS_DETAINED]),
                                        m[i, COMMANDER_STAKE]),
        fighters(m, i), m[i, STAKE_REFERENCE])


@jitable
def muster_size(rng, w, m, i, own):
    """``Militia.muster_size``."""
    factor = intimidation.stake_factor(stake(m, i), m[i, STAKE_SENSITIVITY]) if own else 1.0
    return intimidation.draw_muster(rng, int(m[i, LOCAL_FIGHTERS]), m[i, MOBILISATION],
                                    push(w, m, i), factor)


@jitable
def raid(rng, day, w, m, so, tw, ev, i, arrests, targets, commanders, note):
    """``LeverageModel.raid`` on militia row ``i``: ``arrests`` -1 = drawn from ``targets``
    (0: the government's ``raid_targets``), ``commanders`` of them senior commanders (at most
    the arrests); ``note`` a string number or -1."""
    if arrests < 0:
        n = targets if targets != 0 else int(w[RAID_TARGETS])
        arrests = enforcement.draw_arrests(
            rng, n, int(w[CAPACITY]),
            enforcement.local_defenders(int(m[i, LOCAL_FIGHTERS]), m[i, M_COHESION]))
    if note >= 0:
        record(ev, day, STR_GOVERNMENT, A_RAID, militia_name(i), arrests, K_TEXT, note)
    else:
        record(ev, day, STR_GOVERNMENT, A_RAID, militia_name(i), arrests, K_MEMBERS_ARRESTED,
               arrests)
    if arrests == 0:
        return
    commanders = min(commanders, arrests)
    m[i, CUSTODY] += arrests
    m[i, DETAINED] += arrests
    m[i, CUSTODY_COMMANDERS] += commanders
    m[i, COMMANDERS_DETAINED] += commanders
    disrupt(m, i, attacks.disruption_from_arrests(arrests, int(m[i, ATTACK_CELLS])))
    w[BACKLASH] += w[RAID_BACKLASH]
    k = int(w[N_WINDOWS])
    tw[k, 0] = day + m[i, THREAT_WINDOW]
    tw[k, 1] = i
    tw[k, 2:] = 0.0
    w[N_WINDOWS] = k + 1
    p = intimidation.muster_probability(
        push(w, m, i), m[i, M_AUTONOMY], m[i, MR_MEAN], m[i, MB_MEAN],
        intimidation.stake_term(stake(m, i), m[i, STAKE_SENSITIVITY]))
    resists = rng.random() < p
    observe_world(w, GR_ALPHA, resists)
    if not resists:
        record(ev, day, militia_name(i), A_COMPLY, STR_GOVERNMENT, 0.0, K_TEXT,
               STR_NO_RESISTANCE)
        end_standoff_shifts(w, m, i, True, w[WIN_GAIN] / 2, False)
        return
    muster = muster_size(rng, w, m, i, True)
    record(ev, day, militia_name(i), A_MUSTER, STR_GOVERNMENT, muster, K_MUSTERED, muster)
    raise_escalation(w, ESC_PER_MUSTER)
    open_standoff(rng, day, w, so, i, arrests, muster)
    record(ev, day, STR_GOVERNMENT, A_STANDOFF, militia_name(i), muster, K_STANDOFF_OPENED,
           arrests, muster)


@jitable
def open_standoff(rng, day, w, so, i, arrests, muster):
    """``LeverageModel.open_standoff``: a new confrontation row with militia row ``i``, the
    foreign force's hidden choice drawn; returns its row."""
    will, when = standoff.draw_us_choice(rng, step_in_probability(w), int(w[RESPONSE_DELAY]),
                                         day)
    k = int(w[N_STANDOFFS])
    so[k, :] = 0.0
    so[k, S_MILITIA] = i
    so[k, S_OPENED] = day
    so[k, S_DETAINEES] = arrests
    so[k, S_MUSTER] = muster
    so[k, S_WILL] = TRUE if will else FALSE
    so[k, S_STEP_IN_DAY] = when
    so[k, S_OUTCOME] = OPEN
    w[N_STANDOFFS] = k + 1
    return k


@jitable
def public_reactions(rng, day, w, m, so, joined, tw, ev):
    """``LeverageModel.public_reactions``."""
    if w[N_WINDOWS] == 0 and w[N_STANDOFFS] == 0:
        return
    n = m.shape[0]
    for k in range(int(w[N_WINDOWS])):
        if tw[k, 0] < day:
            continue  # expired (the agent path drops it)
        target = int(tw[k, 1])
        for i in range(n):
            if tw[k, 2 + i] != 0:
                continue
            p = intimidation.threat_probability(m[i, THREAT_PROPENSITY], push(w, m, i))
            if not (m[i, SEATS] > 0 and rng.random() < p):
                continue
            tw[k, 2 + i] = TRUE
            pressure = intimidation.threat_pressure(int(m[i, SEATS]), int(w[PARLIAMENT]),
                                                    w[THREAT_SENSITIVITY])
            record(ev, day, militia_name(i), A_PUBLIC_THREAT, STR_GOVERNMENT, pressure,
                   K_PUBLIC_THREAT, militia_name(target))
            government_shift(w, 0.0, 0.0, -pressure / 4)
            observe_world(w, GR_ALPHA, True, beliefs.THREAT_EVIDENCE)
            for s in range(int(w[N_STANDOFFS])):
                if is_open(so, s) and so[s, S_MILITIA] == target:
                    so[s, S_PRESSURE] += pressure
    for s in range(int(w[N_STANDOFFS])):
        if not is_open(so, s):
            continue
        for i in range(n):
            if i != so[s, S_MILITIA] and joined[s, i] == 0 and rng.random() < \
                    intimidation.join_probability(m[i, SOLIDARITY], push(w, m, i)):
                allies = muster_size(rng, w, m, i, False)
                joined[s, i] = TRUE
                so[s, S_ALLIED] += allies
                record(ev, day, militia_name(i), A_MUSTER, STR_GOVERNMENT, allies,
                       K_JOINS_MUSTER, allies, militia_name(int(so[s, S_MILITIA])))


# ---- standoffs (standoffs.play_day, step_in, close) ------------------------------------------
@jitable
def step_in(day, w, m, so, ev, s, note):
    """``standoffs.step_in``."""
    so[s, S_STEPPED_IN] = TRUE
    record(ev, day, STR_FOREIGN_FORCES, A_BACKING, militia_name(int(so[s, S_MILITIA])), 1.0,
           K_TEXT, note)
    observe_backing(w, m, True, False)
    step_in_costs(w)


@jitable
def step_in_costs(w):
    """``ForeignForce.step_in_costs``."""
    w[EXPULSION], w[BACKLASH], w[COALITION] = backing.step_in_costs(
        w[EXPULSION], w[STEP_IN_EXPULSION], w[BACKLASH], w[STEP_IN_BACKLASH], w[COALITION],
        w[STEP_IN_COALITION])
    raise_escalation(w, ESC_PER_STEP_IN)


@jitable
def transfer(w, m, i, keep):
    """``Government.transfer``: returns how many were handed over."""
    n = int(m[i, CUSTODY])
    m[i, CUSTODY] = 0.0
    kept = min(keep, n)
    commanders = int(m[i, CUSTODY_COMMANDERS])
    stay = custody.commanders_kept(kept, n, commanders)
    m[i, CUSTODY_COMMANDERS] = stay
    m[i, TRANSFERRED_COMMANDERS] += commanders - stay
    if kept:
        m[i, CUSTODY] = kept
    if n - kept:
        if m[i, TRANSFERRED] == 0:
            m[i, TRANSFER_ORDER] = w[ORDER]
            w[ORDER] += 1
        m[i, TRANSFERRED] += n - kept
    return n - kept


@jitable
def close(day, w, m, so, ev, s, outcome, kept, kind, a, b, c):
    """``standoffs.close``; the detail of its hold_firm or relent event is (kind, a, b, c)."""
    so[s, S_OUTCOME] = outcome
    i = int(so[s, S_MILITIA])
    won = outcome == HELD_FIRM or outcome == CLASH_WON
    if won:
        record(ev, day, STR_GOVERNMENT, A_HOLD_FIRM, militia_name(i), 1.0, kind, a, b, c)
        step = w[WIN_GAIN]
    else:  # an operation has no detainees at stake: halting hands none over
        handed = 0 if so[s, S_OPERATION] != 0 else transfer(w, m, i, kept)
        record(ev, day, STR_GOVERNMENT, A_RELENT, militia_name(i), handed, kind, a, b, c)
        step = w[RELENT_COST] * (1.5 if outcome == CLASH_LOST else 1.0)
    end_standoff_shifts(w, m, i, won, step, so[s, S_STEPPED_IN] != 0)


@jitable
def play_day(rng, day, w, m, so, ev, s):
    """``standoffs.play_day``."""
    i = int(so[s, S_MILITIA])
    if so[s, S_WILL] != 0 and so[s, S_STEPPED_IN] == 0 and day >= so[s, S_STEP_IN_DAY]:
        step_in(day, w, m, so, ev, s, STR_US_BACKS)
    if day == so[s, S_OPENED]:
        return
    stepped_in = so[s, S_STEPPED_IN] != 0
    if not stepped_in:
        observe_backing(w, m, False, True)
    if so[s, S_FIGHTING] != 0:
        fight_day(rng, day, w, m, so, ev, s)
        return
    s_mil = standoff.militia_strength(fighters(m, i), m[i, M_COHESION], int(so[s, S_MUSTER]),
                                      int(m[i, LOCAL_FIGHTERS]), int(so[s, S_ALLIED]))
    backing_term = 1.0 if stepped_in else w[GB_MEAN]
    believed = standoff.contest_ratio(government_strength(w, backing_term), s_mil)
    p = standoff.hold_probability(believed, w[RESOLVE], so[s, S_PRESSURE], w[COALITION],
                                  w[SHARPNESS])
    if not rng.random() < p:
        kept = standoff.kept_in_negotiation(rng, int(m[i, CUSTODY]), believed, w[LEVERAGE])
        close(day, w, m, so, ev, s, RELENTED, kept, K_TRANSFERRED, militia_name(i), kept,
              backing_term)
        return
    record(ev, day, STR_GOVERNMENT, A_STANDOFF, militia_name(i), believed, K_HOLDS_FOR_NOW,
           day - so[s, S_OPENED], backing_term, believed)
    actual = standoff.contest_ratio(government_strength(w, 1.0 if stepped_in else 0.0), s_mil)
    if rng.random() < standoff.disperse_probability(actual, push(w, m, i), w[SHARPNESS]):
        close(day, w, m, so, ev, s, HELD_FIRM, 0, K_WON_DISPERSES, militia_name(i), 0.0, 0.0)
        return
    if rng.random() < standoff.clash_probability(m[i, CLASH_PROPENSITY], push(w, m, i)):
        raise_escalation(w, ESC_PER_CLASH)
        record(ev, day, militia_name(i), A_CLASH, STR_GOVERNMENT, actual, K_CLASH_BEGINS)
        start_fight(so, s, operation.committed_forces(w[CAPACITY], w[COMMITTED_SHARE]),
                    fighters(m, i), day + operation.MAX_CLASH_DAYS)


# ---- fights (standoffs.start_fight, fight_strengths, fight_day; LeverageModel.operation) -------
@jitable
def start_fight(so, s, troops, militia_fighters, end_day):
    """``standoffs.start_fight``."""
    so[s, S_FIGHTING] = TRUE
    so[s, S_TROOPS] = so[s, S_TROOPS_START] = troops
    so[s, S_MIL_START] = militia_fighters
    so[s, S_END_DAY] = end_day


@jitable
def engaged(w, so, s):
    """``standoffs.engaged``."""
    return operation.engaged_troops(int(so[s, S_TROOPS]), w[GR_MEAN])


@jitable
def fight_strengths(w, m, so, s, backing_term, troops):
    """``standoffs.fight_strengths``: (S_g, S_m)."""
    i = int(so[s, S_MILITIA])
    s_gov = standoff.government_strength(troops, w[AUTHORITY], backing_term,
                                         standoff_strength(w))
    if so[s, S_OPERATION] != 0:
        muster, pool = 1, 1
    else:
        muster, pool = int(so[s, S_MUSTER]), int(m[i, LOCAL_FIGHTERS])
    s_mil = standoff.militia_strength(fighters(m, i), m[i, M_COHESION], muster, pool,
                                      int(so[s, S_ALLIED]))
    return s_gov, s_mil


@jitable
def patron_brokers(rng, w, m, i, position):
    """``Patron.brokers``."""
    if m[i, SHARE] <= 0:
        return False
    weight = patronage.restraint_weight(
        patronage.war_risk(w[ESC], w[RECENT_STRIKES], w[STRIKE_RISK], w[US_THREAT]),
        w[ESC_THRESHOLD])
    p = operation.broker_probability(position, w[BROKER_THRESHOLD], weight, w[STABILITY],
                                     m[i, PATRON_DEPENDENCE])
    return rng.random() < p


@jitable
def open_talks(day, so, ev, s, broker, days, value, kind, a, b, c):
    """``standoffs.open_talks``: ``broker`` (a string number) opens talks in fight ``s``, the
    ceasefire in ``days`` days; logged with ``value`` and detail ``kind`` (``a``, ``b``,
    ``c``)."""
    so[s, S_CEASEFIRE_DAY] = operation.ceasefire_day(day, days)
    so[s, S_BROKER] = broker
    record(ev, day, broker, A_TALKS, militia_name(int(so[s, S_MILITIA])), value, kind, a, b, c)


@jitable
def real_contest(w, m, so, s):
    """``standoffs.real_contest``."""
    us = 1.0 if so[s, S_STEPPED_IN] != 0 else 0.0
    s_gov, s_mil = fight_strengths(w, m, so, s, us, engaged(w, so, s))
    return standoff.contest_ratio(s_gov, s_mil)


@jitable
def fight_day(rng, day, w, m, so, ev, s):
    """``standoffs.fight_day``."""
    i = int(so[s, S_MILITIA])
    us = 1.0 if so[s, S_STEPPED_IN] != 0 else 0.0
    troops = engaged(w, so, s)
    s_gov, s_mil = fight_strengths(w, m, so, s, us, troops)
    militia_killed = operation.draw_losses(rng, fighters(m, i), w[G_LETHALITY],
                                           operation.exposed_strength(s_gov,
                                                                      so[s, S_SANCTUARY]))
    government_killed = operation.draw_losses(rng, troops, m[i, M_LETHALITY], s_mil)
    set_fighters(m, i, fighters(m, i) - militia_killed)
    so[s, S_MIL_KILLED] += militia_killed
    so[s, S_TROOPS] -= government_killed
    so[s, S_GOV_KILLED] += government_killed
    raise_escalation(w, ESC_PER_CLASH)
    record(ev, day, STR_GOVERNMENT, A_FIGHTING, militia_name(i),
           government_killed + militia_killed, K_FIGHTING, government_killed, militia_killed)
    by_air = operation.attributed_losses(militia_killed, us * air_strength(w), s_gov)
    if by_air > 0:
        record(ev, day, STR_FOREIGN_FORCES, A_KILLED_BY_AIR, militia_name(i), by_air,
               K_KILLED_BY_AIR, by_air)
    observe_world(w, GR_ALPHA, True)
    actual = real_contest(w, m, so, s)
    share = operation.desertion_share(w[DESERTION_RATE], w[FORCE_COHESION], actual,
                                      operation.loss_share(so[s, S_GOV_KILLED],
                                                           so[s, S_TROOPS_START]))
    deserters = operation.draw_deserters(rng, int(so[s, S_TROOPS]), share)
    if deserters:
        so[s, S_TROOPS] -= deserters
        record(ev, day, STR_GOVERNMENT, A_DEFECTION, militia_name(i), deserters, K_DESERTED,
               deserters)
    s_gov, s_mil = fight_strengths(w, m, so, s, us, engaged(w, so, s))
    if so[s, S_TROOPS] <= 0:
        close(day, w, m, so, ev, s, CLASH_LOST, 0, K_FIGHT_OVER, FALSE, 0.0, 0.0)
        return
    if s_mil <= 0:
        close(day, w, m, so, ev, s, CLASH_WON, 0, K_WON_FIGHT_OVER, 0.0, 0.0, 0.0)
        return
    actual = standoff.contest_ratio(s_gov, s_mil)
    if so[s, S_CEASEFIRE_DAY] == 0 and patron_brokers(rng, w, m, i, 1.0 - actual):
        open_talks(day, so, ev, s, STR_PATRON, int(w[TALKS_DAYS]), 1.0 - actual, K_TALKS,
                   militia_name(i), 1.0 - actual, w[TALKS_DAYS])
    if so[s, S_CEASEFIRE_DAY] != 0 and day >= so[s, S_CEASEFIRE_DAY]:
        broker = int(so[s, S_BROKER])
        record(ev, day, broker, A_CEASEFIRE, militia_name(i),
               1.0 - actual, K_CEASEFIRE, militia_name(i), 1.0 - actual, broker)
        if operation.ceasefire_favours_government(actual):
            close(day, w, m, so, ev, s, CLASH_WON, 0, K_WON_CEASEFIRE, militia_name(i), 0.0,
                  0.0)
        else:
            close(day, w, m, so, ev, s, CLASH_LOST, 0, K_CONCEDES, militia_name(i), 0.0, 0.0)
        return
    backing_term = 1.0 if so[s, S_STEPPED_IN] != 0 else w[GB_MEAN]
    believed = standoff.contest_ratio(fight_strengths(w, m, so, s, backing_term,
                                                      int(so[s, S_TROOPS]))[0],
                                      operation.believed_militia_strength(s_mil, w[GR_MEAN]))
    p = standoff.hold_probability(believed, w[RESOLVE], so[s, S_PRESSURE], w[COALITION],
                                  w[SHARPNESS])
    if not rng.random() < p:
        close(day, w, m, so, ev, s, CLASH_LOST, 0, K_HALTS, backing_term, believed, 0.0)
        return
    if rng.random() < operation.withdraw_probability(
            operation.storming_chance(actual, so[s, S_SANCTUARY]), push(w, m, i),
            operation.loss_share(so[s, S_MIL_KILLED], so[s, S_MIL_START]),
            m[i, HOLD_GROUND], m[i, LOSS_SENSITIVITY], w[SHARPNESS]):
        close(day, w, m, so, ev, s, CLASH_WON, 0, K_WON_WITHDRAWS, militia_name(i), 0.0, 0.0)
        return
    if day >= so[s, S_END_DAY]:
        if actual > 0.5:
            close(day, w, m, so, ev, s, CLASH_WON, 0, K_WON_FIGHT_OVER, 0.0, 0.0, 0.0)
        else:
            close(day, w, m, so, ev, s, CLASH_LOST, 0, K_FIGHT_OVER, FALSE, 0.0, 0.0)


@jitable
def operation_opens(rng, day, w, m, so, ev, i, troops, days, sanctuary, note):
    """``LeverageModel.operation`` on militia row ``i``; ``note`` a string number or -1."""
    fighting = operation.committed_forces(troops, w[COMMITTED_SHARE])
    if note >= 0:
        record(ev, day, STR_GOVERNMENT, A_OPERATION, militia_name(i), fighting, K_TEXT, note)
    else:
        record(ev, day, STR_GOVERNMENT, A_OPERATION, militia_name(i), fighting,
               K_OPERATION_OPENED, fighting, days)
    w[BACKLASH] += w[RAID_BACKLASH]
    k = open_standoff(rng, day, w, so, i, 0, 0)
    so[k, S_OPERATION] = TRUE
    so[k, S_SANCTUARY] = sanctuary
    start_fight(so, k, fighting, fighters(m, i), day + days)
    s_gov, s_mil = fight_strengths(w, m, so, k, m[i, MB_MEAN], int(so[k, S_TROOPS]))
    believed = standoff.contest_ratio(s_gov, s_mil)
    expected = operation.expected_loss_share(w[G_LETHALITY],
                                             operation.exposed_strength(s_gov, sanctuary),
                                             fighters(m, i))
    p = operation.stand_down_probability(operation.storming_chance(believed, sanctuary),
                                         expected, m[i, MR_MEAN], push(w, m, i),
                                         m[i, HOLD_GROUND], m[i, LOSS_SENSITIVITY],
                                         w[SHARPNESS])
    resists = not rng.random() < p
    observe_world(w, GR_ALPHA, resists)
    if not resists:
        record(ev, day, militia_name(i), A_COMPLY, STR_GOVERNMENT, believed, K_STANDS_DOWN,
               believed)
        close(day, w, m, so, ev, k, HELD_FIRM, 0, K_WON_STANDS_DOWN, militia_name(i), 0.0, 0.0)


# ---- government (Government.step, release_transferred; LeverageModel.release) -------------------
@jitable
def choose_target(rng, day, w, m):
    """``Government.choose_target``: a militia row, or -1."""
    n = m.shape[0]
    seen = np.empty(n)
    for i in range(n):
        seen[i] = attacks_seen(m, i, day)
    payoffs = enforcement.target_payoffs(seen, m[:, LOCAL_FIGHTERS].copy(),
                                         m[:, M_COHESION].copy(), int(w[CAPACITY]),
                                         government_strength(w, w[GB_MEAN]), w[GR_MEAN])
    return enforcement.choose_target(rng, payoffs)


@jitable
def government_recover(rng, w, so):
    """``Government.step`` up to its raid draw: recovery, fading and forgetting, the private
    signal (``hear_liaison``), then today's raid hazard (0 when it cannot raid)."""
    tau = w[G_RECOVERY_DAYS]
    if w[AUTHORITY] != w[BASE_AUTHORITY]:
        w[AUTHORITY] = beliefs.relax(w[AUTHORITY], w[BASE_AUTHORITY], tau)
    if w[RESOLVE] != w[BASE_RESOLVE]:
        w[RESOLVE] = beliefs.relax(w[RESOLVE], w[BASE_RESOLVE], tau)
    if w[COALITION] != w[BASE_COALITION]:
        w[COALITION] = beliefs.relax(w[COALITION], w[BASE_COALITION], tau)
    if w[ATTACKS_PER_MONTH] != 0:
        w[ATTACKS_PER_MONTH] = beliefs.fade(w[ATTACKS_PER_MONTH], ATTACK_MEMORY_DAYS)
    forget_world(w, GB_ALPHA, GB_ALPHA0, w[G_BELIEF_MEMORY])
    forget_world(w, GR_ALPHA, GR_ALPHA0, w[G_BELIEF_MEMORY])
    if w[G_LIAISON_RATE] > 0:
        signal = beliefs.private_signal(rng.random(), w[G_LIAISON_RATE],
                                        step_in_probability(w))
        if signal >= 0:
            observe_world(w, GB_ALPHA, signal == 1, beliefs.LIAISON_EVIDENCE)
    if w[RAID_RATE] <= 0 or n_open(w, so) > 0:
        return 0.0
    return enforcement.raid_hazard(w[RAID_RATE], w[RESOLVE], w[GR_MEAN], w[GB_MEAN],
                                   w[ATTACKS_PER_MONTH], w[ATTACK_RESPONSE], us_pressure(w),
                                   w[PRESSURE_RESPONSE])


@jitable
def reactions_due(day, w, so, tw):
    """Whether :func:`public_reactions` can do anything today (a threat window still open, or
    an open standoff); without, it takes no draw."""
    for k in range(int(w[N_WINDOWS])):
        if tw[k, 0] >= day:
            return True
    for k in range(int(w[N_STANDOFFS])):
        if is_open(so, k):
            return True
    return False


@jitable
def release_transferred(rng, day, w, m, ev):
    """``Government.release_transferred`` (in the order the cases were opened: each case's
    release day drawn on its first day, its detainees freed together on that day) and
    ``LeverageModel.release``."""
    order = np.argsort(m[:, TRANSFER_ORDER], kind="mergesort")
    holding = m[:, TRANSFERRED].copy()
    for i in order:
        if holding[i] == 0:
            continue
        if m[i, RELEASE_DAY] < 0:
            m[i, RELEASE_DAY] = day + custody.draw_release_delay(rng, w[RELEASE_DELAY],
                                                                 w[RELEASE_SPREAD])
        if day >= m[i, RELEASE_DAY]:
            freed = int(holding[i])
            m[i, RELEASE_DAY] = -1
            m[i, TRANSFERRED] -= freed
            m[i, DETAINED] -= freed
            if m[i, TRANSFERRED] == 0:  # the case is closed: its commanders go free too
                m[i, COMMANDERS_DETAINED] -= m[i, TRANSFERRED_COMMANDERS]
                m[i, TRANSFERRED_COMMANDERS] = 0.0
            disrupt(m, i, -attacks.disruption_from_arrests(freed, int(m[i, ATTACK_CELLS])))
            record(ev, day, militia_name(i), A_RELEASE, STR_GOVERNMENT, freed, K_RELEASED,
                   freed)


# ---- militias and attacks (Militia.step, launch_attacks; ForeignForce.receive_attack) -----------
@jitable
def militia_recover(m, i):
    """``Militia.recover``."""
    tau = m[i, M_RECOVERY_DAYS]
    if m[i, LOSSES] != 0:
        m[i, LOSSES] = beliefs.fade(m[i, LOSSES], tau)
    if m[i, M_COHESION] != m[i, BASE_COHESION]:
        m[i, M_COHESION] = beliefs.relax(m[i, M_COHESION], m[i, BASE_COHESION], tau)
    if m[i, M_AUTONOMY] != m[i, BASE_AUTONOMY]:
        m[i, M_AUTONOMY] = beliefs.relax(m[i, M_AUTONOMY], m[i, BASE_AUTONOMY], tau)
    if m[i, MORALE] != 0:
        m[i, MORALE] = beliefs.fade(m[i, MORALE], m[i, MORALE_MEMORY])
    if m[i, DISRUPTION] != 0:
        m[i, DISRUPTION] = beliefs.fade(m[i, DISRUPTION], m[i, DISRUPTION_RECOVERY])
    memory = m[i, M_BELIEF_MEMORY]
    forget(m, i, MB_ALPHA, MB_ALPHA0, memory)
    forget(m, i, MR_ALPHA, MR_ALPHA0, memory)
    forget(m, i, MT_ALPHA, MT_ALPHA0, memory)


@jitable
def attack_intensity(w, m, i):
    """``Militia.step`` up to its draw: recover, then today's expected attacks."""
    militia_recover(m, i)
    return attacks.attack_rate(
        m[i, M_ATTACK_RATE],
        attacks.attack_intent(push(w, m, i), m[i, M_AUTONOMY], m[i, HOSTILITY]),
        patronage.supply(w[RESOURCES], w[CAMPAIGN]),
        attacks.readiness(m[i, M_COHESION], fighters(m, i), int(m[i, FIGHTERS])),
        m[i, MORALE], m[i, EMBOLDENING], m[i, MT_MEAN], m[i, RET_AVERSION], m[i, DISRUPTION],
        int(w[PRESENCE]),
        attacks.state_restraint(w[AUTHORITY], m[i, M_AUTONOMY], w[COMMAND_REACH]))


@jitable
def receive_attack(rng, day, w, m, s, ev, ps, i, k):
    """``ForeignForce.receive_attack`` of militia row ``i`` on site row ``k``, with
    ``LeverageModel.count_attack``."""
    intercepted, casualties = attacks.resolve_attack(rng, s[k, INTERCEPTION], s[k, LETHALITY],
                                                     int(w[PRESENCE]), w[EXPOSURE_HALF])
    w[ATTACKS_PER_MONTH] += 1.0
    m[i, SEEN] = attacks_seen(m, i, day) + 1.0
    m[i, SEEN_DAY] = day
    raise_escalation(w, ESC_PER_ATTACK)
    raise_escalation(w, ESC_PER_CASUALTY, casualties)
    site = STR_FIRST_MILITIA + m.shape[0] + k
    record(ev, day, militia_name(i), A_ATTACK, site, casualties, K_ATTACK, casualties,
           TRUE if intercepted else FALSE)
    if intercepted:
        record(ev, day, STR_FOREIGN_FORCES, A_INTERCEPTION, site, 1.0, K_ATTACK_BY,
               militia_name(i))
        return
    w[CASUALTIES] += casualties
    w[REMEMBERED] += casualties
    if casualties:
        lose_troops(day, w, ev, casualties)
    chance = retaliation.retaliation_chance(casualties, int(w[RET_THRESHOLD]),
                                            w[RET_PROBABILITY], w[ESC], w[EXPULSION],
                                            w[RET_RESTRAINT])
    if chance > 0:
        strikes = retaliation.decide_retaliation(rng, chance)
        for j in range(m.shape[0]):
            observe(m, j, MT_ALPHA, strikes)
        if strikes:
            ps.append((float(day + int(w[RET_DELAY])), float(i)))


@jitable
def lose_troops(day, w, ev, killed):
    """``ForeignForce.lose_troops``."""
    presence = int(w[PRESENCE])
    presence -= min(killed, presence)
    w[PRESENCE] = presence
    if presence == 0 and w[WITHDRAWAL_DAY] < 0:
        w[WITHDRAWAL_DAY] = day
        record(ev, day, STR_FOREIGN_FORCES, A_WITHDRAWAL, -1, 0.0, K_ALL_TROOPS_LOST)


@jitable
def launch_attacks(rng, day, w, m, s, ev, ps, i, n):
    """``Militia.launch_attacks`` (``n`` > 0)."""
    weights = np.empty(s.shape[0])
    for k in range(s.shape[0]):
        weights[k] = attacks.site_weight(s[k, TARGET_WEIGHT], s[k, INTERCEPTION],
                                         m[i, DEFENCE_AVOIDANCE])
    for _ in range(n):
        k = attacks.choose_site(rng, weights)
        if k >= 0:
            receive_attack(rng, day, w, m, s, ev, ps, i, k)


# ---- foreign force (ForeignForce.step, strike, consider_drawdown, draw_down) --------------------
@jitable
def strike(day, w, m, ev, i, reason_kind, reason):
    """``ForeignForce.strike`` on militia row ``i``; the reason is a string number."""
    killed, cohesion_lost = retaliation.strike_damage(fighters(m, i), m[i, M_COHESION],
                                                      int(w[STRIKE_LETHALITY]),
                                                      w[STRIKE_COHESION])
    set_fighters(m, i, fighters(m, i) - killed)
    m[i, M_COHESION] -= cohesion_lost
    disrupt(m, i, w[STRIKE_DISRUPTION])
    w[BACKLASH] += w[STRIKE_BACKLASH]
    w[RECENT_STRIKES] += 1.0
    observe_strike(m, i)
    w[EXPULSION] = beliefs.clamp(w[EXPULSION] + w[STRIKE_EXPULSION])
    government_shift(w, -retaliation.SOVEREIGNTY_COST, 0.0, 0.0)
    raise_escalation(w, ESC_PER_STRIKE)
    record(ev, day, STR_FOREIGN_FORCES, A_STRIKE, militia_name(i), killed, reason_kind, reason,
           killed)


@jitable
def draw_down(day, w, m, ev, troops, cost, tolerance, note):
    """``ForeignForce.draw_down``; the reason is the political cost (``note`` -1) or a note
    (string number)."""
    presence = int(w[PRESENCE])
    troops = min(troops, presence)
    presence -= troops
    w[PRESENCE] = presence
    w[LAST_DRAWDOWN] = day
    observe_backing(w, m, False, False)
    if presence == 0:
        w[WITHDRAWAL_DAY] = day
        if note < 0:
            record(ev, day, STR_FOREIGN_FORCES, A_WITHDRAWAL, -1, troops, K_POLITICAL_COST,
                   cost, tolerance)
        else:
            record(ev, day, STR_FOREIGN_FORCES, A_WITHDRAWAL, -1, troops, K_TEXT, note)
    elif note < 0:
        record(ev, day, STR_FOREIGN_FORCES, A_DRAWDOWN, -1, troops, K_COST_DRAWDOWN, cost,
               tolerance, presence)
    else:
        record(ev, day, STR_FOREIGN_FORCES, A_DRAWDOWN, -1, troops, K_DRAWDOWN, note, presence)


@jitable
def consider_expulsion_vote(day, w, ev):
    """``ForeignForce.consider_expulsion_vote``."""
    if withdrawal.vote_due(w[EXPULSION], w[VOTE_THRESHOLD], w[VOTED] != 0, int(w[PRESENCE])):
        w[VOTED] = TRUE
        record(ev, day, STR_GOVERNMENT, A_EXPULSION_VOTE, -1, w[EXPULSION], K_EXPULSION_VOTE,
               w[EXPULSION])


@jitable
def foreign_force_step(day, w, m, ev, ps):
    """``ForeignForce.step`` (strikes due, the expulsion vote, fading, ``consider_drawdown``)."""
    any_due = False
    for item in ps:
        if item[0] <= day:
            any_due = True
    if any_due:
        due = List.empty_list(STRIKE_ROW)
        rest = List.empty_list(STRIKE_ROW)
        for item in ps:
            if item[0] <= day:
                due.append(item)
            else:
                rest.append(item)
        ps.clear()
        ps.extend(rest)
        for item in due:
            if w[PRESENCE] != 0:
                strike(day, w, m, ev, int(item[1]), K_STRIKE, STR_RETALIATION)
    consider_expulsion_vote(day, w, ev)
    w[EXPULSION] = withdrawal.decay_expulsion(w[EXPULSION], w[VOTED] != 0, w[VOTE_FLOOR])
    w[REMEMBERED] = beliefs.fade(w[REMEMBERED], withdrawal.CASUALTY_MEMORY_DAYS)
    forget_world(w, FP_ALPHA, FP_ALPHA0, w[F_BELIEF_MEMORY])
    consider_drawdown(day, w, m, ev)
    consider_redeploy(day, w, m, ev)


@jitable
def consider_drawdown(day, w, m, ev):
    """``ForeignForce.consider_drawdown``."""
    if w[PRESENCE] == 0:
        return
    cooled = w[LAST_DRAWDOWN] < 0 or day - int(w[LAST_DRAWDOWN]) >= int(w[COOLDOWN])
    cost = withdrawal.political_cost(w[REMEMBERED], w[EXPULSION])
    leaving, decided, reviewing = withdrawal.drawdown_decision(
        int(w[PRESENCE]), w[DRAWDOWN_SHARE], int(w[FLOOR]), cooled, cost, w[TOLERANCE],
        w[FLOOR_REVIEW] != 0)
    w[FLOOR_REVIEW] = TRUE if reviewing else FALSE
    if decided:
        w[LAST_DRAWDOWN] = day
    if leaving:
        draw_down(day, w, m, ev, leaving, cost, w[TOLERANCE], -1)


@jitable
def consider_redeploy(day, w, m, ev):
    """``ForeignForce.consider_redeploy``."""
    presence, authorised = int(w[PRESENCE]), int(w[AUTHORISED])
    if presence == 0 or presence >= authorised:
        w[CALM_DAYS] = 0.0
        return
    cost = withdrawal.political_cost(w[REMEMBERED], w[EXPULSION])
    w[CALM_DAYS] = redeploy.calm_days(int(w[CALM_DAYS]), cost, w[TOLERANCE], w[REDEPLOY_CALM])
    if w[CALM_DAYS] >= w[REDEPLOY_AFTER]:
        troops = redeploy.redeploy_size(presence, authorised, w[REDEPLOY_SHARE])
        w[PRESENCE] = presence + troops
        w[CALM_DAYS] = 0.0
        observe_backing(w, m, True, False, beliefs.REDEPLOY_EVIDENCE)
        record(ev, day, STR_FOREIGN_FORCES, A_REDEPLOY, -1, troops, K_REDEPLOY, cost,
               w[TOLERANCE], presence + troops)


# ---- scripted events (scripted_events.HANDLERS) ------------------------------------------------
@jitable
def needs_foreign_force(action):
    """``event_schema.NEEDS_FOREIGN_FORCE``: scripted actions that need foreign troops in the
    country."""
    return (action == X_STRIKE or action == X_BACKING or action == X_ATTACK
            or action == X_DEPLOY_DEFENCE or action == X_DRAWDOWN or action == X_WITHDRAWAL)


@jitable
def fire_scripted(rng, day, w, m, s, so, tw, ev, ps, e, sets):
    """``scripted_events.fire_scripted_event`` for scripted-event row ``e``."""
    action = int(e[E_ACTION])
    i = int(e[E_MILITIA])
    note = int(e[E_NOTE])
    if w[PRESENCE] == 0 and needs_foreign_force(action):
        record(ev, day, int(e[E_ACTOR]), A_SKIPPED, int(e[E_TARGET]), 0.0, K_NOT_POSSIBLE,
               e[E_NAME], w[WITHDRAWAL_DAY])
        return
    if action == X_RAID:
        raid(rng, day, w, m, so, tw, ev, i, int(e[E_FIGURE]), int(e[E_FIGURE2]),
             int(e[E_FIGURE3]), note)
    elif action == X_STRIKE:
        strike(day, w, m, ev, i, K_STRIKE, note)
    elif action == X_BACKING:
        confronted = False
        for k in range(int(w[N_STANDOFFS])):
            if is_open(so, k) and (i == -1 or so[k, S_MILITIA] == i):
                confronted = True
                if so[k, S_STEPPED_IN] == 0:
                    step_in(day, w, m, so, ev, k, note)
        if not confronted:
            record(ev, day, int(e[E_ACTOR]), A_SKIPPED, int(e[E_TARGET]), 0.0, K_NOTHING_TO_BACK)
    elif action == X_MEDIATION:
        mediated = False
        days = int(e[E_FIGURE])
        for k in range(int(w[N_STANDOFFS])):
            if (is_open(so, k) and so[k, S_FIGHTING] != 0 and so[k, S_CEASEFIRE_DAY] == 0
                    and (i == -1 or so[k, S_MILITIA] == i)):
                mediated = True
                # the talks' detail: the scenario's note, else the generated text
                kind, a, b = ((K_TEXT, note, 0.0) if note >= 0 else
                              (K_MEDIATION_TALKS, militia_name(int(so[k, S_MILITIA])),
                               float(days)))
                open_talks(day, so, ev, k, int(e[E_ACTOR]), days,
                           1.0 - real_contest(w, m, so, k), kind, a, b, 0.0)
        if not mediated:
            record(ev, day, int(e[E_ACTOR]), A_SKIPPED, int(e[E_TARGET]), 0.0,
                   K_NOTHING_TO_MEDIATE)
    elif action == X_ATTACK:
        receive_attack(rng, day, w, m, s, ev, ps, i, int(e[E_SITE]))
    elif action == X_DEPLOY_DEFENCE:
        k = int(e[E_SITE])
        s[k, INTERCEPTION] = e[E_FIGURE]
        site = STR_FIRST_MILITIA + m.shape[0] + k
        if note >= 0:
            record(ev, day, STR_FOREIGN_FORCES, A_DEPLOY_DEFENCE, site, s[k, INTERCEPTION],
                   K_TEXT, note)
        else:
            record(ev, day, STR_FOREIGN_FORCES, A_DEPLOY_DEFENCE, site, s[k, INTERCEPTION],
                   K_INTERCEPTION_NOW, s[k, INTERCEPTION])
    elif action == X_TRUCE:
        level = e[E_FIGURE]
        w[BASE_INSTIGATION] = level
        for j in range(m.shape[0]):
            m[j, HOSTILITY] = min(m[j, HOSTILITY], level)
        record(ev, day, int(e[E_ACTOR]), A_TRUCE, int(e[E_TARGET]), w[BASE_INSTIGATION],
               K_TEXT, note)
    elif action == X_DRAWDOWN or action == X_WITHDRAWAL:
        troops = int(e[E_FIGURE]) if action == X_DRAWDOWN else int(w[PRESENCE])
        draw_down(day, w, m, ev, troops, 0.0, 0.0, note)
    elif action == X_OPERATION:
        operation_opens(rng, day, w, m, so, ev, i, e[E_FIGURE], int(e[E_FIGURE2]), e[E_FIGURE3],
                        note)
    elif action == X_SET:
        for r in range(int(e[E_FIRST_SET]), int(e[E_LAST_SET])):
            set_parameter(w, m, s, sets[r])
        record(ev, day, int(e[E_ACTOR]), A_SET, int(e[E_TARGET]), 0.0, K_TEXT, note)


@jitable
def set_parameter(w, m, s, change):
    """``scripted_events.set_live_parameter`` (the value already cast to the field's type)."""
    where, row, column, value = int(change[P_WHERE]), int(change[P_ROW]), int(change[P_COLUMN]), \
        change[P_VALUE]
    if where == SET_MILITIA:
        if column == FIGHTERS:
            set_fighters(m, row, int(value))
        else:
            m[row, column] = value
        if column == SUPPORT_SHARE:
            allocate(w, m, True)
    elif where == SET_SITE:
        s[row, column] = value
    else:
        w[column] = value


# ---- the run ------------------------------------------------------------------------------
@jitable
def run_days(rng, w, m, s, scripted, sets, horizon, capacity, events):
    """Step the world from day 0 to ``horizon``; returns the event table (its row 0: the
    count; complete if the count is below its length) and the standoff rows (``w``, ``m`` are
    updated in place). ``capacity``: most standoffs and raids with arrests the run can have;
    ``events``: rows of the event table."""
    n = m.shape[0]
    so = np.zeros((capacity, STANDOFF_SIZE))
    joined = np.zeros((capacity, n))
    tw = np.zeros((capacity, 2 + n))
    ev = np.empty((events, EVENT_SIZE))
    ev[0, 0] = 0.0
    ps = List.empty_list(STRIKE_ROW)
    planned = np.zeros(n, np.int64)
    e = 0
    allocate(w, m, True)
    for day in range(horizon):
        while e < scripted.shape[0] and scripted[e, E_DAY] < day:
            e += 1
        while e < scripted.shape[0] and scripted[e, E_DAY] == day:
            fire_scripted(rng, day, w, m, s, so, tw, ev, ps, scripted[e], sets)
            e += 1
        # (the Generator is passed only to steps that draw today: passing it costs time)
        patron_step(day, w, m, ev)
        hazard = government_recover(rng, w, so)
        if hazard > 0 and rng.random() < hazard:
            target = choose_target(rng, day, w, m)
            if target >= 0:
                raid(rng, day, w, m, so, tw, ev, target, -1, int(w[RAID_TARGETS]), 0, -1)
        if reactions_due(day, w, so, tw):
            public_reactions(rng, day, w, m, so, joined, tw, ev)
        for k in range(int(w[N_STANDOFFS])):
            if is_open(so, k):
                play_day(rng, day, w, m, so, ev, k)
        if np.any(m[:, TRANSFERRED]):
            release_transferred(rng, day, w, m, ev)
        for i in range(n):
            rate = attack_intensity(w, m, i)
            planned[i] = int(rng.poisson(rate)) if rate > 0 else 0
        for i in range(n):
            if planned[i]:
                launch_attacks(rng, day, w, m, s, ev, ps, i, planned[i])
        foreign_force_step(day, w, m, ev, ps)
        w[ESC] = beliefs.decay_escalation(w[ESC], w[ESC_DECAY])
    return ev[:min(int(ev[0, 0]) + 1, events)].copy(), so[:int(w[N_STANDOFFS])].copy()
