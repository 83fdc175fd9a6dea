#!/usr/bin/env bash
# Set everything up and run the whole test suite (GUI tests run offscreen):
# the linter (ruff) and the import contracts (import-linter) first, then pytest.
# The store's, scoring's, import's and reports' tests also run on PostgreSQL: a
# throwaway server of our own (scripts/pg_test_server.sh, installed from the
# distribution's packages when missing), stopped and removed at the end, even on failure.
# Where no server can be started the PostgreSQL runs are skipped, with the reason, except
# under CI (CI set), which must run them all and so fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test-tools
.venv/bin/ruff check --quiet workbench tests bench scripts
.venv/bin/lint-imports --no-cache

if [ -z "${WORKBENCH_TEST_PG_URL:-}" ]; then
    pg_parent=$(mktemp -d "${TMPDIR:-/tmp}/wbpg.XXXXXX")
    trap 'bash scripts/pg_test_server.sh stop "$pg_parent/srv"; rm -rf "$pg_parent"' EXIT
    if url=$(bash scripts/pg_test_server.sh start "$pg_parent/srv"); then
        export WORKBENCH_TEST_PG_URL="$url"
    elif [ -n "${CI:-}" ]; then
        echo "PostgreSQL could not be started: CI runs every PostgreSQL test, so this run fails" >&2
        exit 1
    else
        echo "PostgreSQL could not be started: the PostgreSQL runs of the tests are skipped" >&2
    fi
fi
.venv/bin/python -m pytest "$@"
