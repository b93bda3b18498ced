"""The event log's ``detail`` texts, one function per kind of text.

Texts that name the foreign force take ``force``, its label in the run's texts
(:attr:`leverage_sim.scenario.schema.ForeignForces.label`: *US* in *3 US casualties*).

The agent path calls these when it records an action; the fast path
(:mod:`leverage_sim.simulation.fastpath`) records a kind number and up to three figures instead, and turns
them into the same texts with the same functions after the run (:data:`KINDS`).
"""

from __future__ import annotations

from collections.abc import Callable


def text(note: str) -> str:
    """A fixed text: a scenario's note on a scripted event, or a constant phrase."""
    return note


def members_arrested(arrests: int) -> str:
    return f"{arrests} members arrested"


def mustered(fighters: int) -> str:
    return f"{fighters} fighters mustered to intimidate the government"


def standoff_opened(detainees: int, fighters: int) -> str:
    return f"{detainees} detainees at stake, {fighters} fighters mustered"


def public_threat(raided: str) -> str:
    return f"leader warns the government over the raid on {raided}"


def joins_muster(fighters: int, militia: str) -> str:
    """Allies joining a confrontation: a standoff's muster or an operation's fight."""
    return f"{fighters} fighters join {militia}'s side"


def released(n: int) -> str:
    return f"{n} detainees released"


def transferred(militia: str, kept: int, backing: float, force: str) -> str:
    return (f"detainees transferred to a unit controlled by {militia}, {kept} kept in custody "
            f"(E[{force} backing] = {backing:.2f})")


def holds_for_now(days: int, backing: float, win_chance: float, force: str) -> str:
    return (f"day {days}: the government holds for now (E[{force} backing] = {backing:.2f}, "
            f"believed win chance {win_chance:.2f})")


def clash(government_won: bool) -> str:
    return "armed clash: government prevails" if government_won else ("armed clash: militia "
                                                                       "prevails")


def standoff_won(note: str) -> str:
    """The government's win in a confrontation (a standoff or an operation)."""
    return f"enforcement holds: {note}"


def disperses(militia: str) -> str:
    return f"{militia} disperses; detainees stay in custody"


def won_disperses(militia: str) -> str:
    """The government's win when the muster disperses."""
    return standoff_won(disperses(militia))


def after_clash(government_won: bool) -> str:
    return "after the clash" + ("" if government_won else "; detainees handed over")


def won_after_clash() -> str:
    """The government's win after a clash."""
    return standoff_won(after_clash(True))


def attack(casualties: int, intercepted: bool, force: str) -> str:
    return "intercepted" if intercepted else f"hit, {casualties} {force} casualties"


def attack_by(militia: str) -> str:
    return f"attack by {militia}"


def strike(reason: str, killed: int) -> str:
    return f"{reason}; {killed} fighters killed"


def political_cost(cost: float, tolerance: float) -> str:
    return f"political cost {cost:.1f} > tolerance {tolerance:.1f}"


def drawdown(reason: str, remaining: int) -> str:
    return f"{reason}; {remaining} troops remain"


def cost_drawdown(cost: float, tolerance: float, remaining: int) -> str:
    """A drawdown for political cost."""
    return drawdown(political_cost(cost, tolerance), remaining)


def interception_now(chance: float) -> str:
    return f"interception chance now {chance:.2f}"


def clash_begins() -> str:
    return "armed clash: the muster turns into fighting"


def operation_opened(troops: int, days: int) -> str:
    return f"operation: {troops} troops committed for up to {days} days"


def fighting(government_killed: int, militia_killed: int) -> str:
    return (f"a day of fighting: {government_killed} government troops and {militia_killed} "
            "militia fighters killed")


def killed_by_air(killed: float, force: str) -> str:
    return (f"{force} air power fights beside the government: {killed:.1f} of the day's "
            "militia dead are its share")


def deserted(n: int) -> str:
    return f"{n} government troops desert or refuse to fight"


def talks(militia: str, position: float, days: int) -> str:
    return (f"the patron opens ceasefire talks for {militia} (its chance in the fight "
            f"{position:.2f}; a ceasefire in {days} days)")


def ceasefire(militia: str, position: float, broker: str) -> str:
    """The ceasefire taking hold, brokered by ``broker`` (``patron`` or ``mediator``); its
    terms (who leaves, who gives way) are the next event's."""
    return f"the {broker} brokers a ceasefire for {militia} (its chance in the fight {position:.2f})"


def mediation_talks(militia: str, days: int) -> str:
    """A scripted mediation's talks opening, when the scenario gives no note."""
    return (f"a mediator opens ceasefire talks between the government and {militia} (a "
            f"ceasefire in {days} days)")


def nothing_to_mediate() -> str:
    """A scripted mediation on a day when no fight (with its target, if it names one) is open
    without talks already under way: there is nothing to mediate."""
    return ("scripted mediation skipped: no fight open without ceasefire talks (with its "
            "target, if it names one) that day")


def withdraws(militia: str) -> str:
    return f"{militia} withdraws from the streets"


def won_withdraws(militia: str) -> str:
    """The government's win when the militia leaves the streets."""
    return standoff_won(withdraws(militia))


def stands_down(win_chance: float) -> str:
    """The militia's answer to an operation at its opening: no resistance."""
    return ("stands down: does not resist the operation (the government's chance as the "
            f"militia sees it {win_chance:.2f})")


