"""The browser dashboard (``leverage-sim dashboard``): a Solara page that runs one scenario day
by day with the main levers as sliders, live charts and the run's event log, runs ensembles of
the sliders' settings, compares them with the scenario as filed, and offers the downloads.

Modules: :mod:`.levers` (the sliders and the scenario fields they set), :mod:`.model` (the
keyword-parameter model Reset builds), :mod:`.ensemble` (many replications and the tables the
views chart), :mod:`.charts` (Vega-Lite specs) and :mod:`.timeline` (the event log and status),
:mod:`.views` and :mod:`.app` (the Solara page), :mod:`.server` (starting ``solara run``),
:mod:`.assets` (the page's front-end files for offline use).

Layer: an interface; may import every layer, and no layer imports it.
"""
