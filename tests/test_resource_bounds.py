"""Bounds on every resource and one-paragraph errors for bad arguments (issue 19, items 10-13
and 20): worker counts, design sizes and time estimates, the cgroup memory limit, the advice of
an over-large run, and the arguments that used to end in a traceback."""

import json
import resource
import shlex
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pytest

from leverage_sim.cli import sweep_cmd
from leverage_sim.cli.main import build_parser, main
from leverage_sim.errors import InputError
from leverage_sim.scenario import limits
from leverage_sim.simulation import executors
from leverage_sim.simulation.posterior import DEFAULT_DIR
from leverage_sim.sweep import engine
from leverage_sim.sweep.design import count_points

EXE = str(Path(sys.executable).parent / "leverage-sim")
SWEEP = ["sweep", "june_2020_replay", "--param", "foreign_forces.backing=0,1", "-n", "2", "-q",
         "--set", "horizon_days=55"]


def cli(*args):
    try:
        return main([str(a) for a in args])
    except SystemExit as e:  # argparse: usage errors
        return e.code


def user(*args, limit_memory=None, timeout=240):
    """The command as a user runs it: a new process; returns (exit code, stderr)."""
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (limit_memory, limit_memory))

    proc = subprocess.run([EXE, *map(str, args)], capture_output=True, text=True, check=False,
                          timeout=timeout, preexec_fn=cap if limit_memory else None)
    return proc.returncode, proc.stderr


def one_paragraph(err):
    assert "Traceback" not in err and "internal error" not in err, err
    message = err.strip().splitlines()[-1]
    assert "error:" in message and "https://" not in err, err
    return message


# ---- item 10: --workers is capped at what the machine runs -------------------------------------
class RecordingPool(executors.SerialExecutor):
    """Stands in for the process pool: records the workers asked for, forks nothing."""

    asked: ClassVar[list[int]] = []

    def __init__(self, workers=None):
        RecordingPool.asked.append(workers)
        self.workers = workers


def test_workers_beyond_the_machine_are_capped_with_a_note(tmp_path, monkeypatch, capsys):
    RecordingPool.asked = []
    monkeypatch.setattr(executors, "LocalExecutor", RecordingPool)
    assert cli(*SWEEP, "--workers", 10_000, "--out", tmp_path / "s") == 0
    cap = limits.max_workers()
    assert RecordingPool.asked == [cap] and cap <= limits.WORKERS_PER_CPU * limits.usable_cpus()
    assert f"--workers 10,000 capped at {cap}" in capsys.readouterr().err


def test_the_process_limit_caps_workers(tmp_path):
    root, proc = tmp_path / "cg", tmp_path / "cgroup"
    (root / "pids" / "job").mkdir(parents=True)
    (root / "pids" / "job" / "pids.max").write_text("40\n")
    (root / "pids" / "job" / "pids.current").write_text("12\n")
    proc.write_text("3:pids:/job\n0::/\n")
    assert limits.cgroup_room("pids", root, proc) == 28
    assert limits.cgroup_room("memory", root, proc) is None


@pytest.mark.slow
def test_a_user_asking_for_too_many_workers_gets_the_cap(tmp_path):
    too_many = limits.max_workers() + 3  # few enough to be harmless where nothing caps them
    code, err = user(*SWEEP, "--workers", too_many, "--out", tmp_path / "s")
    assert code == 0, err
    assert f"--workers {too_many} capped at {limits.max_workers()}" in err


# ---- item 11: design sizes are counted before anything is built --------------------------------
@pytest.mark.slow
def test_a_billion_step_grid_is_refused_before_any_allocation(tmp_path):
    sweep_file = tmp_path / "huge.yaml"
    sweep_file.write_text("base: june_2020_replay\nparameters:\n  foreign_forces.backing: "
                          "{range: [0, 1], steps: 1000000000}\n")
    for target in (["june_2020_replay", "--param", "foreign_forces.backing=0:1:1000000000"],
                   [sweep_file]):
        code, err = user("sweep", *target, "--out", tmp_path / "s", limit_memory=2 * 2**30)
        assert code == 2, err
        assert "1,000,000,000 runs; one sweep plans at most 10,000,000" in one_paragraph(err)
        assert not (tmp_path / "s").exists()


