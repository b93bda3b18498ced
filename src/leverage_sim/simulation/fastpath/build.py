"""A scenario as the fast path's arrays (:mod:`.layout`): the actors' starting state as the
agents build it (:class:`leverage_sim.simulation.agents`), the scripted events as rows, and the run's
string table (names, notes)."""

from __future__ import annotations

import operator
from dataclasses import dataclass

import numpy as np

from leverage_sim.scenario import overrides
from leverage_sim.scenario.schema import Scenario, ScriptedEvent
from leverage_sim.simulation import event_text
from leverage_sim.simulation.fastpath import layout as L
from leverage_sim.simulation.mechanisms.beliefs import beta_prior


class Unsupported(ValueError):
    """The scenario uses something the fast path does not model (a ``set`` of a field it has
    no column for): run it on the agent path."""


@dataclass
class World:
    """A scenario's starting arrays and tables."""

    w: np.ndarray
    m: np.ndarray
    s: np.ndarray
    scripted: np.ndarray
    sets: np.ndarray
    strings: list[str]
    capacity: int


def _belief(row: np.ndarray, column: int, mean: float, strength: float) -> None:
    alpha, beta = beta_prior(mean, strength)
    row[column], row[column + 1], row[column + 2] = alpha, beta, alpha / (alpha + beta)


_COLUMNS = {section: (operator.attrgetter(*columns), np.array(list(columns.values())))
            for section, columns in L.SETTABLE.items()}
"""By section: a getter of its schema fields' values (one C call) and their columns."""


def _fields(row: np.ndarray, section: str, params: object) -> None:
    """The schema fields of ``params`` into their columns of ``row``."""
    values, columns = _COLUMNS[section]
    row[columns] = values(params) if len(columns) > 1 else [values(params)]


def initial_world(sc: Scenario) -> np.ndarray:
    """The world vector on day 0 (``LeverageModel.__init__`` and the agents' constructors)."""
    w = np.zeros(L.WORLD_SIZE)
    esc = sc.escalation
    w[L.ESC], w[L.ESC_DECAY] = esc.initial, esc.decay
    w[L.ESC_PER_ATTACK], w[L.ESC_PER_CASUALTY] = esc.per_attack, esc.per_casualty
    w[L.ESC_PER_STRIKE], w[L.ESC_PER_CLASH] = esc.per_strike, esc.per_clash
    w[L.ESC_PER_MUSTER] = esc.per_muster
    w[L.ESC_PER_STEP_IN] = esc.per_step_in
    g, p, f = sc.government, sc.patron, sc.foreign_forces
    _fields(w, "government", g)
    _fields(w, "patron", p)
    _fields(w, "foreign_forces", f)
    w[L.BASE_AUTHORITY], w[L.BASE_RESOLVE], w[L.BASE_COALITION] = (
        g.authority, g.resolve, g.coalition_support)
    _belief(w, L.GB_ALPHA, g.prior_backing, g.prior_strength)
    _belief(w, L.GR_ALPHA, g.prior_resistance, g.prior_strength)
    w[L.BASE_INSTIGATION] = p.instigation
    _belief(w, L.FP_ALPHA, f.prior_partner_resolve, f.prior_strength)
    for belief, prior in ((L.GB_ALPHA, L.GB_ALPHA0), (L.GR_ALPHA, L.GR_ALPHA0),
                          (L.FP_ALPHA, L.FP_ALPHA0)):
        w[prior], w[prior + 1] = w[belief], w[belief + 1]
    w[L.AUTHORISED] = f.presence
    w[L.LAST_DRAWDOWN] = w[L.WITHDRAWAL_DAY] = w[L.TRUCE_UNTIL] = -1
    return w


def initial_militias(sc: Scenario) -> np.ndarray:
    """One row per militia on day 0 (``Militia.__init__``)."""
    m = np.zeros((len(sc.militias), L.MILITIA_SIZE))
    for row, params in zip(m, sc.militias, strict=True):
        _fields(row, "militias", params)
        row[L.BASE_COHESION], row[L.BASE_AUTONOMY] = params.cohesion, params.autonomy
        _belief(row, L.MB_ALPHA, params.prior_backing, params.prior_strength)
        _belief(row, L.MR_ALPHA, params.prior_government_resolve, params.prior_strength)
        _belief(row, L.MT_ALPHA, params.prior_retaliation, params.prior_strength)
        for belief, prior in ((L.MB_ALPHA, L.MB_ALPHA0), (L.MR_ALPHA, L.MR_ALPHA0),
                              (L.MT_ALPHA, L.MT_ALPHA0)):
            row[prior], row[prior + 1] = row[belief], row[belief + 1]
        row[L.RELEASE_DAY] = -1
    return m


class _Strings:
    """The run's string table: a name or note → its number."""

    def __init__(self, militias: list[str], sites: list[str]) -> None:
        self.items = [*L.FIXED_STRINGS, event_text.NO_RESISTANCE, event_text.US_BACKS,
                      event_text.RETALIATION, *militias, *sites]
        self.index = {s: i for i, s in enumerate(self.items)}
        self.militias = {name: i for i, name in enumerate(militias)}
        self.sites = {name: i for i, name in enumerate(sites)}

    def __call__(self, text: str | None) -> int:
        if text is None:
            return -1
        if text not in self.index:
            self.index[text] = len(self.items)
            self.items.append(text)
        return self.index[text]


