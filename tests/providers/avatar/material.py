"""A drawn headshot OpenCV's frontal-face cascade finds, and a short voice WAV."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


def _face(draw: ImageDraw.ImageDraw, ox: float) -> None:
    draw.rectangle((ox + 60, 250, ox + 260, 320), fill=(40, 50, 80))
    draw.rectangle((ox + 135, 210, ox + 185, 260), fill=(205, 160, 130))
    draw.ellipse((ox + 85, 55, ox + 235, 245), fill=(220, 175, 145))
    draw.chord((ox + 80, 35, ox + 240, 150), 180, 360, fill=(60, 40, 30))
    for x in (125, 195):
        draw.ellipse((ox + x - 18, 128, ox + x + 18, 146), fill=(245, 245, 245))
        draw.ellipse((ox + x - 8, 129, ox + x + 8, 145), fill=(40, 30, 25))
        draw.rectangle((ox + x - 22, 110, ox + x + 20, 117), fill=(60, 40, 30))
    draw.polygon([(ox + 160, 140), (ox + 150, 185), (ox + 170, 185)], fill=(195, 150, 120))
    draw.ellipse((ox + 130, 200, ox + 190, 218), fill=(150, 70, 70))


def headshot(path: Path, faces: int = 1) -> Path:
    """A 320-high drawing of `faces` faces side by side (0: an empty backdrop)."""
    img = Image.new("RGB", (320 * max(faces, 1), 320), (70, 90, 110))
    draw = ImageDraw.Draw(img)
    for i in range(faces):
        _face(draw, 320 * i)
    img.filter(ImageFilter.GaussianBlur(2)).save(path, quality=92)
    return path


def voice(path: Path, seconds: float = 1.2, rate: int = 16000) -> Path:
    """A tone that swells and fades, like a phrase: loud enough for the ring to move."""
    t = np.arange(round(seconds * rate)) / rate
    envelope = np.sin(np.pi * t / seconds) ** 2
    samples = (0.5 * envelope * np.sin(2 * np.pi * 220 * t) * 32767).astype(np.int16)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path
