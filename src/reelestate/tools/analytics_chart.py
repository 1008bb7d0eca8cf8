"""Views and engagement over time as a PNG (matplotlib's Agg backend: no display needed)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
from matplotlib.figure import Figure


def chart_png(
    series: Sequence[tuple[str, Sequence[tuple[date, float, float]]]],
    *,
    title: str = "Views and engagement",
) -> bytes:
    """One line per listing (or channel): views above, engagement below, days along the bottom."""
    figure = Figure(figsize=(8, 6), dpi=100)
    views_ax, engage_ax = figure.subplots(2, 1, sharex=True)
    for label, points in series:
        days = [p[0] for p in points]
        views_ax.plot(days, [p[1] for p in points], marker="o", label=label)
        engage_ax.plot(days, [p[2] for p in points], marker="o", label=label)
    views_ax.set_title(title)
    views_ax.set_ylabel("Views")
    engage_ax.set_ylabel("Likes, comments, shares, saves")
    engage_ax.set_xlabel("Date")
    engage_ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %d"))  # type: ignore[no-untyped-call]
    for ax in (views_ax, engage_ax):
        ax.grid(alpha=0.3)
        ax.set_ylim(bottom=0)
    if series:
        views_ax.legend(loc="upper left", fontsize="small")
    else:
        views_ax.text(0.5, 0.5, "No insights yet", ha="center", va="center",
                      transform=views_ax.transAxes)  # fmt: skip
    figure.autofmt_xdate()
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
