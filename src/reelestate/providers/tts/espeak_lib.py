"""The espeak-ng C library through ctypes: speech samples and word events, nothing more.

The library keeps its voice, rate and output callback in process-wide state, so every
call into it holds one lock and the library is initialised once per process.
"""

from __future__ import annotations

import ctypes
import re
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from reelestate.core.errors import ConfigurationError, InvalidInputError, ProviderError

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_PARAM_RATE = 1
_EVENT_LIST_TERMINATED = 0
_EVENT_WORD = 1
_EE_OK = 0
_EE_NOT_FOUND = 2
MIN_WPM = 80
MAX_WPM = 450
INSTALL_HINT = "Install it with: apt-get install espeak-ng libespeak-ng1"
_VOICE_NAME = re.compile(r"^[A-Za-z0-9_\-/+ ().]{1,80}$")
_LIBRARY_STATE_LOCK = threading.RLock()
"""Guards espeak's process-wide state (voice, rate, callback buffers); re-entrant so an error
path may list voices while holding it."""


class _Event(ctypes.Structure):
    _fields_ = (
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_char * 8),
    )


class _Voice(ctypes.Structure):
    _fields_ = (
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    )


_Callback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


@dataclass(frozen=True)
class WordEvent:
    """Where espeak says a word begins: a span of the input (code points) and a sample index."""

    char_start: int
    length: int
    sample: int


@dataclass(frozen=True)
class RawSpeech:
    """Mono 16-bit samples as the library produced them, with its word events in audio order."""

    samples: npt.NDArray[np.int16]
    sample_rate: int
    events: list[WordEvent]


@dataclass(frozen=True)
class EspeakVoice:
    """A voice the library offers; `name` is what `synthesize(voice=...)` accepts."""

    name: str
    description: str
    languages: tuple[str, ...]


def _languages(pointer: int | None) -> tuple[str, ...]:
    """Decode espeak's language list: (priority byte, NUL-terminated name) pairs, ended by 0."""
    out: list[str] = []
    if not pointer:
        return ()
    pos = pointer
    while ctypes.string_at(pos, 1)[0] != 0:
        name = ctypes.string_at(pos + 1)
        out.append(name.decode("utf-8", "replace"))
        pos += len(name) + 2
    return tuple(out)