def test_a_large_plan_is_estimated_before_the_design_is_built(tmp_path, monkeypatch, capsys):
    def stop(*a):
        raise InputError("stopped before the design")

    monkeypatch.setattr(engine, "build_design", stop)
    monkeypatch.setattr(limits, "memory_available", lambda: 64 * 2**30)  # bytes
    assert cli("sweep", "june_2020_replay", "--design", "lhs", "--samples", 10_000_000,
               "--param", "foreign_forces.backing=0:1", "--out", tmp_path / "s") == 2
    err = capsys.readouterr().err
    note = err.split("note: planning sweep")[1]
    assert "10,000,000 runs" in note and "takes about" in note and "GB of memory" in note
    assert err.index("note: planning") < err.index("stopped before the design")


def test_a_long_sweep_says_how_long_before_it_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(limits, "LONG_SWEEP_SECONDS", 1e-9)  # every sweep counts as long
    assert cli(*SWEEP, "--executor", "serial", "--out", tmp_path / "s") == 0
    err = capsys.readouterr().err
    assert "note: 4 runs at about" in err and "on 1 worker (" in err
    assert "--resume --out DIR" in err
    monkeypatch.setattr(limits, "LONG_SWEEP_SECONDS", 1e9)
    assert cli(*SWEEP, "--executor", "serial", "--out", tmp_path / "t") == 0
    assert "note:" not in capsys.readouterr().err


# ---- item 12: the memory guard reads the cgroup limit --------------------------------------------
def fake_cgroup(tmp_path, version, limit, usage, inactive=0):
    root, proc = tmp_path / "cg", tmp_path / "cgroup"
    if version == 2:
        folder = root / "box" / "job"
        folder.mkdir(parents=True)
        (root / "box" / "memory.max").write_text("max\n")
        (folder / "memory.max").write_text(f"{limit}\n")
        (folder / "memory.current").write_text(f"{usage}\n")
        (folder / "memory.stat").write_text(f"anon 5\ninactive_file {inactive}\n")
        proc.write_text("0::/box/job\n")
    else:
        folder = root / "memory" / "box"
        folder.mkdir(parents=True)
        (root / "memory" / "memory.limit_in_bytes").write_text("9223372036854771712\n")
        (folder / "memory.limit_in_bytes").write_text(f"{limit}\n")
        (folder / "memory.usage_in_bytes").write_text(f"{usage}\n")
        (folder / "memory.stat").write_text(f"total_inactive_file {inactive}\n")
        proc.write_text("4:memory:/box\n3:cpu,cpuacct:/\n")
    return root, proc


@pytest.mark.parametrize("version", [1, 2])
def test_cgroup_memory_room_is_limit_minus_what_cannot_be_reclaimed(tmp_path, version):
    root, proc = fake_cgroup(tmp_path, version, 100 * 2**20, 70 * 2**20, 10 * 2**20)
    assert limits.cgroup_room("memory", root, proc) == 40 * 2**20


def test_no_cgroup_limit_means_the_host_memory(tmp_path):
    proc = tmp_path / "cgroup"
    proc.write_text("0::/\n")
    (tmp_path / "memory.max").write_text("max\n")
    assert limits.cgroup_room("memory", tmp_path, proc) is None
    assert limits.cgroup_room("memory", tmp_path, tmp_path / "missing") is None


@pytest.mark.parametrize("version", [1, 2])
def test_a_run_too_large_for_the_container_is_refused_not_killed(tmp_path, monkeypatch, capsys,
                                                                 version):
    root, proc = fake_cgroup(tmp_path, version, 64 * 2**20, 60 * 2**20)  # 4 MB left
    monkeypatch.setattr(limits, "CGROUP_ROOT", root)
    monkeypatch.setattr(limits, "PROC_CGROUP", proc)
    assert limits.memory_available() == 4 * 2**20
    assert cli("run", "june_2020_replay", "-n", 5000, "-q") == 2
    err = capsys.readouterr().err
    assert "5,000 replications of 'june_2020_replay' would hold about" in err
    assert "may use at most 2.0 MB" in err


