"""Load benchmark of POST /create: a bare endpoint, ngage on SQLite, ngage on PostgreSQL.

    .venv/bin/python -m benchmarks.create_load            # from the repository root
    .venv/bin/python benchmarks/create_load.py --help

All three servers run at once on 127.0.0.1 (idle ones cost nothing) and are
measured in rounds, in a rotating order, so the machine's drift hits them alike:
each measurement is a warm-up wrk run then a measured one. Every request is the
spec's example body with a fresh transaction_id, signed as the spec says.
Results: a table here, and JSON in benchmarks/results/<timestamp>.json.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make `benchmarks` and `tests` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from contextlib import ExitStack  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from typing import Any  # noqa: E402

import httpx  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn  # noqa: E402
from tests.support import signed_headers, spec_example_body, transaction_id  # noqa: E402

from benchmarks.cpu import machine_busy_seconds, tree_cpu_seconds  # noqa: E402
from benchmarks.loadgen import (  # noqa: E402
    TRANSACTION_SENTINEL,
    Load,
    LoadError,
    WrkResult,
    run_wrk,
    split_body,
    wrk_path,
    wrk_version,
)
from benchmarks.report import GOALS, goal_verdicts, print_summary, summarise  # noqa: E402
from benchmarks.targets import STARTERS, Target  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
MAX_RUN_SECONDS = 240  # each wrk run is signed once; the server accepts +-300 s
console = Console()
if not console.is_terminal:  # piped or logged: wide enough for the results table
    console = Console(width=120)


class RunFailed(RuntimeError):
    """A run saw a non-2xx answer or a socket error: its figures mean nothing."""


class TransactionClock:
    """Hands each wrk run a synthetic-millisecond base past every id used so far."""

    def __init__(self) -> None:
        self._next_ms = int(time.time() * 1000)

    def take(self) -> int:
        return self._next_ms

    def used(self, result: WrkResult, connections: int) -> None:
        # A thread counts one id per request it sent, answered or still in flight.
        self._next_ms += result.requests + connections + 1000


def body_parts(api_id: str) -> tuple[str, str]:
    body = spec_example_body(api_id)
    body["transaction_id"] = TRANSACTION_SENTINEL
    return split_body(json.dumps(body, indent=2))  # the spec prints its example indented


def preflight(target: Target) -> None:
    """One request by hand, so a wrong setup fails loudly before any load."""
    prefix, suffix = body_parts(target.credentials.api_id)
    body = prefix + transaction_id(target.credentials.api_id) + suffix
    reply = httpx.post(
        f"{target.base_url}/create",
        content=body.encode(),
        headers=signed_headers(target.credentials),
        timeout=10,
    )
    if reply.status_code != 200 or reply.json().get("status_desc") != "Success":
        raise RunFailed(f"{target.name}: preflight got {reply.status_code} {reply.text}")
    target.info["reply_bytes"] = len(reply.content)
    target.info["request_body_bytes"] = len(body.encode())


def load_for(target: Target, args: argparse.Namespace, seconds: float, base_ms: int) -> Load:
    creds = target.credentials
    headers = signed_headers(creds)
    prefix, suffix = body_parts(creds.api_id)
    lua_args = [
        creds.api_id,
        headers["api-key"],
        headers["Timestamp"],
        headers["Signature"],
        str(base_ms),
        prefix,
        suffix,
    ]
    return Load(target.base_url, args.threads, args.connections, seconds, lua_args)


def checked(target: Target, result: WrkResult, phase: str, allow_errors: bool) -> WrkResult:
    if (result.non_2xx or result.socket_errors) and not allow_errors:
        raise RunFailed(
            f"{target.name} {phase}: {result.non_2xx} non-2xx answers, "
            f"{result.socket_errors} socket errors\n{result.output}\n"
            f"server log (tail):\n{target.log()[-3000:]}"
        )
    return result


def server_errors(target: Target) -> dict[str, int]:
    """Each distinct ERROR line of the server's log, with how often it appeared."""
    lines = (line.strip() for line in target.log().splitlines())
    return dict(Counter(line for line in lines if line.startswith("ERROR")).most_common(10))


