"""A scenario as the fast path's arrays (:mod:`.layout`): the actors' starting state as the
agents build it (:class:`leverage_sim.simulation.agents`), the scripted events as rows, and the run's
string table (names, notes)."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from leverage_sim.errors import InputError
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


ESCALATION = {"initial": L.ESC, "decay": L.ESC_DECAY, "per_attack": L.ESC_PER_ATTACK,
              "per_casualty": L.ESC_PER_CASUALTY, "per_strike": L.ESC_PER_STRIKE,
              "per_clash": L.ESC_PER_CLASH, "per_muster": L.ESC_PER_MUSTER,
              "per_step_in": L.ESC_PER_STEP_IN}
"""Columns of the escalation section's fields (starting values: no scripted ``set`` reaches
them, so they are not in :data:`~.layout.SETTABLE`)."""

BASELINES = {("government", "authority"): L.BASE_AUTHORITY,
             ("government", "resolve"): L.BASE_RESOLVE,
             ("government", "coalition_support"): L.BASE_COALITION,
             ("patron", "instigation"): L.BASE_INSTIGATION,
             ("foreign_forces", "presence"): L.AUTHORISED,
             ("militias", "cohesion"): L.BASE_COHESION,
             ("militias", "autonomy"): L.BASE_AUTONOMY}
"""Fields whose starting value also fills a second column (the level the actor returns
toward, the force's authorised presence)."""

STARTING: dict[str, dict[str, tuple[int, ...]]] = {
    section: {field: (column, *((BASELINES[section, field],)
                                if (section, field) in BASELINES else ()))
              for field, column in columns.items()}
    for section, columns in {"escalation": ESCALATION, **L.SETTABLE}.items()}
"""The one table of which schema field fills which columns on day 0, by section (the world's
sections, ``militias`` and ``sites`` per row): :data:`~.layout.SETTABLE` with the escalation
section and the baselines. The build (:func:`initial_world`, :func:`initial_militias`,
:func:`initial_sites`) and the particles' writer (:class:`Writer`) both read it."""

BELIEF_STRENGTH = "prior_strength"
BELIEFS: dict[str, tuple[tuple[int, int, str], ...]] = {
    "government": ((L.GB_ALPHA, L.GB_ALPHA0, "prior_backing"),
                   (L.GR_ALPHA, L.GR_ALPHA0, "prior_resistance")),
    "foreign_forces": ((L.FP_ALPHA, L.FP_ALPHA0, "prior_partner_resolve"),),
    "militias": ((L.MB_ALPHA, L.MB_ALPHA0, "prior_backing"),
                 (L.MR_ALPHA, L.MR_ALPHA0, "prior_government_resolve"),
                 (L.MT_ALPHA, L.MT_ALPHA0, "prior_retaliation")),
}
"""The quantities the build derives from several fields: each belief (alpha, beta, mean at
its first column; the prior it forgets toward, alpha and beta, at the second) from its prior
mean (the field named) and the section's :data:`BELIEF_STRENGTH`."""

WORLD_SECTIONS = ("escalation", "government", "patron", "foreign_forces")
"""The sections of the world vector."""


def _belief(row: np.ndarray, column: int, prior: int, mean: float, strength: float) -> None:
    alpha, beta = beta_prior(mean, strength)
    row[column], row[column + 1], row[column + 2] = alpha, beta, alpha / (alpha + beta)
    row[prior], row[prior + 1] = alpha, beta


def _getter(names: list[str]) -> Callable[[object], tuple]:
    """A getter of the attributes ``names`` returning a tuple (one C call), one name or more."""
    get = operator.attrgetter(*names)
    return get if len(names) > 1 else _Tuple(get)


class _Tuple:
    """A one-attribute getter returning a 1-tuple (as a many-attribute attrgetter does)."""

    __slots__ = ("get",)

    def __init__(self, get: operator.attrgetter) -> None:
        self.get = get

    def __call__(self, obj: object) -> tuple:
        return (self.get(obj),)


_COLUMNS = {section: (_getter([f for f, cols in fields.items() for _ in cols]),
                      np.array([c for cols in fields.values() for c in cols]))
            for section, fields in STARTING.items()}
"""By section: a getter of its fields' values (one C call, a field once per column it fills)
and those columns (:data:`STARTING`)."""


def _fields(row: np.ndarray, section: str, params: object) -> None:
    """The fields of ``params`` into their columns of ``row``, and its beliefs."""
    values, columns = _COLUMNS[section]
    row[columns] = values(params)
    for belief, prior, mean in BELIEFS.get(section, ()):
        _belief(row, belief, prior, getattr(params, mean), getattr(params, BELIEF_STRENGTH))


def initial_world(sc: Scenario) -> np.ndarray:
    """The world vector on day 0 (``LeverageModel.__init__`` and the agents' constructors)."""
    w = np.zeros(L.WORLD_SIZE)
    for section in WORLD_SECTIONS:
        _fields(w, section, getattr(sc, section))
    w[L.LAST_DRAWDOWN] = w[L.WITHDRAWAL_DAY] = w[L.TRUCE_UNTIL] = -1
    return w


def initial_militias(sc: Scenario) -> np.ndarray:
    """One row per militia on day 0 (``Militia.__init__``)."""
    m = np.zeros((len(sc.militias), L.MILITIA_SIZE))
    for row, params in zip(m, sc.militias, strict=True):
        _fields(row, "militias", params)
        row[L.RELEASE_DAY] = -1
    return m


def initial_sites(sc: Scenario) -> np.ndarray:
    """One row per site of the foreign force."""
    s = np.zeros((len(sc.foreign_forces.sites), L.SITE_SIZE))
    for row, params in zip(s, sc.foreign_forces.sites, strict=True):
        _fields(row, "sites", params)
    return s


class _Strings:
    """The run's string table: a name or note → its number."""

    def __init__(self, militias: list[str], sites: list[str], force: str) -> None:
        self.items = [*L.FIXED_STRINGS, event_text.NO_RESISTANCE, event_text.backs(force),
                      event_text.retaliation(force), *militias, *sites]
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


DEFAULT_NOTES = {"strike": "scripted strike", "truce": "truce declared",
                 "drawdown": "scripted drawdown", "withdrawal": "scripted withdrawal"}
"""A scripted event's detail when the scenario gives no note (``scripted_events``); a
backing's names the foreign force (:func:`default_note`)."""


def default_note(action: str, force: str) -> str | None:
    """A scripted ``action``'s detail when the scenario gives no note (``force``: the foreign
    force's label)."""
    return event_text.backs_scripted(force) if action == "backing" else DEFAULT_NOTES.get(action)


FIGURE_COLUMNS: dict[str, dict[str, int]] = {
    "raid": {"commanders": L.E_FIGURE3},
    "deploy_defence": {"interception": L.E_FIGURE},
    "truce": {"instigation": L.E_FIGURE},
    "drawdown": {"troops": L.E_FIGURE},
    "operation": {"troops": L.E_FIGURE, "days": L.E_FIGURE2, "sanctuary": L.E_FIGURE3},
    "mediation": {"days": L.E_FIGURE},
}
"""Per scripted action, the figures its row holds as they are (column by figure); a raid's
``arrests`` (-1: drawn) and ``targets`` (0: none) are read in :func:`scripted_rows`."""


def firing_order(sc: Scenario) -> list[int]:
    """The scripted events' positions in ``sc.events`` in firing order (by day, then as
    listed): row ``k`` of the scripted table is event ``firing_order(sc)[k]``."""
    return sorted(range(len(sc.events)), key=lambda i: sc.event_day(sc.events[i]))


def scripted_rows(sc: Scenario, strings: _Strings) -> tuple[np.ndarray, np.ndarray]:
    """The scripted events in firing order (by day, then as listed) and their parameter
    changes."""
    rows, sets = [], []
    for ev in (sc.events[i] for i in firing_order(sc)):
        row = np.full(L.EVENT_SIZE, -1.0)
        row[L.E_DAY] = sc.event_day(ev)
        row[L.E_ACTION] = L.SCRIPTED.index(ev.action)
        militia = ev.actor if ev.action == "attack" else ev.target
        row[L.E_MILITIA] = strings.militias.get(militia, -1 if militia is None else -2)
        row[L.E_SITE] = strings.sites.get(ev.target, -1)
        note = ev.note or default_note(ev.action, sc.foreign_forces.label)
        if ev.action in FIGURE_COLUMNS:
            fig = ev.typed_figures()
            for name, column in FIGURE_COLUMNS[ev.action].items():
                row[column] = getattr(fig, name)
        if ev.action == "raid":
            row[L.E_FIGURE] = -1 if fig.arrests is None else fig.arrests
            row[L.E_FIGURE2] = fig.targets or 0
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
        key = (sc.start_date, sc.foreign_forces.label, tuple(militias), tuple(sites),
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
        strings = _Strings(militias, sites, sc.foreign_forces.label)
        cached = (*scripted_rows(sc, strings), strings.items)
        if key is not None:
            if len(_SCRIPTS) >= SCRIPT_CACHE:
                _SCRIPTS.pop(next(iter(_SCRIPTS)))
            _SCRIPTS[key] = cached
    scripted, sets, items = cached  # read-only for the runs (their strings are appended here)
    raids = sum(ev.action in ("raid", "operation") for ev in sc.events)
    return World(initial_world(sc), initial_militias(sc), initial_sites(sc), scripted, sets,
                 items, sc.horizon_days + raids + 1)


# ---- particles: the base's arrays with a few fields written ----------------------------------
_TABLES = ("w", "m", "s")
"""The tables a field's columns are in: the world vector, the militias' and the sites' rows."""


@dataclass(frozen=True)
class _Entry:
    """The changed fields of one section (one militia, one site): its table (0 the world, 1
    the militias, 2 the sites), how to find the section in the particle's scenario, a getter
    of the changed fields (a field once per column it fills), their positions in the
    flattened table, and the beliefs to derive again (their positions, prior mean field)."""

    table: int
    locate: Callable[[Scenario], object]
    values: Callable[[object], tuple]
    flat: np.ndarray
    beliefs: tuple[tuple[int, int, str], ...]


@dataclass(frozen=True)
class _Plan:
    """How to write one list of paths: by table, the sections' (locate, getter) pairs and the
    positions their values go to; the beliefs to derive again (table, locate, positions,
    prior mean field); and a getter of the top-level sections the paths do not reach with the
    base's objects there (a particle must share them)."""

    parts: tuple[tuple[tuple[Callable, Callable], ...], ...]
    flat: tuple[np.ndarray, ...]
    beliefs: tuple[tuple[int, Callable, int, int, str], ...]
    unchanged: Callable[[Scenario], tuple]
    base: tuple
    figures: tuple[tuple[int, int, int, str], ...] = ()
    """Scripted events' figures to write: (row, column, event position, figure name)."""


def _row(names: list[str], key: str) -> int | None:
    """The row a bracketed path step picks (a name, or a position as
    :func:`~leverage_sim.scenario.loader.with_checked_numbers` reads it); None if none."""
    at = overrides.position(key)
    if at is None:
        return names.index(key) if key in names else None
    return at % len(names) if -len(names) <= at < len(names) else None


def _where(base: Scenario, path: str) -> tuple[str, int, str, Callable[[Scenario], object]] | None:
    """A path's section (a key of :data:`STARTING`), row, field and a getter of the section in
    a scenario; None if the path is not a field of :data:`STARTING` (a top-level field, a
    name, the events, a list...): the writer cannot vouch for it."""
    try:
        parts = overrides.parse_path(path)
    except InputError:
        return None
    key = [isinstance(p, overrides.Key) for p in parts]
    if key == [False, False] and parts[0] in WORLD_SECTIONS:
        section, row, locate = parts[0], 0, operator.attrgetter(parts[0])
    elif key == [False, True, False] and parts[0] == "militias":
        section = "militias"
        row = _row([m.name for m in base.militias], parts[1])
        locate = (lambda sc, r=row: sc.militias[r])
    elif key == [False, False, True, False] and parts[:2] == ["foreign_forces", "sites"]:
        section = "sites"
        row = _row([s.name for s in base.foreign_forces.sites], parts[2])
        locate = (lambda sc, r=row: sc.foreign_forces.sites[r])
    else:
        return None
    if row is None or parts[-1] not in STARTING[section]:
        return None
    return section, row, parts[-1], locate


def _figure_cell(base: Scenario, path: str) -> tuple[int, int, int, str] | None:
    """Where a scripted event's figure (``events[name].figures.troops``) sits in the scripted
    table: (its row, its column, the event's position, the figure's name); None if the path is
    not a figure its row holds as it is (:data:`FIGURE_COLUMNS`)."""
    try:
        parts = overrides.parse_path(path)
    except InputError:
        return None
    if [isinstance(p, overrides.Key) for p in parts] != [False, True, False, False] \
            or parts[0] != "events" or parts[2] != "figures":
        return None
    at = _row([str(ev.name) if ev.name is not None else "" for ev in base.events], parts[1])
    column = None if at is None else FIGURE_COLUMNS.get(base.events[at].action, {}).get(
        parts[3])
    if column is None:
        return None
    return firing_order(base).index(at), column, at, parts[3]


class Writer:
    """A particle's arrays from a base scenario's (:func:`build`): a copy of the base's with
    the changed fields written into their columns (:data:`STARTING`) and the beliefs derived
    from them (:data:`BELIEFS`) computed again — a few writes instead of a build.

    ``Writer(base, world)(scenario, paths)`` is ``build(scenario)``, array for array, for a
    ``scenario`` equal to ``base`` but for the fields at ``paths`` (what
    :func:`~leverage_sim.scenario.loader.with_checked_numbers` returns: it shares every
    section it does not change with ``base``); None (then build in full) when a path is not
    a field the writer knows (:func:`_where`: top-level fields such as the horizon, events,
    names, lists change shapes, rows or the scripted rows; of the events, only the figures
    their rows hold as they are, :data:`FIGURE_COLUMNS`, are written), or when a section the
    paths do not reach is not the base's own object (the scenario was not made from
    ``base``)."""

    PLANS = 64
    """At most this many sets of paths remembered (calibration varies one set)."""

    def __init__(self, base: Scenario, world: World) -> None:
        self.base, self.world = base, world
        self._plans: dict[tuple[str, ...], _Plan | None] = {}

    def plan(self, paths: Iterable[str]) -> _Plan | None:
        """How to write ``paths`` (remembered), or None if the writer cannot vouch for one."""
        key = tuple(paths)
        if key in self._plans:
            return self._plans[key]
        groups: dict[tuple[int, int], tuple[str, Callable, list[str]]] = {}
        changed = set()
        figures = []
        plan: _Plan | None = None
        for path in key:
            cell = _figure_cell(self.base, path)
            if cell is not None:
                figures.append(cell)
                changed.add("events")
                continue
            where = _where(self.base, path)
            if where is None:
                break
            section, row, field, locate = where
            changed.add("foreign_forces" if section == "sites" else section)
            table = 0 if section in WORLD_SECTIONS else 1 if section == "militias" else 2
            groups.setdefault((table, row) if table else (0, WORLD_SECTIONS.index(section)),
                              (section, locate, []))[2].append(field)
        else:
            entries = [self._entry(section, table, row if table else 0, locate, fields)
                       for (table, row), (section, locate, fields) in groups.items()]
            unchanged = [f for f in type(self.base).model_fields if f not in changed]
            get = operator.attrgetter(*unchanged) if len(unchanged) > 1 else _Tuple(
                operator.attrgetter(*unchanged)) if unchanged else (lambda sc: ())
            plan = _Plan(
                tuple(tuple((e.locate, e.values) for e in entries if e.table == t)
                      for t in range(3)),
                tuple(np.concatenate([e.flat for e in entries if e.table == t]
                                     + [np.zeros(0, dtype=np.intp)]) for t in range(3)),
                tuple((e.table, e.locate, b, p, mean) for e in entries
                      for b, p, mean in e.beliefs),
                get, get(self.base), tuple(figures))
        if len(self._plans) >= self.PLANS:
            self._plans.pop(next(iter(self._plans)))
        self._plans[key] = plan
        return plan

    def _entry(self, section: str, table: int, row: int, locate: Callable,
               fields: list[str]) -> _Entry:
        fields = list(dict.fromkeys(fields))
        width = getattr(self.world, _TABLES[table]).shape[1] if table else 0
        columns = STARTING[section]
        names = [f for f in fields for _ in columns[f]]
        flat = np.array([row * width + c for f in fields for c in columns[f]], dtype=np.intp)
        beliefs = tuple((row * width + belief, row * width + prior, mean)
                        for belief, prior, mean in BELIEFS.get(section, ())
                        if mean in fields or BELIEF_STRENGTH in fields)
        return _Entry(table, locate, _getter(names), flat, beliefs)

    def _same_other_events(self, scenario: Scenario, plan: _Plan) -> bool:
        """Whether ``scenario`` has the base's events, the base's objects but for those whose
        figures ``plan`` writes."""
        written = {event for _, _, event, _ in plan.figures}
        return len(scenario.events) == len(self.base.events) and all(
            a is b for i, (a, b) in enumerate(zip(scenario.events, self.base.events,
                                                  strict=True)) if i not in written)

    def __call__(self, scenario: Scenario, paths: Iterable[str]) -> World | None:
        """``build(scenario)`` for ``scenario`` = the base with the fields at ``paths``
        changed; None if the writer cannot vouch for that."""
        plan = self.plan(paths)
        if plan is None or not all(map(operator.is_, plan.unchanged(scenario), plan.base)) \
                or len(scenario.militias) != len(self.base.militias) \
                or len(scenario.foreign_forces.sites) != len(self.base.foreign_forces.sites) \
                or plan.figures and not self._same_other_events(scenario, plan):
            return None
        base = self.world
        tables = (base.w.copy(), base.m.copy(), base.s.copy())
        for table, parts, flat in zip(tables, plan.parts, plan.flat, strict=True):
            if parts:
                values: tuple = ()
                for locate, get in parts:
                    values += get(locate(scenario))
                table.reshape(-1)[flat] = values  # a view: the copies are contiguous
        for t, locate, belief, prior, mean in plan.beliefs:
            params = locate(scenario)
            _belief(tables[t].reshape(-1), belief, prior, getattr(params, mean),
                    getattr(params, BELIEF_STRENGTH))
        scripted = base.scripted
        if plan.figures:
            scripted = scripted.copy()
            for row, column, event, name in plan.figures:
                scripted[row, column] = getattr(scenario.events[event].typed_figures(), name)
        return World(tables[0], tables[1], tables[2], scripted, base.sets, base.strings,
                     base.capacity)
