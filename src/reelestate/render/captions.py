"""Captions: narration cues with word-by-word highlight (ASS karaoke) and the same cues as SRT.

User text reaches libass only through `escape_ass_text`: a backslash is followed by an
invisible word joiner so `\\N` or `\\fs200` stay literal, and braces are escaped so `{...}`
never opens an override block. Nothing a user types can restyle or move a caption.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from reelestate.providers.tts.base import WordTiming
from reelestate.render.colour import hex_to_rgb

WORD_JOINER = "\u2060"
CueStyle = Literal["Narration", "Title", "Panel"]
"""`Panel`: narration on a framed photo's lower panel, larger and anchored at its top."""
MAX_WORDS_PER_CUE = 7
PAUSE_BREAK_SECONDS = 0.5


@dataclass(frozen=True)
class Cue:
    """One caption line: the words it shows and when, in seconds of the video."""

    words: tuple[WordTiming, ...]
    start: float
    end: float
    style: CueStyle = "Narration"

    @property
    def text(self) -> str:
        return " ".join(w.word for w in self.words)


@dataclass(frozen=True)
class CaptionLayout:
    """Caption geometry and colours for one output size."""

    width: int
    height: int
    font_family: str
    narration_size: int
    title_size: int
    margin_h: int
    narration_margin_v: int
    title_margin_v: int
    panel_size: int
    """Narration on a framed photo's lower panel (0: no panel in this aspect)."""
    panel_margin_v: int
    """Where panel captions start, from the frame's top."""
    highlight: str
    text: str
    max_chars: int


def escape_ass_text(text: str) -> str:
    """User text as literal ASS dialogue text."""
    flat = " ".join(text.replace("\r", " ").replace("\n", " ").split())
    flat = flat.replace("\\", "\\" + WORD_JOINER)
    return flat.replace("{", "\\{").replace("}", "\\}")


def build_cues(words: list[WordTiming], *, offset: float, max_chars: int) -> list[Cue]:
    """Group timed words into short lines: break on length, sentence ends and pauses."""
    cues: list[Cue] = []
    current: list[WordTiming] = []

    def flush() -> None:
        if current:
            shifted = tuple(
                WordTiming(word=w.word, start=w.start + offset, end=w.end + offset) for w in current
            )
            cues.append(Cue(words=shifted, start=shifted[0].start, end=shifted[-1].end))
            current.clear()

    for word in words:
        if current:
            length = sum(len(w.word) + 1 for w in current) + len(word.word)
            pause = word.start - current[-1].end
            if (
                length > max_chars
                or len(current) >= MAX_WORDS_PER_CUE
                or pause > PAUSE_BREAK_SECONDS
                or current[-1].word.endswith((".", "!", "?", ";", ":"))
            ):
                flush()
        current.append(word)
    flush()
    # A cue never runs into the next one, so two lines never show at once.
    fixed: list[Cue] = []
    for i, cue in enumerate(cues):
        end = cue.end
        if i + 1 < len(cues):
            end = min(end, cues[i + 1].start)
        fixed.append(Cue(words=cue.words, start=cue.start, end=max(end, cue.start + 0.01)))
    return fixed


def _ass_colour(hex_colour: str, alpha: int = 0) -> str:
    r, g, b = hex_to_rgb(hex_colour)
    return f"&H{alpha:02X}{b:02X}{g:02X}{r:02X}"


def _ass_time(seconds: float) -> str:
    cs = max(0, round(seconds * 100))
    h, rem = divmod(cs, 360_000)
    m, rem = divmod(rem, 6000)
    s, cs = divmod(rem, 100)
    return f"{h}:{m:02d}:{s:02d}.{cs:02d}"


