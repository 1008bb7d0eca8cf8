"""The rule-based brain's reading of revision phrasings, measured on the table in phrase_table."""

from __future__ import annotations

from typing import Any

from reelestate.agent.rules.requests import Understood, understand
from tests.agent.phrase_table import PHRASES, Expected, table_version

REQUIRED_ACCURACY = 0.90


def _actual(result: Understood) -> Expected:
    flags = []
    if result.music_on is False:
        flags.append("music_off")
    if result.music_on is True:
        flags.append("music_on")
    for name in ("undo", "approve", "reject", "list_versions", "job_status", "help"):
        if getattr(result, name):
            flags.append(name)
    if result.revert_to is not None:
        flags.append(f"revert:{result.revert_to}")
    ops: list[dict[str, Any]] = [op.model_dump() for op in result.ops]
    if flags and ops:
        return "+".join([*flags, *(str(op["op"]).removeprefix("set_") for op in ops)])
    if flags:
        return "+".join(flags)
    return ops


def test_phrase_table_is_large_enough() -> None:
    assert len(PHRASES) >= 100
    assert len({phrase for phrase, _ in PHRASES}) == len(PHRASES)


def test_rule_based_brain_understands_the_phrase_table() -> None:
    version = table_version()
    misses = []
    for phrase, expected in PHRASES:
        actual = _actual(understand(phrase, version))
        if actual != expected:
            misses.append(f"  {phrase!r}: expected {expected}, got {actual}")
    accuracy = 1 - len(misses) / len(PHRASES)
    print(f"\nrule-based brain: {accuracy:.1%} of {len(PHRASES)} phrasings understood")
    print("\n".join(misses))
    assert accuracy >= REQUIRED_ACCURACY


def test_unknown_words_are_reported_not_guessed() -> None:
    version = table_version()
    assert understand("put the garage first", version).problems == ["no scene is labelled 'garage'"]
    assert understand("remove photo 12", version).problems == ["photo 12 is not in the video"]
    assert understand("swap 2 and 9", version).problems == [
        "there is no scene 9; scenes run from 1 to 7"
    ]
    nothing = understand("what a lovely day", version)
    assert not nothing.anything
