"""The fast path's state layout: one float64 vector for the world (escalation, government,
patron, foreign force) and one row per militia, site and standoff; column numbers below.

Columns named after a schema field (``government.authority``...) start at the scenario's value
and are what a scripted ``set`` changes (:data:`SETTABLE`); integer fields are stored as exact
floats and passed to the mechanisms as integers where the agents pass integers.
"""

# world vector
ESC = 0  # escalation (index 0-1)
ESC_DECAY = 1  # escalation.decay
ESC_PER_ATTACK = 2  # escalation.per_attack
ESC_PER_CASUALTY = 3  # escalation.per_casualty
ESC_PER_STRIKE = 4  # escalation.per_strike
ESC_PER_CLASH = 5  # escalation.per_clash
ESC_PER_MUSTER = 6  # escalation.per_muster
AUTHORITY = 7  # government.authority
RESOLVE = 8  # government.resolve
CAPACITY = 9  # government.enforcement_capacity
COALITION = 10  # government.coalition_support
RAID_RATE = 11  # government.raid_rate
ATTACK_RESPONSE = 12  # government.attack_response
PRESSURE_RESPONSE = 13  # government.pressure_response
RAID_TARGETS = 14  # government.raid_targets
G_PRIOR_BACKING = 15  # government.prior_backing
G_PRIOR_STRENGTH = 16  # government.prior_strength
G_PRIOR_RESISTANCE = 17  # government.prior_resistance
LEVERAGE = 18  # government.negotiation_leverage
G_RECOVERY_DAYS = 19  # government.recovery_days
SHARPNESS = 20  # government.decision_sharpness
RELENT_COST = 21  # government.relent_authority_cost
WIN_GAIN = 22  # government.win_authority_gain
THREAT_SENSITIVITY = 23  # government.threat_sensitivity
RELEASE_DELAY = 24  # government.release_delay_days
BASE_AUTHORITY = 25  # the government's baselines (its starting values)
BASE_RESOLVE = 26
BASE_COALITION = 27
GB_ALPHA = 28  # the government's belief that the US steps in (alpha, beta, mean)
GB_BETA = 29
GB_MEAN = 30
GR_ALPHA = 31  # the government's belief that a raided militia resists
GR_BETA = 32
GR_MEAN = 33
ATTACKS_PER_MONTH = 34  # attacks on foreign sites the government remembers
INSTIGATION = 35  # patron.instigation (current)
RESOURCES = 36  # patron.resources
STABILITY = 37  # patron.stability_priority
ESC_THRESHOLD = 38  # patron.escalation_threshold
STRIKE_BACKLASH = 39  # patron.strike_backlash
ADJUSTMENT = 40  # patron.adjustment_rate
RAID_BACKLASH = 41  # patron.raid_backlash
STRIKE_RISK = 42  # patron.strike_risk
STRIKE_MEMORY = 43  # patron.strike_memory_days
RESPONSIVENESS = 44  # patron.support_responsiveness
BASE_INSTIGATION = 45  # the level instigation drifts toward (a set of patron.instigation, a truce)
BACKLASH = 46  # the patron's backlash stock
RECENT_STRIKES = 47  # strikes the patron remembers
TOP_SHARE = 48  # the largest support share today
REALLOCATED = 49  # 1 if yesterday's shares were re-allocated
PRESENCE = 50  # foreign_forces.presence
BACKING = 51  # foreign_forces.backing
STANDOFF_SHARE = 52  # foreign_forces.standoff_share
GROUND = 53  # foreign_forces.ground_multiplier
AIR = 54  # foreign_forces.air_support
BACKING_SENSITIVITY = 55  # foreign_forces.backing_sensitivity
F_PRIOR_PARTNER = 56  # foreign_forces.prior_partner_resolve
F_PRIOR_STRENGTH = 57  # foreign_forces.prior_strength
RESPONSE_DELAY = 58  # foreign_forces.response_delay_days
RET_THRESHOLD = 59  # foreign_forces.retaliation_threshold
RET_PROBABILITY = 60  # foreign_forces.retaliation_probability
RET_RESTRAINT = 61  # foreign_forces.retaliation_restraint
RET_DELAY = 62  # foreign_forces.retaliation_delay_days
STRIKE_LETHALITY = 63  # foreign_forces.strike_lethality
STRIKE_COHESION = 64  # foreign_forces.strike_cohesion_damage
STRIKE_DISRUPTION = 65  # foreign_forces.strike_disruption
STRIKE_EXPULSION = 66  # foreign_forces.strike_expulsion_pressure
TOLERANCE = 67  # foreign_forces.casualty_tolerance
DRAWDOWN_SHARE = 68  # foreign_forces.drawdown_share
COOLDOWN = 69  # foreign_forces.drawdown_cooldown_days
FLOOR = 70  # foreign_forces.withdrawal_floor
EXPULSION = 71  # foreign_forces.expulsion_pressure
CASUALTIES = 72  # US casualties so far
REMEMBERED = 73  # remembered US casualties (fading)
FP_ALPHA = 74  # the US's belief that the government holds firm
FP_BETA = 75
FP_MEAN = 76
LAST_DRAWDOWN = 77  # day of the last drawdown (-1: none yet)
WITHDRAWAL_DAY = 78  # day US forces left (-1: not yet)
N_STANDOFFS = 79  # standoffs opened so far
N_WINDOWS = 80  # threat windows opened so far (one per raid with arrests)
ORDER = 81  # insertion counter of the government's transferred detainees (dict order)
COMMITTED_SHARE = 82  # government.committed_share
FORCE_COHESION = 83  # government.force_cohesion
DESERTION_RATE = 84  # government.desertion_rate
G_LETHALITY = 85  # government.combat_lethality
BROKER_THRESHOLD = 86  # patron.broker_threshold
PARLIAMENT = 87  # government.parliament_seats
STEP_IN_COALITION = 88  # government.step_in_coalition_cost
STEP_IN_BACKLASH = 89  # patron.step_in_backlash
STEP_IN_EXPULSION = 90  # foreign_forces.step_in_expulsion_pressure
VOTE_THRESHOLD = 91  # foreign_forces.expulsion_vote_threshold
VOTE_FLOOR = 92  # foreign_forces.expulsion_vote_floor
ESC_PER_STEP_IN = 93  # escalation.per_step_in
VOTED = 94  # 1 once parliament has voted to expel the foreign force
FLOOR_REVIEW = 95  # 1 while the force is under review at its floor
G_LIAISON_RATE = 96  # government.liaison_rate
G_BELIEF_MEMORY = 97  # government.belief_memory_days
GB_ALPHA0 = 98  # the priors the government's beliefs forget toward (alpha, beta)
GB_BETA0 = 99
GR_ALPHA0 = 100
GR_BETA0 = 101
F_BELIEF_MEMORY = 102  # foreign_forces.belief_memory_days
FP_ALPHA0 = 103  # the prior of the US's belief that its partner holds
FP_BETA0 = 104
REDEPLOY_CALM = 105  # foreign_forces.redeploy_calm_share
REDEPLOY_AFTER = 106  # foreign_forces.redeploy_after_days
REDEPLOY_SHARE = 107  # foreign_forces.redeploy_share
AUTHORISED = 108  # the troop level the force returns toward (its starting presence)
CALM_DAYS = 109  # calm days in a row below the authorised level
US_THREAT = 110  # patron.us_threat (fading)
TRUCE_INSTIGATION = 111  # patron.truce_instigation
TRUCE_DAYS = 112  # patron.truce_days
TRUCE_UNTIL = 113  # last day of a truce the patron ordered (-1: none)
WIN_CAMPAIGN = 114  # patron.win_campaign
CAMPAIGN_DAYS = 115  # patron.campaign_days
CAMPAIGN_BUILD = 116  # patron.campaign_build_days
CAMPAIGN_PLAN = 117  # the patron's planned campaign (fading)
CAMPAIGN = 118  # the support delivered (following the plan)
EXPOSURE_HALF = 119  # foreign_forces.exposure_half
COMMAND_REACH = 120  # government.command_reach
RELEASE_SPREAD = 121  # government.release_delay_spread
TALKS_DAYS = 122  # patron.talks_days
WORLD_SIZE = 123

