"""OpenAI's `POST /v1/audio/speech` answering with a streamed WAV of real speech.

The speech is espeak-ng with a different voice variant and pace from the one the client
aligns against (`en-us+f3` at 1.3x), so the forced alignment has real work to do; the true
word starts of what was sent are kept in `truth`.
"""

from __future__ import annotations

from tests.providers.fakes.http_fake import FakeHttpService, Request, Response
from tests.providers.fakes.speech_material import Speech, spoken, streamed_wav

KEY = "sk-secret-openai-0001"
VOICE_VARIANT = "en-us+f3"
PACE = 1.3
SAMPLE_RATE = 24_000


class FakeOpenAiSpeech(FakeHttpService):
    def __init__(self, *, key: str | None = KEY) -> None:
        super().__init__()
        self.key = key
        self.truth: list[Speech] = []

    def handle(self, request: Request) -> Response:
        if self.key is not None and request.headers.get("authorization") != f"Bearer {self.key}":
            error = {"message": "Incorrect API key provided.", "type": "invalid_request_error"}
            return Response.of_json(401, {"error": error})
        if request.method != "POST" or request.path != "/v1/audio/speech":
            return Response.of_json(404, {"error": {"message": "Not found"}})
        fault = self.faulted()
        if fault is not None:
            return fault
        body = request.json()
        speech = spoken(
            body["input"],
            voice=VOICE_VARIANT,
            rate=PACE * float(body.get("speed", 1.0)),
            sample_rate=SAMPLE_RATE,
        )
        self.truth.append(speech)
        return Response(200, streamed_wav(speech.samples, SAMPLE_RATE), content_type="audio/wav")
