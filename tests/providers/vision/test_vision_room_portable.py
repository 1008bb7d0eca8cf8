"""The room classifier answers the same on every x86 CPU, checked on whichever CPU runs the tests.

A QDQ int8 model with full-range int8 weights gave different rooms on CPUs with and without
AVX-512 VNNI (onnxruntime's kernels without VNNI saturate int16 sums). Two checks that need no
particular CPU: the shipped weights cannot saturate (read from the model file), and the fast
integer kernels agree with onnxruntime's reference execution (every optimisation off, Q/DQ run
as float operations) on the pinned photos.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
from training.rooms.reference import reference_logits
from training.rooms.saturation import SAFE_INT8_WEIGHT, inspect

from reelestate.providers.vision.room_input import load_room_photo
from reelestate.providers.vision.rooms import (
    RoomClassifier,
    calibrated_probabilities,
    default_model_dir,
)

HERE = Path(__file__).parent
FIXTURES = HERE.parents[1] / "fixtures" / "rooms"
GOLDEN = json.loads((HERE / "rooms_golden.json").read_text(encoding="utf-8"))
REFERENCE_LOGIT_TOLERANCE = 0.1
"""How far the optimised session's logits may be from the unoptimised one's.

Not the golden 1e-3: the fused integer kernels round each requantised activation once in
integer arithmetic, the reference rounds float Q/DQ values, and the two differ by one step at
exact half-steps; over 49 layers that moves the logits by up to 0.052 on the 56 fixture photos
(median 0.026; calibrated probabilities of photos near 0.5 by up to 0.046). Saturating int16
sums moved the earlier model's outputs far more (15_bathroom.jpg: bathroom 0.99 with exact
sums, unsure 0.71 on a CPU without VNNI), so this still fails for what it guards against.
The same-on-every-CPU guarantee itself rests on the weight check above: with no saturation the
integer sums are exact on every x86 kernel.
"""


def test_no_shipped_weight_can_saturate_int16_sums() -> None:
    found = inspect(default_model_dir() / "rooms.onnx")
    assert found.weights >= 50, found.summary()  # every convolution and the last layer
    assert found.activation_types == {"uint8"}, found.summary()
    assert found.saturation_free, found.summary()


def test_uint8_x_int8_pairs_fit_int16_exactly_up_to_the_bound() -> None:
    assert 2 * 255 * SAFE_INT8_WEIGHT <= 2**15 - 1 < 2 * 255 * (SAFE_INT8_WEIGHT + 1)


# A hand-encoded ONNX graph, so that the check is shown to catch what it exists for.
def _varint(value: int) -> bytes:
    out = b""
    while True:
        byte, value = value & 0x7F, value >> 7
        out += bytes([byte | (0x80 if value else 0)])
        if not value:
            return out


def _field(number: int, payload: bytes | int) -> bytes:
    if isinstance(payload, int):
        return _varint(number << 3) + _varint(payload)
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _tensor(name: str, data_type: int, raw: bytes) -> bytes:
    return _field(8, name.encode()) + _field(2, data_type) + _field(9, raw)


def _node(op: str, inputs: list[str], output: str) -> bytes:
    return (
        b"".join(_field(1, i.encode()) for i in inputs)
        + _field(2, output.encode())
        + _field(4, op.encode())
    )


def _qdq_model(weights: bytes, weight_type: int) -> bytes:
    nodes = b"".join(
        _field(1, n)
        for n in [
            _node("QuantizeLinear", ["image", "s", "zu8"], "q"),
            _node("DequantizeLinear", ["q", "s", "zu8"], "x"),
            _node("DequantizeLinear", ["w", "s", "zw"], "wf"),
            _node("DequantizeLinear", ["b", "s"], "bf"),
            _node("Conv", ["x", "wf", "bf"], "y"),
        ]
    )
    initializers = b"".join(
        _field(5, t)
        for t in [
            _tensor("s", 1, struct.pack("<f", 0.1)),
            _tensor("zu8", 2, b"\x80"),
            _tensor("zw", weight_type, b"\x00"),
            _tensor("w", weight_type, weights),
            _tensor("b", 6, struct.pack("<3i", 100000, -100000, 7)),  # int32 biases don't count
        ]
    )
    return _field(1, 8) + _field(7, nodes + initializers)


def test_full_range_int8_weights_are_caught() -> None:
    found = inspect(_qdq_model(np.array([3, -127, 40], np.int8).tobytes(), weight_type=3))
    assert (found.weights, found.largest_int8_weight) == (1, 127)
    assert found.weight_types == {"int8"} and found.activation_types == {"uint8"}
    assert not found.saturation_free


def test_seven_bit_int8_and_uint8_weights_pass() -> None:
    seven_bit = inspect(_qdq_model(np.array([3, -64, 64], np.int8).tobytes(), weight_type=3))
    assert seven_bit.largest_int8_weight == SAFE_INT8_WEIGHT and seven_bit.saturation_free
    assert inspect(_qdq_model(bytes([0, 255, 128]), weight_type=2)).saturation_free


def test_fast_kernels_agree_with_the_reference_on_the_pinned_photos() -> None:
    classifier = RoomClassifier(threads=1)
    info = classifier.info
    photos = [load_room_photo(FIXTURES / p["file"]) for p in GOLDEN["photos"]]
    fast = classifier.logits(photos)
    slow = reference_logits(default_model_dir() / info.model_file, photos, info, 1)
    gap = np.abs(fast - slow).max(axis=1)
    moved = [
        f"{p['file']}: logits differ by {g:.3f}"
        for p, g in zip(GOLDEN["photos"], gap, strict=True)
        if g > REFERENCE_LOGIT_TOLERANCE
    ]
    assert not moved, "int8 kernels differ from the reference:\n" + "\n".join(moved)

    def decisions(logits: np.ndarray) -> list[int]:  # type: ignore[type-arg]
        probs = calibrated_probabilities(logits, info.temperature)
        return [int(np.argmax(r)) if r.max() >= info.unsure_below else -1 for r in probs]

    assert decisions(fast) == decisions(slow)
