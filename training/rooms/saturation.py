"""Whether a QDQ int8 model gives the same outputs on every x86 CPU onnxruntime runs on.

onnxruntime multiplies uint8 activations by int8 weights on AVX2 and AVX-512 CPUs without
VNNI with VPMADDUBSW, which adds two uint8 x int8 products into a *saturating* int16: with
full-range weights (up to 127) a pair can reach 2 * 255 * 127 = 64770 and is clipped to 32767,
so such a CPU computes something else than a VNNI CPU or the float reference. With weights
within +-64 a pair stays within 2 * 255 * 64 = 32640 and nothing is clipped (7-bit weights,
`reduce_range=True`); uint8 weights go through 16-bit multiplies that cannot saturate.

The check reads the model file itself with a minimal protobuf reader (the `onnx` package is
only in the training extra, and onnxruntime does not expose initializers), so a test can run it
on the shipped bytes on any CPU.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SAFE_INT8_WEIGHT = 64
"""Largest |int8 weight| whose pairs of products with uint8 activations fit a signed int16."""

_UINT8, _INT8, _INT32 = 2, 3, 6
_WEIGHT_TYPES = {_UINT8: "uint8", _INT8: "int8"}


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def _fields(data: bytes) -> Iterator[tuple[int, int, int | bytes]]:
    """(field number, wire type, value) of each field of one serialised message."""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
            yield number, wire, value
        elif wire == 1:
            yield number, wire, data[pos : pos + 8]
            pos += 8
        elif wire == 2:
            size, pos = _varint(data, pos)
            yield number, wire, data[pos : pos + size]
            pos += size
        elif wire == 5:
            yield number, wire, data[pos : pos + 4]
            pos += 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")


def _packed_varints(blob: bytes) -> list[int]:
    values, pos = [], 0
    while pos < len(blob):
        value, pos = _varint(blob, pos)
        values.append(value)
    return values


@dataclass(frozen=True)
class _Tensor:
    name: str
    data_type: int
    values: np.ndarray  # type: ignore[type-arg]


def _tensor(message: bytes) -> _Tensor:
    """An integer TensorProto: name, element type and values (raw_data or int32_data)."""
    name, data_type, raw, ints = "", 0, b"", []
    for number, wire, value in _fields(message):
        if number == 8:
            name = bytes(value).decode()  # type: ignore[arg-type]
        elif number == 2:
            data_type = int(value)  # type: ignore[arg-type]
        elif number == 9:
            raw = bytes(value)  # type: ignore[arg-type]
        elif number == 5:
            ints += _packed_varints(value) if wire == 2 else [value]  # type: ignore[arg-type, list-item]
        elif number == 14 and value == 1:
            raise ValueError(f"tensor {name} is stored outside the model file")
    dtype = {_UINT8: np.uint8, _INT8: np.int8, _INT32: np.int32}.get(data_type)
    if dtype is None:
        return _Tensor(name, data_type, np.zeros(0))
    if raw:
        return _Tensor(name, data_type, np.frombuffer(raw, dtype=dtype))
    # int32_data holds int8 as sign-extended varints (two's complement over 64 bits)
    signed = [v - (1 << 64) if v >= 1 << 63 else v for v in ints]
    return _Tensor(name, data_type, np.array(signed, dtype=np.int64).astype(dtype))


@dataclass(frozen=True)
class QuantisedModel:
    """The element types and weight range of a QDQ model, as the CPU kernels will see them."""

    activation_types: frozenset[str]
    """Element types of every QuantizeLinear output (the activations)."""
    weight_types: frozenset[str]
    """Element types of every quantised constant fed to DequantizeLinear (biases excluded)."""
    weights: int
    largest_int8_weight: int
    """Largest |value| over all int8 weights (0 when there are none)."""

    @property
    def saturation_free(self) -> bool:
        """No uint8 x int8 product pair can overflow int16 on any x86 kernel."""
        if not self.weight_types or self.activation_types != {"uint8"}:
            return False
        if self.weight_types == {"uint8"}:
            return True
        return self.largest_int8_weight <= SAFE_INT8_WEIGHT

    def summary(self) -> str:
        return (
            f"activations {'/'.join(sorted(self.activation_types))}, "
            f"{self.weights} weights {'/'.join(sorted(self.weight_types))}, "
            f"largest |int8 weight| {self.largest_int8_weight}"
        )


def inspect(model: Path | bytes) -> QuantisedModel:
    """Read the quantised weights and activation types straight from the ONNX bytes."""
    data = model.read_bytes() if isinstance(model, Path) else model
    graph = next(bytes(v) for n, w, v in _fields(data) if n == 7 and w == 2)  # type: ignore[arg-type]
    initializers: dict[str, _Tensor] = {}
    nodes: list[tuple[str, list[str], list[str]]] = []
    for number, _, value in _fields(graph):
        if number == 5:
            tensor = _tensor(bytes(value))  # type: ignore[arg-type]
            initializers[tensor.name] = tensor
        elif number == 1:
            op, inputs, outputs = "", [], []
            for field, _, part in _fields(bytes(value)):  # type: ignore[arg-type]
                if field == 4:
                    op = bytes(part).decode()  # type: ignore[arg-type]
                elif field == 1:
                    inputs.append(bytes(part).decode())  # type: ignore[arg-type]
                elif field == 2:
                    outputs.append(bytes(part).decode())  # type: ignore[arg-type]
            nodes.append((op, inputs, outputs))
    activation_types: set[str] = set()
    weight_types: set[str] = set()
    weights = largest = 0
    for op, inputs, _ in nodes:
        if op == "QuantizeLinear":
            zero_point = initializers.get(inputs[2]) if len(inputs) > 2 else None
            kind = zero_point.data_type if zero_point is not None else _UINT8
            activation_types.add(_WEIGHT_TYPES.get(kind, f"type {kind}"))
        elif op == "DequantizeLinear" and inputs[0] in initializers:
            tensor = initializers[inputs[0]]
            if tensor.data_type == _INT32:
                continue  # biases: added in int32, never multiplied in int16
            weights += 1
            weight_types.add(_WEIGHT_TYPES.get(tensor.data_type, f"type {tensor.data_type}"))
            if tensor.data_type == _INT8 and tensor.values.size:
                largest = max(largest, int(np.abs(tensor.values.astype(np.int16)).max()))
    return QuantisedModel(
        activation_types=frozenset(activation_types),
        weight_types=frozenset(weight_types),
        weights=weights,
        largest_int8_weight=largest,
    )
