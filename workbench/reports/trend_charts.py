"""The trend report's charts (PNG and SVG, Vazirmatn): plain data in, files out.

Read right to left like the ranking charts: names on the right, time running
from the right (the earliest round) to the left (the latest), values growing
leftward.  matplotlib 3.11+ shapes the Persian itself.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.model.terms import NOT_APPLICABLE
from workbench.model.text import format_number, persian_digits
from workbench.reports.charts import ChartFiles, LegendEntry, _persian_ticks, _rc, _save, _titles, short_name

#: One colour per round, the latest the darkest.
ROUND_COLORS = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b")
RISE, FALL = "#1b7837", "#b2182b"
NA_TEXT = NOT_APPLICABLE
MISSING = "—"


def round_colors(count: int) -> list[str]:
    return list(ROUND_COLORS[-count:]) if count <= len(ROUND_COLORS) else [ROUND_COLORS[i % 6] for i in range(count)]


@dataclass
class Series:
    label: str  # «دورهٔ ۱۴۰۲»
    values: list[float | str | None]  # per row: percent, "na", or None


def agency_indicators(rows: list[str], series: list[Series], title: str, note: str, stem: Path) -> ChartFiles:
    """An agency's indicators over the rounds: a row per indicator, a bar per round (earliest on top)."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    n, k = len(rows), len(series)
    width, height = 10.0, max(4.0, 2.2 + n * (0.22 * k + 0.18))
    colors = round_colors(k)
    bar = 0.8 / k
    with matplotlib.rc_context(_rc()):
        fig = Figure(figsize=(width, height), layout="constrained")
        ax = fig.add_subplot()
        for j, s in enumerate(series):
            ys = [i + (j - (k - 1) / 2) * bar for i in range(n)]
            ax.barh(ys, [v if isinstance(v, float | int) else 0 for v in s.values], height=bar * 0.92,
                    color=colors[j])
            for y, v in zip(ys, s.values):
                text = format_number(v) if isinstance(v, float | int) else (NA_TEXT if v == "na" else MISSING)
                ax.text((v if isinstance(v, float | int) else 0) + 0.8, y, text, va="center", ha="right",
                        fontsize=6.5, color="#333333", in_layout=False)
        ax.set_yticks(range(n), [short_name(r, 60) for r in rows])  # the guide's longest: 46 with its number
        ax.yaxis.tick_right()
        ax.tick_params(axis="y", length=0)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(118, 0)
        ax.set_xticks(range(0, 101, 20))
        _persian_ticks(ax.xaxis)
        ax.set_xlabel("درصد امتیاز شاخص")
        ax.grid(axis="x", color="#e6e6e6", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.spines["right"].set_visible(True)
        _titles(fig, ax, title, note)
        handles = [Patch(facecolor=c, label=s.label) for s, c in zip(series, colors)]
        fig.legend(handles=list(reversed(handles)), loc="outside lower center", ncols=k, frameon=False,
                   markerfirst=False, fontsize=8)
        return _save(fig, stem, width, height, n, n)


def distribution(labels: list[str], values: list[list[float]], bands: list[tuple[float, float, str, str]],
                 title: str, note: str, stem: Path) -> ChartFiles:
    """The group's totals per round: a box and its points per round, the earliest round on the right.

    ``bands``: (lower, upper, colour, title) of the latest round, drawn faintly behind.
    """
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    k = len(labels)
    width, height = 10.0, 5.4
    with matplotlib.rc_context(_rc()):
        fig = Figure(figsize=(width, height), layout="constrained")
        ax = fig.add_subplot()
        for lower, upper, color, _name in bands:
            ax.axhspan(lower, upper, color=color, alpha=0.12, linewidth=0)
        positions = list(range(k))
        filled = [(p, v) for p, v in zip(positions, values) if v]
        if filled:
            ax.boxplot([v for _, v in filled], positions=[p for p, _ in filled], widths=0.45, showfliers=False,
                       medianprops={"color": "#08306b", "linewidth": 1.6},
                       boxprops={"color": "#08519c"}, whiskerprops={"color": "#08519c"},
                       capprops={"color": "#08519c"})
        for p, v in zip(positions, values):
            if not v:
                continue
            jitter = [((i * 37) % 11 - 5) / 40 for i in range(len(v))]  # fixed, so a rebuild draws the same
            ax.scatter([p + j for j in jitter], v, s=9, color="#3182bd", alpha=0.55, zorder=3, linewidths=0)
            mean = sum(v) / len(v)
            ax.scatter([p], [mean], marker="D", s=22, color="#08306b", zorder=4)
            # To the left of the box (the x axis runs right to left), clear of it.
            ax.text(p + 0.27, mean, f"میانگین {format_number(mean)}", fontsize=7, ha="right", va="center",
                    color="#333333", in_layout=False)
        ax.set_xticks(positions, [f"{lab}\n({format_number(len(v))} دستگاه)" for lab, v in zip(labels, values)])
        ax.set_xlim(k - 0.4, -0.6)  # the earliest round on the right
        ax.set_ylim(0, 100)
        ax.yaxis.tick_right()
        ax.yaxis.set_label_position("right")
        _persian_ticks(ax.yaxis)
        ax.set_ylabel("امتیاز کل (٪)")
        ax.spines["right"].set_visible(True)
        ax.spines["left"].set_visible(False)
        ax.grid(axis="y", color="#e6e6e6", linewidth=0.6)
        _titles(fig, ax, title, note)
        # Lowest band first, so the highest is at the right, where a Persian reader starts.
        handles = [Patch(facecolor=color, alpha=0.35, label=name)
                   for _l, _u, color, name in sorted(bands, key=lambda b: b[0])]
        if handles:
            fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False,
                       markerfirst=False, fontsize=8)
        return _save(fig, stem, width, height, k, k)