# militia rows
FIGHTERS = 0  # militias[].fighters (the starting strength)
LOCAL_FIGHTERS = 1  # militias[].local_fighters
SUPPORT_SHARE = 2  # militias[].patron_support_share
M_AUTONOMY = 3  # militias[].autonomy (current)
M_COHESION = 4  # militias[].cohesion (current)
SEATS = 5  # militias[].seats
M_ATTACK_RATE = 6  # militias[].attack_rate
MOBILISATION = 7  # militias[].mobilisation
THREAT_PROPENSITY = 8  # militias[].threat_propensity
THREAT_WINDOW = 9  # militias[].threat_window_days
SOLIDARITY = 10  # militias[].solidarity
CLASH_PROPENSITY = 11  # militias[].clash_propensity
HOSTILITY = 12  # militias[].hostility
EMBOLDENING = 13  # militias[].emboldening
MORALE_MEMORY = 14  # militias[].morale_memory_days
RET_AVERSION = 15  # militias[].retaliation_aversion
M_PRIOR_RETALIATION = 16  # militias[].prior_retaliation
M_PRIOR_BACKING = 17  # militias[].prior_backing
M_PRIOR_RESOLVE = 18  # militias[].prior_government_resolve
M_PRIOR_STRENGTH = 19  # militias[].prior_strength
ATTACK_CELLS = 20  # militias[].attack_cells
DISRUPTION_RECOVERY = 21  # militias[].disruption_recovery_days
M_RECOVERY_DAYS = 22  # militias[].recovery_days
LOSSES = 23  # fighters lost, recovering
BASE_COHESION = 24  # baselines
BASE_AUTONOMY = 25
DETAINED = 26  # members detained
MORALE = 27  # morale (-1..1)
DISRUPTION = 28  # disruption of its attack cells (0-1)
MB_ALPHA = 29  # its belief that the US steps in
MB_BETA = 30
MB_MEAN = 31
MR_ALPHA = 32  # its belief that the government holds (wins)
MR_BETA = 33
MR_MEAN = 34
MT_ALPHA = 35  # its belief that a deadly attack brings US strikes
MT_BETA = 36
MT_MEAN = 37
SHARE = 38  # today's support share
SEEN = 39  # attacks by it the government remembers (as of SEEN_DAY)
SEEN_DAY = 40
CUSTODY = 41  # its members in government custody
TRANSFERRED = 42  # its members transferred to a unit it controls, not yet free
TRANSFER_ORDER = 43  # when its TRANSFERRED entry was opened (release order)
M_LETHALITY = 44  # militias[].combat_lethality
M_BELIEF_MEMORY = 45  # militias[].belief_memory_days
MB_ALPHA0 = 46  # the priors its beliefs forget toward (alpha, beta)
MB_BETA0 = 47
MR_ALPHA0 = 48
MR_BETA0 = 49
MT_ALPHA0 = 50
MT_BETA0 = 51
DEFENCE_AVOIDANCE = 52  # militias[].defence_avoidance
STAKE_SENSITIVITY = 53  # militias[].stake_sensitivity
STAKE_REFERENCE = 54  # militias[].stake_reference
RELEASE_DAY = 55  # the day its open case's detainees go free (-1: none drawn)
COMMANDER_STAKE = 56  # militias[].commander_stake
COMMANDERS_DETAINED = 57  # senior commanders among its members detained
CUSTODY_COMMANDERS = 58  # senior commanders among its members in government custody
TRANSFERRED_COMMANDERS = 59  # senior commanders among its transferred members, not yet free
HOLD_GROUND = 60  # militias[].hold_ground
LOSS_SENSITIVITY = 61  # militias[].loss_sensitivity
PATRON_DEPENDENCE = 62  # militias[].patron_dependence
MILITIA_SIZE = 63

