"""The ``leverage-sim`` command line: one module per verb, wired up in :mod:`.main`."""
