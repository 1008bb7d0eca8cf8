"""Room labels from a vision-capable chat model, when an OpenAI-compatible key is set.

Quality, duplicates and framing are still measured locally (`measure`); the model only names
the room, and may name rooms the embedded classifier was never trained on (`living_room`,
`other`). Each photo goes as a JPEG data URL, so nothing is uploaded anywhere first. Any
failure (HTTP error, timeout, an answer that does not validate) falls back to the embedded
classifier, for that photo and the rest of its batch.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import cv2
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, Field

from reelestate.core.metrics import provider_call
from reelestate.core.settings import Settings
from reelestate.prompts.photo_rooms import ROOM_SYSTEM_PROMPT, ROOM_USER_PROMPT
from reelestate.providers.vision.base import PhotoAnalysis, PhotoBatch, RoomType
from reelestate.providers.vision.embedded import EmbeddedPhotoAnalyser
from reelestate.providers.vision.measure import MeasuredPhoto, RoomCall, assemble, measure_batch

logger = logging.getLogger(__name__)

LLM_UNSURE_BELOW = 0.6
"""Chat models' stated confidence is not calibrated; below this the room is `unsure`."""

_JPEG_QUALITY = 85


class RoomAnswer(BaseModel):
    """The structured answer the model must give for one photo.

    The confidence range is checked after parsing (`CheckedRoomAnswer`): strict JSON-schema
    mode of some servers refuses `minimum`/`maximum`.
    """

    room: Literal["exterior", "kitchen", "bedroom", "bathroom", "living_room", "other"]
    confidence: float


class CheckedRoomAnswer(RoomAnswer):
    confidence: float = Field(ge=0, le=1)


def photo_data_url(photo: MeasuredPhoto) -> str:
    """The analysis-size photo as a base64 JPEG data URL."""
    bgr = cv2.cvtColor(photo.rgb, cv2.COLOR_RGB2BGR)
    ok, encoded = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, _JPEG_QUALITY])
    if not ok:  # pragma: no cover - encoding an 8-bit RGB array does not fail
        raise ValueError("JPEG encoding failed")
    return "data:image/jpeg;base64," + base64.b64encode(encoded.tobytes()).decode("ascii")


class LLMPhotoAnalyser:
    """`PhotoAnalyser` whose rooms come from a chat model, with the embedded one as fallback."""

    name = "llm"

    def __init__(self, model: Any, *, fallback: EmbeddedPhotoAnalyser) -> None:
        self._ask = model.with_structured_output(RoomAnswer, method="json_schema")
        self.fallback = fallback

    @classmethod
    def from_settings(
        cls, settings: Settings, *, fallback: EmbeddedPhotoAnalyser
    ) -> LLMPhotoAnalyser:
        if settings.openai_api_key is None:
            raise ValueError("OPENAI_API_KEY is required for the LLM photo analyser")
        model = ChatOpenAI(
            model=settings.openai_vision_model,
            api_key=settings.openai_api_key,
            base_url=settings.openai_base_url,
            timeout=settings.llm_timeout_s,
            max_retries=1,
            temperature=0,
            use_responses_api=False,
        )
        return cls(model, fallback=fallback)

    def _room(self, photo: MeasuredPhoto) -> RoomCall:
        with provider_call("openai-vision", "room"):
            answer = self._invoke(photo)
        checked = CheckedRoomAnswer.model_validate(answer, from_attributes=True)
        room: RoomType = checked.room if checked.confidence >= LLM_UNSURE_BELOW else "unsure"
        return RoomCall(room, checked.confidence, self.name)

    def _invoke(self, photo: MeasuredPhoto) -> object:
        return self._ask.invoke(
            [
                SystemMessage(content=ROOM_SYSTEM_PROMPT),
                HumanMessage(
                    content=[
                        {"type": "text", "text": ROOM_USER_PROMPT},
                        {"type": "image_url", "image_url": {"url": photo_data_url(photo)}},
                    ]
                ),
            ]
        )

    def rooms(self, measured: Sequence[MeasuredPhoto]) -> list[RoomCall]:
        """The model's room for each photo, the classifier's from the first failure on."""
        calls: list[RoomCall] = []
        for position, photo in enumerate(measured):
            try:
                calls.append(self._room(photo))
            except Exception as exc:  # any client or parsing failure falls back
                logger.warning(
                    "vision model failed on %s (%s); using the embedded classifier",
                    photo.path.name,
                    type(exc).__name__,
                )
                return calls + self.fallback.rooms(measured[position:])
        return calls

    def analyse_batch(self, paths: list[Path]) -> PhotoBatch:
        measured, failures = measure_batch(paths)
        return assemble(
            measured, self.rooms(measured), failures, min_short_side=self.fallback.min_short_side
        )

    def analyse(self, paths: list[Path]) -> list[PhotoAnalysis]:
        batch = self.analyse_batch(paths)
        batch.raise_for_failures()
        return batch.results
