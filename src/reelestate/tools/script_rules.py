"""The rule-based script writer: every given fact said once, in sentences that vary.

A sentence plan is drawn for the listing: which template of each slot, whether the rooms and
the area share a sentence, how the highlights are grouped. The draw is seeded by a hash of the
facts (and the brief's seed), so a listing always gets the same script and two listings
rarely read alike. Sentences are placed where the video shows what they say: the address
over the opening exterior, the price over the best photo whose room is known, a highlight
over the room it names, the rooms over a bedroom. When the length cannot hold every sentence
the writer first takes each slot's shortest wording, then drops room colour, the closing, and
only then facts, last-listed first; the script's notes name every fact left unsaid.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from reelestate.core.styles import Style
from reelestate.prompts.features import ROOM_TERMS
from reelestate.prompts.script_plans import (
    HIGHLIGHT_FRAMES,
    OPTIONAL_FACT_FRAMES,
    PLACE_FRAMES,
    ROOMS_AREA_FRAMES,
)
from reelestate.prompts.styles import STYLE_PRICE_FORMAT, STYLE_TEMPLATES, Slot
from reelestate.render.timeline import card_seconds
from reelestate.tools.numbers import count_in_words, format_area, format_price
from reelestate.tools.script_model import Script, ScriptBrief, ScriptLine, estimate_seconds
from reelestate.tools.shot_plan import photo_quality
from reelestate.tools.timing import (
    FASTEST_RATE,
    READABLE_SECONDS,
    SHOT_FLOOR_SECONDS,
    spoken_needs,
)

MIN_SCENE_SECONDS = 2.0
SCENE_PADDING_SECONDS = 0.55
"""A scene's lead-in before its first word plus the air after its last one."""
_ROOM_SLOTS: dict[str, Slot] = {
    "kitchen": "kitchen",
    "living_room": "living",
    "bedroom": "bedroom",
    "bathroom": "bathroom",
    "exterior": "exterior",
}
_NAMED_ROOMS = frozenset(_ROOM_SLOTS)
_BARE = re.compile(
    r"^(?:a|an|the|one|two|three|four|five|six|\d+|no|all|plenty|lots|close|near|walk|walking|"
    r"steps|minutes|just|with|within|across|in|on|at)\b",
    re.IGNORECASE,
)
_MASS = frozenset(
    {
        "flooring",
        "storage",
        "parking",
        "plumbing",
        "wiring",
        "heating",
        "cooling",
        "air",
        "water",
        "landscaping",
        "lighting",
        "furniture",
        "insulation",
        "electrical",
        "roofing",
        "siding",
        "hvac",
        "equipment",
        "decor",
        "trim",
        "carpet",
        "tile",
        "hardwood",
        "granite",
        "quartz",
        "marble",
        "stone",
        "brick",
        "concrete",
        "glass",
        "space",
        "privacy",
        "access",
        "internet",
        "wifi",
        "shade",
        "furnishings",
        "throughout",
        "included",
    }
)

# Drop order when the length is short: colour first, then facts (lower = dropped later).
_KEEP_ADDRESS, _KEEP_PRICE, _KEEP_ROOMS, _KEEP_HIGHLIGHT, _KEEP_AREA, _KEEP_EXTRA = 0, 1, 2, 3, 4, 5
_KEEP_CLOSING, _KEEP_COLOUR = 8, 9


