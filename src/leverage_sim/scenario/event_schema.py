"""What each scripted action may be: who may do it, what it is aimed at, and its typed figures.

One :class:`ActionRule` per action. :func:`check_events` applies them to a scenario's events
and returns every problem, each naming the event (index and name) and the field; the scenario
schema turns them into one validation error. ``set`` figures are ``{path: value}`` and each
value is checked against the addressed field's own type and range (whatever fields the actor
sections define).

The scenario schema imports these rules, never the other way round: the checks take the validated
scenario and its events as plain schema nodes (``Strict``; a :class:`~leverage_sim.scenario.schema.Scenario`
and its :class:`~leverage_sim.scenario.schema.ScriptedEvent` entries).
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError, model_validator
from pydantic.fields import FieldInfo

from leverage_sim.files.safe_text import look_alike, shortened
from leverage_sim.files.safe_yaml import as_written
from leverage_sim.scenario.renamed import current_name
from leverage_sim.scenario.schema_base import Strict, field_summary, numeric_type, param, retired

MAX_RAID_PERSONS = 500  # the schema's bound on government.raid_targets


class NoFigures(Strict):
    """The action takes no figures."""


class RaidFigures(Strict):
    """raid: how many members are arrested (fixed, or drawn from a number of targets), and how
    many of them are senior commanders."""

    arrests: int | None = param(
        None, unit="persons", ge=0, le=MAX_RAID_PERSONS,
        description="Members arrested (a fixed count). Give this or targets, not both.")
    targets: int | None = param(
        None, unit="persons", ge=1, le=MAX_RAID_PERSONS,
        description="Members targeted; arrests are drawn as in an unscripted raid (default: "
        "government.raid_targets).")
    commanders: int = param(
        0, unit="persons", ge=0, le=MAX_RAID_PERSONS,
        description="Senior commanders among the arrested, as the record documents them (0: "
        "none documented): each counts as the militia's commander_stake members in what the "
        "raid puts at stake (mechanisms/intimidation.py). At most arrests; with drawn arrests, "
        "at most the targets (government.raid_targets without them), and capped at the "
        "arrests drawn.")

    @model_validator(mode="after")
    def _one_count(self) -> RaidFigures:
        if self.arrests is not None and self.targets is not None:
            raise ValueError("give arrests (a fixed count) or targets (a drawn count), not both")
        if self.arrests is not None and self.commanders > self.arrests:
            raise ValueError(f"commanders ({self.commanders}) are among the arrests "
                             f"({self.arrests}): at most that many")
        return self


class DeployDefenceFigures(Strict):
    """deploy_defence: the site's new interception chance."""

    interception: float = param(
        ..., unit="probability 0-1", ge=0, le=1,
        description="Chance that an attack on the target site is intercepted from that day on.")


class TruceFigures(Strict):
    """truce: the patron's new baseline instigation (and the militias' hostility cap)."""

    instigation: float = param(
        0.0, unit="index 0-1", ge=0, le=1,
        description="Baseline push the patron's instigation drifts to (0 = full restraint).")


class DrawdownFigures(Strict):
    """drawdown: troops withdrawn."""

    troops: int = param(
        ..., unit="troops", ge=1, le=1_000_000,
        description="Troops withdrawn (at most the troops present; withdrawing all of them is "
        "a withdrawal). A scripted drawdown withdraws what it says, below "
        "foreign_forces.withdrawal_floor too; the floor limits the US's own decisions.")


class OperationFigures(Strict):
    """operation: the troops committed and the most days it lasts."""

    troops: int = param(
        ..., unit="troops", ge=1, le=1_000_000,
        description="Government forces committed to the operation (of whom "
        "government.committed_share fight).")
    days: int = param(
        ..., unit="days", ge=1, le=365,
        description="The most days the operation lasts (it may end sooner: the government "
        "halts, the militia withdraws, the patron brokers a ceasefire).")
    sanctuary: float = param(
        0.0, unit="share 0-1", ge=0, le=1,
        description="Share of the militia in ground the government's side will not storm (a "
        "shrine, a district it seals off rather than clears): the government's fire reaches "
        "only the rest of it, and the militia weighs only the rest as ground it may lose when "
        "it decides to stand down or leave (mechanisms/operation.py, steps 0, 2 and 6). 0: "
        "none.")


