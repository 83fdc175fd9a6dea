"""The house rules that CI enforces (ruff, import-linter) really fail when broken.

scripts/test.sh runs ``ruff check`` and ``lint-imports`` before pytest; these tests
break each rule on purpose in a throwaway tree and check that the tool says no.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent


def test_ruff_refuses_a_redefined_name(tmp_path):
    # The bug it would have caught: evidence_panel imported describe() and defined another.
    bad = tmp_path / "panel.py"
    bad.write_text("from os.path import join as describe\n\n\ndef describe(ev):\n    return ev\n")
    done = subprocess.run(
        [BIN / "ruff", "check", "--config", ROOT / "pyproject.toml", bad], capture_output=True, text=True
    )
    assert done.returncode == 1 and "F811" in done.stdout


def test_ruff_passes_the_project():
    done = subprocess.run([BIN / "ruff", "check", "workbench", "tests", "bench", "scripts"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


def test_import_contract_refuses_qt_in_the_model(tmp_path):
    pkg = tmp_path / "house"
    (pkg / "model").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "model" / "__init__.py").write_text("")
    (pkg / "model" / "scores.py").write_text("from PySide6.QtCore import QObject\n")
    config = tmp_path / ".importlinter"
    config.write_text(textwrap.dedent("""
        [importlinter]
        root_package = house
        include_external_packages = True

        [importlinter:contract:no-qt]
        name = The model knows no Qt
        type = forbidden
        source_modules = house.model
        forbidden_modules = PySide6
    """))
    done = subprocess.run([BIN / "lint-imports", "--config", config, "--no-cache"], cwd=tmp_path,
                          capture_output=True, text=True, env={"PYTHONPATH": str(tmp_path), "PATH": str(BIN)})
    assert done.returncode == 1, done.stdout + done.stderr
    assert "BROKEN" in done.stdout and "house.model.scores" in done.stdout


def test_no_module_under_workbench_is_over_450_lines():
    """Modules stay small and named for what they hold (tests may be longer)."""
    limit = 450
    long = {str(p.relative_to(ROOT)): n for p in sorted((ROOT / "workbench").rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > limit}
    assert long == {}, f"over {limit} lines — split by what the parts hold: {long}"