# site rows
TARGET_WEIGHT = 0  # foreign_forces.sites[].target_weight
INTERCEPTION = 1  # foreign_forces.sites[].interception
LETHALITY = 2  # foreign_forces.sites[].lethality
SITE_SIZE = 3

# standoff rows
S_MILITIA = 0  # index of the militia
S_OPENED = 1  # day it opened
S_DETAINEES = 2  # detainees at stake
S_MUSTER = 3  # fighters mustered
S_WILL = 4  # 1 if the US will step in (hidden)
S_STEP_IN_DAY = 5  # the day it would
S_ALLIED = 6  # allied fighters who joined
S_PRESSURE = 7  # public threats' pressure
S_STEPPED_IN = 8  # 1 once the US stepped in
S_OUTCOME = 9  # -1 open, else an index of OUTCOME_NAMES
S_OPERATION = 10  # 1 for a scripted operation (no detainees at stake)
S_FIGHTING = 11  # 1 while a fight is on (mechanisms/operation.py)
S_TROOPS = 12  # government troops still in the fight
S_TROOPS_START = 13
S_GOV_KILLED = 14
S_MIL_START = 15  # the militia's fighters when the fight began
S_MIL_KILLED = 16
S_END_DAY = 17  # the fight's last day
S_CEASEFIRE_DAY = 18  # the day a brokered ceasefire takes hold (0: no talks open)
S_BROKER = 19  # who opened the talks: a string number (the patron's, or a mediation's actor)
S_SANCTUARY = 20  # an operation's share of the militia in ground not stormed (0-1)
STANDOFF_SIZE = 21

