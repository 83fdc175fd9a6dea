"""The frozen (PyInstaller) program never starts spawned worker processes.

Its entry point has no ``multiprocessing.freeze_support``: a spawned child
would run the whole program again instead of drawing a chart or a summary.
"""
from __future__ import annotations

import sys

import pytest

from workbench.reports import chart_jobs, summary_batch


@pytest.fixture
def many_cores(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 8)


def test_workers_when_running_from_source(many_cores):
    assert summary_batch.default_workers(2500) == 4
    assert chart_jobs.default_workers(200) == 4


def test_frozen_program_works_in_process(many_cores, monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert summary_batch.default_workers(2500) == 1  # report summary --all
    assert chart_jobs.default_workers(200) == 1  # report ranking