@dataclass
class _Draft:
    slot: str
    options: list[str]
    """Wordings of the same sentence, the plan's pick first."""
    facts: frozenset[str]
    keep: float
    """Lower is kept longer."""
    scene: int | None = None
    choice: int = 0
    labels: tuple[str, ...] = field(default=())
    """The facts in words, for a note when the sentence is dropped."""

    @property
    def text(self) -> str:
        return self.options[self.choice]

    def shortest(self, avoid: set[str]) -> None:
        """Take the wording with the fewest words whose frame is not in `avoid`."""
        fresh = [i for i in range(len(self.options)) if self.frame(i) not in avoid]
        pool = fresh or list(range(len(self.options)))
        self.choice = min(pool, key=lambda i: len(self.options[i].split()))

    def vary(self, avoid: set[str]) -> None:
        """Keep the plan's pick unless another sentence already opens the same way."""
        self.choice = next(
            (i for i in range(len(self.options)) if self.frame(i) not in avoid), self.choice
        )

    def frame(self, i: int | None = None) -> str:
        """The wording with the facts taken out, to tell two sentences built alike."""
        text = self.options[self.choice if i is None else i]
        for label in self.labels:
            text = re.sub(re.escape(label), "", text, flags=re.IGNORECASE)
        return " ".join(text.split()[:2])


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


def with_article(phrase: str) -> str:
    """'two-car garage' -> 'a two-car garage'; plurals, mass nouns and phrases that already
    start with a determiner or a preposition stay as they are."""
    words = phrase.split()
    last = re.sub(r"[^a-z]", "", words[-1].lower()) if words else ""
    plural = last.endswith("s") and not last.endswith(("ss", "us", "is"))
    counted = re.match(r"^(?:one|two|three|four|five|six|\d+)-", phrase)
    if not words or (_BARE.match(phrase) and not counted):
        return phrase
    if plural or last in _MASS:
        return phrase
    return ("an " if re.match(r"[aeiou]", phrase, re.IGNORECASE) else "a ") + phrase


