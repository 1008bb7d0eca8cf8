"""Which room a photo shows, from the ONNX classifier shipped in `models/`.

The model is an EfficientNet-Lite0 fine-tuned on listing photos (see models/MODEL_CARD.md).
It runs on onnxruntime's CPU provider with nothing written to disk and no network, and its
scores are temperature-calibrated so that one threshold turns low confidence into
`unsure` rather than a wrong room the script would then talk about.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from reelestate.core.errors import ConfigurationError
from reelestate.core.imaging import RGBArray
from reelestate.providers.vision.base import RoomType
from reelestate.providers.vision.room_input import model_input

MODEL_INFO_FILE = "rooms.json"
_BATCH = 16


class RoomModelInfo(BaseModel):
    """What the runtime needs to know about the exported model (written by training)."""

    model_config = ConfigDict(frozen=True)

    model_file: str
    labels: list[RoomType]
    input_side: int
    mean: list[float]
    std: list[float]
    channel_order: Literal["RGB"] = "RGB"
    resize: Literal["area"] = "area"
    """Preprocessing as `room_input` does it: a model made otherwise fails to load."""
    flip_averaged: bool = False
    """The exported graph averages the logits of the photo and its mirror image."""
    temperature: float
    unsure_below: float
    """Calibrated confidence under which the room is reported as `unsure`."""


@dataclass(frozen=True)
class RoomPrediction:
    room: RoomType
    confidence: float
    """Calibrated probability of the most likely room (also when `room` is `unsure`)."""
    probabilities: dict[str, float]


def default_model_dir() -> Path:
    """The folder inside the installed package that holds the shipped model."""
    return Path(str(resources.files("reelestate.providers.vision") / "models"))


def preprocess(rgb: RGBArray, info: RoomModelInfo) -> npt.NDArray[np.float32]:
    """One RGB photo as the model's CHW float input: the whole frame squeezed to a square.

    Training, calibration, export and the product all go through this one function.
    """
    return model_input(rgb, side=info.input_side, mean=info.mean, std=info.std)


def calibrated_probabilities(
    logits: npt.NDArray[np.float32], temperature: float
) -> npt.NDArray[np.float64]:
    """Softmax of logits divided by the calibration temperature, row by row."""
    scaled = logits.astype(np.float64) / temperature
    scaled -= scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=1, keepdims=True)  # type: ignore[no-any-return]


ONNXRUNTIME_OPT_OUTS = {"ORT_DISABLE_TELEMETRY": "1", "ORT_TELEMETRY_DISABLED": "1"}
"""onnxruntime 1.2x+ on Linux writes a device id and an event cache under ~/.cache/Microsoft and
uploads usage events unless one of these is set before it is first imported."""


@lru_cache(maxsize=2)
def _load(model_dir: str, threads: int) -> tuple[RoomModelInfo, Any]:
    os.environ.update(ONNXRUNTIME_OPT_OUTS)
    import onnxruntime as ort  # noqa: PLC0415 - heavy import, only when rooms are needed

    folder = Path(model_dir)
    info_path = folder / MODEL_INFO_FILE
    if not info_path.is_file():
        raise ConfigurationError(
            f"The room classifier is missing ({info_path}).",
            hint="Reinstall reelestate-studio or run `make train-rooms`.",
        )
    info = RoomModelInfo.model_validate(json.loads(info_path.read_text(encoding="utf-8")))
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.enable_profiling = False
    options.enable_cpu_mem_arena = False
    options.log_severity_level = 3
    model_bytes = (folder / info.model_file).read_bytes()
    session = ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])
    return info, session


class RoomClassifier:
    """Room type and calibrated confidence for photos, batched through one ONNX session."""

    def __init__(self, model_dir: Path | None = None, *, threads: int = 2) -> None:
        self._model_dir = str(model_dir or default_model_dir())
        self._threads = threads

    @property
    def info(self) -> RoomModelInfo:
        return _load(self._model_dir, self._threads)[0]

    def logits(self, photos: Sequence[RGBArray]) -> npt.NDArray[np.float32]:
        """Raw model outputs, one row per photo, columns in `info.labels` order."""
        info, session = _load(self._model_dir, self._threads)
        input_name = session.get_inputs()[0].name
        rows: list[npt.NDArray[np.float32]] = []
        for start in range(0, len(photos), _BATCH):
            batch = np.stack([preprocess(p, info) for p in photos[start : start + _BATCH]])
            rows.append(np.asarray(session.run(None, {input_name: batch})[0], np.float32))
        if not rows:
            return np.zeros((0, len(info.labels)), dtype=np.float32)
        return np.concatenate(rows)

    def predict(self, photos: Sequence[RGBArray]) -> list[RoomPrediction]:
        """The most likely room of each photo, `unsure` under the calibrated threshold."""
        info = self.info
        probabilities = calibrated_probabilities(self.logits(photos), info.temperature)
        predictions: list[RoomPrediction] = []
        for row in probabilities:
            best = int(np.argmax(row))
            confidence = float(row[best])
            room: RoomType = info.labels[best] if confidence >= info.unsure_below else "unsure"
            predictions.append(
                RoomPrediction(
                    room=room,
                    confidence=confidence,
                    probabilities={
                        label: float(p) for label, p in zip(info.labels, row, strict=True)
                    },
                )
            )
        return predictions
