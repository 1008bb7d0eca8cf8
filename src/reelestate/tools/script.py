"""Write and check a listing's narration script.

Whoever writes it (the rule-based writer, or a language model when one is configured), the
same check runs: every line states only facts the listing or a confidently labelled photo
gives, and passes the fair-housing lint. A model's script that fails is retried once with
the problems as feedback, then replaced by the rule-based script.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from reelestate.core.errors import InvalidInputError, ReelEstateError
from reelestate.core.styles import STYLES, Style
from reelestate.providers.vision.base import PhotoAnalysis
from reelestate.tools.listing import Listing
from reelestate.tools.script_facts import fact_sheet, text_problems
from reelestate.tools.script_model import (
    DEFAULT_WORDS_PER_MINUTE,
    Script,
    ScriptBrief,
    ScriptLine,
    ScriptProblem,
    ScriptWriter,
    estimate_seconds,
)
from reelestate.tools.script_rules import RuleBasedScriptWriter
from reelestate.tools.shot_plan import plan_shots

__all__ = [
    "DEFAULT_WORDS_PER_MINUTE",
    "RuleBasedScriptWriter",
    "Script",
    "ScriptBrief",
    "ScriptLine",
    "ScriptProblem",
    "ScriptWriter",
    "ensure_valid_script",
    "estimate_seconds",
    "make_brief",
    "validate_script",
    "write_script",
]

MIN_LENGTH_SECONDS = 5
MAX_LENGTH_SECONDS = 180
MODEL_ATTEMPTS = 2
_log = logging.getLogger(__name__)


def make_brief(
    listing: Listing,
    analyses: Sequence[PhotoAnalysis],
    *,
    style: Style,
    length_seconds: float,
    seed: int,
    words_per_minute: float = DEFAULT_WORDS_PER_MINUTE,
) -> ScriptBrief:
    """The facts, shot order and budget a writer works from; bad settings fail here."""
    if style not in STYLES:
        raise InvalidInputError(
            f"Unknown style {style!r}.", hint=f"Pick one of: {', '.join(STYLES)}."
        )
    if not MIN_LENGTH_SECONDS <= length_seconds <= MAX_LENGTH_SECONDS:
        raise InvalidInputError(
            f"A video lasts {MIN_LENGTH_SECONDS} to {MAX_LENGTH_SECONDS} seconds, "
            f"got {length_seconds:g}.",
            hint="Use 15, 30 or 60.",
        )
    if not 60 <= words_per_minute <= 400:
        raise InvalidInputError(
            f"A speaking rate of {words_per_minute:g} words per minute is out of range (60-400)."
        )
    plan = plan_shots(analyses, length_seconds, min_photos=0)
    return ScriptBrief(
        listing=listing,
        analyses=tuple(analyses),
        sheet=fact_sheet(listing, analyses),
        shots=plan.shots,
        style=style,
        length_seconds=length_seconds,
        seed=seed,
        words_per_minute=words_per_minute,
    )


def validate_script(
    script: Script, listing: Listing, analyses: Sequence[PhotoAnalysis]
) -> list[ScriptProblem]:
    """Every way `script` says more than the facts; an empty list means it may be spoken."""
    sheet = fact_sheet(listing, analyses)
    problems: list[ScriptProblem] = []
    if not script.lines:
        problems.append(ScriptProblem(line=None, detail="the script has no lines"))
    for i, line in enumerate(script.lines):
        problems.extend(ScriptProblem(line=i, detail=d) for d in text_problems(line.text, sheet))
        unknown = sorted(line.facts - sheet.keys)
        if unknown:
            problems.append(
                ScriptProblem(line=i, detail=f"claims facts not given: {', '.join(unknown)}")
            )
        if line.photo_index is not None:
            if not 0 <= line.photo_index < len(analyses):
                problems.append(
                    ScriptProblem(
                        line=i,
                        detail=f"refers to photo {line.photo_index + 1}, "
                        f"but there are {len(analyses)}",
                    )
                )
            elif not analyses[line.photo_index].usable:
                problems.append(
                    ScriptProblem(
                        line=i,
                        detail=f"is spoken over photo {line.photo_index + 1}, which was rejected",
                    )
                )
    return problems


def ensure_valid_script(
    script: Script, listing: Listing, analyses: Sequence[PhotoAnalysis]
) -> Script:
    """`script`, or an `InvalidInputError` listing its first problems."""
    problems = validate_script(script, listing, analyses)
    if problems:
        raise InvalidInputError(
            "The script states something the listing does not: "
            + "; ".join(str(p) for p in problems[:5])
            + ".",
            hint="Add the fact to the listing's highlights, or change the line.",
        )
    return script


def write_script(
    listing: Listing,
    analyses: Sequence[PhotoAnalysis],
    *,
    style: Style = "modern",
    length_seconds: float = 30,
    seed: int = 0,
    words_per_minute: float = DEFAULT_WORDS_PER_MINUTE,
    writer: ScriptWriter | None = None,
) -> Script:
    """A validated script: from `writer` when it passes (two tries), else the rule-based one."""
    brief = make_brief(
        listing,
        analyses,
        style=style,
        length_seconds=length_seconds,
        seed=seed,
        words_per_minute=words_per_minute,
    )
    fallback = RuleBasedScriptWriter()
    if writer is None or isinstance(writer, RuleBasedScriptWriter):
        return ensure_valid_script(fallback.write(brief), listing, analyses)
    failures: list[str] = []
    for attempt in range(1, MODEL_ATTEMPTS + 1):
        try:
            script = writer.write(brief)
        except ReelEstateError as exc:
            failures.append(f"try {attempt}: {exc.message}")
            continue
        problems = validate_script(script, listing, analyses)
        if not problems:
            return script
        failures.append(f"try {attempt}: " + "; ".join(str(p) for p in problems[:3]))
        brief = brief.model_copy(update={"feedback": tuple(str(p) for p in problems)})
    _log.warning("script writer %s failed twice; using the rule-based script", writer.name)
    script = ensure_valid_script(fallback.write(brief), listing, analyses)
    note = f"The {writer.name} script did not pass the checks ({' | '.join(failures)})."
    return script.model_copy(update={"notes": (*script.notes, note + " Used the rule-based one.")})