class MediationFigures(Strict):
    """mediation: how long the talks take."""

    days: int = param(
        ..., unit="days", ge=1, le=60,
        description="Days of talks before the ceasefire takes hold (the fight goes on "
        "meanwhile, as during the patron's talks; 1: a ceasefire the next day).")


@dataclass(frozen=True)
class ActionRule:
    """Who may take an action, what it is aimed at, and its figures."""

    actors: frozenset[str]
    """Allowed actor kinds: government, patron, foreign_forces, mediator, militia (any militia
    name)."""
    target: str | None
    """militia or site (required), 'militia?' (optional), None (no target)."""
    figures: type[Strict] | None
    """The figures' schema; None for set ({path: value})."""
    meaning: str


ANYONE = frozenset({"government", "patron", "foreign_forces", "militia"})
"""The actors of the model: who may change parameters (``set``)."""
ACTOR_KINDS = ANYONE | {"mediator"}
"""Who may act in a scripted event: the model's actors, and a third party that brokers
(``mediation``): a cleric, a foreign state, an international body, named in the note."""
FF = frozenset({"foreign_forces"})

RULES: dict[str, ActionRule] = {
    "raid": ActionRule(frozenset({"government"}), "militia", RaidFigures,
                       "enforcement raid on the target militia; its answer (muster or comply) "
                       "follows as for an unscripted raid"),
    "operation": ActionRule(frozenset({"government"}), "militia", OperationFigures,
                            "enforcement at scale: an operation of figures.troops against the "
                            "target militia for up to figures.days days of fighting (attrition, "
                            "desertion, the foreign force stepping in, a brokered ceasefire; "
                            "mechanisms/operation.py)"),
    "strike": ActionRule(FF, "militia", NoFigures,
                         "one round of strikes on the target militia (as a retaliation)"),
    "backing": ActionRule(FF, "militia?", NoFigures,
                          "the foreign force steps in to the open standoff(s) or operation(s) "
                          "with the target militia (every open one without a target); with "
                          "none open that day, logged as skipped"),
    "attack": ActionRule(frozenset({"militia"}), "site", NoFigures,
                         "the acting militia attacks the target site"),
    "deploy_defence": ActionRule(FF, "site", DeployDefenceFigures,
                                 "the target site's interception chance changes"),
    "truce": ActionRule(frozenset({"patron", "militia"}), None, TruceFigures,
                        "a truce: the patron's baseline instigation, and each militia's own "
                        "hostility at most, fall to figures.instigation"),
    "drawdown": ActionRule(FF, None, DrawdownFigures, "foreign forces withdraw some troops"),
    "withdrawal": ActionRule(FF, None, NoFigures, "foreign forces leave the country"),
    "mediation": ActionRule(frozenset({"mediator"}), "militia?", MediationFigures,
                            "a third party (actor: mediator; who, in the note) opens ceasefire "
                            "talks in the open fight(s) with the target militia (every open one "
                            "without a target) that have none open yet: the ceasefire takes "
                            "hold figures.days days later on the terms of the fight, as the "
                            "patron's (mechanisms/operation.py, step 4); with no such fight "
                            "that day, logged as skipped"),
    "set": ActionRule(ANYONE, None, None,
                      "parameters change: figures are {path: value}, e.g. "
                      "{patron.instigation: 0.8, 'militias[KH].cohesion': 0.7}"),
}

_SET_PATH = re.compile(r"(government|patron|foreign_forces|militias\[([^\]]+)\]"
                       r"|foreign_forces\.sites\[([^\]]+)\])\.([A-Za-z_][A-Za-z0-9_]*)")


def figure_field(name: str) -> FieldInfo | None:
    """The field (pydantic ``FieldInfo``) of a scripted event's figure ``name`` (an
    operation's ``sanctuary``), as the first action with such a figure defines it (actions
    that share a figure's name give it one type: ``days``); None if no action has it."""
    for rule in RULES.values():
        if rule.figures is not None and name in rule.figures.model_fields:
            return rule.figures.model_fields[name]
    return None


def parse_figures(action: str, figures: dict[str, Any]) -> Strict:
    """The typed figures of an action other than ``set`` (raises pydantic's ValidationError)."""
    return RULES[action].figures.model_validate(figures)


def label(index: int, name: Any) -> str:
    """``events[3]`` or ``events[3] (ct_raid)``: how messages name an event."""
    return f"events[{index}]" + (f" ({name})" if name is not None else "")


