"""Medians, ratios to the bare endpoint, the issue's goals, and the printed tables."""

from __future__ import annotations

import statistics
from typing import Any

from rich.console import Console
from rich.table import Table

MEDIAN_KEYS = (
    "rps",
    "p50_ms",
    "p90_ms",
    "p99_ms",
    "p99_9_ms",
    "max_ms",
    "server_cpu_us_per_request",
    "wrk_cpu_us_per_request",
    "machine_busy_percent",
)
# Issue 2, item 11: on 2 cores, with p99 under 50 ms.
GOALS: list[dict[str, Any]] = [
    {"target": "sqlite", "min_rps": 3000, "max_p99_ms": 50},
    {"target": "postgres", "min_rps": 2000, "max_p99_ms": 50},
]


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    parts = [key for key in runs[0] if key.endswith("_cpu_us_per_request")]
    keys = dict.fromkeys([*MEDIAN_KEYS, *parts])
    median = {key: round(statistics.median(run[key] for run in runs), 2) for key in keys}
    median["non_2xx"] = sum(run["non_2xx"] for run in runs)
    median["socket_errors"] = sum(run["socket_errors"] for run in runs)
    median["requests"] = sum(run["requests"] for run in runs)
    return median


def _ratios(median: dict[str, Any], bare: dict[str, Any]) -> dict[str, float]:
    return {
        "rps": round(median["rps"] / bare["rps"], 3),
        "p99_ms": round(median["p99_ms"] / bare["p99_ms"], 2),
        "server_cpu_us_per_request": round(
            median["server_cpu_us_per_request"] / bare["server_cpu_us_per_request"], 2
        ),
    }


def goal_verdicts(results: dict[str, Any]) -> list[dict[str, Any]]:
    verdicts = []
    for goal in GOALS:
        median = results.get(goal["target"], {}).get("median")
        if median is None:
            continue
        clean = median["non_2xx"] == 0 and median["socket_errors"] == 0
        fast = median["rps"] >= goal["min_rps"] and median["p99_ms"] < goal["max_p99_ms"]
        met = clean and fast
        verdicts.append({**goal, "rps": median["rps"], "p99_ms": median["p99_ms"], "met": met})
    return verdicts


def summarise(runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    results: dict[str, Any] = {
        name: {"median": _median(target_runs), "runs": target_runs}
        for name, target_runs in runs.items()
    }
    bare = results.get("bare", {}).get("median")
    for result in results.values():
        result["ratio_to_bare"] = _ratios(result["median"], bare) if bare else None
    return results


def _optional(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _results_table(document: dict[str, Any]) -> Table:
    settings = document["settings"]
    table = Table(
        caption="server CPU: all server processes (PostgreSQL's too), µs per request; "
        "machine busy: both cores, wrk included",
        title=f"POST /create, medians of {settings['repeats']} runs "
        f"({settings['workers']} workers, {settings['connections']} connections, "
        f"{settings['duration']:g} s each)",
    )
    for column in (
        "target",
        "req/s",
        "p50 ms",
        "p99 ms",
        "non-2xx",
        "server CPU µs/req",
        "of which PostgreSQL",
        "req/s vs bare",
        "CPU vs bare",
        "machine busy",
    ):
        table.add_column(column, justify="left" if column == "target" else "right")
    for name in settings["targets"]:
        result = document["results"][name]
        median, ratio = result["median"], result["ratio_to_bare"]
        table.add_row(
            name,
            f"{median['rps']:,.0f}",
            f"{median['p50_ms']:.1f}",
            f"{median['p99_ms']:.1f}",
            str(median["non_2xx"]),
            f"{median['server_cpu_us_per_request']:,.0f}",
            _optional(median.get("postgresql_cpu_us_per_request")),
            f"{ratio['rps']:.2f}" if ratio else "-",
            f"{ratio['server_cpu_us_per_request']:.2f}" if ratio else "-",
            f"{median['machine_busy_percent']:.0f}%",
        )
    return table


def _goals_table(verdicts: list[dict[str, Any]]) -> Table:
    table = Table(title="Issue 2 goals (2 cores)")
    for column in ("target", "goal", "measured", "met"):
        table.add_column(column)
    for verdict in verdicts:
        table.add_row(
            verdict["target"],
            f">= {verdict['min_rps']:,} req/s, p99 < {verdict['max_p99_ms']} ms",
            f"{verdict['rps']:,.0f} req/s, p99 {verdict['p99_ms']:.1f} ms",
            "[green]yes[/green]" if verdict["met"] else "[red]no[/red]",
        )
    return table


def print_summary(console: Console, document: dict[str, Any]) -> None:
    console.print(_results_table(document))
    if document["goal_verdicts"]:
        console.print(_goals_table(document["goal_verdicts"]))
