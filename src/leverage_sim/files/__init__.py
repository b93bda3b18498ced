"""Files leverage-sim reads and writes, made safe: user YAML and text, output folders it owns, self-contained HTML, the version stamped in each.

May import only :mod:`leverage_sim.errors`: every other layer builds on it.
"""
