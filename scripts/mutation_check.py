"""Mutation check: does the model test suite catch realistic model bugs?

Applies, one at a time, a list of hand-made bugs (:data:`MUTATIONS`) to a temporary copy of the
project (never the working tree), runs the model tests on the copy, and prints for each bug
whether the tests killed it (a test failed: which one) or it survived.

Each mutation is a list of edits ``(file, exact old text, new text)``. A bug in the model is
made in both paths: the agent path's edit and its mirror in the fast path (``fastpath/day.py``),
or one edit to a shared ``@jitable`` mechanism, which both paths call. A bug in the calibration
statistics (``src/leverage_sim/calibration/statistics.py``, from the eighth audit on) is one
edit there; ``tests/test_calibration_statistics.py`` is among the model tests for it. A
mutation whose old text is not found exactly once in the current code is reported ``not
applicable`` (the model changed under it), never applied in part.

Two test sets are run (report both):

- the model tests (:data:`MODEL_TESTS`): what the mutation score counts; they exclude
  ``tests/test_fast_path.py``, whose equality tests would kill any bug made in one path only
  (and cannot see a bug in a shared mechanism, which changes both paths alike);
- with ``--equality``, also ``tests/test_fast_path.py``'s equality tests under stress: for a
  bug mirrored in both paths they should pass (the mirror is right); they fail for a one-path
  bug.

Usage (from the repository root; slow: about 1-3 minutes per mutation, plus a compile of the
fast path, ~30 s, for each mutation that touches compiled code)::

    LEVERAGE_SIM_ALLOW_STALE=1 python scripts/mutation_check.py [--only NAME ...] [--full]
        [--equality] [--keep] [--list]

``--full`` runs every model test (not stopping at the first failure) and lists all that fail,
e.g. to see at how many seeds a statistical test kills a bug. Not run in CI;
``tests/test_mutation_check.py`` checks that this module imports and that every mutation
applies to the current code or is reported not applicable.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = "src/leverage_sim/simulation/"
SCHEMA = "src/leverage_sim/scenario/schema.py"
DAY = PKG + "fastpath/day.py"
STATS = "src/leverage_sim/calibration/statistics.py"

MODEL_TESTS = (  # agent-path and fast tests first: with -x the first failure ends the run,
    # often before the fast path is compiled for the mutated code (~30 s)
    "tests/test_mechanisms.py", "tests/test_wiring.py", "tests/test_wiring_second_audit.py",
    "tests/test_wiring_third_audit.py", "tests/test_wiring_fourth_audit.py",
    "tests/test_wiring_fifth_audit.py", "tests/test_wiring_sixth_audit.py",
    "tests/test_wiring_seventh_audit.py", "tests/test_wiring_eighth_audit.py",
    "tests/test_wiring_ninth_audit.py", "tests/test_wiring_tenth_audit.py",
    "tests/test_wiring_eleventh_audit.py", "tests/test_wiring_twelfth_audit.py",
    "tests/test_wiring_thirteenth_audit.py", "tests/test_wiring_fourteenth_audit.py",
    "tests/test_wiring_fifteenth_audit.py", "tests/test_wiring_sixteenth_audit.py",
    "tests/test_wiring_seventeenth_audit.py", "tests/test_wiring_eighteenth_audit.py",
    "tests/test_wiring_nineteenth_audit.py", "tests/test_wiring_twentieth_audit.py",
    "tests/test_wiring_twentyfirst_audit.py", "tests/test_wiring_twentysecond_audit.py",
    "tests/test_wiring_twentythird_audit.py", "tests/test_wiring_twentyfourth_audit.py",
    "tests/test_wiring_twentyfifth_audit.py", "tests/test_wiring_twentysixth_audit.py",
    "tests/test_fight_engagement.py", "tests/test_air_attribution.py",
    "tests/test_militia_loss_sensitivity.py",
    "tests/test_calibration_statistics.py",  # the episode statistics (eighth audit on): seconds
    "tests/test_model_timing.py", "tests/test_long_run.py",
    "tests/test_clash_path.py", "tests/test_statics_seeds.py", "tests/test_comparative_statics.py",
    "tests/test_invariants.py", "tests/test_mesa_model.py", "tests/test_replay_validation.py",
    "tests/test_operations.py", "tests/test_mediation.py", "tests/test_sanctuary.py",
    "tests/test_patron_dependence.py", "tests/test_wiring_twentyseventh_audit.py",
)
EQUALITY_TESTS = ("tests/test_fast_path.py::test_identical_under_stress",)
COMPILED = (PKG + "mechanisms/", DAY, PKG + "fastpath/layout.py",
            PKG + "agents/government.py", SCHEMA)
"""Files the compiled fast path is built from (leverage_sim.simulation.fastpath.cache.SOURCES): a mutation
of one of them gets its own numba cache folder (a recompile)."""


@dataclass(frozen=True)
class Mutation:
    name: str
    bug: str
    edits: tuple[tuple[str, str, str], ...]

    @property
    def shared(self) -> bool:
        """Only shared @jitable mechanisms edited (both paths change together)."""
        return all(f.startswith(PKG + "mechanisms/") for f, _, _ in self.edits)

    @property
    def kind(self) -> str:
        """"shared" (a shared mechanism), "statistic" (the calibration statistics only) or
        "paired" (the agent path's edit and its fast-path mirror)."""
        if self.shared:
            return "shared"
        return "statistic" if all(f == STATS for f, _, _ in self.edits) else "paired"

    @property
    def compiled(self) -> bool:
        return any(f.startswith(COMPILED) for f, _, _ in self.edits)


def M(name: str, bug: str, *edits: tuple[str, str, str]) -> Mutation:
    return Mutation(name, bug, tuple(edits))


A = PKG + "agents/"
MECH = PKG + "mechanisms/"
MUTATIONS: tuple[Mutation, ...] = (
    # --- wrong actor updated ---------------------------------------------------------------------
    M("autonomy_wrong_actor", "after a standoff the central militia gets the others' autonomy "
      "shift and the others get the central one's",
      (PKG + "model.py", "m.shift_autonomy(autonomy_target if central else autonomy_others)",
       "m.shift_autonomy(autonomy_others if central else autonomy_target)"),
      (DAY, "m[i, M_AUTONOMY] + (autonomy_target if i == central else autonomy_others))",
       "m[i, M_AUTONOMY] + (autonomy_others if i == central else autonomy_target))")),
    M("morale_wrong_actor", "after a standoff the morale shifts of the central militia and of "
      "the others are swapped",
      (PKG + "model.py", "m.shift_morale(morale_target if central else morale_others)",
       "m.shift_morale(morale_others if central else morale_target)"),
      (DAY, "m[i, MORALE] + (morale_target if i == central else morale_others), -1.0, 1.0)",
       "m[i, MORALE] + (morale_others if i == central else morale_target), -1.0, 1.0)")),
    M("backing_seen_by_government_only", "militias never learn whether US forces step in "
      "(only the government's belief is updated)",
      (PKG + "model.py", "            m.backing_belief.observe(stepped_in, weight)",
       "            pass"),
      (DAY, "        observe(m, i, MB_ALPHA, stepped_in, weight)", "        pass")),
    # --- a belief never updated --------------------------------------------------------------------
    M("resolve_belief_never_updated", "militias' belief in the government's resolve never "
      "learns from standoff outcomes",
      (PKG + "model.py", "            m.resolve_belief.observe(government_won)",
       "            pass"),
      (DAY, "        observe(m, i, MR_ALPHA, government_won)", "        pass")),
    M("retaliation_belief_never_updated", "militias never learn whether deadly attacks bring "
      "US strikes",
      (PKG + "model.py", "            m.retaliation_belief.observe(strikes)", "            pass"),
      (DAY, "            observe(m, j, MT_ALPHA, strikes)", "            pass")),
    M("us_learns_the_opposite", "the US's trust in its partner rises when the government loses",
      (A + "foreign_force.py", "self.partner_belief.observe(government_won)",
       "self.partner_belief.observe(not government_won)"),
      (DAY, "observe_world(w, FP_ALPHA, government_won)",
       "observe_world(w, FP_ALPHA, not government_won)")),
    M("silent_days_raise_belief", "a silent standoff day counts as evidence that the US steps in",
      (PKG + "standoffs.py", "model.observe_backing(False, silent_day=True)",
       "model.observe_backing(True, silent_day=True)"),
      (DAY, "observe_backing(w, m, False, True)", "observe_backing(w, m, True, True)")),
    M("drawdown_not_seen", "a drawdown does not lower anyone's belief in US backing",
      (A + "foreign_force.py", "        self.model.observe_backing(False, silent_day=False)\n",
       ""),
      (DAY, "    observe_backing(w, m, False, False)\n", "")),
    # --- bookkeeping -----------------------------------------------------------------------------
    M("won_clash_booked_as_relent", "a clash the government wins is closed as a relent",
      (PKG + "standoffs.py", 'won = outcome in ("held_firm", "clash_won")',
       'won = outcome == "held_firm"'),
      (DAY, "won = outcome == HELD_FIRM or outcome == CLASH_WON", "won = outcome == HELD_FIRM")),
    M("clash_winner_inverted", "a fight that runs to its last day is won by the weaker side",
      (PKG + "standoffs.py", "won = actual > 0.5", "won = actual <= 0.5"),
      (DAY, "        if actual > 0.5:", "        if actual <= 0.5:")),
    M("lost_clash_costs_like_a_relent", "a lost clash costs the government no more standing "
      "than a plain relent",
      (PKG + "standoffs.py", '(1.5 if outcome == "clash_lost" else 1.0)',
       '(1.0 if outcome == "clash_lost" else 1.0)'),
      (DAY, "(1.5 if outcome == CLASH_LOST else 1.0)", "(1.0 if outcome == CLASH_LOST else 1.0)")),
    M("relent_hands_back_nobody", "relenting keeps every detainee in custody",
      (PKG + "standoffs.py", "gov.transfer(s.militia, keep=kept)",
       "gov.transfer(s.militia, keep=10**9)"),
      (DAY, "else transfer(w, m, i, kept)", "else transfer(w, m, i, 10**9)")),
    M("release_disrupts_instead_of_restoring", "released detainees disrupt their cells further "
      "instead of restoring them",
      (PKG + "model.py", "m.disrupt(-attacks.disruption_from_arrests(n, m.attack_cells))",
       "m.disrupt(attacks.disruption_from_arrests(n, m.attack_cells))"),
      (DAY, "disrupt(m, i, -attacks.disruption_from_arrests(freed,",
       "disrupt(m, i, attacks.disruption_from_arrests(freed,")),
    M("raids_while_a_standoff_is_open", "the government raids again while a standoff is open",
      (A + "government.py", "if self.raid_rate <= 0 or self.model.open_standoffs():",
       "if self.raid_rate <= 0:"),
      (DAY, "if w[RAID_RATE] <= 0 or n_open(w, so) > 0:", "if w[RAID_RATE] <= 0:")),
    # --- long runs: memory and recovery -------------------------------------------------------------
    M("drawdown_on_cumulative_casualties", "the US weighs all casualties ever, not the fading "
      "remembered ones, when deciding to draw down",
      (A + "foreign_force.py",
       ("cost = withdrawal.political_cost(self.remembered_casualties, self.expulsion_pressure)\n"
       "        leaving,"),
       ("cost = withdrawal.political_cost(self.casualties, self.expulsion_pressure)\n"
       "        leaving,")),
      (DAY, "cost = withdrawal.political_cost(w[REMEMBERED], w[EXPULSION])\n    leaving,",
       "cost = withdrawal.political_cost(w[CASUALTIES], w[EXPULSION])\n    leaving,")),
    M("casualties_not_remembered", "US casualties never enter the remembered losses",
      (A + "foreign_force.py", "        self.remembered_casualties += casualties\n", ""),
      (DAY, "    w[REMEMBERED] += casualties\n", "")),
    M("coalition_never_recovers", "coalition support never recovers toward its baseline",
      (A + "government.py",
       "self.coalition_support = relax(self.coalition_support, base[\"coalition_support\"],",
       "self.coalition_support = (lambda v, *_: v)(self.coalition_support, 0,"),
      (DAY, "w[COALITION] = beliefs.relax(w[COALITION], w[BASE_COALITION], tau)",
       "w[COALITION] = w[COALITION]")),
    M("authority_never_recovers", "authority never recovers toward its baseline",
      (A + "government.py",
       'self.authority = relax(self.authority, base["authority"], tau)',
       "self.authority = self.authority"),
      (DAY, "w[AUTHORITY] = beliefs.relax(w[AUTHORITY], w[BASE_AUTHORITY], tau)",
       "w[AUTHORITY] = w[AUTHORITY]")),
    M("morale_never_fades", "militias' morale (emboldened or deterred) never fades",
      (A + "militia.py", "self.morale = fade(self.morale, self.morale_memory_days)",
       "self.morale = self.morale"),
      (DAY, "m[i, MORALE] = beliefs.fade(m[i, MORALE], m[i, MORALE_MEMORY])",
       "m[i, MORALE] = m[i, MORALE]")),
    M("losses_never_replaced", "fighters lost are never replaced",
      (A + "militia.py", "self.losses = fade(self.losses, self.recovery_days)",
       "self.losses = self.losses"),
      (DAY, "m[i, LOSSES] = beliefs.fade(m[i, LOSSES], tau)", "m[i, LOSSES] = m[i, LOSSES]")),
    M("escalation_never_decays", "the escalation index never decays",
      (MECH + "beliefs.py", "return level * (1.0 - decay)", "return level")),
    # --- the patron -----------------------------------------------------------------------------
    M("strikes_bring_no_backlash", "a US strike on a client brings the patron no backlash",
      (A + "patron.py", "self.backlash += self.strike_backlash", "self.backlash += 0.0"),
      (DAY, "w[BACKLASH] += w[STRIKE_BACKLASH]", "w[BACKLASH] += 0.0")),
    M("raids_bring_no_backlash", "a raid on a client brings the patron no backlash",
      (A + "patron.py", "self.backlash += self.raid_backlash", "self.backlash += 0.0"),
      (DAY, "ATTACK_CELLS])))\n    w[BACKLASH] += w[RAID_BACKLASH]",
       "ATTACK_CELLS])))\n    w[BACKLASH] += 0.0"),
      (DAY, "fighting, days)\n    w[BACKLASH] += w[RAID_BACKLASH]",
       "fighting, days)\n    w[BACKLASH] += 0.0")),
    M("restraint_sign_flipped", "restraint raises instigation instead of lowering it",
      (MECH + "patronage.py", "(1.0 - weight) * backlash - restraint))",
       "(1.0 - weight) * backlash + restraint))")),
    M("support_away_from_pressed_clients", "the patron moves support away from clients under "
      "pressure",
      (MECH + "patronage.py", "(1.0 + responsiveness * pressures[i])",
       "(1.0 - responsiveness * pressures[i])")),
    # --- sign flips and dropped terms in mechanisms ----------------------------------------------
    M("hold_pressure_sign", "public threats make the government likelier to hold firm",
      (MECH + "standoff.py", "win_chance - (1 - resolve) - pressure +",
       "win_chance - (1 - resolve) + pressure +")),
    M("hold_ignores_win_chance", "the government's hold decision ignores its win chance",
      (MECH + "standoff.py", "margin = win_chance - (1 - resolve)",
       "margin = 0.5 - (1 - resolve)")),
    M("disperse_push_sign", "a pushed militia disperses more easily",
      (MECH + "standoff.py", "win_chance - 0.5 - (push - 0.5) / 2",
       "win_chance - 0.5 + (push - 0.5) / 2")),
    M("morale_sign_in_attacks", "emboldened militias attack less, deterred ones more",
      (MECH + "attacks.py", "max(0.0, 1.0 + emboldening * morale)",
       "max(0.0, 1.0 - emboldening * morale)")),
    M("disruption_term_dropped", "disrupted cells attack as much as intact ones",
      (MECH + "attacks.py", "readiness * game * (1.0 - disruption)", "readiness * game")),
    M("retaliation_aversion_dropped", "the expected retaliation no longer deters attacks",
      (MECH + "attacks.py", "* (1.0 - retaliation_aversion\n",
       "* (1.0 - 0.0 * retaliation_aversion\n")),
    M("interception_inverted", "interception stops the attacks it should let through",
      (MECH + "attacks.py", "if rng.random() < interception:", "if rng.random() >= interception:")),
    M("arrest_chance_inverted", "arrests succeed in proportion to the defenders",
      (MECH + "enforcement.py", "return capacity / total if total > 0 else 0.0",
       "return defenders / total if total > 0 else 0.0")),
    M("raid_hazard_ignores_backing", "the raid hazard ignores the expected US backing",
      (MECH + "enforcement.py", "(1.0 - expected_resistance * (1.0 - expected_backing))",
       "(1.0 - expected_resistance)")),
    M("muster_backing_sign", "expected US backing makes a raided militia likelier to muster",
      (MECH + "intimidation.py", "- expected_resolve - expected_backing",
       "- expected_resolve + expected_backing")),
    M("us_strength_ignores_presence", "what stepping in adds ignores the troops in country "
      "(a stale 5,200)",
      (MECH + "backing.py", "return presence * standoff_share * ground_multiplier",
       "return 5200 * standoff_share * ground_multiplier")),
    M("step_in_expulsion_sign", "expulsion pressure makes the US likelier to step in",
      (MECH + "backing.py", "- expulsion_pressure + us_pressure",
       "+ expulsion_pressure + us_pressure")),
    M("seen_us_deterrence_dropped", "a win seen backed by US forces deters no more than any win",
      (MECH + "beliefs.py", "deter = SEEN_US_DETERRENCE if government_won and us_seen else 1.0",
       "deter = 1.0")),
    M("retaliation_ignores_escalation", "the risk of war no longer restrains US retaliation",
      (MECH + "retaliation.py",
       "cost = 1.0 - restraint * (escalation + expulsion_pressure) / 2",
       "cost = 1.0 - restraint * expulsion_pressure / 2")),
    # --- off by one in a delay -------------------------------------------------------------------
    M("step_in_one_day_late", "the US steps in one day later than the delay it drew",
      (MECH + "standoff.py", "day + int(rng.integers(0, delay_days + 1))",
       "day + 1 + int(rng.integers(0, delay_days + 1))")),
    M("retaliation_one_day_late", "strikes come one day after the retaliation delay",
      (A + "foreign_force.py", "(m.day + self.retaliation_delay_days, militia.name)",
       "(m.day + self.retaliation_delay_days + 1, militia.name)"),
      (DAY, "ps.append((float(day + int(w[RET_DELAY])), float(i)))",
       "ps.append((float(day + int(w[RET_DELAY]) + 1), float(i)))")),
    M("drawdown_cooldown_off_by_one", "the drawdown cooldown waits one day too few",
      (A + "foreign_force.py",
       "self.model.day - self.last_drawdown_day >= self.drawdown_cooldown_days",
       "self.model.day - self.last_drawdown_day >= self.drawdown_cooldown_days - 1"),
      (DAY, "day - int(w[LAST_DRAWDOWN]) >= int(w[COOLDOWN])",
       "day - int(w[LAST_DRAWDOWN]) >= int(w[COOLDOWN]) - 1")),
    # --- fights: talks and holding ground ------------------------------------------------------
    M("ceasefire_without_talks", "the ceasefire holds the day the patron decides to broker, "
      "whatever the talks' days",
      (PKG + "standoffs.py", 'open_talks(model, s, "patron", patron.talks_days,',
       'open_talks(model, s, "patron", 0,'),
      (DAY, "open_talks(day, so, ev, s, STR_PATRON, int(w[TALKS_DAYS]),",
       "open_talks(day, so, ev, s, STR_PATRON, 0,")),
    M("talks_reopened_daily", "the patron decides again every day while talks run",
      (PKG + "standoffs.py", "if not s.ceasefire_day and patron.brokers",
       "if patron.brokers"),
      (DAY, "if so[s, S_CEASEFIRE_DAY] == 0 and patron_brokers(",
       "if patron_brokers(")),
    M("hold_ground_sign", "a militia with more resolve to hold its ground leaves sooner",
      (MECH + "operation.py", "- (push - 0.5) / 2 - hold_ground", "- (push - 0.5) / 2 + hold_ground")),
    # --- second audit (Dec 2026) ---------------------------------------------------------------
    # fights: attrition, desertion, withdrawal, committed share
    M("desertion_counts_militia_losses", "government troops desert in proportion to the "
      "militia's losses, not their own",
      (PKG + "standoffs.py", "op.loss_share(s.government_killed, s.troops_start)",
       "op.loss_share(s.militia_killed, s.militia_start)"),
      (DAY, ("operation.loss_share(so[s, S_GOV_KILLED],\n"
             "                                                           so[s, S_TROOPS_START]))"),
       ("operation.loss_share(so[s, S_MIL_KILLED],\n"
        "                                                           so[s, S_MIL_START]))"))),
    M("withdrawal_counts_government_losses", "the militia leaves the streets in proportion to "
      "the government's losses, not its own",
      (PKG + "standoffs.py", "op.loss_share(s.militia_killed, s.militia_start)",
       "op.loss_share(s.government_killed, s.troops_start)"),
      (DAY, "operation.loss_share(so[s, S_MIL_KILLED], so[s, S_MIL_START])",
       "operation.loss_share(so[s, S_GOV_KILLED], so[s, S_TROOPS_START])")),
    M("fight_on_believed_backing", "a fight's attrition and real contest weigh the US's strength "
      "by the government's belief when the US has not stepped in",
      (PKG + "standoffs.py", "model.rng\n    us = 1.0 if s.us_stepped_in else 0.0",
       "model.rng\n    us = 1.0 if s.us_stepped_in else gov.backing_belief.mean"),
      (DAY, "    i = int(so[s, S_MILITIA])\n    us = 1.0 if so[s, S_STEPPED_IN] != 0 else 0.0",
       "    i = int(so[s, S_MILITIA])\n    us = 1.0 if so[s, S_STEPPED_IN] != 0 else w[GB_MEAN]")),
    M("clash_ignores_committed_share", "a muster's clash is fought by the whole enforcement "
      "capacity, not the share that fights",
      (PKG + "standoffs.py",
       "start_fight(s, op.committed_forces(gov.enforcement_capacity, gov.committed_share),",
       "start_fight(s, gov.enforcement_capacity,"),
      (DAY, "start_fight(so, s, operation.committed_forces(w[CAPACITY], w[COMMITTED_SHARE]),",
       "start_fight(so, s, int(w[CAPACITY]),")),
    # custody
    M("release_one_day_late", "a transferred case is released one day after its drawn day",
      (A + "government.py", "if self.model.day >= self.release_day[militia]:",
       "if self.model.day > self.release_day[militia]:"),
      (DAY, "if day >= m[i, RELEASE_DAY]:", "if day > m[i, RELEASE_DAY]:")),
    M("commanders_never_freed", "a released case's commanders stay counted as detained",
      (PKG + "model.py",
       "m.commanders_detained -= self.government.transferred_commanders.pop(militia, 0)",
       "self.government.transferred_commanders.pop(militia, 0)"),
      (DAY, "                m[i, COMMANDERS_DETAINED] -= m[i, TRANSFERRED_COMMANDERS]\n", "")),
    # attacks: exposure and site defences
    M("exposure_from_authorised_troops", "an attack's exposure reads the authorised troop level, "
      "not the troops in country (a drawdown does not cut casualties)",
      (A + "foreign_force.py", "self.presence, self.exposure_half)",
       "self.authorised, self.exposure_half)"),
      (DAY, "int(w[PRESENCE]), w[EXPOSURE_HALF])", "int(w[AUTHORISED]), w[EXPOSURE_HALF])")),
    M("site_weight_complement", "militias steer toward the sites that intercept most",
      (MECH + "attacks.py", "return target_weight * (1.0 - avoidance * interception)",
       "return target_weight * (1.0 - avoidance * (1.0 - interception))")),
    # the patron
    M("campaign_after_government_win", "the patron plans a campaign when the government wins, "
      "not when its client does",
      (PKG + "model.py",
       "        if not government_won:\n            self.patron.react_to_client_win()",
       "        if government_won:\n            self.patron.react_to_client_win()"),
      (DAY, "    if not government_won:\n        w[CAMPAIGN_PLAN] += w[WIN_CAMPAIGN]",
       "    if government_won:\n        w[CAMPAIGN_PLAN] += w[WIN_CAMPAIGN]")),
    M("truce_ends_a_day_early", "a truce stops holding instigation down on its last day",
      (MECH + "patronage.py",
       "return min(target, truce_instigation) if day <= truce_until else target",
       "return min(target, truce_instigation) if day < truce_until else target")),
    # staying power, step-in costs, beliefs, redeploy
    M("expulsion_vote_repeats", "parliament's vote is never recorded as held: it is voted again "
      "every day and the pressure floor never applies",
      (A + "foreign_force.py", "            self.expulsion_voted = True\n", ""),
      (DAY, "        w[VOTED] = TRUE\n", "")),
    M("review_outlives_calm", "a floor review does not end when the cost falls back within "
      "tolerance",
      (MECH + "withdrawal.py",
       "    if presence <= 0 or not cost > tolerance:\n        return 0, False, False",
       "    if presence <= 0 or not cost > tolerance:\n        return 0, False, reviewing")),
    M("step_in_raises_coalition", "a visible US intervention raises the government's coalition "
      "support instead of costing it",
      (MECH + "backing.py", "clamp(coalition_support - step_in_coalition_cost))",
       "clamp(coalition_support + step_in_coalition_cost))")),
    M("forget_toward_the_wrong_prior", "beliefs forget toward a prior of mean one half (beta "
      "relaxes to the prior's alpha)",
      (MECH + "beliefs.py", "    beta = relax(beta, beta0, memory_days)",
       "    beta = relax(beta, alpha0, memory_days)")),
    M("calm_days_never_reset", "a costly day does not reset the US's count of calm days",
      (MECH + "redeploy.py", "return days + 1 if cost < calm_share * tolerance else 0",
       "return days + 1 if cost < calm_share * tolerance else days")),
    # --- third audit (Dec 2026) ----------------------------------------------------------------
    # retaliation: the decision and the strikes it brings
    M("retaliation_on_total_casualties", "the retaliation decision reads the force's casualties "
      "ever, not the attack's: after the first death every attack that gets through may bring "
      "strikes",
      (A + "foreign_force.py",
       "            casualties, self.retaliation_threshold, self.retaliation_probability,",
       "            self.casualties, self.retaliation_threshold, self.retaliation_probability,"),
      (DAY, "chance = retaliation.retaliation_chance(casualties, int(w[RET_THRESHOLD]),",
       "chance = retaliation.retaliation_chance(int(w[CASUALTIES]), int(w[RET_THRESHOLD]),")),
    M("strikes_after_withdrawal", "strikes decided before a withdrawal are carried out after the "
      "force has left",
      (A + "foreign_force.py",
       ("            if not self.withdrawn:\n"
        "                self.strike(target, event_text.retaliation(self.label))"),
       "            self.strike(target, event_text.retaliation(self.label))"),
      (DAY, ("            if w[PRESENCE] != 0:\n"
             "                strike(day, w, m, ev, int(item[1]), K_STRIKE, STR_RETALIATION)"),
       "            strike(day, w, m, ev, int(item[1]), K_STRIKE, STR_RETALIATION)")),
    # reputation: a militia that complies
    M("comply_counts_full_win", "a raided militia that complies gives the government a full "
      "win's authority, not half",
      (PKG + "model.py", "authority_step=gov.win_authority_gain / 2)",
       "authority_step=gov.win_authority_gain)"),
      (DAY, "end_standoff_shifts(w, m, i, True, w[WIN_GAIN] / 2, False)",
       "end_standoff_shifts(w, m, i, True, w[WIN_GAIN], False)")),
    # staying power: redeploy, the floor, parliament's vote
    M("redeploy_read_as_drawdown", "a redeployment is read as a drawdown: beliefs in US backing "
      "fall when troops return",
      (A + "foreign_force.py", "self.model.observe_backing(True, weight=REDEPLOY_EVIDENCE)",
       "self.model.observe_backing(False, weight=REDEPLOY_EVIDENCE)"),
      (DAY, "observe_backing(w, m, True, False, beliefs.REDEPLOY_EVIDENCE)",
       "observe_backing(w, m, False, False, beliefs.REDEPLOY_EVIDENCE)")),
    M("floor_reached_not_reviewed", "a drawdown that reaches the floor exactly does not put the "
      "force under review (it takes one more costly decision to start the review)",
      (MECH + "withdrawal.py", "return leaving, True, presence - leaving <= floor",
       "return leaving, True, presence - leaving < floor")),
    M("expulsion_vote_at_floor", "parliament votes once expulsion pressure passes the post-vote "
      "floor, not the vote threshold",
      (A + "foreign_force.py",
       "if withdrawal.vote_due(self.expulsion_pressure, self.expulsion_vote_threshold,",
       "if withdrawal.vote_due(self.expulsion_pressure, self.expulsion_vote_floor,"),
      (DAY, "if withdrawal.vote_due(w[EXPULSION], w[VOTE_THRESHOLD],",
       "if withdrawal.vote_due(w[EXPULSION], w[VOTE_FLOOR],")),
    # the patron: the campaign's hump, support after a scripted change of shares
    M("campaign_time_constants_swapped", "the campaign's plan fades over the build time and the "
      "support follows it over the plan's time (arguments swapped: the hump is half as high)",
      (A + "patron.py",
       "self.campaign_plan, self.campaign, self.campaign_days, self.campaign_build_days)",
       "self.campaign_plan, self.campaign, self.campaign_build_days, self.campaign_days)"),
      (DAY, "w[CAMPAIGN_PLAN], w[CAMPAIGN], w[CAMPAIGN_DAYS], w[CAMPAIGN_BUILD])",
       "w[CAMPAIGN_PLAN], w[CAMPAIGN], w[CAMPAIGN_BUILD], w[CAMPAIGN_DAYS])")),
    M("support_share_set_not_reallocated", "a scripted change of a militia's support share is "
      "not re-allocated (the check names the wrong field): its push keeps the old share",
      (PKG + "scripted_events.py", 'if attr == "patron_support_share":',
       'if attr == "support_share":'),
      (DAY, "        if column == SUPPORT_SHARE:\n            allocate(w, m, True)",
       "        if column == SHARE:\n            allocate(w, m, True)")),
    # militias: disruption fading
    M("disruption_recovers_over_recovery_days", "disrupted attack cells recover over the "
      "militia's recovery_days (a year), not its disruption_recovery_days",
      (A + "militia.py", "self.disruption = fade(self.disruption, self.disruption_recovery_days)",
       "self.disruption = fade(self.disruption, self.recovery_days)"),
      (DAY, "m[i, DISRUPTION] = beliefs.fade(m[i, DISRUPTION], m[i, DISRUPTION_RECOVERY])",
       "m[i, DISRUPTION] = beliefs.fade(m[i, DISRUPTION], tau)")),
    # beliefs: private signals, silent days
    M("liaison_signal_ignores_rate", "a private signal says 'they will step in' with chance "
      "commitment / rate (the uniform already below the rate is compared with the commitment)",
      (MECH + "beliefs.py", "return 1 if u < rate * commitment else 0",
       "return 1 if u < commitment else 0")),
    M("silent_day_weighs_like_drawdown", "a silent standoff day weighs as a full observation "
      "against backing (a drawdown's), not half",
      (PKG + "standoffs.py", "model.observe_backing(False, silent_day=True)",
       "model.observe_backing(False)"),
      (DAY, "observe_backing(w, m, False, True)", "observe_backing(w, m, False, False)")),
    # custody: who is kept
    M("commanders_kept_first", "a negotiated transfer keeps the commanders first (hands over the "
      "rank and file), the reverse of the rule",
      (MECH + "custody.py", "return min(commanders, max(0, kept - (detainees - commanders)))",
       "return min(commanders, kept)")),
    # public reactions: allies' fighters, threats
    M("allies_turn_out_by_own_stake", "an ally's turnout is scaled by its own stake (nothing "
      "detained: none of its fighters come)",
      (PKG + "model.py", "fighters = m.muster_size(own=False)", "fighters = m.muster_size()"),
      (DAY, "allies = muster_size(rng, w, m, i, False)",
       "allies = muster_size(rng, w, m, i, True)")),
    M("threat_raises_coalition", "a public threat raises the government's coalition support "
      "instead of lowering it",
      (PKG + "model.py", "self.government.shift(coalition_support=-pressure / 4)",
       "self.government.shift(coalition_support=pressure / 4)"),
      (DAY, "government_shift(w, 0.0, 0.0, -pressure / 4)",
       "government_shift(w, 0.0, 0.0, pressure / 4)")),
    # escalation
    M("step_in_without_escalation", "a visible US intervention does not raise escalation",
      (A + "foreign_force.py", '        m.raise_escalation("per_step_in")\n', ""),
      (DAY, "    raise_escalation(w, ESC_PER_STEP_IN)\n", "")),
    # --- fourth audit (Dec 2026) ---------------------------------------------------------------
    # fights: who fights, desertion, the government's decision to press on
    M("fight_without_the_allies", "allies who joined a muster do not fight in its clash: the "
      "fight's militia strength leaves out their fighters",
      (PKG + "standoffs.py",
       "muster, pool,\n                                  s.allied_fighters)",
       "muster, pool,\n                                  0)"),
      (DAY, "muster, pool,\n                                      int(so[s, S_ALLIED]))",
       "muster, pool,\n                                      0)")),
    M("desertion_on_the_militias_chance", "troops desert as if the fight went well when it goes "
      "badly: desertion reads the militia's chance (the patron's position, 1 - p), not p",
      (PKG + "standoffs.py",
       "op.desertion_share(gov.desertion_rate, gov.force_cohesion, actual,",
       "op.desertion_share(gov.desertion_rate, gov.force_cohesion, 1.0 - actual,"),
      (DAY, "operation.desertion_share(w[DESERTION_RATE], w[FORCE_COHESION], actual,",
       "operation.desertion_share(w[DESERTION_RATE], w[FORCE_COHESION], 1.0 - actual,")),
    M("deserters_from_the_starting_troops", "deserters are drawn from the troops the fight "
      "started with, not those still in it (the dead and earlier deserters desert again)",
      (PKG + "standoffs.py", "op.draw_deserters(rng, s.troops, share)",
       "op.draw_deserters(rng, s.troops_start, share)"),
      (DAY, "operation.draw_deserters(rng, int(so[s, S_TROOPS]), share)",
       "operation.draw_deserters(rng, int(so[s, S_TROOPS_START]), share)")),
    M("fight_halt_on_the_actual_us_stance", "the government's choice to press on or halt a "
      "fight weighs US help by its actual stance (none until it steps in), not by its belief",
      (PKG + "standoffs.py",
       ("    backing_term = 1.0 if s.us_stepped_in else gov.backing_belief.mean\n"
        "    believed = mech.contest_ratio(fight_strengths("),
       "    backing_term = us\n    believed = mech.contest_ratio(fight_strengths("),
      (DAY, "    backing_term = 1.0 if so[s, S_STEPPED_IN] != 0 else w[GB_MEAN]\n",
       "    backing_term = us\n")),
    M("fight_halt_ignores_threats", "public threats' pressure weighs on holding a standoff but "
      "not on pressing on in the clash it turns into (the fight's hold decision drops it)",
      (PKG + "standoffs.py",
       "    if not gov.holds_firm(believed, s.pressure):\n        return close(model, s, \"clash_lost\"",
       "    if not gov.holds_firm(believed, 0.0):\n        return close(model, s, \"clash_lost\""),
      (DAY, ("p = standoff.hold_probability(believed, w[RESOLVE], so[s, S_PRESSURE], w[COALITION],\n"
             "                                  w[SHARPNESS])\n    if not rng.random() < p:\n"
             "        close(day, w, m, so, ev, s, CLASH_LOST"),
       ("p = standoff.hold_probability(believed, w[RESOLVE], 0.0, w[COALITION],\n"
        "                                  w[SHARPNESS])\n    if not rng.random() < p:\n"
        "        close(day, w, m, so, ev, s, CLASH_LOST"))),
    M("resistance_learnt_after_the_halt", "a day of fighting teaches the government that the "
      "militia resists only after it has decided to press on (and not at all on a day the "
      "fight ends)",
      (PKG + "standoffs.py", "    gov.resistance_belief.observe(True)  # the militia fought back today\n",
       ""),
      (PKG + "standoffs.py",
       ("                     event_text.halts(backing_term, believed, model.foreign_force.label))\n"),
       ("                     event_text.halts(backing_term, believed, model.foreign_force.label))\n"
        "    gov.resistance_belief.observe(True)\n")),
      (DAY, "    observe_world(w, GR_ALPHA, True)\n", ""),
      (DAY, ("        close(day, w, m, so, ev, s, CLASH_LOST, 0, K_HALTS, backing_term, believed, 0.0)\n"
             "        return\n"),
       ("        close(day, w, m, so, ev, s, CLASH_LOST, 0, K_HALTS, backing_term, believed, 0.0)\n"
        "        return\n    observe_world(w, GR_ALPHA, True)\n"))),
    # ceasefire: what is booked
    M("ceasefire_value_from_the_governments_side", "the ceasefire event's value and text give "
      "the government's chance in the fight, not the patron's client's",
      (PKG + "standoffs.py", "event_text.ceasefire(s.militia, 1.0 - actual, s.broker), 1.0 - actual)",
       "event_text.ceasefire(s.militia, actual, s.broker), actual)"),
      (DAY, "1.0 - actual, K_CEASEFIRE, militia_name(i), 1.0 - actual, broker)",
       "actual, K_CEASEFIRE, militia_name(i), actual, broker)")),
    # scripted operations
    M("operation_losses_against_local_fighters", "an operation weighs the militia's dead "
      "against its local fighters, not its whole force (it leaves the streets after a "
      "few dozen dead)",
      (PKG + "model.py", "standoffs.start_fight(s, fighting, militia.fighters, self.day + days)",
       "standoffs.start_fight(s, fighting, militia.local_fighters, self.day + days)"),
      (DAY, "start_fight(so, k, fighting, fighters(m, i), day + days)",
       "start_fight(so, k, fighting, int(m[i, LOCAL_FIGHTERS]), day + days)")),
    # custody
    M("release_delay_arguments_swapped", "a case's delay is drawn with its median and spread "
      "swapped (median 0.8 days, log-sigma 2 at the defaults)",
      (A + "government.py", "self.model.rng, self.release_delay_days, self.release_delay_spread)",
       "self.model.rng, self.release_delay_spread, self.release_delay_days)"),
      (DAY, ("custody.draw_release_delay(rng, w[RELEASE_DELAY],\n"
             "                                                                 w[RELEASE_SPREAD])"),
       ("custody.draw_release_delay(rng, w[RELEASE_SPREAD],\n"
        "                                                                 w[RELEASE_DELAY])"))),
    M("release_day_not_cleared", "a closed case's release day is not cleared: the militia's "
      "next transferred detainees go free at once, on the old case's day",
      (PKG + "model.py", "            self.government.release_day.pop(militia, None)  # the case is closed\n",
       ""),
      (DAY, "            m[i, RELEASE_DAY] = -1\n", "")),
    # public reactions
    M("threat_window_a_day_short", "a raid's threat window closes a day early: no public threat "
      "on its last day",
      (PKG + "model.py", "[w for w in self.threat_windows if w[0] >= self.day]",
       "[w for w in self.threat_windows if w[0] > self.day]"),
      (DAY, "        if tw[k, 0] < day:\n            continue",
       "        if tw[k, 0] <= day:\n            continue"),
      (DAY, "        if tw[k, 0] >= day:\n            return True",
       "        if tw[k, 0] > day:\n            return True")),
    # staying power: parliament's vote, redeploy
    M("vote_after_withdrawal", "parliament's expulsion vote checks the authorised troop level, "
      "not the troops in country: it can vote to expel a force that has left",
      (A + "foreign_force.py", "self.expulsion_voted, self.presence):",
       "self.expulsion_voted, self.authorised):"),
      (DAY, "w[VOTED] != 0, int(w[PRESENCE])):", "w[VOTED] != 0, int(w[AUTHORISED])):")),
    M("post_vote_floor_is_the_threshold", "after parliament's vote, expulsion pressure decays "
      "toward the vote threshold (0.45), not the post-vote floor (0.3)",
      (A + "foreign_force.py",
       "self.expulsion_pressure, self.expulsion_voted, self.expulsion_vote_floor)",
       "self.expulsion_pressure, self.expulsion_voted, self.expulsion_vote_threshold)"),
      (DAY, "w[EXPULSION], w[VOTED] != 0, w[VOTE_FLOOR])",
       "w[EXPULSION], w[VOTED] != 0, w[VOTE_THRESHOLD])")),
    M("redeploy_count_not_reset", "the count of calm days is not reset after a redeployment: "
      "troops return again every following calm day",
      (A + "foreign_force.py",
       "            self.calm_days = 0\n            self.model.observe_backing(True",
       "            self.model.observe_backing(True"),
      (DAY, "        w[CALM_DAYS] = 0.0\n        observe_backing(w, m, True",
       "        observe_backing(w, m, True")),
    # the costs of a visible intervention
    M("step_in_backlash_is_a_raids", "a visible intervention adds a raid's backlash to the "
      "patron's stock, not the step-in backlash (the wrong field)",
      (A + "foreign_force.py", "patron.step_in_backlash, gov.coalition_support",
       "patron.raid_backlash, gov.coalition_support"),
      (DAY, "w[BACKLASH], w[STEP_IN_BACKLASH], w[COALITION]",
       "w[BACKLASH], w[RAID_BACKLASH], w[COALITION]")),
    # --- fifth audit (Dec 2026) ---------------------------------------------------------------
    # attacks: site choice, interception, defences, readiness, attribution
    M("site_choice_reads_first_militias_avoidance", "every militia steers away from defended "
      "sites as far as the first militia (KH) heeds defences, not as far as it does itself "
      "(wrong militia index)",
      (A + "militia.py", "s.interception, self.defence_avoidance)",
       "s.interception, self.model.militias[0].defence_avoidance)"),
      (DAY, "                                         m[i, DEFENCE_AVOIDANCE])",
       "                                         m[0, DEFENCE_AVOIDANCE])")),
    M("interception_and_lethality_swapped", "an attack is intercepted with the site's lethality "
      "and kills with its interception chance (swapped arguments)",
      (A + "foreign_force.py", "resolve_attack(m.rng, site.interception, site.lethality,",
       "resolve_attack(m.rng, site.lethality, site.interception,"),
      (DAY, "attacks.resolve_attack(rng, s[k, INTERCEPTION], s[k, LETHALITY],",
       "attacks.resolve_attack(rng, s[k, LETHALITY], s[k, INTERCEPTION],")),
    M("deploy_defence_sets_target_weight", "a scripted deploy_defence writes the site's target "
      "weight, not its interception chance (the wrong field)",
      (PKG + "scripted_events.py", "    site.interception = ev.typed_figures().interception\n",
       "    site.target_weight = ev.typed_figures().interception\n"),
      (DAY, "        s[k, INTERCEPTION] = e[E_FIGURE]\n", "        s[k, TARGET_WEIGHT] = e[E_FIGURE]\n")),
    M("readiness_fighters_swapped", "readiness divides the starting strength by the fighters "
      "now (swapped arguments): a militia that lost fighters attacks more, not less",
      (A + "militia.py", "attacks.readiness(self.cohesion, self.fighters, self.initial_fighters)",
       "attacks.readiness(self.cohesion, self.initial_fighters, self.fighters)"),
      (DAY, "attacks.readiness(m[i, M_COHESION], fighters(m, i), int(m[i, FIGHTERS])),",
       "attacks.readiness(m[i, M_COHESION], int(m[i, FIGHTERS]), fighters(m, i)),")),
    M("attacks_attributed_to_the_first_militia", "the government attributes every attack it "
      "sees to the first militia (KH), not to the attacker (wrong militia index): its raids "
      "follow the wrong militia's attacks",
      (PKG + "model.py", "        self.government.see_attack(militia)\n",
       "        self.government.see_attack(self.militias[0].name)\n"),
      (DAY, "    m[i, SEEN] = attacks_seen(m, i, day) + 1.0\n    m[i, SEEN_DAY] = day\n",
       "    m[0, SEEN] = attacks_seen(m, 0, day) + 1.0\n    m[0, SEEN_DAY] = day\n")),
    # the government: raid hazard, recovery, beliefs
    M("raid_hazard_responses_swapped", "the raid hazard weighs attacks seen by the response to "
      "US pressure and US pressure by the response to attacks (swapped arguments)",
      (A + "government.py",
       ("self.attacks_per_month, self.attack_response, self.model.foreign_force.us_pressure,\n"
        "            self.pressure_response)"),
       ("self.attacks_per_month, self.pressure_response, self.model.foreign_force.us_pressure,\n"
        "            self.attack_response)")),
      (DAY, ("w[ATTACKS_PER_MONTH], w[ATTACK_RESPONSE], us_pressure(w),\n"
             "                                   w[PRESSURE_RESPONSE])"),
       ("w[ATTACKS_PER_MONTH], w[PRESSURE_RESPONSE], us_pressure(w),\n"
        "                                   w[ATTACK_RESPONSE])"))),
    M("resolve_recovers_toward_authority", "the government's resolve recovers toward the "
      "baseline authority, not its own baseline (the wrong baseline)",
      (A + "government.py", 'self.resolve = relax(self.resolve, base["resolve"], tau)',
       'self.resolve = relax(self.resolve, base["authority"], tau)'),
      (DAY, "w[RESOLVE] = beliefs.relax(w[RESOLVE], w[BASE_RESOLVE], tau)",
       "w[RESOLVE] = beliefs.relax(w[RESOLVE], w[BASE_AUTHORITY], tau)")),
    M("resistance_belief_never_forgets", "the government's belief that militias resist never "
      "forgets (only its belief in backing relaxes toward its prior)",
      (A + "government.py", "        self.resistance_belief.forget(self.belief_memory_days)\n", ""),
      (DAY, "    forget_world(w, GR_ALPHA, GR_ALPHA0, w[G_BELIEF_MEMORY])\n", "")),
    # militias: memory and recovery
    M("militia_beliefs_forget_over_recovery_days", "militias' beliefs forget over their "
      "recovery_days (the time constant of their strength), not their belief_memory_days (the "
      "wrong field; both a year by default)",
      (A + "militia.py", "            belief.forget(self.belief_memory_days)",
       "            belief.forget(self.recovery_days)"),
      (DAY, "    memory = m[i, M_BELIEF_MEMORY]", "    memory = m[i, M_RECOVERY_DAYS]")),
    M("cohesion_recovers_toward_the_first_militias", "a militia's cohesion recovers toward the "
      "first militia's (KH's) baseline, not its own (wrong militia index)",
      (A + "militia.py", 'self.cohesion = relax(self.cohesion, base["cohesion"], self.recovery_days)',
       ('self.cohesion = relax(self.cohesion, self.model.militias[0].baseline["cohesion"], '
        'self.recovery_days)')),
      (DAY, "m[i, M_COHESION] = beliefs.relax(m[i, M_COHESION], m[i, BASE_COHESION], tau)",
       "m[i, M_COHESION] = beliefs.relax(m[i, M_COHESION], m[0, BASE_COHESION], tau)")),
    M("losses_recover_over_disruption_days", "lost fighters are replaced over the militia's "
      "disruption_recovery_days (weeks), not its recovery_days (a year) (the wrong field)",
      (A + "militia.py", "self.losses = fade(self.losses, self.recovery_days)",
       "self.losses = fade(self.losses, self.disruption_recovery_days)"),
      (DAY, "m[i, LOSSES] = beliefs.fade(m[i, LOSSES], tau)",
       "m[i, LOSSES] = beliefs.fade(m[i, LOSSES], m[i, DISRUPTION_RECOVERY])")),
    # the patron: backlash, threats, a scripted change of its instigation
    M("push_share_and_top_share_swapped", "a militia's push divides the top share by its own "
      "(swapped arguments): the least-supported militia is pushed hardest, beyond 1",
      (A + "militia.py", "patron.shares[self.name],\n                                        patron.top_share)",
       "patron.top_share,\n                                        patron.shares[self.name])"),
      (DAY, "intimidation.patron_push(w[INSTIGATION], m[i, SHARE], w[TOP_SHARE])",
       "intimidation.patron_push(w[INSTIGATION], w[TOP_SHARE], m[i, SHARE])")),
    M("backlash_never_fades", "the patron's backlash stock never fades: every raid and strike "
      "raises its push for good",
      (A + "patron.py", "        self.backlash *= 1.0 - self.adjustment_rate\n", ""),
      (DAY, "    w[BACKLASH] *= 1.0 - w[ADJUSTMENT]\n", "")),
    M("us_threat_never_fades", "an announced US threat never fades from the patron's war risk",
      (A + "patron.py", "self.us_threat = fade(self.us_threat, self.strike_memory_days)",
       "self.us_threat = self.us_threat"),
      (DAY, "w[US_THREAT] = beliefs.fade(w[US_THREAT], w[STRIKE_MEMORY])",
       "w[US_THREAT] = w[US_THREAT]")),
    M("scripted_instigation_sets_the_current_level", "a scripted set of patron.instigation "
      "moves today's instigation, not the base it drifts toward (it drifts back within weeks)",
      (PKG + "scripted_events.py", '        attr = "base_instigation"', '        attr = "instigation"'),
      (PKG + "fastpath/build.py",
       'column = L.BASE_INSTIGATION if (section, attr) == ("patron", "instigation")',
       'column = L.INSTIGATION if (section, attr) == ("patron", "instigation")')),
    # standoffs and operations
    M("disperse_on_believed_contest", "the militia decides to disperse on the government's "
      "believed contest (its belief in US backing), not on the real US stance it sees",
      (PKG + "standoffs.py", "mech.disperse_probability(actual, militia.push,",
       "mech.disperse_probability(believed, militia.push,"),
      (DAY, "standoff.disperse_probability(actual, push(w, m, i), w[SHARPNESS])",
       "standoff.disperse_probability(believed, push(w, m, i), w[SHARPNESS])")),
    M("operation_ends_a_day_early", "an operation of N days fights at most N - 1 (its last day "
      "is counted from the opening day)",
      (PKG + "model.py", "standoffs.start_fight(s, fighting, militia.fighters, self.day + days)",
       "standoffs.start_fight(s, fighting, militia.fighters, self.day + days - 1)"),
      (DAY, "start_fight(so, k, fighting, fighters(m, i), day + days)",
       "start_fight(so, k, fighting, fighters(m, i), day + days - 1)")),
    # custody
    M("release_delay_rounded_down", "a case's drawn delay is rounded down, not up: detainees go "
      "free up to a day before their delay has passed",
      (MECH + "custody.py", "return max(1, math.ceil(delay))", "return max(1, int(delay))")),
    # staying power: redeploy; escalation
    M("redeploy_at_the_authorised_level", "a force at its authorised level counts calm days "
      "and 'redeploys' (zero troops, everyone's belief in backing rises) after a calm year",
      (A + "foreign_force.py", "if self.withdrawn or self.presence >= self.authorised:",
       "if self.withdrawn or self.presence > self.authorised:"),
      (DAY, "if presence == 0 or presence >= authorised:",
       "if presence == 0 or presence > authorised:")),
    M("escalation_decays_at_the_attack_weight", "escalation decays each day at the per-attack "
      "weight (0.03), not its decay rate (0.05) (the wrong field)",
      (PKG + "model.py", "                                                   self.escalation_weights.decay)",
       "                                                   self.escalation_weights.per_attack)"),
      (DAY, "w[ESC] = beliefs.decay_escalation(w[ESC], w[ESC_DECAY])",
       "w[ESC] = beliefs.decay_escalation(w[ESC], w[ESC_PER_ATTACK])")),
    # --- sixth audit (Dec 2026) ---------------------------------------------------------------
    # custody: who is handed over, who goes free
    M("negotiated_kept_also_transferred", "a negotiated transfer books every detainee as handed "
      "over, the kept ones too (n, not n - kept): the kept go free with the case and are still "
      "held",
      (A + "government.py",
       "self.transferred[militia] = self.transferred.get(militia, 0) + n - kept",
       "self.transferred[militia] = self.transferred.get(militia, 0) + n"),
      (DAY, "        m[i, TRANSFERRED] += n - kept\n", "        m[i, TRANSFERRED] += n\n")),
    M("released_still_detained", "released detainees stay counted among the militia's detained "
      "(its stake in the next raid keeps them)",
      (PKG + "model.py", "        m.detained -= n\n", ""),
      (DAY, "            m[i, DETAINED] -= freed\n", "")),
    # operations and clashes (2008), the patron's brokering
    M("operation_ignores_committed_share", "an operation is fought by all its troops, not the "
      "share that fights (committed_share: an army that stays out still fights)",
      (PKG + "model.py",
       "fighting = operation.committed_forces(troops, self.government.committed_share)",
       "fighting = troops"),
      (DAY, "fighting = operation.committed_forces(troops, w[COMMITTED_SHARE])",
       "fighting = int(troops)")),
    M("fight_lethalities_swapped", "in a fight each side is killed at its own combat lethality, "
      "not the enemy's (the government's and the militia's lethality swapped)",
      (PKG + "standoffs.py",
       "militia_killed = op.draw_losses(rng, militia.fighters, gov.combat_lethality,\n",
       "militia_killed = op.draw_losses(rng, militia.fighters, militia.combat_lethality,\n"),
      (PKG + "standoffs.py",
       "government_killed = op.draw_losses(rng, troops, militia.combat_lethality, s_mil)",
       "government_killed = op.draw_losses(rng, troops, gov.combat_lethality, s_mil)"),
      (DAY, "operation.draw_losses(rng, fighters(m, i), w[G_LETHALITY],\n",
       "operation.draw_losses(rng, fighters(m, i), m[i, M_LETHALITY],\n"),
      (DAY, "operation.draw_losses(rng, troops, m[i, M_LETHALITY], s_mil)",
       "operation.draw_losses(rng, troops, w[G_LETHALITY], s_mil)")),
    M("broker_on_governments_chance", "the patron decides to broker on the government's chance "
      "in the fight, not its client's: it opens talks when its client is winning",
      (PKG + "standoffs.py", "patron.brokers(s.militia, 1.0 - actual)",
       "patron.brokers(s.militia, actual)"),
      (DAY, "patron_brokers(rng, w, m, i, 1.0 - actual)", "patron_brokers(rng, w, m, i, actual)")),
    M("ceasefire_terms_inverted", "a ceasefire's terms go to the side that is losing the fight "
      "(the comparison reversed)",
      (MECH + "operation.py", "    return win_chance > 0.5\n", "    return win_chance < 0.5\n")),
    # what a standoff's end and a strike teach
    M("deterrence_from_hidden_choice", "a win deters as one backed by US forces when the US had "
      "chosen to step in but had not yet (the hidden choice, not what was seen)",
      (PKG + "standoffs.py", "us_seen=s.us_stepped_in)", "us_seen=s.us_will_step_in)"),
      (DAY, "end_standoff_shifts(w, m, i, won, step, so[s, S_STEPPED_IN] != 0)",
       "end_standoff_shifts(w, m, i, won, step, so[s, S_WILL] != 0)")),
    M("strike_lesson_swapped", "a US strike teaches its allies the struck militia's lesson and "
      "the struck militia its allies' (the two weights swapped)",
      (PKG + "model.py",
       ("m.backing_belief.observe(True, beliefs.STRIKE_EVIDENCE_TARGET if m is target\n"
        "                                     else beliefs.STRIKE_EVIDENCE_OTHERS)"),
       ("m.backing_belief.observe(True, beliefs.STRIKE_EVIDENCE_OTHERS if m is target\n"
        "                                     else beliefs.STRIKE_EVIDENCE_TARGET)")),
      (DAY, ("beliefs.STRIKE_EVIDENCE_TARGET if i == target\n"
             "                else beliefs.STRIKE_EVIDENCE_OTHERS)"),
       ("beliefs.STRIKE_EVIDENCE_OTHERS if i == target\n"
        "                else beliefs.STRIKE_EVIDENCE_TARGET)"))),
    # public reactions and raids
    M("threat_weighs_the_targets_seats", "a public threat's pressure is weighed by the raided "
      "militia's seats, not the threatening bloc's (wrong militia: KH has none)",
      (PKG + "model.py", "pressure = intimidation.threat_pressure(m.seats,",
       "pressure = intimidation.threat_pressure(self.militia(target).seats,"),
      (DAY, "pressure = intimidation.threat_pressure(int(m[i, SEATS]),",
       "pressure = intimidation.threat_pressure(int(m[target, SEATS]),")),
    M("arrests_disrupt_local_fighters", "a raid's disruption divides the arrests by the "
      "militia's local fighters, not its attack cells (the wrong field)",
      (PKG + "model.py",
       "militia.disrupt(attacks.disruption_from_arrests(arrests, militia.attack_cells))",
       "militia.disrupt(attacks.disruption_from_arrests(arrests, militia.local_fighters))"),
      (DAY, "disrupt(m, i, attacks.disruption_from_arrests(arrests, int(m[i, ATTACK_CELLS])))",
       "disrupt(m, i, attacks.disruption_from_arrests(arrests, int(m[i, LOCAL_FIGHTERS])))")),
    # attacks: the state's restraint, the site drawn
    M("command_restraint_reads_resolve", "the state's command restrains militias' attacks by the "
      "government's resolve, not its authority (the wrong field)",
      (A + "militia.py", "restraint=attacks.state_restraint(self.model.government.authority,",
       "restraint=attacks.state_restraint(self.model.government.resolve,"),
      (DAY, "attacks.state_restraint(w[AUTHORITY], m[i, M_AUTONOMY], w[COMMAND_REACH])",
       "attacks.state_restraint(w[RESOLVE], m[i, M_AUTONOMY], w[COMMAND_REACH])")),
    M("site_draw_not_scaled_by_total", "the site draw compares a uniform on [0, 1) with the "
      "cumulative weights, not one scaled by their total (the first site whose weight passes "
      "it always)",
      (MECH + "attacks.py", "    x = rng.random() * total\n", "    x = rng.random()\n")),
    # the foreign force: step-in delay, drawdown, the floor review
    M("step_in_delay_from_retaliation_delay", "the day the US steps in is drawn within its "
      "retaliation delay, not its response delay (the wrong field)",
      (PKG + "model.py", "ff.response_delay_days, self.day)",
       "ff.retaliation_delay_days, self.day)"),
      (DAY, "standoff.draw_us_choice(rng, step_in_probability(w), int(w[RESPONSE_DELAY]),",
       "standoff.draw_us_choice(rng, step_in_probability(w), int(w[RET_DELAY]),")),
    M("drawdown_weighs_the_authorised_level", "the drawdown decision reads the authorised "
      "level, not the troops in country (a force at the floor draws down through it, no review)",
      (A + "foreign_force.py",
       "            self.presence, self.drawdown_share, self.withdrawal_floor, cooled, cost,",
       "            self.authorised, self.drawdown_share, self.withdrawal_floor, cooled, cost,"),
      (DAY, "        int(w[PRESENCE]), w[DRAWDOWN_SHARE], int(w[FLOOR]), cooled, cost,",
       "        int(w[AUTHORISED]), w[DRAWDOWN_SHARE], int(w[FLOOR]), cooled, cost,")),
    M("review_does_not_restart_cooldown", "putting the force under review at the floor does not "
      "restart the cooldown: it leaves the next day, not a cooldown later",
      (A + "foreign_force.py", "        if decided:\n            self.last_drawdown_day = self.model.day\n",
       ""),
      (DAY, "    if decided:\n        w[LAST_DRAWDOWN] = day\n", "")),
    # --- seventh audit (Dec 2026) -------------------------------------------------------------
    # a standoff day by day: when the government first faces it, how long its clash may run,
    # what its relent records
    M("standoff_faced_on_the_raid_day", "the government faces a muster on the day it gathers "
      "(the raid day), not from the next day: it may relent before the muster has formed",
      (PKG + "standoffs.py", "    if model.day == s.opened_day:\n        return",
       "    if model.day < s.opened_day:\n        return"),
      (DAY, "    if day == so[s, S_OPENED]:\n        return",
       "    if day < so[s, S_OPENED]:\n        return")),
    M("clash_days_counted_from_the_opening", "a clash's 14 days are counted from the day the "
      "standoff opened, not the day the clash began (a clash that starts late is cut short)",
      (PKG + "standoffs.py", "militia.fighters, model.day + op.MAX_CLASH_DAYS)",
       "militia.fighters, s.opened_day + op.MAX_CLASH_DAYS)"),
      (DAY, "fighters(m, i), day + operation.MAX_CLASH_DAYS)",
       "fighters(m, i), int(so[s, S_OPENED]) + operation.MAX_CLASH_DAYS)")),
    M("relent_logs_the_kept", "a relent event's value is the detainees the government kept, "
      "not those it handed over",
      (PKG + "standoffs.py", 'model.record("government", "relent", s.militia, note, transferred)',
       'model.record("government", "relent", s.militia, note, kept)'),
      (DAY, "record(ev, day, STR_GOVERNMENT, A_RELENT, militia_name(i), handed, kind, a, b, c)",
       "record(ev, day, STR_GOVERNMENT, A_RELENT, militia_name(i), kept, kind, a, b, c)")),
    # the muster: who decides on what, who joins
    M("muster_reads_the_governments_true_resolve", "a raided militia decides to muster on the "
      "government's actual resolve, not its own belief about it (the wrong actor's state)",
      (A + "militia.py",
       "self.push, self.autonomy, self.resolve_belief.mean, self.backing_belief.mean,",
       "self.push, self.autonomy, self.model.government.resolve, self.backing_belief.mean,"),
      (DAY, "push(w, m, i), m[i, M_AUTONOMY], m[i, MR_MEAN], m[i, MB_MEAN],",
       "push(w, m, i), m[i, M_AUTONOMY], w[RESOLVE], m[i, MB_MEAN],")),
    M("allies_join_every_day", "an ally that joined a muster is not recorded as joined: it "
      "sends fighters again every day the standoff stays open",
      (PKG + "model.py", "                    s.joined.add(m.name)\n", ""),
      (DAY, "                joined[s, i] = TRUE\n", "")),
    M("threats_press_every_open_standoff", "a public threat over a raid on one militia adds "
      "its pressure to every open standoff, not only that militia's",
      (PKG + "model.py",
       "                for s in self.open_standoffs():\n                    if s.militia == target:",
       "                for s in self.open_standoffs():\n                    if True:"),
      (DAY, "if is_open(so, s) and so[s, S_MILITIA] == target:", "if is_open(so, s):")),
    # the patron: restraint, allocation
    M("patron_restraint_ignores_escalation", "the patron's instigation target is computed "
      "without the day's escalation (the argument dropped: its default 0): below its threshold "
      "the patron no longer gives up push as violence rises",
      (A + "patron.py", "self.stability_priority, self.model.escalation)",
       "self.stability_priority)"),
      (DAY, "w[STABILITY], w[ESC])", "w[STABILITY])")),
    M("support_reallocated_from_todays_shares", "support is re-allocated from yesterday's "
      "re-allocated shares, not the militias' base shares: the shift toward a pressed client "
      "compounds day after day",
      (A + "patron.py",
       "patronage.allocate_support([m.patron_support_share for m in militias], pressures,",
       ("patronage.allocate_support([self.shares[m.name] if self.shares else "
        "m.patron_support_share for m in militias], pressures,")),
      (DAY, "patronage.allocate_support(m[:, SUPPORT_SHARE], m[:, DISRUPTION], w[RESPONSIVENESS],",
       ("patronage.allocate_support(m[:, SHARE].copy() if w[TOP_SHARE] > 0 else "
        "m[:, SUPPORT_SHARE].copy(), m[:, DISRUPTION], w[RESPONSIVENESS],"))),
    # retaliation, redeploy, drawdown
    M("retaliation_strikes_the_first_militia", "strikes decided after a deadly attack are aimed "
      "at the first militia (KH), not at the attacker (wrong militia)",
      (A + "foreign_force.py",
       "self.pending_strikes.append((m.day + self.retaliation_delay_days, militia.name))",
       "self.pending_strikes.append((m.day + self.retaliation_delay_days, m.militias[0].name))"),
      (DAY, "ps.append((float(day + int(w[RET_DELAY])), float(i)))",
       "ps.append((float(day + int(w[RET_DELAY])), 0.0))")),
    M("calm_days_against_the_drawdown_share", "a day counts as calm for a redeployment when "
      "the cost is below drawdown_share (0.4) of tolerance, not redeploy_calm_share (0.25) (the "
      "wrong field)",
      (A + "foreign_force.py", "                                            self.redeploy_calm_share)",
       "                                            self.drawdown_share)"),
      (DAY, "w[TOLERANCE], w[REDEPLOY_CALM])", "w[TOLERANCE], w[DRAWDOWN_SHARE])")),
    M("drawdown_logs_the_troops_left", "a drawdown event's value is the troops left in country, "
      "not those withdrawn",
      (A + "foreign_force.py", "event_text.drawdown(reason, self.presence), troops)",
       "event_text.drawdown(reason, self.presence), self.presence)"),
      (DAY, "A_DRAWDOWN, -1, troops, K_COST_DRAWDOWN", "A_DRAWDOWN, -1, presence, K_COST_DRAWDOWN"),
      (DAY, "A_DRAWDOWN, -1, troops, K_DRAWDOWN", "A_DRAWDOWN, -1, presence, K_DRAWDOWN")),
    # scripted events
    M("scripted_backing_for_every_standoff", "a scripted backing aimed at one militia's standoff "
      "steps into every open standoff (the target is not checked)",
      (PKG + "scripted_events.py",
       "confronted = [s for s in model.open_standoffs() if ev.target in (None, s.militia)]",
       "confronted = list(model.open_standoffs())"),
      (DAY, "if is_open(so, k) and (i == -1 or so[k, S_MILITIA] == i):", "if is_open(so, k):")),
    M("truce_raises_hostility", "a scripted truce raises each militia's own hostility to the "
      "truce's level instead of capping it there (max for min)",
      (PKG + "scripted_events.py", "m.hostility = min(m.hostility, level)",
       "m.hostility = max(m.hostility, level)"),
      (DAY, "m[j, HOSTILITY] = min(m[j, HOSTILITY], level)",
       "m[j, HOSTILITY] = max(m[j, HOSTILITY], level)")),
    # attack outcomes and what the run records
    M("every_attack_counts_a_casualty", "escalation rises by the per-casualty weight once per "
      "attack, whatever its casualties (the count dropped)",
      (PKG + "model.py", 'self.raise_escalation("per_casualty", casualties)',
       'self.raise_escalation("per_casualty")'),
      (DAY, "raise_escalation(w, ESC_PER_CASUALTY, casualties)",
       "raise_escalation(w, ESC_PER_CASUALTY)")),
    M("max_muster_size_without_allies", "the summary's max_muster_size counts only the raided "
      "militia's own fighters, not the allies who joined its muster",
      (PKG + "outcomes.py", "max((s.muster + s.allied_fighters for s in m.standoffs",
       "max((s.muster for s in m.standoffs")),
    # --- eighth audit (Dec 2026) --------------------------------------------------------------
    # (before its tests: the model tests killed five of its ten model bugs; none of the model
    # tests reads the calibration statistics, and tests/test_calibration_statistics.py, added to
    # them then, killed one of its five statistics bugs, total_sums_the_days)
    # whom the government raids: its memory of each militia's attacks, the risk it weighs
    M("attack_memory_overwritten", "the government's memory of a militia's attacks is "
      "overwritten by each new attack (set to 1, not raised by 1): its raids no longer follow "
      "who attacks most",
      (A + "government.py", "self._seen[militia] = (self.attacks_seen(militia) + 1.0, self.model.day)",
       "self._seen[militia] = (1.0, self.model.day)"),
      (DAY, "    m[i, SEEN] = attacks_seen(m, i, day) + 1.0\n", "    m[i, SEEN] = 1.0\n")),
    M("target_risk_weighed_by_backing_belief", "the choice of whom to raid weighs a muster's risk "
      "by the government's belief in US backing, not its belief that militias resist (the "
      "wrong belief)",
      (A + "government.py", "self.strength(self.backing_belief.mean), self.resistance_belief.mean)",
       "self.strength(self.backing_belief.mean), self.backing_belief.mean)"),
      (DAY, "government_strength(w, w[GB_MEAN]), w[GR_MEAN])",
       "government_strength(w, w[GB_MEAN]), w[GB_MEAN])")),
    # militias: readiness, what they learn and from whom, their own muster
    M("readiness_on_baseline_cohesion", "readiness reads the militia's baseline cohesion, not "
      "its cohesion now: strikes' cohesion damage no longer lowers its attacks",
      (A + "militia.py", "attacks.readiness(self.cohesion, self.fighters, self.initial_fighters)",
       'attacks.readiness(self.baseline["cohesion"], self.fighters, self.initial_fighters)'),
      (DAY, "attacks.readiness(m[i, M_COHESION], fighters(m, i), int(m[i, FIGHTERS])),",
       "attacks.readiness(m[i, BASE_COHESION], fighters(m, i), int(m[i, FIGHTERS])),")),
    M("retaliation_lesson_for_the_attacker_only", "only the militia that attacked learns whether "
      "its deadly attack brought US strikes, not every militia",
      (A + "foreign_force.py", "            m.observe_retaliation(strikes)\n",
       "            militia.retaliation_belief.observe(strikes)\n"),
      (DAY, "        for j in range(m.shape[0]):\n            observe(m, j, MT_ALPHA, strikes)\n",
       "        observe(m, i, MT_ALPHA, strikes)\n")),
    M("resolve_lesson_for_the_central_militia_only", "only the militia at the centre of a "
      "standoff (or a raid it complied with) learns from it about the government's resolve",
      (PKG + "model.py", "            m.resolve_belief.observe(government_won)\n",
       "            if central:\n                m.resolve_belief.observe(government_won)\n"),
      (DAY, "        observe(m, i, MR_ALPHA, government_won)\n",
       "        if i == central:\n            observe(m, i, MR_ALPHA, government_won)\n")),
    M("own_muster_unscaled_by_default", "muster_size's default is an ally's turnout (own=False): "
      "a raided militia's own muster is not scaled by what is at stake",
      (A + "militia.py", "def muster_size(self, own: bool = True) -> int:",
       "def muster_size(self, own: bool = False) -> int:"),
      (DAY, "    muster = muster_size(rng, w, m, i, True)\n",
       "    muster = muster_size(rng, w, m, i, False)\n")),
    # fights: the government's strength as its troops fall
    M("fight_strength_from_starting_troops", "a fight weighs the government's strength by the "
      "troops it started with, not those still in it: its dead and deserters keep fighting",
      (PKG + "standoffs.py",
       "return op.engaged_troops(s.troops, model.government.resistance_belief.mean)",
       "return op.engaged_troops(s.troops_start, model.government.resistance_belief.mean)"),
      (DAY, "return operation.engaged_troops(int(so[s, S_TROOPS]), w[GR_MEAN])",
       "return operation.engaged_troops(int(so[s, S_TROOPS_START]), w[GR_MEAN])")),
    # the patron: a truce's renewal
    M("truce_renewed_on_its_last_day", "a truce can be ordered again on the last day of the one "
      "in force (>= for >): under lasting war risk truces come every truce_days - 1 days",
      (MECH + "patronage.py", "return weight >= TRUCE_WEIGHT and day > truce_until",
       "return weight >= TRUCE_WEIGHT and day >= truce_until")),
    # the foreign force: a strike's cost, its own dead
    M("strike_raises_authority", "a US strike raises the government's authority instead of "
      "costing it (the sovereignty cost's sign flipped)",
      (A + "foreign_force.py", "m.government.shift(authority=-retaliation.SOVEREIGNTY_COST)",
       "m.government.shift(authority=retaliation.SOVEREIGNTY_COST)"),
      (DAY, "government_shift(w, -retaliation.SOVEREIGNTY_COST, 0.0, 0.0)",
       "government_shift(w, retaliation.SOVEREIGNTY_COST, 0.0, 0.0)")),
    M("casualties_do_not_cut_presence", "US troops killed in attacks stay counted among the "
      "troops in country (presence falls only by drawdowns)",
      (A + "foreign_force.py", "        if casualties:\n            self.lose_troops(casualties)\n", ""),
      (DAY, "    if casualties:\n        lose_troops(day, w, ev, casualties)\n", "")),
    # calibration statistics (src/leverage_sim/calibration/statistics.py)
    M("total_sums_the_days", "the statistic total sums the events' day numbers, not their values "
      "(the wrong column)",
      (STATS, "return float(ev.value[select(ev, action, actor, target, exclude_targets, start, end)].sum())",
       "return float(ev.day[select(ev, action, actor, target, exclude_targets, start, end)].sum())")),
    M("days_until_the_last_event", "days_until counts to the last matching event in its window, "
      "not the first (max for min)",
      (STATS, "return float(min(cap, (pd.Timestamp(dates.min()) - pd.Timestamp(after)).days))",
       "return float(min(cap, (pd.Timestamp(dates.max()) - pd.Timestamp(after)).days))")),
    M("followed_by_window_a_day_short", "followed_by's window leaves out its last day: a "
      "response exactly within_days after the trigger does not count",
      (STATS, "answered = [((answers >= d) & (answers <= d + within_days)).any() for d in triggers]",
       "answered = [((answers >= d) & (answers < d + within_days)).any() for d in triggers]")),
    M("share_window_counts_excluded_targets", "share_in_window drops exclude_targets from the "
      "window's count (only the whole period's leaves them out): the share counts excluded "
      "events and can pass 1",
      (STATS, "part = count(tables, action, exclude_targets=exclude_targets, start=window_start,",
       "part = count(tables, action, start=window_start,")),
    M("occurred_ignores_its_actor", "occurred counts the action by any actor, not only the one "
      "named (the wrong actor)",
      (STATS, "return float(count(tables, action, actor, target, (), start, end) > 0)",
       "return float(count(tables, action, None, target, (), start, end) > 0)")),
    # --- ninth audit (Dec 2026) ---------------------------------------------------------------
    # (before its tests: the model tests killed seven of its ten model bugs, first failures in
    # tests/test_operations.py (three), tests/test_wiring.py (two) and the fourth and eighth
    # audits' tests (one each); tests/test_wiring_ninth_audit.py, added to them, kills the other
    # three: an operation's backlash, a scripted drawdown's cooldown, a withdrawal being final)
    # the patron's brokering of a ceasefire: for whom, on what
    M("broker_for_an_unsupported_militia", "the patron brokers a ceasefire in the fight of a "
      "militia it does not support (share 0): the check lets a zero share through (< for <=)",
      (A + "patron.py", "        if self.shares[militia] <= 0:\n            return False",
       "        if self.shares[militia] < 0:\n            return False"),
      (DAY, "    if m[i, SHARE] <= 0:\n        return False",
       "    if m[i, SHARE] < 0:\n        return False")),
    M("broker_ignores_war_risk", "the patron brokers only when its client is losing, never out "
      "of war risk: its restraint weight is not passed to the brokering chance (0)",
      (A + "patron.py", ("                                         self.restraint_weight, "
       "self.stability_priority,"),
       "                                         0.0, self.stability_priority,"),
      (DAY, "operation.broker_probability(position, w[BROKER_THRESHOLD], weight, w[STABILITY],",
       "operation.broker_probability(position, w[BROKER_THRESHOLD], 0.0, w[STABILITY],")),
    # the foreign force in a fight
    M("us_never_steps_into_a_fight", "the US's drawn step-in shows only while a confrontation "
      "is a standoff: it never steps into an operation or a clash once the fighting has begun",
      (PKG + "standoffs.py",
       "    if s.us_will_step_in and not s.us_stepped_in and model.day >= s.us_step_in_day:",
       ("    if s.us_will_step_in and not s.us_stepped_in and model.day >= s.us_step_in_day "
       "and not s.fighting:")),
      (DAY, ("    if so[s, S_WILL] != 0 and so[s, S_STEPPED_IN] == 0 and day >= so[s, "
       "S_STEP_IN_DAY]:"),
       ("    if so[s, S_WILL] != 0 and so[s, S_STEPPED_IN] == 0 and day >= so[s, "
       "S_STEP_IN_DAY] and so[s, S_FIGHTING] == 0:"))),
    M("air_support_unscaled_by_presence", "air support counts in full whatever the troops in "
      "country (its share by presence dropped): a token presence steps in with all its air power",
      (MECH + "backing.py", "    return air_support * air_support_share(presence)",
       "    return air_support")),
    # fights: desertion; an operation's cost to the patron's temper
    M("deserters_stay_in_the_fight", "deserters are logged but not taken out of the troops "
      "still fighting: the force never melts away",
      (PKG + "standoffs.py", "        s.troops -= deserters\n", ""),
      (DAY, "        so[s, S_TROOPS] -= deserters\n", "")),
    M("operation_brings_no_backlash", "an operation against a client brings the patron none of "
      "a raid's backlash (only raids do)",
      (PKG + "model.py", "        self.patron.react_to_raid()\n        s = self.open_standoff(",
       "        s = self.open_standoff("),
      (DAY, "    w[BACKLASH] += w[RAID_BACKLASH]\n    k = open_standoff(rng, day, w, so, i, 0, 0)",
       "    k = open_standoff(rng, day, w, so, i, 0, 0)")),
    # public reactions: the threat window of a raid the militia complies with
    M("comply_opens_no_threat_window", "a raid opens its threat window only if the raided "
      "militia musters: allies never threaten over a raid it complied with",
      (PKG + "model.py", ("        self.threat_windows.append((self.day + militia.threat_window_days,"
       " militia.name, set()))\n        resists = militia.musters()"),
       "        resists = militia.musters()"),
      (PKG + "model.py", "        muster = militia.muster_size()\n",
       ("        self.threat_windows.append((self.day + militia.threat_window_days, militia.name,"
       " set()))\n        muster = militia.muster_size()\n")),
      (DAY, ("    k = int(w[N_WINDOWS])\n    tw[k, 0] = day + m[i, THREAT_WINDOW]\n    tw[k, 1] = i\n"
       "    tw[k, 2:] = 0.0\n    w[N_WINDOWS] = k + 1\n"), ""),
      (DAY, "    muster = muster_size(rng, w, m, i, True)\n",
       ("    k = int(w[N_WINDOWS])\n    tw[k, 0] = day + m[i, THREAT_WINDOW]\n    tw[k, 1] = i\n"
       "    tw[k, 2:] = 0.0\n    w[N_WINDOWS] = k + 1\n"
       "    muster = muster_size(rng, w, m, i, True)\n"))),
    # staying power: a scripted drawdown and the cooldown; a withdrawal is final
    M("scripted_drawdown_does_not_restart_cooldown", "a drawdown restarts the cooldown only when "
      "the cost decided it: after a scripted drawdown a costly day draws down again at once",
      (A + "foreign_force.py", ("        self.last_drawdown_day = self.model.day\n"
       "        self.model.observe_backing(False, silent_day=False)"),
       "        self.model.observe_backing(False, silent_day=False)"),
      (DAY, "    w[LAST_DRAWDOWN] = day\n    observe_backing(w, m, False, False)",
       "    observe_backing(w, m, False, False)")),
    M("redeploy_after_withdrawal", "a force that has left counts calm days and redeploys: a "
      "full withdrawal is not final",
      (A + "foreign_force.py", "        if self.withdrawn or self.presence >= self.authorised:",
       "        if self.presence >= self.authorised:"),
      (DAY, "    if presence == 0 or presence >= authorised:", "    if presence >= authorised:")),
    # retaliation: what a strike does to the cells
    M("strikes_do_not_disrupt", "a US strike kills and shakes cohesion but does not disrupt the "
      "militia's attack cells (strike_disruption dropped)",
      (A + "foreign_force.py", "        militia.disrupt(self.strike_disruption)\n", ""),
      (DAY, "    disrupt(m, i, w[STRIKE_DISRUPTION])\n", "")),
    # --- tenth audit (Dec 2026) ---------------------------------------------------------------
    # (before its tests: the model tests killed six of its eight model bugs, first failures in
    # tests/test_mechanisms.py (two), tests/test_wiring_second_audit.py (two), the fifth audit's
    # tests and tests/test_long_run.py (one each); tests/test_wiring_tenth_audit.py, added to
    # them, kills the other two: coalition support's and authority's recovery)
    # beliefs: forgetting toward the prior
    M("partner_belief_never_forgets", "the US's belief that its partner holds firm never "
      "forgets toward its prior: every standoff's lesson weighs forever",
      (A + "foreign_force.py", "        self.partner_belief.forget(self.belief_memory_days)\n", ""),
      (DAY, "    forget_world(w, FP_ALPHA, FP_ALPHA0, w[F_BELIEF_MEMORY])\n", "")),
    M("forgetting_keeps_the_no_count", "forgetting relaxes only the 'yes' count toward the "
      "prior: evidence that X did not happen never fades",
      (MECH + "beliefs.py", "    beta = relax(beta, beta0, memory_days)\n", "")),
    # scripted events: the right actor
    M("truce_caps_only_the_first_militia", "a scripted truce caps the hostility of the first "
      "militia only: the patron's other clients keep their own",
      (PKG + "scripted_events.py", "    for m in model.militias:\n        m.hostility = min(",
       "    for m in model.militias[:1]:\n        m.hostility = min("),
      (DAY, "        for j in range(m.shape[0]):\n            m[j, HOSTILITY] = min(",
       "        for j in range(1):\n            m[j, HOSTILITY] = min(")),
    # attacks: site choice, casualties by exposure
    M("site_choice_ignores_avoidance", "every militia steers away from defended sites in full "
      "(its defence_avoidance dropped from the site weight)",
      (MECH + "attacks.py", "    return target_weight * (1.0 - avoidance * interception)",
       "    return target_weight * (1.0 - interception)")),
    M("exposure_complement", "exposure is the complement of its formula: few troops in country "
      "are the most exposed, a full presence the least",
      (MECH + "attacks.py", "    return presence / (presence + exposure_half)",
       "    return exposure_half / (presence + exposure_half)")),
    # the government's recovery: coalition support and authority
    M("coalition_recovers_toward_authority", "coalition support recovers toward the "
      "government's baseline authority instead of its own baseline",
      (A + "government.py", ("            self.coalition_support = relax(self.coalition_support, "
       "base[\"coalition_support\"],"),
       "            self.coalition_support = relax(self.coalition_support, base[\"authority\"],"),
      (DAY, "        w[COALITION] = beliefs.relax(w[COALITION], w[BASE_COALITION], tau)",
       "        w[COALITION] = beliefs.relax(w[COALITION], w[BASE_AUTHORITY], tau)")),
    M("authority_recovers_over_belief_memory", "authority recovers with the belief memory's "
      "time constant (belief_memory_days) instead of recovery_days",
      (A + "government.py",
       "            self.authority = relax(self.authority, base[\"authority\"], tau)",
       ("            self.authority = relax(self.authority, base[\"authority\"], "
        "self.belief_memory_days)")),
      (DAY, "        w[AUTHORITY] = beliefs.relax(w[AUTHORITY], w[BASE_AUTHORITY], tau)",
       "        w[AUTHORITY] = beliefs.relax(w[AUTHORITY], w[BASE_AUTHORITY], w[G_BELIEF_MEMORY])")),
    # the expulsion vote's pressure
    M("strikes_add_no_expulsion_pressure", "a US strike adds no expulsion pressure: "
      "retaliation never brings parliament nearer its vote",
      (A + "foreign_force.py", ("        self.expulsion_pressure = clamp(self.expulsion_pressure + "
       "self.strike_expulsion_pressure)\n"), ""),
      (DAY, "    w[EXPULSION] = beliefs.clamp(w[EXPULSION] + w[STRIKE_EXPULSION])\n", "")),
    # --- eleventh audit (Dec 2026) ------------------------------------------------------------
    # (before its tests: the model tests killed four of its six model bugs, first failures in
    # tests/test_long_run.py, the third and sixth audits' tests and tests/test_statics_seeds.py
    # (one each); tests/test_wiring_eleventh_audit.py, added to them, kills the other two: the
    # stake over the fighters now, and arrests resisted by the local fighters only)
    # a militia's recovery: the right baseline, the right time constant
    M("autonomy_recovers_toward_cohesion", "a militia's autonomy recovers toward its baseline "
      "cohesion instead of its own baseline",
      (A + "militia.py", "relax(self.autonomy, base[\"autonomy\"],",
       "relax(self.autonomy, base[\"cohesion\"],"),
      (DAY, "beliefs.relax(m[i, M_AUTONOMY], m[i, BASE_AUTONOMY], tau)",
       "beliefs.relax(m[i, M_AUTONOMY], m[i, BASE_COHESION], tau)")),
    M("morale_fades_over_disruption_days", "a militia's morale fades with its "
      "disruption_recovery_days instead of morale_memory_days",
      (A + "militia.py", "fade(self.morale, self.morale_memory_days)",
       "fade(self.morale, self.disruption_recovery_days)"),
      (DAY, "beliefs.fade(m[i, MORALE], m[i, MORALE_MEMORY])",
       "beliefs.fade(m[i, MORALE], m[i, DISRUPTION_RECOVERY])")),
    # a militia's muster: who turns out, what is at stake, which belief is which
    M("muster_from_all_fighters", "a muster draws from all of the militia's fighters, not "
      "only its local fighters (local_fighters)",
      (A + "militia.py", "self.local_fighters, self.mobilisation,",
       "self.fighters, self.mobilisation,"),
      (DAY, "draw_muster(rng, int(m[i, LOCAL_FIGHTERS]), m[i, MOBILISATION],",
       "draw_muster(rng, fighters(m, i), m[i, MOBILISATION],")),
    M("stake_over_starting_fighters", "the stake is the detained as a share of the militia's "
      "starting fighters, not of its fighters now (losses do not raise it)",
      (A + "militia.py", "self.fighters, self.stake_reference)",
       "self.initial_fighters, self.stake_reference)"),
      (DAY, "fighters(m, i), m[i, STAKE_REFERENCE])", "int(m[i, FIGHTERS]), m[i, STAKE_REFERENCE])")),
    M("muster_on_retaliation_belief", "a raided militia's muster chance reads its belief in US "
      "retaliation where its belief in US backing belongs",
      (A + "militia.py", "self.resolve_belief.mean, self.backing_belief.mean,",
       "self.resolve_belief.mean, self.retaliation_belief.mean,"),
      (DAY, "m[i, MR_MEAN], m[i, MB_MEAN],", "m[i, MR_MEAN], m[i, MT_MEAN],")),
    # a raid's arrests
    M("arrests_against_all_fighters", "a raid's arrests are resisted by all of the militia's "
      "fighters, not only its local fighters (local_fighters)",
      (A + "government.py", "enforcement.local_defenders(militia.local_fighters,",
       "enforcement.local_defenders(militia.fighters,"),
      (DAY, "enforcement.local_defenders(int(m[i, LOCAL_FIGHTERS]),",
       "enforcement.local_defenders(fighters(m, i),")),
    # --- twelfth audit (Dec 2026) -------------------------------------------------------------
    # (before its tests: the model tests killed eleven of its nineteen bugs, first failures in
    # tests/test_wiring.py (three), tests/test_operations.py (three), the second audit's tests
    # (two), tests/test_calibration_statistics.py (two) and tests/test_replay_validation.py
    # (one); tests/test_wiring_twelfth_audit.py, added to them, kills the other eight: the
    # commander's stake, the withdrawal's loss weight, the war risk's cap, troops returning
    # rounded up, a fight's last day on the real contest, and three statistics: largest's
    # target, days_until's cap, one excluded target written alone)
    # custody and the stake: a case's delay, a commander's weight
    M("release_delay_never_below_median", "a case's delay is never shorter than the median: "
      "the log-normal draw takes |Z|, so only the slow side of the spread is drawn",
      (MECH + "custody.py", "    delay = median_days * math.exp(spread * z)\n",
       "    delay = median_days * math.exp(spread * abs(z))\n")),
    M("commander_counted_twice", "a detained commander counts as commander_stake members on "
      "top of himself (the -1 dropped): the stake over-counts every commander by one",
      (MECH + "intimidation.py", "    return detained + (commander_stake - 1.0) * commanders",
       "    return detained + commander_stake * commanders")),
    # what stepping in brings and costs
    M("standoff_strength_all_troops", "every US soldier in country counts in a standoff (the "
      "standoff_share of committable troops dropped from U)",
      (MECH + "backing.py", "    return presence * standoff_share * ground_multiplier",
       "    return presence * ground_multiplier")),
    M("step_in_expulsion_unclamped", "a step-in's expulsion pressure is not capped at 1: "
      "repeated interventions push the index past its scale",
      (MECH + "backing.py", "    return (clamp(expulsion_pressure + step_in_expulsion_pressure),",
       "    return (expulsion_pressure + step_in_expulsion_pressure,")),
    # fights: losses' weight, brokering, ceasefire terms, the last day, holding ground
    M("desertion_losses_unweighted", "losses weigh on desertion as their bare share (LOSS_WEIGHT "
      "dropped): a tenth of the force lost adds a tenth, not a hopeless contest's worth",
      (MECH + "operation.py", "* (1.0 - win_chance + LOSS_WEIGHT * loss_share)))",
       "* (1.0 - win_chance + loss_share)))")),
    M("withdrawal_losses_unweighted", "the militia's losses weigh on its leaving the streets as "
      "their bare share (its loss_sensitivity dropped)",
      (MECH + "operation.py", "                                 + loss_sensitivity * loss_share))",
       "                                 + loss_share))")),
    M("broker_ignores_stability_priority", "the patron brokers out of war risk in full whatever "
      "its stability_priority (the restraint weight not scaled by it)",
      (MECH + "operation.py", "(1.0 - restraint_weight * stability_priority)",
       "(1.0 - restraint_weight)")),
    M("ceasefire_tie_to_government", "a ceasefire in an even fight (p = 1/2) goes the "
      "government's way, unlike the last day's rule (p above 1/2)",
      (MECH + "operation.py", "    return win_chance > 0.5\n", "    return win_chance >= 0.5\n")),
    M("last_day_on_believed_contest", "a fight's last day is decided by the government's "
      "believed contest ratio, not the real one",
      (PKG + "standoffs.py", "        won = actual > 0.5\n", "        won = believed > 0.5\n"),
      (DAY, "        if actual > 0.5:\n", "        if believed > 0.5:\n")),
    M("stand_down_on_governments_belief", "the militia judges an operation with the "
      "government's belief in US backing instead of its own",
      (PKG + "model.py", "fight_strengths(self, s, militia.backing_belief.mean,",
       "fight_strengths(self, s, self.government.backing_belief.mean,"),
      (DAY, "fight_strengths(w, m, so, k, m[i, MB_MEAN],",
       "fight_strengths(w, m, so, k, w[GB_MEAN],")),
    M("stand_down_fast_path_only", "the fast path alone judges an operation with the "
      "government's belief in US backing (the agent path right): the equality tests must "
      "catch it",
      (DAY, "fight_strengths(w, m, so, k, m[i, MB_MEAN],",
       "fight_strengths(w, m, so, k, w[GB_MEAN],")),
    M("stand_down_ignores_resolve", "the militia stands down whatever it believes of the "
      "government's resolve (the resolve factor dropped)",
      (MECH + "operation.py", "    return expected_resolve * withdraw_probability(",
       "    return withdraw_probability(")),
    M("stand_down_without_us", "the contest the militia believes it faces leaves the US out "
      "(its belief in backing weighted by 0)",
      (PKG + "model.py", "fight_strengths(self, s, militia.backing_belief.mean,",
       "fight_strengths(self, s, 0.0,"),
      (DAY, "fight_strengths(w, m, so, k, m[i, MB_MEAN],", "fight_strengths(w, m, so, k, 0.0,")),
    M("stand_down_teaches_resistance", "a militia standing down is recorded in the "
      "government's belief as resistance (the observation reversed)",
      (PKG + "model.py", "        self.government.resistance_belief.observe(resists)\n",
       "        self.government.resistance_belief.observe(not resists)\n"),
      (DAY, "    resists = not rng.random() < p\n    observe_world(w, GR_ALPHA, resists)\n",
       "    resists = not rng.random() < p\n    observe_world(w, GR_ALPHA, not resists)\n")),
    M("stand_down_still_fights", "a militia that stands down is logged as standing down but "
      "the operation is not closed: the fight goes on",
      (PKG + "model.py", "            standoffs.close(self, s, \"held_firm\", event_text.stood_down(militia.name))\n",
       ""),
      (DAY, "        close(day, w, m, so, ev, k, HELD_FIRM, 0, K_WON_STANDS_DOWN, militia_name(i), 0.0, 0.0)\n",
       "")),
    M("withdrawal_ignores_hold_ground", "a militia fighting in its own districts leaves the "
      "streets as readily as anywhere: its hold_ground is not passed to the withdrawal chance",
      (PKG + "standoffs.py", "militia.hold_ground, militia.loss_sensitivity,",
       "0.0, militia.loss_sensitivity,"),
      (DAY, "m[i, HOLD_GROUND], m[i, LOSS_SENSITIVITY], w[SHARPNESS]):",
       "0.0, m[i, LOSS_SENSITIVITY], w[SHARPNESS]):")),
    # troops returning, the patron's war risk, memories
    M("redeploy_rounded_down", "troops returning are the share of the gap rounded down, not "
      "up (a small gap closes more slowly)",
      (MECH + "redeploy.py", "max(1, min(gap, math.ceil(share * gap)))",
       "max(1, min(gap, int(share * gap)))")),
    M("war_risk_uncapped", "the patron's war risk is not capped at 1 (escalation, strikes and "
      "threats add past the index's scale)",
      (MECH + "patronage.py",
       "    return min(1.0, escalation + strike_risk * recent_strikes + us_threat)",
       "    return escalation + strike_risk * recent_strikes + us_threat")),
    M("fade_snaps_negative_values", "fading sets every negative value to 0 at once (the rest "
      "test one-sided): a lost standoff's morale drop vanishes the next day",
      (MECH + "beliefs.py", "    return 0.0 if -REST < value < REST else value * (",
       "    return 0.0 if value < REST else value * (")),
    M("remembered_a_day_short", "a remembered attack fades one day fewer than the days since "
      "it (the memory a day fresher than it is)",
      (MECH + "beliefs.py", "(1.0 - 1.0 / time_constant_days) ** float(days)",
       "(1.0 - 1.0 / time_constant_days) ** float(days - 1)")),
    # the calibration statistics: filters, edges, caps, the empty case
    M("largest_ignores_its_target", "the largest value is taken over every target's events "
      "(its target filter dropped)",
      (STATS, "values = ev.value[select(ev, action, actor, target, (), start, end)]",
       "values = ev.value[select(ev, action, actor, None, (), start, end)]")),
    M("days_until_uncapped", "days_until returns the days to a late first event even past its "
      "cap",
      (STATS, "    return float(min(cap, (pd.Timestamp(dates.min()) - pd.Timestamp(after)).days))",
       "    return float((pd.Timestamp(dates.min()) - pd.Timestamp(after)).days)")),
    M("followed_by_unanswered_when_none", "followed_by scores 0 (all unanswered) when there "
      "are no trigger events, not 1",
      (STATS, "    if len(triggers) == 0:\n        return 1.0\n",
       "    if len(triggers) == 0:\n        return 0.0\n")),
    M("select_end_exclusive", "a window's end date is excluded: events on the end day do not "
      "count",
      (STATS, "        mask &= ev.dates <= _instant(end)", "        mask &= ev.dates < _instant(end)")),
    M("exclude_target_split_into_letters", "one excluded target written alone (a string) is "
      "read as its letters, so it is not excluded",
      (STATS, ("    if isinstance(exclude_targets, str):  # one target written alone, not its "
               "letters\n        exclude_targets = (exclude_targets,)\n"), "")),
    # --- thirteenth audit (Dec 2026) ----------------------------------------------------------
    # (before its tests: the model tests killed thirteen of its fifteen bugs, first failures in
    # tests/test_operations.py (five), the fifth audit's tests (three), the fourth audit's (three),
    # the twelfth's (one) and the second's (one); its four fast-path-only bugs were killed by
    # model tests run on the fast engine, not by tests/test_fast_path.py, which is not in them;
    # tests/test_wiring_thirteenth_audit.py, added to them, kills all fifteen on its own,
    # including the two survivors: the stand-down without the patron's push, and a fight
    # counting the US's hidden choice before it shows)
    # the stand-down at an operation's opening (step 0)
    M("stand_down_ignores_push", "the militia weighs an operation's opening without the "
      "patron's push (push taken as 1/2, the neutral value)",
      (A + "militia.py", "                                             self.resolve_belief.mean, self.push,",
       "                                             self.resolve_belief.mean, 0.5,"),
      (DAY, "expected, m[i, MR_MEAN], push(w, m, i),",
       "expected, m[i, MR_MEAN], 0.5,")),
    M("stand_down_ignores_hold_ground", "the militia's resolve to hold its own districts is "
      "left out of the stand-down at an operation's opening (it weighs only in the fight)",
      (MECH + "operation.py", "                                   hold_ground, loss_sensitivity,",
       "                                   0.0, loss_sensitivity,")),
    M("stand_down_on_the_militias_chance", "the militia stands down on its own believed chance "
      "in the fight, not the government's: it avoids the fights it expects to win",
      (PKG + "model.py", "            operation.storming_chance(believed, sanctuary),",
       "            operation.storming_chance(1.0 - believed, sanctuary),"),
      (DAY, "stand_down_probability(operation.storming_chance(believed, sanctuary),",
       "stand_down_probability(operation.storming_chance(1.0 - believed, sanctuary),")),
    M("stand_down_reads_backing_as_resolve", "the stand-down's resolve factor reads the "
      "militia's belief in US backing, not its belief that the government presses on",
      (A + "militia.py", "                                             self.resolve_belief.mean, self.push,",
       "                                             self.backing_belief.mean, self.push,"),
      (DAY, "expected, m[i, MR_MEAN], push(w, m, i),",
       "expected, m[i, MB_MEAN], push(w, m, i),")),
    M("stand_down_fast_path_ignores_hold_ground", "the fast path alone leaves hold_ground out "
      "of the stand-down at an operation's opening (the agent path right): the equality tests "
      "must catch it",
      (DAY, "m[i, HOLD_GROUND], m[i, LOSS_SENSITIVITY],\n",
       "0.0, m[i, LOSS_SENSITIVITY],\n")),
    # the first day's expected losses in the stand-down (backward induction, Dec 2026)
    M("stand_down_ignores_expected_losses", "the militia weighs an operation's opening at no "
      "losses again: what it expects to lose on the first day is left out",
      (MECH + "operation.py", "withdraw_probability(believed_win_chance, push, expected_losses,",
       "withdraw_probability(believed_win_chance, push, 0.0,")),
    M("stand_down_expected_losses_reversed", "the losses the militia expects on the first day "
      "keep it in the streets instead of pressing it to stand down",
      (MECH + "operation.py", "withdraw_probability(believed_win_chance, push, expected_losses,",
       "withdraw_probability(believed_win_chance, push, -expected_losses,")),
    M("stand_down_losses_from_own_strength", "the militia expects the first day's losses from "
      "its own strength, not the government's (with the US weighted by its belief)",
      (PKG + "model.py", "operation.exposed_strength(s_gov, sanctuary),\n                                          militia.fighters))",
       "operation.exposed_strength(s_mil, sanctuary),\n                                          militia.fighters))"),
      (DAY, "operation.exposed_strength(s_gov, sanctuary),\n                                             fighters(m, i))",
       "operation.exposed_strength(s_mil, sanctuary),\n                                             fighters(m, i))")),
    M("stand_down_fast_path_losses_at_militia_lethality", "the fast path alone expects the "
      "first day's losses at the militia's own lethality, not the government's (the agent path "
      "right): the equality tests must catch it",
      (DAY, "expected = operation.expected_loss_share(w[G_LETHALITY],",
       "expected = operation.expected_loss_share(m[i, M_LETHALITY],")),
    # ceasefire talks, brokering
    M("ceasefire_a_day_early", "a ceasefire takes hold a day before the talks have run their "
      "talks_days (talks of one day end the day they open)",
      (MECH + "operation.py", "    return talks_opened_day + talks_days\n",
       "    return talks_opened_day + talks_days - 1\n")),
    M("broker_sign_flipped", "the patron's brokering out of its client's losing has its sign "
      "flipped: it opens talks when its client is winning the fight",
      (MECH + "operation.py", "logistic(BROKER_SHARPNESS * (threshold - position))",
       "logistic(BROKER_SHARPNESS * (position - threshold))")),
    M("broker_fast_path_ignores_stability", "the fast path alone brokers out of war risk in "
      "full whatever the patron's stability_priority (the agent path right)",
      (DAY, "w[BROKER_THRESHOLD], weight, w[STABILITY],",
       "w[BROKER_THRESHOLD], weight, 1.0,")),
    # desertion and losses in a fight
    M("desertion_cohesion_inverted", "desertion rises with the force's cohesion (its "
      "complement dropped): a cohesive force melts away, a brittle one holds",
      (MECH + "operation.py", "desertion_rate * (1.0 - force_cohesion)",
       "desertion_rate * force_cohesion")),
    M("militia_dead_stay_in_the_fight", "the militia's dead in a fight are counted and logged "
      "but not taken from its fighters: it never weakens",
      (PKG + "standoffs.py", "    militia.fighters -= militia_killed\n", ""),
      (DAY, "    set_fighters(m, i, fighters(m, i) - militia_killed)\n", "")),
    M("government_dead_uncounted_fast_path", "the fast path alone does not add the day's "
      "government dead to the fight's tally (desertion never feels the losses): the equality "
      "tests must catch it",
      (DAY, "    so[s, S_GOV_KILLED] += government_killed\n", "")),
    # custody: the release day
    M("release_a_day_early_fast_path", "the fast path alone releases a case the day before its "
      "drawn release day (the agent path right)",
      (DAY, "if day >= m[i, RELEASE_DAY]:", "if day + 1 >= m[i, RELEASE_DAY]:")),
    # what the government learns in a fight; what the US brings to it
    M("fighting_day_weighs_half", "a day of fighting weighs half an observation in the "
      "government's belief that the militia resists (as a public threat), not a full one",
      (PKG + "standoffs.py",
       "    gov.resistance_belief.observe(True)  # the militia fought back today\n",
       "    gov.resistance_belief.observe(True, 0.5)  # the militia fought back today\n"),
      (DAY, "    observe_world(w, GR_ALPHA, True)\n    actual = real_contest(",
       "    observe_world(w, GR_ALPHA, True, 0.5)\n    actual = real_contest(")),
    M("fight_on_the_hidden_step_in", "a fight counts the US's strength from its opening when "
      "the US has chosen (hidden) to step in later, before it shows",
      (PKG + "standoffs.py", "model.rng\n    us = 1.0 if s.us_stepped_in else 0.0\n",
       "model.rng\n    us = 1.0 if s.us_will_step_in else 0.0\n"),
      (DAY, "    i = int(so[s, S_MILITIA])\n    us = 1.0 if so[s, S_STEPPED_IN] != 0 else 0.0\n",
       "    i = int(so[s, S_MILITIA])\n    us = 1.0 if so[s, S_WILL] != 0 else 0.0\n")),
    # troops returning
    M("redeploy_calm_ignores_calm_share", "a day counts as calm whenever the political cost is "
      "below the casualty tolerance itself (redeploy_calm_share dropped)",
      (MECH + "redeploy.py", "    return days + 1 if cost < calm_share * tolerance else 0",
       "    return days + 1 if cost < tolerance else 0")),
    # --- fourteenth audit (Dec 2026) ----------------------------------------------------------
    # (before its tests: the model tests killed fourteen of its fifteen bugs, first failures (for
    # eleven, in a run with tests/test_operations.py moved ahead of the slow statistical tests) in
    # tests/test_operations.py (five: the stand-down's two and the three summary columns), the
    # second audit's tests (three), the third, fourth, eighth, twelfth and thirteenth audits'
    # (one each) and tests/test_statics_seeds.py (one, at one seed: the coalition's step-in cost
    # read as the expulsion step); its two fast-path-only bugs were killed by model tests run on
    # the fast engine (the eighth and thirteenth audits'), not by tests/test_fast_path.py;
    # tests/test_wiring_fourteenth_audit.py, added to them, kills all fifteen on its own,
    # including the survivor: a fight's halt weighing the US by the government's belief after
    # it has stepped in)
    # the stand-down at an operation's opening: what the militia sees of the US and its losses
    M("stand_down_on_the_hidden_us_choice", "the militia weighs an operation's opening on the "
      "US's hidden choice (full strength if it will step in, none if not), not on its own "
      "belief in US backing",
      (PKG + "model.py",
       "s_gov, s_mil = standoffs.fight_strengths(self, s, militia.backing_belief.mean,",
       "s_gov, s_mil = standoffs.fight_strengths(self, s, 1.0 if s.us_will_step_in else 0.0,"),
      (DAY, "s_gov, s_mil = fight_strengths(w, m, so, k, m[i, MB_MEAN],",
       "s_gov, s_mil = fight_strengths(w, m, so, k, 1.0 if so[k, S_WILL] != 0 else 0.0,")),
    M("stand_down_losses_against_local_fighters", "the first day's expected losses are a "
      "share of the militia's local fighters (its muster pool), not of all its fighters (whom an "
      "operation fights)",
      (PKG + "model.py", "sanctuary),\n                                          militia.fighters))",
       "sanctuary),\n                                          militia.local_fighters))"),
      (DAY, "sanctuary),\n                                             fighters(m, i))",
       "sanctuary),\n                                             m[i, LOCAL_FIGHTERS])")),
    # the government's believed contest in a fight; desertion
    M("government_believes_full_resistance", "in a fight the government counts the militia's "
      "whole strength whatever its belief that the militia resists (the belief dropped)",
      (MECH + "operation.py", "    return resistance * strength\n", "    return strength\n")),
    M("fight_halt_forgets_the_step_in", "once the US has stepped into a fight the government "
      "still weighs its strength by its belief in backing, not in full",
      (PKG + "standoffs.py",
       ("    backing_term = 1.0 if s.us_stepped_in else gov.backing_belief.mean\n"
        "    believed = mech.contest_ratio(fight_strengths("),
       ("    backing_term = gov.backing_belief.mean\n"
        "    believed = mech.contest_ratio(fight_strengths(")),
      (DAY, "    backing_term = 1.0 if so[s, S_STEPPED_IN] != 0 else w[GB_MEAN]\n",
       "    backing_term = w[GB_MEAN]\n")),
    M("desertion_losses_over_remaining_troops", "desertion weighs the government's dead "
      "against the troops still in the fight, not against those it opened with",
      (PKG + "standoffs.py", "op.loss_share(s.government_killed, s.troops_start))",
       "op.loss_share(s.government_killed, s.troops))"),
      (DAY, "so[s, S_TROOPS_START]))", "so[s, S_TROOPS]))")),
    # the run's summary columns of a fight (outcomes.py, read by both engines)
    M("fight_deaths_counts_fighting_days", "the run summary's fight_deaths counts the days of "
      "fighting, not the combatants killed in them",
      (PKG + "outcomes.py", '"fight_deaths": lambda m: int(m.log.totals["fighting"]),',
       '"fight_deaths": lambda m: int(m.log.counts["fighting"]),')),
    M("deserters_count_desertion_days", "the run summary's deserters counts the days with "
      "desertion, not the troops who deserted",
      (PKG + "outcomes.py", '"deserters": lambda m: int(m.log.totals["defection"]),',
       '"deserters": lambda m: int(m.log.counts["defection"]),')),
    M("ceasefires_count_the_talks", "the run summary's ceasefires counts the talks the patron "
      "opened, not the ceasefires that took hold",
      (PKG + "outcomes.py", '"ceasefires": lambda m: m.log.counts["ceasefire"],',
       '"ceasefires": lambda m: m.log.counts["talks"],')),
    # the US's step-in costs
    M("step_in_backlash_replaces_the_stock", "a visible intervention sets the patron's "
      "backlash stock to the step's backlash instead of adding it",
      (MECH + "backing.py", "            backlash + step_in_backlash,\n",
       "            step_in_backlash,\n")),
    M("step_in_coalition_cost_is_the_expulsion_step", "a visible intervention costs the "
      "government's coalition the step in expulsion pressure, not step_in_coalition_cost",
      (A + "foreign_force.py", "gov.coalition_support, gov.step_in_coalition_cost)",
       "gov.coalition_support, self.step_in_expulsion_pressure)"),
      (DAY, "w[COALITION],\n        w[STEP_IN_COALITION])",
       "w[COALITION],\n        w[STEP_IN_EXPULSION])")),
    # custody; belief forgetting; drawdown
    M("release_delay_ignores_spread", "a case's release delay draws exp(Z) around the median: "
      "release_delay_spread is left out",
      (MECH + "custody.py", "    delay = median_days * math.exp(spread * z)\n",
       "    delay = median_days * math.exp(z)\n")),
    M("forgetting_stops_when_one_count_is_back", "a belief stops forgetting once either of its "
      "counts is back at the prior's (and for or): one that saw only one kind of news never "
      "forgets",
      (MECH + "beliefs.py", "if self.alpha != self.alpha0 or self.beta != self.beta0:",
       "if self.alpha != self.alpha0 and self.beta != self.beta0:"),
      (DAY, "if table[row, column] != table[row, prior] or table[row, column + 1]",
       "if table[row, column] != table[row, prior] and table[row, column + 1]"),
      (DAY, "if w[column] != w[prior] or w[column + 1] != w[prior + 1]:",
       "if w[column] != w[prior] and w[column + 1] != w[prior + 1]:")),
    M("at_the_floor_never_withdraws", "a force exactly at its floor is treated as above it: it "
      "draws down nobody and stays under review, never withdrawing in full",
      (MECH + "withdrawal.py", "    if presence <= floor:\n", "    if presence < floor:\n")),
    # slips in the fast path alone
    M("fight_deaths_fast_path_logs_militia_dead_only", "the fast path alone logs a day of "
      "fighting with the militia's dead only (the government's left out of fight_deaths; the "
      "agent path right): the equality tests must catch it",
      (DAY, "government_killed + militia_killed, K_FIGHTING,",
       "militia_killed, K_FIGHTING,")),
    M("desertion_fast_path_on_militia_cohesion", "the fast path alone weighs desertion with "
      "the militia's cohesion, not the government force's (the agent path right): the "
      "equality tests must catch it",
      (DAY, "w[DESERTION_RATE], w[FORCE_COHESION], actual",
       "w[DESERTION_RATE], m[i, M_COHESION], actual")),
    # --- fifteenth audit (Dec 2026) -----------------------------------------------------------
    # a fight's days: escalation, the tallies of the dead, desertion, the patron's talks and a
    # ceasefire on the militia's terms
    M("fight_escalation_at_the_muster_weight", "each day of fighting raises escalation by the "
      "per-muster weight, not the per-clash weight (the wrong field)",
      (PKG + "standoffs.py",
       '    model.raise_escalation("per_clash")\n    model.record("government", "fighting"',
       '    model.raise_escalation("per_muster")\n    model.record("government", "fighting"'),
      (DAY, "    raise_escalation(w, ESC_PER_CLASH)\n    record(ev, day, STR_GOVERNMENT, A_FIGHTING",
       "    raise_escalation(w, ESC_PER_MUSTER)\n    record(ev, day, STR_GOVERNMENT, A_FIGHTING")),
    M("fight_tallies_swapped", "a day's dead are added to the wrong side's tally: the "
      "government's dead to the militia's, the militia's to the government's (desertion and the "
      "militia's leaving the streets weigh the other side's losses)",
      (PKG + "standoffs.py",
       ("    s.militia_killed += militia_killed\n    s.troops -= government_killed\n"
        "    s.government_killed += government_killed\n"),
       ("    s.militia_killed += government_killed\n    s.troops -= government_killed\n"
        "    s.government_killed += militia_killed\n")),
      (DAY, ("    so[s, S_MIL_KILLED] += militia_killed\n    so[s, S_TROOPS] -= government_killed\n"
             "    so[s, S_GOV_KILLED] += government_killed\n"),
       ("    so[s, S_MIL_KILLED] += government_killed\n    so[s, S_TROOPS] -= government_killed\n"
        "    so[s, S_GOV_KILLED] += militia_killed\n"))),
    M("desertion_on_the_mornings_contest", "desertion reads the contest before the day's "
      "losses (the strengths the attrition was drawn with), not after them",
      (PKG + "standoffs.py", "    actual = real_contest(model, s)\n",
       "    actual = mech.contest_ratio(s_gov, s_mil)\n"),
      (DAY, "    actual = real_contest(w, m, so, s)\n    share = operation.desertion_share(",
       ("    actual = standoff.contest_ratio(s_gov, s_mil)\n"
        "    share = operation.desertion_share("))),
    M("talks_take_the_truce_days", "a ceasefire takes hold truce_days after the talks open, not "
      "talks_days (the wrong field)",
      (PKG + "standoffs.py", 'open_talks(model, s, "patron", patron.talks_days,',
       'open_talks(model, s, "patron", patron.truce_days,'),
      (DAY, "open_talks(day, so, ev, s, STR_PATRON, int(w[TALKS_DAYS]),",
       "open_talks(day, so, ev, s, STR_PATRON, int(w[TRUCE_DAYS]),")),
    M("ceasefire_concession_costs_like_a_relent", "a ceasefire on the militia's terms is closed "
      "as a plain relent, not a lost clash: it costs the government 1 x relent_authority_cost, "
      "not 1.5 x",
      (PKG + "standoffs.py", '        return close(model, s, "clash_lost", event_text.concedes(',
       '        return close(model, s, "relented", event_text.concedes('),
      (DAY, "close(day, w, m, so, ev, s, CLASH_LOST, 0, K_CONCEDES,",
       "close(day, w, m, so, ev, s, RELENTED, 0, K_CONCEDES,")),
    M("lost_clash_hands_over_nobody", "a clash the government loses hands over no detainees "
      "(the check for an operation reads 'fighting'): a standoff's detainees stay in custody "
      "once its muster has turned into a fight",
      (PKG + "standoffs.py", "transferred = 0 if s.operation else gov.transfer(",
       "transferred = 0 if s.fighting else gov.transfer("),
      (DAY, "handed = 0 if so[s, S_OPERATION] != 0 else transfer(",
       "handed = 0 if so[s, S_FIGHTING] != 0 else transfer(")),
    # what a confrontation's end teaches and costs (shared mechanisms)
    M("resolve_shift_ignores_the_authority_step", "resolve moves by RESOLVE_SHIFT whatever the "
      "authority step (the step dropped): a comply's half win, a win and a lost clash move it "
      "alike",
      (MECH + "beliefs.py", "sign * authority_step * RESOLVE_SHIFT,",
       "sign * RESOLVE_SHIFT,")),
    M("seen_us_deterrence_on_losses", "the seen-US factor scales the morale shifts of a "
      "government loss too (the 'government won' condition dropped): a lost fight the US had "
      "stepped into emboldens militias twice as much",
      (MECH + "beliefs.py", "deter = SEEN_US_DETERRENCE if government_won and us_seen else 1.0",
       "deter = SEEN_US_DETERRENCE if us_seen else 1.0")),
    # the foreign force: retaliation, drawdown, expulsion pressure after the vote
    M("retaliation_extra_deaths_from_zero", "retaliation's chance rises with every casualty "
      "counted from zero, not with those beyond the threshold ((c - threshold)/2 read as c/2)",
      (MECH + "retaliation.py", "(1.0 + (casualties - threshold) / 2)",
       "(1.0 + casualties / 2)")),
    M("drawdown_rounded_down", "a drawdown's troops are the share of presence rounded down, not "
      "to the nearest (1,872 x 0.4 = 748.8: 748 leave, not 749)",
      (MECH + "withdrawal.py", "    leaving = round(presence * share)\n",
       "    leaving = int(presence * share)\n")),
    M("post_vote_decay_clipped_not_relaxed", "after the vote expulsion pressure decays toward "
      "0 and is clipped at the floor, instead of its excess over the floor decaying",
      (MECH + "withdrawal.py",
       "    return floor + max(0.0, expulsion_pressure - floor) * (1.0 - EXPULSION_PRESSURE_DECAY)",
       "    return max(floor, expulsion_pressure * (1.0 - EXPULSION_PRESSURE_DECAY))")),
    # slips in the fast path alone
    M("withdrawal_fast_path_losses_over_government_troops", "the fast path alone weighs the "
      "militia's dead against the troops the government opened the fight with, not the "
      "militia's fighters at the start (the agent path right): the equality tests must catch it",
      (DAY, "operation.loss_share(so[s, S_MIL_KILLED], so[s, S_MIL_START])",
       "operation.loss_share(so[s, S_MIL_KILLED], so[s, S_TROOPS_START])")),
    M("fight_last_day_a_day_late_fast_path", "the fast path alone decides a fight by the real "
      "contest the day after its last day (> for >=; the agent path right): the equality tests "
      "must catch it",
      (DAY, "    if day >= so[s, S_END_DAY]:\n", "    if day > so[s, S_END_DAY]:\n")),
    M("broker_fast_path_on_governments_chance", "the fast path alone gives the patron's "
      "brokering decision the government's chance, not its client's (its talks event still logs "
      "the client's; the agent path right): the equality tests must catch it",
      (DAY, "patron_brokers(rng, w, m, i, 1.0 - actual)", "patron_brokers(rng, w, m, i, actual)")),
    M("stand_down_fast_path_reads_governments_belief", "the fast path alone weighs the "
      "stand-down at an operation's opening by the government's belief that militias resist, "
      "not the militia's belief that the government presses on (the agent path right)",
      (DAY, "m[i, MR_MEAN], push(w, m, i),\n                                         m[i, HOLD_GROUND]",
       "w[GR_MEAN], push(w, m, i),\n                                         m[i, HOLD_GROUND]")),
    M("retaliation_lesson_from_harmless_attacks", "every attack that gets through teaches the "
      "militias whether the US strikes back (>= for >), one that killed nobody (chance 0) "
      "too: their belief in retaliation sinks under harmless attacks",
      (A + "foreign_force.py",
       "        if chance > 0:\n            strikes = retaliation.decide_retaliation(m.rng, chance)",
       "        if chance >= 0:\n            strikes = retaliation.decide_retaliation(m.rng, chance)"),
      (DAY, "    if chance > 0:\n        strikes = retaliation.decide_retaliation(rng, chance)",
       "    if chance >= 0:\n        strikes = retaliation.decide_retaliation(rng, chance)")),
    M("fight_days_are_not_silent", "a day of fighting the US stays out of is not a silent day: "
      "beliefs in backing fall only on a standoff's days (the check moved after the fight's)",
      (PKG + "standoffs.py",
       ("    if not s.us_stepped_in:\n        model.observe_backing(False, silent_day=True)\n"
        "    if s.fighting:\n        return fight_day(model, s)\n"),
       ("    if s.fighting:\n        return fight_day(model, s)\n"
        "    if not s.us_stepped_in:\n        model.observe_backing(False, silent_day=True)\n")),
      (DAY, ("    if not stepped_in:\n        observe_backing(w, m, False, True)\n"
             "    if so[s, S_FIGHTING] != 0:\n        fight_day(rng, day, w, m, so, ev, s)\n"
             "        return\n"),
       ("    if so[s, S_FIGHTING] != 0:\n        fight_day(rng, day, w, m, so, ev, s)\n"
        "        return\n    if not stepped_in:\n        observe_backing(w, m, False, True)\n"))),
    M("kept_detainees_leave_custody", "a negotiated transfer's kept detainees are not put back "
      "in custody: they are neither handed over at the next relent nor ever released (the "
      "militia still counts them detained)",
      (A + "government.py", "        if kept:\n            self.custody[militia] = kept\n", ""),
      (DAY, "    if kept:\n        m[i, CUSTODY] = kept\n", "")),
    M("retaliation_belief_forgets_toward_resolve_prior_fast_path", "the fast path alone lets "
      "a militia's belief in US retaliation forget toward its prior of the government's resolve "
      "(the wrong prior columns; the agent path right): the equality tests must catch it",
      (DAY, "forget(m, i, MT_ALPHA, MT_ALPHA0, memory)", "forget(m, i, MT_ALPHA, MR_ALPHA0, memory)")),
    M("expulsion_vote_after_the_days_decay", "parliament's vote is checked after the day's "
      "decay of expulsion pressure, not before it (the two steps swapped): pressure just past "
      "the threshold fades below it unvoted",
      (A + "foreign_force.py",
       ("        self.consider_expulsion_vote()\n"
        "        self.expulsion_pressure = withdrawal.decay_expulsion(\n"
        "            self.expulsion_pressure, self.expulsion_voted, self.expulsion_vote_floor)\n"),
       ("        self.expulsion_pressure = withdrawal.decay_expulsion(\n"
        "            self.expulsion_pressure, self.expulsion_voted, self.expulsion_vote_floor)\n"
        "        self.consider_expulsion_vote()\n")),
      (DAY, ("    consider_expulsion_vote(day, w, ev)\n"
             "    w[EXPULSION] = withdrawal.decay_expulsion(w[EXPULSION], w[VOTED] != 0, w[VOTE_FLOOR])\n"),
       ("    w[EXPULSION] = withdrawal.decay_expulsion(w[EXPULSION], w[VOTED] != 0, w[VOTE_FLOOR])\n"
        "    consider_expulsion_vote(day, w, ev)\n"))),
    # --- sixteenth audit (Dec 2026) -----------------------------------------------------------
    # (before its tests: the model tests killed twelve of its eighteen bugs, first failures in
    # tests/test_invariants.py (three: the two summary columns and the step-in after
    # withdrawal), tests/test_wiring.py (two), the third audit's tests (two), tests/test_mechanisms.py,
    # tests/test_long_run.py and the second, eighth and fifteenth audits' (one each); six
    # survived: a threat's evidence weight, the raided militia joining its own muster, a raid's
    # commanders not capped at its arrests, the fast path's raid defenders at baseline cohesion,
    # a strike's cohesion damage uncapped, a scripted backing without a target backing nothing;
    # tests/test_wiring_sixteenth_audit.py, added to them, kills all eighteen on its own)
    # public reactions: threats and allies
    M("threat_costs_the_whole_pressure", "a public threat costs the government's coalition the "
      "threat's whole pressure, not a quarter of it (the / 4 dropped)",
      (PKG + "model.py", "self.government.shift(coalition_support=-pressure / 4)",
       "self.government.shift(coalition_support=-pressure)"),
      (DAY, "government_shift(w, 0.0, 0.0, -pressure / 4)",
       "government_shift(w, 0.0, 0.0, -pressure)")),
    M("threat_teaches_a_full_observation", "a public threat teaches the government that "
      "militias resist with a full observation's weight, not THREAT_EVIDENCE (the weight "
      "dropped)",
      (PKG + "model.py", "self.government.resistance_belief.observe(True, beliefs.THREAT_EVIDENCE)",
       "self.government.resistance_belief.observe(True)"),
      (DAY, "observe_world(w, GR_ALPHA, True, beliefs.THREAT_EVIDENCE)",
       "observe_world(w, GR_ALPHA, True)")),
    M("threats_from_militias_without_seats", "a militia without seats in parliament threatens "
      "the government publicly too (the seats check dropped): threats of no pressure that still "
      "teach the government that militias resist",
      (A + "militia.py", "return self.seats > 0 and bool(self.model.rng.random() < p)",
       "return bool(self.model.rng.random() < p)"),
      (DAY, "if not (m[i, SEATS] > 0 and rng.random() < p):", "if not rng.random() < p:")),
    M("militia_joins_its_own_muster", "the raided militia may 'join' its own muster as an ally "
      "(the check that the ally is another militia dropped): its fighters counted twice",
      (PKG + "model.py", "if m.name != s.militia and m.name not in s.joined and m.joins_muster():",
       "if m.name not in s.joined and m.joins_muster():"),
      (DAY, "if i != so[s, S_MILITIA] and joined[s, i] == 0 and rng.random() < \\",
       "if joined[s, i] == 0 and rng.random() < \\")),
    # raids: commanders, the target's risk
    M("commanders_not_capped_by_arrests", "a raid's documented commanders are not capped at "
      "the arrests drawn: a raid of 3 targets with 10 commanders detains 10 commanders",
      (PKG + "model.py", "        commanders = min(commanders, arrests)\n", ""),
      (DAY, "    commanders = min(commanders, arrests)\n", "")),
    M("raid_target_risk_is_the_governments_chance", "the choice of whom to raid weighs each "
      "militia by the government's chance against its muster, not the muster's chance (the "
      "contest's arguments swapped): the strongest militias look the safest to raid",
      (MECH + "enforcement.py",
       "risk = contest_ratio(local_fighters[i] * cohesion[i], believed_strength)",
       "risk = contest_ratio(believed_strength, local_fighters[i] * cohesion[i])")),
    M("raid_fast_path_defenders_at_baseline_cohesion", "the fast path alone counts a raided "
      "militia's defenders at its baseline cohesion, not its cohesion now (the agent path "
      "right): the equality tests must catch it",
      (DAY, "enforcement.local_defenders(int(m[i, LOCAL_FIGHTERS]), m[i, M_COHESION]))",
       "enforcement.local_defenders(int(m[i, LOCAL_FIGHTERS]), m[i, BASE_COHESION]))")),
    # the government's memory and private signals
    M("attack_memory_over_belief_memory", "the government's memory of attacks (attacks per "
      "month) fades over its belief memory (365 days), not ATTACK_MEMORY_DAYS (30)",
      (A + "government.py",
       "self.attacks_per_month = fade(self.attacks_per_month, ATTACK_MEMORY_DAYS)",
       "self.attacks_per_month = fade(self.attacks_per_month, self.belief_memory_days)"),
      (DAY, "w[ATTACKS_PER_MONTH] = beliefs.fade(w[ATTACKS_PER_MONTH], ATTACK_MEMORY_DAYS)",
       "w[ATTACKS_PER_MONTH] = beliefs.fade(w[ATTACKS_PER_MONTH], w[G_BELIEF_MEMORY])")),
    M("liaison_teaches_a_full_observation", "a private signal weighs as a full observation in "
      "the government's belief in US backing, not LIAISON_EVIDENCE (the weight dropped)",
      (A + "government.py", "self.backing_belief.observe(signal == 1, LIAISON_EVIDENCE)",
       "self.backing_belief.observe(signal == 1)"),
      (DAY, "observe_world(w, GB_ALPHA, signal == 1, beliefs.LIAISON_EVIDENCE)",
       "observe_world(w, GB_ALPHA, signal == 1)")),
    # the foreign force after withdrawal; a strike's damage
    M("us_steps_in_after_withdrawal", "a force with no troops left may still step in to a "
      "standoff (the 'withdrawn: 0' guard of its step-in chance dropped)",
      (A + "foreign_force.py",
       "        if self.withdrawn:\n            return 0.0\n        return backing.step_in_probability(",
       "        return backing.step_in_probability("),
      (DAY, "    if w[PRESENCE] == 0:\n        return 0.0\n    return backing.step_in_probability(",
       "    return backing.step_in_probability(")),
    M("strike_cohesion_uncapped", "a strike takes its whole cohesion damage from a militia "
      "with less cohesion left (the cap dropped): cohesion goes below 0",
      (MECH + "retaliation.py", "return min(fighters, lethality), min(cohesion, cohesion_damage)",
       "return min(fighters, lethality), cohesion_damage")),
    # the patron: backlash, a truce's length, the campaign's supply
    M("backlash_fades_before_the_target", "the patron's backlash fades before today's target "
      "is set, not after (the two steps swapped): a raid's backlash moves instigation (1 - "
      "adjustment_rate) times as much",
      (A + "patron.py",
       ("        target = patronage.target_instigation(self.base_instigation, self.backlash, weight,\n"
        "                                              self.stability_priority, self.model.escalation)\n"
        "        target = patronage.truce_target(target, self.truce_until, day, self.truce_instigation)\n"
        "        self.instigation += self.adjustment_rate * (target - self.instigation)\n"
        "        self.backlash *= 1.0 - self.adjustment_rate\n"),
       ("        self.backlash *= 1.0 - self.adjustment_rate\n"
        "        target = patronage.target_instigation(self.base_instigation, self.backlash, weight,\n"
        "                                              self.stability_priority, self.model.escalation)\n"
        "        target = patronage.truce_target(target, self.truce_until, day, self.truce_instigation)\n"
        "        self.instigation += self.adjustment_rate * (target - self.instigation)\n")),
      (DAY, ("    target = patronage.target_instigation(w[BASE_INSTIGATION], w[BACKLASH], weight,\n"
             "                                          w[STABILITY], w[ESC])\n"
             "    target = patronage.truce_target(target, w[TRUCE_UNTIL], day, w[TRUCE_INSTIGATION])\n"
             "    w[INSTIGATION] += w[ADJUSTMENT] * (target - w[INSTIGATION])\n"
             "    w[BACKLASH] *= 1.0 - w[ADJUSTMENT]\n"),
       ("    w[BACKLASH] *= 1.0 - w[ADJUSTMENT]\n"
        "    target = patronage.target_instigation(w[BASE_INSTIGATION], w[BACKLASH], weight,\n"
        "                                          w[STABILITY], w[ESC])\n"
        "    target = patronage.truce_target(target, w[TRUCE_UNTIL], day, w[TRUCE_INSTIGATION])\n"
        "    w[INSTIGATION] += w[ADJUSTMENT] * (target - w[INSTIGATION])\n"))),
    M("patron_truce_a_day_long", "the patron's truce lasts truce_days + 1 days (its last day "
      "set truce_days after the order, not truce_days - 1)",
      (A + "patron.py", "self.truce_until = day + self.truce_days - 1",
       "self.truce_until = day + self.truce_days"),
      (DAY, "w[TRUCE_UNTIL] = day + int(w[TRUCE_DAYS]) - 1",
       "w[TRUCE_UNTIL] = day + int(w[TRUCE_DAYS])")),
    M("supply_from_the_campaign_plan", "the patron's supply multiplies its resources by 1 + the "
      "campaign planned, not the campaign delivered (the wrong field): a win's support arrives "
      "at once, with no build-up",
      (A + "patron.py", "return patronage.supply(self.resources, self.campaign)",
       "return patronage.supply(self.resources, self.campaign_plan)"),
      (DAY, "patronage.supply(w[RESOURCES], w[CAMPAIGN]),",
       "patronage.supply(w[RESOURCES], w[CAMPAIGN_PLAN]),")),
    # scripted events
    M("untargeted_backing_backs_nothing", "a scripted backing with no target steps into no "
      "standoff (logged skipped) instead of every open one (None read as a militia's name)",
      (PKG + "scripted_events.py",
       "confronted = [s for s in model.open_standoffs() if ev.target in (None, s.militia)]",
       "confronted = [s for s in model.open_standoffs() if ev.target == s.militia]"),
      (DAY, "if is_open(so, k) and (i == -1 or so[k, S_MILITIA] == i):",
       "if is_open(so, k) and so[k, S_MILITIA] == i:")),
    # the run's summary columns (outcomes.py, read by both engines)
    M("arrests_count_the_raids", "the run summary's arrests counts the raids, not the members "
      "arrested in them",
      (PKG + "outcomes.py", '"arrests": lambda m: int(m.log.totals["raid"]),',
       '"arrests": lambda m: m.log.counts["raid"],')),
    M("released_count_the_release_days", "the run summary's detainees_released counts the "
      "releases (cases freed), not the detainees freed in them",
      (PKG + "outcomes.py", '"detainees_released": lambda m: int(m.log.totals["release"]),',
       '"detainees_released": lambda m: m.log.counts["release"],')),
    # a slip in the fast path alone
    M("attacks_fast_path_fear_backing_not_retaliation", "the fast path alone weighs a "
      "militia's attacks by its belief in US backing, not in US retaliation (the wrong belief "
      "column; the agent path right): the equality tests must catch it",
      (DAY, "m[i, MORALE], m[i, EMBOLDENING], m[i, MT_MEAN], m[i, RET_AVERSION]",
       "m[i, MORALE], m[i, EMBOLDENING], m[i, MB_MEAN], m[i, RET_AVERSION]")),
    # --- seventeenth audit (Dec 2026) ---------------------------------------------------------
    # (before its tests: the model tests killed seventeen of its twenty-four bugs, first failures
    # in tests/test_wiring.py (ten), tests/test_mechanisms.py (two), the third, sixth, tenth and
    # sixteenth audits' tests (one each) and, for the strike's escalation, statistical tests only
    # (one seed of tests/test_statics_seeds.py, tests/test_comparative_statics.py's heavy
    # strikes); seven survived: disruption not capped at 1, allies joining whatever the push, the
    # US's loss pressure not capped at 1, a scripted backing stepping in twice, a raid of no
    # arrests going on, a standoff's allies left out of its contest, a clash whatever the push;
    # tests/test_wiring_seventeenth_audit.py, added to them, kills all twenty-four on its own)
    # the patron's war risk and restraint
    M("strikes_not_remembered_by_patron", "a US strike on a client raises the patron's "
      "backlash but is not counted among its recent strikes: strikes never add to its war risk "
      "(no restraint, no truce out of strikes)",
      (A + "patron.py", "        self.recent_strikes += 1.0\n", ""),
      (DAY, "    w[RECENT_STRIKES] += 1.0\n", "")),
    M("truce_moves_todays_instigation", "a scripted truce sets the patron's instigation today, "
      "not the base it drifts toward (the wrong field): instigation climbs back within weeks",
      (PKG + "scripted_events.py", "    model.patron.base_instigation = level\n",
       "    model.patron.instigation = level\n"),
      (DAY, "        w[BASE_INSTIGATION] = level\n", "        w[INSTIGATION] = level\n")),
    # escalation from strikes and musters
    M("strikes_raise_no_escalation", "a US strike does not raise escalation (the per_strike "
      "step dropped): retaliation no longer brings the patron's restraint nearer",
      (A + "foreign_force.py", '        m.raise_escalation("per_strike")\n', ""),
      (DAY, "    raise_escalation(w, ESC_PER_STRIKE)\n", "")),
    M("muster_escalation_at_the_clash_weight", "a muster raises escalation by the per-clash "
      "weight (0.15), not the per-muster weight (0.05) (the wrong field)",
      (PKG + "model.py", 'self.raise_escalation("per_muster")',
       'self.raise_escalation("per_clash")'),
      (DAY, "    raise_escalation(w, ESC_PER_MUSTER)\n", "    raise_escalation(w, ESC_PER_CLASH)\n")),
    # attacks: intent, the state's command, after withdrawal; disruption
    M("slack_below_push_cuts_intent", "agency slack is not floored at 0 (max dropped): a "
      "militia less hostile than the patron's push attacks less than it is pushed to, the more "
      "autonomous the less",
      (MECH + "attacks.py", "return push + autonomy * max(0.0, hostility - push)",
       "return push + autonomy * (hostility - push)")),
    M("command_restrains_the_autonomous", "the state's command restrains militias in "
      "proportion to their autonomy, not to their subordination (the complement dropped)",
      (MECH + "attacks.py", "return max(0.0, 1.0 - command_reach * authority * (1.0 - autonomy))",
       "return max(0.0, 1.0 - command_reach * authority * autonomy)")),
    M("attacks_after_withdrawal", "militias keep attacking the foreign force's sites after it "
      "has left (the presence guard of the attack rate dropped)",
      (MECH + "attacks.py", "    if presence <= 0:\n        return 0.0\n    game = ",
       "    game = ")),
    M("disruption_not_capped", "a militia's disruption is not capped at 1 (clamped below "
      "only): raids and strikes pile it past 1, so a release no longer restores its cells",
      (A + "militia.py", "self.disruption = clamp(self.disruption + amount)",
       "self.disruption = max(0.0, self.disruption + amount)"),
      (DAY, "m[i, DISRUPTION] = beliefs.clamp(m[i, DISRUPTION] + amount)",
       "m[i, DISRUPTION] = max(0.0, m[i, DISRUPTION] + amount)")),
    # public reactions
    M("allies_join_without_push", "an ally sends fighters to a muster with its solidarity "
      "alone, whatever the patron's push (the push dropped from the join chance)",
      (MECH + "intimidation.py", "return solidarity * push", "return solidarity")),
    M("threat_push_reversed", "a bloc's leader threatens less the harder the patron pushes "
      "(the push term's sign flipped: 0.5 - 0.5 push)",
      (MECH + "intimidation.py", "return threat_propensity * (0.5 + 0.5 * push)",
       "return threat_propensity * (0.5 - 0.5 * push)")),
    # the government: raids, standoffs, relents
    M("raid_hazard_ignores_resolve", "the government's raid hazard ignores its resolve (the "
      "factor dropped): a chastened government raids as often as a resolved one",
      (MECH + "enforcement.py",
       "confidence = resolve * (1.0 - expected_resistance * (1.0 - expected_backing))",
       "confidence = 1.0 - expected_resistance * (1.0 - expected_backing)")),
    M("raid_answer_always_resistance", "the government's belief that militias resist counts "
      "every raid's answer as resistance, a militia that complies too (the answer not read)",
      (PKG + "model.py", "        resists = militia.musters()\n        gov.resistance_belief.observe(resists)",
       "        resists = militia.musters()\n        gov.resistance_belief.observe(True)"),
      (DAY, "    resists = rng.random() < p\n    observe_world(w, GR_ALPHA, resists)",
       "    resists = rng.random() < p\n    observe_world(w, GR_ALPHA, True)")),
    M("coalition_weakens_hold", "coalition support makes the government likelier to relent "
      "(its sign flipped in the hold decision)",
      (MECH + "standoff.py", "- pressure + coalition_support / 2 - 0.25",
       "- pressure - coalition_support / 2 - 0.25")),
    M("won_standoff_costs_coalition", "a standoff the government wins costs it coalition "
      "support and one it loses raises it (the coalition shift's sign flipped)",
      (MECH + "beliefs.py", "            sign * COALITION_SHIFT,",
       "            -sign * COALITION_SHIFT,")),
    M("kept_on_the_militias_chance", "a negotiated transfer keeps detainees in proportion to "
      "the militia's chance, not the government's (1 - p): a weak government keeps the most",
      (MECH + "standoff.py", "min(1.0, leverage * win_chance)",
       "min(1.0, leverage * (1.0 - win_chance))")),
    # the foreign force: stepping in, retaliation, expulsion pressure
    M("step_in_ignores_partner_trust", "the US's step-in chance ignores its belief that its "
      "partner holds firm (the term dropped): standoffs lost or won do not change its backing",
      (MECH + "backing.py",
       "z = (authority - 0.5) + (partner_belief - 0.5) - expulsion_pressure + us_pressure",
       "z = (authority - 0.5) - expulsion_pressure + us_pressure")),
    M("us_pressure_uncapped", "the pressure of the US's remembered losses is not capped at 1: "
      "after a deadly month it counts several times over in raids and the step-in",
      (MECH + "backing.py", "return min(1.0, remembered_casualties / tolerance) if tolerance > 0",
       "return remembered_casualties / tolerance if tolerance > 0")),
    M("scripted_backing_pays_twice", "a scripted backing steps again into a standoff the US "
      "has already stepped into (the check dropped): a second backing, its costs paid twice",
      (PKG + "scripted_events.py",
       ("        if not s.us_stepped_in:\n            note = ev.note or event_text.backs_scripted("
        "model.foreign_force.label)\n            standoffs.step_in(model, s, note)"),
       ("        note = ev.note or event_text.backs_scripted(model.foreign_force.label)\n"
        "        standoffs.step_in(model, s, note)")),
      (DAY, ("                if so[k, S_STEPPED_IN] == 0:\n"
             "                    step_in(day, w, m, so, ev, k, note)\n"),
       "                step_in(day, w, m, so, ev, k, note)\n")),
    M("retaliation_ignores_expulsion_pressure", "parliament's pressure to expel the force no "
      "longer restrains US retaliation (the term dropped from its cost)",
      (MECH + "retaliation.py",
       "cost = 1.0 - restraint * (escalation + expulsion_pressure) / 2",
       "cost = 1.0 - restraint * escalation / 2")),
    M("expulsion_pressure_never_fades", "expulsion pressure never fades before parliament's "
      "vote (the daily decay dropped): every strike and intervention adds to it for good",
      (MECH + "withdrawal.py", "return expulsion_pressure * (1.0 - EXPULSION_PRESSURE_DECAY)",
       "return expulsion_pressure")),
    # more of the seventeenth audit: an empty raid, a standoff's allies, clashes, escalation's cap
    M("empty_raid_counts_as_a_win", "a raid that arrests no one goes on as if it had (the "
      "zero-arrests return dropped): the militia 'complies', the government gains half a win's "
      "authority and the patron its backlash",
      (PKG + "model.py", "        if arrests == 0:\n            return\n        gov.custody[",
       "        gov.custody["),
      (DAY, "    if arrests == 0:\n        return\n    commanders = min(",
       "    commanders = min(")),
    M("standoff_without_the_allies", "allies who joined a muster do not count in the "
      "standoff's militia strength (the government weighs holding and the militia dispersing "
      "without them; only a clash's fight counts them)",
      (PKG + "standoffs.py",
       "s.muster,\n                                  militia.local_fighters, s.allied_fighters)",
       "s.muster,\n                                  militia.local_fighters, 0)"),
      (DAY, "int(m[i, LOCAL_FIGHTERS]), int(so[s, S_ALLIED]))",
       "int(m[i, LOCAL_FIGHTERS]), 0)")),
    M("clash_ignores_push", "a muster facing a firm government turns into a clash with its "
      "clash_propensity alone, whatever the patron's push (the push dropped)",
      (MECH + "standoff.py", "return clash_propensity * push", "return clash_propensity")),
    M("escalation_uncapped", "escalation is not capped at 1 (the clamp dropped from its rise): "
      "violent days push the index past its scale",
      (PKG + "model.py",
       "self.escalation = clamp(self.escalation + times * getattr(self.escalation_weights, kind))",
       "self.escalation = self.escalation + times * getattr(self.escalation_weights, kind)"),
      (DAY, "w[ESC] = beliefs.clamp(w[ESC] + times * w[weight_column])",
       "w[ESC] = w[ESC] + times * w[weight_column]")),
    # --- eighteenth audit (Dec 2026) ----------------------------------------------------------
    # (before its tests: the model tests killed fifteen of its eighteen bugs, first failures in
    # tests/test_calibration_statistics.py (four), the second audit's tests (three),
    # tests/test_operations.py (two), the fifteenth audit's (two), tests/test_mechanisms.py and
    # the fourth, seventh and thirteenth audits' (one each); three survived: a second transfer
    # restarting a pending case's clock, followed_by missing an answer on the trigger's own day,
    # total ignoring exclude_targets (the statistics bugs run against the model tests that read
    # the statistics: tests/test_calibration_statistics.py and the twelfth audit's);
    # tests/test_wiring_eighteenth_audit.py, added to them, kills all eighteen on its own)
    # staying power: review at the floor, the cost of expulsion pressure, the vote's floor
    M("review_forgotten_during_cooldown", "a force under review at the floor forgets the review "
      "while the cooldown runs (the review returned as False): it never leaves, however long "
      "the cost stays above tolerance",
      (MECH + "withdrawal.py", "    if not cooled:\n        return 0, False, reviewing\n",
       "    if not cooled:\n        return 0, False, False\n")),
    M("floor_leaves_without_review", "a force at the floor whose cost passes tolerance leaves "
      "at once (the review step dropped): one bad season takes it out",
      (MECH + "withdrawal.py",
       "        if reviewing:\n            return presence, True, False\n        return 0, True, True\n",
       "        return presence, True, False\n")),
    M("expulsion_cost_unweighted", "expulsion pressure weighs like one casualty in the US's "
      "political cost, not ten (EXPULSION_COST_WEIGHT dropped)",
      (MECH + "withdrawal.py",
       "return remembered_casualties + EXPULSION_COST_WEIGHT * expulsion_pressure",
       "return remembered_casualties + expulsion_pressure")),
    M("post_vote_pressure_sinks_below_floor", "after parliament's vote expulsion pressure decays "
      "as a whole, floored only before the day's decay: it sinks below the vote's floor",
      (MECH + "withdrawal.py",
       "return floor + max(0.0, expulsion_pressure - floor) * (1.0 - EXPULSION_PRESSURE_DECAY)",
       "return max(floor, expulsion_pressure) * (1.0 - EXPULSION_PRESSURE_DECAY)")),
    M("redeploy_share_of_presence", "troops returning are a share of the troops in country, "
      "not of the gap to the authorised level (the wrong variable; still capped at the gap)",
      (MECH + "redeploy.py", "max(1, min(gap, math.ceil(share * gap)))",
       "max(1, min(gap, math.ceil(share * presence)))")),
    # fights: the militia's withdrawal, a side gone, the ceasefire's day, the army that stays out
    M("withdraw_push_sign", "the patron's push makes a militia in a fight likelier to leave "
      "the streets (the push term's sign flipped in its withdrawal)",
      (MECH + "operation.py", "logistic(sharpness * (win_chance - 0.5 - (push - 0.5) / 2",
       "logistic(sharpness * (win_chance - 0.5 + (push - 0.5) / 2")),
    M("troops_gone_counts_as_a_win", "a fight whose government troops are all gone (killed or "
      "deserted) ends as the government's win",
      (PKG + "standoffs.py",
       'if s.troops <= 0:\n        return close(model, s, "clash_lost"',
       'if s.troops <= 0:\n        return close(model, s, "clash_won"'),
      (DAY, "    if so[s, S_TROOPS] <= 0:\n        close(day, w, m, so, ev, s, CLASH_LOST,",
       "    if so[s, S_TROOPS] <= 0:\n        close(day, w, m, so, ev, s, CLASH_WON,")),
    M("militia_gone_counts_as_a_loss", "a fight whose militia side has no strength left ends "
      "as the government's loss (a relent)",
      (PKG + "standoffs.py", 'if s_mil <= 0:\n        return close(model, s, "clash_won"',
       'if s_mil <= 0:\n        return close(model, s, "clash_lost"'),
      (DAY, "    if s_mil <= 0:\n        close(day, w, m, so, ev, s, CLASH_WON,",
       "    if s_mil <= 0:\n        close(day, w, m, so, ev, s, CLASH_LOST,")),
    M("ceasefire_a_day_late", "a brokered ceasefire takes hold the day after its talks have "
      "run their days (> for >=)",
      (PKG + "standoffs.py", "if s.ceasefire_day and model.day >= s.ceasefire_day:",
       "if s.ceasefire_day and model.day > s.ceasefire_day:"),
      (DAY, "if so[s, S_CEASEFIRE_DAY] != 0 and day >= so[s, S_CEASEFIRE_DAY]:",
       "if so[s, S_CEASEFIRE_DAY] != 0 and day > so[s, S_CEASEFIRE_DAY]:")),
    M("standoff_strength_ignores_committed_share", "the government weighs a standoff (hold or "
      "relent, the militia's dispersal) with its whole enforcement capacity, not the share "
      "that fights: an army that stays out still counts",
      (A + "government.py",
       "operation.committed_forces(self.enforcement_capacity, self.committed_share),",
       "self.enforcement_capacity,"),
      (DAY, ("standoff.government_strength(operation.committed_forces(w[CAPACITY],\n"
             "                                                                   w[COMMITTED_SHARE]),"),
       "standoff.government_strength(w[CAPACITY],")),
    # custody and beliefs
    M("new_transfer_restarts_the_case", "detainees transferred while a militia's case is "
      "pending restart its clock (a new delay drawn): a second relent postpones the first "
      "detainees' release",
      (A + "government.py",
       "        if n - kept:\n            self.transferred[militia] =",
       ("        if n - kept:\n            self.release_day.pop(militia, None)\n"
        "            self.transferred[militia] =")),
      (DAY, "    if n - kept:\n        if m[i, TRANSFERRED] == 0:",
       "    if n - kept:\n        m[i, RELEASE_DAY] = -1\n        if m[i, TRANSFERRED] == 0:")),
    M("government_backing_belief_never_forgets", "the government's belief that the US steps in "
      "never forgets (its daily forgetting dropped): old interventions and silences weigh for "
      "good",
      (A + "government.py", "        self.backing_belief.forget(self.belief_memory_days)\n", ""),
      (DAY, "    forget_world(w, GB_ALPHA, GB_ALPHA0, w[G_BELIEF_MEMORY])\n", "")),
    # the episode statistics
    M("followed_by_ignores_same_day_answers", "followed_by does not count an answer on the "
      "trigger's own day (> for >=): a strike the day of a fatal attack leaves it unanswered",
      (STATS, "answered = [((answers >= d) & (answers <= d + within_days))",
       "answered = [((answers > d) & (answers <= d + within_days))")),
    M("min_value_exclusive", "min_value excludes events of exactly that value (> for >=)",
      (STATS, "mask &= ev.value >= min_value", "mask &= ev.value > min_value")),
    M("select_start_exclusive", "a window's start day is excluded (> for >=): events on its "
      "first day do not count",
      (STATS, "mask &= ev.dates >= _instant(start)", "mask &= ev.dates > _instant(start)")),
    M("days_until_ignores_end", "days_until counts an event after its end (the end dropped): "
      "a later, unrelated event gives a number instead of the cap",
      (STATS, "dates = ev.dates[select(ev, action, actor, target, (), after, end)]",
       "dates = ev.dates[select(ev, action, actor, target, (), after)]")),
    M("share_whole_counts_excluded_targets", "share_in_window's whole (its denominator) counts "
      "the excluded targets' events (the exclusion passed to the window only)",
      (STATS, "whole = count(tables, action, exclude_targets=exclude_targets, start=start, end=end)",
       "whole = count(tables, action, start=start, end=end)")),
    M("total_ignores_exclusions", "total sums the values of excluded targets' events too "
      "(exclude_targets not passed on)",
      (STATS, "return float(ev.value[select(ev, action, actor, target, exclude_targets, start, end)].sum(",
       "return float(ev.value[select(ev, action, actor, target, (), start, end)].sum(")),
    # --- nineteenth audit (Dec 2026) ----------------------------------------------------------
    # (before its tests: the model tests killed nineteen of its twenty-four bugs, first failures
    # in tests/test_mechanisms.py (five), tests/test_wiring.py (three), the third audit's tests
    # (two), the second, seventh, eighth and sixteenth audits', tests/test_operations.py,
    # tests/test_invariants.py, tests/test_clash_path.py (one each) and the eighteenth audit's
    # (two, the statistics); five survived: morale unclamped, the step-in chance reading
    # resolve for authority, a strike's expulsion pressure unclamped, a scripted drawdown past
    # the troops in country, a force whose last troops are killed never marked withdrawn;
    # tests/test_wiring_nineteenth_audit.py, added to them, kills all twenty-four on its own)
    # beliefs and reputation: recovery's rest test, autonomy after a standoff, morale's bounds
    M("relax_snaps_values_above_baseline", "recovery sets every value above its baseline back "
      "to it at once (the rest test one-sided: gap < REST): a win's authority and a belief's "
      "new evidence vanish the next day",
      (MECH + "beliefs.py", "return baseline if -REST < gap < REST else",
       "return baseline if gap < REST else")),
    M("autonomy_shift_sign", "a government win loosens the state's hold on the militias and a "
      "relent tightens it (the autonomy shifts' sign flipped)",
      (MECH + "beliefs.py", "-sign * AUTONOMY_SHIFT_TARGET, -sign * AUTONOMY_SHIFT_OTHERS",
       "sign * AUTONOMY_SHIFT_TARGET, sign * AUTONOMY_SHIFT_OTHERS")),
    M("morale_unclamped", "morale is not kept within [-1, 1]: a run of government wins deters "
      "a militia past -1 (and past a full stop of its attacks)",
      (A + "militia.py", "self.morale = clamp(self.morale + delta, -1.0, 1.0)",
       "self.morale = self.morale + delta"),
      (DAY, ("m[i, MORALE] = beliefs.clamp(\n"
             "            m[i, MORALE] + (morale_target if i == central else morale_others), "
             "-1.0, 1.0)"),
       ("m[i, MORALE] = (\n"
        "            m[i, MORALE] + (morale_target if i == central else morale_others))"))),
    M("cohesion_recovers_over_morale_memory", "a militia's cohesion recovers over its "
      "morale_memory_days (weeks), not its recovery_days (a year): strikes' damage heals at once",
      (A + "militia.py",
       'self.cohesion = relax(self.cohesion, base["cohesion"], self.recovery_days)',
       'self.cohesion = relax(self.cohesion, base["cohesion"], self.morale_memory_days)'),
      (DAY, "m[i, M_COHESION] = beliefs.relax(m[i, M_COHESION], m[i, BASE_COHESION], tau)",
       ("m[i, M_COHESION] = beliefs.relax(m[i, M_COHESION], m[i, BASE_COHESION], "
       "m[i, MORALE_MEMORY])"))),
    # the US's step-in: its calculus and what it tells the government
    M("step_in_authority_sign", "the US is readier to step in behind a PM without standing "
      "(the authority term's sign flipped)",
      (MECH + "backing.py", "z = (authority - 0.5) + (partner_belief - 0.5)",
       "z = (0.5 - authority) + (partner_belief - 0.5)")),
    M("step_in_us_pressure_sign", "the US's own losses make it less ready to step in, not more "
      "(the us_pressure term's sign flipped)",
      (MECH + "backing.py", "- expulsion_pressure + us_pressure\n    return",
       "- expulsion_pressure - us_pressure\n    return")),
    M("step_in_reads_resolve", "the US's step-in chance reads the government's resolve where "
      "its authority belongs (the wrong field)",
      (A + "foreign_force.py", "self.backing, self.model.government.authority,",
       "self.backing, self.model.government.resolve,"),
      (DAY, "backing.step_in_probability(w[BACKING], w[AUTHORITY], w[FP_MEAN]",
       "backing.step_in_probability(w[BACKING], w[RESOLVE], w[FP_MEAN]")),
    M("liaison_reports_the_lever", "a private signal says 'they will step in' with the backing "
      "lever's chance, not the US's real chance today (a force that has left still 'backs')",
      (A + "government.py", "self.model.foreign_force.step_in_probability())",
       "self.model.foreign_force.backing)"),
      (DAY, "                                        step_in_probability(w))",
       "                                        w[BACKING])")),
    # enforcement and the militia's answer
    M("defenders_whole_local_force", "a raid meets all of the militia's local fighters (at its "
      "cohesion), not the share on hand (DEFENDER_SHARE dropped)",
      (MECH + "enforcement.py", "return local_fighters * cohesion * DEFENDER_SHARE",
       "return local_fighters * cohesion")),
    M("unattributed_militias_never_raided", "a militia to which no recent attack is attributed "
      "has no payoff as a target (ATTRIBUTION_FLOOR dropped): with no attacks seen, no raid",
      (MECH + "enforcement.py", "payoffs[i] = (ATTRIBUTION_FLOOR + share) * arrest",
       "payoffs[i] = share * arrest")),
    M("stake_deters_muster", "more at stake makes a raided militia likelier to comply (the "
      "stake term's sign flipped)",
      (MECH + "intimidation.py", "return sensitivity * math.log(ratio) if ratio > 0",
       "return -sensitivity * math.log(ratio) if ratio > 0")),
    M("muster_size_ignores_push", "the share of local fighters who turn out ignores the "
      "patron's push (0.5 + 0.5 push dropped)",
      (MECH + "intimidation.py", "min(1.0, mobilisation * (0.5 + 0.5 * push) * stake)",
       "min(1.0, mobilisation * stake)")),
    M("threats_repeat_within_a_window", "a leader's threat is not recorded as made: each bloc "
      "may threaten again every day of a raid's window",
      (PKG + "model.py", "                threatened.add(m.name)\n", ""),
      (DAY, "            tw[k, 2 + i] = TRUE\n", "")),
    # the standoff's contest and hold decision
    M("hold_resolve_sign", "a resolved government relents sooner (the resolve term reads "
      "resolve where 1 - resolve belongs)",
      (MECH + "standoff.py", "margin = win_chance - (1 - resolve) - pressure",
       "margin = win_chance - resolve - pressure")),
    M("strength_ignores_authority", "the government's loyal forces count in full whatever its "
      "authority (0.5 + 0.5 authority dropped from S_g)",
      (MECH + "standoff.py", "return capacity * (0.5 + 0.5 * authority) + backing_term",
       "return capacity + backing_term")),
    # the patron
    M("instigation_target_below_zero", "the patron's instigation target is not floored at 0 "
      "(max dropped from the clip): under restraint its push turns negative",
      (MECH + "patronage.py", ("return min(1.0, max(0.0, base + (1.0 - weight) * backlash - "
       "restraint))"),
       "return min(1.0, base + (1.0 - weight) * backlash - restraint)")),
    M("top_share_from_the_first_militia", "the top share the push divides by is the first "
      "militia's (KH's), not the largest: a better-supported militia is pushed past the full "
      "instigation",
      (A + "patron.py", "self.top_share = max(shares)", "self.top_share = shares[0]"),
      (DAY, ("        top = shares[0]\n        for i in range(n):\n            top = max(top, "
       "shares[i])\n"),
       "        top = shares[0]\n")),
    # the foreign force: strikes, losses, drawdowns
    M("strike_kills_more_than_the_militia_has", "a strike kills strike_lethality fighters "
      "whatever the militia has left (the cap dropped): fighters go negative",
      (MECH + "retaliation.py", "return min(fighters, lethality), min(cohesion",
       "return lethality, min(cohesion")),
    M("strike_expulsion_unclamped", "a strike's expulsion pressure is not capped at 1: repeated "
      "strikes push the index past its scale",
      (A + "foreign_force.py",
       "self.expulsion_pressure = clamp(self.expulsion_pressure + self.strike_expulsion_pressure)",
       "self.expulsion_pressure = self.expulsion_pressure + self.strike_expulsion_pressure"),
      (DAY, "w[EXPULSION] = beliefs.clamp(w[EXPULSION] + w[STRIKE_EXPULSION])",
       "w[EXPULSION] = w[EXPULSION] + w[STRIKE_EXPULSION]")),
    M("scripted_drawdown_past_presence", "a scripted drawdown larger than the troops in country "
      "withdraws what it names (the cap dropped): presence goes negative and the force never "
      "counts as withdrawn",
      (A + "foreign_force.py", "        troops = min(troops, self.presence)\n", ""),
      (DAY, "    troops = min(troops, presence)\n", "")),
    M("troops_lost_not_a_withdrawal", "a force whose last troops are killed is logged as gone "
      "but its withdrawal day is not set: the summary says it never withdrew",
      (A + "foreign_force.py", ("if self.presence == 0 and self.withdrawal_day is None:\n"
                                "            self.withdrawal_day = self.model.day\n"),
       "if self.presence == 0 and self.withdrawal_day is None:\n"),
      (DAY, "if presence == 0 and w[WITHDRAWAL_DAY] < 0:\n        w[WITHDRAWAL_DAY] = day\n",
       "if presence == 0 and w[WITHDRAWAL_DAY] < 0:\n")),
    # the run summary and the episode statistics
    M("relents_omit_lost_clashes", "the run summary's relents counts plain relents only, not "
      "the clashes the government lost",
      (PKG + "outcomes.py", 'RELENTED = ("relented", "clash_lost")', 'RELENTED = ("relented",)')),
    M("count_ignores_min_value", "count drops its min_value (not passed on to the selection): "
      "fatal attacks are counted as all attacks",
      (STATS, "start, end,\n                        min_value).sum())", "start, end).sum())")),
    M("followed_by_triggers_outside_window", "followed_by takes its triggers from the whole run, "
      "not its start to end (the window not passed on)",
      (STATS, "triggers = ev.day[select(ev, action, start=start, end=end, min_value=min_value)]",
       "triggers = ev.day[select(ev, action, min_value=min_value)]")),
    # --- twentieth audit (Dec 2026) -----------------------------------------------------------
    # (before its tests: the model tests killed sixteen of its twenty-three bugs, first failures
    # in tests/test_wiring.py (three), the second audit's tests (three), tests/test_mechanisms.py
    # (two), the third audit's (two), the fourth, eighth, eleventh and seventeenth audits',
    # tests/test_clash_path.py and tests/test_operations.py (one each); seven survived:
    # escalation decaying before the foreign force's step, a drawdown weighing as a silent day,
    # a truce only past the patron's threshold, a campaign following the faded plan, and three
    # statistics (days_until's target, largest's window, followed_by counting earlier answers);
    # tests/test_wiring_twentieth_audit.py, added to them, kills all twenty-three on its own)
    # the day's phases: scripted events before the patron, strikes before escalation's decay,
    # a standoff's opening day
    M("patron_steps_before_scripted_events", "the patron steps before the day's scripted events "
      "fire, not after (the two phases swapped): a scripted strike's memory, a truce or a set "
      "reaches the patron a day late",
      (PKG + "model.py", ("        for event in self.scripted.get(self.day, ()):\n"
                          "            fire_scripted_event(self, event)\n"
                          "        self.patron.step()\n"),
       ("        self.patron.step()\n"
        "        for event in self.scripted.get(self.day, ()):\n"
        "            fire_scripted_event(self, event)\n")),
      (DAY, ("        # (the Generator is passed only to steps that draw today: passing it costs "
             "time)\n        patron_step(day, w, m, ev)\n"), ""),
      (DAY, "        while e < scripted.shape[0] and scripted[e, E_DAY] < day:\n",
       ("        patron_step(day, w, m, ev)\n"
        "        while e < scripted.shape[0] and scripted[e, E_DAY] < day:\n"))),
    M("escalation_decays_before_the_foreign_force", "escalation decays before the foreign "
      "force's step, not after it (the two phases swapped): a retaliation strike's escalation "
      "escapes that day's decay",
      (PKG + "model.py", ("        self.foreign_force.step()\n"
                          "        self.escalation = beliefs.decay_escalation(self.escalation,\n"
                          "                                                   "
                          "self.escalation_weights.decay)\n"),
       ("        self.escalation = beliefs.decay_escalation(self.escalation,\n"
        "                                                   self.escalation_weights.decay)\n"
        "        self.foreign_force.step()\n")),
      (DAY, ("        foreign_force_step(day, w, m, ev, ps)\n"
             "        w[ESC] = beliefs.decay_escalation(w[ESC], w[ESC_DECAY])\n"),
       ("        w[ESC] = beliefs.decay_escalation(w[ESC], w[ESC_DECAY])\n"
        "        foreign_force_step(day, w, m, ev, ps)\n"))),
    M("opening_day_counts_as_silent", "a standoff's opening day (the muster gathering) counts "
      "as a silent day against US backing (the silent-day check moved before the opening day's "
      "return)",
      (PKG + "standoffs.py", ("    if model.day == s.opened_day:\n"
                              "        return  # the muster is gathering; the government faces "
                              "it from tomorrow\n"
                              "    if not s.us_stepped_in:\n"
                              "        model.observe_backing(False, silent_day=True)\n"),
       ("    if not s.us_stepped_in:\n"
        "        model.observe_backing(False, silent_day=True)\n"
        "    if model.day == s.opened_day:\n"
        "        return  # the muster is gathering; the government faces it from tomorrow\n")),
      (DAY, ("    if day == so[s, S_OPENED]:\n        return\n"
             "    stepped_in = so[s, S_STEPPED_IN] != 0\n"
             "    if not stepped_in:\n        observe_backing(w, m, False, True)\n"),
       ("    stepped_in = so[s, S_STEPPED_IN] != 0\n"
        "    if not stepped_in:\n        observe_backing(w, m, False, True)\n"
        "    if day == so[s, S_OPENED]:\n        return\n"))),
    # beliefs: priors and evidence weights
    M("militia_resolve_prior_from_backing_prior", "a militia's belief in the government's "
      "resolve starts from its prior of US backing (copy-paste: the wrong prior field)",
      (A + "militia.py", "self.resolve_belief = BetaBelief.from_mean(params.prior_government_resolve,",
       "self.resolve_belief = BetaBelief.from_mean(params.prior_backing,"),
      (PKG + "fastpath/build.py", '(L.MR_ALPHA, L.MR_ALPHA0, "prior_government_resolve")',
       '(L.MR_ALPHA, L.MR_ALPHA0, "prior_backing")')),
    M("drawdown_weighs_like_a_silent_day", "a drawdown weighs half an observation against "
      "backing (a silent day's), not DRAWDOWN_EVIDENCE's full one (silent_day=True)",
      (A + "foreign_force.py", "self.model.observe_backing(False, silent_day=False)",
       "self.model.observe_backing(False, silent_day=True)"),
      (DAY, "    observe_backing(w, m, False, False)\n", "    observe_backing(w, m, False, True)\n")),
    # the patron: instigation, war risk, truce, strike memory, campaign
    M("instigation_jumps_to_its_target", "the patron's instigation jumps to its target each "
      "day (the adjustment rate dropped), instead of moving adjustment_rate of the way",
      (A + "patron.py", "self.instigation += self.adjustment_rate * (target - self.instigation)",
       "self.instigation = target"),
      (DAY, "w[INSTIGATION] += w[ADJUSTMENT] * (target - w[INSTIGATION])",
       "w[INSTIGATION] = target")),
    M("war_risk_counts_strikes_whole", "each remembered US strike adds a whole unit to the "
      "patron's war risk (strike_risk dropped): one strike takes it to its cap",
      (MECH + "patronage.py", "return min(1.0, escalation + strike_risk * recent_strikes + us_threat)",
       "return min(1.0, escalation + recent_strikes + us_threat)")),
    M("truce_only_past_the_threshold", "the patron orders a truce only once its restraint weight "
      "passes 1/2, not when it reaches it (> for >=)",
      (MECH + "patronage.py", "return weight >= TRUCE_WEIGHT and day > truce_until",
       "return weight > TRUCE_WEIGHT and day > truce_until")),
    M("recent_strikes_fade_over_campaign_days", "the patron's memory of US strikes fades over "
      "its campaign_days, not its strike_memory_days (the wrong field)",
      (A + "patron.py", "self.recent_strikes = fade(self.recent_strikes, self.strike_memory_days)",
       "self.recent_strikes = fade(self.recent_strikes, self.campaign_days)"),
      (DAY, "w[RECENT_STRIKES] = beliefs.fade(w[RECENT_STRIKES], w[STRIKE_MEMORY])",
       "w[RECENT_STRIKES] = beliefs.fade(w[RECENT_STRIKES], w[CAMPAIGN_DAYS])")),
    M("campaign_follows_the_faded_plan", "a campaign's support moves toward the plan after the "
      "day's fading, not before (the two steps swapped): the hump is lower and later",
      (MECH + "patronage.py", "    campaign = campaign + (plan - campaign) / build_days\n",
       "    plan = fade(plan, plan_days)\n    campaign = campaign + (plan - campaign) / build_days\n"),
      (MECH + "patronage.py", "    return fade(plan, plan_days), campaign\n",
       "    return plan, campaign\n")),
    # the foreign force: retaliation, casualties, their memory
    M("retaliation_delay_from_response_delay", "strikes are due after the US's response delay "
      "(its step-in delay), not its retaliation delay (the wrong field)",
      (A + "foreign_force.py", "self.pending_strikes.append((m.day + self.retaliation_delay_days,",
       "self.pending_strikes.append((m.day + self.response_delay_days,"),
      (DAY, "ps.append((float(day + int(w[RET_DELAY])), float(i)))",
       "ps.append((float(day + int(w[RESPONSE_DELAY])), float(i)))")),
    M("retaliation_needs_more_than_the_threshold", "an attack that kills exactly "
      "retaliation_threshold US personnel brings no strikes (<= for <): one more death is "
      "needed",
      (MECH + "retaliation.py", "    if casualties < threshold:\n",
       "    if casualties <= threshold:\n")),
    M("attack_casualties_uncapped", "an attack's casualties are not capped at the troops in "
      "country (the min dropped): a few troops can lose dozens, and casualties pass presence",
      (MECH + "attacks.py",
       "return False, min(presence, int(rng.poisson(lethality * exposure(presence, exposure_half))))",
       "return False, int(rng.poisson(lethality * exposure(presence, exposure_half)))")),
    M("remembered_casualties_fade_over_belief_memory", "the US's remembered casualties fade "
      "over its belief_memory_days, not CASUALTY_MEMORY_DAYS (180) (the wrong constant)",
      (A + "foreign_force.py", ("self.remembered_casualties = fade(self.remembered_casualties,\n"
                                "                                          "
                                "withdrawal.CASUALTY_MEMORY_DAYS)"),
       ("self.remembered_casualties = fade(self.remembered_casualties,\n"
        "                                          self.belief_memory_days)")),
      (DAY, "w[REMEMBERED] = beliefs.fade(w[REMEMBERED], withdrawal.CASUALTY_MEMORY_DAYS)",
       "w[REMEMBERED] = beliefs.fade(w[REMEMBERED], w[F_BELIEF_MEMORY])")),
    M("attacks_per_month_never_raised", "an attack the government sees is remembered against "
      "its attacker but not counted in its attacks per month (the raid hazard's motive)",
      (A + "government.py", "        self.attacks_per_month += 1.0\n", ""),
      (DAY, "    w[ATTACKS_PER_MONTH] += 1.0\n", "")),
    # custody and recovery
    M("release_restores_over_local_fighters", "released detainees restore their militia's "
      "cells by their share of its local fighters, not of its attack cells (the wrong field): "
      "a release barely lifts the disruption",
      (PKG + "model.py", "m.disrupt(-attacks.disruption_from_arrests(n, m.attack_cells))",
       "m.disrupt(-attacks.disruption_from_arrests(n, m.local_fighters))"),
      (DAY, "disrupt(m, i, -attacks.disruption_from_arrests(freed, int(m[i, ATTACK_CELLS])))",
       "disrupt(m, i, -attacks.disruption_from_arrests(freed, int(m[i, LOCAL_FIGHTERS])))")),
    M("autonomy_recovers_over_disruption_days", "a militia's autonomy recovers over its "
      "disruption_recovery_days (weeks), not its recovery_days (a year): a standoff's lesson "
      "for the state's hold fades at once",
      (A + "militia.py",
       'self.autonomy = relax(self.autonomy, base["autonomy"], self.recovery_days)',
       'self.autonomy = relax(self.autonomy, base["autonomy"], self.disruption_recovery_days)'),
      (DAY, "m[i, M_AUTONOMY] = beliefs.relax(m[i, M_AUTONOMY], m[i, BASE_AUTONOMY], tau)",
       ("m[i, M_AUTONOMY] = beliefs.relax(m[i, M_AUTONOMY], m[i, BASE_AUTONOMY],\n"
        "                                          m[i, DISRUPTION_RECOVERY])"))),
    # the run summary and the episode statistics
    M("threat_window_never_closes", "a raid's threat window is never dropped once past its "
      "last day (the expiry filter lost): blocs may threaten over an old raid at any later date",
      (PKG + "model.py",
       "        self.threat_windows = [w for w in self.threat_windows if w[0] >= self.day]\n", ""),
      (DAY, ("        if tw[k, 0] < day:\n"
             "            continue  # expired (the agent path drops it)\n"), ""),
      (DAY, ("    for k in range(int(w[N_WINDOWS])):\n        if tw[k, 0] >= day:\n"
             "            return True\n"),
       "    for k in range(int(w[N_WINDOWS])):\n        return True\n")),
    M("held_firm_omits_won_clashes", "the run summary's held_firm counts plain holds only, not "
      "the clashes the government won",
      (PKG + "outcomes.py", 'HELD_FIRM = ("held_firm", "clash_won")', 'HELD_FIRM = ("held_firm",)')),
    M("max_muster_size_counts_operations", "the summary's max_muster_size counts an operation's "
      "allied fighters as a muster (the operation filter dropped)",
      (PKG + "outcomes.py", ("for s in m.standoffs\n"
                             "                                      if not s.operation), "
                             "default=0)"),
       "for s in m.standoffs), default=0)")),
    M("days_until_ignores_its_target", "days_until counts the first action on any target, not "
      "the one named (its target not passed on)",
      (STATS, "dates = ev.dates[select(ev, action, actor, target, (), after, end)]",
       "dates = ev.dates[select(ev, action, actor, None, (), after, end)]")),
    M("largest_ignores_its_window", "largest takes the largest value over the whole run, not "
      "its start to end (the window not passed on)",
      (STATS, "values = ev.value[select(ev, action, actor, target, (), start, end)]",
       "values = ev.value[select(ev, action, actor, target)]")),
    M("followed_by_counts_earlier_answers", "followed_by counts a response within within_days "
      "before the trigger as answering it (the distance taken both ways: |answer - trigger|)",
      (STATS, "answered = [((answers >= d) & (answers <= d + within_days)).any() for d in triggers]",
       "answered = [(np.abs(answers - d) <= within_days).any() for d in triggers]")),
    # --- twenty-first audit (Dec 2026) --------------------------------------------------------
    # (before its tests: the model tests killed eighteen of its twenty-two bugs, first failures
    # in tests/test_mechanisms.py (three), tests/test_wiring.py (three), the fifth, eighth,
    # twelfth and nineteenth audits' tests (two each), the eleventh and sixteenth audits',
    # tests/test_invariants.py and tests/test_model_timing.py (one each); four survived: the US's
    # pressure to act read from all its casualties ever, a militia's belief in retaliation never
    # forgetting, the government reading a strike as backing, and the government stepping before
    # the patron; tests/test_wiring_twentyfirst_audit.py, added to them, kills all twenty-two on
    # its own)
    # beliefs read for real values and real values for beliefs
    M("liaison_echoes_its_own_belief", "a private signal says 'they will step in' with the "
      "government's own belief in backing, not the US's real chance today: the liaison "
      "echoes what the PM already believes",
      (A + "government.py", "self.model.foreign_force.step_in_probability())",
       "self.backing_belief.mean)"),
      (DAY, "                                        step_in_probability(w))",
       "                                        w[GB_MEAN])")),
    M("raid_choice_counts_on_the_us", "the choice of whom to raid weighs a muster's risk "
      "against the government's strength with the US certain to step in (backing term 1), not "
      "its belief in backing",
      (A + "government.py", "self.strength(self.backing_belief.mean), self.resistance_belief.mean)",
       "self.strength(1.0), self.resistance_belief.mean)"),
      (DAY, "government_strength(w, w[GB_MEAN]), w[GR_MEAN])",
       "government_strength(w, 1.0), w[GR_MEAN])")),
    M("muster_on_the_governments_backing_belief", "a raided militia weighs the government's "
      "belief in US backing, not its own, when choosing to muster (the wrong actor's belief)",
      (A + "militia.py",
       "self.push, self.autonomy, self.resolve_belief.mean, self.backing_belief.mean,",
       ("self.push, self.autonomy, self.resolve_belief.mean,\n"
        "            self.model.government.backing_belief.mean,")),
      (DAY, "push(w, m, i), m[i, M_AUTONOMY], m[i, MR_MEAN], m[i, MB_MEAN],",
       "push(w, m, i), m[i, M_AUTONOMY], m[i, MR_MEAN], w[GB_MEAN],")),
    M("us_pressure_from_total_casualties", "the US's pressure to act (raid hazard, step-in "
      "chance) reads all its casualties ever, not the remembered, fading ones: one bad month "
      "presses it for good",
      (A + "foreign_force.py",
       "return backing.us_pressure(self.remembered_casualties, self.casualty_tolerance)",
       "return backing.us_pressure(self.casualties, self.casualty_tolerance)"),
      (DAY, "return backing.us_pressure(w[REMEMBERED], w[TOLERANCE])",
       "return backing.us_pressure(w[CASUALTIES], w[TOLERANCE])")),
    M("attacks_seen_never_fade", "the government's memory of the attacks attributed to each "
      "militia never fades (the remembered() decay dropped): whom it raids follows every attack "
      "since the start",
      (A + "government.py", "return remembered(value, self.model.day - day, ATTACK_MEMORY_DAYS)",
       "return value"),
      (DAY, ("return beliefs.remembered(m[i, SEEN], day - int(m[i, SEEN_DAY]), "
             "ATTACK_MEMORY_DAYS)"), "return m[i, SEEN]")),
    M("militia_retaliation_belief_never_forgets", "a militia's belief that deadly attacks bring "
      "US strikes never forgets toward its prior (left out of the beliefs it forgets)",
      (A + "militia.py",
       "for belief in (self.backing_belief, self.resolve_belief, self.retaliation_belief):",
       "for belief in (self.backing_belief, self.resolve_belief):"),
      (DAY, "    forget(m, i, MT_ALPHA, MT_ALPHA0, memory)\n", "")),
    M("government_reads_strikes_as_backing", "the government reads a US strike as evidence that "
      "the US would step in (as an ally of the struck militia does), though its liaison tells it "
      "strikes are force protection",
      (PKG + "model.py",
       "        for m in self.militias:\n            m.backing_belief.observe(True, beliefs.STRIKE",
       ("        self.government.backing_belief.observe(True, beliefs.STRIKE_EVIDENCE_OTHERS)\n"
        "        for m in self.militias:\n"
        "            m.backing_belief.observe(True, beliefs.STRIKE")),
      (DAY, "    observe_strike(m, i)\n",
       ("    observe_strike(m, i)\n"
        "    observe_world(w, GB_ALPHA, True, beliefs.STRIKE_EVIDENCE_OTHERS)\n"))),
    # the muster decision and what is at stake
    M("muster_ignores_autonomy", "a raided militia's chance to muster ignores its autonomy "
      "from the state (the term dropped from the muster index)",
      (MECH + "intimidation.py",
       "return logistic(MUSTER_SHARPNESS * (push + autonomy - expected_resolve",
       "return logistic(MUSTER_SHARPNESS * (push - expected_resolve")),
    M("commanders_weigh_as_members", "a detained senior commander weighs as one member in what "
      "is at stake (the commander_stake term dropped)",
      (MECH + "intimidation.py", "    return detained + (commander_stake - 1.0) * commanders",
       "    return detained")),
    # attacks and raids
    M("readiness_ignores_cohesion", "a militia's readiness to attack counts its fighters only, "
      "not its cohesion (strikes' cohesion damage no longer slows attacks)",
      (MECH + "attacks.py",
       "    return cohesion * (fighters / initial_fighters if initial_fighters > 0 else 0.0)",
       "    return fighters / initial_fighters if initial_fighters > 0 else 0.0")),
    M("raid_hazard_ignores_us_pressure", "the raid hazard ignores the US's pressure to act (the "
      "pressure_response term dropped from the motive)",
      (MECH + "enforcement.py",
       "motive = 1.0 + attack_response * attacks_per_month + pressure_response * us_pressure",
       "motive = 1.0 + attack_response * attacks_per_month")),
    M("us_strength_ignores_ground_multiplier", "what stepping in adds counts each committed US "
      "soldier as one loyal-force equivalent (ground_multiplier dropped)",
      (MECH + "backing.py", "    return presence * standoff_share * ground_multiplier + ",
       "    return presence * standoff_share + ")),
    # strikes
    M("strikes_cost_no_cohesion", "a US strike kills fighters but costs the struck militia no "
      "cohesion (the line applying it dropped)",
      (A + "foreign_force.py", "        militia.cohesion -= cohesion_lost\n", ""),
      (DAY, "    m[i, M_COHESION] -= cohesion_lost\n", "")),
    M("sovereignty_cost_from_coalition", "a US strike's sovereignty cost comes off the "
      "government's coalition support, not its authority (the wrong field)",
      (A + "foreign_force.py", "m.government.shift(authority=-retaliation.SOVEREIGNTY_COST)",
       "m.government.shift(coalition_support=-retaliation.SOVEREIGNTY_COST)"),
      (DAY, "government_shift(w, -retaliation.SOVEREIGNTY_COST, 0.0, 0.0)",
       "government_shift(w, 0.0, 0.0, -retaliation.SOVEREIGNTY_COST)")),
    M("authority_unclamped", "the government's authority is not kept within [0, 1] when "
      "shifted (the clamp dropped): wins push it past 1, strikes and losses below 0",
      (A + "government.py", "self.authority = clamp(self.authority + authority)",
       "self.authority = self.authority + authority"),
      (DAY, "w[AUTHORITY] = beliefs.clamp(w[AUTHORITY] + authority)",
       "w[AUTHORITY] = w[AUTHORITY] + authority")),
    # the patron
    M("truce_replaces_a_lower_target", "under a truce the patron's target is set to the truce "
      "level, not capped at it: a patron already restraining itself below the level is pushed "
      "up to it",
      (MECH + "patronage.py",
       "return min(target, truce_instigation) if day <= truce_until else target",
       "return truce_instigation if day <= truce_until else target")),
    M("backlash_not_held_back_by_restraint", "the patron's backlash enters its target in full "
      "whatever its restraint weight (the (1 - w) factor dropped)",
      (MECH + "patronage.py", "base + (1.0 - weight) * backlash - restraint",
       "base + backlash - restraint")),
    M("war_risk_ignores_us_threat", "the patron's war risk leaves out an announced US threat "
      "(the us_threat term dropped)",
      (MECH + "patronage.py",
       "return min(1.0, escalation + strike_risk * recent_strikes + us_threat)",
       "return min(1.0, escalation + strike_risk * recent_strikes)")),
    M("instigation_target_above_one", "the patron's instigation target is not capped at 1 (the "
      "min dropped): a large backlash takes instigation past its index's range",
      (MECH + "patronage.py",
       "return min(1.0, max(0.0, base + (1.0 - weight) * backlash - restraint))",
       "return max(0.0, base + (1.0 - weight) * backlash - restraint)")),
    M("campaign_ignored_by_fast_path", "the fast path alone leaves a campaign's support out of "
      "the militias' resources (one engine changed, not the other)",
      (DAY, "        patronage.supply(w[RESOURCES], w[CAMPAIGN]),\n",
       "        w[RESOURCES],\n")),
    # the day's order
    M("government_steps_before_the_patron", "the government steps (and may raid) before the "
      "patron sets today's instigation (the two phases swapped): a raided militia musters on "
      "yesterday's push",
      (PKG + "model.py", "        self.patron.step()\n        self.government.step()\n",
       "        self.government.step()\n        self.patron.step()\n"),
      (DAY, "        patron_step(day, w, m, ev)\n        hazard = government_recover(rng, w, so)\n",
       "        hazard = government_recover(rng, w, so)\n"),
      (DAY, "int(w[RAID_TARGETS]), 0, -1)\n",
       "int(w[RAID_TARGETS]), 0, -1)\n        patron_step(day, w, m, ev)\n")),
    M("releases_before_standoffs", "custody cases are handled before the day's standoffs play, "
      "not after (the two phases swapped): a relent's case gets its release day drawn a day "
      "later",
      (PKG + "model.py", ("        for s in self.open_standoffs():\n"
                          "            standoffs.play_day(self, s)\n"
                          "        self.government.release_transferred()\n"),
       ("        self.government.release_transferred()\n"
        "        for s in self.open_standoffs():\n"
        "            standoffs.play_day(self, s)\n")),
      (DAY, ("        for k in range(int(w[N_STANDOFFS])):\n"
             "            if is_open(so, k):\n"
             "                play_day(rng, day, w, m, so, ev, k)\n"
             "        if np.any(m[:, TRANSFERRED]):\n"
             "            release_transferred(rng, day, w, m, ev)\n"),
       ("        if np.any(m[:, TRANSFERRED]):\n"
        "            release_transferred(rng, day, w, m, ev)\n"
        "        for k in range(int(w[N_STANDOFFS])):\n"
        "            if is_open(so, k):\n"
        "                play_day(rng, day, w, m, so, ev, k)\n"))),
    # --- twenty-second audit (Dec 2026): fights --------------------------------------------------
    # (operations and clashes: mechanisms/operation.py, standoffs.fight_day / fight_strengths /
    # close, LeverageModel.operation, and their fast-path mirror)
    M("fight_day_raises_no_escalation", "a day of fighting does not raise escalation (its "
      "per_clash step dropped): only a clash's start does, so a long fight adds no war risk",
      (PKG + "standoffs.py",
       '    s.government_killed += government_killed\n    model.raise_escalation("per_clash")\n',
       "    s.government_killed += government_killed\n"),
      (DAY, "    so[s, S_GOV_KILLED] += government_killed\n    raise_escalation(w, ESC_PER_CLASH)\n",
       "    so[s, S_GOV_KILLED] += government_killed\n")),
    M("withdraw_on_believed_contest", "the militia decides to leave the streets on the "
      "government's believed contest (its beliefs in backing and resistance), not the real one",
      (PKG + "standoffs.py", "op.withdraw_probability(\n            op.storming_chance(actual,",
       "op.withdraw_probability(\n            op.storming_chance(believed,"),
      (DAY, "operation.withdraw_probability(\n            operation.storming_chance(actual,",
       "operation.withdraw_probability(\n            operation.storming_chance(believed,")),
    M("withdrawal_reads_first_militias_hold_ground", "a militia in a fight leaves the streets "
      "with the first militia's (KH's) hold_ground, not its own (wrong militia index)",
      (PKG + "standoffs.py", "militia.hold_ground, militia.loss_sensitivity,",
       "model.militias[0].hold_ground, militia.loss_sensitivity,"),
      (DAY, "m[i, HOLD_GROUND], m[i, LOSS_SENSITIVITY], w[SHARPNESS]):",
       "m[0, HOLD_GROUND], m[i, LOSS_SENSITIVITY], w[SHARPNESS]):")),
    M("fight_strength_scaled_by_resolve", "a fight's government strength scales its troops by "
      "the government's resolve, not its authority (the wrong field)",
      (PKG + "standoffs.py", "s_gov = mech.government_strength(troops, gov.authority,",
       "s_gov = mech.government_strength(troops, gov.resolve,"),
      (DAY, "standoff.government_strength(troops, w[AUTHORITY],",
       "standoff.government_strength(troops, w[RESOLVE],")),
    M("fight_ignores_militia_cohesion", "a fight weighs the militia's fighters at full "
      "cohesion, whatever strikes have taken from it (cohesion dropped from S_m)",
      (PKG + "standoffs.py",
       "s_mil = mech.militia_strength(militia.fighters, militia.cohesion, muster, pool,",
       "s_mil = mech.militia_strength(militia.fighters, 1.0, muster, pool,"),
      (DAY, "standoff.militia_strength(fighters(m, i), m[i, M_COHESION], muster, pool,",
       "standoff.militia_strength(fighters(m, i), 1.0, muster, pool,")),
    M("government_losses_from_own_strength", "the government's dead in a fight are drawn on its "
      "own strength, not the militia's (the wrong side's strength)",
      (PKG + "standoffs.py", "op.draw_losses(rng, troops, militia.combat_lethality, s_mil)",
       "op.draw_losses(rng, troops, militia.combat_lethality, s_gov)"),
      (DAY, "operation.draw_losses(rng, troops, m[i, M_LETHALITY], s_mil)",
       "operation.draw_losses(rng, troops, m[i, M_LETHALITY], s_gov)")),
    M("fight_halt_on_militias_backing_belief", "the government presses on or halts a fight "
      "weighing the US by the militia's belief in backing, not its own (the wrong actor)",
      (PKG + "standoffs.py",
       ("    backing_term = 1.0 if s.us_stepped_in else gov.backing_belief.mean\n"
        "    believed = mech.contest_ratio(fight_strengths"),
       ("    backing_term = 1.0 if s.us_stepped_in else militia.backing_belief.mean\n"
        "    believed = mech.contest_ratio(fight_strengths")),
      (DAY, "    backing_term = 1.0 if so[s, S_STEPPED_IN] != 0 else w[GB_MEAN]\n",
       "    backing_term = 1.0 if so[s, S_STEPPED_IN] != 0 else m[i, MB_MEAN]\n")),
    M("fight_halt_on_militias_resolve_belief", "the government weighs the militia's strength "
      "by the militia's belief in the government's resolve, not its own belief that the "
      "militia resists (the wrong actor's belief)",
      (PKG + "standoffs.py", "op.believed_militia_strength(s_mil, gov.resistance_belief.mean)",
       "op.believed_militia_strength(s_mil, militia.resolve_belief.mean)"),
      (DAY, "operation.believed_militia_strength(s_mil, w[GR_MEAN])",
       "operation.believed_militia_strength(s_mil, m[i, MR_MEAN])")),
    M("ceasefire_counted_from_the_opening", "a ceasefire takes hold talks_days after the fight "
      "opened, not after the talks opened (the wrong day)",
      (PKG + "standoffs.py", "op.ceasefire_day(model.day, days)",
       "op.ceasefire_day(s.opened_day, days)"),
      (DAY, "operation.ceasefire_day(day, days)",
       "operation.ceasefire_day(int(so[s, S_OPENED]), days)")),
    M("defection_logged_without_deserters", "a day of fighting logs a defection event even "
      "when no one deserts (the 'if deserters' guard dropped)",
      (PKG + "standoffs.py", "    if deserters:\n        s.troops -= deserters",
       "    if True:\n        s.troops -= deserters"),
      (DAY, "    if deserters:\n        so[s, S_TROOPS] -= deserters",
       "    if True:\n        so[s, S_TROOPS] -= deserters")),
    M("fight_halt_counts_as_a_win", "a government that halts a fight is booked as winning it "
      "(clash_won for clash_lost)",
      (PKG + "standoffs.py",
       '    if not gov.holds_firm(believed, s.pressure):\n        return close(model, s, "clash_lost",',
       '    if not gov.holds_firm(believed, s.pressure):\n        return close(model, s, "clash_won",'),
      (DAY, "        close(day, w, m, so, ev, s, CLASH_LOST, 0, K_HALTS,",
       "        close(day, w, m, so, ev, s, CLASH_WON, 0, K_HALTS,")),
    M("fight_goes_on_without_troops", "a fight whose government troops are all gone goes on "
      "(<= for < : the check never fires), with the US alone or a halt by belief",
      (PKG + "standoffs.py", "    if s.troops <= 0:\n        return close(",
       "    if s.troops < 0:\n        return close("),
      (DAY, "    if so[s, S_TROOPS] <= 0:\n        close(",
       "    if so[s, S_TROOPS] < 0:\n        close(")),
    M("operation_opening_teaches_nothing", "the government's belief that militias resist "
      "learns nothing from an operation's opening (resisting or standing down)",
      (PKG + "model.py",
       ("        self.government.resistance_belief.observe(resists)\n        if not resists:\n"
        '            self.record(militia.name, "comply"'),
       '        if not resists:\n            self.record(militia.name, "comply"'),
      (DAY, "    resists = not rng.random() < p\n    observe_world(w, GR_ALPHA, resists)\n",
       "    resists = not rng.random() < p\n")),
    M("operation_troops_from_capacity", "an operation fights with the government's enforcement "
      "capacity, not the troops the script sends (the wrong figure)",
      (PKG + "model.py", "fighting = operation.committed_forces(troops, self.government.committed_share)",
       ("fighting = operation.committed_forces(self.government.enforcement_capacity,\n"
        "                                              self.government.committed_share)")),
      (DAY, "fighting = operation.committed_forces(troops, w[COMMITTED_SHARE])",
       "fighting = operation.committed_forces(w[CAPACITY], w[COMMITTED_SHARE])")),
    M("withdrawal_losses_over_remaining_fighters", "the militia weighs its dead against the "
      "fighters it has left, not those it started the fight with (current for starting force)",
      (PKG + "standoffs.py", "op.loss_share(s.militia_killed, s.militia_start)",
       "op.loss_share(s.militia_killed, militia.fighters)"),
      (DAY, "operation.loss_share(so[s, S_MIL_KILLED], so[s, S_MIL_START])",
       "operation.loss_share(so[s, S_MIL_KILLED], fighters(m, i))")),
    M("stand_down_with_the_us_in_full", "the militia judges an operation's opening with the US "
      "in full, as if it had stepped in, not weighted by its belief in backing",
      (PKG + "model.py", "standoffs.fight_strengths(self, s, militia.backing_belief.mean,",
       "standoffs.fight_strengths(self, s, 1.0,"),
      (DAY, "fight_strengths(w, m, so, k, m[i, MB_MEAN],", "fight_strengths(w, m, so, k, 1.0,")),
    M("talks_booked_under_the_government", "the patron's talks are logged with the government "
      "as their actor (the wrong actor)",
      (PKG + "standoffs.py", 'model.record(broker, "talks", s.militia,',
       'model.record("government", "talks", s.militia,'),
      (DAY, "record(ev, day, broker, A_TALKS,", "record(ev, day, STR_GOVERNMENT, A_TALKS,")),
    M("fighting_booked_under_the_militia", "a day of fighting is logged with the militia as "
      "actor and the government as target (actor and target swapped)",
      (PKG + "standoffs.py", 'model.record("government", "fighting", s.militia,',
       'model.record(s.militia, "fighting", "government",'),
      (DAY, "record(ev, day, STR_GOVERNMENT, A_FIGHTING, militia_name(i),",
       "record(ev, day, militia_name(i), A_FIGHTING, STR_GOVERNMENT,")),
    M("clash_fights_the_whole_militia", "a muster's clash meets the whole militia, as an "
      "operation does, not the share its muster committed",
      (PKG + "standoffs.py",
       "muster, pool = (1, 1) if s.operation else (s.muster, militia.local_fighters)",
       "muster, pool = (1, 1)"),
      (DAY, "    if so[s, S_OPERATION] != 0:\n        muster, pool = 1, 1",
       "    if True:\n        muster, pool = 1, 1")),
    M("clash_share_fast_path_over_all_fighters", "the fast path alone commits to a clash the "
      "muster's share of all the militia's fighters, not of its local fighters (the agent path "
      "right)",
      (DAY, "muster, pool = int(so[s, S_MUSTER]), int(m[i, LOCAL_FIGHTERS])",
       "muster, pool = int(so[s, S_MUSTER]), fighters(m, i)")),
    M("desertion_ignores_cohesion", "desertion is drawn as if the force had no cohesion at all "
      "(force_cohesion not passed: 0)",
      (PKG + "standoffs.py", "op.desertion_share(gov.desertion_rate, gov.force_cohesion, actual,",
       "op.desertion_share(gov.desertion_rate, 0.0, actual,"),
      (DAY, "operation.desertion_share(w[DESERTION_RATE], w[FORCE_COHESION], actual,",
       "operation.desertion_share(w[DESERTION_RATE], 0.0, actual,")),
    M("clash_losses_over_the_muster", "a clash weighs the militia's dead against its muster, "
      "not its whole force at the clash's start (the militia_start recorded wrong)",
      (PKG + "standoffs.py", "                    militia.fighters, model.day + op.MAX_CLASH_DAYS)",
       "                    s.muster, model.day + op.MAX_CLASH_DAYS)"),
      (DAY, "fighters(m, i), day + operation.MAX_CLASH_DAYS)",
       "int(so[s, S_MUSTER]), day + operation.MAX_CLASH_DAYS)")),
    # --- twenty-third audit (Dec 2026): custody, redeploy, retaliation, enforcement, ----------
    # intimidation, outcomes, scripted events, statistics
    # custody
    M("a23_commanders_kept_below_zero", "a negotiated transfer that keeps fewer detainees than "
      "the rank and file 'keeps' a negative number of commanders (the max(0, ...) dropped): more "
      "commanders are handed over than were held",
      (MECH + "custody.py", "return min(commanders, max(0, kept - (detainees - commanders)))",
       "return min(commanders, kept - (detainees - commanders))")),
    M("a23_new_transfer_overwrites_the_open_case", "detainees transferred while a militia's "
      "case is pending replace those already in the case instead of joining it (= for +=): "
      "the earlier ones are never released",
      (A + "government.py", "self.transferred[militia] = self.transferred.get(militia, 0) + n - kept",
       "self.transferred[militia] = n - kept"),
      (DAY, "        m[i, TRANSFERRED] += n - kept", "        m[i, TRANSFERRED] = n - kept")),
    M("a23_detainees_held_omits_the_transferred", "the daily detainees_held counts only those in "
      "the government's custody, not those handed to a militia unit and not yet free (the "
      "agent path's time series; the fast path has none)",
      (A + "government.py",
       "return sum(self.custody.values()) + sum(self.transferred.values())",
       "return sum(self.custody.values())")),
    # redeploy
    M("a23_redeploy_logs_the_new_presence", "a redeployment is logged with the presence after "
      "it as its value, not the troops that returned",
      (A + "foreign_force.py",
       ("event_text.redeploy(cost, self.casualty_tolerance, self.presence),\n"
        "                              troops)"),
       ("event_text.redeploy(cost, self.casualty_tolerance, self.presence),\n"
        "                              self.presence)")),
      (DAY, "A_REDEPLOY, -1, troops, K_REDEPLOY,", "A_REDEPLOY, -1, presence + troops, K_REDEPLOY,")),
    M("a23_redeploy_seen_by_government_only", "militias never see a redeployment (only the "
      "government's belief in US backing rises)",
      (A + "foreign_force.py", "self.model.observe_backing(True, weight=REDEPLOY_EVIDENCE)",
       "self.model.government.backing_belief.observe(True, REDEPLOY_EVIDENCE)"),
      (DAY, "observe_backing(w, m, True, False, beliefs.REDEPLOY_EVIDENCE)",
       "observe_world(w, GB_ALPHA, True, beliefs.REDEPLOY_EVIDENCE)")),
    M("a23_redeploy_a_day_late", "troops return one calm day after redeploy_after_days "
      "(> for >=)",
      (A + "foreign_force.py", "if self.calm_days >= self.redeploy_after_days:",
       "if self.calm_days > self.redeploy_after_days:"),
      (DAY, "if w[CALM_DAYS] >= w[REDEPLOY_AFTER]:", "if w[CALM_DAYS] > w[REDEPLOY_AFTER]:")),
    M("a23_redeploy_calm_ignores_expulsion_pressure", "a day counts as calm for a "
      "redeployment on the remembered casualties alone (the expulsion pressure left out of the "
      "political cost)",
      (A + "foreign_force.py",
       "self.expulsion_pressure)\n        self.calm_days = redeploy.calm_days(",
       "0.0)\n        self.calm_days = redeploy.calm_days("),
      (DAY, "w[EXPULSION])\n    w[CALM_DAYS] = redeploy.calm_days(",
       "0.0)\n    w[CALM_DAYS] = redeploy.calm_days(")),
    # retaliation
    M("a23_restraint_not_halved", "the restraint on retaliation weighs escalation + expulsion "
      "pressure in full, not their mean (the / 2 dropped)",
      (MECH + "retaliation.py", "cost = 1.0 - restraint * (escalation + expulsion_pressure) / 2",
       "cost = 1.0 - restraint * (escalation + expulsion_pressure)")),
    M("a23_strike_logs_the_lethality", "a strike is logged with strike_lethality as its value "
      "(the fighters it would kill), not the fighters it killed (fewer if the militia has fewer)",
      (A + "foreign_force.py", "event_text.strike(reason, killed), killed)",
       "event_text.strike(reason, killed), self.strike_lethality)"),
      (DAY, "militia_name(i), killed, reason_kind, reason,",
       "militia_name(i), w[STRIKE_LETHALITY], reason_kind, reason,")),
    # enforcement
    M("a23_raid_defenders_at_full_cohesion", "a raid's arrests are drawn against the target's "
      "local fighters as if fully cohesive (cohesion 1 for the militia's)",
      (A + "government.py",
       "defenders = enforcement.local_defenders(militia.local_fighters, militia.cohesion)",
       "defenders = enforcement.local_defenders(militia.local_fighters, 1.0)"),
      (DAY, "enforcement.local_defenders(int(m[i, LOCAL_FIGHTERS]), m[i, M_COHESION]))",
       "enforcement.local_defenders(int(m[i, LOCAL_FIGHTERS]), 1.0))")),
    M("a23_raid_confidence_misparenthesised", "the raid hazard's confidence is resolve × (1 − "
      "E[res]) × (1 − E[backing]) (a misplaced parenthesis): belief in backing lowers it",
      (MECH + "enforcement.py",
       "confidence = resolve * (1.0 - expected_resistance * (1.0 - expected_backing))",
       "confidence = resolve * (1.0 - expected_resistance) * (1.0 - expected_backing)")),
    # intimidation
    M("a23_push_not_normalised_by_the_top_share", "the patron's push on a militia is "
      "instigation × share (the division by the top share dropped)",
      (MECH + "intimidation.py",
       "return instigation * share / max_share if max_share > 0 else 0.0",
       "return instigation * share if max_share > 0 else 0.0")),
    M("a23_threat_teaches_no_resistance", "a public threat is read by the government as "
      "evidence that militias do not resist (True for False)",
      (PKG + "model.py", "self.government.resistance_belief.observe(True, beliefs.THREAT_EVIDENCE)",
       "self.government.resistance_belief.observe(False, beliefs.THREAT_EVIDENCE)"),
      (DAY, "observe_world(w, GR_ALPHA, True, beliefs.THREAT_EVIDENCE)",
       "observe_world(w, GR_ALPHA, False, beliefs.THREAT_EVIDENCE)")),
    M("a23_threat_pressure_replaced", "each public threat replaces the standoff's pressure "
      "instead of adding to it (= for +=)",
      (PKG + "model.py", "                        s.pressure += pressure",
       "                        s.pressure = pressure"),
      (DAY, "so[s, S_PRESSURE] += pressure", "so[s, S_PRESSURE] = pressure")),
    M("a23_allied_fighters_replaced", "each ally that joins a muster replaces the allied "
      "fighters already there instead of adding to them (= for +=)",
      (PKG + "model.py", "s.allied_fighters += fighters", "s.allied_fighters = fighters"),
      (DAY, "so[s, S_ALLIED] += allies", "so[s, S_ALLIED] = allies")),
    # outcomes
    M("a23_us_strikes_sum_the_killed", "the run summary's us_strikes sums the fighters strikes "
      "killed, not the strikes",
      (PKG + "outcomes.py", '"us_strikes": lambda m: m.log.counts["strike"],',
       '"us_strikes": lambda m: int(m.log.totals["strike"]),')),
    M("a23_standoffs_count_standoff_events", "the run summary's standoffs counts the standoff "
      "events (the opening and each day held), not the confrontations",
      (PKG + "outcomes.py", '"standoffs": lambda m: len(m.standoffs),',
       '"standoffs": lambda m: m.log.counts["standoff"],')),
    M("a23_withdrawal_on_day_0_not_withdrawn", "the run summary's us_withdrawn reads the "
      "withdrawal day's truth value: a withdrawal on day 0 counts as none",
      (PKG + "outcomes.py", '"us_withdrawn": lambda m: m.foreign_force.withdrawal_day is not None,',
       '"us_withdrawn": lambda m: bool(m.foreign_force.withdrawal_day),')),
    # scripted events
    M("a23_scripted_raid_targets_ignored", "a scripted raid's targets figure is ignored: "
      "arrests are drawn from the government's raid_targets",
      (PKG + "scripted_events.py", "targets=figures.targets,", "targets=None,"),
      (DAY, "int(e[E_FIGURE]), int(e[E_FIGURE2]),", "int(e[E_FIGURE]), 0,")),
    M("a23_scripted_raid_commanders_ignored", "a scripted raid's commanders figure is ignored: "
      "no commander is ever detained",
      (PKG + "scripted_events.py", "               commanders=figures.commanders, note=ev.note)",
       "               note=ev.note)"),
      (DAY, "             int(e[E_FIGURE3]), note)", "             0, note)")),
    M("a23_scripted_drawdown_to_the_figure", "a scripted drawdown's troops figure is read as "
      "the troops left, not the troops withdrawn",
      (PKG + "scripted_events.py", "ff.draw_down(ev.typed_figures().troops,",
       "ff.draw_down(ff.presence - ev.typed_figures().troops,"),
      (DAY, "troops = int(e[E_FIGURE]) if action == X_DRAWDOWN",
       "troops = int(w[PRESENCE]) - int(e[E_FIGURE]) if action == X_DRAWDOWN")),
    # statistics
    M("a23_total_ignores_its_actor", "total sums the values of every actor's events, not only "
      "its actor's",
      (STATS, "ev.value[select(ev, action, actor, target, exclude_targets, start, end)]",
       "ev.value[select(ev, action, None, target, exclude_targets, start, end)]")),
    M("a23_occurred_ignores_its_window", "occurred counts an event on any day, not only from "
      "start to end",
      (STATS, "return float(count(tables, action, actor, target, (), start, end) > 0)",
       "return float(count(tables, action, actor, target) > 0)")),
    M("a23_share_window_from_the_whole_start", "share_in_window counts the window's part from "
      "start (the whole's start), not from window_start",
      (STATS, "part = count(tables, action, exclude_targets=exclude_targets, start=window_start,",
       "part = count(tables, action, exclude_targets=exclude_targets, start=start,")),
    M("a23_days_until_ignores_its_actor", "days_until waits for the first event by any actor, "
      "not its actor's",
      (STATS, "dates = ev.dates[select(ev, action, actor, target, (), after, end)]",
       "dates = ev.dates[select(ev, action, None, target, (), after, end)]")),
    M("a23_followed_by_answered_by_the_trigger", "followed_by looks for the answers among the "
      "trigger action's events (action for response): every trigger answers itself",
      (STATS, "answers = ev.day[ev.action == ev.action_code(response)]",
       "answers = ev.day[ev.action == ev.action_code(action)]")),
    # second round (after the first 26: what the first round's survivors suggested)
    M("a23_release_logged_by_the_government", "a release is logged with the government as its "
      "actor and the militia as target (actor and target swapped)",
      (PKG + "model.py", 'self.record(militia, "release", "government", event_text.released(n), n)',
       'self.record("government", "release", militia, event_text.released(n), n)'),
      (DAY, "record(ev, day, militia_name(i), A_RELEASE, STR_GOVERNMENT, freed, K_RELEASED,",
       "record(ev, day, STR_GOVERNMENT, A_RELEASE, militia_name(i), freed, K_RELEASED,")),
    M("a23_kept_commanders_forgotten", "commanders a negotiated transfer keeps are no longer "
      "counted in custody: a later transfer hands them over as rank and file, and their case "
      "never frees them from the militia's count",
      (A + "government.py", "        if stay:\n            self.custody_commanders[militia] = stay\n",
       ""),
      (DAY, "    m[i, CUSTODY_COMMANDERS] = stay\n", "    m[i, CUSTODY_COMMANDERS] = 0.0\n")),
    M("a23_unanswered_attacks_teach_nothing", "militias learn about retaliation only from "
      "strikes: a deadly attack left unanswered teaches nothing (the lesson moved under 'if "
      "strikes')",
      (A + "foreign_force.py",
       "            m.observe_retaliation(strikes)\n            if strikes:\n",
       "            if strikes:\n                m.observe_retaliation(strikes)\n"),
      (DAY, ("        for j in range(m.shape[0]):\n            observe(m, j, MT_ALPHA, strikes)\n"
             "        if strikes:\n"),
       ("        if strikes:\n            for j in range(m.shape[0]):\n"
        "                observe(m, j, MT_ALPHA, strikes)\n"))),
    M("a23_raid_choice_ignores_expected_resistance", "the payoff of raiding a militia discounts "
      "the risk its muster wins in full, not weighted by the belief that it resists",
      (MECH + "enforcement.py", "* arrest * (1.0 - expected_resistance * risk)",
       "* arrest * (1.0 - risk)")),
    M("a23_clashes_count_fighting_days", "the run summary's clashes counts the days of fighting "
      "(of clashes and operations), not the clashes",
      (PKG + "outcomes.py", '"clashes": lambda m: m.log.counts["clash"],',
       '"clashes": lambda m: m.log.counts["fighting"],')),
    M("a23_public_threats_sum_the_pressure", "the run summary's public_threats sums the threats' "
      "pressure, not the threats",
      (PKG + "outcomes.py", '"public_threats": lambda m: m.log.counts["public_threat"],',
       '"public_threats": lambda m: m.log.totals["public_threat"],')),
    M("a23_final_autonomy_of_the_first_militia", "the run summary's final_mean_autonomy is the "
      "first militia's autonomy, not the mean",
      (PKG + "outcomes.py", '"final_mean_autonomy": lambda m: float(m.mean_autonomy),',
       '"final_mean_autonomy": lambda m: float(m.militias[0].autonomy),')),
    M("a23_site_set_on_the_first_site", "a scripted set of foreign_forces.sites[NAME].X changes "
      "the first site, whatever its name",
      (PKG + "scripted_events.py", "node = model.foreign_force.site(where[2])",
       "node = model.foreign_force.sites[0]"),
      ("src/leverage_sim/simulation/fastpath/build.py",
       "table, row, section = L.SET_SITE, strings.sites[where[2]], \"sites\"",
       "table, row, section = L.SET_SITE, 0, \"sites\"")),
    M("a23_new_raid_replaces_the_kept_detainees", "a raid's arrests replace the detainees of "
      "that militia still in the government's custody (kept in an earlier negotiated transfer) "
      "instead of joining them (= for +=)",
      (PKG + "model.py", "gov.custody[militia.name] = gov.custody.get(militia.name, 0) + arrests",
       "gov.custody[militia.name] = arrests"),
      (DAY, "    m[i, CUSTODY] += arrests", "    m[i, CUSTODY] = arrests")),
    M("a23_share_whole_to_the_run_end", "share_in_window's whole counts the events from start "
      "to the run's end, not to end",
      (STATS, "whole = count(tables, action, exclude_targets=exclude_targets, start=start, end=end)",
       "whole = count(tables, action, exclude_targets=exclude_targets, start=start)")),
    # --- twenty-fourth audit: a fight engages what the government believes it needs --------------
    M("a24_engaged_all_troops", "every troop of a fight engages from the first day, whatever the "
      "government believes (the engagement cut)",
      (MECH + "operation.py", "return int(np.ceil(troops * resistance))", "return troops")),
    M("a24_engaged_complement", "the engaged share is the belief that the militia does not resist "
      "(1 − r: the engagement reversed)",
      (MECH + "operation.py", "return int(np.ceil(troops * resistance))",
       "return int(np.ceil(troops * (1.0 - resistance)))")),
    M("a24_engaged_on_the_prior", "the engaged share stays at the government's prior (it does "
      "not learn from the fight which troops to commit)",
      (PKG + "standoffs.py",
       "return op.engaged_troops(s.troops, model.government.resistance_belief.mean)",
       ("b = model.government.resistance_belief\n"
        "    return op.engaged_troops(s.troops, b.alpha0 / (b.alpha0 + b.beta0))")),
      (DAY, "return operation.engaged_troops(int(so[s, S_TROOPS]), w[GR_MEAN])",
       ("return operation.engaged_troops(int(so[s, S_TROOPS]), "
        "w[GR_ALPHA0] / (w[GR_ALPHA0] + w[GR_BETA0]))"))),
    M("a24_losses_among_all_troops", "the government's dead are drawn among all its troops in "
      "the fight, not those engaged",
      (PKG + "standoffs.py", "op.draw_losses(rng, troops, militia.combat_lethality, s_mil)",
       "op.draw_losses(rng, s.troops, militia.combat_lethality, s_mil)"),
      (DAY, "operation.draw_losses(rng, troops, m[i, M_LETHALITY], s_mil)",
       "operation.draw_losses(rng, int(so[s, S_TROOPS]), m[i, M_LETHALITY], s_mil)")),
    M("a24_halt_judged_on_the_engaged", "the government judges whether to press on with the "
      "troops engaged today, not all it has in the fight",
      (PKG + "standoffs.py", "fight_strengths(model, s, backing_term, s.troops)[0]",
       "fight_strengths(model, s, backing_term, engaged(model, s))[0]"),
      (DAY, ("fight_strengths(w, m, so, s, backing_term,\n"
             "                                                      int(so[s, S_TROOPS]))[0]"),
       ("fight_strengths(w, m, so, s, backing_term,\n"
        "                                                      engaged(w, so, s))[0]"))),
    M("a24_opening_weighed_on_the_engaged", "at an operation's opening the militia weighs the "
      "troops the government will engage (which it cannot know), not the force arrayed",
      (PKG + "model.py",
       "militia.backing_belief.mean,\n                                                   s.troops)",
       ("militia.backing_belief.mean,\n                                                   "
        "standoffs.engaged(self, s))")),
      (DAY, "m[i, MB_MEAN], int(so[k, S_TROOPS]))", "m[i, MB_MEAN], engaged(w, so, k))")),
    M("a24_desertion_on_all_troops", "desertion reads the contest of all the troops in the "
      "fight, not of those engaged",
      (PKG + "standoffs.py", "    actual = real_contest(model, s)\n",
       "    actual = mech.contest_ratio(*fight_strengths(model, s, us, s.troops))\n"),
      (DAY, "    actual = real_contest(w, m, so, s)\n    share",
       ("    s_gov, s_mil = fight_strengths(w, m, so, s, us, int(so[s, S_TROOPS]))\n"
        "    actual = standoff.contest_ratio(s_gov, s_mil)\n    share"))),
    M("a24_real_contest_on_all_troops", "the day's real contest (the patron's brokering, the "
      "ceasefire's terms, the militia's withdrawal, the last day) counts all the troops in the "
      "fight, not those engaged",
      (PKG + "standoffs.py",
       "s_gov, s_mil = fight_strengths(model, s, us, engaged(model, s))\n    if s.troops <= 0:",
       "s_gov, s_mil = fight_strengths(model, s, us, s.troops)\n    if s.troops <= 0:"),
      (DAY, ("s_gov, s_mil = fight_strengths(w, m, so, s, us, engaged(w, so, s))\n"
             "    if so[s, S_TROOPS] <= 0:"),
       ("s_gov, s_mil = fight_strengths(w, m, so, s, us, int(so[s, S_TROOPS]))\n"
        "    if so[s, S_TROOPS] <= 0:"))),
    # the militia's own weight of its losses (loss_sensitivity), steps 0 and 6
    M("a25_loss_weight_fixed", "the militia's losses weigh the old fixed 10 whatever its "
      "loss_sensitivity (in leaving the streets and, through it, in standing down)",
      (MECH + "operation.py", "                                 + loss_sensitivity * loss_share))",
       "                                 + 10.0 * loss_share))")),
    M("a25_loss_weight_reversed", "the militia's losses keep it in the streets (the sign of "
      "loss_sensitivity × losses reversed)",
      (MECH + "operation.py", "                                 + loss_sensitivity * loss_share))",
       "                                 - loss_sensitivity * loss_share))")),
    M("a25_stand_down_fixed_weight", "the stand-down at an operation's opening weighs the losses "
      "expected with the fixed 10, not the militia's loss_sensitivity",
      (MECH + "operation.py", "hold_ground, loss_sensitivity, sharpness)",
       "hold_ground, 10.0, sharpness)")),
    M("a25_agent_withdraw_fixed_weight", "the agent path's fight day passes the fixed 10 for "
      "the militia's loss_sensitivity",
      (PKG + "standoffs.py", "militia.hold_ground, militia.loss_sensitivity,",
       "militia.hold_ground, 10.0,")),
    M("a25_agent_stand_down_fixed_weight", "the agent path's opening passes the fixed 10 for "
      "the militia's loss_sensitivity",
      (PKG + "agents/militia.py", "self.hold_ground, self.loss_sensitivity,",
       "self.hold_ground, 10.0,")),
    M("a25_fast_withdraw_fixed_weight", "the fast path's fight day passes the fixed 10 for the "
      "militia's loss_sensitivity",
      (DAY, "m[i, HOLD_GROUND], m[i, LOSS_SENSITIVITY], w[SHARPNESS]):",
       "m[i, HOLD_GROUND], 10.0, w[SHARPNESS]):")),
    M("a25_fast_stand_down_fixed_weight", "the fast path's opening passes the fixed 10 for the "
      "militia's loss_sensitivity",
      (DAY, "m[i, HOLD_GROUND], m[i, LOSS_SENSITIVITY],\n",
       "m[i, HOLD_GROUND], 10.0,\n")),
    # --- twenty-fourth audit, second part (t24_*): links between actors -----------------------
    # (whose belief a decision reads, who learns from what, whose lesson a confrontation teaches,
    # what a memory, a cap or a custody count is applied to; the model tests killed 7 of the 14,
    # three of them indirectly (a ceasefire's cost, a clash's shifts, the invariants' sweep);
    # tests/test_wiring_twentyfourth_audit.py, added to them, kills the seven survivors and those
    # three directly)
    M("t24_standoff_hold_on_the_militias_backing_belief", "the government weighs holding a "
      "standoff with the raided militia's belief in US backing, not its own (the wrong actor's "
      "belief; a fight's halt is right)",
      (PKG + "standoffs.py",
       ("    backing_term = 1.0 if s.us_stepped_in else gov.backing_belief.mean\n"
        "    believed = mech.contest_ratio(gov.strength(backing_term), s_mil)"),
       ("    backing_term = 1.0 if s.us_stepped_in else militia.backing_belief.mean\n"
        "    believed = mech.contest_ratio(gov.strength(backing_term), s_mil)")),
      (DAY, "    backing_term = 1.0 if stepped_in else w[GB_MEAN]",
       "    backing_term = 1.0 if stepped_in else m[i, MB_MEAN]")),
    M("t24_allies_join_on_the_instigation", "an ally sends fighters to a muster with the "
      "patron's whole instigation, not its own push (instigation × its share of the top share)",
      (A + "militia.py",
       ("intimidation.join_probability(self.solidarity,\n" + " " * 76 + "self.push))"),
       ("intimidation.join_probability(self.solidarity,\n" + " " * 76
        + "self.model.patron.instigation))")),
      (DAY, "intimidation.join_probability(m[i, SOLIDARITY], push(w, m, i)):",
       "intimidation.join_probability(m[i, SOLIDARITY], w[INSTIGATION]):")),
    M("t24_militia_resolve_belief_never_forgets", "a militia's belief in the government's "
      "resolve never forgets toward its prior (left out of the beliefs it forgets): one relent "
      "emboldens its musters for good",
      (A + "militia.py",
       "for belief in (self.backing_belief, self.resolve_belief, self.retaliation_belief):",
       "for belief in (self.backing_belief, self.retaliation_belief):"),
      (DAY, "    forget(m, i, MR_ALPHA, MR_ALPHA0, memory)\n", "")),
    M("t24_relent_costs_the_win_gain", "a relent costs the government win_authority_gain "
      "(0.08), not relent_authority_cost (0.12) (the wrong field; a lost clash 1.5 × it)",
      (PKG + "standoffs.py", "step = gov.relent_authority_cost * (1.5",
       "step = gov.win_authority_gain * (1.5"),
      (DAY, "step = w[RELENT_COST] * (1.5", "step = w[WIN_GAIN] * (1.5")),
    M("t24_partner_never_learns", "the US never learns from a confrontation's end whether its "
      "partner holds (its belief in the partner is never updated: only its prior weighs on "
      "the step-in)",
      (PKG + "model.py", "        self.foreign_force.observe_standoff(government_won)\n", ""),
      (DAY, "    observe_world(w, FP_ALPHA, government_won)\n", "")),
    M("t24_lessons_centred_on_the_first_militia", "a confrontation's end gives the central "
      "militia's lesson (autonomy, morale) to the first militia (KH), whichever militia it was "
      "with (wrong militia index; a raid's comply is right)",
      (PKG + "standoffs.py", "model.end_standoff_shifts(militia, government_won=won",
       "model.end_standoff_shifts(model.militias[0], government_won=won"),
      (DAY, "end_standoff_shifts(w, m, i, won, step, so[s, S_STEPPED_IN] != 0)",
       "end_standoff_shifts(w, m, 0, won, step, so[s, S_STEPPED_IN] != 0)")),
    M("t24_us_choice_on_the_lever_alone", "the US's hidden choice at a confrontation's opening "
      "is drawn with the backing lever alone, not its step-in chance (authority, trust in its "
      "partner, expulsion pressure and its losses ignored; the liaison still reports the "
      "real chance)",
      (PKG + "model.py", "will, when = standoff.draw_us_choice(self.rng, ff.step_in_probability(),",
       "will, when = standoff.draw_us_choice(self.rng, 0.0 if ff.withdrawn else ff.backing,"),
      (DAY, "will, when = standoff.draw_us_choice(rng, step_in_probability(w),",
       "will, when = standoff.draw_us_choice(rng, 0.0 if w[PRESENCE] == 0 else w[BACKING],")),
    M("t24_silence_seen_by_government_only", "a silent standoff day lowers only the "
      "government's belief in US backing: the militias do not read the silence",
      (PKG + "standoffs.py", "from leverage_sim.simulation.mechanisms import operation as op\n",
       ("from leverage_sim.simulation.mechanisms import beliefs\n"
        "from leverage_sim.simulation.mechanisms import operation as op\n")),
      (PKG + "standoffs.py", "        model.observe_backing(False, silent_day=True)",
       "        model.government.backing_belief.observe(False, beliefs.SILENT_DAY_EVIDENCE)"),
      (DAY, "        observe_backing(w, m, False, True)\n",
       "        observe_world(w, GB_ALPHA, False, beliefs.SILENT_DAY_EVIDENCE)\n")),
    M("t24_raid_choice_ignores_arrest_chance", "the choice of whom to raid ignores the chance "
      "to arrest the targets (the arrest factor dropped from the payoff): a militia with many "
      "defenders is raided as readily",
      (MECH + "enforcement.py",
       "payoffs[i] = (ATTRIBUTION_FLOOR + share) * arrest * (1.0 - expected_resistance * risk)",
       "payoffs[i] = (ATTRIBUTION_FLOOR + share) * (1.0 - expected_resistance * risk)")),
    M("t24_attack_memory_refreshed_unfaded", "a new attack is added to the militia's stored "
      "count of attacks, not to what remains of it (the fading since the last attack lost): "
      "the memory of a militia that keeps attacking never fades",
      (A + "government.py",
       "self._seen[militia] = (self.attacks_seen(militia) + 1.0, self.model.day)",
       "self._seen[militia] = (self._seen.get(militia, (0.0, 0))[0] + 1.0, self.model.day)"),
      (DAY, "m[i, SEEN] = attacks_seen(m, i, day) + 1.0", "m[i, SEEN] = m[i, SEEN] + 1.0")),
    M("t24_resolve_unclamped", "the government's resolve is not kept within [0, 1] when "
      "shifted (the clamp dropped): wins push a resolute government past 1, relents a "
      "faltering one below 0",
      (A + "government.py", "self.resolve = clamp(self.resolve + resolve)",
       "self.resolve = self.resolve + resolve"),
      (DAY, "w[RESOLVE] = beliefs.clamp(w[RESOLVE] + resolve)", "w[RESOLVE] = w[RESOLVE] + resolve")),
    M("t24_top_share_from_the_base_shares", "the top share the push divides by is the largest "
      "base share, not the largest re-allocated one: a pressed client is pushed past the "
      "patron's full instigation",
      (A + "patron.py", "            self.top_share = max(shares)",
       "            self.top_share = max(m.patron_support_share for m in militias)"),
      (DAY, ("        top = shares[0]\n        for i in range(n):\n"
             "            top = max(top, shares[i])"),
       ("        top = m[0, SUPPORT_SHARE]\n        for i in range(n):\n"
        "            top = max(top, m[i, SUPPORT_SHARE])"))),
    M("t24_push_from_the_base_instigation", "a militia's push reads the patron's base "
      "instigation, not today's (backlash, restraint and truces never reach the militias)",
      (A + "militia.py", "return intimidation.patron_push(patron.instigation,",
       "return intimidation.patron_push(patron.base_instigation,"),
      (DAY, "return intimidation.patron_push(w[INSTIGATION], m[i, SHARE], w[TOP_SHARE])",
       "return intimidation.patron_push(w[BASE_INSTIGATION], m[i, SHARE], w[TOP_SHARE])")),
    M("t24_kept_drawn_over_all_detained", "a negotiated transfer draws the detainees kept from "
      "all the militia's detained (its case pending with a militia unit too), not those in "
      "the government's custody: with a case pending it keeps nearly all the new arrests",
      (A + "government.py",
       "return standoff.kept_in_negotiation(self.model.rng, self.custody.get(militia, 0),",
       "return standoff.kept_in_negotiation(self.model.rng, self.model.militia(militia).detained,"),
      (DAY, "kept = standoff.kept_in_negotiation(rng, int(m[i, CUSTODY]), believed, w[LEVERAGE])",
       "kept = standoff.kept_in_negotiation(rng, int(m[i, DETAINED]), believed, w[LEVERAGE])")),
    # who killed a fight's dead (mechanism 8, step 2: the killed_by_air event)
    M("air_kills_before_the_step_in", "air power is credited with dead on days of fighting "
      "before the foreign force stepped in (the step-in gate dropped)",
      (PKG + "standoffs.py", "us * model.foreign_force.air_strength, s_gov)",
       "model.foreign_force.air_strength, s_gov)"),
      (DAY, "us * air_strength(w), s_gov)", "air_strength(w), s_gov)")),
    M("air_kills_of_both_sides", "the air share is taken of both sides' dead, the "
      "government's own included",
      (PKG + "standoffs.py", "op.attributed_losses(militia_killed, us",
       "op.attributed_losses(militia_killed + government_killed, us"),
      (DAY, "operation.attributed_losses(militia_killed, us",
       "operation.attributed_losses(militia_killed + government_killed, us")),
    M("air_kills_of_the_whole_US_strength", "all of what stepping in adds (ground troops too) "
      "is credited as air power",
      (PKG + "standoffs.py", "us * model.foreign_force.air_strength, s_gov)",
       "us * model.foreign_force.standoff_strength, s_gov)"),
      (DAY, "us * air_strength(w), s_gov)", "us * standoff_strength(w), s_gov)")),
    M("air_kills_over_both_strengths", "the air share is of both sides' strength, not of the "
      "government side's that did the killing",
      (PKG + "standoffs.py", "us * model.foreign_force.air_strength, s_gov)",
       "us * model.foreign_force.air_strength, s_gov + s_mil)"),
      (DAY, "us * air_strength(w), s_gov)", "us * air_strength(w), s_gov + s_mil)")),
    M("air_kills_inverted", "a part's share of the dead is the whole over the part",
      (MECH + "operation.py", "    return killed * part / strength",
       "    return killed * strength / part if part > 0.0 else 0.0")),
    M("share_of_total_inverted", "share_of_total divides the whole by the part",
      (STATS, "return total(tables, action, target=target, start=start, end=end) / whole if whole else 0.0",
       "return whole / total(tables, action, target=target, start=start, end=end) if whole else 0.0")),
    # Bug audit of 7 December 2026 (20 new hand-made bugs, 18 killed by the model tests as they
    # were): the two survivors, now killed by tests/test_wiring_twentyfifth_audit.py.
    M("client_wins_do_not_stack", "a client's win sets the patron's campaign plan to one win's "
      "worth instead of adding to it (= for +=)",
      (A + "patron.py", "self.campaign_plan += self.win_campaign",
       "self.campaign_plan = self.win_campaign"),
      (DAY, "w[CAMPAIGN_PLAN] += w[WIN_CAMPAIGN]", "w[CAMPAIGN_PLAN] = w[WIN_CAMPAIGN]")),
    M("vote_before_the_days_strikes", "parliament's expulsion vote is checked before the day's "
      "strikes are carried out, not after (a strike's pressure is voted on a day late)",
      (A + "foreign_force.py", "        due = [s for s in self.pending_strikes if s[0] <= self.model.day]\n",
       ("        self.consider_expulsion_vote()\n"
       "        due = [s for s in self.pending_strikes if s[0] <= self.model.day]\n")),
      (A + "foreign_force.py", ("                self.strike(target, event_text.retaliation(self.label))\n"
       "        self.consider_expulsion_vote()\n"),
       "                self.strike(target, event_text.retaliation(self.label))\n"),
      (DAY, "    any_due = False\n", "    consider_expulsion_vote(day, w, ev)\n    any_due = False\n"),
      (DAY, ("                strike(day, w, m, ev, int(item[1]), K_STRIKE, STR_RETALIATION)\n"
       "    consider_expulsion_vote(day, w, ev)\n"),
       "                strike(day, w, m, ev, int(item[1]), K_STRIKE, STR_RETALIATION)\n")),
    # scripted mediation (7 December 2026): tests/test_mediation.py
    M("talks_set_no_ceasefire_day", "a mediator's talks set no ceasefire day (only the patron's talks end in a ceasefire)",
      (PKG + "standoffs.py", '    s.ceasefire_day = op.ceasefire_day(model.day, days)\n',
       "    s.ceasefire_day = op.ceasefire_day(model.day, days) if broker == 'patron' else 0\n"),
      (DAY, '    so[s, S_CEASEFIRE_DAY] = operation.ceasefire_day(day, days)\n',
       '    so[s, S_CEASEFIRE_DAY] = operation.ceasefire_day(day, days) if broker == STR_PATRON else 0\n')),
    M("ceasefire_by_patron_always", "every ceasefire is logged as the patron's, a mediator's too",
      (PKG + "standoffs.py", '        model.record(s.broker, "ceasefire"',
       '        model.record("patron", "ceasefire"'),
      (DAY, '        broker = int(so[s, S_BROKER])\n',
       '        broker = STR_PATRON\n')),
    M("mediation_one_day_talks", "a mediation's talks take one day whatever its figures.days",
      (PKG + "scripted_events.py", '        standoffs.open_talks(model, s, ev.actor, days,',
       '        standoffs.open_talks(model, s, ev.actor, 1,'),
      (DAY, '                open_talks(day, so, ev, k, int(e[E_ACTOR]), days,\n',
       '                open_talks(day, so, ev, k, int(e[E_ACTOR]), 1,\n')),
    M("mediation_overrides_patron_talks", 'a mediation replaces talks the patron already opened',
      (PKG + "scripted_events.py", 'if s.fighting and not s.ceasefire_day and ev.target',
       'if s.fighting and ev.target'),
      (DAY, 'so[k, S_FIGHTING] != 0 and so[k, S_CEASEFIRE_DAY] == 0\n',
       'so[k, S_FIGHTING] != 0\n')),
    M("mediation_of_non_fights", 'a mediation opens talks in a standoff that is not a fight',
      (PKG + "scripted_events.py", 'if s.fighting and not s.ceasefire_day and ev.target',
       'if not s.ceasefire_day and ev.target'),
      (DAY, '(is_open(so, k) and so[k, S_FIGHTING] != 0 and so[k, S_CEASEFIRE_DAY] == 0',
       '(is_open(so, k) and so[k, S_CEASEFIRE_DAY] == 0')),
    M("no_skipped_record", 'a mediation with nothing to mediate leaves no skipped event',
      (PKG + "scripted_events.py", '    if not fights:\n        model.record(',
       '    if False:\n        model.record('),
      (DAY, '        if not mediated:\n',
       '        if False:\n')),
    M("mediation_ignores_target", 'a mediation aimed at one militia opens talks in every open fight',
      (PKG + "scripted_events.py", 'and not s.ceasefire_day and ev.target in (None, s.militia)]',
       'and not s.ceasefire_day]'),
      (DAY, 'and (i == -1 or so[k, S_MILITIA] == i)):\n                mediated',
       '):\n                mediated')),
    M("terms_reversed_for_mediator", "a mediator's ceasefire takes the terms the other way round (the government holds when the militia is ahead)",
      (PKG + "standoffs.py", '        if op.ceasefire_favours_government(actual):\n            return close(model, s, "clash_won"',
       '        if op.ceasefire_favours_government(actual) == (s.broker == \'patron\'):\n            return close(model, s, "clash_won"'),
      (DAY, '        if operation.ceasefire_favours_government(actual):\n            close(day',
       '        if operation.ceasefire_favours_government(actual) == (broker == STR_PATRON):\n            close(day')),
    # Twenty-sixth audit, 7 December 2026 (p26_*: 15 new hand-made bugs, 11 killed by the model
    # tests as they were): the four survivors (us_strength_from_the_authorised_level,
    # intercepted_attacks_raise_no_escalation, contest_not_recomputed_after_desertion,
    # standoff_hold_ignores_threats), now killed by tests/test_wiring_twentysixth_audit.py.
    M("p26_truce_declared_after_the_days_target", "the patron's truce is declared after the day's "
      "target is set: its first day's instigation is not held at the truce level",
      (A + "patron.py",
       ("        if patronage.declares_truce(weight, self.truce_until, day):\n"
        "            self.truce_until = day + self.truce_days - 1\n"
        "            self.model.record(\"patron\", \"truce\", None, event_text.truce_ordered(risk),\n"
        "                              self.truce_instigation)\n"
        "        target = patronage.target_instigation(self.base_instigation, self.backlash, weight,\n"
        "                                              self.stability_priority, self.model.escalation)\n"
        "        target = patronage.truce_target(target, self.truce_until, day, self.truce_instigation)\n"),
       ("        target = patronage.target_instigation(self.base_instigation, self.backlash, weight,\n"
        "                                              self.stability_priority, self.model.escalation)\n"
        "        target = patronage.truce_target(target, self.truce_until, day, self.truce_instigation)\n"
        "        if patronage.declares_truce(weight, self.truce_until, day):\n"
        "            self.truce_until = day + self.truce_days - 1\n"
        "            self.model.record(\"patron\", \"truce\", None, event_text.truce_ordered(risk),\n"
        "                              self.truce_instigation)\n")),
      (DAY,
       ("    if patronage.declares_truce(weight, w[TRUCE_UNTIL], day):\n"
        "        w[TRUCE_UNTIL] = day + int(w[TRUCE_DAYS]) - 1\n"
        "        record(ev, day, STR_PATRON, A_TRUCE, -1, w[TRUCE_INSTIGATION], K_TRUCE_ORDERED, risk)\n"
        "    target = patronage.target_instigation(w[BASE_INSTIGATION], w[BACKLASH], weight,\n"
        "                                          w[STABILITY], w[ESC])\n"
        "    target = patronage.truce_target(target, w[TRUCE_UNTIL], day, w[TRUCE_INSTIGATION])\n"),
       ("    target = patronage.target_instigation(w[BASE_INSTIGATION], w[BACKLASH], weight,\n"
        "                                          w[STABILITY], w[ESC])\n"
        "    target = patronage.truce_target(target, w[TRUCE_UNTIL], day, w[TRUCE_INSTIGATION])\n"
        "    if patronage.declares_truce(weight, w[TRUCE_UNTIL], day):\n"
        "        w[TRUCE_UNTIL] = day + int(w[TRUCE_DAYS]) - 1\n"
        "        record(ev, day, STR_PATRON, A_TRUCE, -1, w[TRUCE_INSTIGATION], K_TRUCE_ORDERED, risk)\n"))),
    M("p26_us_threat_fades_over_campaign_days", "an announced US threat fades over the patron's "
      "campaign_days, not its strike memory",
      (A + "patron.py", "self.us_threat = fade(self.us_threat, self.strike_memory_days)",
       "self.us_threat = fade(self.us_threat, self.campaign_days)"),
      (DAY, "w[US_THREAT] = beliefs.fade(w[US_THREAT], w[STRIKE_MEMORY])",
       "w[US_THREAT] = beliefs.fade(w[US_THREAT], w[CAMPAIGN_DAYS])")),
    M("p26_empty_raid_brings_backlash", "a raid that arrests no one still brings the patron a "
      "raid's backlash (the reaction moved above the no-arrests return)",
      (PKG + "model.py", "        if arrests == 0:\n            return\n        gov.custody[militia.name]",
       ("        self.patron.react_to_raid()\n        if arrests == 0:\n            return\n"
        "        gov.custody[militia.name]")),
      (PKG + "model.py", "        self.patron.react_to_raid()\n        self.threat_windows.append",
       "        self.threat_windows.append"),
      (DAY, "    if arrests == 0:\n        return\n    commanders = min(commanders, arrests)",
       ("    w[BACKLASH] += w[RAID_BACKLASH]\n    if arrests == 0:\n        return\n"
        "    commanders = min(commanders, arrests)")),
      (DAY, "ATTACK_CELLS])))\n    w[BACKLASH] += w[RAID_BACKLASH]\n", "ATTACK_CELLS])))\n")),
    M("p26_standoff_hold_ignores_threats", "public threats no longer weigh on the government's "
      "choice to hold firm or relent in a standoff (still in a fight)",
      (PKG + "standoffs.py", "    if not gov.holds_firm(believed, s.pressure):\n        kept",
       "    if not gov.holds_firm(believed, 0.0):\n        kept"),
      (DAY, ("    p = standoff.hold_probability(believed, w[RESOLVE], so[s, S_PRESSURE], w[COALITION],\n"
             "                                  w[SHARPNESS])\n"
             "    if not rng.random() < p:\n        kept"),
       ("    p = standoff.hold_probability(believed, w[RESOLVE], 0.0, w[COALITION],\n"
        "                                  w[SHARPNESS])\n"
        "    if not rng.random() < p:\n        kept"))),
    M("p26_silence_counted_after_the_step_in", "every day of a standoff counts as a silent day, "
      "even after US forces have stepped in (the guard dropped): beliefs in backing sink again",
      (PKG + "standoffs.py",
       "    if not s.us_stepped_in:\n        model.observe_backing(False, silent_day=True)\n",
       "    model.observe_backing(False, silent_day=True)\n"),
      (DAY, "    if not stepped_in:\n        observe_backing(w, m, False, True)\n",
       "    observe_backing(w, m, False, True)\n")),
    M("p26_us_strength_from_the_authorised_level", "what stepping in adds is computed from the "
      "authorised troop level, not the troops in country (a drawdown does not weaken it)",
      (A + "foreign_force.py", "return backing.us_standoff_strength(self.presence, self.standoff_share,",
       "return backing.us_standoff_strength(self.authorised, self.standoff_share,"),
      (DAY, "return backing.us_standoff_strength(int(w[PRESENCE]), w[STANDOFF_SHARE], w[GROUND], w[AIR])",
       "return backing.us_standoff_strength(int(w[AUTHORISED]), w[STANDOFF_SHARE], w[GROUND], w[AIR])")),
    M("p26_attacks_launched_as_chosen", "each militia carries out its attacks as soon as it has "
      "chosen them: the next ones choose on the state the earlier attacks left (not simultaneously)",
      (PKG + "model.py",
       ("        planned = [m.step() for m in self.militias]  # each chooses today's attacks ...\n"
        "        for m, n in zip(self.militias, planned, strict=True):  # ... then they are carried out\n"
        "            m.launch_attacks(n)\n"),
       ("        for m in self.militias:  # each chooses today's attacks and carries them out\n"
        "            m.launch_attacks(m.step())\n")),
      (DAY,
       ("            planned[i] = int(rng.poisson(rate)) if rate > 0 else 0\n"
        "        for i in range(n):\n"
        "            if planned[i]:\n"),
       ("            planned[i] = int(rng.poisson(rate)) if rate > 0 else 0\n"
        "            if planned[i]:\n"))),
    M("p26_intercepted_attacks_raise_no_escalation", "an intercepted attack raises no escalation "
      "(only attacks that get through count)",
      (PKG + "model.py", "        self.raise_escalation(\"per_attack\")\n",
       "        if not intercepted:\n            self.raise_escalation(\"per_attack\")\n"),
      (DAY, "    raise_escalation(w, ESC_PER_ATTACK)\n",
       "    if not intercepted:\n        raise_escalation(w, ESC_PER_ATTACK)\n")),
    M("p26_resistance_belief_forgets_over_recovery_days", "the government's belief that a raided "
      "militia resists forgets over its recovery_days, not its belief memory",
      (A + "government.py", "self.resistance_belief.forget(self.belief_memory_days)",
       "self.resistance_belief.forget(self.recovery_days)"),
      (DAY, "forget_world(w, GR_ALPHA, GR_ALPHA0, w[G_BELIEF_MEMORY])",
       "forget_world(w, GR_ALPHA, GR_ALPHA0, w[G_RECOVERY_DAYS])")),
    M("p26_contest_not_recomputed_after_desertion", "a fight's contest after desertion reads the "
      "strengths from before the deserters left (the refresh dropped)",
      (PKG + "standoffs.py", "    actual = real_contest(model, s)\n",
       ("    s_gov, s_mil = fight_strengths(model, s, us, engaged(model, s))\n"
        "    actual = mech.contest_ratio(s_gov, s_mil)\n")),
      (DAY, "    actual = real_contest(w, m, so, s)\n    share",
       ("    s_gov, s_mil = fight_strengths(w, m, so, s, us, engaged(w, so, s))\n"
        "    actual = standoff.contest_ratio(s_gov, s_mil)\n    share")),
      (PKG + "standoffs.py",
       "    s_gov, s_mil = fight_strengths(model, s, us, engaged(model, s))\n    if s.troops <= 0:",
       "    if s.troops <= 0:"),
      (DAY, ("    s_gov, s_mil = fight_strengths(w, m, so, s, us, engaged(w, so, s))\n"
             "    if so[s, S_TROOPS] <= 0:"), "    if so[s, S_TROOPS] <= 0:")),
    M("p26_resolve_and_coalition_shifts_swapped", "after a standoff the government's resolve gets "
      "the coalition shift and its coalition support the resolve shift",
      (PKG + "model.py", "self.government.shift(authority, resolve, coalition)",
       "self.government.shift(authority, coalition, resolve)"),
      (DAY, "    government_shift(w, authority, resolve, coalition)\n",
       "    government_shift(w, authority, coalition, resolve)\n")),
    M("p26_commanders_kept_arguments_swapped", "a negotiated transfer passes the detainees and the "
      "kept in the wrong order: every commander stays in government custody",
      (A + "government.py", "stay = commanders_kept(kept, n, commanders)",
       "stay = commanders_kept(n, kept, commanders)"),
      (DAY, "stay = custody.commanders_kept(kept, n, commanders)",
       "stay = custody.commanders_kept(n, kept, commanders)")),
    M("p26_strike_disruption_from_the_cohesion_damage", "a strike disrupts the struck militia's "
      "cells by the strike's cohesion damage, not its disruption",
      (A + "foreign_force.py", "militia.disrupt(self.strike_disruption)",
       "militia.disrupt(self.strike_cohesion_damage)"),
      (DAY, "disrupt(m, i, w[STRIKE_DISRUPTION])", "disrupt(m, i, w[STRIKE_COHESION])")),
    M("p26_cooldown_from_the_redeploy_wait", "the drawdown cooldown waits redeploy_after_days, "
      "not drawdown_cooldown_days",
      (A + "foreign_force.py",
       "self.model.day - self.last_drawdown_day >= self.drawdown_cooldown_days",
       "self.model.day - self.last_drawdown_day >= self.redeploy_after_days"),
      (DAY, "day - int(w[LAST_DRAWDOWN]) >= int(w[COOLDOWN])",
       "day - int(w[LAST_DRAWDOWN]) >= int(w[REDEPLOY_AFTER])")),
    M("p26_deserters_only_among_the_engaged", "deserters are drawn among the troops engaged "
      "today, not all the troops in the fight",
      (PKG + "standoffs.py", "deserters = op.draw_deserters(rng, s.troops, share)",
       "deserters = op.draw_deserters(rng, engaged(model, s), share)"),
      (DAY, "deserters = operation.draw_deserters(rng, int(so[s, S_TROOPS]), share)",
       "deserters = operation.draw_deserters(rng, engaged(w, so, s), share)")),
    # an operation's sanctuary (7 December 2026): tests/test_sanctuary.py
    M("sanctuary_attrition_cut", "an operation's sanctuary no longer shelters the militia from the government's fire",
      (PKG + "standoffs.py", 'op.exposed_strength(s_gov, s.sanctuary))',
       's_gov)'),
      (DAY, 'operation.exposed_strength(s_gov,\n                                                                      so[s, S_SANCTUARY]))',
       's_gov)')),
    M("sanctuary_withdrawal_cut", "the militia's decision to leave the streets ignores its sanctuary",
      (PKG + "standoffs.py", 'op.storming_chance(actual, s.sanctuary), militia.push',
       'actual, militia.push'),
      (DAY, 'operation.storming_chance(actual, so[s, S_SANCTUARY]), push(w, m, i)',
       'actual, push(w, m, i)')),
    M("sanctuary_stand_down_cut", "the militia's stand-down at an operation's opening ignores its sanctuary",
      (PKG + "model.py", 'operation.storming_chance(believed, sanctuary),',
       'believed,'),
      (DAY, 'operation.stand_down_probability(operation.storming_chance(believed, sanctuary),',
       'operation.stand_down_probability(believed,')),
    M("sanctuary_expected_losses_unsheltered", "at an operation's opening the militia expects the losses of its whole force, not of its exposed share",
      (PKG + "model.py", 'operation.exposed_strength(s_gov, sanctuary),\n',
       's_gov,\n'),
      (DAY, 'operation.exposed_strength(s_gov, sanctuary),\n',
       's_gov,\n')),
    M("sanctuary_not_stored", "an operation's sanctuary is not kept with the fight (every fight has none)",
      (PKG + "model.py", '        s.sanctuary = sanctuary\n',
       ''),
      (DAY, '    so[k, S_SANCTUARY] = sanctuary\n',
       '')),
    M("sanctuary_adds_exposure", "the sanctuary adds to the government's reach instead of taking from it (1 + s for 1 - s)",
      (PKG + "mechanisms/operation.py", '    return strength * (1.0 - sanctuary)',
       '    return strength * (1.0 + sanctuary)')),
    # a patron brokers only what its client will take (7 December 2026, second session):
    # tests/test_patron_dependence.py
    M("dependence_ignored", "the patron brokers as for a client wholly dependent on it, whatever "
      "the client's patron_dependence",
      (A + "patron.py", "                                         self.model.militia(militia).patron_dependence)",
       "                                         1.0)"),
      (DAY, "                                     m[i, PATRON_DEPENDENCE])",
       "                                     1.0)")),
    M("dependence_reversed", "the less the client depends on its patron, the more the patron "
      "brokers (1 - dependence for dependence)",
      (MECH + "operation.py", "    return dependence * wants",
       "    return (1.0 - dependence) * wants")),
    M("dependence_gates_only_losing", "the client's dependence gates only the patron's brokering "
      "for a losing client, not its brokering out of war risk",
      (MECH + "operation.py", "    wants = 1.0 - (1.0 - losing) * (1.0 - restraint_weight * stability_priority)\n    return dependence * wants",
       "    wants = 1.0 - (1.0 - dependence * losing) * (1.0 - restraint_weight * stability_priority)\n    return wants")),
    # --- twenty-seventh audit (Dec 2026) ---
    # (an operation's sanctuary, mediation and talks, the patron's brokering with its client's
    # patron_dependence, the engagement share, killed_by_air, desertion, hold_ground /
    # loss_sensitivity, a ceasefire's terms: 19 hand-made bugs, 12 killed by the model tests as
    # they were; the seven survivors (air_share_over_the_exposed_strength, the ceasefire's terms
    # and the last day on the storming chance, both talks' values, dependence_of_the_first_militia,
    # stand_down_on_the_first_militias_hold_ground) are killed by
    # tests/test_wiring_twentyseventh_audit.py, added to them)
    M("t27_sanctuary_shelters_the_government", "the sanctuary also blunts the militia's fire: "
      "the government's dead are drawn on the militia's exposed strength, not its whole "
      "strength (the shelter applied to the wrong side)",
      (PKG + "standoffs.py", "op.draw_losses(rng, troops, militia.combat_lethality, s_mil)",
       ("op.draw_losses(rng, troops, militia.combat_lethality,\n"
       "                                      op.exposed_strength(s_mil, s.sanctuary))")),
      (DAY, "operation.draw_losses(rng, troops, m[i, M_LETHALITY], s_mil)",
       ("operation.draw_losses(rng, troops, m[i, M_LETHALITY],\n"
       "                                             operation.exposed_strength(s_mil, so[s, S_SANCTUARY]))"))),
    M("t27_air_share_over_the_exposed_strength", "air power's share of the militia's dead is "
      "its whole strength over the government side's exposed strength (the sanctuary cut in "
      "the denominator only): the air's dead are over-counted by 1 / (1 − sanctuary)",
      (PKG + "standoffs.py", "us * model.foreign_force.air_strength, s_gov)",
       ("us * model.foreign_force.air_strength,\n"
       "                                  op.exposed_strength(s_gov, s.sanctuary))")),
      (DAY, "us * air_strength(w), s_gov)",
       ("us * air_strength(w),\n"
       "                                         operation.exposed_strength(s_gov, so[s, S_SANCTUARY]))"))),
    M("t27_ceasefire_terms_on_the_storming_chance", "a ceasefire's terms follow the government's "
      "chance of storming the militia's ground (the sanctuary cut), not the balance of force",
      (PKG + "standoffs.py", "        if op.ceasefire_favours_government(actual):\n",
       "        if op.ceasefire_favours_government(op.storming_chance(actual, s.sanctuary)):\n"),
      (DAY, "        if operation.ceasefire_favours_government(actual):\n",
       ("        if operation.ceasefire_favours_government(\n"
       "                operation.storming_chance(actual, so[s, S_SANCTUARY])):\n"))),
    M("t27_last_day_on_the_storming_chance", "an operation's last day is decided on the "
      "government's chance of storming the militia's ground (the sanctuary cut), not the real "
      "contest",
      (PKG + "standoffs.py", "        won = actual > 0.5\n",
       "        won = op.storming_chance(actual, s.sanctuary) > 0.5\n"),
      (DAY, "        if actual > 0.5:\n            close(day",
       "        if operation.storming_chance(actual, so[s, S_SANCTUARY]) > 0.5:\n            close(day")),
    M("t27_sanctuary_stored_as_the_exposed_share", "the fight keeps the exposed share 1 − s as "
      "its sanctuary (the opening's stand-down right, the days of fighting the other way round)",
      (PKG + "model.py", "        s.sanctuary = sanctuary\n", "        s.sanctuary = 1.0 - sanctuary\n"),
      (DAY, "    so[k, S_SANCTUARY] = sanctuary\n", "    so[k, S_SANCTUARY] = 1.0 - sanctuary\n")),
    M("t27_mediation_value_is_the_governments_chance", "a mediator's talks are logged with the "
      "government's chance in the fight, not the militia's (as the patron's are)",
      (PKG + "scripted_events.py", "                             1.0 - standoffs.real_contest(model, s))",
       "                             standoffs.real_contest(model, s))"),
      (DAY, "1.0 - real_contest(w, m, so, k), kind, a, b, 0.0)",
       "real_contest(w, m, so, k), kind, a, b, 0.0)")),
    M("t27_mediation_booked_as_the_patrons", "a mediator's talks are opened in the patron's name "
      "(talks and ceasefire logged as the patron's)",
      (PKG + "scripted_events.py", "standoffs.open_talks(model, s, ev.actor, days,",
       "standoffs.open_talks(model, s, \"patron\", days,"),
      (DAY, "open_talks(day, so, ev, k, int(e[E_ACTOR]), days,",
       "open_talks(day, so, ev, k, STR_PATRON, days,")),
    M("t27_patron_talks_value_is_the_governments_chance", "the patron's talks are logged with "
      "the government's chance in the fight, not its client's",
      (PKG + "standoffs.py", "patron.talks_days), 1.0 - actual)",
       "patron.talks_days), actual)"),
      (DAY, "int(w[TALKS_DAYS]), 1.0 - actual, K_TALKS,",
       "int(w[TALKS_DAYS]), actual, K_TALKS,")),
    M("t27_dependence_of_the_first_militia", "the patron brokers as far as the first militia "
      "(KH) depends on it, whichever client is fighting (wrong militia index)",
      (A + "patron.py", "                                         self.model.militia(militia).patron_dependence)",
       "                                         self.model.militias[0].patron_dependence)"),
      (DAY, "                                     m[i, PATRON_DEPENDENCE])",
       "                                     m[0, PATRON_DEPENDENCE])")),
    M("t27_engaged_rounded_down", "the engaged troops are rounded down, not up: a small force "
      "believed to face little resistance engages no one",
      (MECH + "operation.py", "return int(np.ceil(troops * resistance))",
       "return int(troops * resistance)")),
    M("t27_engaged_after_the_days_lesson", "the government learns that the militia fights back "
      "before the day's fighting, not after it: each day engages on tomorrow's belief",
      (PKG + "standoffs.py", "    gov.resistance_belief.observe(True)  # the militia fought back today\n", ""),
      (PKG + "standoffs.py", "    troops = engaged(model, s)\n",
       "    gov.resistance_belief.observe(True)\n    troops = engaged(model, s)\n"),
      (DAY, "    observe_world(w, GR_ALPHA, True)\n    actual = real_contest(w, m, so, s)\n",
       "    actual = real_contest(w, m, so, s)\n"),
      (DAY, "    troops = engaged(w, so, s)\n",
       "    observe_world(w, GR_ALPHA, True)\n    troops = engaged(w, so, s)\n")),
    M("t27_engaged_on_the_militias_resolve_belief", "the troops engaged are the share of the "
      "militia's belief in the government's resolve, not the government's belief that the "
      "militia resists (the wrong actor's belief)",
      (PKG + "standoffs.py", "return op.engaged_troops(s.troops, model.government.resistance_belief.mean)",
       "return op.engaged_troops(s.troops, model.militia(s.militia).resolve_belief.mean)"),
      (DAY, "return operation.engaged_troops(int(so[s, S_TROOPS]), w[GR_MEAN])",
       "return operation.engaged_troops(int(so[s, S_TROOPS]), m[int(so[s, S_MILITIA]), MR_MEAN])")),
    M("t27_air_kills_of_the_government_dead", "air power is credited with its share of the "
      "government's dead, not the militia's (the wrong side's dead)",
      (PKG + "standoffs.py", "op.attributed_losses(militia_killed, us",
       "op.attributed_losses(government_killed, us"),
      (DAY, "operation.attributed_losses(militia_killed, us",
       "operation.attributed_losses(government_killed, us")),
    M("t27_air_kills_logged_when_none", "a killed_by_air event is logged every day of fighting, "
      "with 0 when air power accounts for no one (> 0 for >= 0)",
      (PKG + "standoffs.py", "    if by_air > 0:\n", "    if by_air >= 0:\n"),
      (DAY, "    if by_air > 0:\n", "    if by_air >= 0:\n")),
    M("t27_deserters_counted_among_the_dead", "deserters are added to the government's dead as "
      "well as taken from its troops (its losses, and the desertion they drive, inflated)",
      (PKG + "standoffs.py", "    if deserters:\n        s.troops -= deserters\n",
       "    if deserters:\n        s.troops -= deserters\n        s.government_killed += deserters\n"),
      (DAY, "    if deserters:\n        so[s, S_TROOPS] -= deserters\n",
       ("    if deserters:\n        so[s, S_TROOPS] -= deserters\n"
       "        so[s, S_GOV_KILLED] += deserters\n"))),
    M("t27_desertion_ignores_the_contest", "desertion rises with losses only: the contest going "
      "badly (1 − p) dropped from d",
      (MECH + "operation.py", "* (1.0 - win_chance + LOSS_WEIGHT * loss_share)))",
       "* (LOSS_WEIGHT * loss_share)))")),
    M("t27_withdrawal_on_todays_losses", "the militia weighs only today's dead against its "
      "starting force when it decides to leave the streets, not all its dead in the fight",
      (PKG + "standoffs.py", "op.loss_share(s.militia_killed, s.militia_start)",
       "op.loss_share(militia_killed, s.militia_start)"),
      (DAY, "operation.loss_share(so[s, S_MIL_KILLED], so[s, S_MIL_START])",
       "operation.loss_share(militia_killed, so[s, S_MIL_START])")),
    M("t27_stand_down_on_the_first_militias_hold_ground", "at an operation's opening the "
      "militia weighs the first militia's (KH's) hold_ground, not its own (wrong militia index)",
      (A + "militia.py", "self.hold_ground, self.loss_sensitivity,",
       "self.model.militias[0].hold_ground, self.loss_sensitivity,"),
      (DAY, "m[i, HOLD_GROUND], m[i, LOSS_SENSITIVITY],\n",
       "m[0, HOLD_GROUND], m[i, LOSS_SENSITIVITY],\n")),
    M("t27_withdrawal_hold_ground_and_loss_sensitivity_swapped", "a militia in a fight passes "
      "its loss_sensitivity as its hold_ground and its hold_ground as its loss_sensitivity",
      (PKG + "standoffs.py", "militia.hold_ground, militia.loss_sensitivity,",
       "militia.loss_sensitivity, militia.hold_ground,"),
      (DAY, "m[i, HOLD_GROUND], m[i, LOSS_SENSITIVITY], w[SHARPNESS]):",
       "m[i, LOSS_SENSITIVITY], m[i, HOLD_GROUND], w[SHARPNESS]):")),
)


def applicability(mutation: Mutation, root: Path = ROOT) -> str | None:
    """None if every edit's old text occurs exactly once in the code under ``root``; else why
    the mutation is not applicable."""
    for file, old, _ in mutation.edits:
        path = root / file
        if not path.exists():
            return f"{file} missing"
        n = path.read_text(encoding="utf-8").count(old)
        if n != 1:
            return f"{file}: text {'not found' if n == 0 else f'found {n} times'}: {old[:50]!r}"
    return None


def apply(mutation: Mutation, root: Path) -> dict[Path, str]:
    """Apply ``mutation`` under ``root``; returns the original texts (to restore)."""
    originals: dict[Path, str] = {}
    for file, old, new in mutation.edits:
        path = root / file
        originals.setdefault(path, path.read_text(encoding="utf-8"))
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return originals


def restore(originals: dict[Path, str]) -> None:
    for path, text in originals.items():
        path.write_text(text, encoding="utf-8")


def copy_project(dest: Path) -> Path:
    """Copy the project's files (tracked and new, not ignored) to ``dest``; returns it."""
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                           cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for f in filter(None, files):
        src = ROOT / f
        if src.is_file():
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / f)
    return dest


