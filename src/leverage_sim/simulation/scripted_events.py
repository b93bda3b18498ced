"""Scripted events: actions a scenario forces on a given day (history replay, counterfactuals).

Each action calls the same code as the endogenous behaviour it stands for, so a scripted raid
is followed by the same intimidation response and standoff as an unscripted one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from leverage_sim.scenario import overrides
from leverage_sim.scenario.event_schema import NEEDS_FOREIGN_FORCE
from leverage_sim.scenario.schema import ScriptedEvent
from leverage_sim.simulation import event_text, standoffs

if TYPE_CHECKING:
    from leverage_sim.simulation.world import World


def _raid(model: World, ev: ScriptedEvent) -> None:
    figures = ev.typed_figures()
    model.raid(model.militia(ev.target), arrests=figures.arrests, targets=figures.targets,
               commanders=figures.commanders, note=ev.note)


def _operation(model: World, ev: ScriptedEvent) -> None:
    figures = ev.typed_figures()
    model.operation(model.militia(ev.target), troops=figures.troops, days=figures.days,
                    sanctuary=figures.sanctuary, note=ev.note)


def _strike(model: World, ev: ScriptedEvent) -> None:
    model.foreign_force.strike(ev.target, ev.note or "scripted strike")


def _backing(model: World, ev: ScriptedEvent) -> None:
    """Step in to every open confrontation with the target (every open one without a target);
    with none open that day, nothing to step in to: logged as ``skipped``, not dropped."""
    confronted = [s for s in model.open_standoffs() if ev.target in (None, s.militia)]
    if not confronted:
        model.record(ev.actor, "skipped", ev.target, event_text.nothing_to_back())
    for s in confronted:
        if not s.us_stepped_in:
            note = ev.note or event_text.backs_scripted(model.foreign_force.label)
            standoffs.step_in(model, s, note)


def _mediation(model: World, ev: ScriptedEvent) -> None:
    """A third party opens ceasefire talks in every open fight with the target (every open
    fight without a target) that has no talks under way; with none that day, nothing to
    mediate: logged as ``skipped``. The ceasefire takes hold ``days`` later, on the terms of
    the fight, as the patron's; the talks' value is the militia's chance in the fight, as
    the patron's talks'."""
    days = ev.typed_figures().days
    fights = [s for s in model.open_standoffs()
              if s.fighting and not s.ceasefire_day and ev.target in (None, s.militia)]
    if not fights:
        model.record(ev.actor, "skipped", ev.target, event_text.nothing_to_mediate())
    for s in fights:
        standoffs.open_talks(model, s, ev.actor, days,
                             ev.note or event_text.mediation_talks(s.militia, days),
                             1.0 - standoffs.real_contest(model, s))


def _attack(model: World, ev: ScriptedEvent) -> None:
    ff = model.foreign_force
    ff.receive_attack(model.militia(ev.actor), ff.site(ev.target))


def _deploy_defence(model: World, ev: ScriptedEvent) -> None:
    site = model.foreign_force.site(ev.target)
    site.interception = ev.typed_figures().interception
    model.record("foreign_forces", "deploy_defence", ev.target,
                 ev.note or event_text.interception_now(site.interception), site.interception)


def _truce(model: World, ev: ScriptedEvent) -> None:
    """The patron and its clients agree to hold fire: the patron's baseline instigation, and
    each militia's own hostility (its agency slack) at most, fall to the truce's level."""
    level = ev.typed_figures().instigation
    model.patron.base_instigation = level
    for m in model.militias:
        m.hostility = min(m.hostility, level)
    model.record(ev.actor, "truce", ev.target, ev.note or "truce declared",
                 model.patron.base_instigation)


def _drawdown(model: World, ev: ScriptedEvent) -> None:
    ff = model.foreign_force
    ff.draw_down(ev.typed_figures().troops, ev.note or "scripted drawdown")


def _withdrawal(model: World, ev: ScriptedEvent) -> None:
    ff = model.foreign_force
    ff.draw_down(ff.presence, ev.note or "scripted withdrawal")


def _set(model: World, ev: ScriptedEvent) -> None:
    for path, value in ev.figures.items():
        set_live_parameter(model, path, value)
    model.record(ev.actor, "set", ev.target, ev.note or
                 ", ".join(f"{k} = {v}" for k, v in ev.figures.items()))


HANDLERS: dict[str, Callable[[World, ScriptedEvent], None]] = {
    "raid": _raid, "strike": _strike, "backing": _backing, "attack": _attack,
    "deploy_defence": _deploy_defence, "truce": _truce, "drawdown": _drawdown,
    "withdrawal": _withdrawal, "set": _set, "operation": _operation, "mediation": _mediation,
}


def fire_scripted_event(model: World, ev: ScriptedEvent) -> None:
    """Carry out one scripted event on the model. An action that needs the foreign force
    (:data:`~leverage_sim.scenario.event_schema.NEEDS_FOREIGN_FORCE`) due when it has no troops in the
    country (the model decided a withdrawal, or it never was there) cannot happen: it is logged
    as ``skipped`` (value 0) with the reason, and nothing else changes."""
    ff = model.foreign_force
    if ev.action in NEEDS_FOREIGN_FORCE and ff.withdrawn:
        left = -1 if ff.withdrawal_day is None else ff.withdrawal_day
        model.record(ev.actor, "skipped", ev.target, event_text.not_possible(ev.action, left))
        return
    HANDLERS[ev.action](model, ev)


def set_live_parameter(model: World, path: str, value: Any) -> None:
    """Change a running model's parameter by scenario path: ``government.X``, ``patron.X``,
    ``foreign_forces.X``, ``militias[NAME].X`` or ``foreign_forces.sites[NAME].X`` (the shapes
    the schema admits for a scripted 'set'; ``patron.instigation`` sets the base the patron's
    instigation drifts toward)."""
    *where, attr = overrides.parse_path(path)
    if where[0] == "militias":
        node: Any = model.militia(where[1])
    elif where[1:2] == ["sites"]:
        node = model.foreign_force.site(where[2])
    else:
        node = {"government": model.government, "patron": model.patron,
                "foreign_forces": model.foreign_force}[where[0]]
    if node is model.patron and attr == "instigation":
        attr = "base_instigation"
    setattr(node, attr, type(getattr(node, attr))(value))
    if attr == "patron_support_share":
        model.patron.allocate(force=True)
