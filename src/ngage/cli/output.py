"""Printing for the client commands: tables whose long URLs stay whole, and JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable

from rich.console import Console, RenderableType
from rich.measure import Measurement
from rich.segment import Segment, Segments

from ngage.cli.common import console

_UNLIMITED = 100_000


def print_json(value: object) -> None:
    """One JSON document on stdout, unstyled, for scripts."""
    print(json.dumps(value, indent=2))


def print_unwrapped(renderable: RenderableType, target: Console = console) -> None:
    """Print at the renderable's natural width, so a link is never cut into pieces.

    Rich would fold a long URL to the terminal's width, and a folded link no longer
    works when copied. Trailing padding is dropped, so a narrow terminal wraps only
    the lines that really are long.
    """
    options = target.options.update_width(_UNLIMITED)
    width = Measurement.get(target, options, renderable).maximum
    lines = target.render_lines(renderable, options.update_width(width), pad=False)
    segments = [part for line in lines for part in (*_rstrip(line), Segment.line())]
    target.print(Segments(segments), soft_wrap=True, crop=False, end="")


def _rstrip(line: Iterable[Segment]) -> list[Segment]:
    kept = list(line)
    while kept and not kept[-1].control and not kept[-1].text.strip():
        kept.pop()
    if kept:
        last = kept[-1]
        kept[-1] = Segment(last.text.rstrip(), last.style, last.control)
    return kept
