"""Ranking charts as PNG and SVG, drawn with matplotlib in the bundled Vazirmatn.

Plain data in, files out; nothing here knows the database.  matplotlib is
imported inside the functions so the window does not pay for it at start-up,
and only ``matplotlib.figure.Figure`` is used (never ``pyplot``), so no global
backend is chosen and a chart can be drawn from a worker thread.
matplotlib (3.11 and later) shapes Persian and orders it right-to-left itself.

Reading direction: a Persian reader starts at the right, so the agency names
sit on the right and the bars grow leftward from them (the value axis runs
100 ← 0); the first rank is at the top.  In the heat map indicator 1 is the
rightmost column.  Legends list their entries right to left, swatch on the
right of its label.

Large groups: the bar chart and the heat map show at most :data:`TOP_N`
agencies, the first ranks, and say so in their subtitle; the full list is the
worksheet beside them.  Forty rows keep names and numbers at a readable size
on one screen or page; a chart of 2,500 bars would be a grey smear.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

from workbench.model import terms
from workbench.model.text import format_number, persian_digits

TOP_N = 40
#: Marks an indicator that does not apply (عدم مصداق) in a heat-map cell.
NOT_APPLICABLE = "NA"
PNG_DPI = 110
NAME_CHARS = 56  # longer names are shortened with «…» (the sheet has them in full)
NA_COLOR = "#d9d9d9"
NA_HATCH = "////"
MISSING_TEXT = "—"

_font_lock = threading.Lock()
_font_family: str | None = None


@dataclass
class ChartFiles:
    png: Path
    svg: Path | None  # written only when asked (``svg=True``): drawing it cost as much as the PNG
    width_in: float
    height_in: float
    shown: int = 0  # rows drawn
    total: int = 0  # rows there were


@dataclass
class LegendEntry:
    label: str
    color: str


def font_family() -> str:
    """Register Vazirmatn from ``resources/fonts`` (once) and return its family name."""
    global _font_family
    with _font_lock:
        if _font_family is None:
            from matplotlib import font_manager

            from workbench.paths import resource_path

            names = []
            for weight in ("Regular", "Bold"):
                path = resource_path("fonts", f"Vazirmatn-{weight}.ttf")
                font_manager.fontManager.addfont(str(path))
                names.append(font_manager.FontProperties(fname=str(path)).get_name())
            _font_family = names[0]
    return _font_family


def _rc() -> dict:
    return {
        "font.family": font_family(),
        "font.size": 9,
        "axes.unicode_minus": False,
        "svg.fonttype": "path",  # the SVG shows the same glyphs on a machine without Vazirmatn
        # Agency names come from agencies' files: a "$" in one must not start mathtext.
        "text.parse_math": False,
        "axes.spines.top": False,
        "axes.spines.left": False,
    }


def short_name(name: str, limit: int = NAME_CHARS) -> str:
    """One line, Persian digits, at most ``limit`` characters."""
    name = persian_digits(" ".join(str(name).split()))
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _persian_ticks(axis) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _pos: persian_digits(f"{v:g}")))


def _save(fig, stem: Path, width: float, height: float, shown: int, total: int, svg: bool = True) -> ChartFiles:
    from workbench.reports.chart_canvas import save_png

    stem.parent.mkdir(parents=True, exist_ok=True)
    png = stem.with_suffix(".png")
    save_png(fig, png, PNG_DPI)
    if not svg:
        return ChartFiles(png, None, width, height, shown, total)
    svg = stem.with_suffix(".svg")
    # The layout is settled by the first drawing; laying out again for the
    # SVG would only repeat the same (costly) measuring of every label.
    fig.set_layout_engine("none")
    fig.savefig(svg, facecolor="white", metadata={"Date": None})
    drop_empty_glyphs(svg)
    return ChartFiles(png, svg, width, height, shown, total)


_EMPTY_GLYPH = re.compile(r'<path id="([^"]+)"(?![^>]*\sd=)[^>]*/>\s*')


def drop_empty_glyphs(svg: Path) -> None:
    """Take out the glyphs with no outline (the space) and every use of them.

    matplotlib writes a glyph with nothing to draw as a ``<path>`` without
    ``d``; renderers warn about it («link … is undefined» in QtSvg) and one
    drew none of the bars and heat-map cells after it.  The glyphs around a
    space are placed each on its own, so dropping it moves nothing.
    """
    text = svg.read_text(encoding="utf-8")
    empty = _EMPTY_GLYPH.findall(text)
    if not empty:
        return
    text = _EMPTY_GLYPH.sub("", text)
    for glyph in empty:
        text = re.sub(rf'<use xlink:href="#{re.escape(glyph)}"[^>]*/>\s*', "", text)
    svg.write_text(text, encoding="utf-8")


def _titles(fig, ax, title: str, note: str, assumptions: str = "") -> None:
    """The title, and over the plot the note and the round's assumed weights and bands (one line each)."""
    fig.suptitle(title, x=0.99, ha="right", fontsize=12, fontweight="bold")
    lines = "\n".join(t for t in (note, assumptions) if t)
    if lines:  # over the plot, right-aligned; the constrained layout leaves room for it
        ax.set_title(lines, loc="right", fontsize=8.5, color="#555555")


