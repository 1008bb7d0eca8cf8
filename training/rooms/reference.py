"""The shipped int8 kernels against onnxruntime's reference execution of the same model."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reelestate.providers.vision.rooms import (
    ONNXRUNTIME_OPT_OUTS,
    RoomModelInfo,
    calibrated_probabilities,
    preprocess,
)


@dataclass(frozen=True)
class ReferenceAgreement:
    """The shipped kernels against onnxruntime with every graph optimisation off.

    Unoptimised, onnxruntime runs each QuantizeLinear/DequantizeLinear pair and each
    convolution as float operations: the model's reference meaning, the same on every CPU.
    The optimised session fuses them into the integer kernels the product runs; when the two
    agree, no CPU-specific integer shortcut changes the answers.
    """

    photos: int
    largest_difference: float
    """Largest difference of a calibrated probability, over all photos and rooms."""
    decisions_changed: int
    """Photos whose room or `unsure` differs between the two."""


def reference_logits(
    model: Path,
    photos: list[np.ndarray],  # type: ignore[type-arg]
    info: RoomModelInfo,
    threads: int,
) -> np.ndarray:  # type: ignore[type-arg]
    """The model's outputs with every onnxruntime graph optimisation disabled."""
    os.environ.update(ONNXRUNTIME_OPT_OUTS)
    import onnxruntime as ort  # noqa: PLC0415 - heavy import, as in the product

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    options.intra_op_num_threads = threads
    options.log_severity_level = 3
    session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    rows = [
        session.run(None, {"image": np.stack([preprocess(p, info) for p in photos[i : i + 16]])})[0]
        for i in range(0, len(photos), 16)
    ]
    return np.concatenate(rows).astype(np.float32)


def reference_agreement(
    model: Path,
    photos: list[np.ndarray],  # type: ignore[type-arg]
    fast_logits: np.ndarray,  # type: ignore[type-arg]
    info: RoomModelInfo,
    threads: int,
) -> ReferenceAgreement:
    fast = calibrated_probabilities(fast_logits, info.temperature)
    slow = calibrated_probabilities(
        reference_logits(model, photos, info, threads), info.temperature
    )

    def decisions(probs: np.ndarray) -> np.ndarray:  # type: ignore[type-arg]
        return np.where(probs.max(axis=1) >= info.unsure_below, probs.argmax(axis=1), -1)

    return ReferenceAgreement(
        photos=len(photos),
        largest_difference=float(np.abs(fast - slow).max()),
        decisions_changed=int((decisions(fast) != decisions(slow)).sum()),
    )