class Runner:
    def __init__(self, args: argparse.Namespace, progress: Progress, task: Any) -> None:
        self.args = args
        self.progress = progress
        self.task = task
        self.clock = TransactionClock()
        self.done_seconds = 0.0

    def _wrk(self, target: Target, seconds: float, phase: str) -> WrkResult:
        load = load_for(target, self.args, seconds, self.clock.take())
        start = self.done_seconds

        def tick(elapsed: float) -> None:
            self.progress.update(self.task, completed=start + min(elapsed, seconds))

        result = run_wrk(load, tick)
        self.clock.used(result, self.args.connections)
        self.done_seconds = start + seconds
        self.progress.update(self.task, completed=self.done_seconds)
        return checked(target, result, phase, self.args.allow_errors)

    def measure(self, target: Target, round_number: int) -> dict[str, Any]:
        label = f"round {round_number}/{self.args.repeats} · {target.name}"
        self.progress.update(self.task, description=f"{label} · warm-up")
        self._wrk(target, self.args.warmup, "warm-up")
        self.progress.update(self.task, description=f"{label} · measuring")
        before = cpu_by_part(target)
        busy_before, total_before = machine_busy_seconds()
        result = self._wrk(target, self.args.duration, "run")
        after = cpu_by_part(target)
        busy_after, total_after = machine_busy_seconds()
        machine = (busy_after - busy_before) / max(total_after - total_before, 1e-9)
        cpu = {part: after[part][0] - before[part][0] for part in after}
        processes = sum(count for _, count in after.values())
        return run_record(round_number, result, cpu, processes, machine)


def cpu_by_part(target: Target) -> dict[str, tuple[float, int]]:
    return {part: tree_cpu_seconds(roots) for part, roots in target.process_roots.items()}


def run_record(
    round_number: int,
    result: WrkResult,
    cpu_seconds: dict[str, float],
    processes: int,
    machine: float,
) -> dict[str, Any]:
    latency = result.summary["latency_us"]
    per_request = 1e6 / max(result.requests, 1)
    return {
        "round": round_number,
        "requests": result.requests,
        "seconds": round(result.seconds, 3),
        "rps": round(result.requests / result.seconds, 1),
        **{f"{key}_ms": round(latency[key] / 1000, 2) for key in ("p50", "p90", "p99", "p99_9")},
        "max_ms": round(latency["max"] / 1000, 2),
        "non_2xx": result.non_2xx,
        "socket_errors": result.socket_errors,
        "server_cpu_us_per_request": round(sum(cpu_seconds.values()) * per_request, 1),
        **{
            f"{part}_cpu_us_per_request": round(seconds * per_request, 1)
            for part, seconds in cpu_seconds.items()
        },
        "server_processes": processes,
        "wrk_cpu_us_per_request": round(result.cpu_seconds * per_request, 1),
        "machine_busy_percent": round(100 * machine, 1),
    }


def machine_info() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in open("/proc/cpuinfo")
            if line.startswith("model name")
        ),
        "unknown",
    )
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "wrk": wrk_version(),
        "load_average_at_start": list(os.getloadavg()),
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.create_load", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--targets",
        default="bare,sqlite,postgres",
        help="comma-separated, from: bare, sqlite, postgres (default: all)",
    )
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (2)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (64)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--duration", type=float, default=10, help="seconds per run (10)")
    parser.add_argument("--warmup", type=float, default=2, help="warm-up seconds per run (2)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per target (3)")
    parser.add_argument(
        "--access-log",
        action="store_true",
        help="run ngage with its access log on (off by default, like the bare app)",
    )
    parser.add_argument(
        "--allow-errors",
        action="store_true",
        help="go on after non-2xx answers (for diagnosis only: the run is reported invalid)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="result file (default: benchmarks/results/<timestamp>.json)",
    )
    args = parser.parse_args(argv)
    args.target_names = [name.strip() for name in args.targets.split(",") if name.strip()]
    unknown = set(args.target_names) - set(STARTERS)
    if unknown:
        parser.error(f"unknown targets: {', '.join(sorted(unknown))}")
    if max(args.duration, args.warmup) > MAX_RUN_SECONDS or args.duration <= 0:
        parser.error(f"--duration and --warmup must lie in (0, {MAX_RUN_SECONDS}] seconds")
    if args.repeats < 1 or args.workers < 1 or args.connections < args.threads:
        parser.error("--repeats and --workers must be >= 1, --connections >= --threads")
    return args


