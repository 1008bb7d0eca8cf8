"""Near-duplicate photos: one capture saved twice, re-encoded, resized or slightly cropped.

The DCT hash alone groups re-encoded and resized copies (0-4 bits apart) but a 5% crop
moves it as far as some unrelated photos of similar rooms. So hashes only nominate
candidates; a candidate pair is one photo when ORB keypoints of the two agree on a single
scale-and-shift (no rotation) mapping, which a second photo of the same room taken from
another spot does not give.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from reelestate.core.imaging import RGBArray
from reelestate.providers.vision.phash import hamming

SAME_HASH_DISTANCE = 8
"""At or below this the hashes alone decide: re-encoded and resized copies."""

CANDIDATE_HASH_DISTANCE = 26
"""Above this two photos are never the same capture (a 10% one-sided crop moves up to 26)."""

MIN_INLIERS = 45
MIN_INLIER_RATIO = 0.35
MAX_ROTATION_DEGREES = 2.0
FEATURE_SIDE = 512

_ORB_FEATURES = 1000
_RATIO_TEST = 0.8
_REPROJECTION_PX = 3.0


@dataclass(frozen=True)
class PhotoFingerprint:
    """What duplicate detection needs of one photo."""

    phash: str
    points: npt.NDArray[np.float32]
    descriptors: npt.NDArray[np.uint8] | None


def fingerprint(rgb: RGBArray, phash: str) -> PhotoFingerprint:
    """ORB keypoints of the photo at a fixed size, with its hash."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    scale = FEATURE_SIDE / max(gray.shape)
    if scale < 1:
        size = (max(1, round(gray.shape[1] * scale)), max(1, round(gray.shape[0] * scale)))
        gray = cv2.resize(gray, size, interpolation=cv2.INTER_AREA)
    orb = cv2.ORB.create(nfeatures=_ORB_FEATURES)
    keypoints, descriptors = orb.detectAndCompute(gray, None)
    points = np.array([kp.pt for kp in keypoints], dtype=np.float32).reshape(-1, 2)
    codes = None if descriptors is None else np.asarray(descriptors, dtype=np.uint8)
    return PhotoFingerprint(phash=phash, points=points, descriptors=codes)


def same_capture(first: PhotoFingerprint, second: PhotoFingerprint) -> bool:
    """True when the two photos are copies of one capture."""
    distance = hamming(first.phash, second.phash)
    if distance <= SAME_HASH_DISTANCE:
        return True
    if distance > CANDIDATE_HASH_DISTANCE:
        return False
    return _keypoints_agree(first, second)


def _keypoints_agree(first: PhotoFingerprint, second: PhotoFingerprint) -> bool:
    if first.descriptors is None or second.descriptors is None:
        return False
    if len(first.descriptors) < MIN_INLIERS or len(second.descriptors) < MIN_INLIERS:
        return False
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    pairs = matcher.knnMatch(first.descriptors, second.descriptors, k=2)
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < _RATIO_TEST * p[1].distance]
    if len(good) < MIN_INLIERS:
        return False
    src = first.points[[m.queryIdx for m in good]]
    dst = second.points[[m.trainIdx for m in good]]
    transform, mask = cv2.estimateAffinePartial2D(
        src, dst, method=cv2.RANSAC, ransacReprojThreshold=_REPROJECTION_PX
    )
    if transform is None or mask is None:
        return False
    inliers = int(mask.sum())
    rotation = math.degrees(math.atan2(float(transform[1, 0]), float(transform[0, 0])))
    return (
        inliers >= MIN_INLIERS
        and inliers / len(good) >= MIN_INLIER_RATIO
        and abs(rotation) <= MAX_ROTATION_DEGREES
    )


def duplicate_groups(prints: Sequence[PhotoFingerprint | None]) -> list[list[int]]:
    """Indices grouped by transitive same-capture links; singletons are left out.

    `None` stands for a photo that could not be read and never joins a group.
    """
    parent = list(range(len(prints)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, first in enumerate(prints):
        if first is None:
            continue
        for j in range(i + 1, len(prints)):
            second = prints[j]
            if second is not None and root(i) != root(j) and same_capture(first, second):
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i, item in enumerate(prints):
        if item is not None:
            groups.setdefault(root(i), []).append(i)
    return [members for members in groups.values() if len(members) > 1]