def _set_rows(sc: Scenario, ev: ScriptedEvent, strings: _Strings) -> list[list[float]]:
    """The parameter changes of a ``set`` (``scripted_events.set_live_parameter``)."""
    rows = []
    for path, value in ev.figures.items():
        *where, attr = overrides.parse_path(path)
        if where[0] == "militias":
            table, row, section = L.SET_MILITIA, strings.militias[where[1]], "militias"
        elif where[1:2] == ["sites"]:
            table, row, section = L.SET_SITE, strings.sites[where[2]], "sites"
        else:
            table, row, section = L.SET_WORLD, 0, where[0]
        columns = L.SETTABLE.get(section, {})
        if attr not in columns:
            raise Unsupported(f"the fast path has no column for '{path}' (scenario "
                              f"'{sc.name}', event on day {sc.event_day(ev)})")
        column = L.BASE_INSTIGATION if (section, attr) == ("patron", "instigation") \
            else columns[attr]
        kind = int if isinstance(_schema_value(sc, where, attr), int) else float
        rows.append([table, row, column, kind(value)])
    return rows


def _schema_value(sc: Scenario, where: list[str], attr: str) -> object:
    """The scenario's value of a settable field (its type is the live attribute's)."""
    if where[0] == "militias":
        node: object = next(m for m in sc.militias if m.name == where[1])
    elif where[1:2] == ["sites"]:
        node = next(s for s in sc.foreign_forces.sites if s.name == where[2])
    else:
        node = getattr(sc, where[0])
    return getattr(node, attr)


DEFAULT_NOTES = {"strike": "scripted strike", "backing": "US forces step in (scripted)",
                 "truce": "truce declared", "drawdown": "scripted drawdown",
                 "withdrawal": "scripted withdrawal"}
"""A scripted event's detail when the scenario gives no note (``scripted_events``)."""


def scripted_rows(sc: Scenario, strings: _Strings) -> tuple[np.ndarray, np.ndarray]:
    """The scripted events in firing order (by day, then as listed) and their parameter
    changes."""
    rows, sets = [], []
    for ev in sorted(sc.events, key=sc.event_day):
        row = np.full(L.EVENT_SIZE, -1.0)
        row[L.E_DAY] = sc.event_day(ev)
        row[L.E_ACTION] = L.SCRIPTED.index(ev.action)
        militia = ev.actor if ev.action == "attack" else ev.target
        row[L.E_MILITIA] = strings.militias.get(militia, -1 if militia is None else -2)
        row[L.E_SITE] = strings.sites.get(ev.target, -1)
        note = ev.note or DEFAULT_NOTES.get(ev.action)
        if ev.action == "raid":
            fig = ev.typed_figures()
            row[L.E_FIGURE] = -1 if fig.arrests is None else fig.arrests
            row[L.E_FIGURE2] = fig.targets or 0
            row[L.E_FIGURE3] = fig.commanders
        elif ev.action == "deploy_defence":
            row[L.E_FIGURE] = ev.typed_figures().interception
        elif ev.action == "truce":
            row[L.E_FIGURE] = ev.typed_figures().instigation
        elif ev.action == "drawdown":
            row[L.E_FIGURE] = ev.typed_figures().troops
        elif ev.action == "operation":
            fig = ev.typed_figures()
            row[L.E_FIGURE], row[L.E_FIGURE2] = fig.troops, fig.days
        elif ev.action == "set":
            row[L.E_FIRST_SET] = len(sets)
            sets.extend(_set_rows(sc, ev, strings))
            row[L.E_LAST_SET] = len(sets)
            note = ev.note or ", ".join(f"{k} = {v}" for k, v in ev.figures.items())
        row[L.E_NOTE] = strings(note)
        row[L.E_ACTOR], row[L.E_TARGET] = strings(ev.actor), strings(ev.target)
        row[L.E_NAME] = strings(ev.action)
        rows.append(row)
    return (np.array(rows).reshape(len(rows), L.EVENT_SIZE),
            np.array(sets, dtype=float).reshape(len(sets), L.SET_SIZE))


_SCRIPTS: dict[tuple, tuple[np.ndarray, np.ndarray, list[str]]] = {}
"""Scripted-event rows by what they are built from (calibration and sweeps vary parameters,
not the history: the same rows serve every particle and design point); at most
:data:`SCRIPT_CACHE` entries."""
SCRIPT_CACHE = 64


def _script_key(sc: Scenario, militias: list[str], sites: list[str]) -> tuple | None:
    """What a scenario's scripted rows and string table depend on (None: not hashable)."""
    try:
        key = (sc.start_date, tuple(militias), tuple(sites),
               tuple((ev.day, ev.date, ev.action, ev.actor, ev.target, ev.note,
                      tuple(ev.figures.items())) for ev in sc.events))
        hash(key)
    except TypeError:
        return None
    return key


def build(sc: Scenario) -> World:
    """The fast path's starting arrays of scenario ``sc``."""
    militias, sites = [m.name for m in sc.militias], [s.name for s in sc.foreign_forces.sites]
    key = _script_key(sc, militias, sites)
    cached = _SCRIPTS.get(key) if key is not None else None
    if cached is None:
        strings = _Strings(militias, sites)
        cached = (*scripted_rows(sc, strings), strings.items)
        if key is not None:
            if len(_SCRIPTS) >= SCRIPT_CACHE:
                _SCRIPTS.pop(next(iter(_SCRIPTS)))
            _SCRIPTS[key] = cached
    scripted, sets, items = cached  # read-only for the runs (their strings are appended here)
    s = np.array([[site.target_weight, site.interception, site.lethality]
                  for site in sc.foreign_forces.sites], dtype=float).reshape(-1, L.SITE_SIZE)
    raids = sum(ev.action in ("raid", "operation") for ev in sc.events)
    return World(initial_world(sc), initial_militias(sc), s, scripted, sets, items,
                 sc.horizon_days + raids + 1)
