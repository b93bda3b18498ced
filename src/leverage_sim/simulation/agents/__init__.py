"""The four kinds of actor, one Mesa agent class each."""

from leverage_sim.simulation.agents.foreign_force import ForeignForce
from leverage_sim.simulation.agents.government import Government
from leverage_sim.simulation.agents.militia import Militia
from leverage_sim.simulation.agents.patron import Patron

__all__ = ["ForeignForce", "Government", "Militia", "Patron"]
