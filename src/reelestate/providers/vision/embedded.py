"""The photo analyser that needs no key and no network: OpenCV measures, ONNX rooms."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reelestate.providers.vision.base import PhotoAnalysis, PhotoBatch
from reelestate.providers.vision.measure import (
    MIN_USABLE_SHORT_SIDE,
    MeasuredPhoto,
    RoomCall,
    assemble,
    measure_batch,
)
from reelestate.providers.vision.rooms import RoomClassifier


class EmbeddedPhotoAnalyser:
    """Quality, duplicates, focal point and room for a batch of photos, all on this machine."""

    name = "embedded"

    def __init__(
        self,
        *,
        classifier: RoomClassifier | None = None,
        min_short_side: int = MIN_USABLE_SHORT_SIDE,
    ) -> None:
        self.classifier = classifier or RoomClassifier()
        self.min_short_side = min_short_side

    def rooms(self, measured: Sequence[MeasuredPhoto]) -> list[RoomCall]:
        """The classifier's room for each measured photo."""
        predictions = self.classifier.predict([m.rgb for m in measured])
        return [RoomCall(p.room, p.confidence, self.name) for p in predictions]

    def analyse_batch(self, paths: list[Path]) -> PhotoBatch:
        measured, failures = measure_batch(paths)
        return assemble(
            measured, self.rooms(measured), failures, min_short_side=self.min_short_side
        )

    def analyse(self, paths: list[Path]) -> list[PhotoAnalysis]:
        batch = self.analyse_batch(paths)
        batch.raise_for_failures()
        return batch.results
