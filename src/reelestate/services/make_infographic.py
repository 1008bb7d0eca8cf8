"""`reelestate infographic` and the `render_infographic` job: facts in, a card video out.

The facts are checked before anything is drawn or spoken; the voice line (when asked) is
spoken by the configured narrator; the card is rendered by the engine and written beside a
`report.json` that says what was shown and how the voice went.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reelestate.core.settings import Settings
from reelestate.providers.tts.narrator import narrator_for, parse_voice_choice
from reelestate.render.ffmpeg import CancelToken
from reelestate.render.infographic import InfographicResult, InfographicSpec, render_infographic


def _voice(
    spec: InfographicSpec, voice: str | None, settings: Settings, work: Path
) -> tuple[Path | None, dict[str, Any] | None]:
    if spec.voice_text is None:
        return None, None
    provider, name = parse_voice_choice(voice or "espeak:en-us", settings)
    narration = narrator_for(provider, settings).synthesize(
        spec.voice_text, voice=name, out_dir=work
    )
    return narration.audio, {
        "provider": narration.provider,
        "voice": narration.voice,
        "cost_usd": narration.cost_usd,
        "fallbacks": list(narration.notes),
    }


def make_infographic(
    spec: InfographicSpec,
    out_dir: Path,
    settings: Settings,
    *,
    voice: str | None = None,
    cancel: CancelToken | None = None,
) -> tuple[InfographicResult, Path]:
    """Render the card into `out_dir` (infographic.mp4, infographic.png, report.json)."""
    work = settings.cache_dir / "infographics"
    work.mkdir(parents=True, exist_ok=True)
    audio, voice_report = _voice(spec, voice, settings, work)
    result = render_infographic(spec, out_dir, voice=audio, work_dir=work, cancel=cancel)
    report = {
        "kind": "render_infographic",
        "facts": spec.facts.model_dump(mode="json"),
        "aspect": spec.aspect,
        "profile": spec.profile,
        "photo": str(spec.photo) if spec.photo else None,
        "voice": voice_report,
        "music": spec.music,
        "video": {
            "file": result.video.name,
            "duration": result.duration,
            "width": result.width,
            "height": result.height,
            "fps": result.fps,
            "loudness_lufs": result.loudness_lufs,
        },
        "still": result.still.name,
        "cost_usd": voice_report["cost_usd"] if voice_report else 0.0,
    }
    path = out_dir / "report.json"
    tmp = out_dir / ".report.json.part"
    tmp.write_text(json.dumps(report, indent=2), encoding="utf-8")
    tmp.replace(path)
    return result, path