OUTCOME_NAMES = ("held_firm", "relented", "clash_won", "clash_lost")
"""Standoff outcomes, as :class:`leverage_sim.simulation.mechanisms.standoff.Standoff` names them."""


SETTABLE = {
    "government": {"authority": AUTHORITY, "resolve": RESOLVE, "enforcement_capacity": CAPACITY, "coalition_support": COALITION, "raid_rate": RAID_RATE, "attack_response": ATTACK_RESPONSE, "pressure_response": PRESSURE_RESPONSE, "raid_targets": RAID_TARGETS, "prior_backing": G_PRIOR_BACKING, "prior_strength": G_PRIOR_STRENGTH, "prior_resistance": G_PRIOR_RESISTANCE, "negotiation_leverage": LEVERAGE, "recovery_days": G_RECOVERY_DAYS, "decision_sharpness": SHARPNESS, "relent_authority_cost": RELENT_COST, "win_authority_gain": WIN_GAIN, "threat_sensitivity": THREAT_SENSITIVITY, "committed_share": COMMITTED_SHARE, "force_cohesion": FORCE_COHESION, "desertion_rate": DESERTION_RATE, "combat_lethality": G_LETHALITY, "parliament_seats": PARLIAMENT, "step_in_coalition_cost": STEP_IN_COALITION, "liaison_rate": G_LIAISON_RATE, "belief_memory_days": G_BELIEF_MEMORY, "command_reach": COMMAND_REACH, "release_delay_days": RELEASE_DELAY, "release_delay_spread": RELEASE_SPREAD},
    "patron": {"instigation": INSTIGATION, "resources": RESOURCES, "stability_priority": STABILITY, "escalation_threshold": ESC_THRESHOLD, "strike_backlash": STRIKE_BACKLASH, "adjustment_rate": ADJUSTMENT, "raid_backlash": RAID_BACKLASH, "strike_risk": STRIKE_RISK, "strike_memory_days": STRIKE_MEMORY, "support_responsiveness": RESPONSIVENESS, "broker_threshold": BROKER_THRESHOLD, "step_in_backlash": STEP_IN_BACKLASH, "us_threat": US_THREAT, "truce_instigation": TRUCE_INSTIGATION, "truce_days": TRUCE_DAYS, "win_campaign": WIN_CAMPAIGN, "campaign_days": CAMPAIGN_DAYS, "campaign_build_days": CAMPAIGN_BUILD, "talks_days": TALKS_DAYS},
    "foreign_forces": {"presence": PRESENCE, "backing": BACKING, "standoff_share": STANDOFF_SHARE, "ground_multiplier": GROUND, "air_support": AIR, "backing_sensitivity": BACKING_SENSITIVITY, "prior_partner_resolve": F_PRIOR_PARTNER, "prior_strength": F_PRIOR_STRENGTH, "response_delay_days": RESPONSE_DELAY, "retaliation_threshold": RET_THRESHOLD, "retaliation_probability": RET_PROBABILITY, "retaliation_restraint": RET_RESTRAINT, "retaliation_delay_days": RET_DELAY, "strike_lethality": STRIKE_LETHALITY, "strike_cohesion_damage": STRIKE_COHESION, "strike_disruption": STRIKE_DISRUPTION, "strike_expulsion_pressure": STRIKE_EXPULSION, "casualty_tolerance": TOLERANCE, "drawdown_share": DRAWDOWN_SHARE, "drawdown_cooldown_days": COOLDOWN, "withdrawal_floor": FLOOR, "expulsion_pressure": EXPULSION, "step_in_expulsion_pressure": STEP_IN_EXPULSION, "expulsion_vote_threshold": VOTE_THRESHOLD, "expulsion_vote_floor": VOTE_FLOOR, "belief_memory_days": F_BELIEF_MEMORY, "redeploy_calm_share": REDEPLOY_CALM, "redeploy_after_days": REDEPLOY_AFTER, "redeploy_share": REDEPLOY_SHARE, "exposure_half": EXPOSURE_HALF},
    "militias": {"fighters": FIGHTERS, "local_fighters": LOCAL_FIGHTERS, "patron_support_share": SUPPORT_SHARE, "autonomy": M_AUTONOMY, "cohesion": M_COHESION, "seats": SEATS, "attack_rate": M_ATTACK_RATE, "mobilisation": MOBILISATION, "threat_propensity": THREAT_PROPENSITY, "threat_window_days": THREAT_WINDOW, "solidarity": SOLIDARITY, "clash_propensity": CLASH_PROPENSITY, "hostility": HOSTILITY, "emboldening": EMBOLDENING, "morale_memory_days": MORALE_MEMORY, "retaliation_aversion": RET_AVERSION, "prior_retaliation": M_PRIOR_RETALIATION, "prior_backing": M_PRIOR_BACKING, "prior_government_resolve": M_PRIOR_RESOLVE, "prior_strength": M_PRIOR_STRENGTH, "attack_cells": ATTACK_CELLS, "disruption_recovery_days": DISRUPTION_RECOVERY, "recovery_days": M_RECOVERY_DAYS, "combat_lethality": M_LETHALITY, "belief_memory_days": M_BELIEF_MEMORY, "defence_avoidance": DEFENCE_AVOIDANCE, "stake_sensitivity": STAKE_SENSITIVITY, "stake_reference": STAKE_REFERENCE, "commander_stake": COMMANDER_STAKE, "hold_ground": HOLD_GROUND, "loss_sensitivity": LOSS_SENSITIVITY, "patron_dependence": PATRON_DEPENDENCE},
    "sites": {"target_weight": TARGET_WEIGHT, "interception": INTERCEPTION, "lethality": LETHALITY},
}
"""Columns of the schema fields, by section (``militias``, ``sites``: per row): what a
scripted ``set`` writes (``patron.instigation`` sets :data:`BASE_INSTIGATION`)."""

