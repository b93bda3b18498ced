"""The model's headline figures: the June 2020 replay against its targets and the comparative
statics, as docs/model.md quotes them, at any number of replications. The computations are
those of ``scripts/docs_figures.py`` (figures ``model_replay`` and ``model_statics``), which
writes them into docs/model.md at its own count; every run uses the scenario's own values
(posterior none).

    .venv/bin/python benchmarks/model_figures.py            # 200 replications a figure
    .venv/bin/python benchmarks/model_figures.py --n 50     # quicker, noisier

Prints figures; asserts nothing (the tests do).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("docs_figures", ROOT / "scripts/docs_figures.py")
docs_figures = sys.modules["docs_figures"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(docs_figures)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=docs_figures.MODEL_RUNS,
                    help=f"replications per figure (default {docs_figures.MODEL_RUNS})")
    ap.add_argument("--only", choices=("replay", "statics"), action="append")
    args = ap.parse_args()
    parts = {"replay": docs_figures.replay_measures, "statics": docs_figures.statics_measures}
    for part in args.only or parts:
        print(f"{part} ({args.n} runs, posterior none)")
        for name, text in parts[part](args.n).items():
            print(f"  {name}: {text}")


if __name__ == "__main__":
    main()
