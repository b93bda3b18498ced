"""Rendered notebooks for the docs: ``docs/notebooks/NAME.md`` with the charts as PNG files
beside it (``NAME_files/``), so the notebooks' outputs can be read without running them.

``make docs-notebooks`` runs ``python -m leverage_sim.outputs.notebook_pages --execute
notebooks/*.ipynb --out docs/notebooks``: each notebook is executed (full settings, or
``--small`` for the test suite's quick ones) in its own folder, then converted with nbconvert's
Markdown exporter. The notebooks in ``notebooks/`` are left unchanged. Needs the ``test`` extra
(nbclient, nbconvert, ipykernel).

A page executed with full settings is stamped in ``inputs.json`` beside it with the hash of
what its figures came from (:data:`PAGE_INPUTS` and the notebook): a test fails when a page's
stamp is not that of the current files, i.e. when the page must be rendered again.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from leverage_sim.errors import InputError
from leverage_sim.files.inputs_hash import inputs_hash
from leverage_sim.simulation.provenance import PROJECT

PAGE_INPUTS = ("src/leverage_sim", "scenarios", "episodes", "calibration/default.yaml",
               "calibration/default/posterior.parquet")
"""What a notebook's figures depend on (relative to the project; folders by their .py and
.yaml files): the package, the scenarios and episodes, the shipped calibration."""
NOT_INPUTS = ("src/leverage_sim/cli", "src/leverage_sim/dashboard", "src/leverage_sim/ema")
"""Parts of the package no notebook uses."""
STAMPS = "inputs.json"


def page_inputs_hash(notebook: Path) -> str:
    """The hash of what the page of ``notebook`` is computed from: the notebook and
    :data:`PAGE_INPUTS`."""
    return inputs_hash(PROJECT, [*PAGE_INPUTS, notebook.resolve().relative_to(PROJECT)
                                 .as_posix()], NOT_INPUTS)


def stamp(out: Path, notebook: Path) -> None:
    """Record in ``out/inputs.json`` the inputs hash of ``notebook``'s freshly executed page."""
    path = out / STAMPS
    stamps = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    stamps[notebook.stem] = page_inputs_hash(notebook)
    path.write_text(json.dumps(dict(sorted(stamps.items())), indent=2) + "\n", encoding="utf-8")


def execute(path: Path, small: bool = False, kernel: str | None = None,
            timeout: int = 3600) -> object:
    """The notebook at ``path`` executed in its folder (``LEVERAGE_SIM_SMALL=1`` when
    ``small``), as an ``nbformat`` node; the file itself is not changed."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    previous = os.environ.get("LEVERAGE_SIM_SMALL")
    os.environ["LEVERAGE_SIM_SMALL"] = "1" if small else "0"
    try:
        NotebookClient(nb, timeout=timeout, kernel_name=kernel or "python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        if previous is None:
            os.environ.pop("LEVERAGE_SIM_SMALL")
        else:
            os.environ["LEVERAGE_SIM_SMALL"] = previous
    return nb


def render(nb: object, name: str, out: Path) -> Path:
    """Write notebook ``nb`` (with its outputs) as ``out/NAME.md`` and its images as
    ``out/NAME_files/*.png``; returns the Markdown file. Images of an earlier rendering of the
    same notebook are replaced."""
    from nbconvert import MarkdownExporter
    from nbconvert.writers import FilesWriter

    files = out / f"{name}_files"
    if files.is_dir():
        for old in files.iterdir():
            if old.suffix in (".png", ".svg", ".jpg"):
                old.unlink()
    body, resources = MarkdownExporter().from_notebook_node(
        nb, resources={"output_files_dir": f"{name}_files", "unique_key": name})
    written = FilesWriter(build_directory=str(out)).write(body, resources, notebook_name=name)
    return Path(written)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: see the module docstring."""
    p = argparse.ArgumentParser(prog="python -m leverage_sim.outputs.notebook_pages",
                                description=__doc__.split("\n\n")[0])
    p.add_argument("notebooks", nargs="+", type=Path, help="notebook files (.ipynb)")
    p.add_argument("--out", type=Path, default=Path("docs/notebooks"), help="output folder")
    p.add_argument("--execute", action="store_true",
                   help="run each notebook first (otherwise its stored outputs are used)")
    p.add_argument("--small", action="store_true", help="with --execute: quick settings")
    p.add_argument("--kernel", default=None, help="Jupyter kernel name (default python3)")
    args = p.parse_args(argv)
    import nbformat

    args.out.mkdir(parents=True, exist_ok=True)
    for path in args.notebooks:
        if path.suffix != ".ipynb" or not path.is_file():
            raise InputError(f"'{path}' is not a notebook file (.ipynb).")
        nb = (execute(path, args.small, args.kernel) if args.execute
              else nbformat.read(path, as_version=4))
        print(f"{path} -> {render(nb, path.stem, args.out)}")
        if args.execute and not args.small and path.resolve().is_relative_to(PROJECT):
            stamp(args.out, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