# ---- the event log's codes -------------------------------------------------------------------
ACTIONS = ("raid", "comply", "muster", "standoff", "public_threat", "release", "backing",
           "hold_firm", "relent", "clash", "attack", "interception", "strike", "drawdown",
           "withdrawal", "deploy_defence", "truce", "set", "operation", "fighting", "defection",
           "ceasefire", "expulsion_vote", "redeploy", "skipped", "talks", "killed_by_air")
"""Action names; an event row holds the position."""
(A_RAID, A_COMPLY, A_MUSTER, A_STANDOFF, A_PUBLIC_THREAT, A_RELEASE, A_BACKING, A_HOLD_FIRM,
 A_RELENT, A_CLASH, A_ATTACK, A_INTERCEPTION, A_STRIKE, A_DRAWDOWN, A_WITHDRAWAL,
 A_DEPLOY_DEFENCE, A_TRUCE, A_SET, A_OPERATION, A_FIGHTING, A_DEFECTION,
 A_CEASEFIRE, A_EXPULSION_VOTE, A_REDEPLOY, A_SKIPPED, A_TALKS, A_KILLED_BY_AIR) = range(len(ACTIONS))

FIXED_STRINGS = ("government", "foreign_forces", "patron")
"""The first entries of a run's string table (actor and target names, notes, fixed texts); then
:data:`leverage_sim.simulation.event_text` constants (``TEXT_*`` below), the militias, the sites and the
scenario's notes and names. -1 stands for no target (None)."""
(STR_GOVERNMENT, STR_FOREIGN_FORCES, STR_PATRON, STR_NO_RESISTANCE, STR_US_BACKS,
 STR_RETALIATION) = range(6)
