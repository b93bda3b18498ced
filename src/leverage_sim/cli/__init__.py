"""The ``leverage-sim`` command line: one module per verb, wired up in :mod:`.main`.

Layer: an interface; may import every layer, and no layer imports it.
"""
