"""ffmpeg command lines for a recording's files (pure: they build text, they run nothing).

Both commands read the converted streams as they are and do all the placing in one
filter graph (passed as a script file, which has no length limit):

- audio: each stream is resampled onto its own timestamps (gaps become silence), cut to
  its segment, delayed to its offset in samples, and everything is summed without
  normalisation (amix normalize=0: no level pumping when people join or leave), then
  padded or cut to the recording's length.
- composite: a background of the output size and rate lasts the whole recording; name
  cards are drawn on it, and each shown video is overlaid, centred and scaled to fit,
  during the shots that show it (`enable`). Inputs keep their timestamps (`-copyts`) so a
  stream's time 0 is its first packet, and `-reinit_filter 0` keeps the graph (and its
  clock) when a camera changes resolution mid-stream; scale and overlay re-read each
  frame's size instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ngage.recordings.layout import Layout, Placement, Span

FFMPEG = "ffmpeg"
CAMERA_LEAD = 1.0  # seconds of camera frames kept before each shot


@dataclass(frozen=True)
class OutputOptions:
    """The shape of the produced files, and how hard the tools may work.

    1280x720 at 25 fps with x264 `veryfast` runs at 3-5x real time on a 2-core machine for
    a two-person meeting with a screen share; 25 fps keeps each frame within 20 ms of its
    sound (15 fps, barely faster here, would allow 33 ms). Speech is mono AAC."""

    width: int = 1280
    height: int = 720
    fps: int = 25
    preset: str = "veryfast"
    crf: int = 23
    audio_bitrate: str = "96k"
    audio_rate: int = 48_000
    audio_channels: int = 1  # meeting microphones are mono
    thumbnail_width: float = 0.25  # of the frame's width
    font: str = "Sans"  # a fontconfig pattern for the name cards
    background: str = "0x202124"
    card: str = "0x3c4043"
    text: str = "white"
    timeout_factor: float = 4.0  # ffmpeg may run this many times the recording's length
    niceness: int = 10  # the tools run at a lower CPU priority: live meetings come first

    @property
    def thumbnail(self) -> tuple[int, int, int, int]:
        """(x, y, width, height) of the speaker thumbnail: bottom right, with a margin."""
        width = _even(self.width * self.thumbnail_width)
        height = _even(width * self.height / self.width)
        margin = _even(self.width / 64)
        return self.width - width - margin, self.height - height - margin, width, height


@dataclass(frozen=True)
class Command:
    """An ffmpeg command line and the filter graph it reads from its script file."""

    argv: list[str]
    script: str


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def _number(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".") or "0"


def escape(value: str) -> str:
    """A filter option value, escaped for the option parser and then for the graph parser
    (both unescape with backslashes), so any text survives: quotes, colons, commas."""
    option = re.sub(r"([\\':])", r"\\\1", value)
    return re.sub(r"([\\'\[\],;])", r"\\\1", option)


def _clean(text: str) -> str:
    return "".join(ch for ch in text if ch.isprintable()).strip() or "Participant"


def enable(spans: Iterable[Span]) -> str:
    """A timeline expression true inside the spans (start included, end not); spans that
    touch are joined."""
    joined: list[Span] = []
    for span in (s for s in spans if s.length > 0):
        if joined and span.start <= joined[-1].end:
            joined[-1] = Span(joined[-1].start, max(span.end, joined[-1].end))
        else:
            joined.append(span)
    return "+".join(f"gte(t,{_number(s.start)})*lt(t,{_number(s.end)})" for s in joined)


def _clip(spans: Iterable[Span], window: Span) -> list[Span]:
    clipped = [Span(max(s.start, window.start), min(s.end, window.end)) for s in spans]
    return [span for span in clipped if span.length > 0]


def _head(inputs: Sequence[Path], script_path: Path) -> list[str]:
    argv = [FFMPEG, "-nostdin", "-hide_banner", "-v", "error", "-y", "-copyts"]
    for path in inputs:
        argv += ["-reinit_filter", "0", "-i", str(path)]
    return [*argv, "-filter_complex_script", str(script_path)]


def _aac(options: OutputOptions) -> list[str]:
    rate, channels = str(options.audio_rate), str(options.audio_channels)
    return ["-c:a", "aac", "-b:a", options.audio_bitrate, "-ar", rate, "-ac", channels]


# -- audio ------------------------------------------------------------------------------


def _audio_chain(index: int, placement: Placement, options: OutputOptions) -> str:
    delay = round(placement.begin * options.audio_rate)
    length = placement.window.end - placement.begin
    return (
        f"[{index}:a]aresample={options.audio_rate}:async=1:first_pts=0,"
        "aformat=sample_fmts=fltp:channel_layouts=mono,"
        f"atrim=start={_number(placement.skip)}:duration={_number(length)},"
        f"asetpts=PTS-STARTPTS,adelay=delays={delay}S:all=1[a{index}]"
    )


def audio_graph(
    placements: Sequence[Placement], duration: float, options: OutputOptions
) -> list[str]:
    """Filter lines mixing the audio `placements` (inputs 0, 1, ...) into `[aout]`."""
    end = _number(duration)
    if not placements:
        return [f"anullsrc=r={options.audio_rate}:cl=mono,atrim=end={end}[aout]"]
    lines = [_audio_chain(i, p, options) for i, p in enumerate(placements)]
    mixed = "".join(f"[a{i}]" for i in range(len(placements)))
    lines.append(
        f"{mixed}amix=inputs={len(placements)}:normalize=0:duration=longest:dropout_transition=0,"
        f"apad=whole_dur={end},atrim=end={end}[aout]"
    )
    return lines


def audio_command(
    placements: Sequence[Placement],
    duration: float,
    target: Path,
    script_path: Path,
    options: OutputOptions,
) -> Command:
    """The M4A: everyone's audio mixed on the recording's timeline (AAC)."""
    inputs = [p.stream.path for p in placements]
    script = ";\n".join(audio_graph(placements, duration, options)) + "\n"
    argv = [*_head(inputs, script_path), "-map", "[aout]", *_aac(options)]
    argv += ["-movflags", "+faststart", "-f", "ipod", str(target)]
    return Command(argv, script)


# -- composite --------------------------------------------------------------------------


@dataclass
class _Graph:
    """The composite's filter lines, threading one video label through the layers."""

    options: OutputOptions
    lines: list[str] = field(default_factory=list)
    current: str = "bg"
    count: int = 0

    def layer(self, expression: str) -> None:
        """Apply a one-input filter to the frame so far."""
        self.count += 1
        label = f"v{self.count}"
        self.lines.append(f"[{self.current}]{expression}[{label}]")
        self.current = label

    def overlay(self, source: str, x: str, y: str, spans: list[Span]) -> None:
        self.count += 1
        label = f"v{self.count}"
        self.lines.append(
            f"[{self.current}][{source}]overlay=x={x}:y={y}:eval=frame:eof_action=pass"
            f":enable={escape(enable(spans))}[{label}]"
        )
        self.current = label


