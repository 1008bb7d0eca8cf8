"""Re-quantise the earlier room model without retraining: `make rooms-requantize`.

The fallback when a full `make train-rooms` is too slow for the machine at hand. It recovers a
float model from the earlier QDQ int8 model (kept in `previous/`; each weight dequantised,
each activation's QuantizeLinear/DequantizeLinear pair replaced by a clamp to its range),
quantises it again with the settings of `export.quantize_int8` and the same calibration photos
(every eighth training photo of the same split), and then calibrates and measures it exactly as
training does (`train_rooms.finish_run`): temperature and threshold on validation, figures on
test, re-splits, fixture figures, model card.

The float weights it starts from carry the old int8 rounding (at most half a step of each
channel's scale), so the result is close to, not the same as, what a retrain would give.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import onnx
from onnx import helper, numpy_helper

from reelestate.providers.vision.rooms import MODEL_INFO_FILE
from training.rooms import card, data, train_rooms

SOURCE = Path(__file__).parent / "previous"
"""The model shipped before (trained by `train_rooms` with full-range int8 weights) and its
metrics, kept here so that re-running this gives the same model rather than re-quantising an
already re-quantised one."""
SOURCE_SHA256 = "8d119475fde4d4fa8e75cf71582e02a319c00e52f9504e710bc08c9dd4f52c55"


def _axis(node: onnx.NodeProto) -> int:
    return next((a.i for a in node.attribute if a.name == "axis"), 1)


def float_model(qdq: Path, target: Path) -> None:
    """The float graph behind a QDQ model: weights dequantised, activation Q/DQ pairs removed.

    Each activation pair becomes a Clip to the range it could represent (its rounding is what
    is removed), so the float model computes what the int8 one does, without the rounding.
    """
    model = onnx.load(str(qdq))
    graph = model.graph
    initializers = {t.name: t for t in graph.initializer}
    producers = {out: node for node in graph.node for out in node.output}
    kept: list[onnx.NodeProto] = []
    dequantised: list[onnx.TensorProto] = []
    for node in graph.node:
        if node.op_type == "DequantizeLinear" and node.input[0] in initializers:
            values = numpy_helper.to_array(initializers[node.input[0]]).astype(np.float64)
            scale = numpy_helper.to_array(initializers[node.input[1]]).astype(np.float64)
            zero = (
                numpy_helper.to_array(initializers[node.input[2]]).astype(np.float64)
                if len(node.input) > 2 and node.input[2]
                else np.zeros_like(scale)
            )
            if scale.ndim == 1 and values.ndim > 1:
                shape = [1] * values.ndim
                shape[_axis(node) % values.ndim] = -1
                scale, zero = scale.reshape(shape), zero.reshape(shape)
            weights = ((values - zero) * scale).astype(np.float32)
            dequantised.append(numpy_helper.from_array(weights, node.output[0]))
        elif node.op_type == "DequantizeLinear":
            quantize = producers[node.input[0]]
            if quantize.op_type != "QuantizeLinear":
                raise ValueError(f"{node.name}: DequantizeLinear after {quantize.op_type}")
            # The pair also clamped to its uint8 range: that is where the quantiser left the
            # ReLU6 of each block (it drops a Clip that the range already applies), so keep it.
            scale = float(numpy_helper.to_array(initializers[node.input[1]]))
            zero_point = numpy_helper.to_array(initializers[node.input[2]])
            if zero_point.dtype != np.uint8:
                raise ValueError(f"{node.name}: activations are {zero_point.dtype}, not uint8")
            zero = float(zero_point)
            low, high = node.output[0] + "_low", node.output[0] + "_high"
            dequantised.append(numpy_helper.from_array(np.float32(scale * (0 - zero)), low))
            dequantised.append(numpy_helper.from_array(np.float32(scale * (255 - zero)), high))
            kept.append(helper.make_node("Clip", [quantize.input[0], low, high], [node.output[0]]))
        elif node.op_type != "QuantizeLinear":
            kept.append(node)
    used = {name for node in kept for name in node.input}
    floats = [t for t in graph.initializer if t.name in used] + dequantised
    del graph.node[:]
    graph.node.extend(kept)
    del graph.initializer[:]
    graph.initializer.extend(floats)
    del graph.value_info[:]
    onnx.checker.check_model(model)
    onnx.save(model, str(target))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--data",
        type=Path,
        nargs="+",
        default=[Path("../shared/data/houses-dev"), Path("../shared/data/houses-more")],
    )
    parser.add_argument(
        "--source",
        type=Path,
        default=SOURCE,
        help="the full-range int8 model and its metrics to start from",
    )
    parser.add_argument(
        "--model", type=Path, default=Path("src/reelestate/providers/vision/models")
    )
    parser.add_argument("--cache", type=Path, default=Path("build/train-rooms"))
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    started = time.monotonic()
    source = args.source / "rooms.onnx"
    source_sha = hashlib.sha256(source.read_bytes()).hexdigest()
    if args.source == SOURCE and source_sha != SOURCE_SHA256:
        parser.error(f"{source} is not the model this fallback was made for")
    previous = json.loads((args.source / card.METRICS_FILE).read_text(encoding="utf-8"))
    print("preparing the data set", flush=True)
    split = data.prepare(
        args.data,
        seed=args.seed,
        test_houses=train_rooms.TEST_HOUSES,
        val_houses=train_rooms.VAL_HOUSES,
        cache=args.cache,
    )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = work / "main"
        folder.mkdir()
        fp32 = folder / "rooms-fp32.onnx"
        float_model(source, fp32)
        run = train_rooms.finish_run(
            split, args.seed, fp32, folder, threads=args.threads, started=started
        )
        print(json.dumps({"test": run.test.__dict__, "minutes": run.minutes}), flush=True)
        fixture = train_rooms.write_fixtures(run, None, work)
        shutil.copy(run.folder / "rooms.onnx", args.model / "rooms.onnx")
        shutil.copy(run.folder / MODEL_INFO_FILE, args.model / MODEL_INFO_FILE)
        metrics = card.write(
            args.model,
            run=run,
            cpu_minutes=time.process_time() / 60,
            model_bytes=(args.model / "rooms.onnx").stat().st_size,
            fixture=fixture,
            fixture_houses=sorted({p.house for p in train_rooms.fixture_set(split)}),
            data_dirs=args.data,
            epochs=train_rooms.EPOCHS,
            threads=args.threads,
            first_tuned=train_rooms.FIRST_TUNED_BLOCK,
            target_precision=train_rooms.TARGET_PRECISION,
            min_unsure=train_rooms.MIN_UNSURE,
            versions=train_rooms.versions(),
            minutes=(time.monotonic() - started) / 60,
            requantized=card.Requantized(
                source_sha256=source_sha,
                source_test=previous["test"],
                source_versions=previous["versions"],
            ),
        )
    print(json.dumps(metrics, indent=2))


if __name__ == "__main__":
    main()
