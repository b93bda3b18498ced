"""The browser dashboard (``leverage-sim dashboard``): Mesa's SolaraViz page for one run of a
scenario, with the main levers as sliders, live charts and the run's event log.

Modules: :mod:`.levers` (the sliders and the scenario fields they set), :mod:`.model` (the
keyword-parameter model SolaraViz re-creates on Reset), :mod:`.charts` and :mod:`.timeline`
(what the page shows), :mod:`.app` (the Solara page), :mod:`.server` (starting ``solara run``).
"""
