"""The examples of the README and the docs pages run, so they cannot rot; the generated
parameter reference matches the schema.

Rule for examples (keep it in mind when writing the README or a page of ``PAGES``):

- In every ```bash block, each line starting with ``leverage-sim`` whose verb is one of
  ``FAST_VERBS`` runs, in page order (``PAGES``, then each page top to bottom), in one temporary
  folder, through the real entry point (``leverage_sim.cli.main.main``), and must exit 0. Other
  lines (``make``, ``jupyter``, shell set-up) and other verbs (``sweep``, ``rerun``,
  ``dashboard``, ``completion``: long, interactive or writing outside the folder; tested in
  their own modules) are skipped.
- ``--replications N`` / ``-n N`` is lowered to 3 (and ``run``/``compare`` without it get
  ``-n 3``), so examples may ask for realistic sizes.
- ``COMMAND > FILE`` writes the command's output to FILE; ``# comments`` are ignored; a line
  ending in ``\\`` continues on the next.
- A ```yaml block whose first line is ``# file: NAME`` is written to NAME in that folder before
  the commands run, so scenario examples are validated and run too.
- Every ```python block runs (in a folder of its own) with ``replications=N`` and
  ``scenarios=N`` lowered to 3, except on the pages of ``PYTHON_NOT_RUN``, which say why.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from leverage_sim.cli.main import main
from leverage_sim.scenario.param_reference import docs_block

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("README.md", "docs/scenarios.md", "docs/cli.md", "docs/sweeps.md",
         "docs/notebooks.md", "docs/dashboard.md", "docs/mesa_and_ema.md",
         "docs/performance.md", "docs/parameters.md")
PYTHON_NOT_RUN = {
    "docs/sweeps.md": "its example runs two full shipped sweeps (2,086 runs); the same calls "
                      "are tested on small sweeps in test_sweep_run.py",
}
FAST_VERBS = {"list", "show", "validate", "params", "run", "compare"}
SMALL = "3"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.DOTALL | re.MULTILINE)
SIZES = re.compile(r"\b(replications|scenarios)=\d[\d_]*")


def blocks(lang: str, pages: tuple[str, ...] = PAGES) -> list[tuple[str, str]]:
    """(page, body) of every ```lang block of ``pages``, in order."""
    return [(page, body) for page in pages
            for kind, body in BLOCK.findall((ROOT / page).read_text(encoding="utf-8"))
            if kind == lang]


def commands(pages: tuple[str, ...] = PAGES) -> list[list[str]]:
    """The pages' runnable leverage-sim commands, as argument lists (see module docstring)."""
    out = []
    for _, body in blocks("bash", pages):
        for line in body.replace("\\\n", " ").splitlines():
            args = shlex.split(line, comments=True)
            if len(args) > 1 and args[0] == "leverage-sim" and args[1] in FAST_VERBS:
                out.append(args[1:])
    return out


def example_files() -> dict[str, str]:
    files = {}
    for _, body in blocks("yaml"):
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


def test_pages_have_examples_of_every_fast_verb() -> None:
    assert {c[0] for c in commands()} == FAST_VERBS
    assert "my_scenario.yaml" in example_files()
    assert {c[0] for c in commands(("README.md",))} == {"run", "compare", "list", "params"}


def test_page_commands_run(tmp_path, monkeypatch, capsys) -> None:
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


PYTHON_EXAMPLES = [(page, i + 1, body) for page in PAGES if page not in PYTHON_NOT_RUN
                   for i, (_, body) in enumerate(blocks("python", (page,)))]


@pytest.mark.parametrize("page, index, code", PYTHON_EXAMPLES,
                         ids=[f"{p}#{i}" for p, i, _ in PYTHON_EXAMPLES])
def test_page_python_examples_run(page, index, code, tmp_path, monkeypatch) -> None:
    if "ema_workbench" in code:
        pytest.importorskip("ema_workbench", reason="the [ema] extra is not installed")
    monkeypatch.chdir(tmp_path)
    example = compile(SIZES.sub(rf"\1={SMALL}", code), f"{page} (python block)", "exec")
    exec(example, {"__name__": "__main__"})  # noqa: S102 - running the examples is the point


def test_scenario_page_lists_every_library_scenario() -> None:
    text = (ROOT / "docs/scenarios.md").read_text(encoding="utf-8")
    for f in (ROOT / "scenarios").glob("*.yaml"):
        assert f"| `{f.stem}` |" in text, f"add {f.stem} to the table in docs/scenarios.md"


def test_readme_links_every_docs_page() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in (ROOT / "docs").glob("*.md"):
        assert f"](docs/{page.name})" in readme, f"link docs/{page.name} from the README"


@pytest.mark.parametrize("doc", ["docs/parameters.md", "docs/model.md"])
def test_parameter_reference_matches_the_schema(doc: str) -> None:
    assert docs_block() in (ROOT / doc).read_text(encoding="utf-8"), (
        f"{doc} is out of date: run `python -m leverage_sim.scenario.param_reference docs/parameters.md "
        "docs/model.md`")
