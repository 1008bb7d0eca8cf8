"""The rule-based script writer: style templates filled with the listing's facts.

Lines are drafted for every shot with a priority, then the least important ones are dropped
until the video fits its length: each scene lasts as long as its lines take to say, and at
least `MIN_SCENE_SECONDS`. Randomness comes from one seeded generator, so a seed always
gives the same script.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass

from reelestate.core.styles import Style
from reelestate.prompts.features import ROOM_TERMS
from reelestate.prompts.styles import STYLE_PRICE_FORMAT, STYLE_TEMPLATES, Slot
from reelestate.tools.numbers import count_in_words, format_area, format_price
from reelestate.tools.script_facts import FactSheet
from reelestate.tools.script_model import Script, ScriptBrief, ScriptLine, estimate_seconds

MIN_SCENE_SECONDS = 2.0
_ROOM_SLOTS: dict[str, Slot] = {
    "kitchen": "kitchen",
    "living_room": "living",
    "bedroom": "bedroom",
    "bathroom": "bathroom",
    "exterior": "exterior",
}
_ROOM_PRIORITY = {"kitchen": 2, "living_room": 2, "bedroom": 3, "bathroom": 3, "exterior": 6}
_SLOT_ORDER: dict[str, int] = {
    "opening": 0, "price": 1, "rooms": 2, "area": 3, "kitchen": 4, "living": 4, "bedroom": 4,
    "bathroom": 4, "exterior": 4, "highlight": 5, "closing": 6,
}  # fmt: skip


@dataclass
class _Draft:
    slot: Slot
    text: str
    facts: frozenset[str]
    scene: int | None
    priority: int
    duration: float


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def rooms_phrase(beds: int | None, baths: float | None) -> str:
    """'three bedrooms and two and a half baths', or whichever half is known."""
    parts = []
    if beds is not None:
        parts.append(
            "a studio layout"
            if beds == 0
            else f"{count_in_words(beds)} bedroom{'s' if beds != 1 else ''}"
        )
    if baths is not None:
        parts.append(f"{count_in_words(baths)} bath{'s' if baths > 1 else ''}")
    return " and ".join(parts)


def _values(sheet: FactSheet, style: Style) -> dict[str, str]:
    values: dict[str, str] = {}
    if sheet.address:
        values["address"] = sheet.address
    if sheet.city:
        values["city"] = sheet.city
    if sheet.price is not None:
        values["price"] = format_price(sheet.price, STYLE_PRICE_FORMAT[style])
    if sheet.beds is not None or sheet.baths is not None:
        values["rooms"] = rooms_phrase(sheet.beds, sheet.baths)
    if sheet.area_sqft is not None:
        values["area"] = format_area(sheet.area_sqft)
    return values


_FACT_OF = {"address": "address", "city": "city", "price": "price", "area": "area"}


class _Composer:
    def __init__(self, brief: ScriptBrief) -> None:
        self.brief = brief
        self.rng = random.Random(f"{brief.seed}:{brief.style}")  # noqa: S311 (wording, not secrets)
        self.values = _values(brief.sheet, brief.style)
        self.used: set[str] = set()

    def line(
        self, slot: Slot, *, scene: int | None, priority: int, extra: dict[str, str] | None = None
    ) -> _Draft | None:
        values = self.values | (extra or {})
        options = [
            t for t in STYLE_TEMPLATES[self.brief.style][slot] if _placeholders(t) <= set(values)
        ]
        fresh = [t for t in options if t not in self.used] or options
        if not fresh:
            return None
        template = self.rng.choice(fresh)
        self.used.add(template)
        text = template.format(**values)
        text = text[0].upper() + text[1:]
        facts = {_FACT_OF[p] for p in _placeholders(template) if p in _FACT_OF}
        if "rooms" in _placeholders(template):
            sheet = self.brief.sheet
            facts |= {k for k, v in (("beds", sheet.beds), ("baths", sheet.baths)) if v is not None}
        duration = estimate_seconds(text, self.brief.words_per_minute)
        return _Draft(slot, text, frozenset(facts), scene, priority, duration)


def _room_scene(text: str, rooms: Sequence[str]) -> int | None:
    """The scene whose room a highlight names ("renovated kitchen" -> the kitchen)."""
    for scene, room in enumerate(rooms):
        if room in ROOM_TERMS and re.search(
            r"\b(" + "|".join(map(re.escape, ROOM_TERMS[room])) + r")\b", text, re.IGNORECASE
        ):
            return scene
    return None


class _Board:
    """Spoken seconds per scene, to place each new line where there is silence."""

    def __init__(self, scenes: int) -> None:
        self.seconds = [0.0] * scenes

    def place(self, draft: _Draft | None, scene: int | None = None) -> _Draft | None:
        if draft is None:
            return None
        if not self.seconds:
            draft.scene = None
            return draft
        if scene is None:
            inner = (
                range(1, len(self.seconds) - 1)
                if len(self.seconds) > 2
                else range(len(self.seconds))
            )
            scene = min(inner, key=lambda s: (self.seconds[s] > 0, self.seconds[s], s))
        draft.scene = scene
        self.seconds[scene] += draft.duration
        return draft


def _drafts(brief: ScriptBrief) -> list[_Draft]:
    composer = _Composer(brief)
    shots = brief.shots
    n = len(shots)
    rooms = [shot.room for shot in shots]
    board = _Board(n)
    drafts: list[_Draft | None] = [
        board.place(composer.line("opening", scene=0, priority=0), 0 if n else None),
        board.place(composer.line("closing", scene=n - 1, priority=2), n - 1 if n else None),
    ]
    seen_rooms: set[str] = set()
    for scene, shot in enumerate(shots):
        if shot.role == "opening" or shot.room not in _ROOM_SLOTS:
            continue
        repeat = shot.room in seen_rooms
        seen_rooms.add(shot.room)
        draft = composer.line(
            _ROOM_SLOTS[shot.room],
            scene=scene,
            priority=max(5, _ROOM_PRIORITY[shot.room]) if repeat else _ROOM_PRIORITY[shot.room],
        )
        if draft is not None:
            draft.facts = draft.facts | {f"room:{shot.room}"}
        drafts.append(board.place(draft, scene))
    drafts += [
        board.place(composer.line("price", scene=None, priority=1)),
        board.place(composer.line("rooms", scene=None, priority=1)),
        board.place(composer.line("area", scene=None, priority=4)),
    ]
    for rank, (index, text) in enumerate(sorted(brief.sheet.highlights.items())):
        draft = composer.line(
            "highlight", scene=None, priority=3 if rank < 2 else 5, extra={"highlight": text}
        )
        if draft is not None:
            draft.facts = draft.facts | {f"highlight:{index}"}
        drafts.append(board.place(draft, _room_scene(text, rooms)))
    return [d for d in drafts if d is not None]


def _total_seconds(drafts: list[_Draft], scenes: int) -> float:
    if scenes == 0:
        return sum(d.duration for d in drafts)
    per_scene = [0.0] * scenes
    for d in drafts:
        per_scene[d.scene or 0] += d.duration
    return sum(max(MIN_SCENE_SECONDS, s) for s in per_scene)


def _fit(drafts: list[_Draft], scenes: int, length_seconds: float) -> list[_Draft]:
    """Drop the least important lines that make the video longer than `length_seconds`."""
    kept = list(drafts)
    total = _total_seconds(kept, scenes)
    while total > length_seconds:
        savings = []
        for d in kept:
            if d.priority > 0:
                rest = [k for k in kept if k is not d]
                saved = total - _total_seconds(rest, scenes)
                if saved > 0:
                    savings.append((d.priority, saved, d))
        if not savings:
            break
        _, _, worst = max(savings, key=lambda s: (s[0], s[1]))
        kept.remove(worst)
        total = _total_seconds(kept, scenes)
    return kept


class RuleBasedScriptWriter:
    """The default writer: no network, no key, deterministic for a seed."""

    name = "rule-based"

    def write(self, brief: ScriptBrief) -> Script:
        drafts = _fit(_drafts(brief), len(brief.shots), brief.length_seconds)
        drafts.sort(key=lambda d: (d.scene if d.scene is not None else 0, _SLOT_ORDER[d.slot]))
        lines = tuple(
            ScriptLine(
                text=d.text,
                facts=d.facts,
                photo_index=brief.shots[d.scene].photo_index if d.scene is not None else None,
                duration=d.duration,
                slot=d.slot,
            )
            for d in drafts
        )
        return Script(
            lines=lines,
            style=brief.style,
            seed=brief.seed,
            length_seconds=brief.length_seconds,
            words_per_minute=brief.words_per_minute,
            writer=self.name,
        )