def check_events(scenario: Strict) -> list[str]:
    """Every problem with the scenario's scripted events (empty list: all good)."""
    militias = [m.name for m in scenario.militias]
    sites = [s.name for s in scenario.foreign_forces.sites]
    last = scenario.horizon_days - 1
    problems: list[str] = []
    for i, ev in enumerate(scenario.events):
        where = label(i, ev.name)
        rule = RULES[ev.action]
        problems += _actor_problems(where, ev, rule, militias)
        problems += _target_problems(where, ev, rule, militias, sites)
        if ev.date is not None and ev.date < scenario.start_date:
            problems.append(f"{where}.date {ev.date} is before start_date "
                            f"{scenario.start_date}")
        elif scenario.event_day(ev) > last:
            field = "day" if ev.day is not None else "date"
            problems.append(
                f"{where}.{field} {getattr(ev, field)} is day {scenario.event_day(ev)}, after the "
                f"last simulated day {last} ({scenario.date_of(last)}; horizon_days "
                f"{scenario.horizon_days}), so it would never fire: lengthen horizon_days or "
                "remove the event (in an extending file {name: X, remove: true}; --set "
                "'events=[]' drops every event)")
        if rule.figures is None:
            problems += _set_problems(where, ev, scenario)
        else:
            problems += (_figure_problems(where, ev, rule.figures)
                         or _commander_problems(where, ev, scenario))
    return (problems or _after_withdrawal(scenario) or _after_sets(scenario)
            or _overlapping_confrontations(scenario))


NEEDS_FOREIGN_FORCE = frozenset({"strike", "backing", "drawdown", "withdrawal", "attack",
                                 "deploy_defence"})
"""Scripted actions that need the foreign force in the country (its troops or its sites)."""


def _after_withdrawal(scenario: Strict) -> list[str]:
    """Scripted actions that need the foreign force, due after a scripted withdrawal (in day
    order; a ``set`` of ``foreign_forces.presence`` above 0 brings troops back): they could
    not happen, so the scenario is refused rather than run with them dropped or logged as if
    they had."""
    order = sorted(range(len(scenario.events)),
                   key=lambda i: (scenario.event_day(scenario.events[i]), i))
    gone: tuple[int, Strict] | None = None
    for i in order:
        ev = scenario.events[i]
        if gone is not None and ev.action in NEEDS_FOREIGN_FORCE:
            j, left = gone
            return [(f"{label(i, ev.name)}: '{ev.action}' on day {scenario.event_day(ev)} "
                     f"needs the foreign force in the country, but {label(j, left.name)} "
                     f"withdrew it on day {scenario.event_day(left)} and no event brings troops "
                     "back: remove the event, move it before the withdrawal, or bring troops "
                     "back first (a set of foreign_forces.presence)")]
        if ev.action == "withdrawal":
            gone = (i, ev)
        elif ev.action == "set" and ev.figures.get("foreign_forces.presence", 0) > 0:
            gone = None
    return []


CONFRONTATIONS = frozenset({"raid", "operation"})
"""Scripted actions that open a confrontation (a standoff or an operation) with their target."""


def _overlapping_confrontations(scenario: Strict) -> list[str]:
    """Scripted raids and operations on one militia that would be open at once: a second one
    the same day as a raid, or during a scripted operation's days (its day to day + ``days``,
    the most it lasts). The model plays each confrontation on its own, so the two would run
    side by side on the same fighters and detainees (the militia standing down to one while
    the government relents in the other); the scenario is refused rather than run that way."""
    order = sorted((scenario.event_day(ev), i) for i, ev in enumerate(scenario.events)
                   if ev.action in CONFRONTATIONS)
    for a, (day_a, i) in enumerate(order):
        first = scenario.events[i]
        last = day_a + (first.typed_figures().days if first.action == "operation" else 0)
        for day_b, j in order[a + 1:]:
            second = scenario.events[j]
            if second.target != first.target or day_b > last:
                continue
            span = (f"the day {label(i, first.name)} raids {first.target}" if day_b == day_a
                    and first.action == "raid" else
                    f"within {label(i, first.name)}'s operation on {first.target} (days "
                    f"{day_a}-{last}, the most it lasts)")
            return [(f"{label(j, second.name)}: a scripted {second.action} on "
                     f"{second.target} on day {day_b}, {span}: the model plays each "
                     "confrontation on its own and would run the two side by side against the "
                     "same fighters. Move one of them to a later day (after the operation's "
                     "last day), shorten the operation's days, or remove one (in an extending "
                     "file {name: X, remove: true})")]
    return []


