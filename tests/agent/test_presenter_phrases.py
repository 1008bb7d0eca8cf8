"""Words about the presenter and its photo."""

from __future__ import annotations

import pytest

from reelestate.agent.rules.presenter import asks_presenter_photo, presenter_request


@pytest.mark.parametrize(
    "text",
    ["use this as my presenter photo", "Here's my headshot", "this picture for the avatar"],
)
def test_presenter_photo_words(text: str) -> None:
    assert asks_presenter_photo(text)


@pytest.mark.parametrize("text", ["here are the photos", "kitchen photo first", ""])
def test_listing_photos_are_not_presenter_photos(text: str) -> None:
    assert not asks_presenter_photo(text)


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("add me as a presenter in the corner", ("add", "pip")),
        ("put the avatar full screen at the start", ("add", "intro")),
        ("remove the presenter", ("remove", "")),
        ("no avatar please", ("remove", "")),
        ("make it 20 seconds", None),
    ],
)
def test_presenter_requests(text: str, wanted: tuple[str, str] | None) -> None:
    assert presenter_request(text) == wanted
