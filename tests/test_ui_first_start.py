"""The real start on a laptop's screen (issue 12), each start a process of its own on an offscreen
screen of that size: the first asks the evaluator's name and opens maximized with the status bar on
screen; the next asks nothing and reopens the agency and measure left open."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.demo.build import build_demo

pytestmark = pytest.mark.gui
PROBE = Path(__file__).with_name("first_start_probe.py")


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1280, 720)], ids=["1366x768", "1280x720"])
def test_first_start_and_the_next_on_a_laptop_screen(tmp_path, width, height):
    db = build_demo(tmp_path / "demo.sqlite", agencies=6)
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": width,
                                               "height": height, "logicalDpi": 96}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
           "WORKBENCH_DATA_DIR": str(tmp_path / "userdata"),
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent.parent), str(Path(__file__).parent)])}

    def start(step: str) -> dict:
        done = subprocess.run([sys.executable, str(PROBE), str(db), step], env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    first = start("first")
    assert first["screen"] == [0, 0, width, height]
    assert first["asked"] and first["actor"] == "مریم احمدی" and first["exit"] == 0
    assert first["maximized"] and first["status_bar_inside"]
    x, y, w, h = first["window"]
    assert x >= 0 and y >= 0 and x + w <= width and y + h <= height  # nothing below the screen's edge
    assert first["title"].count("میز کار ارزیاب") == 0  # Qt adds the program's name once itself

    second = start("second")
    assert not second["asked"] and second["actor"] == "مریم احمدی"
    assert (second["agency"], second["measure"]) == (first["opened"], "4.3")