def _after_sets(scenario: Strict) -> list[str]:
    """The scenario's rules across fields (``combination_problems``) after each scripted set,
    applied in day order to a copy of the actors."""
    sets = sorted((scenario.event_day(ev), i) for i, ev in enumerate(scenario.events)
                  if ev.action == "set")
    if not sets:
        return []
    state = scenario.model_copy(update={name: copy.deepcopy(value) for name, value in scenario
                                        if name != "events"})
    for _, i in sets:
        ev = scenario.events[i]
        for path, value in ev.figures.items():
            setattr(*_live_node(str(path), state), value)
        found = state.combination_problems()
        if found:
            return [f"{label(i, ev.name)}: after this set, {p}" for p in found]
    return []


def _actor_problems(where: str, ev: Strict, rule: ActionRule,
                    militias: list[str]) -> list[str]:
    kind = "militia" if ev.actor in militias else ev.actor
    if kind not in ACTOR_KINDS:
        known = sorted([*ACTOR_KINDS - {"militia"}, *militias])
        return [f"{where}.actor '{ev.actor}' is not one of {known}"]
    if kind in rule.actors:
        return []
    who = " or ".join(sorted(rule.actors)).replace("militia", "a militia "
                                                    f"({', '.join(militias)})")
    return [f"{where}.actor: '{ev.action}' is done by {who}, not by '{ev.actor}'"]


def _target_problems(where: str, ev: Strict, rule: ActionRule, militias: list[str],
                     sites: list[str]) -> list[str]:
    if rule.target is None:
        if ev.target is None:
            return []
        return [(f"{where}.target: action '{ev.action}' takes no target; remove "
                 f"target '{ev.target}'")]
    if ev.target is None and rule.target.endswith("?"):
        return []
    kind = rule.target.rstrip("?")
    allowed = militias if kind == "militia" else sites
    if ev.target in allowed:
        return []
    if not allowed:  # foreign_forces.sites: [] leaves nothing to aim at
        return [(f"{where}.target '{ev.target}' must be a {kind} for action '{ev.action}', "
                 f"and the scenario has no {kind}s: add one, or remove the event")]
    return [(f"{where}.target '{ev.target}' must be a {kind} — one of {', '.join(allowed)} — "
             f"for action '{ev.action}'{look_alike(str(ev.target), allowed)}")]


def _commander_problems(where: str, ev: Strict, scenario: Strict) -> list[str]:
    """A raid drawing its arrests (no fixed ``arrests``) that names more commanders than it
    could arrest: its ``targets``, or ``government.raid_targets`` without them. (Fewer arrests
    drawn than commanders named still caps the commanders at the arrests, as the figure's
    description says: the draw caught fewer members.)"""
    if ev.action != "raid":
        return []
    figures = ev.typed_figures()
    if figures.arrests is not None:
        return []  # RaidFigures checks commanders against a fixed count
    targets, field = ((figures.targets, f"{where}.figures.targets") if figures.targets
                      else (scenario.government.raid_targets, "government.raid_targets"))
    if figures.commanders <= targets:
        return []
    return [(f"{where}.figures.commanders ({figures.commanders}) are among the arrests, which "
             f"are drawn from {targets} targets ({field}): name at most {targets} commanders, "
             "or raise the targets")]


def _figure_problems(where: str, ev: Strict, model: type[Strict]) -> list[str]:
    try:
        model.model_validate(ev.figures)
    except ValidationError as e:
        return [_describe(f"{where}.figures", err, model, ev.action) for err in e.errors()]
    return []


def _describe(where: str, err: Any, model: type[Strict], action: str) -> str:
    """One figure error: the field, what is wrong, its unit and range, and the value given."""
    names = list(model.model_fields)
    field = str(err["loc"][0]) if err["loc"] else ""
    path = f"{where}.{field}" if field else where
    if err["type"] != "extra_forbidden":
        return _field_problem(path, err, model.model_fields.get(field))
    close = difflib.get_close_matches(field, names, n=1)
    hint = f" — did you mean '{close[0]}'?" if close else ""
    takes = f"takes {', '.join(names)}" if names else "takes no figures"
    return f"{path}: unknown figure for action '{action}'{hint} ('{action}' {takes})"