def joined(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text[0].upper() + text[1:]


def _plan_seed(brief: ScriptBrief) -> str:
    """The listing's facts (not its photos) and the seed: the same listing reads the same."""
    facts = brief.listing.model_dump_json(exclude={"currency"})
    return hashlib.sha256(f"{facts}|{brief.style}|{brief.seed}".encode()).hexdigest()


class _Planner:
    def __init__(self, brief: ScriptBrief) -> None:
        self.brief = brief
        self.style: Style = brief.style
        self.rng = random.Random(_plan_seed(brief))  # noqa: S311 (wording, not secrets)

    def options(self, templates: Sequence[str], values: dict[str, str]) -> list[str]:
        usable = [t for t in templates if set(re.findall(r"{(\w+)}", t)) <= set(values)]
        self.rng.shuffle(usable)
        return [_sentence(t.format(**values)) for t in usable]

    def slot(self, slot: Slot, values: dict[str, str]) -> list[str]:
        return self.options(STYLE_TEMPLATES[self.style][slot], values)


def _opening(planner: _Planner, brief: ScriptBrief) -> _Draft | None:
    sheet = brief.sheet
    if not sheet.address and not sheet.city:
        return None
    facts: set[str] = set()
    values: dict[str, str] = {}
    address = sheet.address or ""
    says_city = bool(sheet.city and address and sheet.city.lower() in address.lower())
    if sheet.city and not says_city:
        if address:
            frame = planner.rng.choice(PLACE_FRAMES[planner.style])
            address = f"{address} {frame.format(city=sheet.city)}".strip()
        else:
            address = sheet.city
        facts.add("city")
    elif says_city:
        facts.add("city")
    if sheet.address:
        facts.add("address")
    values["address"] = address
    templates = [t for t in STYLE_TEMPLATES[planner.style]["opening"] if "{city}" not in t]
    labels = tuple(v for v in (sheet.address, sheet.city) if v)
    return _Draft("opening", planner.options(templates, values), frozenset(facts), _KEEP_ADDRESS,
                  labels=labels)  # fmt: skip


def _fact_drafts(planner: _Planner, brief: ScriptBrief) -> list[_Draft]:
    sheet = brief.sheet
    drafts: list[_Draft] = []
    if sheet.price is not None:
        price = format_price(sheet.price, STYLE_PRICE_FORMAT[planner.style])
        drafts.append(_Draft("price", planner.slot("price", {"price": price}),
                             frozenset({"price"}), _KEEP_PRICE, labels=("the price",)))  # fmt: skip
    rooms_facts = frozenset(k for k, v in (("beds", sheet.beds), ("baths", sheet.baths))
                            if v is not None)  # fmt: skip
    rooms = rooms_phrase(sheet.beds, sheet.baths) if rooms_facts else None
    area = format_area(sheet.area_sqft) if sheet.area_sqft is not None else None
    together = rooms is not None and area is not None and planner.rng.random() < 0.5
    if together and rooms and area:
        frames = ROOMS_AREA_FRAMES[planner.style]
        drafts.append(_Draft("rooms", planner.options(frames, {"rooms": rooms, "area": area}),
                             rooms_facts | {"area"}, _KEEP_ROOMS,
                             labels=("the bedrooms and baths", "the area")))  # fmt: skip
    else:
        if rooms:
            drafts.append(_Draft("rooms", planner.slot("rooms", {"rooms": rooms}), rooms_facts,
                                 _KEEP_ROOMS, labels=("the bedrooms and baths",)))  # fmt: skip
        if area:
            area_line = planner.slot("area", {"area": area})
            drafts.append(_Draft("area", area_line, frozenset({"area"}), _KEEP_AREA,
                                 labels=("the area",)))  # fmt: skip
    drafts.extend(_highlight_drafts(planner, brief))
    for name, (key, label, frames) in OPTIONAL_FACT_FRAMES.items():
        value = getattr(brief.listing, name, None)
        if value is not None and key in sheet.keys:
            drafts.append(_Draft("extra", planner.options(frames, {"value": str(value)}),
                                 frozenset({key}), _KEEP_EXTRA, labels=(label,)))  # fmt: skip
    return drafts


def _highlight_drafts(planner: _Planner, brief: ScriptBrief) -> list[_Draft]:
    """The highlights in sentences of one or two; one that names a room gets its own."""
    items = sorted(brief.sheet.highlights.items())
    groups: list[list[tuple[int, str]]] = []
    pending: list[tuple[int, str]] = []
    for index, text in items:
        if _names_room(text) or re.search(r"\d\W*$", text):
            groups.append([(index, text)])  # its room's scene; a number ends its sentence
            continue
        pending.append((index, text))
        if len(pending) == 2 or planner.rng.random() < 0.35:
            groups.append(pending)
            pending = []
    if pending:
        groups.append(pending)
    drafts = []
    all_frames = list(HIGHLIGHT_FRAMES[planner.style])
    planner.rng.shuffle(all_frames)
    for rank, group in enumerate(groups):
        phrase = joined([with_article(text) for _, text in group])
        frames = all_frames
        if re.search(r"\d\W*$", phrase):  # a word after a number would read as its unit
            frames = [f for f in all_frames if re.search(r"{highlights}\W*$", f)]
        turn = rank % len(frames)
        options = [_sentence(f.format(highlights=phrase)) for f in frames[turn:] + frames[:turn]]
        drafts.append(
            _Draft(
                "highlight",
                options,
                frozenset(f"highlight:{i}" for i, _ in group),
                _KEEP_HIGHLIGHT + min(rank, 2) * 0.1,
                labels=tuple(text for _, text in group),
            )
        )
    return drafts


def _names_room(text: str) -> str | None:
    for room in _NAMED_ROOMS:
        terms = ROOM_TERMS.get(room, ())
        if terms and re.search(
            r"\b(" + "|".join(map(re.escape, terms)) + r")\b", text, re.IGNORECASE
        ):
            return room
    return None


class _Scenes:
    """Which scene says what: spoken seconds per scene, and where each kind of line belongs."""

    def __init__(self, brief: ScriptBrief) -> None:
        self.brief = brief
        self.rooms = [shot.room for shot in brief.shots]
        self.count = len(self.rooms)

    def known(self) -> list[int]:
        """Scenes whose room is known, best photo first (never the opening)."""
        scenes = [i for i in range(1, self.count) if self.rooms[i] in _NAMED_ROOMS]
        analyses = self.brief.analyses
        return sorted(
            scenes, key=lambda i: -photo_quality(analyses[self.brief.shots[i].photo_index])
        )

    def first(self, room: str) -> int | None:
        return next((i for i in range(1, self.count) if self.rooms[i] == room), None)


def _place(drafts: list[_Draft], scenes: _Scenes) -> None:
    """Give every draft a scene (None only when there are no scenes)."""
    if scenes.count == 0:
        return
    taken: dict[int, int] = {}

    def put(draft: _Draft, scene: int) -> None:
        draft.scene = scene
        taken[scene] = taken.get(scene, 0) + 1

    def free(prefer_known: bool = True) -> int:
        inner = list(range(1, scenes.count - 1)) or list(range(scenes.count))
        known = [i for i in inner if scenes.rooms[i] in _NAMED_ROOMS]
        pool = known if prefer_known and known else inner
        return min(pool, key=lambda i: (taken.get(i, 0), i))

    for draft in drafts:
        if draft.slot == "opening":
            put(draft, 0)
        elif draft.slot == "closing" and scenes.count > 1:
            put(draft, scenes.count - 1)
    for draft in drafts:
        if draft.scene is not None or draft.slot in {"opening", "closing"}:
            continue
        if draft.slot == "price":
            best = scenes.known()
            put(draft, best[0] if best else 0)
        elif draft.keep == _KEEP_COLOUR:
            continue
        elif draft.slot == "highlight" and (room := _names_room(" ".join(draft.labels))):
            where = scenes.first(room)
            put(draft, where if where is not None else free())
        elif draft.slot == "rooms":
            where = scenes.first("bedroom")
            put(draft, where if where is not None and not taken.get(where) else free())
        elif draft.slot == "area":
            where = scenes.first("living_room")
            put(draft, where if where is not None and not taken.get(where) else free())
        else:
            put(draft, free())
    for draft in drafts:
        if draft.slot == "closing" and draft.scene is None:
            put(draft, scenes.count - 1)
    for draft in drafts:
        if draft.keep == _KEEP_COLOUR and draft.scene is not None and taken.get(draft.scene):
            draft.scene = None  # a room that already has a fact sentence needs no colour


def _colour(planner: _Planner, brief: ScriptBrief) -> list[_Draft]:
    """One line of room colour per confidently labelled room, for scenes with time to spare."""
    drafts = []
    seen: set[str] = set()
    for scene, shot in enumerate(brief.shots):
        if scene == 0 or shot.room not in _ROOM_SLOTS or shot.room in seen:
            continue
        seen.add(shot.room)
        options = planner.slot(_ROOM_SLOTS[shot.room], {})
        if options:
            drafts.append(_Draft(_ROOM_SLOTS[shot.room], options, frozenset({f"room:{shot.room}"}),
                                 _KEEP_COLOUR, scene=scene))  # fmt: skip
    return drafts


def _seconds(draft: _Draft, wpm: float) -> float:
    return estimate_seconds(draft.text, wpm)


def scene_budget(length_seconds: float) -> float:
    """Seconds of photos a video of this length has, after the default cards."""
    intro, outro = card_seconds()
    return length_seconds - intro - outro


def spoken_fits(
    per_scene: Sequence[float], length_seconds: float, *, floor: float = MIN_SCENE_SECONDS
) -> bool:
    """True when scenes holding `per_scene` seconds of speech fit in the length's photos,
    each scene lasting at least `floor`. The last scene's words may run on over the outro
    card, as the voice does; below `MIN_SCENE_SECONDS` the voice also begins in the cold open
    and a scene's words run on over the silent photos after it, as the narration fit does
    for a short length."""
    intro, outro = card_seconds()
    needs = spoken_needs(per_scene, intro=intro, outro=outro, relaxed=floor < MIN_SCENE_SECONDS)
    return sum(max(floor, n) for n in needs) <= scene_budget(length_seconds) + 1e-6


def readable_floor(length_seconds: float, scenes: int) -> float:
    """The shortest a scene may be: `READABLE_SECONDS`, or less when even the fewest photos
    cannot all hold it (a very short video)."""
    share = scene_budget(length_seconds) / max(scenes, 1)
    return max(SHOT_FLOOR_SECONDS, min(READABLE_SECONDS, share))


def _per_scene(drafts: Sequence[_Draft], count: int, wpm: float) -> list[float]:
    seconds = [0.0] * max(count, 1)
    for d in drafts:
        if d.scene is not None:
            seconds[d.scene] += _seconds(d, wpm)
    return seconds


def _fit(drafts: list[_Draft], brief: ScriptBrief) -> tuple[list[_Draft], list[str]]:
    """The drafts that fit the length, and the facts dropped to get there.

    In turn: every sentence with comfortable scenes; each slot's shortest wording; without
    room colour and the closing; silent scenes cut short (down to `SHOT_FLOOR_SECONDS`);
    a sentence moved onto an empty last scene (its words may run on over the outro card);
    and only then without facts, the least important first.
    """
    wpm = brief.words_per_minute
    count = len(brief.shots)
    kept = [d for d in drafts if d.scene is not None or count == 0]

    def fits(floor: float = MIN_SCENE_SECONDS) -> bool:
        return spoken_fits(_per_scene(kept, count, wpm), brief.length_seconds, floor=floor)

    if fits():
        return kept, []
    used: set[str] = set()
    for d in kept:
        d.shortest(used)
        used.add(d.frame())
    while not fits():
        extras = [d for d in kept if d.keep >= _KEEP_CLOSING]
        if not extras:
            break
        kept.remove(max(extras, key=lambda d: (d.keep, kept.index(d))))
    dropped: list[str] = []
    floor = readable_floor(brief.length_seconds, count)
    while not fits(floor):
        droppable = [d for d in kept if d.keep > _KEEP_ADDRESS]
        if not droppable:
            break
        worst = max(droppable, key=lambda d: (d.keep, kept.index(d)))
        last = count - 1
        if count > 1 and worst.scene != last and all(d.scene != last for d in kept):
            was, worst.scene = worst.scene, last  # the last scene's words run on into the outro
            if fits(floor):
                break
            worst.scene = was
        kept.remove(worst)
        dropped.extend(worst.labels)
    return kept, dropped


def _terse(planner: _Planner, brief: ScriptBrief) -> tuple[list[_Draft], list[str]]:
    """The fewest words that say every fact, for a length too short for sentences: "88 Willow
    Road. $615,000. Three bedrooms, two baths, 1,850 square feet, with a renovated kitchen."
    All of it is spoken from the cold open (which shows the address and the price) on, over
    the photos, as one run of words, counting on a free voice spoken up to `FASTEST_RATE`
    faster (a paid one makes the video longer instead). Facts go only when even this is too long,
    the last-listed first."""
    sheet = brief.sheet
    drafts: list[_Draft] = []
    count = len(brief.shots)
    if sheet.address or sheet.city:
        says_city = bool(
            sheet.city and sheet.address and sheet.city.lower() in sheet.address.lower()
        )
        place = ", ".join(v for v in (sheet.address, None if says_city else sheet.city) if v)
        facts = {k for k, v in (("address", sheet.address), ("city", sheet.city)) if v}
        drafts.append(_Draft("opening", [_sentence(place + ".")], frozenset(facts),
                             _KEEP_ADDRESS, scene=0))  # fmt: skip
    if sheet.price is not None:
        price = format_price(sheet.price, STYLE_PRICE_FORMAT[planner.style])
        drafts.append(_Draft("price", [price + "."], frozenset({"price"}), _KEEP_PRICE,
                             scene=0, labels=("the price",)))  # fmt: skip
    parts: list[tuple[str, str, str]] = []  # (words, fact key, label)
    if sheet.beds is not None or sheet.baths is not None:
        rooms = ", ".join(
            p for p in (rooms_phrase(sheet.beds, None), rooms_phrase(None, sheet.baths)) if p
        )
        keys = ",".join(
            k for k, v in (("beds", sheet.beds), ("baths", sheet.baths)) if v is not None
        )
        parts.append((rooms, keys, "the bedrooms and baths"))
    if sheet.area_sqft is not None:
        parts.append((f"{format_area(sheet.area_sqft)} square feet", "area", "the area"))
    extras = [
        (f"{label} {getattr(brief.listing, name)}", key, label)
        for name, (key, label, _) in OPTIONAL_FACT_FRAMES.items()
        if getattr(brief.listing, name, None) is not None and key in sheet.keys
    ]
    ends_in_number = re.compile(r"\d\W*$")  # goes last: a word after it reads as its unit
    highlights = [
        (with_article(t), f"highlight:{i}", t)
        for i, t in sorted(
            sheet.highlights.items(), key=lambda h: bool(ends_in_number.search(h[1]))
        )
    ]
    wpm = brief.words_per_minute
    dropped: list[str] = []
    while True:
        words = ", ".join(p for p, _, _ in parts)
        if highlights:
            words += (", with " if words else "with ") + joined([h for h, _, _ in highlights])
        sentences = [_sentence(w + ".") for w in [words, *(p for p, _, _ in extras)] if w]
        rest: list[_Draft] = []
        if sentences:
            said = frozenset(k for _, key, _ in parts + extras + highlights for k in key.split(","))
            rest = [_Draft("rooms", [" ".join(sentences)], said, _KEEP_ROOMS, scene=0)]
        kept = drafts + rest
        floor = readable_floor(brief.length_seconds, count)
        for rate in (1.0, FASTEST_RATE):  # a free voice is sped up before facts go
            per_scene = _per_scene(kept, count, wpm * rate)
            if spoken_fits(per_scene, brief.length_seconds, floor=floor):
                return kept, dropped
        pool = extras or highlights or parts
        if not pool:
            return kept, dropped
        area = [p for p in parts if p[1] == "area"]
        gone = area[0] if pool is parts and area else pool[-1]
        pool.remove(gone)
        dropped.append(gone[2])


class RuleBasedScriptWriter:
    """The default writer: no network, no key, the same script for the same listing."""

    name = "rule-based"

    def write(self, brief: ScriptBrief) -> Script:
        planner = _Planner(brief)
        opening = _opening(planner, brief)
        drafts = [d for d in [opening] if d is not None]
        drafts += _fact_drafts(planner, brief)
        closing = planner.slot("closing", {})
        if closing:
            drafts.append(_Draft("closing", closing, frozenset(), _KEEP_CLOSING))
        drafts += _colour(planner, brief)
        opened: set[str] = set()
        for draft in drafts:  # no two sentences open alike ("It comes with ... It comes with")
            draft.vary(opened)
            opened.add(draft.frame())
        scenes = _Scenes(brief)
        _place(drafts, scenes)
        kept, dropped = _fit(drafts, brief)
        if dropped and brief.shots:
            terse, terse_dropped = _terse(planner, brief)
            if len(terse_dropped) < len(dropped):
                kept, dropped = terse, terse_dropped
                drafts = terse
        order = {id(d): i for i, d in enumerate(drafts)}
        kept.sort(key=lambda d: (d.scene if d.scene is not None else 0, order[id(d)]))
        lines = tuple(
            ScriptLine(
                text=d.text,
                facts=d.facts,
                photo_index=brief.shots[d.scene].photo_index if d.scene is not None else None,
                duration=_seconds(d, brief.words_per_minute),
                slot=d.slot,
            )
            for d in kept
        )
        notes: tuple[str, ...] = ()
        if dropped:
            notes = (
                f"A {brief.length_seconds:g} s video has no time to say: {', '.join(dropped)}. "
                "Make it longer to include them.",
            )
        return Script(
            lines=lines,
            style=brief.style,
            seed=brief.seed,
            length_seconds=brief.length_seconds,
            words_per_minute=brief.words_per_minute,
            writer=self.name,
            notes=notes,
        )
