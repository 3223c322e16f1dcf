"""Deciding what to do with a Range header before the file is served (RFC 9110 §14)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

_SPEC = re.compile(r"([0-9]*)-([0-9]*)")


class RangeVerdict(Enum):
    WHOLE = "whole"  # no Range, or one we may ignore: send 200 with the whole file
    PARTIAL = "partial"  # at least one satisfiable range: 206
    UNSATISFIABLE = "unsatisfiable"  # 416


@dataclass(frozen=True)
class RangePlan:
    verdict: RangeVerdict
    satisfiable: tuple[str, ...] = ()

    @property
    def header(self) -> str:
        """The Range header to serve: only the satisfiable parts (RFC 9110 §14.2)."""
        return "bytes=" + ",".join(self.satisfiable)


def _satisfiable(spec: str, size: int) -> bool | None:
    """True/False for a valid range spec, None for a malformed one."""
    match = _SPEC.fullmatch(spec.strip())
    if match is None or match.group(0) == "-":
        return None
    first, last = match.groups()
    if not first:
        return int(last) > 0 and size > 0
    if last and int(last) < int(first):
        return None
    return int(first) < size


def plan_range(header: str | None, size: int) -> RangePlan:
    if not header:
        return RangePlan(RangeVerdict.WHOLE)
    unit, _, specs = header.partition("=")
    if unit.strip().lower() != "bytes":
        return RangePlan(RangeVerdict.WHOLE)
    parts = [spec.strip() for spec in specs.split(",")]
    verdicts = [_satisfiable(spec, size) for spec in parts]
    if None in verdicts:
        return RangePlan(RangeVerdict.WHOLE)  # a malformed Range header is ignored
    kept = tuple(spec for spec, ok in zip(parts, verdicts, strict=True) if ok)
    return RangePlan(RangeVerdict.PARTIAL, kept) if kept else RangePlan(RangeVerdict.UNSATISFIABLE)
