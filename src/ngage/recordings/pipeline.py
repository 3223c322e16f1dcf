"""Produce a recording's files from what Janus recorded: the runner around the pure parts.

    produce(raw_dir, timeline, out_dir, OutputOptions(), progress) -> [Produced, ...]

Blocking (run it in a worker thread). It converts each `.mjr` with janus-pp-rec, places
the streams on the recording's clock (`layout`), and runs ffmpeg (`ffmpeg`) for the MP4
and the M4A; the TIMELINE and CHAT files are plain text (`timeline_file`). Idempotent:
every file is written under a temporary name and renamed when complete, and a call
makes only the files still missing (a call after a crash redoes only what the crash
lost; a call after success makes nothing). Conversions live in `out_dir/.work` until
both media files exist.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ngage.recordings import mjr
from ngage.recordings.ffmpeg import Command, OutputOptions, audio_command, composite_command
from ngage.recordings.kinds import (
    AUDIO_ONLY,
    CC,
    CHAT,
    COMPOSITE_VIDEO,
    POLL,
    TIMELINE,
    FileKind,
)
from ngage.recordings.layout import OutputClock, Stream, place, plan
from ngage.recordings.timeline import Timeline
from ngage.recordings.timeline_file import captions_vtt, chat_text, polls_csv, timeline_text

__all__ = ["OutputOptions", "ProcessingError", "Produced", "Progress", "output_names", "produce"]

log = logging.getLogger("ngage.recordings")
Progress = Callable[[str, float], None]
WORK_DIR = ".work"
_CONVERT_TIMEOUT = 120.0
_SHORTEST = 0.1  # seconds: less is no recording (ffmpeg would make no frame at all)
_TIMING_BYTES = 4 << 20  # the packets that time a stream: its first seconds at least
_NAMES = {
    COMPOSITE_VIDEO: "shared_screen_with_speaker_view.mp4",
    AUDIO_ONLY: "audio_only.m4a",
    TIMELINE: "timeline.json",
    CHAT: "chat.txt",
    CC: "closed_captions.vtt",
    POLL: "polls.csv",
}


class ProcessingError(Exception):
    """A recording could not be processed: a media tool failed or timed out, or the
    recording has nothing to process. The message says which and why."""


@dataclass(frozen=True)
class Produced:
    kind: FileKind
    path: Path
    size_bytes: int


def output_names() -> dict[FileKind, str]:
    """The file name of each kind inside `out_dir`."""
    return dict(_NAMES)


def _ignore(stage: str, fraction: float) -> None:
    pass


def produce(
    raw_dir: Path,
    timeline: Timeline,
    out_dir: Path,
    options: OutputOptions = OutputOptions(),  # noqa: B008 (frozen, never mutated)
    progress: Progress = _ignore,
) -> list[Produced]:
    """Make the recording's files in `out_dir` (those still missing) and list them all."""
    if not timeline.segments or OutputClock(timeline.segments).duration < _SHORTEST:
        raise ProcessingError(f"recording {timeline.recording_id} has no recorded time")
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = {kind: out_dir / name for kind, name in _NAMES.items()}
    progress("start", 0.0)
    if not (targets[AUDIO_ONLY].exists() and targets[COMPOSITE_VIDEO].exists()):
        _media(raw_dir, timeline, out_dir, targets, options, progress)
    _once(targets[TIMELINE], lambda temp: temp.write_text(timeline_text(timeline)))
    if (chat := chat_text(timeline)) is not None:
        _once(targets[CHAT], lambda temp: temp.write_text(chat))
    if (captions := captions_vtt(timeline)) is not None:
        _once(targets[CC], lambda temp: temp.write_text(captions))
    if (polls := polls_csv(timeline)) is not None:
        _once(targets[POLL], lambda temp: temp.write_text(polls))
    shutil.rmtree(out_dir / WORK_DIR, ignore_errors=True)
    progress("done", 1.0)
    return [
        Produced(kind, path, path.stat().st_size) for kind, path in targets.items() if path.exists()
    ]


