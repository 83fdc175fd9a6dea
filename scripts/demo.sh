#!/usr/bin/env bash
# Set everything up, build a demo database and open the workbench on it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
DB="${1:-demo/demo.sqlite}"
if [ ! -f "$DB" ]; then
    .venv/bin/workbench demo "$DB"
fi
exec .venv/bin/workbench --db "$DB"