def risers_fallers(labels: list[str], changes: list[float], title: str, note: str, stem: Path) -> ChartFiles:
    """The biggest rises (green, growing leftward) and falls (red, rightward) in percent points, largest first."""
    import matplotlib
    from matplotlib.figure import Figure

    n = len(labels)
    width, height = 10.0, max(3.4, 1.9 + 0.3 * n)
    reach = max([abs(c) for c in changes] + [1.0]) * 1.25
    with matplotlib.rc_context(_rc()):
        fig = Figure(figsize=(width, height), layout="constrained")
        ax = fig.add_subplot()
        y = list(range(n))
        ax.barh(y, changes, color=[RISE if c >= 0 else FALL for c in changes], height=0.7)
        for yy, c in zip(y, changes):
            sign = "+" if c > 0 else ""
            ax.text(c + (reach * 0.02 if c >= 0 else -reach * 0.02), yy, f"{sign}{format_number(c)}",
                    va="center", ha="right" if c >= 0 else "left", fontsize=7.5, in_layout=False)
        ax.set_yticks(y, [short_name(t, 48) for t in labels])
        ax.yaxis.tick_right()
        ax.tick_params(axis="y", length=0)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(reach, -reach)  # rises grow leftward, as scores do in the ranking chart
        ax.axvline(0, color="#555555", linewidth=0.8)
        _persian_ticks(ax.xaxis)
        ax.set_xlabel("تغییر امتیاز کل (واحد درصد)")
        ax.grid(axis="x", color="#e6e6e6", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.spines["right"].set_visible(False)
        ax.spines["bottom"].set_visible(True)
        _titles(fig, ax, title, note)
        return _save(fig, stem, width, height, n, n)


def legend_entries(labels: list[str]) -> list[LegendEntry]:
    return [LegendEntry(label, color) for label, color in zip(labels, round_colors(len(labels)))]


def year_label(year: int) -> str:
    return f"دورهٔ {persian_digits(year)}"
