"""The `analyse photos` tool: paths (files or folders) in, a report of every photo out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from reelestate.core.imaging import PHOTO_SUFFIXES
from reelestate.providers.vision.base import PhotoAnalyser, PhotoAnalysis, PhotoFailure


class AnalysisReport(BaseModel):
    """Every photo of one request: analysed, or failed with the reason."""

    model_config = ConfigDict(frozen=True)

    results: list[PhotoAnalysis]
    failures: list[PhotoFailure]

    @property
    def usable(self) -> list[PhotoAnalysis]:
        return [r for r in self.results if r.usable]

    def rows(self) -> list[dict[str, Any]]:
        """One plain record per photo in input order; a failure carries its reason."""
        records: list[tuple[int, dict[str, Any]]] = []
        for result in self.results:
            records.append((result.index, result.model_dump(mode="json")))
        for failure in self.failures:
            records.append(
                (
                    failure.index,
                    {
                        "path": str(failure.path),
                        "index": failure.index,
                        "width": None,
                        "height": None,
                        "orientation": None,
                        "room": None,
                        "room_confidence": None,
                        "sharpness": None,
                        "exposure": None,
                        "clipped_highlights": None,
                        "clipped_shadows": None,
                        "colour_cast": None,
                        "phash": None,
                        "duplicate_of": None,
                        "focal_point": None,
                        "reject_reasons": [failure.reason],
                        "analyser": None,
                        "error_code": failure.code,
                    },
                )
            )
        return [record for _, record in sorted(records, key=lambda item: item[0])]


def expand_photo_paths(paths: Sequence[Path]) -> list[Path]:
    """Folders become their photo files (sorted by name); other paths are kept as given.

    A folder is searched for `PHOTO_SUFFIXES`; a file named on its own is tried whatever its
    suffix."""
    expanded: list[Path] = []
    for path in paths:
        if path.is_dir():
            expanded.extend(
                sorted(
                    (
                        p
                        for p in path.iterdir()
                        if p.is_file() and p.suffix.lower() in PHOTO_SUFFIXES
                    ),
                    key=lambda p: p.name,
                )
            )
        else:
            expanded.append(path)
    return expanded


def analyse_photos(paths: Sequence[Path], analyser: PhotoAnalyser) -> AnalysisReport:
    """Analyse photos leniently: an unreadable one is reported, the others still analysed."""
    batch = analyser.analyse_batch(expand_photo_paths(paths))
    return AnalysisReport(results=batch.results, failures=batch.failures)