# ---- item 13: the advice of an over-large run works ------------------------------------------------
@pytest.mark.parametrize("replications", [100_000_000, 25_000_000, 5_000_000])
def test_advised_sweeps_are_within_the_sweep_limit(replications, monkeypatch, capsys):
    monkeypatch.setattr("leverage_sim.simulation.runner.run_memory_limit", lambda: 1000)  # bytes
    assert cli("run", "june_2020_replay", "-n", replications, "-q") == 2
    err = capsys.readouterr().err
    command = err.split("`leverage-sim ")[1].split("`")[0]
    parts = int(err.split(" for K = 1 to ")[1].split()[0]) if "DIR_K" in command else 1
    args = build_parser().parse_args(shlex.split(command.replace("DIR_K", "out_K")
                                                 .replace(" K ", " 1 ").replace("DIR", "out")))
    spec = sweep_cmd.build_spec(args)
    runs = limits.check_sweep_size(spec.name, count_points(spec), spec.replications)
    assert parts * runs >= replications and runs <= limits.MAX_SWEEP_RUNS


# ---- item 20: argument errors are one paragraph, exit 2 ----------------------------------------------
@pytest.mark.parametrize("args, says", [
    (["--port", "70000"], "a TCP port is 1 to 65535 (or 0 for any free port), got 70000"),
    (["--port", "-5"], "got -5"),
    (["--port", "0", "--host", "no such host"], "--host 'no such host' is not an IPv4"),
    (["--host", "no such host"], "--host 'no such host' is not an IPv4"),
    (["--port", "0", "--host", "192.0.2.1"], "is not an address of this machine"),
])
def test_dashboard_address_errors(args, says, capsys):
    assert cli("dashboard", *args) == 2
    assert says in one_paragraph(capsys.readouterr().err)


@pytest.mark.slow
def test_a_user_giving_a_bad_port_gets_one_paragraph():
    code, err = user("dashboard", "--port", "70000", timeout=120)
    assert code == 2 and "a TCP port is 1 to 65535" in one_paragraph(err), err


@pytest.mark.parametrize("address, says", [
    ("file:///tmp/scheduler", "'file://' is not a Dask protocol"),
    ("http://127.0.0.1:8786", "'http://' is not a Dask protocol"),
    ("tcp://127.0.0.1:99999", "Port out of range"),
    ("tcp://no such host:8786", "host 'no such host' not found"),
    ("tcp://:8786", "is not HOST:PORT"),
])
def test_scheduler_addresses_are_checked_before_anything_runs(address, says, tmp_path, capsys):
    assert cli(*SWEEP, "--scheduler", address, "--out", tmp_path / "s") == 2
    assert says in one_paragraph(capsys.readouterr().err)
    assert not (tmp_path / "s").exists()


