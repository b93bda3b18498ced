"""The model: actors, the day's step order, and the shared state (event log, escalation)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import mesa

from leverage_sim.scenario import schema
from leverage_sim.scenario.levers import lever_overrides
from leverage_sim.scenario.limits import check_seed
from leverage_sim.scenario.loader import Overrides, load_scenario
from leverage_sim.scenario.overrides import normalise
from leverage_sim.simulation import event_text, standoffs
from leverage_sim.simulation.agents import ForeignForce, Government, Militia, Patron
from leverage_sim.simulation.event_log import EventLog
from leverage_sim.simulation.mechanisms import attacks, beliefs, intimidation, operation, standoff
from leverage_sim.simulation.mechanisms.beliefs import clamp
from leverage_sim.simulation.outcomes import model_reporters
from leverage_sim.simulation.scripted_events import fire_scripted_event

DEFAULT_SCENARIO = "june_2020_replay"
"""The scenario a model runs when none is named (as in ``mesa.batch_run(LeverageModel, ...)``)."""
TIMESERIES_COLUMNS = (
    "authority", "resolve", "coalition_support", "patron_instigation", "mean_autonomy",
    "detainees_held", "attacks", "attacks_intercepted", "us_casualties", "us_presence",
    "escalation",
)
MILITIA_COLUMNS = ("fighters", "autonomy", "detained")


class LeverageModel(mesa.Model):
    """One run of a scenario, one step per day.

    Step order (each day ``d``, dates from ``scenario.start_date``):

    1. scripted events due on ``d`` fire (raids, strikes, deployments, parameter changes);
    2. the patron sets its instigation (backlash, restraint) and re-allocates support;
    3. the government recovers standing and may order an unscripted raid (→ enforcement,
       intimidation response);
    4. allied leaders may threaten publicly, allies may join musters;
    5. each open standoff plays one day (:func:`leverage_sim.simulation.standoffs.play_day`);
    6. custody cases of transferred detainees get their release day; those due are released;
    7. militias recover and choose their attacks on foreign-force sites (simultaneously, each
       on its own state), then the attacks are carried out; the US decides on retaliation for
       deadly ones;
    8. the foreign force carries out strikes due, and weighs drawing down;
    9. escalation decays; the day's data are collected.

    Who sees what: every actor sees standoffs (their outcome, US intervention or its absence),
    drawdowns and redeployments, and learns from them into its own beliefs
    (:meth:`observe_backing`, :meth:`observe_retaliation`, :meth:`end_standoff_shifts`);
    militias read US strikes as evidence of backing (:meth:`observe_strike`), the government
    hears private signals of the US's commitment (``Government.hear_liaison``); every belief
    forgets toward its prior (``belief_memory_days``).
    """

    def __init__(self, scenario: schema.Scenario | str | Path = DEFAULT_SCENARIO,
                 seed: int | None = None, collect_data: bool = True, *,
                 overrides: Overrides = None, rng: int | None = None, **kwargs: Any) -> None:
        """A run of ``scenario`` (a :class:`~leverage_sim.scenario.schema.Scenario`, a scenario name or a
        YAML path; default the June 2020 replay) seeded with integer ``seed`` (default: the
        scenario's ``seed``; ``rng`` is the same, under the name Mesa >= 3.5's ``batch_run``
        passes seeds by). Dotted ``overrides`` are applied as by :func:`load_scenario`, then
        the levers, ``kwargs`` (the name Mesa's ``SolaraViz`` checks for): keywords of
        :data:`leverage_sim.scenario.levers.LEVERS` (``backing=0.5`` sets ``foreign_forces.backing``;
        ``None`` keeps the scenario's value) or dotted paths
        (``**{"militias[KH].autonomy": 0.5}``), so Mesa's ``batch_run`` and ``SolaraViz``
        sliders bind to them. ``collect_data=False`` skips the daily DataCollector
        (summary-only runs: ~2× faster; the event log and the final state are the same).
        ``running`` turns False at the horizon, so Mesa's runners stop there; the
        DataCollector reports the outcomes of :mod:`leverage_sim.simulation.outcomes` every day.

        Raises:
            InputError: unknown scenario or lever, a value the scenario schema rejects, or a
                seed that is not a whole number from 0 to 2**63-1.
        """
        overrides = {**normalise(overrides), **lever_overrides(kwargs)}
        if not isinstance(scenario, schema.Scenario) or overrides:
            scenario = load_scenario(scenario, overrides)
        seed = rng if seed is None else seed
        seed = check_seed(scenario.seed if seed is None else seed)
        super().__init__(rng=seed)
        self.collect_data = collect_data
        self.spec = scenario  # not `scenario`: Mesa >= 3.4 reserves Model.scenario
        self.day = 0
        self.log = EventLog(scenario.start_date)
        self.escalation = scenario.escalation.initial
        self.escalation_weights = scenario.escalation
        self.patron = Patron(self, scenario.patron)
        self.government = Government(self, scenario.government)
        self.militias = [Militia(self, m) for m in scenario.militias]
        self._by_name = {m.name: m for m in self.militias}
        self.foreign_force = ForeignForce(self, scenario.foreign_forces)
        self.patron.allocate(force=True)
        self.standoffs: list[standoff.Standoff] = []
        self.threat_windows: list[tuple[int, str, set[str]]] = []  # (last day, target, threatened)
        self.scripted: dict[int, list[schema.ScriptedEvent]] = {}
        for ev in scenario.events:
            self.scripted.setdefault(scenario.event_day(ev), []).append(ev)
        self._reset_daily_counts()
        self.datacollector = mesa.DataCollector(
            model_reporters={"day": "day", **{c: c for c in TIMESERIES_COLUMNS},
                             **model_reporters(TIMESERIES_COLUMNS)},
            agenttype_reporters={Militia: {"militia": "name", **{c: c for c in MILITIA_COLUMNS}}},
        )

    # ---- the day ------------------------------------------------------------------------
    def step(self) -> None:
        """Advance one day (see the class docstring for the order)."""
        self._reset_daily_counts()
        for event in self.scripted.get(self.day, ()):
            fire_scripted_event(self, event)
        self.patron.step()
        self.government.step()
        self.public_reactions()
        for s in self.open_standoffs():
            standoffs.play_day(self, s)
        self.government.release_transferred()
        planned = [m.step() for m in self.militias]  # each chooses today's attacks ...
        for m, n in zip(self.militias, planned, strict=True):  # ... then they are carried out
            m.launch_attacks(n)
        self.foreign_force.step()
        self.escalation = beliefs.decay_escalation(self.escalation,
                                                   self.escalation_weights.decay)
        if self.collect_data:
            self.datacollector.collect(self)
        self.day += 1
        self.running = self.day < self.spec.horizon_days

    def _reset_daily_counts(self) -> None:
        self.attacks = 0
        self.attacks_intercepted = 0
        self.us_casualties = 0

    # ---- enforcement and intimidation ---------------------------------------------------------
    def raid(self, militia: Militia, *, arrests: int | None = None, targets: int | None = None,
             commanders: int = 0, note: str = "") -> None:
        """An enforcement raid on ``militia``: arrests (fixed, or drawn from ``targets``; of
        them ``commanders`` senior commanders, at most the arrests), then the militia's answer —
        muster (a standoff opens) or comply, weighing what is at stake (``Militia.stake``)."""
        gov = self.government
        if arrests is None:
            arrests = gov.arrests_in_raid(targets or gov.raid_targets, militia)
        commanders = min(commanders, arrests)
        self.record("government", "raid", militia.name,
                    note or event_text.members_arrested(arrests), arrests)
        if arrests == 0:
            return
        gov.custody[militia.name] = gov.custody.get(militia.name, 0) + arrests
        militia.detained += arrests
        if commanders:
            gov.custody_commanders[militia.name] = (gov.custody_commanders.get(militia.name, 0)
                                                    + commanders)
            militia.commanders_detained += commanders
        militia.disrupt(attacks.disruption_from_arrests(arrests, militia.attack_cells))
        self.patron.react_to_raid()
        self.threat_windows.append((self.day + militia.threat_window_days, militia.name, set()))
        resists = militia.musters()
        gov.resistance_belief.observe(resists)
        if not resists:
            self.record(militia.name, "comply", "government", event_text.NO_RESISTANCE)
            self.end_standoff_shifts(militia, government_won=True,
                                     authority_step=gov.win_authority_gain / 2)
            return
        muster = militia.muster_size()
        self.record(militia.name, "muster", "government", event_text.mustered(muster), muster)
        self.raise_escalation("per_muster")
        self.open_standoff(militia, arrests, muster)
        self.record("government", "standoff", militia.name,
                    event_text.standoff_opened(arrests, muster), muster)

    def operation(self, militia: Militia, *, troops: int, days: int, sanctuary: float = 0.0,
                  note: str = "") -> None:
        """An operation of ``troops`` against ``militia`` for up to ``days`` days of fighting
        (:mod:`leverage_sim.simulation.mechanisms.operation`): the share ``committed_share`` of the troops
        fights; the US decides, as for a standoff, whether and when it will step in; the militia
        resists, or stands down and the government holds at once (step 0). ``sanctuary``
        (0–1): the share of the militia in ground the government's side will not storm."""
        fighting = operation.committed_forces(troops, self.government.committed_share)
        self.record("government", "operation", militia.name,
                    note or event_text.operation_opened(fighting, days), fighting)
        self.patron.react_to_raid()
        s = self.open_standoff(militia, 0, 0, operation=True)
        s.sanctuary = sanctuary
        standoffs.start_fight(s, fighting, militia.fighters, self.day + days)
        # the fight's strengths and its first day's losses, as the militia sees them (all the
        # troops arrayed against it)
        s_gov, s_mil = standoffs.fight_strengths(self, s, militia.backing_belief.mean,
                                                   s.troops)
        believed = standoff.contest_ratio(s_gov, s_mil)
        resists = not militia.stands_down(
            operation.storming_chance(believed, sanctuary),
            operation.expected_loss_share(self.government.combat_lethality,
                                          operation.exposed_strength(s_gov, sanctuary),
                                          militia.fighters))
        self.government.resistance_belief.observe(resists)
        if not resists:
            self.record(militia.name, "comply", "government", event_text.stands_down(believed),
                        believed)
            standoffs.close(self, s, "held_firm", event_text.stood_down(militia.name))

    def open_standoff(self, militia: Militia, arrests: int, muster: int, *,
                      operation: bool = False) -> standoff.Standoff:
        """A new confrontation with ``militia`` (``arrests`` detainees at stake, ``muster``
        fighters; an operation has neither), with the foreign force's hidden choice drawn now."""
        ff = self.foreign_force
        will, when = standoff.draw_us_choice(self.rng, ff.step_in_probability(),
                                             ff.response_delay_days, self.day)
        s = standoff.Standoff(militia.name, self.day, arrests, muster, will, when,
                              operation=operation)
        self.standoffs.append(s)
        return s

    def public_reactions(self) -> None:
        """Within each raid's threat window: allied leaders threaten publicly; allies may send
        fighters to an open muster."""
        if not self.threat_windows and not self.standoffs:
            return
        self.threat_windows = [w for w in self.threat_windows if w[0] >= self.day]
        for _, target, threatened in self.threat_windows:
            for m in self.militias:
                if m.name in threatened or not m.threatens():
                    continue
                threatened.add(m.name)
                pressure = intimidation.threat_pressure(m.seats, self.government.parliament_seats,
                                                        self.government.threat_sensitivity)
                self.record(m.name, "public_threat", "government",
                            event_text.public_threat(target), pressure)
                self.government.shift(coalition_support=-pressure / 4)
                self.government.resistance_belief.observe(True, beliefs.THREAT_EVIDENCE)
                for s in self.open_standoffs():
                    if s.militia == target:
                        s.pressure += pressure
        for s in self.open_standoffs():
            for m in self.militias:
                if m.name != s.militia and m.name not in s.joined and m.joins_muster():
                    fighters = m.muster_size(own=False)
                    s.joined.add(m.name)
                    s.allied_fighters += fighters
                    self.record(m.name, "muster", "government",
                                event_text.joins_muster(fighters, s.militia), fighters)

    def end_standoff_shifts(self, militia: Militia, *, government_won: bool,
                            authority_step: float, us_seen: bool = False) -> None:
        """Reputation after a confrontation: authority, resolve, coalition, autonomy, morale,
        and what every actor learns about the government's resolve."""
        (authority, resolve, coalition, autonomy_target, autonomy_others, morale_target,
         morale_others) = beliefs.standoff_outcome_shifts(government_won, authority_step, us_seen)
        self.government.shift(authority, resolve, coalition)
        for m in self.militias:
            central = m is militia
            m.shift_autonomy(autonomy_target if central else autonomy_others)
            m.shift_morale(morale_target if central else morale_others)
            m.resolve_belief.observe(government_won)
        self.foreign_force.observe_standoff(government_won)
        if not government_won:
            self.patron.react_to_client_win()

    def observe_backing(self, stepped_in: bool, silent_day: bool = False,
                        weight: float = 0.0) -> None:
        """Everyone sees whether US forces back the government: a visible intervention (True),
        a silent standoff day or a drawdown (False, weighted as partial evidence); ``weight``
        (if > 0) sets the evidence (a redeployment: :data:`beliefs.REDEPLOY_EVIDENCE`)."""
        if weight <= 0:
            weight = 1.0 if stepped_in else (beliefs.SILENT_DAY_EVIDENCE if silent_day
                                             else beliefs.DRAWDOWN_EVIDENCE)
        self.government.backing_belief.observe(stepped_in, weight)
        for m in self.militias:
            m.backing_belief.observe(stepped_in, weight)

    def observe_strike(self, target: Militia) -> None:
        """Militias read a US strike as evidence that US forces would step in: the struck one
        most, its allies half as much (:data:`beliefs.STRIKE_EVIDENCE_TARGET`); the government
        does not (its liaison tells it strikes are force protection)."""
        for m in self.militias:
            m.backing_belief.observe(True, beliefs.STRIKE_EVIDENCE_TARGET if m is target
                                     else beliefs.STRIKE_EVIDENCE_OTHERS)

    def observe_retaliation(self, strikes: bool) -> None:
        """Every militia sees whether a deadly attack was answered with strikes."""
        for m in self.militias:
            m.retaliation_belief.observe(strikes)

    def release(self, militia: str, n: int) -> None:
        """``n`` transferred detainees of ``militia`` go free and return to its cells (with the
        case's commanders once the case is closed)."""
        m = self.militia(militia)
        self.government.transferred[militia] -= n
        if self.government.transferred[militia] == 0:
            del self.government.transferred[militia]
            self.government.release_day.pop(militia, None)  # the case is closed
            m.commanders_detained -= self.government.transferred_commanders.pop(militia, 0)
        m.detained -= n
        m.disrupt(-attacks.disruption_from_arrests(n, m.attack_cells))
        self.record(militia, "release", "government", event_text.released(n), n)

    # ---- shared state ---------------------------------------------------------------------------
    def record(self, actor: str, action: str, target: str | None, detail: str = "",
               value: float = 0.0) -> None:
        """Append one action to the event log."""
        self.log.add(self.day, actor, action, target, detail, value)

    def count_attack(self, militia: str, intercepted: bool, casualties: int) -> None:
        """Tally one attack by ``militia`` in today's counts, in escalation, and in what the
        government has seen."""
        self.government.see_attack(militia)
        self.attacks += 1
        self.attacks_intercepted += intercepted
        self.us_casualties += casualties
        self.raise_escalation("per_attack")
        self.raise_escalation("per_casualty", casualties)

    def raise_escalation(self, kind: str, times: float = 1.0) -> None:
        """Escalation rises by ``times`` × the scenario's weight for ``kind`` (capped at 1)."""
        self.escalation = clamp(self.escalation + times * getattr(self.escalation_weights, kind))

    def open_standoffs(self) -> list[standoff.Standoff]:
        """Standoffs not yet resolved."""
        return [s for s in self.standoffs if s.is_open] if self.standoffs else []

    def militia(self, name: str) -> Militia:
        """A militia by name."""
        return self._by_name[name]

    # ---- reporters ------------------------------------------------------------------------------
    @property
    def authority(self) -> float:
        return self.government.authority

    @property
    def resolve(self) -> float:
        return self.government.resolve

    @property
    def coalition_support(self) -> float:
        return self.government.coalition_support

    @property
    def patron_instigation(self) -> float:
        return self.patron.instigation

    @property
    def mean_autonomy(self) -> float:
        return math.fsum(m.autonomy for m in self.militias) / len(self.militias)

    @property
    def detainees_held(self) -> int:
        return self.government.detainees_held

    @property
    def us_presence(self) -> int:
        return self.foreign_force.presence
