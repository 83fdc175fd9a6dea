#!/usr/bin/env bash
# Set everything up and run the whole test suite (GUI tests run offscreen):
# the linter (ruff) and the import contracts (import-linter) first, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test-tools
.venv/bin/ruff check --quiet workbench tests bench scripts
.venv/bin/lint-imports --no-cache
exec .venv/bin/python -m pytest "$@"
