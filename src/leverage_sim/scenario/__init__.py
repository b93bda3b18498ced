"""The scenario file format and its checking: the schema, scripted-event rules, loading, overrides, the canonical text, the parameter reference, named levers, count limits and labels.

May import :mod:`leverage_sim.files` and :mod:`leverage_sim.errors`, nothing above them.
"""
