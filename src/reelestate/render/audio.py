"""The soundtrack: narration and music mixed in one FFmpeg graph, ducked and loudness-normalised.

`build_mix_args` and `build_aac_args` are pure (inputs in, argv out) so the graphs can be
checked without running them. `mix_audio` measures the premix first, levels it with what it
measured (see `LoudnormParams`) into a float WAV that is metered as it is written, corrects the
level once if the limiter took too much, and only then encodes AAC, once: the encoder is most of
the work, so a correction costs a pass over the graph, not a second encode. It hands out only a
file that FFmpeg finished and that was measured.
"""

from __future__ import annotations

import math
import os
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from reelestate.core.errors import InvalidInputError, RenderCancelledError, RenderError
from reelestate.render.ffmpeg import CancelToken, run_ffmpeg
from reelestate.render.loudness import (
    Loudness,
    LoudnormParams,
    linear_params,
    measure_loudness,
    parse_ebur128_summary,
)

SAMPLE_RATE = 48000
AAC_BITRATE = "192k"
DRAFT_AAC_BITRATE = "128k"
MAX_SECONDS = 900.0
RETRY_LU = 0.5
"""A limited mix landing further than this from the target is encoded once more, corrected."""
MAX_CORRECTION_DB = 4.0
MUSIC_FADE_IN_SECONDS = 0.5
"""An uploaded track may start on a full-level beat; this keeps the first frame from clicking."""
MUSIC_FADE_OUT_SECONDS = 2.0
END_FADE_SECONDS = 0.03
"""Every soundtrack ends on this short fade, so a voice cut by the video's end does not click."""
_FORMAT = f"aresample={SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo"
_DUCK = "sidechaincompress=threshold=0.02:ratio=6:knee=3:attack=30:release=450:makeup=1"
"""About 10 dB off the music while someone speaks; slow release so it swells back, not pumps."""

__all__ = [
    "Loudness",
    "LoudnormParams",
    "build_aac_args",
    "build_measure_args",
    "build_mix_args",
    "measure_loudness",
    "mix_audio",
]


def _input_args(voice: Path | None, music: Path | None) -> tuple[list[str], str, str]:
    """`-i` arguments and the graph labels of the voice and music streams ("" when absent)."""
    args: list[str] = []
    labels = {"voice": "", "music": ""}
    index = 0
    if voice is not None:
        args += ["-i", f"file:{voice}"]
        labels["voice"] = f"{index}:a:0"
        index += 1
    if music is not None:
        args += ["-stream_loop", "-1", "-i", f"file:{music}"]
        labels["music"] = f"{index}:a:0"
        index += 1
    if index == 0:
        args += ["-f", "lavfi", "-i", f"anullsrc=r={SAMPLE_RATE}:cl=stereo"]
    return args, labels["voice"], labels["music"]


def _premix(
    voice: str, music: str, *, voice_offset: float, music_volume_db: float, duck: bool, samples: int
) -> tuple[list[str], str]:
    """Graph chains up to the mix of voice and music, and the label of the mixed stream."""
    fit = f"apad=whole_len={samples},atrim=end_sample={samples}"
    chains: list[str] = []
    if voice:
        delay = round(voice_offset * SAMPLE_RATE)
        shift = f"adelay=delays={delay}S:all=1," if delay > 0 else ""
        chains.append(f"[{voice}]{_FORMAT},{shift}{fit}[voice]")
    if music:
        # A track longer than the video fades out with it instead of stopping mid-phrase.
        fade = min(MUSIC_FADE_OUT_SECONDS, samples / SAMPLE_RATE / 3)
        fade_in = min(MUSIC_FADE_IN_SECONDS, samples / SAMPLE_RATE / 3)
        fade_start = samples / SAMPLE_RATE - fade
        chains.append(
            f"[{music}]{_FORMAT},{fit},volume={music_volume_db:.2f}dB,"
            f"afade=t=in:d={fade_in:.4f},afade=t=out:st={fade_start:.4f}:d={fade:.4f}[music]"
        )
    if voice and music:
        if duck:
            chains.append("[voice]asplit=2[voice_mix][voice_key]")
            chains.append(f"[music][voice_key]{_DUCK}[music_ducked]")
            chains.append(
                "[voice_mix][music_ducked]amix=inputs=2:duration=longest:normalize=0[mix]"
            )
        else:
            chains.append("[voice][music]amix=inputs=2:duration=longest:normalize=0[mix]")
        return chains, "mix"
    return chains, "voice" if voice else "music"


