"""Figures with their goals beside them, and the verdict of a run (no Django here, so the goal
logic is tested on its own: `partnernet/core/tests/test_bench_goals.py`).

A figure is `{"value", "unit", "lower_is_better"}` and, when the issue or the bench states one,
`"goal"`: a figure that is lower (or higher) than better must stay at or below (at or above)
its goal; an `exact` goal must be met exactly (queries per request at both sizes).
"""

import math


def metric(
    value: float,
    unit: str,
    lower_is_better: bool = True,
    *,
    goal: float | None = None,
    exact: bool = False,
) -> dict:
    """One figure; `goal` (optional) is checked by `verdict`."""
    row: dict = {"value": round(float(value), 4), "unit": unit, "lower_is_better": lower_is_better}
    if goal is not None:
        row["goal"] = float(goal)
        if exact:
            row["exact"] = True
    return row


def verdict(row: dict) -> str:
    """ "ok", "MISSED" or "" (no goal). A value that is not a number misses its goal."""
    if row.get("goal") is None:
        return ""
    value, goal = row.get("value"), float(row["goal"])
    if not isinstance(value, (int, float)) or math.isnan(value):
        return "MISSED"
    if row.get("exact"):
        met = value == goal
    elif row.get("lower_is_better", True):
        met = value <= goal
    else:
        met = value >= goal
    return "ok" if met else "MISSED"


def goal_text(row: dict) -> str:
    if row.get("goal") is None:
        return ""
    sign = "=" if row.get("exact") else ("≤" if row.get("lower_is_better", True) else "≥")
    return f"{sign} {row['goal']:g}"


def missed(results: dict[str, dict]) -> list[str]:
    """Names of the figures whose goal is missed."""
    return [name for name, row in results.items() if verdict(row) == "MISSED"]


def table(results: dict[str, dict]) -> list[str]:
    """One line per figure: name, value, unit, goal, verdict."""
    lines = [f"{'name':<56} {'value':>12}  {'unit':<12} {'goal':>10}  verdict"]
    for name, row in results.items():
        value = row["value"]
        shown = f"{value:>12.3f}" if isinstance(value, (int, float)) else f"{value!s:>12}"
        lines.append(
            f"{name:<56} {shown}  {row['unit']:<12} {goal_text(row):>10}  {verdict(row)}".rstrip()
        )
    return lines


def exit_code(results: dict[str, dict], failed_modules: list[str]) -> int:
    """Non-zero when a bench module failed or any goal is missed."""
    return 1 if failed_modules or missed(results) else 0