def _band_legend(fig, legend: list[LegendEntry], frame) -> None:
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=e.color, label=e.label) for e in reversed(legend)]
    _bottom_legend(fig, frame, handles, ncols=max(1, len(handles)))


def _bottom_legend(fig, frame, handles, ncols: int) -> None:
    """A legend centred at the bottom of the figure, entries right to left, swatch on the right."""
    placed = fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, frame.fy(frame.bottom)),
                        bbox_transform=fig.transFigure, borderaxespad=0, ncols=ncols, frameon=False,
                        markerfirst=False, fontsize=8)
    frame.take_bottom(placed)


def _names(ax, rows, labels: list[str]):
    """The rows' names right of the plot, where right-side tick labels stand (3.5 pt out, 9 pt)."""
    from workbench.reports.chart_labels import Labels

    return Labels([1.0] * len(labels), list(rows), [short_name(t) for t in labels], "black",
                  transform=ax.get_yaxis_transform(), ha="left", fontsize=9, offset_pt=3.5)


def _figure(width: float, height: float):
    """A figure at the PNG's resolution on the charts' canvas, laid out by ``chart_layout`` (no engine)."""
    from matplotlib.figure import Figure

    from workbench.reports import chart_canvas

    fig = Figure(figsize=(width, height), dpi=PNG_DPI)
    chart_canvas.ChartCanvas(fig)
    return fig


def _heads(fig, frame, title: str, note: str, assumptions: str) -> None:
    """The title, then the note and the round's assumed weights and bands, right-aligned from the top."""
    frame.put_top(fig.text(0, 0, title, fontsize=12, fontweight="bold"))
    lines = "\n".join(t for t in (note, assumptions) if t)
    frame.put_top(fig.text(0, 0, lines, fontsize=8.5, color="#555555"))


