"""``python -m leverage_sim.cli`` — same as the ``leverage-sim`` command."""

from leverage_sim.cli.main import main

main()
