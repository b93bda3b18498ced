# One-command entry points (see README). `make run` and `make test` create .venv from python3
# (>= 3.11) and install the package on first use.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
OUT     ?= results/june_2020_replay

.PHONY: install run test notebooks clean calibrate

$(STAMP): pyproject.toml
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "leverage-sim needs Python >= 3.11; set PY=python3.12 (or newer)")'
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/leverage-sim run june_2020_replay --replications 200 --out $(OUT) --force

test: $(STAMP) browser-deps
	$(BIN)/python -m pytest -n auto --dist loadfile

# The dashboard (`make dashboard`, then open http://127.0.0.1:8765/) and what its browser test
# needs: Debian's chromium (best effort, never fails) and solara's front-end files via npm.
.PHONY: dashboard browser-deps
dashboard: $(STAMP)
	$(BIN)/leverage-sim dashboard $(ARGS)

browser-deps: $(STAMP)
	@bash scripts/ensure_chromium.sh
	@$(BIN)/python -m leverage_sim.dashboard.assets || true

# Re-execute the notebooks in place with their full settings, keeping the outputs (about 6
# minutes on 2 cores from scratch; sweeps are kept in results/notebooks/ and resumed).
notebooks: $(STAMP)
	$(BIN)/jupyter execute --inplace --timeout=3600 notebooks/*.ipynb

# Execute the notebooks (full settings; the .ipynb files are not changed) and render
# them to docs/notebooks/NAME.md with their charts in NAME_files/ (docs/reports.md links them).
.PHONY: docs-notebooks
docs-notebooks: $(STAMP)
	$(BIN)/python -m leverage_sim.outputs.notebook_pages --execute notebooks/*.ipynb --out docs/notebooks

# Refit the shipped calibration (calibration/default.yaml) on all cores (within 30 minutes on
# 2 cores) into calibration/default/ (committed, but for its reference table or SMC history:
# reference.parquet, history.db; both git-ignored), then regenerate the
# posterior table in docs/calibration.md and docs/explore.md's worked example (it reads the
# committed calibration). Then run `make docs-notebooks` (notebook 05 reads it too).
calibrate: $(STAMP)
	$(BIN)/leverage-sim calibrate calibration/default.yaml --out calibration/default --force
	@$(MAKE) --no-print-directory validation
	$(BIN)/python scripts/explore_example.py

# Score the committed calibration on the held-out episodes again, without refitting (after
# adding or editing a held-out episode), and regenerate docs/calibration.md's tables.
.PHONY: validation
validation: $(STAMP)
	$(BIN)/leverage-sim validate-model -n 200 --seed 2020 --out calibration/default_validation --force -q
	$(BIN)/python -m leverage_sim.calibration.table

clean:
	rm -rf $(VENV) results .pytest_cache .hypothesis
