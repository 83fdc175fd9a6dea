"""The charts' canvas: each distinct text shaped once per process, the pictures unchanged."""
from __future__ import annotations

import numpy as np
from PIL import Image

from workbench.model.text import persian_digits
from workbench.reports import chart_canvas, charts
from workbench.reports.chart_jobs import ChartJob, batches
from workbench.reports.chart_labels import Labels

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
    assert after.rasterised == before.rasterised  # every glyph's bitmap too
    assert after.raster_reused - before.raster_reused > 20 * len(LABELS)
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



LONG_ASSUMPTIONS = "فرض‌ها: " + "، ".join(f"امتیاز شاخص {persian_digits(i)} در راهنما نیامده و فرضی است" for i in range(1, 12))


def _texts_inside_and_apart(fig) -> None:
    """Every text inside the figure; the title lines above the plot and its tick labels, the legend below."""
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()] + fig.findobj(Labels)
    assert len(fig.findobj(Labels)) >= 2  # the names and the values or cells
    for t in texts:
        box = t.get_window_extent(renderer)
        what = t.get_text()[:40] if isinstance(t, Text) else t.texts[0]
        assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, what
        assert frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1, what
    ax = fig.axes[0]
    plot = Bbox.union([ax.get_tightbbox(renderer), *(a.get_window_extent(renderer) for a in ax.findobj(Labels))])
    for t in fig.texts:  # the title and the notes
        assert t.get_window_extent(renderer).y0 >= plot.y1 - 1, t.get_text()[:40]
    for legend in fig.legends:
        assert legend.get_window_extent(renderer).y1 <= min(a.get_tightbbox(renderer).y0 for a in fig.axes) + 1


def test_nothing_cut_or_overlapping_with_long_names_and_a_long_assumption_line(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    kept = []
    real = Figure.savefig
    monkeypatch.setattr(Figure, "savefig", lambda self, *a, **k: (kept.append(self), real(self, *a, **k))[1])
    long_labels = [f"{persian_digits(i + 1)}. " + "اداره کل " * 12 for i in range(40)]
    charts.bar_chart(long_labels, [90.0 - i for i in range(40)], ["#1b7837"] * 40,
                     [charts.LegendEntry("عالی: ۸۵٪ و بالاتر", "#1b7837")] * 5, "آزمون", tmp_path / "b",
                     assumptions=LONG_ASSUMPTIONS, svg=False)
    charts.heat_map(long_labels, COLUMNS, CELLS * 4, "آزمون", tmp_path / "h", assumptions=LONG_ASSUMPTIONS,
                    svg=False)
    for fig in kept:
        notes = fig.texts[-1].get_text()
        assert notes.count("\n") >= 2  # the assumption line wrapped to the chart's width, not cut
        assert notes.replace("\n", " ").endswith(LONG_ASSUMPTIONS)
        _texts_inside_and_apart(fig)


def test_a_chart_is_drawn_once_no_layout_pass(tmp_path, monkeypatch):
    """The layout is measured from the chart's texts; matplotlib's layout engine drew every chart twice."""
    from matplotlib.figure import Figure

    draws = []
    real = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, renderer: (draws.append(self), real(self, renderer))[1])
    draw_both(tmp_path, "once")
    assert len(draws) == 2 and len(set(map(id, draws))) == 2
    assert all(fig.get_layout_engine() is None for fig in draws)


def test_labels_are_one_artist_each_not_a_text_per_cell(tmp_path, monkeypatch):
    """The heat map's cells, the names and the bars' values: three lists drawn by one artist each."""
    from matplotlib.figure import Figure

    kept = []
    real = Figure.savefig
    monkeypatch.setattr(Figure, "savefig", lambda self, *a, **k: (kept.append(self), real(self, *a, **k))[1])
    draw_both(tmp_path, "artists")
    bars, heat = kept
    cells = sum(1 for row in CELLS for v in row if v != charts.NOT_APPLICABLE)
    for fig, counts in ((bars, [len(LABELS), len(LABELS)]), (heat, [len(LABELS), cells])):
        ax = fig.axes[0]
        assert len(ax.texts) == 0 and ax.get_yticks().size == 0  # no Text per label, no tick per name
        assert sorted(len(a.texts) for a in ax.findobj(Labels)) == sorted(counts)
    names = next(a for a in heat.axes[0].findobj(Labels) if len(a.texts) == len(LABELS))
    assert names.texts == [charts.short_name(t) for t in LABELS]