def _media(
    raw_dir: Path,
    timeline: Timeline,
    out_dir: Path,
    targets: dict[FileKind, Path],
    options: OutputOptions,
    progress: Progress,
) -> None:
    """The M4A, then the MP4 (which copies the M4A's sound)."""
    work = out_dir / WORK_DIR
    work.mkdir(exist_ok=True)
    clock = OutputClock(timeline.segments)
    streams = _convert_all(raw_dir, work, lambda done: progress("convert", 0.1 * done))
    placements = place(clock, streams)
    timeout = max(60.0, options.timeout_factor * clock.duration)
    progress("audio", 0.1)
    sounds = [p for p in placements if p.stream.media == "audio"]

    def audio(temp: Path) -> None:
        command = audio_command(sounds, clock.duration, temp, work / "audio.graph", options)
        _ffmpeg(command, timeout, options.niceness)

    _once(targets[AUDIO_ONLY], audio)
    progress("video", 0.2)
    layout = plan(timeline, placements)

    def video(temp: Path) -> None:
        sound, graph = targets[AUDIO_ONLY], work / "video.graph"
        command = composite_command(layout, placements, timeline.names, sound, temp, graph, options)
        _ffmpeg(command, timeout, options.niceness)

    _once(targets[COMPOSITE_VIDEO], video)
    progress("video", 0.95)


# -- conversion -------------------------------------------------------------------------


def _convert_all(raw_dir: Path, work: Path, progress: Callable[[float], None]) -> list[Stream]:
    """Every usable recording in `raw_dir`, converted into `work` (kept across calls)."""
    if not raw_dir.is_dir():
        raise ProcessingError(f"no raw recording directory {raw_dir}")
    sources = sorted(p for p in raw_dir.iterdir() if mjr.parse_name(p.name) is not None)
    streams = []
    for count, source in enumerate(sources, start=1):
        if (stream := _convert(source, work)) is not None:
            streams.append(stream)
        progress(count / len(sources))
    return streams


def _convert(source: Path, work: Path) -> Stream | None:
    name = mjr.parse_name(source.name)
    if name is None:
        return None
    try:
        header = mjr.parse_header(_run(mjr.header_argv(source), _CONVERT_TIMEOUT))
    except ValueError:  # Janus writes the header with the first packet: none came
        log.warning("recording file %s skipped: no header", source.name)
        return None
    converted = mjr.converted_name(source, header.codec)
    if mjr.is_empty(header) or converted is None:
        log.warning("recording file %s skipped (%s, no usable media)", source.name, header.codec)
        return None
    target = work / converted
    codec = header.codec
    _once(target, lambda temp: _run(mjr.convert_argv(source, temp, codec), _CONVERT_TIMEOUT), False)
    with source.open("rb") as recorded:
        early = list(mjr.packets(recorded.read(_TIMING_BYTES)))
    return Stream(target, name.feed, header.media, mjr.media_start_us(header, early))


# -- running ----------------------------------------------------------------------------


def _ffmpeg(command: Command, timeout: float, niceness: int) -> None:
    script = Path(command.argv[command.argv.index("-filter_complex_script") + 1])
    script.write_text(command.script)
    _run(command.argv, timeout, niceness)


def _run(argv: list[str], timeout: float, niceness: int = 0) -> str:
    """Run a media tool (at a lower priority); its stdout, or ProcessingError with what it
    said."""
    tool, started = argv[0], time.monotonic()
    command = ["nice", "-n", str(niceness), *argv] if niceness > 0 else argv
    # Killed with ngage (util-linux's setpriv sets the parent-death signal; preexec_fn is
    # unsafe in a threaded process): a job retried after a crash must not race an orphan.
    command = ["setpriv", "--pdeathsig", "KILL", "--", *command]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as error:
        raise ProcessingError(f"{tool} timed out after {timeout:.0f} s") from error
    except OSError as error:
        raise ProcessingError(f"cannot run {tool}: {error}") from error
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip()[-2000:]
        raise ProcessingError(f"{tool} exited with {done.returncode}: {said}")
    log.debug("%s took %.2f s", tool, time.monotonic() - started)
    return done.stdout


def _once(target: Path, make: Callable[[Path], object], sync: bool = True) -> None:
    """Make `target` unless it exists: `make` writes a temporary file that is renamed."""
    if target.exists():
        return
    temp = target.with_name(f".{target.name}.part")
    temp.unlink(missing_ok=True)
    started = time.monotonic()
    try:
        make(temp)
        if sync:
            _fsync(temp)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    log.info("made %s in %.2f s", target.name, time.monotonic() - started)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