def settings_of(args: argparse.Namespace) -> dict[str, Any]:
    keys = (
        "workers",
        "connections",
        "threads",
        "duration",
        "warmup",
        "repeats",
        "access_log",
        "allow_errors",
    )
    return {key: getattr(args, key) for key in keys} | {"targets": args.target_names}


def start_targets(stack: ExitStack, args: argparse.Namespace) -> list[Target]:
    targets = []
    for name in args.target_names:
        with console.status(f"starting {name} ({args.workers} workers)"):
            target = stack.enter_context(STARTERS[name](args.workers, args.access_log))
            preflight(target)
        console.log(f"{name} ready at {target.base_url}")
        targets.append(target)
    return targets


def run_rounds(args: argparse.Namespace, targets: list[Target]) -> dict[str, list[dict[str, Any]]]:
    runs: dict[str, list[dict[str, Any]]] = {target.name: [] for target in targets}
    total = args.repeats * len(targets) * (args.warmup + args.duration)
    columns = (TextColumn("{task.description}"), BarColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console) as progress:
        runner = Runner(args, progress, progress.add_task("load", total=total))
        for round_number in range(1, args.repeats + 1):
            shift = (round_number - 1) % len(targets)
            for target in targets[shift:] + targets[:shift]:
                record = runner.measure(target, round_number)
                runs[target.name].append(record)
                console.log(
                    f"{target.name:8} round {round_number}: {record['rps']:>8,.0f} req/s  "
                    f"p50 {record['p50_ms']:.1f} ms  p99 {record['p99_ms']:.1f} ms  "
                    f"CPU {record['server_cpu_us_per_request']:.0f} µs/req  "
                    f"machine {record['machine_busy_percent']:.0f}% busy"
                    + (f"  [red]{record['non_2xx']} non-2xx[/red]" if record["non_2xx"] else "")
                )
    return runs


def write_results(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n")
    console.print(f"results written to [bold]{path}[/bold]")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = datetime.now(UTC)
    output = args.output or RESULTS / f"{started:%Y%m%dT%H%M%SZ}.json"
    try:
        wrk_path()
    except LoadError as exc:
        console.print(f"[red]{exc}[/red]")
        return 2
    document: dict[str, Any] = {
        "started_at": started.isoformat(timespec="seconds"),
        "settings": settings_of(args),
        "machine": machine_info(),
        "goals": GOALS,
    }
    with ExitStack() as stack:
        try:
            targets = start_targets(stack, args)
            document["targets_info"] = {target.name: target.info for target in targets}
            runs = run_rounds(args, targets)
            document["server_errors"] = {target.name: server_errors(target) for target in targets}
        except (RunFailed, LoadError, RuntimeError) as exc:
            console.print(f"[red bold]benchmark failed:[/red bold] {exc}")
            document["failed"] = str(exc)
            write_results(output, document)
            return 1
    document["results"] = summarise(runs)
    document["goal_verdicts"] = goal_verdicts(document["results"])
    document["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    failures = sum(
        r["median"]["non_2xx"] + r["median"]["socket_errors"] for r in document["results"].values()
    )
    document["valid"] = failures == 0
    print_summary(console, document)
    if failures:
        console.print(
            f"[red bold]INVALID: {failures} failed requests[/red bold] "
            f"(server errors: {document['server_errors']})"
        )
    write_results(output, document)
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
