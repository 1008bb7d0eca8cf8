"""The chat settings panel, and what each change means to the assistant.

Storyboard settings (style, voice, music, aspect, length) are changes to the storyboard, so they
reach the assistant as the words a person would type; presentation settings (captions, brand
kit) apply to every render of the conversation.
"""

from __future__ import annotations

from typing import Any

from chainlit.input_widget import InputWidget, Select, Slider, Switch

STYLES = ["modern", "luxury", "cozy", "energetic", "minimal"]
STYLE_PHRASES = {
    "modern": "modern style",
    "luxury": "more luxurious",
    "cozy": "make it cozy",
    "energetic": "make it more energetic",
    "minimal": "go minimal",
}
VOICE_PHRASES = {
    "American": "american voice",
    "British": "british accent",
    "Female": "female voice",
    "Male": "male voice please",
    "ElevenLabs": "use the ElevenLabs voice",
    "OpenAI": "narrate it with the OpenAI voice",
}
MUSIC_PHRASES = {
    "calm": "calmer music",
    "upbeat": "more upbeat music",
    "elegant": "use elegant music",
    "warm": "warmer music",
    "minimal": "subtle background music",
    "off": "no music",
}
ASPECT_PHRASES = {
    "9:16 vertical": "vertical for TikTok",
    "1:1 square": "make it square",
    "16:9 horizontal": "make it horizontal",
    "4:5 feed": "4:5 for the Instagram feed",
}
NO_BRAND = "No brand kit"


def widgets(
    brand_kits: list[str], *, length: float, brand_kit: str = NO_BRAND
) -> list[InputWidget]:
    return [
        Select(id="style", label="Style", values=STYLES, initial_value="modern"),
        Select(id="voice", label="Voice", values=list(VOICE_PHRASES), initial_value="American"),
        Select(id="music", label="Music", values=list(MUSIC_PHRASES), initial_value="calm"),
        Select(
            id="aspect", label="Shape", values=list(ASPECT_PHRASES), initial_value="9:16 vertical"
        ),
        Slider(id="length", label="Length (seconds)", initial=length, min=15, max=60, step=5),
        Switch(id="captions", label="Captions", initial=True),
        Select(
            id="brand_kit",
            label="Brand kit",
            values=[NO_BRAND, *brand_kits],
            initial_value=brand_kit if brand_kit in brand_kits else NO_BRAND,
        ),
    ]


def change_phrases(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What to tell the assistant for each storyboard setting that changed."""
    phrases: list[str] = []
    tables = (
        ("style", STYLE_PHRASES),
        ("voice", VOICE_PHRASES),
        ("music", MUSIC_PHRASES),
        ("aspect", ASPECT_PHRASES),
    )
    for key, table in tables:
        value = new.get(key)
        if value != old.get(key) and value in table:
            phrases.append(table[value])
    if new.get("length") is not None and new.get("length") != old.get("length"):
        phrases.append(f"make it {float(new['length']):g} seconds")
    return phrases
