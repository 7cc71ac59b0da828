"""ECharts options for the dashboard, as plain data: ``json_script`` embeds them, ``static/js/charts.js`` draws
them. Names reach the page only as JSON values and are drawn as text (rich-text tooltips, no HTML)."""

from __future__ import annotations

from typing import Any

PALETTE = ["#1d4f7c", "#4b8bbe", "#e09f3e", "#9e2a2b", "#5b8e7d", "#8e7dbe", "#c9a227", "#6c757d"]

BASE: dict[str, Any] = {
    "color": PALETTE,
    "animationDuration": 300,
    "textStyle": {"fontFamily": "sans-serif"},
}


def _grid(**extra: Any) -> dict[str, Any]:
    return {"left": 20, "right": 28, "top": 28, "bottom": 8, "containLabel": True, **extra}


BAR = {"type": "bar", "barMaxWidth": 48}


def _labelled(values: list[Any]) -> list[Any]:
    """Bar values with their number on the bar, except where it is zero."""
    return [value if value else {"value": value, "label": {"show": False}} for value in values]


def breakdown(kind: str, labels: list[str], values: list[Any], unit: str) -> dict[str, Any]:
    """One dimension of the member structure: a pie, bars, or horizontal bars for long labels."""
    if kind == "pie":
        return {
            **BASE,
            "tooltip": {"trigger": "item"},
            "legend": {"bottom": 0},
            "series": [
                {
                    "type": "pie",
                    "name": unit,
                    "radius": ["0%", "65%"],
                    "center": ["50%", "45%"],
                    "label": {"position": "inside", "formatter": "{d}%", "color": "#fff"},
                    "data": [{"name": label, "value": value} for label, value in zip(labels, values, strict=True)],
                }
            ],
        }
    category = {"type": "category", "data": labels, "axisLabel": {"interval": 0}}
    value_axis = {"type": "value", "name": unit, "minInterval": 1, "splitNumber": 3 if kind == "hbar" else 5}
    horizontal = kind == "hbar"
    return {
        **BASE,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": _grid(),
        "xAxis": value_axis if horizontal else {**category, "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": {**category, "inverse": True} if horizontal else value_axis,
        "series": [
            {
                **BAR,
                "name": unit,
                "data": values,
                "label": {"show": True, "position": "right" if horizontal else "top"},
            }
        ],
    }


def by_month(labels: list[str], series: list[tuple[str, list[int]]], unit: str) -> dict[str, Any]:
    return {
        **BASE,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0, "type": "scroll"},
        "grid": _grid(top=36),
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {"type": "value", "name": unit, "minInterval": 1},
        "series": [{**BAR, "stack": "kind", "name": name, "data": data} for name, data in series],
    }


def levels(labels: list[str], series: list[tuple[str, list[int]]]) -> dict[str, Any]:
    return {
        **BASE,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": _grid(top=36),
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": labels, "inverse": True},
        "series": [
            {**BAR, "name": name, "data": _labelled(data), "label": {"show": True, "position": "right"}}
            for name, data in series
        ],
    }


def comparison(data: dict[str, Any], code: str) -> dict[str, Any]:
    """Bars of one figure per child committee; static/js/dashboard.js swaps the figure and opens a bar's
    dashboard on click (the URLs come with ``data``)."""
    metric = data["metrics"][code]
    return {
        **BASE,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": _grid(),
        "xAxis": {"type": "category", "data": data["categories"], "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": {"type": "value", "name": metric["unit"], "minInterval": 1 if metric["whole"] else 0},
        "series": [
            {
                **BAR,
                "name": metric["label"],
                "data": metric["values"],
                "cursor": "pointer",
                "label": {"show": True, "position": "top"},
            }
        ],
    }
