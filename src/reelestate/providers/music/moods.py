"""The musical choices behind each mood: tempo, key, chords and how busy the bed is.

Kept apart from the synthesis so the sound of a mood can be tuned without touching DSP code.
Chords are semitones above the key's root; the root is a MIDI note number.
"""

from __future__ import annotations

from dataclasses import dataclass

Chord = tuple[int, ...]


@dataclass(frozen=True)
class MoodStyle:
    bpm: float
    root: int
    progression: tuple[Chord, ...]
    beats_per_chord: int
    arp_step: float
    """Beats between arpeggio notes (0.5 = eighths); 0 turns the arpeggio off."""
    arp_level: float
    pluck_decay: float
    """Seconds for a plucked note to fall by 1/e."""
    bass_level: float
    bass_pulse: bool
    """True: a bass note on every beat; False: one long note per chord."""
    pad_level: float
    pad_brightness: float
    """0..1: how much of the upper harmonics the pad keeps."""


MOODS: dict[str, MoodStyle] = {
    # Gmaj7 - Cmaj7 - Em7 - D7: slow, open, no pulse.
    "calm": MoodStyle(
        bpm=66,
        root=55,
        progression=((0, 4, 7, 11), (5, 9, 12, 16), (9, 12, 16, 19), (7, 11, 14, 17)),
        beats_per_chord=8,
        arp_step=1.0,
        arp_level=0.22,
        pluck_decay=0.55,
        bass_level=0.22,
        bass_pulse=False,
        pad_level=0.30,
        pad_brightness=0.35,
    ),
    # Aadd9 - F#m7 - Dmaj7 - E(sus): a friendly pop progression at walking pace.
    "warm": MoodStyle(
        bpm=84,
        root=57,
        progression=((0, 4, 7, 14), (9, 12, 16, 19), (5, 9, 12, 16), (7, 12, 14, 19)),
        beats_per_chord=4,
        arp_step=0.5,
        arp_level=0.20,
        pluck_decay=0.40,
        bass_level=0.24,
        bass_pulse=False,
        pad_level=0.26,
        pad_brightness=0.45,
    ),
    # C - G - Am - F with eighth-note plucks and a bass on every beat.
    "upbeat": MoodStyle(
        bpm=112,
        root=60,
        progression=((0, 4, 7, 12), (7, 11, 14, 19), (9, 12, 16, 21), (5, 9, 12, 17)),
        beats_per_chord=4,
        arp_step=0.5,
        arp_level=0.24,
        pluck_decay=0.28,
        bass_level=0.26,
        bass_pulse=True,
        pad_level=0.20,
        pad_brightness=0.50,
    ),
    # Cm7 - F7 - Bbmaj7 - Gm7: a ii-V-I turn, unhurried.
    "elegant": MoodStyle(
        bpm=72,
        root=58,
        progression=((2, 5, 9, 12), (7, 11, 14, 17), (0, 4, 7, 11), (9, 12, 16, 19)),
        beats_per_chord=4,
        arp_step=1.0,
        arp_level=0.22,
        pluck_decay=0.65,
        bass_level=0.22,
        bass_pulse=False,
        pad_level=0.26,
        pad_brightness=0.30,
    ),
    # Am7 - Fmaj7, long chords and a sparse pluck.
    "minimal": MoodStyle(
        bpm=80,
        root=57,
        progression=((0, 3, 7, 10), (-4, 0, 3, 7)),
        beats_per_chord=8,
        arp_step=2.0,
        arp_level=0.20,
        pluck_decay=0.70,
        bass_level=0.12,
        bass_pulse=False,
        pad_level=0.28,
        pad_brightness=0.25,
    ),
}