STR_FIRST_MILITIA = 6
"""String number of militia 0 (militia i: ``STR_FIRST_MILITIA + i``; sites follow)."""

# detail kinds: positions in leverage_sim.simulation.event_text.KINDS (checked by tests/test_fast_path.py)
(K_TEXT, K_MEMBERS_ARRESTED, K_MUSTERED, K_STANDOFF_OPENED, K_PUBLIC_THREAT, K_JOINS_MUSTER,
 K_RELEASED, K_TRANSFERRED, K_HOLDS_FOR_NOW, K_CLASH, K_WON_DISPERSES, K_WON_AFTER_CLASH,
 K_AFTER_CLASH, K_ATTACK, K_ATTACK_BY, K_STRIKE, K_POLITICAL_COST, K_DRAWDOWN,
 K_COST_DRAWDOWN, K_INTERCEPTION_NOW, K_CLASH_BEGINS, K_OPERATION_OPENED, K_FIGHTING,
 K_DESERTED, K_CEASEFIRE, K_WON_WITHDRAWS, K_WON_CEASEFIRE, K_WON_FIGHT_OVER, K_FIGHT_OVER,
 K_HALTS, K_EXPULSION_VOTE, K_TRUCE_ORDERED, K_REDEPLOY, K_ALL_TROOPS_LOST,
 K_NOT_POSSIBLE, K_TALKS, K_CONCEDES, K_NOTHING_TO_BACK, K_STANDS_DOWN,
 K_WON_STANDS_DOWN, K_KILLED_BY_AIR, K_MEDIATION_TALKS, K_NOTHING_TO_MEDIATE) = range(43)
KIND_NAMES = ("text", "members_arrested", "mustered", "standoff_opened", "public_threat",
              "joins_muster", "released", "transferred", "holds_for_now", "clash", "won_disperses",
              "won_after_clash", "after_clash", "attack", "attack_by", "strike", "political_cost",
              "drawdown", "cost_drawdown", "interception_now", "clash_begins", "operation_opened",
              "fighting", "deserted", "ceasefire", "won_withdraws", "won_ceasefire",
              "won_fight_over", "fight_over", "halts", "expulsion_vote", "truce_ordered",
              "redeploy", "all_troops_lost", "not_possible", "talks", "concedes",
              "nothing_to_back", "stands_down", "won_stands_down", "killed_by_air",
              "mediation_talks", "nothing_to_mediate")
"""The function names in :data:`leverage_sim.simulation.event_text.KINDS`, in the order of ``K_*``."""

# scripted events: one row each (day, action, figures, strings)
SCRIPTED = ("raid", "strike", "backing", "attack", "deploy_defence", "truce", "drawdown",
            "withdrawal", "set", "operation", "mediation")
(X_RAID, X_STRIKE, X_BACKING, X_ATTACK, X_DEPLOY_DEFENCE, X_TRUCE, X_DRAWDOWN, X_WITHDRAWAL,
 X_SET, X_OPERATION, X_MEDIATION) = range(len(SCRIPTED))
(E_DAY, E_ACTION, E_MILITIA, E_SITE, E_FIGURE, E_FIGURE2, E_NOTE, E_ACTOR, E_TARGET,
 E_FIRST_SET, E_LAST_SET, E_NAME, E_FIGURE3) = range(13)
EVENT_SIZE = 13
"""Scripted-event columns: day, action (``X_*``), militia and site rows (-1: none), figures
(raid: arrests or -1, targets or 0; deploy_defence: interception; truce: instigation;
drawdown: troops; operation: troops, days, sanctuary; mediation: days), note (string number, -1: none), actor and target
strings, and the rows of its parameter changes (``set``) in the set table [first, last), the
action's name (string number), and a third figure (raid: commanders among the arrests)."""
SET_WORLD, SET_MILITIA, SET_SITE = range(3)
(P_WHERE, P_ROW, P_COLUMN, P_VALUE) = range(4)
SET_SIZE = 4
"""Parameter-change columns: which table (``SET_*``), row, column, new value."""
