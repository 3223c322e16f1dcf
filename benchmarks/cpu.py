"""CPU time of process trees, read from /proc (Linux only).

A server is a process tree: uvicorn's supervisor and its workers, or the
PostgreSQL postmaster and its backends. Its CPU time is the sum over the live
tree of utime + stime, plus cutime + cstime: the time of children that already
exited and were reaped (a PostgreSQL autovacuum worker, say), which the kernel
adds to the parent that waited for them. Live children are not in their
parent's cutime, so nothing is counted twice.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
PROC = Path("/proc")


@dataclass(frozen=True)
class ProcStat:
    pid: int
    parent: int
    ticks: int


def read_stat(pid: int) -> ProcStat | None:
    """One process's parent and CPU ticks (its own and its reaped children's)."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # The command name may hold spaces and parentheses: split after the last ")".
    fields = text.rsplit(")", 1)[1].split()
    utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
    return ProcStat(pid, int(fields[1]), utime + stime + cutime + cstime)


def _all_stats() -> list[ProcStat]:
    stats = (read_stat(int(entry.name)) for entry in PROC.iterdir() if entry.name.isdigit())
    return [stat for stat in stats if stat is not None]


def tree_cpu_seconds(roots: Iterable[int]) -> tuple[float, int]:
    """CPU seconds used so far by the trees under `roots`, and how many processes they hold."""
    stats = _all_stats()
    children: dict[int, list[ProcStat]] = {}
    for stat in stats:
        children.setdefault(stat.parent, []).append(stat)
    by_pid = {stat.pid: stat for stat in stats}
    pending = [by_pid[root] for root in roots if root in by_pid]
    ticks, count = 0, 0
    while pending:
        stat = pending.pop()
        ticks += stat.ticks
        count += 1
        pending.extend(children.get(stat.pid, []))
    return ticks / TICKS_PER_SECOND, count


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(value) for value in (PROC / "stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])  # guest time is already inside user time
    return (total - idle) / TICKS_PER_SECOND, total / TICKS_PER_SECOND
