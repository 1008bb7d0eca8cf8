"""Train, calibrate and export the room classifier: `make train-rooms`.

Reproducible: fixed seed, one CPU thread, deterministic kernels, and the same decoding
and preprocessing code the product runs (`load_photo`, `rooms.preprocess`). The figures
in MODEL_CARD.md are measured on the exported ONNX model through `RoomClassifier`.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import nn

from reelestate.core.imaging import load_photo
from reelestate.providers.vision.quality import ANALYSIS_SIDE
from reelestate.providers.vision.rooms import (
    MODEL_INFO_FILE,
    RoomClassifier,
    RoomModelInfo,
    calibrated_probabilities,
    preprocess,
)
from training.rooms import card, data, evaluate, export
from training.rooms.model import INPUT_SIDE, MEAN, STD, RoomNet, Tail, Trunk, load_backbone

FIRST_TUNED_BLOCK = 14
"""Blocks 14-15 (of 16), the head convolution and the new layer are fine-tuned."""

TEST_HOUSES = 50
VAL_HOUSES = 60
"""A large validation split, so that temperature and threshold see some errors."""
FIXTURE_HOUSES = 15
FIXTURE_SIDE = 400


def _photo(path: Path) -> np.ndarray:  # type: ignore[type-arg]
    return load_photo(path, max_side=ANALYSIS_SIDE, min_short_side=1).rgb


def _info(model_file: str, temperature: float, unsure_below: float) -> RoomModelInfo:
    return RoomModelInfo(
        model_file=model_file,
        labels=data.LABELS,  # type: ignore[arg-type]
        input_side=INPUT_SIDE,
        mean=MEAN,
        std=STD,
        temperature=temperature,
        unsure_below=unsure_below,
    )


def _trunk_features(
    trunk: Trunk, photos: list[data.LabelledPhoto], flips: bool, cache: Path
) -> torch.Tensor:
    key = hashlib.sha256(
        json.dumps([str(p.path) for p in photos] + [FIRST_TUNED_BLOCK, flips]).encode()
    ).hexdigest()[:16]
    target = cache / f"trunk-{key}.pt"
    if target.exists():
        return torch.load(target)  # type: ignore[no-any-return]
    info = _info("", 1.0, 0.0)
    outputs = []
    with torch.no_grad():
        for start in range(0, len(photos), 32):
            batch = np.stack([preprocess(_photo(p.path), info) for p in photos[start : start + 32]])
            views = [torch.from_numpy(batch)]
            if flips:
                views.append(torch.flip(views[0], dims=[3]))
            outputs.append(torch.stack([trunk(v) for v in views], dim=1))
    features = torch.cat(outputs)
    cache.mkdir(parents=True, exist_ok=True)
    torch.save(features, target)
    return features


def _train_tail(tail: Tail, features: torch.Tensor, labels: torch.Tensor, epochs: int) -> None:
    head = list(tail.fc.parameters())
    body = [p for n, p in tail.named_parameters() if not n.startswith("fc.")]
    optimiser = torch.optim.AdamW(
        [{"params": head, "lr": 3e-3}, {"params": body, "lr": 3e-4}], weight_decay=1e-4
    )
    views = features.shape[1]
    flat = features.reshape(-1, *features.shape[2:])
    flat_labels = labels.repeat_interleave(views)
    generator = torch.Generator().manual_seed(0)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.05)
    steps = epochs * ((len(flat) + 31) // 32)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=[3e-3, 3e-4], total_steps=steps, pct_start=0.15
    )
    for epoch in range(epochs):
        tail.train()
        tail.freeze_batchnorm()
        order = torch.randperm(len(flat), generator=generator)
        total = 0.0
        for start in range(0, len(flat), 32):
            index = order[start : start + 32]
            optimiser.zero_grad()
            loss = loss_fn(tail(flat[index]), flat_labels[index])
            loss.backward()
            optimiser.step()
            scheduler.step()
            total += float(loss.detach()) * len(index)
        print(f"  epoch {epoch + 1}/{epochs}: loss {total / len(flat):.4f}", flush=True)
    tail.eval()


def _labels(photos: list[data.LabelledPhoto]) -> np.ndarray:  # type: ignore[type-arg]
    return np.array([data.LABELS.index(p.label) for p in photos], dtype=np.int64)


def _fixture_copy(path: Path) -> bytes:
    """The photo as shipped in tests/fixtures/rooms: 400 px long side, JPEG quality 85."""
    with Image.open(path) as source:
        img = source.convert("RGB")
        img.thumbnail((FIXTURE_SIDE, FIXTURE_SIDE), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        img.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _fixture_set(split: data.Split) -> list[data.LabelledPhoto]:
    """All photos of the first test houses by number: fixed, not picked by how they score."""
    houses = sorted({p.house for p in split.test})[:FIXTURE_HOUSES]
    return [p for p in split.test if p.house in houses]


def _fixture_name(photo: data.LabelledPhoto) -> str:
    return f"{photo.house}_{photo.path.stem.split('_', 1)[1]}.jpg"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/houses-dev"))
    parser.add_argument("--out", type=Path, default=Path("src/reelestate/providers/vision/models"))
    parser.add_argument("--cache", type=Path, default=Path("build/train-rooms"))
    parser.add_argument(
        "--fixtures", type=Path, default=None, help="also write the test fixture copies"
    )
    parser.add_argument("--fixtures-only", action="store_true", help="write the fixtures and stop")
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--epochs", type=int, default=12)
    args = parser.parse_args()

    started = time.monotonic()
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    print("preparing the data set", flush=True)
    split = data.prepare(args.data, seed=args.seed, test_houses=TEST_HOUSES, val_houses=VAL_HOUSES)
    if args.fixtures_only:
        if args.fixtures is None:
            parser.error("--fixtures-only needs --fixtures DIR")
        for photo in _fixture_set(split):
            args.fixtures.mkdir(parents=True, exist_ok=True)
            (args.fixtures / _fixture_name(photo)).write_bytes(_fixture_copy(photo.path))
        return
    backbone = load_backbone()
    trunk = Trunk(backbone, FIRST_TUNED_BLOCK).eval()
    tail = Tail(backbone, FIRST_TUNED_BLOCK, len(data.LABELS))

    print("computing trunk features", flush=True)
    train_features = _trunk_features(trunk, split.train, True, args.cache)
    print(f"training on {len(split.train)} photos x {train_features.shape[1]} views", flush=True)
    _train_tail(tail, train_features, torch.from_numpy(_labels(split.train)), args.epochs)

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        fp32 = work / "rooms-fp32.onnx"
        export.to_onnx(RoomNet(trunk, tail).eval(), fp32, INPUT_SIDE)
        int8 = work / "rooms-int8.onnx"
        calibration = [_photo(p.path) for p in split.train[::3]]
        export.quantize_int8(fp32, int8, calibration, _info("", 1.0, 0.0))

        val_photos = [_photo(p.path) for p in split.val]
        val_labels = _labels(split.val)
        chosen = export.choose_model(fp32, int8, val_photos, val_labels, _info("", 1.0, 0.0), work)
        shutil.copy(chosen, work / "rooms.onnx")
        info_path = work / MODEL_INFO_FILE
        info_path.write_text(_info("rooms.onnx", 1.0, 0.0).model_dump_json(indent=2))
        val_logits = RoomClassifier(work, threads=1).logits(val_photos).astype(np.float64)
        temperature = evaluate.fit_temperature(val_logits, val_labels)
        val_probs = calibrated_probabilities(val_logits.astype(np.float32), temperature)
        unsure_below = evaluate.choose_threshold(
            val_probs, val_labels, target_precision=0.995, min_unsure=0.05, max_unsure=0.09
        )
        info = _info("rooms.onnx", temperature, unsure_below)
        info_path.write_text(info.model_dump_json(indent=2) + "\n")

        classifier = RoomClassifier(work, threads=1)
        test_logits = classifier.logits([_photo(p.path) for p in split.test]).astype(np.float64)
        test_labels = _labels(split.test)
        raw = evaluate.figures(
            calibrated_probabilities(test_logits.astype(np.float32), 1.0),
            test_labels,
            unsure_below,
            len(data.LABELS),
        )
        test = evaluate.figures(
            calibrated_probabilities(test_logits.astype(np.float32), temperature),
            test_labels,
            unsure_below,
            len(data.LABELS),
        )
        val = evaluate.figures(val_probs, val_labels, unsure_below, len(data.LABELS))

        fixture_set = _fixture_set(split)
        fixture_houses = sorted({p.house for p in fixture_set})
        fixture_photos = []
        for photo in fixture_set:
            blob = _fixture_copy(photo.path)
            copy = work / _fixture_name(photo)
            copy.write_bytes(blob)
            fixture_photos.append(_photo(copy))
            if args.fixtures is not None:
                args.fixtures.mkdir(parents=True, exist_ok=True)
                (args.fixtures / copy.name).write_bytes(blob)
        fixture_logits = classifier.logits(fixture_photos).astype(np.float32)
        fixture = evaluate.figures(
            calibrated_probabilities(fixture_logits, temperature),
            _labels(fixture_set),
            unsure_below,
            len(data.LABELS),
        )

        args.out.mkdir(parents=True, exist_ok=True)
        shutil.copy(work / "rooms.onnx", args.out / "rooms.onnx")
        shutil.copy(info_path, args.out / MODEL_INFO_FILE)
        model_kind = "int8" if chosen == int8 else "fp32"
        metrics = card.write(
            args.out,
            split=split,
            model_kind=model_kind,
            model_bytes=(args.out / "rooms.onnx").stat().st_size,
            info=info,
            raw=raw,
            val=val,
            test=test,
            fixture=fixture,
            fixture_houses=fixture_houses,
            seed=args.seed,
            epochs=args.epochs,
            first_tuned=FIRST_TUNED_BLOCK,
            minutes=(time.monotonic() - started) / 60,
        )
    print(json.dumps(metrics, indent=2))


if __name__ == "__main__":
    main()