def _text(name: str, size: int, x: str, y: str, spans: list[Span], options: OutputOptions) -> str:
    return (
        f"drawtext=font={escape(options.font)}:expansion=none:text={escape(_clean(name))}"
        f":fontsize={size}:fontcolor={options.text}:x={x}:y={y}:enable={escape(enable(spans))}"
    )


@dataclass(frozen=True)
class _Video:
    index: int
    placement: Placement
    main: list[Span]
    thumbnail: list[Span]
    screen: bool


def _shown(layout: Layout, placements: Sequence[Placement]) -> list[_Video]:
    """The video streams that appear at all, with when (clipped to their own stretch)."""
    shown: list[_Video] = []
    for placement in placements:
        if placement.stream.media != "video":
            continue
        feed = placement.stream.feed
        own = Span(placement.begin, placement.window.end)
        main = _clip(layout.spans(feed), own)
        thumbnail = _clip(layout.spans(feed, thumbnail=True), own)
        if main or thumbnail:
            screen = any(s.tile.feed == feed and s.tile.source == "screen" for s in layout.main)
            shown.append(_Video(len(shown), placement, main, thumbnail, screen))
    return shown


def _lead(spans: list[Span]) -> list[Span]:
    """`spans`, each begun CAMERA_LEAD earlier."""
    return [Span(span.start - CAMERA_LEAD, span.end) for span in spans]