def stood_down(militia: str) -> str:
    """Why an operation ended the day it opened: the militia did not resist."""
    return f"{militia} stands down without a fight"


def won_stands_down(militia: str) -> str:
    """The government's win when the militia stands down at an operation's opening."""
    return standoff_won(stood_down(militia))


def leaves_streets(militia: str) -> str:
    return f"{militia} leaves the streets under the ceasefire"


def concedes(militia: str) -> str:
    """The government's relent under a ceasefire whose terms are the militia's."""
    return (f"the government suspends its measures under the ceasefire ({militia} holds the "
            "streets)")


def won_ceasefire(militia: str) -> str:
    """The government's win after the patron's ceasefire."""
    return standoff_won(leaves_streets(militia))


def fight_over(government_won: bool) -> str:
    return "the fighting ends: " + ("the government controls the area" if government_won
                                    else "the government halts")


def won_fight_over() -> str:
    """The government's win at the end of a fight (last day, or the militia's force spent)."""
    return standoff_won(fight_over(True))


def halts(backing: float, win_chance: float, force: str) -> str:
    return (f"the government halts the fighting (E[{force} backing] = {backing:.2f}, believed "
            f"win chance {win_chance:.2f})")


def expulsion_vote(pressure: float) -> str:
    return (f"parliament votes to expel foreign forces (expulsion pressure {pressure:.2f}); "
            "the demand stands")


def truce_ordered(risk: float) -> str:
    """The patron orders its clients to hold fire."""
    return f"war risk {risk:.2f} past the patron's threshold: it orders its clients to hold fire"


def redeploy(cost: float, tolerance: float, present: int) -> str:
    """The foreign force's troops return toward their authorised level."""
    return (f"political cost {cost:.1f} well below tolerance {tolerance:.1f} for long; "
            f"{present} troops present")


def not_possible(action: str, left_day: int) -> str:
    """A scripted action that needs the foreign force, due when it is not in the country
    (``left_day``: the day it withdrew, -1 if it never was or left through a set)."""
    why = (f"the foreign forces left on day {left_day}" if left_day >= 0
           else "no foreign forces in the country")
    return f"scripted {action} not possible: {why}"


def nothing_to_back() -> str:
    """A scripted backing on a day when no standoff or operation (with its target, if it
    names one) is open: there is nothing to step in to."""
    return ("scripted backing skipped: no standoff or operation open (with its target, if it "
            "names one) that day")


def retaliation(force: str) -> str:
    """Why the foreign force strikes after a deadly attack."""
    return f"retaliation for {force} casualties"


def backs(force: str) -> str:
    """The foreign force stepping in to a standoff or operation."""
    return f"{force} forces step in beside the government"


def backs_scripted(force: str) -> str:
    """A scripted backing's detail when the scenario gives no note."""
    return f"{force} forces step in (scripted)"


NO_RESISTANCE = "no resistance to the arrests"


def all_troops_lost() -> str:
    return "no troops left: the last were killed in an attack"


KINDS: tuple[tuple[Callable[..., str], str], ...] = (
    (text, "s"), (members_arrested, "i"), (mustered, "i"), (standoff_opened, "ii"),
    (public_threat, "s"), (joins_muster, "is"), (released, "i"), (transferred, "sifF"),
    (holds_for_now, "iffF"), (clash, "b"), (won_disperses, "s"), (won_after_clash, ""),
    (after_clash, "b"), (attack, "ibF"), (attack_by, "s"), (strike, "si"),
    (political_cost, "ff"), (drawdown, "si"), (cost_drawdown, "ffi"), (interception_now, "f"),
    (clash_begins, ""), (operation_opened, "ii"), (fighting, "ii"), (deserted, "i"),
    (ceasefire, "sfs"), (won_withdraws, "s"), (won_ceasefire, "s"), (won_fight_over, ""),
    (fight_over, "b"), (halts, "ffF"),
    (expulsion_vote, "f"),
    (truce_ordered, "f"), (redeploy, "ffi"),
    (all_troops_lost, ""), (not_possible, "si"), (talks, "sfi"), (concedes, "s"),
    (nothing_to_back, ""), (stands_down, "f"), (won_stands_down, "s"), (killed_by_air, "fF"),
    (mediation_talks, "si"), (nothing_to_mediate, ""),
)
"""Kind number (the position) → (function, argument types): ``s`` a string (its number in the
run's string table), ``i`` an integer, ``f`` a float, ``b`` a yes/no, each from the next figure;
``F`` the foreign force's label (no figure); how the fast path's figures become a ``detail``
(:func:`render`)."""

KIND = {fn.__name__: i for i, (fn, _) in enumerate(KINDS)}
"""Kind number of each function, by name."""


def _argument(kind: str, x: float, strings: list[str]) -> str | int | bool | float:
    """One figure as the argument type ``kind`` (see :data:`KINDS`)."""
    return (strings[int(x)] if kind == "s" else int(x) if kind == "i" else bool(x)
            if kind == "b" else float(x))


def render(kind: int, figures: tuple[float, float, float], strings: list[str],
           force: str) -> str:
    """The detail text of kind number ``kind`` from its (up to three) ``figures``; string
    arguments are looked up in ``strings``, ``force`` is the foreign force's label."""
    fn, types = KINDS[kind]
    values = iter(figures)
    return fn(*(force if t == "F" else _argument(t, next(values), strings) for t in types))