def run_tests(root: Path, tests: tuple[str, ...], cache: Path, full: bool,
              timeout: float) -> tuple[bool, list[str], float]:
    """Run ``tests`` on the copy at ``root``: (passed?, failing test ids, seconds)."""
    env = {**os.environ, "PYTHONPATH": str(root / "src"), "LEVERAGE_SIM_ALLOW_STALE": "1",
           "NUMBA_CACHE_DIR": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rf",
           "--tb=no", *([] if full else ["-x"]), *tests]
    t0 = time.perf_counter()
    try:
        out = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, check=False,
                             timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, ["(timeout)"], time.perf_counter() - t0
    failed = [line.split(" ", 2)[1] for line in out.stdout.splitlines()
              if line.startswith(("FAILED ", "ERROR "))]
    if out.returncode not in (0, 1) and not failed:
        failed = [f"(pytest exit {out.returncode}: {out.stdout.strip().splitlines()[-1:]})"]
    return out.returncode == 0, failed, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="*", help="mutation names to run (default all)")
    ap.add_argument("--full", action="store_true", help="run every model test, list all "
                    "failures (default: stop at the first)")
    ap.add_argument("--equality", action="store_true",
                    help="also run the fast path's equality tests under stress")
    ap.add_argument("--tests", nargs="*", default=list(MODEL_TESTS),
                    help="model tests to run (default: %(default)s)")
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds per test run")
    ap.add_argument("--list", action="store_true", help="list the mutations and exit")
    ap.add_argument("--keep", action="store_true", help="keep the temporary copy")
    ap.add_argument("--no-baseline", action="store_true",
                    help="skip the check that the unmodified model passes the model tests")
    args = ap.parse_args(argv)
    chosen = [m for m in MUTATIONS if not args.only or m.name in args.only]
    if args.list:
        for m in chosen:
            why = applicability(m)
            print(f"{m.name:40s} {m.kind}  "
                  f"{'not applicable: ' + why if why else 'applies'}\n    {m.bug}")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="leverage-sim-mutants-"))
    root = copy_project(tmp / "project")
    results = []
    try:
        print(f"copy: {root}; model tests: {' '.join(args.tests)}", flush=True)
        if not args.no_baseline:
            ok, failed, secs = run_tests(root, tuple(args.tests), tmp / "numba" / "clean",
                                         True, args.timeout)
            print(f"unmutated: {'pass' if ok else 'FAIL ' + ', '.join(failed)} ({secs:.0f} s)",
                  flush=True)
            if not ok:
                print("the unmodified model fails the model tests: fix that first")
                return 2
        for m in chosen:
            why = applicability(m, root)
            if why:
                results.append((m, "not applicable", [why], []))
                print(f"{m.name:40s} not applicable ({why})", flush=True)
                continue
            cache = tmp / "numba" / (m.name if m.compiled else "clean")
            originals = apply(m, root)
            try:
                ok, failed, secs = run_tests(root, tuple(args.tests), cache, args.full,
                                             args.timeout)
                eq_failed: list[str] = []
                if args.equality:
                    _, eq_failed, _ = run_tests(root, EQUALITY_TESTS, cache, True, args.timeout)
            finally:
                restore(originals)
                if m.compiled and cache.exists():
                    shutil.rmtree(cache, ignore_errors=True)
            errored = failed and all(f.startswith("(") for f in failed)  # timeout, crash
            status = "survived" if ok else "error" if errored else "killed"
            results.append((m, status, failed, eq_failed))
            eq = (f"; equality tests: {'fail ' + str(len(eq_failed)) if eq_failed else 'pass'}"
                  if args.equality else "")
            print(f"{m.name:40s} {status:9s} {m.kind} "
                  f"({secs:.0f} s){eq}: {', '.join(failed[:4])}"
                  f"{' ...' if len(failed) > 4 else ''}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    applied = [r for r in results if r[1] != "not applicable"]
    killed = [r for r in applied if r[1] == "killed"]
    print(f"\nkilled {len(killed)} of {len(applied)} applicable mutations "
          f"({len(results) - len(applied)} not applicable)")
    for m, status, failed, _ in results:
        if status == "survived":
            print(f"  survived: {m.name}: {m.bug}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
