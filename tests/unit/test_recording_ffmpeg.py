"""ffmpeg command lines for the recording's M4A and MP4 (golden argv and filter graphs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ngage.recordings.ffmpeg import (
    OutputOptions,
    audio_command,
    composite_command,
    enable,
    escape,
)
from ngage.recordings.layout import Layout, OutputClock, Placement, Span, Stream, place, plan
from ngage.recordings.timeline import Timeline
from tests.unit.test_recording_layout import (
    CAM_HOST,
    GUEST,
    HOST,
    SCREEN_GUEST,
    camera,
    event,
    screen,
    timeline,
    us,
)

OPTIONS = OutputOptions()
CAM_GUEST_AUDIO_ONLY = 22


def meeting() -> Timeline:
    """A host on camera all along; a guest without camera joins, speaks, shares a screen
    and leaves during a pause (10 s recorded of 13 s: paused from 8 to 11)."""
    events = [
        event(-5, "joined", HOST),
        camera(-5, HOST, CAM_HOST),
        event(2, "joined", GUEST),
        event(3, "speaking", GUEST),
        screen(4, GUEST, SCREEN_GUEST),
        event(7, "speaking", HOST),
        screen(9, GUEST, SCREEN_GUEST, "feed-stopped"),
        event(10, "left", GUEST),
    ]
    return timeline(events, [(0.0, 8.0), (11.0, 13.0)])


def placements(recorded: Timeline) -> list[Placement]:
    streams = [
        Stream(Path("/w/host-video.mkv"), CAM_HOST, "video", us(0.05)),
        Stream(Path("/w/host-audio.opus"), CAM_HOST, "audio", us(-0.01)),  # before the start
        Stream(Path("/w/guest-audio.opus"), CAM_GUEST_AUDIO_ONLY, "audio", us(2.2)),
        Stream(Path("/w/guest-screen.mkv"), SCREEN_GUEST, "video", us(4.1)),
        Stream(Path("/w/host-video2.mkv"), CAM_HOST, "video", us(11.04)),  # after the pause
        Stream(Path("/w/host-audio2.opus"), CAM_HOST, "audio", us(11.02)),
    ]
    return place(OutputClock(recorded.segments), streams)


def head(*inputs: str) -> list[str]:
    argv = ["ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y", "-copyts"]
    for path in inputs:
        argv += ["-reinit_filter", "0", "-i", path]
    return argv


AUDIO_GRAPH = """\
[0:a]aresample=48000:async=1:first_pts=0,aformat=sample_fmts=fltp:channel_layouts=mono,\
atrim=start=0.01:duration=8,asetpts=PTS-STARTPTS,adelay=delays=0S:all=1[a0];
[1:a]aresample=48000:async=1:first_pts=0,aformat=sample_fmts=fltp:channel_layouts=mono,\
atrim=start=0:duration=5.8,asetpts=PTS-STARTPTS,adelay=delays=105600S:all=1[a1];
[2:a]aresample=48000:async=1:first_pts=0,aformat=sample_fmts=fltp:channel_layouts=mono,\
atrim=start=0:duration=1.98,asetpts=PTS-STARTPTS,adelay=delays=384960S:all=1[a2];
[a0][a1][a2]amix=inputs=3:normalize=0:duration=longest:dropout_transition=0,\
apad=whole_dur=10,atrim=end=10[aout]
"""


def test_the_audio_mix_command() -> None:
    recorded = meeting()
    sounds = [p for p in placements(recorded) if p.stream.media == "audio"]
    command = audio_command(sounds, 10.0, Path("/out/.a.part"), Path("/w/audio.graph"), OPTIONS)
    assert command.argv == [
        *head("/w/host-audio.opus", "/w/guest-audio.opus", "/w/host-audio2.opus"),
        *("-filter_complex_script", "/w/audio.graph", "-map", "[aout]"),
        *("-c:a", "aac", "-b:a", "96k", "-ar", "48000", "-ac", "1"),
        *("-movflags", "+faststart", "-f", "ipod", "/out/.a.part"),
    ]
    assert command.script == AUDIO_GRAPH


def test_without_any_sound_the_audio_is_silence_of_the_right_length() -> None:
    command = audio_command([], 12.5, Path("/out/a.m4a"), Path("/w/audio.graph"), OPTIONS)
    assert command.script == "anullsrc=r=48000:cl=mono,atrim=end=12.5[aout]\n"
    assert "-i" not in command.argv


SCALE = "force_original_aspect_ratio=decrease:eval=frame:flags=bilinear"
CENTRED = "x=(main_w-overlay_w)/2:y=(main_h-overlay_h)/2:eval=frame:eof_action=pass"
IN_THUMBNAIL = "x=940+(320-overlay_w)/2:y=520+(180-overlay_h)/2:eval=frame:eof_action=pass"
CARD = "drawtext=font=Sans:expansion=none:text={name}:fontsize={size}:fontcolor=white"
MAIN_CARD = CARD + ":x=(w-text_w)/2:y=(h-text_h)/2"
THUMBNAIL_CARD = CARD + ":x=940+(320-text_w)/2:y=520+(180-text_h)/2"
COMPOSITE_GRAPH = f"""\
color=c=0x202124:s=1280x720:r=25:d=10,format=yuv420p[bg];
[0:v]setpts=PTS+(0.05)/TB,split=2[s0m][s0t];
[s0m]select=gte(t\\,-0.95)*lt(t\\,3),scale=w=1280:h=720:{SCALE}[m0];
[s0t]select=gte(t\\,6)*lt(t\\,8),scale=w=320:h=180:{SCALE}[t0];
[1:v]setpts=PTS+(4.1)/TB,scale=w=1280:h=720:{SCALE}[m1];
[2:v]setpts=PTS+(8.04)/TB,select=gte(t\\,7.04)*lt(t\\,10),scale=w=1280:h=720:{SCALE}[m2];
[bg]{MAIN_CARD.format(name="Hana", size=60)}:enable=gte(t\\,0)*lt(t\\,3)+gte(t\\,8)*lt(t\\,10)[v1];
[v1]{MAIN_CARD.format(name="Gita", size=60)}:enable=gte(t\\,3)*lt(t\\,4)[v2];
[v2][m0]overlay={CENTRED}:enable=gte(t\\,0.05)*lt(t\\,3)[v3];
[v3][m1]overlay={CENTRED}:enable=gte(t\\,4.1)*lt(t\\,8)[v4];
[v4][m2]overlay={CENTRED}:enable=gte(t\\,8.04)*lt(t\\,10)[v5];
[v5]drawbox=x=940:y=520:w=320:h=180:color=0x3c4043:t=fill:enable=gte(t\\,4)*lt(t\\,8)[v6];
[v6]{THUMBNAIL_CARD.format(name="Gita", size=22)}:enable=gte(t\\,4)*lt(t\\,7)[v7];
[v7]{THUMBNAIL_CARD.format(name="Hana", size=22)}:enable=gte(t\\,7)*lt(t\\,8)[v8];
[v8][t0]overlay={IN_THUMBNAIL}:enable=gte(t\\,7)*lt(t\\,8)[v9];
[v9]drawbox=x=940:y=520:w=320:h=180:color=white@0.6:t=2:enable=gte(t\\,4)*lt(t\\,8)[v10];
[v10]format=yuv420p[v11]
"""


def test_the_composite_command() -> None:
    recorded = meeting()
    placed = placements(recorded)
    layout = plan(recorded, placed)
    command = composite_command(
        layout,
        placed,
        recorded.names,
        Path("/out/audio_only.m4a"),
        Path("/out/.v.part"),
        Path("/w/video.graph"),
        OPTIONS,
    )
    assert command.argv == [
        *head("/w/host-video.mkv", "/w/guest-screen.mkv", "/w/host-video2.mkv"),
        *("-filter_complex_script", "/w/video.graph", "-i", "/out/audio_only.m4a"),
        *("-map", "[v11]", "-map", "3:a:0", "-c:a", "copy"),
        *("-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p"),
        *("-r", "25", "-movflags", "+faststart", "-f", "mp4", "/out/.v.part"),
    ]
    assert command.script == COMPOSITE_GRAPH


def test_video_never_on_screen_is_not_even_read() -> None:
    recorded = meeting()
    hidden = Stream(Path("/w/nobody.mkv"), 99, "video", us(1.0))
    placed = [*placements(recorded), *place(OutputClock(recorded.segments), [hidden])]
    command = composite_command(
        plan(recorded, placed),
        placed,
        recorded.names,
        Path("a.m4a"),
        Path("v.mp4"),
        Path("g"),
        OPTIONS,
    )
    assert "/w/nobody.mkv" not in command.argv


def test_the_output_options_shape_the_frame() -> None:
    small = OutputOptions(width=960, height=540, fps=15, preset="superfast", crf=26)
    assert OPTIONS.thumbnail == (940, 520, 320, 180)
    assert small.thumbnail == (704, 388, 240, 136)
    layout = Layout(4.0, [], [])
    command = composite_command(layout, [], {}, Path("a"), Path("v"), Path("g"), small)
    assert command.script.startswith("color=c=0x202124:s=960x540:r=15:d=4,")
    preset = command.argv.index("-preset")
    assert command.argv[preset : preset + 4] == ["-preset", "superfast", "-crf", "26"]
    assert command.argv[command.argv.index("-r") + 1] == "15"


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Hana", "Hana"),
        ("O'Brien: [x], 50%; a\\b", "O\\\\\\'Brien\\\\: \\[x\\]\\, 50%\\; a\\\\\\\\b"),
        ("gte(t,1)*lt(t,2)", "gte(t\\,1)*lt(t\\,2)"),
    ],
)
def test_option_values_are_escaped_for_both_parsers(text: str, escaped: str) -> None:
    assert escape(text) == escaped


def test_enable_joins_touching_spans_and_drops_empty_ones() -> None:
    spans = [Span(0, 1.5), Span(1.5, 3), Span(4, 4), Span(5, 6.25)]
    assert enable(spans) == "gte(t,0)*lt(t,3)+gte(t,5)*lt(t,6.25)"
    assert enable([]) == ""
