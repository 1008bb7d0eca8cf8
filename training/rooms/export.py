"""ONNX export, static int8 quantisation, and the choice between the two."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import torch
from onnxruntime.quantization import (
    CalibrationDataReader,
    CalibrationMethod,
    QuantFormat,
    QuantType,
    quantize_static,
)
from onnxruntime.quantization.shape_inference import quant_pre_process

from reelestate.providers.vision.rooms import (
    MODEL_INFO_FILE,
    RoomClassifier,
    RoomModelInfo,
    preprocess,
)
from training.rooms import saturation

MAX_INT8_ACCURACY_LOSS = 0.005
"""int8 is shipped (a quarter of the size) unless it loses more than this on validation."""


def to_onnx(model: torch.nn.Module, target: Path, side: int) -> None:
    dummy = torch.zeros(1, 3, side, side)
    torch.onnx.export(
        model,
        (dummy,),
        str(target),
        input_names=["image"],
        output_names=["logits"],
        dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )


class _Photos(CalibrationDataReader):  # type: ignore[misc]
    def __init__(self, photos: list[np.ndarray], info: RoomModelInfo) -> None:  # type: ignore[type-arg]
        self._inputs = iter([{"image": preprocess(p, info)[None]} for p in photos])

    def get_next(self) -> dict[str, np.ndarray] | None:  # type: ignore[type-arg]
        return next(self._inputs, None)


UNSIGNED_WEIGHTS = False
"""Weights as 7-bit int8 (`reduce_range`) rather than uint8: both cannot saturate (see
`saturation`); measured on this model, 7-bit int8 keeps the accuracy and runs faster than
uint8 weights (training/rooms/README.md)."""


def quantize_int8(
    source: Path,
    target: Path,
    photos: list[np.ndarray],  # type: ignore[type-arg]
    info: RoomModelInfo,
    *,
    unsigned_weights: bool = UNSIGNED_WEIGHTS,
) -> saturation.QuantisedModel:
    """Static QDQ int8: per-channel weights, activation ranges from real listing photos.

    Weights never reach the range where onnxruntime's AVX2/AVX-512 kernels without VNNI
    saturate (full-range int8 weights made those CPUs answer differently from VNNI CPUs):
    int8 weights are limited to 7 bits, or uint8 weights are used. The written model is read
    back and refused if any weight could still saturate.
    """
    prepared = target.with_suffix(".pre.onnx")
    quant_pre_process(str(source), str(prepared))
    quantize_static(
        str(prepared),
        str(target),
        _Photos(photos, info),
        quant_format=QuantFormat.QDQ,
        per_channel=True,
        reduce_range=not unsigned_weights,
        activation_type=QuantType.QUInt8,
        weight_type=QuantType.QUInt8 if unsigned_weights else QuantType.QInt8,
        calibrate_method=CalibrationMethod.Percentile,
        extra_options={"CalibPercentile": 99.99},
    )
    prepared.unlink()
    found = saturation.inspect(target)
    if not found.saturation_free:
        raise RuntimeError(f"{target} could saturate int16 on CPUs without VNNI: {found.summary()}")
    return found


def _accuracy(
    model: Path,
    photos: list[np.ndarray],  # type: ignore[type-arg]
    labels: np.ndarray,  # type: ignore[type-arg]
    info: RoomModelInfo,
    work: Path,
    threads: int,
) -> float:
    folder = work / model.stem
    folder.mkdir(exist_ok=True)
    shutil.copy(model, folder / "rooms.onnx")
    (folder / MODEL_INFO_FILE).write_text(
        info.model_copy(update={"model_file": "rooms.onnx"}).model_dump_json()
    )
    logits = RoomClassifier(folder, threads=threads).logits(photos)
    return float((logits.argmax(axis=1) == labels).mean())


def choose_model(
    fp32: Path,
    int8: Path,
    photos: list[np.ndarray],
    labels: np.ndarray,
    info: RoomModelInfo,
    work: Path,
    threads: int,
) -> Path:
    full = _accuracy(fp32, photos, labels, info, work, threads)
    small = _accuracy(int8, photos, labels, info, work, threads)
    print(f"validation accuracy: fp32 {full:.4f}, int8 {small:.4f}", flush=True)
    return int8 if small >= full - MAX_INT8_ACCURACY_LOSS else fp32