def _checked(duration: float, voice_offset: float, music_volume_db: float) -> int:
    """The exact output length in samples, after checking the numbers that shape the graph."""
    if not (math.isfinite(duration) and 0 < duration <= MAX_SECONDS):
        raise InvalidInputError(
            f"The soundtrack must last more than 0 and at most {MAX_SECONDS:g} s, got {duration:g}."
        )
    if not (math.isfinite(voice_offset) and voice_offset >= 0):
        raise InvalidInputError(f"The voice offset must be 0 s or more, got {voice_offset:g}.")
    if not (math.isfinite(music_volume_db) and -60 <= music_volume_db <= 12):
        raise InvalidInputError(
            f"The music volume must be between -60 and +12 dB, got {music_volume_db:g}."
        )
    return max(1, round(duration * SAMPLE_RATE))


def build_measure_args(
    *,
    voice: Path | None,
    voice_offset: float,
    music: Path | None,
    music_volume_db: float,
    duck: bool,
    duration: float,
    draft: bool = False,
) -> list[str]:
    """FFmpeg args (no binary) for the first pass: the premix measured by ebur128, no output.

    A draft's pass reads sample peaks instead of true peaks (4x oversampled, a third of the
    pass): a preview may land a fraction of a decibel over the ceiling, a final may not."""
    samples = _checked(duration, voice_offset, music_volume_db)
    inputs, voice_label, music_label = _input_args(voice, music)
    if not (voice_label or music_label):
        raise InvalidInputError("There is nothing to measure: no voice and no music.")
    chains, mixed = _premix(
        voice_label,
        music_label,
        voice_offset=voice_offset,
        music_volume_db=music_volume_db,
        duck=duck,
        samples=samples,
    )
    peak = "sample" if draft else "true"
    chains.append(f"[{mixed}]ebur128=peak={peak}:framelog=verbose[out]")
    graph = ";".join(chains)
    return [
        *("-hide_banner", "-nostdin", "-nostats", *inputs, "-filter_complex", graph),
        *("-map", "[out]", "-f", "null", "-"),
    ]


def build_mix_args(
    *,
    voice: Path | None,
    voice_offset: float,
    music: Path | None,
    music_volume_db: float,
    duck: bool,
    duration: float,
    out: Path,
    loudnorm: LoudnormParams,
    levelled_wav: bool = False,
) -> list[str]:
    """FFmpeg args (no binary) that write the mixed, levelled soundtrack to `out`.

    By default `out` is the finished AAC-LC track in MP4 (previews write it in one go). With
    `levelled_wav`, `out` is a 32-bit float WAV metered by ebur128 as it is written (its
    integrated loudness ends FFmpeg's log), for `build_aac_args` to encode once it is right.
    Every file is an `-i` input; the graph holds labels and numbers only. With neither voice
    nor music the result is silence of `duration`, so every video has an audio track.
    """
    samples = _checked(duration, voice_offset, music_volume_db)
    inputs, voice_label, music_label = _input_args(voice, music)
    fit = f"apad=whole_len={samples},atrim=end_sample={samples}"
    if voice_label or music_label:
        chains, mixed = _premix(
            voice_label,
            music_label,
            voice_offset=voice_offset,
            music_volume_db=music_volume_db,
            duck=duck,
            samples=samples,
        )
        level = f"{loudnorm.filter()}," if loudnorm.normalize else ""
        end_fade = min(END_FADE_SECONDS, samples / SAMPLE_RATE / 2)
        chains.append(
            f"[{mixed}]{level}{_FORMAT},{fit},"
            f"afade=t=out:st={samples / SAMPLE_RATE - end_fade:.4f}:d={end_fade:.4f}[out]"
        )
    else:
        chains = [f"[0:a:0]{_FORMAT},{fit}[out]"]
    if levelled_wav:
        chains[-1] = chains[-1].removesuffix("[out]") + ",ebur128=peak=sample:framelog=verbose[out]"
    head = ["-hide_banner", "-nostdin", "-nostats", "-y", *inputs]
    head += ["-filter_complex", ";".join(chains), "-map", "[out]", "-map_metadata", "-1"]
    if levelled_wav:
        return [*head, "-c:a", "pcm_f32le", "-ar", str(SAMPLE_RATE), "-f", "wav", f"file:{out}"]
    return [*head, *_aac_output(out, draft=loudnorm.draft)]


