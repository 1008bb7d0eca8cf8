"""Every channel shows the storyboard's total and what had to give, in plain words."""

from __future__ import annotations

from pathlib import Path

from reelestate.agent.events import SceneSummary, StoryboardReady
from reelestate.bots.telegram.text import storyboard_text
from reelestate.chat_ui.present import storyboard_markdown

EVENT = StoryboardReady(
    version=3, reason="shorter", total_seconds=15.0, aspect="9:16", style="modern",
    music="calm", voice="en-us", storyboard_file=Path("/x.json"),
    scenes=[SceneSummary(number=1, photo_number=1, room="exterior", seconds=9.5,
                         caption="Welcome", motion="pan_right", motion_words="Slow pan right")],
    total_words="Total 15.0 s (intro 2.5 s, 1 photo 9.5 s, outro 3.0 s)",
    notes=["Left out photo 4 (a near copy of photo 2) to fit 15 s."],
)  # fmt: skip


def test_the_web_chat_shows_total_motion_words_and_notes() -> None:
    text = storyboard_markdown(EVENT)
    assert "**Total 15.0 s (intro 2.5 s, 1 photo 9.5 s, outro 3.0 s)**" in text
    assert "Slow pan right" in text and "pan_right" not in text
    assert "_Left out photo 4 (a near copy of photo 2) to fit 15 s._" in text


def test_the_bot_shows_total_motion_words_and_notes() -> None:
    text = storyboard_text(EVENT)
    assert "Total 15" in text and "outro 3" in text
    assert "Slow pan right" in text and "pan_right" not in text
    assert "Left out photo 4" in text
