"""The model and running it: agents, mechanisms, the day's order (model, standoffs, scripted events), outcomes, the event log, the compiled fast path, the runner, the posterior a run draws its parameters from, and the parallel executors.

May import :mod:`leverage_sim.scenario` and :mod:`leverage_sim.files`; mechanisms import nothing but each other.
"""
