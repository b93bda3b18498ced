"""Rendered notebooks for the docs: ``docs/notebooks/NAME.md`` with the charts as PNG files
beside it (``NAME_files/``), so the notebooks' outputs can be read without running them.

``make docs-notebooks`` runs ``python -m leverage_sim.outputs.notebook_pages --execute
notebooks/*.ipynb --out docs/notebooks``: each notebook is executed (full settings, or
``--small`` for the test suite's quick ones) in its own folder, then converted with nbconvert's
Markdown exporter. The notebooks in ``notebooks/`` are left unchanged. Needs the ``test`` extra
(nbclient, nbconvert, ipykernel).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from leverage_sim.errors import InputError


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
    return 0


if __name__ == "__main__":
    sys.exit(main())
