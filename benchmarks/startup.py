"""Start-up time of the CLI verbs and of ``import leverage_sim``, and the time of the
dashboard's ensemble (100 replications of the replay) once started (prints figures; gates
nothing).

    .venv/bin/python benchmarks/startup.py            # 5 timings of each, median and range
    .venv/bin/python benchmarks/startup.py --repeat 9

Each command runs in a fresh interpreter (as a user's shell runs it), from the interpreter
running this script. Targets on a 2-core machine: ``list``/``params``/``validate`` well under
1 s, ``run -n 1`` under 2 s. What each verb imports is checked (not timed) by
tests/test_startup.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "import leverage_sim": [sys.executable, "-c", "import leverage_sim"],
    "leverage-sim list": [sys.executable, "-m", "leverage_sim.cli", "list"],
    "leverage-sim params": [sys.executable, "-m", "leverage_sim.cli", "params"],
    "leverage-sim validate june_2020_replay": [sys.executable, "-m", "leverage_sim.cli",
                                               "validate", "june_2020_replay"],
    "leverage-sim run june_2020_replay -n 1": [sys.executable, "-m", "leverage_sim.cli", "run",
                                               "june_2020_replay", "-n", "1", "-q"],
}


def seconds(command: list[str]) -> float:
    """Wall time (s) of one run of ``command`` (its output discarded)."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


ENSEMBLE = ("import leverage_sim as ls; ls.run('june_2020_replay', replications=1, "
            "posterior='none'); import time; t = time.perf_counter(); "
            "ls.run('june_2020_replay', replications=100, posterior='none'); "
            "print(time.perf_counter() - t)")
"""The dashboard's ensemble view: 100 replications of the replay with every table, in a
process that has already run once (as the dashboard's server has)."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timings per command (default 5)")
    repeat = parser.parse_args().repeat
    print(f"start-up, {dt.date.today()}, Python {sys.version.split()[0]}, "
          f"{repeat} timings each (median [min, max], seconds)")
    for name, command in COMMANDS.items():
        seconds(command)  # warm the file cache
        times = [seconds(command) for _ in range(repeat)]
        print(f"  {name:<42} {statistics.median(times):5.2f}  [{min(times):.2f}, {max(times):.2f}]")
    times = [float(subprocess.run([sys.executable, "-c", ENSEMBLE], check=True, text=True,
                                  capture_output=True).stdout) for _ in range(repeat)]
    print(f"  {'ensemble: 100 replications of the replay':<42} {statistics.median(times):5.2f}  "
          f"[{min(times):.2f}, {max(times):.2f}]")


if __name__ == "__main__":
    main()