def build_aac_args(source: Path, out: Path) -> list[str]:
    """FFmpeg args (no binary) that encode a levelled WAV into the finished track at `out`."""
    head = ["-hide_banner", "-nostdin", "-nostats", "-y", "-i", f"file:{source}"]
    return [*head, "-map", "0:a:0", "-map_metadata", "-1", *_aac_output(out, draft=False)]


def _aac_output(out: Path, *, draft: bool) -> list[str]:
    """AAC-LC at 48 kHz stereo in MP4, moov first; a draft (a preview's) at a lower bitrate.

    AAC's "fast" coder, not FFmpeg's default "twoloop": at these bitrates it is the better
    sounding of the two and less work (its author's words when making it FFmpeg's default in
    commit fcb681a). Perceptual noise substitution is off: it stands in for noisy bands when
    bits are short, which at 128 kb/s and more they are not, and it is a third of the encoder's
    time (measured here: 30 s of stereo at 192 kb/s in 0.36 s instead of 1.15 s with
    FFmpeg's defaults).
    """
    return [
        *("-c:a", "aac", "-profile:a", "aac_low", "-aac_coder", "fast", "-aac_pns", "0"),
        *("-b:a", DRAFT_AAC_BITRATE if draft else AAC_BITRATE),
        *("-ar", str(SAMPLE_RATE), "-ac", "2"),
        *("-movflags", "+faststart", "-f", "mp4", f"file:{out}"),
    ]


def _require_file(path: Path | None, role: str) -> None:
    if path is None:
        return
    if not path.is_file():
        raise InvalidInputError(f"The {role} file {path.name} does not exist.", hint=str(path))
    if path.stat().st_size == 0:
        raise InvalidInputError(f"The {role} file {path.name} is empty.", hint=str(path))


def _check_audio(path: Path | None, role: str, cancel: CancelToken | None) -> None:
    """Refuse, as the user's problem, a file FFmpeg cannot read or that holds no sound."""
    if path is None:
        return
    args = ["-hide_banner", "-nostdin", "-nostats", "-i", f"file:{path}", "-map", "0:a:0"]
    args += ["-t", "0.5", "-f", "null", "-"]
    try:
        stderr = run_ffmpeg(args, cancel=cancel, timeout=60)
    except RenderError as exc:
        raise InvalidInputError(
            f"The {role} file {path.name} is not audio we can read.",
            hint="Use a WAV, MP3, M4A/AAC, FLAC or OGG file.",
        ) from exc
    if "Output file is empty" in stderr:
        raise InvalidInputError(f"The {role} file {path.name} holds no sound.")


@dataclass(frozen=True)
class _Mix:
    voice: Path | None
    voice_offset: float
    music: Path | None
    music_volume_db: float
    duck: bool
    duration: float


def _stop_if_cancelled(cancel: CancelToken | None) -> None:
    if cancel is not None and cancel.cancelled:
        raise RenderCancelledError("The render was cancelled.")


