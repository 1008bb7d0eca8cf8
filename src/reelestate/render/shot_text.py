"""What is written over each shot: the logo, titles, callouts, the cold open and the outro.

A shot whose photo is framed between panels (`shot_layout.on_page`) carries its text on the
panels (`panel_text`); any other shot carries it over the photo. A piece of text that two
neighbouring shots both show is one overlay: it neither fades out of the first nor comes in
again on the second, so the street, the facts strip or the logo hold still across the cut.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reelestate.core.imaging import DecodedPhoto
from reelestate.providers.tts.base import WordTiming
from reelestate.render.callouts import Callout, closing_call, cold_open, stat_callouts
from reelestate.render.captions import Cue
from reelestate.render.layout import Panels, panels
from reelestate.render.overlays import disclosure_overlay, logo_overlay
from reelestate.render.panel_text import (
    facts_strip,
    headline_callouts,
    headline_for,
    kicker_for,
    opening_facts,
)
from reelestate.render.segments import ShotOverlay
from reelestate.render.shot_layout import on_page
from reelestate.render.spec import ASPECT_SIZES, RenderSpec
from reelestate.render.timeline import Shot, Timeline


def render_size(photo: DecodedPhoto, spec: RenderSpec) -> tuple[int, int]:
    """The upright size a shot's source will have: the photo, at most twice the final frame's
    long side, as the shot loader decodes it."""
    w, h = photo.original_width, photo.original_height
    limit = 2 * max(ASPECT_SIZES[spec.aspect])
    if max(w, h) <= limit:
        return w, h
    scale = limit / max(w, h)
    return max(1, round(w * scale)), max(1, round(h * scale))


def paged_shots(
    spec: RenderSpec, timeline: Timeline, sizes: dict[Path, tuple[int, int]]
) -> set[int]:
    """The shots whose photo sits between text panels."""
    result = set()
    for shot in timeline.shots:
        if shot.photo is None or shot.clip is not None or shot.card is not None:
            continue
        if shot.photo not in sizes:
            continue
        w, h = sizes[shot.photo]
        if on_page(w, h, spec.aspect, shot.motion, focal=shot.focal, fit=shot.fit):
            result.add(shot.index)
    return result


def title_cues(timeline: Timeline, paged: set[int]) -> list[Cue]:
    """Each scene's title as a caption at the top, except where the top panel shows it."""
    cues = []
    for shot in timeline.shots:
        if shot.caption and shot.index not in paged:
            start = timeline.seconds(shot.start_frame) + 0.2
            end = timeline.seconds(shot.end_frame - shot.transition_frames) - 0.1
            if end > start:
                word = WordTiming(word=shot.caption, start=start, end=end)
                cues.append(Cue(words=(word,), start=start, end=end, style="Title"))
    return cues


def _moving(callouts: list[Callout], *, fade: bool) -> list[ShotOverlay]:
    return [ShotOverlay(c.overlay, fade=fade, delay=c.delay) for c in callouts]


def _page_text(spec: RenderSpec, shot: Shot, page: Panels, first_scene: bool) -> list[ShotOverlay]:
    opening = shot.kind == "intro" or first_scene
    kicker = kicker_for(spec.facts, opening=opening)
    caption = None if shot.kind == "intro" else shot.caption
    headline = headline_for(spec.facts, caption, spec.title)
    if headline and kicker and headline.upper() == kicker:
        kicker = None
    items = _moving(headline_callouts(page, kicker, headline, spec.brand, delay=0.1), fade=True)
    if spec.facts is not None:
        if shot.kind == "intro":
            items += _moving(opening_facts(page, spec.facts, spec.brand), fade=True)
        else:
            strip = facts_strip(page, spec.facts, spec.brand, delay=0.3)
            items += _moving(strip, fade=True)
    return items


def _photo_text(spec: RenderSpec, shot: Shot) -> list[ShotOverlay]:
    w, h = spec.size
    if shot.kind == "intro":
        return _moving(cold_open(spec.aspect, w, h, spec.facts, spec.title, spec.brand), fade=True)
    if shot.overlay == "lower_third" and spec.facts is not None:
        return _moving(stat_callouts(spec.aspect, w, h, spec.facts, spec.brand), fade=True)
    return []


def shot_overlays(
    spec: RenderSpec, timeline: Timeline, paged: set[int]
) -> dict[int, list[ShotOverlay]]:
    """What is drawn over each shot, with pieces shared by neighbours held across the cut."""
    w, h = spec.size
    branded = not spec.flags.unbranded
    logo = logo_overlay(spec.aspect, w, h, spec.brand) if branded else None
    disclosure = disclosure_overlay(spec.aspect, w, h) if spec.flags.ai_disclosure else None
    page = panels(spec.aspect, w, h)
    first_photo = next((s.index for s in timeline.shots if s.kind == "photo"), -1)
    result: dict[int, list[ShotOverlay]] = {}
    for shot in timeline.shots:
        items: list[ShotOverlay] = []
        if shot.card is not None:
            result[shot.index] = items  # the card sets its own facts, agent and logo
            continue
        if shot.kind in ("photo", "intro") and logo is not None:
            items.append(ShotOverlay(logo, fade=False))
        if shot.kind == "outro":
            closing = closing_call(spec.aspect, w, h, spec.brand)
            items.extend(_moving(closing, fade=False))
        elif page is not None and shot.index in paged:
            items.extend(_page_text(spec, shot, page, shot.index == first_photo))
        else:
            items.extend(_photo_text(spec, shot))
        if shot.kind == "photo" and shot.ai_generated and disclosure is not None:
            items.append(ShotOverlay(disclosure, fade=False))
        result[shot.index] = items
    return _held_across_cuts(timeline, result)


def _held_across_cuts(
    timeline: Timeline, overlays: dict[int, list[ShotOverlay]]
) -> dict[int, list[ShotOverlay]]:
    """A piece the next shot shows too stays solid to the end; one the previous shot showed
    is there from the start instead of coming in again."""
    held: dict[int, list[ShotOverlay]] = {}
    shots = timeline.shots
    for i, shot in enumerate(shots):
        before = {o.overlay.key for o in overlays[shots[i - 1].index]} if i > 0 else set()
        after = (
            {o.overlay.key for o in overlays[shots[i + 1].index]} if i + 1 < len(shots) else set()
        )
        items = []
        for item in overlays[shot.index]:
            key = item.overlay.key
            fade = item.fade and key not in after
            delay = None if key in before else item.delay
            items.append(replace(item, fade=fade, delay=delay))
        held[shot.index] = items
    return held
