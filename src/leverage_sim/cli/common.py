"""Arguments and helpers shared by several verbs."""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from leverage_sim.errors import InputError
from leverage_sim.files.output_dir import claim_output
from leverage_sim.scenario.limits import WORKERS_PER_CPU, check_count, check_seed
from leverage_sim.scenario.loader import ENV_SCENARIO_PATH

WHOLE_NUMBER = re.compile(r"-?(0|[1-9](_?[0-9])*)")
"""A whole number on the command line as files take it: ASCII digits (``_`` between them, as in
1_000), no leading zero (the minus sign is read so that a negative value gets its range's
message)."""


def _arg_type(check: Callable[[int], object], name: str, kind: str = "whole number"
              ) -> Callable[[str], int]:
    """An argparse ``type=`` from a :mod:`leverage_sim.scenario.limits` check: bad values are usage
    errors (exit 2) with the rule."""
    def parse(text: str) -> int:
        if not WHOLE_NUMBER.fullmatch(text):  # int() also takes 0005, +5, ' 5', '٥'
            raise argparse.ArgumentTypeError(
                f"'{text}' is not a {kind} written in digits 0-9 without a leading zero, sign "
                "or space (e.g. 5, 1000 or 1_000)")
        value = int(text)
        try:
            check(value)
        except InputError as e:
            raise argparse.ArgumentTypeError(str(e).rstrip(".")) from None
        return value

    parse.__name__ = name
    return parse


seed_arg = _arg_type(check_seed, "seed")
"""``type=`` for a seed: 0 to 2**63-1 (every verb)."""
count_arg = _arg_type(lambda n: check_count(n, "it"), "count")
"""``type=`` for a count: replications, samples, chunk size, workers, every (>= 1)."""
sample_count_arg = _arg_type(lambda n: check_count(n, "it", least=2), "count")
"""``type=`` for the replications of a predictive distribution, which needs a spread (>= 2)."""