def mix_audio(
    *,
    voice: Path | None,
    voice_offset: float,
    music: Path | None,
    music_volume_db: float,
    duck: bool,
    duration: float,
    out: Path,
    cancel: CancelToken | None = None,
    draft: bool = False,
    own_files: bool = False,
) -> Loudness | None:
    """Mix, normalise to -14 LUFS / -1 dBTP and write `out` (.m4a); returns its loudness.

    Files a user supplied are first read a little, so a bad one is refused as the user's
    problem; `own_files` says the voice and music were written here (synthesised narration, a
    generated bed or one already converted), and skips that.

    `draft` (for previews) measures the premix once, applies that gain with a limiter at 48 kHz
    (`LoudnormParams.draft`) and encodes in the same run, skipping the level check and the final
    measurement: within a couple of LU of the target; it returns None.

    The file appears at `out` only when complete: it is written under a temporary name in
    the same folder and renamed, so a cancelled or failed mix leaves nothing behind.
    """
    _checked(duration, voice_offset, music_volume_db)
    _stop_if_cancelled(cancel)
    _require_file(voice, "voice")
    _require_file(music, "music")
    limit = 120 + duration * 2
    mix = _Mix(voice, voice_offset, music, music_volume_db, duck, duration)
    loudnorm = LoudnormParams(normalize=False)
    if voice is not None or music is not None:
        if not (draft or own_files):
            _check_audio(voice, "voice", cancel)
            _check_audio(music, "music", cancel)
        _stop_if_cancelled(cancel)
        measure = build_measure_args(
            voice=voice,
            voice_offset=voice_offset,
            music=music,
            music_volume_db=music_volume_db,
            duck=duck,
            duration=duration,
            draft=draft,
        )
        loudnorm = linear_params(run_ffmpeg(measure, cancel=cancel, timeout=limit))
        if draft:
            loudnorm = replace(loudnorm, draft=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.stem}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp{out.suffix}")
    levelled = tmp.with_suffix(".wav")
    try:
        if draft:
            _run_mix(mix, loudnorm, tmp, cancel, limit)
            tmp.replace(out)
            return None
        level = _level(mix, loudnorm, levelled, cancel, limit)
        miss = level - loudnorm.integrated
        if loudnorm.measured and not loudnorm.linear and abs(miss) > RETRY_LU:
            # The limiter took more loudness than expected: add the shortfall and level again.
            correction = max(-MAX_CORRECTION_DB, min(MAX_CORRECTION_DB, -miss))
            loudnorm = replace(loudnorm, offset=correction)
            _level(mix, loudnorm, levelled, cancel, limit)
        _stop_if_cancelled(cancel)
        run_ffmpeg(build_aac_args(levelled, tmp), cancel=cancel, timeout=limit)
        loudness = measure_loudness(tmp, cancel=cancel)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
        levelled.unlink(missing_ok=True)
    return loudness


def _mix_args(mix: _Mix, loudnorm: LoudnormParams, out: Path, *, levelled_wav: bool) -> list[str]:
    return build_mix_args(
        voice=mix.voice,
        voice_offset=mix.voice_offset,
        music=mix.music,
        music_volume_db=mix.music_volume_db,
        duck=mix.duck,
        duration=mix.duration,
        out=out,
        loudnorm=loudnorm,
        levelled_wav=levelled_wav,
    )


def _run_mix(
    mix: _Mix, loudnorm: LoudnormParams, out: Path, cancel: CancelToken | None, limit: float
) -> None:
    """The draft path: mixed, levelled and encoded in one FFmpeg run, not measured."""
    _stop_if_cancelled(cancel)
    run_ffmpeg(_mix_args(mix, loudnorm, out, levelled_wav=False), cancel=cancel, timeout=limit)


def _level(
    mix: _Mix, loudnorm: LoudnormParams, out: Path, cancel: CancelToken | None, limit: float
) -> float:
    """Write the levelled mix as a float WAV; its integrated loudness in LUFS."""
    _stop_if_cancelled(cancel)
    args = _mix_args(mix, loudnorm, out, levelled_wav=True)
    return parse_ebur128_summary(run_ffmpeg(args, cancel=cancel, timeout=limit)).integrated_lufs
