"""The README's examples run, so they cannot rot; the generated docs match the schema.

Rule for README examples (keep it in mind when writing README sections):

- In every ```bash block, each line starting with ``leverage-sim`` whose verb is one of
  ``FAST_VERBS`` runs, in README order, in one temporary folder, through the real entry point
  (``leverage_sim.cli.main.main``), and must exit 0. Other lines (``make``, ``jupyter``, shell
  set-up) and other verbs (``sweep``, ``rerun``, ``dashboard``: long or interactive, tested in
  their own modules) are skipped.
- ``--replications N`` / ``-n N`` is lowered to 3 (and ``run``/``compare`` without it get
  ``-n 3``), so examples may ask for realistic sizes.
- ``COMMAND > FILE`` writes the command's output to FILE; ``# comments`` are ignored; a line
  ending in ``\\`` continues on the next.
- A ```yaml block whose first line is ``# file: NAME`` is written to NAME in that folder before
  the commands run, so README scenario examples are validated and run too.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from leverage_sim.cli.main import main
from leverage_sim.param_reference import docs_block

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FAST_VERBS = {"list", "show", "validate", "params", "run", "compare"}
SMALL = "3"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.DOTALL | re.MULTILINE)


def blocks(lang: str) -> list[str]:
    return [body for kind, body in BLOCK.findall(README.read_text(encoding="utf-8"))
            if kind == lang]


def commands() -> list[list[str]]:
    """The README's runnable leverage-sim commands, as argument lists (see module docstring)."""
    out = []
    for body in blocks("bash"):
        for line in body.replace("\\\n", " ").splitlines():
            args = shlex.split(line, comments=True)
            if len(args) > 1 and args[0] == "leverage-sim" and args[1] in FAST_VERBS:
                out.append(args[1:])
    return out


def example_files() -> dict[str, str]:
    files = {}
    for body in blocks("yaml"):
        first, _, rest = body.partition("\n")
        if first.startswith("# file: "):
            files[first.removeprefix("# file: ").strip()] = rest
    return files


def shrink(args: list[str]) -> list[str]:
    """Replications lowered (or set) to SMALL for ``run`` and ``compare``."""
    flags = ("-n", "--replications")
    if args[0] in ("run", "compare") and not any(a in flags for a in args):
        args = [*args, "-n", SMALL]
    return [SMALL if i and args[i - 1] in flags else a for i, a in enumerate(args)]


def test_readme_has_examples_of_every_fast_verb() -> None:
    assert {c[0] for c in commands()} == FAST_VERBS
    assert "my_scenario.yaml" in example_files()


def test_readme_commands_run(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    for name, text in example_files().items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    for args in commands():
        target = None
        if ">" in args:
            i = args.index(">")
            args, target = args[:i], args[i + 1]
        code = main(shrink(args))
        out, err = capsys.readouterr()
        assert code == 0, f"`leverage-sim {' '.join(args)}` failed: {err}"
        if target:
            (tmp_path / target).write_text(out, encoding="utf-8")
    assert (tmp_path / "results").is_dir()


def test_readme_lists_every_library_scenario() -> None:
    text = README.read_text(encoding="utf-8")
    for f in (ROOT / "scenarios").glob("*.yaml"):
        assert f"| `{f.stem}` |" in text, f"add {f.stem} to the README's scenario table"


@pytest.mark.parametrize("doc", ["README.md", "docs/model.md"])
def test_parameter_reference_matches_the_schema(doc: str) -> None:
    assert docs_block() in (ROOT / doc).read_text(encoding="utf-8"), (
        f"{doc} is out of date: run `python -m leverage_sim.param_reference README.md "
        "docs/model.md`")
