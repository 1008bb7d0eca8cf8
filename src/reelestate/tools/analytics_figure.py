"""Views and engagement over time as an interactive Plotly figure: the same two panels as the PNG
(views above, engagement below, one line per listing or channel), for the web chat, where a
person can hover a day to read its numbers and hide a line by clicking its name."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from plotly import graph_objects as go
from plotly.subplots import make_subplots


def chart_figure(
    series: Sequence[tuple[str, Sequence[tuple[date, float, float]]]],
    *,
    title: str = "Views and engagement",
) -> go.Figure:
    """One line per label in each panel; a line's two traces share a legend group, so one click
    hides both. Only plain SVG traces: nothing that needs WebGL in the browser."""
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    for label, points in series:
        days = [p[0].isoformat() for p in points]
        for row, values, show in ((1, [p[1] for p in points], True),
                                  (2, [p[2] for p in points], False)):  # fmt: skip
            figure.add_trace(
                go.Scatter(
                    x=days,
                    y=values,
                    name=label,
                    legendgroup=label,
                    showlegend=show,
                    mode="lines+markers",
                ),
                row=row,
                col=1,
            )
    figure.update_layout(title={"text": title}, hovermode="x unified", template="plotly_white")
    figure.update_yaxes(title_text="Views", rangemode="tozero", row=1, col=1)
    figure.update_yaxes(title_text="Likes, comments, shares, saves", rangemode="tozero", row=2,
                        col=1)  # fmt: skip
    figure.update_xaxes(title_text="Date", type="date", tickformat="%b %d", row=2, col=1)
    if not series:
        figure.add_annotation(text="No insights yet", showarrow=False, xref="paper",
                              yref="paper", x=0.5, y=0.5)  # fmt: skip
    return figure