def seconds_arg(text: str) -> float:
    """``type=`` for a duration in seconds (> 0)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, got {text}")
    return value


def folder_arg(text: str) -> str:
    """``type=`` for a folder that must exist (``--scenario-dir``): a mistyped one is an error,
    not a folder silently searched in vain. A leading ``~`` is the home folder, as in ``--out``
    (a quoted ``'~/x'`` reaches the program unexpanded)."""
    text = str(Path(text).expanduser())
    try:
        if not Path(text).is_dir():
            raise argparse.ArgumentTypeError(f"'{text}' is not a folder" + (
                " (it is a file)" if Path(text).exists() else " (it does not exist)"))
    except OSError as e:  # a path the system refuses (too long, a folder not searchable)
        raise argparse.ArgumentTypeError(f"'{text}' cannot be read ({e.strerror or e})") from None
    return text


def add_scenario_dir_arg(p: argparse.ArgumentParser,
                         help: str = "extra folder of scenario files (also "
                         f"${ENV_SCENARIO_PATH})") -> None:
    """``--scenario-dir DIR`` (repeatable; ``args.scenario_dir`` is a list)."""
    p.add_argument("--scenario-dir", action="append", default=[], metavar="DIR", help=help,
                   type=folder_arg)


def add_scenario_args(p: argparse.ArgumentParser) -> None:
    """``--set path=value`` overrides and ``--scenario-dir``."""
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                   help="override a parameter, e.g. --set foreign_forces.backing=0.8 "
                   "--set 'militias[KH].autonomy=0.5' (repeatable)")
    add_scenario_dir_arg(p)


def scheduler_arg(text: str) -> str:
    """``type=`` for ``--scheduler``: a Dask scheduler address (protocol, host and port; the
    host is looked up when the executor connects: :func:`leverage_sim.simulation.executors.connect`)."""
    from leverage_sim.simulation.executors import check_scheduler

    try:
        check_scheduler(text, resolve=False)
    except InputError as e:
        raise argparse.ArgumentTypeError(str(e).rstrip(".")) from None
    return text


def add_engine_arg(p: argparse.ArgumentParser) -> None:
    """``--engine fast|agent`` (``args.engine``; default fast): how summary-only runs are
    simulated (validate-model, and with the executor arguments sweep and calibrate)."""
    from leverage_sim.simulation.runner import ENGINES

    p.add_argument("--engine", choices=ENGINES, default="fast",
                   help="fast: the model compiled (numba), far less CPU, the same "
                   "summaries and event logs bit for bit (default where only those are "
                   "needed); agent: the Mesa agents, the reference (docs/performance.md)")


def engine_line(engine: str) -> str:
    """The line a verb prints to say which engine ran its simulations."""
    return f"engine={engine}" + (" (compiled; --engine agent runs the Mesa agents)"
                                 if engine == "fast" else " (Mesa agents)")


def add_executor_args(p: argparse.ArgumentParser) -> None:
    """``--executor``, ``--workers``, ``--scheduler`` and ``--engine`` (sweep, calibrate).
    ``--workers`` above :func:`leverage_sim.scenario.limits.max_workers` is capped by the executor,
    with a note."""
    from leverage_sim.simulation.executors import EXECUTORS

    add_engine_arg(p)
    p.add_argument("--executor", choices=EXECUTORS, default="local",
                   help="local (all cores, default), serial, or dask")
    p.add_argument("--workers", type=count_arg, default=None,
                   help="worker processes (default: cores; local executor or Dask local "
                   f"cluster); at most {WORKERS_PER_CPU} per core, within the process limits: "
                   "more are capped, with a note")
    p.add_argument("--scheduler", type=scheduler_arg, default=None, metavar="tcp://HOST:8786",
                   help="join a running Dask scheduler (implies --executor dask)")


def executor_of(args: argparse.Namespace) -> str:
    """The executor ``--executor`` and ``--scheduler`` ask for: ``dask`` with a scheduler
    (which implies it), refused beside ``--executor serial`` (which was silently replaced by
    Dask: the runs went to the scheduler's workers, not this process)."""
    if args.scheduler and args.executor == "serial":
        raise InputError(f"--scheduler {args.scheduler} sends the runs to a Dask cluster, but "
                         "--executor serial asks to run them in this process. Drop one: "
                         "--scheduler alone for the cluster, --executor serial alone here.")
    return "dask" if args.scheduler else args.executor


_PACKAGE_DEFAULT = object()


class PosteriorAction(argparse.Action):
    """Stores ``--posterior``; refuses ``default`` or ``none`` given while the working folder
    holds a calibration folder of that name (not the committed one): the word names the
    committed calibration (or none), so that folder would be passed over, unseen."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        from leverage_sim.simulation.posterior import DEFAULT_DIR

        folder = Path(values)
        if values in ("default", "none") and (folder / "posterior.parquet").is_file() \
                and folder.resolve() != DEFAULT_DIR.resolve():
            meaning = (f"the committed calibration in {DEFAULT_DIR}" if values == "default"
                       else "no posterior (the scenario's own values)")
            raise argparse.ArgumentError(
                self, f"'{values}' means {meaning}, but the working folder holds a calibration "
                f"folder named '{values}' too, which it would pass over. Write --posterior "
                f"./{values} for that folder, or rename it")
        setattr(namespace, self.dest, values)


def add_posterior_arg(p: argparse.ArgumentParser,
                      default: str | None | object = _PACKAGE_DEFAULT, unset: str = "") -> None:
    """``--posterior DIR|default|none`` (``args.posterior``; ``default`` for this verb, else
    :data:`leverage_sim.simulation.posterior.DEFAULT_POSTERIOR`; ``default=None`` with ``unset`` saying
    what an absent option means, e.g. for sweeps: the sweep file's own choice)."""
    from leverage_sim.simulation.posterior import (
        DEFAULT_POSTERIOR,  # here: verbs without runs need no pandas
    )

    if default is _PACKAGE_DEFAULT:
        default = DEFAULT_POSTERIOR
    p.add_argument("--posterior", default=default, metavar="DIR|default|none",
                   action=PosteriorAction,
                   help="draw each replication's parameters from a calibration's posterior: "
                   "the --out folder of `leverage-sim calibrate`, 'default' (the committed "
                   "calibration) or 'none' (the scenario's own values); default: "
                   f"{unset or DEFAULT_POSTERIOR}. The scenario's own changes and --set stay on "
                   "top of the draw")
    add_allow_stale_arg(p)


def add_allow_stale_arg(p: argparse.ArgumentParser) -> None:
    """``--allow-stale``: use a posterior fitted to another version of the model."""
    p.add_argument("--allow-stale", action="store_true",
                   help="use the posterior even if it was fitted to another version of the "
                   "model (refused otherwise; the manifest records it)")


def add_brief_arg(p: argparse.ArgumentParser) -> None:
    """``--brief``: also write ``brief.html`` (:mod:`leverage_sim.outputs.report_brief`) into --out."""
    p.add_argument("--brief", action="store_true",
                   help="also write brief.html into --out: one printable page with the "
                   "question, the headline with its interval, a chart against the historical "
                   "record, the calibration's caveats and the inputs")


def check_brief(args: argparse.Namespace) -> None:
    """--brief needs --out (the brief is a file in it)."""
    if args.brief and args.out is None:
        raise InputError("--brief writes brief.html into the output folder: add --out DIR "
                         "(e.g. --out results/brief).")


def add_run_args(p: argparse.ArgumentParser, per: str = "") -> None:
    """Replications, seed, output folder and format, --force and --quiet (run, compare)."""
    p.add_argument("-n", "--replications", type=count_arg, default=100,
                   help=f"replications{per}, >= 1 (default 100)")
    p.add_argument("--seed", type=seed_arg, default=None,
                   help="master seed, 0 to 2**63-1 (default: the (first) scenario's)")
    p.add_argument("--out", default=None, help="output folder (see the description above)")
    p.add_argument("--format", choices=("parquet", "csv"), default="parquet",
                   help="table format (default parquet)")
    add_force_arg(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def add_force_arg(p: argparse.ArgumentParser) -> None:
    """``--force``: replace an --out folder leverage-sim wrote."""
    p.add_argument("--force", action="store_true",
                   help="replace an existing --out folder written by leverage-sim (never one "
                   "holding other files)")


@contextlib.contextmanager
def output_folder(args: argparse.Namespace, kind: str) -> Iterator[Path | None]:
    """The temporary folder to write ``--out`` into (it appears as ``--out`` once the block
    ends without error), or None without ``--out``. See :mod:`leverage_sim.files.output_dir`."""
    if args.out is None:
        yield None
        return
    with claim_output(args.out, kind, force=args.force) as folder:
        yield folder.path


def progress_wrapper(quiet: bool, desc: str):
    """A tqdm wrapper for loops, or None when quiet or not attached to a terminal/CI."""
    if quiet:
        return None
    from tqdm import tqdm

    def bar(it: Any) -> Any:  # any iterable, in a tqdm bar
        try:
            len(it)
        except OverflowError:  # a length past a machine integer (-n 10**23), which tqdm
            it = iter(it)      # would fail on: a bar without a total (the memory check advises)
        except TypeError:  # no length: tqdm counts without a total
            pass
        return tqdm(it, desc=desc, unit="run", file=sys.stderr, disable=None, leave=False)

    return bar
