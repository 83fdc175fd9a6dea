"""The domain and the headless commands import with no Qt loaded.

Run in a fresh interpreter: in the test process other tests may already have
imported PySide6.
"""
from __future__ import annotations

import subprocess
import sys

PROBE = r"""
import importlib, pkgutil, sys
import workbench.model
names = ["workbench.model"] + [
    m.name for m in pkgutil.walk_packages(workbench.model.__path__, "workbench.model.")
    if ".migrations" not in m.name  # Alembic scripts run only inside an upgrade
]
names += ["workbench.demo.build", "workbench.commands.score", "workbench.commands.demo", "workbench.cli"]
for name in names:
    importlib.import_module(name)
# Build the parser too: it imports every sub-command module.
import workbench.cli
workbench.cli.build_parser()
qt = sorted(m for m in sys.modules if m.startswith("PySide6") or m.startswith("shiboken6"))
print(f"COUNT={len(names)}")
print(f"QT={','.join(qt)}")
"""


def test_model_imports_without_qt():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    assert int(out["COUNT"]) >= 12  # the walk found the model's modules, not an empty package
    assert out["QT"] == "", f"Qt modules loaded by the model: {out['QT']}"


def test_probe_would_see_qt():
    """The check can fail: importing Qt in the same way is noticed."""
    probe = PROBE.replace("names += [", "import PySide6.QtCore\nnames += [")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "PySide6.QtCore" in result.stdout.split("QT=", 1)[1]