def _video_inputs(graph: _Graph, videos: list[_Video]) -> None:
    """Each shown stream shifted onto the output clock and scaled for each area it appears
    in. Overlay shows a frame from the output frame nearest its timestamp on, so no
    rounding is needed (the error stays within half an output frame).

    Camera frames off screen are dropped before scaling (most cameras are off screen most
    of the time); a second before each shot is kept so its first frame is current. Screen
    shares keep every frame: a still screen may send none for a long while."""
    options = graph.options
    _, _, thumb_width, thumb_height = options.thumbnail
    for video in videos:
        shifted = f"[{video.index}:v]setpts=PTS+({_number(video.placement.offset)})/TB"
        areas = [("m", video.main, options.width, options.height)] if video.main else []
        areas += [("t", video.thumbnail, thumb_width, thumb_height)] if video.thumbnail else []
        heads = {areas[0][0]: shifted + ","}
        if len(areas) == 2:
            graph.lines.append(f"{shifted},split=2[s{video.index}m][s{video.index}t]")
            heads = {kind: f"[s{video.index}{kind}]" for kind, *_ in areas}
        for kind, spans, width, height in areas:
            keep = "" if video.screen else f"select={escape(enable(_lead(spans)))},"
            graph.lines.append(
                f"{heads[kind]}{keep}scale=w={width}:h={height}"
                f":force_original_aspect_ratio=decrease:eval=frame:flags=bilinear[{kind}{video.index}]"
            )


def _main_area(
    graph: _Graph, layout: Layout, videos: list[_Video], names: Mapping[str, str]
) -> None:
    options = graph.options
    size = _even(options.height / 12)
    for who in dict.fromkeys(shot.tile.participant_id for shot in layout.main):
        if spans := layout.cards(who):
            graph.layer(
                _text(names.get(who, ""), size, "(w-text_w)/2", "(h-text_h)/2", spans, options)
            )
    for video in videos:
        if video.main:
            graph.overlay(
                f"m{video.index}", "(main_w-overlay_w)/2", "(main_h-overlay_h)/2", video.main
            )


def _thumbnail_area(
    graph: _Graph, layout: Layout, videos: list[_Video], names: Mapping[str, str]
) -> None:
    if not layout.thumbnail:
        return
    options = graph.options
    x, y, width, height = options.thumbnail
    every = [Span(shot.start, shot.end) for shot in layout.thumbnail]
    box = f"drawbox=x={x}:y={y}:w={width}:h={height}"
    graph.layer(f"{box}:color={options.card}:t=fill:enable={escape(enable(every))}")
    size = _even(height / 8)
    for who in dict.fromkeys(shot.tile.participant_id for shot in layout.thumbnail):
        if spans := layout.cards(who, thumbnail=True):
            text_x, text_y = f"{x}+({width}-text_w)/2", f"{y}+({height}-text_h)/2"
            graph.layer(_text(names.get(who, ""), size, text_x, text_y, spans, options))
    for video in videos:
        if video.thumbnail:
            at_x, at_y = f"{x}+({width}-overlay_w)/2", f"{y}+({height}-overlay_h)/2"
            graph.overlay(f"t{video.index}", at_x, at_y, video.thumbnail)
    graph.layer(f"{box}:color=white@0.6:t=2:enable={escape(enable(every))}")


def composite_command(
    layout: Layout,
    placements: Sequence[Placement],
    names: Mapping[str, str],
    audio: Path,
    target: Path,
    script_path: Path,
    options: OutputOptions,
) -> Command:
    """The MP4: the speaker view (H.264) with the M4A's sound copied in as is, +faststart.

    Copying keeps the sound identical to the M4A (and its timing: the AAC priming is kept
    in the edit list) and saves encoding it twice."""
    videos = _shown(layout, placements)
    size = f"{options.width}x{options.height}"
    graph = _Graph(options)
    graph.lines.append(
        f"color=c={options.background}:s={size}:r={options.fps}:d={_number(layout.duration)},"
        "format=yuv420p[bg]"
    )
    _video_inputs(graph, videos)
    _main_area(graph, layout, videos, names)
    _thumbnail_area(graph, layout, videos, names)
    graph.layer("format=yuv420p")
    inputs = [v.placement.stream.path for v in videos]
    argv = [*_head(inputs, script_path), "-i", str(audio)]
    argv += ["-map", f"[{graph.current}]", "-map", f"{len(inputs)}:a:0", "-c:a", "copy"]
    argv += ["-c:v", "libx264", "-preset", options.preset, "-crf", str(options.crf)]
    argv += ["-pix_fmt", "yuv420p", "-r", str(options.fps)]
    argv += ["-movflags", "+faststart", "-f", "mp4", str(target)]
    return Command(argv, ";\n".join(graph.lines) + "\n")
