from __future__ import annotations

import pytest

from reelestate.prompts.fair_housing import FAIR_HOUSING_TERMS
from reelestate.tools.fair_housing import is_clean, lint, rewrite

ALL_PHRASES = [(p, t.rewrite) for t in FAIR_HOUSING_TERMS for p in t.phrases]

NORMAL_SENTENCES = [
    "The family room opens onto the patio.",
    "A master-planned community with walking trails.",
    "Walking distance to the park and the library.",
    "Mature trees line the quiet street.",
    "Single-family home on a corner lot.",
    "Primary bedroom with a walk-in closet.",
    "Accessible entrance with a wheelchair ramp.",
    "Window blinds and ceiling fans included.",
    "Exclusive listing: call for details.",
    "Close to shops, transit and the farmers market.",
    "Two-car garage and a fenced backyard.",
    "White kitchen cabinets and quartz counters.",
    "A kid's playroom could be an office.",
    "The seller will consider all offers.",
    "Safety features include smoke detectors.",
    "Built by a masterful craftsman in 1925.",
    "Bright den for reading or crafts.",
    "Near the train station and the high school.",
]


def test_the_list_is_large_and_sourced() -> None:
    assert len(FAIR_HOUSING_TERMS) >= 40
    for term in FAIR_HOUSING_TERMS:
        assert term.source and term.reason and term.phrases


@pytest.mark.parametrize(("phrase", "safe"), ALL_PHRASES)
def test_every_phrase_is_caught_in_context_and_in_capitals(phrase: str, safe: str) -> None:
    for text in (f"Lovely home, {phrase}.", f"{phrase.upper()}!", phrase.title()):
        found = lint(text)
        assert found, text
        assert found[0].source
    fixed = rewrite(f"Lovely home, {phrase}, close to the park.")
    assert is_clean(fixed), fixed
    if safe:
        assert safe.lower() in fixed.lower()


@pytest.mark.parametrize("text", NORMAL_SENTENCES)
def test_normal_sentences_pass(text: str) -> None:
    assert lint(text) == []
    assert rewrite(text) == text


def test_rewrites_are_clean() -> None:
    for term in FAIR_HOUSING_TERMS:
        assert is_clean(term.rewrite), term.rewrite


def test_spelling_hyphen_and_case_variants() -> None:
    assert [v.rule for v in lint("An EXCLUSIVE NEIGHBOURHOOD")] == ["exclusive neighborhood"]
    assert lint("a man-cave and a man cave and a mancave")[2].suggestion == "bonus room"
    assert lint("handicap-accessible")[0].phrase == "handicap-accessible"
    assert rewrite("Two master bedrooms upstairs.") == "Two primary bedrooms upstairs."
    assert rewrite("Perfect for families! Safe area.") == "Well laid out! Established area."


def test_whole_words_only() -> None:
    assert lint("masterbedroomish") == []
    assert lint("christiansen road") == []


def test_removal_leaves_tidy_text() -> None:
    assert rewrite("No kids, adults only.") == ""
    assert rewrite("Great master suite; no section 8.") == "Great primary suite."
    violation = lint("Sunny condo, no kids.")[0]
    assert (violation.phrase, violation.category) == ("no kids", "familial_status")
    assert "Achtenberg" in violation.source
