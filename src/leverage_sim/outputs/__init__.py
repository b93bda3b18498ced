"""What runs write and show: run folders, readable summaries, report pages, the brief, the narrative, charts and rendered notebooks.

May import :mod:`leverage_sim.calibration`, :mod:`leverage_sim.simulation` and the layers below; never sweep, analysis or the interfaces.
"""
