"""The first conversation of a new organisation's owner: a few questions that become its first
brand kit, asked one at a time, each answerable with "skip".

The steps are plain code (`Onboarding.answer` takes text, and at the brand step an attached
logo, and returns the next question), so they are tested without a browser; a logo is checked
when it arrives and refused with the reason, asking the same question again. The chat keeps
the `Onboarding` in the user session and, when the last answer is in, stores the kit (and its
logo, the way the REST logo upload does) and marks the organisation onboarded. Everything stays
changeable later: in plain words ("make the accent colour gold") or in the settings panel.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reelestate.core.errors import PhotoError
from reelestate.core.imaging import MAX_DECODED_PIXELS
from reelestate.services.kit_logo import LIMIT_MB, LogoFile, check_logo

SKIP = re.compile(r"^\s*(skip|no|none|later|not now|-)\s*[.!]?\s*$", re.IGNORECASE)
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b")
_PHONE = re.compile(r"\+?[\d][\d ()./-]{5,}\d")
_YES = re.compile(r"^\s*(yes|yeah|yep|sure|ok|okay|please|link)\b", re.IGNORECASE)

QUESTIONS = {
    "brokerage": "Welcome to ReelEstate Studio! Let's set up your videos in four quick steps "
    "(answer **skip** to any of them).\n\n**1/4 What is your brokerage called?**",
    "agent": "**2/4 Your name and phone number**, as they should appear on the end card "
    "(for example *Ann Lee, 555-0100*).",
    "brand": "**3/4 Brand colours and logo:** attach your logo (PNG, JPEG or WebP, at most "
    f"{LIMIT_MB} MB) and/or give one or two hex colours, main colour first "
    "(for example *#1F3A5F #F2B134*), or **skip** for our navy and gold.",
    "voice": "**4/4 A voice for the narration:** *female*, *male*, or a voice name such as "
    "*openai:nova*; **skip** keeps the default voice.",
    "telegram": "Would you like to make videos from your phone too? Answer **yes** to link "
    "Telegram, or **skip**.",
}
ORDER = ("brokerage", "agent", "brand", "voice", "telegram")
VOICE_WORDS = {"female": "espeak:en-us+f3", "male": "espeak:en-us"}


@dataclass
class Onboarding:
    step: str = ORDER[0]
    answers: dict[str, Any] = field(default_factory=dict)
    wants_telegram: bool = False
    logo: LogoFile | None = None
    max_image_pixels: int = MAX_DECODED_PIXELS

    @property
    def done(self) -> bool:
        return self.step == "done"

    def question(self) -> str:
        return QUESTIONS[self.step]

    def answer(self, text: str, images: Sequence[tuple[str, Path]] = ()) -> str | None:
        """Take the answer to the current question; returns the next question, or None when
        every question is answered.

        `images` (name, file) attached to the answer: at the brand step the first is the logo,
        kept even when the text says "skip" (the colours are skipped); one that cannot be a
        logo is answered with the reason and the same question. Elsewhere they are ignored."""
        if self.step == "brand" and images:
            name, path = images[0]
            try:
                self.logo = check_logo(path, name=name, max_pixels=self.max_image_pixels)
            except PhotoError as exc:
                reason = f"{exc.message} {exc.hint or ''}".strip()
                return f"{reason}\n\n{self.question()}"
        skipped = bool(SKIP.match(text))
        if not skipped:
            getattr(self, f"_{self.step}")(text.strip())
        following = ORDER.index(self.step) + 1
        self.step = ORDER[following] if following < len(ORDER) else "done"
        return None if self.done else self.question()

    def _brokerage(self, text: str) -> None:
        self.answers["brokerage"] = text[:80]

    def _agent(self, text: str) -> None:
        phone = _PHONE.search(text)
        name = text
        if phone:
            self.answers["agent_phone"] = phone[0].strip()[:40]
            name = (text[: phone.start()] + text[phone.end() :]).strip(" ,;-")
        if name:
            self.answers["agent_name"] = name[:80]

    def _brand(self, text: str) -> None:
        colours = _COLOUR.findall(text)
        if colours:
            self.answers["primary_color"] = colours[0].upper()
        if len(colours) > 1:
            self.answers["accent_color"] = colours[1].upper()

    def _voice(self, text: str) -> None:
        word = text.lower()
        self.answers["voice"] = VOICE_WORDS.get(word, text if ":" in text else None)
        if self.answers["voice"] is None:
            del self.answers["voice"]

    def _telegram(self, text: str) -> None:
        self.wants_telegram = bool(_YES.match(text))

    def kit(self) -> tuple[str, dict[str, Any]]:
        """The brand kit's name and data."""
        name = str(self.answers.get("brokerage") or "My brand")
        data = {k: v for k, v in self.answers.items() if k != "brokerage"}
        return name, data

    def summary(self) -> str:
        name, data = self.kit()
        parts = [f"**{name}**"]
        if data.get("agent_name") or data.get("agent_phone"):
            parts.append(" ".join(str(data.get(k, "")) for k in ("agent_name", "agent_phone")))
        if data.get("primary_color"):
            parts.append(f"colours {data['primary_color']} {data.get('accent_color', '')}".strip())
        if self.logo is not None:
            parts.append(f"logo {self.logo.name}")
        if data.get("voice"):
            parts.append(f"voice {data['voice']}")
        return ", ".join(p.strip() for p in parts if p.strip())
