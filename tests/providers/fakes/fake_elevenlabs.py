"""ElevenLabs as its SDK sees it: `/v2/voices` and `/v1/text-to-speech/{voice}/with-timestamps`.

Speech is real (espeak-ng, resampled to the asked-for PCM rate) and the character alignment
is derived from espeak's word timings, which the test then knows as `truth`.
"""

from __future__ import annotations

import base64
import re

from tests.providers.fakes.http_fake import FakeHttpService, Request, Response
from tests.providers.fakes.speech_material import Speech, character_alignment, spoken

KEY = "el-secret-key-0001"
VOICES = [
    {"voice_id": "21m00Tcm4TlvDq8ikWAM", "name": "Rachel", "category": "premade"},
    {
        "voice_id": "JBFqnCBsd6RMkjVDRZzb",
        "name": "George - Warm, Captivating Storyteller",
        "category": "premade",
    },
    {"voice_id": "EXAVITQu4vr4xnSDxMaL", "name": "Sarah", "category": "premade"},
]
PAGE_LIMIT = 2
"""The fake never returns more than two voices a page, so the client has to follow pages."""
_SPEECH = re.compile(r"^/v1/text-to-speech/([^/]+)/with-timestamps$")


class FakeElevenLabs(FakeHttpService):
    def __init__(self) -> None:
        super().__init__()
        self.truth: list[Speech] = []

    def handle(self, request: Request) -> Response:
        if request.headers.get("xi-api-key") != KEY:
            detail = {"status": "invalid_api_key", "message": "Invalid API key"}
            return Response.of_json(401, {"detail": detail})
        if request.method == "GET" and request.path == "/v2/voices":
            return self._voices(request)
        match = _SPEECH.match(request.path)
        if request.method == "POST" and match:
            return self.faulted() or self._speech(match.group(1), request)
        return Response.of_json(404, {"detail": "Not Found"})

    def _voices(self, request: Request) -> Response:
        start = int(request.query.get("next_page_token") or 0)
        size = min(int(request.query.get("page_size", "10")), PAGE_LIMIT)
        page = VOICES[start : start + size]
        more = start + size < len(VOICES)
        return Response.of_json(
            200,
            {
                "voices": page,
                "has_more": more,
                "total_count": len(VOICES),
                "next_page_token": str(start + size) if more else None,
            },
        )

    def _speech(self, voice_id: str, request: Request) -> Response:
        if voice_id not in {v["voice_id"] for v in VOICES}:
            detail = {"status": "voice_not_found", "message": "A voice with that id was not found"}
            return Response.of_json(404, {"detail": detail})
        body = request.json()
        rate = int(request.query.get("output_format", "pcm_24000").removeprefix("pcm_"))
        speed = float((body.get("voice_settings") or {}).get("speed") or 1.0)
        speech = spoken(body["text"], voice="en-us", rate=speed, sample_rate=rate)
        self.truth.append(speech)
        return Response.of_json(
            200,
            {
                "audio_base64": base64.b64encode(speech.samples.astype("<i2").tobytes()).decode(),
                "alignment": character_alignment(body["text"], speech),
                "normalized_alignment": None,
            },
        )
