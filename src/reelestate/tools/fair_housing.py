"""Fair-housing lint and rewrite over the phrase list in `prompts.fair_housing`.

One compiled pattern holds every phrase, longest first, so "handicap accessible" wins over
"handicap" and "master bathroom" over "master bath". Words are matched whole, in any case,
across spaces and hyphens, and in British spellings.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from reelestate.prompts.fair_housing import (
    FAIR_HOUSING_TERMS,
    SPELLING_VARIANTS,
    Category,
    FairHousingTerm,
)


class Violation(BaseModel):
    """One steering phrase found in a text, where it is, and what to say instead."""

    model_config = ConfigDict(frozen=True)

    phrase: str
    start: int
    end: int
    rule: str
    """The rule's first phrase, a stable name for it."""
    category: Category
    reason: str
    source: str
    suggestion: str


def _word_pattern(word: str) -> str:
    spellings = (word, *SPELLING_VARIANTS.get(word, ()))
    return "(?:" + "|".join(re.escape(s) for s in spellings) + ")"


def _phrase_pattern(phrase: str) -> str:
    words = re.split(r"[\s\-]+", phrase.strip().lower())
    body = r"[\s\-]+".join(_word_pattern(w) for w in words)
    plural = "(?P<{}>s)?" if phrase[-1].isalpha() and not phrase.endswith("s") else ""
    return body + plural


@lru_cache(maxsize=1)
def _compiled() -> tuple[re.Pattern[str], dict[str, tuple[FairHousingTerm, str]]]:
    entries: list[tuple[str, FairHousingTerm]] = [
        (phrase, term) for term in FAIR_HOUSING_TERMS for phrase in term.phrases
    ]
    entries.sort(key=lambda e: len(e[0]), reverse=True)
    groups: dict[str, tuple[FairHousingTerm, str]] = {}
    alternatives = []
    for i, (phrase, term) in enumerate(entries):
        name = f"p{i}"
        groups[name] = (term, f"s{i}")
        alternatives.append(f"(?P<{name}>{_phrase_pattern(phrase).format(f's{i}')})")
    pattern = r"(?<![\w'’])(?:" + "|".join(alternatives) + r")(?![\w])"
    return re.compile(pattern, re.IGNORECASE), groups


def _matches(text: str) -> list[tuple[re.Match[str], FairHousingTerm, bool]]:
    pattern, groups = _compiled()
    found = []
    for match in pattern.finditer(text):
        name = match.lastgroup
        if name is None or name not in groups:
            # lastgroup names the plural group when it closed last; find the phrase group.
            name = next(g for g, v in match.groupdict().items() if v is not None and g in groups)
        term, plural_group = groups[name]
        plural = match.groupdict().get(plural_group) is not None
        found.append((match, term, plural))
    return found


def lint(text: str) -> list[Violation]:
    """Every steering phrase in `text`, in reading order; empty means the text is clean."""
    return [
        Violation(
            phrase=match.group(0),
            start=match.start(),
            end=match.end(),
            rule=term.phrases[0],
            category=term.category,
            reason=term.reason,
            source=term.source,
            suggestion=term.rewrite,
        )
        for match, term, _ in _matches(text)
    ]


def _match_case(original: str, replacement: str) -> str:
    if not replacement:
        return replacement
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    return replacement


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])(?=[,.;:!?])", "", text)
    text = re.sub(r"^[\s,;:]+", "", text)
    text = re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)
    return text.strip() if re.search(r"\w", text) else ""


def rewrite(text: str) -> str:
    """`text` with each steering phrase replaced by its safe wording (or removed), tidied."""
    matches = _matches(text)
    if not matches:
        return text
    out: list[str] = []
    cursor = 0
    for match, term, plural in matches:
        out.append(text[cursor : match.start()])
        replacement = _match_case(match.group(0), term.rewrite)
        if plural and replacement:
            replacement += match.group(0)[-1]
        out.append(replacement)
        cursor = match.end()
    out.append(text[cursor:])
    return _tidy("".join(out))


def is_clean(text: str) -> bool:
    return not lint(text)
