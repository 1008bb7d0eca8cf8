"""Plain-words requests about the video mapped to storyboard operations and commands.

"swap the kitchen and the bedroom", "put the pool first", "no music", "square for Instagram",
"go back to version 2": each clause of a message is tried against a short list of patterns,
in order; the first that fits makes an operation with scene numbers resolved against the
version the user is looking at. Whatever fits nothing is reported back, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from pydantic import BaseModel, ConfigDict

from reelestate.agent.rules.facts import _STYLE_WORDS
from reelestate.agent.rules.scenes import CARD_NAMES, SceneNotFoundError, resolve_scene
from reelestate.core.settings import DEFAULT_AI_VIDEO_MODEL
from reelestate.render.spec import Aspect, MotionKind, MusicMood
from reelestate.tools.ai_motion import DEFAULT_AI_SCENES, choose_ai_scenes
from reelestate.tools.storyboard_model import (
    MAX_TOTAL_SECONDS,
    MIN_SCENE_SECONDS,
    StoryboardScene,
    StoryboardVersion,
)
from reelestate.tools.storyboard_ops import (
    AddInfographicOp,
    AddOp,
    MoveOp,
    RemoveOp,
    RetimeOp,
    RevisionOp,
    SetAiMotionOp,
    SetAspectOp,
    SetCaptionOp,
    SetLengthOp,
    SetMotionOp,
    SetMusicOp,
    SetStyleOp,
    SetVoiceOp,
    SwapOp,
)

FEMALE_VOICE = "en-us+f3"
MALE_VOICE = "en-us+m3"
BRITISH_VOICE = "en-gb"
AMERICAN_VOICE = "en-us"
SHORTER = 0.75
LONGER = 1.25
SCENE_STEP_SECONDS = 1.5
MIN_VIDEO_SECONDS = 10.0


class Understood(BaseModel):
    """Everything one message asks for that is not a listing fact."""

    model_config = ConfigDict(frozen=False)

    ops: list[RevisionOp] = []
    undo: bool = False
    revert_to: int | None = None
    approve: bool = False
    reject: bool = False
    list_versions: bool = False
    job_status: bool = False
    music_on: bool | None = None
    help: bool = False
    problems: list[str] = []
    """Requests recognised but impossible here ("no scene shows a pool")."""

    @property
    def edits(self) -> bool:
        return bool(self.ops or self.undo or self.revert_to or self.music_on is not None)

    @property
    def anything(self) -> bool:
        return bool(
            self.edits
            or self.approve
            or self.reject
            or self.list_versions
            or self.job_status
            or self.help
            or self.problems
        )


_I = re.IGNORECASE
_APPROVE = re.compile(
    r"^\s*/?(?:approve[d]?|yes|yep|yeah|yup|ok|okay|sure|go\s+ahead|go\s+for\s+it|looks?\s+good|"
    r"looks?\s+great|perfect|love\s+it|ship\s+it|render\s+it|render\s+the\s+final|render\s+now|"
    r"make\s+the\s+final\s+video|do\s+it|lgtm|sounds\s+good|great|good\s+to\s+go|"
    r"all\s+good|that'?s\s+(?:it|good|great|perfect))\b[\s\w,!.']*$"
    r"|^\s*/?(?:render|render\s+again)\s*(?:please)?[\s!.]*$",
    _I,
)
_REJECT = re.compile(
    r"^\s*/?(?:no|nope|nah|not\s+yet|wait|hold\s+on|hold\s+off|don'?t\s+render|reject|cancel|stop|"
    r"not\s+quite)\b[\s,!.]*$",
    _I,
)
_UNDO = re.compile(
    r"^\s*/?(?:undo|undo\s+(?:that|it|the\s+last\s+(?:change|edit))|go\s+back|revert|"
    r"take\s+that\s+back|never\s*mind|change\s+it\s+back|back\s+to\s+(?:how|what)\s+it\s+was|"
    r"previous\s+version|the\s+one\s+before)\b[\s,!.]*(?:please)?[\s!.]*$",
    _I,
)
_REVERT = re.compile(
    r"\b(?:go\s+back|revert|return|restore|roll\s*back|switch\s+back|back|use|undo)\s+"
    r"(?:to\s+)?(?:the\s+)?(?:version|v)\s*#?(\d+)\b",
    _I,
)
_VERSIONS = re.compile(
    r"\b(?:versions|history|list\s+versions|show\s+versions|what\s+versions|changes\s+so\s+far)\b",
    _I,
)
_STATUS = re.compile(
    r"\b(?:status|progress|how\s+long|is\s+it\s+(?:done|ready)|how\s+is\s+the\s+render|"
    r"where\s+is\s+my\s+video|still\s+rendering)\b",
    _I,
)
_HELP = re.compile(r"^\s*/?(?:help|what\s+can\s+you\s+do|commands|\?)\s*[?!.]*\s*$", _I)
_MUSIC_WORD = r"(?:music|track|song|soundtrack|tune|beat|background\s+audio)"
_MUSIC_OFF = re.compile(
    rf"\b(?:no|without|mute|remove|drop|kill|cut|lose|turn\s+off|stop)\s+(?:the\s+)?"
    rf"(?:background\s+)?{_MUSIC_WORD}\b|\b{_MUSIC_WORD}\s+off\b",
    _I,
)
_MUSIC_ON = re.compile(
    rf"\b(?:add|bring\s+back|put\s+back|turn\s+on|with)\s+(?:the\s+)?(?:some\s+)?{_MUSIC_WORD}"
    rf"(?:\s+back)?\b|\b{_MUSIC_WORD}\s+(?:back\s+)?on\b"
    rf"|\b(?:bring|put)\s+(?:the\s+)?{_MUSIC_WORD}\s+back\b",
    _I,
)
_MOODS: tuple[tuple[str, MusicMood], ...] = (
    (r"calm|calmer|relax\w*|soft|softer|gentle|gentler|quiet|quieter|chill|mellow|slower", "calm"),
    (r"upbeat|energetic|happ\w+|lively|livelier|fun|punchy|faster|exciting|bouncy", "upbeat"),
    (r"elegant|classy|sophisticated|luxur\w+|classical|refined", "elegant"),
    (r"warm|warmer|cozy|cosy|friendly|homey", "warm"),
    (r"minimal|subtle|ambient|simple|sparse", "minimal"),
)
_VOICES: tuple[tuple[str, str], ...] = (
    (r"eleven\s*labs", "elevenlabs"),
    (r"open\s*ai", "openai"),
    (r"espeak(?:-ng)?|built-?in", "espeak"),
    (r"female|woman|woman's|women|lady|girl|feminine", FEMALE_VOICE),
    (r"male|man|man's|guy|masculine|deeper", MALE_VOICE),
    (r"british|english\s+accent|uk|english", BRITISH_VOICE),
    (r"american|us", AMERICAN_VOICE),
)
_ASPECTS: tuple[tuple[str, Aspect], ...] = (
    (r"square|1\s*:\s*1|1x1", "1:1"),
    (r"4\s*:\s*5|instagram\s+feed|feed\s+post|portrait\s+post", "4:5"),
    (r"9\s*:\s*16|vertical|tiktok|reels?|stories|story|shorts|upright|phone", "9:16"),
    (r"16\s*:\s*9|horizontal|landscape|widescreen|wide|youtube|tv|website", "16:9"),
    (r"instagram", "1:1"),
)
_MOTIONS: tuple[tuple[str, MotionKind], ...] = (
    (r"zoom\s+out|pull\s+(?:back|out)", "zoom_out"),
    (r"zoom(?:\s+in)?|push\s+in|closer", "zoom_in"),
    (r"pan\s+(?:to\s+the\s+)?left", "pan_left"),
    (r"pan\s+(?:to\s+the\s+)?right", "pan_right"),
    (r"pan\s+up|tilt\s+up", "pan_up"),
    (r"pan\s+down|tilt\s+down", "pan_down"),
    (r"static|still|no\s+motion|no\s+movement|don'?t\s+move|not\s+move|freeze", "static"),
)
_SECONDS = r"(?P<sec>\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)\b"
_WHOLE = re.compile(
    r"^(?:it|the\s+video|video|the\s+whole\s+(?:thing|video)|everything|the\s+reel|reel|"
    r"the\s+movie|the\s+clip|this|total|overall|in\s+total)?$",
    _I,
)


def _split(text: str) -> list[str]:
    parts = re.split(
        r"[;\n!?]+|\.(?:\s+|$)|\bthen\b|\balso\b|,\s*and\s+|\band\s+(?=(?:a\s+)?(?:make|put|move|swap|remove|use|change|add|set|no|female|male|british|square|vertical|landscape|horizontal|calm\w*|slower|faster|shorter|longer|zoom|pan|undo)\b)",
        text,
        flags=_I,
    )
    return [p.strip(" ,.") for p in parts if p and p.strip(" ,.")]


class _Clause:
    """One clause being read, with the scenes it may refer to."""

    def __init__(
        self,
        text: str,
        version: StoryboardVersion | None,
        out: Understood,
        ai_video_model: str = DEFAULT_AI_VIDEO_MODEL,
    ) -> None:
        self.text = text
        self.version = version
        self.out = out
        self.ai_video_model = ai_video_model

    @property
    def scenes(self) -> Sequence[StoryboardScene]:
        return () if self.version is None else self.version.scenes

    def scene(self, words: str) -> int | None:
        """The scene `words` names; a problem is recorded (and None returned) when it is absent."""
        try:
            return resolve_scene(words, self.scenes)
        except SceneNotFoundError as exc:
            self.out.problems.append(str(exc))
            return None

    def add(self, op: RevisionOp) -> bool:
        self.out.ops.append(op)
        return True

    @property
    def total(self) -> float:
        return 30.0 if self.version is None else self.version.total_seconds


def _caption(c: _Clause) -> bool:
    text = c.text
    remove = re.search(
        r"\b(?:remove|delete|drop|clear|no|lose|take\s+off|get\s+rid\s+of)\s+(?:the\s+)?"
        r"(?:caption|label|text|title)s?\s+(?:on|of|for|from|in)\s+(?P<a>.+)$",
        text,
        _I,
    )
    if remove:
        scene = c.scene(remove["a"])
        return scene is not None and c.add(SetCaptionOp(scene=scene, caption=None))
    patterns = (
        r"\b(?:caption|label|text|title)\s+(?:on|of|for|in)\s+(?P<a>.+?)"
        r"(?:\s+(?:to|as|should\s+(?:say|read)|says?|reads?)|\s*[:=])\s*[\"“'‘]?(?P<t>.+?)[\"”'’]?\s*$",
        r"\b(?:change|set|make|update|rename)\s+(?P<a>.+?)(?:'s)?\s+(?:caption|label|title)\s+"
        r"(?:to|as|:|=)\s*[\"“'‘]?(?P<t>.+?)[\"”'’]?\s*$",
        r"\b(?:caption|label|title)\s+(?P<a>.+?)\s*(?::|=|as)\s*[\"“'‘]?(?P<t>.+?)[\"”'’]?\s*$",
        r"\b(?:call|label|name)\s+(?P<a>.+?)\s+[\"“'‘](?P<t>.+?)[\"”'’]\s*$",
    )
    for pattern in patterns:
        match = re.search(pattern, text, _I)
        if match:
            scene = c.scene(
                re.sub(r"^(?:change|set|update)\s+(?:the\s+)?", "", match["a"], flags=_I)
            )
            return scene is not None and c.add(
                SetCaptionOp(scene=scene, caption=match["t"].strip())
            )
    return False


def _music(c: _Clause) -> bool:
    if _MUSIC_OFF.search(c.text):
        c.out.music_on = False
        return True
    found = False
    if _MUSIC_ON.search(c.text):
        c.out.music_on = True
        found = True
    if re.search(_MUSIC_WORD, c.text, _I):
        for words, mood in _MOODS:
            if re.search(rf"\b(?:{words})\b", c.text, _I):
                return c.add(SetMusicOp(mood=mood))
    return found


def _voice(c: _Clause) -> bool:
    if not re.search(r"\b(?:voice|narrat\w*|speaker|accent|voiceover|voice-over)\b", c.text, _I):
        return False
    for words, voice in _VOICES:
        if re.search(rf"\b(?:{words})\b", c.text, _I):
            return c.add(SetVoiceOp(voice=voice))
    return False


def _aspect(c: _Clause) -> bool:
    if not re.search(
        r"\b(?:square|vertical|horizontal|landscape|widescreen|wide|portrait|format|aspect|"
        r"instagram|tiktok|reels?|stories|story|shorts|youtube|\d+\s*:\s*\d+|ratio|for\s+tv|website)\b",
        c.text,
        _I,
    ):
        return False
    for words, aspect in _ASPECTS:
        if re.search(rf"\b(?:{words})\b", c.text, _I):
            return c.add(SetAspectOp(aspect=aspect))
    return False


def _style(c: _Clause) -> bool:
    match = re.search(
        r"\b(?:make\s+it|more|style|feel|vibe|tone|look|go|keep\s+it)\s*(?::|=)?\s*"
        r"(?:a\s+bit\s+|very\s+|really\s+|more\s+)?(?P<w>[a-z\-]+)\b"
        r"|\b(?P<v>[a-z\-]+)\s+(?:style|feel|vibe|tone|look)\b",
        c.text,
        _I,
    )
    if match is None:
        return False
    word = (match["w"] or match["v"]).lower()
    if word in _STYLE_WORDS:
        return c.add(SetStyleOp(style=_STYLE_WORDS[word]))
    return False


def _swap(c: _Clause) -> bool:
    match = re.search(
        r"\b(?:swap|switch|exchange|trade|flip|interchange)\s+(?:places\s+of\s+)?(?P<a>.+?)\s+"
        r"(?:and|with|&|for)\s+(?P<b>.+?)(?:\s+around|\s+places)?$",
        c.text,
        _I,
    )
    if match is None:
        return False
    a, b = c.scene(match["a"]), c.scene(match["b"])
    return a is not None and b is not None and c.add(SwapOp(scene=a, with_scene=b))


def _move(c: _Clause) -> bool:
    text = c.text
    last = len(c.scenes)
    simple = (
        (r"\b(?:open|start|begin|lead|kick\s+off)\s+(?:the\s+video\s+)?with\s+(?P<a>.+)$", 1),
        (r"\b(?:end|finish|close)\s+(?:the\s+video\s+)?(?:with|on)\s+(?P<a>.+)$", last),
        (
            r"\b(?:put|move|place|bring|show|make)\s+(?P<a>.+?)\s+(?:to\s+the\s+|at\s+the\s+|as\s+the\s+|"
            r"in\s+the\s+)?(?:very\s+)?(?P<pos>first|start|beginning|front|top|opening\s+shot|"
            r"opener|last|end|bottom|final\s+shot|closing\s+shot)\b.*$",
            0,
        ),
        (r"^(?P<a>.+?)\s+(?P<pos>first|last)(?:\s+please)?$", 0),
    )
    for pattern, position in simple:
        match = re.search(pattern, text, _I)
        if match is None:
            continue
        to = position
        if "pos" in match.groupdict() and match["pos"]:
            first = match["pos"].lower().split()[0] in {
                "first",
                "start",
                "beginning",
                "front",
                "top",
                "opening",
                "opener",
            }
            to = 1 if first else last
        scene = c.scene(match["a"])
        return scene is not None and c.add(MoveOp(scene=scene, to=to))
    match = re.search(
        r"\b(?:move|put|place|shift)\s+(?P<a>.+?)\s+(?:to|at|into|in)\s+(?:position|spot|place|slot|"
        r"scene|number)?\s*#?(?P<n>\d+)",
        text,
        _I,
    )
    if match:
        scene = c.scene(match["a"])
        return scene is not None and c.add(MoveOp(scene=scene, to=int(match["n"])))
    match = re.search(
        r"\b(?:move|put|place|show|shift)\s+(?P<a>.+?)\s+(?P<rel>before|after|ahead\s+of|right\s+after|"
        r"right\s+before)\s+(?P<b>.+)$",
        text,
        _I,
    )
    if match:
        a, b = c.scene(match["a"]), c.scene(match["b"])
        if a is None or b is None:
            return False
        after = "after" in match["rel"].lower()
        to = (b if a < b else b + 1) if after else (b - 1 if a < b else b)
        return c.add(MoveOp(scene=a, to=max(1, min(last, to))))
    return False


def _remove(c: _Clause) -> bool:
    match = re.search(
        r"\b(?:remove|delete|drop|cut|lose|skip|exclude|ditch|take\s+out|get\s+rid\s+of|"
        r"don'?t\s+(?:show|use|include))\s+(?P<a>.+?)(?:\s+(?:photo|shot|scene|picture))?"
        r"(?:\s+(?:from\s+the\s+video|out))?$",
        c.text,
        _I,
    )
    if match is None:
        return False
    scene = c.scene(match["a"])
    return scene is not None and c.add(RemoveOp(scene=scene))


_ADD_CARD = re.compile(
    rf"\b(?P<verb>add|include|append|insert|put\s+in|end\s+with|finish\s+with|close\s+(?:with|on)|"
    rf"start\s+with|open\s+with|begin\s+with)\s+(?:a|an|the|our|my)?\s*(?:{CARD_NAMES})"
    r"(?P<rest>.*)$",
    _I,
)


def _add_card(c: _Clause) -> bool:
    """ "add a facts card at the end", "open with an infographic", "add the price card at 3"."""
    match = _ADD_CARD.search(c.text)
    if match is None:
        return False
    existing = next((i for i, s in enumerate(c.scenes, start=1) if s.is_card), None)
    verb, rest = match["verb"].lower(), match["rest"].lower()
    first = verb.startswith(("start", "open", "begin")) or re.search(
        r"\b(?:first|start|beginning|front|opening)\b", rest
    )
    at_n = re.search(r"\b(?:at|to|in)\s+(?:position\s+|scene\s+|slot\s+)?#?(\d+)\b", rest)
    if existing is not None:
        if first or at_n:  # the card is there: asking for it somewhere is a move
            to = 1 if first else int(at_n[1]) if at_n else len(c.scenes)
            return c.add(MoveOp(scene=existing, to=to))
        c.out.problems.append(f"the video already has a facts card (scene {existing})")
        return False
    at = 1 if first else int(at_n[1]) if at_n else None
    return c.add(AddInfographicOp(at=at))


def _add(c: _Clause) -> bool:
    back = re.search(
        r"\b(?:put|bring)\s+(?:the\s+)?(?:photo|picture|pic|image)\s*#?(?P<n>\d+)\s+back\b",
        c.text,
        _I,
    )
    if back is not None:
        return c.add(AddOp(photo=int(back["n"])))
    match = re.search(
        r"\b(?:add|include|put\s+back|bring\s+back|use|show)\s+(?:the\s+)?(?:photo|picture|pic|image)\s*"
        r"#?(?P<n>\d+)(?:\s+back)?(?:\s+(?:at|to|in)\s+(?:position\s+)?(?P<at>\d+))?",
        c.text,
        _I,
    )
    if match is None:
        return False
    at = int(match["at"]) if match["at"] else None
    return c.add(AddOp(photo=int(match["n"]), at=at))


def _timing(c: _Clause) -> bool:
    text = c.text
    minute = re.search(r"\b(?:one|a|1)[\s-]+minute\b", text, _I)
    seconds = re.search(_SECONDS, text, _I)
    if seconds or minute:
        value = float(seconds["sec"]) if seconds else 60.0
        target = (
            re.sub(_SECONDS, " ", text, flags=_I)
            if seconds
            else text[: minute.start()]
            if minute
            else text
        )
        target = re.sub(
            r"\b(?:make|set|keep|hold|show|give|change|cut|trim|shorten|lengthen|let|have|"
            r"it\s+should\s+be|should\s+be|to|for|at|about|around|last|lasts|long|only|just|"
            r"seconds?|video|a|an|the|please|into|down|up|it|be|in|total|of|length)\b",
            " ",
            target,
            flags=_I,
        )
        target = " ".join(target.split())
        if target and not _WHOLE.match(target):
            scene = c.scene(target)
            if scene is not None:
                return c.add(RetimeOp(scene=scene, seconds=value))
            return False
        return c.add(SetLengthOp(seconds=value))
    relative = re.search(
        r"\b(?P<w>shorter|longer|faster|quicker|slower|speed\s+(?:it\s+)?up|slow\s+(?:it\s+)?down|"
        r"snappier|too\s+long|too\s+short|trim|tighten|more\s+time|less\s+time)\b",
        text,
        _I,
    )
    if relative is None:
        return False
    word = relative["w"].lower()
    grow = word in {"longer", "slower", "too short", "more time"} or word.startswith("slow")
    target = text[: relative.start()] + " " + text[relative.end() :]
    target = re.sub(
        r"\b(?:make|keep|hold|show|a\s+bit|a\s+little|much|bit|little|please|way|even|lot|"
        r"is|it|the|video|on|for|it's|its|too|pace|pacing|cut|on\s+screen|it\s+up|down)\b",
        " ",
        target,
        flags=_I,
    )
    target = " ".join(target.split())
    if target and not _WHOLE.match(target):
        scene = c.scene(target)
        if scene is None:
            return False
        now = c.scenes[scene - 1].duration
        step = SCENE_STEP_SECONDS if grow else -SCENE_STEP_SECONDS
        return c.add(RetimeOp(scene=scene, seconds=round(max(MIN_SCENE_SECONDS, now + step), 1)))
    factor = LONGER if grow else SHORTER
    total = min(MAX_TOTAL_SECONDS, max(MIN_VIDEO_SECONDS, round(c.total * factor)))
    return c.add(SetLengthOp(seconds=total))


_AI_MOTION = re.compile(
    r"\b(?:ai|a\.i\.|generated|generative)[\s-]+(?:motion|video|movement|clips?|animation)\b"
    r"|\banimate\b",
    _I,
)
_AI_OFF = re.compile(r"\b(?:no|remove|drop|without|stop|turn\s+off|disable)\b", _I)
_AI_MODELS: tuple[tuple[str, str], ...] = (
    (r"kling(?:\s*1\.6)?\s+pro", "kling-1.6-pro"),
    (r"kling", "kling-1.6-standard"),
    (r"luma|dream\s*machine", "luma-dream-machine"),
    (r"runway|gen-?3", "runway-gen3-turbo"),
    (r"svd|stable\s+video", "fast-svd-lcm"),
    (r"minimax|hailuo", "minimax-video-01"),
)


def _ai_motion(c: _Clause) -> bool:
    """ "Use AI motion on the kitchen", "animate scene 2 with Luma", "no AI video on the bath"."""
    match = _AI_MOTION.search(c.text)
    if match is None:
        return False
    off = _AI_OFF.search(c.text) is not None
    model: str | None = None
    rest = c.text[: match.start()] + " " + c.text[match.end() :]
    if not off:
        model = c.ai_video_model
        for words, key in _AI_MODELS:
            found = re.search(rf"\b(?:{words})\b", rest, _I)
            if found is not None:
                model = key
                rest = rest[: found.start()] + " " + rest[found.end() :]
                break
    rest = re.sub(
        r"\b(?:use|add|put|give|make|let|have|apply|try|no|remove|drop|without|stop|turn|off|"
        r"disable|a|an|the|on|for|in|to|of|with|please|some|model|scenes?|best|photos?)\b",
        " ",
        rest,
        flags=_I,
    )
    rest = " ".join(rest.replace(",", " ").split())
    if not rest:
        targets = (
            [i + 1 for i, s in enumerate(c.scenes) if s.ai_motion is not None]
            if off
            else choose_ai_scenes(c.scenes, DEFAULT_AI_SCENES)
        )
        for number in targets:
            c.add(SetAiMotionOp(scene=number, model=model))
        return bool(targets)
    scene = c.scene(rest)
    return scene is not None and c.add(SetAiMotionOp(scene=scene, model=model))


def _motion(c: _Clause) -> bool:
    for words, kind in _MOTIONS:
        match = re.search(rf"\b(?:{words})\b", c.text, _I)
        if match is None:
            continue
        rest = c.text[: match.start()] + " " + c.text[match.end() :]
        rest = re.sub(
            r"\b(?:make|have|let|use|a|an|the|on|for|in|at|into|of|motion|movement|camera|"
            r"should|be|please|do|with|slow|slowly)\b",
            " ",
            rest,
            flags=_I,
        )
        rest = " ".join(rest.split())
        if not rest:
            return False
        scene = c.scene(rest)
        return scene is not None and c.add(SetMotionOp(scene=scene, motion=kind))
    return False


_READERS: tuple[Callable[[_Clause], bool], ...] = (
    _caption,
    _music,
    _voice,
    _aspect,
    _swap,
    _add_card,
    _add,
    _move,
    _remove,
    _timing,
    _ai_motion,
    _motion,
    _style,
)


def understand(
    text: str,
    version: StoryboardVersion | None,
    *,
    ai_video_model: str = DEFAULT_AI_VIDEO_MODEL,
) -> Understood:
    """What `text` asks of the storyboard `version` (None before there is one).

    `ai_video_model`: the model AI motion asks for when the words name none.
    """
    out = Understood()
    whole = text.strip()
    if _HELP.match(whole):
        out.help = True
        return out
    if (revert := _REVERT.search(whole)) is not None:
        out.revert_to = int(revert.group(1))
        return out
    if _UNDO.match(whole):
        out.undo = True
        return out
    if _APPROVE.match(whole) and not re.search(
        r"\b(?:but|except|change|swap|move|remove)\b", whole, _I
    ):
        out.approve = True
        return out
    if _REJECT.match(whole):
        out.reject = True
        return out
    for clause in _split(whole):
        reader = _Clause(clause, version, out, ai_video_model)
        before = len(out.problems)
        for read in _READERS:
            if read(reader) or len(out.problems) > before:
                break
    if not out.edits and _VERSIONS.search(whole):
        out.list_versions = True
    if not out.edits and _STATUS.search(whole):
        out.job_status = True
    return out
