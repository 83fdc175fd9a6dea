"""The charts' canvas: each distinct text shaped once per process, the pictures unchanged."""
from __future__ import annotations

import numpy as np
from PIL import Image

from workbench.model.text import persian_digits
from workbench.reports import chart_canvas, charts
from workbench.reports.chart_jobs import ChartJob, batches

LABELS = [f"{persian_digits(i + 1)}. سازمان صنعت، معدن و تجارت استان شمارهٔ {persian_digits(i + 1)}" for i in range(12)]
CELLS = [[(7 * r + 13 * c) % 101 if (r + c) % 5 else charts.NOT_APPLICABLE for c in range(11)] for r in range(12)]
COLUMNS = [persian_digits(c + 1) for c in range(11)]


def pixels(path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGBA"))


def draw_both(tmp_path, name: str) -> list:
    values = [95.0 - 7 * i for i in range(12)]
    bars = charts.bar_chart(LABELS, values, ["#1b7837"] * 12, [charts.LegendEntry("عالی", "#1b7837")],
                            "آزمون", tmp_path / f"{name}-bars", svg=False)
    heat = charts.heat_map(LABELS, COLUMNS, CELLS, "آزمون", tmp_path / f"{name}-heat", svg=False)
    return [bars.png, heat.png]


def test_charts_are_the_same_pixels_as_on_the_plain_canvas(tmp_path, monkeypatch):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    cached = draw_both(tmp_path, "cached")
    monkeypatch.setattr(chart_canvas, "ChartCanvas", FigureCanvasAgg)
    plain = draw_both(tmp_path, "plain")
    for a, b in zip(cached, plain):
        assert np.array_equal(pixels(a), pixels(b)), a.name


def test_each_text_is_shaped_once_per_process(tmp_path):
    draw_both(tmp_path, "first")
    before = chart_canvas.TextCounts(**vars(chart_canvas.counts))
    draw_both(tmp_path, "again")
    after = chart_canvas.counts
    assert after.laid_out == before.laid_out  # every label, title and number of the second pair was reused
    assert after.measured == before.measured
    # every name and cell number was drawn again, from the shapes kept
    assert after.layout_reused - before.layout_reused >= 2 * len(LABELS) + sum(
        1 for row in CELLS for v in row if v != charts.NOT_APPLICABLE
    )


def test_a_groups_charts_go_to_one_worker_together():
    jobs = [ChartJob("01-bars", "bar_chart", batch="01"), ChartJob("02-bars", "bar_chart", batch="02"),
            ChartJob("01-heatmap", "heat_map", batch="01"), ChartJob("avg", "bar_chart"),
            ChartJob("02-heatmap", "heat_map", batch="02")]
    assert [[j.key for j in b] for b in batches(jobs)] == [
        ["01-bars", "01-heatmap"], ["02-bars", "02-heatmap"], ["avg"]
    ]