def ass_header(layout: CaptionLayout) -> str:
    fmt = (
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
        "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
        "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding"
    )
    outline = max(2, layout.narration_size // 14)
    narration = (
        f"Style: Narration,{layout.font_family},{layout.narration_size},"
        f"{_ass_colour(layout.highlight)},{_ass_colour(layout.text)},&H00000000,&H96000000,"
        f"-1,0,0,0,100,100,0,0,1,{outline},{max(1, outline // 2)},2,"
        f"{layout.margin_h},{layout.margin_h},{layout.narration_margin_v},1"
    )
    title = (
        f"Style: Title,{layout.font_family},{layout.title_size},"
        f"{_ass_colour(layout.text)},{_ass_colour(layout.text)},&H00000000,&H96000000,"
        f"-1,0,0,0,100,100,0,0,1,{outline},{max(1, outline // 2)},8,"
        f"{layout.margin_h},{layout.margin_h},{layout.title_margin_v},1"
    )
    panel = (
        f"Style: Panel,{layout.font_family},{max(1, layout.panel_size)},"
        f"{_ass_colour(layout.highlight)},{_ass_colour(layout.text)},&H00000000,&H96000000,"
        f"-1,0,0,0,100,100,0,0,1,{outline},0,8,"
        f"{layout.margin_h},{layout.margin_h},{layout.panel_margin_v},1"
    )
    return "\n".join(
        [
            "[Script Info]",
            "ScriptType: v4.00+",
            f"PlayResX: {layout.width}",
            f"PlayResY: {layout.height}",
            "WrapStyle: 0",
            "ScaledBorderAndShadow: yes",
            "YCbCr Matrix: TV.709",
            "",
            "[V4+ Styles]",
            fmt,
            narration,
            title,
            panel,
            "",
            "[Events]",
            "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
            "",
        ]
    )


def _karaoke_text(cue: Cue, line_start: float, line_end: float) -> str:
    """Dialogue text with `\\k` tags so each word lights up when it is spoken."""
    base = round(line_start * 100)
    marks = [max(base, round(w.start * 100)) for w in cue.words]
    marks.append(max(marks[-1], round(line_end * 100)))
    parts = [f"{{\\k{marks[0] - base}}}"] if marks[0] > base else []
    for i, word in enumerate(cue.words):
        sep = " " if i + 1 < len(cue.words) else ""
        parts.append(f"{{\\k{marks[i + 1] - marks[i]}}}{escape_ass_text(word.word)}{sep}")
    return "".join(parts)


def ass_events(
    cues: list[Cue],
    *,
    window: tuple[float, float] | None = None,
    origin: float | None = None,
    panel: bool = False,
) -> str:
    """Dialogue lines for `cues`, cut to `window` (start, end) and shifted so that `origin`
    (by default the window's start) is 0; with `panel`, narration takes the `Panel` style."""
    lines = []
    t0, t1 = window if window is not None else (0.0, float("inf"))
    zero = t0 if origin is None else origin
    for cue in cues:
        start, end = max(cue.start, t0), min(cue.end, t1)
        if end - start < 0.005:
            continue
        if cue.style == "Title":
            text = escape_ass_text(cue.text)
        else:
            shifted = Cue(
                words=tuple(
                    WordTiming(
                        word=w.word, start=max(0.0, w.start - zero), end=max(0.0, w.end - zero)
                    )
                    for w in cue.words
                ),
                start=start - zero,
                end=end - zero,
            )
            text = _karaoke_text(shifted, start - zero, end - zero)
        style = "Panel" if panel and cue.style == "Narration" else cue.style
        lines.append(
            f"Dialogue: 0,{_ass_time(start - zero)},{_ass_time(end - zero)},{style},,0,0,0,,{text}"
        )
    return "\n".join(lines) + ("\n" if lines else "")


def _srt_time(seconds: float) -> str:
    ms = max(0, round(seconds * 1000))
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def srt_document(cues: list[Cue]) -> str:
    """The narration cues as SubRip, for platforms that add their own captions."""
    blocks = []
    for i, cue in enumerate(c for c in cues if c.style == "Narration"):
        text = " ".join(cue.text.split())
        blocks.append(f"{i + 1}\n{_srt_time(cue.start)} --> {_srt_time(cue.end)}\n{text}\n")
    return "\n".join(blocks)