@pytest.fixture
def web_server():
    """A server that answers anything as a web server does (the '3.07 EiB' case)."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    server.close()


@pytest.mark.slow
def test_a_scheduler_address_that_is_not_dask_is_said(web_server, tmp_path):
    code, err = user(*SWEEP, "--scheduler", web_server, "--out", tmp_path / "s", timeout=120)
    assert code == 2, err
    assert f"What answers at {web_server} is not a Dask scheduler" in one_paragraph(err)
    assert not (tmp_path / "s").exists()


def test_a_silent_server_is_not_waited_for_forever(monkeypatch):
    server = socket.create_server(("127.0.0.1", 0))  # accepts (backlog), never answers
    monkeypatch.setattr(executors, "SCHEDULER_TIMEOUT", 1)
    address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
    with server, pytest.raises(InputError, match="gave no Dask greeting within 2 s"):
        executors.connect(address)


def test_a_posterior_of_another_parameter_set_is_one_paragraph(tmp_path, capsys):
    folder = tmp_path / "post"
    folder.mkdir()
    table = pd.read_parquet(DEFAULT_DIR / "posterior.parquet")
    table.insert(0, "patron.instigation", 0.5)
    table.to_parquet(folder / "posterior.parquet", index=False)
    manifest = json.loads((DEFAULT_DIR / "manifest.json").read_text())
    manifest["base_scenario"]["values"]["patron.instigation"] = 0.5
    (folder / "manifest.json").write_text(json.dumps(manifest))
    assert cli("validate-model", "--posterior", folder, "-n", 2, "-q") == 2
    err = capsys.readouterr().err
    message = one_paragraph(err)
    assert f"{folder / 'manifest.json'}: 'parameters' has no prior for patron.instigation" \
        in message and len(err.strip().splitlines()) == 1


def test_the_documented_bounds_are_the_code_s():
    root = Path(__file__).resolve().parents[1] / "docs"
    cli_page = (root / "cli.md").read_text(encoding="utf-8")
    sweeps = " ".join((root / "sweeps.md").read_text(encoding="utf-8").split())
    assert f"capped, with a note, at {limits.WORKERS_PER_CPU} per usable CPU" in cli_page
    assert f"at {limits.WORKERS_PER_CPU} worker processes per usable CPU" in sweeps
    assert "a quarter of the process slots" in sweeps and limits.SLOTS_PER_WORKER == 4
    assert f"exceeds {limits.LONG_SWEEP_SECONDS / 60:.0f} minutes" in sweeps.replace("ten", "10")
    assert f"(timed on {engine.SEED_SAMPLE:,} seeds)" in sweeps
    assert "about {} bytes per run plus {} per swept parameter".format(
        *limits.PLAN_BYTES_PER_RUN) in sweeps
    assert f"within {2 * executors.SCHEDULER_TIMEOUT} s" in sweeps
    assert f"above {limits.MAX_SWEEP_RUNS:,} runs" in sweeps


def test_an_absurd_run_is_advised_fewer_replications(monkeypatch, capsys):
    monkeypatch.setattr("leverage_sim.simulation.runner.run_memory_limit", lambda: 1000)  # bytes
    assert cli("run", "june_2020_replay", "-n", 10**23, "-q") == 2
    err = capsys.readouterr().err
    assert "Use fewer replications: even as sweeps" in err and "leverage-sim sweep" not in err


@pytest.mark.parametrize("folder, says", [("missing", "(it does not exist)"),
                                          ("file.yaml", "(it is a file)")])
def test_a_scenario_dir_that_is_not_a_folder_is_said(folder, says, tmp_path, capsys):
    (tmp_path / "file.yaml").write_text("name: x\n")
    assert cli("list", "--scenario-dir", tmp_path / folder) == 2
    assert says in one_paragraph(capsys.readouterr().err)


def test_a_plan_too_large_for_memory_is_refused_before_the_design(tmp_path, monkeypatch,
                                                                    capsys):
    def stop(*a):
        raise AssertionError("the design was built")

    monkeypatch.setattr(engine, "build_design", stop)
    monkeypatch.setattr(limits, "memory_available", lambda: 100 * 2**20)  # bytes
    assert cli("sweep", "june_2020_replay", "--design", "lhs", "--samples", 5_000_000,
               "--param", "foreign_forces.backing=0:1", "--out", tmp_path / "s") == 2
    message = one_paragraph(capsys.readouterr().err)
    assert "5,000,000 runs" in message and "more than the 100.0 MB available" in message
    assert not (tmp_path / "s").exists()


class _Clock:
    """A stand-in for ``time`` in the runner: ``perf_counter`` reads a clock that only the
    replications move (:func:`_timed_replications`)."""

    def __init__(self) -> None:
        self.now = 0.0

    def perf_counter(self) -> float:
        return self.now


def _timed_replications(monkeypatch, seconds: list[float]) -> _Clock:
    """Make replication ``i`` of a run take ``seconds[i]`` on a fake clock (the last entry for
    the rest)."""
    from leverage_sim.simulation import runner

    clock, real = _Clock(), runner.run_one

    def run_one(scenario, seed, replication):
        clock.now += seconds[min(replication, len(seconds) - 1)]
        return real(scenario, seed, replication)

    monkeypatch.setattr(runner, "time", clock)
    monkeypatch.setattr(runner, "run_one", run_one)
    return clock


def test_a_runs_time_is_estimated_without_its_one_time_costs(monkeypatch, capsys):
    """The long-run note times a replication after the first, which pays one-time costs (the
    fast path's compilation, reading the posterior): a run whose first replication took 100 s
    and the others 0.01 s says nothing (it announced '20 min' for 12 replications of 0.01 s),
    one whose replications take 20 s each says it will take 4 minutes."""
    from leverage_sim.simulation import runner

    _timed_replications(monkeypatch, [100.0, 0.01])
    runner.run("june_2020_replay", 12, posterior=None)
    assert "will take" not in capsys.readouterr().err
    _timed_replications(monkeypatch, [20.0])
    runner.run("june_2020_replay", 12, posterior=None)
    assert "note: 12 replications will take about 4.0 min" in capsys.readouterr().err