def _field_problem(path: str, err: Any, info: FieldInfo | None) -> str:
    msg = err["msg"].removeprefix("Value error, ")
    summary = field_summary(info) if info is not None else ""
    got = "" if err["type"] == "missing" else f"got {as_written(err['input'], 60)}"
    detail = "; ".join(x for x in (summary, got) if x)
    return f"{path}: {msg}" + (f" ({detail})" if detail else "")


def short_repr(value: Any, limit: int = 60) -> str:
    """``repr(value)``, cut to ``limit`` characters for messages."""
    return shortened(repr(value), limit)


def _set_problems(where: str, ev: Strict, scenario: Strict) -> list[str]:
    if not ev.figures:
        return [(f"{where}.figures: action 'set' needs at least one path: value, e.g. "
                 "{patron.instigation: 0.8}")]
    problems = []
    for path, value in ev.figures.items():
        try:
            node, attr = _live_node(str(path), scenario)
        except ValueError as e:
            problems.append(f"{where}.figures: {e}")
            continue
        model = type(node)
        try:
            model.__pydantic_validator__.validate_assignment(node.model_copy(), attr, value)
        except ValidationError as e:
            problems += [_field_problem(f"{where}.figures['{path}']", err,
                                       model.model_fields[attr]) for err in e.errors()]
    return problems


def _live_node(path: str, scenario: Strict) -> tuple[Strict, str]:
    """The scenario section a scripted ``set`` path changes, and the field name; ValueError if
    the path is not a numeric parameter of an actor or site."""
    if retired(path):
        raise ValueError(retired(path))
    m = _SET_PATH.fullmatch(path)
    if m is None:
        raise ValueError(f"'{path}' is not a parameter path such as patron.instigation, "
                         "militias[KH].cohesion or foreign_forces.sites[embassy].interception")
    root, militia, site, attr = m.groups()
    if militia is not None:
        attr = current_name("militias", attr)
        node = next((x for x in scenario.militias if x.name == militia), None)
        if node is None:
            raise ValueError(f"'{path}': no militia '{militia}' (have "
                             f"{', '.join(x.name for x in scenario.militias)})")
    elif site is not None:
        node = next((x for x in scenario.foreign_forces.sites if x.name == site), None)
        if node is None:
            raise ValueError(f"'{path}': no site '{site}' (have "
                             f"{', '.join(x.name for x in scenario.foreign_forces.sites)})")
    else:
        node = getattr(scenario, root)
    fields = type(node).model_fields
    if attr not in fields or numeric_type(fields[attr].annotation) is None:
        numeric = [n for n, f in fields.items() if numeric_type(f.annotation) is not None]
        close = difflib.get_close_matches(attr, numeric, n=1)
        hint = f" — did you mean '{close[0]}'?" if close else ""
        raise ValueError(f"'{path}' is not a numeric parameter of {type(node).__name__}{hint}")
    return node, attr


def rules_table() -> str:
    """The actions as a Markdown table (docs/scenarios.md carries it; a test keeps it current):
    who may act, the target, the figures with unit, range and default, and what happens."""
    lines = ["| action | actor | target | figures | what happens |", "|---|---|---|---|---|"]
    for action, rule in RULES.items():
        actors = "anyone" if rule.actors == ANYONE else " or ".join(
            "a militia" if a == "militia" else f"`{a}`" for a in sorted(rule.actors))
        target = {None: "none", "militia": "a militia", "site": "a site",
                  "militia?": "a militia (optional)"}[rule.target]
        if rule.figures is None:
            figures = "`{path: value}`: a numeric parameter of an actor or site, within its range"
        else:
            figures = "; ".join(_figure_cell(n, f) for n, f in rule.figures.model_fields.items())
        lines.append(f"| `{action}` | {actors} | {target} | {figures or 'none'} | "
                     f"{rule.meaning} |")
    return "\n".join(lines)


def _figure_cell(name: str, info: FieldInfo) -> str:
    need = ("required" if info.is_required() else "optional" if info.default is None
            else f"default {info.default}")
    return f"`{name}` ({field_summary(info).removeprefix('allowed range ')}; {need})"