class EspeakLibrary:
    """One loaded and initialised copy of libespeak-ng; use `load_library` to get it."""

    def __init__(self, cdll: ctypes.CDLL) -> None:
        self._lib = cdll
        self._lock = _LIBRARY_STATE_LOCK
        self._chunks: list[npt.NDArray[np.int16]] = []
        self._events: list[WordEvent] = []
        cdll.espeak_Initialize.argtypes = [
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_int,
        ]
        cdll.espeak_Initialize.restype = ctypes.c_int
        cdll.espeak_SetSynthCallback.argtypes = [_Callback]
        cdll.espeak_SetSynthCallback.restype = None
        cdll.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        cdll.espeak_SetVoiceByName.restype = ctypes.c_int
        cdll.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        cdll.espeak_SetParameter.restype = ctypes.c_int
        cdll.espeak_Synth.argtypes = [
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        cdll.espeak_Synth.restype = ctypes.c_int
        cdll.espeak_ListVoices.argtypes = [ctypes.c_void_p]
        cdll.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))
        cdll.espeak_Info.argtypes = [ctypes.c_void_p]
        cdll.espeak_Info.restype = ctypes.c_char_p
        rate = int(
            cdll.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, None, _INITIALIZE_DONT_EXIT)
        )
        if rate <= 0:
            raise ConfigurationError(
                "The espeak-ng speech library could not load its voice data.", hint=INSTALL_HINT
            )
        self.sample_rate = rate
        self.version = (cdll.espeak_Info(None) or b"unknown").decode("ascii", "replace")
        # Kept on the instance: ctypes must hold the callback while the library may call it.
        self._callback = _Callback(self._collect)
        cdll.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav: Any, count: int, events: Any) -> int:
        if count > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).astype(np.int16))
        i = 0
        while events[i].type != _EVENT_LIST_TERMINATED:
            event = events[i]
            if event.type == _EVENT_WORD and event.length > 0:
                self._events.append(
                    WordEvent(
                        char_start=event.text_position - 1,
                        length=event.length,
                        sample=max(0, event.sample),
                    )
                )
            i += 1
        return 0

    def voices(self) -> list[EspeakVoice]:
        """Every voice the installed data offers, sorted by name."""
        with self._lock:
            listed = self._lib.espeak_ListVoices(None)
            out: list[EspeakVoice] = []
            i = 0
            while listed[i]:
                voice = listed[i].contents
                identifier = (voice.identifier or b"").decode("utf-8", "replace")
                description = (voice.name or b"").decode("utf-8", "replace")
                name = identifier.rsplit("/", 1)[-1].lower()
                if name:
                    out.append(EspeakVoice(name, description, _languages(voice.languages)))
                i += 1
        return sorted(out, key=lambda v: v.name)

    def _select_voice(self, voice: str) -> bool:
        """Make `voice` current: a voice name, or a language code one of the voices speaks
        ("fr-fr", "en-gb"), optionally with a variant ("en-us+f3")."""
        if self._lib.espeak_SetVoiceByName(voice.encode("utf-8")) != _EE_NOT_FOUND:
            return True
        base, plus, variant = voice.partition("+")
        for candidate in self.voices():
            if base.lower() in (lang.lower() for lang in candidate.languages):
                name = f"{candidate.name}{plus}{variant}".encode()
                return bool(self._lib.espeak_SetVoiceByName(name) != _EE_NOT_FOUND)
        return False

    def synthesize(self, text: str, *, voice: str, words_per_minute: int) -> RawSpeech:
        """Speak `text` with `voice`; raises `InvalidInputError` for a voice the library lacks."""
        if not _VOICE_NAME.match(voice):
            raise InvalidInputError(
                f"{voice!r} is not a voice name.", hint=_voice_hint(self, voice)
            )
        wpm = min(MAX_WPM, max(MIN_WPM, words_per_minute))
        data = text.encode("utf-8") + b"\0"
        with self._lock:
            if not self._select_voice(voice):
                raise InvalidInputError(
                    f"The voice {voice!r} is not installed.", hint=_voice_hint(self, voice)
                )
            self._lib.espeak_SetParameter(_PARAM_RATE, wpm, 0)
            self._lib.espeak_SetSynthCallback(self._callback)
            self._chunks, self._events = [], []
            try:
                status = self._lib.espeak_Synth(
                    data, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
                )
                chunks, events = self._chunks, self._events
            finally:
                self._chunks, self._events = [], []
        if status != _EE_OK:
            raise ProviderError(f"espeak-ng could not speak the text (status {status}).")
        samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)
        return RawSpeech(samples=samples, sample_rate=self.sample_rate, events=events)


def _voice_hint(library: EspeakLibrary, asked: str) -> str:
    """A few voices worth trying: those sharing the asked-for language first, then English."""
    names = [v.name for v in library.voices()]
    prefix = re.split(r"[-+]", asked, maxsplit=1)[0].lower()
    close = sorted((n for n in names if n.startswith(prefix)), key=lambda n: (len(n), n))
    picks = (close or [n for n in names if n.startswith("en")])[:6]
    return f"Try one of: {', '.join(picks)} (or list them all with list_voices())."


_LOAD_LOCK = threading.Lock()
_LIBRARIES: dict[str, EspeakLibrary] = {}


def load_library(name: str) -> EspeakLibrary:
    """The initialised library loaded from `name` (a soname or path); loaded once per process."""
    with _LOAD_LOCK:
        if name in _LIBRARIES:
            return _LIBRARIES[name]
        try:
            cdll = ctypes.CDLL(name)
        except OSError as exc:
            raise ConfigurationError(
                f"The espeak-ng speech library ({name}) is not installed.", hint=INSTALL_HINT
            ) from exc
        library = EspeakLibrary(cdll)
        _LIBRARIES[name] = library
        return library