def bar_chart(
    labels: list[str],
    values: list[float | None],
    colors: list[str],
    legend: list[LegendEntry],
    title: str,
    stem: Path,
    subject: str = "دستگاه",
    axis_label: str = "امتیاز کل (٪)",
    limit: int = TOP_N,
    assumptions: str = "",
    svg: bool = True,
) -> ChartFiles:
    """Ranked horizontal bars, first at the top, names on the right, bars growing leftward.

    ``labels`` are already in rank order (e.g. «۱. وزارت نیرو»); only the
    first ``limit`` are drawn and the subtitle says how many of how many.
    A value of ``None`` (nothing to average) draws no bar, only «—».
    """
    import matplotlib

    from workbench.reports.chart_labels import Labels
    from workbench.reports.chart_layout import Frame, place_axes

    total = len(labels)
    shown = min(total, limit)
    width, height = 10.0, max(3.2, 1.9 + 0.27 * shown)
    with matplotlib.rc_context(_rc()):
        fig = _figure(width, height)
        ax = fig.add_subplot()
        y = list(range(shown))
        ax.barh(y, [v or 0 for v in values[:shown]], color=colors[:shown], height=0.72)
        ax.set_yticks([])
        names = ax.add_artist(_names(ax, y, labels[:shown]))
        ax.set_ylim(shown - 0.5, -0.5)  # first rank at the top
        ax.set_xlim(112, 0)  # grows leftward; room past 100 for the value label
        ax.set_xticks(range(0, 101, 20))
        _persian_ticks(ax.xaxis)
        ax.set_xlabel(axis_label)
        ax.grid(axis="x", color="#e6e6e6", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.spines["right"].set_visible(True)
        ax.add_artist(Labels([(v or 0) + 0.8 for v in values[:shown]], y,
                             [MISSING_TEXT if v is None else format_number(v) for v in values[:shown]],
                             "black", transform=ax.transData, ha="right", fontsize=7.5))
        note = ""
        if shown < total:
            note = (
                f"{persian_digits(shown)} {subject} نخست از {format_number(total)} {subject}؛ "
                "فهرست کامل در کاربرگ کنار نمودار است."
            )
        frame = Frame.of(fig)
        _heads(fig, frame, title, note, assumptions)
        if legend:
            _band_legend(fig, legend, frame)
        place_axes(frame, ax, frame.left, frame.bottom, frame.right, frame.top)
        right = frame.right - frame.reach(names, "right")
        place_axes(frame, ax, frame.left, frame.bottom + frame.tick_room(ax.xaxis, "bottom"), right, frame.top)
        return _save(fig, stem, width, height, shown, total, svg)


def heat_map(
    row_labels: list[str],
    column_labels: list[str],
    cells: list[list[float | str | None]],
    title: str,
    stem: Path,
    column_title: str = "شاخص",
    limit: int = TOP_N,
    assumptions: str = "",
    svg: bool = True,
) -> ChartFiles:
    """Agencies × indicators, the % in each cell; N/A cells grey and hatched, unscored «—».

    Rows in rank order (first at the top), names on the right, the first
    indicator in the rightmost column.
    """
    import matplotlib
    import numpy as np
    from matplotlib.patches import Patch, Rectangle

    from workbench.reports.chart_labels import Labels
    from workbench.reports.chart_layout import Frame, place_axes

    total = len(row_labels)
    shown = min(total, limit)
    ncols = len(column_labels)
    width, height = 10.0, max(3.4, 2.5 + 0.26 * shown)
    data = np.full((max(shown, 1), ncols), np.nan)
    for r in range(shown):
        for c, value in enumerate(cells[r]):
            if isinstance(value, (int, float)):
                data[r, c] = value
    with matplotlib.rc_context(_rc()):
        fig = _figure(width, height)
        ax = fig.add_subplot()
        cmap = matplotlib.colormaps["RdYlGn"].with_extremes(bad="white")
        image = ax.imshow(np.ma.masked_invalid(data), cmap=cmap, vmin=0, vmax=100, aspect="auto")
        ax.set_xlim(ncols - 0.5, -0.5)  # indicator 1 on the right
        ax.set_ylim(max(shown, 1) - 0.5, -0.5)
        ax.xaxis.tick_top()
        ax.xaxis.set_label_position("top")
        ax.set_xticks(range(ncols), column_labels)
        ax.set_xlabel(column_title)
        ax.set_yticks([])
        names = ax.add_artist(_names(ax, range(shown), row_labels[:shown]))
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        at: tuple[list, list, list, list] = ([], [], [], [])  # the cells' x, y, text, colour
        for r in range(shown):
            for c, value in enumerate(cells[r]):
                if value == NOT_APPLICABLE:
                    ax.add_patch(
                        Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor=NA_COLOR, hatch=NA_HATCH,
                                  edgecolor="#9e9e9e", linewidth=0)
                    )
                    continue
                if value is None:
                    text, color = MISSING_TEXT, "#555555"
                else:
                    dark = value < 22 or value > 82  # the saturated ends of the colour map
                    text, color = format_number(value, 0), "white" if dark else "black"
                for column, item in zip(at, (c, r, text, color)):
                    column.append(item)
        ax.add_artist(Labels(*at, transform=ax.transData, ha="center", fontsize=7))
        # White lines between cells: two line collections, not a minor tick
        # per cell edge (a tick is drawn as a full artist, slow by the hundred).
        ax.hlines(np.arange(0.5, shown - 0.5, 1), -0.5, ncols - 0.5, colors="white", linewidth=1)
        ax.vlines(np.arange(0.5, ncols - 0.5, 1), -0.5, max(shown, 1) - 0.5, colors="white", linewidth=1)
        note = ""
        if shown < total:
            note = f"{persian_digits(shown)} دستگاه نخست رتبه‌بندی از {format_number(total)} دستگاه."
        frame = Frame.of(fig)
        _heads(fig, frame, title, note, assumptions)
        _bottom_legend(fig, frame, [
            Patch(facecolor="white", edgecolor="#9e9e9e", label=f"بی‌پاسخ ({MISSING_TEXT})"),
            Patch(facecolor=NA_COLOR, hatch=NA_HATCH, edgecolor="#9e9e9e", label=terms.NOT_APPLICABLE),
        ], ncols=2)
        # The colour bar under the map: 0.45 of its width, 1/30 as thick, 100 on the left as in the bar chart.
        cax = fig.add_axes((0, 0, 1, 1))
        bar = fig.colorbar(image, cax=cax, orientation="horizontal")
        bar.ax.invert_xaxis()
        _persian_ticks(bar.ax.xaxis)
        bar.set_label("درصد امتیاز شاخص", fontsize=8)
        place_axes(frame, ax, frame.left, frame.bottom, frame.right, frame.top)
        right = frame.right - frame.reach(names, "right")
        top = frame.top - frame.tick_room(ax.xaxis, "top")
        length = 0.45 * (right - frame.left)
        middle = (frame.left + right) / 2
        place_axes(frame, cax, middle - length / 2, frame.bottom, middle + length / 2, frame.bottom + length / 30)
        cax_bottom = frame.bottom + frame.tick_room(cax.xaxis, "bottom")
        cax_top = cax_bottom + length / 30
        place_axes(frame, cax, middle - length / 2, cax_bottom, middle + length / 2, cax_top)
        place_axes(frame, ax, frame.left, cax_top + 2 * frame.gap(), right, top)
        return _save(fig, stem, width, height, shown, total, svg)
