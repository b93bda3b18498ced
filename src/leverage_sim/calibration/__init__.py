"""Calibration to the historical record: episodes as data, named statistics, ABC-SMC (pyabc).

``leverage-sim calibrate CONFIG --out DIR`` runs :func:`leverage_sim.calibration.run.calibrate`;
see docs/calibration.md.

Layer: may import simulation, scenario and files (never outputs, sweep, analysis or the interfaces).
"""
